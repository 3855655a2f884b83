"""server_ext.fast_paths: the same checks as Rasa's, done once (issue 18)."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core import events as rasa_events
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

from server_ext import fast_paths

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "bonjour"}]},
    {},
]
INVALID = [
    {"events": "not a list", "responses": []},
    {"events": [{"no_event_key": 1}], "responses": []},
    {"events": [], "responses": "bonjour"},
    {"events": [{"event": 42}], "responses": []},
]


def rasa_validate(result):
    """Rasa 3.6's own check, as RemoteAction._validate_action_result did it before install()."""
    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
        return True
    except jsonschema.ValidationError as e:
        return e


@pytest.fixture(scope="module", autouse=True)
def installed():
    fast_paths.install()


@pytest.mark.parametrize("result", VALID)
def test_a_valid_reply_passes(result):
    assert rasa_validate(result) is True
    assert RemoteAction._validate_action_result(None, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_an_invalid_reply_is_refused_exactly_as_before(result):
    expected = rasa_validate(result)
    assert isinstance(expected, jsonschema.ValidationError)  # control: Rasa's own check refuses it
    with pytest.raises(jsonschema.ValidationError) as raised:
        RemoteAction._validate_action_result(None, result)
    assert raised.value.message.startswith(expected.message)
    assert "Failed to validate Action server response" in raised.value.message
    assert list(raised.value.path) == list(expected.path) and raised.value.validator == expected.validator


def test_events_resolve_to_the_same_classes():
    names = {cls.type_name for cls in all_subclasses(Event)}
    for name in names:
        expected = next(cls for cls in all_subclasses(Event) if cls.type_name == name)
        assert Event.resolve_by_type(name) is expected
        assert Event.resolve_by_type(name) is expected  # the remembered answer
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", rasa_events.UserUttered) is rasa_events.UserUttered
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")
    assert Event.from_parameters({"event": "slot", "name": "a", "value": 1}) == rasa_events.SlotSet("a", 1)


def _every_kind_of_event():
    """One serialised event of each kind the action server may send (Rasa's own as_dict)."""
    from rasa.shared.core import events as e

    return [
        ev.as_dict()
        for ev in (
            e.UserUttered("bonjour", {"name": "saluer", "confidence": 0.9}),
            e.ActionExecuted("action_listen"),
            e.SlotSet("simu_etape", "rib"),
            e.SlotSet("x", None),
            e.SlotSet("y", {"a": [1, 2]}),
            e.BotUttered("texte", {"buttons": [{"title": "t", "payload": "/p"}]}),
            e.ActiveLoop("simulation_creation_form"),
            e.ActiveLoop(None),
            e.FollowupAction("action_listen"),
            e.Restarted(),
            e.AllSlotsReset(),
            e.SessionStarted(),
            e.ConversationPaused(),
            e.ConversationResumed(),
            e.UserUtteranceReverted(),
            e.ActionReverted(),
            e.LoopInterrupted(True),
            e.ActionExecutionRejected("a"),
            e.ReminderScheduled("i", __import__("datetime").datetime(2030, 1, 1)),
            e.ReminderCancelled("r"),
            e.StoryExported(),
            e.AgentUttered("a"),
            e.EntitiesAdded([{"entity": "x", "value": 1}]),
        )
    ]


def test_every_event_kind_is_judged_as_rasa_judges_it():
    events = _every_kind_of_event()
    assert fast_paths._plainly_valid({"events": events, "responses": []})
    assert rasa_validate({"events": events, "responses": []}) is True
    for event in events:
        broken = dict(event, timestamp="hier")  # a wrong type in a common field
        assert not fast_paths._plainly_valid({"events": [broken]})
        expected = rasa_validate({"events": [broken]})
        with pytest.raises(jsonschema.ValidationError) as raised:
            RemoteAction._validate_action_result(None, {"events": [broken]})
        assert isinstance(expected, jsonschema.ValidationError)
        assert raised.value.message.startswith(expected.message)


ODD_VALUES = [None, True, 0, 1.5, 1.0, "x", "", [], [1, "a"], {}, {"a": 1}, 2**70]


def _mutations(event):
    """The event, then each field set to each odd value, then each field removed."""
    yield event
    for key in list(event) + ["name", "value", "text", "parse_data", "entities"]:
        for value in ODD_VALUES:
            yield dict(event, **{key: value})
        if key in event:
            yield {k: v for k, v in event.items() if k != key}
    yield {"parse_data": {"intent": {"name": 1}, "entities": [{"entity": 2}]}, **event}


def test_the_plain_event_checks_never_pass_what_jsonschema_refuses():
    """`_plainly_valid` True must mean jsonschema valid (False only sends the reply to the full check); and
    the real events pass plainly, so the full check is the exception."""
    from jsonschema import validators
    from rasa.shared.utils.schemas.events import EVENTS_SCHEMA

    full = validators.validator_for(EVENTS_SCHEMA)(EVENTS_SCHEMA)
    plain = passed = 0
    for event in _every_kind_of_event():
        assert fast_paths._plainly_valid({"events": [event]})
        for changed in _mutations(event):
            if fast_paths._plainly_valid({"events": [changed]}):
                plain += 1
                assert full.is_valid([changed]), changed
            passed += full.is_valid([changed])
    assert 500 < plain <= passed < 2 * plain  # both verdicts met, mostly decided without jsonschema


def test_plain_checks_are_only_made_for_the_keywords_they_know():
    assert fast_paths.plain_check({"type": "string", "minLength": 2}) is None
    assert fast_paths.plain_check({"oneOf": [{"type": "string"}]}) is None
    assert fast_paths.plain_check({"properties": {"a": {"pattern": "x"}}}) is None
    assert fast_paths.plain_check({"const": 3}) is None
    check = fast_paths.plain_check(
        {"type": "object", "required": ["a"], "properties": {"a": {"type": ["integer", "null"]}}}
    )
    assert check({"a": None}) and check({"a": 3}) and not check({"a": True}) and not check({}) and not check([])


def test_a_slot_copy_is_copy_copy_for_every_slot_of_the_domain():
    import copy
    from pathlib import Path

    from rasa.shared.core.domain import Domain

    domain = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))
    assert len(domain.slots) > 20
    for slot in domain.slots:
        slot.value = ["une", "valeur"] if type(slot).__name__ == "ListSlot" else slot.initial_value
        assert fast_paths._copies_its_dict(type(slot)), type(slot)  # the fast path is taken
        fast, rasa = fast_paths.shallow_copy(slot), copy.copy(slot)
        assert type(fast) is type(rasa) and fast is not slot
        assert vars(fast) == vars(rasa) and all(vars(fast)[k] is vars(slot)[k] for k in vars(slot))


def test_objects_with_their_own_copy_go_through_copy_copy():
    class Counted:
        copies = 0

        def __copy__(self):
            Counted.copies += 1
            return Counted()

    class Slotted:
        __slots__ = ("x",)

    fast_paths.shallow_copy(Counted())
    assert Counted.copies == 1
    slotted = Slotted()
    slotted.x = 3
    assert fast_paths.shallow_copy(slotted).x == 3


def test_tracker_states_are_formatted_only_for_a_logged_debug_line():
    import logging

    from rasa.core.policies.policy import Policy

    states = [{"user": {"intent": "saluer"}, "prev_action": {"action_name": "action_listen"}}]
    rule_logger = logging.getLogger("rasa.core.policies.rule_policy")
    level = rule_logger.level
    try:
        rule_logger.setLevel(logging.INFO)
        assert Policy.format_tracker_states(states) == ""
        rule_logger.setLevel(logging.DEBUG)
        formatted = Policy.format_tracker_states(states)
        assert "saluer" in formatted and "action_listen" in formatted
    finally:
        rule_logger.setLevel(level)
