"""The action server's start: what `rasa run actions` does once, when it starts, and never on import.

rasa_sdk looks for a package of this name when its server starts (rasa_sdk/plugin.py,
`_discover_plugins`: `import rasa_sdk_plugins; rasa_sdk_plugins.init_hooks(manager)`), then calls
the `attach_sanic_app_extensions(app)` hook once the actions are registered, before it serves.
This is the action server's entry point, the same with `rasa run actions`, the rasa-sdk image
(deploy/docker/actions.Dockerfile), the production stack and the tests. At start:
- the log redaction (common/log_redaction.py): no code or NIR in the action server's logs;
- the France Services index is built in a background thread (actions/locator_actions.warm_up),
  so that the first person who asks does not wait for it;
- once it serves, the objects of its start are left out of garbage collection (common/heap.py).

rasa_sdk ignores a missing package silently, so this module imports nothing of the project:
an import error shows when the server starts (`start` runs in a listener), not as a silent skip.
"""

from __future__ import annotations

import sys
from typing import Any

import pluggy

hookimpl = pluggy.HookimplMarker("rasa_sdk")


def init_hooks(manager: pluggy.PluginManager) -> None:
    """Called by rasa_sdk with its plugin manager."""
    manager.register(sys.modules[__name__])


@hookimpl
def attach_sanic_app_extensions(app: Any) -> None:
    """rasa_sdk's hook: `start` runs in the serving process, before the first request."""
    app.register_listener(_before_server_start, "before_server_start")
    app.register_listener(_after_server_start, "after_server_start")


async def _before_server_start(app: Any, loop: Any) -> None:
    start()


async def _after_server_start(app: Any, loop: Any) -> None:
    """The objects of the start left out of garbage collection (common/heap.py)."""
    from common import heap

    heap.freeze()


def start() -> None:
    """What the action server does when it starts (idempotent but for the warm-up thread)."""
    from actions.locator_actions import warm_up
    from common import log_redaction

    log_redaction.install()
    warm_up()
