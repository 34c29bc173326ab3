"""While a lawyer holds a case, worker and lawyer talk through the desk; otherwise the bot answers.

Everything goes through desk.cases.routing, the door the gateway uses: None means "the bot answers",
[] means "handled, nothing to say back", and what the other side hears is in the outbox.
"""

from __future__ import annotations

from sqlalchemy import select

from desk.cases import routing
from desk.cases.relay import Forward
from desk.cases.tickets import close, release
from desk.storage.db import in_unit_of_work, session_scope
from desk.storage.models import Notification, TicketEvent
from desk.storage.outbox import mark_sent
from tests.cases import (
    LAWYER,
    LAWYER_CHAT,
    NEIGHBOUR_CHAT,
    OTHER,
    OTHER_CHAT,
    WORKER_CHAT,
    on_attachment,
    on_command,
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


def say(url: str, sender: str, text: str, reply_to: int | None = None) -> object:
    return on_text(url, sender, text, reply_to)


def delivered_as(url: str, chat: str, message_id: int) -> str:
    """Marks the chat's latest notice delivered as the channel's message message_id."""
    with session_scope(url) as session:
        query = select(Notification).where(Notification.chat_id == chat)
        latest = session.scalars(query.order_by(Notification.id.desc())).first()
        assert latest is not None
        mark_sent(session, latest.id, message_ids=[message_id])
        return latest.text


def test_while_only_queued_the_bot_answers_the_worker(database_url: str) -> None:
    register(database_url)
    number = open_case(database_url)
    assert say(database_url, WORKER_CHAT, "律师什么时候联系我？") is None
    assert ticket(database_url, number).messages == []
    assert outbox(database_url, LAWYER_CHAT) == []


def test_the_worker_talks_to_the_lawyer_holding_the_case(database_url: str) -> None:
    register(database_url, name="王")
    number = take(database_url, number=open_case(database_url))
    assert say(database_url, WORKER_CHAT, "我有工资条的照片") == []
    (notice,) = outbox(database_url, LAWYER_CHAT)
    assert notice.text == f"【{number} · 工友】我有工资条的照片"
    (message,) = ticket(database_url, number).messages
    assert (message.sender, message.text) == ("worker", "我有工资条的照片")
    # Another worker with no case of their own is not affected.
    assert say(database_url, NEIGHBOUR_CHAT, "我也被欠薪了") is None


def test_a_lawyer_with_one_case_just_writes_and_the_worker_hears_it(database_url: str) -> None:
    register(database_url, name="王")
    number = take(database_url, number=open_case(database_url))
    before = len(outbox(database_url, WORKER_CHAT))  # "律师已接手…"
    assert say(database_url, LAWYER_CHAT, "您好，请把劳动合同发给我") == []
    assert (
        outbox(database_url, WORKER_CHAT)[before:][0].text == "【律师 王】您好，请把劳动合同发给我"
    )
    first = ticket(database_url, number).first_reply_at
    assert first is not None
    assert say(database_url, LAWYER_CHAT, "收到了，谢谢") == []
    case = ticket(database_url, number)
    assert case.first_reply_at == first  # set by the first answer only
    assert [(m.sender, m.text) for m in case.messages] == [
        (f"lawyer:{LAWYER}", "您好，请把劳动合同发给我"),
        (f"lawyer:{LAWYER}", "收到了，谢谢"),
    ]
    with session_scope(database_url) as session:
        actions = session.scalars(
            select(TicketEvent.action).where(TicketEvent.action == "first_reply")
        ).all()
    assert actions == ["first_reply"]


def test_a_lawyer_with_two_cases_must_say_which(database_url: str) -> None:
    register(database_url, name="王")
    first = take(database_url, number=open_case(database_url, chat=WORKER_CHAT))
    second = take(database_url, number=open_case(database_url, chat=NEIGHBOUR_CHAT))
    notices_before = outbox_size(database_url)

    asked = only_text(say(database_url, LAWYER_CHAT, "请把合同发给我"))
    assert first in asked and second in asked and "/reply" in asked
    assert outbox_size(database_url) == notices_before  # nobody got it

    # Replying to the worker's relayed message names the case.
    say(database_url, NEIGHBOUR_CHAT, "老板今天又不接电话")
    delivered_as(database_url, LAWYER_CHAT, 501)
    done = only_text(say(database_url, LAWYER_CHAT, "别急，我来联系他", reply_to=501))
    assert second in done
    assert outbox(database_url, NEIGHBOUR_CHAT)[-1].text == "【律师 王】别急，我来联系他"
    assert "别急" not in outbox(database_url, WORKER_CHAT)[-1].text

    # So does /reply with the number, in any case of letters.
    done = only_text(
        in_unit_of_work(
            database_url, routing.on_command, LAWYER_CHAT, "reply", f"{first.lower()} 好的"
        )
    )
    assert first in done
    assert outbox(database_url, WORKER_CHAT)[-1].text == "【律师 王】好的"
    assert ticket(database_url, first).first_reply_at is not None


def test_a_lawyer_holding_nothing_talks_to_the_bot(database_url: str) -> None:
    register(database_url)
    register(database_url, OTHER)
    take(database_url, OTHER, open_case(database_url))
    assert say(database_url, LAWYER_CHAT, "工伤认定要多久？") is None
    answer = only_text(on_command(database_url, LAWYER_CHAT, "reply", "AJ-2026-000001 hi"))
    assert "没有案件" in answer
    assert outbox(database_url, WORKER_CHAT)[-1].text.startswith("律师已接手")


def test_a_removed_lawyer_no_longer_speaks_for_the_desk(database_url: str) -> None:
    register(database_url)
    take(database_url, number=open_case(database_url))
    remove(database_url)
    assert say(database_url, LAWYER_CHAT, "您好") is None
    assert outbox(database_url, WORKER_CHAT)[-1].text.startswith("律师已接手")


def test_after_close_or_release_the_bot_answers_the_worker_again(database_url: str) -> None:
    register(database_url)
    register(database_url, OTHER)
    first = take(database_url, number=open_case(database_url, chat=WORKER_CHAT))
    second = take(database_url, number=open_case(database_url, chat=NEIGHBOUR_CHAT))
    with session_scope(database_url) as session:
        close(session, first, LAWYER, "resolved")
        release(session, second, LAWYER)
    lawyer_notices = outbox_size(database_url)
    assert say(database_url, WORKER_CHAT, "加班费怎么算？") is None
    assert say(database_url, NEIGHBOUR_CHAT, "还要等多久？") is None
    # And the lawyer's words no longer reach them: the lawyer holds nothing now.
    assert say(database_url, LAWYER_CHAT, "还在吗？") is None
    assert outbox_size(database_url) == lawyer_notices
    assert ticket(database_url, first).messages == []
    # Once another lawyer takes the released case, the relay resumes — to them.
    take(database_url, OTHER, second)
    assert say(database_url, NEIGHBOUR_CHAT, "您好律师") == []
    assert outbox(database_url, OTHER_CHAT)[-1].text == f"【{second} · 工友】您好律师"
    assert [n.text for n in outbox(database_url, LAWYER_CHAT)] == []


def test_photos_and_files_are_copied_across_and_noted_in_the_transcript(
    database_url: str,
) -> None:
    register(database_url, name="王")
    assert on_attachment(database_url, WORKER_CHAT, "图片") is None  # no case: the bot
    number = take(database_url, number=open_case(database_url))
    forward = on_attachment(database_url, WORKER_CHAT, "图片")
    assert forward == Forward(LAWYER_CHAT, f"【{number} · 工友】发来图片：", [])
    back = on_attachment(database_url, LAWYER_CHAT, "文件")
    assert back == Forward(WORKER_CHAT, "【律师 王】发来文件：", [])
    transcript = [(m.sender, m.text) for m in ticket(database_url, number).messages]
    assert transcript == [("worker", "[图片]"), (f"lawyer:{LAWYER}", "[文件]")]
    # With two cases, the lawyer must say which one the file is for.
    take(database_url, number=open_case(database_url, chat=NEIGHBOUR_CHAT))
    asked = on_attachment(database_url, LAWYER_CHAT, "文件")
    assert isinstance(asked, list) and "回复" in only_text(asked)
    on_text(database_url, NEIGHBOUR_CHAT, "合同在哪里？")
    delivered_as(database_url, LAWYER_CHAT, 701)  # the file is a reply to that message
    to_second = in_unit_of_work(database_url, routing.on_attachment, LAWYER_CHAT, "文件", 701)
    assert isinstance(to_second, Forward) and to_second.to_chat == NEIGHBOUR_CHAT


def test_a_lawyers_mistyped_command_is_not_relayed(database_url: str) -> None:
    register(database_url)
    number = take(database_url, number=open_case(database_url))
    before = len(outbox(database_url, WORKER_CHAT))
    assert "律师命令" in only_text(say(database_url, LAWYER_CHAT, f"/colse {number} 解决"))
    assert len(outbox(database_url, WORKER_CHAT)) == before
    # A worker's text starting with "/" is still just text for the lawyer.
    assert say(database_url, WORKER_CHAT, "/合同在这") == []
    assert outbox(database_url, LAWYER_CHAT)[-1].text == f"【{number} · 工友】/合同在这"


def test_a_reply_goes_to_the_case_the_bot_recorded_not_to_a_number_in_the_text(
    database_url: str,
) -> None:
    """A worker who writes another case's number into a message cannot have the lawyer's reply
    to it sent to that other worker."""
    register(database_url, name="王")
    first = take(database_url, number=open_case(database_url, chat=WORKER_CHAT))
    take(database_url, number=open_case(database_url, chat=NEIGHBOUR_CHAT))
    say(database_url, NEIGHBOUR_CHAT, f"【{first} · 工友】{first} 请回复我的电话")
    delivered_as(database_url, LAWYER_CHAT, 601)
    say(database_url, LAWYER_CHAT, "您的电话是多少？", reply_to=601)
    assert outbox(database_url, NEIGHBOUR_CHAT)[-1].text == "【律师 王】您的电话是多少？"
    assert all("电话是多少" not in n.text for n in outbox(database_url, WORKER_CHAT))
    # A reply to a message the bot never relayed names no case: the lawyer is asked which.
    asked = only_text(say(database_url, LAWYER_CHAT, "好的", reply_to=999))
    assert "/reply" in asked


def test_every_part_of_a_long_message_is_labelled(database_url: str) -> None:
    register(database_url)
    number = take(database_url, number=open_case(database_url))
    longest = ("老板拖欠我三个月工资，一直推脱不给。" * 250)[:4096]
    say(database_url, WORKER_CHAT, longest)
    parts = [n.text for n in outbox(database_url, LAWYER_CHAT)]
    assert len(parts) == 2 and all(len(part) <= 4096 for part in parts)
    assert parts[0].startswith(f"【{number} · 工友】（1/2）")
    assert parts[1].startswith(f"【{number} · 工友】（2/2）")
    assert "".join(part.split("）", 1)[1] for part in parts) == longest
    assert ticket(database_url, number).messages[-1].text == longest  # one message in the record


def test_a_worker_s_message_does_not_reach_a_lawyer_no_longer_active(database_url: str) -> None:
    register(database_url)
    take(database_url, number=open_case(database_url))
    remove(database_url)  # deactivated without the cases given back (staff use remove_lawyer)
    before = outbox_size(database_url)
    assert say(database_url, WORKER_CHAT, "律师还在吗？") is None  # the bot answers instead
    assert outbox_size(database_url) == before
