"""Opening hours: every format of the ANCT file, and the French phrases."""

from __future__ import annotations

import pytest

from actions.answers import LOCATOR_CLOSED_TODAY as CLOSED_TODAY
from actions.answers import LOCATOR_HOURS_UNKNOWN as HOURS_UNKNOWN
from actions.answers import office_hours as format_ranges
from actions.locator.hours import DAY_COLUMNS, day_ranges, parse_day, parse_week


def describe_day(week, weekday):
    """One day's hours as the bot says them."""
    return format_ranges(day_ranges(week, weekday))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("09:00 - 12:00 / 13:30 - 17:00", ((540, 720), (810, 1020))),
        ("13:30 - 17:00", ((810, 1020),)),
        ("", ()),
        (None, ()),
        ("   ", ()),
        # Placeholders, alone or beside real ranges.
        ("00:00 - 00:00", ()),
        ("00:00 - 00:00 / 09:00 - 12:00", ((540, 720),)),
        ("00:00 - 00:00 / 00:00 - 00:00 / 08:30 - 16:00", ((510, 960),)),
        # Merged sites: overlapping, duplicate, unsorted ranges → their union.
        ("09:00 - 12:00 / 09:00 - 16:30 / 14:00 - 16:30", ((540, 990),)),
        ("13:30 - 16:00 / 13:30 - 16:00", ((810, 960),)),
        ("08:30 - 17:30 / 08:30 - 12:30 / 08:30 - 12:30 / 08:30 - 17:30", ((510, 1050),)),
        ("09:00 - 17:30 / 09:00 - 12:00 / 13:30 - 17:30", ((540, 1050),)),
        (
            "08:45 - 10:15 / 10:30 - 11:30 / 10:30 - 12:00 / 13:30 - 14:30 / 15:00 - 16:15",
            ((525, 615), (630, 720), (810, 870), (900, 975)),
        ),
        # Formats not in the 2024 file, read leniently.
        ("9h-12h", ((540, 720),)),
        ("9h30 à 12h / 14h - 17h30", ((570, 720), (840, 1050))),
        ("17:00 - 09:00", ()),
        ("25:00 - 26:00", ()),
    ],
)
def test_parse_day(text, expected):
    assert parse_day(text) == expected


@pytest.mark.parametrize("text", ["sur rendez-vous", "fermé", "?", "matin"])
def test_unreadable_day_is_unknown_not_an_error(text):
    assert parse_day(text) is None
    week = parse_week([text] + [""] * 5)
    assert describe_day(week, 0) == HOURS_UNKNOWN
    assert describe_day(week, 1) == CLOSED_TODAY


def test_french_phrases():
    assert format_ranges(((540, 720), (810, 1020))) == "de 9h à 12h et de 13h30 à 17h"
    assert format_ranges(((525, 615), (630, 720), (810, 870))) == "de 8h45 à 10h15, de 10h30 à 12h et de 13h30 à 14h30"
    assert format_ranges(((570, 990),)) == "de 9h30 à 16h30"


def test_week_closed_days_sunday_and_no_hours():
    week = parse_week(["13:30 - 17:00", "09:00 - 12:00 / 13:30 - 17:00", "", "", "09:00 - 12:00", ""])
    assert describe_day(week, 0) == "de 13h30 à 17h"
    assert describe_day(week, 1) == "de 9h à 12h et de 13h30 à 17h"
    assert describe_day(week, 2) == CLOSED_TODAY
    assert describe_day(week, 5) == CLOSED_TODAY  # empty Saturday
    assert describe_day(week, 6) == CLOSED_TODAY  # no Sunday column: always closed
    no_hours = parse_week([""] * 6)
    assert no_hours is None
    assert describe_day(no_hours, 0) == HOURS_UNKNOWN
    assert describe_day(no_hours, 6) == CLOSED_TODAY


def test_every_day_string_of_the_real_file_is_understood(fs_rows):
    seen = 0
    for row in fs_rows:
        for column in DAY_COLUMNS:
            ranges = parse_day(row[column])
            assert ranges is not None, (row["id_fs"], column, row[column])
            assert all(0 <= start < end <= 24 * 60 for start, end in ranges)
            assert list(ranges) == sorted(ranges)
            assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:])), "ranges must not touch or overlap"
            seen += bool(row[column])
    assert seen > 13000  # 13,949 non-empty day strings in the file of 2024-08-01
