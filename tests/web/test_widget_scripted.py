"""Widget behaviour against a scripted socket.io server (tests/web/fake_rasa.py):
bot-side safety, links, attachments, quick replies, typing indicator, live region,
motion, configuration. The real-bot tests are in test_widget_real_bot.py."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.widget import LIVE_RECORDER, Widget

pytestmark = pytest.mark.browser


@pytest.fixture
def widget(new_page, fake_rasa):
    page = new_page()
    return Widget(page).goto(fake_rasa.url)


def with_attributes(page, url: str, **attrs: str) -> None:
    """Serve the demo page with extra data attributes on the widget's script tag."""
    def handle(route):
        response = route.fetch()
        extra = " ".join(f'data-{k.replace("_", "-")}=\'{v}\'' for k, v in attrs.items())
        body = response.text().replace('<script src="/widget/widget.js"',
                                       f'<script src="/widget/widget.js" {extra}')
        route.fulfill(response=response, body=body)
    page.route(url, handle)


def test_bot_html_is_shown_as_text(widget):
    widget.open()
    reply = widget.ask("html")
    assert reply == '<img src=x onerror="window.__xss=\'bot\'"><b>gras</b><script>window.__xss=1</script>'
    message = widget.page.locator(".cw92-msg--bot").last
    assert message.locator("img, b, script").count() == 0
    assert widget.page.evaluate("window.__xss") is None


def test_only_http_links_from_the_bot_become_links(widget):
    widget.open()
    widget.ask("liens")
    links = widget.page.locator(".cw92-msg--bot").last.get_by_role("link")
    expect(links).to_have_count(2)
    first, second = links.nth(0), links.nth(1)
    # trailing punctuation stays outside the link
    expect(first).to_have_attribute("href", "https://www.hauts-de-seine.fr/solidarites")
    expect(second).to_have_attribute("href", "http://exemple.test/a?b=1&c=2")
    expect(first).to_have_accessible_name("hauts-de-seine.fr/… (nouvelle fenêtre)")  # long: shortened
    expect(second).to_have_accessible_name("http://exemple.test/a?b=1&c=2 (nouvelle fenêtre)")
    for link in (first, second):
        expect(link).to_have_attribute("target", "_blank")
        expect(link).to_have_attribute("rel", "noopener noreferrer")
        expect(link).to_contain_text("(nouvelle fenêtre)")  # announced, visually hidden
    assert "javascript:" in widget.bot_texts()[-1]  # shown, as text
    # user text is never linked
    widget.ask("voir https://exemple.test/x")
    assert widget.page.locator(".cw92-msg--user a").count() == 0


def test_bot_link_opens_in_a_new_window_without_opener(widget, fake_rasa):
    widget.open()
    widget.ask("lien-local")
    link = widget.log.get_by_role("link")
    href = f"{fake_rasa.url}demo/demo.css"
    expect(link).to_have_attribute("href", href)
    with widget.page.context.expect_page() as new_window:
        link.click()
    popup = new_window.value
    popup.wait_for_load_state()
    assert popup.url == href
    assert popup.evaluate("window.opener") is None
    popup.close()


def test_attachments_become_links_only_for_http_urls(widget):
    widget.open()
    widget.ask("pièces")
    links = widget.log.get_by_role("link")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_have_accessible_name("Plan d'accès (PDF) (nouvelle fenêtre)")
    expect(links.nth(0)).to_have_attribute("href", "https://exemple.test/plan.pdf")
    expect(links.nth(1)).to_have_attribute("href", "https://exemple.test/photo.jpg")
    assert widget.page.locator(".cw92-log img").count() == 0
    assert widget.page.evaluate("window.__xss") is None


def test_quick_reply_sends_payload_and_shows_title(widget, fake_rasa):
    widget.open()
    widget.ask("boutons")
    expect(widget.quick_replies).to_have_count(2)
    expect(widget.quick_replies.nth(1)).to_have_text("<i>Horaires</i>")
    widget.quick_replies.first.click()
    expect(widget.page.locator(".cw92-msg--user .cw92-text").last).to_have_text("Trouver mon pôle social")
    expect(widget.input).to_be_focused()
    assert fake_rasa.received[-1]["message"] == "/find_hub"
    expect(widget.log).to_contain_text("Vous avez écrit : /find_hub")
    expect(widget.quick_replies).to_have_count(0)  # used: removed
    # REST-style `buttons` work too
    widget.ask("rest-boutons")
    expect(widget.quick_replies).to_have_text(["Oui", "Non"])


def test_typing_indicator_then_timeout_message(new_page, fake_rasa):
    page = new_page()
    with_attributes(page, fake_rasa.url, reply_timeout="2")
    widget = Widget(page).goto(fake_rasa.url).open()
    widget.input.fill("silence")
    widget.input.press("Enter")
    expect(widget.typing).to_be_visible()
    expect(widget.typing).to_have_text("L'assistant écrit…")
    expect(widget.status).to_have_text(
        "L'assistant ne répond pas pour le moment. Merci de réessayer dans quelques instants.",
        timeout=5000)
    expect(widget.typing).to_be_hidden()
    # the next answer clears the warning
    widget.ask("bonjour")
    expect(widget.status).to_have_text("")
    expect(widget.typing).to_be_hidden()


def test_only_new_bot_messages_are_announced(new_page, fake_rasa):
    page = new_page()
    page.add_init_script(LIVE_RECORDER)
    widget = Widget(page).goto(fake_rasa.url).open()
    expect(widget.log).to_have_attribute("role", "log")
    widget.ask("deux")
    adds = page.evaluate("window.__liveAdds")
    assert [(a["from"], a["live"]) for a in adds] == [
        ("bot", "polite"),   # welcome message
        ("user", "off"),     # the user's own words are not read back
        ("bot", "polite"), ("bot", "polite"),
    ], adds
    # after a reload the restored history is not announced again
    page.reload()
    expect(widget.log).to_contain_text("Deuxième partie.")
    expect(widget.log).to_have_attribute("aria-live", "polite")
    assert page.evaluate("window.__liveAdds") == []
    widget.ask("encore")
    adds = page.evaluate("window.__liveAdds")
    assert [(a["from"], a["live"]) for a in adds] == [("user", "off"), ("bot", "polite")], adds


def test_escape_closes_and_focus_returns_to_launcher(widget):
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")
    widget.open()
    expect(widget.launcher).to_have_attribute("aria-expanded", "true")
    widget.input.press("Escape")
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_be_focused()
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")
    widget.launcher.press("Enter")
    expect(widget.input).to_be_focused()
    widget.close_button.click()
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_be_focused()


def test_empty_message_is_not_sent(widget, fake_rasa):
    widget.open()
    sent = len(fake_rasa.received)
    widget.input.fill("   ")
    widget.input.press("Enter")
    expect(widget.status).to_have_text("Écrivez votre message avant de l'envoyer.")
    expect(widget.input).to_be_focused()
    assert widget.user_texts() == []
    assert len(fake_rasa.received) == sent


@pytest.mark.parametrize("reduce", [False, True])
def test_reduced_motion_is_respected(new_page, fake_rasa, reduce):
    page = new_page(reduced_motion="reduce" if reduce else "no-preference")
    widget = Widget(page).goto(fake_rasa.url).open()
    widget.input.fill("silence")
    widget.input.press("Enter")
    expect(widget.typing).to_be_visible()
    names = page.evaluate("""() => [
      getComputedStyle(document.querySelector('.cw92-panel')).animationName,
      getComputedStyle(document.querySelector('.cw92-dots span')).animationName]""")
    assert names == (["none", "none"] if reduce else ["cw92-in", "cw92-blink"])


def test_new_conversation_forgets_history_and_session(widget, fake_rasa):
    widget.open()
    widget.ask("bonjour")
    old_session = widget.session_state()["sessionId"]
    widget.page.get_by_role("button", name="Nouvelle conversation").click()
    expect(widget.page.locator(".cw92-msg--user")).to_have_count(0)
    expect(widget.input).to_be_focused()
    expect(widget.page.locator(".cw92-msg--bot")).to_have_count(1)  # the welcome again
    widget.ask("bonjour")
    state = widget.session_state()
    assert state["sessionId"] and state["sessionId"] != old_session
    assert [m["from"] for m in state["messages"]] == ["bot", "user", "bot"]


def test_configuration_by_data_attributes(new_page, fake_rasa):
    page = new_page()
    with_attributes(page, fake_rasa.url, title="Aide en ligne", initial_message="Bienvenue !",
                    strings='{"send": "Valider", "inputLabel": "Votre question", "launcher": "Besoin d\\u2019aide ?"}')
    page.goto(fake_rasa.url)
    page.get_by_role("button", name=re.compile("^Besoin d’aide")).click()
    expect(page.get_by_role("region", name="Aide en ligne")).to_be_visible()
    expect(page.get_by_label("Votre question")).to_be_focused()
    expect(page.get_by_role("button", name="Valider")).to_be_visible()
    expect(page.get_by_role("log")).to_contain_text("Bienvenue !")


def test_embedded_in_a_container(new_page, fake_rasa):
    page = new_page()
    page.goto(fake_rasa.url + "integre.html")
    widget = Widget(page)
    container = page.locator("#assistant")
    expect(container.get_by_role("region", name="Assistant des pôles sociaux")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Une question"))).to_have_count(0)
    assert "Vous avez écrit : bonjour" in widget.ask("bonjour")


def test_initial_payload_is_sent_once_per_conversation(new_page, fake_rasa):
    page = new_page()
    with_attributes(page, fake_rasa.url, initial_payload="/greet", initial_message="")
    page.goto(fake_rasa.url)
    widget = Widget(page)
    widget.launcher.click()
    expect(widget.log).to_contain_text("Vous avez écrit : /greet")
    assert widget.user_texts() == []  # sent, not shown
    sent = len(fake_rasa.received)
    page.reload()
    expect(widget.log).to_contain_text("Vous avez écrit : /greet")
    page.wait_for_timeout(1000)
    assert len(fake_rasa.received) == sent


def test_tab_order_inside_the_panel(widget):
    widget.open()
    widget.ask("boutons")
    name = """() => {
      const e = document.activeElement;
      if (!e.closest('.cw92')) return 'outside';
      return e.classList.contains('cw92-log') ? 'log' : e.classList.contains('cw92-input') ? 'input'
        : e.textContent.trim();
    }"""
    def walk(key, steps):
        widget.input.focus()
        seen = []
        for _ in range(steps):
            widget.page.keyboard.press(key)
            seen.append(widget.page.evaluate(name))
        return seen
    # after an answer, its feedback buttons come last, then focus leaves the widget
    assert walk("Tab", 6) == ["Envoyer", "Version facile à lire", "Nouvelle conversation", "Oui", "Non", "outside"]
    assert walk("Shift+Tab", 5) == [
        "<i>Horaires</i>", "Trouver mon pôle social", "log", "Fermer l'assistant",
        "Une question ? Assistant des pôles sociaux"]


def test_the_easy_read_switch_sends_its_intent_and_is_forgotten_by_a_new_conversation(widget, fake_rasa):
    widget.open()
    switch = widget.page.get_by_role("switch", name="Version facile à lire")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(widget.log).to_contain_text("Vous avez écrit : /ask_easy_read")
    assert widget.user_texts()[-1] == "Version facile à lire : oui"
    assert widget.session_state()["easyRead"] is True
    widget.page.get_by_role("button", name="Nouvelle conversation").click()
    expect(switch).to_have_attribute("aria-checked", "false")
    assert widget.session_state()["easyRead"] is False
