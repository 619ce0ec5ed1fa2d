"""Real-world messages (tests/nlu/real/): send each one as the first message of a
new conversation through the real servers, and judge the reply as a resident
would read it. See tests/nlu/real/README.md for the corpus and the measures.

    python -m bench.real_messages [--set heldout|learn|all] [--show-failures]

Judging reads what the resident reads (the bot's messages), against the
project's own wording: the domain's danger responses, the knowledge base's
service names and hub addresses, and the replies' fixed sentences.
`--show-failures` is for the learning part only: the held-out part is scored,
never studied.
"""
from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from bot.real_corpus import SETS, Item, load, load_sets

SPECIFIC_HELPLINES = ("119", "3919", "3114", "115", "114")
# Words counted the way a resident counts them (whitespace-separated).
LONG_MESSAGE_WORDS = 8


# --------------------------------------------------------------------- judging

@dataclass
class Wording:
    """What the judge recognises in replies, read from the project itself."""

    danger: dict[str, str]            # response text -> its first helpline number
    services: dict[str, str]          # service name -> service id
    hub_streets: list[str]
    ask_commune: list[str]
    not_covered: list[str]
    outside: list[str]
    dead_ends: list[str]
    out_of_scope: list[str]

    @classmethod
    def from_project(cls) -> "Wording":
        from bot import responses
        from knowledge import get_knowledge
        domain = responses.responses()  # the one reader of the domain's wording
        danger = {}
        for name, variants in domain.items():
            if name.startswith("utter_danger_"):
                for variant in variants:
                    text = " ".join(variant["text"].split())
                    danger[text] = first_number(text)
        base = get_knowledge()
        services = {s.name: s.id for s in base.services}
        streets = [h.full_address.split(",")[0] for h in base.hubs]
        out_of_scope = [" ".join(v["text"].split()) for v in domain["utter_out_of_scope"]]
        return cls(
            danger=danger, services=services, hub_streets=streets,
            ask_commune=["Dans quelle commune", "Indiquez-moi votre commune",
                         "Donnez-moi votre commune", "votre commune ?"],
            not_covered=[responses.text("utter_not_covered_short").split(", ", 1)[1].rstrip(".")],
            outside=["n'en fait pas partie"],
            dead_ends=[" ".join(responses.text("utter_clarify").split())] + out_of_scope,
            out_of_scope=out_of_scope,
        )


NUMBER = re.compile(r"(?<![\d\w])(119|3919|3114|115|15|17|18|112|114)(?![\d\w])")


def first_number(text: str) -> str | None:
    match = NUMBER.search(text)
    return match.group(1) if match else None


@dataclass
class Verdict:
    helplines: list[str]             # first numbers of the danger answers, in order
    first_is_danger: bool
    service_first: str | None        # id of the first service named
    hub_given: bool
    asks_commune: bool
    not_covered: bool
    outside: bool
    dead_end: bool
    out_of_scope_answer: bool
    text: str = field(repr=False, default="")


def read_reply(wording: Wording, messages: list[dict]) -> Verdict:
    texts = [" ".join((m.get("text") or "").split()) for m in messages]
    texts = [t for t in texts if t]
    whole = "\n".join(texts)
    helplines = [wording.danger[t] for t in texts if t in wording.danger]
    positions = {sid: whole.find(name) for name, sid in wording.services.items()
                 if name in whole}
    service_first = min(positions, key=positions.get) if positions else None
    meaningful = [t for t in texts if t not in wording.dead_ends]
    return Verdict(
        helplines=helplines,
        first_is_danger=bool(texts) and texts[0] in wording.danger,
        service_first=service_first,
        hub_given=any(street in whole for street in wording.hub_streets),
        asks_commune=any(q in whole for q in wording.ask_commune),
        not_covered=any(s in whole for s in wording.not_covered),
        outside=any(s in whole for s in wording.outside),
        dead_end=not meaningful,
        out_of_scope_answer=any(t in wording.out_of_scope for t in texts),
        text=whole,
    )


SERVICE_NEEDS = {"pmi", "sante-sexuelle", "action-sociale-insertion", "aide-sociale-enfance",
                 "numerique"}


def judge(item: Item, verdict: Verdict) -> dict:
    """Per-message outcomes (None = the measure does not apply to this message)."""
    danger_ok = None
    if item.helpline:
        danger_ok = verdict.first_is_danger and verdict.helplines[0] == item.helpline
        if danger_ok and item.urgent:
            danger_ok = bool(re.search(r"\b(17|112)\b", verdict.text))
    false_alarm = None
    if not item.helpline:
        wrong = [h for h in verdict.helplines if h in SPECIFIC_HELPLINES and h != item.about]
        false_alarm = bool(wrong)
    if item.helpline:
        routed = danger_ok
    elif item.need in SERVICE_NEEDS:
        routed = verdict.service_first == item.need
    elif item.need in ("where", "hours"):
        routed = verdict.hub_given or verdict.asks_commune or verdict.not_covered \
            or verdict.outside
    elif item.need == "helpline-info":
        routed = bool(item.about) and bool(re.search(rf"\b{item.about}\b", verdict.text)) \
            and not false_alarm
    elif item.need == "out-of-scope":
        routed = verdict.out_of_scope_answer and not verdict.helplines
    else:
        routed = None
    dead_end = None
    if item.words > LONG_MESSAGE_WORDS and item.need != "out-of-scope":
        dead_end = verdict.dead_end
    return {"danger_ok": danger_ok, "false_alarm": false_alarm, "routed": routed,
            "dead_end": dead_end}


def _rate(values: list) -> dict:
    applicable = [v for v in values if v is not None]
    hits = sum(bool(v) for v in applicable)
    return {"n": len(applicable), "hits": hits,
            "rate": round(hits / len(applicable), 4) if applicable else None}


def summarise(items: list[Item], outcomes: list[dict]) -> dict:
    summary = {key: _rate([o[key] for o in outcomes])
               for key in ("danger_ok", "false_alarm", "routed", "dead_end")}
    per_helpline = {}
    for h in sorted({i.helpline for i in items if i.helpline}):
        per_helpline[h] = _rate([o["danger_ok"] for i, o in zip(items, outcomes)
                                 if i.helpline == h])
    per_need = {}
    for need in sorted({i.need for i in items if i.need and not i.helpline}):
        per_need[need] = _rate([o["routed"] for i, o in zip(items, outcomes)
                                if i.need == need and not i.helpline])
    summary["per_helpline"] = per_helpline
    summary["per_need"] = per_need
    summary["messages"] = len(items)
    summary["pages"] = len({i.url for i in items})
    return summary


# --------------------------------------------------------------------- running

async def _send_all(rest_url: str, items: list[Item], concurrency: int) -> list[list[dict]]:
    import aiohttp
    slots = asyncio.Semaphore(concurrency)
    replies: list[list[dict]] = [[] for _ in items]

    async def one(session, i: int) -> None:
        async with slots:
            payload = {"sender": "real-" + uuid.uuid4().hex[:12], "message": items[i].text}
            for attempt in range(3):
                try:
                    async with session.post(rest_url, json=payload,
                                            timeout=aiohttp.ClientTimeout(total=120)) as resp:
                        body = await resp.json(content_type=None)
                        if resp.status == 200 and isinstance(body, list):
                            replies[i] = body
                            return
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    pass
                await asyncio.sleep(1 + attempt)
            raise RuntimeError(f"no reply for message {i} after 3 attempts")

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(one(session, i) for i in range(len(items))))
    return replies


def evaluate(rest_url: str, items: list[Item], concurrency: int = 4) -> dict:
    wording = Wording.from_project()
    started = time.perf_counter()
    replies = asyncio.run(_send_all(rest_url, items, concurrency))
    verdicts = [read_reply(wording, r) for r in replies]
    outcomes = [judge(i, v) for i, v in zip(items, verdicts)]
    summary = summarise(items, outcomes)
    summary["seconds"] = round(time.perf_counter() - started, 1)
    return {"summary": summary, "items": items, "verdicts": verdicts, "outcomes": outcomes}


def format_summary(name: str, s: dict) -> str:
    def pct(r):
        return "—" if r["rate"] is None else f"{100 * r['rate']:.1f} % ({r['hits']}/{r['n']})"
    lines = [f"[real {name}] {s['messages']} messages from {s['pages']} pages, {s['seconds']} s",
             f"  danger recall (right helpline first): {pct(s['danger_ok'])}",
             f"  false alarms (specific helpline to an ordinary message): {pct(s['false_alarm'])}",
             f"  need routing: {pct(s['routed'])}",
             f"  dead ends (> {LONG_MESSAGE_WORDS} words): {pct(s['dead_end'])}",
             "  per helpline: " + ", ".join(f"{h} {pct(r)}" for h, r in s["per_helpline"].items()),
             "  per need: " + ", ".join(f"{n} {pct(r)}" for n, r in s["per_need"].items())]
    return "\n".join(lines)


def failures(result: dict) -> list[str]:
    out = []
    for item, verdict, outcome in zip(result["items"], result["verdicts"], result["outcomes"]):
        bad = [k for k, v in outcome.items() if (v is False and k in ("danger_ok", "routed"))
               or (v is True and k in ("false_alarm", "dead_end"))]
        if bad:
            labels = {k: getattr(item, k) for k in ("need", "helpline", "about", "commune")
                      if getattr(item, k)}
            out.append(f"--- {', '.join(bad)} {labels}\n>>> {item.text}\n<<< "
                       f"{verdict.text[:400]}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.real_messages", description=__doc__)
    parser.add_argument("--set", choices=["heldout", "learn", "all"], default="heldout")
    parser.add_argument("--url", help="REST webhook of running servers (default: start them)")
    parser.add_argument("--model", help="model for the servers started here")
    parser.add_argument("--show-failures", action="store_true",
                        help="print the failed messages (learning part only)")
    args = parser.parse_args(argv)
    if args.show_failures and args.set != "learn":
        parser.error("--show-failures is for --set learn: the held-out part is never studied")
    names = ["heldout", "learn"] if args.set == "all" else [args.set]
    items = load_sets(names)

    def report(url: str) -> None:
        result = evaluate(url, items)
        print(format_summary(args.set, result["summary"]))
        if args.show_failures:
            print("\n".join(failures(result)))

    if args.url:
        report(args.url)
        return 0
    import tempfile
    from tests.support.servers import BotServers
    from bot.training import MODEL_PATH
    with tempfile.TemporaryDirectory() as work, BotServers(
            Path(work), extra_env={"BOT_NOW": "2026-11-18T10:15"},
            model=Path(args.model) if args.model else MODEL_PATH) as servers:
        report(servers.rest_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
