"""Every form answered the way people really answer, through the trained model and the action
server: 可以的 for consent, 我叫…, 139 1234 5678, 在饿了么跑单, 不清楚, 就我一个, 一单都没有,
家里没收入了, 全家都没有收入, 一家三口, numbers in words — and an answer to the question asked is
never taken for a new question, while a real question in the middle is still answered."""

from __future__ import annotations

import re

from launcher.stack import StackConfig
from tests.e2e.test_membership import Chat, new_id_number

RELIEF = "新就业形态劳动者临时困难救助"


def answer_all(chat: Chat, opening: str, answers: list[tuple[str, str]]) -> str:
    """Answers each question by the first needle it contains; returns the summary."""
    reply = chat(opening)
    for _ in range(25):
        if "请核对" in reply or "转给律师之前" in reply:
            return reply
        assert "没有把握" not in reply and "没太明白" not in reply, reply
        asked = reply.splitlines()[-1]
        said = next((said for needle, said in answers if needle in asked), None)
        assert said is not None, f"no answer for: {reply}"
        reply = chat(said)
    raise AssertionError(f"no summary after 25 answers; last: {reply}")


def test_the_relief_form_in_a_courier_s_own_words(stack: StackConfig) -> None:
    chat, id_number = Chat(stack, "natural-aid-1"), new_id_number()
    summary = answer_all(
        chat,
        "送外卖的，这几个月单子很少，听说工会能补助",
        [
            ("您同意吗", "可以的"),
            ("申请哪一项", "骑手那个临时困难救助"),
            ("姓名", "我叫王强"),
            ("户主的身份证号", "我就是户主"),
            ("身份证号", id_number),
            ("手机号", "手机是139 1234 5678"),
            ("区县", "乌鲁木齐天山区那边"),
            ("主要做什么工作", "送外卖的"),
            ("8月份", "四十九单"),
            ("9月份", "一单都没有"),
            ("10月份", "没怎么跑，就二十单"),
            ("11月份", "三十"),
            ("收入", "家里没收入了"),
        ],
    )
    assert RELIEF in summary and "王强" in summary
    assert "收入：0" in summary and "9月份一共接了多少单：0" in summary
    assert "10月份一共接了多少单：20" in summary and "8月份一共接了多少单：49" in summary
    assert f"户主身份证号：{id_number[:6]}" in summary


def test_hardship_aid_answered_in_words(stack: StackConfig) -> None:
    chat = Chat(stack, "natural-aid-2")
    summary = answer_all(
        chat,
        "家里太困难了，想申请困难职工生活救助",
        [
            ("您同意吗", "行"),
            ("申请哪一项", "困难职工生活救助"),
            ("姓名", "李娜"),
            ("户主的身份证号", "户主是我"),
            ("身份证号", new_id_number()),
            ("手机号", "13800001111"),
            ("区县", "天山区"),
            ("什么困难", "家里有人生病"),
            ("几口人", "一家三口"),
            ("收入", "全家都没有收入"),
            ("困难职工档案", "没有"),
        ],
    )
    assert "几口人：3" in summary and "收入：0" in summary


def test_joining_answered_in_words(stack: StackConfig) -> None:
    chat = Chat(stack, "natural-join-1")
    summary = answer_all(
        chat,
        "我想加入工会",
        [
            ("您同意吗", "没问题"),
            ("姓名", "我叫李娜"),
            ("身份证号", new_id_number()),
            ("手机号", "我的手机号是138 0000 1111"),
            ("单位", "在饿了么跑单"),
            ("什么工作", "送外卖的"),
            ("区县", "乌鲁木齐天山区那边"),
            ("其他工会的会员", "不清楚"),
        ],
    )
    assert "姓名：李娜" in summary and "工作单位/平台：饿了么" in summary
    assert "所在区县：乌鲁木齐市天山区" in summary and "已是其他工会会员：否" in summary
    assert "入会申请已提交" in chat("/affirm")


def test_the_lawyer_intake_answered_in_words(stack: StackConfig) -> None:
    chat = Chat(stack, "natural-lawyer-1")
    summary = answer_all(
        chat,
        "转人工",
        [
            ("发生了什么", "我在工地干了两个月，老板一直拖着不给工钱，打电话也不接"),
            ("单位或老板", "不知道叫啥"),
            ("城市", "在深圳打工"),
            ("几个人", "就我一个"),
            ("多少", "一万二左右"),
            ("手机号", "不方便"),
        ],
    )
    assert "用人单位：不清楚" in summary and "所在城市：深圳" in summary
    assert "涉及人数：1人" in summary and "约12000元" in summary and "联系电话：未提供" in summary
    opened = chat("可以")
    assert re.search(r"AJ-\d{4}-\d{6}", opened), opened


def test_a_real_question_in_the_middle_is_still_answered(stack: StackConfig) -> None:
    chat = Chat(stack, "natural-join-2")
    assert "您同意吗" in chat("我想入会")
    assert "姓名" in chat("好的")
    answered = chat("加班费怎么算？")
    assert "姓名" in answered.splitlines()[-1] and "加班" in answered  # answered, then asked again
    assert "身份证号" in chat("王强")
    assert "已取消入会申请" in chat("取消")
