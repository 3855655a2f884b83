"""The trainer's commands in the chat: the demo dossiers, « changer de navigateur »,
« remettre à zéro » and « avancer l'horloge » (to show an expired code or link)."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import simulation_answers as txt
from actions.sandbox.service import Sandbox
from actions.sandbox_answers import say
from common import settings

from .common import call, entity, reset_events

TRAINER_COMMANDS_ENV = settings.SANDBOX_TRAINER_COMMANDS

_DURATION = re.compile(r"(\d+|\bune?\b)\s*(minutes?|mins?|mn|m|heures?|h|jours?|j|d|semaines?|sem)\b", re.IGNORECASE)


def trainer_commands_enabled() -> bool:
    """Reset, clock moves and « changer de navigateur » act on the caller's own sandbox world, so
    they are on everywhere; SANDBOX_TRAINER_COMMANDS=off turns them off (the trainer's CLI still works)."""
    return settings.trainer_commands_enabled()


def parse_duration(text: str) -> Optional[timedelta]:
    """'16 minutes', '2h', '8 jours', '1 semaine', 'une heure' -> timedelta; None if unreadable."""
    found = _DURATION.search(text or "")
    if not found:
        return None
    count = int(found.group(1)) if found.group(1).isdigit() else 1  # « une heure », « un jour »
    unit = found.group(2).lower()
    if unit.startswith("sem"):
        return timedelta(weeks=count)
    if unit.startswith(("j", "d")):
        return timedelta(days=count)
    if unit.startswith("h"):
        return timedelta(hours=count)
    return timedelta(minutes=count)


class ActionDossiers(Action):
    def name(self) -> Text:
        return "action_simulation_dossiers"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        result = await call(Sandbox.list_dossiers, tracker.sender_id)
        demo = {p.nir: p for p in result.data["demo_people"]}
        lines = [txt.DOSSIERS_TITLE]
        for number, view in enumerate(result.data["dossiers"], start=1):
            person = demo.get(view.nir)
            line = (
                txt.demo_line(person, number)
                if person
                else f"{number}. {view.first_name} {view.last_name}, {view.nir}."
            )
            lines.append(f"{line} ({txt.ACCOUNT_STATE.get(view.account, view.account)})")
        dispatcher.utter_message(text="\n".join(lines) + "\n" + txt.SIMULATION_WARNING)
        return []


class ActionChangeBrowser(Action):
    """Trainer command « changer de navigateur »: a new device id for this conversation."""

    def name(self) -> Text:
        return "action_simulation_navigateur"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        result = await call(Sandbox.switch_device, tracker.sender_id, "navigateur-" + secrets.token_hex(8))
        dispatcher.utter_message(text=say(result), buttons=txt.LOGGED_OUT_BUTTONS)
        return [SlotSet("simu_connecte", False)]


class ActionReset(Action):
    def name(self) -> Text:
        return "action_simulation_reset"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        if not trainer_commands_enabled():
            dispatcher.utter_message(text=txt.TRAINER_COMMANDS_OFF)
            return []
        result = await call(Sandbox.reset, tracker.sender_id)
        dispatcher.utter_message(text=say(result))
        return reset_events() + [SlotSet("simu_connecte", False)]


class ActionAdvanceClock(Action):
    """Trainer command « avancer l'horloge de 16 minutes » (show an expired code or link)."""

    def name(self) -> Text:
        return "action_simulation_horloge"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        if not trainer_commands_enabled():
            dispatcher.utter_message(text=txt.TRAINER_COMMANDS_OFF)
            return []
        delta = parse_duration(entity(tracker, "duree") or "") or parse_duration(
            tracker.latest_message.get("text") or ""
        )
        if delta is None:
            dispatcher.utter_message(text=txt.CLOCK_UNREADABLE)
            return []
        dispatcher.utter_message(text=say(await call(Sandbox.advance_clock, tracker.sender_id, delta)))
        return []
