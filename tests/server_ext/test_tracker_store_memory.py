"""RedactingSQLTrackerStore's memory of each conversation (`_Known`) changes no row and no tracker.

Every story of data/ and every conversation test of tests/conversations is played turn by turn by
two « servers » (two store objects on one database, as two Rasa servers on PostgreSQL) taking the
turns in a mixed order, with a new session in the middle of some conversations and a tracker that
never came from the store. The same turns are played on a second database by stores that remember
nothing (Rasa's queries every time). After every turn: the rows are the same, and each server reads
back the very tracker that a store remembering nothing rebuilds from the rows.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sqlite3
from pathlib import Path
from typing import List

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server_ext.tracker_store import ENCRYPTED_PREFIX, RedactingSQLTrackerStore
from tests.server_ext.stories import new_session, snapshot, stamped, stories, turns

ROOT = Path(__file__).resolve().parents[2]
NIR = "1 75 01 69 123 456 79"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setenv("TRACKER_SECRET_KEY", "test-key-of-the-tracker-store")


def stores(path: Path, domain: Domain, remember: bool, count: int = 2) -> List[RedactingSQLTrackerStore]:
    out = [RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(path)) for _ in range(count)]
    if not remember:
        for store in out:
            store.remembered_conversations = 0
    return out


def rows(store: RedactingSQLTrackerStore, sender: str = "u") -> List[tuple]:
    """A conversation's rows in id order; encrypted slot values decrypted (Fernet's ciphertexts differ each time)."""
    with sqlite3.connect(store.engine.url.database) as conn:
        found = list(
            conn.execute(
                "select type_name, timestamp, intent_name, action_name, data from events where sender_id = ? order by id",
                (sender,),
            )
        )
    return [(*row[:4], store._decrypt_event(json.loads(row[4])), ENCRYPTED_PREFIX in row[4]) for row in found]


def play(
    stores_: List[RedactingSQLTrackerStore], sender: str, turn: list, order: int, domain: Domain, start=None
) -> None:
    """One turn on one server: read the tracker (or start one), add the turn's events, save."""
    store = stores_[order % len(stores_)]
    tracker = asyncio.run(store.retrieve(sender))
    if tracker is None:
        if start is None:
            start, turn = new_session(), stamped(turn)
        tracker = DialogueStateTracker.from_events(sender, start, domain.slots)
    for event in turn:
        tracker.update(event)
    asyncio.run(store.save(tracker))


def test_the_same_rows_and_trackers_with_and_without_the_memory(tmp_path, domain):
    remembering = stores(tmp_path / "remembering.db", domain, remember=True)
    forgetful = stores(tmp_path / "forgetful.db", domain, remember=False)
    reader = stores(tmp_path / "remembering.db", domain, remember=False, count=1)[0]
    order = itertools.cycle([0, 0, 1, 0, 1, 1, 1, 0])  # runs on one server, then switches
    checked = remembered = 0
    for index, (name, events) in enumerate(stories(domain)):
        sender, start = f"c{index}", new_session()  # the same events (and time stamps) on both databases
        for number, turn in enumerate(turns(events)):
            turn = stamped(turn)
            if index % 7 == 3 and number == 2:
                turn = new_session() + stamped(turn)  # the session expired: Rasa starts a new one in the tracker
            step = next(order)
            play(remembering, sender, turn, step, domain, start)
            play(forgetful, sender, turn, step, domain, start)
            assert rows(remembering[0], sender) == rows(forgetful[0], sender), name
            expected = snapshot(asyncio.run(reader.retrieve(sender)))
            for store in remembering:
                remembered += sender in store._known
                assert snapshot(asyncio.run(store.retrieve(sender))) == expected, name
            checked += 1
    assert checked > 250
    assert remembered > checked / 2, "the servers should remember most conversations: else this test checks little"


def test_a_tracker_edited_after_retrieve_leaves_the_memory_unchanged(tmp_path, domain):
    store = stores(tmp_path / "t.db", domain, remember=True, count=1)[0]
    play([store], "u", [UserUttered("bonjour", {"name": "saluer"}), ActionExecuted("action_listen")], 0, domain)
    first = asyncio.run(store.retrieve("u"))
    before = snapshot(first)
    first.update(SlotSet("sujet", "vitale"))
    first.update(UserUttered("autre", {"name": "hors_sujet"}))
    assert snapshot(asyncio.run(store.retrieve("u"))) == before


def test_a_tracker_saved_without_being_read_is_appended_by_count_as_rasa_does(tmp_path, domain):
    start = new_session()
    turn = [UserUttered("bonjour", {"name": "saluer"}), ActionExecuted("action_listen")]
    built = DialogueStateTracker.from_events("u", new_session(), domain.slots)  # b's own tracker, never read
    for event in [*turn, UserUttered(NIR, {"name": "informer"})]:
        built.update(event)
    found = []
    for remember in (True, False):
        a, b = stores(tmp_path / f"{remember}.db", domain, remember=remember)
        play([a], "u", turn, 0, domain, start)
        asyncio.run(a.retrieve("u"))  # a remembers the conversation (when it may)
        asyncio.run(b.save(built))  # Rasa appends the events after the count of stored ones
        found.append((rows(a), snapshot(asyncio.run(a.retrieve("u"))), snapshot(asyncio.run(b.retrieve("u")))))
        with sqlite3.connect(a.engine.url.database) as conn:
            assert NIR not in "".join(data for (data,) in conn.execute("select data from events"))
    assert found[0] == found[1]
    assert len(found[0][0]) > 5


def test_the_memory_is_bounded(tmp_path, domain):
    store = stores(tmp_path / "t.db", domain, remember=True, count=1)[0]
    store.remembered_conversations = 3
    for sender in "abcde":
        play([store], sender, [UserUttered("bonjour", {"name": "saluer"})], 0, domain)
        asyncio.run(store.retrieve(sender))
    assert list(store._known) == ["c", "d", "e"]


def test_the_redaction_context_is_the_one_read_from_every_serialised_event(tmp_path, domain):
    """`_context_before` skips serialising the events that cannot change it: same answer as reading all."""
    from common import redaction

    def read_from_every_event(tracker, end):
        requested, fragments = None, frozenset()
        for event in list(tracker.events)[:end]:
            data = event.as_dict()
            if data.get("event") == "user":
                fragments = redaction.secret_fragments(data, requested)
            requested = redaction.next_requested_slot(data, requested)
        return requested, fragments

    store = stores(tmp_path / "t.db", domain, remember=True, count=1)[0]
    checked = with_fragments = 0
    for _, events in stories(domain):
        tracker = DialogueStateTracker.from_events("u", events, domain.slots)
        for end in range(len(tracker.events) + 1):
            expected = read_from_every_event(tracker, end)
            assert store._context_before(tracker, end) == expected
            checked += 1
            with_fragments += bool(expected[1])
    assert checked > 1000 and with_fragments > 50, (checked, with_fragments)
