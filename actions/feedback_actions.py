"""👍/👎 of the web widget: the widget sends `/feedback{"avis": "positif"}` (or "negatif").

The user event (intent `feedback`, entity `avis`, and the metadata `feedback_for`: the start of
the answer judged) stays in the conversation's tracker, right after the answer it is about, so
the team finds weak answers by searching the trackers for the intent `feedback`. The action only
thanks the user; it logs the value alone, never the conversation id nor any text.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import answers

logger = logging.getLogger(__name__)

THANKS = answers.FEEDBACK_THANKS
VALUES = ("positif", "negatif")
_SYNONYMS = {
    "positif": "positif",
    "positive": "positif",
    "negatif": "negatif",
    "négatif": "negatif",
    "negative": "negatif",
    "négative": "negatif",
}


def feedback_value(tracker: Tracker) -> Optional[str]:
    """The avis of the latest message, normalised to "positif" or "negatif" (None if absent)."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "avis":
            value = _SYNONYMS.get(str(entity.get("value", "")).strip().lower())
            if value:
                return value
    return None


class ActionFeedback(Action):
    """Thank the user for the 👍/👎; the feedback itself is the user event in the tracker."""

    def name(self) -> Text:
        return "action_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        logger.info("feedback received: %s", feedback_value(tracker) or "sans valeur")
        dispatcher.utter_message(text=THANKS)
        return []
