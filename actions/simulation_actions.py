"""Rasa actions of the sandbox exercises: thin adapters over actions/sandbox (the `Sandbox` façade).

Every rule and every refusal message lives in the sandbox. These actions only:
- read what the user typed and hand it to the sandbox;
- show the sandbox's answer;
- choose the next question from the sandbox's answer (`simu_etape`, a slot the user cannot set:
  its mapping is `custom`, so `/intent{"simu_etape": ...}` does nothing).

Who is logged in, and on which device, lives in the sandbox keyed by tracker.sender_id.
Secrets (code personnel, code provisoire, security code) go to the sandbox and the slot is
emptied in the same validation; they are never repeated back.
"""
from __future__ import annotations

import hashlib
import os
from abc import ABC, abstractmethod
import re
import secrets
from datetime import timedelta
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import simulation_answers as txt
from actions.answers import HELP_BUTTONS, button
from actions.sandbox import identifiers, mailbox, policy
from actions.sandbox.messages import FOLDER_LABELS, format_datetime, message
from actions.sandbox.reasons import Reason
from actions.sandbox.service import Sandbox, get_sandbox

CREATION_FORM = "simulation_creation_form"
CONNEXION_FORM = "simulation_connexion_form"
RDV_FORM = "simulation_rdv_form"

# The slots of the exercises; the intro of each exercise empties them.
FORM_SLOTS = [
    "simu_nir", "simu_nom", "simu_naissance", "simu_rib", "simu_vitale", "simu_cgu", "simu_email",
    "simu_mobile", "simu_code_perso", "simu_login_nir", "simu_login_code", "simu_envoi_code",
    "simu_ordi_perso", "simu_code_securite", "simu_motif", "simu_creneau", "simu_confirmation",
]
CONTROL_SLOTS = ["simu_etape", "simu_fin", "simu_essais"]

# Which questions come next, for each step the sandbox reports.
STEP_SLOTS: Dict[str, List[str]] = {
    "identite": ["simu_nir", "simu_nom", "simu_naissance"],
    "rib": ["simu_rib"],
    "vitale": ["simu_vitale"],
    "terms": ["simu_cgu"],
    "contact": ["simu_email", "simu_mobile"],
    "code": ["simu_code_perso"],
    "done": [],
    "login": ["simu_login_nir", "simu_login_code"],
    "code_requis": ["simu_envoi_code"],
    "code_envoye": ["simu_ordi_perso", "simu_code_securite"],
    "connecte": [],
}

YES = {"oui", "o", "ok", "yes", "ouais", "d'accord", "daccord", "j'accepte", "jaccepte", "accepte", "je coche",
       "coche", "oui je coche", "je confirme", "confirme", "vas-y", "vas y", "go"}
NO = {"non", "n", "no", "nan", "je refuse", "refuse", "pas coché", "je ne coche pas", "non merci"}

_NIR_IN_TEXT = re.compile(r"[1-478](?:[ .]?\d){4}[ .]?(?:\d{2}|2[ABab])(?:[ .]?\d){8}")
# A question typed where a value was expected (« c'est quoi le RIB ? »): help, not a wrong answer.
_QUESTION = re.compile(
    r"\?|^\s*(c'?est quoi|c koi|ckoi|qu'?est[- ]ce|ou |où |comment|pourquoi|je (ne )?(le )?trouve pas|"
    r"j'?(le )?trouve pas|je sais pas|je ne sais pas|jsp|aide)", re.IGNORECASE
)
_LINK_IN_TEXT = re.compile(re.escape(policy.VALIDATION_LINK_BASE) + r"[A-Za-z0-9_\-]+")
_DURATION = re.compile(
    r"(\d+)\s*(minutes?|mins?|mn|m|heures?|h|jours?|j|d|semaines?|sem)\b", re.IGNORECASE
)


# -- small helpers -------------------------------------------------------------------------


def sandbox() -> Sandbox:
    return get_sandbox()


def entity(tracker: Tracker, name: str) -> Optional[str]:
    for item in tracker.latest_message.get("entities") or []:
        if item.get("entity") == name and item.get("value") not in (None, ""):
            return str(item["value"])
    return None


def device_id(tracker: Tracker) -> str:
    """The browser of this conversation: the one stored in the sandbox (after « changer de
    navigateur » or a login), else the channel's metadata `device_id`, else one derived from
    the sender id."""
    stored = sandbox().device_of(tracker.sender_id)
    if stored:
        return stored
    metadata: Dict[str, Any] = tracker.latest_message.get("metadata") or {}
    if not metadata:
        for event in reversed(tracker.events or []):
            if event.get("event") == "user":
                metadata = event.get("metadata") or {}
                break
    sent = metadata.get("device_id") if isinstance(metadata, dict) else None
    if sent:
        return str(sent)[:128]
    return "chat-" + hashlib.sha256(tracker.sender_id.encode("utf-8")).hexdigest()[:16]


def yes_no(value: Any) -> Optional[bool]:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower().rstrip(" !.")
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def compact_digits(text: str) -> str:
    """'mon code c'est 2468 1357' -> '24681357' when the message holds one group of digits."""
    groups = re.findall(r"\d[\d .\u00a0]*\d|\d", text or "")
    if len(groups) == 1:
        return re.sub(r"\D", "", groups[0])
    return (text or "").strip()


def folder_label(folder: str) -> str:
    return FOLDER_LABELS.get(folder, folder)


# -- base validation: counts retries per slot ----------------------------------------------


class SimulationValidation(FormValidationAction):
    """Base of the exercises' validation actions.

    Counts the wrong answers per slot (`simu_essais`); past MAX_TRIES the form ends kindly
    (`simu_fin` = "essais") and the form's closing action offers the help options.
    The next question follows `simu_etape`, set only from the sandbox's answers.
    """

    MAX_TRIES = 3
    FIRST_STEP = "identite"

    @abstractmethod
    def name(self) -> Text:  # pragma: no cover - subclasses
        raise NotImplementedError

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        if tracker.get_slot("simu_fin"):
            return []
        step = tracker.get_slot("simu_etape") or self.FIRST_STEP
        return list(STEP_SLOTS.get(step, []))

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Optional[Dict[Text, Any]]:
        """Always choose the next question here (rasa_sdk leaves it to Rasa when the list
        equals the domain's); None ends the form."""
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        return SlotSet("requested_slot", next((s for s in required if tracker.slots.get(s) is None), None))

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """A question typed instead of the value: help on the field, ask again, no try counted."""
        requested = tracker.get_slot("requested_slot")
        text = tracker.latest_message.get("text") or ""
        if requested in tracker.slots_to_validate() and not text.startswith("/") and _QUESTION.search(text):
            dispatcher.utter_message(text=txt.FIELD_HELP.get(requested, txt.YES_NO))
            return [SlotSet(requested, None)]
        return await super().get_validation_events(dispatcher, tracker, domain)

    def wrong(self, slot: str, text: str, dispatcher: CollectingDispatcher, tracker: Tracker,
              extra: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """A wrong answer: say why, count it, and end the exercise past the limit."""
        tries = dict(tracker.get_slot("simu_essais") or {})
        tries[slot] = tries.get(slot, 0) + 1
        result: Dict[str, Any] = {slot: None, "simu_essais": tries}
        result.update(extra or {})
        if tries[slot] >= self.MAX_TRIES:
            dispatcher.utter_message(text=f"{text}\n{txt.TOO_MANY_TRIES}")
            result["simu_fin"] = "essais"
        else:
            dispatcher.utter_message(text=text)
        return result

    def stop(self, text: str, reason: str, dispatcher: CollectingDispatcher, values: Dict[str, Any]) -> Dict[str, Any]:
        """The sandbox refused for good (sheet's blocking cases): say why; the form ends."""
        dispatcher.utter_message(text=text)
        return {**values, "simu_fin": reason}

    # Shared by the creation and the code provisoire route (sheet 1.1).

    def validate_simu_cgu(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        accepted = yes_no(value)
        if accepted is None:
            return self.wrong("simu_cgu", txt.YES_NO, dispatcher, tracker)
        result = sandbox().accept_terms(tracker.sender_id, accepted)
        if result.ok:
            dispatcher.utter_message(text=txt.OK)
            return {"simu_cgu": None, "simu_etape": result.data.get("step")}
        if result.reason is Reason.TERMS_REFUSED:
            return self.stop(f"{result.message} {txt.TERMS_REFUSED_END}", "refus", dispatcher, {"simu_cgu": None})
        return self.wrong("simu_cgu", result.message, dispatcher, tracker)

    def validate_simu_email(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[Text, Any]:
        typed = entity(tracker, "email") or str(value or "")
        check = identifiers.check_email(typed)
        if not check.ok:
            return self.wrong("simu_email", message(check.reason), dispatcher, tracker)
        return {"simu_email": check.value}

    def validate_simu_mobile(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        typed = entity(tracker, "telephone") or str(value or "")
        email = tracker.get_slot("simu_email")
        if not email:
            return {"simu_mobile": None}
        result = sandbox().set_contact_details(tracker.sender_id, email, typed)
        if result.ok:
            if result.reason is Reason.VALIDATION_MAIL_SENT:
                dispatcher.utter_message(text=result.message)
            else:
                dispatcher.utter_message(text=txt.OK)
            return {"simu_mobile": None, "simu_email": None, "simu_etape": result.data.get("step")}
        if result.reason is Reason.EMAIL_TAKEN or result.reason is Reason.EMAIL_FORMAT:
            return self.wrong("simu_email", result.message, dispatcher, tracker, {"simu_mobile": None})
        if result.reason is Reason.MOBILE_FORMAT:
            return self.wrong("simu_mobile", result.message, dispatcher, tracker)
        return self.stop(result.message, "erreur", dispatcher, {"simu_mobile": None})

    def validate_simu_code_perso(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        result = sandbox().choose_code_personnel(tracker.sender_id, compact_digits(str(value or "")))
        if result.ok:
            if result.reason is Reason.VALIDATION_MAIL_SENT:
                dispatcher.utter_message(text=result.message)
            else:
                dispatcher.utter_message(text=txt.OK)
            return {"simu_code_perso": None, "simu_etape": result.data.get("step")}
        if result.reason is Reason.CODE_PERSONNEL_FORMAT:
            return self.wrong("simu_code_perso", result.message, dispatcher, tracker)
        if result.reason is Reason.EMAIL_TAKEN:
            return self.wrong("simu_email", result.message, dispatcher, tracker,
                              {"simu_code_perso": None, "simu_etape": "contact"})
        return self.stop(result.message, "erreur", dispatcher, {"simu_code_perso": None})


class ValidateCreationForm(SimulationValidation):
    """Sheet 07: identity, RIB, carte Vitale, terms, e-mail + mobile, code personnel."""

    FIRST_STEP = "identite"

    def name(self) -> Text:
        return f"validate_{CREATION_FORM}"

    def validate_simu_nir(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        typed = entity(tracker, "nir") or _nir_from_text(str(value or ""))
        check = identifiers.check_nir(typed)
        if check.reason is Reason.NIR_PROVISIONAL:
            return self.stop(message(check.reason), "refus", dispatcher, {"simu_nir": None})
        if not check.ok:
            return self.wrong("simu_nir", message(check.reason), dispatcher, tracker)
        return {"simu_nir": identifiers.format_nir(check.value or "")}

    def validate_simu_nom(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        name = str(value or "").strip()
        if not name or not re.search(r"[^\W\d_]", name) or len(name) > 80:
            return self.wrong("simu_nom", txt.NAME_FORMAT, dispatcher, tracker)
        return {"simu_nom": name}

    def validate_simu_naissance(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        born = identifiers.parse_birth_date(str(value or "").strip())
        if born is None:
            return self.wrong("simu_naissance", message(Reason.BIRTH_DATE_FORMAT), dispatcher, tracker)
        nir, name = tracker.get_slot("simu_nir"), tracker.get_slot("simu_nom")
        if not nir or not name:
            return {"simu_naissance": born.strftime("%d/%m/%Y")}
        result = sandbox().start_creation(tracker.sender_id, nir, name, born)
        if result.ok:
            dispatcher.utter_message(text=result.message)
            return {"simu_naissance": None, "simu_nir": None, "simu_nom": None, "simu_etape": result.data["step"]}
        reset = {"simu_nir": None, "simu_nom": None, "simu_naissance": None}
        if result.reason is Reason.IDENTITY_MISMATCH:
            return self.wrong("simu_naissance", result.message, dispatcher, tracker, reset)
        # Sheet 07's blocking cases: account exists, no RIB, file being transferred.
        return self.stop(f"{result.message}\n{txt.CREATION_REFUSED}", "refus", dispatcher, reset)

    def validate_simu_rib(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        result = sandbox().confirm_rib(tracker.sender_id, str(value or ""))
        if result.ok:
            dispatcher.utter_message(text=txt.OK)
            return {"simu_rib": None, "simu_etape": result.data["step"]}
        return self.wrong("simu_rib", result.message, dispatcher, tracker)

    def validate_simu_vitale(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        result = sandbox().confirm_vitale(tracker.sender_id, str(value or ""))
        if result.ok:
            dispatcher.utter_message(text=txt.OK)
            return {"simu_vitale": None, "simu_etape": result.data["step"]}
        return self.wrong("simu_vitale", result.message, dispatcher, tracker)


def _nir_from_text(text: str) -> str:
    found = _NIR_IN_TEXT.search(text or "")
    return found.group(0) if found else text


class ValidateConnexionForm(SimulationValidation):
    """Sheets 09/08/« Connexion compte ameli », and the code provisoire route of sheet 1.1."""

    FIRST_STEP = "login"

    def name(self) -> Text:
        return f"validate_{CONNEXION_FORM}"

    def validate_simu_login_nir(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        typed = entity(tracker, "nir") or _nir_from_text(str(value or ""))
        check = identifiers.check_nir(typed)
        if check.value is None:
            return self.wrong("simu_login_nir", message(check.reason), dispatcher, tracker)
        return {"simu_login_nir": identifiers.format_nir(check.value)}

    def validate_simu_login_code(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        nir = tracker.get_slot("simu_login_nir")
        if not nir:
            return {"simu_login_code": None}
        result = sandbox().login(tracker.sender_id, nir, compact_digits(str(value or "")), device_id(tracker))
        cleared = {"simu_login_code": None}
        if result.reason is Reason.SECURITY_CODE_REQUIRED:
            dispatcher.utter_message(text=result.message)
            return {**cleared, "simu_etape": "code_requis"}
        if result.reason is Reason.LOGGED_IN_TRUSTED_DEVICE:
            dispatcher.utter_message(text=result.message)
            return {**cleared, "simu_etape": "connecte", "simu_connecte": True}
        if result.reason is Reason.PERSONALISE_REQUIRED:
            dispatcher.utter_message(text=result.message)
            return {**cleared, "simu_etape": result.data.get("step", "code")}
        if result.reason is Reason.NO_ACCOUNT:
            return self.stop(result.message, "sans_compte", dispatcher, {**cleared, "simu_login_nir": None})
        if result.reason is Reason.ACCOUNT_NOT_ACTIVE:
            return self.stop(result.message, "inactif", dispatcher, {**cleared, "simu_login_nir": None})
        # Wrong number or password: type both again.
        return self.wrong("simu_login_code", result.message, dispatcher, tracker, {"simu_login_nir": None})

    def validate_simu_envoi_code(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        result = sandbox().request_security_code(tracker.sender_id)
        if result.ok:
            dispatcher.utter_message(text=result.message)
            return {"simu_envoi_code": None, "simu_etape": "code_envoye"}
        if result.reason is Reason.TOO_MANY_CODES:
            return self.stop(f"{result.message}\n{txt.LOGIN_TOO_MANY_CODES_END}", "trop_de_codes", dispatcher,
                             {"simu_envoi_code": None})
        dispatcher.utter_message(text=result.message)  # no login under way: start again
        return {"simu_envoi_code": None, "simu_etape": "login"}

    def validate_simu_ordi_perso(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        answer = yes_no(value)
        if answer is None:
            return self.wrong("simu_ordi_perso", txt.YES_NO, dispatcher, tracker)
        return {"simu_ordi_perso": "oui" if answer else "non"}

    def validate_simu_code_securite(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Dict[Text, Any]:
        personal = tracker.get_slot("simu_ordi_perso") == "oui"
        result = sandbox().enter_security_code(tracker.sender_id, compact_digits(str(value or "")), personal)
        cleared = {"simu_code_securite": None}
        if result.ok:
            text = result.message
            if result.data.get("trusted_until"):
                text += "\n" + txt.TRUSTED_SAVED
            dispatcher.utter_message(text=text)
            return {**cleared, "simu_etape": "connecte", "simu_connecte": True}
        if result.reason in (Reason.CODE_EXPIRED, Reason.CODE_BLOCKED, Reason.CODE_SUPERSEDED,
                             Reason.NO_CODE_REQUESTED):
            return self.wrong("simu_code_securite", f"{result.message} {txt.NEW_CODE_NEEDED}", dispatcher, tracker,
                              {"simu_etape": "code_requis", "simu_ordi_perso": None})
        if result.reason is Reason.NO_PENDING_LOGIN:
            dispatcher.utter_message(text=result.message)
            return {**cleared, "simu_etape": "login", "simu_ordi_perso": None}
        return self.wrong("simu_code_securite", result.message, dispatcher, tracker)


class ValidateRdvForm(SimulationValidation):
    """« Mon agenda / Prendre un rendez-vous »: reason, an offered slot, confirmation."""

    def name(self) -> Text:
        return f"validate_{RDV_FORM}"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        if tracker.get_slot("simu_fin"):
            return []
        if not sandbox().session_info(tracker.sender_id).ok:
            return []  # not logged in, in the sandbox: the closing action says so
        return ["simu_motif", "simu_creneau", "simu_confirmation"]

    def validate_simu_motif(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[Text, Any]:
        reasons = sandbox().appointment_reasons().data["reasons"]
        typed = str(value or "").strip().lower()
        for code, label in reasons:
            if typed in (code, label.lower()) or (len(typed) > 3 and typed in label.lower()):
                return {"simu_motif": code}
        return self.wrong("simu_motif", message(Reason.APPOINTMENT_REASON_UNKNOWN), dispatcher, tracker)

    def validate_simu_creneau(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        result = sandbox().appointment_slots(tracker.sender_id)
        typed = str(value or "").strip().lower()
        for slot in result.data.get("slots", []):
            if typed in (slot.id.lower(), slot.label.lower()):
                return {"simu_creneau": slot.id}
        return self.wrong("simu_creneau", txt.RDV_SLOT_UNKNOWN, dispatcher, tracker)

    def validate_simu_confirmation(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        answer = yes_no(value)
        if answer is None:
            return self.wrong("simu_confirmation", txt.YES_NO, dispatcher, tracker)
        if not answer:
            dispatcher.utter_message(text=txt.RDV_NOT_CONFIRMED)
            return {"simu_confirmation": None, "simu_fin": "rdv_abandon"}
        result = sandbox().book_appointment(tracker.sender_id, tracker.get_slot("simu_creneau") or "",
                                            tracker.get_slot("simu_motif") or "")
        dispatcher.utter_message(text=result.message)
        if result.ok:
            return {"simu_confirmation": "oui", "simu_fin": "rdv_pris"}
        if result.reason is Reason.SLOT_UNAVAILABLE:
            return {"simu_confirmation": None, "simu_creneau": None}
        return {"simu_confirmation": None, "simu_fin": "erreur"}


# -- the questions of the forms -------------------------------------------------------------


class AskSlot(Action, ABC):
    """Asks for one slot with the prompt of simulation_answers.PROMPTS (name: action_ask_<slot>)."""

    slot = ""

    @abstractmethod
    def name(self) -> Text:  # pragma: no cover - subclasses
        raise NotImplementedError

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        for variant in txt.PROMPTS[self.slot][:1]:
            dispatcher.utter_message(text=variant["text"], buttons=variant.get("buttons"))
        return []


def _ask_class(slot: str) -> type:
    return type(f"Ask_{slot}", (AskSlot,), {"slot": slot, "name": lambda self, _s=slot: f"action_ask_{_s}",
                                            "__module__": __name__})


ASK_ACTIONS = {slot: _ask_class(slot) for slot in txt.PROMPTS}


# -- dynamic questions of « Mon agenda » ---------------------------------------------------


class AskMotif(Action):
    def name(self) -> Text:
        return "action_ask_simu_motif"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        reasons = sandbox().appointment_reasons().data["reasons"]
        buttons = [{"title": label, "payload": txt.payload("informer", motif_rdv=code)} for code, label in reasons]
        dispatcher.utter_message(text=txt.RDV_ASK_REASON, buttons=buttons)
        return []


class AskCreneau(Action):
    def name(self) -> Text:
        return "action_ask_simu_creneau"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        result = sandbox().appointment_slots(tracker.sender_id)
        slots = result.data.get("slots", [])[:8]
        if not result.ok or not slots:
            dispatcher.utter_message(text=result.message if not result.ok else txt.RDV_NO_SLOT)
            return []
        buttons = [{"title": s.label, "payload": txt.payload("informer", creneau=s.id)} for s in slots]
        dispatcher.utter_message(text=txt.RDV_ASK_SLOT, buttons=buttons)
        return []


class AskConfirmation(Action):
    def name(self) -> Text:
        return "action_ask_simu_confirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        labels = dict(sandbox().appointment_reasons().data["reasons"])
        when = tracker.get_slot("simu_creneau") or ""
        for slot in sandbox().appointment_slots(tracker.sender_id).data.get("slots", []):
            if slot.id == when:
                when = slot.label
        text = txt.RDV_CONFIRM.format(reason=labels.get(tracker.get_slot("simu_motif"), ""), when=when)
        dispatcher.utter_message(text=text, buttons=[button("Oui, je confirme", "affirmer"), button("Non", "nier")])
        return []


# -- start and end of the exercises --------------------------------------------------------


def reset_events() -> List[Dict]:
    return [SlotSet(name, None) for name in FORM_SLOTS + CONTROL_SLOTS]


class ActionSimulationIntro(Action):
    """First message of an exercise: it is a simulation, and the demo dossiers to use."""

    def name(self) -> Text:
        return "action_simulation_intro"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "simuler_creation":
            dispatcher.utter_message(text=txt.intro_creation())
        elif intent == "simuler_connexion":
            dispatcher.utter_message(text=txt.intro_connexion())
        else:
            dispatcher.utter_message(text=txt.INTRO_RDV)
        return reset_events()


def _end_with_help(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(text=txt.EXERCISE_END_HELP, buttons=HELP_BUTTONS)


class ActionCreationEnd(Action):
    def name(self) -> Text:
        return "action_simulation_creation_fin"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        end = tracker.get_slot("simu_fin")
        if end is None and tracker.get_slot("simu_etape") == "done":
            dispatcher.utter_message(text=txt.CREATION_DONE, buttons=[txt.MAILBOX_BUTTON])
        else:
            _end_with_help(dispatcher)
        return reset_events()


class ActionConnexionEnd(Action):
    def name(self) -> Text:
        return "action_simulation_connexion_fin"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        end, step = tracker.get_slot("simu_fin"), tracker.get_slot("simu_etape")
        events = reset_events()
        if sandbox().session_info(tracker.sender_id).ok:
            dispatcher.utter_message(text=txt.LOGGED_IN_MENU, buttons=txt.LOGGED_IN_BUTTONS)
            return events + [SlotSet("simu_connecte", True)]
        if end is None and step == "done":  # code provisoire route: account created, link sent
            dispatcher.utter_message(text=txt.CREATION_DONE, buttons=[txt.MAILBOX_BUTTON])
        elif end == "sans_compte":
            dispatcher.utter_message(text=txt.LOGIN_NO_ACCOUNT_END, buttons=[txt.CREATION_BUTTON])
        elif end == "inactif":
            dispatcher.utter_message(text=txt.LOGIN_INACTIVE_END, buttons=[txt.MAILBOX_BUTTON])
        else:
            _end_with_help(dispatcher)
        return events + [SlotSet("simu_connecte", False)]


class ActionRdvEnd(Action):
    def name(self) -> Text:
        return "action_simulation_rdv_fin"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        end = tracker.get_slot("simu_fin")
        if not sandbox().session_info(tracker.sender_id).ok:
            dispatcher.utter_message(text=txt.NOT_LOGGED_IN_RDV, buttons=[txt.LOGIN_BUTTON])
            return reset_events() + [SlotSet("simu_connecte", False)]
        if end == "rdv_pris":
            dispatcher.utter_message(text=txt.LOGGED_IN_MENU, buttons=txt.LOGGED_IN_BUTTONS)
        elif end == "essais" or end == "erreur":
            _end_with_help(dispatcher)
        else:
            dispatcher.utter_message(text=txt.LOGGED_IN_MENU, buttons=txt.LOGGED_IN_BUTTONS)
        return reset_events()


class ActionStop(Action):
    """« annuler » / « stop » in an exercise: the form was left; empty its slots."""

    def name(self) -> Text:
        return "action_simulation_arret"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
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
        "simu_ordi_perso": {"code_non_recu", "verifier_spams", "se_connecter", "depuis_ordinateur"},
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
        elif f"utter_{intent}" in (domain.get("responses") or {}):
            dispatcher.utter_message(response=f"utter_{intent}")
        else:
            dispatcher.utter_message(text=txt.FIELD_HELP.get(requested, txt.YES_NO))
        return []


# -- the simulated mailbox -----------------------------------------------------------------


class ActionMailbox(Action):
    """Shows the inbox and the spam folder of the conversation's simulated user."""

    def name(self) -> Text:
        return "action_simulation_boite_mail"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        box = sandbox()
        for folder in policy.MAIL_FOLDERS:
            result = box.list_mails(tracker.sender_id, folder)
            if not result.ok:
                dispatcher.utter_message(text=result.message, buttons=[txt.LOGIN_BUTTON, txt.CREATION_BUTTON])
                return []
            if folder == policy.MAIL_FOLDERS[0]:
                dispatcher.utter_message(text=txt.INTRO_MAILBOX)
            mails = result.data["mails"][:5]
            lines = [result.message] + [
                f"- {'' if m.read else '(non lu) '}{m.subject}, {format_datetime(m.received_at)}" for m in mails
            ]
            buttons = [
                {"title": txt.MAIL_OPEN.format(subject=m.subject, when=format_datetime(m.received_at)),
                 "payload": txt.payload("simuler_lire_mail", mail_id=m.id)}
                for m in mails
            ]
            dispatcher.utter_message(text="\n".join(lines), buttons=buttons or None)
        return []


def _latest_mail(box: Sandbox, conversation_id: str, subject: Optional[str] = None):
    found = []
    for folder in policy.MAIL_FOLDERS:
        result = box.list_mails(conversation_id, folder)
        if result.ok:
            found += [m for m in result.data["mails"] if subject is None or m.subject == subject]
    return max(found, key=lambda m: m.received_at) if found else None


class ActionReadMail(Action):
    """Opens a mail of the simulated mailbox (the code or the link shows in clear)."""

    def name(self) -> Text:
        return "action_simulation_lire_mail"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        box = sandbox()
        mail_id = entity(tracker, "mail_id")
        if not mail_id:
            latest = _latest_mail(box, tracker.sender_id)
            if latest is None:
                dispatcher.utter_message(text=message(Reason.NO_MAILBOX) if box.list_mails(
                    tracker.sender_id).reason is Reason.NO_MAILBOX else txt.NO_MAIL)
                return []
            mail_id = latest.id
        result = box.read_mail(tracker.sender_id, mail_id)
        if not result.ok:
            dispatcher.utter_message(text=result.message, buttons=[txt.MAILBOX_BUTTON])
            return []
        mail = result.data["mail"]
        text = txt.MAIL_HEADER.format(sender=mail.sender, subject=mail.subject, when=format_datetime(mail.received_at),
                                      folder=folder_label(mail.folder), body=mail.body)
        buttons = None
        if mail.subject == mailbox.VALIDATION_SUBJECT:
            buttons = [{"title": txt.CLICK_LINK, "payload": txt.payload("simuler_clic_lien", mail_id=mail.id)}]
        dispatcher.utter_message(text=text, buttons=buttons)
        notes = []
        if mail.folder == "spam":
            notes.append(txt.MAIL_FROM_SPAM)
        if mail.subject == mailbox.SECURITY_CODE_SUBJECT:
            notes.append(txt.MAIL_CODE_HINT)
        if notes:
            dispatcher.utter_message(text=" ".join(notes))
        return []


class ActionOpenLink(Action):
    """The user clicks (or pastes) the validation link of the simulated mail."""

    def name(self) -> Text:
        return "action_simulation_clic_lien"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        box = sandbox()
        pasted = _LINK_IN_TEXT.search(tracker.latest_message.get("text") or "")
        link = pasted.group(0) if pasted else None
        if link is None:
            mail_id = entity(tracker, "mail_id")
            if not mail_id:
                latest = _latest_mail(box, tracker.sender_id, mailbox.VALIDATION_SUBJECT)
                mail_id = latest.id if latest else None
            read = box.read_mail(tracker.sender_id, mail_id) if mail_id else None
            found = _LINK_IN_TEXT.search(read.data["mail"].body) if read is not None and read.ok else None
            if found is None:
                dispatcher.utter_message(text=txt.NO_LINK_MAIL, buttons=[txt.MAILBOX_BUTTON, txt.CREATION_BUTTON])
                return []
            link = found.group(0)
        result = box.open_validation_link(link)
        if result.ok or result.reason is Reason.ACCOUNT_ALREADY_ACTIVE:
            dispatcher.utter_message(text=result.message, buttons=[txt.LOGIN_BUTTON])
        elif result.reason is Reason.LINK_EXPIRED:
            dispatcher.utter_message(text=result.message)
            resent = box.resend_validation_link(tracker.sender_id)
            dispatcher.utter_message(text=resent.message, buttons=[txt.MAILBOX_BUTTON])
        else:
            dispatcher.utter_message(text=result.message, buttons=[txt.MAILBOX_BUTTON])
        return []


# -- logged-in actions and trainer commands -------------------------------------------------


class ActionMyAppointments(Action):
    """« Mon agenda »: the upcoming appointments, each with a cancel button; cancels one."""

    def name(self) -> Text:
        return "action_simulation_mes_rdv"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        box = sandbox()
        to_cancel = entity(tracker, "rdv_id")
        if to_cancel:
            result = (box.cancel_appointment(tracker.sender_id, int(to_cancel)) if to_cancel.isdigit()
                      else box.cancel_appointment(tracker.sender_id, -1))
            if not result.ok and result.reason is Reason.NOT_LOGGED_IN:
                dispatcher.utter_message(text=result.message, buttons=[txt.LOGIN_BUTTON])
                return [SlotSet("simu_connecte", False)]
            dispatcher.utter_message(text=result.message)
        result = box.list_appointments(tracker.sender_id)
        if not result.ok:
            dispatcher.utter_message(text=result.message, buttons=[txt.LOGIN_BUTTON])
            return [SlotSet("simu_connecte", False)]
        views = result.data["appointments"]
        if not views:
            dispatcher.utter_message(text=txt.RDV_NONE, buttons=txt.RDV_BUTTONS)
            return []
        lines = [result.message] + [
            txt.RDV_LINE.format(when=v.label, reason=v.reason_label, phone=_phone(v.phone)) for v in views
        ]
        buttons = [{"title": txt.RDV_CANCEL.format(when=v.label), "payload": txt.payload("simuler_mes_rdv", rdv_id=str(v.id))}
                   for v in views[:5]]
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
        return []


def _phone(number: str) -> str:
    return " ".join(number[i:i + 2] for i in range(0, len(number), 2))


class ActionLogout(Action):
    def name(self) -> Text:
        return "action_simulation_deconnexion"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        result = sandbox().logout(tracker.sender_id)
        dispatcher.utter_message(text=result.message, buttons=txt.LOGGED_OUT_BUTTONS)
        return [SlotSet("simu_connecte", False)]


class ActionChangeBrowser(Action):
    """Trainer command « changer de navigateur »: a new device id for this conversation."""

    def name(self) -> Text:
        return "action_simulation_navigateur"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        result = sandbox().switch_device(tracker.sender_id, "navigateur-" + secrets.token_hex(8))
        dispatcher.utter_message(text=result.message, buttons=txt.LOGGED_OUT_BUTTONS)
        return [SlotSet("simu_connecte", False)]


TRAINER_COMMANDS_ENV = "SANDBOX_TRAINER_COMMANDS"


def trainer_commands_enabled() -> bool:
    """Reset and clock moves act on every conversation: a shared deployment turns them off
    (SANDBOX_TRAINER_COMMANDS=off, set by `make run-prod`); the trainer's CLI still works."""
    return os.environ.get(TRAINER_COMMANDS_ENV, "on").strip().lower() not in {"off", "0", "false", "no"}


class ActionReset(Action):
    def name(self) -> Text:
        return "action_simulation_reset"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        if not trainer_commands_enabled():
            dispatcher.utter_message(text=txt.TRAINER_COMMANDS_OFF)
            return []
        result = sandbox().reset()
        dispatcher.utter_message(text=result.message)
        return reset_events() + [SlotSet("simu_connecte", False)]


class ActionDossiers(Action):
    def name(self) -> Text:
        return "action_simulation_dossiers"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        result = sandbox().list_dossiers()
        demo = {p.nir: p for p in result.data["demo_people"]}
        lines = [txt.DOSSIERS_TITLE]
        for number, view in enumerate(result.data["dossiers"], start=1):
            person = demo.get(view.nir)
            line = txt.demo_line(person, number) if person else f"{number}. {view.first_name} {view.last_name}, {view.nir}."
            lines.append(f"{line} ({txt.ACCOUNT_STATE.get(view.account, view.account)})")
        dispatcher.utter_message(text="\n".join(lines) + "\n" + txt.SIMULATION_WARNING)
        return []


def parse_duration(text: str) -> Optional[timedelta]:
    """'16 minutes', '2h', '8 jours', '1 semaine' -> timedelta; None if unreadable."""
    found = _DURATION.search(text or "")
    if not found:
        return None
    count, unit = int(found.group(1)), found.group(2).lower()
    if unit.startswith("sem"):
        return timedelta(weeks=count)
    if unit.startswith(("j", "d")):
        return timedelta(days=count)
    if unit.startswith("h"):
        return timedelta(hours=count)
    return timedelta(minutes=count)


class ActionAdvanceClock(Action):
    """Trainer command « avancer l'horloge de 16 minutes » (show an expired code or link)."""

    def name(self) -> Text:
        return "action_simulation_horloge"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        if not trainer_commands_enabled():
            dispatcher.utter_message(text=txt.TRAINER_COMMANDS_OFF)
            return []
        delta = parse_duration(entity(tracker, "duree") or "") or parse_duration(
            tracker.latest_message.get("text") or "")
        if delta is None:
            dispatcher.utter_message(text=txt.CLOCK_UNREADABLE)
            return []
        dispatcher.utter_message(text=sandbox().advance_clock(delta).message)
        return []
