"""Twilio Programmable Messaging, SMS and WhatsApp: POST /webhooks/twilio/webhook.

Twilio signs each request: X-Twilio-Signature = Base64(HMAC-SHA1(auth token,
URL + sorted form parameters)), checked with the twilio package's
RequestValidator against TWILIO_WEBHOOK_URL, the URL exactly as configured at
Twilio (a proxy changes the URL the server sees). Replies go through the REST
API (Messages.json) from the number the resident wrote to, TWILIO_NUMBER or
"whatsapp:" + TWILIO_WHATSAPP_NUMBER (messages to other numbers of the account
are ignored), at most 1600 characters each; the webhook itself answers an empty
TwiML. No buttons in SMS: they become numbered options, and "2" chooses the
second one of the last reply.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

import aiohttp
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.messaging.base import Inbound, MessagingInput, PlatformOutput, Refused

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class TwilioOutput(PlatformOutput):
    channel = "twilio"
    max_chars = 1600
    numbered = True

    async def deliver(self, text: Text, buttons: List[Dict[Text, Any]]) -> None:
        creds = self.config.credentials
        url = f"{self.config.api_url()}/2010-04-01/Accounts/{creds['account_sid']}/Messages.json"
        await self.call_api("POST", url, auth=aiohttp.BasicAuth(creds["account_sid"], creds["auth_token"]),
                            data={"To": self.address["to"], "From": self.address["from"], "Body": text})


class TwilioInput(MessagingInput):
    output_class = TwilioOutput
    resolves_numbers = True

    @classmethod
    def name(cls) -> Text:
        return "twilio"

    def authenticate(self, request: Request) -> None:
        given = request.headers.get(SIGNATURE_HEADER)
        if not given:
            raise Refused(401, f"missing {SIGNATURE_HEADER}")
        params = {key: values[0] for key, values in (request.form or {}).items()}
        validator = RequestValidator(self.credentials["auth_token"])
        if not validator.validate(self.credentials["webhook_url"], params, given):
            raise Refused(403, f"wrong {SIGNATURE_HEADER}")

    def parse(self, request: Request) -> List[Inbound]:
        form = request.form or {}
        sender, ours = form.get("From"), form.get("To")
        if not sender or not ours:
            raise Refused(400, "expected Twilio's From and To parameters")
        if ours not in self.numbers():
            logger.warning("twilio: a message to another number of the account was ignored.")
            return []
        body = form.get("Body")
        try:
            media = int(form.get("NumMedia") or 0)
        except ValueError:
            raise Refused(400, "NumMedia is not a number") from None
        text = None if (media and not (body or "").strip()) else (body or "")
        # the reply comes from the number written to (SMS, or "whatsapp:+33…")
        return [Inbound(sender, text, {"to": sender, "from": ours})]

    def numbers(self) -> set:
        """This assistant's numbers: TWILIO_NUMBER (SMS) and TWILIO_WHATSAPP_NUMBER."""
        numbers = {self.credentials["number"]}
        whatsapp = self.credentials.get("whatsapp_number", "")
        if whatsapp:
            numbers.add(whatsapp if whatsapp.startswith("whatsapp:") else f"whatsapp:{whatsapp}")
        return numbers

    def acknowledge(self, request: Request) -> HTTPResponse:
        return response.text(EMPTY_TWIML, content_type="text/xml")
