"""A flood from one Telegram chat (twenty messages a second) against the real gateway, Rasa and
action server: the flooder gets one polite notice and only a burst is read; another chat is
answered all the while.

Nothing here depends on how fast the machine is: the flood goes on for as long as the other
chat is asking, and what is asserted is the order of things (the other chat had all its answers
while the flood was still coming in) and the end state (one notice, few messages read), the
latter counted against the limiter's own rate over the flood's actual length.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time

from bot.flood import NOTICE_EVERY
from desk.common import replies
from desk.common.chats import telegram_chat
from launcher.stack import StackConfig
from tests.e2e.test_telegram import telegram
from tests.telegram_stub import RunningBot

__all__ = ["telegram"]  # the fixture, used by name below

FLOODER, OTHER = 7700, 7701
BURST = 20  # the gateway's FloodLimit: read at once, then about one a second
PAUSE = 0.05  # twenty messages a second from the flooder
FLOOD_CAP = 2400  # two minutes of flood: a generous bound, not an expectation
QUESTIONS = ["你好", "加班费怎么算", "谢谢", "帮助", "欠薪怎么办"]


def messages_read(stack: StackConfig, chat: int) -> int:
    with sqlite3.connect(stack.tracker_db) as connection:
        (count,) = connection.execute(
            "SELECT count(*) FROM events WHERE sender_id = ? AND type_name = 'user'",
            (telegram_chat(chat),),
        ).fetchone()
    return count


async def test_a_flooding_chat_does_not_keep_the_others_waiting(
    telegram: RunningBot, stack: StackConfig
) -> None:
    stub = telegram.stub
    other_done = asyncio.Event()

    async def flood() -> int:
        pushed = 0
        while not other_done.is_set() and pushed < FLOOD_CAP:
            await stub.push(stub.user_message(FLOODER, text=f"加班费怎么算{pushed}"))
            pushed += 1
            await asyncio.sleep(PAUSE)
        return pushed

    async def other_chat() -> list[str]:
        answers = []
        for index, question in enumerate(QUESTIONS):
            before = len(stub.sent("sendMessage", OTHER))
            await stub.push(stub.user_message(OTHER, text=question))
            sent = await stub.wait_for("sendMessage", before + 1, chat_id=OTHER, timeout=60)
            answers.append(sent[before]["text"])
            await asyncio.sleep(1.5 if index else 2.0)  # into the flood
        other_done.set()
        return answers

    started = time.monotonic()
    flooding = asyncio.create_task(flood())
    answers = await other_chat()
    pushed = await flooding
    flood_seconds = time.monotonic() - started
    await asyncio.sleep(3)  # the last replies to the flooder

    # The other chat had an answer to each question, and all of them while the flood went on.
    assert pushed < FLOOD_CAP, "the flood ended before the other chat had its answers"
    assert len(answers) == len(QUESTIONS) and replies.TOO_FAST not in answers
    to_flooder = [call["text"] for call in stub.sent("sendMessage", FLOODER)]
    # One notice, and at most one more per NOTICE_EVERY however long this machine made it last.
    assert 1 <= to_flooder.count(replies.TOO_FAST) <= 1 + flood_seconds // NOTICE_EVERY
    # Read: at most a burst, then about one a second — not the flood.
    read = messages_read(stack, FLOODER)
    assert 0 < read <= BURST + flood_seconds + 5 and read < pushed, (read, pushed)
