"""Questions the data cannot answer yet get a plain "je n'ai pas ..." first, then
how to go there: never the tram line or the number of offices instead."""


def test_the_phone_number_of_a_named_hub(resident):
    reply = resident.say("Quel est le numéro de téléphone du pôle d'Issy ?")
    assert reply.startswith("Je n'ai pas le numéro de téléphone du pôle d’Issy.")
    assert "13-15 rue Jean-Pierre Timbaud" in reply


def test_appointments_after_giving_the_commune(resident):
    resident.say("j'habite à Gennevilliers")
    reply = resident.say("Faut-il prendre rendez-vous ?")
    assert "Je ne sais pas s'il faut prendre rendez-vous au pôle d’Asnières" in reply
    assert "T1" not in reply and "Courtilles" not in reply


def test_wheelchair_access(resident):
    resident.say("j'habite à Vanves")
    reply = resident.say("Le pôle est-il accessible en fauteuil roulant ?")
    assert "Je n'ai pas d'information sur l'accessibilité du pôle d’Issy" in reply
    assert "bureaux" not in reply
