"""Finding 8: a status look-up by number and the phone's last four digits cannot be guessed
through (10,000 endings): wrong digits are throttled per chat and per application number."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from desk.applications.status import (
    NOT_FOUND,
    TOO_MANY_FOR_NUMBER,
    TOO_MANY_FROM_CHAT,
    status_reply,
)
from desk.settings import Settings
from desk.staff.retention import purge
from desk.storage.db import session_scope
from desk.storage.models import FailedAttempt
from tests.unit.test_applications import submitted_number

RIGHT = "5678"  # the applicant's phone is 13912345678


def look_up(database_url: str, chat: str, text: str) -> str:
    with session_scope(database_url) as session:
        return status_reply(session, chat, text)


def test_a_chat_that_keeps_guessing_is_refused_even_with_the_right_digits(
    database_url: str,
) -> None:
    number = submitted_number(database_url, "tg:42")
    guesses = [look_up(database_url, "tg:7", f"{number} {1000 + n}") for n in range(5)]
    assert guesses == [NOT_FOUND] * 5
    assert look_up(database_url, "tg:7", f"{number} {RIGHT}") == TOO_MANY_FROM_CHAT
    # Another chat with the right digits is not held up by this one's five misses.
    assert "已提交，等待审核" in look_up(database_url, "tg:8", f"{number} {RIGHT}")
    # The applicant's own chat needs no digits and is never throttled.
    assert "已提交，等待审核" in look_up(database_url, "tg:42", "查询进度")
    # An hour later the chat may try again.
    with session_scope(database_url) as session:
        session.execute(update(FailedAttempt).values(at=FailedAttempt.at - timedelta(hours=1)))
    assert "已提交，等待审核" in look_up(database_url, "tg:7", f"{number} {RIGHT}")


def test_guessing_one_number_from_many_chats_is_refused_too(database_url: str) -> None:
    number = submitted_number(database_url, "tg:42")
    other = submitted_number(database_url, "tg:43", m_phone="13800001111")
    for n in range(10):  # two misses from each of five chats
        assert look_up(database_url, f"tg:{100 + n // 2}", f"{number} {2000 + n}") == NOT_FOUND
    assert look_up(database_url, "tg:200", f"{number} {RIGHT}") == TOO_MANY_FOR_NUMBER
    assert "已提交，等待审核" in look_up(database_url, "tg:200", f"{other} 1111")
    assert "已提交，等待审核" in look_up(database_url, "tg:42", "查询进度")
    with session_scope(database_url) as session:
        session.execute(update(FailedAttempt).values(at=FailedAttempt.at - timedelta(days=1)))
    assert "已提交，等待审核" in look_up(database_url, "tg:200", f"{number} {RIGHT}")


def test_what_is_kept_of_a_miss_is_no_personal_data(database_url: str) -> None:
    number = submitted_number(database_url, "tg:42")
    assert look_up(database_url, "tg:7", f"{number} 4321") == NOT_FOUND
    with session_scope(database_url) as session:
        rows = [(row.action, row.key) for row in session.query(FailedAttempt)]
    assert ("status.number", number) in rows
    assert all("4321" not in key and "tg:7" not in key for _, key in rows)


def test_the_purge_deletes_failures_no_throttle_looks_at(database_url: str, tmp_path: Path) -> None:
    number = submitted_number(database_url, "tg:42")
    for chat in ("tg:7", "tg:8"):
        assert look_up(database_url, chat, f"{number} 4321") == NOT_FOUND
    with session_scope(database_url) as session:
        first = session.query(FailedAttempt).order_by(FailedAttempt.id).first()
        first.at -= timedelta(days=2)  # type: ignore[union-attr]
    with session_scope(database_url) as session:
        purge(session, Settings(database_url=database_url, data_dir=tmp_path))
        assert session.query(FailedAttempt).count() == 3  # of 4: the old one went
