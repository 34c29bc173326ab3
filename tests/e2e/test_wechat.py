"""The WeChat 公众号 channel end to end: signed (and, for one worker, encrypted) XML posted to the
gateway's /wechat as WeChat's servers would, the real Rasa and action server behind it, the
WeChat API stand-in (tests/wechat_stub.py) receiving the 客服 messages, and a lawyer in Telegram
(tests/telegram_stub.py) on the other side of a case.

Every follower here is used by one test only: the stack's database lives for the whole session.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select

from bot.gateway import Gateway
from bot.notifier import deliver_forever
from bot.rasa_client import RasaClient
from bot.telegram import NOT_ON_TELEGRAM
from bot.wechat.channel import NOT_COPIED, TELL_IN_WORDS
from desk.applications.store import APPROVED, change_status
from desk.cases.feedback import ASK_COMMENT, THANKS
from desk.cases.tickets import CLOSED
from desk.common.chats import WECHAT_PREFIX
from desk.settings import PROJECT_ROOT
from desk.storage import outbox
from desk.storage.db import session_scope
from desk.storage.models import Application
from launcher.scratch import free_port
from launcher.stack import StackConfig
from tests.cases import RASA_TIMEOUT, ticket
from tests.e2e.test_membership import new_id_number
from tests.e2e.test_telegram_casework import INTAKE, NUMBER, lawyer
from tests.telegram_stub import TelegramStub, running_bot
from tests.wechat_stub import (
    AES_KEY,
    APP_ID,
    APP_SECRET,
    TOKEN,
    Follower,
    WeChatApiStub,
    WeChatSide,
    message_xml,
    serving_wechat,
)

QUIET = 1.0  # long enough for a second answer to have come, had there been one


@dataclass
class WeChatDesk(WeChatSide):
    telegram: TelegramStub


@pytest.fixture
async def desk(stack: StackConfig) -> AsyncIterator[WeChatDesk]:
    """The gateway as `python -m bot` runs it with the WECHAT_ settings, and Telegram for the
    lawyers (its own gateway over the same database, as another process would be)."""
    rasa = RasaClient(stack.rasa_url, timeout_seconds=RASA_TIMEOUT)
    gateway = Gateway(rasa, max_chars=2000, database_url=stack.database_url)
    async with serving_wechat(gateway, stack.database_url, 0.2) as side:
        delivery = asyncio.create_task(
            deliver_forever(
                side.channel.notice,
                WECHAT_PREFIX,
                0.2,
                stack.database_url,
                gateway.outbox_written,
            )
        )
        try:
            async for telegram in running_bot(stack.rasa_url, stack.database_url):
                yield WeChatDesk(side.api, side.channel, side.url, telegram.stub)
        finally:
            delivery.cancel()
            await rasa.close()


async def answer(follower: Follower, said: str) -> str:
    """Everything the follower got for one message: the passive reply, or the 客服 pieces."""
    await follower.says(said)
    return await everything_heard(follower)


async def everything_heard(follower: Follower) -> str:
    heard = [await follower.hears()]
    await asyncio.sleep(QUIET)
    while follower.unread():
        heard.append(await follower.hears())
    return "\n".join(heard)


def option(text: str, title: str) -> str:
    """The digit that chooses the option titled so."""
    found = re.search(rf"^\[(\d+)\] {re.escape(title)}$", text, re.MULTILINE)
    assert found, f"no option {title!r} in {text!r}"
    return found.group(1)


async def test_following_shows_the_menu_and_a_question_is_answered_with_its_citation(
    desk: WeChatDesk,
) -> None:
    worker = desk.follower("o-e2e-question")
    await worker.send("event", Event="subscribe")
    welcome = await everything_heard(worker)
    assert "您好" in welcome and "[2] 申请入会" in welcome and "[5] 查询进度" in welcome
    topics = await answer(worker, "加班费怎么算")  # close topics, numbered
    answered = await answer(worker, option(topics, "工作日加班费150%"))
    assert "150%" in answered and "法律依据\n· 《劳动法》第四十四条" in answered


async def test_an_answer_not_ready_in_time_comes_through_the_customer_service_api(
    desk: WeChatDesk,
) -> None:
    desk.channel.passive_seconds = 0  # nothing is ready in no time: the HTTP answer is "success"
    worker = desk.follower("o-e2e-slow")
    assert await worker.says("谢谢你") is None
    [thanks] = await desk.api.wait_for(worker.openid, 1)
    assert "不客气" in thanks


async def test_a_message_delivered_three_times_is_answered_once(desk: WeChatDesk) -> None:
    """The three deliveries at once; WeChat shows one HTTP answer (its last attempt's)."""
    worker = desk.follower("o-e2e-dup")
    xml = message_xml(worker.openid, "text", Content="谢谢你", MsgId=77000001)
    answers = await asyncio.gather(*(worker.deliver(xml) for _ in range(3)))
    passive = {text for text in map(worker.read_reply, answers) if text is not None}
    if not passive:  # not ready within the window: the reply comes as a 客服 message
        await desk.api.wait_for(worker.openid, 1)
    await asyncio.sleep(QUIET)  # and no second one follows
    heard = [*passive, *desk.api.texts(worker.openid)]  # the same reply, or one 客服 message
    assert len(heard) == 1 and "不客气" in heard[0]


async def test_joining_the_union_with_numbered_options_in_safe_mode(
    desk: WeChatDesk, stack: StackConfig
) -> None:
    worker, id_number = desk.follower("o-e2e-join", encrypted=True), new_id_number()
    await worker.clicks("/apply_membership")  # the 自定义菜单's entry
    consent = await everything_heard(worker)
    assert "您同意吗" in consent
    assert "姓名" in await answer(worker, option(consent, "同意"))
    assert "身份证号" in await answer(worker, "王强")
    assert "手机号" in await answer(worker, id_number)
    employer = await answer(worker, "13912345678")
    assert "单位" in employer
    assert "什么工作" in await answer(worker, option(employer, "美团"))
    assert "区县" in await answer(worker, "外卖骑手")
    assert "其他工会的会员" in await answer(worker, "天山区")
    summary = await answer(worker, "不是")
    assert "请核对" in summary and id_number not in summary and "139****5678" in summary
    done = await answer(worker, option(summary, "确认提交"))
    assert "入会申请已提交！编号 RH-" in done
    with session_scope(stack.database_url) as session:
        [application] = session.scalars(
            select(Application).where(Application.chat_id == worker.chat)
        ).all()
        assert application.number in done and application.status == "submitted"
        number = application.number
        change_status(session, number, APPROVED, "staff:test")  # the staff's decision
    approved = await worker.hears()  # through the outbox and the 客服 API
    assert number in approved and "已通过审核" in approved


async def test_a_case_with_a_lawyer_relayed_both_ways_then_rated(
    desk: WeChatDesk, stack: StackConfig
) -> None:
    worker = desk.follower("o-e2e-case")
    counsel = lawyer(desk.telegram, stack, 8901)
    for said, asked in INTAKE:
        heard = await answer(worker, said)
        assert asked in heard, said
    done = await answer(worker, option(heard, "同意"))
    assert "已为您登记案件" in done
    found = NUMBER.search(done)
    assert found is not None
    number = found.group(0)
    assert (await counsel.receives())["text"].startswith(f"新案件：{number}")

    await counsel.presses(f"ticket:take:{number}")
    assert (await counsel.hears()).startswith(f"您已接手 {number}")
    assert (await worker.hears()).startswith(f"律师已接手您的案件 {number}")
    assert await worker.says("合同我拍照了，什么时候给您") is None  # the bot keeps out of it
    assert await counsel.hears() == f"【{number} · 工友】合同我拍照了，什么时候给您"
    await counsel.says("明天上午发过来就行")
    assert await worker.hears() == "【律师 律师8901】明天上午发过来就行"
    image = {"PicUrl": "http://example.invalid/contract.jpg", "MediaId": "m-1", "MsgId": 77000002}
    await worker.send("image", **image)
    assert await worker.hears() == TELL_IN_WORDS.format(what="图片")
    assert await counsel.hears() == f"【{number} · 工友】发来图片{NOT_COPIED}"
    photo = [{"file_id": "scan", "file_unique_id": "s1", "width": 800, "height": 600}]
    await desk.telegram.push(desk.telegram.user_message(counsel.chat_id, photo=photo))
    assert await counsel.hears() == NOT_ON_TELEGRAM  # a Telegram file cannot reach WeChat

    await counsel.says(f"/close {number} 追回 5000")
    assert (await counsel.hears()).startswith(f"{number} 已办结")
    closed = await worker.hears()
    assert f"{number} 已办结" in closed and "5 分" in closed
    asked = await answer(worker, "5")
    assert asked.startswith(ASK_COMMENT) and "[1] 不用了" in asked
    assert await answer(worker, "律师很耐心") == THANKS
    case = ticket(stack.database_url, number)
    assert (case.status, case.rating, case.rating_comment) == (CLOSED, 5, "律师很耐心")
    assert [(m.sender, m.text) for m in case.messages] == [
        ("worker", "合同我拍照了，什么时候给您"),
        ("lawyer:8901", "明天上午发过来就行"),
        ("worker", "[图片]"),
        ("lawyer:8901", "[图片]"),
    ]


async def wait_until_serving(url: str, process: subprocess.Popen[bytes]) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            assert process.poll() is None, "the gateway exited"
            try:
                async with session.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("the gateway never served")


async def test_the_gateway_process_serves_wechat_with_the_settings(
    stack: StackConfig, tmp_path: Path
) -> None:
    """`python -m bot` as systemd and the launcher run it, configured by the WECHAT_ settings:
    it answers on /wechat and delivers the outbox's notices to WeChat followers."""
    api = WeChatApiStub()
    port = free_port()
    env = {
        **os.environ,
        "RASA_URL": stack.rasa_url,
        "DATABASE_URL": stack.database_url,
        "DATA_DIR": str(tmp_path),
        "WEB_PORT": str(port),
        "WECHAT_APP_ID": APP_ID,
        "WECHAT_APP_SECRET": APP_SECRET,
        "WECHAT_TOKEN": TOKEN,
        "WECHAT_AES_KEY": AES_KEY,
        "WECHAT_API_URL": await api.start(),
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=PROJECT_ROOT, env=env)
    try:
        url = f"http://127.0.0.1:{port}"
        await wait_until_serving(url, process)
        worker = Follower(api, url, "o-e2e-process")
        assert "不客气" in await answer(worker, "谢谢你")
        with session_scope(stack.database_url) as session:
            outbox.post(session, worker.chat, "您的入会申请已通过。")
        assert await worker.hears() == "您的入会申请已通过。"
    finally:
        process.send_signal(signal.SIGINT)
        # Waited for off the event loop: the API stand-in runs on it and must keep answering
        # what the gateway sends while it shuts down.
        assert await asyncio.to_thread(process.wait, 30) == 0
        await api.stop()
