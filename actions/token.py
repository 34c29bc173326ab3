"""Only Rasa may call the actions: every call must carry the secret the launcher gave both
(endpoints.yml sends it as X-Desk-Token). Without it, any local process could run the desk's
actions in a worker's name (submit an application, read a status). /health stays open."""

from __future__ import annotations

import hmac

from sanic import Request, Sanic
from sanic.response import HTTPResponse, json

HEADER = "X-Desk-Token"


def require_token(app: Sanic, token: str) -> None:
    expected = token.encode()

    async def check(request: Request) -> HTTPResponse | None:
        if request.path == "/health":
            return None
        given = (request.headers.get(HEADER) or "").encode()
        if not hmac.compare_digest(given, expected):
            return json({"error": "unauthorized"}, status=401)
        return None

    app.register_middleware(check, "request")
