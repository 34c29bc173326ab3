"""python -m desk: the union staff's command line (review applications).

Everything printed here is seen by staff, not by the applicant: ID and phone numbers are masked.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import TextIO

from desk.aid.application import CHECK_MARKS
from desk.applications import (
    APPROVED,
    PAID,
    REJECTED,
    STATUS_LABEL,
    UNDER_REVIEW,
    VERIFIED,
    ApplicationError,
    by_number,
    change_status,
    listing,
)
from desk.db import session_scope
from desk.migrate import upgrade_database
from desk.models import Application
from desk.pii import mask_id_number, mask_phone

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
        f"{application.union_id or '-'}"
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
    parser.add_argument("--actor", default=f"staff:{getpass.getuser()}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    upgrade_database()
    try:
        with session_scope() as session:
            if arguments.command == "list":
                rows = listing(
                    session,
                    arguments.kind,
                    arguments.status,
                    arguments.programme,
                    arguments.verdict,
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
                for number in arguments.numbers:
                    application = change_status(
                        session, number, MOVES[arguments.command], arguments.actor, arguments.reason
                    )
                    print(
                        f"{application.number} → {STATUS_LABEL[application.status]}（已通知申请人）"
                    )
    except ApplicationError as error:
        print(error, file=sys.stderr)
        return 1
    return 0
