"""French formatting of values, one way for the whole project: times, dates,
lists, "de" before a place name. Plain Python; the sentences themselves are
domain responses (domain/), these functions only fill their {placeholders}.

    time_fr(time(9, 30))            -> "9 h 30"
    date_fr(date(2026, 12, 25), today)  -> "vendredi 25 décembre"
    day_fr(d, today)                -> "aujourd'hui" | "demain (…)" | date_fr(d)
    when_fr(dt, now)                -> "demain (jeudi 19 novembre) à 9 h"
    join_fr(["a", "b", "c"])        -> "a, b et c"
    period_fr(d1, d2)               -> "du lundi 4 au vendredi 8 janvier 2027"
    de("Issy-les-Moulineaux")       -> "d’Issy-les-Moulineaux"
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Iterable

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
VOWELS = "aeiouyhàâéèêîïôûüœ"


def time_fr(t: time) -> str:
    return f"{t.hour} h" if t.minute == 0 else f"{t.hour} h {t.minute:02d}"


def day_number(d: date) -> str:
    return "1er" if d.day == 1 else str(d.day)


def date_fr(d: date, today: date | None = None) -> str:
    """"lundi 25 décembre", with the year when it is not this year's."""
    text = f"{WEEKDAYS[d.weekday()]} {day_number(d)} {MONTHS[d.month - 1]}"
    return text if today is not None and d.year == today.year else f"{text} {d.year}"


def day_fr(d: date, today: date) -> str:
    if d == today:
        return "aujourd'hui"
    if d == today + timedelta(days=1):
        return f"demain ({date_fr(d, today)})"
    return date_fr(d, today)


def when_fr(moment: datetime, now: datetime) -> str:
    return f"{day_fr(moment.date(), now.date())} à {time_fr(moment.time())}"


def full_date_fr(d: date) -> str:
    """"26 septembre 2023" (a date in the past, without the weekday)."""
    return f"{day_number(d)} {MONTHS[d.month - 1]} {d.year}"


def period_fr(start: date, end: date) -> str:
    """A period of whole days, both included: "du lundi 4 au vendredi 8 janvier
    2027", "du lundi 28 décembre 2026 au vendredi 1er janvier 2027", or "le jeudi
    24 décembre 2026" for one day."""
    if start == end:
        return f"le {date_fr(start)}"
    first = f"{WEEKDAYS[start.weekday()]} {day_number(start)}"
    if start.year != end.year:
        first = date_fr(start)
    elif start.month != end.month:
        first += f" {MONTHS[start.month - 1]}"
    return f"du {first} au {date_fr(end)}"


def join_fr(items: Iterable[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def de(name: str) -> str:
    """French "de" before a place name: d’Issy, du Plessis-Robinson, de Clamart."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name[:1].lower() in VOWELS:
        return "d’" + name
    return "de " + name


def intervals_fr(intervals: Iterable[tuple[time, time]]) -> str:
    """"de 8 h 30 à 12 h et de 13 h 30 à 17 h 30"."""
    return join_fr([f"de {time_fr(a)} à {time_fr(b)}" for a, b in intervals])


def weekdays_fr(first: int, last: int) -> str:
    """"le lundi" or "du lundi au vendredi"."""
    if first == last:
        return f"le {WEEKDAYS[first]}"
    return f"du {WEEKDAYS[first]} au {WEEKDAYS[last]}"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower_first(label: str) -> str:
    """A label inside a sentence ("Accompagnement …" -> "accompagnement …"), but
    not an acronym ("PMI")."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label



def weekly_fr(groups, closed_on_public_holidays) -> str:
    """A usual week in one phrase: "du lundi au vendredi de 8 h 30 à 17 h 30,
    sauf les jours fériés" (groups as in knowledge.models.WeeklySchedule)."""
    if not groups:
        return "sans horaires connus"
    text = join_fr([f"{weekdays_fr(first, last)} {intervals_fr(intervals)}"
                    for first, last, intervals in groups])
    return text + (", sauf les jours fériés" if closed_on_public_holidays else "")


def weekly_falc(groups, closed_on_public_holidays) -> str:
    """The same week in short sentences, one idea each (easy-to-read mode):
    "Il est ouvert du lundi au vendredi.\\nIl ouvre à 8 h 30.\\nIl ferme à 17 h 30.\\n…"."""
    if not groups:
        return "Je ne connais pas ses horaires."
    lines = []
    for first, last, intervals in groups:
        lines.append(f"Il est ouvert {weekdays_fr(first, last)}.")
        if len(intervals) == 1:
            (opens, closes), = intervals
            lines += [f"Il ouvre à {time_fr(opens)}.", f"Il ferme à {time_fr(closes)}."]
        else:
            lines += [f"Il est ouvert de {time_fr(a)} à {time_fr(b)}." for a, b in intervals]
    if closed_on_public_holidays:
        lines.append("Il est fermé les jours fériés.")
    return "\n".join(lines)
