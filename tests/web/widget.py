"""Page object for the chat widget, as a user sees it (roles and labels)."""
from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

REPLY_TIMEOUT_MS = 60_000

# Records every message added to the log with the log's aria-live at that moment,
# to check what a screen reader would announce.
LIVE_RECORDER = """
(() => {
  window.__liveAdds = [];
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type !== 'childList' || !r.target.matches || !r.target.matches('.cw92-log')) continue;
      for (const n of r.addedNodes) {
        if (n.nodeType !== 1 || !n.matches('.cw92-msg')) continue;
        window.__liveAdds.push({
          from: n.classList.contains('cw92-msg--bot') ? 'bot' : 'user',
          live: r.target.getAttribute('aria-live'),
          text: n.querySelector('.cw92-text').textContent,
        });
      }
    }
  }).observe(document, { childList: true, subtree: true });
})();
"""


class Widget:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.launcher = page.get_by_role("button", name=re.compile(r"^Une question \?"))
        self.panel = page.get_by_role("region", name="Assistant des pôles sociaux")
        self.log = page.get_by_role("log")
        self.input = page.get_by_label("Votre message")
        self.send_button = page.get_by_role("button", name="Envoyer")
        self.close_button = page.get_by_role("button", name="Fermer l'assistant")
        self.status = page.get_by_role("status")
        self.typing = page.locator(".cw92-typing")
        self.quick_replies = page.get_by_role("group", name="Réponses proposées").get_by_role("button")

    def goto(self, url: str) -> "Widget":
        self.page.goto(url)
        self.page.wait_for_selector(".cw92:not([hidden])", state="attached")
        return self

    def open(self) -> "Widget":
        self.launcher.click()
        expect(self.panel).to_be_visible()
        expect(self.input).to_be_focused()
        # the welcome message (or the restored history) is there
        expect(self.page.locator(".cw92-msg--bot").first).to_be_visible()
        self.page.wait_for_function("() => !document.querySelector('.cw92-log[aria-live=off]')")
        return self

    def bot_texts(self) -> list[str]:
        return self.page.locator(".cw92-msg--bot .cw92-text").all_text_contents()

    def user_texts(self) -> list[str]:
        return self.page.locator(".cw92-msg--user .cw92-text").all_text_contents()

    def wait_replies(self, before: int, timeout_ms: int = REPLY_TIMEOUT_MS) -> str:
        """Wait for bot messages after the first `before` ones; return their text."""
        bots = self.page.locator(".cw92-msg--bot")
        expect(bots).not_to_have_count(before, timeout=timeout_ms)
        # A turn may bring several messages: wait until none arrives for 1 s.
        count, stable_since = bots.count(), time.monotonic()
        while time.monotonic() - stable_since < 1.0:
            time.sleep(0.2)
            if bots.count() != count:
                count, stable_since = bots.count(), time.monotonic()
        return "\n".join(self.bot_texts()[before:])

    def ask(self, text: str, timeout_ms: int = REPLY_TIMEOUT_MS) -> str:
        """Type a message, send it with Enter, return the bot's reply."""
        before = self.page.locator(".cw92-msg--bot").count()
        self.input.fill(text)
        self.input.press("Enter")
        expect(self.page.locator(".cw92-msg--user .cw92-text").last).to_have_text(text)
        return self.wait_replies(before, timeout_ms)

    def session_state(self) -> dict:
        return self.page.evaluate("""() => {
          const key = Object.keys(sessionStorage).find((k) => k.startsWith('cw92:'));
          return key ? JSON.parse(sessionStorage.getItem(key)) : null;
        }""")
