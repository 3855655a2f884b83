"""server_ext.applied_events: a conversation's applied events, resumed, are Rasa's.

Every story of data/ and every conversation test of tests/conversations is replayed event by event
on one tracker; after each event the resumed `applied_events()` must be Rasa's own list (the very
event objects, in order). Copies of the tracker (same conversation) that take another path — a
reverted message, a restart, another form — are asked in between, as the Rasa server's temporary
trackers are, and must get Rasa's answer too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Restarted, UserUtteranceReverted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server_ext import applied_events
from tests.server_ext.stories import stories

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    applied_events.install()
    return Domain.load(str(ROOT / "domain.yml"))


def same(tracker) -> bool:
    ours, rasa = tracker.applied_events(), applied_events.rasa_applied_events(tracker)
    return len(ours) == len(rasa) and all(a is b for a, b in zip(ours, rasa))


DETOURS = [
    [UserUtteranceReverted()],
    [Restarted(), ActionExecuted("action_listen")],
    [ActiveLoop("formulaire_jamais_vu"), ActionExecuted("formulaire_jamais_vu")],
    # a form run twice before its ActiveLoop event: Rasa reads the forms' names from the whole
    # conversation first, so that event changes how the earlier runs are walked
    [
        ActionExecuted("formulaire_x"),
        ActionExecuted("action_listen"),
        UserUttered("oui", {"name": "affirmer"}),
        ActionExecuted("formulaire_x"),
        ActiveLoop("formulaire_x"),
    ],
]


def test_applied_events_are_rasa_after_every_event_and_detour(domain):
    assert applied_events.rasa_applied_events is not None
    assert DialogueStateTracker.applied_events is applied_events.applied_events
    checked = resumed = 0
    for index, (name, events) in enumerate(stories(domain)):
        tracker = DialogueStateTracker(f"c{index}", domain.slots)
        for number, event in enumerate(events):
            tracker.update(event, domain)
            walk = applied_events._walks.get(tracker.sender_id)
            before = len(walk.events) if walk is not None else 0
            assert same(tracker), name
            resumed += before > 0 and applied_events._walks[tracker.sender_id] is walk
            assert tracker.applied_events() is not tracker.applied_events()  # a new list each time
            checked += 1
            if number % 4 == 3:  # a copy of the conversation takes another path, then the original goes on
                other = tracker.copy()
                for detour_event in DETOURS[number % len(DETOURS)]:
                    other.update(detour_event, domain)
                    assert same(other), name
                assert same(tracker), name
    assert checked > 1000
    assert resumed > checked / 2, "most calls should resume a walk: else this test checks little"


def test_a_caller_editing_the_list_changes_nothing(domain):
    tracker = DialogueStateTracker("edit", domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.applied_events().clear()
    assert len(tracker.applied_events()) == 1
