import copy
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from desk.aid.policies import (
    Bound,
    ConsecutiveBelow,
    LimitPeriod,
    LimitScope,
    Manual,
    Membership,
    MembershipStatus,
    OneOf,
    PolicyBook,
    PolicyError,
    QuestionKind,
    get_policies,
    load_policies,
    load_policy,
)
from desk.settings import get_settings

POLICY_DIR = get_settings().knowledge_dir / "policies"
SHIPPED = {
    "new_employment_relief.yml": "new-employment-relief",
    "hardship_living.yml": "hardship-living",
    "medical_mutual_aid.yml": "medical-mutual-aid",
    "golden_autumn_education.yml": "golden-autumn-education",
}


@pytest.fixture(scope="module")
def book() -> PolicyBook:
    return get_policies()


# ── the shipped examples ──


def test_the_shipped_policies_load(book: PolicyBook) -> None:
    assert {policy.id for policy in book.policies} == set(SHIPPED.values())
    for file_name, policy_id in SHIPPED.items():
        assert load_policy(POLICY_DIR / file_name).id == policy_id


@pytest.mark.parametrize("file_name", SHIPPED)
def test_each_file_says_its_values_are_examples_and_names_its_seed(file_name: str) -> None:
    header = (POLICY_DIR / file_name).read_text("utf-8").split("\nid:")[0]
    assert header.startswith("#") and "示例" in header and "seed 00" in header


def test_the_relief_follows_seed_002(book: PolicyBook) -> None:
    policy = book.find("new-employment-relief")
    assert policy is not None
    assert policy.limit.scope is LimitScope.HOUSEHOLD
    assert policy.limit.period is LimitPeriod.ONCE
    assert policy.benefit.amount == Decimal(600)
    low_orders = next(c for c in policy.conditions if isinstance(c, ConsecutiveBelow))
    assert (low_orders.threshold, low_orders.min_run) == (50, 2)
    membership = next(c for c in policy.conditions if isinstance(c, Membership))
    assert membership.allowed == {MembershipStatus.MEMBER, MembershipStatus.PENDING}
    income = next(c for c in policy.conditions if isinstance(c, Bound))
    assert (income.upper, income.limit, income.inclusive) == (True, Decimal(0), True)


def test_every_shipped_policy_has_the_parts_a_worker_needs(book: PolicyBook) -> None:
    for policy in book.policies:
        assert policy.summary.endswith("。") and policy.summary.count("。") == 1
        assert policy.keywords and policy.documents and policy.benefit.text
        assert policy.review_working_days > 0
        assert "发放" not in policy.benefit.text  # states the standard, promises nothing


def test_the_readme_documents_every_kind() -> None:
    readme = (POLICY_DIR / "README.md").read_text("utf-8")
    for kind in QuestionKind:
        assert f"`{kind.value}`" in readme
    for kind in ("one_of", "max", "min", "consecutive_below", "membership", "manual"):
        assert f"`{kind}`" in readme


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("这两个月都没单，骑手没法干了", "new-employment-relief"),
        ("家里困难，能申请低保吗", "hardship-living"),
        ("住院花了好多钱，大病能报吗", "medical-mutual-aid"),
        ("孩子考上大学了，学费交不起", "golden-autumn-education"),
    ],
)
def test_keywords_point_to_the_programme(book: PolicyBook, text: str, first: str) -> None:
    assert book.suggest(text)[0].id == first


def test_no_keyword_suggests_nothing(book: PolicyBook) -> None:
    assert book.suggest("你好") == ()


# ── refusing a broken file, with every problem listed ──

MINIMAL: dict[str, Any] = {
    "id": "test-aid",
    "name": "测试救助",
    "organiser": "区总工会",
    "summary": "测试用。",
    "keywords": ["测试"],
    "limit": "person",
    "review_working_days": 5,
    "benefit": {"amount": 100, "text": "每人100元"},
    "documents": ["身份证"],
    "questions": [
        {"key": "job", "text": "做什么工作？", "kind": "choice", "choices": ["甲", "乙"]},
        {"key": "size", "text": "几口人？", "kind": "integer", "min": 1, "max": 20},
        {"key": "income", "text": "收入？", "kind": "money", "min": 0},
        {"key": "orders", "text": "{month}月几单？", "kind": "monthly_count", "since": "08"},
    ],
    "conditions": [
        {
            "id": "job",
            "label": "工作",
            "kind": "one_of",
            "question": "job",
            "values": ["甲"],
            "pass": "是{answer}",
            "fail": "不是甲",
        },
        {
            "id": "income",
            "label": "收入",
            "kind": "max",
            "question": "income",
            "value": 1000,
            "inclusive": False,
            "per": "size",
            "pass": "人均{value}",
            "fail": "人均{value}，不低于{bound}",
        },
        {
            "id": "orders",
            "label": "单量",
            "kind": "consecutive_below",
            "question": "orders",
            "threshold": 50,
            "min_run": 2,
            "pass": "{run_months}",
            "fail": "{months}",
        },
        {
            "id": "member",
            "label": "会员",
            "kind": "membership",
            "allowed": ["member"],
            "pass": "您{status}",
            "fail": "您{status}",
        },
        {
            "id": "check",
            "label": "核实",
            "kind": "manual",
            "questions": ["size"],
            "reason": "{size}口人，要核实",
        },
    ],
}


def write(directory: Path, document: dict[str, Any], name: str = "test.yml") -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    return path


def problems_of(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> str:
    document = copy.deepcopy(MINIMAL)
    change(document)
    with pytest.raises(PolicyError) as raised:
        load_policy(write(tmp_path, document))
    return "\n".join(raised.value.problems)


def test_the_minimal_policy_loads(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, MINIMAL))
    kinds = [type(condition) for condition in policy.conditions]
    assert kinds == [OneOf, Bound, ConsecutiveBelow, Membership, Manual]
    assert policy.question("orders").since == 8
    assert policy.valid_from is None and policy.limit.period is LimitPeriod.ONCE


def question(document: dict[str, Any], key: str) -> dict[str, Any]:
    return next(item for item in document["questions"] if item["key"] == key)


def condition(document: dict[str, Any], condition_id: str) -> dict[str, Any]:
    return next(item for item in document["conditions"] if item["id"] == condition_id)


BROKEN: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("unknown key", lambda d: d.update(colour="red"), "unknown keys ['colour']"),
    ("id", lambda d: d.update(id="Test Aid"), "id must be kebab-case"),
    ("name", lambda d: d.pop("name"), "'name' must be a non-empty string"),
    ("keywords", lambda d: d.update(keywords=[]), "'keywords' must be a list"),
    ("limit", lambda d: d.update(limit="family"), "'limit' must be one of ['person', 'household']"),
    ("period", lambda d: d.update(limit_period="month"), "'limit_period' must be one of"),
    ("days", lambda d: d.update(review_working_days=0), "at least 1"),
    (
        "dates",
        lambda d: d.update(valid_from="2024-12-01", valid_until="2024-11-01"),
        "valid_from is after valid_until",
    ),
    ("bad date", lambda d: d.update(valid_from="明天"), "must be a date"),
    ("no questions", lambda d: d.update(questions=[]), "'questions' must be a non-empty list"),
    (
        "question key",
        lambda d: question(d, "size").update(key="Size"),
        "key must be snake_case",
    ),
    (
        "question kind",
        lambda d: question(d, "size").update(kind="number"),
        "'kind' must be one of",
    ),
    (
        "repeated key",
        lambda d: d["questions"].append(dict(question(d, "size"))),
        "question key 'size' is used 2 times",
    ),
    (
        "month missing",
        lambda d: question(d, "orders").update(text="几单？"),
        "put {month} in it",
    ),
    ("since", lambda d: question(d, "orders").update(since=13), "'since' must be the first month"),
    (
        "since elsewhere",
        lambda d: question(d, "size").update(since="08"),
        "only a monthly_count question has 'since'",
    ),
    (
        "choices elsewhere",
        lambda d: question(d, "size").update(choices=["1"]),
        "only a choice question has 'choices'",
    ),
    (
        "no choices",
        lambda d: question(d, "job").pop("choices"),
        "needs a non-empty 'choices' list",
    ),
    (
        "shared synonym",
        lambda d: question(d, "job").update(
            choices=[{"value": "甲", "synonyms": ["丙"]}, {"value": "乙", "synonyms": ["丙"]}]
        ),
        "the word '丙' stands for 2 choices",
    ),
    ("min > max", lambda d: question(d, "size").update(min=30), "min is greater than max"),
    (
        "condition kind",
        lambda d: condition(d, "job").update(kind="equals"),
        "'kind' must be one of",
    ),
    (
        "condition key",
        lambda d: condition(d, "job").update(threshold=3),
        "unknown keys ['threshold']",
    ),
    (
        "missing question",
        lambda d: condition(d, "job").update(question="work"),
        "'question' must name one of the policy's questions, not 'work'",
    ),
    (
        "wrong question kind",
        lambda d: condition(d, "income").update(question="job"),
        "question 'job' is choice; it must be integer or money",
    ),
    (
        "value not a choice",
        lambda d: condition(d, "job").update(values=["丁"]),
        "values ['丁'] are not answers of 'job'",
    ),
    (
        "placeholder",
        lambda d: condition(d, "job").update(fail="不是{answr}"),
        "unknown placeholders ['answr']",
    ),
    (
        "braces",
        lambda d: condition(d, "job").update(fail="不是{answer"),
        "is not a valid template",
    ),
    ("no fail", lambda d: condition(d, "job").pop("fail"), "'fail' must be a non-empty string"),
    (
        "inclusive",
        lambda d: condition(d, "income").pop("inclusive"),
        "'inclusive' must be true or false",
    ),
    ("bound", lambda d: condition(d, "income").update(value="很多"), "'value' must be a number"),
    (
        "per needs min 1",
        lambda d: question(d, "size").update(min=0),
        "question 'size' divides an answer: give it min: 1",
    ),
    (
        "per names a choice",
        lambda d: condition(d, "income").update(per="job"),
        "per 'job' is choice; it must be integer or money",
    ),
    ("run", lambda d: condition(d, "orders").update(min_run=0), "'min_run' must be a whole number"),
    (
        "run on a plain count",
        lambda d: condition(d, "orders").update(question="size"),
        "question 'size' is integer; it must be monthly_count",
    ),
    (
        "membership",
        lambda d: condition(d, "member").update(allowed=["vip"]),
        "'allowed' must be a non-empty list of ['member', 'none', 'pending']",
    ),
    (
        "manual placeholder",
        lambda d: condition(d, "check").update(reason="{income}元"),
        "unknown placeholders ['income']",
    ),
    (
        "manual month",
        lambda d: condition(d, "check").update(questions=["orders"]),
        "not a single-answer question",
    ),
    (
        "repeated condition",
        lambda d: d["conditions"].append(dict(condition(d, "job"))),
        "condition id 'job' is used 2 times",
    ),
    ("benefit", lambda d: d.update(benefit=600), "'benefit' must be a mapping"),
    (
        "benefit by",
        lambda d: d["benefit"].update(by="size", amounts={"1": 5}),
        "by 'size' is integer; it must be choice",
    ),
    (
        "benefit amounts",
        lambda d: d["benefit"].update(by="job", amounts={"丁": 5}),
        "amounts: '丁' is not a choice of 'job'",
    ),
    (
        "amounts alone",
        lambda d: d["benefit"].update(amounts={"甲": 5}),
        "'amounts' needs 'by'",
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_a_broken_policy_names_its_problem(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    assert expected in problems_of(tmp_path, change)


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    def break_three_things(document: dict[str, Any]) -> None:
        document["id"] = "Bad Id"
        question(document, "orders")["since"] = 0
        condition(document, "job")["fail"] = "{nope}"

    listed = problems_of(tmp_path, break_three_things).splitlines()
    assert len(listed) == 3
    assert listed[0].startswith("policy Bad Id: ")


def test_a_file_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("id: [unclosed", "utf-8")
    with pytest.raises(PolicyError):
        load_policy(path)


def test_the_directory_names_the_file_of_each_problem(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL, "a.yml")
    write(tmp_path, MINIMAL, "b.yml")
    write(tmp_path, {**MINIMAL, "id": "Other"}, "c.yml")
    with pytest.raises(PolicyError) as raised:
        load_policies(tmp_path)
    assert "c.yml: policy Other: id must be kebab-case (a-z, 0-9, -)" in raised.value.problems
    assert "policy id 'test-aid' is used 2 times" in raised.value.problems


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="no policy files"):
        load_policies(tmp_path)


def test_dates_and_yearly_limits_load(tmp_path: Path) -> None:
    document = {
        **MINIMAL,
        "valid_from": date(2024, 10, 15),
        "valid_until": "2024-12-31",
        "limit": "household",
        "limit_period": "year",
    }
    policy = load_policy(write(tmp_path, document))
    assert (policy.valid_from, policy.valid_until) == (date(2024, 10, 15), date(2024, 12, 31))
    assert (policy.limit.scope, policy.limit.period) == (LimitScope.HOUSEHOLD, LimitPeriod.YEAR)
