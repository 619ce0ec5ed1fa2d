"""Danger in a resident's message: which situations, so which helplines first.

Plain Python, no Rasa. The cues are in `knowledge/lexicons/danger.<lang>.yml`,
written to be read and amended by a reviewer; this module only applies them:

- the message is cut into sentences and each is folded (knowledge.text.fold);
- a situation is found when one of its cues matches a sentence that none of its
  `unless` patterns matches; some need a context found anywhere in the message
  (the writer is a minor; tonight);
- a question *about* a helpline ("le 119 c'est anonyme ?") is not a danger by
  itself: `helpline_asked_about()` finds the number asked about.

`detect()` is used by the NLU component bot.components.danger_layer on every
message, whatever the model predicted and whether a form is active.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .text import fold

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
# The order in which the helpline answers are given when several situations are
# found. 114 comes first because without it the person cannot use the others.
PRIORITY = ("cannot_speak", "medical", "suicide", "child", "violence", "no_shelter")
SITUATIONS = frozenset(PRIORITY)
_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+|\n+|(?<=[.!?])(?=[A-ZÀ-Ý])")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::(\d+))?\}")


@dataclass(frozen=True)
class Finding:
    situations: tuple[str, ...] = ()     # in PRIORITY order
    urgent: bool = False                 # happening now: 17 / 112 / 15 matter
    evidence: dict[str, int] = field(default_factory=dict)  # situation -> sentence index

    def __bool__(self) -> bool:
        return bool(self.situations)

    @property
    def primary(self) -> str | None:
        return self.situations[0] if self.situations else None


class _Rules:
    def __init__(self, data: dict, source: str):
        lists = {name: _alternation(raw, source, name) for name, raw in
                 (data.get("lists") or {}).items()}
        self.source = source
        self.lists = lists
        self.situations: dict[str, dict[str, list[re.Pattern]]] = {}
        for name, spec in (data.get("situations") or {}).items():
            if name not in SITUATIONS:
                raise ValueError(f"{source}: situations.{name}: unknown situation "
                                 f"(known: {', '.join(PRIORITY)})")
            compiled = {}
            for key in ("cues", "unless", "minor_cues", "weak_cues", "needs_other_danger_cues"):
                compiled[key] = [self._compile(p, f"situations.{name}.{key}[{i}]")
                                 for i, p in enumerate(spec.get(key) or [])]
            compiled["frames"] = []
            for i, frame in enumerate(spec.get("frames") or []):
                where = f"situations.{name}.frames[{i}]"
                scope = frame.get("scope", "sentence")
                if scope not in ("sentence", "message"):
                    raise ValueError(f"{self.source}: {where}.scope: sentence or message")
                compiled["frames"].append((
                    scope,
                    [self._compile(p, f"{where}.all[{j}]") for j, p in enumerate(frame.get("all") or [])],
                    [self._compile(p, f"{where}.none[{j}]") for j, p in enumerate(frame.get("none") or [])],
                ))
            for ctx, patterns in (spec.get("context") or {}).items():
                compiled[f"context:{ctx}"] = [
                    self._compile(p, f"situations.{name}.context.{ctx}[{i}]")
                    for i, p in enumerate(patterns or [])]
            self.situations[name] = compiled
        self.now = self._compile("{now}", "lists.now") if "now" in lists else None
        self.emergency = (self._compile("{emergency}", "lists.emergency")
                          if "emergency" in lists else None)
        self.distress = (self._compile("{distress}", "lists.distress")
                         if "distress" in lists else None)

    def _compile(self, pattern: str, where: str) -> re.Pattern:
        def expand(match: re.Match) -> str:
            name, size = match.group(1), match.group(2)
            if name == "gap" and size:  # whole words in between (the pattern has the space before)
                return rf"(?:[a-z0-9 ]{{0,{size}}}? )?"
            if name not in self.lists:
                raise ValueError(f"{self.source}: {where}: unknown list {{{name}}}")
            return self.lists[name]
        body = _PLACEHOLDER.sub(expand, str(pattern))
        try:
            return re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")
        except re.error as error:
            raise ValueError(f"{self.source}: {where}: bad pattern ({error})") from None


def _alternation(raw: str, source: str, name: str) -> str:
    """A word list as one regex alternation. Entries are split on top-level `|`;
    a plain entry is folded like the text, an entry with regex syntax
    ("il est \\d+ ?h", "(de|a) [1-9] ans") is kept as written."""
    entries, depth, current = [], 0, ""
    for char in str(raw):
        if char == "|" and depth == 0:
            entries.append(current)
            current = ""
            continue
        depth += char in "([{"
        depth -= char in ")]}"
        current += char
    entries.append(current)
    words = []
    for entry in (e.strip() for e in entries):
        if not entry:
            continue
        words.append(entry if _REGEX_SYNTAX.search(entry) else re.escape(fold(entry)))
    if not words:
        raise ValueError(f"{source}: lists.{name} is empty")
    # Longest first, so "mon ex mari" wins over "mon ex".
    return "(?:" + "|".join(sorted(set(words), key=len, reverse=True)) + ")"


_REGEX_SYNTAX = re.compile(r"[\\()\[\]?*+{}]")


@functools.lru_cache(maxsize=None)
def rules(lang: str = "fr") -> _Rules:
    path = LEXICON_DIR / f"danger.{lang}.yml"
    return _Rules(yaml.safe_load(path.read_text(encoding="utf-8")) or {}, path.name)


def sentences(text: str) -> list[str]:
    """Folded sentences of a message (a long message is read sentence by sentence)."""
    parts = [p for p in _SENTENCE_END.split(text or "") if p and p.strip()]
    return [f for f in (fold(p) for p in parts) if f]


def _any(patterns: list[re.Pattern], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def detect(text: str, lang: str = "fr") -> Finding:
    """The danger situations a message describes, most important first."""
    r = rules(lang)
    parts = sentences(text)
    whole = " ".join(parts)
    found: dict[str, int] = {}
    conditional: dict[str, int] = {}
    for name, spec in r.situations.items():
        hit = _situation_hit(name, spec, parts, whole)
        if hit is not None:
            found[name] = hit
        else:
            hit = _first(spec["needs_other_danger_cues"], spec["unless"], parts)
            if hit is not None:
                conditional[name] = hit
    emergency = r.emergency is not None and bool(r.emergency.search(whole))
    for name, hit in conditional.items():
        # e.g. "je suis sourde": 114 only with another danger or an emergency
        if found or emergency:
            found[name] = hit
    ordered = tuple(s for s in PRIORITY if s in found)
    urgent = bool(ordered) and r.now is not None and bool(r.now.search(whole))
    return Finding(situations=ordered, urgent=urgent, evidence=found)


def _first(cues: list[re.Pattern], unless: list[re.Pattern], parts: list[str]) -> int | None:
    for i, sentence in enumerate(parts):
        if _any(cues, sentence) and not _any(unless, sentence):
            return i
    return None


def _situation_hit(name: str, spec: dict, parts: list[str], whole: str) -> int | None:
    def clean(i: int, sentence: str) -> bool:
        return not _any(spec["unless"], sentence)

    for i, sentence in enumerate(parts):
        if _any(spec["cues"], sentence) and clean(i, sentence):
            if name == "violence" and _left_long_ago(spec, parts, whole):
                return None
            return i
    for scope, needed, excluded in spec["frames"]:
        # A frame: words of each concept together, in one sentence or in the message.
        texts = list(enumerate(parts)) if scope == "sentence" else [(0, whole)]
        for i, chunk in texts:
            if all(p.search(chunk) for p in needed) and not _any(excluded, chunk) \
                    and not _any(spec["unless"], chunk):
                if name == "violence" and _left_long_ago(spec, parts, whole):
                    return None
                return i
    if spec["minor_cues"] and _any(spec.get("context:minor", []), whole):
        for i, sentence in enumerate(parts):
            if _any(spec["minor_cues"], sentence) and clean(i, sentence):
                return i
    if spec["weak_cues"] and _any(spec.get("context:tonight", []), whole):
        for i, sentence in enumerate(parts):
            if _any(spec["weak_cues"], sentence) and clean(i, sentence):
                return i
    return None


_PRESENT_VIOLENCE = re.compile(
    r"(?<![a-z])(me|m) (frappe|tape|gifle|bat|etrangle|cogne|menace|harcele|suit|surveille)"
    r"(?![a-z])|en ce moment|encore|toujours|depuis (hier|ce matin|ce soir)")


def _left_long_ago(spec: dict, parts: list[str], whole: str) -> bool:
    """Violence told in the past by someone who has left, with nothing happening now."""
    return _any(spec.get("context:left", []), whole) and not _PRESENT_VIOLENCE.search(whole)


def happening_now(text: str, lang: str = "fr") -> bool:
    """Words saying it is happening now ("en ce moment", "il arrive", "vite")."""
    r = rules(lang)
    return r.now is not None and bool(r.now.search(" ".join(sentences(text))))


def distressed(text: str, lang: str = "fr") -> bool:
    """Words of distress without a danger ("je craque", "à bout", "peur")."""
    r = rules(lang)
    return r.distress is not None and bool(r.distress.search(fold(text)))


# --------------------------------------------------------------- questions about helplines

_HELPLINE_NAMES = {
    "119": r"119|allo enfance en danger|allo 119|enfance en danger",
    "3919": r"3919|violences femmes info|39 19",
    "3114": r"3114|31 14|numero (national )?de prevention du suicide",
    "115": r"115|samu social",
    "114": r"114",
    "15": r"(le|au|du) 15",
    "17": r"(le|au|du) 17",
    "112": r"112",
    "18": r"(le|au|du) 18",
}
_QUESTION_CUES = re.compile(
    r"(?<![a-z])(est ce que|est ce qu|c est quoi|c est vrai|c vrai|comment|combien|qui peut|"
    r"qui|quand|pourquoi|peut on|on peut|peux je|je peux|je peu|je pourrais|ca sert|sert a|"
    r"anonyme|gratuit|gratuite|facture|affiche|apparait|repond|repondent|ouvert|horaires|"
    r"obliges?|le droit|tchat|chat|sms|ecrire|rappellent|que pour|seulement|ca marche|"
    r"marche|aussi pour)(?![a-z])")


def helpline_asked_about(text: str) -> str | None:
    """The helpline a message asks about ("qui peut appeler le 119 ?"), or None.

    A message that names one helpline, in a sentence that asks something (a
    question mark or a question word). "On m'a dit d'appeler le 115." is not a
    question about the 115. The caller decides what wins when the same message
    also describes a danger."""
    def named(folded: str) -> list[str]:
        return [number for number, pattern in _HELPLINE_NAMES.items()
                if re.search(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])", folded)]

    numbers = named(fold(text))
    if len(numbers) != 1:
        return None
    for raw in _SENTENCE_END.split(text or ""):
        folded = fold(raw or "")
        if named(folded) and ("?" in raw or _QUESTION_CUES.search(folded)):
            return numbers[0]
    return None


def explain(text: str, lang: str = "fr") -> list[str]:
    """For reviewers: which cue of which situation matched which sentence."""
    r = rules(lang)
    out = []
    parts = sentences(text)
    for i, sentence in enumerate(parts):
        for name, spec in r.situations.items():
            for key in ("cues", "minor_cues", "weak_cues", "needs_other_danger_cues", "unless"):
                for pattern in spec[key]:
                    m = pattern.search(sentence)
                    if m:
                        out.append(f"{name}.{key} [{i}] «{m.group(0)}» in «{sentence[:120]}»")
    whole = " ".join(parts)
    for name, spec in r.situations.items():
        for j, (scope, needed, excluded) in enumerate(spec["frames"]):
            chunks = parts if scope == "sentence" else [whole]
            for chunk in chunks:
                if all(p.search(chunk) for p in needed) and not _any(excluded, chunk):
                    words = " + ".join(f"«{p.search(chunk).group(0)}»" for p in needed)
                    out.append(f"{name}.frames[{j}] {words} in «{chunk[:120]}»")
    return out
