"""Custom actions, run as the action server runs them (rasa_sdk Tracker + CollectingDispatcher)."""

from __future__ import annotations

import pytest
from rasa_sdk.events import UserUtteranceReverted

from actions import answers
from actions.actions import (
    ActionAskAffirmation,
    ActionAskRephrase,
    ActionDefaultFallback,
    ActionInform,
    ActionInvalidInput,
)
from common.input_checks import MAX_MESSAGE_CHARS, invalid_reason


def test_fallback_offers_the_two_likeliest_topics_then_something_else(tracker_factory, run):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.55},
        {"name": "code_non_recu", "confidence": 0.4},
        {"name": "hors_sujet", "confidence": 0.3},
        {"name": "verifier_spams", "confidence": 0.2},
        {"name": "forum", "confidence": 0.1},
    ]
    messages, _ = run(ActionAskAffirmation(), tracker_factory("code mail ?", "nlu_fallback", ranking=ranking))
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == ["/code_non_recu", "/verifier_spams", "/out_of_scope"]
    assert [b["title"] for b in messages[0]["buttons"]][:2] == [
        "Je n'ai pas reçu le code de sécurité",
        "Trouver le dossier spam",
    ]


def test_fallback_without_ranking_still_offers_a_way_out(tracker_factory, run):
    messages, _ = run(ActionAskAffirmation(), tracker_factory("zzz", "nlu_fallback"))
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/out_of_scope"]


def test_rephrase_and_final_fallback(tracker_factory, run):
    messages, _ = run(ActionAskRephrase(), tracker_factory("zzz", "nlu_fallback"))
    assert "autrement" in messages[0]["text"]
    messages, events = run(ActionDefaultFallback(), tracker_factory("zzz", "nlu_fallback"))
    assert "France Services" in messages[0]["text"]
    assert {b["payload"] for b in messages[0]["buttons"]} >= {"/forum", "/prendre_rdv"}
    assert events == [UserUtteranceReverted()]


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty"),
        ("   \n\t", "empty"),
        ("a" * (MAX_MESSAGE_CHARS + 1), "too_long"),
        ("😀😀😀🙏", "no_words"),
        ("?!...", "no_words"),
        ("<img src=x onerror=alert(1)>", "markup"),
        ("<script>alert(1)</script>", "markup"),
        ("\x00\x01", "no_words"),
    ],
)
def test_invalid_input_gets_a_clear_french_answer(tracker_factory, run, text, reason):
    assert invalid_reason(text) == reason
    messages, _ = run(ActionInvalidInput(), tracker_factory(text, "entree_invalide"))
    assert messages[0]["text"] == answers.INVALID_INPUT[reason]


@pytest.mark.parametrize(
    "text",
    ["je n'ai pas reçu mon code 😭", "<b>bonjour</b>", "38500", "a" * MAX_MESSAGE_CHARS, "jai pa recu"],
)
def test_real_questions_are_not_rejected(text):
    assert invalid_reason(text) is None


def test_a_place_gets_the_france_services_map(tracker_factory, run):
    entities = [{"entity": "commune", "value": "Voiron"}]
    messages, _ = run(ActionInform(), tracker_factory("Voiron", "informer", entities=entities))
    assert "Voiron" in messages[0]["text"]
    assert "https://anct-carto.github.io/france_services/?lat=" in messages[0]["text"]


@pytest.mark.parametrize(
    "entity, value",
    [("nir", "1 75 01 69 123 456 79"), ("code", "24681357"), ("code", "4826"), ("email", "a@b.fr")],
)
def test_personal_numbers_get_a_warning_and_are_never_repeated(tracker_factory, run, entity, value):
    entities = [{"entity": entity, "value": value}]
    messages, _ = run(ActionInform(), tracker_factory(value, "informer", entities=entities))
    assert "ne donnez jamais" in messages[0]["text"]
    assert value not in messages[0]["text"]


@pytest.mark.parametrize("entity, value", [("telephone", "09 72 72 39 14"), ("code", "12/05/1984")])
def test_a_phone_number_or_a_date_alone_is_not_a_secret(tracker_factory, run, entity, value):
    messages, _ = run(ActionInform(), tracker_factory(value, "informer", entities=[{"entity": entity, "value": value}]))
    assert "ne donnez jamais" not in messages[0]["text"] and "pas compris" in messages[0]["text"]


def test_information_without_entity_is_answered_as_not_understood(tracker_factory, run):
    """Keyboard mash read as informer (it looks like an unknown town) must not be thanked for."""
    messages, _ = run(ActionInform(), tracker_factory("zblorg kwarf plimp", "informer"))
    assert "pas compris" in messages[0]["text"] and "Merci" not in messages[0]["text"]
    assert "/forum" in [b["payload"] for b in messages[0]["buttons"]]
