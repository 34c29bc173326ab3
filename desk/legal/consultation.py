"""How the desk answers a labour-law message: a statute look-up, a calculation, or the FAQ.

The order matters: a worker who names an article wants that article; one who gives the numbers
wants the sum; everyone else gets the closest FAQ answer, or, when the desk is unsure, the
closest topics to choose from and a lawyer — never a guess and never an invented article.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from desk.legal.calculators import (
    Calculation,
    annual_leave_days,
    overtime_pay,
    parse_monthly_wage,
    parse_overtime_hours,
    parse_service_months,
    severance,
)
from desk.legal.faq import FaqEntry
from desk.legal.library import Knowledge
from desk.legal.lookup import lookup_article
from desk.legal.render import render_article, render_calculation, render_faq_answer
from desk.legal.search import Answer, Clarification, Decision, decide

LAWYER_BUTTON = ("转人工律师", "/request_human")
APPLY_BUTTON = ("现在申请入会", "/apply_membership")
# Answers about joining end with the offer to apply, in the same conversation.
JOINING_ENTRIES = frozenset({"gig-join-union", "union-how-to-join", "union-eligibility"})
RELATED_HEADING = "您可能还想了解："
ASK_FOR_QUESTION = (
    "请直接说出您遇到的问题，越具体越好，比如：“公司两个月没发工资怎么办”“周末加班费怎么算”。"
    "也可以查法条，比如“劳动合同法第四十七条”；或者把工龄和工资告诉我，帮您算经济补偿。"
)
UNSURE_WITH_OPTIONS = (
    "我理解您问的是{topic}方面的问题，但不太确定具体是哪一个。请选一个最接近的，或者转人工律师："
)
UNSURE_WITHOUT_OPTIONS = (
    "抱歉，这个问题我没有把握回答，不想随便给您一个可能不对的答案。可以换个说法再问一次，"
    "或者转给工会律师帮您看看。"
)
NO_SUCH_ARTICLE = "《{law}》没有第{number}条，请核对一下条文号。"

# A short message the FAQ cannot place alone ("那试用期呢", "周末的呢") is read as a follow-up
# of the previous topic.
_FOLLOW_UP_MAX_CHARS = 12
# A runner-up is offered as related only when it scores close enough to the answer given.
_RELATED_MIN_SHARE = 0.7
_SEVERANCE_CUE = re.compile(r"补偿|赔偿|N\+1|遣散|辞退|开除|裁员|解除")
_ANNUAL_LEAVE_CUE = re.compile(r"年假|年休假")
_OVERTIME_CUE = re.compile(r"加班")


# Replies that answer the question (as opposed to asking back or asking for a question).
CONFIDENT_KINDS = frozenset({"answer", "article", "calculation"})


@dataclass(frozen=True)
class PreviousTopic:
    """What the worker asked last and which entry answered it: the context of a follow-up."""

    faq_id: str
    question: str | None = None  # None when the answer came from a topic button


@dataclass(frozen=True)
class Reply:
    text: str
    kind: str  # answer | unsure | article | no_article | calculation | prompt
    buttons: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    faq_id: str | None = None  # the entry answered, for follow-ups

    @property
    def offers_topics(self) -> bool:
        """Unsure, but with topics to choose from: the subject itself was recognised."""
        return self.kind == "unsure" and len(self.buttons) > 1


def topic_button(entry: FaqEntry) -> tuple[str, str]:
    """A button that asks for this entry's answer; Rasa reads the payload as intent + entity."""
    return (entry.title, "/choose_faq" + json.dumps({"faq_id": entry.id}, ensure_ascii=False))


def ask_for_question() -> Reply:
    return Reply(ASK_FOR_QUESTION, "prompt")


def answer_entry(
    entry: FaqEntry, knowledge: Knowledge, related: tuple[FaqEntry, ...] = ()
) -> Reply:
    text = render_faq_answer(entry, knowledge.library)
    if related:
        text += "\n\n" + RELATED_HEADING
    offer = (APPLY_BUTTON,) if entry.id in JOINING_ENTRIES else ()
    buttons = (*offer, *(topic_button(other) for other in related), LAWYER_BUTTON)
    return Reply(text, "answer", buttons, entry.id)


def answer_message(text: str, knowledge: Knowledge, previous: PreviousTopic | None = None) -> Reply:
    reference = lookup_article(text, knowledge.library)
    if reference is not None:
        if reference.article is None:
            return Reply(
                NO_SUCH_ARTICLE.format(law=reference.law, number=reference.number), "no_article"
            )
        return Reply(render_article(reference.article, knowledge.library), "article")
    calculation = calculate(text)
    if calculation is not None:
        return Reply(
            render_calculation(calculation, knowledge.library), "calculation", (LAWYER_BUTTON,)
        )
    return _from_decision(_decide_with_context(text, knowledge, previous), knowledge)


def calculate(text: str) -> Calculation | None:
    """A sum, when the message asks for one and gives the numbers it needs."""
    months = parse_service_months(text)
    wage = parse_monthly_wage(text)
    if _ANNUAL_LEAVE_CUE.search(text) and months is not None:
        return annual_leave_days(months)
    if _OVERTIME_CUE.search(text) and wage is not None:
        hours = parse_overtime_hours(text)
        if hours:
            return overtime_pay(wage, hours)
    if _SEVERANCE_CUE.search(text) and months is not None and wage is not None:
        return severance(months, wage)
    return None


def _decide_with_context(
    text: str, knowledge: Knowledge, previous: PreviousTopic | None
) -> Decision:
    decision = knowledge.ask(text)
    entry = knowledge.entry(previous.faq_id) if previous else None
    if isinstance(decision, Answer) or entry is None or len(text.strip()) > _FOLLOW_UP_MAX_CHARS:
        return decision
    # "那试用期呢" after "被辞退有补偿吗" asks the same question about something else: search
    # both together, leaving out the entry that was already answered.
    context = previous.question if previous and previous.question else entry.title
    hits = [hit for hit in knowledge.index.search(f"{context} {text}") if hit.entry.id != entry.id]
    in_context = decide(hits, knowledge.policy)
    return in_context if isinstance(in_context, Answer) else decision


def _from_decision(decision: Decision, knowledge: Knowledge) -> Reply:
    if isinstance(decision, Answer):
        best = decision.hit.score
        related = tuple(
            hit.entry for hit in decision.runners_up[:2] if hit.score >= _RELATED_MIN_SHARE * best
        )
        return answer_entry(decision.hit.entry, knowledge, related)
    assert isinstance(decision, Clarification)
    if not decision.options:
        return Reply(UNSURE_WITHOUT_OPTIONS, "unsure", (LAWYER_BUTTON,))
    entries = [hit.entry for hit in decision.options]
    text = UNSURE_WITH_OPTIONS.format(topic=f"「{entries[0].topic}」")
    return Reply(text, "unsure", (*(topic_button(entry) for entry in entries), LAWYER_BUTTON))
