"""Hardened REST and socket.io input channels.

They replace Rasa's `rest` and `socketio` channels (same names, same URLs) and add:
- request validation: malformed JSON, a missing or non-string `sender` or
  `message` get an HTTP 400 with a French error, and nothing reaches the bot;
- a length cap: an over-long message gets a polite reply instead of NLU;
- a reply guarantee: if a turn produced no bot message (the action server is
  down, an action crashed), the user gets a polite apology, not silence;
- privacy: message text never goes to the logs (Rasa's own channel logs it on
  failure);
- socket.io CORS restricted to an allow-list;
- feedback: the widget's "Cette réponse vous a-t-elle aidé ?" (socket.io event
  `feedback`) is stored in the conversation as the `feedback` slot, between turns.
"""
from __future__ import annotations

import asyncio
import logging
import unicodedata
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    OutputChannel,
    UserMessage,
)
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from rasa.shared.core.events import SlotSet
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot import settings
from bot.channel_messages import APOLOGY, EMPTY, TOO_LONG

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
FEEDBACK_SLOT = "feedback"
FEEDBACK_VALUES = ("up", "down")


def max_message_chars() -> int:
    return settings.load().max_message_chars


def default_origins() -> List[Text]:
    return list(settings.load().cors_origins)


class RequestError(ValueError):
    """A request the channel refuses, with a French message for the client."""


def validate_payload(payload: Any) -> tuple[Text, Text, Optional[Dict[Text, Any]]]:
    """Return (sender, message, metadata) or raise RequestError."""
    if not isinstance(payload, dict):
        raise RequestError("Le corps de la requête doit être un objet JSON.")
    sender = payload.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        raise RequestError("Le champ « sender » (texte non vide) est obligatoire.")
    if len(sender) > MAX_SENDER_CHARS:
        raise RequestError(f"Le champ « sender » dépasse {MAX_SENDER_CHARS} caractères.")
    # Control characters and lone surrogates are valid JSON but cannot be stored
    # as a conversation id (SQLite/PostgreSQL refuse them).
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in sender):
        raise RequestError("Le champ « sender » contient des caractères non autorisés.")
    message = payload.get("message")
    if not isinstance(message, str):
        raise RequestError("Le champ « message » (texte) est obligatoire.")
    metadata = payload.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise RequestError("Le champ « metadata » doit être un objet JSON.")
    return sender, clean_text(message), metadata


def clean_text(message: Text) -> Text:
    """Drop control characters (except line breaks and tabs) and replace lone
    surrogates, so every message can be stored and logged safely."""
    return "".join(
        "\ufffd" if unicodedata.category(char) == "Cs" else char
        for char in message
        if char in "\n\r\t" or unicodedata.category(char) != "Cc"
    )


def canned_reply(message: Text) -> Optional[Text]:
    """A reply given without running the bot, for empty or over-long messages."""
    if not message.strip():
        return EMPTY
    if len(message) > max_message_chars():
        return TOO_LONG
    return None


class RecordingOutput(OutputChannel):
    """Wraps an output channel and remembers whether anything was sent."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = False

    @classmethod
    def name(cls) -> Text:
        return "recording"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent = True
        await self.inner.send_response(recipient_id, message)


async def handle_with_guarantee(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    output: RecordingOutput,
) -> None:
    """Run the bot on a message; apologise if it fails or stays silent."""
    try:
        await on_new_message(message)
    except asyncio.CancelledError:
        logger.error("Message handling timed out (sender %s).", message.sender_id)
    except Exception as exc:  # noqa: BLE001 - any failure must still answer the user
        logger.error(
            "Message handling failed (sender %s): %s", message.sender_id, type(exc).__name__
        )
    if not output.sent:
        logger.warning("No reply produced for sender %s; sending apology.", message.sender_id)
        await output.inner.send_text_message(message.sender_id, APOLOGY)


async def record_feedback(agent: Any, sender_id: Text, value: Text) -> bool:
    """Append the resident's feedback to the conversation (under its lock, so no
    turn is lost); False if there is no answer to give feedback on."""
    if agent is None or agent.tracker_store is None:
        return False
    async with agent.lock_store.lock(sender_id):
        tracker = await agent.tracker_store.retrieve(sender_id)
        if tracker is None or not any(e.type_name == "bot" for e in tracker.events):
            return False
        tracker.update(SlotSet(FEEDBACK_SLOT, value))
        await agent.tracker_store.save(tracker)
    return True


class RestInput(InputChannel):
    """POST /webhooks/rest/webhook {"sender": str, "message": str} -> [bot messages]."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint("hardened_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                payload = request.json
            except Exception:  # sanic raises InvalidUsage on bad JSON
                return response.json({"error": "Le corps de la requête n'est pas du JSON valide."}, 400)
            try:
                sender, text, metadata = validate_payload(payload)
            except RequestError as exc:
                return response.json({"error": str(exc)}, 400)

            canned = canned_reply(text)
            if canned:
                return response.json([{"recipient_id": sender, "text": canned}])

            collector = CollectingOutputChannel()
            output = RecordingOutput(collector)
            user_message = UserMessage(
                text, output, sender, input_channel=self.name(), metadata=metadata
            )
            await handle_with_guarantee(on_new_message, user_message, output)
            return response.json(collector.messages)

        return webhook


class SocketIOInput(InputChannel):
    """Rasa's socket.io protocol (session_request / user_uttered / bot_uttered),
    with a CORS allow-list and the same validation and reply guarantee as REST."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        origins = credentials.get("cors_allowed_origins") or default_origins()
        if isinstance(origins, str):
            origins = [o.strip() for o in origins.split(",") if o.strip()]
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            session_persistence=bool(credentials.get("session_persistence", True)),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            cors_allowed_origins=list(origins),
        )

    def __init__(
        self,
        user_message_evt: Text = "user_uttered",
        bot_message_evt: Text = "bot_uttered",
        session_persistence: bool = True,
        socketio_path: Text = "/socket.io",
        cors_allowed_origins: Optional[List[Text]] = None,
    ) -> None:
        self.user_message_evt = user_message_evt
        self.bot_message_evt = bot_message_evt
        self.session_persistence = session_persistence
        self.socketio_path = socketio_path
        self.cors_allowed_origins = cors_allowed_origins or default_origins()
        self.sio: Optional[AsyncServer] = None
        self.app: Any = None  # the Sanic app, for its agent (feedback)

    def get_output_channel(self) -> Optional[OutputChannel]:
        if self.sio is None:
            return None
        return SocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=self.cors_allowed_origins,
            max_http_buffer_size=64 * 1024,
            # Sanic 21.12's websockets fail on Python 3.11 (asyncio.wait on bare
            # coroutines): long-polling only, so clients never try the upgrade.
            transports=["polling"],
            allow_upgrades=False,
        )
        # Sanic-CORS (`rasa run --cors`, same allow-list) already sets the CORS headers
        # on /socket.io; engine.io adding its own duplicates Access-Control-Allow-Origin
        # and browsers then refuse the polling transport. Keep engine.io's Origin check.
        sio.eio._cors_headers = lambda environ: []
        self.sio = sio
        socket_blueprint = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)

        @socket_blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @socket_blueprint.listener("after_server_start")
        async def remember_app(app: Any, _loop: Any) -> None:
            self.app = app

        async def bound_sender(sid: Text, data: Dict) -> Optional[Text]:
            """The conversation this socket may speak for (the one it asked for)."""
            sender_id = data.get("session_id") if self.session_persistence else sid
            if self.session_persistence:
                bound = (await sio.get_session(sid)).get("session_id")
                if not sender_id or sender_id != bound:
                    return None
            return sender_id if isinstance(sender_id, str) and sender_id else None

        @sio.on("feedback")
        async def handle_feedback(sid: Text, data: Any) -> None:
            if not isinstance(data, dict) or data.get("value") not in FEEDBACK_VALUES:
                await sio.emit("error", {"error": "Avis invalide."}, room=sid)
                return
            sender_id = await bound_sender(sid, data)
            if sender_id is None:
                await sio.emit("error", {"error": "Session inconnue : rechargez la page."}, room=sid)
                return
            agent = getattr(getattr(self.app, "ctx", None), "agent", None)
            try:
                stored = await record_feedback(agent, sender_id, data["value"])
            except Exception as exc:  # noqa: BLE001 - feedback must never break the chat
                logger.error("Feedback not stored (sender %s): %s", sender_id, type(exc).__name__)
                stored = False
            await sio.emit("feedback_stored", {"stored": stored}, room=sid)

        @sio.on("connect")
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            return True

        @sio.on("session_request")
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not (0 < len(session_id) <= MAX_SENDER_CHARS):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id)
            # A socket may only speak for the session it asked for.
            await sio.save_session(sid, {"session_id": session_id})
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: Text, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                await sio.emit("error", {"error": "Message invalide."}, room=sid)
                return
            sender_id = await bound_sender(sid, data)
            if sender_id is None:
                await sio.emit("error", {"error": "Session inconnue : rechargez la page."}, room=sid)
                return
            room = sender_id if self.session_persistence else sid
            output = RecordingOutput(SocketIOOutput(sio, self.bot_message_evt))
            text = clean_text(data["message"])
            canned = canned_reply(text)
            if canned:
                await output.inner.send_text_message(room, canned)
                return
            metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else None
            message = UserMessage(
                text, output, sender_id, input_channel=self.name(), metadata=metadata
            )
            await handle_with_guarantee(on_new_message, message, output)

        return socket_blueprint
