"""Start, supervise and stop the assistant's processes.

    action server  (rasa_sdk)      :ACTION_PORT (5055)
    Rasa server    (rasa run)      :RASA_PORT   (5005)  REST + socket.io
    web demo page  (bot.web)       :WEB_PORT    (8080)

Logs of all three go to this terminal. Ctrl-C (SIGINT) or SIGTERM stops every
process started here; if one of them dies, the others are stopped too.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bot import endpoints
from bot.settings import ROOT, Settings, VAR_DIR
from bot.training import MODEL_PATH

READY_TIMEOUT_S = 300
# Installs the privacy log filter in both servers (bot/logging_privacy.py).
LOGGING_CONFIG = ROOT / "bot" / "logging.yml"
PURGE_INTERVAL_S = 24 * 3600


def rasa_env(settings: Settings) -> dict[str, str]:
    """Environment for every rasa / rasa_sdk process: fills endpoints.yml's ${VARS}."""
    return rasa_env_from(settings, dict(os.environ))


def rasa_env_from(settings: Settings, base: dict[str, str]) -> dict[str, str]:
    env = dict(base)
    env.setdefault("ACTION_SERVER_URL", settings.action_endpoint)
    env.setdefault("TRACKER_SQLITE_PATH", str(settings.sqlite_path))
    env.setdefault("CORS_ORIGINS", ",".join(settings.cors_origins))
    # Sanic reads SANIC_* variables: cap request bodies (413 beyond).
    env.setdefault("SANIC_REQUEST_MAX_SIZE", str(settings.max_request_bytes))
    env.setdefault("MAX_MESSAGE_CHARS", str(settings.max_message_chars))
    env.setdefault("PYTHONPATH", str(ROOT))
    # Quieter TensorFlow start-up; no telemetry calls from a closed network.
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("LOG_LEVEL_LIBRARIES", "ERROR")
    # Values for the generated endpoints file's ${VARS} (PostgreSQL, Redis,
    # RabbitMQ); the settings decide, e.g. DATABASE_URL over DB_HOST.
    env.update(endpoints.env_for(settings))
    return env


def action_server_cmd(settings: Settings) -> list[str]:
    return [
        # rasa_sdk, with a request-size cap fit for whole trackers (bot/action_server.py)
        sys.executable, "-m", "bot.action_server", "--actions", "actions",
        "--port", str(settings.action_port),
        # (sic: rasa_sdk 3.6 spells this option with an underscore)
        "--logging-config_file", str(LOGGING_CONFIG),
    ]


def rasa_server_cmd(settings: Settings, model: Path = MODEL_PATH, port: int | None = None) -> list[str]:
    cmd = [
        sys.executable, "-m", "rasa", "run",
        "--model", str(model),
        "--port", str(port or settings.rasa_port),
        "--interface", settings.host,
        "--credentials", "credentials.yml",
        "--endpoints", str(endpoints.path_for(settings)),
        "--logging-config-file", str(LOGGING_CONFIG),
        "--cors", *settings.cors_origins,
    ]
    if settings.api_token:
        # The HTTP API is only ever enabled behind a token.
        cmd += ["--enable-api", "--auth-token", settings.api_token]
    return cmd


def web_server_cmd(settings: Settings) -> list[str]:
    return [sys.executable, "-m", "bot.web", "--port", str(settings.web_port),
            "--host", settings.host]


@dataclass
class Service:
    name: str
    cmd: list[str]
    health_url: str
    process: subprocess.Popen | None = None

    def start(self, env: dict[str, str]) -> None:
        # Own process group, so a stop reaches the whole tree.
        self.process = subprocess.Popen(self.cmd, cwd=ROOT, env=env, start_new_session=True)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, grace_s: float = 10.0) -> None:
        if not self.alive():
            return
        assert self.process is not None
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass


def is_healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def services(settings: Settings) -> list[Service]:
    return [
        Service("action server", action_server_cmd(settings),
                f"http://127.0.0.1:{settings.action_port}/health"),
        Service("Rasa server", rasa_server_cmd(settings),
                f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/"),
        Service("web page", web_server_cmd(settings),
                f"http://127.0.0.1:{settings.web_port}/healthz"),
    ]


class Stop(Exception):
    pass


def run(settings: Settings) -> int:
    if not MODEL_PATH.exists():
        print(f"No trained model at {MODEL_PATH}; run `make run` or `python -m bot train`.",
              file=sys.stderr)
        return 1
    busy = [p for p in (settings.action_port, settings.rasa_port, settings.web_port) if port_in_use(p)]
    if busy:
        print(f"[run] port(s) already in use: {busy}. Stop the other instance or set "
              "ACTION_PORT / RASA_PORT / WEB_PORT.", file=sys.stderr)
        return 1
    VAR_DIR.mkdir(exist_ok=True)
    next_purge = time.monotonic()
    if settings.auto_purge:
        # Retention is enforced without an operator: now, then every 24 h.
        from bot import purge
        purge.scheduled(settings)
        next_purge += PURGE_INTERVAL_S
    env = rasa_env(settings)
    procs = services(settings)

    def on_signal(signum, _frame):
        raise Stop(signal.Signals(signum).name)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    started = time.monotonic()
    code = 0
    try:
        for service in procs:
            service.start(env)
        pending = list(procs)
        while pending:
            for service in procs:
                if not service.alive():
                    print(f"[run] {service.name} exited early (code {service.process.returncode}).",
                          file=sys.stderr, flush=True)
                    return 1
            pending = [s for s in pending if not is_healthy(s.health_url)]
            if time.monotonic() - started > READY_TIMEOUT_S:
                print(f"[run] not ready after {READY_TIMEOUT_S} s: "
                      f"{', '.join(s.name for s in pending)}", file=sys.stderr, flush=True)
                return 1
            time.sleep(0.25)
        print(
            f"[run] ready in {time.monotonic() - started:.1f} s — "
            f"chat: http://localhost:{settings.web_port}/  "
            f"REST: http://localhost:{settings.rasa_port}/webhooks/rest/webhook  "
            f"actions: http://localhost:{settings.action_port}/webhook  (Ctrl-C to stop)",
            flush=True,
        )
        while True:
            for service in procs:
                if not service.alive():
                    print(f"[run] {service.name} stopped (code {service.process.returncode}); "
                          "stopping the others.", file=sys.stderr, flush=True)
                    return 1
            if settings.auto_purge and time.monotonic() >= next_purge:
                from bot import purge
                purge.scheduled(settings)
                next_purge += PURGE_INTERVAL_S
            time.sleep(0.5)
    except Stop as stop:
        print(f"\n[run] {stop} received: stopping...", flush=True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for service in reversed(procs):
            service.stop()
        print("[run] all processes stopped.", flush=True)
    return code
