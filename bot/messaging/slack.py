"""Slack (Events API and interactivity): POST /webhooks/slack/webhook.

Slack signs each request: X-Slack-Signature = v0=HMAC-SHA256(signing secret,
"v0:<X-Slack-Request-Timestamp>:<body>"), refused outside a 5-minute window
(replay). Slack wants an answer within 3 s, so a message is acknowledged at once
and handled in the background; Slack's retries (X-Slack-Retry-Num) are not
handled twice. Replies: chat.postMessage as plain text (mrkdwn off), buttons as
Block Kit buttons whose value is the payload.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from typing import Any, Dict, List, Optional, Set, Text

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.messaging.base import Inbound, MessagingInput, PlatformOutput, Refused, signatures_match

SIGNATURE_HEADER = "X-Slack-Signature"
TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
MAX_AGE_S = 300
BUTTON_TEXT_CHARS = 75  # Block Kit's limit


def slack_escape(text: Text) -> Text:
    """The three characters Slack wants escaped in message text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackOutput(PlatformOutput):
    channel = "slack"
    max_chars = 3000  # a section block's text limit

    async def deliver(self, text: Text, buttons: List[Dict[Text, Any]]) -> None:
        message: Dict[Text, Any] = {"channel": self.address["channel"], "text": slack_escape(text),
                                    "mrkdwn": False, "unfurl_links": False}
        if buttons:
            message["blocks"] = [
                {"type": "section", "text": {"type": "plain_text", "text": text or " "}},
                {"type": "actions", "elements": [{
                    "type": "button", "action_id": f"option_{i}",
                    "text": {"type": "plain_text", "text": b.get("title", "")[:BUTTON_TEXT_CHARS]},
                    "value": b.get("payload") or b.get("title", ""),
                } for i, b in enumerate(buttons, 1)]},
            ]
        await self.call_api("POST", f"{self.config.api_url()}/chat.postMessage", json=message,
                            headers={"Authorization": f"Bearer {self.config.credentials['bot_token']}"})


class SlackInput(MessagingInput):
    output_class = SlackOutput

    def __init__(self, credentials: Dict[Text, Any]) -> None:
        super().__init__(credentials)
        self._tasks: Set[asyncio.Task] = set()

    @classmethod
    def name(cls) -> Text:
        return "slack"

    def authenticate(self, request: Request) -> None:
        given, stamp = request.headers.get(SIGNATURE_HEADER), request.headers.get(TIMESTAMP_HEADER)
        if not given or not stamp:
            raise Refused(401, f"missing {SIGNATURE_HEADER} or {TIMESTAMP_HEADER}")
        try:
            age = abs(time.time() - int(stamp))
        except ValueError:
            raise Refused(401, f"invalid {TIMESTAMP_HEADER}") from None
        if age > MAX_AGE_S:
            raise Refused(401, f"{TIMESTAMP_HEADER} outside the {MAX_AGE_S} s window (replay?)")
        base = f"v0:{stamp}:".encode() + (request.body or b"")
        expected = "v0=" + hmac.new(self.credentials["signing_secret"].encode(), base, hashlib.sha256).hexdigest()
        if not signatures_match(expected, given):
            raise Refused(403, f"wrong {SIGNATURE_HEADER}")

    def _body(self, request: Request) -> Dict[Text, Any]:
        if request.form and "payload" in request.form:  # interactivity: a button was clicked
            raw = request.form.get("payload")
        else:
            raw = (request.body or b"").decode("utf-8", "replace")
        try:
            body = json.loads(raw)
        except ValueError:
            raise Refused(400, "the body is not JSON") from None
        if not isinstance(body, dict):
            raise Refused(400, "expected a Slack event object")
        return body

    def parse(self, request: Request) -> List[Inbound]:
        body = self._body(request)
        kind = body.get("type")
        if kind == "block_actions":
            actions = body.get("actions") or [{}]
            user, channel = (body.get("user") or {}).get("id"), (body.get("channel") or {}).get("id")
            if not user or not channel:
                raise Refused(400, "block_actions without user.id or channel.id")
            team = (body.get("team") or {}).get("id", "")
            return [Inbound(f"{team}:{user}", str(actions[0].get("value", "")), {"channel": channel})]
        if kind != "event_callback" or request.headers.get("X-Slack-Retry-Num"):
            return []  # url_verification (see acknowledge), or a retry of a message being handled
        event = body.get("event") or {}
        if event.get("type") != "message" or event.get("bot_id") or event.get("subtype"):
            return []  # our own messages, edits, joins...
        if not event.get("user") or not event.get("channel"):
            raise Refused(400, "message event without user or channel")
        return [Inbound(f"{body.get('team_id', '')}:{event['user']}", event.get("text"),
                        {"channel": event["channel"]})]

    async def handle(self, request, inbound, on_new_message) -> None:
        task = asyncio.create_task(super().handle(request, inbound, on_new_message))
        self._tasks.add(task)  # keep a reference until it is done
        task.add_done_callback(self._tasks.discard)

    def acknowledge(self, request: Request) -> HTTPResponse:
        body: Optional[Dict] = None
        try:
            body = self._body(request)
        except Refused:
            pass
        if body and body.get("type") == "url_verification":
            return response.json({"challenge": body.get("challenge", "")})
        return response.text("")
