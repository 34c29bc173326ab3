"""入会 end to end: the guided application through the trained model and the action server."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from desk.settings import PROJECT_ROOT
from desk.storage.db import session_scope
from desk.storage.models import Application
from launcher.stack import StackConfig
from tests.e2e.rest import button_titles, say, texts
from tests.identity import make_id_number

_sequence = itertools.count(100)


def new_id_number() -> str:
    """A different valid number per test, so duplicates are only where a test wants one."""
    return make_id_number("650102", date(1988, 5, 17), f"{next(_sequence):03d}")


@dataclass
class Chat:
    stack: StackConfig
    sender: str

    def __call__(self, message: str) -> str:
        self.last = say(self.stack.rasa_url, self.sender, message)
        return texts(self.last)


def fill_form(chat: Chat, id_number: str, phone: str = "13912345678") -> str:
    assert "您同意吗" in chat("我想申请入会")
    assert button_titles(chat.last) == ["同意", "不同意"]
    assert "姓名" in chat("/affirm")
    assert "身份证号" in chat("王强")
    assert "手机号" in chat(id_number)
    assert "单位" in chat(phone)
    assert "美团" in button_titles(chat.last)
    assert "什么工作" in chat("美团")
    assert "区县" in chat("外卖骑手")
    assert "其他工会的会员" in chat("天山区")
    return chat("不是")


def applications_of(stack: StackConfig, sender: str) -> list[Application]:
    with session_scope(stack.database_url) as session:
        return list(session.scalars(select(Application).where(Application.chat_id == sender)))


def test_a_complete_application_is_summarised_masked_then_submitted(stack: StackConfig) -> None:
    chat, id_number = Chat(stack, "tg:3001"), new_id_number()
    summary = fill_form(chat, id_number)
    assert "请核对" in summary and "王强" in summary
    assert id_number not in summary and "13912345678" not in summary
    assert f"{id_number[:6]}********{id_number[-4:]}" in summary and "139****5678" in summary
    assert button_titles(chat.last) == ["确认提交", "修改信息", "取消"]
    done = chat("/affirm")
    assert "入会申请已提交！编号 RH-" in done and "没太明白" not in done
    assert "乌鲁木齐市新就业形态劳动者工会联合会" in done and "5个工作日" in done
    [application] = applications_of(stack, "tg:3001")
    assert application.number in done and application.status == "submitted"


@pytest.mark.parametrize(
    ("question_answered_by", "bad_answer", "message"),
    [
        ("王强", "65010219880517123", "身份证号应为18位，您输入了17位"),
        ("王强", "650102198805171230", "校验码"),
    ],
)
def test_a_bad_id_number_is_explained_and_asked_again(
    stack: StackConfig, question_answered_by: str, bad_answer: str, message: str
) -> None:
    chat = Chat(stack, f"e2e-member-bad-id-{len(bad_answer)}-{bad_answer[-1]}")
    chat("我想申请入会")
    chat("/affirm")
    chat(question_answered_by)
    reply = chat(bad_answer)
    assert message in reply and "身份证号" in reply  # what was wrong, then the question again


def test_bad_phone_and_unknown_district_are_explained(stack: StackConfig) -> None:
    chat = Chat(stack, "e2e-member-bad-phone")
    chat("我想申请入会")
    chat("/affirm")
    chat("王强")
    chat(new_id_number())
    assert "手机号" in chat("12345")
    chat("13912345678")
    chat("美团")
    chat("外卖骑手")
    reply = chat("火星市")
    assert "乌鲁木齐" in reply and "上海" in reply  # says which cities are covered


def test_three_failed_answers_end_politely_and_pass_the_case_on(stack: StackConfig) -> None:
    chat = Chat(stack, "e2e-member-gives-up")
    chat("我想申请入会")
    chat("/affirm")
    chat("王强")
    chat("123")
    chat("456")
    reply = chat("789")
    # The case goes to a lawyer, the bot saying why (the intake: tests/e2e/test_handoff.py).
    assert "先不问了" in reply and "填写一直没成功" in reply and "转给工会律师" in reply
    assert "发生了什么" in reply
    assert applications_of(stack, "e2e-member-gives-up") == []
    assert "身份证号" not in chat("取消")  # the joining form is over


def test_a_correction_before_confirming(stack: StackConfig) -> None:
    chat = Chat(stack, "tg:3002")
    fill_form(chat, new_id_number())
    assert "手机号" in chat("改手机号")
    summary = chat("13700001111")
    assert "请核对" in summary and "137****1111" in summary and "139****5678" not in summary
    assert "编号 RH-" in chat("/affirm")
    [application] = applications_of(stack, "tg:3002")
    assert application.phone == "13700001111"


@pytest.mark.parametrize("when", ["at the consent question", "in the form", "at the summary"])
def test_cancel_stores_nothing(stack: StackConfig, when: str) -> None:
    sender = f"e2e-member-cancel-{when.replace(' ', '-')}"
    chat = Chat(stack, sender)
    if when == "at the consent question":
        chat("我想申请入会")
    elif when == "in the form":
        chat("我想申请入会")
        chat("/affirm")
        chat("王强")
    else:
        fill_form(chat, new_id_number())
    assert "已取消入会申请" in chat("取消")
    assert applications_of(stack, sender) == []
    assert "没有正在办理的事项" in chat("取消")


def test_declining_consent_stores_nothing(stack: StackConfig) -> None:
    chat = Chat(stack, "e2e-member-declines")
    chat("我想申请入会")
    assert "不会保存任何信息" in chat("/deny")
    assert applications_of(stack, "e2e-member-declines") == []


def test_a_legal_question_mid_form_is_answered_then_the_form_resumes(stack: StackConfig) -> None:
    chat = Chat(stack, "e2e-member-interrupted")
    chat("我想申请入会")
    chat("/affirm")
    chat("王强")
    reply = chat("公司三个月没发工资了怎么办")
    assert "法律依据" in reply and "身份证号" in reply.split("法律依据")[1]
    assert "手机号" in chat(new_id_number())


def test_answers_given_ahead_are_not_asked_again(stack: StackConfig) -> None:
    chat = Chat(stack, "e2e-member-ahead")
    assert "您同意吗" in chat("我叫王强，手机13912345678，想申请入会")
    assert "身份证号" in chat("/affirm")  # name and phone were already given
    assert "单位" in chat(new_id_number())


def test_a_duplicate_from_the_same_chat_returns_the_existing_number(stack: StackConfig) -> None:
    chat = Chat(stack, "tg:3003")
    fill_form(chat, id_number := new_id_number())
    number = chat("/affirm").split("编号 ")[1].split("（")[0]
    fill_form(chat, id_number)
    assert f"编号 {number}，不用重复提交" in chat("/affirm")
    assert len(applications_of(stack, "tg:3003")) == 1


def test_someone_else_s_id_number_reveals_nothing_and_goes_to_staff(stack: StackConfig) -> None:
    id_number = new_id_number()
    victim = Chat(stack, "tg:3007")
    fill_form(victim, id_number)
    number = victim("/affirm").split("编号 ")[1].split("（")[0]
    stranger, control = Chat(stack, "tg:3004"), Chat(stack, "tg:3008")
    fill_form(stranger, id_number, phone="13600002222")
    fill_form(control, new_id_number(), phone="13600002222")
    typed_in, fresh = stranger("/affirm"), control("/affirm")
    assert number not in typed_in and "不用重复" not in typed_in
    readable = re.compile(r"RH-\d{4}-\d{6}")
    assert readable.sub("RH-…", typed_in) == readable.sub("RH-…", fresh)
    [flagged] = applications_of(stack, "tg:3004")
    assert number in (flagged.review_note or "")
    [own] = applications_of(stack, "tg:3007")
    assert own.status == "submitted" and own.review_note is None


def test_status_look_up_in_the_same_chat_and_from_another(stack: StackConfig) -> None:
    chat = Chat(stack, "tg:3005")
    fill_form(chat, new_id_number(), phone="13512345678")
    number = chat("/affirm").split("编号 ")[1].split("（")[0]
    assert f"{number}：已提交，等待审核" in chat("我的入会申请怎么样了")
    other = Chat(stack, "tg:3006")
    assert "申请编号和手机号后四位" in other("查询进度")
    assert f"{number}：已提交" in other(f"{number} 5678")


def test_a_joining_question_is_answered_then_offers_to_apply(stack: StackConfig) -> None:
    chat = Chat(stack, "e2e-member-question")
    reply = chat("送外卖的能入会吗")
    assert "《工会法》第三条" in reply and button_titles(chat.last)[0] == "现在申请入会"
    assert "您同意吗" in chat("/apply_membership")


def test_staff_approval_from_the_command_line(stack: StackConfig) -> None:
    chat = Chat(stack, "tg:3007")
    fill_form(chat, new_id_number())
    number = chat("/affirm").split("编号 ")[1].split("（")[0]
    env = dict(os.environ, DATABASE_URL=stack.database_url, DATA_DIR=str(stack.data_dir))
    listing = subprocess.run(
        [sys.executable, "-m", "desk", "applications", "list"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert number in listing.stdout and "13912345678" not in listing.stdout
    approved = subprocess.run(
        [sys.executable, "-m", "desk", "applications", "approve", number],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "已通过" in approved.stdout
    assert f"{number}：已通过" in chat("查询进度")


def test_an_answer_that_is_neither_yes_nor_no_asks_for_consent_again(stack: StackConfig) -> None:
    chat = Chat(stack, "e2e-member-unclear-consent")
    chat("我想申请入会")
    reply = chat("谢谢")
    assert "请点「同意」或「不同意」" in reply and "您同意吗" in reply
    assert "姓名" in chat("/affirm")
