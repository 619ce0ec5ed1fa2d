"""Facebook Messenger (Messenger Platform): /webhooks/messenger/webhook.

GET answers Meta's subscription check (hub.verify_token = MESSENGER_VERIFY_TOKEN).
POST events are signed: X-Hub-Signature-256 = sha256=HMAC-SHA256(app secret, body).
Replies: Send API (me/messages), buttons as quick replies.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Any, Dict, List, Text

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.messaging.base import Inbound, MessagingInput, PlatformOutput, Refused, signatures_match

SIGNATURE_HEADER = "X-Hub-Signature-256"
QUICK_REPLY_TITLE_CHARS = 20  # Messenger's limits
MAX_QUICK_REPLIES = 13


class MessengerOutput(PlatformOutput):
    channel = "messenger"
    max_chars = 2000

    async def deliver(self, text: Text, buttons: List[Dict[Text, Any]]) -> None:
        message: Dict[Text, Any] = {"text": text}
        if buttons:
            message["quick_replies"] = [{
                "content_type": "text",
                "title": _short(b.get("title", ""), QUICK_REPLY_TITLE_CHARS),
                "payload": b.get("payload") or b.get("title", ""),
            } for b in buttons[:MAX_QUICK_REPLIES]]
        await self.call_api("POST", f"{self.config.api_url()}/me/messages",
                            params={"access_token": self.config.credentials["page_access_token"]},
                            json={"recipient": {"id": self.address["psid"]}, "messaging_type": "RESPONSE",
                                  "message": message})


def _short(title: Text, limit: int) -> Text:
    return title if len(title) <= limit else title[:limit - 1].rstrip() + "…"


class MessengerInput(MessagingInput):
    output_class = MessengerOutput

    @classmethod
    def name(cls) -> Text:
        return "messenger"

    def authenticate(self, request: Request) -> None:
        given = request.headers.get(SIGNATURE_HEADER)
        if not given:
            raise Refused(401, f"missing {SIGNATURE_HEADER}")
        expected = "sha256=" + hmac.new(self.credentials["app_secret"].encode(), request.body or b"",
                                        hashlib.sha256).hexdigest()
        if not signatures_match(expected, given):
            raise Refused(403, f"wrong {SIGNATURE_HEADER}")

    def parse(self, request: Request) -> List[Inbound]:
        try:
            body = request.json
        except Exception:
            raise Refused(400, "the body is not JSON") from None
        if not isinstance(body, dict) or body.get("object") != "page":
            raise Refused(400, "expected a page event ({\"object\": \"page\", \"entry\": [...]})")
        messages = []
        for entry in body.get("entry") or []:
            for event in (entry or {}).get("messaging") or []:
                sender = ((event or {}).get("sender") or {}).get("id")
                if not sender:
                    continue
                if isinstance(event.get("message"), dict):
                    message = event["message"]
                    if message.get("is_echo"):
                        continue  # the page's own reply, echoed back
                    quick = message.get("quick_reply") or {}
                    text = quick.get("payload") or message.get("text")
                elif isinstance(event.get("postback"), dict):
                    text = event["postback"].get("payload") or event["postback"].get("title")
                else:
                    continue  # delivery and read receipts
                messages.append(Inbound(str(sender), text if isinstance(text, str) else None,
                                        {"psid": str(sender)}))
        return messages

    def acknowledge(self, request: Request) -> HTTPResponse:
        return response.text("EVENT_RECEIVED")

    def extra_routes(self, blueprint: Blueprint) -> None:
        @blueprint.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token")
            if request.args.get("hub.mode") == "subscribe" and signatures_match(
                    self.credentials["verify_token"], token):
                return response.text(request.args.get("hub.challenge", ""))
            return response.text("forbidden", status=403)
