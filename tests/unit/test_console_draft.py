"""The arbitration draft from the console's case page: the lawyer holding the case generates it
(the same core as /draft), downloads the lawyer's copy — which is the review — and only then can
send it to the worker. Nobody else sees or downloads it."""

from __future__ import annotations

import io
import re

import docx

from desk.storage.db import session_scope
from desk.storage.models import AuditEntry
from tests.cases import open_case, outbox
from tests.unit.test_arbitration_review import COMPLETE, INTAKE, NAME, STORY, documents
from tests.unit.test_console import (  # noqa: F401 - the fixtures
    LAWYER,
    WORKER_CHAT,
    Browser,
    Console,
    browsers,
    console,
)


async def a_held_case(console: Console, lawyer: Browser) -> str:  # noqa: F811
    number = open_case(
        console.url, chat=WORKER_CHAT, summary=STORY, intake=INTAKE, tags=("欠薪", "解除")
    )
    await lawyer.sign_in("wang")
    await lawyer.post(f"/console/cases/{number}/take")
    await lawyer.page(f"/console/cases/{number}")
    return number


async def test_a_lawyer_generates_reviews_by_downloading_and_sends_the_draft(
    console: Console,  # noqa: F811
    browsers: list[Browser],  # noqa: F811
) -> None:
    lawyer, other, staff = browsers
    number = await a_held_case(console, lawyer)

    # What is missing, and the value that could not be used, as /draft says it.
    asked = await lawyer.post(
        f"/console/cases/{number}/draft", {"facts": "入职 2021-03-01 社保 也许"}
    )
    page = await asked.text()
    assert asked.status == 200 and "还缺这些信息" in page and "离职日期" in page
    assert "社保：请写 有 或 无" in page and "下载" not in page
    refused = await lawyer.post(f"/console/cases/{number}/senddraft")
    assert refused.status == 409 and "还没有草稿" in await refused.text()

    # Pasted as /draft's example shows it: the same facts.
    made = await lawyer.post(
        f"/console/cases/{number}/draft", {"facts": f"/draft {number} {COMPLETE}"}
    )
    page = await made.text()
    assert f"{number} 仲裁申请书草稿第1版已生成" in page
    assert "违法解除劳动合同赔偿金（2N） 42000元" in page and NAME not in page
    links = re.findall(r'action="(/console/drafts/\d+/[a-z-]+\.docx)"', page)
    assert links and all(number not in link and NAME not in link for link in links)

    # Not before the lawyer had it; nothing reached the worker.
    early = await lawyer.post(f"/console/cases/{number}/senddraft")
    assert early.status == 409 and "还没送到您这里" in await early.text()
    assert not documents(console.url, WORKER_CHAT)

    # Another lawyer and staff can neither see the section nor download the file.
    await other.sign_in("li")
    await staff.sign_in("zhang")
    closed = await other.get(f"/console/cases/{number}")
    assert closed.status == 403 and "仲裁请求" not in await closed.text()
    for stranger in (other, staff):
        response = await stranger.post(links[0])
        assert response.status in (403, 409) and response.content_type == "text/html"
    early = await lawyer.post(f"/console/cases/{number}/senddraft")
    assert early.status == 409  # a stranger's attempt did not count as the review

    download = await lawyer.post(links[0])
    assert download.status == 200 and download.headers["Content-Disposition"].startswith(
        "attachment;"
    )
    opened = docx.Document(io.BytesIO(await download.read()))
    text = "\n".join(p.text for p in opened.paragraphs)
    assert "劳动仲裁申请书" in text and NAME in text

    sent = await lawyer.post(f"/console/cases/{number}/senddraft")
    assert sent.status == 303
    notices = documents(console.url, WORKER_CHAT)
    assert notices and "律师已经看过" in notices[0].text
    assert "已发给工友" in await lawyer.page(f"/console/cases/{number}")
    assert any("草稿" in n.text for n in outbox(console.url, WORKER_CHAT))
    again = await lawyer.post(f"/console/cases/{number}/senddraft")
    assert again.status == 409 and "已经发给工友了" in await again.text()
    with session_scope(console.url) as session:
        entries = session.query(AuditEntry).filter_by(action="console.draft_downloaded").all()
        assert [(e.actor, e.subject) for e in entries] == [(f"lawyer:{LAWYER}", number)]


async def test_an_iou_adds_the_payment_order_to_download(
    console: Console,  # noqa: F811
    browsers: list[Browser],  # noqa: F811
) -> None:
    lawyer = browsers[0]
    number = await a_held_case(console, lawyer)
    made = await lawyer.post(f"/console/cases/{number}/draft", {"facts": f"{COMPLETE} 欠条 有"})
    page = await made.text()
    assert "另附支付令申请书" in page and "下载支付令申请书" in page
    link = re.findall(r'action="(/console/drafts/\d+/payment-order\.docx)"', page)[0]
    download = await lawyer.post(link)
    assert (
        download.status == 200
        and "%E6%94%AF%E4%BB%98%E4%BB%A4"
        in (
            download.headers["Content-Disposition"]  # 支付令, in the file name only
        )
    )
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(await download.read())).paragraphs)
    assert "支付令" in text
    assert (await lawyer.post(f"/console/cases/{number}/senddraft")).status == 303
    names = [notice.document_name for notice in documents(console.url, WORKER_CHAT)]
    assert names == [f"劳动仲裁申请书-{number}-第1版.docx", f"支付令申请书-{number}-第1版.docx"]
