"""python -m desk: the union staff's command line (applications, lawyers, cases, the report).

Everything printed here is seen by staff, not by the applicant: ID and phone numbers are masked.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TextIO

from sqlalchemy.orm import Session

from desk.aid.application import CHECK_MARKS
from desk.applications.store import (
    APPROVED,
    PAID,
    REJECTED,
    STATUS_LABEL,
    UNDER_REVIEW,
    VERIFIED,
    ApplicationError,
    by_number,
    change_many,
    listing,
    unknown_note,
)
from desk.cases import lawyers, tickets
from desk.cases.lawyers import DEFAULT_CAPACITY, LawyerError
from desk.cases.tickets import TicketError
from desk.common.pii import mask_id_number, mask_phone
from desk.settings import get_settings
from desk.staff import accounts_cli, case_view, retention
from desk.staff.accounts import AccountError
from desk.staff.report import build_report, figures, render_report, report_heading
from desk.storage import backup
from desk.storage.db import session_scope
from desk.storage.migrate import upgrade_database
from desk.storage.models import Application, Lawyer

# BIGINT, the column Telegram ids are stored in.
_MAX_TELEGRAM_ID = 2**63 - 1


class UsageError(ValueError):
    """Input argparse cannot judge (a Telegram id, a period); the message is for staff."""


MOVES = {
    "review": UNDER_REVIEW,
    "approve": APPROVED,
    "verify": VERIFIED,
    "pay": PAID,
    "reject": REJECTED,
}


def summary_line(application: Application) -> str:
    created = application.created_at.strftime("%Y-%m-%d %H:%M")
    verdict = f"  {application.verdict}" if application.verdict else ""
    return (
        f"{application.number}  {STATUS_LABEL[application.status]:<8}{verdict}  {created}  "
        f"{application.applicant_name}  {mask_phone(application.phone)}  "
        f"{application.union_id or '-'}" + ("  ⚠需核实" if application.review_note else "")
    )


def verdict_lines(application: Application) -> list[str]:
    """Aid: the preliminary verdict and how each condition was judged, for the reviewer."""
    if not application.verdict:
        return []
    checks = application.checks or []
    return [f"初步判断：{application.verdict}"] + [
        f"  {CHECK_MARKS[c['passed']]} {c['label']}：{c['reason']}" for c in checks
    ]


def details_text(application: Application) -> str:
    lines = [
        f"编号：{application.number}（{application.kind}）",
        f"状态：{STATUS_LABEL[application.status]}",
        f"姓名：{application.applicant_name}",
        f"身份证号：{mask_id_number(application.id_number)}",
        f"手机号：{mask_phone(application.phone)}",
        *(f"{key}：{value}" for key, value in application.details.items()),
        f"受理工会：{application.union_id or '-'}（{application.routing_reason or ''}）",
        *([f"⚠ 需核实：{application.review_note}"] if application.review_note else []),
        *verdict_lines(application),
        "记录：",
        *(
            f"  {event.created_at:%Y-%m-%d %H:%M}  {STATUS_LABEL[event.status]}  {event.actor}"
            + (f"  {event.note}" if event.note else "")
            for event in application.events
        ),
    ]
    return "\n".join(lines)


CSV_COLUMNS = ("编号", "类别", "项目", "初步判断", "金额", "状态", "提交时间", "受理工会")


def write_csv(rows: list[Application], out: TextIO) -> None:
    """For the union's report: no names, ID or phone numbers."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            (
                row.number,
                row.kind,
                row.programme or "",
                row.verdict or "",
                row.amount if row.amount is not None else "",
                STATUS_LABEL[row.status],
                row.created_at.strftime("%Y-%m-%d %H:%M"),
                row.union_id or "",
            )
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m desk", description="职工在线服务台 staff tools"
    )
    topics = parser.add_subparsers(dest="topic", required=True)
    _add_applications(topics)
    _add_lawyers(topics)
    _add_cases(topics)
    _add_report(topics)
    accounts_cli.add_parser(topics)
    topics.add_parser(
        "purge",
        help="erase personal data past the retention periods (RETENTION_DAYS, "
        "CONVERSATION_RETENTION_DAYS)",
    )
    for name, what in (
        ("backup", "copy the database and Rasa's conversations into FOLDER (while running)"),
        ("restore", "put the copies in FOLDER back (stop the desk first)"),
    ):
        topics.add_parser(name, help=what).add_argument("folder", type=Path)
    parser.add_argument("--actor", default=f"staff:{getpass.getuser()}")
    return parser


def _add_applications(topics: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    applications = topics.add_parser("applications", help="review applications")
    commands = applications.add_subparsers(dest="command", required=True)
    listed = commands.add_parser("list", help="list applications")
    listed.add_argument("--kind", choices=["membership", "aid"])
    listed.add_argument("--status", choices=sorted(STATUS_LABEL))
    listed.add_argument("--programme", help="aid programme id, e.g. new-employment-relief")
    listed.add_argument("--verdict", choices=["符合", "不符合", "需人工核实"])
    exported = commands.add_parser("export", help="CSV of applications for a period (report)")
    exported.add_argument("--since", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    exported.add_argument(
        "--until", type=date.fromisoformat, required=True, help="YYYY-MM-DD, excluded"
    )
    exported.add_argument("--kind", choices=["membership", "aid"])
    commands.add_parser("show", help="one application with its history").add_argument("number")
    for name in MOVES:
        move = commands.add_parser(name, help=f"mark as {MOVES[name]}; the applicants are notified")
        move.add_argument("numbers", nargs="+", help="one or more numbers: 核实一批、发放一批")
        move.add_argument("--reason", required=name == "reject")


def _add_lawyers(topics: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lawyers_parser = topics.add_parser("lawyers", help="register the lawyers who take cases")
    commands = lawyers_parser.add_subparsers(dest="command", required=True)
    added = commands.add_parser("add", help="register a lawyer, or update and reactivate one")
    # Strings, not type=int: a bad id gets our Chinese message and exit status 1 (see below).
    added.add_argument("--telegram-id", required=True, help="the lawyer's Telegram user id")
    added.add_argument("--name", required=True)
    added.add_argument(
        "--capacity",
        default=str(DEFAULT_CAPACITY),
        help=f"cases held at once (default {DEFAULT_CAPACITY})",
    )
    removed = commands.add_parser("remove", help="deactivate; cases held go back to the queue")
    removed.add_argument("--telegram-id", required=True)
    listed = commands.add_parser("list", help="lawyers with the cases each holds now")
    listed.add_argument("--all", action="store_true", help="include deactivated lawyers")


def _add_cases(topics: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cases = topics.add_parser(
        "cases", help="the lawyers' cases, as much as STAFF_SEE_CASES lets staff see"
    )
    commands = cases.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the cases waiting or held, one line each")
    commands.add_parser("show", help="one case").add_argument("number")


def _add_report(topics: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = topics.add_parser(
        "report",
        help="figures for the union's report",
        description="Figures for a period [since, until), in UTC days.",
    )
    report.add_argument(
        "--since",
        type=date.fromisoformat,
        help="YYYY-MM-DD, included (default: the first day of the current month)",
    )
    report.add_argument(
        "--until",
        type=date.fromisoformat,
        help="YYYY-MM-DD, excluded (default: tomorrow, so today is included)",
    )
    report.add_argument(
        "--json",
        action="store_true",
        help="the figures as JSON (durations in seconds, money as a string)",
    )
    report.add_argument(
        "--pdf", type=Path, metavar="FILE", help="also write the charts to FILE, one a page"
    )


# --- Applications ---------------------------------------------------------------------------


def run_applications(session: Session, arguments: argparse.Namespace) -> None:
    if arguments.command == "list":
        rows = listing(
            session, arguments.kind, arguments.status, arguments.programme, arguments.verdict
        )
        print("\n".join(summary_line(row) for row in rows) or "（没有符合条件的申请）")
    elif arguments.command == "export":
        since = datetime.combine(arguments.since, time.min, UTC)
        until = datetime.combine(arguments.until, time.min, UTC)
        write_csv(listing(session, arguments.kind, since=since, until=until), sys.stdout)
    elif arguments.command == "show":
        application = by_number(session, arguments.number)
        if application is None:
            raise ApplicationError(f"没有编号为 {arguments.number} 的申请")
        print(details_text(application))
    else:
        # One transaction: a batch is marked as a whole or not at all.
        batch = change_many(
            session, arguments.numbers, MOVES[arguments.command], arguments.actor, arguments.reason
        )
        for application in batch.moved:
            print(f"{application.number} → {STATUS_LABEL[application.status]}（已通知申请人）")
        if batch.unknown:
            print(unknown_note(batch.unknown), file=sys.stderr)


# --- Lawyers --------------------------------------------------------------------------------


def positive_integer(text: str, what: str, limit: int = _MAX_TELEGRAM_ID) -> int:
    """Digits only (full-width ones too): int() alone would also take "+5", "1_0" or " 5"."""
    digits = unicodedata.normalize("NFKC", text).strip()
    if not re.fullmatch(r"[0-9]+", digits) or not 0 < int(digits) <= limit:
        raise UsageError(f"{what}应为正整数，收到的是“{text}”")
    return int(digits)


def lawyer_line(lawyer: Lawyer, held: int) -> str:
    state = "在岗" if lawyer.active else "已停用"
    return (
        f"{lawyer.name}  Telegram {lawyer.telegram_id}  "
        f"上限 {lawyer.capacity} 件  在办 {held} 件  {state}"
    )


def run_lawyers(session: Session, arguments: argparse.Namespace) -> None:
    if arguments.command == "list":
        held = tickets.held_counts(session)
        rows = lawyers.listing(session, include_inactive=arguments.all)
        print(
            "\n".join(lawyer_line(row, held.get(row.id, 0)) for row in rows)
            or "（还没有登记的律师）"
        )
        return
    telegram_id = positive_integer(arguments.telegram_id, "Telegram id ")
    if arguments.command == "add":
        capacity = positive_integer(arguments.capacity, "同时承办的案件数", limit=2**31 - 1)
        lawyer = lawyers.register(session, telegram_id, arguments.name, capacity, arguments.actor)
        print(f"已登记律师 {lawyer.name}（Telegram {telegram_id}，同时承办上限 {capacity} 件）")
    else:
        lawyer, released = tickets.remove_lawyer(session, telegram_id, arguments.actor)
        for ticket in released:
            print(f"{ticket.number} 已退回队列，工友已收到通知")
        print(f"已停用律师 {lawyer.name}（Telegram {telegram_id}），不能再接新案")


def run_cases(session: Session, arguments: argparse.Namespace) -> None:
    view = get_settings().staff_see_cases
    if arguments.command == "list":
        lines = [case_view.line(ticket) for ticket in case_view.in_progress(session, view)]
        print("\n".join(lines) or "（现在没有在办的案件）")
    else:
        print(case_view.case_text(session, arguments.number, view))


# --- Report ---------------------------------------------------------------------------------


def report_period(since: date | None, until: date | None, today: date) -> tuple[datetime, datetime]:
    """Defaults: from the first day of this month up to and including today."""
    since = since or today.replace(day=1)
    until = until or today + timedelta(days=1)
    if until <= since:
        raise UsageError("结束日期（--until，不含当天）必须晚于开始日期（--since）")
    return datetime.combine(since, time.min, UTC), datetime.combine(until, time.min, UTC)


def run_report(session: Session, arguments: argparse.Namespace) -> None:
    today = datetime.now(UTC).date()
    report = build_report(session, *report_period(arguments.since, arguments.until, today))
    if arguments.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print(render_report(report))
    if arguments.pdf:
        from desk.staff import charts  # matplotlib: loaded only when charts are asked for

        arguments.pdf.write_bytes(charts.pdf(figures(session, report), report_heading(report)))
        print(f"图表已写入 / charts written to {arguments.pdf}", file=sys.stderr)


def run_purge(session: Session, arguments: argparse.Namespace) -> None:
    print(retention.purge(session, get_settings()))


TOPICS: dict[str, Callable[[Session, argparse.Namespace], None]] = {
    "applications": run_applications,
    "lawyers": run_lawyers,
    "cases": run_cases,
    "report": run_report,
    "purge": run_purge,
    "console": accounts_cli.run,
}


def _databases() -> list[backup.Database]:
    settings = get_settings()
    return [
        backup.Database(backup.DESK, settings.database_url),
        backup.Database(backup.CONVERSATIONS, retention.tracker_url(settings)),
    ]


def run_backup(arguments: argparse.Namespace) -> None:
    for database in _databases():
        copy = backup.back_up(database, arguments.folder)
        print(f"{database.name}: {copy or '尚无数据 / nothing yet'}")


def run_restore(arguments: argparse.Namespace) -> None:
    for database in _databases():
        restored = backup.restore(database, arguments.folder)
        outcome = "已恢复 / restored" if restored else "备份中没有 / not in the backup"
        print(f"{database.name}: {outcome}")
    upgrade_database()  # a copy from an older version gets the current schema


FILE_TOPICS: dict[str, Callable[[argparse.Namespace], None]] = {
    "backup": run_backup,
    "restore": run_restore,
}


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    if arguments.topic in FILE_TOPICS:
        try:
            FILE_TOPICS[arguments.topic](arguments)
        except backup.BackupError as error:
            print(error, file=sys.stderr)
            return 1
        return 0
    upgrade_database()
    try:
        # One transaction per command: it all happens, or (on an error) none of it does.
        with session_scope() as session:
            TOPICS[arguments.topic](session, arguments)
    except (AccountError, ApplicationError, LawyerError, TicketError, UsageError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0
