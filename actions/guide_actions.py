"""The guided mode in Rasa: one action drives every guide of actions/guides.py.

The slot `guide_etape` ("creation:3") holds the guide under way and its step; the rules of
data/guide_rules.yml send « guidez-moi », « C'est fait », « Je bloque », « Répéter » and
« arrêter » here. Any other question is answered by its own rule in the middle of a guide,
and the slot keeps the step: « Répéter » (or « reprendre le guide ») comes back to it.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import answers, guides, simulation_answers

SLOT = "guide_etape"
# Topics after which « ça bloque » means the codes are blocked (no guide under way)
CODE_TOPICS = ("code_expire", "code_non_recu", "bloque_codes")
STEP_BUTTONS = [
    answers.button(guides.FAIT, "etape_faite"),
    answers.button(guides.BLOQUE, "je_bloque"),
    answers.button(guides.REPETER, "repeter"),
    answers.button(guides.ARRETER, "arreter"),
]
# After the last step of a guide: what to offer next.
NEXT: Dict[str, List[Dict[str, str]]] = {
    "creation": [answers.guide_button("ordinateur"), answers.HELP_BUTTON],
}


def choice_buttons() -> List[Dict[str, str]]:
    """One « start this guide » button per guide."""
    return [answers.button(guide.title, "guide_moi", guide=name) for name, guide in guides.GUIDES.items()]


def requested_guide(tracker: Tracker) -> Optional[str]:
    """The guide asked for: the button's entity, else the offer of the bot's last turn
    (« oui » to « Je vous guide pas à pas ? »), else the topic under discussion (slot `sujet`)."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "guide" and entity.get("value") in guides.GUIDES:
            return entity["value"]
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users > 1:
                break
        elif event.get("event") == "action" and event.get("name") in guides.GUIDE_OFFERS:
            return guides.GUIDE_OFFERS[event["name"]]
    return guides.TOPIC_GUIDES.get(tracker.get_slot("sujet") or "")


class ActionGuide(Action):
    """Start, advance, repeat or stop a guide; « Je bloque » answers the step's problem."""

    def name(self) -> Text:
        return "action_guide"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        current = guides.parse_state(tracker.get_slot(SLOT))

        if intent == "arreter":
            if current is None:
                dispatcher.utter_message(
                    text=simulation_answers.NOTHING_TO_STOP, buttons=simulation_answers.NOTHING_TO_STOP_BUTTONS
                )
                return []
            dispatcher.utter_message(text=guides.STOPPED, buttons=answers.MENU_BUTTONS)
            return [SlotSet(SLOT, None)]

        if intent in ("guide_moi", "affirmer"):
            name = requested_guide(tracker)
            if name is None:
                dispatcher.utter_message(text=guides.NO_GUIDE, buttons=choice_buttons())
                return []
            guide = guides.GUIDES[name]
            dispatcher.utter_message(text=guides.START.format(ready=guide.ready))
            return self._show(dispatcher, guide, 0)

        if current is None and intent == "je_bloque" and tracker.get_slot("sujet") in CODE_TOPICS:
            # « ça bloque ou quoi ? » right after a code refused or not received: the limit and the
            # wait, not « which guide? » (issue 20: context decides)
            dispatcher.utter_message(response="utter_codes_bloques")
            return []
        if current is None:  # « C'est fait », « Je bloque », « Répéter » with no guide under way
            dispatcher.utter_message(text=guides.NO_GUIDE, buttons=choice_buttons())
            return []

        guide, index = current
        if intent == "etape_faite":
            if index + 1 >= len(guide.steps):
                dispatcher.utter_message(text=guide.done, buttons=NEXT.get(guide.name, [answers.HELP_BUTTON]))
                return [SlotSet(SLOT, None)]
            return self._show(dispatcher, guide, index + 1)
        if intent == "je_bloque":
            dispatcher.utter_message(text=guide.steps[index].stuck)
        return self._show(dispatcher, guide, index)  # « Répéter », and back to the step after « Je bloque »

    @staticmethod
    def _show(dispatcher: CollectingDispatcher, guide: guides.Guide, index: int) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=guides.step_text(guide, index), buttons=STEP_BUTTONS)
        return [SlotSet(SLOT, guides.state(guide, index))]
