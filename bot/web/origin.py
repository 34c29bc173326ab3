"""Where a request comes from: whether from a page of this site (the check every write makes,
the web chat's JSON posts and the console's forms), from which address (for rate limits), and
whether over HTTPS (for the cookies' Secure flag)."""

from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import web


def from_this_site(request: web.Request) -> bool:
    """Where the browser says where the request comes from (Origin, Sec-Fetch-Site), that is
    this site; a browser too old to say is judged by the other checks (cookie, token)."""
    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc != request.host:
        return False
    return request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"


def client_address(request: web.Request) -> str:
    """Whom to rate-limit: the peer, or, behind a proxy on this machine (nginx), the address
    it forwards. A forwarded address from anywhere else is not believed."""
    peer = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if peer in ("127.0.0.1", "::1") and forwarded:
        return forwarded.split(",")[-1].strip()
    return peer


def over_https(request: web.Request) -> bool:
    """HTTPS here, or at the proxy in front (nginx's X-Forwarded-Proto): a cookie set in the
    answer is then sent back over HTTPS only."""
    return request.secure or request.headers.get("X-Forwarded-Proto", "") == "https"
