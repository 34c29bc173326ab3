"""Intent recall for the services, measured through the real model and action server on
held-out messages (tests/data/heldout_services.yml): each is the first message of a new
conversation, and what counts is what the desk then does: start the joining or the aid
application, start the intake for a lawyer, or look up the status. A question whether one may
join (送外卖的能入会吗), or a story of hardship that asks for help, may instead be answered with
the offer to apply (a 现在申请入会 or 现在申请帮扶/救助 button, desk.menu.offers_for).
Labour questions must start none of them.

    .venv/bin/python -m pytest -q -s tests/e2e/test_service_recall.py   # prints the figures
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml

from desk.common.text import folded_answer
from desk.menu import AID_OFFER, JOIN_OFFER
from launcher.stack import StackConfig
from tests.e2e.rest import button_titles, say, texts

HELD_OUT = Path(__file__).parents[1] / "data" / "heldout_services.yml"
NLU_DATA = Path(__file__).parents[2] / "nlu_data"
SERVICES = ("joining", "aid", "lawyer", "status")
# What the desk says when it starts each service.
STARTS = {
    "joining": ("申请入会前，请先了解",),
    "aid": ("申请帮扶/救助前，请先了解",),
    "lawyer": (
        "请用几句话说说发生了什么",
        "您是给哪个单位或老板干活的",
        "您在哪个城市干活",
        "这件事一共涉及几个人",
        "被拖欠或需要赔偿的钱大概有多少",
        "方便留个手机号吗",
        "转给律师之前，请核对",
    ),
    "status": (
        "您的申请和案件",
        "没有找到您的申请",
        "手机号后四位",
        "没有找到与这个编号",
        "没有找到案件",
    ),
}
# Recall each service must reach on the held-out set, and at most this share of labour
# questions may start a service.
TARGET = {"joining": 0.9, "aid": 0.9, "lawyer": 0.9, "status": 0.9}
MAX_LEGAL_STARTS = 0.1

_senders = itertools.count(1)


def held_out() -> dict[str, list[str]]:
    return yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))


# The offer to apply that ends an answer about joining.
OFFERS = {"joining": JOIN_OFFER[0], "aid": AID_OFFER[0]}


def started(answer: list[dict[str, Any]]) -> set[str]:
    """The services the desk started, or offered with their own button, in reply to a message."""
    reply, buttons = texts(answer), button_titles(answer)
    found = {service for service, marks in STARTS.items() if any(m in reply for m in marks)}
    return found | {service for service, button in OFFERS.items() if button in buttons}


def training_examples() -> set[str]:
    examples = set()
    for path in NLU_DATA.rglob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                examples.add(folded_answer(line.strip().removeprefix("- ")))
    return examples


def test_the_held_out_messages_are_not_training_data() -> None:
    trained = training_examples()
    shared = [m for ms in held_out().values() for m in ms if folded_answer(m) in trained]
    assert shared == []


@pytest.fixture(scope="module")
def outcomes(stack: StackConfig) -> dict[str, list[tuple[str, set[str]]]]:
    results: dict[str, list[tuple[str, set[str]]]] = {}
    for expected, messages in held_out().items():
        results[expected] = [
            (m, started(say(stack.rasa_url, f"recall-{next(_senders)}", m))) for m in messages
        ]
    return results


def test_each_service_is_recognised_from_indirect_descriptions(
    outcomes: dict[str, list[tuple[str, set[str]]]],
) -> None:
    report, misses = [], []
    for service in SERVICES:
        results = outcomes[service]
        hits = sum(service in got for _, got in results)
        recall = hits / len(results)
        report.append(
            f"{service}: {hits}/{len(results)} = {recall:.0%} (target {TARGET[service]:.0%})"
        )
        misses += [
            f"  {service} ← {m} → {sorted(got) or 'nothing'}"
            for m, got in results
            if service not in got
        ]
    legal = outcomes["legal"]
    wrongly = [(m, got) for m, got in legal if got]
    report.append(f"labour questions starting a service: {len(wrongly)}/{len(legal)}")
    print("\n" + "\n".join(report + misses))
    for service in SERVICES:
        results = outcomes[service]
        recall = sum(service in got for _, got in results) / len(results)
        assert recall >= TARGET[service], "\n".join(report + misses)
    assert len(wrongly) <= MAX_LEGAL_STARTS * len(legal), "\n".join(report + misses)
