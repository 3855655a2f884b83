"""The login exercise (sheets 09, 08, « Connexion compte ameli »): NIR + code, security code
by e-mail, trusted device; a code provisoire continues on the enrolment steps (sheet 1.1)."""

from __future__ import annotations

import hashlib
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import simulation_answers as txt
from actions.sandbox import identifiers
from actions.sandbox.reasons import Reason
from actions.sandbox.service import Sandbox
from actions.sandbox.steps import CreationStep
from actions.sandbox_answers import say

from .common import (
    End,
    FormStep,
    call,
    compact_digits,
    end_with_help,
    reset_events,
    typed_nir,
    yes_no,
)
from .creation import EnrolmentValidation

CONNEXION_FORM = "simulation_connexion_form"


def support_of(value: Any) -> Optional[str]:
    """« ordinateur » or « appli » from a button or a typed answer, else None."""
    text = str(value or "").strip().lower()
    if text in (txt.SUPPORT_COMPUTER, txt.SUPPORT_APP):
        return text
    words = set(re.findall(r"[\w']+", text.replace("'", " ")))
    found = {support for support, names in txt.SUPPORT_WORDS.items() if words & set(names)}
    return found.pop() if len(found) == 1 else None


async def device_id(tracker: Tracker) -> str:
    """The browser of this conversation: the one stored in the sandbox (after « changer de
    navigateur » or a login), else the channel's metadata `device_id`, else one derived from
    the sender id."""
    stored = await call(Sandbox.device_of, tracker.sender_id)
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


class ValidateConnexionForm(EnrolmentValidation):
    """Sheets 09/08/« Connexion compte ameli », and the code provisoire route of sheet 1.1."""

    FIRST_STEP = FormStep.LOGIN

    def name(self) -> Text:
        return f"validate_{CONNEXION_FORM}"

    async def validate_simu_support(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """« Sur ordinateur ou dans l'appli ? »: sheet 09 (box, tabs) or sheet 08 (no box, no tabs)."""
        support = support_of(value)
        if support is None:
            return await self.wrong("simu_support", txt.SUPPORT_FORMAT, dispatcher, tracker)
        return {"simu_support": support}

    async def validate_simu_login_nir(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        check = identifiers.check_nir(typed_nir(tracker, value))
        if check.value is None:
            return await self.wrong_check("simu_login_nir", check, dispatcher, tracker)
        return {"simu_login_nir": identifiers.format_nir(check.value)}

    async def validate_simu_login_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        nir = tracker.get_slot("simu_login_nir")
        if not nir:
            return {"simu_login_code": None}
        result = await call(
            Sandbox.login, tracker.sender_id, nir, compact_digits(str(value or "")), await device_id(tracker)
        )
        cleared = {"simu_login_code": None}
        if result.reason is Reason.SECURITY_CODE_REQUIRED:
            dispatcher.utter_message(text=say(result))
            return {**cleared, "simu_etape": FormStep.CODE_REQUIRED}
        if result.reason is Reason.LOGGED_IN_TRUSTED_DEVICE:
            dispatcher.utter_message(text=say(result))
            return {**cleared, "simu_etape": FormStep.LOGGED_IN, "simu_connecte": True}
        if result.reason in (Reason.PERSONALISE_REQUIRED, Reason.KIOSK_CODE_ACCEPTED):
            dispatcher.utter_message(text=say(result))
            return {**cleared, "simu_etape": result.data.get("step", CreationStep.CODE)}
        if result.reason is Reason.NO_ACCOUNT:
            return self.stop(say(result), End.NO_ACCOUNT, dispatcher, {**cleared, "simu_login_nir": None})
        if result.reason is Reason.ACCOUNT_NOT_ACTIVE:
            return self.stop(say(result), End.INACTIVE, dispatcher, {**cleared, "simu_login_nir": None})
        # Wrong number or password: type both again.
        return await self.wrong("simu_login_code", say(result), dispatcher, tracker, {"simu_login_nir": None})

    async def validate_simu_envoi_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        result = await call(Sandbox.request_security_code, tracker.sender_id)
        if result.ok:
            dispatcher.utter_message(text=say(result))
            return {"simu_envoi_code": None, "simu_etape": FormStep.CODE_SENT}
        if result.reason is Reason.TOO_MANY_CODES:
            return self.stop(
                f"{say(result)}\n{txt.LOGIN_TOO_MANY_CODES_END}",
                End.TOO_MANY_CODES,
                dispatcher,
                {"simu_envoi_code": None},
            )
        dispatcher.utter_message(text=say(result))  # no login under way: start again
        return {"simu_envoi_code": None, "simu_etape": FormStep.LOGIN}

    async def validate_simu_code_securite(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The code typed. On a computer its format only is checked here: the box comes next, then
        both are sent together (« Me connecter »). In the app (no box) it is sent at once."""
        check = identifiers.check_security_code(compact_digits(str(value or "")))
        if not check.ok:
            return await self.wrong_check("simu_code_securite", check, dispatcher, tracker)
        if tracker.get_slot("simu_support") == txt.SUPPORT_APP:
            return await self._log_in(check.value or "", False, dispatcher, tracker)
        return {"simu_code_securite": check.value}

    async def validate_simu_ordi_perso(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        answer = yes_no(value)
        if answer is None:
            return await self.not_yes_or_no("simu_ordi_perso", dispatcher, tracker)
        code = tracker.get_slot("simu_code_securite")
        if not code:  # the code was not kept (should not happen): ask it again
            return {"simu_ordi_perso": None, "simu_code_securite": None}
        return await self._log_in(str(code), answer, dispatcher, tracker)

    async def _log_in(
        self, code: str, personal: bool, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Dict[Text, Any]:
        """« Me connecter »: the code and the box together; the code leaves the slots either way."""
        result = await call(Sandbox.enter_security_code, tracker.sender_id, code, personal)
        cleared = {"simu_code_securite": None, "simu_ordi_perso": None}
        if result.ok:
            text = say(result)
            if result.data.get("trusted_until"):
                text += "\n" + txt.TRUSTED_SAVED
            dispatcher.utter_message(text=text)
            return {**cleared, "simu_etape": FormStep.LOGGED_IN, "simu_connecte": True}
        if result.reason in (
            Reason.CODE_EXPIRED,
            Reason.CODE_BLOCKED,
            Reason.CODE_SUPERSEDED,
            Reason.NO_CODE_REQUESTED,
        ):
            return await self.wrong(
                "simu_code_securite",
                f"{say(result)} {txt.NEW_CODE_NEEDED}",
                dispatcher,
                tracker,
                {**cleared, "simu_etape": FormStep.CODE_REQUIRED},
            )
        if result.reason is Reason.NO_PENDING_LOGIN:
            dispatcher.utter_message(text=say(result))
            return {**cleared, "simu_etape": FormStep.LOGIN}
        return await self.wrong("simu_code_securite", say(result), dispatcher, tracker, cleared)


class ActionConnexionEnd(Action):
    def name(self) -> Text:
        return "action_simulation_connexion_fin"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        end, step = tracker.get_slot("simu_fin"), tracker.get_slot("simu_etape")
        events = reset_events()
        if (await call(Sandbox.session_info, tracker.sender_id)).ok:
            dispatcher.utter_message(text=txt.LOGGED_IN_MENU, buttons=txt.LOGGED_IN_BUTTONS)
            return events + [SlotSet("simu_connecte", True)]
        if end is None and step == CreationStep.DONE:  # code provisoire route: account created, link sent
            dispatcher.utter_message(text=txt.CREATION_DONE, buttons=[txt.MAILBOX_BUTTON])
        elif end == End.NO_ACCOUNT:
            dispatcher.utter_message(text=txt.LOGIN_NO_ACCOUNT_END, buttons=[txt.CREATION_BUTTON])
        elif end == End.INACTIVE:
            dispatcher.utter_message(text=txt.LOGIN_INACTIVE_END, buttons=[txt.MAILBOX_BUTTON])
        else:
            end_with_help(dispatcher)
        return events + [SlotSet("simu_connecte", False)]


class ActionLogout(Action):
    def name(self) -> Text:
        return "action_simulation_deconnexion"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        result = await call(Sandbox.logout, tracker.sender_id)
        dispatcher.utter_message(text=say(result), buttons=txt.LOGGED_OUT_BUTTONS)
        return [SlotSet("simu_connecte", False)]
