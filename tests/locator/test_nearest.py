"""Nearest offices: distances, the expected offices, today's hours, speed, map and credit."""

from __future__ import annotations

import math
import random
import time
from datetime import date

import pytest

from actions.answers import LOCATOR_CLOSED_TODAY as CLOSED_TODAY
from actions.answers import office_format, office_hours
from actions.catalogue import FRANCE_SERVICES_MAP, france_services_map_url
from actions.locator import haversine_km, map_url

MONDAY, SATURDAY, SUNDAY = date(2024, 8, 5), date(2024, 8, 10), date(2024, 8, 11)


@pytest.mark.parametrize(
    "a, b, km",
    [
        ((48.8566, 2.3522), (45.7640, 4.8357), 392),  # Paris – Lyon
        ((48.8566, 2.3522), (43.2965, 5.3698), 661),  # Paris – Marseille
        ((48.8566, 2.3522), (41.9192, 8.7386), 918),  # Paris – Ajaccio
        ((0.0, 0.0), (0.0, 1.0), 111.2),  # one degree of the equator
        ((45.0, 5.0), (45.0, 5.0), 0.0),
    ],
)
def test_great_circle_distances(a, b, km):
    assert haversine_km(*a, *b) == pytest.approx(km, abs=1.0)
    assert haversine_km(*b, *a) == pytest.approx(haversine_km(*a, *b))


def place(locator, text):
    result = locator.resolve_place(text)
    return result.place or result.area


def test_voiron_38500_gives_offices_of_isere(locator):
    for text in ("Voiron", "38500"):
        here = place(locator, text)
        results = locator.nearest(here.lat, here.lng, k=3, today=MONDAY)
        assert len(results) == 3
        assert [office.department for office in results] == ["38", "38", "38"]
        distances = [office.distance_km for office in results]
        assert distances == sorted(distances) and distances[-1] < 30
        assert all(d == round(d, 1) for d in distances)


def test_guise_gives_its_two_offices_first(locator):
    here = place(locator, "Guise")
    first, second, third = locator.nearest(here.lat, here.lng, today=MONDAY)
    assert {first.id, second.id} == {"1877", "3"}
    assert {first.town, second.town} == {"Guise"}
    assert {first.mobile, second.mobile} == {True, False}
    bus = first if first.mobile else second
    assert office_format(bus.format) == "itinérante (bus)" and bus.name.startswith("Bus France services")
    assert third.distance_km > 5 and first.distance_km < 1 and second.distance_km < 1


@pytest.mark.parametrize("text, department", [("20000", "2A"), ("Ajaccio", "2A"), ("97110", "971"), ("Cayenne", "973")])
def test_corsica_and_overseas(locator, text, department):
    here = place(locator, text)
    results = locator.nearest(here.lat, here.lng, k=3, today=MONDAY)
    assert [office.department for office in results] == [department] * 3


def test_result_fields_and_today(locator):
    here = place(locator, "Guise")
    fixed = next(o for o in locator.nearest(here.lat, here.lng, today=MONDAY) if o.id == "1877")
    assert fixed.name == "France services Guise"
    assert fixed.address == "70 Place d'Armes, Passerelle 70, 02120 Guise"
    assert office_hours(fixed.hours_today) == "de 9h à 12h et de 13h30 à 17h" and fixed.open_today is True
    assert fixed.phone and fixed.email and fixed.appointments is False and office_format(fixed.format) == "fixe"
    for day in (SATURDAY, SUNDAY):
        closed = next(o for o in locator.nearest(here.lat, here.lng, today=day) if o.id == "1877")
        assert office_hours(closed.hours_today) == CLOSED_TODAY and closed.open_today is False


def test_office_without_hours_says_so(locator):
    office = next(o for o in locator.offices if o.week is None)
    result = next(r for r in locator.nearest(office.lat, office.lng, k=5, today=MONDAY) if r.id == office.id)
    assert office_hours(result.hours_today) == "horaires non communiqués" and result.open_today is None


def test_index_agrees_with_brute_force(locator):
    rng = random.Random(7)
    for _ in range(300):
        lat, lng = rng.uniform(41.3, 51.1), rng.uniform(-5.0, 9.5)
        expected = sorted(haversine_km(lat, lng, o.lat, o.lng) for o in locator.offices)[:3]
        got = [o.distance_km for o in locator.nearest(lat, lng, k=3, today=MONDAY)]
        assert got == [round(d, 1) for d in expected]


def test_k_max_km_and_bad_input(locator):
    assert len(locator.nearest(45.0, 5.0, k=10)) == 10
    assert locator.nearest(45.0, 5.0, k=0) == []
    assert len(locator.nearest(45.0, 5.0, k=10_000)) == len(locator.offices)
    assert locator.nearest(46.78, -56.17, k=3, max_km=200) == []  # Saint-Pierre: no office near
    with pytest.raises(ValueError):
        locator.nearest(math.nan, 5.0)


def test_a_query_takes_well_under_5_ms(locator):
    rng = random.Random(1)
    timings = []
    for _ in range(300):
        lat, lng = rng.uniform(41.3, 51.1), rng.uniform(-5.0, 9.5)
        started = time.perf_counter()
        locator.nearest(lat, lng, k=3)
        timings.append(time.perf_counter() - started)
    timings.sort()
    assert timings[len(timings) // 2] < 0.005


def test_map_url_reuses_the_catalogue(locator):
    assert locator.map_url(45.3647, 5.5856, 13) == france_services_map_url(45.3647, 5.5856, 13)
    assert map_url(45.3647, 5.5856, 13) == (f"{FRANCE_SERVICES_MAP.value}?lat=45.364700&lng=5.585600&z=13")
    assert map_url() == france_services_map_url()  # national view


def test_source_credit(locator):
    assert locator.source_credit() == (
        "Source : liste officielle du 1er août 2024 (ANCT, Licence Ouverte 2.0) ; codes postaux GeoNames (CC BY 4.0)."
    )
