"""server_ext.memory_store.RememberingTrackerStore returns the trackers Rasa's stores rebuild.

Every story of data/ and every conversation test of tests/conversations is played turn by turn on
it and on Rasa's InMemoryTrackerStore (with a new session in the middle of some conversations);
after every turn, the latest session and the whole conversation read back as Rasa's SQL store
rebuilds them (every event applied in order), and as Rasa's in-memory store gives them but for the
two fields its replay leaves on a form's first message (server_ext/memory_store.py says why that
changes no answer). A tracker edited after it was read changes nothing stored.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server_ext import fast_paths
from server_ext.memory_store import RememberingTrackerStore
from tests.server_ext.stories import new_session, snapshot, stamped, stories, turns

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def play(store, sender: str, turn: list, start: list, domain: Domain) -> None:
    tracker = asyncio.run(store.retrieve(sender))
    if tracker is None:
        tracker = DialogueStateTracker.from_events(sender, start, domain.slots)
    for event in turn:
        tracker.update(event)
    asyncio.run(store.save(tracker))


@pytest.mark.parametrize("fast_copy", [False, True], ids=["rasa-copy", "server-copy"])
def test_the_same_trackers_as_rasa_in_memory_store(domain, fast_copy):
    if fast_copy:
        fast_paths.install()  # the Rasa server's tracker copy (idempotent; the other case runs first)
    ours, rasa = RememberingTrackerStore(domain), InMemoryTrackerStore(domain)
    checked = sessions = 0
    for index, (name, events) in enumerate(stories(domain)):
        sender, start = f"c{index}", new_session()
        for number, turn in enumerate(turns(events)):
            turn = stamped(turn)
            if index % 5 == 2 and number == 1:
                turn = new_session() + stamped(turn)
                sessions += 1
            play(ours, sender, turn, start, domain)
            play(rasa, sender, turn, start, domain)
            for read in ("retrieve", "retrieve_full_tracker"):
                got = snapshot(asyncio.run(getattr(ours, read)(sender)))
                # the state Rasa's SQL store rebuilds (every event applied in order)...
                assert got == snapshot(DialogueStateTracker.from_dict(sender, got["events"], domain.slots)), name
                # ...and everything Rasa's in-memory store gives, but the two fields its replay of
                # the « applied » events leaves on a form's first message (module docstring)
                expected = snapshot(asyncio.run(getattr(rasa, read)(sender)))
                differ = {k for k in got if got[k] != expected[k]}
                assert differ <= {"latest_message", "latest_action"}, (name, read, differ)
            checked += 1
    assert checked > 250 and sessions > 10
    assert sorted(asyncio.run(ours.keys())) == sorted(asyncio.run(rasa.keys()))


def test_a_tracker_edited_after_it_was_read_changes_nothing_stored(domain):
    store = RememberingTrackerStore(domain)
    play(store, "u", stamped([UserUttered("bonjour", {"name": "saluer"})]), new_session(), domain)
    before = snapshot(asyncio.run(store.retrieve("u")))
    read = asyncio.run(store.retrieve("u"))
    read.update(SlotSet("sujet", "vitale"))
    read.update(UserUttered("autre", {"name": "hors_sujet"}))
    assert snapshot(asyncio.run(store.retrieve("u"))) == before
    assert asyncio.run(store.retrieve("inconnu")) is None


def test_the_latest_session_is_rasas_last_session(domain):
    from rasa.shared.core.trackers import get_trackers_for_conversation_sessions

    from server_ext.memory_store import latest_session

    split = 0
    for index, (name, events) in enumerate(stories(domain)):
        parts = [stamped(turn) for turn in turns(events)]
        for cut in range(1, min(len(parts), 4)):  # a new session before turn `cut`, sometimes two
            history = new_session() + sum(parts[:cut], []) + new_session() + sum(parts[cut:], [])
            if index % 3 == 0:
                history += new_session()
            tracker = DialogueStateTracker.from_events(f"s{index}", history, domain.slots)
            rasa = get_trackers_for_conversation_sessions(tracker)
            assert len(rasa) > 1  # control: several sessions
            assert snapshot(latest_session(tracker)) == snapshot(rasa[-1]), name
            split += 1
        single = DialogueStateTracker.from_events(f"one{index}", new_session() + sum(parts, []), domain.slots)
        assert latest_session(single) is single and len(get_trackers_for_conversation_sessions(single)) == 1
    assert split > 100
