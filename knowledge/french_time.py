"""French time expressions → a `Moment`, relative to a given `now`.

Plain Python (standard library + python-dateutil), no Rasa import: there is no
Duckling server, the actions call `parse_moment(user_text, bot.clock.now())`.

    parse_moment("le pôle est-il ouvert demain à 18h ?", now)   # now: Wed 18 Nov 2026
    → Moment(start=2026-11-19 18:00+01:00, kind="instant", end=None,
             label="demain (jeudi 19 novembre) à 18 h", text="demain à 18h")

Rules for the ambiguous cases (each one is tested in
tests/knowledge/test_french_time.py):

- Input is matched case-, accent- and apostrophe-insensitively ("apres midi",
  "DECEMBRE", "aujourd’hui"); `text` is the original substring.
- A time with no day ("à 9h", "à midi") is *today*, even if already past: "est-il
  ouvert à 9h ?" asked at 10h is about today, and the caller can say "ouvre à 9 h".
- "minuit" is the midnight that ends the day it belongs to ("ce soir à minuit",
  "demain à minuit"): 00:00 the following day.
- Several times: the first one ("de 9h à 12h", "de 9 à 12" → 9 h).
- Bare numbers after "à" ("lundi à 9") are 24-hour clock. A time under 12 h with
  "après-midi"/"soir" in the sentence or as a suffix ("ce soir à 7h", "6h du soir",
  "6 pm") is moved to the afternoon.
- Periods (`kind="period"`, end exclusive): matin 08:00–12:00,
  après-midi 12:00–18:00, soir 18:00–22:00. "ce matin" is today; "demain soir",
  "samedi matin" are on that day. A period word without a day or "ce"
  ("ouvert le matin ?") is a general question: no moment.
- `kind="day"`: start 00:00, end 00:00 the next day (exclusive, so 23 h or 25 h on
  DST change days; note that `end - start` between two Europe/Paris datetimes is
  wall-clock in Python, convert to UTC for elapsed time).
- Weekdays: "samedi" / "ce samedi" = the next Saturday, *today* if today is
  Saturday (relativedelta(weekday=SA(+1))). "samedi prochain" = the next Saturday
  strictly after today (so on a Saturday it is in 7 days; on Thursday it is in 2
  days). "samedi en huit" = a week after "samedi prochain". "samedi de la semaine
  prochaine" = the Saturday of the next calendar week (Monday-based).
  "samedi dernier" = the last Saturday strictly before today.
- "ce week-end" = Saturday of the coming weekend; on a Saturday or a Sunday it is
  today (the weekend in progress). "le week-end prochain" on a Saturday or Sunday
  is next week's Saturday.
- A date without a year ("25 décembre", "25/12", "le 1er mai") that is already
  past this year means next year; today's date means today. "29 février" goes to
  the next leap year. Impossible dates ("31 avril") are ignored.
- A day of the month without a month ("le 5", "mardi 5") is the next 5th (today
  included); with a weekday, the next 5th or the one after, whichever falls on that
  weekday, else the next 5th. "le 15" right after "appeler"/"composer"/"faire" is
  a phone number, not a date.
- Several days in one sentence: an explicit date or holiday wins, then
  aujourd'hui/demain/…, then a weekday, then the weekend; ties go to the first.
- Numbers that are not times or dates give nothing: postal codes, phone numbers,
  "3 étages", "à 5 minutes", "pendant 2h", "24h/24", "7/7". "25-12" / "25.12" need
  a four-digit year to count as dates; "25/12" does not.
- Labels: "maintenant"; "aujourd'hui (mercredi 18 novembre)", "demain (jeudi 19
  novembre) à 18 h", "après-demain matin (…)"; a weekday or a date typed with one:
  "samedi 21 novembre" (year added when not this year); a date: "le 25 décembre
  2026"; a holiday: "Noël (vendredi 25 décembre 2026)". Any day that is today or
  tomorrow is labelled "aujourd'hui (…)" / "demain (…)" whatever the wording.
- "maintenant", "en ce moment", "actuellement", "tout de suite", "là" (with its
  accent, and not in "c'est là", "par là", "celle-là") count only
  when nothing more precise is said ("maintenant, et demain à 9h ?" is demain 9h).
  "aujourd'hui" with one of them is the instant now.
- "dans 2 heures", "dans une demi-heure" are instants (real elapsed time across DST);
  "dans 3 jours" is a day ("dans 3 jours à 10h" an instant).
- Local times are built from wall-clock fields in Europe/Paris; a time that does
  not exist (02:30 on the spring-forward Sunday) is shifted forward by the gap.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from dateutil.easter import easter
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from .french import MONTHS as MONTH_NAMES, WEEKDAYS as WEEKDAY_NAMES
from .hours import PARIS, french_holidays
from .text import strip_accents

__all__ = ["Moment", "parse_moment", "moment_value", "moment_from_value", "PARIS"]

# One Paris timezone, one calendar, one set of French names for the project.


@dataclass(frozen=True)
class Moment:
    start: datetime  # aware, Europe/Paris
    kind: str  # "instant" | "day" | "period"
    end: datetime | None  # exclusive; None for an instant
    label: str  # short French description, for replies
    text: str  # the matched substring of the input


# --------------------------------------------------------------------------- vocabulary

_RD_WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)

# Keys are accent-free: matching runs on the normalised text.
_WEEKDAYS = {name: i for i, name in enumerate(WEEKDAY_NAMES)}
_WEEKDAYS["mecredi"] = 2  # the usual misspelling
_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1,
    "fevrier": 2, "fevr": 2, "fev": 2,
    "mars": 3,
    "avril": 4, "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7, "juill": 7, "juil": 7,
    "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9,
    "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}
_HOUR_WORDS = {
    "une": 1, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
    "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    "dix-sept": 17, "dix sept": 17, "dix-huit": 18, "dix huit": 18,
    "dix-neuf": 19, "dix neuf": 19, "vingt": 20,
    "vingt et une": 21, "vingt-et-une": 21, "vingt et un": 21,
    "vingt-deux": 22, "vingt deux": 22, "vingt-trois": 23, "vingt trois": 23,
}
_COUNT_WORDS = {**_HOUR_WORDS, "trente": 30, "quarante": 40, "cinquante": 50}

# (start hour, end hour, phrase for today, word after a relative day, phrase after a date)
_PERIODS = {
    "matin": (8, 12, "ce matin", "matin", "au matin"),
    "apres-midi": (12, 18, "cet après-midi", "après-midi", "dans l'après-midi"),
    "soir": (18, 22, "ce soir", "soir", "au soir"),
}


def _alt(words) -> str:
    # Longest first, so "decembre" is tried before "dec" and "dix-sept" before "dix".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_WD = _alt(_WEEKDAYS)
_MON = _alt(_MONTHS)
_B = r"(?<![a-z0-9])"  # word start
_E = r"(?![a-z0-9])"  # word end
_NOT_IN_NUMBER = r"(?<![\d/.,:-])"  # so "92130", "06.12.34", "2,5" give no hour or day

# Words that may follow a bare number ("à 9 ?", "le 5 ou le 6") for it to be read as
# an hour / a day; anything else ("à 5 minutes", "le 3 étages") means it is not one.
_FOLLOW = {
    "ou", "et", "svp", "stp", "sil", "s'il", "merci", "pile", "precise", "precises",
    "demain", "dem1", "apres", "aujourd'hui", "aujourdhui", "auj", "ce", "cet", "cette",
    "le", "la", "c'est", "cest", "ca", "alors", "donc", "vous", "on", "est", "etes",
    "sera", "serez", "serait", "ok", "prochain", "prochaine", "matin", "soir", "aprem",
    *WEEKDAY_NAMES,
}
_FOLLOW_DAY = _FOLLOW | {"a", "au", "du", "dans", "mois", "midi", "vers", "en"}
# "appeler le 15", "faites le 17": emergency numbers, not days of the month.
_CALL_WORDS = {
    "appeler", "appelle", "appelez", "appelles", "appele", "composer", "compose",
    "composez", "composes", "faire", "fais", "faites", "fait", "contacter", "contactez",
    "joindre", "numero", "tel", "telephone", "taper", "tape", "tapez",
}
# "pendant 2 heures", "toutes les deux heures", "il y a 2h": durations, not times.
_DURATION_BEFORE = re.compile(r"(?:(?<![a-z])(?:pendant|durant|les|y)|plus\s+de|moins\s+de)\s*$")
# "c'est là", "par là", "d'ici là": a place or a figure of speech, not "now".
_NOT_BEFORE_LA = {"est", "es", "etes", "suis", "sont", "sommes", "c'est", "cest", "par", "de",
                  "ici", "jusque", "jusqu", "celui", "celle"}


# --------------------------------------------------------------------------- normalising

def _normalise(text: str) -> tuple[str, list[int]]:
    """Lower-case, accent-free, ASCII apostrophes/hyphens/spaces.

    Returns the normalised string and, for each of its characters, the index of the
    original character it came from (so a match maps back to the user's own text).
    """
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if unicodedata.combining(ch):
            continue  # a decomposed accent (NFD input)
        if ch in "’‘`´ʼ′":
            rep = "'"
        elif ch in "‐‑‒–—−":
            rep = "-"
        elif ch.isspace():
            rep = " "
        else:
            low = ch.lower()
            if len(low) != 1:
                low = ch
            base = strip_accents(low)
            rep = base if base else low
        for c in rep:
            out.append(c)
            origin.append(i)
    return "".join(out), origin


# --------------------------------------------------------------------------- hits

@dataclass
class _Day:
    date: date
    style: str  # "relative" | "weekday" | "explicit" | "holiday"
    head: str | None = None  # "après-demain", "Noël"...
    prio: int = 2  # lower wins


@dataclass
class _Hit:
    start: int
    end: int
    kind: str  # "shift" | "time" | "day" | "period" | "now"
    value: object = None


_RX_TOKEN = re.compile(r"\s*([a-z0-9']+|[^\sa-z0-9']|$)")


class _Scanner:
    def __init__(self, s: str):
        self.s = s
        self.taken = [False] * len(s)
        self.hits: list[_Hit] = []

    def free(self, a: int, b: int) -> bool:
        return not any(self.taken[a:b])

    def add(self, a: int, b: int, kind: str, value=None) -> None:
        for i in range(a, b):
            self.taken[i] = True
        self.hits.append(_Hit(a, b, kind, value))

    def next_token(self, pos: int) -> str:
        m = _RX_TOKEN.match(self.s, pos)
        return m.group(1) if m else ""

    def prev_word(self, pos: int) -> str:
        m = re.search(r"([a-z0-9']+)[^a-z0-9']*$", self.s[:pos])
        return m.group(1) if m else ""


def _follows_ok(sc: _Scanner, pos: int, allowed: set[str]) -> bool:
    tok = sc.next_token(pos)
    if not tok or not tok[0].isalnum():
        return True  # end of text or punctuation
    return tok in allowed


# --------------------------------------------------------------------------- times

_SUFFIXES = [
    (re.compile(r"\s*et\s+demie?(?![a-z])"), "half"),
    (re.compile(r"\s*et\s+quart(?![a-z])"), "quarter"),
    (re.compile(r"\s*moins\s+(?:le\s+)?quart(?![a-z])"), "to"),
    (re.compile(r"\s*(?:pile|precises?|tapantes?)(?![a-z])"), None),
    (re.compile(r"\s*(?:du\s+matin|du\s+mat|le\s+matin)(?![a-z])"), "morning"),
    (re.compile(r"\s*(?:de\s+l'?\s*(?:apres[- ]?midi|aprem)|de\s+la\s+soiree|du\s+soir|le\s+soir)"
                r"(?![a-z])"), "pm"),
    (re.compile(r"\s*a\.?m\.?(?![a-z])"), "am"),
    (re.compile(r"\s*p\.?m\.?(?![a-z])"), "pm"),
]


def _suffixes(sc: _Scanner, pos: int, h: int, m: int, allow_meridiem: bool = True):
    """Apply "et demie", "du soir", "pm"... after a time. Returns (h, m, end, meridiem)."""
    meridiem = None
    changed = True
    while changed:
        changed = False
        for rx, what in _SUFFIXES:
            mm = rx.match(sc.s, pos)
            if not mm or not sc.free(mm.start(), mm.end()):
                continue
            if what in ("half", "quarter", "to") and m != 0:
                continue
            if what in ("morning", "pm", "am") and (meridiem or not allow_meridiem):
                continue
            if what == "half":
                m = 30
            elif what == "quarter":
                m = 15
            elif what == "to":
                h, m = (h - 1) % 24, 45
            elif what == "pm":
                meridiem = "pm"
                if 1 <= h < 12:
                    h += 12
            elif what == "am":
                meridiem = "am"
                if h == 12:
                    h = 0
            elif what == "morning":
                meridiem = "am"
            pos = mm.end()
            changed = True
            break
    return h, m, pos, meridiem


_PREFIX = r"(?:(?<![a-z])(?:a|vers|des|pour)\s+)?"
_RX_HOUR_H = re.compile(
    _PREFIX + _NOT_IN_NUMBER + r"(?P<h>\d{1,2})\s*(?:heures?|hrs?|h)(?![a-z/])"
    r"(?:\s*(?P<m>[0-5]\d)(?!\d)(?:\s*(?:minutes?|min|mn)(?![a-z]))?)?"
)
_RX_HOUR_COLON = re.compile(_PREFIX + _NOT_IN_NUMBER + r"(?P<h>\d{1,2}):(?P<m>[0-5]\d)(?![\d:])")
_RX_NOON = re.compile(
    # Not the "midi" of "après-midi" / "apres midi".
    r"(?:(?<![a-z])(?:a|vers|des|pour|ce|cette)\s+)?(?<![a-z-])(?<!apres )"
    r"(?P<w>midi|minuit)(?![a-z])"
)
_RX_HOUR_WORD = re.compile(
    _PREFIX + r"(?<![a-z-])(?P<w>" + _alt(_HOUR_WORDS) + r")\s+heures?(?![a-z])"
)
_RX_HOUR_AMPM = re.compile(
    _PREFIX + _NOT_IN_NUMBER + r"(?P<h>\d{1,2})(?=\s*[ap]\.?m\.?(?![a-z]))"
)
_RX_HOUR_BARE = re.compile(r"(?<![a-z])(?:a|vers)\s+(?P<h>\d{1,2})(?![\d/.,:-])(?!\s*h)")
# "de 9 à 12": the start of a range, so that the range is read from its first hour.
_RX_HOUR_RANGE_START = re.compile(r"(?<![a-z])de\s+(?P<h>\d{1,2})(?=\s*(?:a|-|jusqu'a)\s*\d)")


def _find_times(sc: _Scanner) -> None:
    def take(mt, h, m, *, special=None, bare=False):
        a = mt.start()
        if _DURATION_BEFORE.search(sc.s[:a]):
            return
        if not (0 <= h <= 23 and 0 <= m <= 59) or not sc.free(a, mt.end()):
            return
        h2, m2, end, meridiem = _suffixes(sc, mt.end(), h, m, allow_meridiem=special is None)
        if bare and meridiem is None and not _follows_ok(sc, end, _FOLLOW):
            return  # "à 5 minutes", "à 3 étages"
        sc.add(a, end, "time", (h2, m2, meridiem is not None, special))

    for mt in _RX_HOUR_H.finditer(sc.s):
        take(mt, int(mt["h"]), int(mt["m"] or 0))
    for mt in _RX_HOUR_COLON.finditer(sc.s):
        take(mt, int(mt["h"]), int(mt["m"]))
    for mt in _RX_NOON.finditer(sc.s):
        take(mt, 12 if mt["w"] == "midi" else 0, 0, special=mt["w"])
    for mt in _RX_HOUR_WORD.finditer(sc.s):
        take(mt, _HOUR_WORDS[mt["w"]], 0)
    for mt in _RX_HOUR_AMPM.finditer(sc.s):
        take(mt, int(mt["h"]), 0)
    for mt in _RX_HOUR_RANGE_START.finditer(sc.s):
        take(mt, int(mt["h"]), 0)
    for mt in _RX_HOUR_BARE.finditer(sc.s):
        if re.search(r"(?<![a-z])y\s+$", sc.s[: mt.start()]):
            continue  # "il y a 3"
        take(mt, int(mt["h"]), 0, bare=True)


_RX_SHIFT = re.compile(
    _B + r"dans\s+(?:(?P<n>\d{1,3})|(?P<nw>" + _alt(_COUNT_WORDS) + r"))\s*"
    r"(?P<u>heures?|h|minutes?|mins?|mn|jours?|semaines?)(?![a-z])"
    r"(?:\s*(?P<m>[0-5]\d)(?!\d)|\s*et\s+(?P<half>demie?)(?![a-z]))?"
)
_RX_SHIFT_FRACTION = re.compile(
    _B + r"dans\s+(?:une\s+(?P<half>demi[- ]?heure)|un\s+(?P<quarter>quart\s+d'?\s*heure))" + _E
)


def _find_shifts(sc: _Scanner, today: date) -> None:
    for mt in _RX_SHIFT_FRACTION.finditer(sc.s):
        sc.add(mt.start(), mt.end(), "shift", timedelta(minutes=30 if mt["half"] else 15))
    for mt in _RX_SHIFT.finditer(sc.s):
        if not sc.free(mt.start(), mt.end()):
            continue
        n = int(mt["n"]) if mt["n"] else _COUNT_WORDS[mt["nw"]]
        unit = mt["u"]
        if unit.startswith(("j", "s")):  # a day, which a time may follow ("dans 2 jours à 10h")
            d = today + timedelta(days=n * (7 if unit[0] == "s" else 1))
            sc.add(mt.start(), mt.end(), "day", _Day(d, "weekday", None, 1))
            continue
        if unit.startswith("h"):
            minutes = n * 60 + (int(mt["m"]) if mt["m"] else 0) + (30 if mt["half"] else 0)
        else:
            minutes = n
        sc.add(mt.start(), mt.end(), "shift", timedelta(minutes=minutes))


# --------------------------------------------------------------------------- days

def _next_day_month(today: date, day: int, month: int) -> date | None:
    """Next date with this day and month, today included (29/02 → next leap year)."""
    for year in range(today.year, today.year + 9):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if d >= today:
            return d
    return None


def _explicit(today: date, day: int, month: int, year: int | None) -> date | None:
    if year is None:
        return _next_day_month(today, day, month)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_day_of_month(today: date, day: int, weekday: int | None) -> date | None:
    found: list[date] = []
    y, m = today.year, today.month
    for _ in range(24):
        try:
            d = date(y, m, day)
        except ValueError:
            d = None
        if d and d >= today:
            found.append(d)
            if len(found) == 2:
                break
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if not found:
        return None
    if weekday is not None:
        for d in found:
            if d.weekday() == weekday:
                return d
    return found[0]


def _weekday(today: date, wd: int, mod: str | None) -> date:
    rd = _RD_WEEKDAYS[wd]
    if mod is None:
        return today + relativedelta(weekday=rd(+1))
    if mod == "prochain":
        return today + relativedelta(days=+1, weekday=rd(+1))
    if mod == "dernier":
        return today + relativedelta(days=-1, weekday=rd(-1))
    if mod == "en huit":
        return today + relativedelta(days=+8, weekday=rd(+1))
    if mod == "en quinze":
        return today + relativedelta(days=+15, weekday=rd(+1))
    if mod in ("semaine prochaine", "semaine derniere"):
        monday = today + relativedelta(weekday=MO(-1))  # this calendar week's Monday
        return monday + timedelta(weeks=1 if mod == "semaine prochaine" else -1, days=wd)
    raise ValueError(mod)


# Public holidays come from the calendar the opening hours use (knowledge.hours,
# the `holidays` package), so a holiday the hours know is a date people can ask
# about; the days around them people also name are computed here.
_PUBLIC_HOLIDAYS = {  # name in `holidays` -> (key, label in a reply)
    "Jour de l'an": ("an", "le jour de l'An"),
    "Lundi de Pâques": ("lundi_paques", "le lundi de Pâques"),
    "Fête du Travail": ("travail", "la fête du Travail"),
    "Ascension": ("ascension", "l'Ascension"),
    "Fête de la Victoire": ("victoire", "la fête de la Victoire"),
    "Lundi de Pentecôte": ("lundi_pentecote", "le lundi de Pentecôte"),
    "Fête nationale": ("nationale", "la fête nationale"),
    "Assomption": ("assomption", "l'Assomption"),
    "Toussaint": ("toussaint", "la Toussaint"),
    "Armistice": ("armistice", "l'Armistice"),
    "Noël": ("noel", "Noël"),
}


def _holiday_table(year: int) -> dict[str, tuple[str, date]]:
    table = {}
    for day, name in french_holidays(year).items():
        if name in _PUBLIC_HOLIDAYS:
            key, label = _PUBLIC_HOLIDAYS[name]
            table[key] = (label, day)
    e = easter(year)  # dateutil: Western Easter Sunday
    table.update({
        "veille": ("la veille de Noël", date(year, 12, 24)),
        "sylvestre": ("la Saint-Sylvestre", date(year, 12, 31)),
        "paques": ("Pâques", e),
        "pentecote": ("la Pentecôte", e + timedelta(days=49)),
    })
    return table


_HOLIDAY_PATTERNS = [
    (r"(?:la\s+)?(?:veille|reveillon)\s+de\s+noel", "veille"),
    (r"(?:le\s+)?(?:jour\s+de\s+)?noel", "noel"),
    (r"(?:la\s+)?saint[- ]sylvestre", "sylvestre"),
    (r"(?:le\s+)?(?:jour\s+de\s+l'?\s*an|nouvel\s+an)", "an"),
    (r"(?:la\s+)?fete\s+du\s+travail", "travail"),
    (r"(?:la\s+)?fete\s+nationale", "nationale"),
    (r"(?:l'?\s*)?assomption", "assomption"),
    (r"(?:la\s+)?toussaint", "toussaint"),
    (r"(?:l'?\s*)?armistice", "armistice"),
    (r"(?:(?:(?:le\s+)?jour\s+de\s+la\s+|(?:la\s+)?fete\s+de\s+la\s+)victoire(?:\s+(?:de\s+)?1945)?"
     r"|victoire\s+(?:de\s+)?1945)", "victoire"),
    (r"(?:le\s+)?lundi\s+de\s+paques", "lundi_paques"),
    (r"(?:le\s+)?lundi\s+de\s+(?:la\s+)?pentecote", "lundi_pentecote"),
    (r"(?:a\s+|le\s+jour\s+de\s+)?paques", "paques"),
    (r"(?:l'?\s*)?ascension", "ascension"),
    (r"(?:la\s+)?pentecote", "pentecote"),
]
_RX_HOLIDAYS = [(re.compile(_B + p + _E), key) for p, key in _HOLIDAY_PATTERNS]

_RX_NUMERIC_DATE = re.compile(
    _B + r"(?:le\s+)?(?:(?P<wd>" + _WD + r")\s+)?(?:le\s+)?" + _NOT_IN_NUMBER
    + r"(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?"
    r"(?!\d|[/.-]\d)"
)
_RX_DAY_MONTH = re.compile(
    _B + r"(?:le\s+)?(?:(?P<wd>" + _WD + r")\s+)?(?:le\s+)?(?<!\d)"
    r"(?P<d>\d{1,2}|premier)(?:er|ere|eme|e)?\s*(?P<mon>" + _MON + r")\.?(?![a-z])"
    r"(?:\s+(?P<y>(?:19|20)\d{2})(?!\d))?"
)
_RX_WEEKDAY_DAY = re.compile(
    _B + r"(?:le\s+)?(?P<wd>" + _WD + r")\s+(?:le\s+)?(?P<d>\d{1,2})(?:er)?" + _E
)
_RX_LE_DAY = re.compile(_B + r"le\s+(?P<d>\d{1,2})(?:er)?" + _E + r"(?![/.,:-]\d)")
_RX_RELATIVE = [
    (re.compile(_B + r"apres[- ]?(?:demain|dem1|2main)" + _E), 2, "après-demain"),
    (re.compile(_B + r"avant[- ]?hier" + _E), -2, "avant-hier"),
    (re.compile(_B + r"(?:demain|dem1|2main|dmain)" + _E), 1, "demain"),
    (re.compile(_B + r"(?:aujourd'?\s*hui|aujourdhui|aujourd|auj|aujd|ajd|ojd)" + _E), 0,
     "aujourd'hui"),
    (re.compile(_B + r"hier" + _E), -1, "hier"),
]
_RX_WEEKDAY = re.compile(
    _B + r"(?:(?:le|ce|cette)\s+)?(?:(?P<pre>prochain)\s+)?(?P<wd>" + _WD + r")s?"
    r"(?:\s+(?P<post>prochaine?|qui\s+vient|dernier|en\s+huit|en\s+quinze"
    r"|de\s+la\s+semaine\s+prochaine|de\s+la\s+semaine\s+derniere))?" + _E
)
_RX_WEEKEND = re.compile(
    _B + r"(?:(?:(?:ce|le|du|en|au|pour\s+le)\s+)?week[- ]?ends?|(?:ce|le)\s+we)"
    r"(?:\s+(?P<post>prochain))?" + _E
)


def _date_style(mt: re.Match) -> str:
    # "samedi 6 mars" is labelled like a weekday, "le 25 décembre" as a date with its year.
    return "weekday" if mt["wd"] else "explicit"


def _find_days(sc: _Scanner, today: date) -> None:
    s = sc.s

    def add(mt, d: date | None, style: str, head: str | None, prio: int) -> None:
        if d is not None and sc.free(mt.start(), mt.end()):
            sc.add(mt.start(), mt.end(), "day", _Day(d, style, head, prio))

    for rx, key in _RX_HOLIDAYS:
        for mt in rx.finditer(s):
            for year in (today.year, today.year + 1):
                name, d = _holiday_table(year)[key]
                if d >= today:
                    add(mt, d, "holiday", name, 0)
                    break

    for mt in _RX_NUMERIC_DATE.finditer(s):
        day, month, y = int(mt["d"]), int(mt["m"]), mt["y"]
        if mt["sep"] != "/" and (y is None or len(y) != 4):
            continue  # "25-12" or "25.12" alone look like scores, prices, phone numbers
        if y is None and (day, month) == (7, 7):
            continue  # "ouvert 7/7"
        if y is None and re.match(r"\s*h", s[mt.end():]):
            continue  # "1/2 heure"
        year = None if y is None else (int(y) if len(y) == 4 else 2000 + int(y))
        add(mt, _explicit(today, day, month, year), _date_style(mt), None, 0)

    for mt in _RX_DAY_MONTH.finditer(s):
        day = 1 if mt["d"] == "premier" else int(mt["d"])
        year = int(mt["y"]) if mt["y"] else None
        add(mt, _explicit(today, day, _MONTHS[mt["mon"]], year), _date_style(mt), None, 0)

    for mt in _RX_WEEKDAY_DAY.finditer(s):
        if 1 <= int(mt["d"]) <= 31 and _follows_ok(sc, mt.end(), _FOLLOW_DAY):
            d = _next_day_of_month(today, int(mt["d"]), _WEEKDAYS[mt["wd"]])
            add(mt, d, "weekday", None, 0)

    for mt in _RX_LE_DAY.finditer(s):
        if not 1 <= int(mt["d"]) <= 31 or sc.prev_word(mt.start()) in _CALL_WORDS:
            continue
        if _follows_ok(sc, mt.end(), _FOLLOW_DAY):
            add(mt, _next_day_of_month(today, int(mt["d"]), None), "weekday", None, 0)

    for rx, offset, head in _RX_RELATIVE:
        for mt in rx.finditer(s):
            add(mt, today + timedelta(days=offset), "relative", head, 1)

    for mt in _RX_WEEKDAY.finditer(s):
        post = re.sub(r"\s+", " ", mt["post"] or "")
        if mt["pre"] or post.startswith("prochain"):
            mod = "prochain"
        elif post in ("dernier", "en huit", "en quinze"):
            mod = post
        elif post.startswith("de la semaine"):
            mod = "semaine prochaine" if post.endswith("prochaine") else "semaine derniere"
        else:
            mod = None  # bare, "ce samedi", "samedi qui vient"
        add(mt, _weekday(today, _WEEKDAYS[mt["wd"]], mod), "weekday", None, 2)

    for mt in _RX_WEEKEND.finditer(s):
        if today.weekday() < 5:
            d = today + relativedelta(weekday=SA(+1))
        elif mt["post"]:
            d = today + relativedelta(days=+1, weekday=SA(+1))  # the weekend after this one
        else:
            d = today  # the weekend in progress
        add(mt, d, "weekday", None, 3)


# --------------------------------------------------------------------------- periods, now

_RX_PERIOD = re.compile(
    _B + r"(?:(?P<ce>ce|cet|cette|c)\s+)?(?:(?:le|au|en|dans\s+la|dans\s+l'?|l')\s*)?"
    r"(?P<p>matinee|matin|apres[- ]?midi|aprem|aprm|soiree|soir)" + _E
)
_RX_NOW = re.compile(
    _B + r"(?:maintenant|mtn|mnt|en\s+ce\s+moment|actuellement|tout\s+de\s+suite|a\s+present"
    r"|immediatement|des\s+maintenant|a\s+l'?\s*instant)" + _E
)
_RX_LA = re.compile(r"(?<![a-z0-9'-])la(?![a-z0-9-])")


def _find_periods_and_now(sc: _Scanner, text: str, origin: list[int]) -> None:
    for mt in _RX_PERIOD.finditer(sc.s):
        if not sc.free(mt.start(), mt.end()):
            continue
        p = mt["p"]
        name = "matin" if p.startswith("matin") else "soir" if p.startswith("soir") \
            else "apres-midi"
        sc.add(mt.start(), mt.end(), "period", (name, bool(mt["ce"])))
    for mt in _RX_NOW.finditer(sc.s):
        if sc.free(mt.start(), mt.end()):
            sc.add(mt.start(), mt.end(), "now")
    for mt in _RX_LA.finditer(sc.s):
        # Only "là" with its accent ("la" is the article), not "celle-là", "par là", "c'est là".
        i = origin[mt.start() + 1]
        grave = text[i] in "àÀ" or text[i + 1: i + 2] == "\u0300"
        if not grave or sc.prev_word(mt.start()) in _NOT_BEFORE_LA:
            continue
        if sc.free(mt.start(), mt.end()):
            sc.add(mt.start(), mt.end(), "now")


# --------------------------------------------------------------------------- building

def _local(d: date, hour: int = 0, minute: int = 0) -> datetime:
    """Wall-clock time in Paris; a non-existent time (DST gap) moves forward by the gap."""
    naive = datetime(d.year, d.month, d.day, hour, minute, tzinfo=PARIS)
    return naive.astimezone(timezone.utc).astimezone(PARIS)


def _day_month(d: date) -> str:
    return f"{'1er' if d.day == 1 else d.day} {MONTH_NAMES[d.month - 1]}"


def _day_words(ref: _Day, today: date) -> tuple[str, str | None]:
    """(head, detail) for a day: ("demain", "jeudi 19 novembre"), ("le 25 décembre 2026", None)."""
    d = ref.date
    detail = f"{WEEKDAY_NAMES[d.weekday()]} {_day_month(d)}"
    year = f" {d.year}" if d.year != today.year else ""
    delta = (d - today).days
    if delta == 0:
        return "aujourd'hui", detail + year
    if delta == 1:
        return "demain", detail + year
    if ref.style == "relative":
        return ref.head, detail + year
    if ref.style == "holiday":
        return ref.head, f"{detail} {d.year}"
    if ref.style == "explicit":
        return f"le {_day_month(d)} {d.year}", None
    return detail + year, None


def _join(head: str, detail: str | None) -> str:
    return f"{head} ({detail})" if detail else head


def _time_words(h: int, m: int, special: str | None) -> str:
    if special == "minuit" and m == 0:
        return "minuit"
    if (h, m) == (12, 0):
        return "midi"
    return f"{h} h" if m == 0 else f"{h} h {m:02d}"


def _as_paris(now: datetime) -> datetime:
    return now.replace(tzinfo=PARIS) if now.tzinfo is None else now.astimezone(PARIS)


def parse_moment(text: str, now: datetime) -> Moment | None:
    """The moment a French sentence talks about, or None if it names no time."""
    if not text:
        return None
    now = _as_paris(now)
    today = now.date()
    s, origin = _normalise(text)
    sc = _Scanner(s)
    _find_shifts(sc, today)
    _find_times(sc)
    _find_days(sc, today)
    _find_periods_and_now(sc, text, origin)
    hits = sc.hits

    def first(kind: str) -> _Hit | None:
        found = [h for h in hits if h.kind == kind]
        return min(found, key=lambda h: h.start) if found else None

    def span(*used: _Hit | None) -> str:
        used_hits = [h for h in used if h is not None]
        a = origin[min(h.start for h in used_hits)]
        b = origin[max(h.end for h in used_hits) - 1] + 1
        while b < len(text) and unicodedata.combining(text[b]):
            b += 1
        return text[a:b]

    shift = first("shift")
    if shift is not None:
        delta: timedelta = shift.value
        start = (now.astimezone(timezone.utc) + delta).astimezone(PARIS)
        head, detail = _day_words(_Day(start.date(), "weekday"), today)
        label = f"{_join(head, detail)} à {_time_words(start.hour, start.minute, None)}"
        return Moment(start, "instant", None, label, span(shift))

    days = [h for h in hits if h.kind == "day"]
    day_hit = min(days, key=lambda h: (h.value.prio, h.start)) if days else None
    time_hit = first("time")
    period_hit = first("period")
    now_hit = first("now")
    ref: _Day = day_hit.value if day_hit else _Day(today, "relative", "aujourd'hui")
    period = period_hit.value[0] if period_hit else None
    # "le matin" alone is a general question; it needs a day or "ce".
    if period_hit and not (day_hit or period_hit.value[1] or time_hit):
        period_hit, period = None, None

    if time_hit is not None:
        h, m, explicit_meridiem, special = time_hit.value
        if period in ("apres-midi", "soir") and not explicit_meridiem and 1 <= h < 12:
            h += 12  # "ce soir à 7h"
        d = ref.date
        if special == "minuit":
            d += timedelta(days=1)  # the midnight that ends that day
        start = _local(d, h, m)
        head, detail = _day_words(ref, today)
        label = f"{_join(head, detail)} à {_time_words(h, m, special)}"
        return Moment(start, "instant", None, label, span(day_hit, time_hit, period_hit))

    if period is not None:
        begin, finish, today_words, after_relative, after_date = _PERIODS[period]
        head, detail = _day_words(ref, today)
        if head == "aujourd'hui":
            label = f"{today_words} ({detail})"
        elif head in ("demain", "après-demain", "hier", "avant-hier"):
            label = f"{head} {after_relative} ({detail})"
        else:
            label = f"{_join(head, detail)} {after_date}"
        return Moment(_local(ref.date, begin), "period", _local(ref.date, finish), label,
                      span(day_hit, period_hit))

    if day_hit is not None:
        if now_hit is not None and ref.date == today:
            return Moment(now, "instant", None, "maintenant", span(day_hit, now_hit))
        return _day_moment(ref, today, span(day_hit))

    if now_hit is not None:
        return Moment(now, "instant", None, "maintenant", span(now_hit))
    return None


def _day_moment(ref: _Day, today: date, text: str) -> Moment:
    start = _local(ref.date)
    end = _local(ref.date + timedelta(days=1))
    return Moment(start, "day", end, _join(*_day_words(ref, today)), text)


# --------------------------------------------------------------------------- canonical form

def moment_value(moment: Moment) -> dict:
    """A moment as a canonical value (the NLU's `moment` entity, the `moment`
    slot): ISO 8601 date-times in Europe/Paris and the grain, as Duckling gives."""
    return {"start": moment.start.isoformat(),
            "end": moment.end.isoformat() if moment.end else None,
            "grain": moment.kind, "label": moment.label}


def moment_from_value(value) -> Moment | None:
    """The inverse of moment_value; None for anything that is not one."""
    if not isinstance(value, dict) or value.get("grain") not in ("instant", "day", "period"):
        return None
    try:
        start = datetime.fromisoformat(value["start"]).astimezone(PARIS)
        end = datetime.fromisoformat(value["end"]).astimezone(PARIS) if value.get("end") else None
    except (KeyError, TypeError, ValueError):
        return None
    return Moment(start=start, kind=value["grain"], end=end, label=str(value.get("label") or ""),
                  text="")
