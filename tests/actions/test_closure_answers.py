"""A temporary closure or exceptional hours reach the resident: open-at answers
inside the period, hours and where-to-go answers during it and in the 14 days
before. Closures are added the way staff add them (the CLI) to a copy of the
data; the clock is frozen on Wednesday 18 November 2026, 10:15."""
import shutil

import pytest

from actions.action_answer_hub import ActionAnswerHub
from knowledge import get_knowledge
from knowledge.__main__ import main as knowledge_cli
from knowledge.loader import DEFAULT_DATA_DIR
from tests.actions.conftest import activation, assert_templates, insee, run, texts

ACTION = ActionAnswerHub()


@pytest.fixture
def close(tmp_path, monkeypatch):
    """close(target, from, to, reason[, hours]) as `python -m knowledge closure add`."""
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(data))

    def add(target, start, end, reason, hours=None):
        args = ["closure", "add", target, "--from", start, "--to", end, "--reason", reason, "--by", "test"]
        assert knowledge_cli(args + (["--hours", hours] if hours else [])) == 0
        assert get_knowledge().reload()
    return add


def ask(question, intent, commune="Clamart"):
    dispatcher, _ = run(ACTION, activation(question, intent, slots={"commune": insee(commune)}))
    return dispatcher


def test_open_now_during_a_closure_says_closed_why_and_until_when(close):
    close("Issy", "2026-11-16", "2026-11-20", "travaux")
    dispatcher = ask("c'est ouvert maintenant ?", "ask_open")
    assert_templates(dispatcher, ["utter_for_commune", "utter_open_at_closed_temporarily",
                                  "utter_open_at_next_opening"])
    text = texts(dispatcher)
    assert "Non, le pôle d’Issy est exceptionnellement fermé du lundi 16 au vendredi 20 novembre 2026 " \
           "(travaux)." in text
    assert "lundi 23 novembre à 8 h 30" in text
    easy = texts(dispatcher, {"easy_read": True})
    assert "fermé du lundi 16 au vendredi 20 novembre 2026.\nC’est exceptionnel.\nLa raison : travaux." in easy


def test_open_on_a_day_of_the_closure(close):
    close("Issy", "2026-11-30", "2026-12-04", "déménagement du service")
    text = texts(ask("le pôle est ouvert mardi 1er décembre ?", "ask_open"))
    assert "exceptionnellement fermé du lundi 30 novembre au vendredi 4 décembre 2026 " \
           "(déménagement du service)" in text
    assert "lundi 7 décembre" in text  # next opening
    # another hub, the same day: its usual hours
    other = texts(ask("le pôle est ouvert mardi 1er décembre ?", "ask_open", commune="Gennevilliers"))
    assert "exceptionnellement" not in other and "de 8 h 30 à 17 h 30" in other


def test_hours_announce_a_closure_14_days_ahead(close):
    close("Issy", "2026-12-02", "2026-12-04", "travaux")  # starts in 14 days
    dispatcher = ask("quels sont les horaires ?", "ask_hours")
    assert_templates(dispatcher, ["utter_hub_hours_commune", "utter_hub_open_now", "utter_hub_closure_ahead",
                                  "utter_hub_freshness"])
    assert "Attention : le pôle d’Issy sera exceptionnellement fermé du mercredi 2 au vendredi 4 décembre " \
           "2026 (travaux)." in texts(dispatcher)


def test_hours_do_not_announce_a_closure_further_ahead(close):
    close("Issy", "2026-12-03", "2026-12-04", "travaux")  # 15 days ahead
    dispatcher = ask("quels sont les horaires ?", "ask_hours")
    assert "utter_hub_closure_ahead" not in [m["response"] for m in dispatcher.messages]
    assert "exceptionnellement" not in texts(dispatcher)


def test_hours_and_address_during_a_closure(close):
    close("Clamart", "2026-11-16", "2026-11-27", "travaux")
    hours = texts(ask("quels sont les horaires ?", "ask_hours"))
    assert "Il est fermé en ce moment ; il rouvre lundi 30 novembre à 8 h 30." in hours
    assert "Attention : le pôle d’Issy est exceptionnellement fermé du lundi 16 au vendredi 27 novembre " \
           "2026 (travaux)." in hours
    where = ask("où dois-je aller ?", "find_hub")
    assert_templates(where, ["utter_hub_where_commune", "utter_hub_closed_temporarily", "utter_hub_freshness"])


def test_exceptional_hours_in_open_at_and_hours_answers(close):
    close("Asnières", "2026-11-27", "2026-11-27", "formation de l'équipe", hours="08:30-12:00")
    afternoon = ask("ouvert vendredi 27 novembre à 15h ?", "ask_open", commune="Gennevilliers")
    assert_templates(afternoon, ["utter_for_commune", "utter_open_at_closed_hours", "utter_open_at_next_opening",
                                 "utter_hub_exceptional_hours"])
    assert "Attention : horaires exceptionnels le vendredi 27 novembre 2026 (formation de l'équipe) : " \
           "le pôle d’Asnières est ouvert de 8 h 30 à 12 h." in texts(afternoon)
    day = texts(ask("c'est ouvert vendredi 27 novembre ?", "ask_open", commune="Gennevilliers"))
    assert "de 8 h 30 à 12 h" in day and "17 h 30" not in day.split("Attention")[0]
    hours = texts(ask("vos horaires ?", "ask_hours", commune="Gennevilliers"))
    assert "du lundi au vendredi de 8 h 30 à 17 h 30" in hours  # the usual week…
    assert "horaires exceptionnels le vendredi 27 novembre 2026" in hours  # …and the exception
