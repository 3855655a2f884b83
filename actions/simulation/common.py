"""What every exercise shares: the sandbox accessor, the reading helpers, the slots and the
steps of the forms and the base validation `SimulationValidation`. The forms' static questions
are `utter_ask_<slot>` responses (actions/simulation_answers.py PROMPTS, `make domain`)."""

from __future__ import annotations

import re
from abc import abstractmethod
from typing import Any, Callable, Dict, List, Optional, Text, TypeVar

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import simulation_answers as txt
from actions.answers import HELP_BUTTONS
from actions.sandbox.identifiers import Check
from actions.sandbox.results import Result
from actions.sandbox.service import Sandbox, get_sandbox
from actions.sandbox.steps import CreationStep, StrEnum
from actions.sandbox_answers import say
from actions.sandbox_answers import text as message
from common.aio import offload
from common.formats import NIR_PATTERN

T = TypeVar("T")

# The slots of the exercises; the intro of each exercise empties them.
FORM_SLOTS = [
    "simu_nir",
    "simu_nom",
    "simu_naissance",
    "simu_rib",
    "simu_vitale",
    "simu_cgu",
    "simu_email",
    "simu_mobile",
    "simu_code_perso",
    "simu_login_nir",
    "simu_login_code",
    "simu_envoi_code",
    "simu_ordi_perso",
    "simu_code_securite",
    "simu_motif",
    "simu_creneau",
    "simu_confirmation",
    "simu_support",
    "simu_contacts",
    "simu_souhait",
]
CONTROL_SLOTS = ["simu_etape", "simu_fin", "simu_essais"]


class FormStep(StrEnum):
    """Values of `simu_etape` that are the forms' own; the others are `CreationStep`s."""

    IDENTITY = "identite"
    LOGIN = "login"
    CODE_REQUIRED = "code_requis"
    CODE_SENT = "code_envoye"
    LOGGED_IN = "connecte"


class End(StrEnum):
    """Values of `simu_fin`: why a form ended early (the closing action reads it)."""

    TRIES = "essais"
    REFUSED = "refus"
    ERROR = "erreur"
    NO_ACCOUNT = "sans_compte"
    INACTIVE = "inactif"
    TOO_MANY_CODES = "trop_de_codes"
    BOOKED = "rdv_pris"
    ABANDONED = "rdv_abandon"


# Which questions come next, for each step the sandbox reports.
STEP_SLOTS: Dict[str, List[str]] = {
    FormStep.IDENTITY: ["simu_nir", "simu_nom", "simu_naissance"],
    CreationStep.RIB: ["simu_rib"],
    CreationStep.VITALE: ["simu_vitale"],
    CreationStep.TERMS: ["simu_cgu"],
    CreationStep.CONTACT: ["simu_email", "simu_mobile"],
    CreationStep.CONSENT: ["simu_contacts"],
    CreationStep.CODE: ["simu_code_perso"],
    CreationStep.DONE: [],
    # « sur ordinateur ou dans l'appli ? » first (sheets 09 / 08); kept for the whole exercise.
    FormStep.LOGIN: ["simu_support", "simu_login_nir", "simu_login_code"],
    FormStep.CODE_REQUIRED: ["simu_envoi_code"],
    # Sheets 09 and « Connexion compte ameli »: the code is typed, then the box is ticked (on a
    # computer; the app has no box: the code is sent as soon as it is typed).
    FormStep.CODE_SENT: ["simu_code_securite", "simu_ordi_perso"],
    FormStep.LOGGED_IN: [],
}

YES = {
    "oui",
    "o",
    "ok",
    "yes",
    "ouais",
    "d'accord",
    "daccord",
    "j'accepte",
    "jaccepte",
    "accepte",
    "je coche",
    "coche",
    "oui je coche",
    "je confirme",
    "confirme",
    "vas-y",
    "vas y",
    "go",
}
NO = {"non", "n", "no", "nan", "je refuse", "refuse", "pas coché", "je ne coche pas", "non merci"}

_NIR_IN_TEXT = re.compile(NIR_PATTERN)
# A question typed where a value was expected (« c'est quoi le RIB ? »): help, not a wrong answer.
_QUESTION = re.compile(
    r"\?|^\s*(c'?est quoi|c koi|ckoi|qu'?est[- ]ce|ou |où |comment|pourquoi|je (ne )?(le )?trouve pas|"
    r"j'?(le )?trouve pas|je sais pas|je ne sais pas|jsp|aide)",
    re.IGNORECASE,
)


# -- small helpers -------------------------------------------------------------------------


async def call(operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`operation(sandbox(), *args, **kwargs)` in a worker thread (common/aio.py), e.g.
    `await call(Sandbox.login, sender, nir, code, device)`: the first opening of the sandbox
    (database, demo dossiers), its SQL transactions and its scrypt hashing never hold the action
    server's event loop, so a room of learners is served side by side."""
    return await offload(lambda: operation(sandbox(), *args, **kwargs))


def sandbox() -> Sandbox:
    """The process-wide sandbox (tests replace `get_sandbox` in this module)."""
    return get_sandbox()


def entity(tracker: Tracker, name: str) -> Optional[str]:
    for item in tracker.latest_message.get("entities") or []:
        if item.get("entity") == name and item.get("value") not in (None, ""):
            return str(item["value"])
    return None


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


def nir_from_text(text: str) -> str:
    """The NIR in a sentence (« c'est le 2 84 05 ... »), else the text itself."""
    found = _NIR_IN_TEXT.search(text or "")
    return found.group(0) if found else text


def typed_nir(tracker: Tracker, value: Any) -> str:
    """The NIR of the answer: the entity `nir` DIET read, else the one in the text, else the text."""
    return entity(tracker, "nir") or nir_from_text(str(value or ""))


def reset_events() -> List[Dict]:
    return [SlotSet(name, None) for name in FORM_SLOTS + CONTROL_SLOTS]


def end_with_help(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(text=txt.EXERCISE_END_HELP, buttons=HELP_BUTTONS)


# -- base validation: counts retries per slot ----------------------------------------------


class SimulationValidation(FormValidationAction):
    """Base of the exercises' validation actions: the shape every `validate_<slot>` shares.

    Counts the wrong answers per slot (`simu_essais`); past MAX_TRIES the form ends kindly
    (`simu_fin` = End.TRIES) and the form's closing action offers the help options.
    The next question follows `simu_etape` (STEP_SLOTS), set only from the sandbox's answers.
    A question typed instead of a value gets help on the field, not a wrong answer.
    « annuler » / « stop » leave the form by a rule (flow.ActionStop); a word explained in the
    middle (action_definir) lets the form ask its question again.
    A `validate_<slot>` ends with one of:
    - `wrong` (the answer is refused: why, counted), `wrong_check` (an identifier check failed),
      `not_yes_or_no` (a yes/no question answered otherwise);
    - `stop` (the sandbox refused for good), `end_on_error` (the sandbox could not go on);
    - `next_step` (the sandbox took it: say so, go to the step it reports), `sandbox_step`
      (the sandbox's answer: `next_step` if it took it, else `wrong` with its reason).
    Subclasses give `name()`, `FIRST_STEP` and their `validate_<slot>` methods.
    """

    MAX_TRIES = 3
    FIRST_STEP: str = FormStep.IDENTITY

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

    async def wrong(
        self,
        slot: str,
        text: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        extra: Optional[Dict[str, Any]] = None,
    ) -> Dict[str, Any]:
        """A wrong answer: say why, count it, and end the exercise past the limit."""
        tries = dict(tracker.get_slot("simu_essais") or {})
        tries[slot] = tries.get(slot, 0) + 1
        result: Dict[str, Any] = {slot: None, "simu_essais": tries}
        result.update(extra or {})
        if tries[slot] >= self.MAX_TRIES:
            dispatcher.utter_message(text=f"{text}\n{txt.TOO_MANY_TRIES}")
            result["simu_fin"] = End.TRIES
            await call(Sandbox.stop_exercise, tracker.sender_id)  # the trainer's view: stopped
        else:
            dispatcher.utter_message(text=text)
        return result

    async def wrong_check(
        self, slot: str, check: Check, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Dict[str, Any]:
        """An identifier check failed (actions/sandbox/identifiers.py): its reason, as a wrong answer."""
        return await self.wrong(slot, message(check.reason), dispatcher, tracker)

    async def not_yes_or_no(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[str, Any]:
        """A yes/no question answered with something else: a wrong answer, asking for yes or no."""
        return await self.wrong(slot, txt.YES_NO, dispatcher, tracker)

    def stop(self, text: str, reason: End, dispatcher: CollectingDispatcher, values: Dict[str, Any]) -> Dict[str, Any]:
        """The sandbox refused for good (sheet's blocking cases): say why; the form ends."""
        dispatcher.utter_message(text=text)
        return {**values, "simu_fin": reason}

    def end_on_error(self, slot: str, result: Result, dispatcher: CollectingDispatcher) -> Dict[str, Any]:
        """The sandbox could not go on (no exercise under way…): say why; the form ends."""
        return self.stop(say(result), End.ERROR, dispatcher, {slot: None})

    @staticmethod
    def next_step(
        slot: str,
        result: Result,
        dispatcher: CollectingDispatcher,
        text: Optional[str] = None,
        extra: Optional[Dict[str, Any]] = None,
    ) -> Dict[str, Any]:
        """The sandbox took the answer: say so (« OK » unless `text`), empty the slot (the step
        holds the value now), and ask the questions of the step it reports."""
        dispatcher.utter_message(text=txt.OK if text is None else text)
        return {slot: None, **(extra or {}), "simu_etape": result.data.get("step")}

    async def sandbox_step(
        self, slot: str, result: Result, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Dict[str, Any]:
        """The sandbox's answer to a step: the next step if it took it, else why, as a wrong answer."""
        if result.ok:
            return self.next_step(slot, result, dispatcher)
        return await self.wrong(slot, say(result), dispatcher, tracker)
