"""Phone appointment slots of « Mon agenda » (pure functions, no database)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import AbstractSet, List, Optional

from zoneinfo import ZoneInfo

from . import policy

LOCAL = ZoneInfo(policy.TIMEZONE)


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
