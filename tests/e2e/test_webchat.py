"""The web chat page in a real headless Chromium (Debian's chromium + chromium-driver, driven by
Selenium; nothing is downloaded): against the real Rasa and action server, with the gateway
serving the page, Telegram (the local Bot API stand-in) for the lawyer, and the outbox between.

The gateway runs on an event loop in a thread of its own; the tests drive the browser, as a
worker would, from the test's thread.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from selenium import webdriver
from selenium.common.exceptions import (
    NoAlertPresentException,
    StaleElementReferenceException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from bot.gateway import Gateway
from bot.keyboards import PayloadStore
from bot.notifier import deliver_forever
from bot.rasa_client import RasaClient
from bot.telegram import (
    build_bot,
    build_dispatcher,
    telegram_document_sender,
    telegram_sender,
)
from bot.wakeups import fan_out
from bot.web.app import serving
from bot.web.pages import OpenPages
from desk.applications.store import APPROVED, change_status
from desk.common.chats import TELEGRAM_PREFIX
from desk.storage.db import session_scope
from desk.storage.models import Notification
from launcher.scratch import free_port
from launcher.stack import StackConfig
from tests.cases import RASA_TIMEOUT, register
from tests.e2e.test_membership import new_id_number
from tests.e2e.test_telegram_casework import INTAKE, NUMBER
from tests.telegram_stub import TelegramStub

T = TypeVar("T")
TOKEN = "123456:TEST-token-for-the-web-stub"
MENU = ["法律咨询", "申请入会", "申请帮扶/救助", "转人工律师", "查询进度"]
PHONE = "13600003333"
WAIT = 30.0


@dataclass
class Desk:
    """The gateway (web page + Telegram) running on its own event loop."""

    url: str
    stub: TelegramStub
    loop: asyncio.AbstractEventLoop
    database_url: str
    pages: OpenPages

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = WAIT) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def lawyer_says(self, chat_id: int, text: str) -> None:
        self.run(self.stub.push(self.stub.user_message(chat_id, text=text)))

    def lawyer_presses(self, chat_id: int, data: str) -> None:
        self.run(self.stub.push(self.stub.button_press(chat_id, data, f"q-{chat_id}-{data}")))

    def lawyer_hears(self, chat_id: int, text: str) -> str:
        """Waits for a message to the lawyer's Telegram chat with text in it."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            for sent in self.stub.sent("sendMessage", chat_id):
                if text in sent["text"]:
                    return str(sent["text"])
            time.sleep(0.1)
        heard = [sent["text"] for sent in self.stub.sent("sendMessage", chat_id)]
        raise AssertionError(f"the lawyer never heard {text!r}: {heard}")


async def _gateway(
    stack: StackConfig, port: int, ready: asyncio.Future, stop: asyncio.Event
) -> None:
    stub = TelegramStub()
    bot = build_bot(TOKEN, await stub.start())
    rasa = RasaClient(stack.rasa_url, timeout_seconds=RASA_TIMEOUT)
    gateway = Gateway(rasa, max_chars=2000, database_url=stack.database_url)
    store = PayloadStore()
    dispatcher = build_dispatcher(gateway, store)
    telegram_wake = asyncio.Event()
    async with serving(gateway, "127.0.0.1", port, stack.database_url, 0.2) as pages:
        tasks = [
            asyncio.create_task(
                dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
            ),
            asyncio.create_task(
                deliver_forever(
                    telegram_sender(bot, store),
                    TELEGRAM_PREFIX,
                    0.2,
                    stack.database_url,
                    telegram_wake,
                    send_document=telegram_document_sender(bot, store),
                )
            ),
            asyncio.create_task(fan_out(gateway.outbox_written, telegram_wake, pages.wake)),
        ]
        ready.set_result((stub, pages))
        await stop.wait()
        await dispatcher.stop_polling()
        for task in tasks:
            task.cancel()
    await rasa.close()
    await bot.session.close()
    await stub.stop()


@pytest.fixture(scope="module")
def desk(stack: StackConfig) -> Iterator[Desk]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    port = free_port()
    ready: asyncio.Future[tuple[TelegramStub, OpenPages]] = loop.create_future()
    stop = asyncio.Event()
    running = asyncio.run_coroutine_threadsafe(_gateway(stack, port, ready, stop), loop)
    stub, pages = asyncio.run_coroutine_threadsafe(
        asyncio.wait_for(_wait(ready), WAIT), loop
    ).result()
    try:
        yield Desk(f"http://127.0.0.1:{port}/", stub, loop, stack.database_url, pages)
    finally:
        loop.call_soon_threadsafe(stop.set)
        running.result(WAIT)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(WAIT)


async def _wait(future: asyncio.Future[T]) -> T:
    return await future


# What Chromium says when a read meets a document that is being replaced.
PAGE_REPLACED = (
    "does not belong to the document",
    "No node with given id",
    "Cannot find context with specified id",
    "Execution context was destroyed",
    "target frame detached",
    "Inspected target navigated or closed",
)


def wait_on_page(browser: WebDriver, condition: Any, timeout: float = WAIT) -> Any:
    """Waits until condition() is true. A page that is replaced while it is read (a form just
    posted, a poll redrawing, 重新开始) is read again on the next round: Chromium reports that
    as a stale element or, when the old document is already gone, in one of PAGE_REPLACED."""

    def attempt(_: WebDriver) -> Any:
        try:
            return condition()
        except WebDriverException as error:
            if any(sign in str(error) for sign in PAGE_REPLACED):
                return False
            raise

    waiting = WebDriverWait(
        browser, timeout, 0.1, ignored_exceptions=(StaleElementReferenceException,)
    )
    return waiting.until(attempt)


def start_chromium(profile: Path, window_size: str = "412,860") -> WebDriver:
    """Headless Chromium with a profile of its own; the phone's size unless told."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.fail("needs Debian's chromium and chromium-driver: `make test` installs them")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--lang=zh-CN",
        f"--window-size={window_size}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=driver, log_output=subprocess.DEVNULL)
    return webdriver.Chrome(options=options, service=service)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    """Headless Chromium the size of a phone, with a profile of its own."""
    browser = start_chromium(tmp_path / "profile")
    try:
        yield browser
    finally:
        browser.quit()


class Page:
    """The chat page as a worker uses it."""

    def __init__(self, browser: WebDriver, desk: Desk) -> None:
        self.browser = browser
        self.desk = desk

    def open(self) -> None:
        self.browser.get(self.desk.url)
        self.until(lambda: self.desk_texts() and not self.typing())

    def until(self, condition: Any, timeout: float = WAIT) -> Any:
        try:
            return wait_on_page(self.browser, condition, timeout)
        except TimeoutException:
            status = self.browser.find_element(By.ID, "status").text
            shown = [bubble.text for bubble in self.bubbles()][-4:]
            raise AssertionError(f"page: status {status!r}, last messages {shown}") from None

    def typing(self) -> bool:
        return self.browser.find_element(By.CSS_SELECTOR, ".typing").is_displayed()

    def bubbles(self, kind: str = "") -> list[WebElement]:
        return self.browser.find_elements(By.CSS_SELECTOR, f"#log > .bubble{kind}:not(.typing)")

    def desk_texts(self) -> list[str]:
        return [bubble.text for bubble in self.bubbles(".desk")]

    def my_texts(self) -> list[str]:
        return [bubble.text for bubble in self.bubbles(".me")]

    def last_buttons(self) -> list[str]:
        rows = self.browser.find_elements(By.CSS_SELECTOR, "#log > .buttons")
        return [key.text for key in rows[-1].find_elements(By.TAG_NAME, "button")] if rows else []

    def _answered(self, before: int) -> str:
        """Waits for the desk's answer to what was just sent; returns its text."""
        self.until(lambda: not self.typing() and len(self.bubbles()) >= before + 2)
        return "\n".join(self.desk_texts()[-3:])

    def says(self, text: str) -> str:
        before = len(self.bubbles())
        box = self.browser.find_element(By.ID, "input")
        box.send_keys(text)
        self.browser.find_element(By.ID, "send").click()
        return self._answered(before)

    def taps(self, title: str) -> str:
        before = len(self.bubbles())
        keys = self.browser.find_elements(By.CSS_SELECTOR, "#log > .buttons button")
        [key for key in keys if key.text == title][-1].click()
        return self._answered(before)

    def opens_a_case(self) -> str:
        """Asks for a lawyer and answers the intake (INTAKE); the new case's number."""
        assert INTAKE[0][1] in self.taps("转人工律师")
        for said, asked in INTAKE[1:]:
            assert asked in self.says(said), said
        done = self.taps("同意")
        number = NUMBER.search(done)
        assert number is not None and "已为您登记案件" in done, done
        return number.group(0)

    def waits_for(self, text: str) -> WebElement:
        return self.until(lambda: next((b for b in self.bubbles() if text in b.text), None))

    def stored(self) -> str:
        return str(self.browser.execute_script("return JSON.stringify(window.localStorage)"))

    def console_errors(self) -> list[str]:
        return [e["message"] for e in self.browser.get_log("browser") if e["level"] == "SEVERE"]


@pytest.fixture
def page(browser: WebDriver, desk: Desk) -> Page:
    page = Page(browser, desk)
    page.open()
    return page


def test_a_worker_asks_a_question_and_reads_the_cited_answer(page: Page) -> None:
    assert "您好" in page.desk_texts()[0]
    assert page.last_buttons() == MENU  # Rasa's buttons, tappable
    # Seen by the page itself: the typing indicator shows while the desk thinks.
    page.browser.execute_script(
        "window.sawTyping = false; var t = document.querySelector('.typing');"
        "new MutationObserver(function () { if (!t.hidden) { window.sawTyping = true; } })"
        ".observe(t, {attributes: true});"
    )
    answer = page.says("被辞退有经济补偿吗")
    assert "经济补偿" in answer
    assert page.browser.execute_script("return window.sawTyping") is True
    folded = page.bubbles(".desk")[-1].find_element(By.TAG_NAME, "details")
    assert folded.find_element(By.TAG_NAME, "summary").text == "法律依据"
    quote = folded.find_element(By.TAG_NAME, "p")
    assert not quote.is_displayed()  # folded: the answer reads first
    folded.find_element(By.TAG_NAME, "summary").click()
    assert quote.is_displayed() and "《劳动合同法》第四十七条" in quote.text
    assert page.browser.current_url == page.desk.url
    assert page.console_errors() == []
    if os.environ.get("WEBCHAT_SCREENSHOT"):  # the README's picture: docs/webchat.png
        page.browser.save_screenshot(
            os.environ["WEBCHAT_SCREENSHOT"]
        )  # nothing blocked by the CSP, no script error


def unsent(database_url: str, chat_prefix: str) -> list[str]:
    with session_scope(database_url) as session:
        query = select(Notification.text).where(
            Notification.sent_at.is_(None), Notification.chat_id.startswith(chat_prefix)
        )
        return list(session.scalars(query))


def test_joining_through_the_menu_to_a_number_and_the_approval_on_the_next_visit(
    page: Page,
) -> None:
    id_number = new_id_number()
    assert "您同意吗" in page.taps("申请入会")
    assert page.last_buttons() == ["同意", "不同意"]
    assert "姓名" in page.taps("同意")
    assert "身份证号" in page.says("王强")
    assert "手机号" in page.says(id_number)
    assert "单位" in page.says(PHONE)
    assert "什么工作" in page.taps("美团")
    assert "区县" in page.says("外卖骑手")
    assert "其他工会的会员" in page.says("天山区")
    assert "请核对" in page.says("不是")
    done = page.taps("确认提交")
    number = re.search(r"RH-\d{4}-\d{6}", done)
    assert number is not None
    # What this phone shows and keeps has the numbers masked; the address never has them.
    shown = " ".join(page.my_texts())
    assert id_number not in shown and id_number[:6] + "********" + id_number[-4:] in shown
    assert PHONE not in shown and "136****3333" in shown
    assert id_number not in page.stored() and PHONE not in page.stored()
    assert page.browser.current_url == page.desk.url

    page.browser.get("about:blank")  # the worker leaves; the union approves meanwhile
    page.until(lambda: not page.desk.pages.chats())  # the desk let the closed page go
    with session_scope(page.desk.database_url) as session:
        change_status(session, number.group(0), APPROVED, "staff:test")

    def waiting() -> list[str]:  # this approval's notice, if not yet sent
        return [t for t in unsent(page.desk.database_url, "web:") if number.group(0) in t]

    assert waiting()  # in the outbox
    page.open()
    notice = page.waits_for("已通过审核")
    assert number.group(0) in notice.text and "通知" in notice.text
    page.until(lambda: not waiting())
    assert number.group(0) in page.taps("查询进度")  # the menu of the first visit still works


def test_a_lawyer_takes_the_case_and_they_talk_through_the_open_page(page: Page) -> None:
    lawyer = 9501
    register(page.desk.database_url, lawyer, name="律师9501", capacity=5)
    case = page.opens_a_case()

    page.desk.lawyer_hears(lawyer, f"新案件：{case}")
    page.desk.lawyer_presses(lawyer, f"ticket:take:{case}")
    page.desk.lawyer_hears(lawyer, f"您已接手 {case}")
    page.waits_for(f"律师已接手您的案件 {case}")  # pushed to the open page
    page.desk.lawyer_says(lawyer, f"/reply {case} 请把工资条拍照发给我")
    assert "通知" in page.waits_for("【律师 律师9501】请把工资条拍照发给我").text

    box = page.browser.find_element(By.ID, "input")
    box.send_keys("好的，我今晚拍给您")
    page.browser.find_element(By.ID, "send").click()
    assert case in page.desk.lawyer_hears(lawyer, "好的，我今晚拍给您")


def test_a_reload_keeps_the_conversation_and_restart_begins_anew(page: Page) -> None:
    assert "您同意吗" in page.taps("申请入会")
    shown = page.desk_texts()
    page.browser.refresh()
    page.until(lambda: page.desk_texts() == shown)
    assert page.my_texts() == ["申请入会"]
    assert "姓名" in page.taps("同意")  # the same conversation: the form goes on

    page.browser.find_element(By.ID, "restart").click()
    page.browser.switch_to.alert.accept()  # it asks first: the history goes
    page.until(lambda: page.my_texts() == [] and len(page.desk_texts()) >= 1)
    assert "您好" in page.desk_texts()[0] and page.last_buttons() == MENU


def test_markup_is_shown_as_text_and_a_very_long_message_is_answered(page: Page) -> None:
    attack = '<script>window.owned = 1</script><img src=x onerror="window.owned = 2">'
    page.says(attack)
    assert page.my_texts()[-1] == attack  # shown exactly as typed, as text
    assert page.browser.execute_script("return window.owned") is None
    assert page.browser.find_elements(By.CSS_SELECTOR, "#log img") == []
    with pytest.raises(NoAlertPresentException):
        page.browser.switch_to.alert.text  # noqa: B018

    long_text = ("我在工地干了三个月，老板一直没发工资。" * 300)[:5000]
    before = len(page.bubbles())
    page.browser.execute_script(
        "var box = document.getElementById('input'); box.value = arguments[0];"
        "box.dispatchEvent(new Event('input'));",
        long_text,
    )
    page.browser.find_element(By.ID, "send").click()
    answer = page._answered(before)
    assert "前面的 2000 个字" in answer
    assert len(page.my_texts()[-1]) == 5000
    assert page.says("你好")  # and the page goes on


def test_when_the_desk_cannot_be_reached_the_page_says_so_and_keeps_the_text(
    page: Page,
) -> None:
    page.browser.set_network_conditions(offline=True, latency=0, throughput=0)  # signal lost
    box = page.browser.find_element(By.ID, "input")
    box.send_keys("最低工资是多少")
    page.browser.find_element(By.ID, "send").click()
    status = page.browser.find_element(By.ID, "status")
    page.until(lambda: status.is_displayed() and not page.typing())
    assert "连不上服务台" in status.text and "12351" in status.text
    assert box.get_attribute("value") == "最低工资是多少"  # nothing typed is lost
    assert page.my_texts() == []
    page.browser.set_network_conditions(offline=False, latency=0, throughput=-1)
    box.clear()
    assert "最低工资" in page.says("最低工资是多少")
    page.until(lambda: not status.is_displayed())
