"""Review loop for staff: label what the assistant did not understand.

    python -m bot review [--days 30] [--out data/nlu/from_review.yml]

Shows the unanswered messages of the period (the report's, masked the same way;
a message that led to a danger answer is never offered), one at a time, and
asks for the right intent: its number, `o` for out of scope, Enter to skip,
`q` to stop. The labelled examples are appended to data/nlu/from_review.yml (Rasa
training data, validated by `make validate` like the rest, learnt at the next
`make train`). A message already in the file is not offered again.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable, Optional

import yaml

from bot.settings import ROOT, Settings

DEFAULT_OUT = ROOT / "data" / "nlu" / "from_review.yml"
OUT_OF_SCOPE = "out_of_scope"
HEADER = ("# Examples labelled by staff with `python -m bot review` (unanswered messages, masked).\n"
          "# Appended by the tool; review before committing.\n")
# Intents staff never choose: internal, or set by buttons and the widget only.
NOT_OFFERED = {"nlu_fallback", OUT_OF_SCOPE}


def training_text(masked: str) -> str:
    """"[téléphone]" would read as an entity in Rasa's YAML: masks become words."""
    return re.sub(r"\[([^\]]+)\]", lambda m: m.group(1).upper(), masked)


def intents_offered(domain_intents: Iterable[str]) -> list[str]:
    return sorted(i for i in domain_intents if i not in NOT_OFFERED and not i.startswith("ask_easy")
                  and not i.startswith("ask_standard"))


def _load(path: Path) -> dict[str, list[str]]:
    if not path.exists():
        return {}
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples: dict[str, list[str]] = {}
    for block in doc.get("nlu") or []:
        lines = [line[2:].strip() for line in (block.get("examples") or "").splitlines() if line.startswith("- ")]
        examples.setdefault(block["intent"], []).extend(lines)
    return examples


def _write(path: Path, examples: dict[str, list[str]]) -> None:
    blocks = [{"intent": intent, "examples": "".join(f"- {t}\n" for t in texts)}
              for intent, texts in sorted(examples.items()) if texts]

    class _Literal(yaml.SafeDumper):
        pass

    _Literal.add_representer(str, lambda d, s: d.represent_scalar(
        "tag:yaml.org,2002:str", s, style="|" if "\n" in s else None))
    body = yaml.dump({"version": "3.1", "nlu": blocks}, Dumper=_Literal, allow_unicode=True, sort_keys=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(HEADER + body, encoding="utf-8")
    tmp.replace(path)


def review(unanswered: list[dict], intents: list[str], out: Path,
           ask: Callable[[str], str] = input, say: Callable[[str], None] = print) -> int:
    """Ask for each message's intent; append the answers to `out`; return how many were labelled."""
    examples = _load(out)
    known = {t for texts in examples.values() for t in texts}
    todo = [u for u in unanswered if training_text(u["text"]) not in known]
    if not todo:
        say("Nothing to review: no unanswered message left for this period.")
        return 0
    menu = "\n".join(f"  {n:2d}. {intent}" for n, intent in enumerate(intents, 1))
    labelled = 0
    for position, item in enumerate(todo, 1):
        say(f"\n[{position}/{len(todo)}] ({item['count']} time(s))  « {item['text']} »\n{menu}\n"
            f"   o. out of scope   Enter: skip   q: stop")
        while True:
            answer = ask("intent> ").strip().lower()
            if answer in ("", "s"):
                chosen = None
                break
            if answer == "q":
                _write(out, examples) if labelled else None
                say(f"{labelled} example(s) added to {out}.")
                return labelled
            if answer == "o":
                chosen = OUT_OF_SCOPE
                break
            if answer.isdigit() and 1 <= int(answer) <= len(intents):
                chosen = intents[int(answer) - 1]
                break
            say(f"Type a number from 1 to {len(intents)}, o, Enter or q.")
        if chosen:
            examples.setdefault(chosen, []).append(training_text(item["text"]))
            labelled += 1
    if labelled:
        _write(out, examples)
    say(f"{labelled} example(s) added to {out}.")
    return labelled


def main(settings: Settings, days: int, out: Optional[str]) -> int:
    import time

    from bot import report
    from bot.responses import domain_intents
    from knowledge import get_knowledge

    end = time.time()
    start = end - days * report.DAY_S
    figures = report.build(report._rows(settings, start, end), start, end, get_knowledge())
    review(figures["unanswered"], intents_offered(domain_intents()), Path(out) if out else DEFAULT_OUT)
    return 0
