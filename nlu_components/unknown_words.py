"""UnknownWordsGuard: a message made only of words the bot has never seen is not understood.

Why: DIET always picks the nearest intent, even for a keyboard mash. « zblorg kwarf plimp » was
read as `informer` at 0.80 by one training and as `au_revoir` at 0.62 by the next; the user then
got an answer to a question they never asked. Here, at training time, the component keeps every
word of the training data (examples, lookup tables, synonyms); at run time, a message none of
whose words is known, even with a typo (« bonjur » is close to « bonjour »), gets the intent
`nlu_fallback`: the bot says it did not understand and shows its help buttons.

Left alone: messages with a digit (codes, numbers, dates are information), messages from which
an entity was extracted, and messages with a known word or a close one. A name typed in a sandbox
form (« Garnier ») may be routed to `nlu_fallback`: the forms take the text itself, whatever the
intent, so nothing changes for the user.

Runs after the FallbackClassifier and before the InputGuard (config.yml).
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from typing import Any, Dict, Iterable, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

VOCABULARY_FILE = "vocabulary.json"
# a word is "close" to a known one from this difflib ratio: « bonjur »/« bonjour » 0.92,
# « pasword »/« password » 0.93, « zblorg »/« bonjour » 0.46
CLOSE_RATIO = 0.8
# at most this many unknown words are compared with the vocabulary (bounds the time of a long
# mash: each comparison scans the vocabulary)
MAX_WORDS_COMPARED = 12

_WORD = re.compile(r"[^\W\d_]{2,}")


def normalise(text: str) -> str:
    """Lower case, without accents: « Reçu » and « recu » are one word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: Optional[str]) -> List[str]:
    """The words of a text (two letters or more), normalised."""
    return _WORD.findall(normalise(text or ""))


def is_unknown(text: Optional[str], vocabulary: Set[str], by_length: Dict[int, List[str]]) -> bool:
    """True when the text has words and none of them is in the vocabulary or close to a word in it."""
    if not vocabulary or not text or any(ch.isdigit() for ch in text):
        return False
    found = words(text)
    if not found or any(word in vocabulary for word in found):
        return False
    for word in found[:MAX_WORDS_COMPARED]:
        # difflib's ratio is at most 2*min/(len1+len2): only words of a near length can reach CLOSE_RATIO
        spread = max(1, len(word) // 3)
        candidates = [w for n in range(len(word) - spread, len(word) + spread + 1) for w in by_length.get(n, ())]
        if difflib.get_close_matches(word, candidates, n=1, cutoff=CLOSE_RATIO):
            return False
    return True


def _index(vocabulary: Iterable[str]) -> Dict[int, List[str]]:
    by_length: Dict[int, List[str]] = {}
    for word in sorted(vocabulary):
        by_length.setdefault(len(word), []).append(word)
    return by_length


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class UnknownWordsGuard(GraphComponent):
    """Sets `nlu_fallback` on messages made only of words unknown to the training data."""

    def __init__(self, model_storage: ModelStorage, resource: Resource, vocabulary: Optional[Set[str]] = None) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary: Set[str] = set(vocabulary or ())
        self._by_length = _index(self.vocabulary)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "UnknownWordsGuard":
        return cls(model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "UnknownWordsGuard":
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            vocabulary = []  # no vocabulary saved: the guard lets every message through
        return cls(model_storage, resource, set(vocabulary))

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary: Set[str] = set()
        for example in training_data.training_examples:
            vocabulary.update(words(example.get(TEXT)))
        for table in training_data.lookup_tables:
            elements = table.get("elements")
            if isinstance(elements, list):
                for element in elements:
                    vocabulary.update(words(str(element)))
        for original, value in training_data.entity_synonyms.items():
            vocabulary.update(words(original))
            vocabulary.update(words(value))
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(
                json.dumps(sorted(vocabulary), ensure_ascii=False), encoding="utf-8"
            )
        self.vocabulary = vocabulary
        self._by_length = _index(vocabulary)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if message.get(ENTITIES) or not is_unknown(message.get(TEXT), self.vocabulary, self._by_length):
                continue
            intent = {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 1.0}
            ranking = [
                r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != DEFAULT_NLU_FALLBACK_INTENT_NAME
            ]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent] + ranking, add_to_output=True)
        return messages
