"""After the helpline: the other helplines and the hub; questions about a helpline;
needs next to the remit; long messages never end in "je n'ai pas compris"."""
from __future__ import annotations

from rasa_sdk.events import FollowupAction

from actions.action_after_danger import ActionAfterDanger
from actions.action_fallback import ActionFallback
from actions.action_find_service import ActionFindService
from actions.action_helpline_info import ActionHelplineInfo
from tests.actions.conftest import insee, assert_templates, create_tracker, run, slot_values, texts


def danger_entities(*situations):
    return [{"entity": "danger", "value": s} for s in situations]


def test_the_other_helplines_come_after_the_first_in_order():
    tracker = create_tracker("je suis sourde et mon mari me frappe", "danger_cannot_speak",
                             danger_entities("cannot_speak", "violence"))
    dispatcher, events = run(ActionAfterDanger(), tracker)
    assert [m.get("response") for m in dispatcher.messages][:1] == ["utter_danger_violence"]
    assert events == [FollowupAction("utter_offer_hub")], "commune unknown: offer the hub"


def test_the_hub_follows_the_helpline_when_the_message_names_a_served_commune():
    tracker = create_tracker("mon mari me frappe, j'habite à Clamart", "danger_violence",
                             danger_entities("violence"))
    dispatcher, events = run(ActionAfterDanger(), tracker)
    assert "Jean-Pierre Timbaud" in texts(dispatcher)
    assert slot_values(events)["commune"] == insee("Clamart")
    assert not [e for e in events if e.get("event") == "followup"]


def test_the_hub_follows_the_helpline_when_the_commune_is_already_known():
    tracker = create_tracker("mon voisin frappe son fils", "danger_child",
                             danger_entities("child"), slots={"commune": insee("Gennevilliers")})
    dispatcher, _ = run(ActionAfterDanger(), tracker)
    assert "Teddy Riner" in texts(dispatcher)


def test_an_uncovered_commune_gets_no_address_after_the_helpline():
    tracker = create_tracker("je dors dehors ce soir à Colombes", "danger_no_shelter",
                             danger_entities("no_shelter"))
    dispatcher, _ = run(ActionAfterDanger(), tracker)
    assert_templates(dispatcher, ["utter_not_covered"])
    assert "je n'ai pas encore l'information pour votre commune" in texts(dispatcher)
    assert "Adresse :" not in texts(dispatcher)


def test_no_hub_offer_after_suicide_or_medical_helplines():
    for intent, situation in (("danger_suicide", "suicide"), ("danger_medical", "medical")):
        dispatcher, events = run(ActionAfterDanger(),
                                 create_tracker("…", intent, danger_entities(situation)))
        assert dispatcher.messages == [] and events == []


def test_a_question_about_a_helpline_gets_that_helplines_facts():
    tracker = create_tracker("le 119 c'est anonyme ?", "ask_helpline",
                             [{"entity": "helpline", "value": "119"}])
    dispatcher, _ = run(ActionHelplineInfo(), tracker)
    assert_templates(dispatcher, ["utter_helpline_info"])
    message = dispatcher.messages[0]
    assert message["number"] == "119" and "factures" in message["details"]
    assert texts(dispatcher).startswith("Le 119 (Allô enfance en danger) : ")
    assert "gratuit" in texts(dispatcher)


def test_a_question_about_an_unknown_number_says_so():
    tracker = create_tracker("le 3615 c'est quoi ?", "ask_helpline",
                             [{"entity": "helpline", "value": "3615"}])
    dispatcher, _ = run(ActionHelplineInfo(), tracker)
    assert_templates(dispatcher, ["utter_helpline_unknown"])


def test_a_caf_question_gets_an_honest_answer_then_the_service():
    tracker = create_tracker("la CAF m'a suspendu mes APL et me réclame un trop perçu, "
                             "je ne comprends pas pourquoi", "ask_service")
    dispatcher, _ = run(ActionFindService(), tracker)
    reply = texts(dispatcher)
    assert reply.startswith("Je n'ai pas accès à votre dossier CAF")
    assert "Action sociale et insertion" in reply


def test_the_rsa_rules_and_the_prefecture_lead_to_the_social_worker():
    for text in ("c'est quoi les 15 heures d'activité obligatoires pour le RSA ?",
                 "impossible d'avoir un rendez-vous à la préfecture pour mon titre de séjour"):
        reply = texts(run(ActionFindService(), create_tracker(text, "ask_service"))[0])
        assert "Action sociale et insertion" in reply and "Je ne peux" in reply, text


def test_a_babys_development_leads_to_the_pmi():
    reply = texts(run(ActionFindService(), create_tracker(
        "mon fils a 18 mois et il ne marche pas encore, c'est normal ?", "ask_service"))[0])
    assert "Protection maternelle et infantile" in reply


def test_a_service_chosen_with_a_button():
    tracker = create_tracker('/ask_service{"service": "sante-sexuelle"}', "ask_service",
                             [{"entity": "service", "value": "sante-sexuelle"}])
    reply = texts(run(ActionFindService(), tracker)[0])
    assert reply.startswith("C'est le service Santé sexuelle")


def test_an_unrecognised_need_offers_the_services_as_buttons():
    dispatcher, _ = run(ActionFindService(), create_tracker("j'ai besoin d'un truc", "ask_service"))
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons][0] == '/ask_service{"service": "pmi"}'
    assert len(buttons) == 5


def test_a_long_unclear_message_never_gets_i_did_not_understand_alone():
    text = ("bonjour je vous écris parce que je ne sais plus vers qui me tourner, tout se "
            "complique depuis des mois et je craque")
    dispatcher, _ = run(ActionFallback(), create_tracker(text, "nlu_fallback"))
    assert_templates(dispatcher, ["utter_distress", "utter_clarify_long"])
    assert len(dispatcher.messages[1]["buttons"]) == 5
    assert "pas sûr d'avoir bien compris" in texts(dispatcher)


def test_a_short_unclear_message_gets_the_topics():
    dispatcher, _ = run(ActionFallback(), create_tracker("euh bof", "nlu_fallback"))
    assert_templates(dispatcher, ["utter_clarify"])


def test_a_weak_danger_guess_on_a_long_message_is_not_a_helpline():
    text = ("je suis épuisée par les papiers de la CAF et je n'arrive plus à joindre "
            "personne depuis des semaines")
    tracker = create_tracker(text, "nlu_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.55}, {"name": "danger_suicide", "confidence": 0.4}]
    dispatcher, _ = run(ActionFallback(), tracker)
    assert not any((m.get("response") or "").startswith("utter_danger") for m in dispatcher.messages)
