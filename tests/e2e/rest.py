"""Talking to Rasa's REST channel the way any client would."""

from __future__ import annotations

import json
import os
import urllib.request
from typing import Any

from desk.common.chats import GATEWAY_TOKEN_ENV, GATEWAY_TOKEN_HEADER


def as_the_gateway() -> dict[str, str]:
    """The header that lets a test name the chat it speaks for, as the gateway does (the token
    tests/conftest.py puts in the environment, which every test stack uses)."""
    return {GATEWAY_TOKEN_HEADER: os.environ[GATEWAY_TOKEN_ENV]}


def say(rasa_url: str, sender: str, message: str) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json", **as_the_gateway()},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return json.loads(response.read())


def texts(answer: list[dict[str, Any]]) -> str:
    return "\n".join(message.get("text", "") for message in answer)


def button_titles(answer: list[dict[str, Any]]) -> list[str]:
    return [button["title"] for message in answer for button in message.get("buttons", [])]
