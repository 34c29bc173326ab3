"""desk/common/inbound.py: the one rule for what reaches Rasa, at the gateway and at Rasa's port."""

from __future__ import annotations

import re

import pytest
import yaml

from desk.common.inbound import (
    DEFAULT_MAX_CHARS,
    MAX_REPLIES,
    bounded,
    for_rasa,
    is_button_payload,
)
from desk.common.text import clean_user_text
from desk.legal.calculators import parse_monthly_wage
from desk.legal.consultation import topic_button
from desk.legal.library import get_knowledge
from desk.menu import menu_buttons
from desk.settings import PROJECT_ROOT


def issued_payloads() -> set[str]:
    """Every slash payload the desk's buttons carry: domain.yml, actions/, the menu, FAQ topics."""
    sources = [PROJECT_ROOT / "domain.yml", *sorted((PROJECT_ROOT / "actions").glob("*.py"))]
    found = {
        payload
        for source in sources
        for payload in re.findall(r"""payload["']?:\s*["'](/[^"']+)""", source.read_text())
    }
    found |= {button["payload"] for button in menu_buttons()}
    found |= {topic_button(entry)[1] for entry in list(get_knowledge().faq)[:50]}
    return found


def test_every_payload_the_desk_issues_is_read_as_a_payload() -> None:
    payloads = issued_payloads()
    assert {"/affirm", "/apply_membership", "/change_field"} <= payloads
    assert [payload for payload in payloads if not is_button_payload(payload)] == []
    assert all(for_rasa(payload) == payload for payload in payloads)


def test_every_button_intent_is_in_the_domain() -> None:
    from desk.common.inbound import BUTTON_INTENTS

    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    assert set(BUTTON_INTENTS) <= set(domain["intents"])


@pytest.mark.parametrize(
    ("raw", "sent"),
    [
        ("/我叫张三，手机13912345678", "我叫张三，手机13912345678"),
        ("/ /我叫张三", "我叫张三"),
        ("//// / 欠薪", "欠薪"),
        ("/restart", "restart"),
        ("/session_start", "session_start"),
        ("/nlu_fallback", "nlu_fallback"),
        ('/inform{"m_id_number": "1101"}', 'inform{"m_id_number": "1101"}'),
        ('/affirm{"m_consent": true}', 'affirm{"m_consent": true}'),
        ('/choose_faq{"faq_id": "x", "h_story": "y"}', 'choose_faq{"faq_id": "x", "h_story": "y"}'),
        ('/choose_faq{"faq_id": 5}', 'choose_faq{"faq_id": 5}'),
        ("/choose_faq{not json}", "choose_faq{not json}"),
        ("/affirm\u200b", "/affirm"),
        ("  /help  ", "/help"),
        ("\u202e\u200d", ""),
        ("/", ""),
        (" \t\n ", ""),
        (None, ""),
        (42, ""),
        ("欠薪" * 2000, "欠薪" * 1000),
    ],
)  # fmt: skip
def test_what_rasa_is_given(raw: object, sent: str) -> None:
    assert for_rasa(raw) == sent


def test_a_turn_sends_each_reply_once_and_a_bounded_number() -> None:
    assert bounded(["a", "a", "b", "a"], key=str) == ["a", "b"]
    assert len(bounded([str(i) for i in range(100)], key=str)) == MAX_REPLIES


WECHAT_PAY = "4200001234202611230123456789"  # a transaction number, 28 digits


@pytest.mark.parametrize(
    ("raw", "sent"),
    [
        ("月薪" + "1" * 1990 + " 加班", "月薪… 加班"),
        ("我" + "三" * 1990 + "年工龄 被辞退", "我…年工龄 被辞退"),
        ("工作" + "９" * 990 + "年", "工作…年"),  # full-width digits are digits too
        (("1" * 50 + "元") * 3, "…元…元…元"),
        # Every number a worker means stays as typed: a bank card, an ID number, an amount.
        ("卡号6222021234567890123", "卡号6222021234567890123"),
        ("身份证11010519900101123X", "身份证11010519900101123X"),
        ("欠了十二万三千四百五十六元", "欠了十二万三千四百五十六元"),
        (f"交易单号{WECHAT_PAY}", f"交易单号{WECHAT_PAY}"),
        ("1" * 40, "1" * 40),
    ],
)  # fmt: skip
def test_an_endless_number_reaches_nobody_as_a_number(raw: str, sent: str) -> None:
    """Finding 6: the calculators' number patterns took 1.2 s on one 2,000-digit message, on
    the action server's event loop; no run longer than any real number reaches Rasa now."""
    assert for_rasa(raw) == sent
    cleaned = clean_user_text(raw, DEFAULT_MAX_CHARS)
    assert cleaned is not None and cleaned.text == sent


def test_an_endless_number_is_not_read_as_a_wage() -> None:
    assert parse_monthly_wage("月薪" + "1" * 1990 + " 加班") is not None  # as the core reads it
    assert parse_monthly_wage(for_rasa("月薪" + "1" * 1990 + " 加班")) is None  # as it gets it
