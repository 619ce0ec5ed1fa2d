"""The danger layer and the need router (custom NLU components), on messages as
the intent classifier leaves them: whatever it predicted, danger wins, a
question about a helpline is about that helpline, a long message naming a need
reaches the service."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.components.danger_layer import DangerLayer
from bot.components.need_router import NeedRouter


def parsed(text: str, intent: str, confidence: float = 0.9, ranking=(), guess=None) -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", [{"name": intent, "confidence": confidence},
                                   *[{"name": n, "confidence": c} for n, c in ranking]])
    message.set("entities", [])
    if guess:
        message.set("danger_guess", guess)
    return message


def understand(message: Message) -> Message:
    DangerLayer(DangerLayer.get_default_config()).process([message])
    NeedRouter(NeedRouter.get_default_config()).process([message])
    return message


def intent(message: Message) -> str:
    return message.get("intent")["name"]


def entities(message: Message, kind: str) -> list:
    return [e["value"] for e in message.get("entities") if e["entity"] == kind]


@pytest.mark.parametrize("predicted", ["out_of_scope", "ask_hours", "inform", "nlu_fallback"])
def test_danger_in_a_long_story_wins_whatever_the_classifier_said(predicted):
    message = understand(parsed(
        "Bonjour je voulais savoir les horaires pour mon dossier CAF. Et aussi j'ai 15 ans et "
        "mon beau-père me frappe quand ma mère n'est pas là.", predicted))
    assert intent(message) == "danger_child"
    assert message.get("intent")["confidence"] == 1.0
    assert entities(message, "danger") == ["child"]


def test_every_danger_found_is_given_most_important_first():
    message = understand(parsed("je suis sourde et mon mari me frappe, je ne peux pas appeler",
                                "danger_violence"))
    assert intent(message) == "danger_cannot_speak"
    assert entities(message, "danger") == ["cannot_speak", "violence"]


def test_happening_now_is_marked():
    message = understand(parsed("au secours mon ex est devant ma porte il dit qu'il va me tuer",
                                "nlu_fallback"))
    assert intent(message) == "danger_violence" and entities(message, "danger_urgent") == ["true"]


def test_a_question_about_a_helpline_gets_that_helpline():
    message = understand(parsed("qui peut appeler le 119 ?", "danger_cannot_speak"))
    assert intent(message) == "ask_helpline" and entities(message, "helpline") == ["119"]


def test_the_classifier_guess_counts_above_its_threshold_only():
    text = "je sais plus trop quoi faire de ma vie ces temps ci, tout est gris"
    low = understand(parsed(text, "out_of_scope",
                            guess={"situation": "suicide", "probability": 0.3, "none": 0.7}))
    assert not intent(low).startswith("danger_")
    high = understand(parsed(text, "out_of_scope",
                             guess={"situation": "suicide", "probability": 0.8, "none": 0.2}))
    assert intent(high) == "danger_suicide"


def test_a_danger_guess_of_the_intent_classifier_is_kept_for_a_short_message_only():
    short = understand(parsed("je suis à bout", "danger_suicide", 0.7))
    assert intent(short) == "danger_suicide"
    long = understand(parsed(
        "je suis maman solo de deux enfants, je suis à bout avec les papiers de la CAF et les "
        "factures", "danger_suicide", 0.7, ranking=[("ask_service", 0.2)]))
    assert intent(long) == "ask_service", "the need, not a helpline nobody asked for"


def test_a_long_message_with_a_need_reaches_the_service():
    message = understand(parsed(
        "Bonjour, j'ai trois mois de loyer de retard depuis que j'ai perdu mon emploi et le "
        "bailleur parle d'expulsion, je ne sais plus quoi faire", "out_of_scope"))
    assert intent(message) == "ask_service"


def test_hub_questions_and_short_messages_are_left_alone():
    assert intent(understand(parsed("c'est ouvert samedi ?", "ask_open"))) == "ask_open"
    assert intent(understand(parsed("j'ai des dettes", "out_of_scope"))) == "out_of_scope"
    long_hours = ("bonjour je voudrais savoir à quelle heure ouvre le pôle social pour mon "
                  "dossier RSA svp")
    assert intent(understand(parsed(long_hours, "ask_hours"))) == "ask_hours"


def test_a_profession_named_in_passing_is_not_a_need():
    message = understand(parsed(
        "le médecin de mon père dit qu'il faut attendre, je voulais juste savoir comment "
        "se passent les vacances scolaires cette année", "out_of_scope"))
    assert intent(message) == "out_of_scope"


def test_button_payloads_are_not_read_as_text():
    message = understand(parsed('/ask_service{"service": "pmi"}', "ask_service"))
    assert intent(message) == "ask_service" and not entities(message, "danger")
