"""The declarative schema (knowledge/schema.py): shape errors name the file and
the field, the real data fits it, and it is the one place the field list lives."""
from __future__ import annotations

from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from knowledge import KnowledgeDataError, schema
from knowledge.loader import DATA_FILES, DEFAULT_DATA_DIR, HUB_FACT_FIELDS, SITUATIONS, load


def _errors(data_dir) -> list[str]:
    with pytest.raises(KnowledgeDataError) as info:
        load(data_dir)
    return info.value.errors


def _only_error(data_dir) -> str:
    errors = _errors(data_dir)
    assert len(errors) == 1, errors
    return errors[0]


def test_real_data_fits_the_schema():
    for name in DATA_FILES:
        doc = yaml.safe_load((DEFAULT_DATA_DIR / name).read_text(encoding="utf-8"))
        errors: list[str] = []
        assert schema.validate_file(name, doc, name, errors) is not None, errors
        assert errors == []
    data = load()
    assert len(data.communes) == 36 and len(data.hubs) == 2


def test_every_data_file_has_a_model():
    assert set(schema.FILE_MODELS) == set(DATA_FILES)


def test_wrong_type_is_one_error_naming_file_and_field(data_copy, edit_yaml):
    edit_yaml(data_copy, "structures.yml", lambda d: d["structures"][1].__setitem__("horaires_accueil", 8))
    error = _only_error(data_copy)
    assert error.endswith("data/structures.yml: structures[1].horaires_accueil: expected a string, got int 8")


def test_list_expected(data_copy, edit_yaml):
    edit_yaml(data_copy, "communes.yml", lambda d: d["communes"][0].__setitem__("codes_postaux", "92160"))
    assert _only_error(data_copy).endswith(
        "data/communes.yml: communes[0].codes_postaux: expected a list, got str")


def test_missing_required_field_is_one_error(data_copy, edit_yaml):
    edit_yaml(data_copy, "services.yml", lambda d: d["services"][2].pop("nom_facile"))
    assert _only_error(data_copy).endswith("data/services.yml: services[2].nom_facile: missing or empty")


def test_empty_string_is_missing(data_copy, edit_yaml):
    edit_yaml(data_copy, "hors_departement.yml", lambda d: d["lieux"][4].__setitem__("nom", "   "))
    assert _only_error(data_copy).endswith("data/hors_departement.yml: lieux[4].nom: missing or empty")


def test_bad_pattern_is_one_error(data_copy, edit_yaml):
    edit_yaml(data_copy, "communes.yml", lambda d: d["communes"][5].__setitem__("code_insee", "75056"))
    error = _only_error(data_copy)
    assert "data/communes.yml: communes[5].code_insee: invalid value '75056'" in error


def test_bad_postal_code_in_a_list_names_its_index(data_copy, edit_yaml):
    edit_yaml(data_copy, "communes.yml", lambda d: d["communes"][0]["codes_postaux"].append("75001"))
    assert _only_error(data_copy).endswith(
        "data/communes.yml: communes[0].codes_postaux[1]: invalid postal code '75001' (expected 92xxx)")


def test_bad_slug_and_bad_date(data_copy, edit_yaml):
    def change(doc):
        doc["services"][0]["id"] = "PMI Bébé"
        doc["services"][1]["date_maj"] = "2024-13-40"

    edit_yaml(data_copy, "services.yml", change)
    errors = _errors(data_copy)
    assert len(errors) == 2, errors
    assert any("data/services.yml: services[0].id: invalid value 'PMI Bébé'" in e for e in errors)
    assert any("data/services.yml: services[1].date_maj: invalid date '2024-13-40'" in e for e in errors)


def test_not_a_boolean(data_copy, edit_yaml):
    edit_yaml(data_copy, "helplines.yml", lambda d: d["numeros"][0].__setitem__("gratuit", "oui"))
    assert _only_error(data_copy).endswith("data/helplines.yml: numeros[0].gratuit: expected true/false, got 'oui'")


def test_not_a_mapping(data_copy, edit_yaml):
    edit_yaml(data_copy, "departement.yml", lambda d: d.__setitem__("modernisation", ["a", "b"]))
    assert _only_error(data_copy).endswith("data/departement.yml: modernisation: expected a mapping, got list")


def test_unknown_situation_is_refused(data_copy, edit_yaml):
    edit_yaml(data_copy, "helplines.yml", lambda d: d["situations"].__setitem__("flood", ["112"]))
    error = _only_error(data_copy)
    assert "data/helplines.yml: situations.flood: unknown field (expected one of violence, child" in error


def test_provenance_for_an_unknown_hub_fact_is_refused(data_copy, edit_yaml):
    edit_yaml(data_copy, "structures.yml",
              lambda d: d["structures"][0]["provenance"].__setitem__("parking", d["structures"][0]["provenance"]["nom"]))
    assert "data/structures.yml: structures[0].provenance.parking: unknown field" in _only_error(data_copy)


def test_unknown_commune_reference_is_one_error(data_copy, edit_yaml):
    edit_yaml(data_copy, "communes.yml", lambda d: d["lieux_multi_communes"][0]["communes"].append("92999"))
    n = len(yaml.safe_load((DEFAULT_DATA_DIR / "communes.yml").read_text(encoding="utf-8"))
            ["lieux_multi_communes"][0]["communes"])
    assert _only_error(data_copy).endswith(
        f"data/communes.yml: lieux_multi_communes[0].communes[{n}]: unknown commune INSEE code '92999'")


def test_unknown_served_commune_is_one_error(data_copy, edit_yaml):
    edit_yaml(data_copy, "structures.yml",
              lambda d: d["structures"][1]["extensions"]["communes_desservies"][0].__setitem__("code_insee", "92999"))
    assert _only_error(data_copy).endswith(
        "data/structures.yml: structures[1].extensions.communes_desservies[0].code_insee: "
        "unknown commune INSEE code '92999'")


def test_shape_errors_of_several_files_are_listed_together(data_copy, edit_yaml):
    edit_yaml(data_copy, "communes.yml", lambda d: d["communes"][0].pop("nom"))
    edit_yaml(data_copy, "helplines.yml", lambda d: d["numeros"][0].__setitem__("numero", "abc"))
    edit_yaml(data_copy, "structures.yml", lambda d: d["structures"][0]["provenance"].pop("adresse"))
    errors = _errors(data_copy)
    assert len(errors) == 3, errors
    assert any("data/communes.yml: communes[0].nom: missing or empty" in e for e in errors)
    assert any("data/helplines.yml: numeros[0].numero: invalid value 'abc'" in e for e in errors)
    assert any("data/structures.yml: structures[0].provenance.adresse: missing provenance" in e for e in errors)


def test_a_malformed_file_does_not_make_its_references_fail(data_copy, edit_yaml):
    """communes.yml malformed: structures.yml's INSEE codes are not reported unknown."""
    edit_yaml(data_copy, "communes.yml", lambda d: d.__setitem__("communes", "none"))
    errors = _errors(data_copy)
    assert errors == [e for e in errors if "communes.yml: communes:" in e], errors


def test_field_path_style():
    assert schema.field_path(("communes", 0, "codes_postaux", 2)) == "communes[0].codes_postaux[2]"
    assert schema.field_path(("structures", 1, "extensions", "__root__")) == "structures[1].extensions"
    assert schema.field_path(()) == ""


# --- the schema is the one place the field list lives -------------------------

def _model_of(field) -> Any:
    t = field.type_
    return t if isinstance(t, type) and issubclass(t, BaseModel) else None


def _undeclared(value: Any, model: type[BaseModel], path: str) -> list[str]:
    """Keys of the document `value` that `model` does not declare."""
    out = []
    if isinstance(value, list):
        for i, item in enumerate(value):
            out += _undeclared(item, model, f"{path}[{i}]")
        return out
    if not isinstance(value, dict):
        return out
    for key, item in value.items():
        field = model.__fields__.get(key)
        if field is None:
            out.append(f"{path}.{key}".lstrip("."))
        elif _model_of(field) is not None:
            out += _undeclared(item, _model_of(field), f"{path}.{key}")
    return out


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_key_of_the_real_data_is_declared_in_the_schema(name):
    doc = yaml.safe_load((DEFAULT_DATA_DIR / name).read_text(encoding="utf-8"))
    assert _undeclared(doc, schema.FILE_MODELS[name], "") == []


def test_loader_field_lists_come_from_the_schema():
    assert SITUATIONS == tuple(schema.Situations.__fields__)
    assert HUB_FACT_FIELDS == tuple(schema.HubProvenance.__fields__)
    # every hub fact with a provenance is a field of a structure (or of its extensions)
    hub_fields = set(schema.StructureEntry.__fields__) | set(schema.HubExtensions.__fields__)
    assert set(HUB_FACT_FIELDS) <= hub_fields


def test_the_undeclared_key_check_finds_a_new_key():
    doc = {"communes": [{"code_insee": "92002", "nom": "Antony", "codes_postaux": ["92160"], "surface": 9}]}
    assert _undeclared(doc, schema.CommunesFile, "") == ["communes[0].surface"]


@pytest.mark.parametrize("file_name,change,expected", [
    pytest.param("communes.yml", lambda d: d["communes"][0].pop("codes_postaux"),
                 "communes[0].codes_postaux: missing (expected a list)", id="list"),
    pytest.param("departement.yml", lambda d: d["budgets"][0].pop("montant_eur"),
                 "budgets[0].montant_eur: missing (expected an integer)", id="integer"),
    pytest.param("services.yml", lambda d: d["services"][0].pop("date_maj"),
                 "services[0].date_maj: missing (expected a date YYYY-MM-DD)", id="date"),
    pytest.param("structures.yml", lambda d: d["structures"][0].pop("extensions"),
                 "structures[0].extensions: missing (expected a mapping)", id="mapping"),
])
def test_a_missing_field_says_what_is_expected(data_copy, edit_yaml, file_name, change, expected):
    edit_yaml(data_copy, file_name, change)
    assert _only_error(data_copy).endswith(f"data/{file_name}: {expected}")


def test_a_blank_optional_field_is_absent(data_copy, edit_yaml):
    """As a null: no provenance is asked for a telephone left blank."""
    edit_yaml(data_copy, "structures.yml", lambda d: d["structures"][0].__setitem__("telephone", " "))
    assert load(data_copy).hubs[0].telephone is None
