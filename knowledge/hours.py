"""Opening status of a hub at a moment, with French public holidays.

opening-hours-py evaluates the OSM `opening_hours` string (country="FR" gives it
the French public holidays for `PH`); the `holidays` package names the holiday
and tells why the hub is closed. A hub's temporary closures and exceptional
hours (fermetures.yml) are appended to its rules as dated OSM rules, which win
over the usual week. All times are Europe/Paris.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Optional
from zoneinfo import ZoneInfo

import holidays
from opening_hours import OpeningHours, State

from .models import Closure, DaySchedule, Hub, OpeningStatus, WeeklySchedule

PARIS = ZoneInfo("Europe/Paris")
_SEARCH_DAYS = 60  # how far ahead to look for the next opening (after any closure)
# Hours and where-to-go answers announce a closure this many days before it starts.
CLOSURE_NOTICE_DAYS = 14
_OSM_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@lru_cache(maxsize=32)
def _rules(expression: str) -> OpeningHours:
    return OpeningHours(expression, timezone=PARIS, country="FR")


@lru_cache(maxsize=16)
def french_holidays(year: int) -> dict[date, str]:
    """France's public holidays of a year, with their French names."""
    try:
        calendar = holidays.country_holidays("FR", years=year, language="fr")
    except (NotImplementedError, TypeError):  # older `holidays` without translations
        calendar = holidays.country_holidays("FR", years=year)
    return dict(calendar.items())


def holiday_name(day: date) -> Optional[str]:
    """French name of the national public holiday on `day`, or None."""
    return french_holidays(day.year).get(day)


def to_paris(moment: datetime) -> datetime:
    """Naive datetimes are Europe/Paris wall-clock time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=PARIS)
    return moment.astimezone(PARIS)


def _day_intervals(expression: str, day: date) -> tuple[tuple[time, time], ...]:
    start = datetime.combine(day, time(0), PARIS)
    end = start + timedelta(days=1)
    out = []
    for begin, finish, state, _comment in _rules(expression).intervals(start, end):
        if state == State.OPEN:
            begin, finish = to_paris(begin), to_paris(finish)
            end_time = time(23, 59, 59) if finish.date() > day else finish.time()
            out.append((begin.time(), end_time))
    return tuple(out)


def _osm_date(day: date) -> str:
    return f"{day.year} {_OSM_MONTHS[day.month - 1]} {day.day:02d}"


def effective_hours(hub: Hub) -> str:
    """The hub's usual rules, then one dated rule per closure (`off`) or per day
    of exceptional hours; in OSM the later rule wins. Exceptional hours apply to
    the days the hub would open anyway, never to a weekend or a public holiday."""
    rules = [hub.opening_hours]
    for closure in hub.closures:
        if closure.closed_all_day:
            rules.append(f"{_osm_date(closure.start)}-{_osm_date(closure.end)} off")
            continue
        day = closure.start
        while day <= closure.end:
            if _day_intervals(hub.opening_hours, day):
                rules.append(f"{_osm_date(day)} {closure.hours}")
            day += timedelta(days=1)
    return "; ".join(rules)


def closure_on(hub: Hub, day: date) -> Optional[Closure]:
    """The closure or exceptional hours that cover `day`, if any."""
    return next((c for c in hub.closures if c.covers(day)), None)


def closures_to_announce(hub: Hub, today: date) -> tuple[Closure, ...]:
    """Closures and exceptional hours under way, or starting within CLOSURE_NOTICE_DAYS."""
    horizon = today + timedelta(days=CLOSURE_NOTICE_DAYS)
    return tuple(c for c in hub.closures if c.end >= today and c.start <= horizon)


def _has_regular_hours(expression: str, day: date) -> bool:
    """Would the hub open on this weekday if it were not a holiday? Looks at the
    same weekday in nearby weeks that are not holidays."""
    for weeks in (1, -1, 2, -2, 3):
        other = day + timedelta(weeks=weeks)
        if holiday_name(other) is None:
            return bool(_day_intervals(expression, other))
    return False


def _closed_reason(expression: str, day: date) -> str:
    name = holiday_name(day)
    regular = _has_regular_hours(expression, day)
    if name is not None and regular:
        return "public_holiday"
    if not regular:
        return "weekend" if day.weekday() >= 5 else "closed"
    return "outside_hours"


def day_schedule(hub: Hub, day: date) -> DaySchedule:
    intervals = _day_intervals(effective_hours(hub), day)
    name = holiday_name(day)
    closure = closure_on(hub, day)
    if intervals:
        return DaySchedule(hub.id, day, intervals, "open", name, closure)
    if closure is not None and closure.closed_all_day:
        return DaySchedule(hub.id, day, (), "temporary_closure", name, closure)
    reason = _closed_reason(hub.opening_hours, day)
    return DaySchedule(hub.id, day, (), "closed" if reason == "outside_hours" else reason, name, closure)


def opening_status(hub: Hub, at: datetime) -> OpeningStatus:
    at = to_paris(at)
    rules = _rules(effective_hours(hub))
    is_open = rules.state(at)[0] == State.OPEN
    closes_at = next_open = None
    closure = closure_on(hub, at.date())
    last_closure_day = max((c.end for c in hub.closures), default=at.date())
    horizon = max(at + timedelta(days=_SEARCH_DAYS),
                  datetime.combine(last_closure_day, time(0), PARIS) + timedelta(days=_SEARCH_DAYS))
    for begin, finish, state, _comment in rules.intervals(at, horizon):
        if is_open and state != State.OPEN:
            closes_at = to_paris(begin)
            break
        if not is_open and state == State.OPEN:
            next_open = to_paris(begin)
            break
    name = holiday_name(at.date())
    if is_open:
        reason = "open"
    elif closure is not None and closure.closed_all_day:
        reason = "temporary_closure"
    else:
        # "closed" = a weekday without regular hours: for a moment, that is outside hours.
        reason = _closed_reason(hub.opening_hours, at.date())
        reason = "outside_hours" if reason == "closed" else reason
    return OpeningStatus(
        hub_id=hub.id, at=at, is_open=is_open, reason=reason, holiday_name=name,
        closes_at=closes_at, next_open=next_open,
        next_change=closes_at if is_open else next_open, closure=closure,
    )


_WEEK_SCAN_DAYS = 42  # six weeks: enough to see each weekday outside a holiday


def weekly_schedule(hub: Hub, today: date) -> WeeklySchedule:
    """The usual week from `today` on (public holidays do not count), grouped
    into runs of consecutive weekdays with the same hours."""
    by_weekday: dict[int, tuple] = {}
    for offset in range(_WEEK_SCAN_DAYS):
        day = today + timedelta(days=offset)
        if day.weekday() in by_weekday or holiday_name(day) is not None:
            continue
        by_weekday[day.weekday()] = _day_intervals(hub.opening_hours, day)
        if len(by_weekday) == 7:
            break
    groups: list[tuple[int, int, tuple]] = []
    for weekday in range(7):
        intervals = by_weekday.get(weekday, ())
        if not intervals:
            continue
        if groups and groups[-1][1] == weekday - 1 and groups[-1][2] == intervals:
            groups[-1] = (groups[-1][0], weekday, intervals)
        else:
            groups.append((weekday, weekday, intervals))
    return WeeklySchedule(hub.id, tuple(groups), _closed_on_public_holidays(hub.opening_hours, today))


def _closed_on_public_holidays(expression: str, today: date) -> bool | None:
    """Read from the rules, not from their text: a public holiday that falls on a
    day of regular hours, opened or not."""
    for year in (today.year, today.year + 1):
        for day in sorted(french_holidays(year)):
            if _has_regular_hours(expression, day):
                return not _day_intervals(expression, day)
    return None
