"""Latency of one FAQ search (mean, p50/p99; target under 5 ms) and the time to load the
knowledge and build the index.

    .venv/bin/python benchmarks/bench_retrieval.py [--rounds 20]

Queries are the held-out questions when tests/data/heldout_questions.yml exists, otherwise
the FAQ's own question variants.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from desk.legal.library import Knowledge, load_knowledge  # noqa: E402
from desk.legal.search import build_index  # noqa: E402

HELDOUT = PROJECT_ROOT / "tests" / "data" / "heldout_questions.yml"
TARGET_MS = 5.0  # a search and its decision, per question, on the 2-core reference machine


def queries(knowledge: Knowledge) -> list[str]:
    if HELDOUT.exists():
        document = yaml.safe_load(HELDOUT.read_text("utf-8"))
        items = document["questions"] if isinstance(document, dict) else document
        return [str(item["q"]) for item in items]
    return [question for entry in knowledge.faq for question in entry.questions]


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--rounds", type=int, default=20, help="passes over the query set")
    arguments = parser.parse_args()

    started = time.perf_counter()
    knowledge = load_knowledge(PROJECT_ROOT / "knowledge")
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    index = knowledge.index
    build_index(knowledge.faq, index.normalize, index.split, index.weights)
    built = time.perf_counter() - started

    texts = queries(knowledge)
    timings: list[float] = []
    for _ in range(arguments.rounds):
        for text in texts:
            started = time.perf_counter()
            knowledge.ask(text)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(f"load knowledge (statutes, FAQ, jieba, index): {loaded * 1000:.0f} ms")
    print(f"build the index alone:                       {built * 1000:.0f} ms")
    print(f"queries: {len(texts)} × {arguments.rounds} rounds")
    mean = statistics.fmean(timings)
    verdict = "within" if mean < TARGET_MS else "OVER"
    print(f"search + decision mean: {mean:.2f} ms ({verdict} the {TARGET_MS:g} ms target)")
    print(f"search + decision p50: {statistics.median(timings):.2f} ms")
    print(f"search + decision p99: {percentile(timings, 0.99):.2f} ms")
    print(f"search + decision max: {timings[-1]:.2f} ms")


if __name__ == "__main__":
    main()
