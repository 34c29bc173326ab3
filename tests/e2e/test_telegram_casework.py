"""Hard cases with a lawyer, through Telegram: the lawyer's commands and buttons, the relay
between worker and lawyer, closing, the rating, and the bot stepping back in afterwards.

aiogram polls the local Bot API stand-in; Rasa and the action server are real, and so is the
database they share with the gateway. Every chat here is used by one test only: the stack and
its database live for the whole e2e session, and a chat has at most one case in progress.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from desk.cases.feedback import ASK_COMMENT, THANKS
from desk.cases.lawyer_commands import NOT_A_LAWYER, QUEUE_SHOWN
from desk.cases.tickets import CLAIMED, CLOSED, OPEN, queue
from desk.storage.db import session_scope
from desk.storage.outbox import case_of_message
from launcher.stack import StackConfig
from tests.cases import open_case, register, ticket
from tests.e2e.test_membership import Chat
from tests.e2e.test_telegram import keyboard_callbacks
from tests.telegram_stub import BOT_USER, TelegramStub, running_bot

NUMBER = re.compile(r"AJ-\d{4}-\d{6}")
PHONE = "13600002222"  # not conftest's sentinel number: that one must never reach a log
# A worker's case through the bot: (what the worker says, what the bot then asks).
INTAKE = (
    ("转人工", "发生了什么"),
    ("公司拖欠我两个月工资，老板一直推脱", "单位或老板"),
    ("某某物流", "哪个城市"),
    ("乌鲁木齐", "几个人"),
    ("就我一个", "钱"),
    ("5000", "手机号"),
    (PHONE, "请核对"),
)
QUESTION = "加班费怎么算"
RELAYED = "合同我拍照了，什么时候发给您"
QUIET = 1.0  # long enough for Rasa to have answered, had the gateway asked it
_queries = itertools.count(1)


@dataclass
class Person:
    """One Telegram chat: what its user sends, and the bot's messages to it, read in order."""

    stub: TelegramStub
    chat_id: int
    read: int = 0

    @property
    def sender(self) -> str:
        return f"tg:{self.chat_id}"  # how the gateway names the chat to Rasa and the core

    async def says(self, text: str, replying_to: dict[str, Any] | None = None) -> None:
        """replying_to: a message the bot sent this chat (as receives() gave it)."""
        quoted = {"reply_to_message": self._from_bot(replying_to)} if replying_to else {}
        await self.stub.push(self.stub.user_message(self.chat_id, text=text, **quoted))

    async def presses(self, callback_data: str) -> None:
        query = f"q-{self.chat_id}-{next(_queries)}"
        await self.stub.push(self.stub.button_press(self.chat_id, callback_data, query))

    async def receives(self) -> dict[str, Any]:
        """The bot's next message to this chat (text and keyboard)."""
        sent = await self.stub.wait_for("sendMessage", self.read + 1, chat_id=self.chat_id)
        self.read += 1
        return sent[self.read - 1]

    async def hears(self) -> str:
        return (await self.receives())["text"]

    async def hears_nothing(self) -> None:
        await asyncio.sleep(QUIET)
        assert self.stub.sent("sendMessage", self.chat_id)[self.read :] == []

    def _from_bot(self, sent: dict[str, Any]) -> dict[str, Any]:
        message = self.stub.user_message(self.chat_id, text=sent["text"])["message"]
        return {**message, "message_id": sent["message_id"], "from": BOT_USER}


@pytest.fixture
async def stub(stack: StackConfig) -> AsyncIterator[TelegramStub]:
    async for running in running_bot(stack.rasa_url, stack.database_url):
        yield running.stub


def lawyer(stub: TelegramStub, stack: StackConfig, chat_id: int, capacity: int = 5) -> Person:
    register(stack.database_url, chat_id, name=f"律师{chat_id}", capacity=capacity)
    return Person(stub, chat_id)


async def case_through_the_bot(stack: StackConfig, worker: Person) -> str:
    """The worker asks for a lawyer and answers the intake (over Rasa's REST channel, as the
    same sender the gateway uses); returns the case's number."""
    chat = Chat(stack, worker.sender)
    for said, asked in INTAKE:
        assert asked in await asyncio.to_thread(chat, said), said
    done = await asyncio.to_thread(chat, "/affirm")
    assert "已为您登记案件" in done and "（普通）" in done
    found = NUMBER.search(done)
    assert found is not None
    return found.group(0)


async def recorded(stack: StackConfig, person: Person, sent: dict[str, Any]) -> None:
    """A person replies to a relayed message once it arrived and the desk noted which case it
    belongs to (the gateway does so just after Telegram accepted it): replying within the same
    millisecond is a race no person runs."""
    for _ in range(100):
        with session_scope(stack.database_url) as session:
            if case_of_message(session, person.sender, sent["message_id"]) is not None:
                return
        await asyncio.sleep(0.1)
    raise AssertionError(f"message {sent['message_id']} was never recorded for its case")


def case_in_db(stack: StackConfig, worker: Person) -> str:
    return open_case(stack.database_url, chat=worker.sender)


async def takes(lawyer: Person, worker: Person, number: str) -> str:
    """The lawyer presses 接手 on the case; returns what the lawyer is told."""
    await lawyer.presses(f"ticket:take:{number}")
    taken = await lawyer.hears()
    assert taken.startswith(f"您已接手 {number}")
    assert await worker.hears() == (
        f"律师已接手您的案件 {number}，会尽快在这里和您联系，请留意消息。"
    )
    return taken


def queued(stack: StackConfig) -> list[str]:
    with session_scope(stack.database_url) as session:
        return [t.number or "" for t in queue(session)]


async def bot_answers_the_question(worker: Person, lawyer: Person) -> None:
    """The worker's question goes to Rasa again: answered, and not relayed."""
    await worker.says(QUESTION)
    answer = await worker.receives()
    topics = [data for data in keyboard_callbacks(answer) if data.startswith("/choose_faq")]
    assert "加班" in answer["text"] and ("法律依据" in answer["text"] or topics)
    await lawyer.hears_nothing()


async def sees_it_in_the_queue(counsel: Person, stack: StackConfig, number: str) -> None:
    """Told of the new case with a 接手 button, and /queue lists it: no personal data."""
    notice = await counsel.receives()  # every registered lawyer hears of a new case
    assert notice["text"].startswith(f"新案件：{number} 普通 [欠薪]")
    assert "乌鲁木齐 · 1人 · 5000元" in notice["text"]  # enough to choose a case by
    assert keyboard_callbacks(notice) == [f"ticket:take:{number}"]
    await counsel.says("/queue")
    listing = await counsel.receives()
    waiting = queued(stack)  # other tests' cases wait there too
    lines = listing["text"].splitlines()[1:]
    shown = [line.split()[0] for line in lines if line.startswith("AJ-")]
    assert number in waiting and shown == waiting[:QUEUE_SHOWN]
    if len(waiting) > QUEUE_SHOWN:
        assert lines[-1] == f"……另有 {len(waiting) - QUEUE_SHOWN} 件"
    assert keyboard_callbacks(listing) == [f"ticket:take:{n}" for n in waiting[:3]]
    assert PHONE not in notice["text"] + listing["text"]


async def closes_and_is_rated(counsel: Person, worker: Person, number: str) -> None:
    await counsel.says(f"/close {number} 追回 5000")
    assert (await counsel.hears()).startswith(f"{number} 已办结")
    closed = await worker.receives()
    assert f"{number} 已办结（已追回欠款，5000.00 元）" in closed["text"]
    assert keyboard_callbacks(closed) == [f"ticket:rate:{number}:{s}" for s in (5, 4, 3, 2, 1)]
    await worker.presses(f"ticket:rate:{number}:5")
    asked = await worker.receives()
    assert asked["text"] == ASK_COMMENT
    assert keyboard_callbacks(asked) == [f"ticket:nocomment:{number}"]
    await worker.says("律师很耐心")
    assert await worker.hears() == THANKS


async def sends_a_photo(stub: TelegramStub, worker: Person, counsel: Person, number: str) -> None:
    """Evidence (a photo of the contract) reaches the lawyer as it is, after a label."""
    photo = [{"file_id": "contract", "file_unique_id": "c1", "width": 800, "height": 600}]
    update = stub.user_message(worker.chat_id, photo=photo)
    await stub.push(update)
    assert await counsel.hears() == f"【{number} · 工友】发来图片："
    copied = await stub.wait_for("copyMessage", 1, chat_id=counsel.chat_id)
    assert int(copied[-1]["from_chat_id"]) == worker.chat_id
    assert int(copied[-1]["message_id"]) == update["message"]["message_id"]
    await worker.hears_nothing()


async def test_a_full_relay_round_trip(stub: TelegramStub, stack: StackConfig) -> None:
    worker, counsel = Person(stub, 7001), lawyer(stub, stack, 8001)
    number = await case_through_the_bot(stack, worker)
    await sees_it_in_the_queue(counsel, stack, number)
    taken = await takes(counsel, worker, number)
    assert "公司拖欠我两个月工资" in taken and PHONE in taken  # the holder sees the intake

    await worker.says(RELAYED)
    relayed = await counsel.receives()
    assert relayed["text"] == f"【{number} · 工友】{RELAYED}"
    await worker.hears_nothing()  # the bot keeps out of it
    await counsel.says("明天上午发过来就行")
    assert await worker.hears() == "【律师 律师8001】明天上午发过来就行"
    await recorded(stack, counsel, relayed)
    await counsel.says("记得带上工资条", replying_to=relayed)
    assert await worker.hears() == "【律师 律师8001】记得带上工资条"
    await counsel.hears_nothing()  # one case: no need to say where it went
    await sends_a_photo(stub, worker, counsel, number)
    await counsel.says(f"/colse {number} 解决")  # a typo is not relayed to the worker
    assert "律师命令" in await counsel.hears()
    await worker.hears_nothing()
    await closes_and_is_rated(counsel, worker, number)

    case = ticket(stack.database_url, number)
    assert (case.status, case.outcome, case.amount_recovered) == (CLOSED, "recovered", 5000)
    assert (case.rating, case.rating_comment, case.feedback_stage) == (5, "律师很耐心", None)
    assert case.first_reply_at is not None
    assert [(m.sender, m.text) for m in case.messages] == [
        ("worker", RELAYED),
        ("lawyer:8001", "明天上午发过来就行"),
        ("lawyer:8001", "记得带上工资条"),
        ("worker", "[图片]"),
    ]
    events = ["opened", "claimed", "first_reply", "closed", "rated"]
    assert [event.action for event in case.events] == events
    await bot_answers_the_question(worker, counsel)  # the bot is back


async def test_a_lawyer_with_two_cases_answers_by_replying(
    stub: TelegramStub, stack: StackConfig
) -> None:
    first, second, counsel = Person(stub, 7301), Person(stub, 7302), lawyer(stub, stack, 8301)
    numbers = [case_in_db(stack, first), case_in_db(stack, second)]
    for worker, number in zip((first, second), numbers, strict=True):
        await takes(counsel, worker, number)

    await counsel.says("您好")  # which worker is this for?
    assert "您手上有 2 件案件" in await counsel.hears()
    await second.says(f"{numbers[0]} 老板今天又没接电话")  # another case's number: no matter
    relayed = await counsel.receives()
    await recorded(stack, counsel, relayed)
    await counsel.says("我来联系老板", replying_to=relayed)
    assert await counsel.hears() == f"已转给 {numbers[1]} 的工友。"
    assert await second.hears() == "【律师 律师8301】我来联系老板"
    await counsel.says(f"/reply {numbers[0]} 请把欠条拍给我")
    assert await counsel.hears() == f"已转给 {numbers[0]} 的工友。"
    assert await first.hears() == "【律师 律师8301】请把欠条拍给我"
    await first.hears_nothing()
    await second.hears_nothing()


async def test_a_non_lawyer_is_refused_and_learns_nothing(
    stub: TelegramStub, stack: StackConfig
) -> None:
    stranger = Person(stub, 7101)
    number = case_in_db(stack, Person(stub, 7102))
    before = ticket(stack.database_url, number)

    for command in (
        "/queue",
        "/take",
        f"/take {number}",
        "/mine",
        f"/show {number}",
        "/show AJ-2099-999999",
        f"/reply {number} 你好",
        f"/close {number} 解决",
    ):
        await stranger.says(command)
        assert await stranger.hears() == NOT_A_LAWYER, command
    await stranger.presses(f"ticket:take:{number}")
    assert await stranger.hears() == NOT_A_LAWYER

    after = ticket(stack.database_url, number)
    assert (after.status, after.assignee_id) == (OPEN, None)
    assert [e.action for e in after.events] == [e.action for e in before.events] == ["opened"]


async def test_two_lawyers_pressing_take_at_once_one_gets_it(
    stub: TelegramStub, stack: StackConfig
) -> None:
    worker = Person(stub, 7201)
    first, second = lawyer(stub, stack, 8101), lawyer(stub, stack, 8102)
    number = case_in_db(stack, worker)

    await first.presses(f"ticket:take:{number}")  # both updates are in before either is read
    await second.presses(f"ticket:take:{number}")
    answers = {first.chat_id: await first.hears(), second.chat_id: await second.hears()}

    [winner] = [chat for chat, text in answers.items() if text.startswith(f"您已接手 {number}")]
    [loser] = set(answers) - {winner}
    assert answers[loser] == f"案件 {number} 已被其他律师接手了。"
    case = ticket(stack.database_url, number)
    assert case.status == CLAIMED and case.assignee is not None
    assert case.assignee.telegram_id == winner
    assert (await worker.hears()).startswith(f"律师已接手您的案件 {number}")
    await worker.hears_nothing()  # told once


async def test_release_gives_the_worker_back_to_the_bot(
    stub: TelegramStub, stack: StackConfig
) -> None:
    worker, counsel = Person(stub, 7401), lawyer(stub, stack, 8201)
    number = case_in_db(stack, worker)
    await takes(counsel, worker, number)

    await counsel.says(f"/release {number} 利益冲突")
    assert await counsel.hears() == f"{number} 已退回队列，工友已收到通知。"
    assert f"您的案件 {number} 正在转交给另一位律师" in await worker.hears()
    await bot_answers_the_question(worker, counsel)

    case = ticket(stack.database_url, number)
    assert (case.status, case.assignee_id, case.messages) == (OPEN, None, [])
    assert (case.events[-1].action, case.events[-1].note) == ("released", "利益冲突")
    assert number in queued(stack)


async def test_capacity(stub: TelegramStub, stack: StackConfig) -> None:
    workers = Person(stub, 7501), Person(stub, 7502)
    counsel = lawyer(stub, stack, 8401, capacity=1)
    held, other = (case_in_db(stack, worker) for worker in workers)
    await takes(counsel, workers[0], held)

    await counsel.says(f"/take {other}")
    refusal = await counsel.hears()
    assert "上限 1 件" in refusal and other not in refusal
    await counsel.presses(f"ticket:take:{other}")
    assert await counsel.hears() == refusal
    await counsel.says("/mine")
    assert (await counsel.hears()).startswith("您手上的案件 1/1 件")

    assert ticket(stack.database_url, other).status == OPEN
    await workers[1].hears_nothing()


async def test_a_message_as_long_as_telegram_allows_reaches_the_lawyer_whole(
    stub: TelegramStub, stack: StackConfig
) -> None:
    """The label makes a relayed 4096-character message longer than Telegram takes in one: it
    arrives in pieces (the stand-in refuses anything longer), and so does the case's record."""
    worker, counsel = Person(stub, 7601), lawyer(stub, stack, 8501)
    number = case_in_db(stack, worker)
    await takes(counsel, worker, number)
    longest = ("老板拖欠我三个月工资，一直推脱不给。" * 250)[:4096]

    await worker.says(longest)
    relayed = [await counsel.hears(), await counsel.hears()]
    label = f"【{number} · 工友】"
    assert relayed[0].startswith(f"{label}（1/2）") and relayed[1].startswith(f"{label}（2/2）")
    assert "".join(part.split("）", 1)[1] for part in relayed) == longest
    await counsel.says(f"/show {number}")
    shown = [await counsel.hears(), await counsel.hears()]
    assert shown[0].startswith(f"案件 {number}") and longest in "".join(shown)
    await counsel.hears_nothing()
