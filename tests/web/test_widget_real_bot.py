"""The widget in headless Chromium against the real bot (actions + Rasa + web page).

Screenshots go to tests/artifacts/ (not in git)."""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.web.conftest import AXE_JS
from tests.web.widget import Widget

pytestmark = [pytest.mark.browser, pytest.mark.servers]

HUB_CLAMART = "Jean-Pierre Timbaud"
ASKS_COMMUNE = "Dans quelle commune"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def widget(new_page, web_bot):
    return Widget(new_page()).goto(web_bot.url)


def focus_is_visible(page) -> bool:
    return page.evaluate("""() => {
      const s = getComputedStyle(document.activeElement);
      return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    }""")


def active_text(page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


def test_question_gets_the_hub_address(widget):
    widget.open()
    reply = widget.ask("Où aller pour Clamart ?")
    assert HUB_CLAMART in reply
    # the map link in the answer is a safe link
    link = widget.log.get_by_role("link").last
    expect(link).to_have_attribute("href", re.compile(r"^https://www\.openstreetmap\.org/"))
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(link).to_have_attribute("target", "_blank")


def test_keyboard_only_flow(new_page, web_bot):
    page = new_page()
    w = Widget(page).goto(web_bot.url)
    # Tab through the page up to the launcher
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('cw92-launcher')"):
            break
    else:
        pytest.fail("the launcher is not reachable with Tab")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(w.panel).to_be_visible()
    expect(w.input).to_be_focused()
    assert focus_is_visible(page)
    expect(w.page.locator(".cw92-msg--bot")).to_have_count(1)  # welcome

    page.keyboard.type("Que sais-tu faire ?")
    page.keyboard.press("Enter")
    expect(w.quick_replies).to_have_count(3, timeout=60_000)
    expect(w.input).to_be_focused()

    # Shift+Tab from the input walks the quick replies backwards, in order
    seen = []
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
        assert focus_is_visible(page)
        seen.append(active_text(page))
    assert seen == ["Les services proposés", "Horaires d'ouverture", "Trouver mon pôle social"]
    before = page.locator(".cw92-msg--bot").count()
    page.keyboard.press("Enter")
    expect(page.locator(".cw92-msg--user .cw92-text").last).to_have_text("Trouver mon pôle social")
    expect(w.input).to_be_focused()
    assert ASKS_COMMUNE in w.wait_replies(before)

    before = page.locator(".cw92-msg--bot").count()
    page.keyboard.type("Clamart")
    page.keyboard.press("Enter")
    assert HUB_CLAMART in w.wait_replies(before)
    expect(w.input).to_be_focused()

    # no keyboard trap: Tab leaves the panel after the last button...
    page.keyboard.press("Tab")
    expect(w.send_button).to_be_focused()
    assert focus_is_visible(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("switch", name="Version facile à lire")).to_be_focused()
    assert focus_is_visible(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Nouvelle conversation")).to_be_focused()
    assert focus_is_visible(page)
    # the feedback on the answer comes last, after everything needed to go on
    feedback = page.get_by_role("group", name="Cette réponse vous a-t-elle aidé ?")
    page.keyboard.press("Tab")
    expect(feedback.get_by_role("button", name="Oui")).to_be_focused()
    assert focus_is_visible(page)
    page.keyboard.press("Tab")
    expect(feedback.get_by_role("button", name="Non")).to_be_focused()
    page.keyboard.press("Tab")
    assert not page.evaluate("() => !!document.activeElement.closest('.cw92-panel')")
    # ...and Escape from inside closes it, back on the launcher
    page.keyboard.press("Shift+Tab")
    expect(feedback.get_by_role("button", name="Non")).to_be_focused()
    page.keyboard.press("Escape")
    expect(w.panel).to_be_hidden()
    expect(w.launcher).to_be_focused()
    expect(w.launcher).to_have_attribute("aria-expanded", "false")


def test_the_easy_read_switch_is_labelled_remembered_and_changes_the_answers(widget):
    page = widget.page
    widget.open()
    switch = page.get_by_role("switch", name="Version facile à lire")
    expect(switch).to_have_attribute("aria-checked", "false")
    before = page.locator(".cw92-msg--bot").count()
    switch.press("Enter")  # keyboard works as well as a click
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(switch).to_be_focused()
    assert "J’écris plus simplement" in widget.wait_replies(before)
    reply = widget.ask("Quel pôle social pour Clamart ?")
    assert "Vous habitez à Clamart." in reply and HUB_CLAMART in reply
    assert "Il ouvre à 8 h 30." in reply

    page.reload()  # remembered for the conversation
    expect(widget.panel).to_be_visible()
    expect(switch).to_have_attribute("aria-checked", "true")
    assert "Il ferme à 17 h 30." in widget.ask("Et les horaires ?")

    before = page.locator(".cw92-msg--bot").count()
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "false")
    assert "je reviens à l'écriture habituelle" in widget.wait_replies(before)
    assert "de 8 h 30 à 17 h 30" in widget.ask("Et les horaires ?")


def test_reload_keeps_the_conversation(widget, web_bot):
    page = widget.page
    widget.open()
    assert HUB_CLAMART in widget.ask("Quel pôle social pour Clamart ?")
    bots, users = widget.bot_texts(), widget.user_texts()
    session = widget.session_state()["sessionId"]
    assert session

    page.reload()
    expect(widget.panel).to_be_visible()  # it was open: it stays open
    expect(page.locator(".cw92-msg--bot .cw92-text")).to_have_text(bots)
    expect(page.locator(".cw92-msg--user .cw92-text")).to_have_text(users)
    assert widget.session_state()["sessionId"] == session
    # same conversation on the server: the commune is still known
    reply = widget.ask("Et ses horaires ?")
    assert ASKS_COMMUNE not in reply
    assert widget.session_state()["sessionId"] == session


XSS_PAYLOADS = [
    '<img src=x onerror="window.__xss=1;alert(1)">',
    "<script>window.__xss=2;alert(2)</script>",
    '"><svg onload="window.__xss=3;alert(3)">',
    "javascript:window.__xss=4",
    "https://exemple.test/\"><iframe src=javascript:alert(5)>",
    "<a href=javascript:alert(6)>clic</a>{{constructor.constructor('alert(7)')()}}",
]


def test_user_xss_payloads_stay_inert(new_page, web_bot):
    # CSP off for this page: the widget alone must keep the payloads inert.
    page = new_page(bypass_csp=True)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    w = Widget(page).goto(web_bot.url).open()
    count = "() => document.querySelectorAll('script, img, iframe, svg, a, object, embed').length"
    elements = page.evaluate(count)
    for payload in XSS_PAYLOADS:
        w.ask(payload)
    for when in ("after sending", "after reload"):
        assert w.user_texts() == XSS_PAYLOADS, when
        assert page.locator(".cw92-msg--user").locator("*:not(.cw92-sr):not(.cw92-text)").count() == 0
        assert page.evaluate(count) == elements, when
        assert page.evaluate("window.__xss") is None, when
        assert dialogs == [], when
        page.reload()
        expect(w.panel).to_be_visible()
        expect(page.locator(".cw92-msg--user")).to_have_count(len(XSS_PAYLOADS))


def axe_violations(page) -> list[dict]:
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return result["violations"]


def have_conversation(w: Widget) -> None:
    """An answer with the hub's address, then one with quick replies."""
    w.open()
    assert HUB_CLAMART in w.ask("Où aller pour Clamart ?")
    w.ask("Que sais-tu faire ?")
    expect(w.quick_replies).to_have_count(3)


@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_wcag_violation(new_page, web_bot, artifacts, width):
    page = new_page(viewport={"width": width, "height": 800})
    w = Widget(page).goto(web_bot.url)
    have_conversation(w)
    page.mouse.move(0, 0)
    page.screenshot(path=str(artifacts / f"widget-{width}.png"))
    violations = axe_violations(page)
    report = json.dumps([
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [{"target": n["target"], "summary": n.get("failureSummary")}
                   for n in v["nodes"]][:5]} for v in violations
    ], ensure_ascii=False, indent=1)
    print(f"axe ({width} px): {len(violations)} violation(s)\n{report}")
    assert violations == [], report


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshot_of_the_page_closed(new_page, web_bot, artifacts, width):
    page = new_page(viewport={"width": width, "height": 800})
    w = Widget(page).goto(web_bot.url)
    expect(w.launcher).to_be_visible()
    page.screenshot(path=str(artifacts / f"page-{width}.png"))


@pytest.mark.parametrize("name,viewport,scale", [
    ("320", {"width": 320, "height": 568}, 1),
    ("zoom200", {"width": 640, "height": 400}, 2),  # a 1280x800 window at 200 %
])
def test_reflow_at_320_px_and_200_percent_zoom(new_page, web_bot, artifacts, name, viewport, scale):
    page = new_page(viewport=viewport, device_scale_factor=scale)
    w = Widget(page).goto(web_bot.url).open()
    w.ask("Que sais-tu faire ?")
    expect(w.quick_replies).to_have_count(3)
    page.mouse.move(0, 0)
    page.screenshot(path=str(artifacts / f"widget-{name}.png"))
    m = page.evaluate("""() => {
      const q = (s) => document.querySelector(s);
      const r = (e) => e.getBoundingClientRect().toJSON();
      const input = q('.cw92-input'), send = q('.cw92-send');
      const center = (e) => { const b = e.getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2]; };
      return {
        vw: innerWidth, vh: innerHeight,
        page: [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth],
        panel: [q('.cw92-panel').scrollWidth, q('.cw92-panel').clientWidth],
        log: [q('.cw92-log').scrollWidth, q('.cw92-log').clientWidth],
        panelRect: r(q('.cw92-panel')), input: r(input), send: r(send),
        replies: [...document.querySelectorAll('.cw92-reply')].map(r),
        inputOnTop: document.elementFromPoint(...center(input)) === input,
        sendOnTop: send.contains(document.elementFromPoint(...center(send))),
      };
    }""")
    assert m["page"][0] <= m["page"][1], m          # no horizontal scroll on the page
    assert m["panel"][0] <= m["panel"][1], m        # nor in the panel
    assert m["log"][0] <= m["log"][1], m
    panel = m["panelRect"]
    assert 0 <= panel["left"] and panel["right"] <= m["vw"], m
    for box in (m["input"], m["send"]):
        assert 0 <= box["left"] and box["right"] <= m["vw"] and 0 <= box["top"] and box["bottom"] <= m["vh"], m
    for box in m["replies"]:
        assert panel["left"] <= box["left"] and box["right"] <= panel["right"], m
    assert m["inputOnTop"] and m["sendOnTop"], m
    assert m["input"]["width"] >= 100, m
    assert HUB_CLAMART in w.ask("Où aller pour Clamart ?")


def test_reconnects_after_a_server_restart(new_page, web_bot):
    """Last on purpose: it restarts the shared Rasa server."""
    page = new_page()
    w = Widget(page).goto(web_bot.url).open()
    assert w.ask("Bonjour")
    rasa = web_bot.processes["rasa"]
    rasa.stop()
    try:
        expect(w.status).to_have_text("Connexion perdue, nouvelle tentative…", timeout=20_000)
        # a message typed while disconnected waits for the connection
        w.input.fill("Où aller pour Clamart ?")
        w.input.press("Enter")
        expect(page.locator(".cw92-msg--user .cw92-text").last).to_have_text("Où aller pour Clamart ?")
        expect(w.status).to_have_text("Connexion perdue, nouvelle tentative…")
    finally:
        rasa.start()
    expect(w.status).to_have_text("Connexion rétablie", timeout=30_000)
    expect(w.log).to_contain_text(HUB_CLAMART, timeout=60_000)
    assert HUB_CLAMART in w.ask("Quel pôle social pour Clamart ?")
    expect(w.status).to_have_text("", timeout=15_000)  # the notice goes away


def test_feedback_clicked_in_the_widget_reaches_the_report(widget, web_bot, tmp_path):
    from bot.report import write
    from bot.settings import load as load_settings
    from knowledge import get_knowledge

    widget.open()
    assert HUB_CLAMART in widget.ask("Quel pôle social pour Clamart ?")
    group = widget.page.get_by_role("group", name="Cette réponse vous a-t-elle aidé ?")
    expect(group).to_be_visible(timeout=10_000)
    expect(widget.input).to_be_focused()  # offered, never in the way of the next message
    group.get_by_role("button", name="Oui").focus()
    widget.page.keyboard.press("Enter")  # keyboard, like any button
    expect(widget.page.get_by_role("status")).to_have_text("Merci pour votre avis.")
    expect(group).to_be_hidden()
    expect(widget.input).to_be_focused()

    settings = load_settings({"TRACKER_SQLITE_PATH": str(web_bot.workdir / "tracker.db")})
    for _ in range(50):  # the feedback event is stored asynchronously: wait for it
        report = write(settings, 1, tmp_path / "report", get_knowledge())
        if report["feedback"]["up"]:
            break
        widget.page.wait_for_timeout(100)
    assert (report["feedback"]["up"], report["feedback"]["down"]) == (1, 0)
    assert report["feedback"]["by_intent"] == {"find_hub": {"up": 1, "down": 0}}
