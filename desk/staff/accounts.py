"""Who may use the browser console, and what each may see there.

Two roles: union staff (applications, lawyers, the report) and lawyers (the queue and their own
cases). A lawyer's account is linked to the lawyer staff registered for Telegram, so the claim,
the capacity and the relay are the same whichever place the lawyer works from. Accounts are
created and disabled from the command line (python -m desk console …), never from the web.

Passwords are hashed with argon2id (argon2-cffi's defaults, the OWASP recommendation); the hash
carries its salt and cost, and an old hash is upgraded at the next sign-in when the defaults
grow. Every change and every sign-in is in the audit log.
"""

from __future__ import annotations

import re
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.cases.lawyer_commands import is_holder
from desk.cases.lawyers import actor as lawyer_actor
from desk.cases.lawyers import by_telegram_id
from desk.storage import audit
from desk.storage.models import ConsoleAccount, Ticket, utcnow

STAFF, LAWYER = "staff", "lawyer"
ROLE_LABEL = {STAFF: "工会工作人员", LAWYER: "维权律师"}
MIN_PASSWORD_CHARS = 10
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")

_hasher = PasswordHasher()


@cache
def _unknown_user_hash() -> str:
    """Verified when the name is unknown, so a wrong name costs as long as a wrong password.
    Made at the first sign-in, not at import: a hash costs about 0.15 s and 64 MB of memory,
    which every gateway start and every `python -m desk` command paid for nothing."""
    return _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request about accounts that cannot be honoured; the message is fit to show to staff."""


def actor(account: ConsoleAccount) -> str:
    """How the account appears in the audit log: a lawyer as in Telegram, so one lawyer's work
    reads as one history wherever it was done."""
    if account.role == LAWYER and account.lawyer is not None:
        return lawyer_actor(account.lawyer.telegram_id)
    return f"console:{account.username}"


def by_username(session: Session, username: str) -> ConsoleAccount | None:
    return session.scalars(
        select(ConsoleAccount).where(ConsoleAccount.username == username.strip().lower())
    ).first()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"密码至少要 {MIN_PASSWORD_CHARS} 个字符")


def create(
    session: Session,
    username: str,
    password: str,
    role: str,
    by: str,
    lawyer_telegram_id: int | None = None,
) -> ConsoleAccount:
    """A new account; a lawyer's names the registered lawyer it acts as. by: "staff:<who>"."""
    username = username.strip().lower()
    if not USERNAME.fullmatch(username):
        raise AccountError("用户名只能用小写字母、数字和 . _ -，2 到 32 个字符，字母或数字开头")
    if role not in ROLE_LABEL:
        raise AccountError(f"角色只能是：{'、'.join(ROLE_LABEL)}")
    if by_username(session, username) is not None:
        raise AccountError(f"用户名 {username} 已经有人用了")
    _check_password(password)
    lawyer = None
    if role == LAWYER:
        lawyer = by_telegram_id(session, lawyer_telegram_id) if lawyer_telegram_id else None
        if lawyer is None or not lawyer.active:
            raise AccountError(
                "律师账号要对应一位已登记的律师：先用 python -m desk lawyers add 登记，"
                "再用 --lawyer-telegram-id 指明"
            )
    elif lawyer_telegram_id is not None:
        raise AccountError("只有律师账号才对应律师")
    account = ConsoleAccount(
        username=username,
        password_hash=_hasher.hash(password),
        role=role,
        lawyer=lawyer,
        active=True,
        session_key=_new_session_key(),
    )
    session.add(account)
    session.flush()
    audit.record(session, by, "console.account_created", username, role)
    return account


def disable(session: Session, username: str, by: str) -> ConsoleAccount:
    """Signs the account out everywhere and keeps it from signing in again."""
    account = _existing(session, username)
    account.active = False
    account.session_key = _new_session_key()
    audit.record(session, by, "console.account_disabled", account.username)
    return account


def enable(session: Session, username: str, by: str) -> ConsoleAccount:
    account = _existing(session, username)
    account.active = True
    audit.record(session, by, "console.account_enabled", account.username)
    return account


def set_password(session: Session, username: str, password: str, by: str) -> ConsoleAccount:
    """A new password ends the account's sessions (someone may have learnt the old one)."""
    account = _existing(session, username)
    _check_password(password)
    account.password_hash = _hasher.hash(password)
    account.session_key = _new_session_key()
    audit.record(session, by, "console.password_set", account.username)
    return account


def listing(session: Session) -> list[ConsoleAccount]:
    return list(session.scalars(select(ConsoleAccount).order_by(ConsoleAccount.username)))


def sign_in(session: Session, username: str, password: str) -> ConsoleAccount | None:
    """The account if the name and password match and it may sign in; None otherwise, with the
    same answer (and about the same time) for an unknown name as for a wrong password."""
    account = by_username(session, username)
    unknown = _unknown_user_hash()  # made now for any name: the first sign-in tells nothing
    try:
        _hasher.verify(account.password_hash if account else unknown, password)
    except (VerificationError, InvalidHashError):
        account_name = account.username if account else "-"
        audit.record(session, f"console:{account_name}", "console.sign_in_failed", account_name)
        return None
    if account is None or not may_sign_in(account):
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    account.last_login_at = utcnow()
    audit.record(session, actor(account), "console.signed_in", account.username)
    return account


def sign_out(session: Session, account: ConsoleAccount) -> None:
    """Ends every session of the account (the cookie alone is not enough to be sure)."""
    account.session_key = _new_session_key()
    audit.record(session, actor(account), "console.signed_out", account.username)


def by_session(session: Session, account_id: int, session_key: str) -> ConsoleAccount | None:
    """The account a session cookie names, if that session is still good."""
    account = session.get(ConsoleAccount, account_id)
    if account is None or not secrets.compare_digest(account.session_key, session_key):
        return None
    return account if may_sign_in(account) else None


def may_sign_in(account: ConsoleAccount) -> bool:
    """Active, and for a lawyer, still on the desk: removing the lawyer closes the console too."""
    if not account.active:
        return False
    return account.role != LAWYER or (account.lawyer is not None and account.lawyer.active)


# --- What each role may see ------------------------------------------------------------------


def lawyer_telegram_id(account: ConsoleAccount) -> int | None:
    """The registered lawyer the account acts as; None for staff."""
    if account.role != LAWYER or account.lawyer is None:
        return None
    return account.lawyer.telegram_id


def may_read_case(account: ConsoleAccount, ticket: Ticket) -> bool:
    """The intake and transcript: only the lawyer who holds the case (or closed it). The worker
    agreed to share the story with the lawyer who takes it — not with other lawyers, and not
    with staff, who see the figures instead."""
    telegram_id = lawyer_telegram_id(account)
    return telegram_id is not None and is_holder(ticket, telegram_id)


def _existing(session: Session, username: str) -> ConsoleAccount:
    account = by_username(session, username)
    if account is None:
        raise AccountError(f"没有用户名为 {username} 的账号")
    return account


def _new_session_key() -> str:
    return secrets.token_urlsafe(18)  # 24 characters
