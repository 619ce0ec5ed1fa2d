"""The single-machine setup (SQLite, no HTTP API): restart, API off, log privacy.

Order matters: the last tests restart the Rasa server with LOG_LEVEL=DEBUG.
"""
from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest

from tests.production.helpers import (
    RUN_ID, SENSITIVE, WEDNESDAY_MORNING, check_reply, model_path, restart, sqlite_user_events,
)
from tests.support.servers import BotServers, post_json

pytestmark = pytest.mark.servers

# Whatever the caller's shell has, this module runs the single-machine defaults.
DEFAULTS = {"BOT_NOW": WEDNESDAY_MORNING, "LOG_LEVEL": "INFO", "RASA_API_TOKEN": "",
            "DATABASE_URL": "", "DB_HOST": "", "REDIS_URL": "", "REDIS_HOST": "",
            "RABBITMQ_URL": "", "RASA_ENDPOINTS": ""}


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("single")
    with BotServers(workdir, extra_env=DEFAULTS, model=model_path()) as servers:
        yield servers


def _status(method: str, url: str) -> int:
    req = urllib.request.Request(url, method=method, data=b"{}" if method == "POST" else None)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.mark.parametrize("method,path", [
    ("GET", "/status"), ("GET", "/conversations/x/tracker"),
    ("POST", "/conversations/x/messages"), ("POST", "/model/parse"), ("PUT", "/model"),
])
def test_without_a_token_the_http_api_is_not_served(single, method, path):
    assert _status(method, single.base_url + path) in (403, 404)
    assert _status(method, single.base_url + path + "?token=anything") in (403, 404)


def test_rest_cors_answers_only_allowed_origins(single):
    allowed = f"http://localhost:{single.web_port}"
    for origin, ok in ((allowed, True), ("http://evil.example", False)):
        req = urllib.request.Request(single.rest_url, method="OPTIONS", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                header = resp.headers.get("Access-Control-Allow-Origin")
        except urllib.error.HTTPError as err:
            header = err.headers.get("Access-Control-Allow-Origin")
        assert (header == origin) is ok, (origin, header)


def test_sensitive_message_not_in_logs_at_info(single):
    who = f"privacy-{RUN_ID}"
    status, _ = post_json(single.rest_url, {"sender": who, "message": SENSITIVE})
    assert status == 200
    # Rasa quotes a message starting with "/" in a warning: masked too.
    for slashed in ("/inform{" + SENSITIVE, "/" + SENSITIVE, "/greet" + SENSITIVE):
        post_json(single.rest_url, {"sender": who, "message": slashed})
    time.sleep(0.5)
    for name, proc in single.processes.items():
        log = proc.log()
        assert "Rasa server is up" in log or "Action endpoint is up" in log
        assert "enceinte" not in log and "frappe" not in log, f"{name} log leaks message text"


def test_rasa_server_restart_keeps_the_context_sqlite(single):
    who = f"restart-{RUN_ID}"
    reply = single.texts(who, "j'habite à Gennevilliers")
    assert check_reply("Gennevilliers", reply, True) is None, reply
    # Restarted with DEBUG on, for the next test.
    seconds = restart(single.processes["rasa"], {"LOG_LEVEL": "DEBUG"})
    print(f"\n[restart] Rasa server (SQLite) back in {seconds:.1f} s")
    reply = single.texts(who, "et l'adresse ?")
    assert check_reply("Gennevilliers", reply, True) is None, reply
    assert sqlite_user_events(single.workdir / "tracker.db", who) == 2


def test_at_debug_the_text_is_logged_operator_choice(single):
    """The positive control of the privacy test: the scan does see message
    text when a process logs it, which only happens at LOG_LEVEL=DEBUG."""
    single.texts(f"debug-{RUN_ID}", SENSITIVE)
    time.sleep(0.5)
    assert SENSITIVE in single.processes["rasa"].log()
