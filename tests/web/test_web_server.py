"""bot/web.py and the socket.io channel as the browser meets them (no browser here)."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest

def get(url: str, headers: dict | None = None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode(errors="replace")


@pytest.mark.servers
def test_demo_page_points_the_widget_at_rasa(web_bot):
    for host in ("127.0.0.1", "localhost"):
        status, headers, body = get(f"http://{host}:{web_bot.web_port}/")
        assert status == 200
        rasa = f"http://{host}:{web_bot.rasa_port}"
        assert f'data-server-url="{rasa}"' in body
        assert "{{" not in body
        csp = headers["Content-Security-Policy"]
        assert f"connect-src 'self' {rasa} ws://{host}:{web_bot.rasa_port};" in csp
        assert "script-src 'self';" in csp and "style-src 'self';" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.servers
def test_no_inline_script_or_style_in_pages(web_bot):
    for path in ("/", "/integre.html"):
        _, _, body = get(f"http://127.0.0.1:{web_bot.web_port}{path}")
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), path
        assert "<style" not in body and " style=" not in body, path
        assert re.search(r'<html lang="fr">', body), path


@pytest.mark.servers
def test_only_widget_and_demo_files_are_served(web_bot):
    base = f"http://127.0.0.1:{web_bot.web_port}"
    for path in ("/widget/widget.js", "/widget/widget.css", "/widget/vendor/socket.io.min.js",
                 "/demo/demo.css"):
        status, headers, _ = get(base + path)
        assert status == 200, path
        assert headers["Cache-Control"] == "no-cache"
    for path in ("/package.json", "/package-lock.json", "/node_modules/axe-core/axe.min.js",
                 "/README.md", "/widget/", "/../bot/web.py", "/widget/../../bot/web.py"):
        assert get(base + path)[0] in (403, 404), path


@pytest.mark.servers
def test_socketio_polling_has_one_cors_header_and_checks_origin(web_bot):
    origin = f"http://127.0.0.1:{web_bot.web_port}"
    url = f"http://127.0.0.1:{web_bot.rasa_port}/socket.io/?EIO=4&transport=polling"
    status, headers, body = get(url, {"Origin": origin})
    assert status == 200
    assert headers.get_all("Access-Control-Allow-Origin") == [origin]
    handshake = json.loads(body[1:])
    assert handshake["upgrades"] == []  # long-polling only: no websocket upgrade offered
    status, headers, _ = get(url, {"Origin": "http://evil.example"})
    assert status == 400
    assert not headers.get_all("Access-Control-Allow-Origin")


def test_vendored_files_match_the_lock():
    """web/widget/vendor/VERSIONS, the lock file and the files' own banners agree."""
    from bot.settings import ROOT

    lock = json.loads((ROOT / "web" / "package-lock.json").read_text())["packages"]
    versions = {}
    for line in (ROOT / "web" / "widget" / "vendor" / "VERSIONS").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version, _license, path = line.split()
            versions[name] = (version, ROOT / path)
    assert set(versions) == {"socket.io-client", "axe-core"}
    banners = {"socket.io-client": "Socket.IO v{}", "axe-core": "axe v{}"}
    for name, (version, path) in versions.items():
        assert lock[f"node_modules/{name}"]["version"] == version, name
        assert banners[name].format(version) in path.read_text(encoding="utf-8")[:300], name
