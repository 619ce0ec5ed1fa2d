"""Safety first (also during the form), needs -> services, conversation basics."""
from bot import responses

GREETING = responses.text("utter_greet")

ASK = "Dans quelle commune des Hauts-de-Seine habitez-vous ?"


def test_violence_gives_3919_then_17_and_112(resident):
    messages = resident.messages("mon mari me frappe, j'ai peur")
    first = messages[0]["text"]
    assert "3919" in first and "17" in first and "112" in first
    assert first.index("3919") < first.index("112")


def test_a_child_in_danger_during_the_form_gets_119_first(resident):
    assert ASK in resident.say("où se trouve mon pôle social ?")
    messages = resident.messages("mon voisin frappe son enfant tous les soirs")
    assert "119" in messages[0]["text"]
    assert ASK not in "\n".join(m.get("text", "") for m in messages)
    # the form is over: a commune now is a plain "where to go"
    assert "Issy-les-Moulineaux" in resident.say("Clamart")


def test_suicidal_thoughts_get_3114(resident):
    assert "3114" in resident.messages("j'ai envie de me suicider")[0]["text"]


def test_nowhere_to_sleep_gets_115_and_the_hub_offer(resident):
    reply = resident.say("je suis à la rue, je n'ai nulle part où dormir ce soir")
    assert "115" in reply and "Voulez-vous que je vous indique où vous adresser" in reply
    assert ASK in resident.say("oui")
    assert "4 rue Teddy Riner" in resident.say("Asnières")


def test_medical_emergency_gets_15_and_112(resident):
    first = resident.messages("ma mère a fait un malaise, elle ne respire plus")[0]["text"]
    assert "15" in first and "112" in first


def test_cannot_speak_gets_114(resident):
    assert "114" in resident.messages("je ne peux pas parler, il est à côté de moi")[0]["text"]


def test_a_need_maps_to_its_service_and_the_residents_hub(resident):
    reply = resident.say("je suis enceinte, où aller pour le suivi ?")
    assert "Protection maternelle et infantile (PMI)" in reply and "sages-femmes" in reply
    resident.say("j'habite à Clamart")
    reply = resident.say("et pour la contraception ?")
    assert "Santé sexuelle" in reply and "13-15 rue Jean-Pierre Timbaud" in reply


def test_list_of_services(resident):
    reply = resident.say("quels sont les services proposés ?")
    for name in ("Protection maternelle et infantile", "Santé sexuelle", "Action sociale et insertion",
                 "Aide sociale à l’enfance"):
        assert name in reply


def test_greeting(resident):
    assert GREETING in resident.say("bonjour")


def test_bot_challenge(resident):
    assert "assistant automatique" in resident.say("vous êtes un robot ?")


def test_help_offers_the_main_topics_as_buttons(resident):
    messages = resident.messages("qu'est-ce que vous pouvez faire ?")
    payloads = [b["payload"] for m in messages for b in m.get("buttons") or []]
    assert payloads == ["/find_hub", "/ask_hours", "/list_services"]


def test_a_help_button_works(resident):
    assert ASK in resident.say("/find_hub")


def test_out_of_scope_says_what_the_assistant_can_do(resident):
    reply = resident.say("tu peux me donner la météo de demain ?")
    assert "Je ne peux pas vous aider sur ce sujet" in reply and "pôles sociaux" in reply


def test_another_language(resident):
    assert "uniquement en français" in resident.say("Hello, where can I find social services?")


def test_thanks_and_goodbye(resident):
    assert "Je vous en prie" in resident.say("merci beaucoup")
    assert "Au revoir" in resident.say("au revoir")
