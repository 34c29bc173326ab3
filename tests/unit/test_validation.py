from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from desk.forms.answers import Invalid, Valid
from desk.forms.person import validate_id_number, validate_name, validate_phone
from desk.membership.answers import (
    NO_EMPLOYER,
    PLATFORMS,
    Employer,
    Location,
    extract_ahead,
    validate_already_member,
    validate_employer_or_platform,
    validate_location,
    validate_occupation,
)
from desk.membership.unions import Industry, UnionDirectory, get_unions
from tests.identity import MOBILE_PREFIXES, make_id_number, make_mobile_number

TODAY = date(2024, 6, 1)


def id_number_ending_in_x(area: str, birth: date) -> str:
    return next(
        number
        for number in (make_id_number(area, birth, f"{n:03d}") for n in range(1000))
        if number.endswith("X")
    )


def message(result: Valid[object] | Invalid) -> str:
    assert isinstance(result, Invalid), result
    return result.message


@pytest.fixture(scope="module")
def directory() -> UnionDirectory:
    return get_unions()


# ── 姓名 ──


def test_the_helper_agrees_with_the_example_in_gb_11643() -> None:
    assert make_id_number("110105", date(1949, 12, 31), "002") == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("王强", "王强"),
        (" 王 强。", "王强"),
        ("我叫李四", "李四"),
        ("姓名：欧阳娜娜", "欧阳娜娜"),
        ("王強", "王强"),
        ("艾力•买买提", "艾力·买买提"),
        ("艾力 · 买买提", "艾力·买买提"),
        ("John Smith", "John Smith"),
    ],
)
def test_names_are_accepted_and_normalised(raw: str, name: str) -> None:
    assert validate_name(raw) == Valid(name)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("王强2", "姓名里不能有数字"),
        ("王强😀", "姓名只能包含汉字、英文字母和间隔号"),
        ("王强!!@", "姓名只能包含汉字、英文字母和间隔号"),
        ("·王强", "间隔号“·”只能用在名字中间"),
        ("王", "姓名至少要2个字"),
        ("", "请告诉我您的姓名"),
        ("王" * 21, "姓名最多20个字，您输入了21个字"),
    ],
)
def test_bad_names_say_what_is_wrong(raw: str, expected: str) -> None:
    assert expected in message(validate_name(raw))


# ── 身份证号 ──


@pytest.mark.parametrize(
    ("area", "birth"), [("110105", date(1990, 1, 1)), ("650102", date(1985, 7, 23))]
)
def test_a_valid_id_number_passes(area: str, birth: date) -> None:
    number = make_id_number(area, birth)
    assert validate_id_number(number, today=TODAY) == Valid(number)


def test_lower_case_x_is_accepted_and_made_upper_case() -> None:
    number = id_number_ending_in_x("650102", date(1992, 3, 15))
    assert validate_id_number(number.lower(), today=TODAY) == Valid(number)


def test_spaces_and_a_label_around_the_id_number_are_dropped() -> None:
    number = make_id_number("110105", date(1990, 1, 1))
    spaced = f"身份证号：{number[:6]} {number[6:14]} {number[14:]}"
    assert validate_id_number(spaced, today=TODAY) == Valid(number)


def test_seventeen_digits_are_counted_in_the_message() -> None:
    number = make_id_number("110105", date(1990, 1, 1))[:17]
    assert message(validate_id_number(number, today=TODAY)) == "身份证号应为18位，您输入了17位"


@pytest.mark.parametrize("raw", ["11010519900101123a", "110105-1990010l1234"])
def test_letters_other_than_a_final_x_are_refused(raw: str) -> None:
    assert "只能由数字组成" in message(validate_id_number(raw, today=TODAY))


def test_x_in_the_middle_is_refused() -> None:
    assert "只有最后一位可以是X" in message(validate_id_number("1101051990X1011234", today=TODAY))


def test_an_impossible_birth_date_is_named() -> None:
    number = "110105" + "19900230" + "1234"
    assert "1990年2月30日不是有效日期" in message(validate_id_number(number, today=TODAY))


def test_a_birth_date_in_the_future_is_refused() -> None:
    number = make_id_number("110105", date(2030, 1, 1))
    assert "出生日期2030年1月1日还没到" in message(validate_id_number(number, today=TODAY))


def test_a_wrong_check_digit_is_refused() -> None:
    number = make_id_number("650102", date(1988, 8, 8))
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert "最后一位校验码不对，请核对一下" in message(validate_id_number(wrong, today=TODAY))


CHECK_CHARACTERS = "0123456789X"  # ISO 7064 MOD 11-2: the values 0–10, 10 written X


@pytest.mark.parametrize("check", CHECK_CHARACTERS)
def test_every_check_character_is_accepted_where_right_and_refused_elsewhere(check: str) -> None:
    number = next(
        number
        for number in (make_id_number("110105", date(1990, 1, 1), f"{n:03d}") for n in range(1000))
        if number.endswith(check)
    )
    assert validate_id_number(number, today=TODAY) == Valid(number)
    for wrong in CHECK_CHARACTERS.replace(check, ""):
        refused = validate_id_number(number[:17] + wrong, today=TODAY)
        assert "校验码不对" in message(refused), wrong


@pytest.mark.parametrize(
    ("birth", "allowed"),
    [
        (date(2008, 6, 1), True),  # 16 today
        (date(2008, 6, 2), False),  # 16 tomorrow
        (date(1953, 6, 2), True),  # 70, 71 tomorrow
        (date(1953, 6, 1), False),  # 71 today
    ],
)
def test_age_must_be_16_to_70_on_the_given_day(birth: date, allowed: bool) -> None:
    result = validate_id_number(make_id_number("110105", birth), today=TODAY)
    assert isinstance(result, Valid) is allowed
    if not allowed:
        assert "16" in message(result) and "岁" in message(result)


# ── 手机号 ──


@pytest.mark.parametrize(
    "raw",
    [
        "13912345678",
        "139 1234 5678",
        "139-1234-5678",
        "+86 139 1234 5678",
        "+86-139-1234-5678",
        "(+86)13912345678",
        "8613912345678",
        "0086 13912345678",
        "１３９１２３４５６７８",
        "手机：13912345678",
        "一三九一二三四五六七八",
    ],
)
def test_mobile_numbers_in_the_usual_forms(raw: str) -> None:
    assert validate_phone(raw) == Valid("13912345678")


@pytest.mark.parametrize("prefix", MOBILE_PREFIXES)
def test_mobile_numbers_of_every_segment_are_accepted(prefix: str) -> None:
    number = make_mobile_number(prefix)
    assert validate_phone(f"+86 {prefix}-1234-5678") == Valid(number)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1391234567", "手机号应为11位，您输入了10位"),
        ("139123456789", "手机号应为11位，您输入了12位"),
        ("12912345678", "手机号应以13至19开头"),
        ("021-12345678", "座机号码"),
        ("139abc45678", "手机号只能包含数字"),
        ("", "请留一个手机号"),
    ],
)
def test_bad_phone_numbers_say_what_is_wrong(raw: str, expected: str) -> None:
    assert expected in message(validate_phone(raw))


# ── 工作单位或平台 ──


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_platform_button_is_a_platform(platform: str) -> None:
    assert validate_employer_or_platform(platform) == Valid(Employer(platform, platform))


@pytest.mark.parametrize(
    ("raw", "platform"),
    [("在美团送外卖", "美团"), ("美团众包", "美团"), ("饿了吗", "饿了么"), ("运满满", "满帮")],
)
def test_platforms_are_recognised_in_what_workers_write(raw: str, platform: str) -> None:
    assert validate_employer_or_platform(raw) == Valid(Employer(platform, platform))


@pytest.mark.parametrize(
    ("raw", "name"),
    [("我在富士康上班", "富士康"), ("上海某某建设有限公司", "上海某某建设有限公司")],
)
def test_an_employer_is_not_a_platform(raw: str, name: str) -> None:
    result = validate_employer_or_platform(raw)
    assert result == Valid(Employer(name, None))
    assert not result.value.is_platform


def test_a_name_containing_a_platform_name_is_not_that_platform() -> None:
    assert validate_employer_or_platform("京东方科技集团") == Valid(
        Employer("京东方科技集团", None)
    )


def test_another_platform_must_be_named() -> None:
    assert "哪个平台" in message(validate_employer_or_platform("其他平台"))
    assert validate_employer_or_platform("其他平台：朴朴") == Valid(Employer("朴朴", "朴朴"))


def test_no_employer_is_recorded_as_flexible_employment() -> None:
    assert validate_employer_or_platform("没有单位") == Valid(Employer(NO_EMPLOYER, None))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("美团和饿了么都跑", "美团、饿了么"),
        ("", "请告诉我您的工作单位"),
        ("A", "单位名称看起来不完整"),
        ("123", "单位名称看起来不完整"),
        ("某" * 51, "单位名称最多50个字，您输入了51个字"),
    ],
)
def test_bad_employers_say_what_is_wrong(raw: str, expected: str) -> None:
    assert expected in message(validate_employer_or_platform(raw))


# ── 行业/职业 ──


@pytest.mark.parametrize(
    ("raw", "industry"),
    [
        ("外卖骑手", Industry.DELIVERY),
        ("送餐配送", Industry.DELIVERY),
        ("快递员", Industry.COURIER),
        ("网约车司机", Industry.RIDE_HAILING),
        ("司机", Industry.RIDE_HAILING),
        ("货车司机", Industry.FREIGHT),
        ("货拉拉司机", Industry.FREIGHT),
        ("建筑工人", Industry.CONSTRUCTION),
        ("在工地干活", Industry.CONSTRUCTION),
        ("家政", Industry.DOMESTIC),
        ("保洁", Industry.DOMESTIC),
        ("保姆", Industry.DOMESTIC),
        ("物业", Industry.PROPERTY),
        ("保安", Industry.PROPERTY),
        ("制造业", Industry.MANUFACTURING),
        ("工厂普工", Industry.MANUFACTURING),
        ("车间操作工", Industry.MANUFACTURING),
        ("程序员", Industry.OTHER),
    ],
)
def test_occupations_map_to_an_industry(raw: str, industry: Industry) -> None:
    result = validate_occupation(raw)
    assert isinstance(result, Valid) and result.value.industry is industry


def test_the_occupation_keeps_the_workers_words() -> None:
    result = validate_occupation("我是送外卖的")
    assert isinstance(result, Valid) and result.value.text == "送外卖"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("工", "请具体说说"), ("12", "请具体说说"), ("做" + "饭" * 31, "30个字以内")],
)
def test_bad_occupations_say_what_is_wrong(raw: str, expected: str) -> None:
    assert expected in message(validate_occupation(raw))


# ── 所在城市和区县 ──


@pytest.mark.parametrize(
    ("raw", "city", "district"),
    [
        ("乌鲁木齐市天山区", "乌鲁木齐市", "天山区"),
        ("天山区", "乌鲁木齐市", "天山区"),
        ("乌市 沙依巴克", "乌鲁木齐市", "沙依巴克区"),
        ("上海嘉定", "上海市", "嘉定区"),
        ("上海市嘉定区", "上海市", "嘉定区"),
        ("嘉定", "上海市", "嘉定区"),
    ],
)
def test_a_covered_district_is_found_with_or_without_its_city(
    raw: str, city: str, district: str, directory: UnionDirectory
) -> None:
    assert validate_location(raw, directory) == Valid(Location(city, district))


def test_an_uncovered_district_of_a_covered_city_lists_the_covered_ones(
    directory: UnionDirectory,
) -> None:
    text = message(validate_location("上海浦东", directory))
    assert "上海市目前在线受理：嘉定区" in text and "转人工" in text


def test_an_uncovered_place_lists_the_cities_we_cover(directory: UnionDirectory) -> None:
    text = message(validate_location("北京朝阳区", directory))
    assert "我们目前覆盖这些城市" in text
    assert "上海市（嘉定区）" in text and "乌鲁木齐市（天山区、沙依巴克区、新市区）" in text


def test_two_districts_ask_for_one(directory: UnionDirectory) -> None:
    assert "天山区、新市区" in message(validate_location("天山区或者新市区", directory))


# ── 是否已是会员 ──


@pytest.mark.parametrize("raw", ["是", "是的", "对", "嗯", "已经是了", "有", "入过", "yes", "Y"])
def test_yes_answers(raw: str) -> None:
    assert validate_already_member(raw) == Valid(True)


@pytest.mark.parametrize(
    "raw", ["否", "不是", "没有", "没", "还没有", "不", "以前是，现在不是了", "No", "没入过"]
)
def test_no_answers(raw: str) -> None:
    assert validate_already_member(raw) == Valid(False)


@pytest.mark.parametrize("raw", ["不知道", "记不清了", "不清楚"])
def test_not_knowing_of_another_union_is_no(raw: str) -> None:
    assert validate_already_member(raw) == Valid(False)


def test_unclear_membership_answers_are_asked_again() -> None:
    assert "是”或“否" in message(validate_already_member("啥"))


# ── 提前给出的答案 ──


def test_answers_given_ahead_are_extracted(directory: UnionDirectory) -> None:
    text = "我叫王强，手机13912345678，在美团送外卖，住天山区"
    assert extract_ahead(text, directory) == {
        "name": "王强",
        "phone": "13912345678",
        "employer_or_platform": "美团",
        "location": "乌鲁木齐市天山区",
    }


@pytest.mark.parametrize("prefix", MOBILE_PREFIXES)
def test_a_mobile_number_of_every_segment_is_extracted(
    prefix: str, directory: UnionDirectory
) -> None:
    found = extract_ahead(f"我的手机是{prefix} 1234 5678", directory)
    assert found == {"phone": make_mobile_number(prefix)}


def test_an_id_number_is_extracted_upper_case_and_not_read_as_a_phone(
    directory: UnionDirectory,
) -> None:
    number = id_number_ending_in_x("650102", date(1990, 5, 6))
    found = extract_ahead(f"身份证{number.lower()}，电话+86 139-1234-5678", directory)
    assert found == {"id_number": number, "phone": "13912345678"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("我是王强，想入会", "王强"),
        ("姓名：李娜 电话13912345678", "李娜"),
        ("我叫王强在顺丰送快递", "王强"),
        ("我叫艾力·买买提", "艾力·买买提"),
    ],
)
def test_names_after_a_cue_are_extracted(text: str, name: str, directory: UnionDirectory) -> None:
    assert extract_ahead(text, directory)["name"] == name


@pytest.mark.parametrize(
    "text", ["我是外卖骑手", "我是江苏的", "我是包工头", "我是司机，", "我叫王强，我叫李四"]
)
def test_ambiguous_names_are_left_to_ask(text: str, directory: UnionDirectory) -> None:
    assert "name" not in extract_ahead(text, directory)


def test_ambiguous_phones_and_platforms_are_left_to_ask(directory: UnionDirectory) -> None:
    found = extract_ahead("13912345678 或 13812345678，美团和饿了么都跑", directory)
    assert found == {}


def test_a_short_district_name_needs_its_city_in_free_text(directory: UnionDirectory) -> None:
    assert "location" not in extract_ahead("我叫王天山", directory)
    assert extract_ahead("在上海嘉定跑外卖", directory)["location"] == "上海市嘉定区"


def test_a_lookalike_of_a_platform_is_not_extracted(directory: UnionDirectory) -> None:
    assert "employer_or_platform" not in extract_ahead("我在京东方上班", directory)


def test_the_configured_directory_is_used_by_default() -> None:
    assert validate_location("天山区") == Valid(Location("乌鲁木齐市", "天山区"))
    assert extract_ahead("住在上海嘉定")["location"] == "上海市嘉定区"


# ── answers kept as text between turns ──


def _id_number_today(raw: str) -> Valid[str] | Invalid:
    return validate_id_number(raw, today=TODAY)


@pytest.mark.parametrize(
    ("check", "raw"),
    [
        (validate_name, "艾力 • 买买提"),
        (_id_number_today, id_number_ending_in_x("650102", date(1990, 1, 1)).lower()),
        (validate_phone, "+86 139-1234-5678"),
        (validate_employer_or_platform, "在美团送外卖"),
        (validate_employer_or_platform, "其他平台：朴朴"),
        (validate_employer_or_platform, "没有单位"),
        (validate_employer_or_platform, "我在富士康上班"),
        (validate_occupation, "我是送外卖的"),
        (validate_location, "乌市 沙依巴克"),
        (validate_already_member, "已经是了"),
        (validate_already_member, "没有"),
    ],
)
def test_the_written_form_of_a_value_checks_to_the_same_value(
    check: Callable[[str], Valid[Any] | Invalid], raw: str
) -> None:
    first = check(raw)
    assert isinstance(first, Valid)
    assert check(str(first.value)) == first


def test_nothing_given_ahead_is_an_empty_dict(directory: UnionDirectory) -> None:
    assert extract_ahead("你好，我想入会", directory) == {}
