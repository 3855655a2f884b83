"""Injectable clocks. All times are timezone-aware UTC datetimes.

The sandbox adds a persistent offset (stored in the database, see `Sandbox.advance_clock`)
to whatever clock it is given, so a trainer can move time forward for every process.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time."""

    def now(self) -> datetime:
        """Current time, timezone-aware, UTC."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FakeClock:
    """A clock for tests: it only moves when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware datetime")
        self._now = start.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward (or back, with a negative delta)."""
        self._now += delta

    def set(self, moment: datetime) -> None:
        """Jump to a given aware datetime."""
        if moment.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware datetime")
        self._now = moment.astimezone(timezone.utc)
