"""How well FAQ retrieval answers questions it has never seen.

Reads held-out questions (items `{q, expected, also_ok?}`), asks the desk's knowledge, and prints
top-1 and top-3 accuracy, how often the answer would cite what the expected entry cites, how
often a miss at least offers the right entry among the clarification buttons, and every miss.

    .venv/bin/python scripts/eval_faq.py [path/to/heldout_questions.yml]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from desk.legal.library import Knowledge, load_knowledge  # noqa: E402
from desk.legal.search import Answer, Clarification  # noqa: E402
from desk.legal.statutes import Citation  # noqa: E402

DEFAULT_HELDOUT = PROJECT_ROOT / "tests" / "data" / "heldout_questions.yml"


@dataclass(frozen=True)
class Item:
    question: str
    expected: str
    acceptable: frozenset[str]
    article: Citation | None = None  # the provision a right answer quotes (story questions)


@dataclass(frozen=True)
class Outcome:
    item: Item
    ranked: tuple[str, ...]
    answered: bool
    options: tuple[str, ...]
    cites_expected: bool

    @property
    def top1(self) -> bool:
        return bool(self.ranked) and self.ranked[0] in self.item.acceptable

    @property
    def top3(self) -> bool:
        return bool(self.item.acceptable & set(self.ranked[:3]))

    @property
    def rescued(self) -> bool:
        """A miss where the clarification buttons still include a right entry."""
        return not self.answered and bool(self.item.acceptable & set(self.options))


def load_items(path: Path) -> list[Item]:
    document = yaml.safe_load(path.read_text("utf-8"))
    # Either a bare list of items or a mapping with the list under `questions`.
    raw_items = document["questions"] if isinstance(document, dict) else document
    items = []
    for raw in raw_items:
        also = raw.get("also_ok") or []
        article = raw.get("article")
        items.append(
            Item(
                str(raw["q"]),
                raw["expected"],
                frozenset([raw["expected"], *also]),
                Citation(str(article["law"]), int(article["article"])) if article else None,
            )
        )
    return items


def evaluate(knowledge: Knowledge, items: list[Item]) -> list[Outcome]:
    unknown = sorted({i.expected for i in items if knowledge.entry(i.expected) is None})
    if unknown:
        raise SystemExit(f"held-out set names unknown entries: {unknown}")
    outcomes = []
    for item in items:
        hits = knowledge.index.search(item.question)
        decision = knowledge.ask(item.question)
        expected = knowledge.entry(item.expected)
        assert expected is not None
        top = hits[0].entry if hits else None
        cites = top is not None and (
            set(expected.citations) <= set(top.citations) and expected.basis in (None, top.basis)
        )
        options = decision.options if isinstance(decision, Clarification) else ()
        outcomes.append(
            Outcome(
                item=item,
                ranked=tuple(hit.entry.id for hit in hits),
                answered=isinstance(decision, Answer),
                options=tuple(hit.entry.id for hit in options),
                cites_expected=cites,
            )
        )
    return outcomes


def _share(count: int, total: int) -> str:
    return f"{count}/{total} = {count / total:.1%}" if total else "0/0"


def report(outcomes: list[Outcome]) -> None:
    total = len(outcomes)
    misses = [outcome for outcome in outcomes if not outcome.top1]
    answered = [outcome for outcome in outcomes if outcome.answered]
    print(f"questions:                      {total}")
    print(f"top-1 accuracy:                 {_share(total - len(misses), total)}")
    print(f"top-3 accuracy:                 {_share(sum(o.top3 for o in outcomes), total)}")
    cites = sum(outcome.cites_expected for outcome in outcomes)
    print(f"top-1 cites the expected law:   {_share(cites, total)}")
    print(f"answered without asking back:   {_share(len(answered), total)}")
    print(f"answered, but wrongly:          {_share(sum(not o.top1 for o in answered), total)}")
    print(f"misses offered as a button:     {_share(sum(o.rescued for o in misses), len(misses))}")
    if misses:
        print("\nmisses (question → expected | got top-3, answered or asked back):")
    for outcome in misses:
        mode = "ANSWERED" if outcome.answered else f"asked back {list(outcome.options)}"
        print(f"- {outcome.item.question} → {outcome.item.expected} | {list(outcome.ranked[:3])}")
        print(f"    {mode}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("heldout", nargs="?", type=Path, default=DEFAULT_HELDOUT)
    parser.add_argument("--knowledge", type=Path, default=PROJECT_ROOT / "knowledge")
    arguments = parser.parse_args()
    if not arguments.heldout.exists():
        raise SystemExit(f"no held-out questions at {arguments.heldout}")
    report(evaluate(load_knowledge(arguments.knowledge), load_items(arguments.heldout)))


if __name__ == "__main__":
    main()
