"""deploy/nginx.conf in front of two real Rasa replicas — opt-in.

Runs only with NGINX_BIN=/path/to/nginx (no nginx on the CI machine). Without a
system install, Debian's binary works from a temporary directory:
    apt-get download nginx nginx-common && dpkg -x nginx_*.deb /tmp/nginx
    NGINX_BIN=/tmp/nginx/usr/sbin/nginx .venv/bin/python -m pytest tests/production/test_nginx_lb.py
The config is used as shipped, with only the upstream addresses, the listen
port and the file paths rewritten for this machine.
"""
from __future__ import annotations

import asyncio
import os
import subprocess
import time
from pathlib import Path

import pytest

from bot.settings import ROOT
from tests.production.helpers import (
    RUN_ID, WEDNESDAY_MORNING, Cluster, check_reply,
)
from tests.support.servers import free_port, post_json

NGINX = os.environ.get("NGINX_BIN", "")
pytestmark = [
    pytest.mark.skipif(not NGINX, reason="opt-in: set NGINX_BIN (see the module docstring)"),
    pytest.mark.servers, pytest.mark.postgres, pytest.mark.redis,
]


@pytest.fixture(scope="module")
def lb(tmp_path_factory, pg_database, redis_env):
    work = tmp_path_factory.mktemp("nginx")
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    env = {"BOT_NOW": WEDNESDAY_MORNING, "DATABASE_URL": pg_database, **redis_env,
           "CORS_ORIGINS": origin, "LOG_LEVEL": "INFO"}
    with Cluster(work / "cluster", env) as cluster:
        def config(sticky: bool) -> Path:
            text = (ROOT / "deploy" / "nginx.conf").read_text()
            upstreams = "\n    ".join(f"server 127.0.0.1:{n.rasa_port} max_fails=3 fail_timeout=10s;"
                                       for n in cluster.nodes)
            text = text.replace("server rasa:5005 max_fails=3 fail_timeout=10s;", upstreams)
            text = text.replace("server web:8080;", f"server 127.0.0.1:{free_port()};")
            text = text.replace("listen 80;", f"listen 127.0.0.1:{port};")
            text = text.replace("/var/log/nginx/access.log", str(work / "access.log"))
            temps = "".join(f"  {k}_temp_path {work}/{k};\n"
                            for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            text = text.replace("http {\n", "http {\n" + temps, 1)
            if not sticky:
                text = text.replace("ip_hash;", "")
            path = work / f"nginx-{'sticky' if sticky else 'rr'}.conf"
            path.write_text(text)
            return path

        def start(path: Path) -> None:
            cmd = [NGINX, "-p", str(work), "-c", str(path), "-g",
                   f"pid {work}/nginx.pid; error_log {work}/error.log;"]
            check = subprocess.run(cmd + ["-t"], capture_output=True, text=True)
            assert check.returncode == 0, check.stderr
            subprocess.run(cmd, check=True)
            time.sleep(0.5)

        def stop() -> None:
            pid = (work / "nginx.pid").read_text().strip()
            subprocess.run(["kill", "-QUIT", pid])
            time.sleep(1)

        cluster.base = origin
        cluster.lb_config, cluster.lb_start, cluster.lb_stop = config, start, stop
        cluster.work = work
        yield cluster


async def socketio_turns(base: str, origin: str, session: str, texts: list[str]) -> list[str]:
    import socketio
    client = socketio.AsyncClient()
    replies: list[str] = []
    confirmed = asyncio.Event()
    client.on("session_confirm", lambda _data: confirmed.set())

    @client.on("bot_uttered")
    async def on_bot(data):
        replies.append(data.get("text", ""))

    await client.connect(base, transports=["polling"], headers={"Origin": origin})
    try:
        await client.emit("session_request", {"session_id": session})
        await asyncio.wait_for(confirmed.wait(), 10)
        for text in texts:
            count = len(replies)
            await client.emit("user_uttered", {"message": text, "session_id": session})
            deadline = time.monotonic() + 30
            while len(replies) == count and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
    finally:
        await client.disconnect()
    return replies


def test_shipped_config_balances_rest_keeps_socketio_sticky_and_caps_bodies(lb):
    lb.lb_start(lb.lb_config(sticky=True))
    try:
        rest = f"{lb.base}/webhooks/rest/webhook"
        who = f"{RUN_ID}-nginx-rest"
        for text, wants in (("j'habite à Gennevilliers", True), ("et l'adresse ?", True)):
            status, body = post_json(rest, {"sender": who, "message": text})
            reply = " ".join(m.get("text") or "" for m in body)
            assert status == 200 and check_reply("Gennevilliers", reply, wants) is None
        assert post_json(rest, b'{"sender":"x","message":"' + b"a" * 1_000_000 + b'"}')[0] == 413
        # Rasa's HTTP API is not routed to the Rasa servers.
        assert post_json(f"{lb.base}/conversations/x/tracker", b"{}")[0] != 200
        replies = asyncio.run(socketio_turns(lb.base, lb.base, f"{RUN_ID}-sio",
                                             ["j'habite à Clamart", "et l'adresse ?"]))
        assert len(replies) == 2 and all("Jean-Pierre Timbaud" in r for r in replies), replies
        # Both replicas served REST traffic through the balancer.
        log = (lb.work / "access.log").read_text()
        assert "POST /webhooks/rest/webhook" in log and "?" not in log, "no query strings"
    finally:
        lb.lb_stop()


def test_without_ip_hash_socketio_sessions_break(lb):
    """The control: the same config without stickiness loses socket.io sessions."""
    lb.lb_start(lb.lb_config(sticky=False))
    try:
        with pytest.raises(Exception):
            asyncio.run(asyncio.wait_for(socketio_turns(
                lb.base, lb.base, f"{RUN_ID}-sio-rr", ["j'habite à Clamart", "et l'adresse ?"]),
                60))
    finally:
        lb.lb_stop()
