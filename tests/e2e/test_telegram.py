"""aiogram, polling a local stand-in of the Telegram Bot API over HTTP, against real Rasa."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.keyboards import PayloadStore
from bot.messages import Button, OutgoingMessage
from bot.telegram import (
    send_messages,
)
from desk.applications.store import APPROVED, PAID, VERIFIED, change_status
from desk.common import replies
from desk.storage.db import session_scope
from desk.storage.migrate import upgrade_database
from launcher.scratch import free_port
from launcher.stack import StackConfig
from tests.e2e.test_aid import Worker, apply_for_aid, join_union, number_in
from tests.e2e.test_membership import Chat, fill_form, new_id_number
from tests.telegram_stub import RunningBot, running_bot

MENU_CALLBACKS = [
    "/ask_legal",
    "/apply_membership",
    "/apply_aid",
    "/request_human",
    "/check_status",
]


@pytest.fixture
async def telegram(stack: StackConfig) -> AsyncIterator[RunningBot]:
    async for running in running_bot(stack.rasa_url, stack.database_url):
        yield running


def keyboard_callbacks(sent: dict) -> list[str]:
    markup = sent.get("reply_markup") or {}
    return [key["callback_data"] for row in markup.get("inline_keyboard", []) for key in row]


async def test_start_greets_with_the_menu_as_inline_buttons(telegram: RunningBot) -> None:
    stub = telegram.stub
    await stub.push(stub.user_message(101, text="/start"))
    sent = await stub.wait_for("sendMessage", 2, chat_id=101)
    assert "您好" in sent[0]["text"]
    assert keyboard_callbacks(sent[-1]) == MENU_CALLBACKS
    titles = [key["text"] for row in sent[-1]["reply_markup"]["inline_keyboard"] for key in row]
    assert titles == ["法律咨询", "申请入会", "申请帮扶/救助", "转人工律师", "查询进度"]
    assert "parse_mode" not in sent[0]  # plain text: a worker's "<b>" stays harmless


async def test_help_command_and_free_text(telegram: RunningBot) -> None:
    stub = telegram.stub
    await stub.push(stub.user_message(102, text="/help"))
    sent = await stub.wait_for("sendMessage", 1, chat_id=102)
    assert keyboard_callbacks(sent[-1]) == MENU_CALLBACKS
    await stub.push(stub.user_message(102, text="谢谢你"))
    sent = await stub.wait_for("sendMessage", 2, chat_id=102)
    assert "不客气" in sent[-1]["text"]


async def test_pressing_a_button_answers_the_query_and_replies(telegram: RunningBot) -> None:
    stub = telegram.stub
    await stub.push(stub.button_press(103, "/apply_membership", query_id="q-103"))
    sent = await stub.wait_for("sendMessage", 1, chat_id=103)
    answered = stub.sent("answerCallbackQuery")
    assert [call["callback_query_id"] for call in answered] == ["q-103"]  # no spinning button
    assert "您同意吗" in sent[0]["text"]
    assert keyboard_callbacks(sent[0]) == ["/affirm", "/deny"]


async def test_an_expired_long_payload_button_falls_back_to_the_menu(telegram: RunningBot) -> None:
    stub = telegram.stub
    await stub.push(stub.button_press(104, "#deadbeefdeadbeefdeadbeef", query_id="q-104"))
    sent = await stub.wait_for("sendMessage", 1, chat_id=104)
    assert stub.sent("answerCallbackQuery")[0]["text"] == "这个按钮已过期"
    assert keyboard_callbacks(sent[-1]) == MENU_CALLBACKS


@pytest.mark.parametrize(
    "content",
    [
        {"sticker": {"file_id": "s", "file_unique_id": "s1", "type": "regular", "width": 512,
                     "height": 512, "is_animated": False, "is_video": False}},
        {"photo": [{"file_id": "p", "file_unique_id": "p1", "width": 90, "height": 90}]},
        {"voice": {"file_id": "v", "file_unique_id": "v1", "duration": 3}},
        {"location": {"latitude": 31.2, "longitude": 121.4}},
    ],
)  # fmt: skip
async def test_non_text_gets_a_polite_reply(telegram: RunningBot, content: dict) -> None:
    stub = telegram.stub
    await stub.push(stub.user_message(105, **content))
    sent = await stub.wait_for("sendMessage", 1, chat_id=105)
    assert sent[0]["text"] == replies.NON_TEXT


@pytest.mark.parametrize("text", ["\u200b\u200b", "/", "\x07"])
async def test_empty_after_cleaning_gets_a_polite_reply(telegram: RunningBot, text: str) -> None:
    stub = telegram.stub
    await stub.push(stub.user_message(106, text=text))
    sent = await stub.wait_for("sendMessage", 1, chat_id=106)
    assert sent[0]["text"] == replies.EMPTY_MESSAGE


async def test_a_very_long_message_is_shortened_with_a_notice(telegram: RunningBot) -> None:
    stub = telegram.stub
    await stub.push(stub.user_message(107, text="老板欠我工资" * 1000))
    sent = await stub.wait_for("sendMessage", 2, chat_id=107)
    assert sent[0]["text"] == replies.MESSAGE_SHORTENED.format(limit=2000)
    assert sent[1]["text"] not in (replies.RASA_UNAVAILABLE, replies.NO_REPLY)
    assert "工资" in sent[1]["text"]  # the shortened question was still understood


async def test_replies_over_4096_characters_are_split_with_buttons_last(
    telegram: RunningBot,
) -> None:
    stub, store = telegram.stub, PayloadStore()
    long_reply = OutgoingMessage(
        "劳动者依法享有取得劳动报酬的权利。\n" * 500, (Button("返回", "/help"),)
    )
    await send_messages(telegram.bot, 108, [long_reply], store)
    sent = stub.sent("sendMessage", chat_id=108)
    assert len(sent) == 3 and all(len(message["text"]) <= 4096 for message in sent)
    assert [keyboard_callbacks(message) for message in sent] == [[], [], ["/help"]]


async def test_rasa_down_gets_an_apology_not_silence(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'desk.db'}"  # scratch: never the project's var/
    upgrade_database(database_url)
    async for running in running_bot(f"http://127.0.0.1:{free_port()}", database_url):
        stub = running.stub
        await stub.push(stub.user_message(109, text="你好"))
        sent = await stub.wait_for("sendMessage", 1, chat_id=109)
        assert sent[0]["text"] == replies.RASA_UNAVAILABLE


async def test_a_legal_question_and_a_topic_button_through_telegram(telegram: RunningBot) -> None:
    stub = telegram.stub
    await stub.push(stub.user_message(110, text="加班费"))
    sent = await stub.wait_for("sendMessage", 1, chat_id=110)
    callbacks = keyboard_callbacks(sent[0])
    assert callbacks[0].startswith("/choose_faq") and callbacks[-1] == "/request_human"
    await stub.push(stub.button_press(110, callbacks[0], query_id="q-110"))
    sent = await stub.wait_for("sendMessage", 2, chat_id=110)
    assert "法律依据" in sent[-1]["text"] and "《" in sent[-1]["text"]


async def test_an_approval_reaches_the_worker_in_telegram(
    telegram: RunningBot, stack: StackConfig
) -> None:
    stub = telegram.stub
    chat = Chat(stack, "tg:3101")  # the sender id the gateway gives Telegram chat 3101
    await asyncio.to_thread(fill_form, chat, new_id_number())
    number = (await asyncio.to_thread(chat, "/affirm")).split("编号 ")[1].split("（")[0]
    with session_scope(stack.database_url) as session:
        change_status(session, number, APPROVED, "staff:test")
    sent = await stub.wait_for("sendMessage", 1, chat_id=3101)
    assert number in sent[0]["text"] and "已通过审核" in sent[0]["text"]
    await asyncio.sleep(0.5)
    assert len(stub.sent("sendMessage", chat_id=3101)) == 1  # delivered once, marked as sent


async def test_a_batch_marked_paid_reaches_each_worker_in_telegram(
    telegram: RunningBot, stack: StackConfig
) -> None:
    numbers = []
    for chat_id in (5001, 5002):
        chat, worker = Chat(stack, f"tg:{chat_id}"), Worker()
        await asyncio.to_thread(join_union, chat, worker)
        await asyncio.to_thread(apply_for_aid, chat, worker, "申请救助")
        numbers.append(number_in(await asyncio.to_thread(chat, "/affirm")))
    with session_scope(stack.database_url) as session:  # 核实一批、发放一批
        for status in (VERIFIED, PAID):
            for number in numbers:
                change_status(session, number, status, "staff:test")
    for chat_id, number in zip((5001, 5002), numbers, strict=True):
        sent = await telegram.stub.wait_for("sendMessage", 2, chat_id=chat_id)
        assert number in sent[0]["text"] and "已核实" in sent[0]["text"]
        assert number in sent[1]["text"] and "已发放" in sent[1]["text"]
