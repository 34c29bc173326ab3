"""The WeChat channel without Rasa: signatures, 安全模式, passive replies and the 客服 API, numbered
options, repeated deliveries, events, notices from the outbox, and the menu.

The gateway serves /wechat on the web chat's port; wechatpy's real client talks to the local
stand-in of the WeChat API (tests/wechat_stub.py); "Rasa" is a fake that can be held back.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import pytest

from bot.chunks import split_text, utf8_size
from bot.gateway import Gateway
from bot.messages import Button, OutgoingMessage
from bot.notifier import deliver_once
from bot.options import ChatOptions, numbered
from bot.wechat.api import CHOOSE_BY_NUMBER
from bot.wechat.channel import NOT_COPIED, TELL_IN_WORDS
from bot.wechat.endpoint import wechat_endpoint
from bot.wechat.menu import menu_definition
from desk.cases.tickets import rating_buttons
from desk.common import replies
from desk.common.chats import WECHAT_PREFIX
from desk.menu import SERVICES
from desk.settings import PROJECT_ROOT, Settings
from desk.storage import outbox
from desk.storage.db import session_scope
from tests.cases import open_case, register, take
from tests.cases import outbox as outbox_of
from tests.wechat_stub import (
    APP_ID,
    APP_SECRET,
    WeChatApiStub,
    WeChatSide,
    message_xml,
    serving_wechat,
    signed_query,
)

MENU = (Button("法律咨询", "/ask_legal"), Button("申请入会", "/apply_membership"))


@dataclass
class FakeRasa:
    """Answers "收到：<message>" with the menu's first two buttons; held back while `hold` is
    clear; remembers every message it was asked."""

    asked: list[tuple[str, str]] = field(default_factory=list)
    hold: asyncio.Event = field(default_factory=asyncio.Event)
    answers: dict[str, list[OutgoingMessage]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.hold.set()

    async def send(self, sender_id: str, message: str) -> list[OutgoingMessage]:
        self.asked.append((sender_id, message))
        await self.hold.wait()
        return self.answers.get(message, [OutgoingMessage(f"收到：{message}", MENU)])

    async def close(self) -> None:
        pass


@dataclass
class Desk(WeChatSide):
    rasa: FakeRasa
    database_url: str

    def post(self, chat: str, *texts: str) -> None:
        """Notices for the chat, as the core posts them."""
        with session_scope(self.database_url) as session:
            for text in texts:
                outbox.post(session, chat, text)

    async def deliver(self) -> int:
        """One round of the notifier for WeChat chats; how many notices went out."""
        return await deliver_once(self.channel.notice, WECHAT_PREFIX, self.database_url)


@pytest.fixture
async def desk(database_url: str) -> AsyncIterator[Desk]:
    rasa = FakeRasa()
    gateway = Gateway(rasa, 2000, database_url)  # type: ignore[arg-type]
    async with serving_wechat(gateway, database_url, passive_seconds=4.5) as side:
        yield Desk(side.api, side.channel, side.url, rasa, database_url)


# ── URL verification and signatures ───────────────────────────────────────────────────────────


async def get(url: str, query: dict[str, str]) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url, params=query) as response:
        return response.status, await response.text()


async def test_the_url_is_verified_with_the_token_and_refused_without_it(desk: Desk) -> None:
    status, body = await get(f"{desk.url}/wechat", signed_query(echostr="4711"))
    assert (status, body) == (200, "4711")
    status, body = await get(f"{desk.url}/wechat", signed_query("another token", echostr="4711"))
    assert status == 403 and "4711" not in body


async def test_a_message_without_the_right_signature_is_not_read(desk: Desk) -> None:
    query = signed_query("another token")
    xml = "<xml><ToUserName>gh</ToUserName><FromUserName>o-x</FromUserName><CreateTime>1"
    xml += "</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1</MsgId></xml>"
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{desk.url}/wechat", params=query, data=xml) as response,
    ):
        assert response.status == 403
    assert desk.rasa.asked == []


async def test_a_request_signed_more_than_five_minutes_off_is_not_read(desk: Desk) -> None:
    """A copy of a genuine request, sent again later (or a clock far off), is refused."""
    xml = message_xml("o-replay", "text", Content="你好", MsgId=4242)
    now = time.time()
    async with aiohttp.ClientSession() as session:
        for off in (-6 * 60, 6 * 60):
            replayed = signed_query(at=now + off, openid="o-replay")
            async with session.post(f"{desk.url}/wechat", params=replayed, data=xml) as answer:
                assert answer.status == 403
        assert desk.rasa.asked == []
        status, body = await get(f"{desk.url}/wechat", signed_query(at=now - 6 * 60, echostr="7"))
        assert status == 403 and body != "7"
        late = signed_query(at=now - 4 * 60, openid="o-replay")  # within WeChat's own leeway
        async with session.post(f"{desk.url}/wechat", params=late, data=xml) as answer:
            assert answer.status == 200
    assert desk.rasa.asked == [("wx:o-replay", "你好")]


async def test_garbage_with_a_good_signature_is_refused_politely(desk: Desk) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{desk.url}/wechat", params=signed_query(), data="<xml><oops") as response,
    ):
        assert response.status == 400
    assert desk.rasa.asked == []


# ── passive replies, numbered options ─────────────────────────────────────────────────────────


async def test_a_quick_answer_is_the_passive_reply_with_numbered_options(desk: Desk) -> None:
    worker = desk.follower("o-quick")
    reply = await worker.says("你好")
    assert reply == f"收到：你好\n[1] 法律咨询\n[2] 申请入会\n{CHOOSE_BY_NUMBER}"
    assert desk.api.sent == []  # nothing through the 客服 API
    await worker.says("２")  # a full-width digit, as Chinese keyboards type it
    assert desk.rasa.asked[-1] == ("wx:o-quick", "/apply_membership")


async def test_nothing_a_follower_sends_nor_their_openid_reaches_a_log(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    """The openid comes in the URL's query (WeChat's way) and the text in the body: the access
    log writes the path only, and nothing else logs either, even at DEBUG."""
    caplog.set_level(logging.DEBUG)
    worker = desk.follower("o-private-7f3a", encrypted=True)
    said = "我叫欧阳铁柱，身份证650102199003070011，电话13987654321"
    assert (
        await worker.says(said) == f"收到：{said}\n[1] 法律咨询\n[2] 申请入会\n{CHOOSE_BY_NUMBER}"
    )
    assert await desk.deliver() == 0
    logged = caplog.text
    assert "/wechat" in logged  # the access log was captured: the check below means something
    for private in ("o-private-7f3a", "650102199003070011", "13987654321", "欧阳铁柱"):
        assert private not in logged, private


async def test_a_digit_without_options_on_screen_is_an_answer(desk: Desk) -> None:
    worker = desk.follower("o-digits")
    desk.rasa.answers["你好"] = [OutgoingMessage("涉及几个人？")]
    await worker.says("你好")
    await worker.says("2")
    assert desk.rasa.asked[-1] == ("wx:o-digits", "2")
    await worker.says("9")  # out of range of the options shown after it: text as well
    assert desk.rasa.asked[-1] == ("wx:o-digits", "9")


async def test_encrypted_messages_get_encrypted_replies(desk: Desk) -> None:
    worker = desk.follower("o-aes", encrypted=True)
    reply = await worker.says("加班费怎么算")  # the stand-in checks and decrypts the reply
    assert reply is not None and reply.startswith("收到：加班费怎么算")
    assert desk.rasa.asked == [("wx:o-aes", "加班费怎么算")]


# ── slow and long answers through the 客服 API ────────────────────────────────────────────────


async def test_a_slow_answer_is_acknowledged_at_once_and_sent_through_the_api(desk: Desk) -> None:
    desk.channel.passive_seconds = 0.1
    desk.rasa.hold.clear()
    worker = desk.follower("o-slow")
    assert await worker.says("工伤怎么认定") is None  # "success" while Rasa still thinks
    assert desk.api.sent == []
    desk.rasa.hold.set()
    assert (await worker.hears()).startswith("收到：工伤怎么认定")
    await worker.says("1")  # its options are remembered as well
    assert desk.rasa.asked[-1] == ("wx:o-slow", "/ask_legal")


async def test_a_long_answer_goes_in_pieces_wechat_takes(desk: Desk) -> None:
    paragraph = "劳动者有权依法获得劳动报酬，用人单位应当按时足额支付。" * 12
    long_text = "\n\n".join([paragraph] * 6)  # about 6,000 bytes
    desk.rasa.answers["长"] = [OutgoingMessage(long_text)]
    worker = desk.follower("o-long")
    assert await worker.says("长") is None
    texts = await desk.api.wait_for("o-long", 3)
    assert all(utf8_size(text) <= 2048 for text in texts)
    assert "".join(texts).replace("\n", "") == long_text.replace("\n", "")


async def test_the_access_token_is_cached_and_fetched_again_when_it_expires(desk: Desk) -> None:
    desk.rasa.answers["长"] = [OutgoingMessage("好。" * 800)]  # 4,800 bytes: three pieces
    worker = desk.follower("o-token")
    await worker.says("长")
    await desk.api.wait_for("o-token", 3)
    assert desk.api.token_fetches == 1
    desk.api.retire_tokens()  # two hours later
    await worker.says("长")
    await desk.api.wait_for("o-token", 6)
    assert desk.api.token_fetches == 2


async def test_an_answer_wechat_refuses_for_now_is_kept_and_sent_later(desk: Desk) -> None:
    desk.channel.passive_seconds = 0.1
    desk.rasa.hold.clear()
    desk.api.busy = 1
    worker = desk.follower("o-busy")
    assert await worker.says("工资") is None
    desk.rasa.hold.set()
    for _ in range(100):  # the answer reaches the outbox once WeChat has said it is busy
        if outbox_of(desk.database_url, worker.chat):
            break
        await asyncio.sleep(0.05)
    assert desk.api.sent == []
    assert await desk.deliver() == 1
    assert desk.api.texts("o-busy")[0].startswith("收到：工资")


# ── WeChat's repeated deliveries ──────────────────────────────────────────────────────────────


async def test_a_message_delivered_three_times_is_handled_once(desk: Desk) -> None:
    """WeChat repeats a delivery whose answer it did not get: the repeat gets the same reply."""
    worker = desk.follower("o-dup")
    xml = message_xml("o-dup", "text", Content="你好", MsgId=4242)
    answers = [worker.read_reply(await worker.deliver(xml)) for _ in range(3)]
    assert answers == [answers[0]] * 3 and answers[0] is not None
    assert answers[0].startswith("收到：你好")
    assert desk.rasa.asked == [("wx:o-dup", "你好")]
    assert desk.api.sent == []


async def test_a_retry_while_the_first_delivery_is_in_hand_is_not_answered_again(
    desk: Desk,
) -> None:
    desk.channel.passive_seconds = 0.1
    desk.rasa.hold.clear()
    worker = desk.follower("o-retry")
    xml = message_xml("o-retry", "text", Content="你好", MsgId=4343)
    assert await worker.deliver(xml) == "success"
    assert await worker.deliver(xml) == "success"  # WeChat's retry
    desk.rasa.hold.set()
    assert (await worker.hears()).startswith("收到：你好")
    await asyncio.sleep(0.3)
    assert len(desk.api.texts("o-retry")) == 1
    assert desk.rasa.asked == [("wx:o-retry", "你好")]


# ── events and what is not text ───────────────────────────────────────────────────────────────


async def test_following_greets_and_a_menu_click_starts_its_service(desk: Desk) -> None:
    worker = desk.follower("o-events")
    assert await worker.send("event", Event="subscribe") is not None
    assert desk.rasa.asked == [("wx:o-events", "/greet")]
    await worker.clicks("/apply_aid")
    assert desk.rasa.asked[-1] == ("wx:o-events", "/apply_aid")
    assert await worker.send("event", Event="unsubscribe") is None
    assert len(desk.rasa.asked) == 2


async def test_voice_is_read_by_its_recognition_and_pictures_get_the_polite_reply(
    desk: Desk,
) -> None:
    worker = desk.follower("o-voice")
    await worker.send("voice", MediaId="m1", Format="amr", Recognition="老板不给工资", MsgId=51)
    assert desk.rasa.asked == [("wx:o-voice", "老板不给工资")]
    assert await worker.send("voice", MediaId="m2", Format="amr", MsgId=52) == replies.NON_TEXT
    image = {"PicUrl": "http://example.invalid/p.jpg", "MediaId": "m3", "MsgId": 53}
    assert await worker.send("image", **image) == replies.NON_TEXT
    assert len(desk.rasa.asked) == 1


async def test_a_picture_in_a_case_is_announced_to_the_lawyer(desk: Desk) -> None:
    register(desk.database_url)
    open_case(desk.database_url, chat="wx:o-case")
    number = take(desk.database_url)
    worker = desk.follower("o-case")
    image = {"PicUrl": "http://example.invalid/p.jpg", "MediaId": "m4", "MsgId": 61}
    assert await worker.send("image", **image) == TELL_IN_WORDS.format(what="图片")
    note = outbox_of(desk.database_url, "tg:1001")[-1].text
    assert note == f"【{number} · 工友】发来图片{NOT_COPIED}"
    assert desk.rasa.asked == []


# ── notices from the outbox ───────────────────────────────────────────────────────────────────


async def test_notices_go_through_the_api_and_a_rating_answers_to_its_digits(desk: Desk) -> None:
    with session_scope(desk.database_url) as session:
        outbox.post(session, "wx:o-notice", "【律师 王】您好，请把合同发我看看。")
        outbox.post(session, "wx:o-notice", "请打分", rating_buttons("AJ-2026-000001"))
        outbox.post(session, "tg:7", "给 Telegram 的")
    sent = await desk.deliver()
    assert sent == 2
    texts = desk.api.texts("o-notice")
    assert texts[0] == "【律师 王】您好，请把合同发我看看。"
    assert texts[1].splitlines()[1:6] == ["5 分", "4 分", "3 分", "2 分", "1 分"]
    button = desk.channel.options.chosen("wx:o-notice", "5")
    assert button is not None and button.payload.endswith(":5")


async def test_a_follower_who_unfollowed_has_the_notices_parked(desk: Desk) -> None:
    desk.api.unfollowed.add("o-gone")
    desk.api.expected_refusals[43004] += 1
    desk.post("wx:o-gone", "您的申请已通过", "第二条")
    assert await desk.deliver() == 0
    with session_scope(desk.database_url) as session:
        assert outbox.pending(session, WECHAT_PREFIX) == []


async def test_notices_past_the_48_hours_wait_until_the_follower_writes_again(
    desk: Desk,
) -> None:
    desk.api.silent.add("o-late")
    desk.api.expected_refusals[45015] += 1
    desk.post("wx:o-late", "【律师 王】材料我看过了。", "【律师 王】下周一去仲裁委。")
    assert await desk.deliver() == 0
    desk.api.silent.clear()  # WeChat would take them now, but only because the worker writes:
    assert await desk.deliver() == 0
    assert await desk.follower("o-late").says("律师回我了吗") is not None
    assert await desk.deliver() == 2
    assert desk.api.texts("o-late") == ["【律师 王】材料我看过了。", "【律师 王】下周一去仲裁委。"]


# ── pieces without the server ─────────────────────────────────────────────────────────────────


def test_options_are_numbered_across_an_answer_and_ratings_keep_their_numbers() -> None:
    answer = [OutgoingMessage("a", MENU[:1]), OutgoingMessage("b", MENU[1:])]
    assert [lines for _, lines in numbered(answer)] == [["[1] 法律咨询"], ["[2] 申请入会"]]
    rating = [Button(title, payload) for title, payload in rating_buttons("AJ-1")]
    options = ChatOptions()
    options.show("wx:a", [OutgoingMessage("请打分", tuple(rating))])
    assert options.chosen("wx:a", "1") == rating[-1]  # 1 is "1 分", not the first button
    options.show("wx:a", [])  # nothing said (the flood limit): the options stay
    assert options.chosen("wx:a", "1") == rating[-1]
    options.show("wx:a", [OutgoingMessage("姓名？")])
    assert options.chosen("wx:a", "1") is None


def test_splitting_counts_utf8_bytes() -> None:
    text = "欠" * 1500  # 4,500 bytes
    chunks = split_text(text, 2000, utf8_size)
    assert [utf8_size(chunk) for chunk in chunks] == [1998, 1998, 504]


def test_the_menu_holds_the_five_services_within_wechat_limits() -> None:
    menu = menu_definition()["button"]
    assert len(menu) <= 3
    entries = [entry for top in menu for entry in top.get("sub_button", [top])]
    assert sorted(entry["key"] for entry in entries) == sorted(f"/{s.key}" for s in SERVICES)
    assert all(len(top["name"].encode()) <= 16 for top in menu)
    assert all(len(entry["name"].encode()) <= 60 for entry in entries)


def test_without_the_settings_the_channel_is_off() -> None:
    gateway = Gateway(FakeRasa(), 2000)  # type: ignore[arg-type]
    assert wechat_endpoint(Settings(), gateway) is None
    assert wechat_endpoint(Settings(wechat_token="t", wechat_app_id="wx1"), gateway) is None
    on = Settings(wechat_token="t", wechat_app_id="wx1", wechat_app_secret="s")
    assert wechat_endpoint(on, gateway) is not None


async def test_the_menu_command_installs_the_menu() -> None:
    api = WeChatApiStub()
    env = {
        **os.environ,
        "WECHAT_APP_ID": APP_ID,
        "WECHAT_APP_SECRET": APP_SECRET,
        "WECHAT_API_URL": await api.start(),
    }
    try:
        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "bot", "wechat-menu"],
            env=env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        await api.stop()
    assert done.returncode == 0, done.stderr
    assert api.menu == menu_definition()
