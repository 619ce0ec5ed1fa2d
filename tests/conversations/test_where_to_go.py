"""Where to go: commune or postal code -> the right hub, honest coverage,
context across turns, a hub named by the question."""
ISSY = "13-15 rue Jean-Pierre Timbaud, 92130 Issy-les-Moulineaux"
ASNIERES = "4 rue Teddy Riner, 92600 Asnières-sur-Seine"
HOURS = "du lundi au vendredi de 8 h 30 à 17 h 30, sauf les jours fériés"
ASK = "Dans quelle commune des Hauts-de-Seine habitez-vous ?"


def test_clamart_goes_to_issy_with_address_hours_and_map(resident):
    reply = resident.say("Bonjour, quel est le pôle social pour Clamart ?")
    assert "Pour Clamart, adressez-vous au pôle social départemental d’Issy-les-Moulineaux" in reply
    assert ISSY in reply and HOURS in reply
    assert "https://www.openstreetmap.org/search?query=13-15+rue+Jean-Pierre+Timbaud" in reply


def test_a_postal_code_alone(resident):
    reply = resident.say("92230")
    assert "Pour Gennevilliers" in reply and ASNIERES in reply


def test_sms_style_without_accents(resident):
    reply = resident.say("jhabite a asnieres je doi aller ou")
    assert ASNIERES in reply


def test_an_uncovered_commune_gets_no_other_hub(resident):
    reply = resident.say("j'habite à Nanterre, je dois aller où ?")
    assert "je n'ai pas encore l'information pour votre commune" in reply
    assert "rue" not in reply and "openstreetmap" not in reply


def test_a_place_outside_the_92(resident):
    reply = resident.say("j'habite à Paris, quel pôle social ?")
    assert "Le service concerne les habitants des Hauts-de-Seine" in reply
    assert "rue" not in reply


def test_the_form_asks_for_the_commune_then_answers(resident):
    assert ASK in resident.say("Où dois-je aller pour voir une assistante sociale ?")
    reply = resident.say("Meudon")
    assert "Pour Meudon" in reply and ISSY in reply


def test_the_form_accepts_a_postal_code(resident):
    assert ASK in resident.say("je cherche mon pôle social")
    assert ASNIERES in resident.say("92600")


def test_the_form_understands_a_misspelt_commune(resident):
    assert ASK in resident.say("quel est mon pôle social ?")
    assert ISSY in resident.say("clammart")


def test_stop_leaves_the_form_politely(resident):
    assert ASK in resident.say("je cherche mon pôle social")
    reply = resident.say("stop")
    assert "je n'insiste pas" in reply
    assert ASK not in reply


def test_the_commune_is_remembered_for_follow_up_questions(resident):
    assert ISSY in resident.say("j'habite à Vanves")
    hours = resident.say("et les horaires ?")
    assert HOURS in hours and ASK not in hours
    address = resident.say("et l'adresse ?")
    assert ISSY in address and ASK not in address


def test_a_new_commune_replaces_the_old_one(resident):
    assert ISSY in resident.say("j'habite à Clamart")
    assert ASNIERES in resident.say("en fait j'habite à Gennevilliers")
    transport = resident.say("comment on y va en transport ?")
    assert "T1" in transport and "Les Courtilles" in transport


def test_transport_not_in_the_sources_is_said_and_the_address_given(resident):
    resident.say("j'habite à Meudon")
    reply = resident.say("comment y aller en transport en commun ?")
    assert "n'indiquent pas" in reply and ISSY in reply
    assert "T1" not in reply


def test_a_question_naming_a_hub_answers_for_that_hub_and_keeps_the_commune(resident):
    assert ISSY in resident.say("j'habite à Vanves")
    reply = resident.say("quelle est l'adresse du pôle social d'Asnières ?")
    assert ASNIERES in reply and ISSY not in reply
    assert "T1" in resident.say("comment y aller en transport en commun ?")  # a follow-up stays on that hub
    assert ISSY in resident.say("et l'adresse de mon pôle ?")


def test_a_resident_of_an_uncovered_commune_can_ask_about_a_known_hub(resident):
    assert "je n'ai pas encore l'information" in resident.say("je vis à Colombes")
    assert ASNIERES in resident.say("et le pôle d'Asnières c'est où ?")
    reply = resident.say("et pour y aller en tram ou en bus ?")
    assert "Les Courtilles" in reply and "je n'ai pas encore l'information" not in reply


def test_user_html_is_never_echoed(resident):
    replies = resident.say("j'habite à <script>alert(1)</script> <b>Trifouilly</b>")
    assert "<script>" not in replies and "<b>" not in replies and "Trifouilly" not in replies
