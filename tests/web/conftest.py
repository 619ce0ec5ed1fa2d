"""Browser fixtures: Debian's headless Chromium driven by Playwright (never a
Playwright browser download), the real bot with its web page, and a scripted
socket.io stand-in for bot messages the real bot never sends."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.settings import ROOT
from bot.training import MODEL_PATH
from tests.support.servers import BotServers
from tests.web.fake_rasa import FakeRasa

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: run scripts/install-browser.sh (as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # launch() gives every run a fresh temporary user-data-dir.
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def web_bot(tmp_path_factory):
    """Actions + Rasa + web page on free ports, shared by the browser tests."""
    workdir = tmp_path_factory.mktemp("web-servers")
    # WIDGET_TEST_MODEL: another model file, for trying the widget against a newer bot.
    model = Path(os.environ.get("WIDGET_TEST_MODEL") or MODEL_PATH)
    with BotServers(workdir, extra_env={"BOT_NOW": "2026-11-18T10:15"}, model=model,
                    with_web=True) as servers:
        servers.url = f"http://127.0.0.1:{servers.web_port}/"
        yield servers


@pytest.fixture(scope="session")
def fake_rasa():
    with FakeRasa() as fake:
        yield fake


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


class BrowserErrors(list):
    """Page errors and CSP violations seen by a page; checked after each test."""


@pytest.fixture
def new_page(chromium):
    """new_page(**context_options) -> page in a fresh context (fresh sessionStorage)."""
    contexts, errors = [], BrowserErrors()

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 800})
        options.setdefault("locale", "fr-FR")
        context = chromium.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
        page.on("console", lambda msg: errors.append(f"console: {msg.text}")
                if "Content Security Policy" in msg.text else None)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, "\n".join(errors)
