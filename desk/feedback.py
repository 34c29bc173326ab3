"""The follow-up after a closed case (回访): a score from 1 to 5, then an optional comment.

The worker is asked once, with buttons; typing the digit works too. Anything else they write
while we wait for the score goes to the bot as usual, so a new question is never swallowed.
Only right after the score does the next message count as the comment, because we asked for it.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.replies import Reply
from desk.tickets import (
    CLOSED,
    COMMENT_STAGE,
    PAYLOAD_PREFIX,
    RATING_STAGE,
    Ticket,
    TicketError,
    rate,
)

_SCORE = re.compile(r"^\s*([1-5１-５一二三四五])\s*(分|星)?\s*[。！!.]?\s*$")
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
SKIP_COMMENT = "不用了"
SKIP_WORDS = frozenset({SKIP_COMMENT, "不用", "没有", "没有了", "算了"})
ASK_COMMENT = "谢谢您的评分！还想说说意见或建议吗？直接回复就好；不用的话点「不用了」。"
THANKS = "谢谢您的反馈，我们会转告律师并继续改进。有问题随时找我。"
SKIPPED = "好的，谢谢您！有问题随时找我。"


def read_score(text: str) -> int | None:
    """5, ５, 5分, 五分 → 5; anything else None."""
    found = _SCORE.match(text)
    if not found:
        return None
    digit = found.group(1)
    return _CHINESE_DIGITS.get(digit) or int(digit.translate(str.maketrans("１２３４５", "12345")))


def awaiting(session: Session, chat_id: str) -> Ticket | None:
    """The chat's closed case whose follow-up is still open, the latest first."""
    return session.scalars(
        select(Ticket)
        .where(
            Ticket.chat_id == chat_id,
            Ticket.status == CLOSED,
            Ticket.feedback_stage.is_not(None),
        )
        .order_by(Ticket.closed_at.desc(), Ticket.id.desc())
    ).first()


def on_text(session: Session, chat_id: str, text: str) -> list[Reply] | None:
    """A score or a comment for the follow-up; None when the text is neither (the bot answers)."""
    ticket = awaiting(session, chat_id)
    if ticket is None:
        return None
    if ticket.feedback_stage == COMMENT_STAGE:
        ticket.feedback_stage = None
        if text.strip().rstrip("。！!.") in SKIP_WORDS:  # the button's title, typed
            return [Reply(SKIPPED)]
        ticket.rating_comment = text.strip()
        return [Reply(THANKS)]
    score = read_score(text) if ticket.feedback_stage == RATING_STAGE else None
    return None if score is None else _rated(session, ticket, chat_id, score)


def on_payload(session: Session, chat_id: str, payload: str) -> list[Reply] | None:
    """ticket:rate:<number>:<score> and ticket:nocomment:<number>; None for other payloads."""
    parts = payload.removeprefix(PAYLOAD_PREFIX).split(":")
    if parts[0] == "rate" and len(parts) == 3 and parts[2].isdigit():
        ticket = _own_closed(session, chat_id, parts[1])
        if ticket is None:
            return [Reply(f"没有找到您的案件 {parts[1]}。")]
        return _rated(session, ticket, chat_id, int(parts[2]))
    if parts[0] == "nocomment" and len(parts) == 2:
        ticket = _own_closed(session, chat_id, parts[1])
        if ticket is not None and ticket.feedback_stage == COMMENT_STAGE:
            ticket.feedback_stage = None
        return [Reply(SKIPPED)]
    return None


def _own_closed(session: Session, chat_id: str, number: str) -> Ticket | None:
    ticket = session.scalars(select(Ticket).where(Ticket.number == number.upper())).first()
    return ticket if ticket is not None and ticket.chat_id == chat_id else None


def _rated(session: Session, ticket: Ticket, chat_id: str, score: int) -> list[Reply]:
    try:
        rate(session, ticket.number or "", chat_id, score)
    except TicketError as error:
        return [Reply(str(error))]
    skip = (SKIP_COMMENT, f"{PAYLOAD_PREFIX}nocomment:{ticket.number}")
    return [Reply(ASK_COMMENT, (skip,))]
