"""Whitespace-style tokenizer that knows French elisions.

Rasa's WhitespaceTokenizer drops apostrophes, so "l'adresse" gives "l" + "adresse"
and "Ville-d'Avray" gives "Ville-d" + "Avray" (a commune cut in two), and
"aujourd'hui" gives "aujourd" + "hui". Here:
- an elided article/pronoun becomes its own token, apostrophe included:
  "l'adresse" -> "l'" "adresse", "jusqu'à" -> "jusqu'" "à";
- hyphenated words and inner apostrophes stay whole: "Issy-les-Moulineaux",
  "Ville-d'Avray", "aujourd'hui";
- numbers such as "9h30", "25/12", "14:30" stay whole.
Token lemmas are lower-cased, accent-free and use a straight apostrophe, so the
count-vector featurizers see "où"/"ou" and "l’"/"l'" alike (residents often
type without accents).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

import regex
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from knowledge.text import strip_accents

APOSTROPHES = "'’ʼ`´"

# A word: letters/digits, optionally joined by hyphens or apostrophes, plus a
# trailing apostrophe when one is glued to it ("l' adresse"); or a number with
# separators ("25/12", "14:30", "3.5").
_WORD = regex.compile(
    r"\d+(?:[/:.,]\d+)+"
    rf"|\w+(?:[-{APOSTROPHES}]\w+)*[{APOSTROPHES}]?"
)

# Elided forms that start a word. Longest first so "jusqu'" wins over "qu'".
ELISIONS = ("jusqu", "lorsqu", "puisqu", "quoiqu", "qu", "l", "d", "j", "n", "s", "c", "m", "t")
_ELISION = regex.compile(
    rf"^(?:{'|'.join(ELISIONS)})[{APOSTROPHES}](?=\w)", regex.IGNORECASE
)
_BARE_ELISION = regex.compile(
    rf"^(?:{'|'.join(ELISIONS)})[{APOSTROPHES}]$", regex.IGNORECASE
)


def fold(text: Text) -> Text:
    """Lower case, no accents, straight apostrophes: the form featurizers count."""
    text = text.lower()
    for char in APOSTROPHES[1:]:
        text = text.replace(char, "'")
    return strip_accents(text)


def split_words(text: Text) -> List[tuple]:
    """(word, start, end) triples, elisions split off. Pure function, easy to test."""
    words: List[tuple] = []
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        # a trailing apostrophe is kept only on a bare elision ("l' adresse")
        if word[-1] in APOSTROPHES and not _BARE_ELISION.match(word):
            word = word[:-1]
        # peel elisions off the front: "qu'l'..." never happens, but "jusqu'" + "à" does
        while True:
            elision = _ELISION.match(word)
            if not elision:
                break
            cut = elision.end()
            words.append((word[:cut], start, start + cut))
            word, start = word[cut:], start + cut
        if word:
            words.append((word, start, start + len(word)))
    return words


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class FrenchTokenizer(WhitespaceTokenizer):
    """WhitespaceTokenizer that splits French elisions and keeps hyphenated names."""

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        return ["fr"]

    @staticmethod
    def not_supported_languages() -> Optional[List[Text]]:
        return None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "FrenchTokenizer":
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute)
        tokens = [
            Token(word, start, end, lemma=fold(word))
            for word, start, end in split_words(text)
        ]
        # only emoji or punctuation: one token for the whole text, as Rasa does
        if not tokens:
            tokens = [Token(text, 0, len(text), lemma=fold(text))]
        return self._apply_token_pattern(tokens)
