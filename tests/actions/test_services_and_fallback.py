"""Needs -> services (action_find_service), the list of services, and the NLU
fallback that still understands a place."""
import pytest

from actions.action_fallback import ActionFallback
from actions.action_find_service import ActionFindService
from actions.action_list_services import ActionListServices
from tests.actions.conftest import insee, assert_templates, create_tracker, load_domain, run, slot_values, texts

FIND = ActionFindService()
ISSY_ADDRESS = "13-15 rue Jean-Pierre Timbaud, 92130 Issy-les-Moulineaux"
ASNIERES_ADDRESS = "4 rue Teddy Riner, 92600 Asnières-sur-Seine"


@pytest.mark.parametrize("need, service, professional", [
    ("je suis enceinte", "Protection maternelle et infantile (PMI)", "sages-femmes"),
    ("je voudrais faire peser mon bébé", "Protection maternelle et infantile (PMI)", "infirmières puéricultrices"),
    ("les vaccins de mon fils", "Protection maternelle et infantile (PMI)", "médecins"),
    ("j'ai besoin d'une contraception", "Santé sexuelle", "conseillers conjugaux et familiaux"),
    ("je veux faire un dépistage IST", "Santé sexuelle", "médecins"),
    ("je touche le RSA", "Action sociale et insertion", "assistants sociaux"),
    ("je cherche du travail", "Action sociale et insertion", "conseillers en économie sociale et familiale"),
    ("j'ai des dettes, je n'arrive plus à payer mes factures", "Action sociale et insertion", "assistants sociaux"),
    ("mon ado fugue", "Aide sociale à l’enfance (ASE)", "éducateurs spécialisés"),
    ("j'ai besoin d'aide pour mes démarches en ligne", "Accès au numérique et démarches en ligne", None),
])
def test_a_need_maps_to_its_service_and_professionals(need, service, professional):
    dispatcher, _ = run(FIND, create_tracker(need, "ask_service"))
    text = texts(dispatcher)
    assert f"c'est le service {service}" in text
    if professional:
        assert professional in text
    assert "Indiquez-moi votre commune" in text


def test_speaking_to_a_psychologist_lists_the_services_where_they_work():
    dispatcher, _ = run(FIND, create_tracker("je voudrais parler à un psychologue", "ask_service"))
    assert "Des psychologues travaillent au pôle social départemental" in texts(dispatcher)


def test_known_commune_gives_the_hub_offering_the_service():
    dispatcher, events = run(FIND, create_tracker("je suis enceinte", "ask_service",
                                                  slots={"commune": insee("Gennevilliers")}))
    assert f"Pour Gennevilliers, adressez-vous au pôle social départemental d’Asnières-sur-Seine : {ASNIERES_ADDRESS}" in texts(dispatcher)
    assert events == []


def test_commune_in_the_same_message_is_used_and_remembered():
    dispatcher, events = run(FIND, create_tracker("je suis enceinte et j'habite à Vanves", "ask_service",
                                                  slots={"commune": insee("Gennevilliers")}))
    assert ISSY_ADDRESS in texts(dispatcher) and ASNIERES_ADDRESS not in texts(dispatcher)
    assert slot_values(events)["commune"] == insee("Vanves")


def test_digital_help_at_a_known_hub_says_what_is_there():
    dispatcher, _ = run(FIND, create_tracker("aide pour mes démarches en ligne", "ask_service",
                                             slots={"commune": insee("Asnières-sur-Seine")}))
    assert "4 PC reliés à internet" in texts(dispatcher)


def test_uncovered_commune_gets_the_service_but_no_hub():
    dispatcher, _ = run(FIND, create_tracker("j'ai des dettes", "ask_service", slots={"commune": insee("Nanterre")}))
    text = texts(dispatcher)
    assert "Action sociale et insertion" in text
    assert "je n'ai pas encore l'information pour votre commune" in text
    assert "rue" not in text


def test_outside_the_92_gets_the_service_and_the_coverage_notice():
    dispatcher, events = run(FIND, create_tracker("je suis enceinte, j'habite à Lyon", "ask_service",
                                                  slots={"commune": insee("Clamart")}))
    text = texts(dispatcher)
    assert "Le service concerne les habitants des Hauts-de-Seine" in text and "rue" not in text
    assert slot_values(events)["commune"] is None


def test_unrecognised_need_lists_what_exists():
    dispatcher, _ = run(FIND, create_tracker("euh je sais pas trop", "ask_service"))
    assert "Je n'ai pas reconnu votre besoin" in texts(dispatcher)
    assert "Protection maternelle et infantile (PMI)" in texts(dispatcher)


def test_list_services_names_the_four_families_and_digital():
    dispatcher, _ = run(ActionListServices(), create_tracker("quels services ?", "list_services"))
    text = texts(dispatcher)
    for name in ("Protection maternelle et infantile (PMI)", "Santé sexuelle",
                 "Action sociale et insertion", "Aide sociale à l’enfance (ASE)",
                 "accès au numérique"):
        assert name in text


def test_fallback_still_understands_a_misspelt_commune():
    dispatcher, events = run(ActionFallback(), create_tracker("cllamart", "nlu_fallback"))
    assert ISSY_ADDRESS in texts(dispatcher)
    assert slot_values(events)["commune"] == insee("Clamart")


def test_fallback_outside_place():
    dispatcher, _ = run(ActionFallback(), create_tracker("versaille", "nlu_fallback"))
    assert "Le service concerne les habitants des Hauts-de-Seine" in texts(dispatcher)


def test_fallback_without_a_place_offers_safe_topic_buttons():
    dispatcher, events = run(ActionFallback(), create_tracker("<script>alert(1)</script>", "nlu_fallback"))
    assert_templates(dispatcher, ["utter_clarify"])
    assert "Je n'ai pas bien compris" in texts(dispatcher) and "<script>" not in texts(dispatcher)
    buttons = load_domain()["responses"]["utter_clarify"][0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/find_hub", "/ask_hours", "/list_services"]
    assert events == []


@pytest.mark.parametrize("text", ["Hello, where can I find social services?",
                                  "hola, necesito ayuda por favor"])
def test_fallback_on_another_language_says_so(text):
    dispatcher, _ = run(ActionFallback(), create_tracker(text, "nlu_fallback"))
    assert_templates(dispatcher, ["utter_other_language"])


@pytest.mark.parametrize("text", ["je comprends pas trop", "c'est où le truc", "help"])
def test_french_or_too_short_is_not_taken_for_another_language(text):
    dispatcher, _ = run(ActionFallback(), create_tracker(text, "nlu_fallback"))
    assert_templates(dispatcher, ["utter_clarify"])


def test_a_service_at_a_named_hub_keeps_the_residents_commune():
    dispatcher, events = run(FIND, create_tracker("le pôle d'Issy fait de la contraception ?", "ask_service",
                                                  slots={"commune": insee("Gennevilliers")}))
    assert f"Ce service est proposé au pôle social départemental d’Issy-les-Moulineaux : {ISSY_ADDRESS}" in texts(dispatcher)
    assert events == []


def test_a_need_right_after_a_hub_question_is_answered_for_that_hub():
    tracker = create_tracker("et pour la contraception ?", "ask_service",
                             slots={"commune": insee("Colombes"), "asked_hub": "pole-social-asnieres-sur-seine"})
    dispatcher, events = run(FIND, tracker)
    assert f"Ce service est proposé au pôle social départemental d’Asnières-sur-Seine : {ASNIERES_ADDRESS}" in texts(dispatcher)
    assert events == []


def _with_ranking(tracker, ranking):
    tracker.latest_message["intent_ranking"] = [
        {"name": name, "confidence": confidence} for name, confidence in ranking]
    return tracker


@pytest.mark.parametrize("guess", ["danger_no_shelter", "danger_violence", "danger_child"])
def test_fallback_gives_the_helpline_when_danger_is_the_best_guess(guess):
    tracker = _with_ranking(create_tracker("je cherche un endroit pour passer la nuit", "nlu_fallback"),
                            [("nlu_fallback", 0.55), (guess, 0.41), ("find_hub", 0.30)])
    dispatcher, events = run(ActionFallback(), tracker)
    assert [m.get("response") for m in dispatcher.messages] == [f"utter_{guess}"]
    assert events == []


def test_fallback_ignores_a_weak_danger_guess_that_is_not_the_best():
    tracker = _with_ranking(create_tracker("bof", "nlu_fallback"),
                            [("nlu_fallback", 0.55), ("find_hub", 0.35), ("danger_child", 0.33)])
    dispatcher, _ = run(ActionFallback(), tracker)
    assert all(m.get("response") != "utter_danger_child" for m in dispatcher.messages)
