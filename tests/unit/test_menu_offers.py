"""The applications a reply to a labour question offers because the worker's message speaks
of them (desk.menu.offers_for)."""

from __future__ import annotations

import pytest

from desk.menu import AID_OFFER, JOIN_OFFER, offers_for, with_offers


@pytest.mark.parametrize(
    "text",
    [
        "外卖员能不能入工会啊，要交钱吗",
        "工会收不收我们这些跑腿的",
        "我们工地上没有工会，我一个人能不能参加",
    ],
)
def test_a_question_about_joining_is_offered_the_application(text: str) -> None:
    assert offers_for(text) == (JOIN_OFFER,)


@pytest.mark.parametrize(
    "text",
    [
        "送外卖的，这几个月单子很少，听说工会能补助",
        "孩子录取通知书到了，学费一万多拿不出来",
        "下岗在家，老婆也没工作，日子过不下去",
    ],
)
def test_hardship_asking_for_help_is_offered_aid(text: str) -> None:
    assert offers_for(text) == (AID_OFFER,)


@pytest.mark.parametrize(
    "text",
    [
        "高温天气有补贴吗",
        "加班费怎么算",
        "参加仲裁要带什么",
        "我的入会申请批了吗",
        "救助申请审核到哪了",
    ],
)
def test_labour_questions_and_status_questions_are_offered_nothing(text: str) -> None:
    assert offers_for(text) == ()


def test_an_offer_already_among_the_buttons_is_not_repeated() -> None:
    lawyer = ("转人工律师", "/request_human")
    assert with_offers((JOIN_OFFER, lawyer), "送外卖的能入会吗") == (JOIN_OFFER, lawyer)
    assert with_offers((lawyer,), "送外卖的能入会吗") == (JOIN_OFFER, lawyer)
