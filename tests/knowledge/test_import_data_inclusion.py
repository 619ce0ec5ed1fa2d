"""`python -m knowledge import data-inclusion`: data·inclusion structures and
services (schema v1) into a complete knowledge directory, all or nothing.
Fixtures are fictitious records shaped like schema 1.0.x (structures as a JSON
list, services as one API page); --out is always under tmp_path."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from knowledge import KnowledgeBase
from knowledge.__main__ import main as cli_main
from knowledge.data_inclusion import DataInclusionImportError, run_import
from knowledge.importing import ImportRefused
from knowledge.loader import DATA_FILES, DEFAULT_DATA_DIR, DEFAULT_SOURCES_DIR

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
STRUCTURES = FIXTURES / "data_inclusion_structures.json"
SERVICES = FIXTURES / "data_inclusion_services.json"
RUEIL = "producteur-exemple--structure-exemple-0001"
MONTROUGE = "producteur-exemple--structure-exemple-0002"
BUDGET, CONSULTATIONS, PHONE_ONLY = ("producteur-exemple--service-exemple-0101",
                                     "producteur-exemple--service-exemple-0102",
                                     "producteur-exemple--service-exemple-0103")
SEXUAL_HEALTH, ONLINE = "producteur-exemple--service-exemple-0201", "producteur-exemple--service-exemple-0202"
ISSY = "pole-social-issy-les-moulineaux"
S_FILE, V_FILE = "structures.json", "services.json"  # names of the edited copies


def _digest(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module", autouse=True)
def shipped_data_unchanged():
    before = _digest(DEFAULT_DATA_DIR)
    yield
    assert _digest(DEFAULT_DATA_DIR) == before, "a test changed knowledge/data"


def structures() -> list[dict]:
    return json.loads(STRUCTURES.read_text(encoding="utf-8"))


def services() -> list[dict]:
    return json.loads(SERVICES.read_text(encoding="utf-8"))["items"]


def record(records: list[dict], record_id: str) -> dict:
    return next(r for r in records if r["id"] == record_id)


def write(tmp_path: Path, structure_records: list[dict], service_records: list[dict]) -> tuple[Path, Path]:
    s, v = tmp_path / S_FILE, tmp_path / V_FILE
    s.write_text(json.dumps(structure_records, ensure_ascii=False), encoding="utf-8")
    v.write_text(json.dumps(service_records, ensure_ascii=False), encoding="utf-8")
    return s, v


def do_import(files=(STRUCTURES, SERVICES), out: Path = None, data_dir: Path = DEFAULT_DATA_DIR, **kw):
    return run_import(*files, out, data_dir=data_dir, sources_dir=DEFAULT_SOURCES_DIR, **kw)


def refused(tmp_path, structure_records, service_records, **kw) -> list[str]:
    with pytest.raises(DataInclusionImportError) as exc:
        do_import(write(tmp_path, structure_records, service_records), tmp_path / "out", **kw)
    return exc.value.errors


def hub_with_record(kb: KnowledgeBase, record_id: str):
    for hub in kb.hubs:
        if any(p.record_id == record_id for _, prov in hub.provenance for p in prov):
            return hub
    raise AssertionError(f"no hub from record {record_id}")


def knowledge_cli(*args: str, knowledge_dir: Path = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("KNOWLEDGE_DIR", "BOT_NOW")}
    env["PYTHONPATH"] = str(REPO)
    if knowledge_dir is not None:
        env["KNOWLEDGE_DIR"] = str(knowledge_dir)
    return subprocess.run([sys.executable, "-m", "knowledge", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60)


# --- what a user notices ---------------------------------------------------------------

def test_cli_import_then_where_and_open_answer_from_the_imported_data(tmp_path):
    out = tmp_path / "out"
    result = knowledge_cli("import", "data-inclusion", str(STRUCTURES), str(SERVICES), "--out", str(out))
    assert result.returncode == 0, result.stderr
    # summary per producer (`source`): kept, skipped and why
    assert "producteur-exemple: 2 kept, 0 skipped" in result.stdout
    assert ("autre-producteur-exemple: 0 kept, 2 skipped (1 no commune of the 92 in its services' "
            "zone_eligibilite; 1 zone_eligibilite is the département or an EPCI: no commune linked)") in result.stdout
    assert "OK: 2 hub(s) added" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == sorted(DATA_FILES)

    validate = knowledge_cli("validate", knowledge_dir=out)
    assert validate.returncode == 0, validate.stderr
    assert "36 communes, 4 hubs" in validate.stdout
    where = knowledge_cli("where", "j'habite à Rueil", knowledge_dir=out)
    assert where.returncode == 0, where.stderr
    hub = json.loads(where.stdout)["hub"]
    assert (hub["address"], hub["postal_code"], hub["city"]) == ("8 rue de l'Exemple", "92500", "Rueil-Malmaison")
    assert hub["opening_hours"] == "Mo-Fr 09:00-12:30,13:30-17:00; PH off"
    # Malakoff is served by the Montrouge structure (its service's zone_eligibilite)
    malakoff = json.loads(knowledge_cli("where", "Malakoff", knowledge_dir=out).stdout)["hub"]
    assert malakoff["address"] == "3 avenue de l'Exemple" and malakoff["city"] == "Montrouge"

    lunch = knowledge_cli("open", "Rueil-Malmaison", "--at", "2027-03-30T12:45", "--json", knowledge_dir=out)
    assert lunch.returncode == 0, lunch.stderr
    closed = json.loads(lunch.stdout)
    assert closed["is_open"] is False and closed["reason"] == "outside_hours"
    assert closed["next_open"].startswith("2027-03-30T13:30")
    morning = knowledge_cli("open", "Rueil-Malmaison", "--at", "2027-03-30T10:00", "--json", knowledge_dir=out)
    assert json.loads(morning.stdout)["is_open"] is True


def test_hours_of_the_services_when_the_structure_gives_none(tmp_path, monkeypatch, capsys):
    do_import(out=tmp_path / "out")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path / "out"))
    # Montrouge: closed on Wednesday afternoon, open on Thursday afternoon
    assert cli_main(["open", "Montrouge", "--at", "2027-03-31T15:00", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["is_open"] is False
    assert cli_main(["open", "Montrouge", "--at", "2027-04-01T15:00", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["is_open"] is True
    # a public holiday (Easter Monday 2027) is closed: PH off
    assert cli_main(["open", "Rueil-Malmaison", "--at", "2027-03-29T10:00", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["reason"] == "public_holiday"


# --- the mapping ---------------------------------------------------------------------------

def test_a_structure_and_its_in_person_services_make_one_hub(tmp_path):
    do_import(out=tmp_path / "out")
    kb = KnowledgeBase(tmp_path / "out")
    rueil = hub_with_record(kb, RUEIL)
    # Puteaux is only in the zone of a service given at a distance: not linked
    assert rueil.communes_served == ("92063", "92073")
    assert kb.hub_for_insee("92062") is None
    # budget -> action sociale; "accès aux soins" -> PMI; "parentalité" is listed by
    # two project services (ambiguous) and the remote service's thematique is not the hub's
    assert rueil.services == ("action-sociale-insertion", "pmi")
    assert (rueil.telephone, rueil.email, rueil.website) == ("01 00 00 00 11", "rueil-exemple@example.org",
                                                             "https://www.example.org/rueil-exemple")
    assert rueil.accessibility == "voir la fiche Acceslibre https://acceslibre.example.org/erp/exemple-rueil/"
    assert rueil.address_complement == "Bâtiment Fictif"
    assert rueil.professions == () and rueil.transport == () and rueil.facilities == ()  # never invented

    montrouge = hub_with_record(kb, MONTROUGE)
    assert (montrouge.insee, montrouge.communes_served) == ("92049", ("92049", "92046"))
    assert montrouge.opening_hours == "Mo,Tu,Th,Fr 08:30-12:00,13:30-17:30; We 08:30-12:00; PH off"
    assert montrouge.telephone == "01 00 00 00 22"  # both services agree
    assert montrouge.email == "montrouge-exemple@example.org"  # the only one given
    assert montrouge.services == ("sante-sexuelle", "numerique")
    assert "Montrouge, Malakoff" in montrouge.description
    assert kb.hub(ISSY) == KnowledgeBase(DEFAULT_DATA_DIR).hub(ISSY)  # shipped hubs unchanged

    doc = yaml.safe_load((tmp_path / "out" / "structures.yml").read_text(encoding="utf-8"))
    entry = next(h for h in doc["structures"] if h["id"] == rueil.id)
    assert entry["source"] == "producteur-exemple" and entry["reseaux_porteurs"] == ["departements"]
    assert [p["code"] for p in entry["extensions"]["publics"]] == ["tous-publics"]


def test_every_imported_fact_has_a_dataset_provenance(tmp_path):
    do_import(out=tmp_path / "out")
    kb = KnowledgeBase(tmp_path / "out")
    rueil = hub_with_record(kb, RUEIL)
    for fact in ("nom", "description", "adresse", "complement_adresse", "code_postal", "commune", "code_insee",
                 "telephone", "courriel", "site_web", "accessibilite", "horaires_accueil", "latitude", "longitude",
                 "reseaux_porteurs"):
        dataset = [p for p in rueil.provenance_for(fact) if p.kind == "dataset"]
        assert dataset, fact
        p = dataset[0]
        assert (p.dataset, p.licence, p.record_id) == ("data·inclusion", "Licence Ouverte 2.0", RUEIL)
        assert p.record_modified == "2026-02-03" and p.import_file == STRUCTURES.name
        assert p.import_file_date and p.imported_at
    # PH off is the project's rule, said so next to the record's hours
    hours = rueil.provenance_for("horaires_accueil")
    assert [p.kind for p in hours] == ["dataset", "rule"] and hours[1].rule == "issue #3"
    # facts taken from services name the service records; a PH rule given: no project rule
    montrouge = hub_with_record(kb, MONTROUGE)
    hours = montrouge.provenance_for("horaires_accueil")
    assert [(p.kind, p.record_id, p.import_file) for p in hours] == [
        ("dataset", SEXUAL_HEALTH, SERVICES.name), ("dataset", ONLINE, SERVICES.name)]
    assert [p.record_id for p in montrouge.provenance_for("courriel")] == [ONLINE]
    assert [p.kind for p in montrouge.provenance_for("code_insee")] == ["derived", "dataset"]
    doc = yaml.safe_load((tmp_path / "out" / "structures.yml").read_text(encoding="utf-8"))
    entry = next(h for h in doc["structures"] if h["id"] == rueil.id)
    served = {c["code_insee"]: [p["enregistrement"] for p in c["provenance"]]
              for c in entry["extensions"]["communes_desservies"]}
    assert served == {"92063": [BUDGET, CONSULTATIONS], "92073": [BUDGET]}
    offered = {s["id"]: [p["enregistrement"] for p in s["provenance"]] for s in entry["extensions"]["services"]}
    assert offered == {"action-sociale-insertion": [BUDGET], "pmi": [CONSULTATIONS]}


def test_a_list_of_services_and_a_partial_api_page_are_read(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KNOWLEDGE_DIR", raising=False)
    s = tmp_path / "structures_page.json"
    s.write_text(json.dumps({"items": structures(), "total": 9, "page": 1, "size": 4, "pages": 3}), encoding="utf-8")
    v = tmp_path / "services_list.json"
    v.write_text(json.dumps(services()), encoding="utf-8")
    assert cli_main(["import", "data-inclusion", str(s), str(v), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "note: structures_page.json: page 1 of 3 of the API: the records of the other pages are not imported" \
        in printed
    assert "OK: 2 hub(s) added" in printed


def test_source_keeps_only_the_named_producers(tmp_path):
    summary = do_import(out=tmp_path / "out", sources=["autre-producteur-exemple"])
    assert summary.hubs == []
    assert "producteur-exemple: 0 kept, 2 skipped (2 source not in --source)" in summary.lines()


# --- bad input: refused naming file, record and field ----------------------------------------

def test_invalid_hours_are_refused(tmp_path):
    records = structures()
    record(records, RUEIL)["horaires_accueil"] = "Mo-Fr 25:00-26:00"
    errors = refused(tmp_path, records, services())
    assert errors == [f"{S_FILE}: record {RUEIL}: horaires_accueil: invalid opening_hours 'Mo-Fr 25:00-26:00'"]


def test_invalid_hours_of_a_service_are_refused_even_if_the_structure_has_its_own(tmp_path):
    records = services()
    record(records, BUDGET)["horaires_accueil"] = "lundi matin"
    errors = refused(tmp_path, structures(), records)
    assert errors == [f"{V_FILE}: record {BUDGET}: horaires_accueil: invalid opening_hours 'lundi matin'"]


def test_missing_address_is_refused(tmp_path):
    records = structures()
    record(records, MONTROUGE)["adresse"] = None
    errors = refused(tmp_path, records, services())
    assert errors == [f"{S_FILE}: record {MONTROUGE}: adresse: missing or empty (a hub needs an address)"]


def test_unknown_commune_codes_are_refused(tmp_path):
    structure_records, service_records = structures(), services()
    record(structure_records, RUEIL)["code_insee"] = "92999"
    record(service_records, SEXUAL_HEALTH)["zone_eligibilite"] = ["92049", "92998"]
    errors = refused(tmp_path, structure_records, service_records)
    assert errors == [
        f"{S_FILE}: record {RUEIL}: code_insee: unknown commune code '92999' (not in communes.yml)",
        f"{V_FILE}: record {SEXUAL_HEALTH}: zone_eligibilite[1]: unknown commune code '92998' (not in communes.yml)",
    ]


def test_unknown_thematique_is_refused(tmp_path):
    records = services()
    record(records, CONSULTATIONS)["thematiques"] = ["sante--acces-aux-soins", "sante--inventee"]
    errors = refused(tmp_path, structures(), records)
    assert errors == [f"{V_FILE}: record {CONSULTATIONS}: thematiques[1]: unknown thematique 'sante--inventee' "
                      "(not in data·inclusion v1)"]


def test_a_service_of_an_unknown_structure_is_refused(tmp_path):
    records = services()
    record(records, ONLINE)["structure_id"] = "producteur-exemple--structure-inconnue"
    errors = refused(tmp_path, structures(), records)
    assert errors == [f"{V_FILE}: record {ONLINE}: structure_id: unknown structure "
                      f"'producteur-exemple--structure-inconnue' (not in {S_FILE})"]


def test_services_giving_different_hours_are_refused(tmp_path):
    records = services()
    record(records, ONLINE)["horaires_accueil"] = "Mo-Fr 09:00-17:00"
    errors = refused(tmp_path, structures(), records)
    assert len(errors) == 1 and errors[0].startswith(
        f"{S_FILE}: record {MONTROUGE}: horaires_accueil: missing, and its in-person services give different hours")


def test_every_bad_record_is_listed(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KNOWLEDGE_DIR", raising=False)
    structure_records, service_records = structures(), services()
    record(structure_records, RUEIL)["horaires_accueil"] = "toujours"
    record(structure_records, MONTROUGE)["adresse"] = ""
    record(service_records, SEXUAL_HEALTH)["publics"] = ["martiens"]
    s, v = write(tmp_path, structure_records, service_records)
    assert cli_main(["import", "data-inclusion", str(s), str(v), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "left unchanged (3 problem(s))" in err
    assert f"{S_FILE}: record {RUEIL}: horaires_accueil: invalid opening_hours 'toujours'" in err
    assert f"{S_FILE}: record {MONTROUGE}: adresse: missing or empty" in err
    assert f"{V_FILE}: record {SEXUAL_HEALTH}: publics[0]: unknown public 'martiens'" in err
    assert not (tmp_path / "out").exists()


def test_bad_records_of_skipped_structures_do_not_block_the_import(tmp_path):
    """Outside the 92 or linking no commune: not ours to check."""
    structure_records, service_records = structures(), services()
    record(structure_records, "autre-producteur-exemple--structure-exemple-0003")["horaires_accueil"] = "toujours"
    record(structure_records, "autre-producteur-exemple--structure-exemple-0004")["adresse"] = None
    summary = do_import(write(tmp_path, structure_records, service_records), tmp_path / "out")
    assert len(summary.hubs) == 2


# --- merge with the current hubs --------------------------------------------------------------

def issy_records() -> tuple[list[dict], list[dict]]:
    """The fixture's Rueil structure, described at the Issy hub's address."""
    structure = dict(record(structures(), RUEIL), code_insee="92040", commune="Issy-les-Moulineaux",
                     code_postal="92130", adresse="13-15 rue Jean-Pierre Timbaud", complement_adresse=None)
    service = dict(record(services(), BUDGET), zone_eligibilite=["92040"])
    return [structure], [service]


def test_conflict_with_an_existing_hub_is_refused_then_taken_with_replace(tmp_path):
    errors = refused(tmp_path, *issy_records())
    hours = [e for e in errors if "conflict on `horaires_accueil`" in e]
    assert hours and ISSY in hours[0] and RUEIL in hours[0]
    assert ("'Mo-Fr 08:30-17:30; PH off' (kept data) vs 'Mo-Fr 09:00-12:30,13:30-17:00; PH off' (data·inclusion)"
            in hours[0])
    assert all("use --replace to take the data·inclusion's value" in e for e in errors)
    assert not (tmp_path / "out").exists()

    summary = do_import(write(tmp_path, *issy_records()), tmp_path / "out", replace=True)
    assert summary.hubs == [] and any("conflict on `horaires_accueil`" in c for c in summary.conflicts)
    hub = KnowledgeBase(tmp_path / "out").hub(ISSY)
    assert hub.opening_hours == "Mo-Fr 09:00-12:30,13:30-17:00; PH off"
    assert [p.kind for p in hub.provenance_for("horaires_accueil")] == ["dataset", "rule"]
    assert hub.telephone == "01 00 00 00 11"  # was unknown: filled
    shipped = KnowledgeBase(DEFAULT_DATA_DIR).hub(ISSY)
    assert hub.communes_served == shipped.communes_served and hub.professions == shipped.professions
    assert hub.services == shipped.services  # action-sociale-insertion already offered: not added twice


def test_a_commune_claimed_by_two_records_is_refused_naming_both(tmp_path):
    records = services()
    record(records, ONLINE)["zone_eligibilite"] = ["92049", "92073"]  # Suresnes: the Rueil structure's too
    errors = refused(tmp_path, structures(), records)
    assert errors == [f"commune 92073 (Suresnes) is claimed by two hubs: record {RUEIL} and record {MONTROUGE}"]


def test_a_commune_of_an_existing_hub_is_refused_naming_both(tmp_path):
    records = services()
    record(records, ONLINE)["zone_eligibilite"] = ["92049", "92075"]  # Vanves: the Issy hub's
    errors = refused(tmp_path, structures(), records)
    assert errors == [f"commune 92075 (Vanves) is claimed by two hubs: existing {ISSY!r} and record {MONTROUGE} "
                      "(\"Maison des solidarités de l'Exemple (Montrouge)\")"]


def test_importing_the_same_files_twice_changes_nothing(tmp_path):
    do_import(out=tmp_path / "first")
    summary = do_import(out=tmp_path / "second", data_dir=tmp_path / "first")
    assert summary.hubs == [] and summary.conflicts == [] and len(summary.merged) == 2
    assert all("(same record)" in m for m in summary.merged)
    assert _digest(tmp_path / "second") == _digest(tmp_path / "first")


# --- all or nothing -------------------------------------------------------------------------------

def test_a_refused_import_leaves_an_existing_dir_byte_identical(tmp_path):
    out = tmp_path / "out"
    do_import(out=out)  # a real knowledge directory, as after an earlier import
    (out / "MARKER").write_text("before", encoding="utf-8")
    before = _digest(out)
    records = structures()
    record(records, RUEIL)["horaires_accueil"] = "Mo-Fr 25:00-26:00"
    with pytest.raises(ImportRefused):
        do_import(write(tmp_path, records, services()), out, data_dir=out)
    assert _digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out", S_FILE, V_FILE])  # no temporary left


def test_a_refused_import_creates_no_dir(tmp_path):
    records = services()
    record(records, BUDGET)["thematiques"] = ["inventee"]
    refused(tmp_path, structures(), records)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([S_FILE, V_FILE])


def test_a_result_the_loader_refuses_is_not_swapped_in(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "MARKER").write_text("before", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    for name in DATA_FILES:
        (data / name).write_bytes((DEFAULT_DATA_DIR / name).read_bytes())
    (data / "helplines.yml").write_text("numeros: []\n", encoding="utf-8")  # invalid current data
    with pytest.raises(DataInclusionImportError) as exc:
        do_import(out=out, data_dir=data)
    assert exc.value.errors[0] == "the imported data does not validate:"
    assert _digest(out) == {"MARKER": hashlib.sha256(b"before").hexdigest()}
