"""The replicated topology with real processes: two Rasa servers (each with its
own action server) sharing PostgreSQL (tracker store), Redis (lock store) and
RabbitMQ (event broker), the HTTP API behind a token.

Order matters in this module: the last test reads every process log, after the
fault tests have driven the servers through their error paths.
"""
from __future__ import annotations

import asyncio
import json
import subprocess
import time
import urllib.error
import urllib.request

import aiohttp
import pytest

from bot.channel_messages import APOLOGY
from tests.production.helpers import (
    ASNIERES_FAMILY, ISSY_FAMILY, RUN_ID, SCRIPT, SENSITIVE, WEDNESDAY_MORNING, Cluster,
    check_reply, expected_street, forget_status, percentile, port_open, restart, send,
    user_event_counts,
)
from tests.support.servers import post_json

pytestmark = [pytest.mark.servers, pytest.mark.postgres, pytest.mark.redis,
              pytest.mark.rabbitmq]

TOKEN = "jeton-de-test-" + RUN_ID
CONVERSATIONS = 200
# Requests in flight at once, over both replicas. All 200 conversations are
# open together; this only caps the HTTP concurrency on 2 cores.
IN_FLIGHT = 16


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, pg_database, redis_env, rabbitmq_env):
    env = {"BOT_NOW": WEDNESDAY_MORNING, "DATABASE_URL": pg_database, **redis_env,
           **rabbitmq_env, "RASA_API_TOKEN": TOKEN, "LOG_LEVEL": "INFO"}
    with Cluster(tmp_path_factory.mktemp("cluster"), env) as running:
        running.db_url = pg_database
        running.queue = rabbitmq_env["RABBITMQ_QUEUE"]
        yield running


def sender(name: str) -> str:
    """A conversation id unique to this run (the run id first: prefix queries)."""
    return f"{RUN_ID}-{name}"


# --- context across replicas ------------------------------------------------

@pytest.mark.parametrize("commune", ["Clamart", "Gennevilliers"])
def test_one_conversation_alternating_replicas_keeps_its_commune(cluster, commune):
    who = sender(f"alt-{commune}")
    for i, (template, wants_address) in enumerate(SCRIPT):
        node = cluster.nodes[i % 2]
        reply = node.texts(who, template.format(commune=commune))
        problem = check_reply(commune, reply, wants_address)
        assert problem is None, f"turn {i + 1} on replica {i % 2}: {problem}\n{reply}"
    assert user_event_counts(cluster.db_url, who) == {who: len(SCRIPT)}


def test_a_long_conversation_still_reaches_the_actions(cluster):
    """The action server receives the whole tracker: after a dozen turns it is
    over the public 64 kB body cap, which must not apply there."""
    who = sender("long")
    cluster.nodes[0].texts(who, "j'habite à Meudon")
    for i in range(30):
        reply = cluster.nodes[i % 2].texts(who, "et l'adresse ?")
        assert check_reply("Meudon", reply, True) is None, f"turn {i + 2}: {reply}"


def test_simultaneous_messages_of_one_conversation_are_serialised_by_the_redis_lock(cluster):
    """Both replicas get messages of the same conversation at the same moment:
    the shared lock makes them take turns, so no event is lost or interleaved."""
    who = sender("lock")
    urls = [node.rest_url for node in cluster.nodes]
    rounds = 8

    async def run() -> list:
        async with aiohttp.ClientSession() as session:
            first = await send(session, urls[0], who, "j'habite à Meudon")
            turns = [first]
            for _ in range(rounds):
                turns += await asyncio.gather(
                    *(send(session, url, who, "et l'adresse ?") for url in urls))
            return turns

    turns = asyncio.run(run())
    assert all(t.status == 200 for t in turns), [(t.status, t.error) for t in turns]
    bad = [check_reply("Meudon", t.text, True) for t in turns]
    assert not [b for b in bad if b], bad
    assert user_event_counts(cluster.db_url, who) == {who: 1 + 2 * rounds}
    # Each user message is followed by its own actions before the next one.
    import psycopg2
    with psycopg2.connect(cluster.db_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT type_name, action_name FROM events WHERE sender_id = %s "
                    "ORDER BY id", (who,))
        events = cur.fetchall()
    listening = True
    for type_name, action in events:
        if type_name == "user":
            assert listening, "a user message was stored while another turn was running"
            listening = False
        elif type_name == "action" and action == "action_listen":
            listening = True


def test_200_concurrent_conversations_over_both_replicas_nothing_lost_or_crossed(cluster):
    senders = [sender(f"load{i:03d}") for i in range(CONVERSATIONS)]
    urls = [node.rest_url for node in cluster.nodes]
    problems: list[str] = []
    latencies: list[float] = []

    async def conversation(session, slots: asyncio.Semaphore, i: int) -> None:
        # Even conversations in the Issy hub's communes, odd ones in Asnières'.
        commune = ISSY_FAMILY[(i // 2) % 4] if i % 2 == 0 else ASNIERES_FAMILY[(i // 2) % 2]
        expected[senders[i]] = commune
        for t, (template, wants_address) in enumerate(SCRIPT):
            url = urls[(i + t) % 2]  # every conversation changes replica each turn
            async with slots:  # latency = server time, not time queued in the client
                turn = await send(session, url, senders[i], template.format(commune=commune),
                                  timeout=180)
            latencies.append(turn.seconds)
            if turn.status != 200:
                problems.append(f"{senders[i]} turn {t + 1}: HTTP {turn.status} {turn.error}")
                continue
            problem = check_reply(commune, turn.text, wants_address)
            if problem:
                problems.append(f"{senders[i]} turn {t + 1}: {problem}")

    expected: dict[str, str] = {}

    async def run() -> None:
        slots = asyncio.Semaphore(IN_FLIGHT)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=IN_FLIGHT)) as session:
            await asyncio.gather(*(conversation(session, slots, i) for i in range(CONVERSATIONS)))

    started = time.monotonic()
    asyncio.run(run())
    elapsed = time.monotonic() - started
    turns = CONVERSATIONS * len(SCRIPT)
    print(f"\n[load] {CONVERSATIONS} conversations x {len(SCRIPT)} turns = {turns} turns over "
          f"2 replicas in {elapsed:.1f} s ({turns / elapsed:.1f} turns/s); latency "
          f"p50 {percentile(latencies, .5):.2f} s, p95 {percentile(latencies, .95):.2f} s, "
          f"max {max(latencies):.2f} s")
    assert not problems, f"{len(problems)} bad turns, e.g.:\n" + "\n".join(problems[:20])
    families = {expected_street(c)[0] for c in expected.values()}
    assert len(families) == 2, "both hubs must be exercised"
    counts = user_event_counts(cluster.db_url, sender("load"))
    lost = {s: counts.get(s, 0) for s in senders if counts.get(s, 0) != len(SCRIPT)}
    assert not lost, f"user events stored != turns sent for {len(lost)} conversations: " \
                     f"{dict(list(lost.items())[:10])}"


# --- event broker -------------------------------------------------------------

def test_events_of_a_conversation_arrive_on_the_rabbitmq_queue_in_turn_order(cluster, rabbitmq_env):
    """The product's promise (docs/deployment.md, "Event stream"): a turn's events
    are confirmed by RabbitMQ before its reply returns, so a conversation's events
    are on the queue in the order of its turns, whichever replica served them.

    No waiting: each turn's events must already be on the queue when its reply
    has arrived. The turns alternate between the replicas, several times."""
    import aio_pika
    who = sender("broker")
    turns = [(0, "j'habite à Vanves"), (1, "et l'adresse ?"), (0, "et les horaires ?"),
             (1, "c'est ouvert samedi ?"), (0, "et l'adresse ?"), (1, "merci")]

    async def drain(queue) -> list[dict]:
        """Everything on the queue right now (basic.get until empty)."""
        events = []
        while (message := await queue.get(no_ack=True, fail=False)) is not None:
            events.append(json.loads(message.body))
        return events

    async def run() -> list[list[dict]]:
        connection = await aio_pika.connect(rabbitmq_env["RABBITMQ_URL"])
        per_turn: list[list[dict]] = []
        try:
            channel = await connection.channel()
            queue = await channel.declare_queue(cluster.queue, durable=True)
            await queue.purge()  # this run's queue: drop the other tests' events
            for node, text in turns:
                await asyncio.to_thread(cluster.nodes[node].texts, who, text)
                per_turn.append([e for e in await drain(queue) if e.get("sender_id") == who])
        finally:
            await connection.close()
        return per_turn

    per_turn = asyncio.run(run())
    for (node, text), events in zip(turns, per_turn):
        users = [e.get("text") for e in events if e.get("event") == "user"]
        assert users == [text], f"turn {text!r} (replica {node}): user events on the queue " \
                                f"when its reply arrived: {users}"
        assert any(e.get("event") == "bot" for e in events), f"no bot event for {text!r}"
    events = [e for turn in per_turn for e in turn]
    assert "Jean-Pierre Timbaud" in " ".join(e.get("text") or "" for e in events
                                             if e.get("event") == "bot")
    # Each event once (published once per write, not per retry), in timestamp order.
    ids = [(e.get("event"), e.get("timestamp"), e.get("name"), e.get("text")) for e in events]
    assert len(ids) == len(set(ids)), "an event was published twice"
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps), "events out of timestamp order"


# --- faults -----------------------------------------------------------------

def test_action_server_killed_apology_within_2s_then_the_conversation_continues(cluster):
    node_a, node_b = cluster.nodes
    who = sender("actions-down")
    assert "Teddy Riner" in node_a.texts(who, "j'habite à Asnières-sur-Seine")
    actions = node_a.processes["actions"]
    actions.stop(sig=9)
    try:
        for text in ("et l'adresse ?", SENSITIVE):
            started = time.monotonic()
            status, body = post_json(node_a.rest_url, {"sender": who, "message": text})
            elapsed = time.monotonic() - started
            assert status == 200, (status, body)
            texts = " ".join(m.get("text") or "" for m in body)
            # An answer that needs the actions gets the apology, fast; a safety
            # reply (a domain response) may still come through.
            if text == "et l'adresse ?":
                assert texts == APOLOGY and elapsed < 2.0, (texts, elapsed)
            assert texts and elapsed < 2.0
        # The other replica has its own action server: the same conversation
        # goes on there, with its commune.
        assert check_reply("Asnières-sur-Seine", node_b.texts(who, "et l'adresse ?"), True) is None
    finally:
        actions.start()
    reply = node_a.texts(who, "et l'adresse ?")
    assert check_reply("Asnières-sur-Seine", reply, True) is None, reply


def test_rasa_server_restart_keeps_the_context_postgres(cluster):
    node_a, node_b = cluster.nodes
    who = sender("rasa-restart")
    assert "Jean-Pierre Timbaud" in node_a.texts(who, "j'habite à Clamart")
    rasa = node_a.processes["rasa"]
    rasa.stop()
    try:
        # While replica A is down, replica B continues the conversation.
        assert check_reply("Clamart", node_b.texts(who, "et les horaires ?"), False) is None
    finally:
        seconds = restart(rasa)
    print(f"\n[restart] Rasa replica back in {seconds:.1f} s")
    reply = node_a.texts(who, "et l'adresse ?")
    assert check_reply("Clamart", reply, True) is None, reply


def _pg(action: str) -> subprocess.CompletedProcess:
    version = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True).stdout.split()
    return subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version[-1], "main",
                           action], capture_output=True, text=True, timeout=120)


def test_postgres_restarted_under_load_recovers_without_manual_restart(cluster):
    urls = [node.rest_url for node in cluster.nodes]
    conversations = 24
    communes = [(ISSY_FAMILY + ASNIERES_FAMILY)[i % 6] for i in range(conversations)]
    sent = {sender(f"pgr{i:02d}"): 0 for i in range(conversations)}
    problems: list[str] = []
    timeline: list[tuple[float, bool]] = []
    stop_at: list[float] = []
    started = time.monotonic()

    async def conversation(session, i: int) -> None:
        who = sender(f"pgr{i:02d}")
        t = 0
        while not stop_at or time.monotonic() < stop_at[0]:
            template, wants_address = SCRIPT[t] if t < len(SCRIPT) else SCRIPT[2 + t % 8]
            if t == 4:
                template, wants_address = SENSITIVE, False  # privacy check at the end
            turn = await send(session, urls[(i + t) % 2], who,
                              template.format(commune=communes[i]), timeout=120)
            sent[who] += 1
            if template == SENSITIVE:  # a safety answer: no hub to check, but no crossing
                ok = bool(turn.text) and expected_street(communes[i])[1] not in turn.text
            else:
                ok = check_reply(communes[i], turn.text, wants_address) is None
            ok = ok and turn.status == 200
            timeline.append((time.monotonic() - started, ok))
            if turn.status != 200:
                problems.append(f"{who} turn {t + 1}: HTTP {turn.status} {turn.error}")
            elif not ok:
                problems.append(f"{who} turn {t + 1}: {turn.text[:120]!r}")
            t += 1

    async def run() -> float:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=16)) as session:
            load = asyncio.gather(*(conversation(session, i) for i in range(conversations)))
            await asyncio.sleep(4)
            restart_at = time.monotonic() - started
            result = await asyncio.to_thread(_pg, "restart")
            assert result.returncode == 0, result.stderr
            back_at = time.monotonic() - started
            stop_at.append(time.monotonic() + 10)  # keep the load on after the restart
            await load
            return restart_at, back_at

    try:
        restart_at, back_at = asyncio.run(run())
    finally:
        # Whatever happened, PostgreSQL must be running for everyone else.
        if not port_open("127.0.0.1", 5432):
            _pg("start")
        forget_status("postgres")
    after = [ok for t, ok in timeline if t > back_at + 1]
    print(f"\n[pg-restart] restart {restart_at:.1f}-{back_at:.1f} s; {len(timeline)} turns, "
          f"{sum(not ok for _, ok in timeline)} not answered in context; "
          f"{len(after)} turns after the restart")
    assert after and all(after), "turns after the restart must all succeed"
    assert not problems, f"{len(problems)} bad turns, e.g.:\n" + "\n".join(problems[:15])
    counts = user_event_counts(cluster.db_url, sender("pgr"))
    lost = {s: (counts.get(s, 0), n) for s, n in sent.items() if counts.get(s, 0) != n}
    assert not lost, f"(stored, sent) differ: {lost}"


# --- security and bad input --------------------------------------------------

def _get(url: str, headers: dict | None = None) -> int:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.mark.parametrize("path", ["/status", "/conversations/x/tracker", "/version"])
def test_http_api_refuses_calls_without_the_token(cluster, path):
    base = cluster.nodes[0].base_url
    if path == "/version":  # public by design in Rasa: no data behind it
        assert _get(base + path) == 200
        return
    assert _get(base + path) == 401
    assert _get(base + path + "?token=wrong") == 401
    assert _get(base + path, {"Authorization": "Bearer wrong"}) == 401
    assert _get(base + path + f"?token={TOKEN}") == 200


def test_http_api_with_the_token_reads_a_conversation(cluster):
    who = sender("api")
    cluster.nodes[0].texts(who, "j'habite à Clamart")
    url = f"{cluster.nodes[1].base_url}/conversations/{who}/tracker?token={TOKEN}"
    with urllib.request.urlopen(url, timeout=10) as resp:
        tracker = json.load(resp)
    assert tracker["slots"].get("commune") == "92023"  # Clamart's INSEE code


@pytest.mark.parametrize("origin,allowed", [
    ("http://evil.example", False), ("null", False), ("ALLOWED", True)])
def test_socketio_handshake_honours_the_cors_allow_list(cluster, origin, allowed):
    node = cluster.nodes[0]
    if origin == "ALLOWED":
        origin = f"http://localhost:{node.web_port}"
    url = f"{node.base_url}/socket.io/?EIO=4&transport=polling"
    req = urllib.request.Request(url, headers={"Origin": origin})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            status, cors = resp.status, resp.headers.get("Access-Control-Allow-Origin")
    except urllib.error.HTTPError as err:
        status, cors = err.code, err.headers.get("Access-Control-Allow-Origin")
    if allowed:
        assert status == 200 and cors == origin
    else:
        assert status in (400, 403) and cors != origin


@pytest.mark.parametrize("body,expected", [
    (b"\xff\xfe\x00 not utf-8", 400),
    (b'{"sender": "x", "message": "Bonjour", "metadata": ' + b"[" * 5000 + b"]" * 5000 + b"}", 400),
    (b'{"sender": "' + b"s" * 129 + b'", "message": "Bonjour"}', 400),
    (b'{"sender": "x", "message": null}', 400),
    (b'{"sender": {"id": 1}, "message": "Bonjour"}', 400),
    (b'{"sender": "x", "message": 3.14}', 400),
    (b'{"sender": "x\\u0000y", "message": "Bonjour"}', None),
    (b'{"sender": "x", "message": "Bon\\u0000jour \\ud800"}', None),
])
def test_more_bad_input_gets_4xx_or_a_reply_and_the_replica_keeps_serving(cluster, body, expected):
    """Adds to tests/foundation/test_rest_channel.py, here on PostgreSQL."""
    node = cluster.nodes[1]
    status, answer = post_json(node.rest_url, body)
    if expected:
        assert status == expected, (status, answer)
    else:
        assert status < 500 and status in (200, 400), (status, answer)
    assert "Jean-Pierre Timbaud" in node.texts(sender("after-bad"), "j'habite à Vanves")


def test_rest_fuzz_200_hostile_messages_no_server_error(cluster):
    from bench.fuzz_rest import fuzz
    report = asyncio.run(fuzz([n.rest_url for n in cluster.nodes], n=200, seed=7,
                              sender_prefix=sender("fuzz")))
    print(f"\n[fuzz] {report.summary()}")
    assert report.server_errors == 0 and report.transport_errors == 0, report.summary()
    assert all(n.processes["rasa"].popen.poll() is None for n in cluster.nodes)


# --- privacy (last: reads the logs of everything above) ----------------------

def test_no_message_text_in_any_log_at_info(cluster):
    for node in cluster.nodes:  # once more, through the normal path
        node.texts(sender("privacy"), SENSITIVE)
    time.sleep(1)
    logs = cluster.logs()
    assert all(logs.values()), "every process must have written a log"
    leaks = {name: [line for line in text.splitlines()
                    if any(w in line for w in ("enceinte", "frappe", "habite à"))]
             for name, text in logs.items()}
    assert not any(leaks.values()), {k: v[:3] for k, v in leaks.items() if v}
