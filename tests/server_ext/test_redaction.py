"""Unit tests of common/redaction.py: what is a secret, what stays readable."""

from __future__ import annotations

import pytest

from actions.sandbox import policy
from actions.sandbox.demo import DEMO_PEOPLE
from common.redaction import (
    REDACTED,
    SECRET_SLOTS,
    looks_like_secret,
    redact_event,
    redact_events,
    redact_log_text,
    redact_text,
)

NIRS = [p.nir for p in DEMO_PEOPLE]


@pytest.mark.parametrize("nir", NIRS)
@pytest.mark.parametrize("style", ["spaced", "compact", "dots", "dashes", "in_sentence"])
def test_every_demo_nir_is_blanked_in_any_spelling(nir, style):
    compact = nir.replace(" ", "")
    text = {
        "spaced": nir,
        "compact": compact,
        "dots": nir.replace(" ", "."),
        "dashes": nir.replace(" ", "-"),
        "in_sentence": f"mon numéro c'est {nir}, merci",
    }[style]
    out = redact_text(text)
    assert compact not in out.replace(" ", "").replace(".", "").replace("-", "")
    assert REDACTED in out


def test_a_nir_with_dots_is_not_taken_for_an_address_or_a_date():
    assert redact_text("1.55.05.99.350.012.58") == REDACTED
    assert redact_text("2-84-05-38-185-123-29 et 2030-01-07") == f"{REDACTED} et 2030-01-07"


def test_corsica_nir_is_blanked():
    out = redact_text("numéro 1 85 2A 123 456 78 91")
    assert "123" not in out and REDACTED in out


@pytest.mark.parametrize(
    "code",
    [
        "400365",
        "4 0 0 3 6 5",
        "Votre code : 400365.",
        "24681357",
        "1234567890123",
        "mon code perso est 2468135790",
        "code123456",
    ],
)
def test_codes_are_blanked(code):
    out = redact_text(code)
    digits = "".join(ch for ch in code if ch.isdigit())
    assert digits not in "".join(ch for ch in out if ch.isdigit())
    assert REDACTED in out


def test_lengths_come_from_the_policy():
    assert looks_like_secret("1" * policy.SECURITY_CODE_LENGTH)
    for n in policy.CODE_PROVISOIRE_LENGTHS:
        assert looks_like_secret("7" * n)
    for n in range(policy.CODE_PERSONNEL_MIN_LENGTH, policy.CODE_PERSONNEL_MAX_LENGTH + 1):
        assert looks_like_secret("3" * n)


@pytest.mark.parametrize(
    "text",
    [
        "75001",
        "je suis à 75011 Paris",
        "France Services 13001 Marseille",
        "appelez le 36 46",
        "le 26/11/2026 à 14 h 30",
        "en 2024",
        "j'ai 3 enfants",
        "bonjour",
        "",
        "Code 5 chiffres 12345",
        "2030-01-07T09:00",
        "2030-01-07T09:00:00+01:00",
        "at 2026-11-26 04:31:09,123 start",
        "Goin' Fast @ http://127.0.0.1:5005",
        "from 10.0.0.12 and 192.168.1.1",
        "marie.673207@example.org",
        "jean.2024123456+test@mail.example.fr",
    ],
)
def test_ordinary_text_and_postcodes_stay(text):
    assert redact_text(text) == text


def test_a_bare_four_digit_code_provisoire_is_blanked_but_not_in_a_sentence():
    assert redact_text("4826") == REDACTED
    assert redact_text(" 48 26 ") == REDACTED
    assert redact_text("en 2024 j'ai perdu") == "en 2024 j'ai perdu"


@pytest.mark.parametrize(
    "text",
    [
        "À taper : code provisoire 4826.",
        "mon code c'est 48 26",
        "Mot de passe : 4826",
        "CODE 4826",
    ],
)
def test_a_short_code_after_the_word_code_is_blanked(text):
    assert "4826" not in redact_text(text).replace(" ", "") and REDACTED in redact_text(text)


def test_code_postal_and_other_numbers_near_code_stay():
    for text in ("code postal 75011", "mon code postal est 13001", "le code a 3 essais", "code valable 15 minutes"):
        assert redact_text(text) == text


def test_non_strings_are_unchanged():
    assert redact_text(None) is None
    assert redact_text(42) == 42


def test_log_lines_quoted_numbers_and_secret_slots():
    line = "Received user message '4826' with intent '{'name': 'nlu_fallback'}'"
    assert "4826" not in redact_log_text(line)
    slots = "Validating extracted slots: {'simu_login_code': 'abc-secret', 'lieu': '75001'}"
    out = redact_log_text(slots)
    assert "abc-secret" not in out and "75001" in out
    assert redact_log_text('{"simu_code_perso": null}') == '{"simu_code_perso": null}'
    assert redact_log_text('"text": "4826"') == f'"text": "{REDACTED}"'
    reprs = '"rasa_events": ["SlotSet(key: simu_login_code, value: 4826)", "SlotSet(key: simu_nir, value: None)"]'
    assert "4826" not in redact_log_text(reprs) and "value: None" in redact_log_text(reprs)
    assert "4826" not in redact_log_text("UserUttered(text: 4826, intent: informer)")
    assert "4826" not in redact_log_text("[state 4] user text: 4826 | previous action name: action_listen")
    assert redact_log_text("value: 75001, text: 123)") == "value: 75001, text: 123)"
    dump = "Current slot values: \n\tsimu_login_code: 48 26\n\tsimu_nir: None\n\tlieu: 75001\n\tcode: 4826"
    out = redact_log_text(dump)
    assert "48 26" not in out and "4826" not in out and "simu_nir: None" in out and "lieu: 75001" in out


def user(text, entities=()):
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": "informer"}, "entities": [dict(e) for e in entities]},
    }


def test_a_message_answering_a_secret_question_is_blanked_whole():
    for slot in SECRET_SLOTS:
        event = redact_event(user("c'est le quatre huit deux six"), requested_slot=slot)
        assert event["text"] == REDACTED and event["parse_data"]["text"] == REDACTED
    kept = redact_event(user("Martin"), requested_slot="simu_nom")
    assert kept["text"] == "Martin"


def test_secret_entities_and_slots_are_blanked():
    event = redact_event(user("je m'appelle x", [{"entity": "code", "value": "4826", "start": 0, "end": 4}]))
    assert event["parse_data"]["entities"][0]["value"] == REDACTED
    for slot in SECRET_SLOTS:
        assert redact_event({"event": "slot", "name": slot, "value": "abc"})["value"] == REDACTED
    assert redact_event({"event": "slot", "name": "lieu", "value": "75001"})["value"] == "75001"
    assert redact_event({"event": "slot", "name": "simu_nir", "value": None})["value"] is None


def test_reversible_slots_use_the_cipher():
    out = redact_event(
        {"event": "slot", "name": "simu_login_nir", "value": "1 75 01 69 123 456 79"},
        encrypt=lambda v: "enc(" + str(len(v)) + ")",
    )
    assert out["value"] == "enc(21)"


def test_bot_text_is_redacted_and_the_input_is_not_modified():
    mail = {"event": "bot", "text": "Votre code de sécurité :\n400365\nIl est valable 15 minutes."}
    out = redact_event(mail)
    assert "400365" not in out["text"] and "15 minutes" in out["text"]
    assert "400365" in mail["text"]


def test_redact_events_follows_requested_slot():
    events = [
        {"event": "slot", "name": "requested_slot", "value": "simu_login_code"},
        user("mon mot de passe est soleil"),
        {"event": "slot", "name": "requested_slot", "value": "simu_nom"},
        user("Martin"),
        {"event": "active_loop", "name": None},
        user("merci"),
    ]
    out = redact_events(events)
    assert out[1]["text"] == REDACTED and out[3]["text"] == "Martin" and out[5]["text"] == "merci"


def test_a_secret_read_as_an_entity_or_a_slot_is_taken_out_of_the_whole_turn():
    """« Loulou75 » alone looks innocent: once the user's message shows it is a password, no event
    of that turn may keep it (an entity read as a town, a slot that took it)."""
    from common import redaction

    turn = [
        {
            "event": "user",
            "text": "mots de passe = Loulou75",
            "parse_data": {"entities": [{"entity": "commune", "value": "Loulou75", "start": 16, "end": 24}]},
        },
        {"event": "slot", "name": "lieu", "value": "Loulou75"},
        {"event": "slot", "name": "sujet", "value": "informer"},
    ]
    out = redaction.redact_events(turn)
    assert "Loulou75" not in str(out)
    assert out[2]["value"] == "informer"  # the rest of the turn is kept
    assert "Paris" in str(
        redaction.redact_events(
            [{"event": "user", "text": "à Paris"}, {"event": "slot", "name": "lieu", "value": "Paris"}]
        )
    )
