"""Two Rasa instances sharing one conversation store (PostgreSQL) and Rasa's Redis lock store:
messages of one conversation sent at once to both instances are handled one turn at a time,
in the order the lock store gave them, and nothing is lost."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import create_engine, text

from launcher.scratch import scratch_stack
from launcher.stack import StackConfig
from tests.databases import postgres_server_url, temporary_database
from tests.e2e.rest import as_the_gateway

REDIS = ("127.0.0.1", 6379)
QUESTIONS = ["最低工资标准是多少", "试用期最长多久", "产假有多少天", "一个月最多加班多少小时"] * 3


def _redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not (postgres_server_url() and _redis_answers()),
    reason="needs PostgreSQL (TEST_POSTGRES_URL) and Redis on 127.0.0.1:6379",
)


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[StackConfig, str]]:
    base: Path = tmp_path_factory.mktemp("scaled")
    with (
        temporary_database("postgresql", base) as tracker_url,
        scratch_stack(
            base, instances=2, tracker_url=tracker_url, redis_url="redis://127.0.0.1:6379/15"
        ) as (config, _),
    ):
        yield config, tracker_url


async def _say(session: aiohttp.ClientSession, url: str, sender: str, text_: str) -> list[dict]:
    async with session.post(
        f"{url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text_},
        headers=as_the_gateway(),
    ) as response:
        assert response.status == 200
        return await response.json()


def _events(tracker_url: str, sender: str) -> list[dict]:
    engine = create_engine(tracker_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id"),
                {"sender": sender},
            )
            return [json.loads(row.data) for row in rows]
    finally:
        engine.dispose()


async def test_one_conversation_spread_over_two_instances_keeps_its_turns_whole(
    scaled: tuple[StackConfig, str],
) -> None:
    config, tracker_url = scaled
    sender = "tg:scale-out-1"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        await _say(session, config.rasa_urls[0], sender, "你好")
        replies = await asyncio.gather(
            *(
                _say(session, config.rasa_urls[number % 2], sender, question)
                for number, question in enumerate(QUESTIONS)
            )
        )
    assert all(replies), "every message gets an answer"

    events = _events(tracker_url, sender)
    said = [event["text"] for event in events if event["event"] == "user"]
    assert sorted(said) == sorted(["你好", *QUESTIONS]), "each message exactly once"
    # A turn is whole when the bot answered and listened again before the next message.
    listening = True
    for event in events:
        if event["event"] == "user":
            assert listening, "a message was taken while another turn was still running"
            listening = False
        elif event["event"] == "action" and event.get("name") == "action_listen":
            listening = True
    answered = sum(1 for event in events if event["event"] == "bot")
    assert answered >= len(said)


async def test_each_instance_answers_and_sees_the_others_conversation(
    scaled: tuple[StackConfig, str],
) -> None:
    """A conversation started on one instance goes on, with its slots, on the other."""
    config, tracker_url = scaled
    sender = "tg:scale-out-2"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        first = await _say(session, config.rasa_urls[0], sender, "我要入会")
        # Consent given on the other instance: the form it knows of goes on to the first question.
        second = await _say(session, config.rasa_urls[1], sender, "/affirm")
    assert first and second
    said = [event["text"] for event in _events(tracker_url, sender) if event["event"] == "user"]
    assert said == ["我要入会", "/affirm"]
    assert any("姓名" in (reply.get("text") or "") for reply in second)
