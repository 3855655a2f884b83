"""Thanks read in context (issue 20, item 5): « merci » after a failure is not « Avec plaisir ».

A thin adapter: the texts are in actions/answers.py (`THANKS`,
`THANKS_AFTER_FAILURE`). The previous bot turn decides: a fallback, a complaint answered, a
message in another language, an off-topic answer or a dead end (« toujours pas » answers, the
help options, the lockout) is a failure; so is a thanks said « quand même ».
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import answers
from actions.locator_actions import nearby_office
from common.turns import previous_bot_turn

# Bot actions after which a thanks is a thanks for nothing.
FAILURE_ACTIONS = frozenset(
    {
        "action_default_fallback",
        "action_default_ask_affirmation",
        "action_default_ask_rephrase",
        "action_two_stage_fallback",
        "utter_plainte",
        "utter_autre_langue",
        "utter_hors_sujet",
        "utter_aide_options",
        "utter_codes_bloques",
    }
)
# Texts a custom action sends when it did not understand (action_informer's fallback).
FAILURE_TEXTS = frozenset(
    {answers.DEFAULT_FALLBACK, answers.ASK_REPHRASE, answers.FALLBACK_QUESTION, answers.THANKS_AFTER_FAILURE}
)
# « merci quand même », « tant pis, merci »: the person says it did not work.
RESIGNED = re.compile(r"quand m[eê]me|qd m[eê]me|tant pis|malgr[ée] tout", re.IGNORECASE)


def is_failure(turn: Iterable[Dict[str, Any]]) -> bool:
    """True when the bot's turn did not help: a failure action, a dead end, a fallback text."""
    for event in turn:
        name = event.get("name") or ""
        if event.get("event") == "action" and (name in FAILURE_ACTIONS or name.endswith("_relance")):
            return True
        if event.get("event") == "bot" and (event.get("text") or "") in FAILURE_TEXTS:
            return True
    return False


class ActionThanks(Action):
    """« Avec plaisir » after a help that worked; an apology and a human otherwise."""

    def name(self) -> Text:
        return "action_remercier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        if RESIGNED.search(text) or is_failure(previous_bot_turn(tracker.events)):
            dispatcher.utter_message(text=answers.THANKS_AFTER_FAILURE, buttons=answers.THANKS_AFTER_FAILURE_BUTTONS)
            nearby = nearby_office(tracker.get_slot("lieu"))
            if nearby:
                dispatcher.utter_message(text=nearby)
        else:
            dispatcher.utter_message(text=answers.THANKS)
        return []
