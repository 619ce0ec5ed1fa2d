"""The real-world message corpus (tests/nlu/real/, see its README): reading it.

Used by the danger classifier's training (learning part only), the benchmark
and the tests. Plain Python.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

from bot.settings import ROOT
from knowledge.text import word_count

REAL_DIR = ROOT / "tests" / "nlu" / "real"
SETS = {"heldout": REAL_DIR / "heldout.yml", "learn": REAL_DIR / "learn.yml"}


@dataclass(frozen=True)
class Item:
    text: str
    url: str
    theme: str
    need: str | None = None
    helpline: str | None = None
    urgent: bool = False
    about: str | None = None
    commune: str | None = None

    @property
    def words(self) -> int:
        return word_count(self.text)


def load(path: Path) -> list[Item]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = []
    for page in data["pages"]:
        for m in page["messages"]:
            items.append(Item(
                text=m["text"], url=page["url"], theme=page.get("theme", ""),
                need=m.get("need"), helpline=str(m["helpline"]) if m.get("helpline") else None,
                urgent=bool(m.get("urgent")), about=str(m["about"]) if m.get("about") else None,
                commune=m.get("commune")))
    return items


def load_sets(names: Iterable[str]) -> list[Item]:
    return [item for name in names for item in load(SETS[name])]
