"""The answer policy (desk/legal/search.decide): answer, ask back, or say nothing matches.

Both on made-up hits, so each rule is seen on its own, and on the held-out chat sets through
what the legal action does (scripts/eval_chat.py --offline), so the figures the README reports
cannot quietly fall.
"""

from __future__ import annotations

import pytest

from desk.legal import search
from desk.legal.faq import FaqEntry
from desk.legal.library import Knowledge, get_knowledge
from desk.legal.render import CALCULATION_CLOSING
from desk.legal.search import Answer, Clarification, DecisionPolicy, Hit, asked_part, decide
from desk.legal.statutes import Citation
from scripts.eval_chat import (
    ASKED_RIGHT,
    OTHER,
    RIGHT,
    SETS,
    WRONG,
    Judge,
    offline_ask,
    run,
    summary,
)
from scripts.eval_faq import Item, load_items

POLICY = DecisionPolicy(
    min_coverage=0.3,
    min_margin=0.08,
    sibling_margin=0.02,
    rival_coverage=0.7,
    min_option_coverage=0.2,
    options=3,
)


def entry(entry_id: str, topic: str, *articles: int) -> FaqEntry:
    citations = tuple(Citation("劳动合同法", article) for article in articles)
    return FaqEntry(entry_id, topic, entry_id, (entry_id,), "答案", citations, None)


PROBATION_LENGTH = entry("probation-length", "劳动合同", 19)
PROBATION_ONCE = entry("probation-once", "劳动合同", 19, 83)
RESIGN = entry("resign-probation", "解除与终止", 37)
OVERTIME = entry("overtime", "工时与加班", 44)


def hit(what: FaqEntry, score: float, coverage: float = 0.8) -> Hit:
    return Hit(what, score, coverage, what.title)


def test_a_clear_best_entry_is_answered_with_the_runners_up_offered() -> None:
    hits = [hit(PROBATION_LENGTH, 10.0), hit(RESIGN, 6.0), hit(OVERTIME, 5.0, coverage=0.1)]
    decision = decide(hits, POLICY)
    assert isinstance(decision, Answer) and decision.hit.entry is PROBATION_LENGTH
    # A runner-up too weak for a button is not offered under the answer either.
    assert [h.entry for h in decision.runners_up] == [RESIGN]


def test_a_close_runner_up_on_the_same_matter_does_not_hold_the_answer_back() -> None:
    decision = decide([hit(PROBATION_LENGTH, 10.0), hit(PROBATION_ONCE, 9.5)], POLICY)
    assert isinstance(decision, Answer) and decision.hit.entry is PROBATION_LENGTH
    assert [h.entry for h in decision.runners_up] == [PROBATION_ONCE]
    # All but level: even on one matter that is a coin toss, and the worker chooses.
    decision = decide([hit(PROBATION_LENGTH, 10.0), hit(PROBATION_ONCE, 9.9)], POLICY)
    assert isinstance(decision, Clarification)


def test_a_close_runner_up_on_another_matter_is_asked_back() -> None:
    decision = decide([hit(PROBATION_LENGTH, 10.0), hit(RESIGN, 9.5), hit(OVERTIME, 4.0)], POLICY)
    assert isinstance(decision, Clarification)
    assert [h.entry for h in decision.options] == [PROBATION_LENGTH, RESIGN, OVERTIME]


def test_a_close_runner_up_that_covers_little_of_its_question_is_no_rival() -> None:
    # Close in score on a few shared words, but far from any of its own questions.
    decision = decide([hit(PROBATION_LENGTH, 10.0, 0.8), hit(RESIGN, 9.8, 0.4)], POLICY)
    assert isinstance(decision, Answer) and decision.hit.entry is PROBATION_LENGTH
    assert [h.entry for h in decision.runners_up] == [RESIGN]


def test_a_best_entry_that_covers_too_little_of_its_question_is_asked_back() -> None:
    decision = decide([hit(PROBATION_LENGTH, 10.0, 0.25), hit(RESIGN, 3.0, 0.1)], POLICY)
    # Asking back means offering a choice: the second comes along although weak.
    assert isinstance(decision, Clarification) and len(decision.options) == 2


@pytest.mark.parametrize("hits", [[], [hit(OVERTIME, 2.0, 0.1), hit(RESIGN, 1.0, 0.05)]])
def test_when_nothing_matches_no_topic_is_offered(hits: list[Hit]) -> None:
    assert decide(hits, POLICY) == Clarification(())


# --- on the held-out chat sets, through what the legal action does ------------------------------


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return get_knowledge()


def measured(knowledge: Knowledge, name: str) -> dict[str, float]:
    judged, _ = run(load_items(SETS[name]), offline_ask(knowledge), Judge(knowledge), name)
    return summary(judged)


def test_short_questions_are_answered_right_and_seldom_wrong(knowledge: Knowledge) -> None:
    shares = measured(knowledge, "short")
    # Measured 93.8 % right, 2.9 % wrong (scripts/eval_chat.py --offline); floors leave room
    # for small changes of the knowledge.
    assert shares[RIGHT] >= 0.90
    assert shares[WRONG] <= 0.035
    assert shares[RIGHT] + shares[WRONG] + shares[ASKED_RIGHT] >= 0.97


def test_questions_written_from_titles_and_answers_are_answered_right(knowledge: Knowledge) -> None:
    shares = measured(knowledge, "heldout")
    # Measured 91.5 % right, 2.8 % wrong.
    assert shares[RIGHT] >= 0.89
    assert shares[WRONG] <= 0.035


def test_story_questions_cite_the_right_article(knowledge: Knowledge) -> None:
    shares = measured(knowledge, "stories")
    assert shares["cites the right article"] >= 0.75
    assert shares[WRONG] <= 0.04


# --- long stories -------------------------------------------------------------------------------


def test_the_asking_sentences_of_a_story_are_found() -> None:
    story = "我在工厂干了三年。老板一直拖欠工资！请问我辞职能要经济补偿吗？另外工资条怎么要"
    assert asked_part(story) == "请问我辞职能要经济补偿吗，另外工资条怎么要"
    assert asked_part("我在工厂干了三年。老板一直拖欠工资。") == ""


def test_stories_are_searched_by_what_they_ask_not_drowned_by_their_facts(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = load_items(SETS["stories"])

    def right_at_top() -> int:
        return sum(
            hits[0].entry.id in item.acceptable
            for item in items
            if (hits := knowledge.index.search(item.question, limit=1))
        )

    with_question = right_at_top()
    monkeypatch.setattr(search, "_STORY_CHARS", 10**6)  # the whole story only
    assert with_question >= right_at_top() + 2


# --- how the evaluation reads a calculation -----------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "verdict"), [("hours-overtime-calc", RIGHT), ("hours-refuse-overtime", OTHER)]
)
def test_a_sum_is_right_only_for_a_question_that_asks_for_one(
    knowledge: Knowledge, expected: str, verdict: str
) -> None:
    question = "月薪5000，周末加班16小时，加班费多少"
    (said,) = offline_ask(knowledge)("eval-sum", question)
    assert CALCULATION_CLOSING in said.text
    item = Item(question, expected, frozenset({expected}))
    assert Judge(knowledge)(item, [said]).verdict == verdict
