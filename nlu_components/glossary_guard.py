"""GlossaryGuard: a question about a word is a question about a word, whatever the word.

Why (issue 20): « c quoi un rib ?? » after the creation answer got the creation answer again
(DIET read `creer_compte`: the message is about a RIB, which belongs to the creation); « c'est quoi
un navigateur ? » started the trainer command « changer de navigateur ». A word asked about, in
« c'est quoi X », « X ça veut dire quoi », « je trouve pas X » (X a number or a document) or X
typed alone, gets the intent `definir` here, and `action_definir` explains it.

The terms and the question wordings are in nlu_components/vocabulary.py (typos and SMS spelling
included); words a topic already answers (spams, the social security number…) are left to DIET.
Not trainable: it adds nothing to the training time. Runs after the UnknownWordsGuard and before
the InputGuard, whose decisions on empty input and secrets stay final (config.yml).
"""

from __future__ import annotations

import re
from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.overrides import Guard, put_first
from nlu_components.vocabulary import find_term, glossary_question

DEFINITION_INTENT = "definir"
# Trainer commands act on the sandbox: a question is never one (« c'est quoi un navigateur ? »,
# « comment on change de navigateur ? »): when it names a word of the glossary, it is that word's.
TRAINER_INTENTS = frozenset({"changer_navigateur", "avancer_horloge", "simulation_reset"})
_QUESTION = re.compile(r"\?|\b(comment|pourquoi|quoi|koi|quel|quelle|est-ce|est ce)\b", re.IGNORECASE)
# ... but a polite request is a command: « Pouvez-vous simuler un changement de navigateur, s'il vous
# plaît ? » (its « ? » asks for the command, not about the word).
_REQUEST = re.compile(
    r"^\W*(pouvez|pourriez|pourrais|peux|peut|voulez|vous pouvez|tu peux|tu pourrais|on peut|est-ce que vous pouvez)"
    r"[- ]?(vous|tu|on)?\b(?!.*\b(comment|pourquoi|quoi|koi|quel|quelle)\b)",
    re.IGNORECASE,
)


def is_definition(text: str, intent: str) -> bool:
    """A question about a word; or a trainer command's words asked as a question, about a word."""
    if glossary_question(text) is not None:
        return True
    return (
        intent in TRAINER_INTENTS
        and bool(_QUESTION.search(text))
        and not _REQUEST.search(text)
        and find_term(text) is not None
    )


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class GlossaryGuard(Guard):
    """Sets `definir` on questions about a word of the glossary."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            current = message.get(INTENT) or {}
            if not text or text.startswith("/") or current.get("name") == DEFINITION_INTENT:
                continue
            if not is_definition(text, current.get("name") or ""):
                continue
            put_first(message, DEFINITION_INTENT)
        return messages
