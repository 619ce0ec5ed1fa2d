"""Messages as residents really write them, through the real servers: danger
inside long stories (also while a form waits), the helpline first and then the
hub, questions about a helpline, several needs at once, no dead ends."""
from __future__ import annotations

from bot import responses


def first_text(messages: list[dict]) -> str:
    return messages[0].get("text") or ""


def test_danger_inside_a_long_story_while_the_form_waits(resident):
    assert "commune" in resident.say("c'est ouvert samedi ?")
    messages = resident.messages(
        "Bonjour, en fait je voulais aussi vous dire que depuis qu'il a perdu son travail mon "
        "mari me frappe presque tous les soirs, je ne sais pas à qui en parler et j'ai honte")
    assert first_text(messages).startswith("Si vous subissez des violences, appelez le 3919")
    # the form stopped: the next message is not read as the commune
    assert "Jean-Pierre Timbaud" in resident.say("où est mon pôle ? j'habite à Vanves")


def test_the_helpline_first_then_the_hub_when_the_commune_is_known(resident):
    messages = resident.messages("on est à la rue ce soir avec mes deux enfants, on habite "
                                 "Gennevilliers, je ne sais pas où dormir")
    assert "115" in first_text(messages)
    assert "Teddy Riner" in "\n".join(m.get("text") or "" for m in messages[1:])


def test_a_teen_writing_about_herself_gets_the_119(resident):
    reply = resident.say("jai 15 ans mon pere me tape quand il a bu et ma mere dit rien, jsp "
                         "quoi faire")
    assert reply.startswith("Si un enfant est en danger ou risque de l'être, appelez le 119")


def test_a_question_about_a_helpline_gets_that_helpline_only(resident):
    reply = resident.say("le 3919 c'est anonyme ? ça apparaît sur la facture ?")
    assert reply.startswith("Le 3919 (Violences Femmes Info)")
    assert "anonyme" in reply and "119" not in reply and "114" not in reply


def test_a_need_and_a_commune_in_a_long_message_get_the_service_at_that_hub(resident):
    reply = resident.say("Bonjour, je suis enceinte de trois mois et je n'ai pas encore de "
                         "suivi, je n'ai pas de médecin, j'habite à Clamart, qui peut me suivre ?")
    assert "Protection maternelle et infantile" in reply
    assert "Jean-Pierre Timbaud" in reply


def test_a_question_next_to_the_remit_gets_an_honest_answer_and_the_service(resident):
    reply = resident.say("la CAF a suspendu mon RSA depuis deux mois sans explication et je "
                         "n'ai plus rien pour payer le loyer, je fais comment ?")
    assert "Je n'ai pas accès à votre dossier CAF" in reply or "dossier RSA" in reply
    assert "Action sociale et insertion" in reply
    assert responses.text("utter_clarify") not in reply


def test_feeling_lost_is_offered_social_help(resident):
    # No need named. The need learnt from real messages (someone to talk to) routes it
    # to action sociale only when the classifier is confident (NeedRouter, 0.5, chosen by
    # cross-validation); below that the services are offered as buttons. Either way
    # social help is on screen, and never "je n'ai pas compris" alone.
    messages = resident.messages("bonjour je vous écris parce que franchement je ne sais plus "
                                 "trop comment faire avec tout ça depuis quelque temps")
    said = "\n".join(m.get("text") or "" for m in messages)
    offered = [b["title"] for m in messages for b in m.get("buttons") or []]
    assert ("Action sociale et insertion" in said and "travailleur social" in said) \
        or "Action sociale et insertion" in offered
    assert responses.text("utter_clarify") not in said


def test_a_long_unclear_message_gets_the_services_to_choose_from(resident):
    messages = resident.messages("euh alors voilà je sais pas trop par où commencer pour vous "
                                 "expliquer tout ça")
    said = "\n".join(m.get("text") or "" for m in messages)
    assert responses.text("utter_clarify") not in said
    buttons = [b for m in messages for b in m.get("buttons") or []]
    assert "Santé sexuelle" in [b["title"] for b in buttons]
    # a button is understood without retyping
    chosen = next(b for b in buttons if b["title"] == "Santé sexuelle")
    assert resident.say(chosen["payload"]).startswith("C'est le service Santé sexuelle")
