"""knowledge.french_time: French time expressions resolved against a frozen clock.

Expected values are written out as ISO strings (offset included), so a wrong day,
hour, kind, end or DST offset fails the test.
"""
from __future__ import annotations

import dataclasses
import unicodedata
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.clock import parse_now
from knowledge.french_time import Moment, parse_moment

PARIS = ZoneInfo("Europe/Paris")

WED = datetime(2026, 11, 18, 10, 15, tzinfo=PARIS)  # Wednesday morning, office hours
SAT = datetime(2026, 11, 21, 10, 0, tzinfo=PARIS)  # Saturday
SUN_EVE = datetime(2026, 11, 22, 19, 30, tzinfo=PARIS)  # Sunday evening
NYE = datetime(2026, 12, 31, 16, 0, tzinfo=PARIS)  # Thursday 31 December: year rollover


def day(iso_date: str, next_iso: str, offset: str = "+01:00", next_offset: str | None = None):
    return ("day", f"{iso_date}T00:00:00{offset}", f"{next_iso}T00:00:00{next_offset or offset}")


def instant(iso: str):
    return ("instant", iso, None)


def period(iso_date: str, begin: int, end: int, offset: str = "+01:00"):
    return ("period", f"{iso_date}T{begin:02d}:00:00{offset}",
            f"{iso_date}T{end:02d}:00:00{offset}")


MATIN, APREM, SOIR = (8, 12), (12, 18), (18, 22)


def assert_moment(m: Moment | None, expected, text: str) -> None:
    kind, start, end = expected
    assert m is not None, f"no moment found in {text!r}"
    assert (m.kind, m.start.isoformat(), m.end.isoformat() if m.end else None) == (kind, start, end)
    assert m.start.tzinfo == PARIS
    assert m.text and m.text in text  # the user's own words, accents and case kept
    assert m.label


CASES_WEDNESDAY = [
    # --- now
    ("Le pôle est ouvert maintenant ?", instant("2026-11-18T10:15:00+01:00")),
    ("vous êtes ouverts en ce moment ?", instant("2026-11-18T10:15:00+01:00")),
    ("c'est ouvert actuellement ?", instant("2026-11-18T10:15:00+01:00")),
    ("je peux passer tout de suite ?", instant("2026-11-18T10:15:00+01:00")),
    ("vous êtes ouvert là ?", instant("2026-11-18T10:15:00+01:00")),
    ("c ouvert mtn", instant("2026-11-18T10:15:00+01:00")),
    ("aujourd'hui, là maintenant ?", instant("2026-11-18T10:15:00+01:00")),
    # --- today
    ("ouvert aujourd'hui ?", day("2026-11-18", "2026-11-19")),
    ("ouvert aujourd’hui à 15h ?", instant("2026-11-18T15:00:00+01:00")),
    ("AUJOURDHUI A 15H", instant("2026-11-18T15:00:00+01:00")),
    ("auj a 15h ?", instant("2026-11-18T15:00:00+01:00")),
    ("ce matin", period("2026-11-18", *MATIN)),
    ("vous êtes là cet après-midi ?", period("2026-11-18", *APREM)),
    ("cet apres-midi", period("2026-11-18", *APREM)),
    ("cet apres midi", period("2026-11-18", *APREM)),
    ("cet aprem", period("2026-11-18", *APREM)),
    ("ouvert ce soir ?", period("2026-11-18", *SOIR)),
    ("ce soir à 7h", instant("2026-11-18T19:00:00+01:00")),
    # --- demain, après-demain
    ("ouvert demain ?", day("2026-11-19", "2026-11-20")),
    ("demain à 18h ?", instant("2026-11-19T18:00:00+01:00")),
    ("demain à 9h", instant("2026-11-19T09:00:00+01:00")),
    ("demain matin", period("2026-11-19", *MATIN)),
    ("demain après-midi", period("2026-11-19", *APREM)),
    ("demain soir à 7h", instant("2026-11-19T19:00:00+01:00")),
    ("dem1 a 10h", instant("2026-11-19T10:00:00+01:00")),
    ("DEMAIN A 18H ?", instant("2026-11-19T18:00:00+01:00")),
    ("après-demain", day("2026-11-20", "2026-11-21")),
    ("apres demain a 9h", instant("2026-11-20T09:00:00+01:00")),
    ("après-demain matin", period("2026-11-20", *MATIN)),
    # --- weekdays (Wednesday today)
    ("lundi", day("2026-11-23", "2026-11-24")),
    ("mardi", day("2026-11-24", "2026-11-25")),
    ("mercredi", day("2026-11-18", "2026-11-19")),  # bare weekday = today when it is today
    ("jeudi", day("2026-11-19", "2026-11-20")),
    ("vendredi", day("2026-11-20", "2026-11-21")),
    ("le pôle est-il ouvert samedi ?", day("2026-11-21", "2026-11-22")),
    ("dimanche", day("2026-11-22", "2026-11-23")),
    ("Mecredi", day("2026-11-18", "2026-11-19")),
    ("mercredi prochain", day("2026-11-25", "2026-11-26")),  # "prochain": strictly after today
    ("samedi prochain", day("2026-11-21", "2026-11-22")),
    ("le prochain samedi", day("2026-11-21", "2026-11-22")),
    ("ce samedi", day("2026-11-21", "2026-11-22")),
    ("lundi prochain à 9h ?", instant("2026-11-23T09:00:00+01:00")),
    ("lundi prochain à 9 ?", instant("2026-11-23T09:00:00+01:00")),
    ("lundi 9h", instant("2026-11-23T09:00:00+01:00")),
    ("samedi en huit", day("2026-11-28", "2026-11-29")),
    ("mardi de la semaine prochaine", day("2026-11-24", "2026-11-25")),
    ("samedi dernier", day("2026-11-14", "2026-11-15")),
    ("samedi matin", period("2026-11-21", *MATIN)),
    ("vous êtes ouverts les samedis ?", day("2026-11-21", "2026-11-22")),
    ("vendredi à 2h de l'après-midi", instant("2026-11-20T14:00:00+01:00")),
    # --- week-end
    ("ce week-end", day("2026-11-21", "2026-11-22")),
    ("ouvert ce weekend ?", day("2026-11-21", "2026-11-22")),
    ("le week end", day("2026-11-21", "2026-11-22")),
    ("ce we", day("2026-11-21", "2026-11-22")),
    # --- dates in words (a past date without a year is next year's)
    ("25 décembre", day("2026-12-25", "2026-12-26")),
    ("ouvert le 25 décembre ?", day("2026-12-25", "2026-12-26")),
    ("le 25 decembre", day("2026-12-25", "2026-12-26")),
    ("11 novembre", day("2027-11-11", "2027-11-12")),
    ("le 1er mai", day("2027-05-01", "2027-05-02", "+02:00")),
    ("1 mai", day("2027-05-01", "2027-05-02", "+02:00")),
    ("le premier mai", day("2027-05-01", "2027-05-02", "+02:00")),
    ("le 3 janvier 2027", day("2027-01-03", "2027-01-04")),
    ("le 8 mai 2026", day("2026-05-08", "2026-05-09", "+02:00")),  # explicit year: kept
    ("le 18 novembre", day("2026-11-18", "2026-11-19")),  # today is not past
    ("le 17 novembre", day("2027-11-17", "2027-11-18")),
    ("29 février", day("2028-02-29", "2028-03-01")),  # next leap year
    ("1er DECEMBRE", day("2026-12-01", "2026-12-02")),
    ("samedi 6 mars", day("2027-03-06", "2027-03-07")),
    # month spellings and abbreviations
    ("12 janvier", day("2027-01-12", "2027-01-13")),
    ("12 janv", day("2027-01-12", "2027-01-13")),
    ("le 2 fevrier", day("2027-02-02", "2027-02-03")),
    ("le 3 fév", day("2027-02-03", "2027-02-04")),
    ("3 févr.", day("2027-02-03", "2027-02-04")),
    ("10 mars", day("2027-03-10", "2027-03-11")),
    ("4 avr", day("2027-04-04", "2027-04-05", "+02:00")),
    ("5 juin", day("2027-06-05", "2027-06-06", "+02:00")),
    ("14 juillet", day("2027-07-14", "2027-07-15", "+02:00")),
    ("14 juil", day("2027-07-14", "2027-07-15", "+02:00")),
    ("15 août", day("2027-08-15", "2027-08-16", "+02:00")),
    ("15 aout", day("2027-08-15", "2027-08-16", "+02:00")),
    ("le 10 sept", day("2027-09-10", "2027-09-11", "+02:00")),
    ("10 septembre", day("2027-09-10", "2027-09-11", "+02:00")),
    ("2 oct", day("2027-10-02", "2027-10-03", "+02:00")),
    ("le 20 nov", day("2026-11-20", "2026-11-21")),
    ("le 2 déc", day("2026-12-02", "2026-12-03")),
    # --- dates in digits
    ("25/12", day("2026-12-25", "2026-12-26")),
    ("25/12/2026", day("2026-12-25", "2026-12-26")),
    ("25/12/26", day("2026-12-25", "2026-12-26")),
    ("25-12-2027", day("2027-12-25", "2027-12-26")),
    ("01/05", day("2027-05-01", "2027-05-02", "+02:00")),
    ("lundi 23/11 à 9h", instant("2026-11-23T09:00:00+01:00")),
    # --- day of the month alone
    ("mardi 5", day("2027-01-05", "2027-01-06")),  # 5 Dec is a Saturday, 5 Jan a Tuesday
    ("samedi 5", day("2026-12-05", "2026-12-06")),
    ("ouvert le 20 ?", day("2026-11-20", "2026-11-21")),
    ("ouvert le 15 ?", day("2026-12-15", "2026-12-16")),
    ("le 5 à 10h", instant("2026-12-05T10:00:00+01:00")),
    # --- times; a bare time is today, even if already past (asked at 10:15)
    ("est-il ouvert à 9h ?", instant("2026-11-18T09:00:00+01:00")),
    ("9 h", instant("2026-11-18T09:00:00+01:00")),
    ("9h30", instant("2026-11-18T09:30:00+01:00")),
    ("9 h 30", instant("2026-11-18T09:30:00+01:00")),
    ("9:30", instant("2026-11-18T09:30:00+01:00")),
    ("14 h", instant("2026-11-18T14:00:00+01:00")),
    ("14h00", instant("2026-11-18T14:00:00+01:00")),
    ("à 18 heures", instant("2026-11-18T18:00:00+01:00")),
    ("18h15", instant("2026-11-18T18:15:00+01:00")),
    ("le pôle ferme à 17h30 ?", instant("2026-11-18T17:30:00+01:00")),
    ("à midi", instant("2026-11-18T12:00:00+01:00")),
    ("ce midi", instant("2026-11-18T12:00:00+01:00")),
    ("midi et demi", instant("2026-11-18T12:30:00+01:00")),
    ("à minuit", instant("2026-11-19T00:00:00+01:00")),  # the midnight ending today
    ("ce soir à minuit", instant("2026-11-19T00:00:00+01:00")),
    ("9h du matin", instant("2026-11-18T09:00:00+01:00")),
    ("6h du soir", instant("2026-11-18T18:00:00+01:00")),
    ("6 h de l'après-midi", instant("2026-11-18T18:00:00+01:00")),
    ("6 h de l'apres midi", instant("2026-11-18T18:00:00+01:00")),
    ("à 6 pm", instant("2026-11-18T18:00:00+01:00")),
    ("6pm", instant("2026-11-18T18:00:00+01:00")),
    ("à 11 pm", instant("2026-11-18T23:00:00+01:00")),
    ("11h du soir", instant("2026-11-18T23:00:00+01:00")),
    ("12h du soir", instant("2026-11-18T12:00:00+01:00")),
    ("à 12 am", instant("2026-11-18T00:00:00+01:00")),
    ("à 9 ?", instant("2026-11-18T09:00:00+01:00")),
    ("à 9 le soir", instant("2026-11-18T21:00:00+01:00")),
    ("à sept heures et demie", instant("2026-11-18T07:30:00+01:00")),
    ("à dix-huit heures", instant("2026-11-18T18:00:00+01:00")),
    ("10h moins le quart", instant("2026-11-18T09:45:00+01:00")),
    ("9h et quart", instant("2026-11-18T09:15:00+01:00")),
    ("vers 14h30", instant("2026-11-18T14:30:00+01:00")),
    ("de 9h à 12h", instant("2026-11-18T09:00:00+01:00")),  # the first time of a range
    ("ouvert de 9 à 12 ?", instant("2026-11-18T09:00:00+01:00")),
    # --- day and time anywhere in a sentence
    ("Bonjour, je voulais savoir si le pôle de Nanterre (92000) est ouvert le mardi "
     "24 novembre vers 14h30 svp", instant("2026-11-24T14:30:00+01:00")),
    ("est-il ouvert à 12h30 le 24 décembre", instant("2026-12-24T12:30:00+01:00")),
    ("le 25 décembre à 10h", instant("2026-12-25T10:00:00+01:00")),
    ("rdv à 10 h 30 jeudi", instant("2026-11-19T10:30:00+01:00")),
    ("à 18h demain c'est ouvert ?", instant("2026-11-19T18:00:00+01:00")),
    ("maintenant, et demain à 9h ?", instant("2026-11-19T09:00:00+01:00")),
    ("le week-end, samedi à 10h", instant("2026-11-21T10:00:00+01:00")),
    ("demain ou le 25 décembre ?", day("2026-12-25", "2026-12-26")),  # a date wins
    # --- relative
    ("dans 2 heures", instant("2026-11-18T12:15:00+01:00")),
    ("dans une demi-heure", instant("2026-11-18T10:45:00+01:00")),
    ("dans un quart d'heure", instant("2026-11-18T10:30:00+01:00")),
    ("dans 1h30", instant("2026-11-18T11:45:00+01:00")),
    ("dans 3 jours", day("2026-11-21", "2026-11-22")),
    ("dans 2 jours à 10h", instant("2026-11-20T10:00:00+01:00")),
    ("dans une semaine", day("2026-11-25", "2026-11-26")),
    ("hier", day("2026-11-17", "2026-11-18")),
    # --- public holidays (Easter from dateutil)
    ("à Noël", day("2026-12-25", "2026-12-26")),
    ("le jour de l'an", day("2027-01-01", "2027-01-02")),
    ("lundi de Pâques", day("2027-03-29", "2027-03-30", "+02:00")),
    ("l'Ascension", day("2027-05-06", "2027-05-07", "+02:00")),
    ("le lundi de pentecôte", day("2027-05-17", "2027-05-18", "+02:00")),
    ("la Toussaint", day("2027-11-01", "2027-11-02")),
]


@pytest.mark.parametrize("text, expected", CASES_WEDNESDAY)
def test_wednesday_morning(text, expected):
    assert_moment(parse_moment(text, WED), expected, text)


CASES_OTHER_NOWS = [
    # Saturday 21 November 2026, 10:00
    (SAT, "samedi", day("2026-11-21", "2026-11-22")),
    (SAT, "ce samedi", day("2026-11-21", "2026-11-22")),
    (SAT, "samedi prochain", day("2026-11-28", "2026-11-29")),
    (SAT, "ce week-end", day("2026-11-21", "2026-11-22")),
    (SAT, "le week-end prochain", day("2026-11-28", "2026-11-29")),
    (SAT, "dimanche", day("2026-11-22", "2026-11-23")),
    (SAT, "demain", day("2026-11-22", "2026-11-23")),
    (SAT, "lundi", day("2026-11-23", "2026-11-24")),
    (SAT, "lundi prochain à 9h", instant("2026-11-23T09:00:00+01:00")),
    (SAT, "à 9h", instant("2026-11-21T09:00:00+01:00")),
    # Sunday 22 November 2026, 19:30
    (SUN_EVE, "ce soir", period("2026-11-22", *SOIR)),
    (SUN_EVE, "maintenant", instant("2026-11-22T19:30:00+01:00")),
    (SUN_EVE, "dimanche", day("2026-11-22", "2026-11-23")),
    (SUN_EVE, "dimanche prochain", day("2026-11-29", "2026-11-30")),
    (SUN_EVE, "ce week-end", day("2026-11-22", "2026-11-23")),  # the weekend in progress
    (SUN_EVE, "le week-end prochain", day("2026-11-28", "2026-11-29")),
    (SUN_EVE, "samedi", day("2026-11-28", "2026-11-29")),
    (SUN_EVE, "demain matin", period("2026-11-23", *MATIN)),
    (SUN_EVE, "lundi prochain", day("2026-11-23", "2026-11-24")),
    (SUN_EVE, "à 9h", instant("2026-11-22T09:00:00+01:00")),  # past, still today
    # Thursday 31 December 2026, 16:00
    (NYE, "demain", day("2027-01-01", "2027-01-02")),
    (NYE, "le 1er janvier", day("2027-01-01", "2027-01-02")),
    (NYE, "le jour de l'an", day("2027-01-01", "2027-01-02")),
    (NYE, "25/12", day("2027-12-25", "2027-12-26")),
    (NYE, "31/12", day("2026-12-31", "2027-01-01")),
    (NYE, "le 31 décembre", day("2026-12-31", "2027-01-01")),
    (NYE, "le 3 janvier", day("2027-01-03", "2027-01-04")),
    (NYE, "samedi", day("2027-01-02", "2027-01-03")),
    (NYE, "lundi prochain", day("2027-01-04", "2027-01-05")),
    (NYE, "mardi 5", day("2027-01-05", "2027-01-06")),
    (NYE, "après-demain à 10h", instant("2027-01-02T10:00:00+01:00")),
    (NYE, "à minuit", instant("2027-01-01T00:00:00+01:00")),
    (NYE, "dans 2 jours", day("2027-01-02", "2027-01-03")),
]


@pytest.mark.parametrize("now, text, expected", CASES_OTHER_NOWS)
def test_other_clocks(now, text, expected):
    assert_moment(parse_moment(text, now), expected, text)


# --- daylight saving time: 31 March 2024 (02:00 → 03:00), 25 October 2026 (03:00 → 02:00)

def elapsed(a: datetime, b: datetime) -> timedelta:
    # Same-tzinfo subtraction is wall-clock in Python; real time needs UTC.
    return b.astimezone(timezone.utc) - a.astimezone(timezone.utc)


def test_spring_forward_day_is_23_hours():
    m = parse_moment("demain", datetime(2024, 3, 30, 10, 0, tzinfo=PARIS))
    assert_moment(m, day("2024-03-31", "2024-04-01", "+01:00", "+02:00"), "demain")
    assert elapsed(m.start, m.end) == timedelta(hours=23)


def test_time_after_spring_forward_has_summer_offset():
    m = parse_moment("demain à 10h", datetime(2024, 3, 30, 10, 0, tzinfo=PARIS))
    assert_moment(m, instant("2024-03-31T10:00:00+02:00"), "demain à 10h")


def test_time_in_the_spring_gap_moves_forward():
    m = parse_moment("demain à 2h30", datetime(2024, 3, 30, 10, 0, tzinfo=PARIS))
    assert_moment(m, instant("2024-03-31T03:30:00+02:00"), "demain à 2h30")


def test_relative_hours_count_real_time_across_the_change():
    m = parse_moment("dans 2 heures", datetime(2024, 3, 31, 1, 30, tzinfo=PARIS))
    assert_moment(m, instant("2024-03-31T04:30:00+02:00"), "dans 2 heures")


def test_fall_back_day_is_25_hours():
    m = parse_moment("dimanche", datetime(2026, 10, 24, 12, 0, tzinfo=PARIS))
    assert_moment(m, day("2026-10-25", "2026-10-26", "+02:00", "+01:00"), "dimanche")
    assert elapsed(m.start, m.end) == timedelta(hours=25)


# --- no time expression

NEGATIVES = [
    "",
    "quelles sont les horaires ?",
    "où est le pôle ?",
    "Bonjour",
    "Bonsoir, j'ai une question",
    "J'habite au 12 rue de la Paix, 92130 Issy-les-Moulineaux",
    "le pôle a 3 étages ?",
    "mon numéro est le 06 12 34 56 78",
    "tél : 01.41.23.45.67",
    "il faut appeler le 15 ?",
    "appelez le 3919",
    "c'est à 5 minutes à pied",
    "c'est à 2 km de la gare",
    "il y a 3 personnes devant moi",
    "vous êtes ouvert 7/7 ?",
    "ouvert 24h/24 ?",
    "le rendez-vous dure pendant 2h ?",
    "le lendemain",
    "vous êtes ouverts le matin ?",  # a general question, no day given
    "c'est là-bas ?",
    "c'est là ?",
    "celle-là",
    "la salle d'attente",
    "31 avril",
    "we are looking for help",
    "j'ai 30 ans et 2 enfants",
    "les 36 communes du 92",
    "une demi-heure d'attente",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_time_expression(text):
    assert parse_moment(text, WED) is None


# --- labels and matched text

@pytest.mark.parametrize(
    "now, text, label, matched",
    [
        (WED, "ouvert maintenant ?", "maintenant", "maintenant"),
        (WED, "le pôle est-il ouvert demain à 18h ?", "demain (jeudi 19 novembre) à 18 h",
         "demain à 18h"),
        (WED, "samedi ?", "samedi 21 novembre", "samedi"),
        (WED, "Ouvert le 25 Décembre ?", "le 25 décembre 2026", "le 25 Décembre"),
        (WED, "aujourd'hui", "aujourd'hui (mercredi 18 novembre)", "aujourd'hui"),
        (WED, "à 9h30", "aujourd'hui (mercredi 18 novembre) à 9 h 30", "à 9h30"),
        (WED, "à midi ?", "aujourd'hui (mercredi 18 novembre) à midi", "à midi"),
        (WED, "ce soir", "ce soir (mercredi 18 novembre)", "ce soir"),
        (WED, "cet aprem", "cet après-midi (mercredi 18 novembre)", "cet aprem"),
        (WED, "demain matin", "demain matin (jeudi 19 novembre)", "demain matin"),
        (WED, "samedi matin", "samedi 21 novembre au matin", "samedi matin"),
        (WED, "le 1er mai", "le 1er mai 2027", "le 1er mai"),
        (WED, "samedi 6 mars", "samedi 6 mars 2027", "samedi 6 mars"),
        (WED, "jeudi", "demain (jeudi 19 novembre)", "jeudi"),
        (WED, "après-demain", "après-demain (vendredi 20 novembre)", "après-demain"),
        (WED, "Noël", "Noël (vendredi 25 décembre 2026)", "Noël"),
        (WED, "lundi prochain à 9h ?", "lundi 23 novembre à 9 h", "lundi prochain à 9h"),
        (WED, "vous ouvrez lundi prochain, à 9h ?", "lundi 23 novembre à 9 h",
         "lundi prochain, à 9h"),
        (NYE, "demain", "demain (vendredi 1er janvier 2027)", "demain"),
        (NYE, "samedi", "samedi 2 janvier 2027", "samedi"),
    ],
)
def test_label_and_text(now, text, label, matched):
    m = parse_moment(text, now)
    assert m is not None
    assert (m.label, m.text) == (label, matched)


def test_decomposed_accents_and_typographic_spaces():
    # Some keyboards send NFD text; French typography puts a narrow no-break space before "?".
    text = unicodedata.normalize("NFD", "après-demain à 9h\u202f?")
    m = parse_moment(text, WED)
    assert_moment(m, instant("2026-11-20T09:00:00+01:00"), text)
    assert m.text == unicodedata.normalize("NFD", "après-demain à 9h")


def test_moment_is_frozen():
    m = parse_moment("demain", WED)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.kind = "instant"


def test_now_in_another_zone_is_read_in_paris():
    utc_now = datetime(2026, 11, 18, 23, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on the 19th in Paris
    assert_moment(parse_moment("demain", utc_now), day("2026-11-20", "2026-11-21"), "demain")


# --- with the bot's own clock setting (BOT_NOW)

@pytest.mark.parametrize(
    "bot_now, text, expected",
    [
        ("2026-11-18T10:15", "demain à 18h", instant("2026-11-19T18:00:00+01:00")),
        ("2026-11-18T10:15", "lundi prochain à 9h", instant("2026-11-23T09:00:00+01:00")),
        ("2027-07-01T06:00:00Z", "maintenant", instant("2027-07-01T08:00:00+02:00")),
        ("2027-07-01T06:00:00Z", "ce soir", period("2027-07-01", *SOIR, offset="+02:00")),
        ("2027-07-01T06:00:00Z", "14 juillet", day("2027-07-14", "2027-07-15", "+02:00")),
    ],
)
def test_with_bot_now(bot_now, text, expected):
    assert_moment(parse_moment(text, parse_now(bot_now)), expected, text)


def test_with_bot_clock(monkeypatch):
    from bot import clock

    monkeypatch.setenv("BOT_NOW", "2026-12-31T16:00")
    m = parse_moment("ouvert le 1er janvier ?", clock.now())
    assert_moment(m, day("2027-01-01", "2027-01-02"), "ouvert le 1er janvier ?")
