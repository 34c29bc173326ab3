"""Statute references in free text: 劳动合同法第四十七条, 劳动法第44条, 《工会法》第3条,
工伤保险条例 十四条 → the article itself, or nothing when the article does not exist."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from desk.common.numerals import CHINESE_NUMERAL_CHARS, from_chinese
from desk.common.text import fold_keeping_case
from desk.legal.statutes import Article, StatuteLibrary

_ARTICLE_NUMBER = rf"(?P<number>\d{{1,3}}|[{CHINESE_NUMERAL_CHARS}]{{1,6}})"


@dataclass(frozen=True)
class ArticleReference:
    law: str  # the statute's short name (file stem)
    number: int
    article: Article | None  # None when the statute has no such article

    @property
    def found(self) -> bool:
        return self.article is not None


def find_references(text: str, library: StatuteLibrary) -> list[ArticleReference]:
    """Every 《law》第N条 mentioned in the text, in order; unknown laws are not references."""
    # NFKC turns the full-width brackets of 解释（一） into ASCII ones; the names use full-width.
    text = fold_keeping_case(text).replace("(", "（").replace(")", "）")
    references = []
    for match in _reference_pattern(library).finditer(text):
        statute = library.find_law(match.group("law"))
        if statute is None:  # pragma: no cover - the pattern only admits known names
            continue
        number = _number(match.group("number"))
        if number is None:
            continue
        references.append(
            ArticleReference(statute.short_name, number, statute.articles.get(number))
        )
    return references


def lookup_article(text: str, library: StatuteLibrary) -> ArticleReference | None:
    """The first statute reference in the text, found or not; None when there is none."""
    references = find_references(text, library)
    return references[0] if references else None


def _number(written: str) -> int | None:
    if written.isdigit():
        return int(written)
    try:
        return from_chinese(written)
    except ValueError:
        return None


@lru_cache(maxsize=4)
def _reference_pattern(library: StatuteLibrary) -> re.Pattern[str]:
    # Longest names first, so 劳动合同法实施条例 wins over 劳动合同法 and 劳动合同法 over 劳动法.
    names = "|".join(re.escape(name) for name in library.alias_names())
    # 广东省劳动保障监察条例 is a provincial rule, not the national one its name ends with.
    return re.compile(
        rf"(?<![省市区县州])《?(?P<law>{names})》?[\s的]*第?\s*{_ARTICLE_NUMBER}\s*条"
    )
