"""RedactingSQLTrackerStore on SQLite: nothing secret in the events table, trackers still work."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server_ext.tracker_store import ENCRYPTED_PREFIX, RedactingSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]
NIR = "1 75 01 69 123 456 79"
CODE_PERSO = "24681357"
SECURITY_CODE = "400365"
CODE_PROVISOIRE = "4826"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture
def store(tmp_path, domain, monkeypatch):
    monkeypatch.setenv("TRACKER_SECRET_KEY", "test-key-of-the-tracker-store")
    return RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))


def rows(store) -> str:
    path = store.engine.url.database
    with sqlite3.connect(path) as conn:
        return "\n".join(r[0] for r in conn.execute("select data from events order by id"))


def login_turns(tracker: DialogueStateTracker) -> None:
    tracker.update(ActiveLoop("simulation_connexion_form"))
    tracker.update(SlotSet("requested_slot", "simu_login_nir"))
    tracker.update(UserUttered(NIR, {"name": "informer"}, [{"entity": "nir", "value": NIR}]))
    tracker.update(SlotSet("simu_login_nir", NIR))
    tracker.update(SlotSet("requested_slot", "simu_login_code"))
    tracker.update(BotUttered("Saisissez votre code personnel."))
    tracker.update(ActionExecuted("action_listen"))


def test_secrets_never_reach_the_table_and_the_nir_slot_comes_back(store, domain):
    tracker = DialogueStateTracker.from_events("u1", [], domain.slots)
    login_turns(tracker)
    asyncio.run(store.save(tracker))
    data = rows(store)
    assert NIR not in data and NIR.replace(" ", "") not in data
    assert ENCRYPTED_PREFIX in data

    again = asyncio.run(store.retrieve("u1"))
    assert again.get_slot("simu_login_nir") == NIR  # the sandbox reads it in the next turn
    assert again.get_slot("requested_slot") == "simu_login_code"

    # next turn: the code personnel, answered to a code question, then the mail with a code
    again.update(UserUttered(CODE_PERSO, {"name": "informer"}))
    again.update(SlotSet("simu_login_code", CODE_PERSO))
    again.update(SlotSet("simu_login_code", None))
    again.update(BotUttered(f"Votre code de sécurité :\n{SECURITY_CODE}\nvalable 15 minutes."))
    again.update(SlotSet("requested_slot", "simu_code_securite"))
    again.update(ActionExecuted("action_listen"))
    again.update(UserUttered(f"le code est {CODE_PROVISOIRE}", {"name": "informer"}))
    n_events = len(again.events)
    asyncio.run(store.save(again))
    data = rows(store)
    for secret in (CODE_PERSO, SECURITY_CODE, CODE_PROVISOIRE, NIR.replace(" ", "")):
        assert secret not in data.replace(" ", ""), secret
    assert "[masqu" in data and "valable 15 minutes" in data

    # the count-based diff still works: saving again adds nothing, a retrieve has every event
    asyncio.run(store.save(again))
    final = asyncio.run(store.retrieve("u1"))
    assert len(final.events) == n_events


def test_the_security_code_typed_before_the_box_comes_back_encrypted_then_is_emptied(store, domain):
    """Sheets 09 / « Connexion »: the code is typed, then the box is answered at the next turn (maybe
    on another server): the code waits in its slot, encrypted in the table, then the slot is emptied."""
    tracker = DialogueStateTracker.from_events("u-box", [], domain.slots)
    tracker.update(ActiveLoop("simulation_connexion_form"))
    tracker.update(SlotSet("requested_slot", "simu_code_securite"))
    tracker.update(UserUttered(SECURITY_CODE, {"name": "informer"}))
    tracker.update(SlotSet("simu_code_securite", SECURITY_CODE))
    tracker.update(SlotSet("requested_slot", "simu_ordi_perso"))
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))
    assert SECURITY_CODE not in rows(store) and ENCRYPTED_PREFIX in rows(store)
    again = asyncio.run(store.retrieve("u-box"))
    assert again.get_slot("simu_code_securite") == SECURITY_CODE  # read by validate_simu_ordi_perso
    again.update(UserUttered("/nier", {"name": "nier"}))
    again.update(SlotSet("simu_code_securite", None))
    asyncio.run(store.save(again))
    assert SECURITY_CODE not in rows(store)
    assert asyncio.run(store.retrieve("u-box")).get_slot("simu_code_securite") is None


def test_postcodes_and_ordinary_messages_stay_readable(store, domain):
    tracker = DialogueStateTracker.from_events("u2", [], domain.slots)
    tracker.update(UserUttered("France Services près de 75011", {"name": "france_services"}))
    tracker.update(SlotSet("lieu", "75011"))
    asyncio.run(store.save(tracker))
    data = rows(store)
    assert "75011" in data and "France Services" in data


def test_a_wrong_key_gives_an_empty_slot_not_a_crash(tmp_path, domain, monkeypatch):
    monkeypatch.setenv("TRACKER_SECRET_KEY", "first-key-0123456789")
    first = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"))
    tracker = DialogueStateTracker.from_events("u3", [], domain.slots)
    login_turns(tracker)
    asyncio.run(first.save(tracker))
    monkeypatch.setenv("TRACKER_SECRET_KEY", "second-key-0123456789")
    second = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"))
    assert asyncio.run(second.retrieve("u3")).get_slot("simu_login_nir") is None


def test_the_event_broker_gets_redacted_events(store, domain):
    published = []

    class Broker:
        def publish(self, event):
            published.append(event)

    store.event_broker = Broker()
    tracker = DialogueStateTracker.from_events("u4", [], domain.slots)
    login_turns(tracker)
    asyncio.run(store.save(tracker))
    assert published and NIR not in repr(published)
