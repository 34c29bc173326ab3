"""The review step: the lawyer holding the case asks for the draft, gets it, and only then can send
it to the worker. Nobody else can ask for it, the worker never gets an unreviewed version, and
the worker's personal data is in the documents only (not in replies, notices, history, logs)."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import docx
import pytest
from sqlalchemy import select

from desk.cases.arbitration import drafts
from desk.cases.lawyer_commands import NOT_A_LAWYER, NOT_YOURS
from desk.common.replies import Reply
from desk.staff.retention import purge_desk
from desk.storage import outbox
from desk.storage.db import session_scope
from desk.storage.models import AuditEntry, CaseDraft, Notification, TicketEvent
from tests.cases import (
    LAWYER,
    LAWYER_CHAT,
    OTHER,
    OTHER_CHAT,
    WORKER_CHAT,
    on_command,
    open_case,
    register,
    take,
    ticket,
)
from tests.identity import make_id_number

ID_NUMBER = make_id_number("310114", datetime(1988, 5, 20).date())
PHONE = "13912345678"
NAME = "李明亮"
STORY = f"我在宏达电子厂干了3年5个月，月薪6000，上个月被无故辞退，还欠两个月工资。电话{PHONE}"
INTAKE = {
    "用人单位": "上海宏达电子有限公司",
    "所在城市": "上海市嘉定区",
    "涉及金额": "12000元",
    "联系电话": PHONE,
}
COMPLETE = (
    "入职 2021-03-01 离职 2024-07-31 原因 违法辞退 合同 有 社保 有 欠薪 2个月 2024-06至2024-07 "
    f"申请日期 2024-09-01 姓名 {NAME} 身份证 {ID_NUMBER}"
)


def case_taken(url: str) -> str:
    register(url, LAWYER)
    register(url, OTHER)
    number = open_case(url, summary=STORY, intake=INTAKE, tags=("欠薪", "解除"))
    take(url, LAWYER, number)
    return number


def command(url: str, sender: str, name: str, args: str = "") -> str:
    replies = on_command(url, sender, name, args)
    assert all(isinstance(reply, Reply) for reply in replies)
    return "\n".join(reply.text for reply in replies)


def documents(url: str, chat: str) -> list[Notification]:
    with session_scope(url) as session:
        rows = session.scalars(
            select(Notification)
            .where(Notification.chat_id == chat, Notification.document_name.is_not(None))
            .order_by(Notification.id)
        ).all()
        for row in rows:
            row.document  # noqa: B018 - deferred column, loaded while the session is open
        return list(rows)


def deliver_to_lawyer(url: str) -> None:
    """What the gateway does once Telegram took the lawyer's copy."""
    with session_scope(url) as session:
        for notice in outbox.pending(session, LAWYER_CHAT):
            outbox.mark_sent(session, notice.id)


def test_the_draft_asks_for_what_is_missing_and_reads_the_rest_from_the_case(
    database_url: str,
) -> None:
    number = case_taken(database_url)
    answer = command(database_url, LAWYER_CHAT, "draft", number)
    assert f"{number} 的仲裁申请书还缺这些信息：" in answer
    for asked in (
        "入职日期：入职 2021-03-01（工友说干了3年5个月）",
        "离职日期",
        "书面劳动合同",
        "社会保险",
    ):
        assert asked in answer
    # From the intake and the worker's words: not asked again.
    assert (
        "用人单位名称 上海宏达电子有限公司（登记）" in answer
        and "月工资 6000（工友原话）" in answer
    )
    assert "拖欠工资 12000（登记）" in answer and "联系电话已填（登记）" in answer
    assert PHONE not in answer
    assert not documents(database_url, LAWYER_CHAT)

    # A value that cannot be used is named; the good ones are kept for the next /draft.
    answer = command(database_url, LAWYER_CHAT, "draft", f"{number} 入职 2021-03-01 社保 也许")
    assert "社保：请写 有 或 无" in answer and "入职日期" not in answer.split("已经知道的")[0]
    answer = command(database_url, LAWYER_CHAT, "draft", f"{number.lower()}\n合同 有")
    assert "入职日期 2021-03-01（律师）" in answer and "书面劳动合同 有（律师）" in answer
    # Without a number: the only case the lawyer holds; every fact a lawyer may give.
    assert "离职日期" in command(database_url, LAWYER_CHAT, "draft", "")
    assert "身份证号：身份证" in command(database_url, LAWYER_CHAT, "draft", "帮助")


def test_only_the_lawyer_holding_the_case_can_ask_for_or_send_its_draft(database_url: str) -> None:
    number = case_taken(database_url)
    for name in ("draft", "senddraft"):
        assert command(database_url, "tg:77", name, f"{number} {COMPLETE}") == NOT_A_LAWYER
        refused = command(database_url, OTHER_CHAT, name, f"{number} {COMPLETE}")
        assert "不在您手上" in refused
    assert not documents(database_url, LAWYER_CHAT) and not documents(database_url, OTHER_CHAT)
    assert NOT_YOURS  # the same rule as /show: the story is shared with the holder only


def test_a_draft_cannot_reach_the_worker_before_the_lawyer_has_it_and_sends_it(
    database_url: str,
) -> None:
    number = case_taken(database_url)
    assert "还没有草稿" in command(database_url, LAWYER_CHAT, "senddraft", number)

    answer = command(database_url, LAWYER_CHAT, "draft", f"{number} {COMPLETE}")
    assert f"{number} 仲裁申请书草稿第1版已生成" in answer
    assert "1. 拖欠工资 12000元 —— 《劳动合同法》第三十条、《劳动法》第五十条" in answer
    assert (
        "2. 违法解除劳动合同赔偿金（2N） 42000元 —— 《劳动合同法》第八十七条、第四十七条" in answer
    )
    assert "上海市嘉定区劳动人事争议仲裁委员会" in answer and "第二十一条" in answer
    (copy,) = documents(database_url, LAWYER_CHAT)
    assert copy.document_name == f"劳动仲裁申请书-{number}-第1版.docx"
    assert f"/senddraft {number}" in copy.text
    assert not documents(database_url, WORKER_CHAT)

    # The lawyer's copy is still on its way: nothing goes to the worker yet.
    assert "还没送到您这里" in command(database_url, LAWYER_CHAT, "senddraft", number)
    assert not documents(database_url, WORKER_CHAT)

    deliver_to_lawyer(database_url)
    answer = command(database_url, LAWYER_CHAT, "senddraft", number)
    assert "第1版草稿已发给工友" in answer
    (sent,) = documents(database_url, WORKER_CHAT)
    assert sent.document == copy.document  # exactly the version the lawyer reviewed
    assert "工会律师和服务台一起为您准备的劳动仲裁申请书草稿" in sent.text
    assert "律师已经看过" in sent.text and "这是草稿" in sent.text
    assert sent.ticket_id is not None  # the worker's reply to it goes to the case
    assert "已经发给工友了" in command(database_url, LAWYER_CHAT, "senddraft", number)

    # A new version must reach the lawyer before it can be sent.
    command(database_url, LAWYER_CHAT, "draft", f"{number} 加班 平时40小时")
    assert "还没送到您这里" in command(database_url, LAWYER_CHAT, "senddraft", number)
    assert len(documents(database_url, WORKER_CHAT)) == 1
    # Facts changed after a version without giving a new one: that version is not sent either.
    deliver_to_lawyer(database_url)
    answer = command(database_url, LAWYER_CHAT, "draft", f"{number} 不主张 工资、2N、加班费")
    assert "没有可以列入申请书的请求" in answer
    assert "新版还没有生成" in command(database_url, LAWYER_CHAT, "senddraft", number)
    assert len(documents(database_url, WORKER_CHAT)) == 1

    history = [(e.action, e.note) for e in ticket(database_url, number).events]
    assert ("draft", "第1版") in history and ("draft_sent", "第1版") in history


def test_an_iou_sends_the_payment_order_along_both_times(database_url: str) -> None:
    number = case_taken(database_url)
    command(database_url, LAWYER_CHAT, "draft", f"{number} {COMPLETE} 欠条 有")
    names = [n.document_name for n in documents(database_url, LAWYER_CHAT)]
    assert names == [f"劳动仲裁申请书-{number}-第1版.docx", f"支付令申请书-{number}-第1版.docx"]
    deliver_to_lawyer(database_url)
    command(database_url, LAWYER_CHAT, "senddraft", number)
    sent = documents(database_url, WORKER_CHAT)
    assert [n.document_name for n in sent] == names
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(sent[1].document or b"")).paragraphs)
    assert "支付令" in text and "上海市嘉定区人民法院" in text


def test_nothing_to_claim_gives_no_draft(database_url: str) -> None:
    register(database_url, LAWYER)
    number = open_case(database_url, summary="加班费一直没给", intake=INTAKE, tags=("加班",))
    take(database_url, LAWYER, number)
    answer = command(
        database_url,
        LAWYER_CHAT,
        "draft",
        f"{number} 入职 2020-05-01 离职 2024-05-31 原因 主动辞职 月薪 7000 合同 有 社保 有 "
        "加班 平时120小时 申请日期 2025-12-01",
    )
    assert "没有可以列入申请书的请求" in answer and "可能已过仲裁时效" in answer
    assert not documents(database_url, LAWYER_CHAT)


def test_personal_data_is_in_the_document_only(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    number = case_taken(database_url)
    replies = [command(database_url, LAWYER_CHAT, "draft", f"{number} {COMPLETE}")]
    deliver_to_lawyer(database_url)
    replies.append(command(database_url, LAWYER_CHAT, "senddraft", number))
    replies.append(command(database_url, LAWYER_CHAT, "draft", number))
    replies.append(command(database_url, LAWYER_CHAT, "mine"))
    replies.append(command(database_url, LAWYER_CHAT, "queue"))
    with session_scope(database_url) as session:
        notices = [n.text for n in session.scalars(select(Notification))]
        events = [e.note or "" for e in session.scalars(select(TicketEvent))]
        audit = [f"{a.subject} {a.detail}" for a in session.scalars(select(AuditEntry))]
    seen = "\n".join([*replies, *notices, *events, *audit, caplog.text])
    assert NAME not in seen and ID_NUMBER not in seen
    (sent,) = documents(database_url, WORKER_CHAT)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(sent.document or b"")).paragraphs)
    assert NAME in text and ID_NUMBER in text and PHONE in text


def test_drafts_are_erased_with_the_case(database_url: str, tmp_path: Path) -> None:
    number = case_taken(database_url)
    command(database_url, LAWYER_CHAT, "draft", f"{number} {COMPLETE}")
    deliver_to_lawyer(database_url)
    command(database_url, LAWYER_CHAT, "senddraft", number)
    command(database_url, LAWYER_CHAT, "close", f"{number} 仲裁")
    later = datetime.now(UTC) + timedelta(days=1000)
    with session_scope(database_url) as session:
        purge_desk(session, later, later - timedelta(days=2000))
    with session_scope(database_url) as session:
        assert not session.scalars(select(CaseDraft)).all()
        kept = session.scalars(select(Notification).where(Notification.chat_id == WORKER_CHAT))
        assert all(notice.document is None for notice in kept)


def test_today_is_the_date_in_china() -> None:
    assert drafts.CHINA.key == "Asia/Shanghai"


def test_a_worker_on_a_channel_without_files_is_not_sent_the_draft(database_url: str) -> None:
    register(database_url, LAWYER)
    number = open_case(database_url, chat="wx:o6_follower", summary=STORY, intake=INTAKE)
    take(database_url, LAWYER, number)
    command(database_url, LAWYER_CHAT, "draft", f"{number} {COMPLETE} 欠薪 12000")
    deliver_to_lawyer(database_url)
    refused = command(database_url, LAWYER_CHAT, "senddraft", number)
    assert "收不了 Word 文件" in refused and "/reply" in refused
    assert not documents(database_url, "wx:o6_follower")


def test_an_iou_still_gives_the_payment_order_when_arbitration_is_out_of_time(
    database_url: str,
) -> None:
    number = case_taken(database_url)
    answer = command(
        database_url,
        LAWYER_CHAT,
        "draft",
        f"{number} 入职 2021-03-01 离职 2024-01-31 原因 主动辞职 合同 有 社保 有 欠薪 12000 "
        "欠条 有 申请日期 2025-09-01",
    )
    assert "只有支付令申请书" in answer and "按普通民事纠纷受理" in answer
    (copy,) = documents(database_url, LAWYER_CHAT)
    assert copy.document_name == f"支付令申请书-{number}-第1版.docx"
    deliver_to_lawyer(database_url)
    command(database_url, LAWYER_CHAT, "senddraft", number)
    (sent,) = documents(database_url, WORKER_CHAT)
    assert "支付令申请书草稿" in sent.text and "交到文件里写的人民法院" in sent.text
