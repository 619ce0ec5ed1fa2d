"""Start the real servers on free ports for tests, and talk to them.

Built on bot.launcher's command builders, so tests run exactly what `make run` runs.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot import launcher
from bot.settings import ROOT
from bot.settings import load as load_settings
from bot.training import MODEL_PATH


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process for {url} exited with code {process.returncode}")
        if launcher.is_healthy(url):
            return
        time.sleep(0.2)
    raise TimeoutError(f"{url} not healthy after {timeout_s} s")


def post_json(url: str, payload: object | bytes, timeout: float = 30) -> tuple[int, object]:
    """POST and return (status, decoded JSON or raw text); never raises on HTTP errors."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as err:
        status, raw = err.code, err.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


@dataclass
class Process:
    name: str
    cmd: list[str]
    health_url: str
    env: dict[str, str]
    log_path: Path
    popen: subprocess.Popen | None = None

    def start(self, wait: bool = True) -> None:
        log = open(self.log_path, "ab")
        self.popen = subprocess.Popen(
            self.cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if wait:
            wait_healthy(self.health_url, self.popen)

    def stop(self, sig: int = 15) -> None:
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, sig)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, 9)
                self.popen.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@dataclass
class BotServers:
    """Action server + Rasa server (+ web page) for one test module."""

    workdir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    model: Path = MODEL_PATH
    with_web: bool = False
    rasa_port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    web_port: int = field(default_factory=free_port)
    processes: dict[str, Process] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.model.exists():
            raise RuntimeError(f"no trained model at {self.model}: run `make train` first")
        env = dict(os.environ)
        env.update({
            "RASA_PORT": str(self.rasa_port), "ACTION_PORT": str(self.action_port),
            "WEB_PORT": str(self.web_port),
            "TRACKER_SQLITE_PATH": str(self.workdir / "tracker.db"),
            "CORS_ORIGINS": f"http://localhost:{self.web_port},http://127.0.0.1:{self.web_port}",
            "BIND_HOST": "127.0.0.1",
        })
        env.pop("ACTION_SERVER_URL", None)
        env.update(self.extra_env)
        for key in ("RASA_PORT", "ACTION_PORT", "WEB_PORT"):
            self.__dict__[key.lower()] = int(env[key])
        settings = load_settings(env)
        self.env = launcher.rasa_env_from(settings, env)
        self.processes["actions"] = Process(
            "actions", launcher.action_server_cmd(settings),
            f"http://127.0.0.1:{self.action_port}/health", self.env, self.workdir / "actions.log")
        self.processes["rasa"] = Process(
            "rasa", launcher.rasa_server_cmd(settings, model=self.model),
            f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/", self.env, self.workdir / "rasa.log")
        if self.with_web:
            self.processes["web"] = Process(
                "web", launcher.web_server_cmd(settings),
                f"http://127.0.0.1:{self.web_port}/healthz", self.env, self.workdir / "web.log")

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def start(self) -> "BotServers":
        try:
            for proc in self.processes.values():
                proc.start(wait=False)
            for proc in self.processes.values():
                wait_healthy(proc.health_url, proc.popen)
        except BaseException:
            self.stop()  # no orphan servers when one fails to start
            raise
        return self

    def stop(self) -> None:
        for proc in reversed(list(self.processes.values())):
            proc.stop()

    def __enter__(self) -> "BotServers":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def send(self, sender: str, message: str) -> list[dict]:
        status, body = post_json(self.rest_url, {"sender": sender, "message": message})
        assert status == 200, f"HTTP {status}: {body}"
        assert isinstance(body, list), body
        return body

    def texts(self, sender: str, message: str) -> str:
        """All bot texts of one turn, joined by newlines (button titles included)."""
        parts = []
        for msg in self.send(sender, message):
            if msg.get("text"):
                parts.append(msg["text"])
            for button in msg.get("buttons") or []:
                parts.append(button.get("title", ""))
        return "\n".join(parts)
