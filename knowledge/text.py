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


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """tokens(text), each with the (start, end) of the characters of `text` it
    comes from, so that a name found in folded tokens can be pointed at in the
    original message (an entity's span)."""
    folded: list[str] = []
    origin: list[int] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in "sS" and text[i + 1:i + 2] == "/":  # "Asnières s/ Seine"
            piece, width = " sur ", 2
        else:
            piece, width = _fold_char(char), 1
        folded.append(piece)
        origin.extend([i] * len(piece))
        i += width
    flat = "".join(folded)
    spans = []
    for match in re.finditer(r"[0-9a-z]+", flat):
        token = match.group()
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        spans.append((_TOKEN_EXPANSIONS.get(token, token), start, end))
    return spans


def _fold_char(char: str) -> str:
    char = char.lower().replace("œ", "oe").replace("æ", "ae")
    if char in _APOSTROPHES:
        return " "
    return _NON_WORD.sub(" ", strip_accents(char))


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
