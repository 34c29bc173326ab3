"""Calibrating the answer policy: answered right against answered wrong, for each threshold.

Searches every held-out question once, then applies desk.legal.search.decide with each policy
of a grid (min_coverage × min_margin × sibling_margin × rival_coverage) and prints, per set, the
share answered right, answered wrong and asked back with the right option; the policy in force
has a *. Choose the
point that answers most while keeping wrong answers at or under the target (3 %), then set it
as DecisionPolicy's defaults.

    .venv/bin/python scripts/eval_calibrate.py [--sets short stories heldout]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from desk.legal.library import get_knowledge  # noqa: E402
from desk.legal.search import DEFAULT_POLICY, Answer, DecisionPolicy, Hit, decide  # noqa: E402
from scripts.eval_chat import SETS  # noqa: E402
from scripts.eval_faq import Item, load_items  # noqa: E402

ALL_SETS = SETS
COVERAGES = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45)
MARGINS = (0.0, 0.03, 0.05, 0.06, 0.08, 0.1, 0.12, 0.15)
SIBLING_MARGINS = (0.0, 0.02, 0.04)
RIVAL_COVERAGES = (0.0, 0.6, 0.7, 0.8)


def shares(searched: Sequence[tuple[Item, list[Hit]]], policy: DecisionPolicy) -> tuple:
    right = wrong = asked_right = 0
    for item, hits in searched:
        decision = decide(hits, policy)
        if isinstance(decision, Answer):
            if decision.hit.entry.id in item.acceptable:
                right += 1
            else:
                wrong += 1
        elif item.acceptable & {hit.entry.id for hit in decision.options}:
            asked_right += 1
    total = len(searched) or 1
    return right / total, wrong / total, asked_right / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=list(ALL_SETS), default=list(ALL_SETS))
    arguments = parser.parse_args()
    knowledge = get_knowledge()
    searched = {
        name: [(item, knowledge.index.search(item.question)) for item in load_items(path)]
        for name, path in ALL_SETS.items()
        if name in arguments.sets
    }
    print("coverage margin sibling rival | per set: right / wrong / asked back with the right one")
    grid = itertools.product(COVERAGES, MARGINS, SIBLING_MARGINS, RIVAL_COVERAGES)
    for coverage, margin, sibling, rival in grid:
        policy = replace(
            DEFAULT_POLICY,
            min_coverage=coverage,
            min_margin=margin,
            sibling_margin=sibling,
            rival_coverage=rival,
        )
        mark = "*" if policy == DEFAULT_POLICY else " "
        cells = []
        for name, items in searched.items():
            right, wrong, asked = shares(items, policy)
            cells.append(f"{name} {right:5.1%} / {wrong:4.1%} / {asked:4.1%}")
        print(
            f"{mark} {coverage:4.2f} {margin:4.2f} {sibling:4.2f} {rival:4.2f} | "
            + " | ".join(cells)
        )


if __name__ == "__main__":
    main()
