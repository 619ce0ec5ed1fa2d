"""Hub facts and opening at a moment. Clock: Wednesday 18 November 2026, 10:15."""
ASK = "Dans quelle commune des Hauts-de-Seine habitez-vous ?"


def test_open_now(resident):
    resident.say("j'habite à Clamart")
    assert ("Pour Clamart, votre pôle est le pôle d’Issy.\n"
            "Oui, le pôle d’Issy est ouvert en ce moment : il ferme à 17 h 30") in resident.say(
        "c'est ouvert maintenant ?")


def test_saturday_asked_before_the_commune(resident):
    assert ASK in resident.say("est-ce que c'est ouvert samedi ?")
    reply = resident.say("Clamart")
    assert "fermé samedi 21 novembre" in reply and "week-end" in reply
    assert "Prochaine ouverture : lundi 23 novembre à 8 h 30" in reply


def test_tomorrow_at_6_pm_is_outside_hours(resident):
    resident.say("92130")
    reply = resident.say("c'est ouvert demain à 18h ?")
    assert "fermé demain (jeudi 19 novembre) à 18 h" in reply
    assert "en dehors des horaires" in reply
    assert "Prochaine ouverture : vendredi 20 novembre à 8 h 30" in reply


def test_next_monday_at_9(resident):
    resident.say("j'habite à Gennevilliers")
    assert "ouvert lundi 23 novembre à 9 h" in resident.say("ouvert lundi prochain à 9h ?")


def test_christmas_is_a_public_holiday(resident):
    resident.say("j'habite à Meudon")
    reply = resident.say("est-ce que le pôle est ouvert le 25 décembre ?")
    assert "fermé le 25 décembre" in reply and "jour férié (Noël)" in reply
    assert "Prochaine ouverture : lundi 28 décembre à 8 h 30" in reply


def test_11_november_next_year(resident):
    resident.say("j'habite à Asnières")
    reply = resident.say("c'est ouvert le 11 novembre ?")
    assert "jour férié (Armistice" in reply


def test_a_holiday_named_by_its_name_is_a_date(resident):
    resident.say("j'habite à Vanves")
    reply = resident.say("et le jour de la Victoire, c'est ouvert ?")
    assert "8 mai 2027" in reply and "férié" in reply
    assert "Prochaine ouverture : lundi 10 mai 2027 à 8 h 30" in reply


def test_closing_time(resident):
    resident.say("Clamart")
    assert "ferme à 17 h 30" in resident.say("il ferme à quelle heure ?")


def test_facts_of_the_residents_hub(resident):
    resident.say("j'habite à Gennevilliers")
    assert "16 mai 2023" in resident.say("il a ouvert quand le pôle ?")
    assert "Asnières-sur-Seine et Gennevilliers" in resident.say("quelles communes dépendent de ce pôle ?")
    assert "4 PC reliés à internet" in resident.say("il y a des ordinateurs en libre service ?")
    assert "psychologues" in resident.say("quels professionnels travaillent là-bas ?")


def test_communes_served_without_a_commune(resident):
    reply = resident.say("quelles sont les communes couvertes par les pôles sociaux ?")
    assert "Issy-les-Moulineaux, Clamart, Meudon et Vanves" in reply
    assert "Asnières-sur-Seine et Gennevilliers" in reply
