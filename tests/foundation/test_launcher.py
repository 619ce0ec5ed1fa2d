"""`make run`'s launcher, and the idempotence of `make install` / `make train`."""
import os
import threading
import shutil
import signal
import subprocess
import sys
import time

import psutil
import pytest

from bot import responses
from bot import training
from bot.launcher import is_healthy, port_in_use
from bot.settings import ROOT
from tests.support.servers import free_port, post_json

GREETING = responses.text("utter_greet")

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


class Launch:
    """`python -m bot run` in its own process group, as a supervisor starts it;
    its output is read in the background."""

    def __init__(self, tmp_path, **extra_env):
        self.ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(),
                      "WEB_PORT": free_port()}
        env = dict(os.environ, **{k: str(v) for k, v in self.ports.items()},
                   TRACKER_SQLITE_PATH=str(tmp_path / "tracker.db"), **extra_env)
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True)
        self.lines: list[str] = []
        self.tree: dict[int, psutil.Process] = {}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line)

    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            assert self.proc.poll() is None or text in self.output(), self.output()[-3000:]
            assert time.monotonic() < deadline, f"no {text!r} after {timeout} s:\n" \
                                                f"{self.output()[-3000:]}"
            self.note_tree()
            time.sleep(0.1)

    def note_tree(self) -> None:
        """Remember every process of the tree seen so far (servers and their children)."""
        try:
            for child in psutil.Process(self.proc.pid).children(recursive=True):
                self.tree.setdefault(child.pid, child)
        except psutil.NoSuchProcess:
            pass

    def signal(self, sig: int) -> None:
        """To the launcher's process group, as `kill -TERM -<pgid>` or a supervisor does."""
        self.note_tree()
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass

    def survivors(self) -> list[str]:
        alive = []
        for pid, process in self.tree.items():
            try:
                if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                    alive.append(f"{pid} {' '.join(process.cmdline())[:120]}")
            except psutil.NoSuchProcess:
                pass
        return alive

    def kill_everything(self) -> None:
        for process in [*self.tree.values()]:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        if self.proc.poll() is None:
            self.proc.kill()


SIGNAL_STORMS = {
    # moment -> (what to wait for before the first signal, the signals, seconds between them)
    "during start-up": ("[run] ", [signal.SIGTERM, signal.SIGINT, signal.SIGTERM], 0.3),
    "while ready, twice like the issue": ("[run] ready in", [signal.SIGTERM, signal.SIGTERM], 1.0),
    "while ready, Ctrl-C twice": ("[run] ready in", [signal.SIGINT, signal.SIGINT], 0.2),
    "during shutdown": ("[run] ready in", [signal.SIGINT] + [signal.SIGTERM, signal.SIGINT] * 4,
                        0.15),
}


@pytest.mark.parametrize("moment", SIGNAL_STORMS)
def test_repeated_signals_stop_every_process_and_free_every_port(tmp_path, moment):
    wait_text, signals, gap = SIGNAL_STORMS[moment]
    launch = Launch(tmp_path, AUTO_PURGE="0")
    try:
        if moment == "during start-up":
            # The servers are being started: wait until all three processes exist.
            deadline = time.monotonic() + 60
            while len([p for p in psutil.Process(launch.proc.pid).children()]) < 3:
                assert time.monotonic() < deadline and launch.proc.poll() is None, launch.output()
                time.sleep(0.05)
            assert "[run] ready in" not in launch.output()
        else:
            launch.wait_for(wait_text)
        for sig in signals:
            launch.signal(sig)
            time.sleep(gap)
        # and more, until the very end: a signal must never turn a requested
        # stop into a crash, even while the interpreter shuts down
        deadline = time.monotonic() + 90
        while launch.proc.poll() is None and time.monotonic() < deadline:
            launch.signal(signals[-1])
            time.sleep(0.02)
        code = launch.proc.wait(timeout=5)
        output = launch.output()
    finally:
        survivors = launch.survivors()
        launch.kill_everything()
    assert len(launch.tree) >= 3, f"the servers were never seen running:\n{output}"
    assert not survivors, f"left running after {moment}: {survivors}\n{output[-3000:]}"
    assert code == 0, f"exit code {code} after a requested stop:\n{output[-3000:]}"
    assert "Traceback" not in output, output[-3000:]
    assert output.count("received: stopping") == 1 and "all processes stopped" in output
    for port in launch.ports.values():
        assert not port_in_use(port), f"port {port} still served after {moment}"


def test_action_server_listens_on_loopback_only_while_rasa_follows_bind_host(tmp_path):
    """The action server has no authentication: under `make run` it is local only."""
    launch = Launch(tmp_path, AUTO_PURGE="0", BIND_HOST="0.0.0.0")
    try:
        launch.wait_for("[run] ready in")
        listening = {c.laddr.port: c.laddr.ip for c in psutil.net_connections("tcp")
                     if c.status == psutil.CONN_LISTEN}
        assert listening.get(launch.ports["ACTION_PORT"]) == "127.0.0.1", listening
        assert listening.get(launch.ports["RASA_PORT"]) == "0.0.0.0", listening
        assert listening.get(launch.ports["WEB_PORT"]) == "0.0.0.0", listening
        # Rasa still reaches its actions: the greeting is a custom action.
        status, body = post_json(
            f"http://127.0.0.1:{launch.ports['RASA_PORT']}/webhooks/rest/webhook",
            {"sender": "loopback", "message": "Bonjour"})
        assert status == 200 and body[0]["text"] == GREETING
    finally:
        launch.signal(signal.SIGTERM)
        launch.proc.wait(timeout=60)
        launch.kill_everything()


@pytest.mark.parametrize("role,port_var,health", [
    ("actions", "ACTION_PORT", "/health"),
    ("web", "WEB_PORT", "/healthz"),
    ("rasa", "RASA_PORT", "/webhooks/rest/"),
])
def test_serve_one_role_stops_cleanly_on_sigterm_like_docker_stop(tmp_path, role, port_var, health):
    """`python -m bot serve <role>` is PID 1 of a container: `docker stop` and
    Kubernetes send SIGTERM and expect a prompt exit with code 0."""
    port = free_port()
    env = dict(os.environ, **{port_var: str(port)}, BIND_HOST="127.0.0.1",
               TRACKER_SQLITE_PATH=str(tmp_path / "tracker.db"))
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", role], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while not is_healthy(f"http://127.0.0.1:{port}{health}"):
            assert proc.poll() is None, proc.stdout.read().decode(errors="replace")[-3000:]
            assert time.monotonic() < deadline, f"{role} not healthy"
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # a second one must not break the shutdown
        code = proc.wait(timeout=10)  # docker stop's default grace period
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    output = proc.stdout.read().decode(errors="replace")
    assert code == 0, f"{role} exited with {code} on SIGTERM:\n{output[-3000:]}"
    assert not port_in_use(port)


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
