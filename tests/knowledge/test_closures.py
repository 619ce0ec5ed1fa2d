"""Temporary closures and exceptional hours (issue #13, part 3): staff add them
with `python -m knowledge closure add`, they are stored in fermetures.yml with
who and when, and `open` reports them. Every test works on a copy of the data."""
from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from knowledge import KnowledgeBase
from knowledge.__main__ import main as cli
from knowledge.loader import DEFAULT_DATA_DIR, DEFAULT_SOURCES_DIR, KnowledgeDataError, load

ISSY = "pole-social-issy-les-moulineaux"
ASNIERES = "pole-social-asnieres-sur-seine"


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped data, as KNOWLEDGE_DIR; "today" is 18 November 2026."""
    directory = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, directory)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(directory))
    monkeypatch.setenv("BOT_NOW", "2026-11-18T10:15")
    monkeypatch.setenv("KNOWLEDGE_USER", "agent.accueil")
    return directory


def kb(directory: Path) -> KnowledgeBase:
    return KnowledgeBase(directory, DEFAULT_SOURCES_DIR, check_interval=0)


def closure_cli(*args: str) -> int:
    return cli(["closure", *args])


def open_json(capsys, target: str, at: str) -> dict:
    capsys.readouterr()
    assert cli(["open", target, "--at", at, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_shipped_data_has_no_closure():
    assert load().hubs and all(h.closures == () for h in load().hubs)


def test_add_stores_the_closure_with_who_and_when(data, capsys):
    assert closure_cli("add", "Clamart", "--from", "2027-01-04", "--to", "2027-01-08", "--reason", "travaux") == 0
    out = capsys.readouterr().out
    assert "fermeture-1 added" in out
    assert "exceptionnellement fermé du lundi 4 au vendredi 8 janvier 2027 (travaux)" in out

    entry, = yaml.safe_load((data / "fermetures.yml").read_text())["fermetures"]
    assert entry["structure_id"] == ISSY  # Clamart is served by the Issy hub
    assert (entry["du"], entry["au"], entry["motif"]) == (date(2027, 1, 4), date(2027, 1, 8), "travaux")
    assert entry["ajoute_par"] == "agent.accueil"
    assert datetime.fromisoformat(entry["ajoute_le"]).tzinfo is not None
    closure, = kb(data).hub(ISSY).closures
    assert (closure.reason, closure.added_by, closure.closed_all_day) == ("travaux", "agent.accueil", True)


def test_target_is_a_hub_id_a_hub_name_or_a_commune(data):
    assert closure_cli("add", ASNIERES, "--from", "2027-01-04", "--to", "2027-01-04", "--reason", "a") == 0
    assert closure_cli("add", "pôle d'Issy", "--from", "2027-01-04", "--to", "2027-01-04", "--reason", "b") == 0
    assert closure_cli("add", "Gennevilliers", "--from", "2027-02-01", "--to", "2027-02-01", "--reason", "c",
                       "--by", "Mme Exemple") == 0
    base = kb(data)
    assert [c.reason for c in base.hub(ASNIERES).closures] == ["a", "c"]
    assert [c.reason for c in base.hub(ISSY).closures] == ["b"]
    assert base.hub(ASNIERES).closures[1].added_by == "Mme Exemple"


def test_open_reports_the_closure_and_its_reason(data, capsys):
    closure_cli("add", "Clamart", "--from", "2027-01-04", "--to", "2027-01-08", "--reason", "travaux")
    status = open_json(capsys, "Clamart", "2027-01-05T10:00")
    assert status["is_open"] is False
    assert status["reason"] == "temporary_closure"
    assert status["closure"]["reason"] == "travaux"
    assert (status["closure"]["from"], status["closure"]["to"]) == ("2027-01-04", "2027-01-08")
    assert status["next_open"] == "2027-01-11T08:30:00+01:00"  # the Monday after

    assert cli(["open", "Clamart", "--at", "2027-01-05T10:00"]) == 0
    text = capsys.readouterr().out
    assert "Fermé : exceptionnellement fermé du lundi 4 au vendredi 8 janvier 2027 (travaux)." in text
    assert "Prochaine ouverture : lundi 11 janvier 2027 à 8h30." in text

    # the day before and the day after: the usual hours
    assert open_json(capsys, "Clamart", "2027-01-01T10:00")["reason"] == "public_holiday"
    assert open_json(capsys, "Clamart", "2027-01-11T10:00")["is_open"] is True
    assert open_json(capsys, "Gennevilliers", "2027-01-05T10:00")["is_open"] is True  # another hub


def test_exceptional_hours_change_that_day_only(data, capsys):
    assert closure_cli("add", "Asnières-sur-Seine", "--from", "2026-12-24", "--to", "2026-12-27",
                       "--reason", "veille de Noël", "--hours", "08:30-12:00") == 0
    morning = open_json(capsys, "Asnières", "2026-12-24T10:00")
    assert morning["is_open"] is True and morning["closes_at"] == "2026-12-24T12:00:00+01:00"
    assert morning["closure"]["hours"] == "08:30-12:00"
    afternoon = open_json(capsys, "Asnières", "2026-12-24T14:00")
    assert afternoon["is_open"] is False and afternoon["reason"] == "outside_hours"
    assert afternoon["next_open"] == "2026-12-28T08:30:00+01:00"  # Christmas, then the weekend
    base = kb(data)
    assert [(a.isoformat(timespec="minutes"), b.isoformat(timespec="minutes"))
            for a, b in base.day_schedule(ASNIERES, date(2026, 12, 24))] == [("08:30", "12:00")]
    # exceptional hours never open a public holiday or a weekend day of the period
    assert base.day_schedule(ASNIERES, date(2026, 12, 25)).reason == "public_holiday"
    assert base.day_schedule(ASNIERES, date(2026, 12, 26)).reason == "weekend"
    assert list(base.day_schedule(ASNIERES, date(2026, 12, 23))) != [] and \
        base.day_schedule(ASNIERES, date(2026, 12, 23)).closure is None

    assert cli(["open", "Asnières", "--at", "2026-12-24T14:00"]) == 0
    assert "horaires exceptionnels du jeudi 24 au dimanche 27 décembre 2026 : de 8 h 30 à 12 h " \
           "(veille de Noël)" in capsys.readouterr().out


def test_a_closure_is_announced_14_days_ahead_and_while_it_lasts(data):
    closure_cli("add", ISSY, "--from", "2026-12-02", "--to", "2026-12-04", "--reason", "travaux")
    base = kb(data)
    assert base.closures_to_announce(ISSY, date(2026, 11, 17)) == ()  # 15 days before
    assert len(base.closures_to_announce(ISSY, date(2026, 11, 18))) == 1  # 14 days before
    assert len(base.closures_to_announce(ISSY, date(2026, 12, 4))) == 1  # last day
    assert base.closures_to_announce(ISSY, date(2026, 12, 5)) == ()
    assert base.closures_to_announce(ASNIERES, date(2026, 12, 2)) == ()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("args, message", [
    (("Clamart", "--from", "2027-01-08", "--to", "2027-01-04", "--reason", "x"), "is before --from"),
    (("Clamart", "--from", "2026-11-02", "--to", "2026-11-06", "--reason", "x"), "already over"),
    (("Clamart", "--from", "2027-01-04", "--to", "2027-01-08", "--reason", "  "), "--reason: missing"),
    (("Clamart", "--from", "2027-01-04", "--to", "2027-01-08", "--reason", "x", "--hours", "12:00-09:00"),
     "--hours '12:00-09:00'"),
    (("Clamart", "--from", "2027-01-04", "--to", "2027-01-08", "--reason", "x", "--hours", "25:00-26:00"),
     "--hours '25:00-26:00'"),
    (("Clamart", "--from", "2027-01-07", "--to", "2027-01-12", "--reason", "x"),
     "overlaps closure 'fermeture-1'"),
    (("Nanterre", "--from", "2027-01-04", "--to", "2027-01-08", "--reason", "x"), "n'est pas dans nos sources"),
    (("Paris", "--from", "2027-01-04", "--to", "2027-01-08", "--reason", "x"), "pas dans les Hauts-de-Seine"),
])
def test_bad_closures_are_refused_and_nothing_changes(data, capsys, args, message):
    closure_cli("add", "Issy", "--from", "2027-01-04", "--to", "2027-01-08", "--reason", "travaux")
    before = _digest(data / "fermetures.yml")
    capsys.readouterr()
    assert closure_cli("add", *args) == 1
    err = capsys.readouterr().err
    assert "closure refused, fermetures.yml left unchanged" in err and message in err
    assert _digest(data / "fermetures.yml") == before


def test_a_bad_date_is_a_usage_error(data, capsys):
    with pytest.raises(SystemExit) as exc:
        closure_cli("add", "Issy", "--from", "4 janvier", "--to", "2027-01-08", "--reason", "x")
    assert exc.value.code == 2
    assert "'4 janvier' is not a date YYYY-MM-DD" in capsys.readouterr().err


def test_list_and_remove(data, capsys):
    closure_cli("add", "Issy", "--from", "2026-11-16", "--to", "2026-11-20", "--reason", "déménagement")
    closure_cli("add", "Asnières", "--from", "2027-03-01", "--to", "2027-03-01", "--reason", "formation",
                "--hours", "13:30-17:30")
    capsys.readouterr()
    assert closure_cli("list") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("fermeture-1  [current]  pole-social-issy") and "déménagement" in out[0]
    assert out[1].startswith("fermeture-2  [upcoming]") and "hours 13:30-17:30" in out[1]
    assert "added by agent.accueil" in out[1]
    assert closure_cli("list", "--json") == 0
    assert [c["id"] for c in json.loads(capsys.readouterr().out)] == ["fermeture-1", "fermeture-2"]

    assert closure_cli("remove", "fermeture-1") == 0
    assert "fermeture-1 removed" in capsys.readouterr().out
    assert [c.id for c in kb(data).closures] == ["fermeture-2"]
    before = _digest(data / "fermetures.yml")
    assert closure_cli("remove", "fermeture-1") == 1
    assert "no closure 'fermeture-1'" in capsys.readouterr().err
    assert _digest(data / "fermetures.yml") == before
    # ids are not reused while the later ones exist
    closure_cli("add", "Issy", "--from", "2027-04-01", "--to", "2027-04-02", "--reason", "x")
    assert [c.id for c in kb(data).closures] == ["fermeture-3", "fermeture-2"]


def test_a_hand_edited_bad_file_is_refused_with_file_and_field(data):
    (data / "fermetures.yml").write_text(yaml.safe_dump({"fermetures": [
        {"id": "fermeture-1", "structure_id": "pole-inconnu", "du": "2027-01-04", "au": "2027-01-08",
         "motif": "travaux", "ajoute_par": "x", "ajoute_le": "2026-11-18T10:00:00+00:00"},
        {"id": "fermeture-2", "structure_id": ISSY, "du": "2027-01-08", "au": "2027-01-04",
         "motif": "travaux", "horaires": "9h-12h", "ajoute_par": "x", "ajoute_le": "2026-11-18T10:00:00+00:00"},
    ]}))
    with pytest.raises(KnowledgeDataError) as exc:
        load(data)
    errors = "\n".join(exc.value.errors)
    assert "fermetures.yml: fermetures[0].structure_id: unknown hub id 'pole-inconnu'" in errors
    assert "fermetures.yml: fermetures[1].horaires" in errors


def test_a_directory_without_fermetures_yml_still_loads(data):
    (data / "fermetures.yml").unlink()
    assert all(h.closures == () for h in load(data).hubs)


def test_a_running_knowledge_base_serves_a_new_closure(data):
    base = kb(data)
    assert base.opening_status(ISSY, datetime(2027, 1, 5, 10)).is_open
    closure_cli("add", "Issy", "--from", "2027-01-04", "--to", "2027-01-08", "--reason", "travaux")
    assert base.opening_status(ISSY, datetime(2027, 1, 5, 10)).reason == "temporary_closure"
