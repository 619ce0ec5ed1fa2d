"""`python -m knowledge import annuaire`: DILA's directory into a complete
knowledge directory, all or nothing. Fixtures are fictitious records shaped like
the two national formats (bulk file, API export); --out is always under tmp_path."""
from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from knowledge import KnowledgeBase
from knowledge.__main__ import main as cli_main
from knowledge.annuaire import AnnuaireImportError, run_import
from knowledge.loader import DEFAULT_DATA_DIR, DEFAULT_SOURCES_DIR, DATA_FILES, load

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BULK = FIXTURES / "annuaire_bulk.json"
API = FIXTURES / "annuaire_api.json"
PIVOTS = ["edas", "mds", "cdas", "sdsei", "pmi"]
NANTERRE_ID = "00000000-exem-ple0-0000-nanterre0001"
COLOMBES_ID = "00000000-exem-ple0-0000-colombes0002"
ANTONY_ID = "00000000-exem-ple0-0000-antony000005"
ISSY = "pole-social-issy-les-moulineaux"


def _digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir()) if p.is_file()}


@pytest.fixture(scope="module", autouse=True)
def shipped_data_unchanged():
    before = _digest(DEFAULT_DATA_DIR)
    yield
    assert _digest(DEFAULT_DATA_DIR) == before, "a test changed knowledge/data"


def do_import(file: Path, out: Path, data_dir: Path = DEFAULT_DATA_DIR, replace: bool = False):
    return run_import(file, PIVOTS, out, data_dir=data_dir, sources_dir=DEFAULT_SOURCES_DIR, replace=replace)


def bulk_records() -> list[dict]:
    return json.loads(BULK.read_text(encoding="utf-8"))["service"]


def write_bulk(tmp_path: Path, records: list[dict], name: str = "annuaire.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"service": records}, ensure_ascii=False), encoding="utf-8")
    return path


def hub_with_record(kb: KnowledgeBase, record_id: str):
    for hub in kb.hubs:
        if any(p.record_id == record_id for _, prov in hub.provenance for p in prov):
            return hub
    raise AssertionError(f"no hub from record {record_id}")


def refused(tmp_path, records, **kw) -> list[str]:
    with pytest.raises(AnnuaireImportError) as exc:
        do_import(write_bulk(tmp_path, records), tmp_path / "out", **kw)
    return exc.value.errors


# --- both shapes ----------------------------------------------------------------

def test_bulk_shape_through_the_cli(tmp_path):
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k not in ("KNOWLEDGE_DIR", "BOT_NOW")}
    env["PYTHONPATH"] = str(REPO)
    cmd = [sys.executable, "-m", "knowledge"]
    result = subprocess.run([*cmd, "import", "annuaire", str(BULK), "--pivot", "edas,mds,cdas,sdsei,pmi",
                             "--out", str(out)], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # summary per pivot type: kept, skipped and why
    assert "edas: 1 kept, 1 skipped (1 no commune of the 92)" in result.stdout
    assert "pmi: 1 kept, 0 skipped" in result.stdout
    assert "mairie: 0 kept, 1 skipped (1 pivot type not in --pivot)" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == sorted(DATA_FILES)
    # the other files are copied verbatim
    for name in DATA_FILES:
        if name != "structures.yml":
            assert (out / name).read_bytes() == (DEFAULT_DATA_DIR / name).read_bytes()

    env["KNOWLEDGE_DIR"] = str(out)
    validate = subprocess.run([*cmd, "validate"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert validate.returncode == 0, validate.stderr
    assert "36 communes, 4 hubs" in validate.stdout
    where = subprocess.run([*cmd, "where", "j'habite à Nanterre"], cwd=REPO, env=env, capture_output=True,
                           text=True, timeout=60)
    assert where.returncode == 0, where.stderr
    hub = json.loads(where.stdout)["hub"]
    assert hub["name"] == "Espace départemental d'actions sociales de l'Exemple (Nanterre)"
    assert hub["address"] == "12 rue de l'Exemple" and hub["postal_code"] == "92000"
    assert hub["opening_hours"] == "Mo-Fr 08:30-12:00,13:30-17:30; PH off"


def test_api_shape_with_json_encoded_fields(tmp_path):
    summary = do_import(API, tmp_path / "out")
    assert summary.lines() == ["mds: 1 kept, 0 skipped"]
    kb = KnowledgeBase(tmp_path / "out")
    hub = hub_with_record(kb, ANTONY_ID)
    assert kb.hub_for_insee("92002") == hub
    assert hub.opening_hours == "Mo-Fr 09:00-12:30,14:00-17:00; Sa 09:00-12:00; PH off"
    assert (hub.telephone, hub.email, hub.website) == ("01 00 00 00 02", "mds-exemple@example.org",
                                                       "https://mds.example.org")
    assert hub.services == () and hub.professions == () and hub.transport == ()  # never invented


def test_fields_of_the_bulk_record(tmp_path):
    do_import(BULK, tmp_path / "out")
    kb = KnowledgeBase(tmp_path / "out")
    hub = hub_with_record(kb, NANTERRE_ID)
    assert hub.communes_served == ("92050",)  # 75056 of the pivot is not of the 92
    assert hub.address_complement == "Bâtiment Fictif"  # the "Adresse", not the "Adresse postale"
    assert hub.email == "edas-exemple@example.org"  # a plain string item
    assert hub.website == "https://www.example.org/edas-exemple"  # a {valeur} item
    assert hub.telephone == "01 00 00 00 00"
    assert hub.accessibility == "Entrée de plain-pied (exemple fictif) (annuaire : ACC)"
    pmi = hub_with_record(kb, COLOMBES_ID)
    assert pmi.opening_hours == "Tu-Th 09:00-17:00; PH off"
    assert "Sur rendez-vous (fictif)" in pmi.description
    assert pmi.email is None and pmi.website is None and pmi.accessibility is None
    # the shipped hubs are still there, unchanged
    assert kb.hub(ISSY) == KnowledgeBase(DEFAULT_DATA_DIR).hub(ISSY)


# --- hours -------------------------------------------------------------------------

def test_lunch_break_closed_at_12_45_open_at_10(tmp_path):
    do_import(BULK, tmp_path / "out")
    kb = KnowledgeBase(tmp_path / "out")
    hub = hub_with_record(kb, NANTERRE_ID)
    assert kb.opening_status(hub, datetime(2027, 3, 30, 10, 0)).is_open
    lunch = kb.opening_status(hub, datetime(2027, 3, 30, 12, 45))
    assert not lunch.is_open and lunch.reason == "outside_hours"
    assert lunch.next_open.hour == 13 and lunch.next_open.minute == 30
    assert kb.opening_status(hub, datetime(2027, 5, 1, 10, 0)).reason in ("public_holiday", "weekend")


def test_open_cli_answers_from_the_imported_data(tmp_path, monkeypatch, capsys):
    do_import(BULK, tmp_path / "out")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path / "out"))
    assert cli_main(["open", "Nanterre", "--at", "2027-03-30T12:45", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["is_open"] is False
    assert cli_main(["open", "Nanterre", "--at", "2027-03-30T10:00", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["is_open"] is True


# --- provenance ----------------------------------------------------------------------

def test_every_imported_fact_has_a_dataset_provenance(tmp_path):
    do_import(BULK, tmp_path / "out")
    hub = hub_with_record(KnowledgeBase(tmp_path / "out"), NANTERRE_ID)
    for fact in ("nom", "description", "adresse", "code_postal", "commune", "telephone", "courriel", "site_web",
                 "accessibilite", "horaires_accueil", "complement_adresse", "code_insee"):
        dataset = [p for p in hub.provenance_for(fact) if p.kind == "dataset"]
        assert dataset, fact
        p = dataset[0]
        assert p.dataset.startswith("DILA") and p.licence == "Licence Ouverte 2.0"
        assert p.record_id == NANTERRE_ID and p.record_modified == "2026-01-15T10:20:30"
        assert p.import_file == "annuaire_bulk.json" and p.import_file_date and p.imported_at
    doc = yaml.safe_load((tmp_path / "out" / "structures.yml").read_text(encoding="utf-8"))
    entry = next(h for h in doc["structures"] if h["nom"] == hub.name)
    assert entry["extensions"]["communes_desservies"][0]["provenance"][0]["enregistrement"] == NANTERRE_ID
    assert entry["source"] == "annuaire-service-public-dila"


def test_shipped_quote_checks_still_apply_next_to_dataset_provenance(tmp_path):
    do_import(BULK, tmp_path / "out")
    path = tmp_path / "out" / "structures.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["structures"][0]["provenance"]["nom"][0]["citation"] = "pas dans le communiqué"
    doc["structures"][-1]["provenance"]["nom"][0].pop("enregistrement")
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(Exception) as exc:
        load(tmp_path / "out", DEFAULT_SOURCES_DIR)
    errors = "\n".join(exc.value.errors)
    assert "structures[0].provenance.nom[0].citation: quote not found" in errors
    assert "provenance.nom[0].enregistrement: missing or empty" in errors


# --- bad input -------------------------------------------------------------------------

def test_bad_hour_is_refused_naming_record_and_field(tmp_path):
    records = bulk_records()
    records[0]["plage_ouverture"][0]["valeur_heure_debut_1"] = "25:00:00"
    errors = refused(tmp_path, records)
    assert f"record {NANTERRE_ID}: plage_ouverture[0].valeur_heure_debut_1: invalid hour '25:00:00' (expected HH:MM:SS)" in errors


def test_missing_address_is_refused(tmp_path):
    records = bulk_records()
    records[1]["adresse"] = []
    errors = refused(tmp_path, records)
    assert errors == [f"record {COLOMBES_ID}: adresse: missing (no entry with type_adresse \"Adresse\")"]


def test_unknown_commune_code_is_refused(tmp_path):
    records = bulk_records()
    records[1]["pivot"][0]["code_insee_commune"] = ["92999"]
    errors = refused(tmp_path, records)
    assert errors == [f"record {COLOMBES_ID}: pivot.code_insee_commune[0]: unknown commune code '92999' "
                      "(not in communes.yml)"]


def test_every_bad_record_is_listed(tmp_path):
    records = bulk_records()
    records[0]["plage_ouverture"][0]["valeur_heure_fin_2"] = "12:00:00"
    records[1]["adresse"][0]["nom_commune"] = "Exempleville"
    errors = refused(tmp_path, records)
    assert any(e.startswith(f"record {NANTERRE_ID}: plage_ouverture[0].valeur_heure_fin_2: ends before") for e in errors)
    assert f"record {COLOMBES_ID}: adresse[0].nom_commune: 'Exempleville' is not a commune of the 92" in errors


def test_a_commune_claimed_by_two_records_is_refused(tmp_path):
    records = bulk_records()
    records[1]["pivot"][0]["code_insee_commune"] = ["92025", "92050"]
    errors = refused(tmp_path, records)
    assert errors == [f"commune 92050 (Nanterre) is claimed by two hubs: record {NANTERRE_ID} and record {COLOMBES_ID}"]


def test_a_commune_of_an_existing_hub_is_refused(tmp_path):
    records = bulk_records()
    records[1]["pivot"][0]["code_insee_commune"] = ["92025", "92075"]  # Vanves: the Issy hub's
    errors = refused(tmp_path, records)
    assert errors == [f"commune 92075 (Vanves) is claimed by two hubs: existing {ISSY!r} and record {COLOMBES_ID} "
                      "(\"Centre de PMI de l'Exemple (Colombes)\")"]


# --- merge with an existing hub ------------------------------------------------------------

def issy_record() -> dict:
    rec = copy.deepcopy(bulk_records()[0])
    rec["id"] = "00000000-exem-ple0-0000-issy00000006"
    rec["pivot"] = [{"type_service_local": "edas", "code_insee_commune": ["92040"]}]
    address = rec["adresse"][1]
    address.update(numero_voie="13-15 Rue Jean-Pierre Timbaud", complement1="", code_postal="92130",
                   nom_commune="Issy-les-Moulineaux")
    return rec


def test_same_hub_with_different_facts_is_a_conflict_refused(tmp_path):
    errors = refused(tmp_path, [issy_record()])
    conflicts = [e for e in errors if "conflict on `horaires_accueil`" in e]
    assert conflicts and ISSY in conflicts[0] and "00000000-exem-ple0-0000-issy00000006" in conflicts[0]
    assert "'Mo-Fr 08:30-17:30; PH off' (kept data) vs 'Mo-Fr 08:30-12:00,13:30-17:30; PH off' (annuaire)" in conflicts[0]
    assert all("use --replace" in e for e in errors)
    assert any("conflict on `nom`" in e for e in errors)


def test_replace_takes_the_annuaire_values_and_reports_them(tmp_path):
    summary = do_import(write_bulk(tmp_path, [issy_record()]), tmp_path / "out", replace=True)
    assert any("conflict on `horaires_accueil`" in c for c in summary.conflicts)
    assert summary.hubs == []  # merged into the existing hub, no new one
    kb = KnowledgeBase(tmp_path / "out")
    hub = kb.hub(ISSY)
    assert hub.opening_hours == "Mo-Fr 08:30-12:00,13:30-17:30; PH off"
    assert [p.kind for p in hub.provenance_for("horaires_accueil")] == ["dataset"]
    assert hub.telephone == "01 00 00 00 00"  # was unknown: filled
    shipped = KnowledgeBase(DEFAULT_DATA_DIR).hub(ISSY)
    assert hub.services == shipped.services and hub.professions == shipped.professions  # sourced facts kept
    assert hub.communes_served == shipped.communes_served


def test_reimport_of_the_same_file_is_not_a_conflict(tmp_path):
    do_import(BULK, tmp_path / "first")
    summary = do_import(BULK, tmp_path / "second", data_dir=tmp_path / "first")
    assert summary.conflicts == [] and summary.hubs == [] and len(summary.merged) == 2
    assert len(KnowledgeBase(tmp_path / "second").hubs) == 4


# --- all or nothing -----------------------------------------------------------------------------

def test_failed_import_leaves_out_exactly_as_it_was(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "MARKER").write_text("before", encoding="utf-8")
    records = bulk_records()
    records[0]["plage_ouverture"][0]["valeur_heure_fin_1"] = "25:00:00"
    with pytest.raises(AnnuaireImportError):
        do_import(write_bulk(tmp_path, records), out)
    assert [p.name for p in out.iterdir()] == ["MARKER"]
    assert (out / "MARKER").read_text(encoding="utf-8") == "before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annuaire.json", "out"]  # no temporary left


def test_invalid_result_is_not_swapped_in(tmp_path, monkeypatch):
    """Even when the loader (not the importer) refuses the result, DIR is untouched."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "MARKER").write_text("before", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    for name in DATA_FILES:
        (data / name).write_bytes((DEFAULT_DATA_DIR / name).read_bytes())
    (data / "helplines.yml").write_text("numeros: []\n", encoding="utf-8")  # invalid current data
    with pytest.raises(AnnuaireImportError) as exc:
        do_import(BULK, out, data_dir=data)
    assert exc.value.errors[0] == "the imported data does not validate:"
    assert [p.name for p in out.iterdir()] == ["MARKER"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out"]


def test_successful_import_replaces_out_as_a_whole(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "MARKER").write_text("before", encoding="utf-8")
    do_import(BULK, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(DATA_FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_cli_refusal_names_the_problem_and_exits_1(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KNOWLEDGE_DIR", raising=False)
    records = bulk_records()
    records[1]["adresse"] = []
    path = write_bulk(tmp_path, records)
    assert cli_main(["import", "annuaire", str(path), "--pivot", "edas,pmi", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "left unchanged" in err and f"record {COLOMBES_ID}: adresse: missing" in err
    assert not (tmp_path / "out").exists()


def test_a_moved_office_is_matched_by_its_record_id(tmp_path):
    do_import(BULK, tmp_path / "first")
    records = bulk_records()
    records[0]["adresse"][1]["numero_voie"] = "99 boulevard de l'Exemple"
    path = write_bulk(tmp_path, records)
    with pytest.raises(AnnuaireImportError) as exc:
        do_import(path, tmp_path / "second", data_dir=tmp_path / "first")
    assert any("conflict on `adresse`" in e and NANTERRE_ID in e and "(same record)" not in e for e in exc.value.errors)
    summary = do_import(path, tmp_path / "second", data_dir=tmp_path / "first", replace=True)
    assert summary.hubs == [] and any("same record" in m for m in summary.merged)
    kb = KnowledgeBase(tmp_path / "second")
    assert len(kb.hubs) == 4 and hub_with_record(kb, NANTERRE_ID).address == "99 boulevard de l'Exemple"


def test_appended_hubs_keep_the_hand_written_file(tmp_path):
    do_import(BULK, tmp_path / "out")
    written = (tmp_path / "out" / "structures.yml").read_text(encoding="utf-8")
    assert written.startswith((DEFAULT_DATA_DIR / "structures.yml").read_text(encoding="utf-8").rstrip("\n"))
    assert "&id001" not in written.split("imported by")[1]  # provenance written in full, no anchors


def test_no_hours_and_no_address_are_both_listed(tmp_path):
    records = bulk_records()
    records[1]["adresse"] = []
    records[1]["plage_ouverture"] = []
    errors = refused(tmp_path, records)
    assert errors == [f"record {COLOMBES_ID}: adresse: missing (no entry with type_adresse \"Adresse\")",
                      f"record {COLOMBES_ID}: plage_ouverture: no opening hours (the schema requires them)"]
