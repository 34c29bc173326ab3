"""Only Rasa may call the action server: without the shared secret a local process cannot run
the desk's actions in a worker's name (through the real servers)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from launcher.stack import StackConfig
from tests.e2e.rest import button_titles, say

CALL = {
    "next_action": "action_show_menu",
    "sender_id": "tg:424242",
    "tracker": {"sender_id": "tg:424242", "slots": {}, "latest_message": {}, "events": []},
    "domain": {},
    "version": "3.6.21",
}


def call_actions(stack: StackConfig, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{stack.action_port}/webhook",
        data=json.dumps(CALL).encode(),
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("headers", [{}, {"X-Desk-Token": "guessed"}])
def test_a_call_without_the_secret_is_refused(stack: StackConfig, headers: dict[str, str]) -> None:
    assert call_actions(stack, headers) == 401


def test_rasa_s_calls_carry_it(stack: StackConfig) -> None:
    assert call_actions(stack, {"X-Desk-Token": stack.action_token}) == 200
    say(stack.rasa_url, "token-check", "你好")
    assert "申请入会" in button_titles(say(stack.rasa_url, "token-check", "/help"))
