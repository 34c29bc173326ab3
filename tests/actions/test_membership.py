"""入会 on saved trackers: the form's checks (bad, good, corrected answers and the give-up after
three failures), the summary, changing an answer, submitting, and looking the status up."""

from __future__ import annotations

import re

import pytest
from rasa_sdk.events import ActionExecutionRejected, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.membership import (
    ActionCheckStatus,
    ActionMembershipAfterForm,
    ActionMembershipChangeField,
    ActionMembershipSubmit,
    ValidateMembershipForm,
)
from tests.actions.conftest import LoadTracker
from tests.actions.support import (
    FORGET_AID,
    FORGET_MEMBERSHIP,
    applications,
    recorded,
    said,
)

ID_NUMBER = "650102198805171233"
GIVE_UP = "这一项好像一直没能填好，别着急。我先不问了，您填写的信息不会保存。"
SUBMITTED = re.compile(
    r"入会申请已提交！编号 (RH-\d{4}-\d{6})（请记下，查询进度时会用到）。\n"
    r"受理工会：乌鲁木齐市新就业形态劳动者工会联合会（乌鲁木齐市示例路4号（示例地址，请替换），"
    r"电话 0991-0000-0004，周一至周六 10:00–20:00）。\n"
    r"您是平台配送员，属于新就业形态劳动者，按属地原则由乌鲁木齐市新就业形态劳动者工会联合会受理\n"
    r"工会会在5个工作日内审核，结果会在这里通知您。"
)


async def validate(
    name: str,
    load_tracker: LoadTracker,
    dispatcher: CollectingDispatcher,
    domain: dict,
    **changes: object,
) -> list[dict]:
    tracker = load_tracker(name, **changes)
    return await ValidateMembershipForm().run(dispatcher, tracker, domain)


@pytest.mark.parametrize(
    ("fixture", "events", "reply"),
    [
        # Yes: nothing to set, Rasa asks the first question.
        ("membership_consent_given", [], []),
        ("membership_consent_declined", [SlotSet("requested_slot", None)], []),
        (
            "membership_consent_unclear",
            [SlotSet("m_failures", 1)],
            ["需要先征得您的同意才能继续。请点「同意」或「不同意」，也可以说“取消”。"],
        ),
        (
            "membership_bad_id_number",
            [SlotSet("m_id_number", None), SlotSet("m_failures", 1)],
            ["身份证号应为18位，您输入了5位"],
        ),
        (
            "membership_good_id_number_after_a_bad_one",
            [SlotSet("m_id_number", ID_NUMBER), SlotSet("m_failures", 0)],
            [],
        ),
        (
            "membership_second_failure",
            [SlotSet("m_id_number", None), SlotSet("m_failures", 2)],
            ["身份证号应为18位，您输入了3位"],
        ),
        (
            # The third failure in a row ends the form politely.
            "membership_third_failure",
            [
                SlotSet("m_id_number", None),
                SlotSet("m_failures", 3),
                SlotSet("requested_slot", None),
            ],
            [GIVE_UP],
        ),
        ("membership_corrected_phone", [SlotSet("m_phone", "13700001111")], []),
        (
            # 我叫王强，手机13912345678，想申请入会: used once consent is given, not asked again.
            "membership_consent_after_answers_given_ahead",
            [SlotSet("m_name", "王强"), SlotSet("m_phone", "13912345678")],
            [],
        ),
    ],
)
async def test_each_answer_is_checked(
    load_tracker: LoadTracker,
    dispatcher: CollectingDispatcher,
    domain: dict,
    fixture: str,
    events: list[dict],
    reply: list[str],
) -> None:
    assert await validate(fixture, load_tracker, dispatcher, domain) == events
    assert said(dispatcher) == [(text, []) for text in reply]


async def test_a_district_is_kept_with_its_city(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker(
        "membership_bad_id_number", slots={"requested_slot": "m_location"}, answer="天山区"
    )
    assert await ValidateMembershipForm().run(dispatcher, tracker, domain) == [
        SlotSet("m_location", "乌鲁木齐市天山区")
    ]


async def test_cancel_at_the_consent_question_is_left_to_its_rule(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = await validate(
        "membership_consent_unclear", load_tracker, dispatcher, domain, intent="cancel", text="取消"
    )
    assert events == [] and said(dispatcher) == []  # no failure counted, nothing said


async def test_a_no_the_classifier_called_cancel_declines_at_the_consent_question(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = await validate(
        "membership_consent_unclear", load_tracker, dispatcher, domain, intent="cancel", text="不要"
    )
    assert SlotSet("m_consent", False) in events


@pytest.mark.parametrize("words", ["可以的", "没问题", "行吧", "好呀"])
async def test_consent_in_words_the_classifier_missed_is_consent(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, words: str
) -> None:
    events = await validate(
        "membership_consent_unclear", load_tracker, dispatcher, domain, intent="goodbye", text=words
    )
    assert SlotSet("m_consent", True) in events and said(dispatcher) == []


@pytest.mark.parametrize(
    ("asked", "answer", "intent", "kept"),
    [
        ("m_other_member", "没有", "cancel", "False"),  # 没有 is no cancel
        ("m_other_member", "没入过", "ask_legal", "False"),
        ("m_phone", "13912345678", "request_human", "13912345678"),
        ("m_location", "天山区那边", "ask_legal", "乌鲁木齐市天山区"),
    ],
)
async def test_an_answer_the_question_accepts_wins_over_the_intent(
    load_tracker: LoadTracker,
    dispatcher: CollectingDispatcher,
    domain: dict,
    asked: str,
    answer: str,
    intent: str,
    kept: str,
) -> None:
    tracker = load_tracker(
        "membership_bad_id_number", slots={"requested_slot": asked}, answer=answer, intent=intent
    )
    events = await ValidateMembershipForm().run(dispatcher, tracker, domain)
    assert SlotSet(asked, kept) in events
    assert not any(e["event"] == "action_execution_rejected" for e in events)


@pytest.mark.parametrize(
    ("asked", "message", "intent"),
    [
        ("m_occupation", "加班费怎么算？", "ask_legal"),  # takes any text, but this is a question
        ("m_phone", "试用期工资最低多少", "ask_legal"),
        ("m_name", "取消", "cancel"),
        ("m_other_member", "不办了", "cancel"),
        ("m_employer", "转人工", "request_human"),
    ],
)
async def test_a_question_or_clear_stop_words_leave_the_slot_to_the_rules(
    load_tracker: LoadTracker,
    dispatcher: CollectingDispatcher,
    domain: dict,
    asked: str,
    message: str,
    intent: str,
) -> None:
    tracker = load_tracker(
        "membership_bad_id_number", slots={"requested_slot": asked}, answer=message, intent=intent
    )
    events = await ValidateMembershipForm().run(dispatcher, tracker, domain)
    assert events == [SlotSet(asked, None), ActionExecutionRejected("membership_form")]
    assert said(dispatcher) == []  # no failure counted, nothing said


async def test_a_complete_form_shows_a_masked_summary_to_confirm(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker("membership_after_form_complete")
    events = await ActionMembershipAfterForm().run(dispatcher, tracker, domain)
    assert events == [SlotSet("membership_stage", "confirm")]
    assert said(dispatcher) == [
        (
            "请核对您的入会申请：\n"
            "· 姓名：王强\n"
            "· 身份证号：650102********1233\n"
            "· 手机号：139****5678\n"
            "· 工作单位/平台：美团\n"
            "· 职业：外卖骑手\n"
            "· 所在区县：乌鲁木齐市天山区\n"
            "· 已是其他工会会员：否\n"
            "信息无误请点「确认提交」；要修改请直接说，比如“改手机号”。",
            ["确认提交 → /affirm", "修改信息 → /change_field", "取消 → /cancel"],
        )
    ]


async def test_changing_the_phone_asks_it_again(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker("membership_change_phone")
    assert await ActionMembershipChangeField().run(dispatcher, tracker, domain) == [
        SlotSet("m_phone", None),
        SlotSet("membership_stage", None),
        FollowupAction("membership_form"),
    ]
    assert said(dispatcher) == []


async def test_changing_without_saying_what_asks_which(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker("membership_change_which")
    assert await ActionMembershipChangeField().run(dispatcher, tracker, domain) == []
    labels = ["姓名", "身份证号", "手机号", "工作单位/平台", "职业", "所在区县", "已是其他工会会员"]
    assert said(dispatcher) == [
        ("请问要修改哪一项？", [f"{label} → 改{label}" for label in labels])
    ]


async def submit(
    load_tracker: LoadTracker, domain: dict, name: str = "membership_submit"
) -> tuple[list[dict], list[str]]:
    dispatcher = CollectingDispatcher()
    events = await ActionMembershipSubmit().run(dispatcher, load_tracker(name), domain)
    return events, [text for text, _ in said(dispatcher)]


async def test_submitting_stores_the_application_and_gives_its_number(
    load_tracker: LoadTracker, domain: dict, desk_database: str
) -> None:
    events, [reply] = await submit(load_tracker, domain)
    assert events == FORGET_MEMBERSHIP
    [application] = applications(desk_database)
    assert SUBMITTED.fullmatch(reply).group(1) == application.number  # type: ignore[union-attr]
    assert application.number.endswith("-000001")
    assert (application.kind, application.status, application.chat_id) == (
        "membership",
        "submitted",
        "tg:7008",
    )
    assert (application.applicant_name, application.id_number, application.phone) == (
        "王强",
        ID_NUMBER,
        "13700001111",
    )
    assert recorded(desk_database) == [("application_submitted", "apply_membership", None)]


async def test_submitting_twice_returns_the_first_number(
    load_tracker: LoadTracker, domain: dict, desk_database: str
) -> None:
    _, [first] = await submit(load_tracker, domain)
    number = SUBMITTED.fullmatch(first).group(1)  # type: ignore[union-attr]
    _, [second] = await submit(load_tracker, domain)
    assert f"编号 {number}，不用重复提交" in second
    assert len(applications(desk_database)) == 1


async def test_joining_to_qualify_for_aid_submits_both(
    load_tracker: LoadTracker, domain: dict, desk_database: str
) -> None:
    events, [joined, aid] = await submit(load_tracker, domain, "membership_submit_with_aid_waiting")
    assert events == [*FORGET_MEMBERSHIP, *FORGET_AID]
    membership, relief = applications(desk_database)
    assert SUBMITTED.fullmatch(joined).group(1) == membership.number  # type: ignore[union-attr]
    assert aid.startswith(f"申请已提交，编号 {relief.number}（请记下，查询进度时会用到）。\n")
    assert "✔ 工会会员或正在申请入会：您已申请入会、正在审核，可以申请" in aid
    assert aid.endswith("这是根据您的回答做的初步判断，最终以工会线上线下核实为准。")
    assert (relief.kind, relief.programme) == ("aid", "new-employment-relief")
    assert recorded(desk_database) == [
        ("application_submitted", "apply_membership", None),
        ("application_submitted", "apply_aid", None),
    ]


async def test_status_in_the_chat_that_applied(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    await submit(load_tracker, domain)
    [application] = applications(desk_database)
    tracker = load_tracker("status_in_the_same_chat")
    assert await ActionCheckStatus().run(dispatcher, tracker, domain) == []
    assert said(dispatcher) == [
        (f"您的申请和案件：\n· 入会申请 {application.number}：已提交，等待审核", [])
    ]
    assert recorded(desk_database)[-1] == ("status_lookup", "check_status", None)


async def test_status_from_another_chat_needs_the_number_and_the_phone(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    await submit(load_tracker, domain)
    [application] = applications(desk_database)
    action = ActionCheckStatus()
    await action.run(dispatcher, load_tracker("status_in_another_chat"), domain)
    by_number = load_tracker("status_by_number", text=f"{application.number} 1111")
    await action.run(dispatcher, by_number, domain)
    assert said(dispatcher) == [
        (
            "在这个聊天里没有找到您的申请。如果是在别处提交的，请发送申请编号和手机号后四位，"
            "例如：RH-2026-000123 5678",
            [],
        ),
        (f"入会申请 {application.number}：已提交，等待审核", []),
    ]
