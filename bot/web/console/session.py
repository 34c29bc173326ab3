"""The console's session: a signed cookie (itsdangerous) holding the account, the account's
session key and a CSRF token; nothing else, and nothing about any worker.

The cookie is HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it)
and scoped to /console; the web chat's cookie is another name and another key, so a worker's
chat identity never opens the console. Ending a session means changing the account's session
key (desk/staff/accounts.py): a copied cookie then opens nothing.

Writes carry the CSRF token in a form field: a page on another site cannot read it, and the
cookie is not sent from there anyway.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from aiohttp import web
from itsdangerous import BadSignature, URLSafeTimedSerializer

from bot.web.origin import over_https
from desk.common.pseudonym import keyed_hash

COOKIE = "desk_console"
PATH = "/console"
MAX_AGE = 12 * 3600  # a working day; then sign in again
_SALT = "desk.console.session"


@dataclass(frozen=True)
class Visit:
    """What the cookie says: a CSRF token always; the account once signed in."""

    csrf: str
    account_id: int | None = None
    session_key: str = ""
    new: bool = False  # no valid cookie came: set one with the response

    def signed_in(self, account_id: int, session_key: str) -> Visit:
        """After a sign-in: a new CSRF token too, so a token seen before it is worth nothing."""
        return Visit(_token(), account_id, session_key, new=True)

    def signed_out(self) -> Visit:
        return Visit(_token(), new=True)


def _serializer() -> URLSafeTimedSerializer:
    # Derived from the desk's secret key, like the web chat's; rotating it signs everyone out.
    return URLSafeTimedSerializer(keyed_hash("console session signing key"), salt=_SALT)


def _token() -> str:
    return secrets.token_urlsafe(24)


def read_visit(request: web.Request) -> Visit:
    value = request.cookies.get(COOKIE, "")
    if value:
        try:
            data = _serializer().loads(value, max_age=MAX_AGE)
        except BadSignature:  # also SignatureExpired
            data = None
        if isinstance(data, dict) and isinstance(data.get("c"), str):
            account = data.get("a")
            return Visit(
                data["c"],
                account if isinstance(account, int) else None,
                str(data.get("k", "")),
            )
    return Visit(_token(), new=True)


def remember(response: web.StreamResponse, request: web.Request, visit: Visit) -> None:
    data = {"c": visit.csrf, "a": visit.account_id, "k": visit.session_key}
    response.set_cookie(
        COOKIE,
        _serializer().dumps(data),
        max_age=MAX_AGE,
        path=PATH,
        httponly=True,
        samesite="Strict",
        secure=over_https(request),
    )


def csrf_ok(visit: Visit, given: object) -> bool:
    return (
        not visit.new
        and isinstance(given, str)
        and secrets.compare_digest(given.encode(), visit.csrf.encode())
    )
