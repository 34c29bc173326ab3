"""The figures union staff put in their reports (法律咨询、受理与办结案件、追回欠款、满意度).

Every figure covers the half-open period [since, until): an event exactly at `since` counts,
one exactly at `until` belongs to the next period, so consecutive periods never count twice.

Rows are selected in SQL by their own timestamp and counted in Python: tags are a JSON list
(counting inside JSON differs between SQLite and PostgreSQL), and SQLite hands back naive
datetimes, which are normalised to UTC before any arithmetic.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from desk.aid.policies import get_policies
from desk.applications.store import KIND_LABEL
from desk.cases.tickets import KNOWN_TAGS, OUTCOMES, PRIORITY_LABEL
from desk.legal.faq import load_faq
from desk.legal.statutes import load_library
from desk.settings import get_settings
from desk.storage.models import Application, Interaction, Ticket, TicketEvent, as_utc

# What counts as a legal question (kinds recorded by actions/legal.py and actions/fallback.py).
# Answered: the desk gave an answer with its legal basis, quoted the article asked for, or did
# the calculation. Asked but not answered: it was unsure (offered topics or a lawyer), the
# article asked for does not exist, or the fallback did not understand the message at all —
# counted as asked so the answer rate is not flattered by what the desk failed to grasp.
# legal_prompt is left out on purpose: it is recorded when the message held no question yet
# (the 法律咨询 menu button), so counting it would turn menu taps into questions.
# A topic chosen from an unsure reply is recorded as a second interaction (legal_answer), so
# such a question counts as asked twice and answered once; the records cannot tell them apart.
ANSWERED_KINDS = frozenset({"legal_answer", "legal_article", "legal_calculation"})
UNANSWERED_KINDS = frozenset({"legal_unsure", "legal_no_article", "not_understood"})
QUESTION_KINDS = ANSWERED_KINDS | UNANSWERED_KINDS

NO_DATA = "暂无数据"


@dataclass(frozen=True)
class Report:
    since: datetime
    until: datetime  # excluded
    questions_asked: int
    questions_answered: int
    applications_submitted: dict[str, int]  # by kind (membership, aid), every kind present
    tickets_opened: int
    opened_by_priority: dict[str, int]  # urgent, normal
    opened_by_tag: dict[str, int]  # a ticket with several tags counts once under each
    tickets_closed: int
    closed_by_priority: dict[str, int]
    closed_by_outcome: dict[str, int]  # keys of tickets.OUTCOMES
    tickets_claimed: int  # claimed in the period: the sample of the median below
    median_time_to_claim: timedelta | None
    tickets_replied: int  # first lawyer reply in the period: the sample of the median below
    median_time_to_first_reply: timedelta | None
    money_recovered: Decimal  # by tickets closed in the period, in 元
    rated: int  # ratings given in the period
    rated_4_or_5: int
    satisfaction: float | None  # rated_4_or_5 / rated; None when nobody rated
    average_rating: float | None

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values: durations in seconds, money as a string (no float rounding)."""
        values: dict[str, Any] = {}
        for name, value in self.__dict__.items():
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, timedelta):
                value = value.total_seconds()
            elif isinstance(value, Decimal):
                value = f"{value:.2f}"
            values[name] = value
        return values


def _in_period(
    column: InstrumentedAttribute[datetime] | InstrumentedAttribute[datetime | None],
    since: datetime,
    until: datetime,
) -> ColumnElement[bool]:
    return and_(column >= since, column < until)


def median(durations: Iterable[timedelta]) -> timedelta | None:
    ordered = list(durations)
    return statistics.median(ordered) if ordered else None


def _count(values: Iterable[str], known: Iterable[str] = ()) -> dict[str, int]:
    """Counts, with every known key present (0 if absent) so the JSON keeps one shape."""
    counts = Counter(values)
    return {key: counts.get(key, 0) for key in dict.fromkeys((*known, *sorted(counts)))}


def build_report(session: Session, since: datetime, until: datetime) -> Report:
    """since, until: timezone-aware; until is excluded."""
    if since.tzinfo is None or until.tzinfo is None:
        raise ValueError("since and until must be timezone-aware")
    # Compared in UTC: SQLite compares the stored UTC text, so the bounds must be UTC too.
    since, until = as_utc(since), as_utc(until)
    if until <= since:
        raise ValueError("the period must end after it starts")

    kinds = list(
        session.scalars(
            select(Interaction.kind).where(
                Interaction.kind.in_(QUESTION_KINDS),
                _in_period(Interaction.created_at, since, until),
            )
        )
    )
    applications = session.scalars(
        select(Application.kind).where(_in_period(Application.created_at, since, until))
    )

    opened = session.execute(
        select(Ticket.priority, Ticket.tags).where(_in_period(Ticket.opened_at, since, until))
    ).all()
    closed = session.execute(
        select(Ticket.priority, Ticket.outcome, Ticket.amount_recovered).where(
            _in_period(Ticket.closed_at, since, until)
        )
    ).all()
    claimed = _reached(session, Ticket.claimed_at, since, until)
    replied = _reached(session, Ticket.first_reply_at, since, until)
    ratings = _ratings(session, since, until)

    high = sum(1 for rating in ratings if rating >= 4)
    return Report(
        since=since,
        until=until,
        questions_asked=len(kinds),
        questions_answered=sum(1 for kind in kinds if kind in ANSWERED_KINDS),
        applications_submitted=_count(applications, KIND_LABEL),
        tickets_opened=len(opened),
        opened_by_priority=_count((row.priority for row in opened), PRIORITY_LABEL),
        opened_by_tag=_count_tags(tags for _, tags in opened),
        tickets_closed=len(closed),
        closed_by_priority=_count((row.priority for row in closed), PRIORITY_LABEL),
        closed_by_outcome=_count((row.outcome or "" for row in closed), OUTCOMES),
        tickets_claimed=len(claimed),
        median_time_to_claim=median(as_utc(b) - as_utc(a) for a, b in claimed),
        tickets_replied=len(replied),
        median_time_to_first_reply=median(as_utc(b) - as_utc(a) for a, b in replied),
        money_recovered=sum(
            (row.amount_recovered for row in closed if row.amount_recovered is not None),
            Decimal("0.00"),
        ),
        rated=len(ratings),
        rated_4_or_5=high,
        satisfaction=high / len(ratings) if ratings else None,
        average_rating=sum(ratings) / len(ratings) if ratings else None,
    )


def _reached(
    session: Session,
    step: InstrumentedAttribute[datetime | None],
    since: datetime,
    until: datetime,
) -> list[tuple[datetime, datetime]]:
    """(opened_at, step's time) of the tickets that reached the step (claim, first reply) in
    the period: the sample of its median and of the chart's spread."""
    query = select(Ticket.opened_at, step).where(_in_period(step, since, until))
    return [(opened, reached) for opened, reached in session.execute(query) if reached]


def _ratings(session: Session, since: datetime, until: datetime) -> list[int]:
    """Ratings by when they were given (the "rated" event; a case is rated once): a past
    period's figure then stays as reported, instead of changing when a late rating arrives."""
    return list(
        session.scalars(
            select(Ticket.rating)
            .join(TicketEvent, TicketEvent.ticket_id == Ticket.id)
            .where(
                TicketEvent.action == "rated",
                Ticket.rating.is_not(None),
                _in_period(TicketEvent.created_at, since, until),
            )
        )
    )


def _count_tags(tag_lists: Iterable[list[str] | None]) -> dict[str, int]:
    """Most frequent first; ties in the order of the known tags, then by name."""
    counts = Counter(tag for tags in tag_lists for tag in dict.fromkeys(tags or ()))
    rank = {tag: position for position, tag in enumerate(KNOWN_TAGS)}
    ordered = sorted(counts, key=lambda tag: (-counts[tag], rank.get(tag, len(rank)), tag))
    return {tag: counts[tag] for tag in ordered}


# --- The text for the report ----------------------------------------------------------------


def format_duration(duration: timedelta | None) -> str:
    """1天3小时, 1小时20分, 45分; under a minute in seconds."""
    if duration is None:
        return NO_DATA
    seconds = round(duration.total_seconds())
    if seconds < 60:
        return f"{seconds}秒"
    minutes = round(seconds / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "天"), (hours, "小时"), (minutes, "分")]
    return "".join(f"{value}{unit}" for value, unit in parts if value)


def format_money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def format_share(share: float) -> str:
    """100%, 91.7%: one decimal only when it says something."""
    text = f"{share * 100:.1f}"
    return f"{text.removesuffix('.0')}%"


def format_rating(average: float) -> str:
    """One decimal, rounded half up as people do (4.25 → 4.3, where float formatting gives 4.2)."""
    return str(Decimal(str(average)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def format_period(since: datetime, until: datetime) -> str:
    """Whole days read as dates with the last day included (until is excluded)."""
    midnight = time.min.replace(tzinfo=UTC)
    if since.timetz() == midnight and until.timetz() == midnight:
        last = until - timedelta(days=1)
        return f"{since:%Y-%m-%d} 至 {last:%Y-%m-%d}（UTC）"
    return f"{since:%Y-%m-%d %H:%M} 至 {until:%Y-%m-%d %H:%M}（UTC，不含结束时刻）"


def _breakdown(counts: Mapping[str, int], labels: Mapping[str, str]) -> str:
    return "，".join(f"{labels.get(key, key or '未注明')} {n}" for key, n in counts.items())


def report_heading(report: Report) -> str:
    return f"职工在线服务台工作情况（{format_period(report.since, report.until)}）"


def render_report(report: Report) -> str:
    """A few lines in the words a union report would use; the first is report_heading."""
    submitted = report.applications_submitted
    lines = [
        report_heading(report),
        f"解答法律咨询 {report.questions_answered} 次（职工提问 {report.questions_asked} 次）",
        f"收到在线申请 {sum(submitted.values())} 件（{_breakdown(submitted, KIND_LABEL)}）",
        f"受理案件 {report.tickets_opened} 件"
        f"（{_breakdown(report.opened_by_priority, PRIORITY_LABEL)}）",
    ]
    if report.opened_by_tag:
        lines.append(f"案件类别：{_breakdown(report.opened_by_tag, {})}")
    closed = f"办结 {report.tickets_closed} 件"
    if report.tickets_closed:
        outcomes = {key: n for key, n in report.closed_by_outcome.items() if n}
        closed += f"（{_breakdown(outcomes, OUTCOMES)}）"
    lines += [
        closed,
        f"接案用时中位数 {format_duration(report.median_time_to_claim)}",
        f"律师首次答复用时中位数 {format_duration(report.median_time_to_first_reply)}",
        f"为职工追回欠款 {format_money(report.money_recovered)} 元",
    ]
    if report.satisfaction is None or report.average_rating is None:
        lines.append(f"满意度 {NO_DATA}（本期没有评价）")
    else:
        lines.append(
            f"满意度 {format_share(report.satisfaction)}（评价 {report.rated} 件，"
            f"4–5 分 {report.rated_4_or_5} 件，平均 {format_rating(report.average_rating)} 分）"
        )
    return "\n".join(lines)


# --- The series behind the console's charts ---------------------------------------------------

TOP_TOPICS = 10
MEMBERSHIP_PROGRAMME = "入会"  # membership applications, charted beside the aid programmes


@dataclass(frozen=True)
class Series:
    """The report's figures spread over the period, for charts; the totals are the Report's.

    Days and weeks are UTC, weeks starting on Monday; a week cut by the period's edge holds
    only the days inside it."""

    questions_by_day: dict[str, dict[str, int]]  # "2026-03-01" → {"asked", "answered"}
    top_topics: dict[str, int]  # title of the FAQ entry answered → times, most first
    cases_by_week: dict[str, dict[str, int]]  # Monday → {"opened_urgent", …, "closed_normal"}
    tags_by_week: dict[str, dict[str, int]]  # Monday → tag → cases opened (as opened_by_tag)
    money_by_week: dict[str, str]  # Monday → 元 recovered by cases closed that week
    hours_to_claim: list[float]  # each claim in the period (the spread around the median)
    hours_to_first_reply: list[float]
    ratings: dict[str, int]  # "1" … "5" → ratings given in the period
    applications: dict[str, dict[str, int]]  # programme's name → verdict (or 未判断) → count

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@lru_cache(maxsize=1)
def faq_titles() -> dict[str, str]:
    """FAQ entry id → its title (没签合同要二倍工资): what the topics chart names."""
    knowledge_dir = get_settings().knowledge_dir
    entries = load_faq(knowledge_dir / "faq", load_library(knowledge_dir / "statutes"))
    return {entry.id: entry.title for entry in entries}


def programme_name(programme: str | None) -> str:
    policy = get_policies().find(programme) if programme else None
    return policy.name if policy else programme or "其他"


def _days(since: datetime, until: datetime) -> list[str]:
    first, last = since.date(), (until - timedelta(microseconds=1)).date()
    return [str(first + timedelta(days=n)) for n in range((last - first).days + 1)]


def _week(moment: datetime) -> str:
    day = as_utc(moment).date()
    return str(day - timedelta(days=day.weekday()))


def _hours(pairs: Iterable[tuple[datetime, datetime]]) -> list[float]:
    return sorted(round((as_utc(b) - as_utc(a)).total_seconds() / 3600, 2) for a, b in pairs)


def build_series(session: Session, since: datetime, until: datetime) -> Series:
    """The same rows, by the same timestamps, as build_report: the sums are its totals."""
    since, until = as_utc(since), as_utc(until)
    period = (since, until)
    questions = {day: {"asked": 0, "answered": 0} for day in _days(since, until)}
    topics: Counter[str] = Counter()
    for kind, topic, created in session.execute(
        select(Interaction.kind, Interaction.topic, Interaction.created_at).where(
            Interaction.kind.in_(QUESTION_KINDS), _in_period(Interaction.created_at, *period)
        )
    ):
        day = questions[str(as_utc(created).date())]
        day["asked"] += 1
        if kind in ANSWERED_KINDS:
            day["answered"] += 1
            topics[faq_titles().get(topic or "", topic or "其他")] += 1

    weeks: dict[str, dict[str, int]] = {}
    money: dict[str, Decimal] = {}

    def week(moment: datetime) -> dict[str, int]:
        return weeks.setdefault(
            _week(moment),
            {f"{what}_{p}": 0 for what in ("opened", "closed") for p in PRIORITY_LABEL},
        )

    tags_by_week: dict[str, Counter[str]] = {}
    for priority, opened_at, tags in session.execute(
        select(Ticket.priority, Ticket.opened_at, Ticket.tags).where(
            _in_period(Ticket.opened_at, *period)
        )
    ):
        week(opened_at)[f"opened_{priority}"] += 1
        tags_by_week.setdefault(_week(opened_at), Counter()).update(list(dict.fromkeys(tags or ())))
    for priority, closed_at, amount in session.execute(
        select(Ticket.priority, Ticket.closed_at, Ticket.amount_recovered).where(
            _in_period(Ticket.closed_at, *period)
        )
    ):
        week(closed_at)[f"closed_{priority}"] += 1
        key = _week(closed_at)
        money[key] = money.get(key, Decimal("0.00")) + (amount or Decimal("0.00"))

    ratings = Counter(_ratings(session, *period))
    applications: dict[str, dict[str, int]] = {}
    for kind, programme, verdict in session.execute(
        select(Application.kind, Application.programme, Application.verdict).where(
            _in_period(Application.created_at, *period)
        )
    ):
        name = MEMBERSHIP_PROGRAMME if kind == "membership" else programme_name(programme)
        by_verdict = applications.setdefault(name, {})
        by_verdict[verdict or "未判断"] = by_verdict.get(verdict or "未判断", 0) + 1

    return Series(
        questions_by_day=questions,
        top_topics=dict(topics.most_common(TOP_TOPICS)),
        cases_by_week=dict(sorted(weeks.items())),
        tags_by_week={key: dict(tags_by_week[key]) for key in sorted(tags_by_week)},
        money_by_week={key: f"{money[key]:.2f}" for key in sorted(money)},
        hours_to_claim=_hours(_reached(session, Ticket.claimed_at, *period)),
        hours_to_first_reply=_hours(_reached(session, Ticket.first_reply_at, *period)),
        ratings={str(score): ratings.get(score, 0) for score in range(1, 6)},
        applications=applications,
    )


def figures(session: Session, report: Report) -> dict[str, Any]:
    """What the charts draw and /console/report.json serves: the report's JSON (as the CLI's
    --json prints it) and the series behind it, for the same period."""
    series = build_series(session, report.since, report.until)
    return {"report": report.as_json(), "series": series.as_json()}
