"""The union directory (knowledge/unions.yml) and which union takes a new member.

Every member belongs to a real local or industry union (实体建会、属地建会, seeds 001/002):
platform workers go to their city's 新就业形态劳动者工会联合会, other workers to the industry
union of their district or city, and the district 总工会 takes everyone else.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from desk.settings import get_settings


class Industry(StrEnum):
    DELIVERY = "delivery"
    COURIER = "courier"
    RIDE_HAILING = "ride_hailing"
    FREIGHT = "freight"
    CONSTRUCTION = "construction"
    DOMESTIC = "domestic"
    PROPERTY = "property"
    MANUFACTURING = "manufacturing"
    OTHER = "other"


INDUSTRY_LABELS: Mapping[Industry, str] = {
    Industry.DELIVERY: "外卖配送",
    Industry.COURIER: "快递业",
    Industry.RIDE_HAILING: "网约车",
    Industry.FREIGHT: "货运",
    Industry.CONSTRUCTION: "建筑业",
    Industry.DOMESTIC: "家政服务",
    Industry.PROPERTY: "物业服务",
    Industry.MANUFACTURING: "制造业",
    Industry.OTHER: "其他行业",
}

# The 新就业形态 groups, when they work through a platform; the noun is how a reason names them.
PLATFORM_WORKERS: Mapping[Industry, str] = {
    Industry.DELIVERY: "平台配送员",
    Industry.COURIER: "平台快递员",
    Industry.RIDE_HAILING: "网约车司机",
    Industry.FREIGHT: "平台货车司机",
}


class UnionKind(StrEnum):
    DISTRICT = "district"  # 区县总工会: takes every worker of its district
    STREET = "street"  # 街镇工会
    INDUSTRY = "industry"  # 行业工会联合会
    NEW_EMPLOYMENT = "new_employment"  # 新就业形态劳动者工会联合会


@dataclass(frozen=True)
class City:
    name: str
    aliases: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class TradeUnion:
    id: str
    name: str
    kind: UnionKind
    city: str
    district: str | None  # None for a city-level organisation
    street: str | None
    industries: frozenset[Industry]  # empty for district and street unions
    address: str
    hours: str
    phone: str

    @property
    def with_contact(self) -> str:
        """名称（地址，电话 …，时间）: what a worker needs to go there or call."""
        return f"{self.name}（{self.address}，电话 {self.phone}，{self.hours}）"


@dataclass(frozen=True)
class Routing:
    union: TradeUnion | None  # None when no union in the directory can take the worker
    reason: str  # one sentence for the worker


@dataclass(frozen=True)
class UnionDirectory:
    cities: tuple[City, ...]
    unions: tuple[TradeUnion, ...]

    def city(self, name: str) -> City | None:
        """The city called `name` or one of its aliases (上海 → 上海市)."""
        return next((city for city in self.cities if name in city.names), None)

    def districts(self, city: str) -> tuple[str, ...]:
        """The districts of a city that have a district 总工会, in file order."""
        return tuple(union.district for union in self._district_unions(city) if union.district)

    def find(self, union_id: str) -> TradeUnion | None:
        return next((union for union in self.unions if union.id == union_id), None)

    def unions_in(self, city: str) -> tuple[TradeUnion, ...]:
        """Every organisation of a city (name or alias), in file order: the "where to go" list."""
        found = self.city(city)
        return tuple(union for union in self.unions if found and union.city == found.name)

    def route(
        self,
        city: str,
        district: str | None,
        industry: Industry,
        is_platform_worker: bool,
    ) -> Routing:
        """The union that takes a new member, and why, in one sentence."""
        found = self.city(city)
        if found is None:
            return Routing(
                None,
                f"目前还没有收录{city}的工会组织，请联系当地总工会，"
                "或回复“转人工”请工作人员帮您联系",
            )
        if is_platform_worker and industry in PLATFORM_WORKERS:
            return self._route_platform_worker(found, district, industry)
        return self._route_worker(found, district, industry)

    def _route_platform_worker(
        self, city: City, district: str | None, industry: Industry
    ) -> Routing:
        worker = PLATFORM_WORKERS[industry]
        federation = self._serving(city.name, district, industry, UnionKind.NEW_EMPLOYMENT)
        if federation is not None:
            return Routing(
                federation,
                f"您是{worker}，属于新就业形态劳动者，按属地原则由{federation.name}受理",
            )
        industry_union = self._serving(city.name, district, industry, UnionKind.INDUSTRY)
        if industry_union is not None:
            return Routing(
                industry_union,
                f"您是{worker}，{city.name}暂无新就业形态劳动者工会联合会，"
                f"按行业由{industry_union.name}受理",
            )
        return self._route_to_district(
            city, district, f"您是{worker}，{city.name}暂无新就业形态劳动者工会联合会，"
        )

    def _route_worker(self, city: City, district: str | None, industry: Industry) -> Routing:
        label = INDUSTRY_LABELS[industry]
        if industry is not Industry.OTHER:
            industry_union = self._serving(city.name, district, industry, UnionKind.INDUSTRY)
            if industry_union is not None:
                return Routing(industry_union, f"您从事{label}，按行业由{industry_union.name}受理")
            where = district or city.name
            return self._route_to_district(city, district, f"{where}暂无{label}的行业工会，")
        return self._route_to_district(city, district, f"您在{district}工作或居住，")

    def _route_to_district(self, city: City, district: str | None, preamble: str) -> Routing:
        covered = "、".join(self.districts(city.name))
        if district is None:
            return Routing(None, f"需要知道您在{city.name}的哪个区县（目前在线受理{covered}）")
        union = next((u for u in self._district_unions(city.name) if u.district == district), None)
        if union is None:
            return Routing(
                None,
                f"{city.name}{district}暂未收录区县总工会（目前在线受理{covered}），"
                "请回复“转人工”请工作人员帮您联系",
            )
        return Routing(union, f"{preamble}按属地原则由{union.name}受理")

    def _district_unions(self, city: str) -> tuple[TradeUnion, ...]:
        return tuple(
            union
            for union in self.unions
            if union.city == city and union.kind is UnionKind.DISTRICT
        )

    def _serving(
        self, city: str, district: str | None, industry: Industry, kind: UnionKind
    ) -> TradeUnion | None:
        """The union of this kind serving the industry: the district's own first, then the
        city-level one."""
        serving = [
            union
            for union in self.unions
            if union.city == city and union.kind is kind and industry in union.industries
        ]
        local = [union for union in serving if district and union.district == district]
        city_level = [union for union in serving if union.district is None]
        return next(iter(local + city_level), None)


class UnionDirectoryError(ValueError):
    def __init__(self, path: Path, problems: list[str]) -> None:
        self.problems = tuple(problems)
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{len(problems)} problem(s) in {path}:\n{listing}")


_ID_FORMAT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_REQUIRED = ("id", "name", "kind", "city", "address", "hours", "phone")
_OPTIONAL = ("district", "street", "industries")
_LOCAL_KINDS = frozenset({UnionKind.DISTRICT, UnionKind.STREET})


def load_unions(path: Path) -> UnionDirectory:
    """Reads and checks the directory; raises UnionDirectoryError listing every problem."""
    problems: list[str] = []
    try:
        document = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise UnionDirectoryError(path, [str(error)]) from error
    if not isinstance(document, dict) or not all(
        isinstance(document.get(key), list) for key in ("cities", "unions")
    ):
        raise UnionDirectoryError(path, ["expected a mapping with 'cities' and 'unions' lists"])
    cities = _parse_cities(document["cities"], problems)
    city_names = {city.name for city in cities}
    unions = []
    for position, raw in enumerate(document["unions"], start=1):
        union = _parse_union(raw, city_names, f"union #{position}", problems)
        if union is not None:
            unions.append(union)
    _check_directory(unions, problems)
    if problems:
        raise UnionDirectoryError(path, problems)
    return UnionDirectory(tuple(cities), tuple(unions))


def _parse_cities(raw_cities: list[Any], problems: list[str]) -> list[City]:
    cities = []
    for position, raw in enumerate(raw_cities, start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
            problems.append(f"city #{position}: expected a mapping with a 'name'")
            continue
        aliases = raw.get("aliases") or []
        if not isinstance(aliases, list) or not all(
            isinstance(alias, str) and len(alias) >= 2 for alias in aliases
        ):
            problems.append(f"city {raw['name']}: aliases must be a list of 2+ character names")
            aliases = []
        cities.append(City(raw["name"], tuple(aliases)))
    counts = Counter(name for city in cities for name in city.names)
    problems.extend(f"city name {name!r} is used {n} times" for name, n in counts.items() if n > 1)
    return cities


def _parse_union(
    raw: Any, city_names: set[str], where: str, problems: list[str]
) -> TradeUnion | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected a mapping")
        return None
    if isinstance(raw.get("id"), str):
        where = f"union {raw['id']}"
    own: list[str] = []
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        own.append(f"unknown keys {unknown}")
    present = [key for key in _OPTIONAL if key != "industries" and key in raw]
    own.extend(
        f"'{key}' must be a non-empty string"
        for key in (*_REQUIRED, *present)
        if not (isinstance(raw.get(key), str) and raw[key])
    )
    if isinstance(raw.get("id"), str) and not _ID_FORMAT.fullmatch(raw["id"]):
        own.append("id must be kebab-case (a-z, 0-9, -)")
    if raw.get("city") not in city_names:
        own.append(f"city {raw.get('city')!r} is not listed under 'cities'")
    kind = _parse_kind(raw.get("kind"), own)
    industries = _parse_industries(raw.get("industries"), own)
    if kind in _LOCAL_KINDS and not raw.get("district"):
        own.append(f"kind {kind} needs a 'district'")
    if kind is UnionKind.STREET and not raw.get("street"):
        own.append("kind street needs a 'street'")
    if kind in _LOCAL_KINDS and industries:
        own.append(f"kind {kind} serves every industry; leave out 'industries'")
    if kind not in _LOCAL_KINDS and not industries:
        own.append(f"kind {kind} needs the 'industries' it serves")
    problems.extend(f"{where}: {problem}" for problem in own)
    if own or kind is None:
        return None
    return TradeUnion(
        id=raw["id"],
        name=raw["name"],
        kind=kind,
        city=raw["city"],
        district=raw.get("district"),
        street=raw.get("street"),
        industries=industries,
        address=raw["address"],
        hours=raw["hours"],
        phone=str(raw["phone"]),
    )


def _parse_kind(raw: Any, problems: list[str]) -> UnionKind | None:
    try:
        return UnionKind(raw)
    except ValueError:
        problems.append(f"kind {raw!r} is not one of {[kind.value for kind in UnionKind]}")
        return None


def _parse_industries(raw: Any, problems: list[str]) -> frozenset[Industry]:
    if raw is None:
        return frozenset()
    valid = {industry.value for industry in Industry if industry is not Industry.OTHER}
    if not isinstance(raw, list) or not all(item in valid for item in raw):
        problems.append(f"industries must be a list of {sorted(valid)}")
        return frozenset()
    return frozenset(Industry(item) for item in raw)


def _check_directory(unions: list[TradeUnion], problems: list[str]) -> None:
    counts = Counter(union.id for union in unions)
    problems.extend(f"id {union_id!r} is used {n} times" for union_id, n in counts.items() if n > 1)
    # The district 总工会 is the fallback of every route, so each district named needs one.
    with_union = {(u.city, u.district) for u in unions if u.kind is UnionKind.DISTRICT}
    named = {(u.city, u.district) for u in unions if u.district is not None}
    problems.extend(
        f"{city}{district} has no district union (kind: district)"
        for city, district in sorted(named - with_union)
    )
    district_counts = Counter((u.city, u.district) for u in unions if u.kind is UnionKind.DISTRICT)
    problems.extend(
        f"{city}{district} has {n} district unions"
        for (city, district), n in district_counts.items()
        if n > 1
    )


@lru_cache(maxsize=1)
def get_unions() -> UnionDirectory:
    """The directory under the configured knowledge directory, loaded once per process."""
    return load_unions(get_settings().knowledge_dir / "unions.yml")


# The functions adapters call; each takes the configured directory unless given another.


def route(
    city: str,
    district: str | None,
    industry: Industry,
    is_platform_worker: bool,
    directory: UnionDirectory | None = None,
) -> Routing:
    return (directory or get_unions()).route(city, district, industry, is_platform_worker)


def unions_in(city: str, directory: UnionDirectory | None = None) -> tuple[TradeUnion, ...]:
    return (directory or get_unions()).unions_in(city)


def union_name(union_id: str | None, directory: UnionDirectory | None = None) -> str | None:
    """The name of a union an application was routed to; None for none or a removed one."""
    union = (directory or get_unions()).find(union_id) if union_id else None
    return union.name if union else None
