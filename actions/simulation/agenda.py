"""« Mon agenda » for a logged-in user: book a phone appointment (a form), list and cancel them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import simulation_answers as txt
from actions.answers import payload
from actions.sandbox import appointments, policy
from actions.sandbox.appointments import SlotWish, matching_slots
from actions.sandbox.reasons import Reason
from actions.sandbox.service import Sandbox
from actions.sandbox_answers import say, slot_title
from common.turns import previous_bot_turn

from .agenda_reading import match_reason, pick_shown, read_wish
from .common import End, SimulationValidation, call, end_with_help, entity, reset_events, yes_no

RDV_FORM = "simulation_rdv_form"


class ValidateRdvForm(SimulationValidation):
    """« Mon agenda / Prendre un rendez-vous »: reason, an offered slot, confirmation.

    The learner's own words are read as the answer to the step asked (domain.yml lets any
    topic sentence fill these slots): a reason (« pour un problème de remboursement »), a
    preference for the slot (« vous avez pas plutôt jeudi ? », « après 14h »). At the
    confirmation, anything but yes or no goes back to choosing a slot.
    """

    def name(self) -> Text:
        return f"validate_{RDV_FORM}"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        if tracker.get_slot("simu_fin"):
            return []
        if not (await call(Sandbox.session_info, tracker.sender_id)).ok:
            return []  # not logged in, in the sandbox: the closing action says so
        return ["simu_motif", "simu_creneau", "simu_confirmation"]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """A reason or a preference typed as a question (« vous avez pas plutôt jeudi ? ») is an
        answer to the step, not a question about the field: validate it as an answer."""
        requested = tracker.get_slot("requested_slot")
        text = _typed(tracker)
        if requested in tracker.slots_to_validate() and text and await self._answers_step(requested, text, tracker):
            events = await FormValidationAction.get_validation_events(self, dispatcher, tracker, domain)
        else:
            events = await super().get_validation_events(dispatcher, tracker, domain)
        if "sujet" in tracker.slots_to_validate():
            # « pour un problème de remboursement » answered a step: the conversation's topic stays
            # what it was (a later « toujours rien » is not about processing delays)
            events = [e for e in events if e.get("name") != "sujet"] + [SlotSet("sujet", _topic_before(tracker))]
        return events

    async def _answers_step(self, requested: str, text: str, tracker: Tracker) -> bool:
        if requested == "simu_motif":
            return match_reason(text, await _reasons()) is not None
        if requested == "simu_creneau":
            return read_wish(text, await _today(tracker)) is not None
        return requested == "simu_confirmation"

    async def validate_simu_motif(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        reasons = await _reasons()
        code = match_reason(str(value or ""), reasons)
        if code is None and _typed(tracker):
            code = match_reason(_typed(tracker), reasons)
        if code is None:
            labels = [label for _code, label in reasons]
            text = txt.RDV_REASON_UNKNOWN.format(
                reasons=", ".join(label[:1].lower() + label[1:] for label in labels[:-1]), other=labels[-1]
            )
            return await self.wrong("simu_motif", text, dispatcher, tracker)  # the question again: the buttons
        result: Dict[Text, Any] = {"simu_motif": code}
        if read_wish(_typed(tracker), await _today(tracker)) is not None:  # « remboursement, plutôt jeudi »
            result["simu_souhait"] = _typed(tracker)
        return result

    async def validate_simu_creneau(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        result = await call(Sandbox.appointment_slots, tracker.sender_id)
        slots = result.data.get("slots", [])
        typed = str(value or "").strip().lower()
        for slot in slots:
            if typed in (slot.id.lower(), slot.label.lower(), slot_title(slot.start).lower()):
                return {"simu_creneau": slot.id}
        text = _typed(tracker) or typed
        today = await _today(tracker)
        _message, shown = AskCreneau.choose([s.start for s in slots], tracker.get_slot("simu_souhait") or "", today)
        picked = pick_shown(text, shown)  # « oui » to a single slot, « le premier », « le 2e »
        if picked is not None:
            return {"simu_creneau": appointments.slot_id(picked)}
        wish = read_wish(text, today)
        if wish is None:
            return await self.wrong("simu_creneau", txt.RDV_SLOT_UNKNOWN, dispatcher, tracker)
        fitting = matching_slots([s.start for s in slots], wish, await _today(tracker))
        if wish.at is not None and len({s.date() for s in fitting}) == 1 and len(fitting) == 1:
            return {"simu_creneau": appointments.slot_id(fitting[0]), "simu_souhait": None}  # « jeudi 10h30 »
        return {"simu_creneau": None, "simu_souhait": text}  # the question shows the fitting slots

    async def validate_simu_confirmation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text = _typed(tracker)
        answer = yes_no(value)
        wish = read_wish(text, await _today(tracker)) if text else None
        if wish is not None and not (answer is not None and await self._chosen_fits(wish, tracker)):
            # « vous avez pas plutôt jeudi ? »: back to the slots, those that fit
            return {"simu_confirmation": None, "simu_creneau": None, "simu_souhait": text}
        if answer is None:
            # a question or another wish: back to choosing a slot, never « répondez par oui ou par non »
            dispatcher.utter_message(text=txt.RDV_CHANGE_SLOT)
            return {"simu_confirmation": None, "simu_creneau": None, "simu_souhait": None}
        if not answer:
            dispatcher.utter_message(text=txt.RDV_NOT_CONFIRMED)
            return {"simu_confirmation": None, "simu_fin": End.ABANDONED}
        result = await call(
            Sandbox.book_appointment,
            tracker.sender_id,
            tracker.get_slot("simu_creneau") or "",
            tracker.get_slot("simu_motif") or "",
        )
        dispatcher.utter_message(text=say(result))
        if result.ok:
            return {"simu_confirmation": "oui", "simu_fin": End.BOOKED}
        if result.reason is Reason.SLOT_UNAVAILABLE:
            return {"simu_confirmation": None, "simu_creneau": None}
        return {"simu_confirmation": None, "simu_fin": End.ERROR}

    async def _chosen_fits(self, wish: SlotWish, tracker: Tracker) -> bool:
        """« oui, jeudi c'est bien »: the wish names the slot already chosen."""
        chosen = appointments.parse_slot_id(tracker.get_slot("simu_creneau") or "")
        return chosen is not None and bool(matching_slots([chosen], wish, await _today(tracker)))


def _topic_before(tracker: Tracker) -> Any:
    """The value of `sujet` before the latest message (None when there was none)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == "sujet":
            return event.get("value")
    return None


def _typed(tracker: Tracker) -> str:
    """What the learner typed (a button's payload is not typed text)."""
    text = (tracker.latest_message.get("text") or "").strip()
    return "" if text.startswith("/") else text


async def _reasons() -> List[tuple]:
    return (await call(Sandbox.appointment_reasons)).data["reasons"]


def _reason_buttons(reasons: List[tuple]) -> List[Dict[str, str]]:
    return [{"title": label, "payload": payload("informer", motif_rdv=code)} for code, label in reasons]


async def _today(tracker: Tracker) -> date:
    """Today in the learner's world (the sandbox clock, moved by a trainer)."""
    return (await call(Sandbox.now, tracker.sender_id)).astimezone(appointments.LOCAL).date()


# -- the questions of the form, built from the sandbox's lists -----------------------------


class AskMotif(Action):
    def name(self) -> Text:
        return "action_ask_simu_motif"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        dispatcher.utter_message(text=txt.RDV_ASK_REASON, buttons=_reason_buttons(await _reasons()))
        return []


class AskCreneau(Action):
    """The free slots as a short choice over several days; the ones that fit the learner's
    preference (`simu_souhait`), or a clear « pas de créneau … » and the nearest ones."""

    def name(self) -> Text:
        return "action_ask_simu_creneau"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        result = await call(Sandbox.appointment_slots, tracker.sender_id)
        free = [s.start for s in result.data.get("slots", [])]
        if not result.ok or not free:
            dispatcher.utter_message(text=say(result) if not result.ok else txt.RDV_NO_SLOT)
            return []
        text, shown = self.choose(free, tracker.get_slot("simu_souhait") or "", await _today(tracker))
        buttons = [
            {"title": slot_title(s), "payload": payload("informer", creneau=appointments.slot_id(s))} for s in shown
        ]
        dispatcher.utter_message(text=text, buttons=buttons)
        return []

    @staticmethod
    def choose(free: List[datetime], wish_text: str, today: date) -> tuple:
        """(message, slots to show) for the free slots and the learner's preference, if any."""
        overview = appointments.spread(free, days=policy.APPOINTMENT_OFFER_DAYS)
        wish = read_wish(wish_text, today) if wish_text else None
        if wish is None or wish.is_empty():
            return txt.RDV_ASK_SLOT, overview
        fitting = matching_slots(free, wish, today)
        days = sorted({s.date() for s in fitting})
        named_day = days[0] if len(days) == 1 and (wish.weekdays or wish.days) else None
        if len(fitting) == 1:
            return txt.RDV_ONE_SLOT_FOR.format(wish=txt.describe_wish(wish, named_day)), fitting
        if fitting:
            return txt.RDV_SLOTS_FOR.format(wish=txt.describe_wish(wish, named_day)), appointments.spread(fitting)
        nearest = matching_slots(free, wish.day_only(), today) if wish.day_only() != wish else []
        return (
            txt.RDV_NO_SLOT_FOR.format(wish=txt.describe_wish(wish)),
            appointments.spread(nearest) if nearest else overview,
        )


class AskConfirmation(Action):
    def name(self) -> Text:
        return "action_ask_simu_confirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        labels = dict(await _reasons())
        when = tracker.get_slot("simu_creneau") or ""
        for slot in (await call(Sandbox.appointment_slots, tracker.sender_id)).data.get("slots", []):
            if slot.id == when:
                when = slot.label
        text = txt.RDV_CONFIRM.format(reason=labels.get(tracker.get_slot("simu_motif"), ""), when=when)
        dispatcher.utter_message(text=text, buttons=txt.RDV_CONFIRM_BUTTONS)
        return []


# -- end of the form, and the list of appointments -----------------------------------------


class ActionRdvEnd(Action):
    def name(self) -> Text:
        return "action_simulation_rdv_fin"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        end = tracker.get_slot("simu_fin")
        if not (await call(Sandbox.session_info, tracker.sender_id)).ok:
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
        to_cancel = entity(tracker, "rdv_id")
        if to_cancel:
            result = (
                await call(Sandbox.cancel_appointment, tracker.sender_id, int(to_cancel))
                if to_cancel.isdigit()
                else await call(Sandbox.cancel_appointment, tracker.sender_id, -1)
            )
            if not result.ok and result.reason is Reason.NOT_LOGGED_IN:
                dispatcher.utter_message(text=say(result), buttons=[txt.LOGIN_BUTTON])
                return [SlotSet("simu_connecte", False)]
            dispatcher.utter_message(text=say(result))
        result = await call(Sandbox.list_appointments, tracker.sender_id)
        if not result.ok:
            dispatcher.utter_message(text=say(result), buttons=[txt.LOGIN_BUTTON])
            return [SlotSet("simu_connecte", False)]
        views = result.data["appointments"]
        if not views:
            dispatcher.utter_message(text=txt.RDV_NONE, buttons=txt.RDV_BUTTONS)
            return []
        lines = [say(result)] + [
            txt.RDV_LINE.format(when=v.label, reason=v.reason_label, phone=_phone(v.phone)) for v in views
        ]
        buttons = [
            {"title": txt.RDV_CANCEL.format(when=v.label), "payload": payload("simuler_mes_rdv", rdv_id=v.id)}
            for v in views[:5]
        ]
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
        return []


def _phone(number: str) -> str:
    return " ".join(number[i : i + 2] for i in range(0, len(number), 2))


class ActionSlotPreferenceOutside(Action):
    """« vous avez pas plutôt jeudi ? » outside the booking: the day and time are chosen while
    booking; logged in to the sandbox, one button starts it, else the login exercise first."""

    def name(self) -> Text:
        return "action_simulation_preference_creneau"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        logged_in = (await call(Sandbox.session_info, tracker.sender_id)).ok
        buttons = [txt.RDV_BUTTONS[0]] if logged_in else [txt.LOGIN_BUTTON]
        # never the same answer twice in a row (issue 20): the second time, only the way in
        text = (
            txt.RDV_PREFERENCE_OUTSIDE_AGAIN
            if _said_last_turn(tracker, txt.RDV_PREFERENCE_OUTSIDE)
            else (txt.RDV_PREFERENCE_OUTSIDE)
        )
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


def _said_last_turn(tracker: Tracker, text: str) -> bool:
    """True when the bot's answer to the previous message had this text."""
    return any(e.get("event") == "bot" and e.get("text") == text for e in previous_bot_turn(tracker.events))
