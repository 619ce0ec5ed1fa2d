"""The communes' lookup table for DIET's features, generated from the knowledge
data (knowledge/data/communes.yml): the one list of communes, never edited by
hand. `python -m bot train` (make train / make run / make test) rewrites it when
the communes change; tests/nlu/test_lookup_table.py checks it is current.

It only gives DIET a feature ("this word is a commune") for intent
classification; what a place is, is read by bot/components/place_extractor.py.
"""
from __future__ import annotations

from pathlib import Path

from bot.settings import ROOT
from knowledge import get_knowledge
from knowledge.text import strip_accents

LOOKUP_PATH = ROOT / "data" / "nlu" / "lookup_communes.yml"
HEADER = """\
version: "3.1"
# GENERATED from knowledge/data/communes.yml by bot/lookup_tables.py: do not edit.
# Communes of the Hauts-de-Seine and their usual short forms, with and without
# accents and hyphens, as RegexFeaturizer features for DIET's intents. Places
# are read by bot/components/place_extractor.py, not by this table.
nlu:
- lookup: commune
  examples: |
"""


def spellings() -> list[str]:
    """Each commune's name and aliases, as written, without accents, and with
    spaces for hyphens; in the order of the data, without duplicates."""
    base = get_knowledge()
    names: list[str] = []
    for commune in base.communes:
        for name in (commune.name, *commune.aliases):
            for variant in (name, strip_accents(name), name.replace("-", " "),
                            strip_accents(name).replace("-", " ")):
                if variant not in names:
                    names.append(variant)
    return names


def lookup_yaml() -> str:
    return HEADER + "".join(f"    - {name}\n" for name in spellings())


def write_if_changed(path: Path = LOOKUP_PATH) -> bool:
    """Rewrite the lookup table if the communes changed. True if it did."""
    wanted = lookup_yaml()
    if path.exists() and path.read_text(encoding="utf-8") == wanted:
        return False
    path.write_text(wanted, encoding="utf-8")
    return True
