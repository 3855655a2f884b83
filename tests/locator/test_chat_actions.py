"""The France Services answers in the chat: form validation and replies (rasa_sdk actions)."""

from __future__ import annotations

import asyncio

import pytest

from actions.actions import ActionInform
from actions.locator import reset_locator
from actions.locator_actions import (
    MAX_PLACE_ATTEMPTS,
    ActionAskLieu,
    ActionFranceServices,
    ActionNearbyHelp,
    ValidateLieuForm,
)
from tests.conftest import make_tracker, run_action


@pytest.fixture
def chat(locator, monkeypatch):
    """The actions find the session's Locator (built once from the shipped snapshots, `locator`)
    as the process's shared one, and forget it after the test."""
    from actions.locator import core

    monkeypatch.setattr(core, "_shared", locator)
    yield
    reset_locator()


def validate(text, slots=None):
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text, "informer", slots=slots or {})
    result = ValidateLieuForm().validate_lieu(text, dispatcher, tracker, {})
    return result, dispatcher.messages


def test_a_postcode_is_accepted(chat):
    result, messages = validate("38500")
    assert result["lieu"] == "38500" and messages == []
    result, _ = validate("Voiron")
    assert result["lieu"] == "Voiron (38500)"


def test_a_postcode_shared_by_several_communes_answers_for_the_main_one_and_offers_the_others(chat):
    messages, _ = run_action(ActionFranceServices(), make_tracker(slots={"lieu": "38500"}))
    assert "Les France Services les plus proches de Voiron (38500)" in messages[0]["text"]
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles and "Voiron (38500)" not in titles and all("(38500)" in t for t in titles)
    messages, _ = run_action(ActionFranceServices(), make_tracker(slots={"lieu": "Voiron (38500)"}))
    assert not messages[0].get("buttons")


def test_an_ambiguous_town_gets_buttons_to_choose(chat):
    result, messages = validate("Saint-Denis")
    assert result["lieu"] is None and result["lieu_choix"] is True
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert "Saint-Denis (97400)" in titles and "Saint-Denis (93200)" in titles
    # the button's payload gives the commune back, and it is then understood
    payload = messages[0]["buttons"][0]["payload"]
    assert payload.startswith('/informer{"commune":"Saint-Denis (')
    assert validate(titles[0])[0]["lieu"] == titles[0]


def test_an_unknown_place_is_asked_again_then_the_form_gives_up(chat):
    result, messages = validate("Zzyzxville")
    assert result == {"lieu": None, "lieu_essais": 1}
    assert "Zzyzxville" in messages[0]["text"] and "code postal" in messages[0]["text"]
    from rasa_sdk.executor import CollectingDispatcher

    tracker = make_tracker("x", "informer", slots={"lieu_essais": MAX_PLACE_ATTEMPTS})
    slots = asyncio.run(ValidateLieuForm().required_slots(["lieu"], CollectingDispatcher(), tracker, {}))
    assert slots == []


def test_ask_is_silent_right_after_the_choice_buttons(chat):
    messages, events = run_action(ActionAskLieu(), make_tracker(slots={"lieu_choix": True}))
    assert messages == [] and events[0]["value"] is False
    messages, _ = run_action(ActionAskLieu(), make_tracker(slots={"lieu_choix": False}))
    assert "code postal" in messages[0]["text"]


def test_guise_gets_its_two_offices_first_with_hours_phone_and_sources(chat):
    messages, _ = run_action(ActionFranceServices(), make_tracker(slots={"lieu": "02120"}))
    text = messages[0]["text"]
    assert text.index("France services Guise") < text.index("Bohain")
    assert text.index("Bus France services Thiérache") < text.index("Bohain")
    assert "Aujourd'hui :" in text and "Téléphone :" in text and "Sur rendez-vous :" in text
    assert "https://anct-carto.github.io/france_services/?lat=49.9" in text
    assert "ANCT" in text and "GeoNames" in text


@pytest.mark.parametrize("postcode, department", [("20000", "2A"), ("97110", "971"), ("38500", "38")])
def test_corsica_overseas_and_isere(chat, postcode, department):
    from actions.locator import get_locator, resolve_place

    place = resolve_place(postcode)
    here = place.place or place.area
    offices = get_locator().nearest(here.lat, here.lng, k=3)
    assert all(o.department == department for o in offices)
    messages, _ = run_action(ActionFranceServices(), make_tracker(slots={"lieu": postcode}))
    assert offices[0].name in messages[0]["text"]


def test_without_data_the_answer_is_the_map_link(isolated_env, tmp_path):
    isolated_env.setenv("FRANCE_SERVICES_CSV", str(tmp_path / "absent.csv"))
    isolated_env.setenv("PGEOCODE_DATA_DIR", str(tmp_path / "empty"))
    messages, _ = run_action(ActionFranceServices(), make_tracker(slots={"lieu": "38500"}))
    assert "https://anct-carto.github.io/france_services/?lat=46.413220" in messages[0]["text"]
    messages, _ = run_action(ActionNearbyHelp(), make_tracker(slots={"lieu": "38500"}))
    assert messages == []


def test_a_place_given_on_its_own_gets_the_offices(chat):
    tracker = make_tracker("Voiron", "informer", entities=[{"entity": "commune", "value": "Voiron"}])
    messages, events = run_action(ActionInform(), tracker)
    assert "Les France Services les plus proches de Voiron" in messages[0]["text"]
    assert events[0]["name"] == "lieu"


def test_help_answers_add_the_nearest_office_once_a_place_is_known(chat):
    messages, _ = run_action(ActionNearbyHelp(), make_tracker(slots={"lieu": "02120"}))
    assert "Près de chez vous" in messages[0]["text"] and "Guise" in messages[0]["text"]
    messages, _ = run_action(ActionNearbyHelp(), make_tracker(slots={}))
    assert messages == []


def test_the_last_fallback_adds_the_nearest_office_once_a_place_is_known(chat):
    from actions.actions import ActionDefaultFallback

    messages, _ = run_action(ActionDefaultFallback(), make_tracker("zzz", "nlu_fallback", slots={"lieu": "Guise"}))
    assert "France Services" in messages[0]["text"] and "Près de chez vous (Guise" in messages[1]["text"]
    messages, _ = run_action(ActionDefaultFallback(), make_tracker("zzz", "nlu_fallback"))
    assert len(messages) == 1
