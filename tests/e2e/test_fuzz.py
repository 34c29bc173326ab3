"""Fuzz: generated messages over many conversations, through the gateway (typed text and button
payloads, as any channel hands them over) and straight to Rasa's REST endpoint. Every message
gets a reply; no reply is empty, repeated in its turn or over MAX_REPLIES; Rasa never fails.
The servers' logs are read for tracebacks at the end (tests/e2e/conftest.py, and here for the
long run's own stack).

The short run is part of the normal suite; the long one (10,000 messages) runs with
`pytest -m fuzz` (about 15 minutes)."""

from __future__ import annotations

import asyncio
import itertools
import json
import string
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.flood import FloodLimit
from bot.gateway import Gateway
from bot.messages import OutgoingMessage
from bot.rasa_client import RasaClient
from desk.common import replies
from desk.common.inbound import MAX_REPLIES
from launcher.scratch import scratch_stack
from launcher.stack import StackConfig

SHORT_RUN = 300  # messages, in the normal suite
LONG_RUN = 10_000

INVISIBLE = ["\u202e", "\u202d", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff", "\x00", "\x07"]
KNOWN = [
    "你好", "我想申请入会", "申请帮扶", "转人工", "查询进度", "同意", "不同意", "取消", "修改",
    "公司拖欠工资三个月了怎么办", "加班费怎么算", "月薪6000，工作3年，被辞退能赔多少",
    "劳动合同法第四十七条", "王强", "13912345678", "650102198805170011", "美团", "外卖骑手",
    "我們公司拖欠薪資，老闆跑路了", "請問加班費怎麼計算", "my boss did not pay 工资 for 2 months",
    "'; DROP TABLE applications; --", "<script>alert(1)</script>", "<b>加粗</b>&amp;",
    "😀🙏👷‍♂️🇨🇳", "１３９１２３４５６７８", "１２３４５６", "二十多个人", "5000块", "一百万亿",
    "9" * 2000, "0." + "3" * 500, "第" + "一" * 300 + "条",
]  # fmt: skip
PAYLOADS = [
    "/affirm", "/deny", "/cancel", "/help", "/greet", "/change_field", "/ask_legal",
    "/apply_membership", "/apply_aid", "/request_human", "/check_status",
    '/choose_faq{"faq_id": "si-five-types"}', '/choose_faq{"faq_id": "no-such-topic"}',
    '/choose_faq{"faq_id": 5}', '/choose_faq{"faq_id": "x", "m_name": "张三"}',
    '/inform{"m_id_number": "650102198805170011"}', '/affirm{"m_consent": true}',
    "/restart", "/session_start", "/nlu_fallback", "/action_listen", "/", "//", "/{}",
    '/inform{"unterminated', "/choose_faq{", "ticket:take:1", "ticket:rate:1:5",
    "ticket:rate:x:99", "ticket:nocomment:RH-1", "ticket:", "改姓名", "改手机号",
]  # fmt: skip

texts = st.one_of(
    st.text(max_size=80),  # any code point, controls and surrogates included
    st.text(st.characters(codec="utf-8"), min_size=2_000, max_size=12_000),  # huge
    st.sampled_from(KNOWN),
    st.builds(
        "".join,
        st.lists(
            st.one_of(
                st.sampled_from(KNOWN), st.sampled_from(INVISIBLE), st.text(string.printable)
            ),
            max_size=6,
        ),
    ),
    st.builds(lambda p, t: p + t, st.sampled_from(["/", "/ /", " /", "／", "//"]), st.text()),
)
steps = st.one_of(
    st.tuples(st.just("text"), texts),
    st.tuples(st.just("button"), st.one_of(st.sampled_from(PAYLOADS), texts)),
    st.tuples(st.just("rest"), st.one_of(texts, st.sampled_from(PAYLOADS))),
)
conversations = st.lists(steps, min_size=1, max_size=8)


@dataclass
class Findings:
    messages: int = 0
    problems: list[str] = field(default_factory=list)


def post(rasa_url: str, sender: str, message: str) -> tuple[int, object]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def check_turn(answer: list[OutgoingMessage] | list[dict], what: str, found: Findings) -> None:
    found.messages += 1
    if not answer:
        found.problems.append(f"no reply to {what}")
    keys = [json.dumps(m, sort_keys=True) if isinstance(m, dict) else m for m in answer]
    if len(keys) != len(set(keys)) or len(keys) > MAX_REPLIES:
        found.problems.append(f"{len(keys)} replies, repeated or too many, to {what}")
    if any(m == OutgoingMessage(replies.RASA_UNAVAILABLE) for m in answer):
        found.problems.append(f"Rasa failed (or timed out) on {what}")


async def run_conversation(
    gateway: Gateway, rasa_url: str, sender: str, steps: list[tuple[str, str]], found: Findings
) -> None:
    for kind, message in steps:
        what = f"{kind} {message[:60]!r}…({len(message)})"
        if kind == "text":
            check_turn(await gateway.on_text(sender, message), what, found)
        elif kind == "button":
            check_turn(await gateway.on_button(sender, message), what, found)
        else:
            status, answer = await asyncio.to_thread(post, rasa_url, sender, message)
            if status != 200 or not isinstance(answer, list):
                found.problems.append(f"HTTP {status} for {what}")
            else:
                check_turn(answer, what, found)


def fuzz(
    stack: StackConfig,
    gateway: Gateway,
    messages: int,
    found: Findings,
    loop: asyncio.AbstractEventLoop,
) -> None:
    """Runs in a thread (hypothesis drives it); each conversation on the test's event loop."""
    senders = (f"fuzz-{n}" for n in itertools.count())

    @settings(
        max_examples=messages,  # stops early once enough messages were sent
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(conversations)
    def one_conversation(steps: list[tuple[str, str]]) -> None:
        if found.messages >= messages:
            return
        # Conversations run as hypothesis draws them; a failing one is shrunk to its smallest.
        run = run_conversation(gateway, stack.rasa_url, next(senders), steps, found)
        asyncio.run_coroutine_threadsafe(run, loop).result(timeout=600)
        assert not found.problems, found.problems[:5]

    one_conversation()


async def test_fuzz_short(tmp_path: Path) -> None:
    await fuzz_on_own_stack(tmp_path, SHORT_RUN)


async def fuzz_on_own_stack(tmp_path: Path, messages: int) -> None:
    """On a stack of its own: generated conversations may well open cases, which the other
    tests' stack must not see."""
    found = Findings()
    with scratch_stack(tmp_path) as (stack, _):
        rasa = RasaClient(stack.rasa_url, timeout_seconds=60)
        # The flood limit has tests of its own; one conversation here sends at most 8.
        gateway = Gateway(rasa, 2000, stack.database_url, FloodLimit(burst=100))
        try:
            loop = asyncio.get_running_loop()
            await asyncio.to_thread(fuzz, stack, gateway, messages, found, loop)
        finally:
            await rasa.close()
    print(f"fuzzed {found.messages} messages, {len(found.problems)} problems")
    assert found.messages >= messages
    assert found.problems == []
    for log in sorted((tmp_path / "log").glob("*.log")):
        assert "Traceback" not in log.read_text(errors="replace"), log


@pytest.mark.fuzz
async def test_fuzz_long(tmp_path: Path) -> None:
    await fuzz_on_own_stack(tmp_path, LONG_RUN)
