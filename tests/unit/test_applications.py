"""Applications in the core: submission, duplicates, status moves, notices, look-ups, staff CLI."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from desk.applications.status import (
    ASK_FOR_NUMBER,
    NOT_FOUND,
    names_an_application,
    status_reply,
)
from desk.applications.store import (
    APPLICATIONS_PER_CHAT_PER_DAY,
    APPROVED,
    REJECTED,
    SUBMITTED,
    TOO_MANY_TODAY,
    UNDER_REVIEW,
    ApplicationError,
    by_number,
    change_status,
    for_chat,
)
from desk.membership.joining import submit_membership
from desk.staff import cli
from desk.storage import outbox
from desk.storage.db import session_scope
from desk.storage.models import Application, AuditEntry, Notification
from tests.identity import make_id_number

ID_NUMBER = make_id_number("650102", date(1990, 3, 7))
OTHER_ID_NUMBER = make_id_number("650102", date(1991, 4, 8))


def answers(**changes: str) -> dict[str, str]:
    values = {
        "m_name": "王强",
        "m_id_number": ID_NUMBER,
        "m_phone": "13912345678",
        "m_employer": "美团",
        "m_occupation": "外卖骑手",
        "m_location": "乌鲁木齐市天山区",
        "m_other_member": "False",
    }
    return {**values, **changes}


def submitted_number(database_url: str, chat: str = "tg:42", **changes: str) -> str:
    with session_scope(database_url) as session:
        reply = submit_membership(session, chat, answers(**changes))
    return reply.split("编号 ")[1].split("（")[0].split("，")[0]


def test_a_rider_is_routed_to_the_new_employment_federation(database_url: str) -> None:
    with session_scope(database_url) as session:
        reply = submit_membership(session, "tg:42", answers())
    assert "入会申请已提交！编号 RH-" in reply
    assert "新就业形态" in reply and "5个工作日" in reply


def test_numbers_can_be_read_aloud(database_url: str) -> None:
    number = submitted_number(database_url)
    prefix, year, sequence = number.split("-")
    assert prefix == "RH" and year.isdigit() and len(sequence) == 6


def test_a_second_application_from_the_same_chat_returns_the_first_number(
    database_url: str,
) -> None:
    first = submitted_number(database_url)
    with session_scope(database_url) as session:
        again = submit_membership(session, "tg:42", answers(m_phone="13800001111"))
    assert f"编号 {first}" in again and "不用重复提交" in again


def test_an_id_number_used_from_another_chat_reveals_nothing_and_goes_to_staff(
    database_url: str,
) -> None:
    """The answer is the one a first application gets; the victim's own application is not
    blocked by the one typed in with their number; staff see both marked."""
    first = submitted_number(database_url, "tg:42")
    with session_scope(database_url) as session:
        again = submit_membership(session, "tg:99", answers(m_phone="13800001111"))
        fresh = submit_membership(session, "tg:7", answers(m_id_number=OTHER_ID_NUMBER))
    assert first not in again and "不用重复" not in again
    number = re.compile(r"RH-\d{4}-\d{6}")
    assert number.sub("RH-…", again) == number.sub("RH-…", fresh)
    with session_scope(database_url) as session:
        second = for_chat(session, "tg:99")[0]
        assert second.status == SUBMITTED and first in (second.review_note or "")
        assert "需核实" in cli.details_text(second)


def test_after_a_decision_a_new_application_is_possible(database_url: str) -> None:
    first = submitted_number(database_url)
    with session_scope(database_url) as session:
        change_status(session, first, REJECTED, "staff:li", "不在本市工作")
    assert submitted_number(database_url) != first


def test_status_moves_are_recorded_audited_and_notified(database_url: str) -> None:
    number = submitted_number(database_url)
    with session_scope(database_url) as session:
        change_status(session, number, UNDER_REVIEW, "staff:li")
        change_status(session, number, APPROVED, "staff:li")
    with session_scope(database_url) as session:
        application = by_number(session, number)
        assert application is not None
        assert [event.status for event in application.events] == [
            "submitted",
            UNDER_REVIEW,
            APPROVED,
        ]
        assert [event.actor for event in application.events][1:] == ["staff:li", "staff:li"]
        audit = session.scalars(select(AuditEntry).where(AuditEntry.subject == number)).all()
        assert [entry.action for entry in audit][-1] == "application.approved"
        notices = outbox.pending(session)
        assert [notice.chat_id for notice in notices] == ["tg:42", "tg:42"]
        assert "已通过审核" in notices[-1].text and number in notices[-1].text


@pytest.mark.parametrize(
    ("moves", "message"),
    [((APPROVED, UNDER_REVIEW), "不能改为"), ((REJECTED,), "必须写明原因")],
)
def test_impossible_moves_are_refused(
    database_url: str, moves: tuple[str, ...], message: str
) -> None:
    number = submitted_number(database_url)
    with pytest.raises(ApplicationError, match=message), session_scope(database_url) as session:
        for status in moves:
            change_status(session, number, status, "staff:li")


def test_status_in_the_same_chat_and_from_another_chat(database_url: str) -> None:
    number = submitted_number(database_url)
    with session_scope(database_url) as session:
        assert f"{number}：已提交，等待审核" in status_reply(session, "tg:42", "查询进度")
        assert status_reply(session, "tg:7", "查询进度") == ASK_FOR_NUMBER
        assert f"{number}：已提交" in status_reply(session, "tg:7", f"{number.lower()} 5678")
        assert status_reply(session, "tg:7", f"{number} 1111") == NOT_FOUND
        assert "手机号后四位" in status_reply(session, "tg:7", number)


def test_staff_cli_lists_and_shows_masked_and_decides(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from desk import settings

    monkeypatch.setenv("DATABASE_URL", database_url)
    settings.get_settings.cache_clear()
    try:
        number = submitted_number(database_url)
        assert cli.main(["applications", "list"]) == 0
        assert cli.main(["applications", "show", number]) == 0
        with pytest.raises(SystemExit) as refused:  # a rejection needs a reason
            cli.main(["applications", "reject", number])
        assert refused.value.code == 2
    finally:
        settings.get_settings.cache_clear()
    printed = capsys.readouterr().out
    assert number in printed and "王强" in printed
    assert ID_NUMBER not in printed and "13912345678" not in printed
    assert "650102********" in printed and "139****5678" in printed


def test_staff_cli_approval_notifies_the_applicant(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk import settings

    monkeypatch.setenv("DATABASE_URL", database_url)
    settings.get_settings.cache_clear()
    try:
        number = submitted_number(database_url)
        twice = [number, number.lower()]  # pasted twice: approved (and told) once
        assert cli.main(["--actor", "staff:zhang", "applications", "approve", *twice]) == 0
        assert cli.main(["applications", "approve", number]) == 1  # already decided
    finally:
        settings.get_settings.cache_clear()
    with session_scope(database_url) as session:
        notices = session.scalars(select(Notification)).all()
    assert len(notices) == 1 and number in notices[0].text


def test_a_case_with_a_lawyer_shows_in_the_status_of_its_own_chat_only(database_url: str) -> None:
    from desk.cases.tickets import open_or_add

    with session_scope(database_url) as session:
        first, _ = open_or_add(session, "tg:51", "欠薪", {})
        second, _ = open_or_add(session, "tg:52", "工伤", {})
    with session_scope(database_url) as session:
        assert f"律师案件 {first.number}：等待律师接手（排在最前面）" in status_reply(
            session, "tg:51", "查询进度"
        )
        assert "（前面还有 1 件）" in status_reply(session, "tg:52", "我的案子有人处理了吗")
        assert "前面还有 1 件" in status_reply(session, "tg:52", f"{second.number}")
        # Another chat learns nothing about it, number or not.
        assert status_reply(session, "tg:53", "查询进度") == ASK_FOR_NUMBER
        assert "没有找到案件" in status_reply(session, "tg:53", f"{first.number} 5678")


def test_an_older_case_of_the_chat_is_found_by_its_number(database_url: str) -> None:
    """The overview lists the latest three; a number finds any case of the chat."""
    from desk.cases.tickets import CLOSED, open_or_add

    numbers = []
    for story in ("欠薪", "工伤", "解除", "社保"):
        with session_scope(database_url) as session:
            case, _ = open_or_add(session, "tg:61", story, {})
            case.status = CLOSED  # the next one is a new case, not an addition
            numbers.append(case.number)
    with session_scope(database_url) as session:
        overview = status_reply(session, "tg:61", "查询进度")
        assert numbers[0] not in overview and numbers[-1] in overview
        assert f"律师案件 {numbers[0]}：已办结" in status_reply(session, "tg:61", numbers[0])


def test_one_chat_cannot_file_applications_by_the_thousand(database_url: str) -> None:
    """Finding 6: valid ID numbers are easy to generate; a chat files at most six applications
    a day. The seventh is refused politely and nothing is stored; a repeat of one of its own
    still gets its number; other chats are not affected; a day later it may go on."""
    people = [make_id_number("650102", date(1980, 1, 1 + n)) for n in range(8)]
    numbers = [
        submitted_number(database_url, "tg:9", m_id_number=person)
        for person in people[:APPLICATIONS_PER_CHAT_PER_DAY]
    ]
    assert len(set(numbers)) == APPLICATIONS_PER_CHAT_PER_DAY
    with session_scope(database_url) as session:
        refused = submit_membership(session, "tg:9", answers(m_id_number=people[6]))
        again = submit_membership(session, "tg:9", answers(m_id_number=people[0]))
        elsewhere = submit_membership(session, "tg:10", answers(m_id_number=people[6]))
    assert refused == TOO_MANY_TODAY and "转人工" in refused
    assert f"编号 {numbers[0]}" in again and "不用重复提交" in again
    assert "入会申请已提交" in elsewhere
    with session_scope(database_url) as session:
        count = select(func.count()).select_from(Application)
        assert session.scalar(count.where(Application.chat_id == "tg:9")) == 6
        session.execute(
            update(Application).values(created_at=Application.created_at - timedelta(days=1))
        )
    with session_scope(database_url) as session:
        assert "入会申请已提交" in submit_membership(
            session, "tg:9", answers(m_id_number=people[7])
        )


@pytest.mark.parametrize(
    "text", ["查询进度", "查詢進度", "我的救助批了吗", "补助什么时候发", "RH-2026-000123 5678"]
)
def test_a_status_request_names_an_application(text: str) -> None:
    assert names_an_application(text)


@pytest.mark.parametrize("text", ["小产以后公司给假吗", "入职前说好的待遇全变了"])
def test_a_question_of_law_names_no_application(text: str) -> None:
    # Taken for a status request by the intent classifier, it is answered instead (actions).
    assert not names_an_application(text)
