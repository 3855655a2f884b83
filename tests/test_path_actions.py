"""action_remercier (actions/path_actions.py): « Avec plaisir » after a help that worked; an
apology and a human after a fallback, a complaint, a dead end, or a thanks said « quand même »."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions import answers
from actions.path_actions import ActionThanks
from tests.conftest import run_action


def tracker(text: str, previous_turn: list) -> Tracker:
    """A conversation: a first message, the bot's turn `previous_turn`, then `text` (a thanks)."""
    events = [
        {"event": "user", "text": "..."},
        *previous_turn,
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text},
    ]
    return Tracker(
        sender_id="t",
        slots={},
        latest_message={"text": text, "intent": {"name": "remercier"}},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def responses(text: str, previous_turn: list) -> list:
    messages, events = run_action(ActionThanks(), tracker(text, previous_turn))
    assert events == []
    names = {answers.THANKS: "thanks", answers.THANKS_AFTER_FAILURE: "apology"}
    return [names.get(m.get("text"), m.get("text")) for m in messages]


def action(name: str) -> dict:
    return {"event": "action", "name": name}


def test_thanks_after_an_answer_is_avec_plaisir():
    assert responses("merci beaucoup", [action("utter_code_non_recu")]) == ["thanks"]
    assert "Avec plaisir" in answers.THANKS


def test_thanks_after_a_fallback_a_complaint_or_a_dead_end_is_an_apology():
    for turn in (
        [action("action_default_fallback")],
        [action("action_two_stage_fallback")],
        [action("utter_plainte"), action("action_france_services_proche")],
        [action("utter_code_non_recu_relance")],
        [action("utter_autre_langue")],
        [action("action_informer"), {"event": "bot", "text": answers.DEFAULT_FALLBACK}],
    ):
        assert responses("merci", turn) == ["apology"], turn
    text = answers.THANKS_AFTER_FAILURE
    assert "Avec plaisir" not in text and "désolé" in text and "36 46" in text


def test_thanks_said_quand_meme_is_an_apology_whatever_came_before():
    assert responses("ok merci quand même", [action("utter_code_non_recu")]) == ["apology"]
    assert responses("bon tant pis merci", [action("utter_saluer")]) == ["apology"]


def test_only_the_previous_turn_counts():
    events = [action("action_default_fallback")]
    older = tracker("merci", [action("utter_code_non_recu")])
    older.events[:0] = [{"event": "user", "text": "zblorg"}, *events]
    messages, _ = run_action(ActionThanks(), older)
    assert [m.get("text") for m in messages] == [answers.THANKS]
