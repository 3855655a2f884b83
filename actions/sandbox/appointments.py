"""Phone appointment slots of « Mon agenda » (pure functions, no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import AbstractSet, Dict, FrozenSet, List, Optional, Sequence

from zoneinfo import ZoneInfo

from common.formats import format_datetime

from . import policy

LOCAL = ZoneInfo(policy.TIMEZONE)


def local_label(moment: datetime) -> str:
    """'lundi 6 janvier 2025 à 9h30' in French local time (a slot's, a sandbox clock's date)."""
    return format_datetime(moment.astimezone(LOCAL))


def day_slots(day_start: datetime) -> List[datetime]:
    """All slots of one day (local time), from business start to business end."""
    start = day_start.replace(hour=policy.BUSINESS_DAY_START.hour, minute=policy.BUSINESS_DAY_START.minute)
    end = day_start.replace(hour=policy.BUSINESS_DAY_END.hour, minute=policy.BUSINESS_DAY_END.minute)
    slots = []
    while start + policy.APPOINTMENT_SLOT <= end:
        slots.append(start)
        start += policy.APPOINTMENT_SLOT
    return slots


def offered_slots(now: datetime, booked: AbstractSet[datetime] = frozenset()) -> List[datetime]:
    """Free slots (local aware datetimes) over the next working days that still have time.

    Never in the past nor sooner than APPOINTMENT_MIN_NOTICE; weekdays only, public
    holidays excluded; `booked` holds UTC starts of slots already taken.
    """
    earliest = now + policy.APPOINTMENT_MIN_NOTICE
    local_day = now.astimezone(LOCAL).replace(hour=0, minute=0, second=0, microsecond=0)
    offered: List[datetime] = []
    days = 0
    while days < policy.APPOINTMENT_WORKING_DAYS:
        if policy.is_working_day(local_day.date()):
            future = [slot for slot in day_slots(local_day) if slot >= earliest]
            if future:
                days += 1
                offered.extend(slot for slot in future if _utc(slot) not in booked)
        local_day = local_day + timedelta(days=1)  # wall-clock arithmetic: next midnight
    return offered


def slot_id(slot: datetime) -> str:
    """Stable id of a slot: its local start, 'YYYY-MM-DDTHH:MM'."""
    return slot.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M")


def parse_slot_id(value: str) -> Optional[datetime]:
    """Inverse of slot_id; None when unreadable."""
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%dT%H:%M").replace(tzinfo=LOCAL)
    except (ValueError, AttributeError):
        return None


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


# -- choosing which free slots to show ------------------------------------------------------


@dataclass(frozen=True)
class SlotWish:
    """A learner's preference for the slot, already read from their words (no French here).

    Every field left empty means « no constraint ». `days` are local dates; `weekdays` 0 =
    Monday; `week` 0 = this week, 1 = next week (ISO weeks); `part` "morning", "afternoon" or
    "late"; `after`/`before` bound the start time; `at` an exact start, `around` one within
    policy.AROUND; `later` skips the days of the first offer (« plus tard », « un autre jour »).
    """

    days: FrozenSet[date] = frozenset()
    weekdays: FrozenSet[int] = frozenset()
    not_weekdays: FrozenSet[int] = frozenset()
    week: Optional[int] = None
    part: Optional[str] = None
    after: Optional[time] = None
    before: Optional[time] = None
    at: Optional[time] = None
    around: Optional[time] = None
    later: bool = False

    def is_empty(self) -> bool:
        return self == SlotWish()

    def day_only(self) -> "SlotWish":
        """The same wish without its time of day (to offer the day's other slots)."""
        return SlotWish(
            days=self.days, weekdays=self.weekdays, not_weekdays=self.not_weekdays, week=self.week, later=self.later
        )


def _part_of(moment: time) -> str:
    return "morning" if moment < policy.NOON else "afternoon"


def _time_ok(moment: time, wish: SlotWish) -> bool:
    if wish.part == "morning" and moment >= policy.NOON:
        return False
    if wish.part == "afternoon" and moment < policy.NOON:
        return False
    if wish.part == "late" and moment < policy.LATE_DAY_START:
        return False
    if wish.after is not None and moment < wish.after:
        return False
    if wish.before is not None and moment >= wish.before:
        return False
    if wish.at is not None and moment != wish.at:
        return False
    if wish.around is not None:
        gap = abs(datetime.combine(date.min, moment) - datetime.combine(date.min, wish.around))
        if gap > policy.AROUND:
            return False
    return True


def matching_slots(slots: Sequence[datetime], wish: SlotWish, today: date) -> List[datetime]:
    """The offered slots that fit the wish. A weekday (« jeudi ») is its nearest offered date
    where a slot fits; `later` leaves out the days of the first offer."""
    first_days = sorted({s.astimezone(LOCAL).date() for s in slots})[: policy.APPOINTMENT_OFFER_DAYS]
    monday = today - timedelta(days=today.weekday())
    fitting = []
    for slot in slots:
        local = slot.astimezone(LOCAL)
        day = local.date()
        if wish.days and day not in wish.days:
            continue
        if wish.weekdays and day.weekday() not in wish.weekdays:
            continue
        if day.weekday() in wish.not_weekdays:
            continue
        if wish.week is not None and (day - monday).days // 7 != wish.week:
            continue
        if wish.later and day in first_days:
            continue
        if _time_ok(local.time(), wish):
            fitting.append(slot)
    if wish.weekdays and not wish.days and wish.week is None:
        nearest: Dict[int, date] = {}
        for slot in fitting:
            day = slot.astimezone(LOCAL).date()
            nearest.setdefault(day.weekday(), day)
        fitting = [s for s in fitting if s.astimezone(LOCAL).date() in nearest.values()]
    return fitting


def spread(
    slots: Sequence[datetime], limit: int = policy.APPOINTMENT_OFFER_MAX, days: Optional[int] = None
) -> List[datetime]:
    """At most `limit` slots, spread over the days and the morning / afternoon of each day
    (over the first `days` days when given), in time order: a short choice, not one day's list."""
    groups: Dict[tuple, List[datetime]] = {}
    for slot in sorted(slots):
        local = slot.astimezone(LOCAL)
        groups.setdefault((local.date(), _part_of(local.time())), []).append(slot)
    if days is not None:
        kept_days = sorted({key[0] for key in groups})[:days]
        groups = {key: value for key, value in groups.items() if key[0] in kept_days}
    keys = sorted(groups)
    share = {key: 0 for key in keys}
    left = min(limit, sum(len(v) for v in groups.values()))
    while left:  # round-robin: one more slot to each group in turn
        for key in keys:
            if left and share[key] < len(groups[key]):
                share[key] += 1
                left -= 1
    chosen: List[datetime] = []
    for key in keys:
        group, count = groups[key], share[key]
        if count:
            chosen.extend(group[int((i + 0.5) * len(group) / count)] for i in range(count))  # evenly spaced
    return sorted(chosen)
