"""Plain-words need -> service families (PMI, santé sexuelle, ...)."""
from __future__ import annotations

import re
from typing import Iterable

from . import text
from .models import AdjacentQuestion, Profession, Service, ServiceMatch


class _Keyword:
    """A keyword phrase, folded; a trailing '*' makes its last word a stem; a
    leading '~' makes it a regular expression over the folded text."""

    def __init__(self, raw: str):
        self.raw = raw
        if raw.startswith("~"):  # a regular expression over the folded text
            self.pattern = re.compile(rf"(?<![a-z0-9])(?:{raw[1:]})(?![a-z0-9])")
            self.weight = 8
            return
        stem = raw.rstrip().endswith("*")
        words = text.fold(raw.rstrip("*")).split()
        body = r"\s".join(re.escape(w) for w in words)
        tail = r"[a-z0-9]*" if stem else ""
        self.pattern = re.compile(rf"(?<![a-z0-9]){body}{tail}(?![a-z0-9])")
        self.weight = len("".join(words))

    def search(self, folded: str):
        return self.pattern.search(folded)


class NeedMatcher:
    def __init__(self, services: Iterable[Service], professions: Iterable[Profession]):
        self.services = tuple(services)
        self.professions = {p.id: p for p in professions}
        self._needs = [
            (service, need.label, _Keyword(word))
            for service in self.services for need in service.needs for word in need.keywords
        ]
        self._profession_words = [
            (profession, _Keyword(word))
            for profession in self.professions.values() for word in profession.keywords
        ]

    def match(self, query: str, professions: bool = True) -> list[ServiceMatch]:
        """Services for the need described in `query`, best first.

        A service's score adds up the distinct keywords of its needs found in the
        text (longer keywords weigh more), so that in a long message the service
        with the most evidence wins; naming a profession ("un psychologue") gives
        the services where that profession works, with half the weight
        (`professions=False`: needs only). The reported need is the best single
        match."""
        folded = text.fold(query)
        best: dict[str, ServiceMatch] = {}
        totals: dict[str, float] = {}
        seen: set[tuple[str, str]] = set()

        def offer(service: Service, need: str, matched: str, score: float) -> None:
            if (service.id, matched) in seen:
                return
            seen.add((service.id, matched))
            totals[service.id] = totals.get(service.id, 0.0) + score
            current = best.get(service.id)
            if current is None or score > current.score:
                best[service.id] = ServiceMatch(
                    service=service, need=need, matched=matched,
                    professions=tuple(self.professions[p] for p in service.professions
                                      if p in self.professions),
                    score=score,
                )

        for service, label, keyword in self._needs:
            found = keyword.search(folded)
            if found:
                offer(service, label, found.group(0), float(keyword.weight))
        for profession, keyword in self._profession_words if professions else ():
            found = keyword.search(folded)
            if found:
                for service in self.services:
                    if profession.id in service.professions:
                        offer(service, profession.label, found.group(0), keyword.weight / 2)
        order = {s.id: i for i, s in enumerate(self.services)}
        ranked = [ServiceMatch(m.service, m.need, m.matched, m.professions, totals[sid])
                  for sid, m in best.items()]
        return sorted(ranked, key=lambda m: (-m.score, order[m.service.id]))


class AdjacentMatcher:
    """Questions next to the pôles' remit (CAF, RSA rules, préfecture...)."""

    def __init__(self, questions: Iterable[AdjacentQuestion]):
        self._questions = [
            (q, [_Keyword(w) for w in q.keywords], [_Keyword(w) for w in q.unless])
            for q in questions
        ]

    def match(self, query: str) -> AdjacentQuestion | None:
        """The question with the most keyword evidence in `query`, or None."""
        folded = text.fold(query)
        scored = []
        for i, (question, keywords, unless) in enumerate(self._questions):
            if any(k.search(folded) for k in unless):
                continue
            score = sum(k.weight for k in keywords if k.search(folded))
            if score:
                scored.append((-score, i, question))
        return min(scored)[2] if scored else None


# A keyword match is kept when the learnt guess finds its service at least this
# likely; otherwise the guess's best service is taken when at least CONFIDENT.
# Chosen by cross-validation on the real messages' learning part (bench/README.md).
PLAUSIBLE = 0.2
CONFIDENT = 0.3


def choose_service(keyword_service: str | None, guess: list[dict],
                   services: Iterable[str], short: bool = False) -> str | None:
    """The service for a message, from the keywords' best service and a learnt
    guess ([{"name", "probability"}], most likely first). Plain data in, an id
    (or None) out; `services` are the ids that exist. A `short` message that
    names its need ("et pour la contraception ?") keeps it: the guess, learnt on
    long real messages, knows little of a few words."""
    known = set(services)
    probability = {g["name"]: g["probability"] for g in guess}
    if keyword_service and (short or not guess
                            or probability.get(keyword_service, 0.0) >= PLAUSIBLE):
        return keyword_service
    if guess and guess[0]["name"] in known and guess[0]["probability"] >= CONFIDENT:
        return guess[0]["name"]
    return keyword_service
