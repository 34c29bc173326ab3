"""转人工 on saved trackers: starting the intake, its checks (an answer kept in the worker's
words after two failures), the consent summary, corrections, and opening the case."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import (
    ActionAskHandoffConsent,
    ActionHandoffAfterForm,
    ActionHandoffChangeField,
    ActionHandoffStart,
    ValidateHandoffForm,
)
from desk.settings import get_settings
from tests.actions.conftest import LoadTracker
from tests.actions.support import FORGET_INTAKE, handed_over, recorded, said, tickets

PASSING_ON = "好的，我这就帮您转给工会律师，先简单问几个问题。"
CONSENT_NEEDED = (
    "需要您同意后，我们才能把情况转给工会律师。请点「同意」或「不同意」，也可以说“取消”。"
)
OPENED = (
    "已为您登记案件 {number}（普通）。您的案件排在队列最前面。现在没有在线登记的律师，"
    "我说不准要等多久；工作人员上班后会尽快安排，律师接手时我会在这里通知您。"
    "急事请拨打职工服务热线 12351。\n"
    "律师接手后，您在这里发的消息会直接转给律师。在那之前，有问题也可以继续问我。"
)


async def start(tracker: Tracker, dispatcher: CollectingDispatcher, domain: dict) -> list[dict]:
    return await ActionHandoffStart().run(dispatcher, tracker, domain)


async def test_asking_for_a_lawyer_starts_the_intake(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    events = await start(load_tracker("handoff_requested"), dispatcher, domain)
    assert events == handed_over(["explicit"])
    assert said(dispatcher) == [(PASSING_ON, [])]
    assert recorded(desk_database) == [("handoff_started", "request_human", "explicit")]


async def test_a_hard_case_in_the_request_is_named_and_its_story_kept(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    text = "老板跑了，欠我三个月工资，我要找律师"
    events = await start(load_tracker("handoff_requested", text=text), dispatcher, domain)
    assert events == handed_over(["explicit", "absconding_boss"], h_story=text)
    assert said(dispatcher) == [
        (
            "好的，您说的情况涉及老板跑路或失联，需要律师尽快跟进。"
            "我这就帮您转给工会律师，先简单问几个问题。",
            [],
        )
    ]


async def test_asking_for_a_lawyer_inside_another_form_ends_that_form(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker("membership_bad_id_number", text="转人工")
    assert await start(tracker, dispatcher, domain) == [
        ActiveLoop(None),
        *handed_over(["explicit"]),
    ]


@pytest.mark.parametrize(
    ("fixture", "changes", "events", "reply"),
    [
        (
            "handoff_story",
            {},
            [SlotSet("h_story", "公司把我开除了，一分钱补偿都没给")],
            [],
        ),
        (
            "handoff_unknown_city",
            {},
            [SlotSet("h_city", None), SlotSet("m_failures", 1)],
            ["没认出这个地方。请写城市名，比如“深圳”“乌鲁木齐”“昆山市”。"],
        ),
        (
            # The second failure: kept as said, so a hard case is not lost over a detail.
            "handoff_unknown_city_again",
            {},
            [SlotSet("h_city", "（原话）火星"), SlotSet("m_failures", 0)],
            ["没关系，我先按您的原话记下，律师会再跟您确认。"],
        ),
        (
            "handoff_story",
            {"answer": "/affirm"},
            [SlotSet("h_story", None), SlotSet("m_failures", 1)],
            ["这个按钮是前面问题的，请直接用文字回答下面的问题。"],
        ),
        ("handoff_consent_given", {}, [], []),
        (
            # Neither yes nor no at the last question: asked again, no failure counted.
            "handoff_consent_unclear",
            {},
            [SlotSet("h_consent", None)],
            [CONSENT_NEEDED],
        ),
        # 改城市 understood as change_field: its own rule answers (the change-field action).
        ("handoff_change_city", {}, [], []),
        # 城市写错了, understood as anything else, reopens that answer here.
        (
            "handoff_change_city",
            {"intent": "inform", "text": "城市写错了"},
            [SlotSet("h_city", None)],
            [],
        ),
    ],
)
async def test_each_answer_is_checked(
    load_tracker: LoadTracker,
    dispatcher: CollectingDispatcher,
    domain: dict,
    fixture: str,
    changes: dict,
    events: list[dict],
    reply: list[str],
) -> None:
    tracker = load_tracker(fixture, **changes)
    assert await ValidateHandoffForm().run(dispatcher, tracker, domain) == events
    assert said(dispatcher) == [(text, []) for text in reply]


async def test_the_last_question_shows_everything_that_would_go_to_the_lawyer(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker("handoff_ask_consent")
    assert await ActionAskHandoffConsent().run(dispatcher, tracker, domain) == []
    assert said(dispatcher) == [
        (
            "转给律师之前，请核对一下：\n"
            "· 情况经过：公司把我开除了，一分钱补偿都没给\n"
            "· 用人单位：某某建筑公司\n"
            "· 所在城市：（原话）火星\n"
            "· 涉及人数：1人\n"
            "· 涉及金额：不涉及\n"
            "· 联系电话：未提供\n"
            "同意把以上情况转给工会律师吗？要修改请直接说，比如“改手机号”。",
            ["同意 → /affirm", "修改 → /change_field", "不同意 → /deny"],
        )
    ]


async def test_changing_the_city_asks_it_again(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker("handoff_change_city")
    assert await ActionHandoffChangeField().run(dispatcher, tracker, domain) == [
        SlotSet("h_city", None),
        SlotSet("h_consent", None),
        FollowupAction("handoff_form"),
    ]
    assert said(dispatcher) == []


async def test_changing_without_saying_what_asks_which(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker("handoff_change_which")
    assert await ActionHandoffChangeField().run(dispatcher, tracker, domain) == [
        SlotSet("h_consent", None),
        FollowupAction("handoff_form"),
    ]
    labels = ["情况经过", "用人单位", "所在城市", "涉及人数", "涉及金额", "联系电话"]
    assert said(dispatcher) == [
        ("请问要修改哪一项？", [f"{label} → 改{label}" for label in labels])
    ]


async def test_agreeing_opens_a_numbered_case_with_an_honest_wait(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    tracker = load_tracker("handoff_after_form_agreed")
    events = await ActionHandoffAfterForm().run(dispatcher, tracker, domain)
    assert events == [*FORGET_INTAKE, SlotSet("handoff_declined", None)]
    [ticket] = tickets(desk_database)
    assert re.fullmatch(r"AJ-\d{4}-000001", ticket.number or "")
    assert said(dispatcher) == [(OPENED.format(number=ticket.number), [])]
    assert (ticket.chat_id, ticket.status, ticket.priority) == (tracker.sender_id, "open", "normal")
    assert ticket.intake["情况经过"] == "公司把我开除了，一分钱补偿都没给"
    assert ticket.intake["所在城市"] == "乌鲁木齐"
    assert recorded(desk_database) == [("ticket_opened", "request_human", None)]


async def test_a_second_request_adds_to_the_case_in_progress(
    load_tracker: LoadTracker, domain: dict, desk_database: str
) -> None:
    await ActionHandoffAfterForm().run(
        CollectingDispatcher(), load_tracker("handoff_after_form_agreed"), domain
    )
    [ticket] = tickets(desk_database)
    dispatcher = CollectingDispatcher()
    events = await start(load_tracker("handoff_requested"), dispatcher, domain)
    # What the case already holds is not asked again.
    assert events == handed_over(
        ["explicit"],
        h_employer="某某建筑公司",
        h_city="乌鲁木齐",
        h_workers="1",
        h_amount="不涉及",
        h_phone="13912345678",
    )
    assert said(dispatcher) == [
        (f"{PASSING_ON}\n您已有案件 {ticket.number}（等待律师接手），这次说的情况会补充进去。", [])
    ]


async def test_declining_keeps_nothing_and_is_remembered(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    tracker = load_tracker("handoff_after_declined")
    assert await ActionHandoffAfterForm().run(dispatcher, tracker, domain) == [
        *FORGET_INTAKE,
        SlotSet("handoff_declined", True),  # the bot will not push a lawyer again
    ]
    assert said(dispatcher) == [
        (
            "好的，没有您的同意，我们不会把情况转给律师，刚才说的内容也不会保存。"
            "需要帮助时，可以拨打职工服务热线 12351，或者随时再说“转人工”。",
            [],
        )
    ]
    assert tickets(desk_database) == []


async def test_after_giving_up_nothing_is_kept(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    tracker = load_tracker("handoff_after_form_agreed", slots={"m_failures": 3})
    assert await ActionHandoffAfterForm().run(dispatcher, tracker, domain) == FORGET_INTAKE
    assert said(dispatcher) == []  # the form said why when it gave up
    assert tickets(desk_database) == []
    assert recorded(desk_database) == [("form_gave_up", "request_human", None)]


async def test_a_database_failure_keeps_the_intake_to_try_again(
    load_tracker: LoadTracker,
    dispatcher: CollectingDispatcher,
    domain: dict,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'never-migrated.db'}")
    get_settings.cache_clear()
    tracker = load_tracker("handoff_after_form_agreed")
    assert await ActionHandoffAfterForm().run(dispatcher, tracker, domain) == [
        SlotSet("h_consent", None),
        FollowupAction("handoff_form"),
    ]
    [(text, [])] = said(dispatcher)
    assert text == (
        "抱歉，系统刚才出了点问题，您的情况还没能转给律师，内容我都还记着。"
        "请过一两分钟再点「同意」试一次；急事请拨打职工服务热线 12351。"
    )
