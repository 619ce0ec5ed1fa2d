"""Static server for the demo pages and the chat widget (web/), port WEB_PORT.

Everything is served from this repository: no CDN at run time. Only web/widget/
and web/demo/ are public (not web/node_modules, package files or READMEs).

The demo pages carry `data-server-url="{{RASA_URL}}"`, filled per request with
PUBLIC_RASA_URL, or by default with the page's own host name on RASA_PORT (so the
page works as http://localhost:8080/ and http://127.0.0.1:8080/ alike).
"""
from __future__ import annotations

import argparse
import html
import re
from urllib.parse import urlsplit
from pathlib import Path

from aiohttp import web

from bot import settings
from bot.settings import ROOT

WEB_ROOT = ROOT / "web"
DEMO_DIR = WEB_ROOT / "demo"
DEMO_PAGE = DEMO_DIR / "index.html"
PAGES = {
    "/": DEMO_PAGE, "/demo/index.html": DEMO_PAGE,
    "/integre.html": DEMO_DIR / "integre.html", "/demo/integre.html": DEMO_DIR / "integre.html",
}
PLACEHOLDER = "{{RASA_URL}}"
_HOST_RE = re.compile(r"^[A-Za-z0-9.-]{1,253}$")


def security_headers(rasa_url: str) -> dict[str, str]:
    connect = f"'self' {rasa_url} {rasa_url.replace('http', 'ws', 1)}"
    return {
        "Content-Security-Policy": (
            f"default-src 'self'; connect-src {connect}; img-src 'self' data:; "
            "style-src 'self'; script-src 'self'; object-src 'none'; "
            "frame-ancestors 'self'; base-uri 'none'; form-action 'self'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def rasa_url_for(request: web.Request, public_url: str | None, rasa_port: int) -> str:
    """The Rasa URL the browser should use: PUBLIC_RASA_URL, else this host on RASA_PORT."""
    if public_url:
        return public_url.rstrip("/")
    try:  # Host header, without its port
        host = urlsplit("//" + request.host).hostname or "localhost"
    except ValueError:
        host = "localhost"
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    elif not _HOST_RE.match(host):
        host = "localhost"
    scheme = "https" if request.scheme == "https" else "http"
    return f"{scheme}://{host}:{rasa_port}"


def make_app(public_rasa_url: str | None = None, rasa_port: int = 5005) -> web.Application:
    templates = {path: file.read_text(encoding="utf-8") for path, file in PAGES.items()}

    @web.middleware
    async def add_headers(request: web.Request, handler):
        resp = await handler(request)
        resp.headers.update(security_headers(rasa_url_for(request, public_rasa_url, rasa_port)))
        # Revalidate every time (Last-Modified/ETag keep it cheap): a widget update
        # reaches visitors at once.
        resp.headers.setdefault("Cache-Control", "no-cache")
        return resp

    def page(path: str):
        async def handler(request: web.Request) -> web.Response:
            url = html.escape(rasa_url_for(request, public_rasa_url, rasa_port), quote=True)
            return web.Response(text=templates[path].replace(PLACEHOLDER, url),
                                content_type="text/html", charset="utf-8")
        return handler

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application(middlewares=[add_headers])
    for path in PAGES:
        app.router.add_get(path, page(path))
    app.router.add_get("/healthz", health)
    app.router.add_static("/widget", WEB_ROOT / "widget", show_index=False, follow_symlinks=False)
    app.router.add_static("/demo", DEMO_DIR, show_index=False, follow_symlinks=False)
    return app


def main() -> None:
    conf = settings.load()
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=conf.web_port)
    parser.add_argument("--host", default=conf.host)
    args = parser.parse_args()
    app = make_app(conf.public_rasa_url or None, conf.rasa_port)
    web.run_app(app, host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
