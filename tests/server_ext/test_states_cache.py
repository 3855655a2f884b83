"""server_ext.states and fast_paths: states built once per event, and tracker copies made without a
replay, are Rasa's, on the trained model's domain.

Every story of data/ and every conversation test of tests/conversations is replayed event by event
on one tracker, as the Rasa server grows a conversation; after each event the states (asked twice, with each of the
policies' options) must equal what Rasa's own `states_for_tracker_history` computes from scratch, and a caller editing the states it got (as Rasa's featurizer does) changes nothing for
the next caller.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from server_ext import fast_paths, states
from tests.server_ext.stories import stories

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def model(trained_model):
    fast_paths.install()
    states.install()
    storage, metadata = trained_model
    node = next(n for n in metadata.predict_schema.nodes.values() if n.uses is RulePolicy)
    context = ExecutionContext(metadata.predict_schema, metadata.model_id)
    policy = RulePolicy.load({**RulePolicy.get_default_config(), **node.config}, storage, node.resource, context)
    return metadata.domain, policy._get_rule_only_data()


def rasa_states(tracker, domain, *options):
    return states.rasa_states_for_tracker_history(domain, tracker, *options)


def test_states_are_rasa_states_turn_after_turn(model):
    domain, rule_only_data = model
    assert states.rasa_states_for_tracker_history not in (None, Domain.states_for_tracker_history)
    # the policies' options (MemoizationPolicy: rule-only turns ignored; RulePolicy: not), and the others
    options = [(omit, ignore, rule_only_data) for omit, ignore in itertools.product((False, True), repeat=2)]
    checked = resumed = 0
    for name, events in stories(domain):
        tracker = DialogueStateTracker("states-test", domain.slots)
        for event in events:
            tracker.update(event, domain)
            for option in options:
                expected = rasa_states(tracker, domain, *option)
                key = (tracker.sender_id, *option[:2])
                before = states._replays.get(key)
                first = tracker.past_states(domain, *option)
                resumed += before is not None and states._replays[key] is before
                assert first == expected, name
                for state in first:  # what the featurizer does to the last state, to every state here
                    for part in state.values():
                        part.clear()
                assert tracker.past_states(domain, *option) == expected, name
                checked += 1
    assert checked > 2500
    assert resumed > checked / 2, "most calls should resume a replay: else this test checks little"


def test_a_new_event_gives_new_states(model):
    domain, _ = model
    tracker = DialogueStateTracker("states-test", domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    before = tracker.past_states(domain)
    tracker.update(UserUttered("bonjour", intent={"name": "saluer", "confidence": 1.0}))
    after = tracker.past_states(domain)
    assert after != before and after == rasa_states(tracker, domain)
    assert after[-1]["user"]["intent"] == "saluer"


def test_an_empty_domain_is_still_empty_and_ours_is_not(model):
    domain, _ = model
    assert Domain.empty().is_empty()
    assert not domain.is_empty() and not domain.is_empty()


def tracker_fields(tracker: DialogueStateTracker) -> dict:
    """Everything a tracker holds, slots as their attributes (what Rasa's replay would set)."""
    fields = dict(vars(tracker))
    fields["slots"] = {name: vars(slot) for name, slot in tracker.slots.items()}
    fields["events"] = (list(tracker.events), tracker.events.maxlen)
    return fields


def test_a_tracker_copy_is_rasa_replayed_copy_after_every_event(model):
    domain, _ = model
    assert fast_paths.rasa_tracker_copy not in (None, DialogueStateTracker.copy)
    copies = 0
    for name, events in stories(domain):
        tracker = DialogueStateTracker("copy-test", domain.slots, sender_source="tests")
        tracker.model_id, tracker.assistant_id = "model", "assistant"
        for event in events:
            tracker.update(event, domain)
            ours, rasas = tracker.copy(), fast_paths.rasa_tracker_copy(tracker)
            assert tracker_fields(ours) == tracker_fields(rasas), name
            assert ours.current_state() == rasas.current_state(), name
            ours.update(ActionExecuted("action_listen"))  # the copy is a tracker of its own
            assert len(ours.events) == len(tracker.events) + 1 and tracker_fields(tracker) != tracker_fields(ours)
            slot = next(iter(ours.slots))
            ours.update(SlotSet(slot, "changed in the copy"))
            assert tracker.get_slot(slot) != "changed in the copy"
            copies += 1
    assert copies > 600


def untimed(state: dict) -> dict:
    """A tracker's state as the action server receives it, but the time stamps (each way makes the form's
    two new events a moment apart)."""
    events = [{k: v for k, v in event.items() if k != "timestamp"} for event in state["events"]]
    return {**state, "events": events, "latest_event_time": None}


def test_a_form_temporary_tracker_is_rasas_replay_after_every_event(model):
    from rasa.core.actions.forms import FormAction

    domain, _ = model
    assert fast_paths.rasa_temporary_tracker not in (None, FormAction._temporary_tracker)
    forms = [FormAction(name, None) for name in domain.form_names]
    slots = [slot.name for slot in domain.slots]
    made = 0
    for index, (name, events) in enumerate(stories(domain)):
        tracker = DialogueStateTracker("form-test", domain.slots)
        for number, event in enumerate(events):
            tracker.update(event, domain)
            form = forms[(index + number) % len(forms)]
            extra = [SlotSet(slots[number % len(slots)], f"valeur {number}"), ActionExecuted("action_listen")][
                : number % 3
            ]
            ours = form._temporary_tracker(tracker, list(extra), domain)
            rasas = fast_paths.rasa_temporary_tracker(form, tracker, list(extra), domain)
            assert tracker_fields(ours) == tracker_fields(rasas), name
            assert untimed(ours.current_state(EventVerbosity.ALL)) == untimed(rasas.current_state(EventVerbosity.ALL))
            made += 1
    assert made > 600 and len(forms) > 1


def test_the_next_message_tracker_read_back_from_the_store_resumes_the_replay(model):
    """The tracker store rebuilds each message's tracker from stored events (new objects): the replay
    of the conversation goes on from where it stopped, with Rasa's states; another conversation's
    replay is not used."""
    from rasa.shared.core.events import Event

    domain, rule_only_data = model
    resumed = checked = 0
    for index, (name, events) in enumerate(stories(domain)):
        sender = f"store-test-{index}"
        tracker = DialogueStateTracker(sender, domain.slots)
        for event in events:
            tracker.update(event, domain)
            stored = [Event.from_parameters(e.as_dict()) for e in tracker.events]  # what the store gives back
            read_back = DialogueStateTracker.from_events(sender, stored, domain.slots)
            key = (sender, False, True)
            before = states._replays.get(key)
            assert read_back.past_states(domain, False, True, rule_only_data) == rasa_states(
                read_back, domain, False, True, rule_only_data
            ), name
            resumed += before is not None and states._replays[key] is before
            checked += 1
        other = DialogueStateTracker(f"{sender}-other", domain.slots)
        other.update(ActionExecuted("action_listen"))
        assert other.past_states(domain) == rasa_states(other, domain)
    assert checked > 600 and resumed > checked / 2
