"""The README's pictures of the console (docs/console-queue.png, docs/console-report.png), taken in
headless Chromium from a scratch desk with made-up cases, questions and applications.

    .venv/bin/python scripts/console_screenshots.py

Needs chromium, chromium-driver and a Chinese font (make browser); no Rasa: the console does not
talk to it. Nothing of var/ is used: the database is a temporary SQLite file.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="desk-shots-"))
os.environ.update(DATA_DIR=str(SCRATCH), DATABASE_URL=f"sqlite:///{SCRATCH / 'desk.db'}")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from bot.gateway import Gateway  # noqa: E402
from bot.web.app import serving  # noqa: E402
from desk.cases import lawyers  # noqa: E402
from desk.cases.tickets import NORMAL, URGENT  # noqa: E402
from desk.staff import accounts  # noqa: E402
from desk.staff.report import faq_titles  # noqa: E402
from desk.storage.db import session_scope  # noqa: E402
from desk.storage.migrate import upgrade_database  # noqa: E402
from desk.storage.models import (  # noqa: E402
    Application,
    Interaction,
    Ticket,
    TicketEvent,
)
from launcher.scratch import free_port  # noqa: E402
from tests.e2e.test_webchat import start_chromium  # noqa: E402

PASSWORD = "screenshot password"
MONTH = datetime(2026, 3, 1, tzinfo=UTC)
PERIOD = "since=2026-03-01&until=2026-04-01"
CITIES = ("乌鲁木齐", "昌吉", "石河子", "克拉玛依", "哈密")
TAGS = (("欠薪",), ("欠薪", "集体"), ("工伤",), ("解除",), ("社保",), ("加班",), ("合同",))
OUTCOMES = ("recovered", "resolved", "mediation", "arbitration")


def made_up_desk(url: str) -> None:
    """A month of a small union's desk, and a queue waiting now."""
    pick = random.Random(7)
    now = datetime.now(UTC)
    topics = list(faq_titles())[:40]
    with session_scope(url) as session:
        lawyer = lawyers.register(session, 9001, "王律师", 5, "staff:demo")
        session.flush()
        accounts.create(session, "wang", PASSWORD, accounts.LAWYER, "staff:demo", 9001)
        accounts.create(session, "chen", PASSWORD, accounts.STAFF, "staff:demo")
        for day in range(31):
            for _ in range(pick.randint(6, 22)):
                moment = MONTH + timedelta(days=day, minutes=pick.randint(0, 1439))
                answered = pick.random() < 0.86
                session.add(
                    Interaction(
                        channel="tg",
                        chat_pseudonym="demo",
                        kind="legal_answer" if answered else "legal_unsure",
                        topic=pick.choice(topics[: pick.randint(3, 40)]) if answered else None,
                        created_at=moment,
                    )
                )
        for n in range(1, 29):
            opened = MONTH + timedelta(days=pick.randint(0, 29), hours=pick.randint(0, 23))
            claimed = opened + timedelta(minutes=pick.randint(10, 600))
            replied = claimed + timedelta(minutes=pick.randint(5, 300))
            closed = replied + timedelta(days=pick.randint(1, 9))
            done = closed < MONTH + timedelta(days=31)
            outcome = pick.choice(OUTCOMES) if done else None
            rating = pick.choice((5, 5, 5, 4, 4, 3, 2)) if done and pick.random() < 0.8 else None
            row = Ticket(
                number=f"AJ-2026-{n:06d}",
                chat_id=f"tg:demo{n}",
                status="closed" if done else "claimed",
                priority=URGENT if pick.random() < 0.3 else NORMAL,
                tags=list(pick.choice(TAGS)),
                summary="……",
                intake={},
                assignee_id=lawyer.id,
                opened_at=opened,
                claimed_at=claimed,
                first_reply_at=replied,
                closed_at=closed if done else None,
                outcome=outcome,
                amount_recovered=Decimal(pick.randint(8, 120) * 500)
                if outcome == "recovered"
                else None,
                rating=rating,
            )
            session.add(row)
            session.flush()
            if rating:
                rated = closed + timedelta(hours=2)
                session.add(
                    TicketEvent(ticket_id=row.id, action="rated", actor="worker", created_at=rated)
                )
        programmes = (
            ("new-employment-relief", ("符合", "符合", "符合", "不符合", "需人工核实")),
            ("hardship-living", ("符合", "需人工核实", "不符合")),
            ("medical-mutual-aid", ("符合", "需人工核实")),
            ("golden-autumn-education", ("符合",)),
        )
        for n in range(1, 61):
            kind = "membership" if n % 3 == 0 else "aid"
            programme, verdicts = pick.choice(programmes)
            created = MONTH + timedelta(days=pick.randint(0, 30), hours=pick.randint(0, 23))
            session.add(
                Application(
                    number=f"{'RH' if kind == 'membership' else 'JZ'}-2026-{n:06d}",
                    kind=kind,
                    status="submitted",
                    created_at=created,
                    updated_at=created,
                    chat_id=f"tg:demo{n}",
                    applicant_name="王强",
                    id_number="650102199003070011",
                    id_number_hash=f"demo{n}",
                    phone="13900001111",
                    details={},
                    programme=None if kind == "membership" else programme,
                    verdict=None if kind == "membership" else pick.choice(verdicts),
                )
            )
        waiting = (
            (URGENT, ("欠薪", "集体"), "昌吉", "23", "46万", 70),
            (URGENT, ("工伤",), "乌鲁木齐", "1", "", 25),
            (NORMAL, ("欠薪",), "石河子", "1", "8600", 180),
            (NORMAL, ("解除",), "乌鲁木齐", "1", "2.4万", 95),
            (NORMAL, ("加班",), "哈密", "3", "", 12),
        )
        for n, (priority, tags, city, people, amount, minutes) in enumerate(waiting, 101):
            intake = {"所在城市": city, "涉及人数": people, "涉及金额": amount or "不清楚"}
            session.add(
                Ticket(
                    number=f"AJ-2026-{n:06d}",
                    chat_id=f"tg:wait{n}",
                    status="open",
                    priority=priority,
                    tags=list(tags),
                    summary="……",
                    intake=intake,
                    opened_at=now - timedelta(minutes=minutes),
                )
            )


class NoRasa:
    async def send(self, sender_id: str, message: str) -> list[object]:
        return []

    async def close(self) -> None:
        pass


def serve(url: str, port: int) -> None:
    async def run() -> None:
        gateway = Gateway(NoRasa(), 2000, url)  # type: ignore[arg-type]
        async with serving(gateway, "127.0.0.1", port, url):  # as the gateway serves it
            await asyncio.Event().wait()

    threading.Thread(target=asyncio.run, args=(run(),), daemon=True).start()


def sign_in(browser: object, base: str, username: str) -> None:
    browser.get(f"{base}/console/login")  # type: ignore[attr-defined]
    browser.find_element(By.NAME, "username").send_keys(username)  # type: ignore[attr-defined]
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)  # type: ignore[attr-defined]
    browser.find_element(By.CSS_SELECTOR, "form.login button").click()  # type: ignore[attr-defined]
    WebDriverWait(browser, 30).until(lambda b: "/login" not in b.current_url)  # type: ignore[arg-type]


def main() -> None:
    url = os.environ["DATABASE_URL"]
    upgrade_database(url)
    made_up_desk(url)
    port = free_port()
    serve(url, port)
    base = f"http://127.0.0.1:{port}"
    browser = start_chromium(SCRATCH / "profile", "1280,760")
    try:
        sign_in(browser, base, "wang")
        browser.get(f"{base}/console/queue")
        browser.save_screenshot(str(ROOT / "docs" / "console-queue.png"))
        browser.delete_all_cookies()
        browser.set_window_size(1280, 2000)
        sign_in(browser, base, "chen")
        browser.get(f"{base}/console/report?{PERIOD}")
        browser.execute_script("return document.fonts.ready")
        browser.save_screenshot(str(ROOT / "docs" / "console-report.png"))
    finally:
        browser.quit()
    print("docs/console-queue.png docs/console-report.png")


if __name__ == "__main__":
    main()
