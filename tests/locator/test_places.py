"""Postcode or town → place, offline, with the GeoNames snapshot shipped in actions/locator/data."""

from __future__ import annotations

import pytest

from actions.locator import Status, normalize
from actions.locator.places import country_of, department_of


def found(locator, text):
    result = locator.resolve_place(text)
    assert result.status is Status.FOUND, (text, result)
    return result.place


@pytest.mark.parametrize(
    "text, name, postcode, department",
    [
        ("Voiron", "Voiron", "38500", "38"),
        ("20000", "Ajaccio", "20000", "2A"),
        ("20000 Ajaccio", "Ajaccio", "20000", "2A"),
        ("97110", "Pointe-à-Pitre", "97110", "971"),  # GeoNames GP
        ("97200", "Fort-de-France", "97200", "972"),  # MQ
        ("97300", "Cayenne", "97300", "973"),  # GF
        ("97400", "Saint-Denis", "97400", "974"),  # RE
        ("97150", "Saint-Martin", "97150", "978"),  # not in GeoNames: from the ANCT list
        ("Guise", "Guise", "02120", "02"),
        ("Valserhône", "Valserhône", "01200", "01"),  # new commune, from the ANCT list
        ("42100", "Saint-Étienne", "42100", "42"),
        ("Paris 15", "Paris 15", "75015", "75"),
    ],
)
def test_one_place(locator, text, name, postcode, department):
    place = found(locator, text)
    assert (place.name, place.postcode, place.department) == (name, postcode, department)


@pytest.mark.parametrize(
    "text", ["saint etienne", "Saint-Étienne", "SAINT ETIENNE", "st-etienne", "Saint Étienne ", "saint-etienne"]
)
def test_case_accents_hyphens_do_not_matter(locator, text):
    place = found(locator, text)
    assert (place.name, place.postcode) == ("Saint-Étienne", "42000")
    assert place.lat == pytest.approx(45.43, abs=0.05) and place.lng == pytest.approx(4.39, abs=0.05)


@pytest.mark.parametrize("text", ["Pointe-à-Pitre", "pointe a pitre", "POINTE À PITRE"])
def test_overseas_town_names(locator, text):
    assert found(locator, text).postcode == "97110"


def test_ambiguous_town_gives_candidates(locator):
    result = locator.resolve_place("Saint-Denis")
    assert result.status is Status.AMBIGUOUS and result.place is None
    departments = {place.department for place in result.candidates}
    assert {"93", "974"} <= departments
    assert len({place.label for place in result.candidates}) == len(result.candidates)
    # A candidate's label, sent back by a button, resolves to that candidate.
    for candidate in result.candidates:
        assert found(locator, candidate.label) == candidate
    assert found(locator, "Saint-Denis 974").postcode == "97400"
    assert found(locator, "Saint-Denis (93)").postcode == "93200"


@pytest.mark.parametrize("text", ["02120", "2120", "02 120"])
def test_shared_postcode_gives_its_communes_guise_first(locator, text):
    result = locator.resolve_place(text)
    assert result.status is Status.AMBIGUOUS
    names = [place.name for place in result.candidates]
    assert names[0] == "Guise"  # the commune with a France Services comes first
    assert {"Villers-lès-Guise", "Audigny"} <= set(names) and len(names) > 20
    assert all(place.postcode == "02120" for place in result.candidates)
    assert result.area is not None and result.area.postcode == "02120"
    assert result.area.lat == pytest.approx(49.89, abs=0.05)


def test_postcode_with_town_picks_the_commune(locator):
    result = locator.resolve_place("38500")
    assert result.status is Status.AMBIGUOUS
    assert result.candidates[0].name == "Voiron"
    assert {place.name for place in result.candidates} >= {"Coublevie", "La Buisse"}
    assert found(locator, "Coublevie 38500").name == "Coublevie"
    assert found(locator, "38500 voiron").name == "Voiron"


@pytest.mark.parametrize("text", ["Atlantide", "99999", "00000", "", "   ", "385001", "zzz 38", "Voironnnn"])
def test_unknown_place_is_not_found(locator, text):
    result = locator.resolve_place(text)
    assert result.status is Status.NOT_FOUND
    assert result.place is None and result.candidates == ()


def test_cedex_codes_and_corsica(locator):
    assert found(locator, "38501").name == "Voiron"  # CEDEX only
    bastia = locator.resolve_place("20200")
    assert bastia.candidates[0].department == "2B"


def test_normalize_and_departments():
    assert normalize("L'Isle-d'Abeau") == "l isle d abeau"
    assert normalize("Œuilly") == "oeuilly"
    assert normalize("Ste-Marie") == "sainte marie"
    assert [country_of(code) for code in ("38500", "20000", "97110", "97200", "97300", "97400", "97500", "97600")] == [
        "FR",
        "FR",
        "GP",
        "MQ",
        "GF",
        "RE",
        "PM",
        "YT",
    ]
    assert [department_of(code) for code in ("38500", "02120", "20000", "20200", "97110", "97150", "97600")] == [
        "38",
        "02",
        "2A",
        "2B",
        "971",
        "978",
        "976",
    ]
