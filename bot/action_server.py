"""The action server: rasa_sdk's own command line, with a request-size cap of its own.

The launcher sets SANIC_REQUEST_MAX_SIZE (64 kB) for the Rasa server, where it
caps what the public sends. Every Sanic app reads it, but the action server
receives whole trackers from the Rasa server: after a dozen turns they exceed
64 kB and every custom action would fail with "payload too large". The action
server is internal, so it gets ACTION_MAX_REQUEST_BYTES (default 16 MB).

    python -m bot.action_server --actions actions --port 5055   (rasa_sdk's options)
"""
from __future__ import annotations

import os

DEFAULT_MAX_BYTES = 16 * 1024 * 1024


def main() -> None:
    os.environ["SANIC_REQUEST_MAX_SIZE"] = os.environ.get(
        "ACTION_MAX_REQUEST_BYTES", str(DEFAULT_MAX_BYTES))
    from rasa_sdk.__main__ import main as rasa_sdk_main  # reads SANIC_* when it builds the app
    rasa_sdk_main()


if __name__ == "__main__":
    main()
