"""The console in a real headless Chromium, against the gateway that also serves the worker's web
chat (and Telegram, the local stand-in), with the real Rasa and action server behind it.

A worker opens a case in the web chat; a lawyer signs in to the console, takes it, and they talk
— the lawyer's reply appears on the worker's open page, the worker's answer on the lawyer's case
page without a reload — until the lawyer closes it with the money recovered and the worker's
page asks for a rating. Two lawyers taking one case at once: one gets it. The open queue page
shows a new case, and drops one another lawyer took, without a reload. A lawyer opening a
staff page, a signed-out visit and another site's form posting to the console are refused.
The lawyer holding a case generates its arbitration draft, downloads the Word file and sends
it to the worker from the case page.
"""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from desk.applications.store import Applicant, submit
from desk.cases.tickets import CLAIMED, OPEN
from desk.staff import accounts
from desk.storage.db import session_scope
from launcher.scratch import free_port
from tests.cases import audit, open_case, register, take, ticket
from tests.e2e.test_membership import new_id_number
from tests.e2e.test_webchat import WAIT, Desk, Page, start_chromium, wait_on_page
from tests.e2e.test_webchat import browser as browser
from tests.e2e.test_webchat import desk as desk
from tests.unit.test_arbitration_review import COMPLETE, STORY
from tests.unit.test_arbitration_review import INTAKE as FOR_THE_DRAFT

PASSWORD = "console e2e password"
# Lawyers of this module only: the e2e database is shared by the whole session.
WANG, LI = 9601, 9602


def lawyer_account(url: str, username: str, telegram_id: int, name: str) -> None:
    register(url, telegram_id, name=name, capacity=5)
    with session_scope(url) as session:
        if accounts.by_username(session, username) is None:
            accounts.create(session, username, PASSWORD, accounts.LAWYER, "staff:e2e", telegram_id)


BODY_TEXT = "return document.body ? document.body.innerText : ''"


class Console:
    """The console as a lawyer uses it, in a desktop-sized Chromium."""

    def __init__(self, browser: WebDriver, desk: Desk) -> None:
        self.browser = browser
        self.desk = desk

    def url(self, path: str) -> str:
        return f"{self.desk.url}console/{path}"

    def until(self, condition: Callable[[], Any], timeout: float = WAIT) -> Any:
        try:
            return wait_on_page(self.browser, condition, timeout)
        except TimeoutException:
            shown = f"{self.browser.current_url}: {self.text()[-300:]!r}"
            raise AssertionError(f"the console shows {shown}") from None

    def text(self) -> str:
        # Read in one script: no element handle to outlive the page it came from.
        return str(self.browser.execute_script(BODY_TEXT))

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        self.browser.get(self.url("login"))
        self.browser.find_element(By.NAME, "username").send_keys(username)
        self.browser.find_element(By.NAME, "password").send_keys(password)
        self.browser.find_element(By.CSS_SELECTOR, "form.login button").click()
        self.until(lambda: "/console/login" not in self.browser.current_url)

    def take_button(self, number: str) -> Any:
        rows = self.browser.find_elements(By.CSS_SELECTOR, "#queue tbody tr")
        row = next(r for r in rows if number in r.text)
        return row.find_element(By.CSS_SELECTOR, "button.take")

    def transcript(self) -> list[str]:
        return [li.text for li in self.browser.find_elements(By.CSS_SELECTOR, "#transcript li")]


def downloaded(folder: Path, suffix: str) -> list[Path]:
    """The files of that kind Chromium has finished writing: none while a .crdownload is left,
    and only whole ones (a .docx is a zip archive; a cut one is not read as one)."""
    files = list(folder.iterdir())
    if any(f.suffix == ".crdownload" for f in files):
        return []
    return [f for f in files if f.suffix == suffix and zipfile.is_zipfile(f)]


@pytest.fixture
def consoles(tmp_path: Path, desk: Desk) -> Iterator[Callable[[], Console]]:
    """Opens as many lawyers' browsers as a test needs; all are closed after it."""
    opened: list[WebDriver] = []

    def open_one() -> Console:
        opened.append(start_chromium(tmp_path / f"lawyer{len(opened)}", "1280,900"))
        return Console(opened[-1], desk)

    yield open_one
    for driver in opened:
        driver.quit()


def test_a_lawyer_takes_a_web_chat_case_talks_and_closes_it_in_the_console(
    browser: WebDriver,
    desk: Desk,
    consoles: Callable[[], Console],
) -> None:
    lawyer_account(desk.database_url, "wang", WANG, "王律师")
    worker = Page(browser, desk)
    worker.open()
    case = worker.opens_a_case()

    lawyer = consoles()
    lawyer.sign_in("wang")
    assert lawyer.browser.current_url == lawyer.url("queue")
    assert case in lawyer.text() and "13600002222" not in lawyer.text()  # the phone is masked
    lawyer.take_button(case).click()
    lawyer.until(lambda: lawyer.browser.current_url == lawyer.url(f"cases/{case}"))
    lawyer.until(lambda: "老板一直推脱" in lawyer.text())  # the whole intake, now theirs
    worker.waits_for(f"律师已接手您的案件 {case}")

    box = lawyer.browser.find_element(By.CSS_SELECTOR, "#reply textarea")
    box.send_keys("请把工资条拍照发给我")
    lawyer.browser.find_element(By.CSS_SELECTOR, "#reply button").click()
    worker.waits_for("【律师 王律师】请把工资条拍照发给我")

    worker.browser.find_element(By.ID, "input").send_keys("好的，我今晚拍给您")
    worker.browser.find_element(By.ID, "send").click()
    lawyer.until(lambda: any("好的，我今晚拍给您" in said for said in lawyer.transcript()))
    assert lawyer.browser.current_url.endswith(f"cases/{case}#reply")  # no reload happened

    lawyer.browser.find_element(By.CSS_SELECTOR, "#close select option[value=recovered]").click()
    lawyer.browser.find_element(By.CSS_SELECTOR, "#close input[name=amount]").send_keys("5000")
    lawyer.browser.find_element(By.CSS_SELECTOR, "#close button").click()
    lawyer.until(lambda: "已办结：已追回欠款，追回 5000.00 元" in lawyer.text())
    worker.waits_for(f"您的案件 {case} 已办结")
    worker.until(lambda: worker.last_buttons() == ["5 分", "4 分", "3 分", "2 分", "1 分"])
    assert audit(desk.database_url, "ticket.closed")[-1] == (f"lawyer:{WANG}", case)
    assert worker.console_errors() == [] and lawyer_errors(lawyer) == []


def lawyer_errors(console: Console) -> list[str]:
    logs = console.browser.get_log("browser")
    return [entry["message"] for entry in logs if entry["level"] == "SEVERE"]


def test_two_lawyers_pressing_take_at_once_one_gets_the_case(
    desk: Desk,
    consoles: Callable[[], Console],
) -> None:
    lawyer_account(desk.database_url, "wang", WANG, "王律师")
    lawyer_account(desk.database_url, "li", LI, "李律师")
    case = open_case(desk.database_url, chat="tg:9650", summary="工地欠薪，十几个人")
    wang, li = consoles(), consoles()
    for lawyer, name in ((wang, "wang"), (li, "li")):
        lawyer.sign_in(name)
    buttons = [lawyer.take_button(case) for lawyer in (wang, li)]
    start = threading.Barrier(2)

    def press(button: Any) -> None:
        start.wait()
        button.click()

    pressing = [threading.Thread(target=press, args=(b,)) for b in buttons]
    for thread in pressing:
        thread.start()
    for thread in pressing:
        thread.join(WAIT)
    for lawyer in (wang, li):
        lawyer.until(
            lambda lawyer=lawyer: "对话记录" in lawyer.text() or "已被其他律师接手" in lawyer.text()
        )
    won = [lawyer for lawyer in (wang, li) if "对话记录" in lawyer.text()]
    lost = [lawyer for lawyer in (wang, li) if "已被其他律师接手" in lawyer.text()]
    assert len(won) == 1 and len(lost) == 1
    held = ticket(desk.database_url, case)
    assert held.status == CLAIMED and held.assignee is not None
    assert held.assignee.telegram_id == (WANG if won[0] is wang else LI)
    assert [subject for _, subject in audit(desk.database_url, "ticket.claimed")].count(case) == 1


def test_the_open_queue_shows_new_cases_and_drops_taken_ones_without_a_reload(
    desk: Desk,
    consoles: Callable[[], Console],
) -> None:
    qian = 9604
    lawyer_account(desk.database_url, "qian", qian, "钱律师")
    lawyer_account(desk.database_url, "li", LI, "李律师")
    lawyer = consoles()
    lawyer.sign_in("qian")
    lawyer.browser.execute_script("window.notReloaded = true")

    def queued() -> str:  # read in one go: a poll may redraw the rows between two calls
        return lawyer.browser.execute_script(
            "return Array.from(document.querySelectorAll('#queue tbody tr'),"
            " row => row.innerText).join(' ')"
        )

    first = open_case(desk.database_url, chat="tg:9653", intake={"所在城市": "哈密"})
    second = open_case(desk.database_url, chat="tg:9654", intake={"所在城市": "吐鲁番"})
    lawyer.until(lambda: first in queued() and second in queued())
    assert "哈密" in queued() and "吐鲁番" in queued()
    take(desk.database_url, LI, second)  # from Telegram, by another lawyer
    lawyer.until(lambda: second not in queued())
    assert first in queued()
    assert lawyer.browser.execute_script("return window.notReloaded === true")

    lawyer.take_button(first).click()  # a row the script drew: its form and token work
    lawyer.until(lambda: lawyer.browser.current_url == lawyer.url(f"cases/{first}"))
    lawyer.until(lambda: "哈密" in lawyer.text())
    assert ticket(desk.database_url, first).status == CLAIMED
    assert lawyer_errors(lawyer) == []


class _Evil(BaseHTTPRequestHandler):
    """Another site's page that posts a form to the console as soon as it loads."""

    target = ""

    def do_GET(self) -> None:
        page = (
            f'<form id="f" method="post" action="{self.target}">'
            '<input type="hidden" name="csrf" value="guess"></form>'
            "<script>document.getElementById('f').submit()</script>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, *args: Any) -> None:
        pass


def test_staff_pages_signed_out_visits_and_other_sites_forms_are_refused(
    desk: Desk,
    consoles: Callable[[], Console],
) -> None:
    lawyer_account(desk.database_url, "wang", WANG, "王律师")
    stranger = consoles()
    stranger.browser.get(stranger.url("queue"))
    assert stranger.browser.current_url == stranger.url("login")  # signed out: sign in first

    lawyer = consoles()
    lawyer.sign_in("wang")
    for staff_page in ("applications", "report", "lawyers"):
        lawyer.browser.get(lawyer.url(staff_page))
        assert "这个页面不对您的账号开放" in lawyer.text()

    case = open_case(desk.database_url, chat="tg:9651")
    _Evil.target = lawyer.url(f"cases/{case}/take")
    evil = ThreadingHTTPServer(("127.0.0.1", free_port()), _Evil)
    serving = threading.Thread(target=evil.serve_forever, daemon=True)
    serving.start()
    try:
        # localhost is another site than 127.0.0.1, as another domain would be.
        lawyer.browser.get(f"http://localhost:{evil.server_port}/")
        lawyer.until(lambda: "/console/" in lawyer.browser.current_url)
        lawyer.until(lambda: "不是从服务台控制台的页面发出的" in lawyer.text())
    finally:
        evil.shutdown()
    assert ticket(desk.database_url, case).status == OPEN
    take(desk.database_url, WANG, case)  # out of the queue: other tests count who waits ahead


def aid_application(url: str, chat: str, id_number: str) -> str:
    with session_scope(url) as session:
        checks = [{"label": "职业", "passed": True, "reason": "外卖送餐员"}]
        done = submit(
            session,
            "aid",
            chat,
            Applicant("王强", id_number, "13600004444"),
            {"工作": "外卖"},
            None,
            programme="new-employment-relief",
            verdict="符合",
            checks=checks,
            amount=Decimal(600),
        )
        return done.application.number or ""


def test_staff_verify_a_batch_each_worker_hears_and_the_report_draws(
    desk: Desk,
    consoles: Callable[[], Console],
) -> None:
    with session_scope(desk.database_url) as session:
        if accounts.by_username(session, "chen") is None:
            accounts.create(session, "chen", PASSWORD, accounts.STAFF, "staff:e2e")
    workers = (9660, 9661)
    numbers = [aid_application(desk.database_url, f"tg:{w}", new_id_number()) for w in workers]
    staff = consoles()
    staff.sign_in("chen")
    assert staff.browser.current_url == staff.url("applications")
    staff.browser.get(staff.url("applications?programme=new-employment-relief&status=submitted"))
    for number in numbers:
        row = next(
            r
            for r in staff.browser.find_elements(By.CSS_SELECTOR, "#applications tbody tr")
            if number in r.text
        )
        row.find_element(By.NAME, "numbers").click()
    staff.browser.find_element(By.CSS_SELECTOR, "#batch select option[value=verify]").click()
    staff.browser.find_element(By.CSS_SELECTOR, "#batch button.primary").click()
    staff.until(lambda: "已通知每位申请人" in staff.text())
    for worker, number in zip(workers, numbers, strict=True):
        assert f"{number} 已核实通过" in desk.lawyer_hears(worker, number)  # via Telegram

    staff.browser.get(staff.url("report"))
    figures = staff.browser.execute_script(
        "var r = new XMLHttpRequest(); r.open('GET', '/console/report.json', false); r.send();"
        "return JSON.parse(r.responseText);"
    )
    report = figures["report"]
    assert f"收到在线申请 {sum(report['applications_submitted'].values())} 件" in staff.text()
    images = staff.browser.find_elements(By.CSS_SELECTOR, ".chart img")
    assert images  # this session's cases and applications: there is something to draw
    staff.until(
        lambda: all(staff.browser.execute_script("return arguments[0].complete", i) for i in images)
    )
    for image in images:
        assert staff.browser.execute_script("return arguments[0].naturalWidth", image) > 300
    assert lawyer_errors(staff) == []


def test_a_lawyer_drafts_downloads_and_sends_the_arbitration_draft_in_the_console(
    tmp_path: Path,
    desk: Desk,
    consoles: Callable[[], Console],
) -> None:
    zhao, worker = 9603, 9613
    lawyer_account(desk.database_url, "zhao", zhao, "赵律师")
    chat = f"tg:{worker}"
    case = open_case(desk.database_url, chat, STORY, FOR_THE_DRAFT, tags=("欠薪", "解除"))
    take(desk.database_url, zhao, case)
    lawyer = consoles()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    lawyer.browser.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    lawyer.sign_in("zhao")
    lawyer.browser.get(lawyer.url(f"cases/{case}"))
    lawyer.browser.find_element(By.CSS_SELECTOR, "#make-draft input[name=facts]").send_keys(
        COMPLETE
    )
    lawyer.browser.find_element(By.CSS_SELECTOR, "#make-draft button").click()
    lawyer.until(lambda: f"{case} 仲裁申请书草稿第1版已生成" in lawyer.text())

    lawyer.browser.find_element(By.CSS_SELECTOR, "form.download button").click()
    (file,) = lawyer.until(lambda: downloaded(downloads, ".docx"))
    assert file.name == f"劳动仲裁申请书-{case}-第1版.docx"
    assert "劳动仲裁申请书" in "\n".join(p.text for p in Document(str(file)).paragraphs)

    lawyer.browser.find_element(By.CSS_SELECTOR, "#send-draft button").click()
    lawyer.until(lambda: "第1版：已发给工友" in lawyer.text())
    desk.run(desk.stub.wait_for("sendDocument", 1, chat_id=worker))
    assert lawyer_errors(lawyer) == []
