"""`make run`'s launcher, and the idempotence of `make install` / `make train`."""
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from actions.action_greet import GREETING
from bot import training
from bot.launcher import is_healthy, port_in_use
from bot.settings import ROOT
from tests.support.servers import free_port, post_json

pytestmark = pytest.mark.servers


def test_run_serves_all_three_and_ctrl_c_stops_everything(tmp_path):
    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port()}
    env = dict(os.environ, **{k: str(v) for k, v in ports.items()},
               TRACKER_SQLITE_PATH=str(tmp_path / "tracker.db"), BIND_HOST="127.0.0.1")
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "[run] ready in" in line:
                break
        assert any("[run] ready in" in line for line in lines), "".join(lines[-30:])
        status, body = post_json(
            f"http://127.0.0.1:{ports['RASA_PORT']}/webhooks/rest/webhook",
            {"sender": "launcher", "message": "Bonjour"})
        assert status == 200 and body[0]["text"] == GREETING
        assert is_healthy(f"http://127.0.0.1:{ports['WEB_PORT']}/")
        assert (tmp_path / "tracker.db").exists(), "SQLite tracker store is on by default"
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    assert "all processes stopped" in out
    for port in ports.values():
        assert not port_in_use(port), f"port {port} still served after Ctrl-C"


def test_run_refuses_busy_ports_with_a_clear_message(tmp_path):
    import socket
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = dict(os.environ, RASA_PORT=str(port), ACTION_PORT=str(free_port()),
                   WEB_PORT=str(free_port()))
        result = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert str(port) in result.stderr and "already in use" in result.stderr


def test_second_install_does_nothing():
    site = next((ROOT / ".venv" / "lib").glob("python3.*/site-packages"))
    before = site.stat().st_mtime_ns
    result = subprocess.run(["scripts/install.sh"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout == "" and result.stderr == ""
    assert site.stat().st_mtime_ns == before


def _project_copy(tmp_path):
    for name in ("config.yml", "domain", "data"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    return tmp_path


def test_train_runs_once_then_skips_until_the_data_changes(tmp_path, monkeypatch):
    root = _project_copy(tmp_path)
    model = root / "models" / "current.tar.gz"
    calls = []

    def fake_rasa_train(cmd, cwd, check):
        calls.append(cmd)
        model.write_bytes(b"model")

    monkeypatch.setattr(training.subprocess, "run", fake_rasa_train)
    assert training.train(root=root, model=model) is True
    assert calls and calls[0][2:4] == ["rasa", "train"]
    assert training.train(root=root, model=model) is False, "retrained an up-to-date model"
    assert len(calls) == 1
    (root / "domain" / "core.yml").write_text((root / "domain" / "core.yml").read_text() + "\n")
    assert training.train(root=root, model=model) is True
    assert len(calls) == 2
