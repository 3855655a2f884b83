"""The one secret detector (common/secret_detector.py), and the two places that act on it
before the dialogue: the InputGuard of the NLU pipeline and action_informer's warning."""

from __future__ import annotations

import re

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions import answers
from actions.actions import ActionInform
from actions.sandbox.demo import DEMO_PEOPLE
from common.formats import NIR_GROUPS, NIR_LENGTH, NIR_LENGTHS, NIR_PATTERN, looks_like_nir
from common.secret_detector import (
    BULLET,
    REDACTED,
    find_secrets,
    has_secret,
    mask,
    mask_value,
    redact,
)
from nlu_components.input_guard import InputGuard
from tests.secret_corpus import INNOCENT, SECRETS


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_the_corpus_is_big_enough():
    assert len(SECRETS) >= 40 and len(INNOCENT) >= 40


@pytest.mark.parametrize("text, kind, secret", SECRETS)
def test_every_written_form_is_found_masked_and_redacted(text, kind, secret):
    found = find_secrets(text)
    assert found and found[0].kind == kind, [(s.kind, s.value(text)) for s in found]
    assert has_secret(text)
    masked, redacted = mask(text), redact(text)
    assert secret not in masked and secret not in redacted
    assert BULLET in masked and REDACTED in redacted
    if len(digits(secret)) >= 6:  # not even its digits, whatever the spacing
        assert digits(secret) not in digits(masked) and digits(secret) not in digits(redacted)


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_messages_are_not_flagged(text):
    assert find_secrets(text) == []
    assert mask(text) == text
    assert redact(text) == text or REDACTED in redact(text)  # what is written down may hide more


def test_labels_stay_readable_only_the_value_is_masked():
    assert mask("mdp: 48151623") == "mdp: " + BULLET * 8
    assert mask("mon mot de passe c'est soleil") == "mon mot de passe c'est " + BULLET * 6
    assert mask("code 123456") == "code " + BULLET * 6


def test_a_nir_keeps_its_shape_its_first_digit_year_and_key():
    assert mask("2 84 05 38 185 123 29") == "2 84 •• •• ••• ••• 29"
    assert mask("284053818512329") == "284••••••••••29"
    assert mask("1.55.05.99.350.012.58") == "1.55.••.••.•••.•••.58"


@pytest.mark.parametrize("person", DEMO_PEOPLE, ids=lambda p: p.nir)
def test_every_demo_nir_is_a_nir(person):
    for text in (person.nir, person.nir.replace(" ", ""), person.nir.replace(" ", ".")):
        assert [s.kind for s in find_secrets(text)] == ["nir"]


def test_iban_keeps_only_its_country():
    assert mask("FR76 3000 6000 0112 3456 7890 189") == "FR•• •••• •••• •••• •••• •••• •••"


def test_emails_only_when_asked():
    text = "mon adresse est jean.martin@example.org"
    assert find_secrets(text) == []
    assert [s.kind for s in find_secrets(text, emails=True)] == ["email"]
    assert "jean.martin" not in mask(text) and mask(text).endswith(".org")
    assert redact(text) == text and "jean.martin" not in redact(text, emails=True)


def test_mask_value_never_keeps_a_short_secret():
    assert mask_value("4826", "code") == BULLET * 4
    assert mask_value("Soleil2024", "password") == BULLET * 10


def test_non_strings_are_left_alone():
    assert find_secrets(None) == [] and mask(None) is None and redact(42) == 42


def test_several_secrets_in_one_message():
    text = "mdp: 48151623 et mon nir 2 84 05 38 185 123 29"
    assert [s.kind for s in find_secrets(text)] == ["password", "nir"]
    assert mask(text) == "mdp: •••••••• et mon nir 2 84 •• •• ••• ••• 29"


# ------------------------------------------------------------------ the NLU pipeline's guard

DIET_ENTITIES = [{"entity": "code_postal", "value": "38500", "start": 0, "end": 5}]


def guarded(text: str, intent: str = "nlu_fallback", confidence: float = 0.3, entities=None) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(
        INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence}, {"name": "informer", "confidence": 0.2}]
    )
    message.set(ENTITIES, [dict(e) for e in (DIET_ENTITIES if entities is None else entities)])
    return InputGuard().process([message])[0]


@pytest.mark.parametrize("text, kind, secret", SECRETS)
def test_the_guard_reads_every_secret_as_information_given(text, kind, secret):
    after = {"entity": "code_postal", "value": "38500", "start": len(text) + 1, "end": len(text) + 6}
    message = guarded(text, entities=[after])
    assert message.get(INTENT)["name"] == "informer"
    assert message.get(ENTITIES) == [after]  # DIET's entities outside the secret are left as they are


def test_an_entity_read_inside_a_secret_is_dropped_unless_a_form_takes_secrets_from_it():
    town = {"entity": "commune", "value": "Loulou75", "start": 16, "end": 24}
    assert guarded("mots de passe = Loulou75", entities=[town]).get(ENTITIES) == []  # no slot may take it
    nir = {"entity": "nir", "value": "2 84 05 38 185 123 29", "start": 0, "end": 21}
    assert guarded("2 84 05 38 185 123 29", entities=[nir]).get(ENTITIES) == [nir]  # the exercise's field


def test_the_guard_keeps_the_intent_of_innocent_messages_and_diet_ranking_below():
    for text in INNOCENT[:10]:
        assert guarded(text, "code_perdu", 0.9).get(INTENT)["name"] == "code_perdu"
    ranking = guarded("le code 4826 de l'accueil ne marche pas", "code_provisoire", 0.8).get(INTENT_RANKING_KEY)
    assert [r["name"] for r in ranking] == ["informer", "code_provisoire"]


def test_bad_input_still_wins_over_a_secret():
    assert guarded("mdp: 48151623 " + "x" * 1000).get(INTENT)["name"] == "entree_invalide"


# ------------------------------------------------------------------ the warning

DOMAIN = {"responses": {"utter_code_provisoire": [{"text": "code provisoire"}]}}


def test_the_warning_never_echoes(tracker_factory, run):
    for text, _, secret in SECRETS:
        message = guarded(text)
        tracker = tracker_factory(text, "informer", ranking=message.get(INTENT_RANKING_KEY))
        messages, _ = run(ActionInform(), tracker)
        said = " ".join(m.get("text") or "" for m in messages)
        assert messages[0]["text"] == answers.SECRET_WARNING
        assert secret not in said


def test_a_question_asked_with_a_secret_is_answered_after_the_warning(tracker_factory, run):
    message = guarded("le code 4826 de l'accueil ne marche pas", "code_provisoire", 0.8)
    tracker = tracker_factory(message.get(TEXT), "informer", ranking=message.get(INTENT_RANKING_KEY))
    messages, _ = run(ActionInform(), tracker, DOMAIN)
    assert messages[0]["text"] == answers.SECRET_WARNING
    assert messages[1]["response"] == "utter_code_provisoire"
    # DIET unsure: the warning alone
    message = guarded("le code 4826 de l'accueil ne marche pas", "code_provisoire", 0.3)
    tracker = tracker_factory(message.get(TEXT), "informer", ranking=message.get(INTENT_RANKING_KEY))
    messages, _ = run(ActionInform(), tracker, DOMAIN)
    assert len(messages) == 1


def test_a_number_read_by_diet_is_a_secret_only_with_a_secret_length_and_no_other_meaning():
    from common.secret_detector import is_secret_number

    assert is_secret_number("4826") and is_secret_number("24681357") and is_secret_number("2 84 05 38 185 123 29")
    for value in ("12 05 1984", "12.05.1984", "09 72 72 39 14", "1 250 000", "75001", "12345", None, 42):
        assert not is_secret_number(value), value
    assert not is_secret_number("05 1984", "né le 12 05 1984") and is_secret_number("4826", "code 4826")


def test_a_number_too_short_to_be_a_code_is_not_kept_as_a_code():
    from nlu_components.input_guard import _without_short_codes

    four = {"entity": "code", "value": "4", "start": 40, "end": 41}
    kept = [
        {"entity": "code", "value": "604 829"},
        {"entity": "code", "value": "1234"},
        {"entity": "duree", "value": "4"},
    ]
    assert _without_short_codes([four, *kept]) == kept


NIR_IN_SENTENCES = [
    "c'est le 2 84 05 38 185 123 29 merci",
    "284053818512329",
    "mon numéro 1.75.01.2A.123.456.79",
    "numéro 1 75 01 2b 123 456 79, nom Martin",
    "3 99 12 99 123 456 12",
    "le 7 84 05 38 185 12329 provisoire",
    "8.84.05.38.185.123.29",
] + [f"mon numéro c'est {person.nir}" for person in DEMO_PEOPLE]


@pytest.mark.parametrize("text", NIR_IN_SENTENCES)
def test_every_nir_the_exercises_read_is_hidden_as_a_nir(text):
    """One home (common/formats.py): NIR_PATTERN is what the exercises and data/nlu/regex.yml read,
    `looks_like_nir` the detector's wider reading; each NIR read there is found here, whole."""
    found = re.search(NIR_PATTERN, text)
    assert found, text
    assert looks_like_nir(found.group(0))
    secrets = [s for s in find_secrets(text) if s.kind == "nir"]
    assert [(s.start, s.end) for s in secrets] == [found.span()], text


def test_the_nir_pattern_is_built_from_the_nir_groups():
    compact = "".join("9" * size for size in NIR_GROUPS)
    assert len(compact) == NIR_LENGTH == 15 and NIR_LENGTHS == (13, 15)
    assert re.fullmatch(NIR_PATTERN, "1" + compact[1:])
    assert not re.fullmatch(NIR_PATTERN, "1" + compact[2:])  # one digit short
    assert not re.fullmatch(NIR_PATTERN, "5" + compact[1:])  # no NIR starts with 5
    assert looks_like_nir("1" + compact[3:])  # 13 digits, no key: still hidden as a NIR
    assert not looks_like_nir("5" + compact[1:]) and not looks_like_nir("1" + compact[4:])
