"""An aid application in the core, without Rasa: questions, summary, submission and verdict."""

from __future__ import annotations

import re
from datetime import date

import pytest

from desk.aid.application import (
    DONE,
    HOUSEHOLD_KEY,
    JOIN_FIRST,
    Correction,
    Draft,
    answer_to_change,
    check_aid_answer,
    check_aid_slot,
    choose_policy,
    correction,
    join_then_apply,
    pending_questions,
    prefill,
    submit_aid,
    summary,
    with_answer,
)
from desk.aid.policies import Policy, PolicyBook, load_policies
from desk.applications.store import (
    APPLICATIONS_PER_CHAT_PER_DAY,
    APPROVED,
    TOO_MANY_TODAY,
    Applicant,
    change_status,
    listing,
    submit,
)
from desk.forms.answers import Invalid, Valid
from desk.settings import get_settings
from desk.staff import cli
from desk.storage.db import session_scope
from tests.identity import make_id_number

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def book() -> PolicyBook:
    return load_policies(get_settings().knowledge_dir / "policies")


@pytest.fixture
def relief(book: PolicyBook) -> Policy:
    policy = book.find("new-employment-relief")
    assert policy is not None
    return policy


def applicant(year: int = 1990) -> Applicant:
    return Applicant("王强", make_id_number("650102", date(year, 3, 7)), "13912345678")


def answered(policy: Policy, raw: dict[str, str], head: str) -> dict[str, str]:
    stored: dict[str, str] = {}
    for asked in pending_questions(policy, stored, TODAY):
        raw_answer = head if asked.key == HOUSEHOLD_KEY else raw.get(asked.key, raw["orders"])
        checked = check_aid_answer(asked, raw_answer, TODAY)
        assert isinstance(checked, Valid), (asked.key, checked)
        stored[asked.key] = checked.value
    return stored


def test_the_programme_is_chosen_by_name_or_by_what_the_worker_describes(book: PolicyBook) -> None:
    assert choose_policy(book, "金秋助学").id == "golden-autumn-education"  # type: ignore[union-attr]
    described = choose_policy(book, "我是快递员，这两个月都没什么单")
    assert described is not None and described.id == "new-employment-relief"
    assert choose_policy(book, "你好") is None


def test_household_limited_programmes_ask_for_the_household_first(relief: Policy) -> None:
    keys = [asked.key for asked in pending_questions(relief, {}, TODAY)]
    assert keys == [
        HOUSEHOLD_KEY, "occupation", "orders_2026_08", "orders_2026_09", "orders_2026_10",
        "household_income",
    ]  # fmt: skip


def test_the_summary_masks_both_id_numbers(relief: Policy) -> None:
    person = applicant()
    stored = answered(
        relief,
        {"occupation": "快递", "orders": "四十九", "household_income": "0"},
        person.id_number,
    )
    text = summary(relief, person, stored, TODAY)
    assert person.id_number not in text and "139****5678" in text and "49" in text


def test_submission_gives_a_verdict_or_asks_to_join_first(
    database_url: str, relief: Policy
) -> None:
    person = applicant()
    stored = answered(
        relief, {"occupation": "外卖", "orders": "49单", "household_income": "0"}, person.id_number
    )
    with session_scope(database_url) as session:
        assert submit_aid(session, "tg:1", relief, person, stored, TODAY).needs_membership
        submit(session, "membership", "tg:1", person, {}, None)  # joining, pending
        reply = submit_aid(session, "tg:1", relief, person, stored, TODAY)
    assert not reply.needs_membership
    assert "初步判断：符合条件" in reply.text and "600元" in reply.text and "JZ-" in reply.text


def test_the_same_household_is_refused_with_the_existing_number_in_its_own_chat(
    database_url: str, relief: Policy
) -> None:
    first, second = applicant(1990), applicant(1992)
    stored = answered(
        relief, {"occupation": "快递", "orders": "10", "household_income": "0"}, first.id_number
    )
    with session_scope(database_url) as session:
        for person in (first, second):
            submit(session, "membership", "tg:1", person, {}, None)
        number = submit_aid(session, "tg:1", relief, first, stored, TODAY).text.split("编号 ")[1][
            :14
        ]
        refused = submit_aid(session, "tg:1", relief, second, stored, TODAY).text
    assert "每户限申请一次" in refused and number in refused


def test_an_id_number_used_from_another_chat_reveals_nothing_and_goes_to_staff(
    database_url: str, relief: Policy
) -> None:
    """Someone types another person's ID number: they are answered exactly as if it were new,
    and staff find the application marked for a check."""
    victim, stranger = applicant(1990), applicant(1993)
    raw = {"occupation": "快递", "orders": "10", "household_income": "0"}
    with session_scope(database_url) as session:
        for person, chat in ((victim, "tg:1"), (stranger, "tg:3")):
            submit(session, "membership", chat, person, {}, None)
        first = submit_aid(
            session, "tg:1", relief, victim, answered(relief, raw, victim.id_number), TODAY
        ).text
        submit(session, "membership", "tg:2", victim, {}, None)  # as the relief asks first
        again = submit_aid(
            session, "tg:2", relief, victim, answered(relief, raw, victim.id_number), TODAY
        ).text
        fresh = submit_aid(
            session, "tg:3", relief, stranger, answered(relief, raw, stranger.id_number), TODAY
        ).text
    number = re.search(r"JZ-\d{4}-\d{6}", first).group()  # type: ignore[union-attr]
    assert number not in again and "申请过" not in again
    assert re.sub(r"JZ-\d{4}-\d{6}", "JZ-…", again) == re.sub(r"JZ-\d{4}-\d{6}", "JZ-…", fresh)
    with session_scope(database_url) as session:
        flagged = [a for a in listing(session, kind="aid") if a.chat_id == "tg:2"]
        assert len(flagged) == 1 and number in (flagged[0].review_note or "")
        assert "⚠需核实" in cli.summary_line(flagged[0])
        assert all(
            a.review_note is None for a in listing(session, kind="aid") if a.chat_id != "tg:2"
        )


def test_membership_found_under_a_typed_id_number_in_another_chat_is_not_told(
    database_url: str, book: PolicyBook, relief: Policy
) -> None:
    """Typing a member's ID number into an aid application gets the answer a stranger's gets:
    neither "已是工会会员" nor their joining number; staff see the membership in the note."""
    member, stranger = applicant(1990), applicant(1993)
    living = book.find("hardship-living")
    assert living is not None
    with session_scope(database_url) as session:
        joined = submit(session, "membership", "tg:1", member, {}, None).application
        change_status(session, joined.number, APPROVED, "staff:li")
        joining_number = joined.number
    raw = {"occupation": "快递", "orders": "10", "household_income": "0"}
    living_raw = {
        "orders": "0",
        "hardship_cause": "生病",
        "household_size": "3",
        "household_income": "1000",
        "on_record": "是",
    }

    def both(policy: Policy, raw_answers: dict[str, str]) -> list[str]:
        texts = []
        with session_scope(database_url) as session:
            for person, chat in ((member, "tg:2"), (stranger, "tg:3")):
                stored = answered(policy, raw_answers, person.id_number)
                reply = submit_aid(session, chat, policy, person, stored, TODAY)
                texts.append(re.sub(r"JZ-\d{4}-\d{6}", "JZ-…", reply.text))
        return texts

    relief_typed, relief_stranger = both(relief, raw)
    assert relief_typed == relief_stranger == JOIN_FIRST
    living_typed, living_stranger = both(living, living_raw)
    assert living_typed == living_stranger
    assert "已是工会会员" not in living_typed and joining_number not in living_typed
    with session_scope(database_url) as session:
        (typed,) = [a for a in listing(session, kind="aid") if a.chat_id == "tg:2"]
        assert joining_number in (typed.review_note or "") and "已通过" in typed.review_note
        assert [a.review_note for a in listing(session, kind="aid") if a.chat_id == "tg:3"] == [
            None
        ]
        # The member's own chat is told, of course.
        stored = answered(living, living_raw, member.id_number)
        own = submit_aid(session, "tg:1", living, member, stored, TODAY).text
    assert "✔ 工会会员：您已是工会会员" in own


def test_a_chat_at_its_daily_limit_is_told_before_joining_is_offered(
    database_url: str, relief: Policy
) -> None:
    person = applicant(1990)
    raw = {"occupation": "快递", "orders": "10", "household_income": "0"}
    with session_scope(database_url) as session:
        for year in range(1980, 1980 + APPLICATIONS_PER_CHAT_PER_DAY):
            submit(session, "membership", "tg:9", applicant(year), {}, None)
        reply = submit_aid(
            session, "tg:9", relief, person, answered(relief, raw, person.id_number), TODAY
        )
    assert reply.text == TOO_MANY_TODAY and not reply.needs_membership


def test_export_has_the_figures_and_no_personal_data(
    database_url: str,
    relief: Policy,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    person = applicant()
    stored = answered(
        relief, {"occupation": "快递", "orders": "10", "household_income": "0"}, person.id_number
    )
    with session_scope(database_url) as session:
        submit(session, "membership", "tg:1", person, {}, None)
        submit_aid(session, "tg:1", relief, person, stored, TODAY)
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        assert (
            cli.main(["applications", "export", "--since", "2000-01-01", "--until", "2100-01-01"])
            == 0
        )
    finally:
        get_settings.cache_clear()
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "编号,类别,项目,初步判断,金额,状态,提交时间,受理工会"
    aid_row = next(row for row in rows if row.startswith("JZ-"))
    assert "new-employment-relief,符合,600" in aid_row
    assert "王强" not in "\n".join(rows) and person.id_number not in "\n".join(rows)


@pytest.mark.parametrize(
    ("request_text", "key"),
    [
        ("改9月的单量", "orders_2026_09"),
        ("收入填错了", "household_income"),
        ("户主身份证号要改", HOUSEHOLD_KEY),
        ("工作填错了", "occupation"),
        ("改一下", None),
    ],
)
def test_the_answer_to_change_is_read_from_the_request(
    relief: Policy, request_text: str, key: str | None
) -> None:
    assert answer_to_change(relief, request_text, TODAY) == key


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("改手机号", Correction(slot="m_phone")),
        ("區縣寫錯了", Correction(slot="m_location")),  # 繁体
        ("改9月的单量", Correction(answer_key="orders_2026_09")),
        ("工作填错了", Correction(answer_key="occupation")),  # joining's field, not a personal one
        ("改一下", None),
    ],
)
def test_a_correction_reopens_a_personal_answer_or_a_programme_answer(
    relief: Policy, request_text: str, expected: Correction | None
) -> None:
    assert correction(relief, request_text, TODAY) == expected
    if expected is None or expected.slot is None:
        assert correction(None, request_text, TODAY) is None


def test_the_aid_form_checks_the_programme_the_person_and_the_next_question(
    book: PolicyBook, relief: Policy
) -> None:
    assert check_aid_slot("a_programme", "金秋助学", book, None, {}, TODAY) == Valid(
        "golden-autumn-education"
    )
    assert isinstance(check_aid_slot("a_programme", "你好", book, None, {}, TODAY), Invalid)
    assert check_aid_slot("m_phone", "139 1234 5678", book, relief, {}, TODAY) == Valid(
        "13912345678"
    )
    head = applicant().id_number
    assert check_aid_slot("a_answer", head, book, relief, {}, TODAY) == Valid(head)
    occupation = check_aid_slot("a_answer", "快递", book, relief, {HOUSEHOLD_KEY: head}, TODAY)
    assert occupation == Valid("快递员")
    everything = answered(
        relief, {"occupation": "快递", "orders": "10", "household_income": "0"}, head
    )
    assert check_aid_slot("a_answer", "还有", book, relief, everything, TODAY) == Valid(DONE)
    assert check_aid_slot("a_consent", "是", book, relief, {}, TODAY) is None


def test_answers_given_ahead_fill_the_person_and_the_programme(book: PolicyBook) -> None:
    found = prefill(book, ["我叫王强，手机13912345678，在美团送外卖，想申请金秋助学"], {})
    assert found == {
        "m_name": "王强",
        "m_phone": "13912345678",
        "a_programme": "golden-autumn-education",
    }  # the employer is joining's question, not the aid form's
    assert "a_programme" not in prefill(book, ["金秋助学"], {"a_programme": "x"})


def test_joining_first_then_the_aid_application_goes_in(database_url: str, relief: Policy) -> None:
    person = applicant()
    stored = answered(
        relief, {"occupation": "外卖", "orders": "49单", "household_income": "0"}, person.id_number
    )
    joining_values = {
        "m_name": person.name,
        "m_id_number": person.id_number,
        "m_phone": person.phone,
        "m_employer": "美团",
        "m_occupation": "外卖骑手",
        "m_location": "乌鲁木齐市天山区",
        "m_other_member": "False",
    }
    draft = Draft(relief, person, stored, "乌鲁木齐市天山区")
    with session_scope(database_url) as session:
        joined = join_then_apply(session, "tg:1", joining_values, draft, TODAY)
        alone = join_then_apply(session, "tg:1", joining_values, None, TODAY)
    assert "入会申请已提交" in joined.joining and joined.aid is not None
    assert not joined.aid.needs_membership and "初步判断：符合条件" in joined.aid.text
    assert "不用重复提交" in alone.joining and alone.aid is None


def test_an_answer_goes_to_the_first_question_still_pending(relief: Policy) -> None:
    head = applicant().id_number
    assert with_answer(relief, {}, head, TODAY) == ({HOUSEHOLD_KEY: head}, False)
    everything = answered(
        relief, {"occupation": "快递", "orders": "10", "household_income": "0"}, head
    )
    last = pending_questions(relief, {}, TODAY)[-1].key
    almost = {key: value for key, value in everything.items() if key != last}
    assert with_answer(relief, almost, "0", TODAY) == ({**almost, last: "0"}, True)
    assert with_answer(relief, everything, "还有", TODAY) is None
    assert with_answer(None, {}, "还有", TODAY) is None
