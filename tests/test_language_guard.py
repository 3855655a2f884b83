"""LanguageGuard (nlu_components/language_guard.py): a message mostly in another language is read
as `autre_langue`, answered « Je ne parle que français »; French with an English word is not."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.language_guard import LanguageGuard, is_foreign
from tests.test_unknown_words import ROOT


@pytest.mark.parametrize(
    "text",
    [
        "do you speak english?",
        "I can't log in to my account",
        "hablas español",
        "¿hablas español?",
        "yo no hablo francés, ayuda por favor",
        "sprechen Sie Deutsch?",
        "você fala português?",
        "english please",
        "مرحبا هل تتكلم العربية",
        "Вы говорите по-русски?",
    ],
)
def test_another_language_is_foreign(text):
    assert is_foreign(text)


@pytest.mark.parametrize(
    "text",
    [
        "parlez-vous anglais ?",  # French: DIET reads it (data/nlu/parcours.yml)
        "jai pas recu le code",
        "le login marche pas",
        "hello j'ai un souci avec mon code",
        "hello hello",
        "ok merci quand même",
        "t'es con",
        "/saluer",
        "",
        None,
    ],
)
def test_french_and_single_foreign_words_are_not(text):
    assert not is_foreign(text)


def test_no_french_example_of_the_training_data_is_read_as_foreign():
    import re
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from nlu_overlap import examples

    wrong = [
        (intent, text)
        for intent, text in examples(str(ROOT / "data" / "nlu" / "*.yml"))
        if intent != "autre_langue" and is_foreign(re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text))
    ]
    assert not wrong, wrong


def test_the_guard_sets_the_intent_and_keeps_the_ranking_below_it():
    guard = LanguageGuard.create({}, None, None, None)
    foreign = Message(data={TEXT: "do you speak english"})
    foreign.set(INTENT, {"name": "nlu_fallback", "confidence": 1.0})
    foreign.set(INTENT_RANKING_KEY, [{"name": "hors_sujet", "confidence": 0.4}])
    french = Message(data={TEXT: "je n'ai pas reçu mon code"})
    french.set(INTENT, {"name": "code_non_recu", "confidence": 0.9})
    guard.process([foreign, french])
    assert foreign.get(INTENT)["name"] == "autre_langue"
    assert [r["name"] for r in foreign.get(INTENT_RANKING_KEY)] == ["autre_langue", "hors_sujet"]
    assert french.get(INTENT)["name"] == "code_non_recu"
