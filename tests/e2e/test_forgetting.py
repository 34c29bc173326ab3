"""What a worker withdraws is gone from Rasa's stored conversation too: after 取消, 不同意 or a
submission, the tracker database holds none of the answers (through the real servers)."""

from __future__ import annotations

import itertools
import sqlite3

from desk.cases.tickets import CLOSED
from desk.storage.db import session_scope
from desk.storage.models import Ticket
from launcher.stack import StackConfig
from tests.e2e.rest import button_titles
from tests.e2e.test_handoff import answer_until_summary, tickets_of
from tests.e2e.test_membership import Chat, applications_of, fill_form, new_id_number

_senders = itertools.count(7351)  # chats of this module only
PHONE = "13987654321"
STORY = f"公司拖欠我三个月工资，我叫赵铁柱，电话{PHONE}"


def new_chat(stack: StackConfig) -> Chat:
    return Chat(stack, f"tg:{next(_senders)}")


def stored(stack: StackConfig, chat: Chat) -> str:
    """Everything the tracker database keeps of the conversation, as stored."""
    with sqlite3.connect(stack.tracker_db) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ?", (chat.sender,))
        return "\n".join(data for (data,) in rows)


def answer_identity(chat: Chat, id_number: str) -> None:
    assert "姓名" in chat("/affirm")
    assert "身份证号" in chat("王强")
    assert "手机号" in chat(id_number)
    assert "单位" in chat(PHONE)


def test_a_cancelled_joining_leaves_nothing_in_the_conversation(stack: StackConfig) -> None:
    chat, id_number = new_chat(stack), new_id_number()
    chat("我想申请入会")
    answer_identity(chat, id_number)
    # Kept while the worker is still answering (the form needs it)...
    assert id_number in stored(stack, chat) and PHONE in stored(stack, chat)
    assert "没有保存" in chat("取消")
    # ...and gone once withdrawn: typed text, slot values, the bot's echoes.
    kept = stored(stack, chat)
    assert id_number not in kept and PHONE not in kept and "王强" not in kept
    assert applications_of(stack, chat.sender) == []
    chat("你好")
    assert "申请入会" in button_titles(chat.last)  # the conversation goes on as before


def test_a_declined_joining_forgets_what_was_said_before_consent(stack: StackConfig) -> None:
    chat, id_number = new_chat(stack), new_id_number()
    asked = chat(f"我叫王强，身份证号{id_number}，我要申请入会")
    assert "您同意吗" in asked
    assert id_number in stored(stack, chat)
    chat("不同意")
    kept = stored(stack, chat)
    assert id_number not in kept and "王强" not in kept


def test_a_submitted_joining_lives_in_the_desk_database_only(stack: StackConfig) -> None:
    chat, id_number = new_chat(stack), new_id_number()
    fill_form(chat, id_number, PHONE)
    assert "已提交" in chat("/affirm")
    [application] = applications_of(stack, chat.sender)
    assert application.id_number == id_number and application.phone == PHONE
    kept = stored(stack, chat)
    assert id_number not in kept and PHONE not in kept and "王强" not in kept
    # A second application asks everything again rather than reusing forgotten answers.
    assert "您同意吗" in chat("我想申请入会")
    assert "姓名" in chat("/affirm")


def test_a_lawyer_intake_is_forgotten_once_the_case_is_open(stack: StackConfig) -> None:
    chat = new_chat(stack)
    chat("转人工")
    answer_until_summary(chat, chat(STORY))
    assert PHONE in stored(stack, chat)
    assert "已为您登记案件" in chat("/affirm")
    [ticket] = tickets_of(stack, chat)
    assert ticket.intake["情况经过"] == STORY  # the lawyer gets it, the conversation does not
    kept = stored(stack, chat)
    assert PHONE not in kept and "赵铁柱" not in kept
    with session_scope(stack.database_url) as session:  # out of the queue other tests count
        session.get_one(Ticket, ticket.id).status = CLOSED


def test_a_declined_lawyer_intake_is_forgotten(stack: StackConfig) -> None:
    chat = new_chat(stack)
    chat("转人工")
    answer_until_summary(chat, chat(STORY))
    chat("/deny")
    assert tickets_of(stack, chat) == []
    kept = stored(stack, chat)
    assert PHONE not in kept and "赵铁柱" not in kept


def test_an_aid_application_is_forgotten_once_submitted_or_cancelled(stack: StackConfig) -> None:
    from tests.e2e.test_aid import Worker, apply_for_aid, join_union

    for ending, answered in (("/affirm", "申请已提交"), ("取消", "没有保存")):
        chat, worker = new_chat(stack), Worker()
        join_union(chat, worker)
        apply_for_aid(chat, worker, "申请救助")
        assert worker.id_number in stored(stack, chat)  # kept while the form needs it
        assert answered in chat(ending)
        kept = stored(stack, chat)
        assert worker.id_number not in kept and "13912345678" not in kept and "王强" not in kept


def test_a_joining_given_up_after_bad_answers_is_forgotten(stack: StackConfig) -> None:
    """Three wrong ID numbers: the joining form is forgotten and the desk turns to a lawyer's
    intake, which starts from what was said (kept while it runs); cancelled, nothing of
    either form is kept."""
    chat = new_chat(stack)
    chat(f"我想申请入会，我的手机是{PHONE}")
    assert "姓名" in chat("/affirm")
    assert "身份证号" in chat("赵铁柱")
    for wrong in ("123", "abc", "110105"):
        reply = chat(wrong)
    assert "转给工会律师" in reply
    assert "赵铁柱" not in stored(stack, chat)  # the joining is gone already
    chat("取消")
    kept = stored(stack, chat)
    assert "赵铁柱" not in kept and PHONE not in kept
    assert applications_of(stack, chat.sender) == [] and tickets_of(stack, chat) == []


def test_joining_to_qualify_for_aid_leaves_neither_form(stack: StackConfig) -> None:
    """The relief offers joining first; both applications submitted in one go, and neither
    form's answers stay in the conversation."""
    from tests.e2e.test_aid import Worker, apply_for_aid

    chat, worker = new_chat(stack), Worker()
    apply_for_aid(chat, worker, "我是送外卖的，最近没单，想申请救助")
    assert "先在这里申请入会" in chat("/affirm")
    chat("/apply_membership")
    chat("/affirm")
    chat("美团")
    chat("外卖骑手")
    chat("不是")
    assert "入会申请已提交" in chat("/affirm")
    kept = stored(stack, chat)
    assert worker.id_number not in kept and "13912345678" not in kept and "王强" not in kept
