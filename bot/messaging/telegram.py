"""Telegram Bot API: POST /webhooks/telegram/webhook.

Register the webhook with the secret: setWebhook(url, secret_token=TELEGRAM_SECRET_TOKEN);
Telegram then sends it in X-Telegram-Bot-Api-Secret-Token with every update.
Replies: sendMessage, buttons as an inline keyboard (their payload comes back
as a callback_query, answered so the client stops its spinner).
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from sanic.request import Request

from bot.messaging.base import Inbound, MessagingInput, PlatformOutput, Refused, signatures_match

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CALLBACK_DATA_BYTES = 64  # Telegram's limit for a button's callback_data


class TelegramOutput(PlatformOutput):
    channel = "telegram"
    max_chars = 4096

    def method_url(self, method: Text) -> Text:
        return f"{self.config.api_url()}/bot{self.config.credentials['access_token']}/{method}"

    async def deliver(self, text: Text, buttons: List[Dict[Text, Any]]) -> None:
        payload: Dict[Text, Any] = {"chat_id": self.address["chat_id"], "text": text,
                                    "disable_web_page_preview": True}
        if buttons:
            payload["reply_markup"] = {"inline_keyboard": [[{
                "text": b.get("title", ""),
                # a payload too long for Telegram comes back as the title, which the NLU reads
                "callback_data": b["payload"] if len(str(b.get("payload", "")).encode()) <= CALLBACK_DATA_BYTES
                else b.get("title", "")[:CALLBACK_DATA_BYTES],
            }] for b in buttons]}
        await self.call_api("POST", self.method_url("sendMessage"), json=payload)


class TelegramInput(MessagingInput):
    output_class = TelegramOutput

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def authenticate(self, request: Request) -> None:
        given = request.headers.get(SECRET_HEADER)
        if not given:
            raise Refused(401, f"missing {SECRET_HEADER}")
        if not signatures_match(self.credentials["secret_token"], given):
            raise Refused(403, f"wrong {SECRET_HEADER}")

    def parse(self, request: Request) -> List[Inbound]:
        try:
            update = request.json
        except Exception:  # sanic raises InvalidUsage on bad JSON
            raise Refused(400, "the body is not JSON") from None
        if not isinstance(update, dict):
            raise Refused(400, "expected a Telegram Update object")
        if isinstance(update.get("message"), dict):
            message = update["message"]
            chat, sender = message.get("chat") or {}, message.get("from") or message.get("chat") or {}
            if "id" not in chat or "id" not in sender:
                raise Refused(400, "message without chat.id or from.id")
            text = message.get("text", message.get("caption"))
            return [Inbound(str(sender["id"]), text if isinstance(text, str) else None,
                            {"chat_id": chat["id"]})]
        if isinstance(update.get("callback_query"), dict):
            query = update["callback_query"]
            chat = ((query.get("message") or {}).get("chat") or {})
            if "id" not in chat or "id" not in (query.get("from") or {}):
                raise Refused(400, "callback_query without message.chat.id or from.id")
            return [Inbound(str(query["from"]["id"]), str(query.get("data", "")),
                            {"chat_id": chat["id"], "callback_query_id": query.get("id")})]
        return []  # edited messages, channel posts, member updates: nothing to answer

    async def handle(self, request, inbound, on_new_message) -> None:
        if inbound.address.get("callback_query_id"):
            output = self.output_for(inbound)
            await output.call_api("POST", output.method_url("answerCallbackQuery"),
                                  json={"callback_query_id": inbound.address["callback_query_id"]})
        await super().handle(request, inbound, on_new_message)
