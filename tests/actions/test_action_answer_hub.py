"""action_answer_hub: the answer a resident reads once the commune is known.
The clock is frozen on Wednesday 18 November 2026, 10:15 (open hours)."""
import pytest
from rasa_sdk.events import SlotSet

from actions.action_answer_hub import ActionAnswerHub
from tests.actions.conftest import (
    activation, create_tracker, insee, mapped_slots, parsed, run, slot_values, texts, user_event,
)

ACTION = ActionAnswerHub()
ISSY = "pole-social-issy-les-moulineaux"
ASNIERES = "pole-social-asnieres-sur-seine"
ISSY_ADDRESS = "13-15 rue Jean-Pierre Timbaud, 92130 Issy-les-Moulineaux"
ASNIERES_ADDRESS = "4 rue Teddy Riner, 92600 Asnières-sur-Seine"


def answered(question, intent, slots, answer=None, answer_intent="inform"):
    """Run the action after a form episode started by `question` (and answered)."""
    if answer is None:
        tracker = activation(question, intent, slots=slots)
    else:  # the question's slots (topic, moment), then the answer given inside the form
        asked = {**slots, **mapped_slots(parsed(question, intent), None)}
        tracker = create_tracker(answer, answer_intent, slots=asked, active_loop="commune_form",
                                 events=[user_event(question, intent)])
    dispatcher, events = run(ACTION, tracker)
    return texts(dispatcher), events


@pytest.mark.parametrize("commune, address, hub_name", [
    ("Clamart", ISSY_ADDRESS, "pôle social départemental d’Issy-les-Moulineaux"),
    ("Issy-les-Moulineaux", ISSY_ADDRESS, "pôle social départemental d’Issy-les-Moulineaux"),
    ("Meudon", ISSY_ADDRESS, "pôle social départemental d’Issy-les-Moulineaux"),
    ("Vanves", ISSY_ADDRESS, "pôle social départemental d’Issy-les-Moulineaux"),
    ("Asnières-sur-Seine", ASNIERES_ADDRESS, "pôle social départemental d’Asnières-sur-Seine"),
    ("Gennevilliers", ASNIERES_ADDRESS, "pôle social départemental d’Asnières-sur-Seine"),
])
def test_where_to_go_gives_hub_address_hours_and_map(commune, address, hub_name):
    text, events = answered("quel pôle ?", "find_hub", {"commune": commune})
    assert f"Pour {commune}, adressez-vous au {hub_name}" in text
    assert address in text
    assert "du lundi au vendredi de 8 h 30 à 17 h 30, sauf les jours fériés" in text
    assert "https://www.openstreetmap.org/search?query=" in text


@pytest.mark.parametrize("commune", ["Nanterre", "Boulogne-Billancourt", "Antony", "Sceaux"])
@pytest.mark.parametrize("intent", ["find_hub", "ask_address", "ask_hours", "ask_open", "ask_transport"])
def test_uncovered_commune_gets_no_address_at_all(commune, intent):
    text, events = answered("quel pôle ?", intent, {"commune": commune})
    assert f"Pour {commune}, je n'ai pas encore l'information pour votre commune" in text
    assert "rue" not in text and "openstreetmap" not in text
    assert "service correspond à votre besoin" in text  # what the assistant can do instead


def test_outside_place_is_told_the_service_is_for_the_92():
    text, events = answered("j'habite à Paris", "inform", {"outside_place": "Paris"})
    assert "Le service concerne les habitants des Hauts-de-Seine" in text
    assert "Paris" in text and "rue" not in text
    assert SlotSet("outside_place", None) in events


def test_the_question_that_started_the_form_is_answered():
    # "c'est ouvert samedi ?" ... "Clamart": Saturday 21 November is a weekend day.
    text, _ = answered("c'est ouvert samedi ?", "ask_open", {"commune": insee("Clamart")}, answer="Clamart")
    assert text.startswith("Pour Clamart, votre pôle est le pôle d’Issy.\n"
                           "Non, le pôle d’Issy est fermé samedi 21 novembre")
    assert "week-end" in text
    assert "Prochaine ouverture : lundi 23 novembre à 8 h 30" in text


def test_a_plain_commune_after_an_answered_question_means_where():
    # New episode: only "Meudon" -> where to go, not the earlier hours question.
    tracker = activation("Meudon", "inform", slots={"commune": insee("Meudon"), "topic": "hours"})
    dispatcher, _ = run(ACTION, tracker)
    assert "Pour Meudon, adressez-vous au pôle social départemental d’Issy-les-Moulineaux" in texts(dispatcher)


@pytest.mark.parametrize("question, expected", [
    ("c'est ouvert maintenant ?", "Oui, le pôle d’Issy est ouvert en ce moment : il ferme à 17 h 30."),
    ("ouvert samedi ?", "Non, le pôle d’Issy est fermé samedi 21 novembre : il est fermé le week-end."),
    ("et dimanche ?", "Non, le pôle d’Issy est fermé dimanche 22 novembre : il est fermé le week-end."),
    ("ouvert demain à 18h ?",
     "Non, le pôle d’Issy est fermé demain (jeudi 19 novembre) à 18 h : c'est en dehors des horaires"),
    ("demain à 9h c'est ouvert ?", "Oui, le pôle d’Issy est ouvert demain (jeudi 19 novembre) à 9 h"),
    ("lundi prochain à 9h ?", "Oui, le pôle d’Issy est ouvert lundi 23 novembre à 9 h"),
    ("ouvert à midi ?", "Oui, le pôle d’Issy est ouvert aujourd'hui"),
    ("le 25 décembre c'est ouvert ?", "Non, le pôle d’Issy est fermé le 25 décembre"),
    ("le 11 novembre ?", "Non, le pôle d’Issy est fermé"),
    ("ouvert le 1er mai ?", "Non, le pôle d’Issy est fermé"),
    ("ouvert ce soir ?", "Non, le pôle d’Issy est fermé ce soir"),
    ("ouvert demain matin ?", "Oui, demain matin (jeudi 19 novembre), le pôle d’Issy est ouvert de 8 h 30 à 12 h."),
    ("ouvert jeudi ?", "Oui, demain (jeudi 19 novembre), le pôle d’Issy est ouvert de 8 h 30 à 17 h 30."),
])
def test_open_at_a_moment(question, expected):
    text, _ = answered(question, "ask_open", {"asked_hub": ISSY})
    assert text.startswith(expected), text


@pytest.mark.parametrize("question, holiday", [
    ("le 25 décembre c'est ouvert ?", "Noël"),
    ("le 11 novembre ?", "Armistice"),
    ("ouvert le 1er mai 2028 ?", "Fête du Travail"),  # a Monday
    ("ouvert le lundi de Pâques 2027 ?", "Lundi de Pâques"),
    ("ouvert le 29 mars 2027 ?", "Lundi de Pâques"),
    ("ouvert le 17 mai 2027 ?", "Lundi de Pentecôte"),
])
def test_public_holidays_are_named(question, holiday):
    text, _ = answered(question, "ask_open", {"commune": insee("Vanves")})
    assert "jour férié" in text and holiday in text, text
    assert "Prochaine ouverture" in text


def test_a_holiday_on_a_weekend_gives_both_reasons():
    text, _ = answered("ouvert le 1er mai ?", "ask_open", {"commune": insee("Vanves")})  # Saturday in 2027
    assert "fermé le 1er mai 2027 : il est fermé le week-end (et c'est un jour férié : Fête du Travail)" in text


def test_hours_include_todays_closing_time():
    text, _ = answered("et les horaires ?", "ask_hours", {"commune": insee("Clamart")})
    assert "ouvert du lundi au vendredi de 8 h 30 à 17 h 30, sauf les jours fériés" in text
    assert "ferme à 17 h 30" in text


def test_hours_for_a_day_answer_for_that_day():
    text, _ = answered("horaires de samedi ?", "ask_hours", {"commune": insee("Clamart")})
    assert "fermé samedi 21 novembre" in text


def test_hours_when_closed_give_the_next_opening(monkeypatch):
    monkeypatch.setenv("BOT_NOW", "2026-11-21T11:00")  # a Saturday
    text, _ = answered("et les horaires ?", "ask_hours", {"commune": insee("Clamart")})
    assert "fermé en ce moment ; il rouvre lundi 23 novembre à 8 h 30" in text


def test_a_named_hub_wins_over_the_stored_commune():
    text, events = answered("adresse du pôle d'Asnières ?", "ask_address",
                            {"commune": insee("Clamart"), "asked_hub": ASNIERES})
    assert ASNIERES_ADDRESS in text and ISSY_ADDRESS not in text
    assert "commune" not in slot_values(events)  # the resident's commune is untouched
    assert "asked_hub" not in slot_values(events)  # kept for a follow-up question


def test_a_named_hub_is_answered_even_for_a_resident_of_an_uncovered_commune():
    text, _ = answered("horaires du pôle d'Issy ?", "ask_hours", {"commune": insee("Nanterre"), "asked_hub": ISSY})
    assert "Le pôle social départemental d’Issy-les-Moulineaux est ouvert du lundi au vendredi" in text


def test_transport_where_sourced():
    text, _ = answered("comment y aller ?", "ask_transport", {"commune": insee("Gennevilliers")})
    assert "tramway T1 (arrêt « Les Courtilles »)" in text


def test_transport_not_sourced_says_so_and_gives_the_address():
    text, _ = answered("comment y aller ?", "ask_transport", {"commune": insee("Meudon")})
    assert "n'indiquent pas de ligne ni d'arrêt" in text
    assert ISSY_ADDRESS in text and "openstreetmap" in text
    assert "T1" not in text and "Courtilles" not in text


@pytest.mark.parametrize("intent, commune, expected", [
    ("ask_opening_date", "Clamart", "ouvert au public depuis le 26 septembre 2023"),
    ("ask_opening_date", "Asnières-sur-Seine", "ouvert au public depuis le 16 mai 2023"),
    ("ask_communes_served", "Vanves", "Issy-les-Moulineaux, Clamart, Meudon et Vanves"),
    ("ask_communes_served", "Gennevilliers", "Asnières-sur-Seine et Gennevilliers"),
    ("ask_professionals", "Clamart", "psychologues"),
    ("ask_professionals", "Clamart", "sages-femmes"),
    ("ask_facilities", "Clamart", "12 bureaux d’entretien"),
    ("ask_facilities", "Gennevilliers", "96 postes de travail"),
    ("ask_digital", "Gennevilliers", "2 espaces numériques en libre-service, avec 4 PC reliés à internet"),
    ("ask_digital", "Clamart", "1 salle multimédia et 1 espace numérique"),
])
def test_hub_facts(intent, commune, expected):
    text, _ = answered("question", intent, {"commune": commune})
    assert expected in text


def test_digital_for_issy_does_not_claim_free_computers():
    text, _ = answered("ordinateurs en libre accès ?", "ask_digital", {"commune": insee("Clamart")})
    assert "PC" not in text and "libre" not in text


def test_communes_served_without_commune_lists_both_hubs_and_the_gap():
    text, _ = answered("quelles communes sont couvertes ?", "ask_communes_served", {})
    assert "Issy-les-Moulineaux, Clamart, Meudon et Vanves" in text
    assert "Asnières-sur-Seine et Gennevilliers" in text
    assert "autres communes" in text


def test_opening_date_without_commune_gives_both_hubs():
    text, _ = answered("depuis quand c'est ouvert ?", "ask_opening_date", {})
    assert "26 septembre 2023" in text and "16 mai 2023" in text


def test_where_with_a_need_in_the_same_message_names_the_service():
    text, _ = answered("je suis enceinte et j'habite à Gennevilliers", "inform",
                       {"commune": insee("Gennevilliers")})
    assert ASNIERES_ADDRESS in text
    assert "Pour « grossesse », le service concerné est : Protection maternelle et infantile (PMI)." in text


def test_hours_of_a_named_hub_without_commune_read_well():
    text, _ = answered("le pôle d'Issy ferme à quelle heure ?", "ask_hours", {"asked_hub": ISSY})
    assert text.startswith("Le pôle social départemental d’Issy-les-Moulineaux est ouvert")


def test_a_moment_alone_is_an_opening_question():
    text, _ = answered("et samedi ?", "inform", {"commune": insee("Clamart")})
    assert "fermé samedi 21 novembre" in text


NIGHTMARES = ("ma fille de 5 ans se réveille en hurlant toutes les nuits depuis des mois, "
              "on n'en peut plus, on est à {commune}, qui peut nous aider ?")
PMI_GUESS = {"ranking": [{"name": "pmi", "probability": 0.62},
                         {"name": "action-sociale-insertion", "probability": 0.2}]}


@pytest.mark.parametrize("commune, covered", [("Montrouge", False), ("Clamart", True)])
def test_a_long_message_naming_no_need_gets_the_service_learnt_from_real_messages(commune, covered):
    tracker = activation(NIGHTMARES.format(commune=commune), "find_hub",
                         slots={"commune": insee(commune)})
    tracker.latest_message["need_guess"] = PMI_GUESS
    dispatcher, _ = run(ACTION, tracker)
    names = [m["response"] for m in dispatcher.messages]
    assert names[-1] == "utter_service_guessed"
    assert names[0] == ("utter_hub_where_commune" if covered else "utter_not_covered")
    assert "Protection maternelle et infantile (PMI)" in texts(dispatcher)


def test_a_short_answer_never_gets_a_guessed_service():
    tracker = activation("Clamart", "inform", slots={"commune": insee("Clamart")})
    tracker.latest_message["need_guess"] = PMI_GUESS
    dispatcher, _ = run(ACTION, tracker)
    assert "utter_service_guessed" not in [m["response"] for m in dispatcher.messages]


def test_an_unsure_guess_adds_nothing():
    tracker = activation(NIGHTMARES.format(commune="Montrouge"), "find_hub",
                         slots={"commune": insee("Montrouge")})
    tracker.latest_message["need_guess"] = {"ranking": [{"name": "pmi", "probability": 0.25}]}
    dispatcher, _ = run(ACTION, tracker)
    assert [m["response"] for m in dispatcher.messages] == ["utter_not_covered"]
