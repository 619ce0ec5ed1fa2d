"""Hot reload: an edited data file is served within 5 s, bad edits are not."""
from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

import knowledge
from knowledge import get_knowledge

PARIS = ZoneInfo("Europe/Paris")
ISSY = "pole-social-issy-les-moulineaux"
WEDNESDAY_0845 = datetime(2026, 11, 25, 8, 45, tzinfo=PARIS)


def wait_for(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture
def kb_on_copy(data_copy, monkeypatch):
    monkeypatch.setenv("KNOWLEDGE_DIR", str(data_copy))
    return get_knowledge()


def _set_issy_hours(value):
    def change(doc):
        doc["structures"][0]["horaires_accueil"] = value
    return change


def test_get_knowledge_is_a_singleton_per_data_dir(kb_on_copy, data_copy, monkeypatch):
    assert get_knowledge() is kb_on_copy
    monkeypatch.delenv("KNOWLEDGE_DIR")
    assert get_knowledge() is not kb_on_copy
    assert get_knowledge().data_dir == knowledge.loader.DEFAULT_DATA_DIR.resolve()


def test_edited_hours_are_served_within_5_seconds(kb_on_copy, data_copy, edit_yaml):
    assert kb_on_copy.opening_status(ISSY, WEDNESDAY_0845).is_open
    edit_yaml(data_copy, "structures.yml", _set_issy_hours("Mo-Fr 09:00-17:00; PH off"))
    assert wait_for(lambda: not get_knowledge().opening_status(ISSY, WEDNESDAY_0845).is_open)
    assert get_knowledge().hub(ISSY).opening_hours == "Mo-Fr 09:00-17:00; PH off"
    assert get_knowledge().last_error is None


def test_new_commune_link_is_served_without_restart(kb_on_copy, data_copy, edit_yaml):
    assert kb_on_copy.resolve_commune("Malakoff").status == "uncovered"

    def serve_malakoff(doc):
        served = doc["structures"][0]["extensions"]["communes_desservies"]
        served.append({"code_insee": "92046", "provenance": served[0]["provenance"]})

    edit_yaml(data_copy, "structures.yml", serve_malakoff)
    assert wait_for(lambda: get_knowledge().resolve_commune("Malakoff").status == "served")
    assert get_knowledge().resolve_commune("Malakoff").hub.id == ISSY


def test_invalid_edit_keeps_serving_the_old_data_and_logs_file_and_field(
        kb_on_copy, data_copy, edit_yaml, caplog):
    edit_yaml(data_copy, "structures.yml", _set_issy_hours("Mo-Fr 25:00-26:00"))
    assert wait_for(lambda: kb_on_copy.hub(ISSY) is not None and kb_on_copy.last_error is not None)
    # still the old, valid facts
    assert kb_on_copy.hub(ISSY).opening_hours == "Mo-Fr 08:30-17:30; PH off"
    assert kb_on_copy.opening_status(ISSY, WEDNESDAY_0845).is_open
    assert "structures.yml: structures[0].horaires_accueil: invalid opening_hours syntax" in str(kb_on_copy.last_error)
    assert "structures[0].horaires_accueil" in caplog.text
    # and a later fix is picked up
    edit_yaml(data_copy, "structures.yml", _set_issy_hours("Mo-Fr 09:00-17:00; PH off"))
    assert wait_for(lambda: kb_on_copy.hub(ISSY).opening_hours == "Mo-Fr 09:00-17:00; PH off")
    assert kb_on_copy.last_error is None


def test_broken_yaml_keeps_serving_the_old_data(kb_on_copy, data_copy):
    (data_copy / "communes.yml").write_text("communes: [", encoding="utf-8")
    assert wait_for(lambda: kb_on_copy.resolve_commune("x") is not None and kb_on_copy.last_error is not None)
    assert "communes.yml: invalid YAML" in str(kb_on_copy.last_error)
    assert kb_on_copy.resolve_commune("Clamart").status == "served"
