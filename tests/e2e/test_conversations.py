"""Conversations through Rasa's REST channel, against the trained model and action server."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from desk.common import replies
from desk.storage.db import session_scope
from desk.storage.models import Interaction
from launcher.stack import StackConfig
from tests.e2e.conftest import LOG_SENTINEL
from tests.e2e.rest import button_titles, say, texts

MENU = ["法律咨询", "申请入会", "申请帮扶/救助", "转人工律师", "查询进度"]


def test_hello_gets_a_greeting_and_the_menu(stack: StackConfig) -> None:
    answer = say(stack.rasa_url, "e2e-greet", "你好")
    assert "您好" in texts(answer) and "职工在线服务台" in texts(answer)
    assert button_titles(answer) == MENU


@pytest.mark.parametrize("message", ["帮助", "菜单", "你能做什么", "/help"])
def test_help_shows_the_menu(stack: StackConfig, message: str) -> None:
    assert button_titles(say(stack.rasa_url, "e2e-help", message)) == MENU


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("谢谢", "不客气"),
        ("多谢了", "不客气"),
        ("拜拜", "再见"),
        ("取消", "没有正在办理的事项"),
        ("今天天气怎么样", "帮不上忙"),
        ("讲个笑话", "帮不上忙"),
    ],
)
def test_small_talk_is_answered_briefly(stack: StackConfig, message: str, expected: str) -> None:
    assert expected in texts(say(stack.rasa_url, "e2e-small-talk", message))


def test_service_requests_are_recorded_by_the_action_server(stack: StackConfig) -> None:
    say(stack.rasa_url, "tg:5550001", "/request_human")
    with session_scope(stack.database_url) as session:
        query = select(Interaction).where(Interaction.service == "request_human")
        rows = session.scalars(query).all()
    assert any(row.channel == "tg" and row.kind == "handoff_started" for row in rows)
    assert all("5550001" not in row.chat_pseudonym for row in rows)


@pytest.mark.parametrize(
    "message",
    [
        "😀😀😀🙏",
        "加班费" * 1700,  # 5,100 characters
        "欠薪\x00\x07\x1b[31m怎么办",
        "'; DROP TABLE interactions; --",
        "<script>alert('x')</script><b>你好</b>",
        "asdkjhqwe zxcmnb",
        "/nonexistent_intent",
        LOG_SENTINEL,
    ],
)
def test_bad_input_gets_a_polite_chinese_reply(stack: StackConfig, message: str) -> None:
    answer = say(stack.rasa_url, "e2e-bad-input", message)
    assert answer, "the desk must never stay silent"
    assert any("\u4e00" <= char <= "\u9fff" for char in texts(answer))


def test_empty_message_does_not_break_the_rest_channel(stack: StackConfig) -> None:
    # Rasa's own channel answered nothing (and logged the text in an exception); the desk's
    # REST channel (rasa_runtime/edge.py) answers as the gateway does.
    for empty in ["", "   ", "\u200b\u202e", "/ /"]:
        assert texts(say(stack.rasa_url, "e2e-empty", empty)) == replies.EMPTY_MESSAGE
    assert button_titles(say(stack.rasa_url, "e2e-empty", "你好")) == MENU


def test_conversations_are_kept_in_the_sql_tracker_store(stack: StackConfig) -> None:
    say(stack.rasa_url, "e2e-persisted", "你好")
    with sqlite3.connect(stack.tracker_db) as connection:
        (count,) = connection.execute(
            "SELECT count(*) FROM events WHERE sender_id = ?", ("e2e-persisted",)
        ).fetchone()
    assert count > 0
