"""How the desk answers a labour-law message: a statute look-up, a calculation, or the FAQ.

The order matters: a worker who names an article wants that article; one who gives the numbers
wants the sum; everyone else gets the closest FAQ answer, or, when the desk is unsure, the
closest topics to choose from and a lawyer — never a guess and never an invented article.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from desk.legal.calculators import (
    Calculation,
    annual_leave_days,
    overtime_pay,
    parse_monthly_wage,
    parse_overtime,
    parse_service_months,
    parse_service_parts,
    severance,
)
from desk.legal.faq import FaqEntry
from desk.legal.library import Knowledge
from desk.legal.lookup import lookup_article
from desk.legal.render import render_article, render_calculation, render_faq_answer
from desk.legal.search import (
    Answer,
    Clarification,
    Decision,
    DecisionPolicy,
    asked_part,
    decide,
)

LAWYER_BUTTON = ("转人工律师", "/request_human")
APPLY_BUTTON = ("现在申请入会", "/apply_membership")
# Answers about joining end with the offer to apply, in the same conversation.
JOINING_ENTRIES = frozenset({"gig-join-union", "union-how-to-join", "union-eligibility"})
RELATED_HEADING = "您可能还想问："
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
# A follow-up searched together with the previous question is a guess at what was meant: it is
# answered only when clearly better placed than asking back.
_FOLLOW_UP = DecisionPolicy(min_coverage=0.45, min_margin=0.15)
# Runners-up offered under an answer, as buttons.
_RELATED = 2
_SEVERANCE_CUE = re.compile(r"补偿|赔偿|N\+1|遣散|辞退|开除|裁员|解除")
_ANNUAL_LEAVE_CUE = re.compile(r"年假|年休假")
# … and the number of days is what is asked (not 没休的年假怎么补偿, 派遣的能休吗).
_DAYS_ASKED = re.compile(r"几天|多少天|多少年假|多长|多久|该休多少|能休多少|有多少")
_OVERTIME_CUE = re.compile(r"加班")
# The entries whose question a calculation answers (how many days, how much): when the FAQ
# places a message clearly on another entry (没休的年假折钱吗, 病假后还有年假吗), the numbers in
# it are circumstances, not a request for a sum, and the FAQ answers.
CALCULATED_ENTRIES = frozenset(
    {"leave-annual-days", "hours-overtime-calc", "end-severance-formula", "end-severance-cap"}
)


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
    # When unsure with topics: the answer to the closest one, given instead of asking back when
    # the case goes on to a lawyer anyway (a question would only compete with the intake).
    best_guess: Reply | None = None

    @property
    def offers_topics(self) -> bool:
        """Unsure, but with topics to choose from: the subject itself was recognised."""
        return self.kind == "unsure" and len(self.buttons) > 1

    def alone(self) -> Reply:
        """This reply without its buttons (and the heading that announces them): what is shown
        when the lawyer's intake follows at once."""
        return replace(self, text=self.text.removesuffix("\n\n" + RELATED_HEADING), buttons=())


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
    decision = _decide_with_context(text, knowledge, previous)
    calculation = calculate(text)
    asks_another_matter = (
        isinstance(decision, Answer) and decision.hit.entry.id not in CALCULATED_ENTRIES
    )
    if calculation is not None and not asks_another_matter:
        return Reply(
            render_calculation(calculation, knowledge.library), "calculation", (LAWYER_BUTTON,)
        )
    return _from_decision(decision, knowledge)


def sure_answer(text: str, knowledge: Knowledge) -> Reply | None:
    """The FAQ's answer to a message that asks something, when the desk is sure of it; else None.

    For a message the intent classifier sent elsewhere: a question asked along with a request
    for a lawyer (请律师的钱公司要出吗) is answered before the intake, and one heard as a status
    request (流产了有假吗) is answered instead of asking for an application number.
    """
    if not asked_part(text):
        return None
    reply = answer_message(text, knowledge)
    return reply if reply.kind == "answer" else None


# A request for a person (工会律师能帮我吗, 能不能让律师联系我): the intake is the answer.
_ASKS_FOR_A_PERSON = re.compile(
    r"帮我|帮帮|联系我|找人|找个|安排|换个|换人|转|我要|我想|能不能让|真人|人工"
)


def answer_before_intake(text: str, knowledge: Knowledge) -> Reply | None:
    """The answer to a question that came with a request for a lawyer (请律师的钱公司要出吗,
    有免费的律师吗), shown before the intake; None when the message only asks for a person."""
    if _ASKS_FOR_A_PERSON.search(text):
        return None
    answer = sure_answer(text, knowledge)
    return answer.alone() if answer is not None else None


def calculate(text: str) -> Calculation | None:
    """A sum, when the message asks for one and gives the numbers it needs."""
    months = parse_service_months(text)
    wage = parse_monthly_wage(text)
    if _ANNUAL_LEAVE_CUE.search(text) and _DAYS_ASKED.search(text) and months is not None:
        parts = parse_service_parts(text)  # with every employer (实施办法 第四条), or a total
        return annual_leave_days(sum(parts), parts) if parts else annual_leave_days(months)
    if _OVERTIME_CUE.search(text) and wage is not None:
        overtime = parse_overtime(text)
        if overtime.hours:
            return overtime_pay(wage, overtime.hours, overtime.notes, overtime.basis)
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
    in_context = decide(hits, _FOLLOW_UP)
    return in_context if isinstance(in_context, Answer) else decision


def _from_decision(decision: Decision, knowledge: Knowledge) -> Reply:
    if isinstance(decision, Answer):
        related = tuple(hit.entry for hit in decision.runners_up[:_RELATED])
        return answer_entry(decision.hit.entry, knowledge, related)
    assert isinstance(decision, Clarification)
    if not decision.options:
        return Reply(UNSURE_WITHOUT_OPTIONS, "unsure", (LAWYER_BUTTON,))
    entries = [hit.entry for hit in decision.options]
    text = UNSURE_WITH_OPTIONS.format(topic=f"「{entries[0].topic}」")
    buttons = (*(topic_button(entry) for entry in entries), LAWYER_BUTTON)
    return Reply(text, "unsure", buttons, best_guess=answer_entry(entries[0], knowledge))
