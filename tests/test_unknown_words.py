"""UnknownWordsGuard (nlu_components/unknown_words.py): a message made only of words the training
data never had is read as `nlu_fallback`; a typo, a town, a number or one known word is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from nlu_components.unknown_words import UnknownWordsGuard

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("unknown_words_guard")
    guard = UnknownWordsGuard.create({}, storage, resource, None)
    guard.train(load_data(str(ROOT / "data" / "nlu")))
    return storage, resource


def read(guard: UnknownWordsGuard, text: str, intent: str = "informer", entities=()) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.8})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.8}, {"name": "hors_sujet", "confidence": 0.1}])
    message.set(ENTITIES, list(entities))
    return guard.process([message])[0]


@pytest.fixture(scope="module")
def guard(trained):
    storage, resource = trained
    return UnknownWordsGuard.load({}, storage, resource, None)  # as the Rasa server does


@pytest.mark.parametrize("text", ["zblorg kwarf plimp", "qsdfgh jklm", "AZERTYUIOP QSDFGHJKLM", "xkcd wxyv " * 80])
def test_keyboard_mash_is_not_understood(guard, text):
    message = read(guard, text)
    assert message.get(INTENT)["name"] == "nlu_fallback"
    assert message.get(INTENT_RANKING_KEY)[1]["name"] == "informer"  # DIET's ranking is kept below


@pytest.mark.parametrize(
    "text",
    [
        "je n'ai pas recu mon code",  # known words, no accents
        "bonjur",  # a typo of a known word
        "pasword oublié",
        "Voiron",  # a town of the lookup table
        "482 913",  # a code: digits are information
        "zblorg merci",  # one known word is enough
        "la sécu",
    ],
)
def test_messages_with_a_known_or_close_word_keep_their_intent(guard, text):
    assert read(guard, text).get(INTENT)["name"] == "informer"


def test_a_message_with_an_entity_keeps_its_intent(guard):
    entity = {"entity": "commune", "value": "Zblorg", "start": 0, "end": 6}
    assert read(guard, "Zblorg", entities=[entity]).get(INTENT)["name"] == "informer"


def test_without_a_saved_vocabulary_nothing_is_changed(tmp_path):
    guard = UnknownWordsGuard.load({}, LocalModelStorage(tmp_path), Resource("missing"), None)
    assert read(guard, "zblorg kwarf plimp").get(INTENT)["name"] == "informer"
