"""A reviewed draft for a worker on the web chat: the open page gets a notice with a link to the
file, and only that worker's cookie fetches it (anyone else, and any other name: 404)."""

from __future__ import annotations

from urllib.parse import unquote

from aiohttp import ClientSession, CookieJar

from desk.storage import outbox
from desk.storage.db import session_scope
from tests.cases import LAWYER, LAWYER_CHAT, on_command, open_case, register, take
from tests.unit.test_arbitration_review import COMPLETE, INTAKE, STORY, deliver_to_lawyer
from tests.unit.test_webchat import desk, next_event, post  # noqa: F401 - desk is a fixture

DOCX_MAGIC = b"PK"  # a DOCX is a zip file


async def test_the_web_worker_gets_a_link_to_the_reviewed_draft_and_only_they_can_fetch_it(
    desk,  # noqa: F811 - the web chat's fixture, imported above
    database_url: str,
) -> None:
    client, rasa, _ = desk
    await post(client, "/api/open")
    chat = rasa.senders[-1]
    register(database_url, LAWYER)
    number = open_case(database_url, chat=chat, summary=STORY, intake=INTAKE, tags=("欠薪",))
    take(database_url, LAWYER, number)
    on_command(database_url, LAWYER_CHAT, "draft", f"{number} {COMPLETE}")
    deliver_to_lawyer(database_url)
    (sent,) = on_command(database_url, LAWYER_CHAT, "senddraft", number)
    assert "已发给工友" in sent.text

    events = await client.get("/api/events")
    notices = [await next_event(events), await next_event(events)]  # 律师已接手, then the draft
    draft = notices[-1]
    assert "律师已经看过" in draft["text"] and "这是草稿" in draft["text"]
    name = f"劳动仲裁申请书-{number}-第1版.docx"
    assert draft["document"]["name"] == name
    url = draft["document"]["url"]
    assert unquote(url) == f"/api/documents/{name}"

    fetched = await client.get(url)
    assert fetched.status == 200
    body = await fetched.read()
    assert body.startswith(DOCX_MAGIC)
    assert fetched.headers["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    assert fetched.headers["Cache-Control"] == "no-store"
    with session_scope(database_url) as session:
        assert outbox.document_of(session, chat, name) == body  # the version the lawyer had

    async with ClientSession(str(client._base_url), cookie_jar=CookieJar(unsafe=True)) as other:
        await post(other, "/api/open")
        assert (await other.get(url)).status == 404  # another worker's page
    assert (await client.get("/api/documents/" + "x.docx")).status == 404
