"""Which labour dispute arbitration commission takes the case (劳动争议调解仲裁法 第二十一条),
from the directory in knowledge/arbitration_commissions.yml (example data until a union
replaces it).

The place the contract is performed comes first: when worker and employer apply to different
commissions, that one keeps the case. The employer's seat is used only when the place of work is
not in the directory. A district with its own commission gets it; otherwise the city's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from desk.legal.statutes import Citation
from desk.settings import get_settings

JURISDICTION_BASIS = Citation("劳动争议调解仲裁法", article=21)
DIRECTORY_FILE = "arbitration_commissions.yml"


@dataclass(frozen=True)
class Commission:
    id: str
    name: str
    city: str
    district: str | None  # None for the city's own commission
    court: str  # the basic people's court of the same place (for a 支付令)
    address: str
    phone: str


@dataclass(frozen=True)
class Jurisdiction:
    commission: Commission | None  # None when the directory has nothing for either place
    reason: str  # one sentence for the lawyer and the draft's reasons


@dataclass(frozen=True)
class CommissionDirectory:
    cities: dict[str, tuple[str, ...]]  # name → aliases
    commissions: tuple[Commission, ...]

    def find(self, place: str | None) -> Commission | None:
        """The commission for a place as people write it: 上海市嘉定区, 上海嘉定, 深圳宝安区的工地,
        深圳. None when the city is not in the directory."""
        if not place:
            return None
        text = re.sub(r"\s+", "", place)
        city = next(
            (
                name
                for name, aliases in self.cities.items()
                if any(n in text for n in (name, *aliases))
            ),
            None,
        )
        if city is None:
            return None
        local = [c for c in self.commissions if c.city == city]
        in_district = [c for c in local if c.district and _names_district(text, c.district)]
        city_level = [c for c in local if c.district is None]
        return next(iter(in_district + city_level), None)


def _names_district(text: str, district: str) -> bool:
    """嘉定区 or 嘉定, 浦东新区 or 浦东 (the short name after the city has been found)."""
    short = re.sub(r"(?:新区|区|县)$", "", district)
    return district in text or (len(short) >= 2 and short in text)


def choose(
    directory: CommissionDirectory, performed_in: str | None, employer_in: str | None
) -> Jurisdiction:
    """The commission where the contract is performed, else where the employer is."""
    for place, what in ((performed_in, "劳动合同履行地"), (employer_in, "用人单位所在地")):
        found = directory.find(place)
        if found is not None:
            reason = f"{what}在{place}，由{found.name}管辖（{JURISDICTION_BASIS}）"
            return Jurisdiction(found, reason)
    where = "、".join(place for place in (performed_in, employer_in) if place) or "工作地"
    return Jurisdiction(
        None,
        f"名录里没有{where}的仲裁委员会：请向劳动合同履行地或用人单位所在地的劳动人事争议"
        f"仲裁委员会申请（{JURISDICTION_BASIS}），并把名称填进申请书",
    )


class CommissionDirectoryError(ValueError):
    """The directory file is not as its header describes."""


_REQUIRED = ("id", "name", "city", "court", "address", "phone")


def load_commissions(path: Path) -> CommissionDirectory:
    try:
        document = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CommissionDirectoryError(f"{path}: {error}") from error
    if not isinstance(document, dict):
        raise CommissionDirectoryError(f"{path}: expected 'cities' and 'commissions'")
    cities = {
        str(city["name"]): tuple(str(alias) for alias in city.get("aliases") or ())
        for city in document.get("cities") or ()
    }
    commissions = tuple(_commission(raw, cities, path) for raw in document.get("commissions") or ())
    ids = [commission.id for commission in commissions]
    if len(set(ids)) != len(ids):
        raise CommissionDirectoryError(f"{path}: an id is used twice")
    for city in cities:
        if not any(c.city == city and c.district is None for c in commissions):
            raise CommissionDirectoryError(f"{path}: {city} has no city-level commission")
    return CommissionDirectory(cities, commissions)


def _commission(raw: Any, cities: dict[str, tuple[str, ...]], path: Path) -> Commission:
    if not isinstance(raw, dict) or any(not raw.get(key) for key in _REQUIRED):
        raise CommissionDirectoryError(f"{path}: every commission needs {', '.join(_REQUIRED)}")
    if raw["city"] not in cities:
        raise CommissionDirectoryError(f"{path}: {raw['id']} names an unlisted city")
    return Commission(
        id=str(raw["id"]),
        name=str(raw["name"]),
        city=str(raw["city"]),
        district=str(raw["district"]) if raw.get("district") else None,
        court=str(raw["court"]),
        address=str(raw["address"]),
        phone=str(raw["phone"]),
    )


@lru_cache(maxsize=4)
def _load_cached(path: Path) -> CommissionDirectory:
    return load_commissions(path)


def get_commissions() -> CommissionDirectory:
    return _load_cached(get_settings().knowledge_dir / DIRECTORY_FILE)
