"""The action server: rasa_sdk's own command line, with a request-size cap of its own.

The launcher sets SANIC_REQUEST_MAX_SIZE (64 kB) for the Rasa server, where it
caps what the public sends. Every Sanic app reads it, but the action server
receives whole trackers from the Rasa server: after a dozen turns they exceed
64 kB and every custom action would fail with "payload too large". The action
server is internal, so it gets ACTION_MAX_REQUEST_BYTES (default 16 MB).

It is internal in another way too: it has no authentication and runs any action
on any tracker it is sent. `--host` (from ACTION_BIND_HOST, default 127.0.0.1)
is the interface it listens on; rasa_sdk itself has no such option and always
listens on SANIC_HOST, else 0.0.0.0.

    python -m bot.action_server --host 127.0.0.1 --actions actions --port 5055
"""
from __future__ import annotations

import os
import sys

from bot import settings


def main() -> None:
    host = "127.0.0.1"
    if "--host" in sys.argv:
        at = sys.argv.index("--host")
        host = sys.argv[at + 1]
        del sys.argv[at:at + 2]  # rasa_sdk's parser does not know it
    os.environ["SANIC_HOST"] = host
    os.environ["SANIC_REQUEST_MAX_SIZE"] = str(settings.load().action_max_request_bytes)
    from rasa_sdk.__main__ import main as rasa_sdk_main  # reads SANIC_* when it builds the app
    rasa_sdk_main()


if __name__ == "__main__":
    main()
