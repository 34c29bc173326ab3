"""python -m desk: the union staff's command line (review applications).

Everything printed here is seen by staff, not by the applicant: ID and phone numbers are masked.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from desk.applications import (
    APPROVED,
    REJECTED,
    STATUS_LABEL,
    UNDER_REVIEW,
    ApplicationError,
    by_number,
    change_status,
    listing,
)
from desk.db import session_scope
from desk.migrate import upgrade_database
from desk.models import Application
from desk.pii import mask_id_number, mask_phone

MOVES = {"review": UNDER_REVIEW, "approve": APPROVED, "reject": REJECTED}


def summary_line(application: Application) -> str:
    created = application.created_at.strftime("%Y-%m-%d %H:%M")
    return (
        f"{application.number}  {STATUS_LABEL[application.status]:<8}  {created}  "
        f"{application.applicant_name}  {mask_phone(application.phone)}  "
        f"{application.union_id or '-'}"
    )


def details_text(application: Application) -> str:
    lines = [
        f"编号：{application.number}（{application.kind}）",
        f"状态：{STATUS_LABEL[application.status]}",
        f"姓名：{application.applicant_name}",
        f"身份证号：{mask_id_number(application.id_number)}",
        f"手机号：{mask_phone(application.phone)}",
        *(f"{key}：{value}" for key, value in application.details.items()),
        f"受理工会：{application.union_id or '-'}（{application.routing_reason or ''}）",
        "记录：",
        *(
            f"  {event.created_at:%Y-%m-%d %H:%M}  {STATUS_LABEL[event.status]}  {event.actor}"
            + (f"  {event.note}" if event.note else "")
            for event in application.events
        ),
    ]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m desk", description="职工在线服务台 staff tools"
    )
    topics = parser.add_subparsers(dest="topic", required=True)
    applications = topics.add_parser("applications", help="review applications")
    commands = applications.add_subparsers(dest="command", required=True)
    listed = commands.add_parser("list", help="list applications")
    listed.add_argument("--kind")
    listed.add_argument("--status", choices=sorted(STATUS_LABEL))
    commands.add_parser("show", help="one application with its history").add_argument("number")
    for name in MOVES:
        move = commands.add_parser(name, help=f"mark as {MOVES[name]}; the applicant is notified")
        move.add_argument("number")
        move.add_argument("--reason", required=name == "reject")
    parser.add_argument("--actor", default=f"staff:{getpass.getuser()}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    upgrade_database()
    try:
        with session_scope() as session:
            if arguments.command == "list":
                rows = listing(session, arguments.kind, arguments.status)
                print("\n".join(summary_line(row) for row in rows) or "（没有符合条件的申请）")
            elif arguments.command == "show":
                application = by_number(session, arguments.number)
                if application is None:
                    raise ApplicationError(f"没有编号为 {arguments.number} 的申请")
                print(details_text(application))
            else:
                application = change_status(
                    session,
                    arguments.number,
                    MOVES[arguments.command],
                    arguments.actor,
                    arguments.reason,
                )
                print(f"{application.number} → {STATUS_LABEL[application.status]}（已通知申请人）")
    except ApplicationError as error:
        print(error, file=sys.stderr)
        return 1
    return 0
