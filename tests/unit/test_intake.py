"""The lawyer intake's rules without Rasa: questions, checks, answers reused, summary, record."""

from __future__ import annotations

import pytest

from desk.cases.intake import (
    ANSWERS,
    CONSENT,
    CONSENT_NEEDED,
    CONSENT_QUESTION,
    DECLINED,
    FIELDS,
    KEPT_AS_SAID,
    NOT_GIVEN,
    NOT_INVOLVED,
    PHONE_LEFT_OUT,
    SPEC,
    STALE_BUTTON,
    UNKNOWN,
    intake_record,
    keep_as_said,
    prefill,
    prefill_from_previous,
)
from desk.common.text import to_simplified
from desk.forms.answers import Invalid, Valid

SLOTS = ["h_story", "h_employer", "h_city", "h_workers", "h_amount", "h_phone", "h_consent"]


def test_the_fields_come_in_order_with_consent_last() -> None:
    assert [field.slot for field in FIELDS] == SLOTS
    assert CONSENT is FIELDS[-1] and CONSENT not in ANSWERS
    assert CONSENT.question == CONSENT_QUESTION == "同意把以上情况转给工会律师吗？"


@pytest.mark.parametrize("slot", SLOTS)
def test_every_question_is_short_kind_simplified_chinese(slot: str) -> None:
    text = SPEC.by_slot[slot].question
    assert text.endswith(("？", "。")) and len(text) <= 60
    assert to_simplified(text) == text


def test_the_phone_question_says_why_and_how_to_skip() -> None:
    phone = SPEC.by_slot["h_phone"]
    assert phone.question == "方便留个手机号吗？律师可能需要电话联系您。不方便就回复「跳过」。"


# ── Checks ───────────────────────────────────────────────────────────────────────────────────

VALID = [
    ("h_story", "老板欠了我们三个月工资，现在联系不上", "老板欠了我们三个月工资，现在联系不上"),
    ("h_story", "  工地几十个人没拿到钱 ", "工地几十个人没拿到钱"),
    ("h_story", "我從架子上摔下來了", "我從架子上摔下來了"),  # kept as written
    ("h_employer", "不知道", UNKNOWN),
    ("h_employer", "我也不清楚叫什么", UNKNOWN),
    ("h_employer", "美团", "美团"),
    ("h_employer", "我在宏达电子厂上班", "宏达电子厂"),
    ("h_employer", "包工头老王", "包工头老王"),
    ("h_employer", "一个包工头，姓李", "一个包工头，姓李"),  # the worker's punctuation stays
    ("h_employer", "美团和饿了么都跑", "美团和饿了么都跑"),
    ("h_city", "深圳", "深圳"),
    ("h_city", "我在东莞打工", "东莞"),
    ("h_city", "义乌市", "义乌市"),  # no union here covers it: still a city
    ("h_city", "沙县", "沙县"),
    ("h_city", "在深圳宝安区上班", "深圳宝安区"),
    ("h_city", "天山区", "乌鲁木齐市天山区"),  # a covered district gets its full name
    ("h_city", "上海嘉定", "上海市嘉定区"),
    ("h_city", "廣州", "广州"),  # 繁体
    ("h_workers", "就我一个", "1"),
    ("h_workers", "5", "5"),
    ("h_workers", "五个", "5"),
    ("h_workers", "我们5个人", "5"),
    ("h_workers", "十几个", "约10人"),
    ("h_workers", "几十个", "几十人"),  # as said: 约20人 would understate it
    ("h_workers", "上百人", "上百人"),
    ("h_workers", "数十名工人", "数十人"),
    ("h_workers", "几十块钱的事，我们5个人", "5"),  # 几十 of money, not of people
    ("h_workers", "二十多个工友", "约20人"),
    ("h_workers", "三四十人", "约30人"),
    ("h_workers", "大概30人左右", "约30人"),
    ("h_workers", "好几个", "约3人"),
    ("h_workers", "俩", "2"),
    ("h_workers", "不清楚", UNKNOWN),
    ("h_amount", "三万二", "32000元"),
    ("h_amount", "8000", "8000元"),
    ("h_amount", "八千多", "约8000元"),
    ("h_amount", "2.5万", "25000元"),
    ("h_amount", "一万五千元", "15000元"),
    ("h_amount", "大概5000块左右", "约5000元"),
    ("h_amount", "欠了三个月，一共一万八", "18000元"),
    ("h_amount", "没有", NOT_INVOLVED),
    ("h_amount", "不涉及", NOT_INVOLVED),
    ("h_amount", "0", NOT_INVOLVED),
    ("h_amount", "说不清", UNKNOWN),
    ("h_amount", "不清楚具体多少", UNKNOWN),
    ("h_workers", "不知道有多少", UNKNOWN),
    ("h_amount", "每人一万多", "每人约10000元"),
    ("h_amount", "十几万", "十几万元"),  # as said: 约100000元 would understate it
    ("h_amount", "欠了几千块", "几千元"),
    ("h_amount", "十几个人欠了8000多", "约8000元"),  # a collective case: what each is owed
    ("h_amount", "四十个人每人一万", "每人10000元"),
    ("h_amount", "人均八千左右", "每人约8000元"),
    ("h_phone", "13912345678", "13912345678"),
    ("h_phone", "139 1234 5678", "13912345678"),
    ("h_phone", "手机：+86 139-1234-5678", "13912345678"),
    ("h_phone", "跳过", NOT_GIVEN),
    ("h_phone", "不方便", NOT_GIVEN),
    ("h_phone", "不想留", NOT_GIVEN),
    ("h_consent", "同意", "True"),
    ("h_consent", "可以", "True"),
    ("h_consent", "好的", "True"),
    ("h_consent", "不同意", "False"),
    ("h_consent", "不要", "False"),
]


@pytest.mark.parametrize(("slot", "raw", "value"), VALID)
def test_a_good_answer_is_kept_in_its_normal_form(slot: str, raw: str, value: str) -> None:
    assert SPEC.answer(slot, raw) == Valid(value)


@pytest.mark.parametrize(("slot", "raw", "value"), VALID)
def test_checking_a_kept_answer_again_keeps_it(slot: str, raw: str, value: str) -> None:
    """Answers travel between turns as text and come back from a previous ticket's intake."""
    assert SPEC.answer(slot, value) == Valid(value)


INVALID = [
    ("h_story", "有", "多说几句"),
    ("h_story", "不知道", "多说几句"),
    ("h_story", "转人工", "多说几句"),
    ("h_story", "我要找律师帮忙", "多说几句"),
    ("h_employer", "x", "不清楚就回复「不清楚」"),
    ("h_employer", "加班费怎么算", "律师接手后会详细解答"),  # the question asked once more
    ("h_employer", "公司不给加班费，能赔多少？", "律师接手后会详细解答"),
    ("h_city", "广东", "广东的哪个城市"),
    ("h_city", "小区", "没认出这个地方"),
    ("h_city", "火星", "没认出这个地方"),
    ("h_city", "abc", "只写城市名"),
    ("h_city", "不知道", "哪个城市"),
    ("h_workers", "很多", "说个大概的数"),
    ("h_workers", "0", "人数好像不太对"),
    ("h_workers", "一些", "大概有几个人"),
    ("h_amount", "13912345678", "像是手机号"),
    ("h_amount", "每月5000", "每月或每天的工资"),
    ("h_amount", "5000元/月", "每月或每天的工资"),
    ("h_amount", "欠了三个月工资", "请写一个钱数"),
    ("h_amount", "每人", "请写一个钱数"),
    ("h_phone", "12345", "11位"),
    ("h_phone", "02112345678", "座机"),
    ("h_phone", "打电话", "只能包含数字"),
    ("h_consent", "啥", CONSENT_NEEDED),
    ("h_consent", "不知道", CONSENT_NEEDED),
]


@pytest.mark.parametrize(("slot", "raw", "says"), INVALID)
def test_a_bad_answer_is_explained_politely(slot: str, raw: str, says: str) -> None:
    checked = SPEC.answer(slot, raw)
    assert isinstance(checked, Invalid), checked
    assert says in checked.message
    assert to_simplified(checked.message) == checked.message


def test_a_phone_refusal_offers_to_skip() -> None:
    checked = SPEC.answer("h_phone", "12345")
    assert isinstance(checked, Invalid) and "跳过" in checked.message


@pytest.mark.parametrize("slot", ["h_story", "h_employer", "h_city", "h_workers", "h_amount"])
def test_an_answer_that_fails_twice_is_kept_in_the_workers_words(slot: str) -> None:
    """Zero threshold: a hard case is not dropped because one detail would not parse."""
    assert keep_as_said(slot, "每月五千，干了半年", failures=1) is None
    kept = keep_as_said(slot, " 每月五千，干了半年 ", failures=2)
    assert kept == ("（原话）每月五千，干了半年", KEPT_AS_SAID)


def test_a_phone_that_fails_twice_is_left_out_not_kept_wrong() -> None:
    assert keep_as_said("h_phone", "1391234567", failures=2) == (NOT_GIVEN, PHONE_LEFT_OUT)


def test_consent_is_never_assumed() -> None:
    assert keep_as_said("h_consent", "嗯嗯", failures=5) is None


def test_a_stale_button_is_not_kept_as_an_answer() -> None:
    assert keep_as_said("h_city", "/affirm", failures=2) is None


@pytest.mark.parametrize("slot", ["h_story", "h_employer", "h_city", "h_phone"])
def test_a_button_of_an_earlier_message_is_no_answer(slot: str) -> None:
    assert SPEC.answer(slot, "/affirm") == Invalid(STALE_BUTTON)


def test_a_per_person_amount_said_ahead_stays_per_person() -> None:
    found = prefill(["我们工地四十个人，每人被欠了一万多，老板跑了"], {})
    assert found["h_amount"] == "每人约10000元"


# ── What was already said ────────────────────────────────────────────────────────────────────


def test_the_message_that_raised_the_handoff_fills_what_it_says() -> None:
    text = (
        "我们宏达电子厂二十多个工友三个月没发工资了，老板跑了，一共欠了十五万，"
        "我在东莞，电话13912345678"
    )
    assert prefill([text], {}) == {
        "h_story": text,
        "h_employer": "宏达电子厂",
        "h_city": "东莞",
        "h_workers": "约20人",
        "h_amount": "150000元",
        "h_phone": "13912345678",
    }


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (
            ["我在深圳市宏达电子有限公司上班，被机器压断了手指"],
            {
                "h_story": "我在深圳市宏达电子有限公司上班，被机器压断了手指",
                "h_employer": "深圳市宏达电子有限公司",
                "h_city": "深圳",
            },
        ),
        (
            ["我在美团送外卖，在天山区被车撞了"],
            {
                "h_story": "我在美团送外卖，在天山区被车撞了",
                "h_employer": "美团",
                "h_city": "乌鲁木齐市天山区",
            },
        ),
        # A request for a human is no story: the description before it is.
        (
            ["老板欠了我8000多块，联系不上了", "转人工"],
            {"h_story": "老板欠了我8000多块，联系不上了", "h_amount": "约8000元"},
        ),
        # The message describing the hard case is the story, not an earlier FAQ question.
        (
            ["加班费到底怎么算才合法啊", "我们工地老板跑了，工资都没发", "转人工"],
            {"h_story": "我们工地老板跑了，工资都没发"},
        ),
        # Without a hard case, the latest message that says something.
        (
            ["你好", "公司三个月没给我交社保了", "找律师"],
            {"h_story": "公司三个月没给我交社保了"},
        ),
        # A correction wins: the latest city named.
        (
            ["我在东莞打工，老板跑了", "说错了，我在深圳打工"],
            {"h_story": "我在东莞打工，老板跑了", "h_city": "深圳"},
        ),
        # 老家 is home, not where the work is; 我们厂, 一家电子厂 name no employer.
        (
            ["老家在郑州，现在在深圳一家电子厂打工，老板跑路了"],
            {"h_story": "老家在郑州，现在在深圳一家电子厂打工，老板跑路了", "h_city": "深圳"},
        ),
        (
            ["我们厂几十个人没拿到工资"],
            {"h_story": "我们厂几十个人没拿到工资", "h_workers": "几十人"},
        ),
        (["就我一个人被欠薪了"], {"h_story": "就我一个人被欠薪了", "h_workers": "1"}),
        # A monthly wage is not what is owed; a phone number is not an amount.
        (["月薪5000"], {}),
        ([], {}),
    ],
)
def test_answers_given_ahead_are_reused(texts: list[str], expected: dict[str, str]) -> None:
    assert prefill(texts, {}) == expected


def test_prefill_never_overwrites_an_answer() -> None:
    found = prefill(["我在东莞，老板欠了我8000"], {"h_city": "广州", "h_story": "已经说过了"})
    assert found == {"h_amount": "8000元"}


def test_prefill_never_answers_consent() -> None:
    assert "h_consent" not in prefill(["同意，老板跑了，工资没发，我在深圳"], {})


def test_a_previous_intake_fills_everything_but_the_new_story() -> None:
    values = {
        "h_story": "老板跑了",
        "h_employer": "宏达电子厂",
        "h_city": "东莞",
        "h_workers": "5",
        "h_amount": "约8000元",
        "h_phone": "13912345678",
        "h_consent": "True",
    }
    record = intake_record(values)
    assert record == {
        "情况经过": "老板跑了",
        "用人单位": "宏达电子厂",
        "所在城市": "东莞",
        "涉及人数": "5人",
        "涉及金额": "约8000元",
        "联系电话": "13912345678",
    }
    assert prefill_from_previous(record) == {
        slot: value for slot, value in values.items() if slot not in ("h_story", "h_consent")
    }


def test_a_previous_intake_with_gaps_or_odd_values_fills_only_what_checks() -> None:
    assert prefill_from_previous({"所在城市": "火星", "联系电话": NOT_GIVEN, "其他": "x"}) == {
        "h_phone": NOT_GIVEN
    }


# ── Summary, corrections, consent ────────────────────────────────────────────────────────────

VALUES = {
    "h_story": "老板欠了我三个月工资跑了，我电话13912345678",
    "h_employer": UNKNOWN,
    "h_city": "深圳",
    "h_workers": "1",
    "h_amount": "15000元",
    "h_phone": "13912345678",
}


def test_the_summary_lists_the_answers_and_asks_for_consent() -> None:
    text = SPEC.summary(VALUES)
    for line in (
        "· 情况经过：老板欠了我三个月工资跑了，我电话13912345678",
        "· 用人单位：不清楚",
        "· 所在城市：深圳",
        "· 涉及人数：1人",
        "· 涉及金额：15000元",
        "· 联系电话：13912345678",
    ):
        assert line in text
    assert CONSENT_QUESTION in text and "改手机号" in text
    assert text.index("情况经过") < text.index("联系电话") < text.index(CONSENT_QUESTION)


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("改手机号", "h_phone"),
        ("电话号码错了", "h_phone"),
        ("城市写错了", "h_city"),
        ("地址不对", "h_city"),
        ("人数不对", "h_workers"),
        ("金额写错了", "h_amount"),
        ("把钱改一下", "h_amount"),
        ("公司名字不对", "h_employer"),
        ("改一下单位", "h_employer"),
        ("情况再补充一下", "h_story"),
        ("城市寫錯了", "h_city"),  # 繁体
        ("修改信息", None),
        ("改一下", None),
        ("老板还欠我五千", None),  # names a field, asks no change
        ("我的电话是13912345678", None),
    ],
)
def test_the_field_to_change_is_read_from_the_request(text: str, slot: str | None) -> None:
    field = SPEC.field_to_change(text)
    assert (field.slot if field else None) == slot


def test_declining_keeps_nothing_and_offers_the_hotline() -> None:
    assert "不会" in DECLINED and "保存" in DECLINED and "12351" in DECLINED
    assert "同意" in CONSENT_NEEDED
