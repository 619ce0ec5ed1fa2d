"""Malformed or inconsistent data is refused, naming the file and the field."""
from __future__ import annotations

import pytest

from knowledge import KnowledgeBase, KnowledgeDataError
from knowledge.loader import load


def test_the_shipped_data_is_valid():
    data = load()
    assert len(data.communes) == 36 and len(data.hubs) == 2


def _hub(doc, i):
    return doc["structures"][i]


def set_hours(value):
    return lambda doc: _hub(doc, 1).__setitem__("horaires_accueil", value)


def drop(mapping_getter, key):
    return lambda doc: mapping_getter(doc).pop(key)


CASES = [
    pytest.param("structures.yml", set_hours("Mo-Fr 25:00-26:00"),
                 "structures[1].horaires_accueil: invalid opening_hours syntax 'Mo-Fr 25:00-26:00'",
                 id="invalid-opening-hours"),
    pytest.param("structures.yml", set_hours("lundi au vendredi 8h30-17h30"),
                 "structures[1].horaires_accueil: invalid opening_hours syntax", id="hours-in-french"),
    pytest.param("structures.yml", drop(lambda d: _hub(d, 0), "horaires_accueil"),
                 "structures[0].horaires_accueil: missing", id="hub-without-hours"),
    pytest.param("structures.yml",
                 lambda d: _hub(d, 0)["extensions"]["communes_desservies"][1].__setitem__("code_insee", "92999"),
                 "structures[0].extensions.communes_desservies[1].code_insee: unknown commune INSEE code '92999'",
                 id="unknown-commune-served"),
    pytest.param("structures.yml", lambda d: _hub(d, 0).__setitem__("code_insee", "75056"),
                 "structures[0].code_insee: unknown commune INSEE code '75056'", id="unknown-hub-commune"),
    pytest.param("structures.yml", lambda d: _hub(d, 1).__setitem__("id", _hub(d, 0)["id"]),
                 "structures[1].id: duplicate structure id 'pole-social-issy-les-moulineaux'",
                 id="duplicate-hub-id"),
    pytest.param("structures.yml",
                 lambda d: _hub(d, 1)["extensions"]["communes_desservies"].append(
                     _hub(d, 0)["extensions"]["communes_desservies"][0]),
                 "structures[1].extensions.communes_desservies[2].code_insee: commune 92040 (Issy-les-Moulineaux) is already served by 'pole-social-issy-les-moulineaux'",
                 id="commune-served-twice"),
    pytest.param("structures.yml", drop(lambda d: _hub(d, 0)["provenance"], "adresse"),
                 "structures[0].provenance.adresse: missing provenance", id="missing-provenance-scalar"),
    pytest.param("structures.yml", drop(lambda d: _hub(d, 1)["extensions"]["transports"][0], "provenance"),
                 "structures[1].extensions.transports[0].provenance: missing provenance",
                 id="missing-provenance-transport"),
    pytest.param("structures.yml", drop(lambda d: _hub(d, 0)["extensions"]["equipements"][2], "provenance"),
                 "structures[0].extensions.equipements[2].provenance: missing provenance",
                 id="missing-provenance-facility"),
    pytest.param("structures.yml",
                 lambda d: _hub(d, 0).__setitem__("telephone", "01 23 45 67 89"),
                 "structures[0].provenance.telephone: missing provenance", id="invented-phone"),
    pytest.param("structures.yml",
                 lambda d: _hub(d, 0)["provenance"]["adresse"][0].__setitem__(
                     "citation", "15 rue Jean-Pierre Timbaud Issy-les-Moulineaux 92130"),
                 "structures[0].provenance.adresse[0].citation: quote not found in 000_72465155cba6e4a8.txt",
                 id="quote-not-in-source"),
    pytest.param("structures.yml",
                 lambda d: _hub(d, 0)["provenance"]["nom"][0].__setitem__("fichier", "999_missing.txt"),
                 "structures[0].provenance.nom[0].fichier: unknown source file '999_missing.txt'",
                 id="unknown-source-file"),
    pytest.param("structures.yml",
                 lambda d: _hub(d, 0)["extensions"]["services"][0].__setitem__("id", "cantine"),
                 "structures[0].extensions.services[0].id: unknown service id 'cantine'", id="unknown-service"),
    pytest.param("structures.yml", lambda d: _hub(d, 0).__setitem__("code_postal", "92600"),
                 "structures[0].code_postal: 92600 is not a postal code of Issy-les-Moulineaux",
                 id="postal-code-of-another-commune"),
    pytest.param("communes.yml", lambda d: d["communes"][1].__setitem__("code_insee", d["communes"][0]["code_insee"]),
                 "communes[1].code_insee: duplicate INSEE code '92002'", id="duplicate-insee"),
    pytest.param("communes.yml", lambda d: d["communes"][3].__setitem__("codes_postaux", ["9227"]),
                 "communes[3].codes_postaux[0]: invalid postal code '9227'", id="bad-postal-code"),
    pytest.param("communes.yml", lambda d: d["communes"][0]["alias"].append("Paris"),
                 "hors_departement.yml: lieux[0]: spelling 'Paris' already names 'Antony'", id="alias-clash"),
    pytest.param("communes.yml", drop(lambda d: d, "reference"),
                 "reference: the public reference used", id="missing-reference"),
    pytest.param("services.yml", lambda d: d["services"][0]["thematiques"].append("bebe"),
                 "services[0].thematiques[2]: 'bebe' is not a data·inclusion v1 thematique", id="bad-thematique"),
    pytest.param("services.yml", lambda d: d["services"][1].__setitem__("id", d["services"][0]["id"]),
                 "services[1].id: duplicate service id 'pmi'", id="duplicate-service"),
    pytest.param("helplines.yml", lambda d: d["situations"]["child"].insert(0, "0800"),
                 "situations.child[0]: unknown helpline number '0800'", id="unknown-helpline"),
    pytest.param("helplines.yml", drop(lambda d: d["situations"], "suicide"),
                 "situations.suicide: missing", id="missing-situation"),
    pytest.param("departement.yml", drop(lambda d: d["budgets"][0], "provenance"),
                 "budgets[0].provenance: missing provenance", id="department-fact-without-source"),
]


@pytest.mark.parametrize("file_name,change,expected", CASES)
def test_inconsistent_data_is_refused_naming_file_and_field(data_copy, edit_yaml, file_name, change, expected):
    """`expected` is "<field path>: <message>", reported against `file_name`
    unless it starts with another file name."""
    edit_yaml(data_copy, file_name, change)
    with pytest.raises(KnowledgeDataError) as info:
        KnowledgeBase(data_copy)
    expected_line = expected if expected.split(":")[0].endswith(".yml") else f"{file_name}: {expected}"
    assert any(f"data/{expected_line}" in line for line in info.value.errors), str(info.value)


def test_malformed_yaml_names_the_file_and_line(data_copy):
    (data_copy / "structures.yml").write_text("structures:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeDataError) as info:
        KnowledgeBase(data_copy)
    assert "structures.yml: invalid YAML (line" in str(info.value)


def test_missing_file_is_named(data_copy):
    (data_copy / "helplines.yml").unlink()
    with pytest.raises(KnowledgeDataError, match=r"helplines\.yml: file missing"):
        KnowledgeBase(data_copy)


def test_every_error_is_listed_not_just_the_first(data_copy, edit_yaml):
    def two_problems(doc):
        doc["structures"][0]["horaires_accueil"] = "Mo-Fr 25:00-26:00"
        doc["structures"][1]["provenance"].pop("adresse")

    edit_yaml(data_copy, "structures.yml", two_problems)
    with pytest.raises(KnowledgeDataError) as info:
        KnowledgeBase(data_copy)
    assert len(info.value.errors) == 2
