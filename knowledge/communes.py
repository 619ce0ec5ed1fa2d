"""Free text -> commune of the Hauts-de-Seine.

Scans word windows of the text (longest first) against every known spelling
(communes of the 92, places spanning several communes, well-known places
outside the 92), exactly and then with a small typo tolerance, and reads
postal codes. Typo tolerance is deliberately strict (same first letter, 1 edit
up to 8 letters, 2 beyond, none under 5) and skips common words, so that
"seau" or "cheville" never become Sceaux or Chaville.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional, Union

from rapidfuzz.distance import OSA

from . import text
from .models import Commune, CommuneMatch, Hub, MultiCommunePlace, OutsidePlace

# A chat message naming its commune does so early; this bounds the work on huge inputs.
_MAX_TOKENS = 300
_MAX_CHARS = 5000

_POSTAL_CODE = re.compile(r"(?<![\d])(\d{2})[ \u00a0\u202f.]?(\d{3})(?![\d])")

# Words that may start or end a name window only if the spelling itself does.
_STOPWORDS = frozenset(
    "a au aux de des du d en et ou la le les l j je tu il elle on nous vous ils elles y "
    "un une sur dans pour par chez vers pres mon ma mes ton ta son sa ses suis habite "
    "habitons habitez vis vit est c ca ce cette ok okay svp stp merci oui non bien donc alors "
    "mais aussi ici depuis maintenant".split()
)
# Common French words within typo distance of a place name: never fuzzy-matched.
COMMON_WORDS = frozenset(
    """
    seau seaux sceau cheville chevilles poteau poteaux cliche cliches valve valves vanne
    vannes anges ange angle angles marne garage garages meuble meubles mouton moutons
    montre montres courbe courbes antenne antennes chaton chatons ville villes maison
    maisons marche marches malle malles nice lille accueil accueils anton
    """.split()
)
# Words after which a capitalised word is a first name, not a place ("je m'appelle Anthony").
_NAME_INTRODUCERS = frozenset({"appelle", "appel", "prenom", "nom", "moi", "signe"})
# Before a place spanning several communes whose name is also a common noun
# ("la défense"), require a word saying it is a place.
_LOCATIVE = frozenset({"a", "au", "vers", "pres", "quartier", "habite", "vis", "travaille", "sur"})


Target = Union[Commune, MultiCommunePlace, OutsidePlace]


@dataclass(frozen=True)
class _Spelling:
    key: str
    target: Target
    first_token: str
    n_tokens: int


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    target: Target
    distance: int


def _allowed_edits(length: int) -> int:
    if length < 5:
        return 0
    return 1 if length <= 8 else 2


class CommuneResolver:
    def __init__(self, communes, multi_places, outside_places,
                 hub_for_insee: Callable[[str], Optional[Hub]]):
        self.communes: tuple[Commune, ...] = tuple(communes)
        self._hub_for_insee = hub_for_insee
        self._by_insee = {c.insee: c for c in self.communes}
        self._by_postal: dict[str, list[Commune]] = {}
        for commune in self.communes:
            for code in commune.postal_codes:
                self._by_postal.setdefault(code, []).append(commune)
        self._spellings: dict[str, _Spelling] = {}
        for target in (*self.communes, *multi_places, *outside_places):
            for spelling in (target.name, *target.aliases):
                toks = text.tokens(spelling)
                key = "".join(toks)
                self._spellings.setdefault(key, _Spelling(key, target, toks[0], len(toks)))
                # "La Garenne-Colombes" is also written without its article.
                if len(toks) > 1 and toks[0] in ("la", "le", "les", "l"):
                    rest = "".join(toks[1:])
                    self._spellings.setdefault(rest, _Spelling(rest, target, toks[1], len(toks) - 1))
        self._max_tokens = max(s.n_tokens for s in self._spellings.values()) + 1
        self._fuzzy_keys = [k for k in self._spellings if len(k) >= 5]

    # -- public ---------------------------------------------------------------
    def postal_code_communes(self, code: str) -> tuple[Commune, ...]:
        return tuple(self._by_postal.get(code, ()))

    def commune(self, insee: str) -> Optional[Commune]:
        return self._by_insee.get(insee)

    def communes_in_text(self, query: str) -> list[Commune]:
        """Communes of the 92 named in the text, in text order (no postal codes)."""
        spans = self._scan(text.tokens(query[:_MAX_CHARS])[:_MAX_TOKENS])
        return _unique([s.target for s in spans if isinstance(s.target, Commune)])

    def resolve(self, query: str) -> CommuneMatch:
        query = query if isinstance(query, str) else str(query or "")
        located = text.token_spans(query[:_MAX_CHARS])[:_MAX_TOKENS]
        toks = [token for token, _, _ in located]
        spans = self._scan(toks)
        named = _unique([s.target for s in spans if isinstance(s.target, Commune)])
        multi = [s.target for s in spans if isinstance(s.target, MultiCommunePlace)]
        outside = [s.target for s in spans if isinstance(s.target, OutsidePlace)]
        fuzzy = any(s.distance > 0 for s in spans)
        matched = " ".join(" ".join(toks[s.start:s.end]) for s in spans) or None

        codes_92: list[tuple[str, list[Commune]]] = []
        invalid_92: list[str] = []
        outside_codes: list[str] = []
        code_spans: dict[str, tuple[int, int]] = {}
        for found in _POSTAL_CODE.finditer(query[:_MAX_CHARS]):
            code = found.group(1) + found.group(2)
            code_spans.setdefault(code, found.span())
            if code.startswith("92"):
                if code in self._by_postal:
                    codes_92.append((code, self._by_postal[code]))
                else:
                    invalid_92.append(code)
            else:
                outside_codes.append(code)
        first_code = (codes_92[0][0] if codes_92 else (invalid_92 or outside_codes or [None])[0])

        def span_of(target) -> Optional[tuple[int, int]]:
            """Characters naming `target` (a place name, else a postal code)."""
            for s in spans:
                if s.target is target:
                    return located[s.start][1], located[s.end - 1][2]
            return None

        def result(status, span=None, **kw) -> CommuneMatch:
            return CommuneMatch(status=status, query=query, postal_code=first_code,
                                matched_text=matched, fuzzy=fuzzy, span=span, **kw)

        def one(commune: Commune) -> CommuneMatch:
            hub = self._hub_for_insee(commune.insee)
            span = span_of(commune) or next(
                (code_spans[code] for code, cs in codes_92 if commune in cs), None)
            return result("served" if hub else "uncovered", span=span, commune=commune, hub=hub)

        code_sets = [set(c.insee for c in communes) for _, communes in codes_92]
        if named:
            if len(named) == 1:
                conflicting = [c for _, cs in codes_92 for c in cs if c.insee != named[0].insee
                               and not any(named[0].insee in s for s in code_sets)]
                if conflicting:
                    return result("ambiguous", candidates=tuple(_unique([named[0], *conflicting])))
                return one(named[0])
            narrowed = [c for c in named if any(c.insee in s for s in code_sets)]
            if len(narrowed) == 1:
                return one(narrowed[0])
            return result("ambiguous", candidates=tuple(named))
        if codes_92:
            candidates = _unique([c for _, cs in codes_92 for c in cs])
            if multi:  # "La Défense 92400" -> the commune both point to
                inside = [c for c in candidates if any(c.insee in m.insee_codes for m in multi)]
                candidates = inside or candidates
            if len(candidates) == 1:
                return one(candidates[0])
            return result("ambiguous", candidates=tuple(candidates))
        if multi:
            candidates = _unique([self._by_insee[i] for m in multi for i in m.insee_codes])
            return result("ambiguous", span=span_of(multi[0]), candidates=tuple(candidates),
                          place=multi[0].name)
        if outside or outside_codes:
            if outside:
                place, dep = outside[0].name, outside[0].departement
                span = span_of(outside[0])
            else:
                code = outside_codes[0]
                dep = code[:3] if code.startswith("97") else code[:2]
                place = "Paris" if dep == "75" else code
                span = code_spans.get(code)
            return result("outside", span=span, place=place, departement=dep)
        return result("unknown", span=code_spans.get(first_code) if first_code else None)

    # -- scanning -------------------------------------------------------------
    def _scan(self, toks: list[str]) -> list[_Span]:
        n = len(toks)
        used = [False] * n
        spans: list[_Span] = []
        for size in range(min(self._max_tokens, n), 0, -1):
            for fuzzy in (False, True):
                for start in range(0, n - size + 1):
                    end = start + size
                    if any(used[start:end]):
                        continue
                    span = self._match_window(toks, start, end, fuzzy)
                    if span is not None:
                        spans.append(span)
                        for i in range(start, end):
                            used[i] = True
        spans.sort(key=lambda s: s.start)
        return spans

    def _match_window(self, toks: list[str], start: int, end: int, fuzzy: bool) -> Optional[_Span]:
        window = toks[start:end]
        if any(t.isdigit() for t in window):
            return None
        if start > 0 and toks[start - 1] in _NAME_INTRODUCERS:
            return None
        key = "".join(window)
        if not fuzzy:
            spelling = self._spellings.get(key)
            if spelling is None and key[:1] == "d" and key[1:2] in "aeiouy" and window[0] != "d":
                spelling = self._spellings.get(key[1:])  # "dantony": d'Antony, apostrophe lost
            if spelling is None or not self._context_ok(spelling, toks, start, end):
                return None
            return _Span(start, end, spelling.target, 0)
        if len(key) < 5 or key in COMMON_WORDS or (len(window) == 1 and window[0] in COMMON_WORDS):
            return None
        if window[0] in _STOPWORDS or window[-1] in _STOPWORDS:
            return None
        if len(window) > 1 and any(len(t) < 2 for t in window):
            return None  # "me, I don't" is no misspelt "Meudon"
        best: Optional[tuple[int, int, _Spelling]] = None
        for candidate in self._fuzzy_keys:
            if candidate[0] != key[0]:
                continue
            allowed = _allowed_edits(len(candidate))
            if abs(len(candidate) - len(key)) > allowed:
                continue
            distance = OSA.distance(key, candidate, score_cutoff=allowed)
            if distance > allowed:
                continue
            spelling = self._spellings[candidate]
            # Prefer fewer edits, then places of the 92.
            rank = (distance, 0 if isinstance(spelling.target, Commune) else 1)
            if best is None or rank < best[:2]:
                best = (*rank, spelling)
        if best is None or not self._context_ok(best[2], toks, start, end):
            return None
        return _Span(start, end, best[2].target, best[0])

    @staticmethod
    def _context_ok(spelling: _Spelling, toks: list[str], start: int, end: int) -> bool:
        if not isinstance(spelling.target, MultiCommunePlace):
            return True
        alone = start == 0 and end == len(toks)
        return alone or (start > 0 and toks[start - 1] in _LOCATIVE)


def _unique(items):
    seen, out = set(), []
    for item in items:
        ident = getattr(item, "insee", None) or item.name
        if ident not in seen:
            seen.add(ident)
            out.append(item)
    return out
