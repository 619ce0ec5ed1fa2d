"""knowledge/french.py: the one way values are written in French, and the
hubs' usual week (knowledge.hours.weekly_schedule) it writes."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from knowledge import french
from knowledge.french_time import PARIS

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize("value,text", [
    (time(9, 0), "9 h"), (time(8, 30), "8 h 30"), (time(17, 5), "17 h 05"), (time(0, 0), "0 h"),
])
def test_times_are_written_the_french_way(value, text):
    assert french.time_fr(value) == text


def test_dates_name_the_weekday_and_the_year_only_when_it_is_another_year():
    assert french.date_fr(date(2026, 12, 1), TODAY) == "mardi 1er décembre"
    assert french.date_fr(date(2027, 1, 4), TODAY) == "lundi 4 janvier 2027"
    assert french.day_fr(TODAY, TODAY) == "aujourd'hui"
    assert french.day_fr(date(2026, 11, 26), TODAY) == "demain (jeudi 26 novembre)"
    now = datetime(2026, 11, 25, 18, 0, tzinfo=PARIS)
    assert french.when_fr(datetime(2026, 11, 26, 8, 30, tzinfo=PARIS), now) == \
        "demain (jeudi 26 novembre) à 8 h 30"
    assert french.full_date_fr(date(2023, 9, 26)) == "26 septembre 2023"


@pytest.mark.parametrize("name,text", [
    ("Issy-les-Moulineaux", "d’Issy-les-Moulineaux"), ("Clamart", "de Clamart"),
    ("Le Plessis-Robinson", "du Plessis-Robinson"), ("Les Lilas", "des Lilas"),
])
def test_de_before_a_place_name(name, text):
    assert french.de(name) == text


def test_lists_end_with_et():
    assert french.join_fr(["Clamart"]) == "Clamart"
    assert french.join_fr(["Clamart", "Meudon", "Vanves"]) == "Clamart, Meudon et Vanves"
    assert french.join_fr(["", "Meudon"]) == "Meudon"


def test_the_issy_week_in_one_phrase_and_in_short_sentences(kb):
    week = kb.weekly_schedule("pole-social-issy-les-moulineaux", TODAY)
    assert week.groups == ((0, 4, ((time(8, 30), time(17, 30)),)),)
    assert week.closed_on_public_holidays is True
    assert french.weekly_fr(week.groups, week.closed_on_public_holidays) == \
        "du lundi au vendredi de 8 h 30 à 17 h 30, sauf les jours fériés"
    assert french.weekly_falc(week.groups, week.closed_on_public_holidays).split("\n") == [
        "Il est ouvert du lundi au vendredi.", "Il ouvre à 8 h 30.", "Il ferme à 17 h 30.",
        "Il est fermé les jours fériés."]


def test_a_holiday_week_does_not_hide_a_weekday(kb):
    # Christmas (Friday 25 December) and New Year's Day (Friday 1 January) are
    # in the six weeks scanned: Friday is still an opening day.
    week = kb.weekly_schedule("pole-social-issy-les-moulineaux", date(2026, 12, 24))
    assert week.groups[0][:2] == (0, 4)


def test_weeks_with_a_lunch_break_and_open_holidays(data_copy, edit_yaml):
    from knowledge import KnowledgeBase

    def change(doc):
        doc["structures"][0]["horaires_accueil"] = "Mo-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00"
    edit_yaml(data_copy, "structures.yml", change)
    week = KnowledgeBase(data_copy).weekly_schedule("pole-social-issy-les-moulineaux", TODAY)
    assert french.weekly_fr(week.groups, week.closed_on_public_holidays) == (
        "du lundi au jeudi de 9 h à 12 h et de 13 h 30 à 17 h et le vendredi de 9 h à 12 h")
    assert week.closed_on_public_holidays is False
    assert "Il est ouvert de 9 h à 12 h." in french.weekly_falc(week.groups, False)
