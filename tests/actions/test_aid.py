"""帮扶/救助 on saved trackers: choosing the programme, its questions and checks, the give-up
after three failures, the summary, corrections, and submitting with a preliminary verdict.

The programme here is the medical mutual aid: its questions do not depend on today's date
(the delivery workers' relief asks one question per month since August)."""

from __future__ import annotations

import re

import pytest
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.aid import (
    ActionAidAfterForm,
    ActionAidChangeField,
    ActionAidSubmit,
    ActionAskAAnswer,
    ValidateAidForm,
)
from tests.actions.conftest import LoadTracker
from tests.actions.support import FORGET_AID, applications, recorded, said

MEDICAL = "medical-mutual-aid"
ANSWERS = {"illness": "住院治疗", "joined_plan": "是", "self_paid": "8000"}
GIVE_UP = "这一项好像一直没能填好，别着急。我先不问了，您填写的信息不会保存。"
CHANGE_WHICH = "请说要修改哪一项，比如“改手机号”“改9月单量”“改收入”。"


@pytest.mark.parametrize(
    ("fixture", "events", "reply"),
    [
        (
            # 我住院了…想申请医疗互助: the programme named up front is taken with the consent.
            "aid_consent_with_programme_named",
            [SlotSet("a_programme", MEDICAL)],
            [],
        ),
        (
            "aid_programme_unclear",
            [SlotSet("a_programme", None), SlotSet("m_failures", 1)],
            ["没听明白您想申请哪一项，请点下面的按钮选择。"],
        ),
        (
            "aid_programme_chosen",
            [SlotSet("a_programme", MEDICAL), SlotSet("m_failures", 0)],
            [],
        ),
        (
            "aid_illness_answered",  # 住院 → the choice it stands for
            [SlotSet("a_answers", {"illness": "住院治疗"}), SlotSet("a_answer", None)],
            [],
        ),
        (
            "aid_bad_amount",
            [SlotSet("a_answer", None), SlotSet("m_failures", 1)],
            ["请说一个具体的数，估个整数也行，比如“3000”；没有就回复“0”"],
        ),
        (
            "aid_last_answer_after_a_bad_one",
            [SlotSet("a_answers", ANSWERS), SlotSet("a_answer", "done"), SlotSet("m_failures", 0)],
            [],
        ),
        (
            "aid_third_failure",
            [
                SlotSet("a_programme", None),
                SlotSet("m_failures", 3),
                SlotSet("requested_slot", None),
            ],
            [GIVE_UP],
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
    assert await ValidateAidForm().run(dispatcher, load_tracker(fixture), domain) == events
    assert said(dispatcher) == [(text, []) for text in reply]


@pytest.mark.parametrize(
    ("answered", "question", "choices"),
    [
        ({}, "这次是什么情况？", ["重大疾病", "住院治疗", "门诊治疗", "其他"]),
        (
            {"illness": "住院治疗"},
            "您参加了职工医疗互助保障计划吗？一般是单位工会统一参加的。",
            ["是", "否"],
        ),
        (
            {"illness": "住院治疗", "joined_plan": "是"},
            "这次治疗医保报销以后，自己一共花了多少钱？",
            [],
        ),
    ],
)
async def test_the_next_question_comes_with_its_choices(
    load_tracker: LoadTracker,
    dispatcher: CollectingDispatcher,
    domain: dict,
    answered: dict[str, str],
    question: str,
    choices: list[str],
) -> None:
    tracker = load_tracker("aid_ask_first_question", slots={"a_answers": answered or None})
    assert await ActionAskAAnswer().run(dispatcher, tracker, domain) == []
    assert said(dispatcher) == [(question, [f"{choice} → {choice}" for choice in choices])]


async def test_nothing_is_asked_once_every_question_is_answered(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker("aid_after_form_complete")
    assert await ActionAskAAnswer().run(dispatcher, tracker, domain) == []
    assert said(dispatcher) == []


async def test_a_complete_form_shows_a_masked_summary_to_confirm(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker("aid_after_form_complete")
    assert await ActionAidAfterForm().run(dispatcher, tracker, domain) == [
        SlotSet("aid_stage", "confirm")
    ]
    assert said(dispatcher) == [
        (
            "请核对您的「职工医疗互助与大病救助」申请：\n"
            "· 姓名：王强\n"
            "· 身份证号：650102********1233\n"
            "· 手机号：139****5678\n"
            "· 所在区县：乌鲁木齐市天山区\n"
            "· 这次是什么情况：住院治疗\n"
            "· 您参加了职工医疗互助保障计划吗：是\n"
            "· 这次治疗医保报销以后，自己一共花了多少钱：8000\n"
            "信息无误请点「确认提交」；要修改请直接说，比如“改手机号”“改9月单量”“改收入”。",
            ["确认提交 → /affirm", "取消 → /cancel"],
        )
    ]


async def test_changing_the_phone_asks_it_again(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker("aid_change_phone")
    assert await ActionAidChangeField().run(dispatcher, tracker, domain) == [
        SlotSet("m_phone", None),
        SlotSet("aid_stage", None),
        FollowupAction("aid_form"),
    ]
    assert said(dispatcher) == []


async def test_changing_an_answer_forgets_only_that_answer(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker("aid_change_phone", text="改自己花的钱")
    assert await ActionAidChangeField().run(dispatcher, tracker, domain) == [
        SlotSet("a_answers", {"illness": "住院治疗", "joined_plan": "是"}),
        SlotSet("a_answer", None),
        SlotSet("aid_stage", None),
        FollowupAction("aid_form"),
    ]


async def test_an_unrecognised_change_asks_which(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = load_tracker("aid_change_unrecognised")  # 改自付
    assert await ActionAidChangeField().run(dispatcher, tracker, domain) == []
    assert said(dispatcher) == [(CHANGE_WHICH, [])]


async def test_submitting_stores_the_application_with_its_preliminary_verdict(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    tracker = load_tracker("aid_submit_medical")
    assert await ActionAidSubmit().run(dispatcher, tracker, domain) == [
        *FORGET_AID,
        SlotSet("m_name", None),
        SlotSet("m_id_number", None),
        SlotSet("m_phone", None),
        SlotSet("m_location", None),
        SlotSet("m_failures", None),
    ]
    [application] = applications(desk_database)
    assert re.fullmatch(r"JZ-\d{4}-000001", application.number or "")
    assert (application.kind, application.programme, application.verdict) == (
        "aid",
        MEDICAL,
        "不符合",
    )
    assert said(dispatcher) == [
        (
            f"申请已提交，编号 {application.number}（请记下，查询进度时会用到）。\n"
            "初步判断：暂不符合条件。\n"
            "✘ 工会会员：医疗互助面向工会会员；您在这里还没有入会记录，"
            "入会后就可以参加互助保障计划\n"
            "✔ 参加了医疗互助保障计划：您参加了医疗互助保障计划\n"
            "✔ 重大疾病或住院治疗：情况：住院治疗，在补助范围内\n"
            "✔ 自付费用达到5000元：自付8000元，达到5000元的起付线\n"
            "？ 医疗费用核实：自付8000元要对照发票、费用清单和医保结算单核实，"
            "补助金额按核实后的自付费用计算\n"
            "如果您觉得情况没有说清楚，可以回复“转人工”，请工作人员帮您看看。\n"
            "这是根据您的回答做的初步判断，最终以工会线上线下核实为准。",
            [],
        )
    ]
    assert recorded(desk_database) == [("application_submitted", "apply_aid", None)]


async def test_a_worker_who_is_not_a_member_is_offered_to_join_first(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    tracker = load_tracker("aid_submit_relief_not_a_member")
    assert await ActionAidSubmit().run(dispatcher, tracker, domain) == [
        SlotSet("aid_stage", None),
        SlotSet("aid_awaits_membership", True),  # the answers are kept for after joining
    ]
    assert said(dispatcher) == [
        (
            "这个项目面向工会会员和已申请入会的职工。在这里还没有您的入会记录，可以先在这里申请入会"
            "（只需再回答几个问题），提交入会申请后会接着办理这份救助申请。",
            ["现在申请入会 → /apply_membership"],
        )
    ]
    assert applications(desk_database) == [] and recorded(desk_database) == []


async def test_submitting_without_a_programme_only_clears_the_form(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    tracker = load_tracker("aid_submit_medical", slots={"a_programme": None})
    assert await ActionAidSubmit().run(dispatcher, tracker, domain) == FORGET_AID
    assert said(dispatcher) == [] and applications(desk_database) == []
