"""The web chat over HTTP: the page and its files, a small JSON API over the Gateway, and a
Server-Sent Events stream of the outbox's notices for the open page.

Every write is a same-origin JSON POST with the page's own header; answers carry no personal data
in URLs, and the access log records neither addresses nor query strings.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any
from urllib.parse import quote

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_request import BaseRequest

from bot.flood import FloodLimit, Verdict
from bot.gateway import Gateway
from bot.messages import OutgoingMessage
from bot.web.console.routes import add_console
from bot.web.identity import Identity, new_token, read_identity, remember
from bot.web.origin import client_address, from_this_site
from bot.web.pages import OpenPages, Page, deliver_to_open_pages
from desk.common import pii, replies
from desk.common.pseudonym import keyed_hash
from desk.legal.render import BASIS_HEADING
from desk.storage import outbox
from desk.storage.db import in_unit_of_work

logger = logging.getLogger(__name__)

CLIENT_HEADER = "X-Desk-Page"  # a header a form or another site's script cannot send to us
MAX_BODY_BYTES = 64 * 1024  # a 5,000-character message is ~15 KB of UTF-8
MAX_PAYLOAD_CHARS = 500
HEARTBEAT_SECONDS = 15.0
CLOSED_CHECK_SECONDS = 0.5  # a closed page is let go at once: its notices wait for the next visit
# Requests one address may make at once, then five a second: a factory's NAT is many workers.
ADDRESS_BURST = 120
BUSY = "服务台现在有点忙，请过一会儿再试。您的消息还在输入框里。"
FORBIDDEN = "请从服务台的页面发送消息。"
MALFORMED = "消息格式不对，请刷新页面后再试。"
TOO_LONG = "这条消息太长了，请分几条发给我。"

CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
STATIC_TYPES = {
    "chat.js": "text/javascript; charset=utf-8",
    "chat.css": "text/css; charset=utf-8",
    "icon.svg": "image/svg+xml",
}

PAGES: web.AppKey[OpenPages] = web.AppKey("pages", OpenPages)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def split_basis(text: str) -> tuple[str, str | None, str]:
    """(before, the 法律依据 block or None, after): the page folds the block under its heading."""
    lines = text.split("\n")
    if BASIS_HEADING not in lines:
        return text, None, ""
    start = lines.index(BASIS_HEADING)
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].strip()), len(lines))
    before = "\n".join(lines[:start]).rstrip()
    basis = "\n".join(lines[start + 1 : end])
    after = "\n".join(lines[end:]).strip()
    return before, basis, after


DOCUMENTS_PATH = "/api/documents/"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def as_json(message: OutgoingMessage) -> dict[str, Any]:
    text, basis, after = split_basis(message.text)
    shown: dict[str, Any] = {
        "text": text,
        "basis": basis,
        "after": after,
        "buttons": [{"title": b.title, "payload": b.payload} for b in message.buttons],
    }
    if message.document:
        url = DOCUMENTS_PATH + quote(message.document, safe="")
        shown["document"] = {"name": message.document, "url": url}
    return shown


class PathOnlyAccessLogger(AbstractAccessLogger):
    """Method, path, status and time: no address, no query string, no user agent."""

    def log(self, request: BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s %.3fs", request.method, request.path, response.status, time)


def is_same_origin(request: web.Request) -> bool:
    """A write must come from our own page: its header present, and where the browser says
    where the request comes from (Origin, Sec-Fetch-Site), that is this site."""
    return request.headers.get(CLIENT_HEADER) == "1" and from_this_site(request)


def error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class WebChat:
    """The handlers, with the gateway and the limits they share."""

    def __init__(
        self,
        gateway: Gateway,
        pages: OpenPages,
        address_limit: FloodLimit | None = None,
        max_in_flight: int = 64,
    ) -> None:
        self.gateway = gateway
        self.pages = pages
        # Derived from the desk's secret key: rotating that key signs every worker out.
        self.secret = keyed_hash("web chat cookie signing key").encode()
        # Each chat has the gateway's flood limit, as in every channel; a new cookie is a new
        # chat, so the web also limits each address.
        self.by_address = address_limit or FloodLimit(ADDRESS_BURST, per_second=5.0)
        self.in_flight = asyncio.Semaphore(max_in_flight)

    # ── the page ────────────────────────────────────────────────────────────────────────────
    async def index(self, request: web.Request) -> web.StreamResponse:
        identity = read_identity(request, self.secret)
        response = web.Response(
            body=_static("index.html"), content_type="text/html", charset="utf-8"
        )
        response.headers["Cache-Control"] = "no-store"
        remember(response, request, identity, self.secret)  # refreshed on every visit
        return response

    async def static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in STATIC_TYPES:
            raise web.HTTPNotFound
        response = web.Response(body=_static(name))
        response.headers["Content-Type"] = STATIC_TYPES[name]
        response.headers["Cache-Control"] = "no-cache"
        return response

    async def health(self, request: web.Request) -> web.StreamResponse:
        return web.Response(text="ok")

    # ── writes ──────────────────────────────────────────────────────────────────────────────
    async def open(self, request: web.Request) -> web.StreamResponse:
        """The page opens: its history is kept if it is this conversation's, else a greeting."""
        return await self._write(request, self._open)

    async def say(self, request: web.Request) -> web.StreamResponse:
        return await self._write(request, self._say)

    async def press(self, request: web.Request) -> web.StreamResponse:
        return await self._write(request, self._press)

    async def restart(self, request: web.Request) -> web.StreamResponse:
        """重新开始: a new identity; the old conversation stays with the desk (its applications
        and cases can be looked up by number)."""
        return await self._write(request, self._open, fresh=True)

    async def _open(self, identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("conversation") == identity.conversation and not identity.new:
            return {"messages": []}
        return {"messages": await self.gateway.on_start(identity.chat_id)}

    async def _say(self, identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
        text = body.get("text")
        if not isinstance(text, str):
            raise web.HTTPBadRequest
        answer = await self.gateway.on_text(identity.chat_id, text)
        # The page shows (and keeps) what the worker wrote with ID and phone numbers masked.
        return {"you": pii.mask_personal_data(text), "messages": answer}

    async def _press(self, identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
        payload = body.get("payload")
        # Any button the desk sent, as in Telegram: an intent ("/affirm") or an answer ("美团").
        if not isinstance(payload, str) or not payload.strip():
            raise web.HTTPBadRequest
        answer = await self.gateway.on_button(identity.chat_id, payload[:MAX_PAYLOAD_CHARS])
        return {"messages": answer}

    async def _write(
        self,
        request: web.Request,
        handle: Callable[[Identity, dict[str, Any]], Awaitable[dict[str, Any]]],
        fresh: bool = False,
    ) -> web.StreamResponse:
        if not is_same_origin(request):
            return error(403, FORBIDDEN)
        identity = read_identity(request, self.secret)
        if fresh:
            identity = Identity(new_token(), new=True)
        if self.by_address.check(client_address(request)) is not Verdict.READ:
            return error(429, replies.TOO_FAST)
        try:
            body = await request.json()
        except web.HTTPRequestEntityTooLarge:
            return error(413, TOO_LONG)
        except (ValueError, UnicodeDecodeError):
            return error(400, MALFORMED)
        if not isinstance(body, dict):
            return error(400, MALFORMED)
        if self.in_flight.locked():
            return error(503, BUSY)
        async with self.in_flight:
            answer = await handle(identity, body)
        answer["messages"] = [as_json(message) for message in answer["messages"]]
        answer["conversation"] = identity.conversation
        response = web.json_response(answer)
        response.headers["Cache-Control"] = "no-store"
        if identity.new:
            remember(response, request, identity, self.secret)
        return response

    # ── files a notice brought (an arbitration draft) ───────────────────────────────────────
    async def document(self, request: web.Request) -> web.StreamResponse:
        """A file the outbox brought this chat; the same 404 for any other chat's or name."""
        identity = read_identity(request, self.secret)
        name = request.match_info["name"]
        content = None
        if not identity.new:
            content = await asyncio.to_thread(
                in_unit_of_work,
                self.gateway.database_url,
                outbox.document_of,
                identity.chat_id,
                name,
            )
        if content is None:
            raise web.HTTPNotFound
        response = web.Response(body=content, content_type=DOCX_TYPE)
        response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        response.headers["Cache-Control"] = "no-store"
        return response

    # ── notices ─────────────────────────────────────────────────────────────────────────────
    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-Sent Events: the outbox's notices for this chat while the page is open."""
        identity = read_identity(request, self.secret)
        if identity.new:
            return web.Response(status=204)  # no conversation yet: the browser stops retrying
        page = self.pages.open(identity.chat_id)
        if page is None:
            return error(503, BUSY)
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream; charset=utf-8",
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",  # a proxy in front must not hold events back
            }
        )
        try:
            await response.prepare(request)
            await response.write(b"retry: 3000\n\n")
            await self._stream(request, response, page)
        except ConnectionResetError:
            pass  # the page was closed
        finally:
            self.pages.close(identity.chat_id, page)
        return response

    @staticmethod
    async def _stream(request: web.Request, response: web.StreamResponse, page: Page) -> None:
        quiet = 0.0
        while True:
            transport = request.transport
            if transport is None or transport.is_closing():
                return  # the page was closed
            try:
                message, written = await asyncio.wait_for(page.queue.get(), CLOSED_CHECK_SECONDS)
            except TimeoutError:
                quiet += CLOSED_CHECK_SECONDS
                if quiet >= HEARTBEAT_SECONDS:
                    quiet = 0.0
                    await response.write(b": ping\n\n")  # keeps proxies from closing it
                continue
            data = json.dumps(as_json(message), ensure_ascii=False)
            try:
                await response.write(f"event: notice\ndata: {data}\n\n".encode())
            except ConnectionResetError:
                if not written.done():
                    written.set_result(False)
                raise
            if not written.done():
                written.set_result(True)


def _static(name: str) -> bytes:
    return resources.files("bot.web").joinpath("static", name).read_bytes()


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as failure:
        response = failure
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if isinstance(response, web.HTTPException):
        raise response
    return response


def build_app(
    gateway: Gateway,
    pages: OpenPages,
    address_limit: FloodLimit | None = None,
    routes: Sequence[web.RouteDef] = (),
    login_limit: FloodLimit | None = None,
    login_address_limit: FloodLimit | None = None,
) -> web.Application:
    """routes: other channels on the same port (WeChat's /wechat)."""
    chat = WebChat(gateway, pages, address_limit)
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[security_headers])
    app[PAGES] = pages
    app.router.add_get("/", chat.index)
    app.router.add_get("/static/{name}", chat.static)
    app.router.add_get("/healthz", chat.health)
    app.router.add_post("/api/open", chat.open)
    app.router.add_post("/api/say", chat.say)
    app.router.add_post("/api/press", chat.press)
    app.router.add_post("/api/restart", chat.restart)
    app.router.add_get("/api/events", chat.events)
    app.router.add_get(DOCUMENTS_PATH + "{name}", chat.document)
    app.add_routes(routes)
    # The lawyers' and staff's console (bot/web/console/): same host and port, its own cookie.
    add_console(
        app, gateway.database_url, gateway.outbox_written.set, login_limit, login_address_limit
    )
    return app


@asynccontextmanager
async def serving(
    gateway: Gateway,
    host: str,
    port: int,
    database_url: str | None = None,
    delivery_interval: float = 2.0,
    address_limit: FloodLimit | None = None,
    routes: Sequence[web.RouteDef] = (),
) -> AsyncIterator[OpenPages]:
    """The web chat listening on host:port, delivering to open pages, until the block ends."""
    pages = OpenPages()
    runner = web.AppRunner(
        build_app(gateway, pages, address_limit, routes),
        access_log_class=PathOnlyAccessLogger,
        shutdown_timeout=1.0,
    )
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    delivery = asyncio.create_task(deliver_to_open_pages(pages, delivery_interval, database_url))
    try:
        yield pages
    finally:
        delivery.cancel()
        await runner.cleanup()


def page_url(host: str, port: int) -> str:
    """The address to print for people: a wildcard listen address is reached on this machine."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    return f"http://{shown}:{port}/"
