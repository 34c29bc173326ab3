"""The held-out questions through the whole chat path: trained NLU, rules, action server, FAQ.

Starts Rasa and the action server on free ports (the model must be trained: `make train`),
sends every held-out question as a new conversation over the REST channel, and prints how many
were answered with the expected entry, how many misses offered the right topic or a lawyer,
and the per-message latency. Unlike scripts/eval_faq.py this includes the intent classifier.

    .venv/bin/python scripts/eval_chat.py
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from desk.legal.library import get_knowledge  # noqa: E402
from launcher.scratch import scratch_stack  # noqa: E402
from scripts.eval_faq import DEFAULT_HELDOUT, Item, load_items  # noqa: E402


def ask(rasa_url: str, sender: str, question: str) -> list[dict]:
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": question}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def judge(item: Item, answer: list[dict]) -> str:
    knowledge = get_knowledge()
    text = "\n".join(message.get("text", "") for message in answer)
    payloads = [b["payload"] for message in answer for b in message.get("buttons", [])]
    for entry_id in item.acceptable:
        entry = knowledge.entry(entry_id)
        if entry is not None and text.startswith(entry.answer):
            return "answered right"
    if any(f'"{entry_id}"' in payload for entry_id in item.acceptable for payload in payloads):
        return "offered the right topic"
    answered_other = "法律依据" in text
    if "/request_human" in payloads:
        return "wrong answer, lawyer offered" if answered_other else "unsure, lawyer offered"
    return "missed"


def main() -> None:
    items = load_items(DEFAULT_HELDOUT)
    counts: dict[str, int] = {}
    latencies = []
    misses = []
    with tempfile.TemporaryDirectory() as scratch, scratch_stack(Path(scratch)) as (config, _):
        for number, item in enumerate(items):
            started = time.perf_counter()
            answer = ask(config.rasa_url, f"eval-{number}", item.question)
            latencies.append((time.perf_counter() - started) * 1000)
            verdict = judge(item, answer)
            counts[verdict] = counts.get(verdict, 0) + 1
            if verdict == "missed":
                misses.append(f"- {item.question} → {item.expected}: {answer[:1]}")
    total = len(items)
    print(f"questions: {total}")
    verdicts = (
        "answered right",
        "offered the right topic",
        "unsure, lawyer offered",
        "wrong answer, lawyer offered",
        "missed",
    )
    for verdict in verdicts:
        count = counts.get(verdict, 0)
        print(f"{verdict + ':':32}{count:4d} = {count / total:.1%}")
    latencies.sort()
    print(f"latency per message: p50 {statistics.median(latencies):.0f} ms, "
          f"p95 {latencies[int(0.95 * total) - 1]:.0f} ms (sequential)")  # fmt: skip
    print("\n".join(misses))


if __name__ == "__main__":
    main()
