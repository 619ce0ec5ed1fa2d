"""Plain-words need -> service families (PMI, santé sexuelle, ...)."""
from __future__ import annotations

import re
from typing import Iterable

from . import text
from .models import Profession, Service, ServiceMatch


class _Keyword:
    """A keyword phrase, folded; a trailing '*' makes its last word a stem."""

    def __init__(self, raw: str):
        self.raw = raw
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

    def match(self, query: str) -> list[ServiceMatch]:
        """Services for the need described in `query`, best first. Keywords of a
        need count fully; naming a profession ("un psychologue") gives the
        services where that profession works, with a lower score."""
        folded = text.fold(query)
        best: dict[str, ServiceMatch] = {}

        def offer(service: Service, need: str, matched: str, score: float) -> None:
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
        for profession, keyword in self._profession_words:
            found = keyword.search(folded)
            if found:
                for service in self.services:
                    if profession.id in service.professions:
                        offer(service, profession.label, found.group(0), keyword.weight / 2)
        order = {s.id: i for i, s in enumerate(self.services)}
        return sorted(best.values(), key=lambda m: (-m.score, order[m.service.id]))
