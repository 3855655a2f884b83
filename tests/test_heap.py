"""common.heap: the servers' start-up objects are left out of garbage collection once they serve."""

from __future__ import annotations

import gc

import pytest

from common import heap


@pytest.fixture
def unfreeze():
    yield
    gc.unfreeze()  # the test process goes on collecting as before


def test_what_survives_is_frozen_and_garbage_is_collected_first(unfreeze):
    class Node:
        pass

    kept = [Node() for _ in range(1000)]
    cycle = Node()
    cycle.me = cycle  # garbage only a collection frees
    del cycle
    before = len(gc.get_objects())
    frozen = heap.freeze()
    assert frozen == gc.get_freeze_count() >= len(kept)
    assert len(gc.get_objects()) < before // 10  # what later collections walk: only new objects
    assert not any(type(o) is Node and getattr(o, "me", None) is o for o in gc.get_objects())
    more = [Node() for _ in range(100)]
    assert heap.freeze() == frozen and more  # once per process: the second channel's call changes nothing


def test_both_servers_freeze_once_serving():
    import rasa_sdk_plugins
    from server_ext import channels

    class App:
        def __init__(self):
            self.listeners = []

        def register_listener(self, listener, event):
            self.listeners.append((listener, event))

    app = App()
    rasa_sdk_plugins.attach_sanic_app_extensions(app)
    assert (rasa_sdk_plugins._after_server_start, "after_server_start") in app.listeners
    for channel in (channels.GuardedRestInput(), channels.GuardedSocketIOInput.from_credentials({})):
        blueprint = channel.blueprint(lambda message: None)
        assert ("_freeze_heap", "after_server_start") in [
            (f.listener.__name__, f.event) for f in blueprint._future_listeners
        ]
