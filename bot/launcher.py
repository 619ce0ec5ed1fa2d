"""Start, supervise and stop the assistant's processes.

    action server  (rasa_sdk)      :ACTION_PORT (5055)
    Rasa server    (rasa run)      :RASA_PORT   (5005)  REST + socket.io
    web demo page  (bot.web)       :WEB_PORT    (8080)

Logs of all three go to this terminal. Ctrl-C (SIGINT), SIGTERM or SIGHUP stops
every process started here, however many times and whenever they arrive (during
start-up, while serving, during the shutdown itself); the exit code is then 0.
If one server dies or cannot start, the others are stopped too (exit code 1).
Each server gets STOP_GRACE_S seconds to stop, then its whole process group is
killed; the servers also get SIGTERM if the launcher itself is killed.
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

from bot import credentials, endpoints
from bot.settings import ROOT, Settings, VAR_DIR
from bot.training import MODEL_PATH

READY_TIMEOUT_S = 300
# Installs the privacy log filter in both servers (bot/logging_privacy.py).
LOGGING_CONFIG = ROOT / "bot" / "logging.yml"
PURGE_INTERVAL_S = 24 * 3600
# Seconds each server gets to stop after SIGTERM before it is killed.
STOP_GRACE_S = 10.0


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
    # The messaging platforms' API URLs, unless set (a test points them at a fake).
    for name, value in credentials.env_for(settings).items():
        env.setdefault(name, value)
    return env


def action_server_cmd(settings: Settings) -> list[str]:
    return [
        # rasa_sdk, with a request-size cap fit for whole trackers (bot/action_server.py)
        sys.executable, "-m", "bot.action_server", "--actions", "actions",
        "--host", settings.action_host, "--port", str(settings.action_port),
        # (sic: rasa_sdk 3.6 spells this option with an underscore)
        "--logging-config_file", str(LOGGING_CONFIG),
    ]


def rasa_server_cmd(settings: Settings, model: Path = MODEL_PATH, port: int | None = None) -> list[str]:
    cmd = [
        sys.executable, "-m", "rasa", "run",
        "--model", str(model),
        "--port", str(port or settings.rasa_port),
        "--interface", settings.host,
        "--credentials", str(credentials.path_for(settings)),
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


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM if the launcher itself dies
    (even by SIGKILL), so no server outlives it."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the signal handlers still stop the tree
        pass


PR_SET_PDEATHSIG = 1


@dataclass
class Service:
    name: str
    cmd: list[str]
    health_url: str
    process: subprocess.Popen | None = None

    def start(self, env: dict[str, str]) -> None:
        # Own process group, so a stop reaches the whole tree.
        self.process = subprocess.Popen(self.cmd, cwd=ROOT, env=env, start_new_session=True,
                                        preexec_fn=_die_with_parent)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal_group(self, sig: int) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass  # the whole group is already gone

    def terminate(self) -> None:
        """Ask the whole process group to stop (idempotent)."""
        if self.alive():
            self.signal_group(signal.SIGTERM)

    def reap(self, deadline: float) -> None:
        """Wait until `deadline` (monotonic) for the group leader, then SIGKILL
        the group: nothing of the tree survives, whatever its state."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"[run] {self.name} did not stop in time: killing it.", file=sys.stderr,
                  flush=True)
        # Also reaches any process the leader started and left behind.
        self.signal_group(signal.SIGKILL)
        self.process.wait()


def stop_all(procs: list[Service], grace_s: float = STOP_GRACE_S) -> None:
    """Stop every service at once; each gets `grace_s` seconds, then SIGKILL."""
    for service in procs:
        service.terminate()
    deadline = time.monotonic() + grace_s
    for service in procs:
        service.reap(deadline)


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


class StopRequest:
    """Records SIGINT / SIGTERM / SIGHUP. The handler only notes the signal: it
    never raises, so no signal can interrupt a start or a shutdown half-way,
    and any number of them lead to the same single, complete shutdown."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self, prefix: str = "run") -> None:
        self.prefix = prefix
        self.received: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.received)

    def install(self) -> None:
        for sig in self.SIGNALS:
            signal.signal(sig, self._handle)

    def ignore_further(self) -> None:
        """Once everything is stopped: further signals change nothing. SIG_IGN,
        not a Python handler, because Python restores the default handlers while
        the interpreter shuts down, and a late SIGINT would then kill the process
        (exit code -2 instead of 0; seen under load in a signal storm)."""
        for sig in self.SIGNALS:
            signal.signal(sig, signal.SIG_IGN)

    def _handle(self, signum: int, _frame) -> None:
        name = signal.Signals(signum).name
        if not self.received:
            print(f"\n[{self.prefix}] {name} received: stopping...", flush=True)
        self.received.append(name)


def run(settings: Settings) -> int:
    """Start the three servers, supervise them, stop them all. Exit code: 0 for a
    requested stop (a signal), 1 when a server could not start or died."""
    stop = StopRequest()
    stop.install()
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
    if settings.auto_purge and not stop:
        # Retention is enforced without an operator: now, then every 24 h.
        from bot import purge
        purge.scheduled(settings)
        next_purge += PURGE_INTERVAL_S
    env = rasa_env(settings)
    procs = services(settings)
    started = time.monotonic()
    try:
        return _supervise(settings, procs, env, stop, started, next_purge)
    finally:
        stop_all(procs)
        stop.ignore_further()
        print("[run] all processes stopped.", flush=True)


def _supervise(settings: Settings, procs: list[Service], env: dict[str, str],
               stop: StopRequest, started: float, next_purge: float) -> int:
    for service in procs:
        if stop:
            return 0
        service.start(env)
    pending = list(procs)
    while pending:
        if stop:
            return 0
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
        f"actions: http://127.0.0.1:{settings.action_port}/webhook (local only)  "
        f"channels: {credentials.describe(settings)}  "
        "(Ctrl-C to stop)",
        flush=True,
    )
    while not stop:
        for service in procs:
            if not service.alive():
                print(f"[run] {service.name} stopped (code {service.process.returncode}); "
                      "stopping the others.", file=sys.stderr, flush=True)
                return 1
        if settings.auto_purge and time.monotonic() >= next_purge:
            from bot import purge
            purge.scheduled(settings)
            next_purge += PURGE_INTERVAL_S
        time.sleep(0.25)
    return 0


ROLES = {"rasa": rasa_server_cmd, "actions": action_server_cmd, "web": web_server_cmd}


def serve(settings: Settings, role: str) -> int:
    """One server in the foreground, for a container (`python -m bot serve <role>`).

    The server runs as a child of this process, which is PID 1 in the container:
    PID 1 gets no default signal handling, and Rasa's server installs no SIGTERM
    handler, so an exec'd Rasa would ignore `docker stop` until SIGKILL. Here
    SIGTERM / SIGINT (any number) give the server STOP_GRACE_S seconds, then
    kill its process group; the exit code is 0 for a requested stop, else the
    server's own (1 if a signal killed it)."""
    stop = StopRequest(prefix=f"serve {role}")
    stop.install()
    service = Service(role, ROLES[role](settings), health_url="")
    try:
        service.start(rasa_env(settings))
        while not stop:
            if not service.alive():
                code = service.process.returncode
                print(f"[serve {role}] the server exited (code {code}).", file=sys.stderr,
                      flush=True)
                return code if code and code > 0 else 1
            time.sleep(0.25)
        return 0
    finally:
        stop_all([service])
        stop.ignore_further()
