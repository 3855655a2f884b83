"""Custom actions: thin adapters between Rasa and the texts/rules of the project."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions import answers
from actions.locator_actions import choice_buttons, nearby_office, place_reply, resolve
from common.input_checks import invalid_reason
from common.names import SECRET_ENTITIES
from common.secret_detector import has_secret, is_secret_number

PLACE_ENTITIES = ("code_postal", "commune")
# Intents that cannot be offered as a "did you mean" topic.
NOT_TOPICS = {"nlu_fallback", "entree_invalide", "informer", "affirmer", "nier", "hors_sujet"}
# A question asked with a secret in it (« le code 4826 de l'accueil ne marche pas »): after the
# warning, the answer of the question DIET read, when DIET was sure enough (its best intent,
# kept by the InputGuard below `informer`). Topics answered by a plain response only.
SECRET_FOLLOW_UP_CONFIDENCE = 0.5
SECRET_FOLLOW_UP_RESPONSES = {
    "creer_compte": "utter_creer_compte",
    "se_connecter": "utter_connexion_choix",
    "code_non_recu": "utter_code_non_recu",
    "code_expire": "utter_code_expire",
    "code_perdu": "utter_code_perdu",
    "verifier_spams": "utter_verifier_spams",
    "prendre_rdv": "utter_prendre_rdv",
    "delais_traitement": "utter_delais_traitement",
    "carte_vitale": "utter_carte_vitale",
    "code_provisoire": "utter_code_provisoire",
    "lien_validation": "utter_lien_validation",
}


def gives_a_secret(text: Any, entities: Dict[str, Any]) -> bool:
    """The detector's word (common/secret_detector.py), e-mail addresses included outside the
    exercises; and a NIR or code DIET found that is a number of a secret length (« 4826 »)."""
    if has_secret(text, emails=True):
        return True
    return any(is_secret_number(entities.get(name), text) for name in SECRET_ENTITIES if name in entities)


def question_with_the_secret(tracker: Tracker, domain: Dict[Text, Any]) -> Optional[str]:
    """The response answering the question asked along with a secret, or None."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    if len(ranking) < 2 or (ranking[0] or {}).get("name") != "informer":
        return None
    best = ranking[1] or {}
    response = SECRET_FOLLOW_UP_RESPONSES.get(best.get("name"))
    if response is None or (best.get("confidence") or 0) < SECRET_FOLLOW_UP_CONFIDENCE:
        return None
    return response if response in (domain.get("responses") or {}) else None


class ActionAskAffirmation(Action):
    """First stage of the fallback: offer the two likeliest topics as buttons."""

    def name(self) -> Text:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        topics = [
            item["name"]
            for item in ranking
            if item.get("name") in answers.INTENT_LABELS and item["name"] not in NOT_TOPICS
        ][:2]
        buttons = [answers.button(answers.INTENT_LABELS[t], t) for t in topics]
        buttons.append(answers.FALLBACK_NONE_OF_THESE)
        dispatcher.utter_message(text=answers.FALLBACK_QUESTION, buttons=buttons)
        return []


class ActionInvalidInput(Action):
    """A clear answer to an empty, oversize, emoji-only or markup-only message."""

    def name(self) -> Text:
        return "action_entree_invalide"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        reason = invalid_reason(tracker.latest_message.get("text")) or "no_words"
        dispatcher.utter_message(text=answers.INVALID_INPUT[reason])
        return []


class ActionInform(Action):
    """The user gave a piece of information outside any exercise."""

    def name(self) -> Text:
        return "action_informer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        entities = {e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities", [])}
        if gives_a_secret(tracker.latest_message.get("text"), entities):
            # Never an echo: the warning, then the answer to the question asked with it, if any.
            dispatcher.utter_message(text=answers.SECRET_WARNING)
            follow_up = question_with_the_secret(tracker, domain)
            if follow_up:
                dispatcher.utter_message(response=follow_up)
        elif any(name in entities for name in PLACE_ENTITIES):
            text = entities.get("commune") or entities.get("code_postal")
            place, candidates, _ = resolve(text)
            if place is not None:
                reply, buttons = place_reply(place, candidates)
                dispatcher.utter_message(text=reply, buttons=buttons)
                return [SlotSet("lieu", text if buttons else place.label)]
            if candidates:
                dispatcher.utter_message(text=answers.LOCATOR_WHICH_ONE, buttons=choice_buttons(candidates))
                return [SlotSet("lieu", None)]
            dispatcher.utter_message(text=answers.PLACE_RECEIVED.format(place=text, map=answers.MAP))
        else:
            # Read as "information given" but nothing recognisable in it: keyboard mash and unknown
            # words land here (they look like a town nobody has heard of), so say it was not
            # understood, as the fallback does, rather than thank the user for it. So do a date or
            # a phone number given on their own: not secrets, no warning (issue 19).
            dispatcher.utter_message(text=answers.DEFAULT_FALLBACK, buttons=answers.HELP_BUTTONS)
        return []


class ActionAskRephrase(Action):
    """Second stage of the fallback: ask the user to say it another way."""

    def name(self) -> Text:
        return "action_default_ask_rephrase"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=answers.ASK_REPHRASE)
        return []


class ActionDefaultFallback(Action):
    """Last stage: say so, offer the help options, forget the message not understood."""

    def name(self) -> Text:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=answers.DEFAULT_FALLBACK, buttons=answers.HELP_BUTTONS)
        nearby = nearby_office(tracker.get_slot("lieu"))
        if nearby:
            dispatcher.utter_message(text=nearby)
        return [UserUtteranceReverted()]
