"""Locust scenario for benchmarks/bench_load.py: short, realistic visits through Rasa's REST
channel, each visit a new worker (a new conversation).

Run by bench_load.py (headless); the knobs come from the environment:
  DESK_PACING   seconds between one user's messages (0: closed loop, no think time)
  DESK_LONG     1: one long conversation instead of visits (latency by position)
  DESK_POSITIONS_FILE  where the long conversation writes "position latency_ms" lines
  DESK_LENGTH   how many messages the long conversation has (then Locust stops)
"""

from __future__ import annotations

import itertools
import os
import time
import uuid

from locust import FastHttpUser, constant, constant_pacing, task

QUESTIONS = (
    "公司拖欠工资三个月了怎么办",
    "试用期可以不交社保吗",
    "加班费怎么算",
    "没签劳动合同能要双倍工资吗",
    "被辞退有补偿吗",
    "年假有几天",
    "工伤认定要多久",
    "怀孕了公司能辞退我吗",
    "干了3年，月工资6000，被辞退能拿多少补偿",
    "周末加班没有加班费合法吗",
    "最低工资标准是多少",
    "公司不给交社保怎么办",
)
# (what the worker types, in order) for each kind of visit; weights by how often they happen.
VISITS = (
    (("你好", *QUESTIONS[:3], "谢谢"), 3),
    (("劳动合同法第四十七条",), 1),
    (("我要入会", "取消"), 1),
)
_question_cycle = itertools.cycle(QUESTIONS)


def _visit_messages() -> list[list[str]]:
    plan: list[list[str]] = []
    for messages, weight in VISITS:
        plan += [list(messages)] * weight
    return plan


PACING = float(os.environ.get("DESK_PACING", "0"))
LONG = os.environ.get("DESK_LONG") == "1"
POSITIONS_FILE = os.environ.get("DESK_POSITIONS_FILE", "")
LENGTH = int(os.environ.get("DESK_LENGTH", "80"))


class Worker(FastHttpUser):
    wait_time = constant_pacing(PACING) if PACING else constant(0)

    def on_start(self) -> None:
        self._plan = itertools.cycle(_visit_messages())
        self._pending: list[str] = []
        self._sender = ""
        self._position = 0

    def _say(self, text: str) -> None:
        started = time.perf_counter()
        with self.client.post(
            "/webhooks/rest/webhook",
            json={"sender": self._sender, "message": text},
            name="message",
            catch_response=True,
        ) as response:
            elapsed_ms = (time.perf_counter() - started) * 1000
            try:
                replies = response.json()
            except Exception:  # a server error page is not JSON
                replies = None
            if response.status_code != 200 or not replies:
                response.failure(f"status {response.status_code}, replies {replies!r:.80}")
            elif len(replies) > 8:
                response.failure(f"{len(replies)} replies to one message (a loop?)")
        self._position += 1
        if LONG and POSITIONS_FILE:
            with open(POSITIONS_FILE, "a") as out:
                out.write(f"{self._position} {elapsed_ms:.1f}\n")
            if self._position >= LENGTH and self.environment.runner is not None:
                self.environment.runner.quit()

    @task
    def next_message(self) -> None:
        if LONG:
            if not self._sender:
                self._sender = f"bench-long-{uuid.uuid4().hex[:8]}"
            self._say(next(_question_cycle) if self._position % 4 else "你好")
            return
        if not self._pending:  # a new visit: a new worker
            self._pending = list(next(self._plan))
            self._sender = f"bench-{uuid.uuid4().hex[:12]}"
        self._say(self._pending.pop(0))
