"""Route empty, oversize, emoji-only or markup-only messages to `entree_invalide`, and
messages holding a secret to `informer` with a secret entity.

Runs last in the pipeline, after the FallbackClassifier, so its decision is final:
the classifiers before it never have to guess what "😀😀😀" or « mdp: 48151623 » means.
- bad input -> `entree_invalide`, answered by `action_entree_invalide` with a clear French message;
- a secret (common/secret_detector.py: NIR, password, code, IBAN, long number) -> `informer`;
  the entities DIET found stay as they are (the tracker store and the logs blank the secret
  ones). Outside an exercise `action_informer` warns (answers.SECRET_WARNING, never an echo),
  then answers the question DIET read, if any: DIET's ranking is kept below `informer`. Inside an
  exercise's form the slot is filled from the text as before (`informer` is never a form's
  not_intent).
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from common.formats import CODE_PROVISOIRE_LENGTHS
from common.input_checks import invalid_reason
from common.names import FORM_SECRET_ENTITIES
from common.secret_detector import find_secrets, has_secret
from nlu_components.overrides import Guard, put_first

INVALID_INPUT_INTENT = "entree_invalide"
SECRET_INTENT = "informer"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InputGuard(Guard):
    """Overrides the intent of messages that carry no question."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if invalid_reason(text) is not None:
                intent = {"name": INVALID_INPUT_INTENT, "confidence": 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
                message.set(ENTITIES, [], add_to_output=True)
                continue
            entities = message.get(ENTITIES) or []
            if has_secret(text):
                put_first(message, SECRET_INTENT)
                entities = _without_secret_lookalikes(text, entities)
            message.set(ENTITIES, _without_short_codes(entities), add_to_output=True)
        return messages


def _without_short_codes(entities: List[dict]) -> List[dict]:
    """A `code` of fewer than 4 digits is never a code (the shortest, the code provisoire, has 4):
    the « 4 » of « un code provisoire à 4 chiffres » read as a code is dropped."""
    return [
        e
        for e in entities
        if not isinstance(e, dict)
        or e.get("entity") != "code"
        or sum(c.isdigit() for c in str(e.get("value", ""))) >= min(CODE_PROVISOIRE_LENGTHS)
    ]


def _without_secret_lookalikes(text: str, entities: List[dict]) -> List[dict]:
    """The entities a form takes a fictitious secret from (FORM_SECRET_ENTITIES) stay; any other
    entity DIET found inside a secret (« Loulou75 » of « mot de passe = Loulou75 » read as a town)
    is dropped: no slot may take it."""
    spans = [(s.start, s.end) for s in find_secrets(text)]
    return [
        e
        for e in entities
        if not isinstance(e, dict)
        or e.get("entity") in FORM_SECRET_ENTITIES
        or not any(start < e.get("end", -1) and e.get("start", -1) < end for start, end in spans)
    ]
