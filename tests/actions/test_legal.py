"""Labour-law questions: answers with their legal basis, topics when unsure, article look-ups,
and the hand-over to a lawyer for hard cases or after two unsure answers."""

from __future__ import annotations

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.legal import ActionAnswerLegalQuestion
from tests.actions.conftest import LoadTracker
from tests.actions.support import LAWYER_BUTTON, handed_over, recorded, said

ASK_FOR_QUESTION = (
    "请直接说出您遇到的问题，越具体越好，比如：“公司两个月没发工资怎么办”“周末加班费怎么算”。"
    "也可以查法条，比如“劳动合同法第四十七条”；或者把工龄和工资告诉我，帮您算经济补偿。"
)
UNSURE = (
    "抱歉，这个问题我没有把握回答，不想随便给您一个可能不对的答案。"
    "可以换个说法再问一次，或者转给工会律师帮您看看。"
)


async def answer(
    name: str,
    load_tracker: LoadTracker,
    dispatcher: CollectingDispatcher,
    domain: dict,
    **changes: object,
) -> list[dict]:
    return await ActionAnswerLegalQuestion().run(dispatcher, load_tracker(name, **changes), domain)


async def test_a_question_is_answered_with_its_legal_basis(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    events = await answer("legal_question_answered", load_tracker, dispatcher, domain)
    assert events == [SlotSet("last_faq_id", "wage-arrears-steps"), SlotSet("unsure_streak", 0)]
    [(text, buttons)] = said(dispatcher)
    assert text.startswith("按时足额发工资是单位的法定义务，不得克扣或无故拖欠。")
    basis, related = text.split("\n\n法律依据\n")[1].split("\n\n")
    assert related == "您可能还想问："
    assert [line.split("：")[0] for line in basis.splitlines()] == [
        "· 《劳动合同法》第三十条",
        "· 《劳动法》第五十条",
        "· 《劳动争议调解仲裁法》第九条",
    ]
    assert "“工资应当以货币形式按月支付给劳动者本人。不得克扣或者无故拖欠劳动者的工资。”" in text
    *runners_up, lawyer = buttons
    assert len(runners_up) == 2 and all("/choose_faq" in button for button in runners_up)
    assert [lawyer] == LAWYER_BUTTON
    assert recorded(desk_database) == [("legal_answer", "ask_legal", "wage-arrears-steps")]


async def test_a_short_follow_up_offers_the_closest_topics(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    events = await answer("legal_follow_up_unsure", load_tracker, dispatcher, domain)
    assert events == [SlotSet("unsure_streak", 1)]
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
    assert recorded(desk_database) == [("legal_unsure", "ask_legal", None)]


async def test_a_chosen_topic_is_answered(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = await answer("legal_topic_chosen", load_tracker, dispatcher, domain)
    assert events == [SlotSet("last_faq_id", "end-resign-probation"), SlotSet("unsure_streak", 0)]
    [(text, buttons)] = said(dispatcher)
    assert text.startswith("试用期内辞职，提前三日通知单位就可以解除劳动合同")
    assert "· 《劳动合同法》第三十七条：“劳动者提前三十日以书面形式通知用人单位" in text
    assert buttons == LAWYER_BUTTON


async def test_an_unknown_topic_asks_for_the_question(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    unknown = [{"entity": "faq_id", "value": "no-such-entry"}]
    events = await answer("legal_topic_chosen", load_tracker, dispatcher, domain, entities=unknown)
    assert events == [SlotSet("unsure_streak", 1)]  # as before: the topics were the last reply
    assert said(dispatcher) == [(ASK_FOR_QUESTION, [])]


async def test_an_article_is_quoted_in_full(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    events = await answer("legal_article_looked_up", load_tracker, dispatcher, domain)
    assert events == [SlotSet("unsure_streak", 0)]
    [(text, buttons)] = said(dispatcher)
    assert text.splitlines()[0] == "《劳动合同法》第四十七条"
    assert (
        text.splitlines()[-1]
        == "本条所称月工资是指劳动者在劳动合同解除或者终止前十二个月的平均工资。"
    )
    assert len(text.splitlines()) == 4 and buttons == []
    assert recorded(desk_database) == [("legal_article", "ask_legal", None)]


async def test_the_menu_button_asks_for_the_question_and_keeps_the_unsure_count(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = await answer(
        "legal_menu_button", load_tracker, dispatcher, domain, slots={"unsure_streak": 1}
    )
    assert events == [SlotSet("unsure_streak", 1)]  # "ask me" is no answer, sure or unsure
    assert said(dispatcher) == [(ASK_FOR_QUESTION, [])]


async def test_an_unsure_answer_says_so_and_offers_a_lawyer(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = await answer("legal_unsure", load_tracker, dispatcher, domain)
    assert events == [SlotSet("unsure_streak", 1)]
    assert said(dispatcher) == [(UNSURE, LAWYER_BUTTON)]


async def test_the_second_unsure_answer_in_a_row_passes_the_case_to_a_lawyer(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    events = await answer(
        "legal_unsure", load_tracker, dispatcher, domain, slots={"unsure_streak": 1}
    )
    assert events == handed_over(["unsure_twice"])
    assert said(dispatcher) == [
        ("我连续两次没能答准您的问题，不想耽误您。我这就帮您转给工会律师，先简单问几个问题。", [])
    ]
    assert recorded(desk_database) == [("handoff_started", "request_human", "unsure_twice")]


async def test_a_collective_dispute_goes_to_a_lawyer_with_what_was_said(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict, desk_database: str
) -> None:
    events = await answer("legal_collective_dispute", load_tracker, dispatcher, domain)
    story = "我们工地二十多个人的工资都没发，找谁都没用"
    assert events == [
        SlotSet("last_faq_id", "migrant-subcontract"),
        *handed_over(["collective"], h_story=story, h_workers="约20人"),
    ]
    # The cited answer first, without buttons that would compete with the intake.
    (answer_text, answer_buttons), handing_over = said(dispatcher)
    assert "法律依据" in answer_text and answer_buttons == []
    assert handing_over == (
        "您说的情况涉及多名工友，需要律师尽快跟进。我这就帮您转给工会律师，先简单问几个问题。",
        [],
    )
    assert recorded(desk_database) == [
        ("legal_answer", "ask_legal", "migrant-subcontract"),
        ("handoff_started", "request_human", "collective"),
    ]


async def test_a_worker_who_declined_a_lawyer_is_not_pushed_again(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = await answer(
        "legal_collective_dispute",
        load_tracker,
        dispatcher,
        domain,
        slots={"handoff_declined": True},
    )
    assert events == [SlotSet("unsure_streak", 1)]
    [(text, buttons)] = said(dispatcher)
    assert text.startswith("我理解您问的是「农民工与建筑工地」方面的问题")
    assert buttons[-1] == LAWYER_BUTTON[0]


async def test_inside_a_form_the_question_is_answered_and_the_form_goes_on(
    load_tracker: LoadTracker, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = await answer("legal_question_inside_membership_form", load_tracker, dispatcher, domain)
    assert events == [SlotSet("last_faq_id", "wage-arrears-steps")]  # no unsure count, no hand-over
    [(text, buttons)] = said(dispatcher)
    assert text.startswith("按时足额发工资是单位的法定义务") and "\n\n法律依据\n" in text
    assert buttons[-1] == LAWYER_BUTTON[0]
