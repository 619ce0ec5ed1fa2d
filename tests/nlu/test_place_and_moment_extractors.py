"""The pipeline's knowledge-based extractors: a message's place as canonical
entities (INSEE code, hub id, outside place...) and its moment (ISO start, end,
grain and a French label). These values fill the slots `commune` and `moment`,
so what a resident wrote is read once, here."""
import pytest

from bot.components.moment_extractor import moment_entity
from bot.components.place_extractor import place_entities
from bot.lookup_tables import LOOKUP_PATH, lookup_yaml
from knowledge.french_time import moment_from_value


def places(text):
    return [(e["entity"], text[e["start"]:e["end"]], e["value"]) for e in place_entities(text)
            if e["entity"] != "own_place"]


@pytest.mark.parametrize("text, expected", [
    ("j'habite à Clamart", [("commune", "Clamart", "92023")]),
    ("jhabite a clammart", [("commune", "clammart", "92023")]),
    ("j'habite du côté d'Asnières-sur-Seine", [("commune", "Asnières-sur-Seine", "92004")]),
    ("jsuis dantony", [("commune", "dantony", "92002")]),
    ("92140", [("postal_code", "92140", "92023")]),
    ("le pôle d'Asnières ferme à quelle heure ?", [("hub", "pôle d'Asnières", "pole-social-asnieres-sur-seine")]),
    ("j'habite à Paris", [("outside_place", "Paris", "Paris")]),
    ("93200", [("outside_place", "93200", "93200")]),
    ("92999", [("unknown_place", "92999", "92999")]),
    ("j'habite à Trifouilly", [("unknown_place", "Trifouilly", "lieu")]),
    ("excuse me, I don't understand French very well", []),  # no misspelt "Meudon"
    ("je voudrais les horaires", []),
])
def test_a_place_becomes_its_canonical_value_with_the_words_that_named_it(text, expected):
    assert places(text) == expected


def test_a_place_spanning_several_communes_lists_them_all():
    [entity] = [e for e in place_entities("j'habite à la Défense") if e["entity"] == "ambiguous_place"]
    # Courbevoie, La Garenne-Colombes, Nanterre, Puteaux
    assert entity["value"] == {"place": "La Défense", "candidates": ["92026", "92035", "92050", "92062"]}


def test_the_residents_own_place_is_flagged():
    assert any(e["entity"] == "own_place" for e in place_entities("et pour mon pôle à moi ?"))
    assert not any(e["entity"] == "own_place" for e in place_entities("et pour le pôle d'Issy ?"))


def test_the_resident_text_is_never_a_value():
    # what the resident typed is never copied into an entity value (no echo, no markup)
    for entity in place_entities("j'habite à <b>Trifouilly</b>"):
        assert "Trifouilly" not in str(entity["value"]) and "<" not in str(entity["value"])


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setenv("BOT_NOW", "2026-11-18T10:15")  # a Wednesday


@pytest.mark.parametrize("text, words, start, grain, label", [
    ("c'est ouvert samedi ?", "samedi", "2026-11-21T00:00:00+01:00", "day", "samedi 21 novembre"),
    ("demain matin", "demain matin", "2026-11-19T08:00:00+01:00", "period", "demain matin (jeudi 19 novembre)"),
    ("ce soir à 17h", "ce soir à 17h", "2026-11-18T17:00:00+01:00", "instant", None),
    ("ouvert le jour de la Victoire ?", "le jour de la Victoire", "2027-05-08T00:00:00+02:00", "day",
     "la fête de la Victoire (samedi 8 mai 2027)"),
    ("et le lundi de Pentecôte ?", "le lundi de Pentecôte", "2027-05-17T00:00:00+02:00", "day", None),
    ("à la Toussaint ?", "la Toussaint", "2027-11-01T00:00:00+01:00", "day", None),
    ("le 14 juillet ?", "le 14 juillet", "2027-07-14T00:00:00+02:00", "day", None),
])
def test_a_moment_becomes_a_canonical_value(text, words, start, grain, label):
    entity = moment_entity(text)
    assert text[entity["start"]:entity["end"]] == words
    assert entity["value"]["start"] == start and entity["value"]["grain"] == grain
    if label:
        assert entity["value"]["label"] == label
    # the slot's value reads back as the same moment in the action
    moment = moment_from_value(entity["value"])
    assert moment.start.isoformat() == start


def test_no_moment_no_entity():
    assert moment_entity("où est le pôle ?") is None


def test_the_lookup_table_is_generated_from_the_communes():
    # data/nlu/lookup_communes.yml is rewritten by `make train`; a stale copy
    # would give DIET features for communes that no longer match the data
    assert LOOKUP_PATH.read_text(encoding="utf-8") == lookup_yaml()


def test_in_the_pipeline_the_extractor_owns_its_entities_and_leaves_payloads_alone():
    from rasa.shared.nlu.training_data.message import Message

    from bot.components.place_extractor import PlaceExtractor
    extractor = PlaceExtractor.create({}, None, None, None)
    typed = Message(data={"text": "j'habite à Vanves", "entities": [
        {"entity": "commune", "value": "Vanves?", "start": 11, "end": 17},
        {"entity": "danger", "value": "violence", "start": 0, "end": 0}]})
    button = Message(data={"text": '/inform{"commune": "92023"}',
                           "entities": [{"entity": "commune", "value": "92023"}]})
    extractor.process([typed, button])
    assert [(e["entity"], e["value"]) for e in typed.get("entities")] == [
        ("danger", "violence"), ("commune", "92075"), ("own_place", "true")]
    assert button.get("entities") == [{"entity": "commune", "value": "92023"}]
