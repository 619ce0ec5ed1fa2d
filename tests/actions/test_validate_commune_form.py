"""validate_commune_form: a message becomes a commune, a named hub, a place
outside the 92, or a question for the commune; non-answers are rejected."""
import pytest
from rasa_sdk.events import SlotSet

from actions.validate_commune_form import ValidateCommuneForm
from tests.actions.conftest import activation, assert_events, in_form, run, slot_values, texts

ACTION = ValidateCommuneForm()
DONE = SlotSet("requested_slot", None)
ASK = SlotSet("requested_slot", "commune")
CLAMART = "92023"


@pytest.mark.parametrize("text, insee", [
    ("quel pôle social pour Clamart ?", CLAMART),
    ("jhabite a clammart", CLAMART),
    ("92140", CLAMART),
    ("je suis à Meudon-la-Forêt", "92048"),
    ("92360", "92048"),
    ("gennevilliers", "92036"),
    ("j'habite à Asnieres", "92004"),
    ("je vis à Nanterre", "92050"),  # a commune whose hub the sources do not give
    ("92000", "92050"),
    ("jsuis dantony", "92002"),
])
def test_a_commune_of_the_92_fills_the_form_at_once_with_its_insee_code(text, insee):
    _, events = run(ACTION, activation(text, "find_hub"))
    assert_events(events, [
        SlotSet("commune", insee), SlotSet("asked_hub", None), SlotSet("outside_place", None), DONE,
    ])


def test_a_new_commune_replaces_the_old_one():
    tracker = activation("et pour Vanves ?", "inform", slots={"commune": CLAMART})
    _, events = run(ACTION, tracker)
    assert slot_values(events)["commune"] == "92075"
    assert events[-1] == DONE


@pytest.mark.parametrize("text, place", [
    ("j'habite à Paris", "Paris"),
    ("je suis de Lyon", "Lyon"),
    ("75015", "Paris"),
    ("93200", "93200"),
])
def test_a_place_outside_the_92_ends_the_form_and_forgets_the_commune(text, place):
    _, events = run(ACTION, activation(text, "inform", slots={"commune": CLAMART}))
    values = slot_values(events)
    assert values["outside_place"] == place
    assert values["commune"] is None and values["asked_hub"] is None
    assert events[-1] == DONE


def test_a_question_naming_a_hub_keeps_the_residents_commune():
    tracker = activation("le pôle d'Asnières ferme à quelle heure ?", "ask_hours",
                         slots={"commune": CLAMART})
    _, events = run(ACTION, tracker)
    assert_events(events, [SlotSet("commune", CLAMART),
                           SlotSet("asked_hub", "pole-social-asnieres-sur-seine"), DONE])


def test_where_question_with_a_hub_city_stores_the_commune():
    # "quel pôle pour Asnières" is a resident of Asnières asking where to go.
    _, events = run(ACTION, activation("quel pôle pour Asnières ?", "find_hub"))
    assert slot_values(events)["commune"] == "92004"


def test_known_commune_and_no_place_completes_at_once():
    _, events = run(ACTION, activation("et les horaires ?", "ask_hours", slots={"commune": CLAMART}))
    assert_events(events, [SlotSet("commune", CLAMART), SlotSet("asked_hub", None), DONE])


@pytest.mark.parametrize("intent", ["find_hub", "ask_hours", "ask_open", "ask_address", "ask_transport"])
def test_no_commune_yet_asks_for_it(intent):
    dispatcher, events = run(ACTION, activation("c'est où ?", intent))
    assert_events(events, [SlotSet("commune", None), SlotSet("asked_hub", None), ASK])
    assert dispatcher.messages == []


@pytest.mark.parametrize("intent", ["ask_communes_served", "ask_opening_date", "ask_professionals",
                                    "ask_facilities", "ask_digital"])
def test_general_questions_need_no_commune(intent):
    _, events = run(ACTION, activation("c'est quoi ?", intent))
    assert events[-1] == DONE


def test_ambiguous_place_lists_the_communes_and_asks():
    dispatcher, events = run(ACTION, activation("j'habite à la Défense", "inform"))
    assert "Courbevoie, La Garenne-Colombes, Nanterre et Puteaux" in texts(dispatcher)
    assert events[-1] == ASK


def test_unknown_place_clears_the_old_commune_and_never_echoes_input():
    tracker = activation("j'habite à <b>Trifouilly</b>", "inform", slots={"commune": CLAMART})
    dispatcher, events = run(ACTION, tracker)
    assert "Je ne reconnais pas cette commune" in texts(dispatcher)
    assert "Trifouilly" not in texts(dispatcher) and "<b>" not in texts(dispatcher)
    assert slot_values(events)["commune"] is None
    assert events[-1] == ASK


def test_unknown_92_postal_code_is_named_by_its_digits():
    dispatcher, events = run(ACTION, activation("92999", "inform"))
    assert "92999" in texts(dispatcher)
    assert events[-1] == ASK


@pytest.mark.parametrize("answer, intent", [
    ("Clamart", "inform"),
    ("c'est clamart", "nlu_fallback"),  # a commune NLU did not read: still understood
    ("92140", "inform"),
])
def test_answer_in_the_form_fills_the_commune(answer, intent):
    _, events = run(ACTION, in_form(answer, intent, slots={"topic": "open"}))
    assert slot_values(events)["commune"] == CLAMART
    assert events[-1] == DONE


@pytest.mark.parametrize("intent", [
    "stop", "deny", "goodbye", "greet", "thank", "help", "bot_challenge",
    "danger_violence", "danger_child", "danger_suicide", "danger_no_shelter",
    "danger_medical", "danger_cannot_speak",
])
def test_non_answers_are_rejected_so_rules_answer(intent):
    dispatcher, events = run(ACTION, in_form("hmm", intent))
    assert events == [] and dispatcher.messages == []


def test_danger_wins_even_when_the_message_names_a_commune():
    tracker = in_form("je suis à Clamart et mon mari me frappe", "danger_violence")
    _, events = run(ACTION, tracker)
    assert events == []


def test_gibberish_in_the_form_asks_again_without_rejecting():
    dispatcher, events = run(ACTION, in_form("blablabla", "nlu_fallback"))
    assert "Je ne reconnais pas cette commune" in texts(dispatcher)
    assert_events(events, [SlotSet("commune", None)])


def test_a_hub_question_without_place_in_the_form_asks_again_silently():
    dispatcher, events = run(ACTION, in_form("et les horaires ?", "ask_hours"))
    assert dispatcher.messages == []
    assert_events(events, [SlotSet("commune", None)])


def test_a_greeting_with_the_commune_is_an_answer():
    _, events = run(ACTION, in_form("bonjour, j'habite à Clamart", "greet"))
    assert slot_values(events)["commune"] == CLAMART


def test_a_need_during_the_form_is_left_to_its_rule_even_with_a_commune():
    # action_find_service answers it and stores the commune; the form then completes.
    _, events = run(ACTION, in_form("je suis enceinte, j'habite à Clamart", "ask_service"))
    assert events == []


@pytest.mark.parametrize("text, intent, hub", [
    ("et le pôle d'Issy il a combien de bureaux ?", "find_hub", "pole-social-issy-les-moulineaux"),
    ("où est le pôle social départemental d'Asnières ?", "find_hub", "pole-social-asnieres-sur-seine"),
    ("celui d'Issy ouvre à quelle heure ?", "ask_hours", "pole-social-issy-les-moulineaux"),
])
def test_a_hub_named_as_a_place_never_becomes_the_residents_commune(text, intent, hub):
    _, events = run(ACTION, activation(text, intent, slots={"commune": "92036"}))
    assert_events(events, [SlotSet("commune", "92036"), SlotSet("asked_hub", hub), DONE])


@pytest.mark.parametrize("text, commune", [
    ("quel pôle pour Issy ?", "92040"),
    ("les horaires à Asnières ?", "92004"),
    ("le pôle de Clamart c'est où ?", CLAMART),  # no hub in Clamart: the resident's commune
])
def test_a_commune_next_to_the_word_pole_is_still_the_residents_commune(text, commune):
    _, events = run(ACTION, activation(text, "find_hub"))
    assert slot_values(events)["commune"] == commune



ASNIERES_HUB = "pole-social-asnieres-sur-seine"


@pytest.mark.parametrize("text, intent", [("on y va comment ?", "ask_transport"),
                                          ("et les horaires ?", "ask_hours")])
def test_a_follow_up_stays_on_the_hub_just_asked_about(text, intent):
    tracker = activation(text, intent, slots={"commune": "92025", "asked_hub": ASNIERES_HUB})
    _, events = run(ACTION, tracker)
    assert_events(events, [SlotSet("commune", "92025"), DONE])  # asked_hub kept


@pytest.mark.parametrize("text, intent", [
    ("et pour mon pôle à moi ?", "ask_hours"),
    ("et chez moi, c'est ouvert ?", "ask_open"),
    ("où dois-je aller ?", "find_hub"),
])
def test_the_resident_gets_back_to_their_own_hub(text, intent):
    tracker = activation(text, intent, slots={"commune": CLAMART, "asked_hub": ASNIERES_HUB})
    _, events = run(ACTION, tracker)
    assert_events(events, [SlotSet("commune", CLAMART), SlotSet("asked_hub", None), DONE])


def test_a_commune_given_ends_the_focus_on_a_hub():
    tracker = activation("et pour Meudon ?", "inform", slots={"asked_hub": ASNIERES_HUB})
    _, events = run(ACTION, tracker)
    assert SlotSet("asked_hub", None) in events and slot_values(events)["commune"] == "92048"
