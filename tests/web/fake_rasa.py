"""A scripted stand-in for Rasa's socket.io channel, for widget tests that need bot
messages the real bot never sends (hostile HTML, javascript: links, attachments,
silence). Same protocol as bot/channels.py; served with the real bot.web app on one
port, in a background thread.
"""
from __future__ import annotations

import asyncio
import threading
import uuid

import socketio
from aiohttp import web

from bot.web import make_app
from tests.support.servers import free_port

# message received -> bot messages sent back (None: no reply at all)
SCRIPT: dict[str, list[dict] | None] = {
    "html": [{"text": '<img src=x onerror="window.__xss=\'bot\'"><b>gras</b><script>window.__xss=1</script>'}],
    "liens": [{"text": (
        "Le site : https://www.hauts-de-seine.fr/solidarites. "
        "Pas ceux-ci : javascript:window.__xss=2 data:text/html,<b>x</b> "
        "ni (http://exemple.test/a?b=1&c=2) ni ftp://exemple.test/f"
    )}],
    "pièces": [
        {"text": "Le document :", "attachment": {"type": "file", "payload": {
            "src": "https://exemple.test/plan.pdf", "title": "Plan d'accès (PDF)"}}},
        {"attachment": {"type": "image", "payload": {"src": "javascript:window.__xss=3"}}},
        {"attachment": {"type": "image", "payload": {"src": "https://exemple.test/photo.jpg"}}},
    ],
    "boutons": [{"text": "Choisissez un sujet.", "quick_replies": [
        {"content_type": "text", "title": "Trouver mon pôle social", "payload": "/find_hub"},
        {"content_type": "text", "title": "<i>Horaires</i>", "payload": "/ask_hours"},
    ]}],
    "rest-boutons": [{"text": "Format REST.", "buttons": [
        {"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]}],
    "deux": [{"text": "Première partie."}, {"text": "Deuxième partie."}],
    "silence": None,
}


class FakeRasa:
    """Start with `with FakeRasa() as fake:`; `fake.url` is the demo page."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[dict] = []
        self.sessions: list[str | None] = []
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _build(self) -> web.Application:
        sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins=[])
        app = make_app(f"http://127.0.0.1:{self.port}", self.port)

        @sio.on("session_request")
        async def session_request(sid, data):
            wanted = data.get("session_id") if isinstance(data, dict) else None
            self.sessions.append(wanted)
            session_id = wanted if isinstance(wanted, str) and wanted else uuid.uuid4().hex
            await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid, data):
            self.received.append(data)
            text = data.get("message", "")
            if text == "lien-local":  # a link that can really be opened
                replies = [{"text": f"Plan : http://127.0.0.1:{self.port}/demo/demo.css"}]
            else:
                replies = SCRIPT.get(text, [{"text": f"Vous avez écrit : {text}"}])
            await asyncio.sleep(0.3)
            for reply in replies or []:
                await sio.emit("bot_uttered", reply, room=data.get("session_id"))

        sio.attach(app)
        return app

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        runner = web.AppRunner(self._build())
        self._loop.run_until_complete(runner.setup())
        self._loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self._runner = runner
        self._ready.set()
        self._loop.run_forever()

    async def _shutdown(self) -> None:
        try:
            await asyncio.wait_for(self._runner.cleanup(), 5)
        finally:  # then engine.io's background tasks (pings, service task)
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            if tasks:
                await asyncio.wait(tasks, timeout=3)

    def __enter__(self) -> "FakeRasa":
        self._thread.start()
        if not self._ready.wait(20):
            raise RuntimeError("fake Rasa server did not start")
        return self

    def __exit__(self, *exc) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(30)
        except Exception:  # noqa: BLE001 - best effort: the thread is a daemon
            pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
