"""The place a message talks about: a hub named by itself, a commune of the 92
(named, or by its postal code), a place outside the 92, a place spanning
several communes, or an unknown postal code; and whether the resident points
back at their own commune ("mon pôle", "chez moi").

This is the one reading of places in the project: the NLU pipeline runs it on
every message (bot/components/place_extractor.py) and the actions read its
canonical entities, never the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .base import KnowledgeBase
from .models import CommuneMatch, Hub
from .text import fold, token_spans

# A hub is "named" by a word for the place followed by its city: "le pôle
# d'Asnières", "celui d'Issy", "le pôle social départemental d'Issy". "Quel pôle
# pour Asnières ?" or "horaires à Issy" are about the resident's commune (so is
# "l'antenne de …": antennas are not hubs and their addresses are not known).
HUB_WORDS = {"pole", "poles", "celui", "celle", "centre", "site", "locaux",
             "batiment", "structure", "psd"}
FILLERS = {"social", "sociale", "sociaux", "departemental", "departementale"}
PREPOSITIONS = {"de", "d", "du"}

# "j'habite à Trifouilly": a place is given even when it is not one we know
# (the word after "à" is then no commune, outside place or common word).
_GIVEN_PLACE = re.compile(r"\b(?:habite|habitent|je vis|je reside|je demeure|nous habitons)"
                          r" a (?:[a-z] )*(?P<word>[a-z][a-z]+)\b")  # skips stray letters (markup)
_NOT_A_PLACE = frozenset("""
    la le les l un une cote proximite deux cent peine nouveau present plein temps moitie
    droite gauche mi mon ma mes notre nos son sa ses cette ce cet l hotel
    """.split())

# "mon pôle", "ma commune", "chez moi", "pour moi": back to the resident's own hub.
OWN = re.compile(r"\b(?:(?:mon|ma|mes|notre|nos) (?:pole|poles|commune|ville|secteur|quartier)"
                 r"|chez moi|pour moi|a moi|le mien|la mienne|j habite)\b")


@dataclass(frozen=True)
class Place:
    """kind: hub (a hub named by itself), served / uncovered (a commune of the
    92), outside (not in the 92), ambiguous, unknown (an unknown postal code of
    the 92 or elsewhere), none (no place at all). `span`: the characters naming it."""

    kind: str
    hub: Optional[Hub] = None
    match: Optional[CommuneMatch] = None
    span: Optional[tuple[int, int]] = None


def about_own_place(text: str) -> bool:
    return bool(OWN.search(fold(text)))


def named_hub(base: KnowledgeBase, text: str) -> Optional[tuple[Hub, tuple[int, int]]]:
    """The hub a message names as a place ("le pôle d'Asnières") and its span."""
    located = token_spans(text)
    words = [token for token, _, _ in located]
    for i, word in enumerate(words):
        if word not in HUB_WORDS:
            continue
        j = i + 1
        while j < len(words) and words[j] in FILLERS:
            j += 1
        if j < len(words) and words[j] in PREPOSITIONS and j + 1 < len(words):
            last = min(j + 4, len(words) - 1)  # the city: up to 4 words after "de"
            start = located[j + 1][1]
            window = text[start:located[last][2]]
            hub = base.find_hub_in_text(window)
            if hub is not None:
                city = base.resolve_commune(window).span
                end = start + city[1] if city else located[last][2]
                return hub, (located[i][1], end)
    return None


def locate(base: KnowledgeBase, text: str) -> Place:
    """The place a message is about. A hub named as a place wins over the
    commune it sits in."""
    found = named_hub(base, text)
    if found is not None:
        return Place("hub", hub=found[0], span=found[1])
    match = base.resolve_commune(text)
    if match.status == "unknown":
        given = _GIVEN_PLACE.search(fold(text))
        if match.postal_code:
            return Place("unknown", match=match, span=match.span)
        if given and given["word"] not in _NOT_A_PLACE:
            span = next(((start, end) for token, start, end in token_spans(text)
                         if token == given["word"]), None)
            return Place("unknown", match=match, span=span)
        return Place("none", match=match)
    return Place(match.status, hub=match.hub, match=match, span=match.span)


# ------------------------------------------------------------------ canonical entities
# A place as the NLU's entities carry it (bot/components/place_extractor.py), and back.

def to_entities(place: Place, text: str) -> list[tuple[str, object, tuple[int, int]]]:
    """(entity type, canonical value, span) for a located place (see the extractor)."""
    span = place.span or (0, 0)
    match = place.match
    if place.kind == "hub":
        return [("hub", place.hub.id, span)]
    if place.kind in ("served", "uncovered"):
        by_code = text[span[0]:span[1]].replace(" ", "").isdigit()
        return [("postal_code" if by_code else "commune", match.commune.insee, span)]
    if place.kind == "outside":
        return [("outside_place", match.place or "", span)]
    if place.kind == "ambiguous":
        return [("ambiguous_place", {"place": match.place,
                                     "candidates": [c.insee for c in match.candidates]}, span)]
    if place.kind == "unknown":
        # the digits of an unknown postal code, never the resident's own spelling
        return [("unknown_place", match.postal_code or "lieu", span)]
    return []


def from_entities(base: KnowledgeBase, entities: dict) -> Place:
    """The place given by a message's entities ({type: value}). A value that is
    not canonical (a button payload such as /inform{"commune": "Clamart"}) is
    read by the resolver, never trusted as it is."""
    hub = base.hub(str(entities.get("hub") or ""))
    if hub is not None:
        return Place("hub", hub=hub)
    for kind in ("commune", "postal_code"):
        value = entities.get(kind)
        if value:
            return commune_place(base, str(value))
    outside = entities.get("outside_place")
    if outside:
        return Place("outside", match=CommuneMatch("outside", "", place=str(outside)))
    ambiguous = entities.get("ambiguous_place")
    if isinstance(ambiguous, dict):
        candidates = tuple(c for c in (base.commune(str(i)) for i in ambiguous.get("candidates") or [])
                           if c is not None)
        return Place("ambiguous", match=CommuneMatch("ambiguous", "", candidates=candidates,
                                                     place=ambiguous.get("place")))
    unknown = entities.get("unknown_place")
    if unknown:
        return Place("unknown", match=CommuneMatch("unknown", "", postal_code=str(unknown)))
    return Place("none")


def commune_place(base: KnowledgeBase, value: str) -> Place:
    """A commune given by its INSEE code (or, from a button payload, its name),
    with the hub the data gives it now (edited data is served at once)."""
    commune = base.commune(value)
    if commune is None:
        place = locate(base, value)
        return place if place.kind in ("served", "uncovered", "outside", "ambiguous") else Place("none")
    hub = base.hub_for_insee(commune.insee)
    status = "served" if hub else "uncovered"
    return Place(status, hub=hub, match=CommuneMatch(status, "", commune=commune, hub=hub))
