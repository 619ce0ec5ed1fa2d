"""Read Rasa YAML NLU training data without importing Rasa (fast, testable)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

# Same grammar as rasa.shared.nlu.training_data.entities_parser.ENTITY_REGEX.
ENTITY_REGEX = re.compile(
    r"\[(?P<text>[^\]]+?)\](\((?P<entity>[^:)]+?)(?:\:(?P<value>[^)]+))?\)"
    r"|\{(?P<dict>[^}]+?)\}|\[(?P<dicts>.*?)\])"
)


@dataclass
class Example:
    text: str
    intent: str
    entities: list[dict] = field(default_factory=list)  # {start, end, entity, value}


def parse_annotated(example: str) -> tuple[str, list[dict]]:
    """'je vis à [Issy](commune)' -> ('je vis à Issy', [{start, end, entity, value}])."""
    entities: list[dict] = []
    out: list[str] = []
    pos = 0
    for match in ENTITY_REGEX.finditer(example):
        out.append(example[pos:match.start()])
        start = sum(len(part) for part in out)
        text = match.group("text")
        out.append(text)
        pos = match.end()
        if match.group("entity"):
            specs = [{"entity": match.group("entity"), "value": match.group("value") or text}]
        elif match.group("dict"):
            specs = [json.loads("{" + match.group("dict") + "}")]
        else:
            specs = json.loads("[" + match.group("dicts") + "]")
        for spec in specs:
            entities.append({"start": start, "end": start + len(text),
                             "entity": spec["entity"], "value": spec.get("value", text)})
    out.append(example[pos:])
    return "".join(out), entities


def _examples(item: dict) -> Iterable[str]:
    raw = item.get("examples")
    if isinstance(raw, str):
        for line in raw.splitlines():
            line = line.strip()
            if line.startswith("- "):
                yield line[2:].strip()
    elif isinstance(raw, list):
        for entry in raw:
            yield entry["text"] if isinstance(entry, dict) else str(entry)


def load_file(path: Path) -> list[Example]:
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    examples = []
    for item in doc.get("nlu") or []:
        if not isinstance(item, dict) or "intent" not in item:
            continue  # synonym, regex, lookup
        for raw in _examples(item):
            text, entities = parse_annotated(raw)
            examples.append(Example(text, str(item["intent"]), entities))
    return examples


def load(path: Path) -> list[Example]:
    """All examples of a YAML file or of every *.yml / *.yaml file under a folder."""
    path = Path(path)
    files = [path] if path.is_file() else sorted(
        p for p in path.rglob("*") if p.suffix in (".yml", ".yaml"))
    return [ex for f in files for ex in load_file(f)]
