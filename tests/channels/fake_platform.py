"""A fake of every messaging platform's API on one local port (Telegram Bot
API, Messenger Send API, Twilio REST API, Slack Web API, a callback receiver):
it records each call and answers as the platform does on success.

The channel tests use it; staff can run it to try a channel without an account
(README, "Canaux de messagerie"):

    .venv/bin/python -m tests.channels.fake_platform --port 9000

prints every call the assistant makes, e.g. the reply it sends to Telegram.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from aiohttp import web

from tests.support.servers import free_port


@dataclass
class Call:
    method: str
    path: str
    query: dict
    headers: dict
    json: Any = None
    form: dict = field(default_factory=dict)


class FakePlatform:
    """Every platform's API on one local port: records each call, answers as
    the platforms do on success."""

    def __init__(self, port: int = 0, echo: bool = False) -> None:
        self.port = port or free_port()
        self.echo = echo
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._runner: Optional[web.AppRunner] = None
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _record(self, request: web.Request) -> web.Response:
        body = await request.read()
        call = Call(request.method, request.path, dict(request.query), dict(request.headers))
        if request.content_type == "application/json":
            call.json = json.loads(body)
        elif request.content_type == "application/x-www-form-urlencoded":
            call.form = dict((await request.post()).items())
        with self._lock:
            self.calls.append(call)
        if self.echo:
            print(f"{call.method} {call.path} {json.dumps(call.json or call.form, ensure_ascii=False)}", flush=True)
        if request.path.endswith("/Messages.json"):
            return web.json_response({"sid": "SM" + "0" * 32, "status": "queued"}, status=201)
        return web.json_response({"ok": True, "result": {"message_id": len(self.calls)},
                                  "recipient_id": "x", "message_id": "m"})

    def _serve(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._record)
        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
        self._ready.set()
        self._loop.run_forever()

    def start(self) -> "FakePlatform":
        self._thread.start()
        assert self._ready.wait(10), "the fake platform did not start"
        return self

    def stop(self) -> None:
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def calls_matching(self, predicate: Callable[[Call], bool]) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if predicate(c)]

    def wait_for(self, predicate: Callable[[Call], bool], count: int = 1, timeout: float = 60) -> list[Call]:
        """The matching calls once there are `count` of them (a condition, not a sleep)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls_matching(predicate)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"the platform API got {len(self.calls_matching(predicate))} matching call(s), "
                             f"expected {count}; all calls: {[(c.method, c.path) for c in self.calls]}")

    def settle(self, predicate: Callable[[Call], bool], quiet: float = 1.5, timeout: float = 60) -> list[Call]:
        """The matching calls once no new one arrived for `quiet` seconds (a
        reply of several messages is complete)."""
        deadline = time.monotonic() + timeout
        seen, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            found = self.calls_matching(predicate)
            if len(found) != seen:
                seen, since = len(found), time.monotonic()
            elif found and time.monotonic() - since >= quiet:
                return found
            time.sleep(0.05)
        raise AssertionError("the platform API got no reply")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=9000)
    args = parser.parse_args()
    platform = FakePlatform(args.port, echo=True).start()
    print(f"fake platform APIs on {platform.url} (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        platform.stop()


if __name__ == "__main__":
    main()
