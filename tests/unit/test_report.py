"""The staff report: every figure on a known data set, and the staff commands around it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.cases import lawyers
from desk.cases.tickets import (
    CLAIMED,
    CLOSED,
    NORMAL,
    OPEN,
    URGENT,
    claim,
    close,
    open_or_add,
    rate,
    record_first_reply,
)
from desk.staff import cli
from desk.staff.report import (
    Report,
    build_report,
    format_duration,
    format_share,
    render_report,
)
from desk.storage.db import in_unit_of_work, session_scope
from desk.storage.models import Application, AuditEntry, Interaction, Ticket, TicketEvent

SINCE = datetime(2026, 3, 1, tzinfo=UTC)
UNTIL = datetime(2026, 4, 1, tzinfo=UTC)  # excluded
LAWYER = 1001


def at(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


def ticket(
    session: Session,
    number: int,
    opened: datetime,
    priority: str = NORMAL,
    tags: tuple[str, ...] = (),
    lawyer_id: int | None = None,
    *,
    claimed: datetime | None = None,
    replied: datetime | None = None,
    closed: datetime | None = None,
    outcome: str | None = None,
    amount: str | None = None,
    rating: int | None = None,
    rated: datetime | None = None,
) -> None:
    """A ticket as the workflow leaves it, at fixed times (the workflow itself uses now)."""
    status = CLOSED if closed else CLAIMED if claimed else OPEN
    row = Ticket(
        number=f"AJ-2026-{number:06d}",
        chat_id=f"tg:{number}",
        status=status,
        priority=priority,
        tags=list(tags),
        summary="案情",
        intake={},
        assignee_id=lawyer_id if claimed else None,
        opened_at=opened,
        claimed_at=claimed,
        first_reply_at=replied,
        closed_at=closed,
        outcome=outcome,
        amount_recovered=None if amount is None else Decimal(amount),
        rating=rating,
    )
    session.add(row)
    session.flush()
    if rated is not None:
        session.add(TicketEvent(ticket_id=row.id, action="rated", actor="worker", created_at=rated))


def application(session: Session, number: int, kind: str, created: datetime) -> None:
    session.add(
        Application(
            number=f"RH-2026-{number:06d}",
            kind=kind,
            status="submitted",
            created_at=created,
            updated_at=created,
            chat_id=f"tg:{number}",
            applicant_name="王强",
            id_number="650102199001011234",
            id_number_hash=f"hash{number}",
            phone="13912345678",
            details={},
        )
    )


def seed(url: str) -> None:
    """The known data set; the expected figures are worked out in the comments."""
    with session_scope(url) as session:
        lawyer = lawyers.register(session, LAWYER, "张律师", 10, staff="staff:li")

        def interaction(kind: str, created: datetime) -> None:
            session.add(
                Interaction(channel="tg", chat_pseudonym="p", kind=kind, created_at=created)
            )

        interaction("legal_answer", SINCE)  # exactly at since: counted
        for kind in ("legal_article", "legal_calculation"):  # answered
            interaction(kind, at(3, 5))
        for kind in ("legal_unsure", "legal_no_article", "not_understood"):  # asked only
            interaction(kind, at(3, 6))
        for kind in ("legal_prompt", "menu", "application_submitted"):  # not questions
            interaction(kind, at(3, 7))
        interaction("legal_answer", UNTIL)  # exactly at until: next period
        interaction("legal_answer", SINCE - timedelta(seconds=1))

        application(session, 1, "membership", SINCE)
        application(session, 2, "membership", at(3, 10))
        application(session, 3, "aid", at(3, 31, 23, 59, 59))
        application(session, 4, "aid", UNTIL)

        held = lawyer.id
        # A: opened exactly at since; claim 1h20m, reply 2h; recovered; rated 5 in the period.
        ticket(session, 1, SINCE, URGENT, ("欠薪", "集体"), held, claimed=at(3, 1, 1, 20),
               replied=at(3, 1, 2), closed=at(3, 10), outcome="recovered", amount="12345.67",
               rating=5, rated=at(3, 11))  # fmt: skip
        # B: claim 30m, reply 4h; resolved; rated 4.
        ticket(session, 2, at(3, 2, 8), NORMAL, ("欠薪",), held, claimed=at(3, 2, 8, 30),
               replied=at(3, 2, 12), closed=at(3, 20), outcome="resolved",
               rating=4, rated=at(3, 21))  # fmt: skip
        # C: claim 1 day, reply 30h; closed a second before until; rated exactly at until.
        ticket(session, 3, at(3, 3), NORMAL, ("工伤",), held, claimed=at(3, 4),
               replied=at(3, 4, 6), closed=at(3, 31, 23, 59, 59), outcome="mediation",
               amount="1000.00", rating=2, rated=UNTIL)  # fmt: skip
        # D: opened and claimed before the period; replied (13 days) and closed in it; rated 3.
        ticket(session, 4, at(2, 20), URGENT, ("解除",), held, claimed=at(2, 25),
               replied=at(3, 5), closed=at(3, 15), outcome="recovered", amount="500.50",
               rating=3, rated=at(3, 16))  # fmt: skip
        # E: opened exactly at until: next period.
        ticket(session, 5, UNTIL, NORMAL, ("欠薪",))
        # F: no tag, waiting in the queue.
        ticket(session, 6, at(3, 25), NORMAL)
        # G: closed before the period with money, rated 5 within it.
        ticket(session, 7, at(1, 10), NORMAL, ("欠薪",), held, claimed=at(1, 11),
               replied=at(1, 12), closed=at(2, 28), outcome="recovered", amount="999.00",
               rating=5, rated=at(3, 2))  # fmt: skip
        # H: urgent with two tags, claimed in 2h, no reply yet.
        ticket(session, 8, at(3, 28), URGENT, ("工伤", "欠薪"), held, claimed=at(3, 28, 2))
        # I: claimed in 10m; closed exactly at until: next period, money and all.
        ticket(session, 9, at(3, 6), NORMAL, ("加班",), held, claimed=at(3, 6, 0, 10),
               closed=UNTIL, outcome="arbitration", amount="777.00")  # fmt: skip


@pytest.fixture
def seeded(database_url: str) -> str:
    seed(database_url)
    return database_url


def report_for(url: str, since: datetime = SINCE, until: datetime = UNTIL) -> Report:
    with session_scope(url) as session:
        return build_report(session, since, until)


def test_every_figure_of_the_known_period(seeded: str) -> None:
    report = report_for(seeded)
    assert (report.since, report.until) == (SINCE, UNTIL)
    assert report.questions_asked == 6
    assert report.questions_answered == 3
    assert report.applications_submitted == {"membership": 2, "aid": 1}

    assert report.tickets_opened == 6  # A B C F H I
    assert report.opened_by_priority == {URGENT: 2, NORMAL: 4}
    assert report.opened_by_tag == {"欠薪": 3, "工伤": 2, "集体": 1, "加班": 1}
    assert list(report.opened_by_tag) == ["欠薪", "工伤", "集体", "加班"]

    assert report.tickets_closed == 4  # A B C D
    assert report.closed_by_priority == {URGENT: 2, NORMAL: 2}
    assert report.closed_by_outcome == {
        "resolved": 1,
        "mediation": 1,
        "arbitration": 0,
        "recovered": 2,
    }
    assert report.money_recovered == Decimal("13846.17")

    # Claims in the period: 10m, 30m, 1h20m, 2h, 24h.
    assert report.tickets_claimed == 5
    assert report.median_time_to_claim == timedelta(hours=1, minutes=20)
    # First replies in the period: 2h, 4h, 30h, 13 days: the middle two averaged.
    assert report.tickets_replied == 4
    assert report.median_time_to_first_reply == timedelta(hours=17)

    # Ratings given in the period: 5 (A), 4 (B), 3 (D), 5 (G); C's came at until.
    assert report.rated == 4
    assert report.rated_4_or_5 == 3
    assert report.satisfaction == 0.75
    assert report.average_rating == 4.25


def test_bounds_in_another_time_zone_mean_the_same_instants(seeded: str) -> None:
    shanghai = timezone(timedelta(hours=8))
    report = report_for(seeded, SINCE.astimezone(shanghai), UNTIL.astimezone(shanghai))
    assert report == report_for(seeded)
    assert report.since.tzinfo is UTC


def test_a_period_that_starts_at_until_takes_what_was_left_out(seeded: str) -> None:
    report = report_for(seeded, UNTIL, UNTIL + timedelta(days=1))
    assert (report.questions_asked, report.questions_answered) == (1, 1)
    assert report.applications_submitted == {"membership": 0, "aid": 1}
    assert report.tickets_opened == 1 and report.opened_by_tag == {"欠薪": 1}
    assert report.tickets_closed == 1 and report.closed_by_outcome["arbitration"] == 1
    assert report.money_recovered == Decimal("777.00")
    assert (report.rated, report.rated_4_or_5, report.satisfaction) == (1, 0, 0.0)
    assert report.median_time_to_claim is None


def test_an_empty_period_has_no_medians_nor_satisfaction(database_url: str) -> None:
    report = report_for(database_url)
    assert report.questions_asked == report.tickets_opened == report.tickets_closed == 0
    assert report.opened_by_priority == {URGENT: 0, NORMAL: 0}
    assert report.opened_by_tag == {}
    assert report.median_time_to_claim is None and report.median_time_to_first_reply is None
    assert report.money_recovered == Decimal("0.00")
    assert report.rated == 0 and report.satisfaction is None and report.average_rating is None
    text = render_report(report)
    assert "接案用时中位数 暂无数据" in text
    assert "律师首次答复用时中位数 暂无数据" in text
    assert "满意度 暂无数据" in text
    assert "为职工追回欠款 0.00 元" in text


def test_a_case_through_the_real_workflow_is_counted(database_url: str) -> None:
    """The rating is found through the history rate() writes, not only in seeded rows."""
    with session_scope(database_url) as session:
        lawyers.register(session, LAWYER, "张律师", 3, staff="staff:li")
        number = open_or_add(session, "tg:42", "欠薪", {}, URGENT, ("欠薪", "工伤"))[0].number
    assert number is not None
    assert isinstance(in_unit_of_work(database_url, claim, LAWYER), Ticket)
    with session_scope(database_url) as session:
        assert record_first_reply(session, number, LAWYER)
        close(session, number, LAWYER, "recovered", Decimal("3000"))
        rate(session, number, "tg:42", 4)
    now = datetime.now(UTC)
    report = report_for(database_url, now - timedelta(hours=1), now + timedelta(hours=1))
    assert report.tickets_opened == report.tickets_closed == 1
    assert report.opened_by_tag == {"欠薪": 1, "工伤": 1}
    assert report.closed_by_outcome["recovered"] == 1
    assert report.money_recovered == Decimal("3000.00")
    assert report.median_time_to_claim is not None
    assert report.median_time_to_claim < timedelta(minutes=1)
    assert (report.rated, report.rated_4_or_5, report.satisfaction) == (1, 1, 1.0)


def test_a_naive_or_empty_period_is_refused(database_url: str) -> None:
    with pytest.raises(ValueError):
        report_for(database_url, SINCE.replace(tzinfo=None), UNTIL)
    with pytest.raises(ValueError):
        report_for(database_url, UNTIL, UNTIL)


# --- The text ---------------------------------------------------------------------------------


def test_the_report_reads_as_the_union_would_put_it(seeded: str) -> None:
    assert render_report(report_for(seeded)).splitlines() == [
        "职工在线服务台工作情况（2026-03-01 至 2026-03-31（UTC））",
        "解答法律咨询 3 次（职工提问 6 次）",
        "收到在线申请 3 件（入会申请 2，帮扶救助申请 1）",
        "受理案件 6 件（紧急 2，普通 4）",
        "案件类别：欠薪 3，工伤 2，集体 1，加班 1",
        "办结 4 件（已解决 1，已转调解 1，已追回欠款 2）",
        "接案用时中位数 1小时20分",
        "律师首次答复用时中位数 17小时",
        "为职工追回欠款 13,846.17 元",
        "满意度 75%（评价 4 件，4–5 分 3 件，平均 4.3 分）",
    ]


def test_a_period_of_hours_is_shown_with_times(seeded: str) -> None:
    text = render_report(report_for(seeded, at(3, 1, 8), at(3, 2, 20)))
    assert text.startswith("职工在线服务台工作情况（2026-03-01 08:00 至 2026-03-02 20:00（UTC，")


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (None, "暂无数据"),
        (timedelta(seconds=45), "45秒"),
        (timedelta(minutes=45), "45分"),
        (timedelta(hours=1, minutes=20), "1小时20分"),
        (timedelta(hours=2), "2小时"),
        (timedelta(days=1, hours=3, seconds=20), "1天3小时"),
        (timedelta(days=13), "13天"),
    ],
)
def test_durations_read_naturally(duration: timedelta | None, text: str) -> None:
    assert format_duration(duration) == text


def test_shares_keep_a_decimal_only_when_it_says_something() -> None:
    assert (format_share(1.0), format_share(0.75), format_share(11 / 12)) == (
        "100%",
        "75%",
        "91.7%",
    )


# --- The staff commands -------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    printed = capsys.readouterr()
    return status, printed.out, printed.err


def test_staff_register_list_and_remove_lawyers(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    actor = ("--actor", "staff:zhang")
    status, out, _ = run(
        capsys, *actor, "lawyers", "add", "--telegram-id", "123", "--name", "张律师"
    )
    assert status == 0 and "张律师" in out and "上限 5 件" in out
    add_li = ("lawyers", "add", "--telegram-id", "456", "--name", "李律师", "--capacity", "2")
    assert run(capsys, *actor, *add_li)[0] == 0
    with session_scope(cli_database) as session:
        open_or_add(session, "tg:42", "欠薪", {})
    assert isinstance(in_unit_of_work(cli_database, claim, 123), Ticket)

    status, out, _ = run(capsys, "lawyers", "list")
    assert status == 0
    assert out.splitlines() == [
        "张律师  Telegram 123  上限 5 件  在办 1 件  在岗",
        "李律师  Telegram 456  上限 2 件  在办 0 件  在岗",
    ]

    status, out, _ = run(capsys, *actor, "lawyers", "remove", "--telegram-id", "123")
    assert status == 0 and "已退回队列" in out  # the case they held waits for another lawyer
    assert run(capsys, "lawyers", "list")[1].splitlines() == [
        "李律师  Telegram 456  上限 2 件  在办 0 件  在岗"
    ]
    assert (
        "张律师  Telegram 123  上限 5 件  在办 0 件  已停用"
        in run(capsys, "lawyers", "list", "--all")[1]
    )
    with session_scope(cli_database) as session:
        assert [t.status for t in session.scalars(select(Ticket))] == ["open"]

    with session_scope(cli_database) as session:
        entries = session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.subject).where(
                AuditEntry.action.like("lawyer.%")
            )
        ).all()
    assert sorted(entries) == [
        ("staff:zhang", "lawyer.registered", "lawyer:123"),
        ("staff:zhang", "lawyer.registered", "lawyer:456"),
        ("staff:zhang", "lawyer.removed", "lawyer:123"),
    ]


@pytest.mark.parametrize("bad", ["abc", "0", "-5", "12.5", "+7", "1_000", "", str(2**63)])
def test_a_bad_telegram_id_is_refused_in_chinese(
    cli_database: str, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    status, out, err = run(capsys, "lawyers", "add", f"--telegram-id={bad}", "--name", "张律师")
    assert status == 1 and out == ""
    assert f"Telegram id 应为正整数，收到的是“{bad}”" in err
    assert run(capsys, "lawyers", "list", "--all")[1].strip() == "（还没有登记的律师）"


def test_full_width_digits_are_a_valid_telegram_id(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "lawyers", "add", "--telegram-id", "１２３", "--name", "张律师")[0] == 0
    assert "Telegram 123 " in run(capsys, "lawyers", "list")[1]


def test_lawyer_errors_go_to_stderr_with_status_1(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "lawyers", "remove", "--telegram-id", "999")
    assert status == 1 and "没有登记 Telegram id 为 999 的律师" in err
    add = ("lawyers", "add", "--telegram-id", "5", "--name", "张律师", "--capacity")
    status, _, err = run(capsys, *add, "0")
    assert status == 1 and "同时承办的案件数应为正整数" in err
    status, _, err = run(capsys, "lawyers", "add", "--telegram-id", "5", "--name", "  ")
    assert status == 1 and "请填写律师的姓名" in err


def test_staff_report_as_json(
    seeded: str, cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(
        capsys, "report", "--since", "2026-03-01", "--until", "2026-04-01", "--json"
    )
    assert status == 0
    figures = json.loads(out)
    assert figures["since"] == "2026-03-01T00:00:00+00:00"
    assert figures["until"] == "2026-04-01T00:00:00+00:00"
    assert (figures["questions_asked"], figures["questions_answered"]) == (6, 3)
    assert figures["opened_by_tag"] == {"欠薪": 3, "工伤": 2, "集体": 1, "加班": 1}
    assert figures["closed_by_outcome"]["recovered"] == 2
    assert figures["median_time_to_claim"] == 4800
    assert figures["median_time_to_first_reply"] == 17 * 3600
    assert figures["money_recovered"] == "13846.17"
    assert (figures["rated"], figures["satisfaction"], figures["average_rating"]) == (4, 0.75, 4.25)


def test_staff_report_as_text_and_its_period(
    seeded: str, cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "report", "--since", "2026-03-01", "--until", "2026-04-01")
    assert status == 0 and "为职工追回欠款 13,846.17 元" in out
    status, out, _ = run(capsys, "report")  # this month so far: the seeded data is in 2026-03
    assert status == 0 and out.startswith("职工在线服务台工作情况")
    status, _, err = run(capsys, "report", "--since", "2026-03-01", "--until", "2026-03-01")
    assert status == 1 and "必须晚于开始日期" in err


def test_report_period_defaults_to_this_month_up_to_today() -> None:
    assert cli.report_period(None, None, date(2026, 3, 15)) == (
        datetime(2026, 3, 1, tzinfo=UTC),
        datetime(2026, 3, 16, tzinfo=UTC),
    )
    assert cli.report_period(date(2026, 1, 1), None, date(2026, 3, 15))[0] == datetime(
        2026, 1, 1, tzinfo=UTC
    )
