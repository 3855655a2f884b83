"""France Services near the user: thin Rasa adapters over actions/locator.

- `lieu_form` asks for a postcode or a town when the user gave none;
- `action_france_services` answers with the 3 nearest offices (or the map link, degraded);
- `action_france_services_proche` adds the nearest office to the help answers when the
  user already gave a place, and says nothing otherwise.
"""

from __future__ import annotations

import threading
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import answers
from actions.locator import OfficeResult, Place, Status, get_locator

MAX_PLACE_ATTEMPTS = 2  # then the map link, so nobody is stuck in the question
MAX_CANDIDATES = 5


def warm_up() -> threading.Thread:
    """Build the France Services index in a background thread: called when the action server
    starts (rasa_sdk_plugins), so that it is ready before someone's conversation needs it."""
    thread = threading.Thread(target=get_locator, name="locator-warm-up", daemon=True)
    thread.start()
    return thread


def format_office(rank: int, office: OfficeResult) -> str:
    """One office as a few short lines."""
    distance = f"{office.distance_km:.1f}".replace(".", ",")
    lines = [answers.LOCATOR_OFFICE_HEAD.format(rank=rank, name=office.name, distance=distance)]
    if office.mobile:
        lines.append(f"{answers.LOCATOR_MOBILE} {office.address}")
    else:
        lines.append(office.address)
    lines.append(answers.LOCATOR_OFFICE_TODAY.format(hours=answers.office_hours(office.hours_today)))
    if office.phone:
        lines.append(answers.LOCATOR_OFFICE_PHONE.format(phone=office.phone))
    lines.append(
        answers.LOCATOR_OFFICE_BY_APPOINTMENT.format(answer=answers.LOCATOR_YES_NO_LABELS[office.appointments])
    )
    return "\n".join([lines[0]] + ["   " + line for line in lines[1:]])


def offices_reply(place: Place) -> str:
    """The answer for a known place: 3 nearest offices, the centred map, the sources."""
    locator = get_locator()
    map_link = locator.map_url(place.lat, place.lng)
    offices = locator.nearest(place.lat, place.lng, k=3)
    if not offices:
        return answers.LOCATOR_NO_LIST.format(place=place.label, map=map_link)
    body = "\n".join(format_office(i, o) for i, o in enumerate(offices, start=1))
    return answers.LOCATOR_RESULTS.format(place=place.label, offices=body, map=map_link, credit=locator.source_credit())


def resolve(text: Optional[str]) -> Tuple[Optional[Place], List[Place], Status]:
    """(place, candidates, status) for what the user typed."""
    if not text or not text.strip():
        return None, [], Status.NOT_FOUND
    found = get_locator().resolve_place(text)
    # A postcode shared by several communes: its main commune (first candidate), as
    # people mean "Guise" by 02120; the centre of all its communes otherwise.
    postcode_area = found.area is not None and found.candidates
    place = found.place or (found.candidates[0] if postcode_area else found.area)
    return place, list(found.candidates), found.status


def choice_buttons(candidates: List[Place]) -> List[Dict[str, str]]:
    """One button per commune; its payload gives the commune back as an entity."""
    return [answers.button(c.label, "informer", commune=c.label) for c in candidates[:MAX_CANDIDATES]]


def place_reply(place: Place, candidates: List[Place]) -> Tuple[str, List[Dict[str, str]]]:
    """The offices near `place`; when it stands for a postcode shared by several communes,
    buttons to choose another of them."""
    others = [c for c in candidates if c.label != place.label]
    if not others:
        return offices_reply(place), []
    return offices_reply(place) + "\n" + answers.LOCATOR_OTHER_COMMUNES, choice_buttons(others)


class ValidateLieuForm(FormValidationAction):
    """Checks the place typed; offers buttons when several communes share the name."""

    def name(self) -> Text:
        return "validate_lieu_form"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        gave_up = (tracker.get_slot("lieu_essais") or 0) >= MAX_PLACE_ATTEMPTS
        return [] if gave_up or not get_locator().geocoding_available else domain_slots

    def validate_lieu(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text = value if isinstance(value, str) else None
        place, candidates, status = resolve(text)
        if place is not None:
            # a shared postcode stays a postcode: the answer then offers its other communes
            shared_postcode = status == Status.AMBIGUOUS and candidates and text is not None
            return {"lieu": text.strip() if shared_postcode else place.label, "lieu_essais": 0}
        attempts = (tracker.get_slot("lieu_essais") or 0) + 1
        if status == Status.AMBIGUOUS and candidates:
            dispatcher.utter_message(text=answers.LOCATOR_WHICH_ONE, buttons=choice_buttons(candidates))
            return {"lieu": None, "lieu_essais": attempts, "lieu_choix": True}
        dispatcher.utter_message(text=answers.LOCATOR_NOT_FOUND.format(place=(text or "")[:60]))
        return {"lieu": None, "lieu_essais": attempts}


class ActionAskLieu(Action):
    """Asks for the place, unless choice buttons were just shown."""

    def name(self) -> Text:
        return "action_ask_lieu"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        if tracker.get_slot("lieu_choix"):
            return [SlotSet("lieu_choix", False)]
        dispatcher.utter_message(text=answers.LOCATOR_ASK)
        return []


class ActionFranceServices(Action):
    """The nearest offices for the place in slot `lieu`, or the map link."""

    def name(self) -> Text:
        return "action_france_services"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        place, candidates, status = resolve(tracker.get_slot("lieu"))
        if place is not None:
            text, buttons = place_reply(place, candidates)
            dispatcher.utter_message(text=text, buttons=buttons)
        elif status == Status.UNAVAILABLE or not get_locator().geocoding_available:
            dispatcher.utter_message(text=answers.LOCATOR_UNAVAILABLE.format(map=answers.MAP))
        else:
            dispatcher.utter_message(text=answers.LOCATOR_GAVE_UP.format(map=answers.MAP))
        return [SlotSet("lieu_essais", 0)]


def nearby_office(lieu: Optional[str]) -> Optional[str]:
    """ "Près de chez vous : …" with the nearest office, or None when no place is known."""
    place, _, _ = resolve(lieu)
    if place is None:
        return None
    offices = get_locator().nearest(place.lat, place.lng, k=1)
    if not offices:
        return None
    return answers.LOCATOR_NEARBY.format(place=place.label, office=format_office(1, offices[0]))


class ActionNearbyHelp(Action):
    """After a help answer: the nearest office, when the user already gave a place."""

    def name(self) -> Text:
        return "action_france_services_proche"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        text = nearby_office(tracker.get_slot("lieu"))
        if text:
            dispatcher.utter_message(text=text)
        return []
