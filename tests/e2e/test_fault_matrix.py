"""kill -9 of Rasa or the action server at random moments while workers join the union, apply
for aid and go through the lawyer intake: each conversation ends as it would have without the
faults (every form resumes where it was), with exactly one application or case, none lost.

The normal suite runs one short round (two scenarios, one kill each). The long matrix:
    FAULT_ROUNDS=2 .venv/bin/python -m pytest -q tests/e2e/test_fault_matrix.py -s
(every flow x process, FAULT_ROUNDS times, two kills a scenario, seeds printed), or
`make faults`. A killed gateway, relay and outbox delivery: tests/e2e/test_launcher_restarts.py.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from bot.rasa_client import UNAVAILABLE_MARKER
from desk.storage.db import session_scope
from desk.storage.models import Application, Ticket
from launcher.processes import ProcessGroup
from launcher.stack import StackConfig
from tests.e2e.faults import kill, supervised_stack, wait_restarted
from tests.e2e.rest import as_the_gateway, texts
from tests.e2e.test_aid import Worker, apply_for_aid
from tests.e2e.test_handoff import finish_intake
from tests.e2e.test_membership import fill_form, new_id_number

ROUNDS = int(os.environ.get("FAULT_ROUNDS", "0"))
_senders = itertools.count(8001)
TALLY: Counter[str] = Counter()


@dataclass
class PatientChat:
    """A worker on the REST channel who, told the desk is unavailable (or finding it silent),
    sends the same message again a moment later, as the apology asks."""

    stack: StackConfig
    sender: str = field(default_factory=lambda: f"tg:{next(_senders)}")
    apologies: int = 0

    def __call__(self, message: str) -> str:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            answer = self._send(message)
            if answer is not None:
                self.last = answer
                return texts(answer)
            self.apologies += 1
            time.sleep(0.5)
        raise AssertionError(f"the desk never came back for {message!r}")

    def _send(self, message: str) -> list[dict] | None:
        request = urllib.request.Request(
            f"{self.stack.rasa_url}/webhooks/rest/webhook",
            data=json.dumps({"sender": self.sender, "message": message}).encode(),
            headers={"Content-Type": "application/json", **as_the_gateway()},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                answer = json.loads(response.read())
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None  # Rasa is down: the gateway apologises
        if any(item.get("custom") == UNAVAILABLE_MARKER for item in answer):
            return None  # the action server is down: the gateway apologises
        return answer


def join(chat: PatientChat) -> None:
    fill_form(chat, new_id_number())  # type: ignore[arg-type]
    assert "编号 RH-" in chat("/affirm")


def aid(chat: PatientChat) -> None:
    worker = Worker()
    fill_form(chat, worker.id_number)  # type: ignore[arg-type]
    assert "编号 RH-" in chat("/affirm")  # a pending member: the relief accepts it
    apply_for_aid(chat, worker, "我是快递员，这两个月都没什么单，能申请补助吗")  # type: ignore[arg-type]
    assert "编号 JZ-" in chat("/affirm")


def intake(chat: PatientChat) -> None:
    chat("转人工")
    done, _ = finish_intake(chat, chat("公司把我开除了，一分钱补偿都没给"))  # type: ignore[arg-type]
    assert "已为您登记案件 AJ-" in done


# Each flow, and the records it leaves: exactly these, whatever was killed when.
FLOWS: dict[str, tuple[Callable[[PatientChat], None], dict[str, int]]] = {
    "joining": (join, {"membership": 1}),
    "aid": (aid, {"membership": 1, "aid": 1}),
    "intake": (intake, {"case": 1}),
}


def records(config: StackConfig, sender: str) -> dict[str, int]:
    with session_scope(config.database_url) as session:
        kinds = Counter(
            session.scalars(select(Application.kind).where(Application.chat_id == sender))
        )
        cases = session.scalar(
            select(func.count()).select_from(Ticket).where(Ticket.chat_id == sender)
        )
    return dict(kinds) | ({"case": cases} if cases else {})


def scenarios() -> list[tuple[str, str, int, int]]:
    """(flow, process, seed, kills): the short round, or the long matrix."""
    if not ROUNDS:
        return [("aid", "actions", 1, 1), ("intake", "rasa", 2, 1)]
    return [
        (flow, process, seed, 2)
        for seed in range(ROUNDS)
        for flow in FLOWS
        for process in ("actions", "rasa")
    ]


@pytest.fixture(scope="module")
def supervised(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[StackConfig, ProcessGroup]]:
    with supervised_stack(tmp_path_factory.mktemp("faults")) as running:
        yield running
    if ROUNDS:
        print(f"\nfault matrix: {dict(TALLY)}")


def killer(
    group: ProcessGroup, config: StackConfig, process: str, kills: int, seed: int
) -> threading.Thread:
    chance = random.Random(seed)

    def run() -> None:
        for _ in range(kills):
            time.sleep(chance.uniform(0.2, 2.5))  # a random moment of the conversation
            restarts = kill(group, process)
            TALLY["faults injected"] += 1
            wait_restarted(group, config, process, restarts)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize(("flow", "process", "seed", "kills"), scenarios())
def test_a_conversation_killed_at_random_moments_ends_whole(
    supervised: tuple[StackConfig, ProcessGroup], flow: str, process: str, seed: int, kills: int
) -> None:
    config, group = supervised
    chat = PatientChat(config)
    script, expected = FLOWS[flow]
    faults = killer(group, config, process, kills, seed)
    script(chat)
    faults.join(180)
    assert not faults.is_alive()
    stored = records(config, chat.sender)
    TALLY["conversations"] += 1
    TALLY["apologies"] += chat.apologies
    for kind, count in expected.items():
        TALLY["records lost"] += max(0, count - stored.get(kind, 0))
        TALLY["duplicates"] += max(0, stored.get(kind, 0) - count)
    assert stored == expected, f"{flow}, {process} killed (seed {seed})"
