"""FrenchTokenizer: token texts, offsets and lemmas."""
from __future__ import annotations

import pytest

from bot.components.french_tokenizer import FrenchTokenizer, fold
from rasa.shared.nlu.training_data.message import Message


@pytest.fixture(scope="module")
def tokenizer():
    return FrenchTokenizer(FrenchTokenizer.get_default_config())


def tokens(tokenizer, text):
    return [(t.text, t.start, t.end) for t in tokenizer.tokenize(Message(data={"text": text}), "text")]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("l'adresse", [("l'", 0, 2), ("adresse", 2, 9)]),
        ("l’adresse", [("l’", 0, 2), ("adresse", 2, 9)]),
        ("pôle d'Issy", [("pôle", 0, 4), ("d'", 5, 7), ("Issy", 7, 11)]),
        ("j'habite", [("j'", 0, 2), ("habite", 2, 8)]),
        ("qu'est-ce", [("qu'", 0, 3), ("est-ce", 3, 9)]),
        ("jusqu'à 17h", [("jusqu'", 0, 6), ("à", 6, 7), ("17h", 8, 11)]),
        ("lorsqu'il", [("lorsqu'", 0, 7), ("il", 7, 9)]),
        ("puisqu’on", [("puisqu’", 0, 7), ("on", 7, 9)]),
        ("n'est s'il c'est m'aider t'es", [
            ("n'", 0, 2), ("est", 2, 5), ("s'", 6, 8), ("il", 8, 10), ("c'", 11, 13),
            ("est", 13, 16), ("m'", 17, 19), ("aider", 19, 24), ("t'", 25, 27), ("es", 27, 29),
        ]),
        ("L'adresse", [("L'", 0, 2), ("adresse", 2, 9)]),
    ],
)
def test_elisions_are_split(tokenizer, text, expected):
    assert tokens(tokenizer, text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Issy-les-Moulineaux", [("Issy-les-Moulineaux", 0, 19)]),
        ("d'Issy-les-Moulineaux", [("d'", 0, 2), ("Issy-les-Moulineaux", 2, 21)]),
        ("à Ville-d'Avray", [("à", 0, 1), ("Ville-d'Avray", 2, 15)]),
        ("de Ville-d’Avray ?", [("de", 0, 2), ("Ville-d’Avray", 3, 16)]),
        ("La Garenne-Colombes", [("La", 0, 2), ("Garenne-Colombes", 3, 19)]),
        ("l'Haÿ-les-Roses", [("l'", 0, 2), ("Haÿ-les-Roses", 2, 15)]),
        ("aujourd'hui", [("aujourd'hui", 0, 11)]),
    ],
)
def test_hyphenated_names_and_inner_apostrophes_stay_whole(tokenizer, text, expected):
    assert tokens(tokenizer, text) == expected


def test_punctuation_numbers_and_spaces(tokenizer):
    text = "ouvert le 25/12 à 9h30 ?? (92130)  merci!"
    assert tokens(tokenizer, text) == [
        ("ouvert", 0, 6), ("le", 7, 9), ("25/12", 10, 15), ("à", 16, 17),
        ("9h30", 18, 22), ("92130", 27, 32), ("merci", 35, 40),
    ]


def test_detached_elision_keeps_its_apostrophe(tokenizer):
    assert tokens(tokenizer, "l' adresse") == [("l'", 0, 2), ("adresse", 3, 10)]
    # a stray quote after an ordinary word is dropped
    assert tokens(tokenizer, "Clamart' svp") == [("Clamart", 0, 7), ("svp", 9, 12)]


def test_offsets_always_match_the_text(tokenizer):
    text = "Bonjour, j’habite à Châtenay-Malabry et je voudrais l'adresse d'un pôle jusqu'à demain"
    for word, start, end in tokens(tokenizer, text):
        assert text[start:end] == word


def test_emoji_only_message_gives_one_token(tokenizer):
    assert tokens(tokenizer, "🙂") == [("🙂", 0, 1)]


def test_lemmas_are_folded(tokenizer):
    lemmas = [t.lemma for t in tokenizer.tokenize(Message(data={"text": "Où l’ÉTÉ Sèvres"}), "text")]
    assert lemmas == ["ou", "l'", "ete", "sevres"]
    assert fold("Châtillon") == "chatillon"


def test_process_sets_tokens_on_message(tokenizer):
    message = Message(data={"text": "l'adresse de Clamart"})
    tokenizer.process([message])
    assert [t.text for t in message.get("text_tokens")] == ["l'", "adresse", "de", "Clamart"]
