"""The lawyers' commands and buttons, and the one polite refusal everybody else gets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desk.cases.lawyer_commands import CLOSE_USAGE, HELP, NOT_A_LAWYER
from desk.cases.tickets import CLAIMED, CLOSED, OPEN, URGENT
from desk.common.replies import Reply
from tests.cases import (
    LAWYER,
    LAWYER_CHAT,
    NEIGHBOUR_CHAT,
    OTHER,
    OTHER_CHAT,
    WORKER_CHAT,
    on_command,
    on_payload,
    on_text,
    only_text,
    open_case,
    outbox,
    outbox_size,
    register,
    remove,
    take,
    ticket,
)
from tests.identity import make_id_number

PHONE, OTHER_PHONE = "13912345678", "13800138000"
ID_NUMBER = make_id_number("110105", date(1990, 1, 1))
PERSONAL = (PHONE, OTHER_PHONE, ID_NUMBER)


def command(url: str, sender: str, name: str, args: str = "") -> list[Reply]:
    return on_command(url, sender, name, args)


def personal_case(url: str, chat: str = WORKER_CHAT) -> str:
    """A case whose intake and story hold a phone and an ID number, as real ones do."""
    return open_case(
        url,
        chat=chat,
        summary=f"老板欠我三个月工资，我电话 {PHONE}，身份证 {ID_NUMBER}",
        intake={
            "所在城市": f"深圳（电话{OTHER_PHONE}）",
            "涉及金额": "15000元",
            "身份证号": ID_NUMBER,
        },
        priority=URGENT,
        tags=("欠薪", "集体"),
    )


# --- Anyone who is not a registered lawyer ---------------------------------------------------

EVERY_COMMAND = [
    ("queue", ""),
    ("take", ""),
    ("take", "{number}"),
    ("mine", ""),
    ("show", "{number}"),
    ("show", "AJ-2000-999999"),
    ("show", ""),
    ("reply", "{number} 你好"),
    ("release", "{number}"),
    ("close", "{number} 解决"),
    ("close", "AJ-2000-999999 解决"),
    ("help", ""),
    ("nonsense", "x"),
]


@pytest.mark.parametrize("who", ["stranger", "removed", "terminal", "odd id"])
def test_anyone_else_gets_the_same_refusal_whatever_they_ask(database_url: str, who: str) -> None:
    register(database_url, OTHER)
    number = personal_case(database_url)
    held = take(database_url, OTHER, personal_case(database_url, chat=NEIGHBOUR_CHAT))
    sender = {"stranger": "tg:999", "terminal": "cli:local", "odd id": "tg:abc"}.get(who)
    if who == "removed":
        register(database_url)
        remove(database_url)
        sender = LAWYER_CHAT
    assert sender is not None
    notices = outbox_size(database_url)

    for name, args in EVERY_COMMAND:
        answer = command(database_url, sender, name, args.format(number=number))
        assert answer == [Reply(NOT_A_LAWYER)], (name, args)
    for payload in (f"ticket:take:{number}", f"ticket:show:{number}", "ticket:show:AJ-2000-000001"):
        assert on_payload(database_url, sender, payload) == [Reply(NOT_A_LAWYER)]

    assert ticket(database_url, number).status == OPEN
    assert ticket(database_url, held).status == CLAIMED
    assert outbox_size(database_url) == notices
    assert all(part not in NOT_A_LAWYER for part in (number, *PERSONAL))


def test_an_unknown_command_from_a_lawyer_gets_the_help(database_url: str) -> None:
    register(database_url)
    assert command(database_url, LAWYER_CHAT, "help") == [Reply(HELP)]
    assert command(database_url, LAWYER_CHAT, "takeover", "AJ-1") == [Reply(HELP)]


# --- The queue and taking cases ------------------------------------------------------------


def test_the_queue_shows_enough_to_choose_and_no_personal_data(database_url: str) -> None:
    register(database_url)
    assert only_text(command(database_url, LAWYER_CHAT, "queue")) == "队列里暂时没有待接的案件。"
    normal = open_case(database_url, chat=NEIGHBOUR_CHAT, tags=("加班",))
    urgent = personal_case(database_url)
    (reply,) = command(database_url, LAWYER_CHAT, "queue")
    header, first, second = reply.text.splitlines()
    assert "2 件" in header
    assert first.startswith(f"{urgent} 紧急 [欠薪、集体]") and "15000元" in first
    assert second.startswith(f"{normal} 普通 [加班]")
    for part in PERSONAL:
        assert part not in reply.text
    assert reply.buttons == (
        (f"接手 {urgent}", f"ticket:take:{urgent}"),
        (f"接手 {normal}", f"ticket:take:{normal}"),
    )


def test_take_the_next_case_or_a_given_one(database_url: str) -> None:
    register(database_url, capacity=4)
    first = open_case(database_url, chat=NEIGHBOUR_CHAT)
    wanted = personal_case(database_url)  # urgent: it is next
    other = open_case(database_url, chat="tg:44")

    taken = only_text(command(database_url, LAWYER_CHAT, "take"))
    assert taken.startswith(f"您已接手 {wanted}")
    assert PHONE in taken and ID_NUMBER in taken  # the holder sees the case as told
    assert outbox(database_url, WORKER_CHAT)[-1].text.startswith(f"律师已接手您的案件 {wanted}")

    taken = only_text(command(database_url, LAWYER_CHAT, "take", other.lower()))
    assert taken.startswith(f"您已接手 {other}")
    # The button on the queue does the same.
    pressed = only_text(on_payload(database_url, LAWYER_CHAT, f"ticket:take:{first}"))
    assert pressed.startswith(f"您已接手 {first}")
    assert ticket(database_url, first).assignee.telegram_id == LAWYER  # type: ignore[union-attr]
    assert only_text(command(database_url, LAWYER_CHAT, "take")) == "队列里暂时没有待接的案件。"

    mine = only_text(command(database_url, LAWYER_CHAT, "mine"))
    assert mine.splitlines()[0] == "您手上的案件 3/4 件："
    assert {wanted, other, first} == {line.split()[0] for line in mine.splitlines()[1:]}


def test_a_full_lawyer_is_told_so_and_the_case_stays_queued(database_url: str) -> None:
    register(database_url, capacity=1)
    register(database_url, OTHER)
    take(database_url, number=open_case(database_url))
    waiting = open_case(database_url, chat=NEIGHBOUR_CHAT)
    refusal = only_text(command(database_url, LAWYER_CHAT, "take", waiting))
    assert "上限 1 件" in refusal
    assert ticket(database_url, waiting).status == OPEN
    taken = only_text(command(database_url, OTHER_CHAT, "take", waiting))
    assert taken.startswith(f"您已接手 {waiting}")
    register(database_url, 1003)
    assert "已被其他律师接手" in only_text(command(database_url, "tg:1003", "take", waiting))


def test_only_the_holder_sees_the_case_other_lawyers_its_queue_line(database_url: str) -> None:
    register(database_url)
    register(database_url, OTHER)
    number = personal_case(database_url)

    [queued] = command(database_url, LAWYER_CHAT, "show", number)
    assert queued.text.startswith(number) and "只有承办律师" in queued.text
    assert "老板欠我" not in queued.text and "139" not in queued.text
    assert queued.buttons == ((f"接手 {number}", f"ticket:take:{number}"),)

    take(database_url, number=number)
    on_text(database_url, WORKER_CHAT, f"我的新号码是 {OTHER_PHONE}")
    held = only_text(command(database_url, LAWYER_CHAT, "show", number))
    assert all(part in held for part in PERSONAL)
    assert f"工友：我的新号码是 {OTHER_PHONE}" in held
    for seen in (
        only_text(on_payload(database_url, OTHER_CHAT, f"ticket:show:{number}")),
        only_text(command(database_url, OTHER_CHAT, "show", number)),
    ):
        assert "律师办理中" in seen and "只有承办律师" in seen
        assert "老板欠我" not in seen and "新号码" not in seen and OTHER_PHONE not in seen

    command(database_url, LAWYER_CHAT, "close", f"{number} 解决")
    assert "新号码" in only_text(command(database_url, LAWYER_CHAT, "show", number))
    closed = only_text(command(database_url, OTHER_CHAT, "show", number))
    assert "已办结" in closed and "老板欠我" not in closed
    assert "没有编号为 AJ-2000-999999" in only_text(
        command(database_url, LAWYER_CHAT, "show", "AJ-2000-999999")
    )


# --- Release and close -----------------------------------------------------------------------


def test_release_gives_the_case_back_and_tells_the_worker(database_url: str) -> None:
    register(database_url)
    register(database_url, OTHER)
    number = take(database_url, number=open_case(database_url))
    refused = only_text(command(database_url, OTHER_CHAT, "release", number))
    assert "不在您手上" in refused and ticket(database_url, number).status == CLAIMED

    answer = only_text(command(database_url, LAWYER_CHAT, "release", f"{number} 利益冲突"))
    assert answer == f"{number} 已退回队列，工友已收到通知。"
    case = ticket(database_url, number)
    assert (case.status, case.assignee_id) == (OPEN, None)
    assert "正在转交给另一位律师" in outbox(database_url, WORKER_CHAT)[-1].text
    assert [e.note for e in case.events if e.action == "released"] == ["利益冲突"]


def test_release_without_a_number_when_one_case_is_held(database_url: str) -> None:
    register(database_url)
    number = take(database_url, number=open_case(database_url))
    answer = only_text(command(database_url, LAWYER_CHAT, "release", "案情需要劳动争议专长"))
    assert answer.startswith(f"{number} 已退回队列")
    case = ticket(database_url, number)
    assert case.status == OPEN
    assert [e.note for e in case.events if e.action == "released"] == ["案情需要劳动争议专长"]


@pytest.mark.parametrize(
    ("words", "outcome", "amount", "said"),
    [
        ("解决", "resolved", None, "已解决"),
        ("调解", "mediation", None, "已转调解"),
        ("仲裁", "arbitration", None, "已转仲裁"),
        ("追回 32000", "recovered", Decimal("32000.00"), "已追回欠款，32000.00 元"),
        ("追回 3.2万元", "recovered", Decimal("32000.00"), "已追回欠款，32000.00 元"),
    ],
)
def test_close_with_the_outcome_in_chinese(
    database_url: str, words: str, outcome: str, amount: Decimal | None, said: str
) -> None:
    register(database_url)
    number = take(database_url, number=open_case(database_url))
    answer = only_text(command(database_url, LAWYER_CHAT, "close", f"{number} {words}"))
    assert answer.startswith(f"{number} 已办结")
    case = ticket(database_url, number)
    assert (case.status, case.outcome, case.amount_recovered) == (CLOSED, outcome, amount)
    notice = outbox(database_url, WORKER_CHAT)[-1]
    assert f"{number} 已办结（{said}）" in notice.text
    assert notice.buttons is not None and len(notice.buttons) == 5


def test_close_refuses_what_it_cannot_record(database_url: str) -> None:
    register(database_url)
    number = take(database_url, number=open_case(database_url))
    for args, reason in (
        (f"{number} 追回", "写明追回的金额"),
        (f"{number} 追回 很多", "看不懂"),
        (f"{number} 追回 -500", "看不懂"),
        (f"{number} 追回 99999999999", "太大"),
        (f"{number} 胜诉", CLOSE_USAGE),
        (f"{number}", CLOSE_USAGE),
    ):
        assert reason in only_text(command(database_url, LAWYER_CHAT, "close", args)), args
    assert ticket(database_url, number).status == CLAIMED
    assert "已办结" not in outbox(database_url, WORKER_CHAT)[-1].text


def test_close_without_a_number_needs_exactly_one_case_held(database_url: str) -> None:
    register(database_url)
    first = take(database_url, number=open_case(database_url))
    second = take(database_url, number=open_case(database_url, chat=NEIGHBOUR_CHAT))
    assert "请写上案件编号" in only_text(command(database_url, LAWYER_CHAT, "close", "解决"))
    command(database_url, LAWYER_CHAT, "close", f"{second} 调解")
    assert only_text(command(database_url, LAWYER_CHAT, "close", "解决")).startswith(
        f"{first} 已办结"
    )
    assert ticket(database_url, first).outcome == "resolved"
    assert "暂时没有案件" in only_text(command(database_url, LAWYER_CHAT, "mine"))
