"""Staff report: what residents asked, and where the assistant failed.

    python -m bot report [--days 30] [--out DIR]

Reads the tracker store the servers use (SQLite by default, PostgreSQL when
configured: the same variables as `python -m bot purge`), so only what the
retention keeps. Writes DIR/report.json and DIR/report.html (one self-contained
page with plots, for non-engineers). Default DIR: var/report/.

Privacy: the text of a message that led to a danger answer is never shown, only
counted; in the unanswered messages, phone numbers, e-mail addresses, postal
addresses and any run of 5 or more digits are masked. Nothing goes to the logs;
the command prints only where it wrote.
"""
from __future__ import annotations

import base64
import html
import io
import json
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Optional

import sqlalchemy as sa

from bot.purge import engine_for
from bot.settings import VAR_DIR, Settings

DAY_S = 24 * 3600
DEFAULT_OUT = VAR_DIR / "report"
FEEDBACK_SLOT = "feedback"  # set by the widget's "Cette réponse vous a-t-elle aidé ?"
FALLBACK_ACTIONS = {"action_fallback"}
FALLBACK_RESPONSES = {"utter_clarify", "utter_clarify_long"}
# Responses that give helplines: their numbers are counted.
HELPLINE_RESPONSE_PREFIXES = ("utter_danger_", "utter_helpline_info")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:(?:\+|00)\d{2}[\s.-]?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b")
_STREET = re.compile(
    r"\b\d{1,4}\s*(?:bis|ter)?,?\s+(?:rue|avenue|av|boulevard|bd|place|pl|chemin|all[ée]e|impasse|quai|route|"
    r"square|cours|passage|villa|r[ée]sidence|cit[ée]|sentier|voie)\b\.?[^,.;:!?\n]*?"
    r"(?=\s+(?:à|a|au|sur|dans|et|mais)\s|[,.;:!?\n]|$)", re.IGNORECASE)
_DIGITS = re.compile(r"\d[\d\s.-]{3,}\d")


def mask(text: str) -> str:
    """Personal data out of a message shown to staff."""
    text = _EMAIL.sub("[e-mail]", text)
    text = _PHONE.sub("[téléphone]", text)
    text = _STREET.sub("[adresse]", text)
    # any run of 5 or more digits, even written with spaces or dots
    return _DIGITS.sub(lambda m: "[nombre]" if sum(c.isdigit() for c in m.group()) >= 5 else m.group(), text)


@dataclass
class _Turn:
    intent: str
    text: str
    day: str
    fallback: bool = False
    danger: bool = False


@dataclass
class _Counts:
    conversations: set = field(default_factory=set)
    messages: int = 0
    fallbacks: int = 0
    intents: Counter = field(default_factory=Counter)
    per_day: dict = field(default_factory=lambda: defaultdict(set))
    fallbacks_per_day: Counter = field(default_factory=Counter)
    communes: dict = field(default_factory=lambda: defaultdict(set))  # insee -> conversations
    outside: dict = field(default_factory=lambda: defaultdict(set))
    helplines: Counter = field(default_factory=Counter)
    feedback: Counter = field(default_factory=Counter)
    feedback_by_intent: dict = field(default_factory=lambda: defaultdict(Counter))
    unanswered: Counter = field(default_factory=Counter)
    danger_messages: int = 0


def _rows(settings: Settings, start: float, end: float) -> list[tuple]:
    engine = engine_for(settings)
    if engine is None:
        return []
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("events"):
                return []
            return list(conn.execute(sa.text(
                "SELECT sender_id, type_name, timestamp, data FROM events "
                "WHERE timestamp >= :start AND timestamp <= :end ORDER BY id"), {"start": start, "end": end}))
    finally:
        engine.dispose()


def build(rows: Iterable[tuple], start: float, end: float, knowledge: Any) -> dict:
    """The report's figures from tracker events (sender_id, type_name, timestamp, data JSON)."""
    helpline_numbers = {h.number for h in knowledge.helplines}
    counts = _Counts()
    turns: dict[str, Optional[_Turn]] = {}
    last_intent: dict[str, str] = {}

    def close(sender: str) -> None:
        turn = turns.pop(sender, None)
        if turn is None:
            return
        if turn.danger:
            counts.danger_messages += 1
        if turn.fallback or turn.intent == "nlu_fallback":
            counts.fallbacks += 1
            counts.fallbacks_per_day[turn.day] += 1
            if not turn.danger and turn.text and not turn.text.startswith("/"):
                counts.unanswered[" ".join(mask(turn.text).split())] += 1

    for sender, kind, stamp, raw in rows:
        try:
            event = json.loads(raw)
        except (TypeError, ValueError):
            continue
        if kind == "user":
            close(sender)
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or "(inconnu)"
            day = datetime.fromtimestamp(stamp, timezone.utc).date().isoformat()
            turns[sender] = _Turn(intent, event.get("text") or "", day)
            last_intent[sender] = intent
            counts.messages += 1
            counts.intents[intent] += 1
            counts.conversations.add(sender)
            counts.per_day[day].add(sender)
        elif kind == "action" and event.get("name") in FALLBACK_ACTIONS and turns.get(sender):
            turns[sender].fallback = True
        elif kind == "bot":
            response = (event.get("metadata") or {}).get("utter_action") or ""
            turn = turns.get(sender)
            if response in FALLBACK_RESPONSES and turn:
                turn.fallback = True
            if response.startswith(HELPLINE_RESPONSE_PREFIXES):
                if response.startswith("utter_danger_") and turn:
                    turn.danger = True
                for number in set(re.findall(r"\b\d{2,4}\b", event.get("text") or "")) & helpline_numbers:
                    counts.helplines[number] += 1
        elif kind == "slot":
            name, value = event.get("name"), event.get("value")
            if not value:
                continue
            if name == "commune":
                counts.communes[str(value)].add(sender)
            elif name == "outside_place":
                counts.outside[str(value)].add(sender)
            elif name == FEEDBACK_SLOT and value in ("up", "down"):
                counts.feedback[value] += 1
                counts.feedback_by_intent[last_intent.get(sender, "(inconnu)")][value] += 1
    for sender in list(turns):
        close(sender)

    communes = {}
    for insee, senders in counts.communes.items():
        commune = knowledge.commune(insee)
        name = commune.name if commune else insee
        communes[name] = {"count": len(senders), "covered": knowledge.hub_for_insee(insee) is not None}
    iso = lambda t: datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="seconds")  # noqa: E731
    return {
        "period": {"start": iso(start), "end": iso(end)},
        "conversations": len(counts.conversations),
        "messages": counts.messages,
        "fallback_rate": round(counts.fallbacks / counts.messages, 4) if counts.messages else 0.0,
        "fallbacks": counts.fallbacks,
        "danger_messages": counts.danger_messages,
        "conversations_per_day": {day: len(s) for day, s in sorted(counts.per_day.items())},
        "fallbacks_per_day": {day: counts.fallbacks_per_day[day] for day in sorted(counts.per_day)},
        "intents": dict(counts.intents.most_common()),
        "communes": dict(sorted(communes.items(), key=lambda kv: (-kv[1]["count"], kv[0]))),
        "outside_places": {p: len(s) for p, s in sorted(counts.outside.items(), key=lambda kv: (-len(kv[1]), kv[0]))},
        "helplines": dict(sorted(counts.helplines.items(), key=lambda kv: (-kv[1], kv[0]))),
        "feedback": {"up": counts.feedback["up"], "down": counts.feedback["down"],
                     "by_intent": {i: {"up": c["up"], "down": c["down"]}
                                   for i, c in sorted(counts.feedback_by_intent.items())}},
        "unanswered": [{"text": t, "count": n} for t, n in counts.unanswered.most_common()],
    }


# --- the page ---------------------------------------------------------------------

def _plot(kind: str, labels: list, values: list, title: str, colors=None) -> str:
    """A bar chart as an inline PNG (data: URI)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, max(2.2, 0.35 * len(labels) + 1)) if kind == "barh" else (7, 3))
    if not labels:
        ax.text(0.5, 0.5, "Aucune donnée sur la période", ha="center", va="center")
        ax.set_axis_off()
    elif kind == "barh":
        ax.barh(labels[::-1], values[::-1], color=(colors or ["#1f5fa8"] * len(labels))[::-1])
        ax.xaxis.get_major_locator().set_params(integer=True)
    else:
        ax.bar(labels, values, color="#1f5fa8")
        ax.yaxis.get_major_locator().set_params(integer=True)
        plt.setp(ax.get_xticklabels(), rotation=45, ha="right")
    ax.set_title(title)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _table(headers: list[str], rows: list[list]) -> str:
    if not rows:
        return "<p>Aucune donnée sur la période.</p>"
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure(src: str, alt: str) -> str:
    return f'<figure><img src="{src}" alt="{html.escape(alt)}"></figure>'


def render_html(report: dict) -> str:
    p = report["period"]
    days = report["conversations_per_day"]
    intents = list(report["intents"].items())[:15]
    communes = report["communes"]
    outside = report["outside_places"]
    place_labels = list(communes) + list(outside)
    place_values = [c["count"] for c in communes.values()] + list(outside.values())
    place_colors = (["#1f7a3d" if c["covered"] else "#b85c00" for c in communes.values()]
                    + ["#777777"] * len(outside))
    helplines = report["helplines"]
    fb = report["feedback"]
    sections = [
        f"<h1>Assistant des pôles sociaux — rapport</h1>"
        f"<p>Période : du {html.escape(p['start'][:10])} au {html.escape(p['end'][:10])}. "
        f"Les textes des messages de danger ne sont jamais affichés ; dans les messages non compris, "
        f"numéros, adresses électroniques et postales sont masqués.</p>",
        "<h2>En bref</h2>" + _table(["Indicateur", "Valeur"], [
            ["Conversations", report["conversations"]], ["Messages", report["messages"]],
            ["Messages non compris (taux)", f"{report['fallbacks']} ({report['fallback_rate'] * 100:.1f} %)"],
            ["Messages ayant reçu un numéro d'urgence", report["danger_messages"]],
            ["Avis « cette réponse m'a aidé » : oui / non", f"{fb['up']} / {fb['down']}"]]),
        "<h2>Conversations par jour</h2>" + _figure(
            _plot("bar", list(days), list(days.values()), "Conversations par jour"),
            "Conversations par jour : " + ", ".join(f"{d} : {n}" for d, n in days.items())),
        "<h2>Messages non compris par jour</h2>" + _figure(
            _plot("bar", list(report["fallbacks_per_day"]), list(report["fallbacks_per_day"].values()),
                  "Messages non compris par jour"),
            "Messages non compris par jour : " + ", ".join(
                f"{d} : {n}" for d, n in report["fallbacks_per_day"].items())),
        "<h2>Besoins exprimés (intentions)</h2>" + _figure(
            _plot("barh", [i for i, _ in intents], [n for _, n in intents], "Messages par intention"),
            "Messages par intention") + _table(["Intention", "Messages"], [[i, n] for i, n in report["intents"].items()]),
        "<h2>Communes demandées</h2><p>Vert : pôle connu ; orange : commune du 92 sans pôle dans nos données ; "
        "gris : hors des Hauts-de-Seine.</p>" + _figure(
            _plot("barh", place_labels, place_values, "Conversations par commune", place_colors),
            "Conversations par commune") + _table(
            ["Commune", "Conversations", "Pôle connu"],
            [[n, c["count"], "oui" if c["covered"] else "non"] for n, c in communes.items()]
            + [[n, c, "hors 92"] for n, c in outside.items()]),
        "<h2>Numéros d'urgence donnés</h2>" + _figure(
            _plot("barh", list(helplines), list(helplines.values()), "Numéros donnés"), "Numéros donnés")
        + _table(["Numéro", "Fois"], [[n, c] for n, c in helplines.items()]),
        "<h2>Avis des usagers</h2>" + _figure(
            _plot("barh", ["Oui", "Non"], [fb["up"], fb["down"]], "Cette réponse vous a-t-elle aidé ?",
                  ["#1f7a3d", "#b00020"]), f"Avis : oui {fb['up']}, non {fb['down']}")
        + _table(["Intention", "Oui", "Non"], [[i, c["up"], c["down"]] for i, c in fb["by_intent"].items()]),
        "<h2>Messages non compris</h2>" + _table(
            ["Message (masqué)", "Fois"], [[u["text"], u["count"]] for u in report["unanswered"]]),
    ]
    style = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}"
             "table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;padding:.3rem .6rem;"
             "text-align:left}img{max-width:100%}")
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Rapport — assistant des pôles '
            f'sociaux</title><style>{style}</style></head><body>{"".join(sections)}</body></html>\n')


def write(settings: Settings, days: int, out: Path, knowledge: Any, now: Optional[float] = None) -> dict:
    end = time.time() if now is None else now
    start = end - days * DAY_S
    report = build(_rows(settings, start, end), start, end, knowledge)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "report.html").write_text(render_html(report), encoding="utf-8")
    return report


def main(settings: Settings, days: int, out: Optional[str]) -> int:
    from knowledge import get_knowledge

    if days < 1:
        print("[report] --days must be at least 1")
        return 2
    target = Path(out) if out else DEFAULT_OUT
    try:
        report = write(settings, days, target, get_knowledge())
    except sa.exc.SQLAlchemyError as error:
        print(f"[report] cannot read the tracker store: {type(error).__name__}")
        return 1
    print(f"[report] {report['conversations']} conversation(s), {report['messages']} message(s) over "
          f"{days} day(s): {target / 'report.html'} and {target / 'report.json'}")
    return 0
