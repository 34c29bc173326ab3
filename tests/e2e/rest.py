"""Talking to Rasa's REST channel the way any client would."""

from __future__ import annotations

import json
import urllib.request
from typing import Any


def say(rasa_url: str, sender: str, message: str) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return json.loads(response.read())


def texts(answer: list[dict[str, Any]]) -> str:
    return "\n".join(message.get("text", "") for message in answer)


def button_titles(answer: list[dict[str, Any]]) -> list[str]:
    return [button["title"] for message in answer for button in message.get("buttons", [])]
