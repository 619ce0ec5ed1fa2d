"""`python -m knowledge ...` as staff run it from the repository."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))


def run(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("KNOWLEDGE_DIR", "BOT_NOW")}
    env["PYTHONPATH"] = str(REPO)
    env.update(env_extra or {})
    return subprocess.run([PYTHON, "-m", "knowledge", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)


def test_validate_ok():
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "36 communes, 2 hubs" in result.stdout


def test_validate_lists_errors_and_exits_1(data_copy, edit_yaml):
    def break_things(doc):
        doc["structures"][1]["horaires_accueil"] = "Mo-Fr 25:00-26:00"
        doc["structures"][0]["provenance"].pop("nom")

    edit_yaml(data_copy, "structures.yml", break_things)
    result = run("validate", env_extra={"KNOWLEDGE_DIR": str(data_copy)})
    assert result.returncode == 1
    assert "structures.yml: structures[1].horaires_accueil: invalid opening_hours syntax 'Mo-Fr 25:00-26:00'" in result.stderr
    assert "structures.yml: structures[0].provenance.nom: missing provenance" in result.stderr
    assert "2 error(s)" in result.stderr


def test_where_served_commune():
    result = run("where", "bonjour j'habite a issy les moulineaux, ou dois je aller ?")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload == {
        "query": "bonjour j'habite a issy les moulineaux, ou dois je aller ?",
        "commune": {"name": "Issy-les-Moulineaux", "insee": "92040", "postal_codes": ["92130"]},
        "in_department": True,
        "hub": {
            "id": "pole-social-issy-les-moulineaux",
            "name": "Pôle social départemental d’Issy-les-Moulineaux",
            "address": "13-15 rue Jean-Pierre Timbaud",
            "postal_code": "92130",
            "city": "Issy-les-Moulineaux",
            "opening_hours": "Mo-Fr 08:30-17:30; PH off",
            "transport": [],
        },
    }


def test_where_asnieres_has_its_tram():
    payload = json.loads(run("where", "92600").stdout)
    assert payload["hub"]["transport"] == [{"mode": "tramway", "line": "T1", "stop": "Les Courtilles"}]


def test_where_uncovered_commune_is_in_the_92_without_hub():
    result = run("where", "Nanterre")
    assert result.returncode == 0
    payload = json.loads(result.stdout)
    assert payload["commune"]["insee"] == "92050"
    assert payload["in_department"] is True and payload["hub"] is None


@pytest.mark.parametrize("text", ["Paris", "75015", "Lyon", "bonjour"])
def test_where_not_a_92_commune_exits_1(text):
    result = run("where", text)
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert set(payload) == {"query", "commune", "in_department", "hub"}
    assert payload["commune"] is None and payload["in_department"] is False and payload["hub"] is None


def test_open_on_easter_monday():
    result = run("open", "Clamart", "--at", "2027-03-29T10:00")
    assert result.returncode == 0, result.stderr
    assert "Issy-les-Moulineaux" in result.stdout
    assert "Fermé : jour férié (Lundi de Pâques)." in result.stdout
    assert "Prochaine ouverture : mardi 30 mars 2027 à 8h30." in result.stdout


def test_open_json_and_bot_now_default():
    result = run("open", "le pôle d'Asnières", "--json", env_extra={"BOT_NOW": "2026-11-27T17:30"})
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["hub_id"] == "pole-social-asnieres-sur-seine"
    assert payload["is_open"] is False and payload["reason"] == "outside_hours"
    assert payload["next_open"] == "2026-11-30T08:30:00+01:00"


def test_open_when_open():
    result = run("open", "pole-social-issy-les-moulineaux", "--at", "2026-11-25T09:00+01:00")
    assert "Ouvert. Fermeture : mercredi 25 novembre 2026 à 17h30." in result.stdout


@pytest.mark.parametrize("target,message", [
    ("Nanterre", "n'est pas dans nos sources"),
    ("Paris", "n'est pas dans les Hauts-de-Seine"),
    ("bonjour", "Aucun pôle ni commune"),
])
def test_open_without_known_hub_exits_1(target, message):
    result = run("open", target, "--at", "2026-11-25T09:00")
    assert result.returncode == 1
    assert message in result.stderr


def test_open_rejects_a_bad_date():
    result = run("open", "Issy", "--at", "demain")
    assert result.returncode == 1 and "ISO 8601" in result.stderr


def test_where_ambiguous_place_in_the_92_exits_1():
    result = run("where", "La Défense")
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["commune"] is None and payload["in_department"] is True and payload["hub"] is None


def test_validate_warns_about_hubs_whose_information_is_old():
    from datetime import date

    from knowledge import get_knowledge
    from knowledge.__main__ import stale_hubs
    hubs = get_knowledge().hubs  # date_maj 2026-11-21
    assert stale_hubs(hubs, date(2027, 11, 20), 12) == []
    assert [(h.id, age) for h, age in stale_hubs(hubs, date(2028, 1, 21), 12)] == [
        ("pole-social-issy-les-moulineaux", 14), ("pole-social-asnieres-sur-seine", 14)]
