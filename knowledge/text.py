"""Text folding shared by commune resolution, need matching and quote checks."""
from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = "'’‘`´ʼ"
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Tokens people write for "Saint"/"Sainte"/"sur" in place names.
_TOKEN_EXPANSIONS = {"st": "saint", "ste": "sainte"}


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower-case, no accents, only [a-z0-9] words separated by single spaces."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae").replace("s/", " sur ")
    text = strip_accents(text)
    for apostrophe in _APOSTROPHES:
        text = text.replace(apostrophe, " ")
    return _NON_WORD.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    return [_TOKEN_EXPANSIONS.get(t, t) for t in fold(text).split()]


def key(text: str) -> str:
    """Space-free folded form: 'Issy-les-Moulineaux', 'issy les moulineaux' and
    'issylesmoulineaux' all give the same key."""
    return "".join(tokens(text))


def normalise_quote(text: str) -> str:
    """Form used to check that a quote appears in a source text: Unicode NFC,
    whitespace runs collapsed, and a hyphen at a line break re-joined
    ('Issy-\\nles-Moulineaux' -> 'Issy-les-Moulineaux')."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"-\s+", "-", text)
    return text.strip()


def word_count(text: str) -> int:
    """Words as a reader counts them: "où dois-je aller ?" is 4 (punctuation is not
    a word, "dois-je" is two)."""
    return len(fold(text).split())
