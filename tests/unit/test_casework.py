"""One case in progress per chat, even when two messages open one at the same moment.

uq_tickets_chat_in_progress is the guarantee: the check "has this chat a case?" and the insert
are two statements, so two sessions can both see none; the database lets only one insert in,
and the other adds its news to that case.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from desk.cases import tickets
from desk.cases.tickets import CLOSED, IN_PROGRESS, NORMAL, OPEN, _open, close, open_or_add
from desk.storage.db import session_scope
from desk.storage.models import Ticket
from tests.cases import LAWYER, NEIGHBOUR_CHAT, WORKER_CHAT, register, take


def in_progress(url: str, chat: str = WORKER_CHAT) -> list[Ticket]:
    with session_scope(url) as session:
        return list(
            session.scalars(
                select(Ticket).where(Ticket.chat_id == chat, Ticket.status.in_(IN_PROGRESS))
            )
        )


def count_tickets(url: str) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(Ticket)) or 0


def test_a_second_open_for_the_same_chat_is_refused_by_the_database(database_url: str) -> None:
    with session_scope(database_url) as session:
        first = _open(session, WORKER_CHAT, "欠薪", {}, NORMAL, ["欠薪"])
        assert first is not None
    # A session that looked before the first committed, and so saw no case in progress.
    with session_scope(database_url) as session:
        assert _open(session, WORKER_CHAT, "又欠薪", {}, NORMAL, []) is None
        # The session is still good for other work after the refused insert.
        other = _open(session, NEIGHBOUR_CHAT, "工伤", {}, NORMAL, ["工伤"])
        assert other is not None and other.number
    assert [t.summary for t in in_progress(database_url)] == ["欠薪"]
    assert count_tickets(database_url) == 2


def test_the_index_itself_allows_one_case_in_progress_per_chat(database_url: str) -> None:
    def insert(chat: str, status: str) -> None:
        with session_scope(database_url) as session:
            session.add(Ticket(chat_id=chat, status=status, priority=NORMAL, summary="x"))

    insert(WORKER_CHAT, CLOSED)
    insert(WORKER_CHAT, CLOSED)  # any number of finished cases
    insert(WORKER_CHAT, OPEN)
    for status in (OPEN, "claimed"):
        with pytest.raises(IntegrityError):
            insert(WORKER_CHAT, status)
    insert(NEIGHBOUR_CHAT, OPEN)
    assert count_tickets(database_url) == 4


def test_a_stale_look_adds_to_the_case_opened_meanwhile(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(database_url) as session:
        first, _ = open_or_add(session, WORKER_CHAT, "老板欠薪", {"城市": "深圳"}, NORMAL, ["欠薪"])
    real = tickets.current_for_chat
    looks: list[Ticket | None] = []

    def stale_first_look(session: Any, chat_id: str) -> Ticket | None:
        found = None if not looks else real(session, chat_id)
        looks.append(found)
        return found

    monkeypatch.setattr(tickets, "current_for_chat", stale_first_look)
    with session_scope(database_url) as session:
        ticket, created = open_or_add(
            session, WORKER_CHAT, "老板跑了", {"人数": 12}, NORMAL, ["集体"]
        )
        assert not created and ticket.number == first.number
    assert len(looks) == 2  # the insert was refused, so it looked again
    (case,) = in_progress(database_url)
    assert case.summary == "老板欠薪\n补充：老板跑了"
    assert (case.intake, case.tags) == ({"城市": "深圳", "人数": 12}, ["欠薪", "集体"])


def test_two_messages_at_once_make_one_case(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tickets.current_for_chat
    barrier = threading.Barrier(2, timeout=20)
    local = threading.local()

    def look_together(session: Any, chat_id: str) -> Ticket | None:
        found = real(session, chat_id)
        if not getattr(local, "looked", False):
            local.looked = True
            barrier.wait()  # both have looked, and seen nothing, before either inserts
        return found

    monkeypatch.setattr(tickets, "current_for_chat", look_together)
    created: dict[str, bool] = {}
    errors: list[BaseException] = []

    def send(text: str) -> None:
        try:
            with session_scope(database_url) as session:
                created[text] = open_or_add(session, WORKER_CHAT, text, {}, NORMAL, [])[1]
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=send, args=(text,)) for text in ("欠薪三个月", "老板跑了")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(created.values()) == [False, True]
    (case,) = in_progress(database_url)
    first = next(text for text, new in created.items() if new)
    second = next(text for text, new in created.items() if not new)
    assert case.summary == f"{first}\n补充：{second}"
    assert count_tickets(database_url) == 1


def test_a_new_case_after_the_first_is_closed(database_url: str) -> None:
    register(database_url)
    with session_scope(database_url) as session:
        first, _ = open_or_add(session, WORKER_CHAT, "欠薪", {}, NORMAL, [])
    take(database_url, number=first.number)
    with session_scope(database_url) as session:
        close(session, first.number or "", LAWYER, "resolved")
    with session_scope(database_url) as session:
        second, created = open_or_add(session, WORKER_CHAT, "又被欠薪了", {}, NORMAL, [])
        assert created and second.number != first.number
    assert [t.number for t in in_progress(database_url)] == [second.number]


def test_a_failed_unit_of_work_leaves_no_half_opened_case(database_url: str) -> None:
    with pytest.raises(RuntimeError), session_scope(database_url) as session:
        open_or_add(session, WORKER_CHAT, "欠薪", {}, NORMAL, [])
        raise RuntimeError("the gateway fell over before the commit")
    assert count_tickets(database_url) == 0
