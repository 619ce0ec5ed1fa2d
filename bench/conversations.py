"""Realistic multi-turn French conversations for the load test (deterministic)."""
from __future__ import annotations

import random
import unicodedata

# {c} is a place as a resident would type it.
TEMPLATES = [
    ["Bonjour", "Quel pôle pour {c} ?", "et les horaires ?", "c'est ouvert samedi ?",
     "comment y aller en transports en commun ?", "merci", "au revoir"],
    ["salut", "où dois-je aller pour voir une assistante sociale ?", "{c}",
     "quelle est l'adresse exacte ?", "vous êtes ouverts demain à 18h ?", "merci beaucoup"],
    ["bonjour", "j'habite à {c}", "c'est où mon pôle social ?", "horaires d'ouverture ?",
     "et le samedi ?", "ok merci"],
    ["Bonjour", "je suis de {c}, je vais où ?", "c ouvert maintenant ?", "merci", "au revoir"],
    ["bonjour", "j'ai besoin d'aide pour payer mon loyer", "j'habite {c}",
     "c'est ouvert le samedi ?", "merci, bonne journée"],
]

FALLBACK_PLACES = {
    "served": ["Clamart", "Issy-les-Moulineaux", "Meudon", "Vanves", "Asnières-sur-Seine",
               "Gennevilliers"],
    "uncovered": ["Antony", "Nanterre", "Colombes", "Rueil-Malmaison"],
    "outside": ["Paris", "Versailles", "Lyon"],
}


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def typo(name: str, rng: random.Random) -> str:
    """A resident's spelling: lower case, no accents or hyphens, one letter dropped."""
    word = strip_accents(name).lower().replace("-", " ")
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    if len(letters) > 5:
        i = rng.choice(letters[2:-1])
        word = word[:i] + word[i + 1:]
    return word


def places_from_knowledge() -> dict[str, list[str]]:
    """Served / uncovered communes from the knowledge base; fixed lists if unavailable."""
    try:
        from knowledge import get_knowledge
        kb = get_knowledge()
        served, uncovered = [], []
        communes = kb.communes() if callable(kb.communes) else kb.communes
        for commune in communes:
            (served if kb.hub_for_insee(commune.insee) else uncovered).append(commune.name)
        if served:
            return {"served": served, "uncovered": uncovered[::3] or FALLBACK_PLACES["uncovered"],
                    "outside": FALLBACK_PLACES["outside"]}
    except Exception:  # noqa: BLE001 - the bench must still run
        pass
    return dict(FALLBACK_PLACES)


def build(n: int = 200, seed: int = 92, places: dict[str, list[str]] | None = None
          ) -> list[list[str]]:
    """n conversations: 60 % served communes (half with typos), 25 % uncovered, 15 % outside."""
    rng = random.Random(seed)
    places = places or places_from_knowledge()
    conversations = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.6:
            place = rng.choice(places["served"])
            if rng.random() < 0.5:
                place = typo(place, rng)
        elif roll < 0.85:
            place = rng.choice(places["uncovered"])
        else:
            place = rng.choice(places["outside"])
        template = rng.choice(TEMPLATES)
        conversations.append([turn.replace("{c}", place) for turn in template])
    return conversations
