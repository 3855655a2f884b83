"""Loading the ANCT list: kept as strings, cleaned, and refused whole when wrong."""

from __future__ import annotations

import csv
import io

import pytest

from actions.answers import office_format
from actions.locator import LocatorDataError, load_offices
from actions.locator.offices import REQUIRED_COLUMNS, date_from_file_name, in_france

from .conftest import FS_CSV


@pytest.fixture(scope="module")
def offices():
    return {office.id: office for office in load_offices(FS_CSV, min_rows=2000)}


def test_the_shared_file_loads_whole(offices):
    assert len(offices) == 2845
    assert sum(office.is_antenna for office in offices.values()) == 124


def test_codes_stay_strings(offices):
    assert offices["1"].postcode == "01200"
    assert offices["1"].department == "01"
    assert offices["124"].department == "2A"
    assert {office.department for office in offices.values()} >= {"2A", "2B", "971", "972", "973", "974", "976"}


def test_fields_are_cleaned(offices):
    mons = offices["2632"]  # "27 Avenue Robert Schuman\n\n\n" in the file
    assert "\n" not in mons.address and mons.address.startswith("27 Avenue Robert Schuman, ")
    assert offices["1877"].address == "70 Place d'Armes, Passerelle 70, 02120 Guise"
    assert not any(o.name != o.name.strip() or "\xa0" in o.name for o in offices.values())


def test_several_emails_keep_the_first(offices, fs_rows):
    rows = [row for row in fs_rows if row["mail"].count("@") > 1]
    assert rows, "the 2024 file has rows listing several addresses"
    for row in rows:
        assert offices[row["id_fs"]].email == row["mail"].split(" - ")[0].strip()


def test_format_and_appointments(offices):
    bus = offices["3"]
    assert bus.mobile and office_format(bus.format) == "itinérante (bus)"
    assert office_format(offices["1877"].format) == "fixe" and not offices["1877"].mobile
    assert offices["4"].appointments is True and offices["1"].appointments is False


def test_missing_column_is_refused(small_csv):
    path = small_csv(drop=("latitude",))
    with pytest.raises(LocatorDataError, match="missing column.*latitude"):
        load_offices(path)


@pytest.mark.parametrize("column", ["code_postal", "h_samedi", "prise_rdv", "format_fs"])
def test_each_required_column_is_checked(small_csv, column):
    assert column in REQUIRED_COLUMNS
    with pytest.raises(LocatorDataError, match=column):
        load_offices(small_csv(drop=(column,)))


@pytest.mark.parametrize(
    "latitude, longitude, message",
    [
        ("abc", "5.8", "unreadable coordinates"),
        ("", "5.8", "unreadable coordinates"),
        ("nan", "5.8", "unreadable coordinates"),
        ("5.826", "46.106", "outside France"),  # swapped
        ("0", "0", "outside France"),
        ("40.4", "-3.7", "outside France"),  # Madrid
    ],
)
def test_bad_coordinates_are_refused(small_csv, latitude, longitude, message):
    def spoil(row):
        if row["id_fs"] == "3":
            row["latitude"], row["longitude"] = latitude, longitude

    with pytest.raises(LocatorDataError, match=message) as raised:
        load_offices(small_csv(change=spoil))
    assert "id_fs '3'" in str(raised.value)


def test_too_few_rows_missing_file_and_not_csv(small_csv, tmp_path):
    with pytest.raises(LocatorDataError, match="5 offices, expected at least 2000"):
        load_offices(small_csv(), min_rows=2000)
    with pytest.raises(LocatorDataError, match="not found"):
        load_offices(tmp_path / "absent.csv")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(LocatorDataError):
        load_offices(binary)


def test_semicolon_file_with_bom_is_read(tmp_path, small_csv):
    text = small_csv().read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    path = tmp_path / "semi.csv"
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")
    assert [o.id for o in load_offices(path)] == ["1", "2", "3", "4", "5"]


def test_bounding_boxes_and_file_date():
    assert in_france(48.85, 2.35) and in_france(41.92, 8.74) and in_france(16.24, -61.53)
    assert in_france(-20.88, 55.45) and in_france(-12.78, 45.23) and in_france(4.93, -52.33)
    assert not in_france(51.5, -0.12) and not in_france(2.35, 48.85)
    assert str(date_from_file_name("liste-fs-20240801.csv")) == "2024-08-01"
    assert date_from_file_name("france_services.csv") is None
