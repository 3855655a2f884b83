"""Never the same answer twice in a row: Rasa's response generator, with a memory of the last turns.

Why (issue 20): « mais jai pas de compte », then « rib », then a question about France Services
got the same two creation bubbles three times; « Le code de sécurité est refusé dans deux cas… »
came back to « code expiré », « ça bloque ou quoi ? » and « je dois attendre combien de temps ? ».
Rules answer an intent with its response; DIET reads all those messages as the same topic.

Rasa renders every response (`utter_…`, from a rule or sent by a custom action) through the
generator named in endpoints.yml (`nlg: type: server_ext.nlg.NoRepeatGenerator`), with the
conversation's tracker. Here, a response whose text the bot already sent in one of its last
REPEAT_WINDOW turns, to another message, is not sent again; instead, in this order:
1. a word of the glossary in the new message (« j'ai pas de rib ») -> that word explained, unless
   it is the topic's own word (« le code de sécurité marche pas » on the code topic);
2. the first time -> what is missing: « Qu'est-ce qui vous bloque ? », with the sub-questions
   of the topic, and the guided mode when the topic has one (answers.REPEAT_*);
3. after that -> an apology and a person (36 46, France Services).
The other bubbles of that same answer are dropped.
The glossary's response `utter_definir` is rendered here too: the word of the message, explained.
Those texts come from the answers modules (answers.REPEAT_*, glossary, guides) through
no_repeat_texts.json, written with domain.yml by `make domain`: this module imports no code of the
action server. A turn that already said something new
(an exercise's hint, a definition) may ask its question again: that is going back to where the
person was, not a repeat. A form's question (`utter_ask_<slot>`) is always asked: after a wrong
value it is the same question on purpose. The same message sent twice gets the same answer.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.events import BotUttered, UserUttered

from common import log_redaction
from common.turns import turns

# The glossary's response (actions/glossary.py RESPONSE): its text is the word of the message explained.
DEFINITION_RESPONSE = "utter_definir"
# Metadata of a bubble said instead of a repeat (kept in the tracker, read on the next turns).
MARK = "no_repeat"
# A text sent in one of the bot's last turns is not sent again (the current turn not counted).
REPEAT_WINDOW = 2
# The responses a form asks its questions with (Rasa's naming): never replaced.
FORM_QUESTION_PREFIX = "utter_ask_"
# What it says instead of a repeat, and the glossary's definitions (`texts()`).
TEXTS_FILE = Path(__file__).with_name("no_repeat_texts.json")
_TEXTS: Optional[Dict[str, Any]] = None


def _said(events: List[Any]) -> List[BotUttered]:
    """The bot's bubbles among `events` (what the person saw)."""
    return [event for event in events if isinstance(event, BotUttered) and event.text]


class NoRepeatGenerator(TemplatedNaturalLanguageGenerator):
    """Rasa's own templated generator (variations, slots, channels), that never repeats itself."""

    def __init__(self, endpoint_config: Any = None, domain: Any = None) -> None:
        log_redaction.install()  # an entry point of the Rasa server (endpoints.yml), `rasa shell` too
        super().__init__(domain.responses if domain is not None else {})

    async def generate(
        self, utter_action: Text, tracker: Any, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        response = await super().generate(utter_action, tracker, output_channel, **kwargs)
        if utter_action == DEFINITION_RESPONSE:
            response = _definition(tracker) or response
        if not response or not response.get("text") or utter_action.startswith(FORM_QUESTION_PREFIX):
            return response
        recent = turns(tracker.events, REPEAT_WINDOW, lambda event: isinstance(event, UserUttered))
        users = [user.text or "" for user in recent.users]
        if len(users) < 2:
            return response
        current = _said(recent.current)
        said = [bubble for turn in recent.previous for bubble in _said(turn)]
        said_texts = {bubble.text for bubble in said}
        if response["text"] not in said_texts:
            return response
        if any(bubble.metadata.get(MARK) for bubble in current):
            return {}  # the rest of an answer already replaced
        if any(bubble.text not in said_texts for bubble in current):
            return response  # something new was said first: this is going back, not repeating
        if users[0].strip().lower() == users[1].strip().lower():
            return response  # the same message again
        return _instead(tracker, users[0], said)

    def _fill_response(
        self, response: Dict[Text, Any], filled_slots: Optional[Dict[Text, Any]] = None, **kwargs: Any
    ) -> Dict[Text, Any]:
        """Rasa fills the `{slot}`s of a response; a button's payload is left out of it, as written:
        `/definir{"terme":"rib"}` holds JSON, not a slot, and Rasa's interpolator logged an ERROR
        for each such button (KeyError '"terme":"rib"') before giving the payload back unchanged."""
        buttons = response.get("buttons")
        if not isinstance(buttons, list):
            return super()._fill_response(response, filled_slots, **kwargs)
        written = [dict(button) if isinstance(button, dict) else None for button in buttons]
        response["buttons"] = [
            {key: value for key, value in button.items() if key != "payload"} if isinstance(button, dict) else button
            for button in buttons
        ]
        filled = super()._fill_response(response, filled_slots, **kwargs)
        filled["buttons"] = [
            button
            if original is None or not isinstance(button, dict)
            else {key: original[key] if key == "payload" else button.get(key, original[key]) for key in original}
            for button, original in zip(filled["buttons"], written)
        ]
        return filled


def texts() -> Dict[str, Any]:
    """What this generator says of its own (server_ext/no_repeat_texts.json, written by `make domain`
    from the answers modules: the Rasa server never imports the action server's code). Read on
    the first render, not on import."""
    global _TEXTS
    if _TEXTS is None:
        _TEXTS = json.loads(TEXTS_FILE.read_text(encoding="utf-8"))
    return _TEXTS


def _definition(tracker: Any) -> Optional[Dict[Text, Any]]:
    """The definition of the word of the latest message: a button's entity `terme`, else the word
    the text names (nlu_components/vocabulary.py)."""
    from nlu_components.vocabulary import find_term

    definitions = texts()["definitions"]
    latest = tracker.latest_message
    key = next((e.get("value") for e in (latest.entities if latest else []) if e.get("entity") == "terme"), None)
    found = definitions.get(key) or definitions.get(find_term(latest.text if latest else None))
    return copy.deepcopy(found)


def _instead(tracker: Any, text: str, said: List[BotUttered]) -> Dict[Text, Any]:
    from nlu_components.vocabulary import find_term

    wording = copy.deepcopy(texts())
    topic = tracker.get_slot("sujet") or ""
    key = find_term(text)
    found = None if key in wording["topic_words"].get(topic, ()) else wording["definitions"].get(key or "")
    definition = found["text"] if found else None
    if definition and definition not in {bubble.text for bubble in said}:
        return {"text": definition, MARK: "definition"}
    if any(bubble.metadata.get(MARK) == "question" for bubble in said):
        return {"text": wording["give_up"], "buttons": wording["give_up_buttons"], MARK: "give_up"}
    buttons = list(wording["repeat_buttons"].get(topic, []))
    guide = wording["guide_buttons"].get(topic)
    if guide:
        buttons.insert(0, guide)
    buttons.append(wording["help_button"])
    return {"text": wording["repeat_question"], "buttons": buttons, MARK: "question"}
