"""« Mon agenda » for a logged-in user: book a phone appointment (a form), list and cancel them."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import simulation_answers as txt
from actions.answers import button
from actions.sandbox.messages import message
from actions.sandbox.reasons import Reason

from .common import call, End, SimulationValidation, end_with_help, entity, reset_events, sandbox, yes_no

RDV_FORM = "simulation_rdv_form"


class ValidateRdvForm(SimulationValidation):
    """« Mon agenda / Prendre un rendez-vous »: reason, an offered slot, confirmation."""

    def name(self) -> Text:
        return f"validate_{RDV_FORM}"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        if tracker.get_slot("simu_fin"):
            return []
        if not (await call(sandbox().session_info, tracker.sender_id)).ok:
            return []  # not logged in, in the sandbox: the closing action says so
        return ["simu_motif", "simu_creneau", "simu_confirmation"]

    async def validate_simu_motif(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[Text, Any]:
        reasons = sandbox().appointment_reasons().data["reasons"]
        typed = str(value or "").strip().lower()
        for code, label in reasons:
            if typed in (code, label.lower()) or (len(typed) > 3 and typed in label.lower()):
                return {"simu_motif": code}
        return await self.wrong("simu_motif", message(Reason.APPOINTMENT_REASON_UNKNOWN), dispatcher, tracker)

    async def validate_simu_creneau(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        result = await call(sandbox().appointment_slots, tracker.sender_id)
        typed = str(value or "").strip().lower()
        for slot in result.data.get("slots", []):
            if typed in (slot.id.lower(), slot.label.lower()):
                return {"simu_creneau": slot.id}
        return await self.wrong("simu_creneau", txt.RDV_SLOT_UNKNOWN, dispatcher, tracker)

    async def validate_simu_confirmation(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        answer = yes_no(value)
        if answer is None:
            return await self.wrong("simu_confirmation", txt.YES_NO, dispatcher, tracker)
        if not answer:
            dispatcher.utter_message(text=txt.RDV_NOT_CONFIRMED)
            return {"simu_confirmation": None, "simu_fin": End.ABANDONED}
        result = await call(sandbox().book_appointment, tracker.sender_id, tracker.get_slot("simu_creneau") or "",
                                            tracker.get_slot("simu_motif") or "")
        dispatcher.utter_message(text=result.message)
        if result.ok:
            return {"simu_confirmation": "oui", "simu_fin": End.BOOKED}
        if result.reason is Reason.SLOT_UNAVAILABLE:
            return {"simu_confirmation": None, "simu_creneau": None}
        return {"simu_confirmation": None, "simu_fin": End.ERROR}


# -- the questions of the form, built from the sandbox's lists -----------------------------


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
        result = await call(sandbox().appointment_slots, tracker.sender_id)
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
        for slot in (await call(sandbox().appointment_slots, tracker.sender_id)).data.get("slots", []):
            if slot.id == when:
                when = slot.label
        text = txt.RDV_CONFIRM.format(reason=labels.get(tracker.get_slot("simu_motif"), ""), when=when)
        dispatcher.utter_message(text=text, buttons=[button("Oui, je confirme", "affirmer"), button("Non", "nier")])
        return []


# -- end of the form, and the list of appointments -----------------------------------------


class ActionRdvEnd(Action):
    def name(self) -> Text:
        return "action_simulation_rdv_fin"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        end = tracker.get_slot("simu_fin")
        if not (await call(sandbox().session_info, tracker.sender_id)).ok:
            dispatcher.utter_message(text=txt.NOT_LOGGED_IN_RDV, buttons=[txt.LOGIN_BUTTON])
            return reset_events() + [SlotSet("simu_connecte", False)]
        if end == End.BOOKED:
            dispatcher.utter_message(text=txt.LOGGED_IN_MENU, buttons=txt.LOGGED_IN_BUTTONS)
        elif end == End.TRIES or end == End.ERROR:
            end_with_help(dispatcher)
        else:
            dispatcher.utter_message(text=txt.LOGGED_IN_MENU, buttons=txt.LOGGED_IN_BUTTONS)
        return reset_events()


class ActionMyAppointments(Action):
    """« Mon agenda »: the upcoming appointments, each with a cancel button; cancels one."""

    def name(self) -> Text:
        return "action_simulation_mes_rdv"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        box = sandbox()
        to_cancel = entity(tracker, "rdv_id")
        if to_cancel:
            result = (await call(box.cancel_appointment, tracker.sender_id, int(to_cancel)) if to_cancel.isdigit()
                      else await call(box.cancel_appointment, tracker.sender_id, -1))
            if not result.ok and result.reason is Reason.NOT_LOGGED_IN:
                dispatcher.utter_message(text=result.message, buttons=[txt.LOGIN_BUTTON])
                return [SlotSet("simu_connecte", False)]
            dispatcher.utter_message(text=result.message)
        result = await call(box.list_appointments, tracker.sender_id)
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
