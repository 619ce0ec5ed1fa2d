"""Opening status of the hubs: Mo-Fr 08:30-17:30, closed on French public holidays."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
HUBS = ["pole-social-issy-les-moulineaux", "pole-social-asnieres-sur-seine"]


def paris(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


@pytest.mark.parametrize("hub_id", HUBS)
@pytest.mark.parametrize(
    "moment,is_open,reason,next_change",
    [
        # Wednesday 25 November 2026, an ordinary weekday
        ("2026-11-25T08:29", False, "outside_hours", "2026-11-25T08:30"),
        ("2026-11-25T08:30", True, "open", "2026-11-25T17:30"),
        ("2026-11-25T12:00", True, "open", "2026-11-25T17:30"),
        ("2026-11-25T17:29", True, "open", "2026-11-25T17:30"),
        ("2026-11-25T17:30", False, "outside_hours", "2026-11-26T08:30"),
        ("2026-11-25T23:59", False, "outside_hours", "2026-11-26T08:30"),
        ("2026-11-25T00:00", False, "outside_hours", "2026-11-25T08:30"),
        # weekend
        ("2026-11-28T10:00", False, "weekend", "2026-11-30T08:30"),
        ("2026-11-29T10:00", False, "weekend", "2026-11-30T08:30"),
        # Friday evening -> Monday morning
        ("2026-11-27T17:30", False, "outside_hours", "2026-11-30T08:30"),
        # Friday evening before Easter Monday 2027 -> Tuesday
        ("2027-03-26T17:30", False, "outside_hours", "2027-03-30T08:30"),
        # Friday evening before Whit Monday 2027 -> Tuesday
        ("2027-05-14T18:00", False, "outside_hours", "2027-05-18T08:30"),
    ],
)
def test_opening_status(kb, hub_id, moment, is_open, reason, next_change):
    status = kb.opening_status(kb.hub(hub_id), paris(moment))
    assert status.is_open is is_open
    assert status.reason == reason
    assert status.next_change == paris(next_change)
    if is_open:
        assert status.closes_at == paris(next_change) and status.next_open is None
    else:
        assert status.next_open == paris(next_change) and status.closes_at is None


@pytest.mark.parametrize(
    "day,name",
    [
        ("2026-05-01", "Fête du Travail"),  # Friday
        ("2026-12-25", "Noël"),  # Friday
        ("2027-03-29", "Lundi de Pâques"),
        ("2027-05-17", "Lundi de Pentecôte"),
        ("2026-11-11", "Armistice"),  # Wednesday
        ("2027-05-06", "Ascension"),
        ("2026-05-08", "Fête de la Victoire"),
        ("2026-07-14", "Fête nationale"),
        ("2025-08-15", "Assomption"),
        ("2027-11-01", "Toussaint"),
        ("2027-01-01", "Jour de l'an"),
    ],
)
@pytest.mark.parametrize("hub_id", HUBS)
def test_closed_on_public_holidays(kb, hub_id, day, name):
    hub = kb.hub(hub_id)
    status = kb.opening_status(hub, paris(f"{day}T10:00"))
    assert not status.is_open
    assert status.reason == "public_holiday"
    assert status.holiday_name == name
    # reopens on the next working day at 8:30
    assert status.next_open.time() == time(8, 30)
    assert status.next_open.date() > date.fromisoformat(day)
    schedule = kb.day_schedule(hub, date.fromisoformat(day))
    assert list(schedule) == [] and schedule.reason == "public_holiday" and schedule.holiday_name == name


def test_holiday_on_a_weekend_is_reported_as_weekend_with_its_name(kb):
    status = kb.opening_status(kb.hub(HUBS[0]), paris("2027-05-01T10:00"))  # a Saturday
    assert not status.is_open
    assert status.reason == "weekend"
    assert status.holiday_name == "Fête du Travail"
    assert status.next_open == paris("2027-05-03T08:30")


def test_good_friday_is_not_a_holiday_outside_alsace_moselle(kb):
    assert kb.opening_status(kb.hub(HUBS[0]), paris("2027-03-26T10:00")).is_open


def test_agrees_with_the_holidays_package_every_day_for_three_years(kb):
    """Cross-check opening-hours-py (PH, country FR) with `holidays` (FR)."""
    hub = kb.hub(HUBS[1])
    calendar = holidays.country_holidays("FR", years=[2026, 2027, 2028])
    day = date(2026, 1, 1)
    while day.year < 2029:
        status = kb.opening_status(hub, datetime.combine(day, time(10), PARIS))
        expected_open = day.weekday() < 5 and day not in calendar
        assert status.is_open is expected_open, day
        day += timedelta(days=1)


def test_aware_datetimes_in_other_timezones_are_converted(kb):
    hub = kb.hub(HUBS[0])
    # 10 June 2026, summer time: 06:29 UTC = 08:29 Paris
    assert not kb.opening_status(hub, datetime(2026, 6, 10, 6, 29, tzinfo=UTC)).is_open
    status = kb.opening_status(hub, datetime(2026, 6, 10, 6, 30, tzinfo=UTC))
    assert status.is_open and status.at == paris("2026-06-10T08:30")
    assert status.closes_at == paris("2026-06-10T17:30")


def test_naive_datetimes_are_paris_wall_clock(kb):
    hub = kb.hub(HUBS[0])
    assert kb.opening_status(hub, datetime(2026, 1, 14, 8, 30)).is_open  # winter time
    assert not kb.opening_status(hub, datetime(2026, 1, 14, 8, 29)).is_open


def test_day_after_daylight_saving_change(kb):
    # Summer time ends on 25 October 2026; Monday 26 still opens at 8:30 local time.
    status = kb.opening_status(kb.hub(HUBS[0]), paris("2026-10-24T12:00"))
    assert status.next_open == paris("2026-10-26T08:30")
    assert status.next_open.utcoffset() == timedelta(hours=1)


def test_day_schedule(kb):
    hub = kb.hub(HUBS[0])
    weekday = kb.day_schedule(hub, date(2026, 11, 25))
    assert list(weekday) == [(time(8, 30), time(17, 30))]
    assert weekday.reason == "open" and weekday.is_open_that_day
    saturday = kb.day_schedule(hub, date(2026, 11, 28))
    assert list(saturday) == [] and saturday.reason == "weekend" and not saturday.is_open_that_day


def test_hub_can_be_given_by_id(kb):
    assert kb.opening_status(HUBS[0], paris("2026-11-25T09:00")).is_open
    with pytest.raises(KeyError):
        kb.opening_status("no-such-hub", paris("2026-11-25T09:00"))
