"""« Mon agenda »: phone appointment slots, book, list, cancel."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from sandbox_helpers import login_jean

from actions.sandbox import Reason, policy
from actions.sandbox.appointments import LOCAL, SlotWish, matching_slots, offered_slots, spread
from actions.sandbox_answers import say

FRIDAY_EVENING = datetime(2025, 1, 10, 16, 10, tzinfo=LOCAL)


def test_slots_never_in_the_past_weekdays_and_business_hours_only() -> None:
    slots = offered_slots(FRIDAY_EVENING.astimezone(timezone.utc))
    assert slots, "some slots must be offered"
    assert all(s >= FRIDAY_EVENING + policy.APPOINTMENT_MIN_NOTICE for s in slots)
    assert all(s.weekday() < 5 for s in slots)
    assert all(
        policy.BUSINESS_DAY_START <= s.time() and (s + policy.APPOINTMENT_SLOT).time() <= policy.BUSINESS_DAY_END
        for s in slots
    )
    days = sorted({s.date() for s in slots})
    assert [d.isoformat() for d in days] == [
        "2025-01-13",
        "2025-01-14",
        "2025-01-15",
        "2025-01-16",
        "2025-01-17",
        "2025-01-20",
        "2025-01-21",
        "2025-01-22",
        "2025-01-23",
        "2025-01-24",
    ]
    assert len(slots) == 10 * 17  # two weeks of working days, 8:30 to 17:00, every 30 minutes


def test_slots_start_later_today_when_the_day_is_not_over() -> None:
    monday_morning = datetime(2025, 1, 6, 10, 5, tzinfo=LOCAL)
    slots = offered_slots(monday_morning)
    assert slots[0] == datetime(2025, 1, 6, 11, 30, tzinfo=LOCAL)
    assert len({s.date() for s in slots}) == policy.APPOINTMENT_WORKING_DAYS


def test_public_holidays_are_skipped() -> None:
    slots = offered_slots(datetime(2025, 12, 24, 7, 0, tzinfo=LOCAL))
    days = sorted({s.date().isoformat() for s in slots})
    assert "2025-12-25" not in days and "2025-12-27" not in days
    assert days[:5] == ["2025-12-24", "2025-12-26", "2025-12-29", "2025-12-30", "2025-12-31"]
    assert "2026-01-01" not in days and len(days) == policy.APPOINTMENT_WORKING_DAYS


def test_agenda_needs_a_login(sb) -> None:
    assert sb.appointment_slots("c").reason is Reason.NOT_LOGGED_IN
    assert sb.book_appointment("c", "2025-01-07T09:00", "autre").reason is Reason.NOT_LOGGED_IN
    assert sb.list_appointments("c").reason is Reason.NOT_LOGGED_IN


def test_book_list_cancel(sb, clock) -> None:
    login_jean(sb, "c")
    reasons = sb.appointment_reasons().data["reasons"]
    assert ("carte_vitale", "Ma carte Vitale") in reasons and len(reasons) <= 6
    slots = sb.appointment_slots("c").data["slots"]
    now = sb.now("c")
    assert all(s.start > now for s in slots) and all(s.start.weekday() < 5 for s in slots)
    chosen = slots[3]
    booked = sb.book_appointment("c", chosen.id, "carte_vitale")
    assert booked.ok and booked.reason is Reason.APPOINTMENT_BOOKED
    assert "06 12 34 56 78" in say(booked) and chosen.label in say(booked)
    assert chosen.id not in [s.id for s in sb.appointment_slots("c").data["slots"]]
    assert sb.book_appointment("c", chosen.id, "autre").reason is Reason.SLOT_UNAVAILABLE
    listed = sb.list_appointments("c").data["appointments"]
    assert [(a.label, a.reason_label) for a in listed] == [(chosen.label, "Ma carte Vitale")]
    cancelled = sb.cancel_appointment("c", listed[0].id)
    assert cancelled.reason is Reason.APPOINTMENT_CANCELLED
    assert sb.list_appointments("c").data["appointments"] == []
    assert chosen.id in [s.id for s in sb.appointment_slots("c").data["slots"]]
    assert sb.cancel_appointment("c", listed[0].id).reason is Reason.APPOINTMENT_NOT_FOUND


def test_booking_refusals(sb) -> None:
    login_jean(sb, "c")
    first = sb.appointment_slots("c").data["slots"][0]
    assert sb.book_appointment("c", first.id, "inconnu").reason is Reason.APPOINTMENT_REASON_UNKNOWN
    assert sb.book_appointment("c", "2025-01-06T08:30", "autre").reason is Reason.SLOT_UNAVAILABLE  # past
    assert sb.book_appointment("c", "2025-01-11T09:00", "autre").reason is Reason.SLOT_UNAVAILABLE  # Saturday
    assert sb.book_appointment("c", "2025-01-07T09:10", "autre").reason is Reason.SLOT_UNAVAILABLE  # off grid
    assert sb.book_appointment("c", "demain", "autre").reason is Reason.SLOT_UNAVAILABLE
    assert sb.book_appointment("c", first.id, "autre", phone="01 23 45 67 89").reason is Reason.MOBILE_FORMAT
    other = sb.book_appointment("c", first.id, "autre", phone="07 00 00 00 01")
    assert other.ok and other.data["appointment"].phone == "0700000001"


def test_past_appointments_are_not_listed(sb, clock) -> None:
    login_jean(sb, "c")
    slot = sb.appointment_slots("c").data["slots"][0]
    booked = sb.book_appointment("c", slot.id, "autre")
    clock.advance(timedelta(days=8))
    assert sb.list_appointments("c").data["appointments"] == []
    assert sb.cancel_appointment("c", booked.data["appointment"].id).reason is Reason.APPOINTMENT_NOT_FOUND


# -- which free slots are shown (« Mon agenda » offers a short choice, then what the learner asks) --

FRIDAY = FRIDAY_EVENING.date()


def test_the_rule_offers_two_weeks_so_next_week_always_has_slots() -> None:
    assert policy.APPOINTMENT_WORKING_DAYS >= 10
    for hour in (7, 12, 18):
        for day in range(6, 13):  # every day of a week, morning, noon and evening
            now = datetime(2025, 1, day, hour, 0, tzinfo=LOCAL)
            slots = offered_slots(now)
            monday = now.date() - timedelta(days=now.weekday())
            assert matching_slots(slots, SlotWish(week=1), now.date()), now
            assert all((s.date() - monday).days < 21 for s in slots)


def test_the_first_offer_spreads_over_days_and_both_halves_of_the_day() -> None:
    shown = spread(offered_slots(FRIDAY_EVENING), days=policy.APPOINTMENT_OFFER_DAYS)
    assert len(shown) == policy.APPOINTMENT_OFFER_MAX == 8
    assert len({s.date() for s in shown}) == policy.APPOINTMENT_OFFER_DAYS
    assert sum(s.time() < policy.NOON for s in shown) == sum(s.time() >= policy.NOON for s in shown) == 4
    assert shown == sorted(shown)


def test_spread_never_shows_more_than_the_limit_nor_invents_slots() -> None:
    slots = offered_slots(FRIDAY_EVENING)
    assert spread(slots[:3]) == slots[:3]
    one_day = [s for s in slots if s.date() == date(2025, 1, 16)]
    shown = spread(one_day)
    assert len(shown) == 8 and set(shown) <= set(one_day)
    assert min(shown).time() < policy.NOON <= max(shown).time()  # a whole day, not its first hours


def test_a_weekday_is_its_nearest_offered_date() -> None:
    slots = offered_slots(FRIDAY_EVENING)
    thursday = matching_slots(slots, SlotWish(weekdays=frozenset({3})), FRIDAY)
    assert {s.date() for s in thursday} == {date(2025, 1, 16)} and len(thursday) == 17
    next_week = matching_slots(slots, SlotWish(weekdays=frozenset({3}), week=2), FRIDAY)
    assert {s.date() for s in next_week} == {date(2025, 1, 23)}
    assert matching_slots(slots, SlotWish(weekdays=frozenset({5})), FRIDAY) == []  # Saturday: no calls


@pytest.mark.parametrize(
    "wish, check",
    [
        (SlotWish(part="morning"), lambda s: s.time() < policy.NOON),
        (SlotWish(part="afternoon"), lambda s: s.time() >= policy.NOON),
        (SlotWish(part="late"), lambda s: s.time() >= policy.LATE_DAY_START),
        (SlotWish(after=time(14, 0)), lambda s: s.time() >= time(14, 0)),
        (SlotWish(before=time(10, 0)), lambda s: s.time() < time(10, 0)),
        (SlotWish(around=time(15, 0)), lambda s: time(14, 0) <= s.time() <= time(16, 0)),
        (SlotWish(at=time(10, 30)), lambda s: s.time() == time(10, 30)),
        (SlotWish(not_weekdays=frozenset({0})), lambda s: s.weekday() != 0),
        (SlotWish(week=1), lambda s: date(2025, 1, 13) <= s.date() <= date(2025, 1, 17)),
        (SlotWish(later=True), lambda s: s.date() > date(2025, 1, 16)),
        (SlotWish(days=frozenset({date(2025, 1, 14)})), lambda s: s.date() == date(2025, 1, 14)),
    ],
)
def test_matching_slots_follow_the_wish(wish, check) -> None:
    fitting = matching_slots(offered_slots(FRIDAY_EVENING), wish, FRIDAY)
    assert fitting and all(check(s) for s in fitting)


def test_booked_slots_are_never_offered_again() -> None:
    slots = offered_slots(FRIDAY_EVENING)
    taken = {slots[0].astimezone(timezone.utc), slots[5].astimezone(timezone.utc)}
    left = offered_slots(FRIDAY_EVENING, taken)
    assert slots[0] not in left and slots[5] not in left and len(left) == len(slots) - 2
