"""Phone, e-mail, appointments, accessibility, languages: the fact with its
source when the data has it; otherwise "je n'ai pas ..." first, then how to
get there, and never an unrelated fact (the tram line, the number of offices)
in its place. Fictitious values only, in a copy of the data."""
import shutil

import pytest
import yaml

from actions.action_answer_hub import ActionAnswerHub
from knowledge import get_knowledge
from knowledge.loader import DEFAULT_DATA_DIR
from tests.actions.conftest import activation, assert_templates, insee, run, texts

ACTION = ActionAnswerHub()
ISSY = "pole-social-issy-les-moulineaux"


@pytest.mark.parametrize("question, intent, response, first_words", [
    ("quel est le numéro de téléphone du pôle ?", "ask_phone", "utter_hub_phone_unknown",
     "Je n'ai pas le numéro de téléphone du pôle d’Issy."),
    ("ils ont un mail ?", "ask_email", "utter_hub_email_unknown",
     "Je n'ai pas d'adresse e-mail pour le pôle d’Issy."),
    ("faut-il prendre rendez-vous ?", "ask_appointment", "utter_hub_appointment_unknown",
     "Je ne sais pas s'il faut prendre rendez-vous au pôle d’Issy"),
    ("c'est accessible en fauteuil roulant ?", "ask_accessibility", "utter_hub_accessibility_unknown",
     "Je n'ai pas d'information sur l'accessibilité du pôle d’Issy"),
    ("on parle arabe au pôle ?", "ask_languages", "utter_hub_languages_unknown",
     "Je ne sais pas quelles langues sont parlées au pôle d’Issy"),
])
def test_a_fact_the_data_lacks_is_said_plainly_first_then_how_to_go(question, intent, response,
                                                                     first_words):
    dispatcher, _ = run(ACTION, activation(question, intent, slots={"commune": insee("Clamart")}))
    assert_templates(dispatcher, ["utter_for_commune", response])
    text = texts(dispatcher)
    assert text.startswith("Pour Clamart, votre pôle est le pôle d’Issy.\n" + first_words)
    assert "13-15 rue Jean-Pierre Timbaud" in text
    for unrelated in ("tram", "bureaux", "01 ", "@"):
        assert unrelated not in text


def test_a_named_hub_without_commune_gets_the_same_honest_answer():
    # (validate_commune_form set asked_hub from the hub the question named)
    dispatcher, _ = run(ACTION, activation("numéro du pôle d'Issy ?", "ask_phone",
                                           slots={"asked_hub": ISSY}))
    assert_templates(dispatcher, ["utter_hub_phone_unknown"])


@pytest.fixture
def issy_with_contacts(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    doc = yaml.safe_load((data / "structures.yml").read_text(encoding="utf-8"))
    issy = next(s for s in doc["structures"] if s["id"] == ISSY)
    test_value = [{"regle": "tests", "note": "valeur fictive des tests"}]
    issy.update(telephone="01 00 00 00 00", courriel="pole@example.org",
                accessibilite="entrée de plain-pied, ascenseur")
    issy["provenance"].update(telephone=test_value, courriel=test_value, accessibilite=test_value)
    (data / "structures.yml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(data))
    get_knowledge().reload()
    return data


@pytest.mark.parametrize("intent, response, value", [
    ("ask_phone", "utter_hub_phone", "01 00 00 00 00"),
    ("ask_email", "utter_hub_email", "pole@example.org"),
    ("ask_accessibility", "utter_hub_accessibility", "entrée de plain-pied, ascenseur"),
])
def test_a_fact_the_data_has_is_given_with_its_source(issy_with_contacts, intent, response, value):
    dispatcher, _ = run(ACTION, activation("…", intent, slots={"asked_hub": ISSY}))
    assert_templates(dispatcher, [response])
    text = texts(dispatcher)
    assert value in text and "(source : valeur fictive des tests)" in text


def test_an_appointment_question_gets_the_phone_when_there_is_one(issy_with_contacts):
    dispatcher, _ = run(ACTION, activation("faut-il un rdv ?", "ask_appointment",
                                           slots={"asked_hub": ISSY}))
    assert_templates(dispatcher, ["utter_hub_appointment_unknown", "utter_hub_phone"])
