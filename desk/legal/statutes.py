"""The statute texts under knowledge/statutes/: parsed into articles, looked up by citation.

File layout: `# 全称` title, information lines, `<!-- INFO END -->`, then `## 第一章 …` headings
and one paragraph per line. An article starts with a paragraph `第N条 …` and runs until the
next article or heading. The 折算 通知 has numbered sections (`## 二、…`) instead of articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from desk.common.numerals import from_chinese, to_chinese

_INFO_END = "<!-- INFO END -->"
_NATIONAL_PREFIX = "中华人民共和国"
_ARTICLE_START = re.compile(r"第([零〇一二三四五六七八九十百千]+)条[\s\u3000]*(.*)", re.S)
_SECTION_HEADING = re.compile(r"([一二三四五六七八九十]+)(?:、(.*))?")
# A 来源 line marks a rule typed in from the official text rather than copied from shared/.
_SOURCE_NOTE = re.compile(r"^来源[:：]")

# Shorthand workers and lawyers use that is not derivable from the file names.
_EXTRA_ALIASES = {
    "劳动合同法实施条例": ("劳动合同法条例",),
    "劳动争议调解仲裁法": ("调解仲裁法", "劳动仲裁法", "劳动争议仲裁法"),
    "保障农民工工资支付条例": ("农民工工资支付条例", "农民工条例"),
    "工伤保险条例": ("工伤条例",),
    "社会保险法": ("社保法",),
    "职工带薪年休假条例": ("带薪年休假条例", "年休假条例", "年假条例"),
    "企业职工带薪年休假实施办法": ("年休假实施办法", "年假实施办法"),
    "女职工劳动保护特别规定": ("女职工特别规定", "女职工保护规定"),
    "防暑降温措施管理办法": ("防暑降温办法",),
    "最高人民法院关于审理劳动争议案件适用法律问题的解释（一）": (
        "劳动争议司法解释（一）",
        "劳动争议司法解释一",
        "劳动争议解释（一）",
        "劳动争议解释一",
    ),
    "最高人民法院关于审理拒不支付劳动报酬刑事案件适用法律若干问题的解释": (
        "拒不支付劳动报酬司法解释",
        "拒不支付劳动报酬解释",
    ),
    "国务院关于职工工作时间的规定": ("职工工作时间的规定", "工作时间规定"),
    "关于职工全年月平均工作时间和工资折算问题的通知": ("工资折算通知", "折算通知"),
}


class StatuteFormatError(ValueError):
    """A statute file that does not follow the layout above."""


@dataclass(frozen=True)
class Citation:
    """A pointer into a statute: an article number, or a section (一、二、…) of a notice."""

    law: str
    article: int | None = None
    section: str | None = None

    def __str__(self) -> str:
        return f"《{self.law}》{self.label}"

    @property
    def label(self) -> str:
        return f"第{to_chinese(self.article)}条" if self.article is not None else f"{self.section}"


@dataclass(frozen=True)
class Article:
    """One article (or notice section) with its paragraphs joined by newlines."""

    law: str
    number: int | None
    section: str | None
    heading: str
    text: str

    @property
    def citation(self) -> Citation:
        return Citation(self.law, article=self.number, section=self.section)

    @property
    def label(self) -> str:
        """第四十七条, or 二、日工资、小时工资的折算 for a notice section."""
        if self.number is not None:
            return f"第{to_chinese(self.number)}条"
        return f"{self.section}、{self.heading}" if self.heading else f"{self.section}"


@dataclass(frozen=True)
class Statute:
    short_name: str
    title: str
    info: tuple[str, ...]
    source_note: str | None  # set for rules typed in from the official text
    articles: Mapping[int, Article] = field(repr=False)
    sections: Mapping[str, Article] = field(repr=False)

    @property
    def typed_in(self) -> bool:
        return self.source_note is not None


@dataclass(frozen=True, eq=False)  # identity semantics: one loaded library, usable as a cache key
class StatuteLibrary:
    statutes: Mapping[str, Statute]
    aliases: Mapping[str, str] = field(repr=False)

    def find_law(self, name: str) -> Statute | None:
        """劳动合同法, 中华人民共和国劳动合同法 and 《劳动合同法》 all find the same statute."""
        short = self.aliases.get(_alias_key(name))
        return self.statutes[short] if short else None

    def resolve(self, citation: Citation) -> Article | None:
        statute = self.find_law(citation.law)
        if statute is None:
            return None
        if citation.article is not None:
            return statute.articles.get(citation.article)
        if citation.section is not None:
            return statute.sections.get(citation.section)
        return None

    def alias_names(self) -> tuple[str, ...]:
        """Every name a law may be called by, longest first (for matching in free text)."""
        return tuple(sorted(self.aliases, key=len, reverse=True))


def load_library(statutes_dir: Path) -> StatuteLibrary:
    paths = sorted(statutes_dir.glob("*.md"))
    if not paths:
        raise StatuteFormatError(f"no statute files in {statutes_dir}")
    statutes = {path.stem: parse_statute(path.stem, path.read_text("utf-8")) for path in paths}
    return StatuteLibrary(MappingProxyType(statutes), MappingProxyType(_aliases(statutes.values())))


def parse_statute(short_name: str, source: str) -> Statute:
    header, separator, body = source.partition(_INFO_END)
    if not separator:
        raise StatuteFormatError(f"{short_name}: missing {_INFO_END}")
    header_lines = _paragraphs(header)
    if not header_lines or not header_lines[0].startswith("# "):
        raise StatuteFormatError(f"{short_name}: first line must be the '# 全称' title")
    info = tuple(header_lines[1:])
    source_note = next((line for line in info if _SOURCE_NOTE.match(line)), None)
    articles, sections = _parse_body(short_name, _paragraphs(body))
    return Statute(
        short_name=short_name,
        title=header_lines[0][2:].strip(),
        info=info,
        source_note=source_note,
        articles=MappingProxyType(articles),
        sections=MappingProxyType(sections),
    )


def _paragraphs(text: str) -> list[str]:
    # Some files indent with full-width spaces (U+3000); str.strip() removes those too.
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class _Draft:
    number: int | None
    section: str | None
    heading: str
    paragraphs: list[str]


def _parse_body(short_name: str, lines: list[str]) -> tuple[dict[int, Article], dict[str, Article]]:
    drafts: list[_Draft] = []
    current: _Draft | None = None
    for line in lines:
        if line.startswith("#"):
            current = _section_draft(line.lstrip("#").strip())  # None for chapter headings
            if current is not None:
                drafts.append(current)
        elif start := _ARTICLE_START.fullmatch(line):
            current = _Draft(from_chinese(start.group(1)), None, "", [start.group(2).strip()])
            drafts.append(current)
        elif current is not None:
            current.paragraphs.append(line)
        # Anything else is preamble that belongs to no article.
    articles: dict[int, Article] = {}
    sections: dict[str, Article] = {}
    for draft in drafts:
        article = Article(
            short_name, draft.number, draft.section, draft.heading, "\n".join(draft.paragraphs)
        )
        if draft.number is not None:
            if draft.number in articles:
                raise StatuteFormatError(f"{short_name}: 第{to_chinese(draft.number)}条 twice")
            articles[draft.number] = article
        elif draft.section is not None:
            sections[draft.section] = article
    return articles, sections


def _section_draft(heading: str) -> _Draft | None:
    section = _SECTION_HEADING.fullmatch(heading)
    return _Draft(None, section.group(1), section.group(2) or "", []) if section else None


def _alias_key(name: str) -> str:
    return name.strip().strip("《》<>〈〉").replace("(", "（").replace(")", "）").replace(" ", "")


def _aliases(statutes: Iterable[Statute]) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for statute in statutes:
        names = {statute.short_name, statute.title, *_EXTRA_ALIASES.get(statute.short_name, ())}
        names |= {_NATIONAL_PREFIX + name for name in list(names)}
        names |= {name.removeprefix(_NATIONAL_PREFIX) for name in list(names)}
        for name in names:
            aliases[_alias_key(name)] = statute.short_name
    return aliases
