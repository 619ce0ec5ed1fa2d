"""Every hub fact is sourced, and every quote really is in its source file."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from knowledge import text
from knowledge.loader import DEFAULT_DATA_DIR, DEFAULT_SOURCES_DIR

ISSY_SRC = "000_72465155cba6e4a8.txt"
ASNIERES_SRC = "003_590df77abe69db22.txt"


def normalise(s: str) -> str:
    """Independent of the loader: NFC, whitespace collapsed, hyphen line breaks re-joined."""
    s = unicodedata.normalize("NFC", s)
    s = re.sub(r"\s+", " ", s)
    return re.sub(r"-\s+", "-", s).strip()


SOURCES = {p.name: normalise(p.read_text(encoding="utf-8")) for p in DEFAULT_SOURCES_DIR.glob("*.txt")}


def quotes_in(node, path=""):
    """(path, file, quote) for every {fichier, citation} in a YAML document."""
    if isinstance(node, dict):
        if "citation" in node or "fichier" in node:
            yield path, node.get("fichier"), node.get("citation")
        for key, value in node.items():
            yield from quotes_in(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from quotes_in(value, f"{path}[{i}]")


ALL_QUOTES = [
    (f"{name}{path}", file, quote)
    for name in ("structures.yml", "departement.yml")
    for path, file, quote in quotes_in(yaml.safe_load((DEFAULT_DATA_DIR / name).read_text(encoding="utf-8")))
]


def test_there_are_quotes_to_check():
    assert len(ALL_QUOTES) > 50


@pytest.mark.parametrize("where,file,quote", ALL_QUOTES, ids=[q[0] for q in ALL_QUOTES])
def test_every_quote_appears_in_its_source_file(where, file, quote):
    assert file in SOURCES, f"{where}: unknown source {file!r}"
    assert quote and normalise(quote) in SOURCES[file], f"{where}: not in {file}: {quote!r}"


SCALAR_FACTS = {
    "name": "nom", "description": "description", "address": "adresse", "postal_code": "code_postal",
    "city": "commune", "insee": "code_insee", "opening_hours": "horaires_accueil",
    "opening_date": "date_ouverture", "telephone": "telephone", "email": "courriel", "website": "site_web",
    "address_complement": "complement_adresse",
}


def test_every_hub_fact_has_a_provenance(kb):
    missing = []
    for hub in kb.hubs:
        for attribute, field in SCALAR_FACTS.items():
            if getattr(hub, attribute) is not None and not hub.provenance_for(field):
                missing.append(f"{hub.id}.{field}")
        for group in ("transport", "facilities", "partners", "notes"):
            for i, item in enumerate(getattr(hub, group)):
                if not item.provenance:
                    missing.append(f"{hub.id}.{group}[{i}]")
    assert missing == []


def test_list_facts_have_a_provenance_per_item_in_the_yaml():
    doc = yaml.safe_load((DEFAULT_DATA_DIR / "structures.yml").read_text(encoding="utf-8"))
    for hub in doc["structures"]:
        for key, items in hub["extensions"].items():
            if isinstance(items, list):
                for item in items:
                    assert item.get("provenance"), f"{hub['id']}.extensions.{key}: {item}"


def _quotes(provenance):
    return [normalise(p.quote) for p in provenance if p.file]


def test_served_communes_are_named_in_their_quote(kb):
    doc = yaml.safe_load((DEFAULT_DATA_DIR / "structures.yml").read_text(encoding="utf-8"))
    for raw in doc["structures"]:
        for item in raw["extensions"]["communes_desservies"]:
            name = kb.commune(item["code_insee"]).name
            quotes = " ".join(text.fold(p["citation"]) for p in item["provenance"] if "citation" in p)
            assert text.fold(name) in quotes, (raw["id"], name)


@pytest.mark.parametrize("hub_id,source", [
    ("pole-social-issy-les-moulineaux", ISSY_SRC),
    ("pole-social-asnieres-sur-seine", ASNIERES_SRC),
])
def test_hub_facts_come_from_their_own_press_release(kb, hub_id, source):
    hub = kb.hub(hub_id)
    for field in ("nom", "adresse", "horaires_accueil", "date_ouverture"):
        assert any(p.file == source for p in hub.provenance_for(field)), field
    assert hub.address in " ".join(_quotes(hub.provenance_for("adresse")))
    hours_quote = " ".join(_quotes(hub.provenance_for("horaires_accueil")))
    assert "8h30 à 17h30" in hours_quote and "lundi au vendredi" in hours_quote
    assert hub.opening_hours == "Mo-Fr 08:30-17:30; PH off"


def test_derived_and_rule_facts_say_so_instead_of_citing_the_press_release(kb):
    for hub in kb.hubs:
        postal = hub.provenance_for("code_postal")
        assert postal and all(p.kind == "derived" and p.derived_from == "communes.yml" for p in postal)
        assert hub.postal_code in hub.provenance_for("code_postal")[0].note
        hours_kinds = {p.kind for p in hub.provenance_for("horaires_accueil")}
        assert hours_kinds == {"source", "rule"}  # PH off is the rule, not the source's
        rule = next(p for p in hub.provenance_for("horaires_accueil") if p.kind == "rule")
        assert "issue #3" in rule.rule


def test_facts_the_sources_do_not_give_stay_unknown(kb):
    issy = kb.hub("pole-social-issy-les-moulineaux")
    assert issy.transport == () and not issy.transport_known
    for hub in kb.hubs:
        assert hub.telephone is None and hub.email is None and hub.website is None
    # the Issy antennes exist but have no address: only a sourced note, no place
    assert any("antennes" in note.label for note in issy.notes)


def test_asnieres_transport_is_tram_t1_les_courtilles(kb):
    (tram,) = kb.hub("pole-social-asnieres-sur-seine").transport
    assert (tram.mode, tram.line, tram.stop) == ("tramway", "T1", "Les Courtilles")
    assert "« Les Courtilles »" in tram.provenance[0].quote


def test_department_facts(kb):
    dep = kb.department
    assert (dep.code, dep.name) == ("92", "Hauts-de-Seine")
    assert [(s.commune, s.year, s.month) for s in dep.modernised_sites] == [
        ("Châtenay-Malabry", 2016, None), ("Villeneuve-la-Garenne", 2018, None),
        ("Châtillon", 2019, None), ("Asnières-sur-Seine", 2023, 6)]
    assert [s.commune for s in dep.hubs_under_works] == ["Issy-les-Moulineaux", "Antony", "Clichy", "Bagneux"]
    assert {b.id: b.amount_eur for b in dep.budgets} == {
        "solidarites-2023": 969_000_000, "acquisition-amenagement-asnieres": 11_320_000,
        "travaux-medico-sociaux-2023": 12_500_000}
    assert (dep.hub_minutes, dep.antenna_minutes) == (20, 15)
    for item in (dep.modernisation, dep.proximity_goal, dep.priority_publics, *dep.funded_projects,
                 *dep.budgets, *dep.modernised_sites, *dep.hubs_under_works):
        assert item.provenance and all(p.file in SOURCES for p in item.provenance)


def test_opening_dates(kb):
    assert str(kb.hub("pole-social-issy-les-moulineaux").opening_date) == "2023-09-26"
    assert str(kb.hub("pole-social-asnieres-sur-seine").opening_date) == "2023-05-16"


def test_sources_folder_holds_the_two_press_releases():
    assert set(SOURCES) == {ISSY_SRC, ASNIERES_SRC}
    assert Path(DEFAULT_SOURCES_DIR / ISSY_SRC).is_file()
