"""The account creation exercise (sheet 07), and the enrolment steps it shares with the
code provisoire route of sheet 1.1 (terms, e-mail + mobile, contacts, code personnel)."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import simulation_answers as txt
from actions.sandbox import Result, identifiers
from actions.sandbox.reasons import Reason
from actions.sandbox.service import Sandbox
from actions.sandbox.steps import CreationStep
from actions.sandbox_answers import say
from actions.sandbox_answers import text as message

from .common import (
    End,
    FormStep,
    SimulationValidation,
    call,
    compact_digits,
    end_with_help,
    entity,
    reset_events,
    typed_nir,
    yes_no,
)

CREATION_FORM = "simulation_creation_form"


class EnrolmentValidation(SimulationValidation):
    """The steps of both enrolment routes: sheet 07 (creation) and sheet 1.1 (code provisoire)."""

    async def validate_simu_cgu(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        accepted = yes_no(value)
        if accepted is None:
            return await self.not_yes_or_no("simu_cgu", dispatcher, tracker)
        result = await call(Sandbox.accept_terms, tracker.sender_id, accepted)
        if result.reason is Reason.TERMS_REFUSED:
            return self.stop(f"{say(result)} {txt.TERMS_REFUSED_END}", End.REFUSED, dispatcher, {"simu_cgu": None})
        return await self.sandbox_step("simu_cgu", result, dispatcher, tracker)

    async def validate_simu_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        typed = entity(tracker, "email") or str(value or "")
        check = identifiers.check_email(typed)
        if not check.ok:
            return await self.wrong_check("simu_email", check, dispatcher, tracker)
        return {"simu_email": check.value}

    async def validate_simu_mobile(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        typed = entity(tracker, "telephone") or str(value or "")
        email = tracker.get_slot("simu_email")
        if not email:
            return {"simu_mobile": None}
        result = await call(Sandbox.set_contact_details, tracker.sender_id, email, typed)
        if result.ok:
            return self.next_step("simu_mobile", result, dispatcher, self._saved(result), {"simu_email": None})
        if result.reason is Reason.EMAIL_TAKEN or result.reason is Reason.EMAIL_FORMAT:
            return await self.wrong("simu_email", say(result), dispatcher, tracker, {"simu_mobile": None})
        if result.reason is Reason.MOBILE_FORMAT:
            return await self.wrong("simu_mobile", say(result), dispatcher, tracker)
        return self.end_on_error("simu_mobile", result, dispatcher)

    async def validate_simu_code_perso(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        result = await call(Sandbox.choose_code_personnel, tracker.sender_id, compact_digits(str(value or "")))
        if result.ok:
            return self.next_step("simu_code_perso", result, dispatcher, self._saved(result))
        if result.reason is Reason.CODE_PERSONNEL_FORMAT:
            return await self.wrong("simu_code_perso", say(result), dispatcher, tracker)
        if result.reason is Reason.EMAIL_TAKEN:
            return await self._email_again("simu_code_perso", result, dispatcher, tracker)
        return self.end_on_error("simu_code_perso", result, dispatcher)

    async def validate_simu_contacts(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Sheet 1.1: « Accepter ou non les contacts »: yes and no are both fine."""
        accepts = yes_no(value)
        if accepts is None:
            return await self.not_yes_or_no("simu_contacts", dispatcher, tracker)
        result = await call(Sandbox.choose_contacts, tracker.sender_id, accepts)
        if result.ok:
            return self.next_step("simu_contacts", result, dispatcher, self._saved(result))
        if result.reason is Reason.EMAIL_TAKEN:
            return await self._email_again("simu_contacts", result, dispatcher, tracker)
        return self.end_on_error("simu_contacts", result, dispatcher)

    async def _email_again(
        self, slot: str, result: Result, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Dict[Text, Any]:
        """The e-mail was taken meanwhile (another account): back to the contact step, the e-mail
        counted as a wrong answer."""
        return await self.wrong(
            "simu_email", say(result), dispatcher, tracker, {slot: None, "simu_etape": CreationStep.CONTACT}
        )

    @staticmethod
    def _saved(result: Result) -> str:
        """The validation mail's announcement on the last step, else a short « OK »."""
        return say(result) if result.reason is Reason.VALIDATION_MAIL_SENT else txt.OK


class ValidateCreationForm(EnrolmentValidation):
    """Sheet 07: identity, RIB, carte Vitale, terms, e-mail + mobile, code personnel."""

    FIRST_STEP = FormStep.IDENTITY

    def name(self) -> Text:
        return f"validate_{CREATION_FORM}"

    async def validate_simu_nir(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        check = identifiers.check_nir(typed_nir(tracker, value))
        if check.reason is Reason.NIR_PROVISIONAL:
            return self.stop(message(check.reason), End.REFUSED, dispatcher, {"simu_nir": None})
        if not check.ok:
            return await self.wrong_check("simu_nir", check, dispatcher, tracker)
        return {"simu_nir": identifiers.format_nir(check.value or "")}

    async def validate_simu_nom(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        name = str(value or "").strip()
        if not name or not re.search(r"[^\W\d_]", name) or len(name) > 80:
            return await self.wrong("simu_nom", txt.NAME_FORMAT, dispatcher, tracker)
        return {"simu_nom": name}

    async def validate_simu_naissance(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        born = identifiers.parse_birth_date(str(value or "").strip())
        if born is None:
            return await self.wrong("simu_naissance", message(Reason.BIRTH_DATE_FORMAT), dispatcher, tracker)
        nir, name = tracker.get_slot("simu_nir"), tracker.get_slot("simu_nom")
        if not nir or not name:
            return {"simu_naissance": born.strftime("%d/%m/%Y")}
        result = await call(Sandbox.start_creation, tracker.sender_id, nir, name, born)
        if result.ok:
            dispatcher.utter_message(text=say(result))
            return {"simu_naissance": None, "simu_nir": None, "simu_nom": None, "simu_etape": result.data["step"]}
        reset = {"simu_nir": None, "simu_nom": None, "simu_naissance": None}
        if result.reason is Reason.IDENTITY_MISMATCH:
            return await self.wrong("simu_naissance", say(result), dispatcher, tracker, reset)
        # Sheet 07's blocking cases: account exists, no RIB, file being transferred.
        return self.stop(f"{say(result)}\n{txt.CREATION_REFUSED}", End.REFUSED, dispatcher, reset)

    async def validate_simu_rib(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        result = await call(Sandbox.confirm_rib, tracker.sender_id, str(value or ""))
        return await self.sandbox_step("simu_rib", result, dispatcher, tracker)

    async def validate_simu_vitale(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        result = await call(Sandbox.confirm_vitale, tracker.sender_id, str(value or ""))
        return await self.sandbox_step("simu_vitale", result, dispatcher, tracker)


class ActionCreationEnd(Action):
    def name(self) -> Text:
        return "action_simulation_creation_fin"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        end = tracker.get_slot("simu_fin")
        if end is None and tracker.get_slot("simu_etape") == CreationStep.DONE:
            dispatcher.utter_message(text=txt.CREATION_DONE, buttons=[txt.MAILBOX_BUTTON])
        else:
            end_with_help(dispatcher)
        return reset_events()
