from pathlib import Path

import pytest

from desk.membership.unions import (
    Industry,
    UnionDirectory,
    UnionDirectoryError,
    UnionKind,
    load_unions,
    route,
    union_name,
    unions_in,
)
from desk.settings import get_settings


@pytest.fixture(scope="module")
def directory() -> UnionDirectory:
    return load_unions(get_settings().knowledge_dir / "unions.yml")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "unions.yml"
    path.write_text(text, "utf-8")
    return path


def union_yaml(id: str, kind: str, extra: str = "", city: str = "甲市") -> str:
    return f"""
  - id: {id}
    name: {id} 工会
    kind: {kind}
    city: {city}
    address: 示例地址
    hours: 周一至周五
    phone: 000-0000-0000{extra}"""


# A city with no 新就业形态 federation, to reach the later steps of the platform-worker rule.
NO_FEDERATION = (
    "cities:\n  - name: 甲市\nunions:"
    + union_yaml("a-district", "district", "\n    district: 甲区")
    + union_yaml("b-district", "district", "\n    district: 乙区")
    + union_yaml("a-courier", "industry", "\n    industries: [courier]")
)


# ── the shipped example directory ──


def test_the_example_directory_covers_both_cities(directory: UnionDirectory) -> None:
    names = {union.name for union in directory.unions}
    assert {
        "上海市嘉定区总工会",
        "嘉定区建筑业工会联合会",
        "上海市新就业形态劳动者工会联合会",
        "乌鲁木齐市天山区总工会",
        "乌鲁木齐市沙依巴克区总工会",
        "乌鲁木齐市新市区总工会",
        "乌鲁木齐市新就业形态劳动者工会联合会",
        "乌鲁木齐市快递行业工会联合会",
    } <= names
    streets = [union for union in directory.unions_in("上海市") if union.kind is UnionKind.STREET]
    assert len(streets) >= 2 and all(union.district == "嘉定区" for union in streets)


def test_the_example_header_says_the_contacts_must_be_replaced() -> None:
    header = (get_settings().knowledge_dir / "unions.yml").read_text("utf-8").split("cities:")[0]
    assert "示例" in header and "替换" in header


def test_unions_in_accepts_a_city_alias_and_keeps_file_order(directory: UnionDirectory) -> None:
    urumqi = directory.unions_in("乌市")
    assert urumqi == directory.unions_in("乌鲁木齐市")
    assert [union.name for union in urumqi][:3] == [
        "乌鲁木齐市天山区总工会",
        "乌鲁木齐市沙依巴克区总工会",
        "乌鲁木齐市新市区总工会",
    ]
    assert all(union.city == "乌鲁木齐市" for union in urumqi)
    assert directory.unions_in("北京市") == ()


def test_districts_are_those_with_a_district_union(directory: UnionDirectory) -> None:
    assert directory.districts("乌鲁木齐市") == ("天山区", "沙依巴克区", "新市区")
    assert directory.districts("上海市") == ("嘉定区",)


# ── routing ──


def test_a_rider_goes_to_the_new_employment_federation(directory: UnionDirectory) -> None:
    routing = directory.route("乌鲁木齐市", "天山区", Industry.DELIVERY, is_platform_worker=True)
    assert routing.union is not None
    assert routing.union.name == "乌鲁木齐市新就业形态劳动者工会联合会"
    assert routing.reason == (
        "您是平台配送员，属于新就业形态劳动者，按属地原则由乌鲁木齐市新就业形态劳动者工会联合会受理"
    )


@pytest.mark.parametrize(
    "industry", [Industry.DELIVERY, Industry.COURIER, Industry.RIDE_HAILING, Industry.FREIGHT]
)
def test_every_platform_group_goes_to_the_federation_even_without_a_district(
    directory: UnionDirectory, industry: Industry
) -> None:
    routing = directory.route("上海", None, industry, is_platform_worker=True)
    assert routing.union is not None and routing.union.kind is UnionKind.NEW_EMPLOYMENT


def test_a_construction_worker_goes_to_the_district_construction_union(
    directory: UnionDirectory,
) -> None:
    routing = directory.route("上海市", "嘉定区", Industry.CONSTRUCTION, is_platform_worker=False)
    assert routing.union is not None and routing.union.name == "嘉定区建筑业工会联合会"
    assert routing.reason == "您从事建筑业，按行业由嘉定区建筑业工会联合会受理"


def test_a_factory_worker_goes_to_the_district_federation(directory: UnionDirectory) -> None:
    routing = directory.route("上海市", "嘉定区", Industry.MANUFACTURING, is_platform_worker=False)
    assert routing.union is not None and routing.union.name == "上海市嘉定区总工会"
    assert routing.reason == "嘉定区暂无制造业的行业工会，按属地原则由上海市嘉定区总工会受理"


def test_another_trade_goes_to_the_district_federation(directory: UnionDirectory) -> None:
    routing = directory.route("乌鲁木齐市", "新市区", Industry.OTHER, is_platform_worker=False)
    assert routing.union is not None and routing.union.name == "乌鲁木齐市新市区总工会"
    assert "按属地原则" in routing.reason


def test_a_courier_not_on_a_platform_goes_to_the_city_courier_union(
    directory: UnionDirectory,
) -> None:
    routing = directory.route(
        "乌鲁木齐市", "沙依巴克区", Industry.COURIER, is_platform_worker=False
    )
    assert routing.union is not None and routing.union.name == "乌鲁木齐市快递行业工会联合会"


def test_platform_staff_outside_the_platform_groups_go_by_district(
    directory: UnionDirectory,
) -> None:
    routing = directory.route("上海市", "嘉定区", Industry.OTHER, is_platform_worker=True)
    assert routing.union is not None and routing.union.kind is UnionKind.DISTRICT


def test_an_uncovered_city_has_no_union_and_says_why(directory: UnionDirectory) -> None:
    routing = directory.route("北京市", "朝阳区", Industry.DELIVERY, is_platform_worker=True)
    assert routing.union is None
    assert "北京市" in routing.reason and "转人工" in routing.reason


def test_an_uncovered_district_has_no_union_and_lists_the_covered_ones(
    directory: UnionDirectory,
) -> None:
    routing = directory.route("上海市", "浦东新区", Industry.OTHER, is_platform_worker=False)
    assert routing.union is None and "嘉定区" in routing.reason
    missing = directory.route("上海市", None, Industry.OTHER, is_platform_worker=False)
    assert missing.union is None and "哪个区县" in missing.reason


def test_without_a_federation_platform_workers_go_to_the_industry_union(tmp_path: Path) -> None:
    directory = load_unions(write(tmp_path, NO_FEDERATION))
    routing = directory.route("甲市", "乙区", Industry.COURIER, is_platform_worker=True)
    assert routing.union is not None and routing.union.id == "a-courier"
    assert "暂无新就业形态劳动者工会联合会，按行业由" in routing.reason


def test_without_federation_or_industry_union_platform_workers_go_by_district(
    tmp_path: Path,
) -> None:
    directory = load_unions(write(tmp_path, NO_FEDERATION))
    routing = directory.route("甲市", "乙区", Industry.DELIVERY, is_platform_worker=True)
    assert routing.union is not None and routing.union.id == "b-district"
    assert routing.reason.startswith("您是平台配送员")


def test_a_district_industry_union_comes_before_the_city_one(tmp_path: Path) -> None:
    text = NO_FEDERATION + union_yaml(
        "b-courier", "industry", "\n    district: 乙区\n    industries: [courier]"
    )
    directory = load_unions(write(tmp_path, text))
    route = directory.route
    assert route("甲市", "乙区", Industry.COURIER, is_platform_worker=False).union.id == "b-courier"
    assert route("甲市", "甲区", Industry.COURIER, is_platform_worker=False).union.id == "a-courier"


def test_the_module_functions_use_the_configured_directory(directory: UnionDirectory) -> None:
    routing = route("乌鲁木齐市", "天山区", Industry.DELIVERY, True)
    assert routing == directory.route("乌鲁木齐市", "天山区", Industry.DELIVERY, True)
    assert unions_in("上海") == directory.unions_in("上海市")
    assert union_name("urumqi-new-employment") == "乌鲁木齐市新就业形态劳动者工会联合会"
    assert union_name("no-such-union") is None and union_name(None) is None


# ── loading ──


def test_every_problem_is_listed(tmp_path: Path) -> None:
    text = (
        "cities:\n  - name: 甲市\n    aliases: [甲]\nunions:"
        + union_yaml("a-district", "district", "\n    district: 甲区")
        + union_yaml("a-district", "district", "\n    district: 丙区")
        + union_yaml("Bad_Id", "district", "\n    district: 甲区")
        + union_yaml("no-district", "district")
        + union_yaml(
            "with-industries", "district", "\n    district: 甲区\n    industries: [courier]"
        )
        + union_yaml("street-only", "street", "\n    district: 乙区\n    street: 乙街道")
        + union_yaml("no-street", "street", "\n    district: 甲区")
        + union_yaml("no-industries", "industry")
        + union_yaml("odd-industry", "industry", "\n    industries: [mining]")
        + union_yaml("odd-kind", "federation")
        + union_yaml("elsewhere", "district", "\n    district: 丁区", city="乙市")
        + union_yaml("extra-key", "district", "\n    district: 甲区\n    fax: 0")
        + union_yaml("a-again", "district", "\n    district: 甲区")
    )
    with pytest.raises(UnionDirectoryError) as caught:
        load_unions(write(tmp_path, text))
    problems = "\n".join(caught.value.problems)
    for expected in [
        "aliases must be a list of 2+ character names",
        "id 'a-district' is used 2 times",
        "union Bad_Id: id must be kebab-case",
        "union no-district: kind district needs a 'district'",
        "union with-industries: kind district serves every industry",
        "甲市乙区 has no district union",
        "union no-street: kind street needs a 'street'",
        "union no-industries: kind industry needs the 'industries'",
        "union odd-industry: industries must be a list of",
        "union odd-kind: kind 'federation' is not one of",
        "union elsewhere: city '乙市' is not listed",
        "union extra-key: unknown keys ['fax']",
        "甲市甲区 has 2 district unions",
    ]:
        assert expected in problems


@pytest.mark.parametrize("text", ["unions: []", "- a list", "cities: [\n", ""])
def test_a_malformed_file_is_refused_clearly(tmp_path: Path, text: str) -> None:
    with pytest.raises(UnionDirectoryError, match="problem"):
        load_unions(write(tmp_path, text))


def test_a_missing_file_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(UnionDirectoryError, match=r"unions\.yml"):
        load_unions(tmp_path / "unions.yml")
