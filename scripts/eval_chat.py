"""Held-out questions through the chat path: answered right, answered wrong, or asked back.

Every question is a new conversation. A reply is judged by what the worker sees:
- answered right: an acceptable entry's answer (with its 法律依据);
- answered wrong: another entry's answer (a wrong answer still carries 转人工律师);
- asked back with the right option: topic buttons, one of them an acceptable entry;
- asked back without it: topic buttons without it, or "not sure" with only the lawyer;
- other: another flow (a form, the lawyer's intake without an answer, a calculation that is
  not what the question asked for).
A calculation counts as answered right when the question is one a calculation answers (its
expected entry is in CALCULATED_ENTRIES: 月薪4000 加班一小时该给多少) and the sum quotes an article
that entry cites.
For story questions, also whether the reply quotes the article the item names (`article`).

    .venv/bin/python scripts/eval_chat.py             # real model, Rasa and action server
    .venv/bin/python scripts/eval_chat.py --offline   # the core only (no NLU): seconds
    .venv/bin/python scripts/eval_chat.py --set stories --misses

The real path starts Rasa and the action server on free ports (the model must be trained:
`make train`). --offline runs what the legal action does with a message
(desk.legal.consultation.answer_message, then desk.cases.escalation.after_reply) without the
intent classifier: use it to iterate, the real path to report.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from desk.cases import triage  # noqa: E402
from desk.cases.escalation import after_reply  # noqa: E402
from desk.legal.consultation import CALCULATED_ENTRIES, answer_message  # noqa: E402
from desk.legal.library import Knowledge, get_knowledge  # noqa: E402
from desk.legal.render import CALCULATION_CLOSING, render_faq_answer  # noqa: E402
from desk.legal.statutes import Citation  # noqa: E402
from scripts.eval_faq import DEFAULT_HELDOUT, Item, load_items  # noqa: E402

DATA = PROJECT_ROOT / "tests" / "data"
SETS = {
    "short": DATA / "heldout_chat_short.yml",  # written the way workers type
    "stories": DATA / "heldout_stories.yml",  # written like consultation-site posts
    "heldout": DEFAULT_HELDOUT,  # the retrieval set, written from the entries' titles and answers
}

RIGHT = "answered right"
WRONG = "answered wrong"
ASKED_RIGHT = "asked back with the right option"
ASKED_WITHOUT = "asked back without it"
OTHER = "other (form, intake, calculation)"
VERDICTS = (RIGHT, WRONG, ASKED_RIGHT, ASKED_WITHOUT, OTHER)


@dataclass(frozen=True)
class Message:
    text: str
    payloads: tuple[str, ...]


@dataclass(frozen=True)
class Judged:
    item: Item
    verdict: str
    answered: str | None  # the entry whose answer was given
    cites_article: bool | None  # None when the item names no article
    messages: tuple[Message, ...]

    @property
    def offers_right(self) -> bool:
        """A button for an acceptable entry is shown (您可能还想问 under a wrong answer)."""
        payloads = [payload for message in self.messages for payload in message.payloads]
        return any(f'"{entry_id}"' in p for entry_id in self.item.acceptable for p in payloads)


class Judge:
    """Reads replies as a worker would: which entry's answer, which topic buttons."""

    def __init__(self, knowledge: Knowledge) -> None:
        self._knowledge = knowledge
        self._answers = {
            entry.id: render_faq_answer(entry, knowledge.library) for entry in knowledge.faq
        }

    def article_label(self, citation: Citation) -> str:
        article = self._knowledge.library.resolve(citation)
        if article is None:
            raise SystemExit(f"the held-out set names an article that does not exist: {citation}")
        return f"《{self._knowledge.library.statutes[article.law].short_name}》{article.label}"

    def __call__(self, item: Item, messages: Sequence[Message]) -> Judged:
        # Rasa's REST channel splits a message at blank lines: read them as one text again.
        said = "\n\n".join(message.text for message in messages)
        found = [(said.find(answer), entry_id) for entry_id, answer in self._answers.items()]
        answered = min(((at, entry_id) for at, entry_id in found if at >= 0), default=(0, None))[1]
        payloads = [payload for message in messages for payload in message.payloads]
        topics = [payload for payload in payloads if payload.startswith("/choose_faq")]
        if answered is not None:
            verdict = RIGHT if answered in item.acceptable else WRONG
        elif CALCULATION_CLOSING in said and self._calculation_answers(item, said):
            verdict = RIGHT
        elif any(f'"{entry_id}"' in p for entry_id in item.acceptable for p in topics):
            verdict = ASKED_RIGHT
        elif topics or self._unsure(messages):
            verdict = ASKED_WITHOUT
        else:
            verdict = OTHER
        cites = None
        if item.article is not None:
            label = self.article_label(item.article)
            cites = label in said
        return Judged(item, verdict, answered, cites, tuple(messages))

    def _calculation_answers(self, item: Item, said: str) -> bool:
        """A sum for a question that asks for one, resting on an article its entry cites."""
        for entry_id in item.acceptable & CALCULATED_ENTRIES:
            entry = self._knowledge.entry(entry_id)
            labels = [self.article_label(citation) for citation in entry.citations] if entry else []
            if any(label in said for label in labels):
                return True
        return False

    @staticmethod
    def _unsure(messages: Sequence[Message]) -> bool:
        return any("没有把握" in m.text or "不太确定" in m.text for m in messages)


# --- the two paths ------------------------------------------------------------------------------

Ask = Callable[[str, str], list[Message]]


def offline_ask(knowledge: Knowledge) -> Ask:
    """What the legal action does with a first message, without Rasa's intent classifier."""

    def ask(_sender: str, question: str) -> list[Message]:
        reply = answer_message(question, knowledge)
        after = after_reply(reply, question, 0, declined=False, in_form=False)
        messages = []
        if after.shown is not None:
            shown = after.shown
            messages.append(Message(shown.text, tuple(payload for _, payload in shown.buttons)))
        if after.reasons:
            messages.append(Message(triage.explain(after.reasons), ()))
        return messages

    return ask


@contextmanager
def chat_ask() -> Iterator[Ask]:
    from launcher.scratch import scratch_stack

    with tempfile.TemporaryDirectory() as scratch, scratch_stack(Path(scratch)) as (config, _):

        def ask(sender: str, question: str) -> list[Message]:
            request = urllib.request.Request(
                f"{config.rasa_url}/webhooks/rest/webhook",
                data=json.dumps({"sender": sender, "message": question}).encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                answer = json.loads(response.read())
            return [
                Message(
                    message.get("text", ""),
                    tuple(button["payload"] for button in message.get("buttons", [])),
                )
                for message in answer
            ]

        yield ask


def run(items: Sequence[Item], ask: Ask, judge: Judge, prefix: str) -> tuple[list[Judged], list]:
    judged, latencies = [], []
    for number, item in enumerate(items):
        started = time.perf_counter()
        messages = ask(f"eval-{prefix}-{number}", item.question)
        latencies.append((time.perf_counter() - started) * 1000)
        judged.append(judge(item, messages))
    return judged, latencies


# --- report -------------------------------------------------------------------------------------


def summary(judged: Sequence[Judged]) -> dict[str, float]:
    """Shares of each verdict (and of stories citing the right article), for tests and tuning."""
    total = len(judged) or 1
    counts = Counter(j.verdict for j in judged)
    shares = {verdict: counts.get(verdict, 0) / total for verdict in VERDICTS}
    with_article = [j for j in judged if j.cites_article is not None]
    if with_article:
        shares["cites the right article"] = sum(bool(j.cites_article) for j in with_article) / len(
            with_article
        )
    return shares


def report(name: str, judged: Sequence[Judged], latencies: Sequence[float], misses: bool) -> None:
    total = len(judged)
    counts = Counter(j.verdict for j in judged)
    print(f"\n{name}: {total} questions")
    for verdict in VERDICTS:
        count = counts.get(verdict, 0)
        print(f"  {verdict + ':':38}{count:4d} = {count / total:6.1%}")
        if verdict == WRONG and count:
            offered = sum(j.offers_right for j in judged if j.verdict == WRONG)
            print(f"    {'of which offer the right one below:':36}{offered:4d}")
    with_article = [j for j in judged if j.cites_article is not None]
    if with_article:
        cited = sum(bool(j.cites_article) for j in with_article)
        print(f"  {'cites the right article:':38}{cited:4d} = {cited / len(with_article):6.1%}")
    if latencies:
        ordered = sorted(latencies)
        p95 = ordered[max(0, int(0.95 * len(ordered)) - 1)]
        print(f"  latency per message: p50 {statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms")
    if misses:
        for j in judged:
            if j.verdict != RIGHT:
                first = j.messages[0].text[:40].replace("\n", " ") if j.messages else ""
                print(f"  - [{j.verdict}] {j.item.question[:60]} → {j.item.expected}")
                print(f"      got {j.answered or '-'}: {first}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offline", action="store_true", help="the core only, without Rasa")
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--misses", action="store_true", help="list every question not right")
    arguments = parser.parse_args()
    knowledge = get_knowledge()
    judge = Judge(knowledge)
    names = list(SETS) if arguments.set == "all" else [arguments.set]
    sets = {name: load_items(SETS[name]) for name in names}
    for items in sets.values():
        check_items(knowledge, items, judge)

    def evaluate(ask: Ask) -> None:
        for name, items in sets.items():
            judged, latencies = run(items, ask, judge, name)
            report(name, judged, [] if arguments.offline else latencies, arguments.misses)

    if arguments.offline:
        evaluate(offline_ask(knowledge))
    else:
        with chat_ask() as ask:
            evaluate(ask)


def check_items(knowledge: Knowledge, items: Sequence[Item], judge: Judge) -> None:
    """Every expected entry exists, and the article an item names is one that entry cites."""
    problems = []
    for item in items:
        entries = [knowledge.entry(entry_id) for entry_id in sorted(item.acceptable)]
        if any(entry is None for entry in entries):
            problems.append(f"unknown entry among {sorted(item.acceptable)}")
            continue
        expected = knowledge.entry(item.expected)
        if item.article is not None and expected is not None:
            judge.article_label(item.article)
            resolve = knowledge.library.resolve
            if resolve(item.article) not in [resolve(c) for c in expected.citations]:
                problems.append(f"{item.expected} does not cite {item.article}")
    if problems:
        raise SystemExit("held-out set problems:\n" + "\n".join(problems))


if __name__ == "__main__":
    main()
