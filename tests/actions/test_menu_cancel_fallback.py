"""The menu, 取消 and the fallback, run on saved trackers."""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.cancel import ActionCancel
from actions.fallback import ActionDefaultFallback
from actions.menu import ActionShowMenu
from tests.actions.conftest import LoadTracker
from tests.actions.support import (
    FORGET_AID,
    FORGET_INTAKE,
    FORGET_MEMBERSHIP,
    LAWYER_BUTTON,
    MENU_BUTTONS,
    handed_over,
    recorded,
    said,
)

NOT_UNDERSTOOD = "抱歉，我没太明白您的意思。可以换个说法再说一次，或者从下面选择您需要的服务："


async def test_the_menu_offers_every_service(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    events = await ActionShowMenu().run(dispatcher, load_tracker("menu_asked_for"), domain)
    assert events == []
    assert said(dispatcher) == [("请选择您需要的服务，也可以直接用文字告诉我：", MENU_BUTTONS)]
    assert recorded(desk_database) == [("menu", None, None)]


MEMBERSHIP_CANCELLED = "已取消入会申请，您填写的信息都没有保存。需要时随时可以重新申请。"
AID_CANCELLED = "已取消帮扶/救助申请，您填写的信息都没有保存。需要时随时可以重新申请。"
INTAKE_CANCELLED = "好的，已取消。刚才说的情况没有保存，也没有转给律师。需要时随时说“转人工”。"


@pytest.mark.parametrize(
    ("fixture", "intent", "reply"),
    [
        ("cancel_with_nothing_under_way", None, "好的。现在没有正在办理的事项，需要时随时找我。"),
        ("cancel_in_membership_form", None, MEMBERSHIP_CANCELLED),
        ("cancel_at_membership_summary", None, MEMBERSHIP_CANCELLED),
        ("aid_programme_unclear", "cancel", AID_CANCELLED),  # inside the aid form
        ("cancel_at_aid_summary", None, AID_CANCELLED),
        ("cancel_in_handoff_form", None, INTAKE_CANCELLED),
    ],
    ids=lambda value: value if isinstance(value, str) and value.isascii() else "",
)
async def test_cancel_says_what_stopped_and_forgets_every_answer(
    load_tracker: LoadTracker,
    dispatcher: CollectingDispatcher,
    domain: dict,
    fixture: str,
    intent: str | None,
    reply: str,
) -> None:
    events = await ActionCancel().run(dispatcher, load_tracker(fixture, intent=intent), domain)
    assert events == [ActiveLoop(None), *FORGET_MEMBERSHIP, *FORGET_AID, *FORGET_INTAKE]
    assert said(dispatcher) == [(reply, [])]


async def test_a_message_nobody_understood_offers_the_menu_and_is_forgotten(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    tracker = load_tracker("fallback_not_understood")
    events = await ActionDefaultFallback().run(dispatcher, tracker, domain)
    assert events == [UserUtteranceReverted()]
    assert said(dispatcher) == [(NOT_UNDERSTOOD, MENU_BUTTONS)]
    assert recorded(desk_database) == [("not_understood", None, None)]


async def test_an_empty_message_is_not_understood(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker("fallback_not_understood", text="")
    assert await ActionDefaultFallback().run(dispatcher, tracker, domain) == [
        UserUtteranceReverted()
    ]
    assert said(dispatcher) == [(NOT_UNDERSTOOD, MENU_BUTTONS)]


async def test_the_knowledge_base_answers_what_the_intent_classifier_missed(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    tracker = load_tracker("fallback_not_understood", text="公司三个月没发工资了怎么办")
    events = await ActionDefaultFallback().run(dispatcher, tracker, domain)
    # Then the turn ends: nothing follows the core fallback in the rules, and without the
    # follow-up Rasa predicted the fallback again, ten times the same answer.
    assert events == [
        SlotSet("last_faq_id", "wage-arrears-steps"),
        SlotSet("unsure_streak", 0),
        FollowupAction("action_listen"),
    ]
    [(text, buttons)] = said(dispatcher)
    assert text.startswith("按时足额发工资是单位的法定义务")
    assert "\n\n法律依据\n· 《劳动合同法》第三十条：“用人单位应当按照劳动合同约定" in text
    assert text.endswith("您可能还想问：") and len(buttons) == 3 and buttons[-1] == LAWYER_BUTTON[0]
    assert recorded(desk_database) == [("legal_answer", "ask_legal", "wage-arrears-steps")]


async def test_known_topics_are_offered_when_the_knowledge_base_is_unsure(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker("fallback_not_understood", text="那试用期呢")
    events = await ActionDefaultFallback().run(dispatcher, tracker, domain)
    assert events == [SlotSet("unsure_streak", 1), FollowupAction("action_listen")]
    assert said(dispatcher) == [
        (
            "我理解您问的是「劳动合同」方面的问题，但不太确定具体是哪一个。请选一个最接近的，或者转人工律师：",
            [
                '试用期只能约定一次 → /choose_faq{"faq_id": "contract-probation-once"}',
                '试用期辞职 → /choose_faq{"faq_id": "end-resign-probation"}',
                '试用期最长多久 → /choose_faq{"faq_id": "contract-probation-length"}',
                *LAWYER_BUTTON,
            ],
        )
    ]


async def test_a_hard_case_the_classifier_missed_goes_to_a_lawyer(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    tracker = load_tracker("fallback_not_understood", text="我们二十多个人都没拿到钱")
    events = await ActionDefaultFallback().run(dispatcher, tracker, domain)
    assert events == [
        SlotSet("last_faq_id", "wage-group-claim"),
        *handed_over(["collective"], h_story="我们二十多个人都没拿到钱", h_workers="约20人"),
    ]
    # The cited answer first, without buttons that would compete with the intake.
    (answer_text, answer_buttons), handing_over = said(dispatcher)
    assert "法律依据" in answer_text and answer_buttons == []
    assert handing_over == (
        "您说的情况涉及多名工友，需要律师尽快跟进。我这就帮您转给工会律师，先简单问几个问题。",
        [],
    )
    assert recorded(desk_database) == [
        ("legal_answer", "ask_legal", "wage-group-claim"),
        ("handoff_started", "request_human", "collective"),
    ]


async def test_inside_a_form_a_hard_case_is_answered_and_the_form_goes_on(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker("membership_bad_id_number", text="我们二十多个人都没拿到钱")
    events = await ActionDefaultFallback().run(dispatcher, tracker, domain)
    assert events == [SlotSet("last_faq_id", "wage-group-claim")]  # no hand-over: the form goes on
    [(text, buttons)] = said(dispatcher)
    assert "法律依据" in text and buttons[-1] == "转人工律师 → /request_human"
