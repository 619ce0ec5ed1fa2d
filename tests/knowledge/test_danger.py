"""Danger cues (knowledge/danger.py, knowledge/lexicons/danger.fr.yml): what a
resident writes -> which helpline first. Cases from the issue and from the
learning part of the real-message corpus, reworded; the held-out part is never
used here."""
from __future__ import annotations

import pytest

from knowledge import danger

HELPLINE = {"child": "119", "suicide": "3114", "violence": "3919", "no_shelter": "115",
            "medical": "15", "cannot_speak": "114"}


def first_helpline(text: str) -> str | None:
    found = danger.detect(text)
    return HELPLINE[found.primary] if found else None


@pytest.mark.parametrize("text,helpline", [
    # a minor at risk, also when she writes about herself
    ("j'ai 16 ans, mon père me frappe", "119"),
    ("jai 13ans ma mere me tape avec la ceinture quand jai des mauvaises notes", "119"),
    ("le voisin frappe son fils tous les soirs, je l'entends crier", "119"),
    ("Je suis enseignante, un élève a des bleus sur les bras qu'il cache avec ses manches. "
     "Je dois faire un signalement ?", "119"),
    ("j'ai 17 ans et mes parents veulent me marier de force cet été au pays", "119"),
    ("j'ai peur de secouer mon bébé quand il pleure la nuit", "119"),
    # suicidal thoughts, direct or indirect
    ("j'ai des idées noires depuis des semaines", "3114"),
    ("je veux en finir", "3114"),
    ("la mort me passe par la tête tous les soirs", "3114"),
    ("tout le monde serait plus tranquille si je disparaissais", "3114"),
    ("Je suis au chômage depuis deux ans, les dettes s'accumulent. Franchement je ne vois plus "
     "d'issue, je pense à en finir.", "3114"),
    ("jme scarifie apres chaque crise, 15 ans, j'arrive plus a arreter", "3114"),
    # violence by a partner or ex-partner
    ("mon mari me frappe quand il a bu", "3919"),
    ("Mon conjoint contrôle tout mon argent, il garde ma carte bancaire et m'interdit de "
     "travailler.", "3919"),
    ("mon ex me suit partout et m'attend devant le travail, il me menace de mort", "3919"),
    # nowhere to sleep tonight
    ("je dors dehors ce soir avec mes deux enfants", "115"),
    ("On a été expulsés cet après-midi, on est dehors avec les enfants et on n'a rien pour "
     "cette nuit.", "115"),
    # a medical emergency now
    ("mon bébé a les lèvres bleues et il ne respire plus", "15"),
    ("mon copain a pris toute la boîte de cachets, il ne répond plus", "15"),
    # cannot talk safely
    ("je peux pas parler il est dans la pièce à côté", "114"),
])
def test_danger_gets_its_helpline_first(text, helpline):
    assert first_helpline(text) == helpline, danger.explain(text)


def test_danger_is_found_inside_a_long_story():
    story = ("Bonjour, je voudrais savoir si la CAF peut m'aider pour la cantine de ma fille, "
             "le dossier est bloqué depuis deux mois. Je travaille à mi-temps et je n'y arrive "
             "plus. Et il y a autre chose : depuis qu'il a perdu son travail mon mari me frappe "
             "presque tous les soirs devant la petite. Je ne sais pas à qui en parler.")
    assert first_helpline(story) == "3919"


def test_violence_now_is_urgent_so_17_and_112_count():
    found = danger.detect("il est devant ma porte en ce moment, mon ex, il tape et il crie qu'il "
                          "va me tuer")
    assert found.primary == "violence" and found.urgent


def test_114_comes_first_when_the_person_cannot_speak_and_is_in_danger():
    found = danger.detect("je suis sourde, mon mari me frappe, je ne peux pas appeler")
    assert found.situations[:2] == ("cannot_speak", "violence")


@pytest.mark.parametrize("text", [
    # the wrong helplines
    "J'ai perdu mon logement le mois dernier, je suis hébergée chez ma soeur pour l'instant. "
    "Comment faire une demande de logement social ?",
    "Je ne peux pas m'en sortir sans l'aide de mes enfants depuis que je suis veuve, "
    "est-ce qu'il existe une aide à domicile ?",
    "Maman de jumeaux de 3 mois, je suis épuisée par les nuits sans sommeil, "
    "je voudrais voir une puéricultrice.",
    # everyday words that sound like danger
    "je suis morte de fatigue avec ce dossier RSA, ça me tue",
    "mon fils de 3 ans fait des colères, il tape par terre et se roule au supermarché",
    "je suis sourde, comment prendre rendez-vous avec l'assistante sociale ?",
    "Mon fils s'est suicidé il y a quatre ans. Je cherche un groupe de parole pour les parents.",
    "j'ai quitté mon mari violent il y a deux ans, je cherche maintenant un logement social",
    "les enfants des voisins courent et font du bruit tous les soirs",
    "ma fille de 22 mois me tape quand je dis non, je suis épuisée, j'aimerais voir une "
    "puéricultrice",
])
def test_ordinary_messages_get_no_helpline(text):
    assert not danger.detect(text), danger.explain(text)


@pytest.mark.parametrize("text,number", [
    ("qui peut appeler le 119 ?", "119"),
    ("le 3919 c'est anonyme ? ça apparaît sur la facture ?", "3919"),
    ("le 115 ne répond jamais, c'est normal ?", "115"),
    ("un enfant de 11 ans peut appeler le 3114 tout seul ?", "3114"),
])
def test_a_question_about_a_helpline_is_about_that_helpline_not_a_danger(text, number):
    assert danger.helpline_asked_about(text) == number
    assert first_helpline(text) is None


def test_being_told_to_call_a_number_is_not_a_question_about_it():
    assert danger.helpline_asked_about(
        "On va être expulsés en octobre. La seule chose qu'on m'a dit c'est d'appeler le "
        "115 le jour même.") is None


def test_words_of_distress_are_noticed_without_a_helpline():
    text = "je craque, je suis à bout avec les papiers de la CAF"
    assert danger.distressed(text) and not danger.detect(text)


def test_a_bad_lexicon_is_refused_with_the_file_and_field(tmp_path):
    with pytest.raises(ValueError, match=r"test\.yml: situations\.suicide\.cues\[0\]: bad pattern"):
        danger._Rules({"situations": {"suicide": {"cues": ["(unclosed"]}}}, "test.yml")
    with pytest.raises(ValueError, match=r"unknown list \{nope\}"):
        danger._Rules({"situations": {"child": {"cues": ["{nope}"]}}}, "test.yml")
    with pytest.raises(ValueError, match=r"situations\.flood: unknown situation"):
        danger._Rules({"situations": {"flood": {"cues": ["x"]}}}, "test.yml")
