"""帮扶/救助 end to end: the aid form through the trained model and the action server, the
preliminary verdict with its reasons, joining in the same conversation, household limits, and
staff marking a batch paid."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date

from desk.applications.store import APPROVED, change_status
from desk.settings import PROJECT_ROOT
from desk.storage.db import session_scope
from launcher.stack import StackConfig
from tests.e2e.rest import button_titles
from tests.e2e.test_membership import Chat, applications_of, fill_form, new_id_number
from tests.identity import make_id_number

RELIEF = "新就业形态劳动者临时困难救助"


@dataclass
class Worker:
    id_number: str = field(default_factory=new_id_number)
    household_head: str | None = None
    occupation: str = "快递员"
    orders: str = "四十九"  # every month since August
    income: str = "0"
    answers: dict[str, str] = field(default_factory=dict)

    def answer(self, question: str) -> str:
        rules = [
            ("您同意吗", "/affirm"),
            ("申请哪一项", RELIEF),
            ("姓名", "王强"),
            ("户主的身份证号", self.household_head or self.id_number),
            ("身份证号", self.id_number),
            ("手机号", "13912345678"),
            ("区县", "天山区"),
            ("主要做什么工作", self.occupation),
            ("月份一共接了多少单", self.orders),
            ("收入", self.income),
            *self.answers.items(),
        ]
        return next(reply for needle, reply in rules if needle in question)


def apply_for_aid(chat: Chat, worker: Worker, opening: str) -> str:
    """Answers every question the desk asks; returns the summary it ends with."""
    reply = chat(opening)
    for _ in range(20):
        if "请核对" in reply:
            return reply
        reply = chat(worker.answer(reply.splitlines()[-1] if "\n" in reply else reply))
    raise AssertionError(f"no summary after 20 answers; last: {reply}")


def number_in(text: str) -> str:
    return re.search(r"JZ-\d{4}-\d{6}", text).group(0)  # type: ignore[union-attr]


def join_union(chat: Chat, worker: Worker) -> None:
    fill_form(chat, worker.id_number)
    assert "编号 RH-" in chat("/affirm")


def test_an_eligible_courier_learns_at_once_why_and_how_much(stack: StackConfig) -> None:
    chat, worker = Chat(stack, "tg:4001"), Worker()
    join_union(chat, worker)  # pending joining application: the relief accepts it
    summary = apply_for_aid(chat, worker, "我是快递员，这两个月都没什么单，能申请补助吗")
    assert RELIEF in summary and worker.id_number not in summary
    result = chat("/affirm")
    assert "初步判断：符合条件" in result and "600元" in result
    assert "连续" in result and "低于50单" in result
    assert "平台接单记录截图" in result and "以工会线上线下核实为准" in result
    assert "受理：乌鲁木齐市新就业形态劳动者工会联合会（" in result  # where to bring them
    assert number_in(result).startswith("JZ-")


def test_an_ineligible_courier_is_told_which_condition_failed(stack: StackConfig) -> None:
    chat, worker = Chat(stack, "tg:4002"), Worker(orders="60单")
    join_union(chat, worker)
    apply_for_aid(chat, worker, "申请救助")
    result = chat("/affirm")
    assert "初步判断：暂不符合条件" in result
    assert "✘ 连续两个月以上每月低于50单" in result and "60单" in result
    assert "600" not in result.split("✘")[0]  # no money promised


def test_exactly_fifty_orders_is_not_below_fifty(stack: StackConfig) -> None:
    chat, worker = Chat(stack, "tg:4003"), Worker(orders="五十")
    join_union(chat, worker)
    apply_for_aid(chat, worker, "申请救助")
    assert "正好50单不算低于" in chat("/affirm")


def test_a_non_member_joins_in_the_same_conversation(stack: StackConfig) -> None:
    chat, worker = Chat(stack, "tg:4004"), Worker()
    apply_for_aid(chat, worker, "我是送外卖的，最近没单，想申请救助")
    offer = chat("/affirm")
    assert "先在这里申请入会" in offer and button_titles(chat.last) == ["现在申请入会"]
    assert "您同意吗" in chat("/apply_membership")
    assert "单位" in chat("/affirm")  # name, ID, phone are already known from the aid form
    chat("美团")
    chat("外卖骑手")  # the district too is known from the aid form
    assert "请核对您的入会申请" in chat("不是")
    both = chat("/affirm")
    assert "入会申请已提交" in both
    assert "初步判断：符合条件" in both and "正在审核" in both  # joining pending counts


def test_a_hardship_case_goes_to_staff_review(stack: StackConfig) -> None:
    chat = Chat(stack, "tg:4005")
    worker = Worker(
        answers={"什么困难": "家里有人生病", "几口人": "3", "困难职工档案": "是"}, income="2000元"
    )
    join_union(chat, worker)
    with session_scope(stack.database_url) as session:
        [number] = re.findall(r"RH-\d{4}-\d{6}", chat("查询进度"))
        change_status(session, number, APPROVED, "staff:test")
    apply_for_aid(chat, worker, "家里有人生病，生活困难，想申请困难职工生活救助")
    result = chat("/affirm")
    assert "初步判断：需要工作人员核实" in result
    assert "✔ 工会会员" in result and "？ 家庭情况核实" in result


def test_the_same_household_from_another_chat_reveals_nothing_and_goes_to_staff(
    stack: StackConfig,
) -> None:
    """The household head's ID number typed in another chat: that chat learns nothing about
    the first application (number, status); staff find the second marked for a check."""
    head = make_id_number("650102", date(1970, 1, 1), "777")
    first_chat, first = Chat(stack, "tg:4006"), Worker(household_head=head)
    join_union(first_chat, first)
    apply_for_aid(first_chat, first, "申请救助")
    number = number_in(first_chat("/affirm"))
    second_chat, second = Chat(stack, "tg:4007"), Worker(household_head=head)
    join_union(second_chat, second)
    apply_for_aid(second_chat, second, "申请救助")
    answered = second_chat("/affirm")
    assert number not in answered and "限申请一次" not in answered and "申请已提交" in answered
    [flagged] = [a for a in applications_of(stack, "tg:4007") if a.kind == "aid"]
    assert number in (flagged.review_note or "")


def test_a_member_s_id_number_typed_in_another_chat_tells_nothing_of_the_membership(
    stack: StackConfig,
) -> None:
    """Issue 18, finding 3: the aid verdict counts this chat's joining only, so typing a
    member's ID number gets a stranger's answer (no 已是工会会员), and staff see the membership
    in the application's note."""
    hardship = {"什么困难": "家里有人生病", "几口人": "3", "困难职工档案": "是"}
    member_chat, member = Chat(stack, "tg:4011"), Worker(answers=hardship, income="2000元")
    join_union(member_chat, member)
    [joined] = re.findall(r"RH-\d{4}-\d{6}", member_chat("查询进度"))
    with session_scope(stack.database_url) as session:
        change_status(session, joined, APPROVED, "staff:test")
    results = []
    for sender, worker in (
        ("tg:4012", Worker(id_number=member.id_number, answers=hardship, income="2000元")),
        ("tg:4013", Worker(answers=hardship, income="2000元")),
    ):
        chat = Chat(stack, sender)
        apply_for_aid(chat, worker, "家里有人生病，生活困难，想申请困难职工生活救助")
        results.append(re.sub(r"JZ-\d{4}-\d{6}", "JZ-…", chat("/affirm")))
    typed, stranger = results
    assert typed == stranger and "已是工会会员" not in typed and joined not in typed
    assert "在这里还没有入会记录" in typed
    [flagged] = [a for a in applications_of(stack, "tg:4012") if a.kind == "aid"]
    assert joined in (flagged.review_note or "")
    [plain] = [a for a in applications_of(stack, "tg:4013") if a.kind == "aid"]
    assert plain.review_note is None


def test_staff_verify_and_pay_a_batch(stack: StackConfig) -> None:
    numbers = []
    for sender in ("tg:4008", "tg:4009"):
        chat, worker = Chat(stack, sender), Worker()
        join_union(chat, worker)
        apply_for_aid(chat, worker, "申请救助")
        numbers.append(number_in(chat("/affirm")))
    env = dict(os.environ, DATABASE_URL=stack.database_url, DATA_DIR=str(stack.data_dir))

    def staff(*arguments: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "desk", "applications", *arguments],
            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return result.stdout

    listed = staff("list", "--programme", "new-employment-relief", "--verdict", "符合")
    assert all(number in listed for number in numbers) and "13912345678" not in listed
    assert "✔ 连续两个月以上每月低于50单" in staff("show", numbers[0])
    staff("verify", *numbers)
    assert staff("pay", *numbers).count("已发放") == 2
    today = date.today()
    export = staff(
        "export", "--kind", "aid", "--since", f"{today.year}-01-01", "--until", "2100-01-01"
    )
    assert export.splitlines()[0] == "编号,类别,项目,初步判断,金额,状态,提交时间,受理工会"
    assert all(number in export for number in numbers) and "王强" not in export
    assert "已发放" in Chat(stack, "tg:4008")("查询进度")


def test_a_correction_at_the_aid_summary(stack: StackConfig) -> None:
    chat, worker = Chat(stack, "tg:4010"), Worker()
    join_union(chat, worker)
    apply_for_aid(chat, worker, "申请救助")
    assert "9月份一共接了多少单" in chat("改9月的单量")
    summary = chat("30单")
    assert "请核对" in summary and "9月份一共接了多少单：30" in summary
    assert "收入" in chat("收入填错了")
    assert "请核对" in chat("0")
    assert "初步判断：符合条件" in chat("/affirm")
