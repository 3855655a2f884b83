"""Opening hours of a France Services office: parse the file's strings (actions/answers.py says them).

The ANCT file gives one string per weekday (h_lundi … h_samedi), such as
"09:00 - 12:00 / 13:30 - 17:00". Every pattern seen in the file of 2024-08-01:

- "" (closed that day, or not given at all when every day is empty);
- one to five "HH:MM - HH:MM" ranges joined by " / ";
- "00:00 - 00:00" placeholders, alone or beside real ranges (dropped);
- duplicate, overlapping or unsorted ranges, from offices that merged the hours of
  several sites (merged here into their union, sorted).

Anything else is parsed leniently ("9h-12h", "9h30 à 12h") and never raises: a string
with no usable range counts as unknown.
"""

from __future__ import annotations

import re
from typing import List, Optional, Sequence, Tuple

#: A range of minutes since midnight, [start, end).
TimeRange = Tuple[int, int]

#: The file's day columns, Monday first (Python's date.weekday() order). No Sunday column.
DAY_COLUMNS: Tuple[str, ...] = ("h_lundi", "h_mardi", "h_mercredi", "h_jeudi", "h_vendredi", "h_samedi")

_RANGE = re.compile(r"(\d{1,2})\s*[:hH.]\s*(\d{2})?\s*(?:-|–|—|à|a)\s*(\d{1,2})\s*(?:[:hH.]\s*(\d{2})?)?")


def parse_day(text: Optional[str]) -> Optional[Tuple[TimeRange, ...]]:
    """Ranges open on one day, sorted and merged; () when closed; None when unreadable.

    >>> parse_day("09:00 - 12:00 / 13:30 - 17:00")
    ((540, 720), (810, 1020))
    >>> parse_day("")
    ()
    """
    text = (text or "").strip()
    if not text:
        return ()
    ranges: List[TimeRange] = []
    found_any = False
    for match in _RANGE.finditer(text):
        found_any = True
        h1, m1, h2, m2 = match.groups()
        start = int(h1) * 60 + int(m1 or 0)
        end = int(h2) * 60 + int(m2 or 0)
        if int(h1) > 24 or int(h2) > 24 or int(m1 or 0) > 59 or int(m2 or 0) > 59:
            continue
        if end <= start:  # "00:00 - 00:00" placeholders and reversed ranges
            continue
        ranges.append((start, end))
    if not found_any:
        return None
    return _merge(ranges)


def _merge(ranges: Sequence[TimeRange]) -> Tuple[TimeRange, ...]:
    merged: List[TimeRange] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


WeekHours = Tuple[Optional[Tuple[TimeRange, ...]], ...]


def parse_week(day_texts: Sequence[Optional[str]]) -> Optional[WeekHours]:
    """Seven days (Monday first; Sunday always closed) from the six day strings.

    None when every day is empty: the office gave no hours at all.
    """
    if not any((text or "").strip() for text in day_texts):
        return None
    days = [parse_day(text) for text in day_texts]
    days += [()] * (7 - len(days))
    return tuple(days[:7])


def day_ranges(week: Optional[WeekHours], weekday: int) -> Optional[Tuple[TimeRange, ...]]:
    """One day's ranges (weekday: 0 = Monday … 6 = Sunday): () when closed, None when unknown."""
    if weekday == 6:  # no office opens on Sunday in the file: there is no column for it
        return ()
    if week is None:
        return None
    return week[weekday]
