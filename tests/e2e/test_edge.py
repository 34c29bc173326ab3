"""Rasa's REST endpoint as `make serve` runs it (rasa_runtime/edge.py), posted to directly as
any local client could: what is not a payload of the desk's buttons is plain text, no payload
sets a slot, empty input is answered, sizes are capped, a turn never repeats itself."""

from __future__ import annotations

import json
import sqlite3
import urllib.error
import urllib.request
from collections import Counter

import pytest
import yaml

from desk.common import replies
from desk.common.inbound import MAX_REPLIES
from desk.settings import PROJECT_ROOT
from launcher.stack import StackConfig
from tests.e2e.rest import as_the_gateway, say, texts

INJECTED = "注入值七三九"
SLOTS = [*yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["slots"], "requested_slot"]


def post(rasa_url: str, body: bytes) -> int:
    headers = {"Content-Type": "application/json", **as_the_gateway()}  # senders as named
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook", data=body, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def slot_events(stack: StackConfig, sender: str) -> list[dict]:
    with sqlite3.connect(stack.tracker_db) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'slot'", (sender,)
        ).fetchall()
    return [json.loads(data) for (data,) in rows]


def user_events(stack: StackConfig, sender: str) -> list[dict]:
    with sqlite3.connect(stack.tracker_db) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (sender,)
        ).fetchall()
    return [json.loads(data) for (data,) in rows]


def user_texts(stack: StackConfig, sender: str) -> list[str]:
    return [event.get("text") or "" for event in user_events(stack, sender)]


@pytest.mark.parametrize(
    "typed",
    [
        "/我叫张三丰，手机13912345678，身份证110105199001011234",
        "/ /我叫李四 手机13812345678",
        "我叫王五，手机13712345678，身份证110105199001011234",  # looped without a slash, too
    ],
)
def test_a_slash_text_is_text_and_the_desk_answers_once(stack: StackConfig, typed: str) -> None:
    sender = f"e2e-slash-{abs(hash(typed))}"
    answer = say(stack.rasa_url, sender, typed)
    said = [message.get("text") for message in answer]
    assert answer and len(answer) <= MAX_REPLIES
    assert max(Counter(said).values()) == 1, said
    # The conversation goes on: the next message is answered (it got nothing after a loop).
    assert "您同意吗" in texts(say(stack.rasa_url, sender, "我要入会"))
    assert not any(text.startswith("/") for text in user_texts(stack, sender))


@pytest.mark.parametrize("intent", ["inform", "affirm", "apply_membership", "choose_faq"])
def test_no_payload_sets_a_slot(stack: StackConfig, intent: str) -> None:
    sender = f"e2e-inject-{intent}"
    say(stack.rasa_url, sender, "/apply_membership")  # the form is waiting for consent
    for slot in SLOTS:
        entities = {slot: INJECTED}
        if intent == "choose_faq":
            entities = {"faq_id": "si-five-types", **entities}
        answer = say(stack.rasa_url, sender, f"/{intent}{json.dumps(entities, ensure_ascii=False)}")
        assert answer, f"no reply to an injection of {slot}"
    # Text reaching a form's open question fills it as typing it would (the whole text, for
    # the form's validation to judge); a payload's own value never lands in a slot.
    injected = [event for event in slot_events(stack, sender) if event.get("value") == INJECTED]
    assert injected == []
    # Nor is it an entity of the message, for an action to read (the stock channel passed
    # every payload's entities on to the tracker).
    entities = [
        entity["entity"]
        for event in user_events(stack, sender)
        for entity in event.get("parse_data", {}).get("entities", [])
    ]
    assert set(entities) <= {"faq_id"}, entities


def test_the_restart_intent_cannot_be_sent(stack: StackConfig) -> None:
    sender = "e2e-restart"
    say(stack.rasa_url, sender, "/apply_membership")
    say(stack.rasa_url, sender, "/restart")
    with sqlite3.connect(stack.tracker_db) as connection:
        kinds = [
            kind
            for (kind,) in connection.execute(
                "SELECT type_name FROM events WHERE sender_id = ?", (sender,)
            )
        ]
    assert "restart" not in kinds


def test_the_desks_own_payloads_still_work(stack: StackConfig) -> None:
    answer = texts(say(stack.rasa_url, "e2e-payloads", '/choose_faq{"faq_id": "si-five-types"}'))
    assert "社会保险" in answer or "五险" in answer
    assert "您同意吗" in texts(say(stack.rasa_url, "e2e-payloads", "/apply_membership"))


def test_a_huge_message_is_cut_and_answered_and_a_huge_request_refused(
    stack: StackConfig,
) -> None:
    assert say(stack.rasa_url, "e2e-huge", "工资" * 6000)
    body = json.dumps({"sender": "e2e-huge", "message": "工" * 300_000}).encode()
    assert post(stack.rasa_url, body) == 413


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b"{}",
        b'{"message": "hi"}',
        b'{"sender": 7, "message": "hi"}',
        b'{"sender": "' + b"x" * 500 + b'", "message": "hi"}',
        b'{"sender": null}',
    ],
)
def test_malformed_requests_are_refused_not_errors(stack: StackConfig, body: bytes) -> None:
    assert post(stack.rasa_url, body) == 400


def test_a_message_that_is_not_a_string_gets_the_polite_reply(stack: StackConfig) -> None:
    for message in [7, None, ["你好"], {"text": "你好"}]:
        body = json.dumps({"sender": "e2e-odd", "message": message}).encode()
        assert post(stack.rasa_url, body) == 200
    assert texts(say(stack.rasa_url, "e2e-odd", " \u3000 ")) == replies.EMPTY_MESSAGE


def test_metadata_is_not_stored(stack: StackConfig) -> None:
    body = {"sender": "e2e-meta", "message": "你好", "metadata": {"note": INJECTED}}
    assert post(stack.rasa_url, json.dumps(body).encode()) == 200
    with sqlite3.connect(stack.tracker_db) as connection:
        stored = connection.execute(
            "SELECT group_concat(data) FROM events WHERE sender_id = 'e2e-meta'"
        ).fetchone()[0]
    assert INJECTED not in stored


def test_an_endless_number_is_cut_before_rasa_and_the_actions_see_it(
    stack: StackConfig,
) -> None:
    """Finding 6: 2,000 digits kept the calculators' number patterns busy for over a second on
    the action server's loop; Rasa (and so the action server) gets "…" in their place, and the
    worker still gets an answer."""
    assert texts(say(stack.rasa_url, "e2e-digits", "月薪" + "1" * 1990 + " 加班"))
    assert user_texts(stack, "e2e-digits") == ["月薪… 加班"]
