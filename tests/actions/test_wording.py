"""One home for wording: every sentence a resident reads is a domain response,
each with its easy-to-read (FALC) variant; actions only choose the response and
compute its values (covidflow's assert_templates style)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from actions.action_answer_hub import ActionAnswerHub
from actions.action_find_service import ActionFindService
from actions.action_list_services import ActionListServices
from tests.actions.conftest import (
    insee,
    ROOT, activation, assert_templates, create_tracker, load_domain, run, texts,
)

EASY_READ = [{"type": "slot", "name": "easy_read", "value": True}]
RESPONSES = load_domain()["responses"]


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_response_has_one_standard_and_one_easy_read_variant(name):
    variants = RESPONSES[name]
    standard = [v for v in variants if not v.get("condition")]
    easy = [v for v in variants if v.get("condition") == EASY_READ]
    assert len(standard) == 1 and len(easy) == 1 and len(variants) == 2, name
    # the same buttons (payloads) in both modes: the choices do not change
    assert [b["payload"] for b in standard[0].get("buttons", [])] == \
        [b["payload"] for b in easy[0].get("buttons", [])]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!:])\s+|\n", text) if re.search(r"\w", s)]


def words(sentence: str) -> int:
    return len(re.findall(r"[\w’'-]+", sentence))


def test_issy_hours_in_easy_read_are_short_sentences_with_the_same_facts():
    # "Horaires du pôle d'Issy ?" (Wednesday 18 November 2026, 10:15)
    tracker = activation("horaires du pôle d'Issy ?", "ask_hours",
                         slots={"asked_hub": "pole-social-issy-les-moulineaux", "easy_read": True})
    dispatcher, _ = run(ActionAnswerHub(), tracker)
    assert_templates(dispatcher, ["utter_hub_hours_hub", "utter_hub_open_now", "utter_hub_freshness"])
    easy = texts(dispatcher, {"easy_read": True})
    standard = texts(dispatcher, {"easy_read": False})
    said = sentences(easy)
    assert sum(map(words, said)) / len(said) <= 12, said
    for fact in ("lundi", "vendredi", "8 h 30", "17 h 30", "jours fériés", "ouvert"):
        assert fact in easy and fact in standard, fact
    assert standard == ("Le pôle social départemental d’Issy-les-Moulineaux est ouvert du lundi "
                        "au vendredi de 8 h 30 à 17 h 30, sauf les jours fériés.\n"
                        "Il est ouvert en ce moment et ferme à 17 h 30.\n"
                        "Informations du 21/11/2026.")


def test_where_to_go_chooses_the_response_and_its_values():
    tracker = activation("quel pôle pour Clamart ?", "find_hub", slots={"commune": insee("Clamart")})
    dispatcher, _ = run(ActionAnswerHub(), tracker)
    # the hub, then when its information was last checked (structures.yml date_maj)
    assert_templates(dispatcher, ["utter_hub_where_commune", "utter_hub_freshness"])
    assert dispatcher.messages[1]["updated"] == "21/11/2026"
    message = dispatcher.messages[0]
    assert message["commune"] == "Clamart"
    assert message["address"] == "13-15 rue Jean-Pierre Timbaud, 92130 Issy-les-Moulineaux"
    assert message["weekly_hours"] == "du lundi au vendredi de 8 h 30 à 17 h 30, sauf les jours fériés"
    easy = texts(dispatcher, {"easy_read": True})
    assert "Vous habitez à Clamart." in easy and "PH" not in easy


def test_a_service_in_easy_read_spells_out_its_abbreviation():
    dispatcher, _ = run(ActionFindService(), create_tracker("je suis enceinte", "ask_service"))
    assert_templates(dispatcher, ["utter_service_for_need", "utter_service_people",
                                  "utter_ask_commune_for_service"])
    easy = texts(dispatcher, {"easy_read": True})
    assert "protection maternelle et infantile" in easy and "PMI, c’est" in easy


def test_the_services_list_in_both_modes():
    dispatcher, _ = run(ActionListServices(), create_tracker("quels services ?", "list_services"))
    assert_templates(dispatcher, ["utter_service_list", "utter_service_list_others",
                                  "utter_describe_need"])
    assert "- Protection maternelle et infantile (PMI) :" in texts(dispatcher)
    assert "aide pour internet" in texts(dispatcher, {"easy_read": True})


def test_helplines_stay_first_and_complete_in_easy_read():
    for situation in ("violence", "child", "suicide", "no_shelter", "medical", "cannot_speak"):
        easy = [v for v in RESPONSES[f"utter_danger_{situation}"] if v.get("condition")][0]["text"]
        first_sentences = " ".join(sentences(easy)[:2])
        assert re.search(r"\b(?:le|au) \d{2,4}\b", first_sentences), (situation, easy)


def _string_constants(path: Path):
    tree = ast.parse(path.read_text())
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.value


@pytest.mark.parametrize("path", sorted((ROOT / "actions").glob("*.py")), ids=lambda p: p.name)
def test_actions_hold_no_sentence_a_resident_reads(path):
    sentence = re.compile(r"^[A-ZÀ-Ý][^{}]*\s\S+\s[^{}]*[.?!]$")
    found = [s for s in _string_constants(path) if sentence.match(s.strip())]
    assert found == [], f"{path.name}: move these to domain/*.yml: {found}"


def test_no_action_rebuilds_state_from_the_event_log():
    # the dialogue state lives in slots (domain/hubs.yml), filled by Rasa's mappings
    # and the form validation; an action reading tracker.events would redo that
    for path in sorted((ROOT / "actions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert "tracker.events" not in source and "applied_events" not in source, path.name
