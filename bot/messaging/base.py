"""What every messaging channel shares (Telegram, Messenger, Twilio, Slack,
callback): authenticate, pseudonymise the sender, run the bot with the same
guarantees as the web channels, and send the replies in a form the platform shows
well.

- **Authentication first.** A request without a valid signature (or secret) is
  refused with a 4xx before anything else: nothing reaches the tracker store and
  nothing is answered.
- **Pseudonymous senders.** A phone number or a platform account id is personal
  data: the conversation id is an HMAC of it, keyed with SENDER_HASH_KEY
  (`telegram-3f9a…`). The same person keeps the same conversation; the tracker
  store and the logs never see the raw id. The raw address the reply needs lives
  only in the output channel of that one request.
- **Replies that fit.** Plain text (no Markdown or HTML shown raw, links as
  plain URLs), split at sentence boundaries within the platform's limit, buttons
  as the platform's quick replies, or as numbered options where it has none.
- **Same guarantees as the web** (bot/channels.py): control characters dropped,
  empty and over-long messages get a canned reply, a failed turn gets an apology.
  Message text never goes to the logs.
"""
from __future__ import annotations

import hmac
import logging
import re
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Text

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channel_messages import TEXT_ONLY, options_prompt
from bot.channels import RecordingOutput, canned_reply, clean_text, handle_with_guarantee
from bot.messaging.senders import pseudonym

logger = logging.getLogger(__name__)

API_TIMEOUT_S = 15


class Refused(Exception):
    """The request is refused with `status` (nothing stored, nothing answered)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class Inbound:
    """One message from the platform: who sent it (raw, never stored), its text
    (None for a photo, a sticker, a voice message), and the address the reply
    goes to (raw, for this request only)."""
    sender: Text
    text: Optional[Text]
    address: Dict[Text, Any]


def signatures_match(expected: Text, given: Optional[Text]) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), given.encode())


_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_TAG = re.compile(r"</?(?:b|i|strong|em|br|p|a)\b[^>]*>", re.IGNORECASE)


def plain_text(text: Text) -> Text:
    """No Markdown or HTML a platform would show raw; a link stays a plain URL."""
    text = _MARKDOWN_LINK.sub(lambda m: f"{m.group(1)} : {m.group(2)}", text)
    text = _EMPHASIS.sub(r"\2", text)
    return _TAG.sub("", text)


_SENTENCE_END = re.compile(r"(?<=[.!?…:;])\s+|\n+")


def split_text(text: Text, limit: int) -> List[Text]:
    """Parts of at most `limit` characters, cut after a sentence (or a line);
    a sentence longer than the limit is cut between words."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    pieces: List[Text] = []
    for sentence in (s for s in _SENTENCE_END.split(text) if s and s.strip()):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit + 1)
            cut = cut if cut > 0 else limit
            pieces.append(sentence[:cut])
            sentence = sentence[cut:].lstrip()
        pieces.append(sentence)
    parts: List[Text] = []
    for piece in pieces:
        if parts and len(parts[-1]) + 1 + len(piece) <= limit:
            parts[-1] += ("\n" if parts[-1].endswith((".", "!", "?", "…", ":")) else " ") + piece
        else:
            parts.append(piece)
    return parts


def numbered_options(buttons: Sequence[Dict[Text, Any]]) -> Text:
    """Buttons for a channel without them: "Répondez 1, 2 ou 3 :\\n1. …"."""
    lines = [f"{i}. {b.get('title', '')}" for i, b in enumerate(buttons, 1)]
    return options_prompt(len(buttons)) + "\n" + "\n".join(lines)


_OPTION = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def chosen_option(text: Text) -> Optional[int]:
    match = _OPTION.match(text)
    return int(match.group(1)) if match else None


async def last_buttons(request: Request, sender_id: Text) -> List[Dict[Text, Any]]:
    """The buttons of the bot's last message in this conversation (tracker store)."""
    agent = getattr(request.app.ctx, "agent", None)
    if agent is None or agent.tracker_store is None:
        return []
    tracker = await agent.tracker_store.retrieve(sender_id)
    if tracker is None:
        return []
    for event in reversed(tracker.events):
        if event.type_name == "user":
            return []
        if event.type_name == "bot":
            buttons = (event.data or {}).get("buttons")
            if buttons:
                return list(buttons)
    return []


class PlatformOutput(OutputChannel):
    """Sends the bot's messages of one request to one raw address. Subclasses
    implement `deliver(text, buttons)` for their platform API."""

    channel = "platform"
    max_chars = 4096
    numbered = False  # buttons as numbered options (no quick replies on the platform)

    def __init__(self, address: Dict[Text, Any], config: "MessagingInput") -> None:
        self.address = address
        self.config = config

    @classmethod
    def name(cls) -> Text:
        return cls.channel

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        text = plain_text(message.get("text") or "")
        buttons = list(message.get("buttons") or message.get("quick_replies") or [])
        if message.get("image"):
            text = f"{text}\n{message['image']}".strip()
        if buttons and self.numbered:
            text = f"{text}\n\n{numbered_options(buttons)}".strip()
            buttons = []
        parts = split_text(text, self.max_chars) or ([""] if buttons else [])
        for i, part in enumerate(parts):
            await self.deliver(part, buttons if i == len(parts) - 1 else [])

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})

    async def deliver(self, text: Text, buttons: List[Dict[Text, Any]]) -> None:
        raise NotImplementedError

    async def call_api(self, method: Text, url: Text, **kwargs: Any) -> Optional[Any]:
        """One API call; a failure is logged (status only, never the text)."""
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=API_TIMEOUT_S)) as session:
                async with session.request(method, url, **kwargs) as resp:
                    if resp.status >= 400:
                        logger.error("%s: the platform refused a reply (HTTP %s).", self.channel, resp.status)
                        return None
                    try:
                        return await resp.json(content_type=None)
                    except ValueError:
                        return None
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            logger.error("%s: the platform API is unreachable (%s).", self.channel, type(exc).__name__)
            return None


class MessagingInput(InputChannel):
    """Webhook /webhooks/<name>/webhook for one platform. Subclasses implement
    `authenticate`, `parse` and `output_for`, and may add routes."""

    output_class = PlatformOutput
    resolves_numbers = False  # "2" chooses the 2nd numbered option of the last reply

    def __init__(self, credentials: Dict[Text, Any]) -> None:
        self.credentials = {k: ("" if v is None else str(v)) for k, v in credentials.items()}
        self.hash_key = self.credentials.get("sender_hash_key", "")
        if not self.hash_key:
            raise ValueError(f"{self.name()}: sender_hash_key (SENDER_HASH_KEY) is required")

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(credentials)

    def api_url(self) -> Text:
        return self.credentials.get("api_url", "").rstrip("/")

    # -- what each platform defines ---------------------------------------------------
    def authenticate(self, request: Request) -> None:
        """Raise Refused unless the request is signed by the platform."""
        raise NotImplementedError

    def parse(self, request: Request) -> List[Inbound]:
        """The messages of an authenticated request (may be none: a receipt, an echo)."""
        raise NotImplementedError

    def acknowledge(self, request: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    def extra_routes(self, blueprint: Blueprint) -> None:
        pass

    # -- shared -------------------------------------------------------------------------
    def output_for(self, inbound: Inbound) -> PlatformOutput:
        return self.output_class(inbound.address, self)

    async def handle(self, request: Request, inbound: Inbound,
                     on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        sender = pseudonym(self.hash_key, self.name(), inbound.sender)
        output = RecordingOutput(self.output_for(inbound))
        if inbound.text is None:
            await output.inner.send_text_message(sender, TEXT_ONLY)
            return
        text = clean_text(inbound.text)
        canned = canned_reply(text)
        if canned:
            await output.inner.send_text_message(sender, canned)
            return
        choice = chosen_option(text) if self.resolves_numbers else None
        if choice is not None:
            buttons = await last_buttons(request, sender)
            if 1 <= choice <= len(buttons):
                text = buttons[choice - 1].get("payload") or buttons[choice - 1].get("title") or text
        message = UserMessage(text, output, sender, input_channel=self.name(), metadata=None)
        await handle_with_guarantee(on_new_message, message, output)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"{self.name()}_messaging_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                self.authenticate(request)
                messages = self.parse(request)
            except Refused as exc:
                logger.warning("%s: request refused (HTTP %s): %s", self.name(), exc.status, exc.reason)
                return response.json({"error": exc.reason}, exc.status)
            for inbound in messages:
                await self.handle(request, inbound, on_new_message)
            return self.acknowledge(request)

        self.extra_routes(webhook)
        return webhook

    def get_output_channel(self) -> Optional[OutputChannel]:
        return None  # replies need the raw address, which only a request carries
