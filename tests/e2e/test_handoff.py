"""转人工 end to end: every way a case reaches a lawyer, the intake, and one case per chat,
through the trained model and the action server."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from desk.cases.tickets import NORMAL, URGENT
from desk.storage.db import session_scope
from desk.storage.models import Ticket
from launcher.stack import StackConfig
from tests.e2e.test_membership import Chat

_senders = itertools.count(9101)
STORY_QUESTION = "发生了什么"
PASSING_ON = "转给工会律师"
# The intake's questions by a word each contains, and an answer that satisfies it.
ANSWERS = {
    "单位或老板": "某某建筑公司",
    "哪个城市": "乌鲁木齐",
    "几个人": "就我一个",
    "钱": "不涉及",
    "手机号": "跳过",
}


def new_chat(stack: StackConfig) -> Chat:
    return Chat(stack, f"tg:{next(_senders)}")


def tickets_of(stack: StackConfig, chat: Chat) -> list[Ticket]:
    with session_scope(stack.database_url) as session:
        return list(session.scalars(select(Ticket).where(Ticket.chat_id == chat.sender)))


def answer_until_summary(chat: Chat, reply: str) -> tuple[str, list[str]]:
    """Answers whatever the intake still asks. Returns the summary and the questions asked."""
    asked: list[str] = []
    for _ in range(len(ANSWERS) + 1):
        if "请核对" in reply:
            return reply, asked
        question = next(word for word in ANSWERS if word in reply)
        asked.append(question)
        reply = chat(ANSWERS[question])
    raise AssertionError(f"the intake never reached its summary: {reply}")


def finish_intake(chat: Chat, reply: str) -> tuple[str, list[str]]:
    """Answers what is left and agrees: the final reply and the questions asked."""
    _, asked = answer_until_summary(chat, reply)
    return chat("/affirm"), asked


@pytest.mark.parametrize("request_text", ["转人工", "找律师", "我要打官司", "/request_human"])
def test_asking_for_a_lawyer_starts_the_intake(stack: StackConfig, request_text: str) -> None:
    chat = new_chat(stack)
    reply = chat(request_text)
    assert PASSING_ON in reply and STORY_QUESTION in reply


def test_the_intake_opens_a_numbered_case_with_an_honest_wait(stack: StackConfig) -> None:
    chat = new_chat(stack)
    chat("转人工")
    done, asked = finish_intake(chat, chat("公司把我开除了，一分钱补偿都没给"))
    assert asked == list(ANSWERS)
    [ticket] = tickets_of(stack, chat)
    assert f"已为您登记案件 {ticket.number}（普通）" in done
    assert "队列" in done and "律师接手时我会在这里通知您" in done  # no promise we cannot keep
    assert ticket.priority == NORMAL and "解除" in ticket.tags
    assert ticket.intake["情况经过"] == "公司把我开除了，一分钱补偿都没给"
    assert ticket.intake["所在城市"].startswith("乌鲁木齐")


@pytest.mark.parametrize(
    ("message", "why", "tag"),
    [
        ("我们工地二十多个人的工资都没发，找谁都没用", "多名工友", "集体"),
        ("老板跑了，电话也打不通，欠我三个月工资", "老板跑路或失联", "欠薪"),
        ("我在工地从脚手架上摔下来骨折了，老板不管", "人员受伤", "工伤"),
        ("仲裁时效还有三天就到了，公司欠我八千块工资怎么办", "期限临近", "欠薪"),
    ],
)
def test_a_hard_case_goes_to_a_lawyer_without_being_asked(
    stack: StackConfig, message: str, why: str, tag: str
) -> None:
    chat = new_chat(stack)
    reply = chat(message)
    assert why in reply and PASSING_ON in reply
    assert STORY_QUESTION not in reply  # what the worker just said is the story
    done, _ = finish_intake(chat, reply)
    [ticket] = tickets_of(stack, chat)
    assert "（紧急）" in done and ticket.priority == URGENT
    assert tag in ticket.tags and ticket.intake["情况经过"] == message


def test_what_was_said_is_not_asked_again(stack: StackConfig) -> None:
    chat = new_chat(stack)
    reply = chat("老板跑了，欠我们5个人32000元工资")
    _, asked = finish_intake(chat, reply)
    assert "几个人" not in asked and "钱" not in asked
    [ticket] = tickets_of(stack, chat)
    assert ticket.intake["涉及人数"] == "5人" and ticket.intake["涉及金额"] == "32000元"


def test_two_unsure_answers_in_a_row_pass_the_case_on(stack: StackConfig) -> None:
    chat = new_chat(stack)
    first = chat("加班费")
    assert "不太确定" in first and PASSING_ON not in first
    second = chat("年假")
    assert "连续两次没能答准" in second and PASSING_ON in second
    assert "单位或老板" in chat("公司不给加班费，年假也不让休")
    # The question asked once more where the employer is asked is no employer's name.
    again = chat("年假怎么算？")
    assert "律师接手后会详细解答" in again and "单位或老板" in again
    _, asked = answer_until_summary(chat, chat("某某建筑公司"))
    assert "单位或老板" not in asked


def test_a_worker_with_an_open_case_adds_to_it(stack: StackConfig) -> None:
    chat = new_chat(stack)
    chat("转人工")
    finish_intake(chat, chat("公司拖欠我两个月工资，老板一直推"))
    [ticket] = tickets_of(stack, chat)
    again = chat("找律师")
    assert f"您已有案件 {ticket.number}" in again and STORY_QUESTION in again
    summary = chat("又想起来，老板还扣了我押金两千")
    assert "请核对" in summary and "押金两千" in summary
    assert f"已把新情况补充进您的案件 {ticket.number}" in chat("/affirm")
    [same] = tickets_of(stack, chat)
    assert same.id == ticket.id and "补充：又想起来，老板还扣了我押金两千" in same.summary


def test_an_answer_is_corrected_at_the_last_question(stack: StackConfig) -> None:
    chat = new_chat(stack)
    chat("转人工")
    answer_until_summary(chat, chat("公司把我开除了，没有任何补偿"))
    assert "哪个城市" in chat("改城市")
    assert "深圳市南山区" in chat("深圳市南山区")
    # Neither yes nor no at the last question: asked again, nothing lost, no failure counted.
    assert "请核对" in chat("老板其实还欠我五千")
    chat("/affirm")
    [ticket] = tickets_of(stack, chat)
    assert ticket.intake["所在城市"] == "深圳市南山区"


def test_a_detail_that_will_not_parse_does_not_drop_the_case(stack: StackConfig) -> None:
    """Zero threshold: twice no usable amount → kept in the worker's words; a wrong phone twice
    → left out; the case still opens."""
    chat = new_chat(stack)
    chat("转人工")
    chat("公司把我开除了，一分钱补偿都没给")
    for answer in ("某某建筑公司", "乌鲁木齐", "就我一个"):
        reply = chat(answer)
    assert "钱" in reply
    assert "请写一个钱数" in chat("半年的")
    kept = chat("说好的那些")
    assert "按您的原话记下" in kept and "手机号" in kept
    assert "11位" in chat("1391234")
    left_out = chat("139123")
    assert "电话先不留了" in left_out and "请核对" in left_out
    assert "（原话）说好的那些" in left_out
    assert "已为您登记案件" in chat("/affirm")
    [ticket] = tickets_of(stack, chat)
    assert ticket.intake["涉及金额"] == "（原话）说好的那些"
    assert ticket.intake["联系电话"] == "未提供"


def test_declining_keeps_nothing_and_the_bot_stops_pushing(stack: StackConfig) -> None:
    chat = new_chat(stack)
    chat("转人工")
    answer_until_summary(chat, chat("公司把我开除了，没有任何补偿"))
    assert "12351" in chat("/deny")
    assert tickets_of(stack, chat) == []
    assert PASSING_ON not in chat("老板跑了，电话也打不通，欠我三个月工资")
    assert PASSING_ON in chat("转人工")  # asking still works


def test_cancel_in_the_intake_keeps_nothing(stack: StackConfig) -> None:
    chat = new_chat(stack)
    chat("转人工")
    chat("公司把我开除了，没有任何补偿")
    assert "没有保存" in chat("取消")
    assert tickets_of(stack, chat) == []


def test_cancel_or_change_at_the_last_question_is_heard(stack: StackConfig) -> None:
    chat = new_chat(stack)
    chat("转人工")
    answer_until_summary(chat, chat("公司把我开除了，没有任何补偿"))
    assert "要修改哪一项" in chat("/change_field")  # the 修改 button
    assert "哪个城市" in chat("改城市")
    assert "请核对" in chat("深圳")
    assert "没有保存" in chat("取消")
    assert tickets_of(stack, chat) == []


def test_a_lawyer_request_in_the_middle_of_a_form_leaves_it(stack: StackConfig) -> None:
    chat = new_chat(stack)
    chat("我想申请入会")
    chat("/affirm")
    chat("王强")
    reply = chat("我还是想先找律师")
    assert PASSING_ON in reply and STORY_QUESTION in reply
    reply = chat("公司三年没给我交社保")
    assert "单位或老板" in reply  # the intake goes on, not the joining
    assert "已为您登记案件" in finish_intake(chat, reply)[0]
    # The joining was left, not parked: asking again starts afresh, with consent first.
    assert "您同意吗" in chat("申请入会")


@pytest.mark.parametrize(
    ("message", "answer_has", "cites", "why"),
    [
        (
            "我在工地干活从架子上摔下来腿骨折了，工伤认定怎么申请，要找谁",
            "30日",
            "《工伤保险条例》第十七条",
            "人员受伤",
        ),
        (
            "老板跑路了电话打不通，欠我们的工资到底谁来付",
            "垫付",
            "《保障农民工工资支付条例》第六十三条",
            "老板跑路或失联",
        ),
    ],
)
def test_a_hard_case_is_answered_with_the_law_then_goes_to_a_lawyer(
    stack: StackConfig, message: str, answer_has: str, cites: str, why: str
) -> None:
    chat = new_chat(stack)
    reply = chat(message)
    # The cited answer comes first, then the intake starts without the worker asking again.
    answer, _, passing_on = reply.partition(PASSING_ON)
    assert answer_has in answer and cites in answer and "：“" in answer
    assert why in answer.split("法律依据")[-1]  # said after the answer, before the intake
    assert "单位或老板" in passing_on
    # No topic buttons compete with the intake's first question.
    assert not any("/choose_faq" in b["payload"] for m in chat.last for b in m.get("buttons", []))
    done, _ = finish_intake(chat, reply)
    [ticket] = tickets_of(stack, chat)
    assert "（紧急）" in done and ticket.priority == URGENT
