"""The domain's responses and intents, read from domain/*.yml: for tests and
benchmarks that check which sentence a resident read (the wording itself lives
only in the domain), and for the review tool's list of intents."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DOMAIN = Path(__file__).resolve().parents[1] / "domain"


@lru_cache(maxsize=1)
def responses() -> dict[str, list[dict[str, Any]]]:
    merged: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(DOMAIN.glob("*.yml")):
        merged.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
    return merged


def text(name: str, easy_read: bool = False) -> str:
    """The text of a response in one mode (standard, or easy-to-read)."""
    for variant in responses()[name]:
        conditions = variant.get("condition") or []
        is_easy = any(c.get("name") == "easy_read" and c.get("value") is True for c in conditions)
        if is_easy == easy_read:
            return variant["text"]
    raise KeyError(f"{name}: no {'easy-read' if easy_read else 'standard'} variant")


def domain_intents() -> list[str]:
    """The intents the domain declares (domain/*.yml)."""
    intents: list[str] = []
    for path in sorted(DOMAIN.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents") or []:
            name = item if isinstance(item, str) else next(iter(item))
            if name not in intents:
                intents.append(name)
    return intents
