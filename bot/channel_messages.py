"""What the channels say themselves, when no turn of the bot can answer: the
bot is unreachable, or the message is empty or too long to be read.

Rasa's domain cannot be reached there (the apology must work when the action
server, or the whole turn, failed), so these sentences live here, and only
here. Every other sentence a resident reads is a domain response (domain/*.yml).
"""

APOLOGY = (
    "Désolé, je rencontre un problème technique et ne peux pas vous répondre pour le "
    "moment. Merci de réessayer dans quelques instants. En cas de danger immédiat, "
    "appelez le 112."
)
TOO_LONG = (
    "Votre message est trop long pour que je puisse le traiter. Pouvez-vous poser "
    "votre question en quelques mots, par exemple : « Où est le pôle social "
    "d'Issy-les-Moulineaux ? »"
)
EMPTY = (
    "Je n'ai pas reçu de texte. Posez-moi votre question, par exemple : « Quel pôle "
    "social pour Meudon ? »"
)
