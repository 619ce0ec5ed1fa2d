"""Generic callback channel, for a département's own tools:
POST /webhooks/callback/webhook {"sender": "...", "message": "..."} with the
header X-Callback-Secret: <CALLBACK_SECRET>. The replies are POSTed to
CALLBACK_URL as {"recipient_id": <the sender as given>, "text": "...",
"buttons": [...]} with the same header, so the receiving tool can check them.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import RequestError, validate_payload
from bot.messaging.base import Inbound, MessagingInput, PlatformOutput, Refused, signatures_match

SECRET_HEADER = "X-Callback-Secret"


class CallbackOutput(PlatformOutput):
    channel = "callback"
    max_chars = 4096

    async def deliver(self, text: Text, buttons: List[Dict[Text, Any]]) -> None:
        message: Dict[Text, Any] = {"recipient_id": self.address["sender"], "text": text}
        if buttons:
            message["buttons"] = buttons
        await self.call_api("POST", self.config.credentials["url"], json=message,
                            headers={SECRET_HEADER: self.config.credentials["secret"]})


class CallbackInput(MessagingInput):
    output_class = CallbackOutput

    @classmethod
    def name(cls) -> Text:
        return "callback"

    def authenticate(self, request: Request) -> None:
        given = request.headers.get(SECRET_HEADER)
        if not given:
            raise Refused(401, f"missing {SECRET_HEADER}")
        if not signatures_match(self.credentials["secret"], given):
            raise Refused(403, f"wrong {SECRET_HEADER}")

    def parse(self, request: Request) -> List[Inbound]:
        try:
            payload = request.json
        except Exception:
            raise Refused(400, "Le corps de la requête n'est pas du JSON valide.") from None
        try:
            sender, text, _metadata = validate_payload(payload)
        except RequestError as exc:
            raise Refused(400, str(exc)) from None
        return [Inbound(sender, text, {"sender": sender})]

    def acknowledge(self, request: Request) -> HTTPResponse:
        return response.text("success")
