"""A worker on the web chat gets the arbitration draft their lawyer reviewed in Telegram: in a
real headless Chromium, the open page shows the notice with a link, and the link downloads the
very file the lawyer had (the web chat fixtures of test_webchat: real Rasa, the gateway serving
the page, the Telegram stand-in for the lawyer)."""

from __future__ import annotations

import time

from selenium.webdriver.common.by import By
from sqlalchemy import select

from desk.storage.db import session_scope
from desk.storage.models import Notification
from tests.cases import register
from tests.e2e.test_webchat import WAIT, Page, browser, desk, page  # noqa: F401 - fixtures

LAWYER = 9502
FACTS = (
    "入职 2021-03-01 离职 2024-07-31 原因 违法辞退 月薪 6000 合同 有 社保 有 申请日期 2024-09-01"
)
# In the browser, with the page's own cookie: what the link gives.
FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(r => r.arrayBuffer().then(b => {
  const bytes = new Uint8Array(b);
  done([r.status, String.fromCharCode(bytes[0], bytes[1]), bytes.length]);
})).catch(e => done([0, String(e), 0]));
"""


def lawyers_copy_delivered(database_url: str) -> bool:
    with session_scope(database_url) as session:
        sent = session.scalars(
            select(Notification.sent_at).where(
                Notification.chat_id == f"tg:{LAWYER}", Notification.document_name.is_not(None)
            )
        ).all()
    return bool(sent) and all(when is not None for when in sent)


def test_the_web_worker_downloads_the_draft_the_lawyer_reviewed_and_sent(
    page: Page,  # noqa: F811 - test_webchat's fixture, imported above
) -> None:
    gateway = page.desk
    register(gateway.database_url, LAWYER, name="律师9502", capacity=5)
    case = page.opens_a_case()
    gateway.lawyer_hears(LAWYER, f"新案件：{case}")
    gateway.lawyer_presses(LAWYER, f"ticket:take:{case}")
    page.waits_for(f"律师已接手您的案件 {case}")

    gateway.lawyer_says(LAWYER, f"/draft {case} {FACTS}")
    assert "仲裁申请书草稿第1版已生成" in gateway.lawyer_hears(LAWYER, "草稿第1版")
    (copy,) = gateway.run(gateway.stub.wait_for("sendDocument", 1, chat_id=LAWYER))
    deadline = time.monotonic() + WAIT
    while not lawyers_copy_delivered(gateway.database_url):
        assert time.monotonic() < deadline, "the lawyer's copy was never marked delivered"
        time.sleep(0.1)
    assert not page.browser.find_elements(By.CSS_SELECTOR, "a.file")  # nothing before /senddraft

    gateway.lawyer_says(LAWYER, f"/senddraft {case}")
    notice = page.waits_for("律师已经看过")
    assert "通知" in notice.text and "这是草稿" in notice.text
    link = notice.find_element(By.CSS_SELECTOR, "a.file")
    assert f"劳动仲裁申请书-{case}-第1版.docx" in link.text
    status, magic, size = page.browser.execute_async_script(FETCH, link.get_attribute("href"))
    assert (status, magic, size) == (200, "PK", len(copy["document"]["content"]))
    assert not page.console_errors()
