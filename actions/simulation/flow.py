"""Start, stop and help, the same for every exercise."""

from __future__ import annotations

from typing import Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import simulation_answers as txt
from actions.sandbox.service import Sandbox

from .common import call, reset_events


class ActionSimulationIntro(Action):
    """First message of an exercise: it is a simulation, and the demo dossiers to use."""

    def name(self) -> Text:
        return "action_simulation_intro"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in ("simuler_creation", "simuler_connexion"):
            intro = txt.intro_creation() if intent == "simuler_creation" else txt.intro_connexion()
            for text in intro:  # one short message each (at most 60 words a message)
                dispatcher.utter_message(text=text)
        else:
            dispatcher.utter_message(text=txt.INTRO_RDV)
        return reset_events()


class ActionStop(Action):
    """« annuler » / « stop » in an exercise: the form was left; empty its slots (the trainer's
    view of a workshop shows the learner as stopped)."""

    def name(self) -> Text:
        return "action_simulation_arret"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        await call(Sandbox.stop_exercise, tracker.sender_id)
        dispatcher.utter_message(text=txt.STOPPED, buttons=txt.STOPPED_BUTTONS)
        return reset_events()


class ActionFieldHelp(Action):
    """A question in the middle of an exercise: help on the field asked, else the usual answer."""

    # Intents that, asked while this field is requested, mean "help me with this field".
    RELATED = {
        "simu_nir": {"creer_compte", "carte_vitale", "se_connecter"},
        "simu_login_nir": {"creer_compte", "carte_vitale", "se_connecter"},
        "simu_rib": {"creer_compte", "carte_vitale", "delais_traitement"},
        "simu_vitale": {"creer_compte", "carte_vitale"},
        "simu_code_perso": {"code_perdu", "code_provisoire", "se_connecter", "creer_compte"},
        "simu_login_code": {"code_perdu", "code_provisoire", "se_connecter"},
        "simu_code_securite": {"code_non_recu", "verifier_spams", "code_expire", "se_connecter"},
        "simu_envoi_code": {"code_non_recu", "verifier_spams", "code_expire", "se_connecter"},
        "simu_ordi_perso": {"code_non_recu", "verifier_spams", "se_connecter", "depuis_ordinateur", "france_services"},
        "simu_support": {"se_connecter", "france_services"},
        "simu_contacts": {"creer_compte", "code_provisoire"},
        "simu_email": {"creer_compte", "lien_validation"},
        "simu_mobile": {"creer_compte"},
        "simu_cgu": {"creer_compte"},
    }

    def name(self) -> Text:
        return "action_simulation_aide"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        requested = tracker.get_slot("requested_slot") or ""
        if intent in self.RELATED.get(requested, set()) and requested in txt.FIELD_HELP:
            buttons = [txt.MAILBOX_BUTTON] if requested in ("simu_code_securite", "simu_envoi_code") else None
            dispatcher.utter_message(text=txt.FIELD_HELP[requested], buttons=buttons)
        elif intent in txt.IN_EXERCISE:
            # « on est à la France Services » is about the exercise: no office search in the middle
            dispatcher.utter_message(text=txt.IN_EXERCISE[intent])
        elif f"utter_{intent}" in (domain.get("responses") or {}):
            dispatcher.utter_message(response=f"utter_{intent}")
        else:
            dispatcher.utter_message(text=txt.FIELD_HELP.get(requested, txt.YES_NO))
        return []
