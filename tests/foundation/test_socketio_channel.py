"""The socket.io channel: a socket speaks only for the session it asked for."""
import asyncio

import pytest
import socketio

from bot import responses

GREETING = responses.text("utter_greet")

pytestmark = pytest.mark.servers


async def _client(url: str, origin: str):
    client = socketio.AsyncClient(reconnection=False)
    received: list = []
    errors: list = []
    confirmed = asyncio.get_running_loop().create_future()
    client.on("bot_uttered", lambda data: received.append(data))
    client.on("error", lambda data: errors.append(data))
    client.on("session_confirm",
              lambda sid: confirmed.done() or confirmed.set_result(sid))
    await client.connect(url, transports=["polling"], headers={"Origin": origin})
    return client, received, errors, confirmed


async def _wait_for(items: list, timeout: float = 20) -> None:
    for _ in range(int(timeout * 10)):
        if items:
            return
        await asyncio.sleep(0.1)


async def test_greeting_over_socketio_and_no_speaking_for_another_session(bot_servers):
    origin = f"http://localhost:{bot_servers.web_port}"
    alice, alice_got, _, alice_ok = await _client(bot_servers.base_url, origin)
    mallory, mallory_got, mallory_errors, mallory_ok = await _client(bot_servers.base_url, origin)
    try:
        await alice.emit("session_request", {"session_id": "alice-session-0001"})
        assert await asyncio.wait_for(alice_ok, 10) == "alice-session-0001"
        await alice.emit("user_uttered", {"message": "Bonjour", "session_id": "alice-session-0001"})
        await _wait_for(alice_got)
        assert alice_got and alice_got[0]["text"] == GREETING

        await mallory.emit("session_request", {"session_id": None})
        await asyncio.wait_for(mallory_ok, 10)
        alice_got.clear()
        await mallory.emit("user_uttered", {"message": "Bonjour", "session_id": "alice-session-0001"})
        await _wait_for(mallory_errors)
        assert mallory_errors, "a message for someone else's session must be refused"
        await asyncio.sleep(1)
        assert alice_got == [] and mallory_got == []
    finally:
        await alice.disconnect()
        await mallory.disconnect()
