"""python -m desk console …: the browser console's accounts, from the command line only.

A password is typed twice at a prompt (never an argument: it would stay in the shell history
and the process list), or read from standard input with --password-stdin for scripts.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy.orm import Session

from desk.staff import accounts
from desk.staff.accounts import ROLE_LABEL, AccountError
from desk.storage.models import ConsoleAccount


def add_parser(topics: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    console = topics.add_parser("console", help="accounts of the browser console (/console)")
    commands = console.add_subparsers(dest="command", required=True)
    added = commands.add_parser("add-user", help="create an account (asks for its password)")
    added.add_argument("username")
    added.add_argument("--role", choices=sorted(ROLE_LABEL), required=True)
    added.add_argument(
        "--lawyer-telegram-id", help="lawyer accounts: the Telegram id the lawyer is registered by"
    )
    password = commands.add_parser("password", help="set a new password (ends its sessions)")
    password.add_argument("username")
    for parser in (added, password):
        parser.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )
    commands.add_parser("disable", help="sign out and lock an account").add_argument("username")
    commands.add_parser("enable", help="unlock a disabled account").add_argument("username")
    commands.add_parser("list", help="accounts with their role and state")


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码 / password: ")
    if getpass.getpass("再输一次 / again: ") != first:
        raise AccountError("两次输入的密码不一样")
    return first


def run(session: Session, arguments: argparse.Namespace) -> None:
    command, by = arguments.command, arguments.actor
    if command == "list":
        rows = accounts.listing(session)
        print("\n".join(account_line(row) for row in rows) or "（还没有控制台账号）")
    elif command == "add-user":
        from desk.staff.cli import positive_integer  # the CLI's one reading of a Telegram id

        telegram_id = arguments.lawyer_telegram_id
        account = accounts.create(
            session,
            arguments.username,
            read_password(arguments.password_stdin),
            arguments.role,
            by,
            positive_integer(telegram_id, "Telegram id ") if telegram_id else None,
        )
        print(f"已创建{ROLE_LABEL[account.role]}账号 {account.username}")
    elif command == "password":
        account = accounts.set_password(
            session, arguments.username, read_password(arguments.password_stdin), by
        )
        print(f"已为 {account.username} 设置新密码，原来的登录都已失效")
    elif command == "disable":
        print(f"已停用 {accounts.disable(session, arguments.username, by).username}，已登出")
    else:
        print(f"已启用 {accounts.enable(session, arguments.username, by).username}")


def account_line(account: ConsoleAccount) -> str:
    lawyer = ""
    if account.lawyer is not None:
        lawyer = f"  律师 {account.lawyer.name}（Telegram {account.lawyer.telegram_id}）"
    state = "可用" if accounts.may_sign_in(account) else "已停用"
    last = f"  上次登录 {account.last_login_at:%Y-%m-%d %H:%M}" if account.last_login_at else ""
    return f"{account.username}  {ROLE_LABEL[account.role]}  {state}{lawyer}{last}"
