"""A fresh clone without network: the snapshots shipped in actions/locator/data answer alone.

No FRANCE_SERVICES_CSV, no PGEOCODE_DATA_DIR, nothing downloaded by `make data`, and any
attempt to open a network connection fails the test.
"""

from __future__ import annotations

import hashlib
import re
import socket

import pytest

from actions.locator import core, get_locator, reset_locator
from actions.locator.places import GEONAMES_SNAPSHOT
from actions.locator_actions import ActionFranceServices
from tests.conftest import make_tracker, run_action

from .conftest import FS_CSV, ROOT

README = ROOT / "actions" / "locator" / "data" / "README.md"


@pytest.fixture
def fresh_clone(monkeypatch, tmp_path):
    def no_network(*args, **kwargs):
        raise AssertionError("the locator must not use the network")

    monkeypatch.delenv("FRANCE_SERVICES_CSV", raising=False)
    monkeypatch.delenv("PGEOCODE_DATA_DIR", raising=False)
    monkeypatch.setattr(core, "DOWNLOADED_CSV", tmp_path / "var" / "data" / "france_services.csv")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    reset_locator()
    yield
    reset_locator()


@pytest.mark.parametrize(
    "place, label, first_office, department",
    [
        ("38500", "Voiron (38500)", "France services de la Valdaine", "38"),
        ("Guise", "Guise (02120)", "France services Guise", "02"),
        ("20000", "Ajaccio (20000)", "France services d'Ajaccio - Jardins de l'Empereur", "2A"),
    ],
)
def test_three_nearest_offices_from_the_shipped_snapshot(fresh_clone, place, label, first_office, department):
    locator = get_locator()
    assert locator.available, locator.problems
    assert len(locator.offices) == 2845
    messages, _ = run_action(ActionFranceServices(), make_tracker(slots={"lieu": place}))
    text = messages[0]["text"]
    assert text.startswith(f"Les France Services les plus proches de {label} :")
    offices = re.findall(r"^(\d)\. (.+) — à ([\d,]+) km$", text, flags=re.MULTILINE)
    assert [rank for rank, _, _ in offices] == ["1", "2", "3"], text
    assert offices[0][1] == first_office
    distances = [float(km.replace(",", ".")) for _, _, km in offices]
    assert distances == sorted(distances) and distances[-1] < 40
    assert all(o.department == department for o in locator.nearest(*_point(locator, place)))
    assert "liste officielle du 1er août 2024" in text and "ANCT" in text and "GeoNames" in text


def _point(locator, place):
    found = locator.resolve_place(place)
    here = found.place or (found.candidates[0] if found.candidates else found.area)
    return here.lat, here.lng


def test_the_snapshots_are_those_the_readme_describes():
    """Shipped, small, and with the checksums written in their README."""
    text = README.read_text(encoding="utf-8")
    for path in (FS_CSV, GEONAMES_SNAPSHOT):
        assert path.is_file(), f"{path} is missing: the locator has no data"
        assert path.stat().st_size < 1_000_000
        assert hashlib.sha256(path.read_bytes()).hexdigest() in text, path.name
    assert "Licence Ouverte 2.0" in text and "CC BY 4.0" in text
