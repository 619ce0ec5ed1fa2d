"""What the channels say themselves, when no turn of the bot can answer: the
bot is unreachable, the message is empty, too long or not text, and the options
of a channel without buttons.

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


def options_prompt(count: int) -> str:
    """Before numbered options, on a channel without buttons (SMS): "Répondez 1, 2 ou 3 :"."""
    numbers = [str(n) for n in range(1, count + 1)]
    choices = numbers[0] if count == 1 else ", ".join(numbers[:-1]) + " ou " + numbers[-1]
    return f"Répondez {choices} :"


# A photo, a sticker, a voice message: only text is read.
TEXT_ONLY = (
    "Je ne peux lire que les messages écrits. Écrivez-moi votre question, par exemple : "
    "« Quel pôle social pour Clamart ? » En cas de danger immédiat, appelez le 112."
)
