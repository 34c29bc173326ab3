"""The arbitration draft through Telegram, as `python -m bot` runs it against the local Bot API
stand-in: the lawyer types /draft and gets the DOCX; /senddraft before the lawyer's copy arrived
is refused and nothing reaches the worker; afterwards the worker gets the same file, told it is
a draft prepared with a lawyer, and a reply to it goes to the lawyer.

Lawyer commands and the relay never reach Rasa, so no Rasa runs here (its URL answers nothing).
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import docx
import pytest
from sqlalchemy import select

from desk.storage.db import session_scope
from desk.storage.models import Notification
from tests.cases import LAWYER, open_case, register, take
from tests.telegram_stub import BOT_USER, TelegramStub, running_bot
from tests.unit.test_arbitration_review import COMPLETE, ID_NUMBER, INTAKE, NAME, STORY

WORKER = 4242
NOWHERE = "http://127.0.0.1:9"  # no Rasa: nothing here may ask it


@dataclass
class Running:
    stub: TelegramStub
    database_url: str


@pytest.fixture
async def telegram(database_url: str) -> AsyncIterator[Running]:
    async for running in running_bot(NOWHERE, database_url):
        yield Running(running.stub, database_url)


async def says(stub: TelegramStub, chat: int, text: str, **extra: Any) -> None:
    await stub.push(stub.user_message(chat, text=text, **extra))


async def next_text(stub: TelegramStub, chat: int, seen: int) -> str:
    return (await stub.wait_for("sendMessage", seen + 1, chat_id=chat))[seen]["text"]


async def lawyers_copy_delivered(url: str) -> None:
    """Telegram took the file; the delivery loop marks it sent a moment later."""

    def delivered() -> bool:
        with session_scope(url) as session:
            query = select(Notification.sent_at).where(
                Notification.chat_id == f"tg:{LAWYER}", Notification.document_name.is_not(None)
            )
            return all(sent is not None for sent in session.scalars(query))

    async with asyncio.timeout(20):
        while not await asyncio.to_thread(delivered):
            await asyncio.sleep(0.05)


def paragraphs(upload: dict[str, Any]) -> list[str]:
    document = docx.Document(io.BytesIO(upload["content"]))
    return [p.text for p in document.paragraphs if p.text.strip()]


async def test_the_lawyer_reviews_the_draft_in_telegram_then_sends_it_to_the_worker(
    telegram: Running,
) -> None:
    stub, url = telegram.stub, telegram.database_url
    register(url, LAWYER)
    number = open_case(url, chat=f"tg:{WORKER}", summary=STORY, intake=INTAKE, tags=("欠薪",))
    take(url, LAWYER, number)
    await stub.wait_for("sendMessage", 1, chat_id=WORKER)  # 律师已接手

    # The lawyer's copy is held up on its way: /senddraft must wait for it.
    stub.fail_next("sendDocument", "hold")
    await says(stub, LAWYER, f"/draft {number} {COMPLETE}")
    summary = await next_text(stub, LAWYER, 0)
    assert f"{number} 仲裁申请书草稿第1版已生成" in summary and "42000元" in summary
    await asyncio.wait_for(stub.held.wait(), 20)
    await says(stub, LAWYER, f"/senddraft {number}")
    assert "还没送到您这里" in await next_text(stub, LAWYER, 1)
    stub.release()
    (copy,) = await stub.wait_for("sendDocument", 1, chat_id=LAWYER)
    assert copy["document"]["filename"] == f"劳动仲裁申请书-{number}-第1版.docx"
    assert f"/senddraft {number}" in copy["caption"]
    assert paragraphs(copy["document"])[0] == "劳动仲裁申请书"
    assert stub.sent("sendDocument", WORKER) == []

    await lawyers_copy_delivered(url)
    await says(stub, LAWYER, f"/senddraft {number}")
    assert "第1版草稿已发给工友" in await next_text(stub, LAWYER, 2)
    (sent,) = await stub.wait_for("sendDocument", 1, chat_id=WORKER)
    assert sent["document"] == copy["document"]  # the very file the lawyer reviewed
    assert "工会律师和服务台一起为您准备的劳动仲裁申请书草稿" in sent["caption"]
    assert "这是草稿" in sent["caption"]
    lines = paragraphs(sent["document"])
    assert lines[1].startswith(f"申请人：{NAME}") and ID_NUMBER in lines[1]
    assert "二、裁决被申请人支付申请人违法解除劳动合同赔偿金42000元。" in lines
    assert "上海市嘉定区劳动人事争议仲裁委员会" in lines

    # The worker answers the file: it goes to the lawyer, like any message in the case.
    quoted = {**stub.user_message(WORKER, text="")["message"], "from": BOT_USER}
    quoted.update(message_id=sent["message_id"], document={"file_id": "d", "file_unique_id": "u"})
    quoted.pop("text")
    await says(stub, WORKER, "收到，住址我自己填", reply_to_message=quoted)
    assert "收到，住址我自己填" in await next_text(stub, LAWYER, 3)
    # The personal data travelled in the files only.
    texts = [call["text"] for call in stub.sent("sendMessage")] + [
        call.get("caption", "") for call in stub.sent("sendDocument")
    ]
    assert not any(NAME in text or ID_NUMBER in text for text in texts)
