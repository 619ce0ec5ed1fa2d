"""Static server for the demo page and the chat widget (web/), port WEB_PORT.

Everything is served from this repository: no CDN at run time.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from aiohttp import web

from bot.settings import ROOT

WEB_ROOT = ROOT / "web"
DEMO_PAGE = WEB_ROOT / "demo" / "index.html"


def security_headers(rasa_url: str) -> dict[str, str]:
    connect = f"'self' {rasa_url} {rasa_url.replace('http', 'ws', 1)}"
    return {
        "Content-Security-Policy": (
            f"default-src 'self'; connect-src {connect}; img-src 'self' data:; "
            "style-src 'self'; script-src 'self'; frame-ancestors 'self'; base-uri 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def make_app(rasa_url: str) -> web.Application:
    headers = security_headers(rasa_url)

    @web.middleware
    async def add_headers(request: web.Request, handler):
        resp = await handler(request)
        resp.headers.update(headers)
        return resp

    async def index(_: web.Request) -> web.FileResponse:
        return web.FileResponse(DEMO_PAGE)

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application(middlewares=[add_headers])
    app.router.add_get("/", index)
    app.router.add_get("/healthz", health)
    app.router.add_static("/", WEB_ROOT, show_index=False, follow_symlinks=False)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", 8080)))
    parser.add_argument("--host", default=os.environ.get("BIND_HOST", "0.0.0.0"))
    args = parser.parse_args()
    rasa_url = os.environ.get("PUBLIC_RASA_URL", f"http://localhost:{os.environ.get('RASA_PORT', 5005)}")
    web.run_app(make_app(rasa_url), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
