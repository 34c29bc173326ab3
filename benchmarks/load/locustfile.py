"""Locust scenario for benchmarks/bench_load.py: short, realistic visits through Rasa's REST
channel, each visit a new worker (a new conversation).

Run by bench_load.py (headless); the knobs come from the environment:
  DESK_PACING   seconds between one user's messages (0: closed loop, no think time)
  DESK_LONG     1: one long conversation instead of visits (latency by position)
  DESK_POSITIONS_FILE  where the long conversation writes "position latency_ms" lines
  DESK_LENGTH   how many messages the long conversation has (then Locust stops)
  DESK_MEASURED the positions compared (1,20,40,…): each asks the same question
  DESK_HOSTS    several Rasa instances, comma-separated: each conversation goes to one of them
                as the gateway spreads them (bot.rasa_client.instance_for)
"""

from __future__ import annotations

import itertools
import os
import time
import uuid
import zlib

from locust import FastHttpUser, constant, constant_pacing, task

# Plain questions the desk answers at once. Not a hard case (an injury, a collective dispute)
# nor two unsure answers in a row: those start the intake for a lawyer, another flow.
QUESTIONS = (
    "没签劳动合同能要双倍工资吗",
    "最低工资标准是多少",
    "试用期最长多久",
    "干了3年，月工资6000，被辞退能拿多少补偿",
    "产假有多少天",
    "一个月最多加班多少小时",
)
_question_cycle = itertools.cycle(QUESTIONS)


def _visits() -> list[list[str]]:
    """Greeting, three questions, thanks (three times as often); a statute look-up; a joining
    form started and cancelled."""
    ask = [next(_question_cycle) for _ in range(3)]
    return [["你好", *ask, "谢谢"]] * 3 + [["劳动合同法第四十七条"], ["我要入会", "取消"]]


PACING = float(os.environ.get("DESK_PACING", "0"))
LONG = os.environ.get("DESK_LONG") == "1"
POSITIONS_FILE = os.environ.get("DESK_POSITIONS_FILE", "")
LENGTH = int(os.environ.get("DESK_LENGTH", "80"))
HOSTS = [host for host in os.environ.get("DESK_HOSTS", "").split(",") if host]
MEASURED = {int(n) for n in os.environ.get("DESK_MEASURED", "").split(",") if n}


def _webhook(sender: str) -> str:
    if not HOSTS:
        return "/webhooks/rest/webhook"
    return f"{HOSTS[zlib.crc32(sender.encode()) % len(HOSTS)]}/webhooks/rest/webhook"


class Worker(FastHttpUser):
    wait_time = constant_pacing(PACING) if PACING else constant(0)

    def on_start(self) -> None:
        self._plan = itertools.cycle(_visits())
        self._pending: list[str] = []
        self._sender = ""
        self._position = 0

    def _say(self, text: str) -> None:
        started = time.perf_counter()
        with self.client.post(
            _webhook(self._sender),
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
            number = self._position + 1
            if number in MEASURED:  # the same question each time: the ratio shows only length
                self._say(QUESTIONS[0])
            else:
                self._say("你好" if number % 4 == 1 else next(_question_cycle))
            return
        if not self._pending:  # a new visit: a new worker
            self._pending = list(next(self._plan))
            self._sender = f"bench-{uuid.uuid4().hex[:12]}"
        self._say(self._pending.pop(0))
