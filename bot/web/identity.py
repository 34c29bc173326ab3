"""Who a web chat is: an anonymous random token in a signed, HttpOnly cookie. Nothing about the
worker is in it; whoever holds the cookie continues the conversation, like a Telegram account."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from aiohttp import web
from itsdangerous import BadSignature, TimestampSigner

from bot.web.origin import over_https
from desk.common.chats import WEB_PREFIX
from desk.common.pseudonym import keyed_hash

COOKIE = "desk_chat"
KEEP_DAYS = 180  # a worker coming back after months finds the conversation; refreshed on visit
_MAX_AGE = KEEP_DAYS * 24 * 3600
_TOKEN_BYTES = 16  # 22 characters, always: the outbox's prefix match relies on a fixed length
_SALT = "desk.webchat.identity"


@dataclass(frozen=True)
class Identity:
    token: str
    new: bool

    @property
    def chat_id(self) -> str:
        return f"{WEB_PREFIX}{self.token}"

    @property
    def conversation(self) -> str:
        """A name of the conversation the page may keep with its history: not the cookie, and
        not the chat id (a lawyer sees neither), only whether the history belongs here."""
        return keyed_hash(f"web-history:{self.token}")[:16]


def _signer(secret: bytes) -> TimestampSigner:
    return TimestampSigner(secret, salt=_SALT)


def read_identity(request: web.Request, secret: bytes) -> Identity:
    """The cookie's identity; a new one when it is missing, forged or too old."""
    value = request.cookies.get(COOKIE, "")
    if value:
        try:
            token = _signer(secret).unsign(value, max_age=_MAX_AGE).decode()
        except BadSignature:  # also SignatureExpired
            token = ""
        if len(token) == len(new_token()):
            return Identity(token, new=False)
    return Identity(new_token(), new=True)


def new_token() -> str:
    return secrets.token_urlsafe(_TOKEN_BYTES)


def remember(
    response: web.StreamResponse, request: web.Request, identity: Identity, secret: bytes
) -> None:
    """Sets (or refreshes) the cookie: HttpOnly, same-site, Secure when the page came over HTTPS."""
    response.set_cookie(
        COOKIE,
        _signer(secret).sign(identity.token).decode(),
        max_age=_MAX_AGE,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=over_https(request),
    )
