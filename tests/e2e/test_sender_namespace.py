"""Rasa's REST endpoint answers anyone on the machine, but only the gateway may name the chat it
speaks for: another caller cannot pose as a Telegram chat (through the real servers)."""

from __future__ import annotations

import json
import sqlite3
import urllib.request

from launcher.stack import StackConfig
from tests.e2e.rest import as_the_gateway, texts
from tests.e2e.test_membership import applications_of, new_id_number


def post(stack: StackConfig, sender: str, message: str, headers: dict[str, str]) -> str:
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json", **headers},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return texts(json.loads(response.read()))


def senders(stack: StackConfig) -> set[str]:
    with sqlite3.connect(stack.tracker_db) as db:
        return {sender for (sender,) in db.execute("SELECT DISTINCT sender_id FROM events")}


def test_a_rest_caller_without_the_gateway_s_secret_cannot_act_as_a_telegram_chat(
    stack: StackConfig,
) -> None:
    for headers in ({}, {"X-Desk-Gateway": "guessed"}):
        # It is answered, in a conversation of its own.
        assert "您同意吗" in post(stack, "tg:5150", "我想申请入会", headers)
    assert "rest:tg:5150" in senders(stack) and "tg:5150" not in senders(stack)


def test_what_a_rest_caller_submits_is_not_filed_under_the_chat_it_named(
    stack: StackConfig,
) -> None:
    answers = ["我想申请入会", "/affirm", "王强", new_id_number(), "13912345678"]
    answers += ["美团", "外卖骑手", "天山区", "不是"]
    for answer in answers:
        post(stack, "tg:5151", answer, {})
    assert "已提交" in post(stack, "tg:5151", "/affirm", {})
    assert applications_of(stack, "tg:5151") == []
    assert len(applications_of(stack, "rest:tg:5151")) == 1


def test_the_gateway_names_its_chats(stack: StackConfig) -> None:
    assert "您同意吗" in post(stack, "tg:5152", "我想申请入会", as_the_gateway())
    assert "tg:5152" in senders(stack)
