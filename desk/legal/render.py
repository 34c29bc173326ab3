"""How an answer reads: the plain-words answer, then 法律依据 quoting each article it rests on.

Only articles that resolve in the statute texts are quoted; a rule typed in from the official
text says so, and an answer resting on union practice says that instead of naming an article.
"""

from __future__ import annotations

from collections.abc import Iterable

from desk.legal.calculators import Calculation
from desk.legal.faq import FaqEntry
from desk.legal.statutes import Article, Citation, StatuteLibrary

QUOTE_LIMIT = 120
BASIS_HEADING = "法律依据"
UNION_PRACTICE_LINE = "依据：工会工作实践"
TYPED_IN_NOTE = "（据官方文本录入）"
_SENTENCE_ENDS = "。；！？"


def render_faq_answer(entry: FaqEntry, library: StatuteLibrary) -> str:
    return _with_basis(entry.answer, entry.citations, library, union_practice=entry.union_practice)


CALCULATION_CLOSING = "这是按法定最低标准的估算，实际以单位的工资记录和当地规定为准。"


def render_calculation(calculation: Calculation, library: StatuteLibrary) -> str:
    steps = "\n".join(f"· {step}" for step in calculation.steps)
    body = f"{steps}\n{CALCULATION_CLOSING}"
    return _with_basis(body, calculation.basis, library, union_practice=False)


def render_article(article: Article, library: StatuteLibrary) -> str:
    """One article in full, for a worker who asked for it by number."""
    return f"{_source(article, library)}\n{article.text}"


def render_basis(
    citations: Iterable[Citation], library: StatuteLibrary, *, union_practice: bool = False
) -> str:
    """The 法律依据 block; empty when nothing resolves and no union practice is claimed."""
    lines = [
        f"· {_source(article, library)}：“{shorten(_one_line(article.text))}”"
        for article in _resolved(citations, library)
    ]
    if union_practice:
        lines.append(UNION_PRACTICE_LINE)
    if not lines:
        return ""
    return "\n".join([BASIS_HEADING, *lines])


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """Up to `limit` characters, cut after a full sentence where one ends late enough, then …"""
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = max(head.rfind(mark) for mark in _SENTENCE_ENDS)
    if cut >= limit // 2:
        head = head[: cut + 1]
    return head.rstrip("，、：；") + "…"


def _with_basis(
    body: str, citations: Iterable[Citation], library: StatuteLibrary, *, union_practice: bool
) -> str:
    basis = render_basis(citations, library, union_practice=union_practice)
    return f"{body}\n\n{basis}" if basis else body


def _resolved(citations: Iterable[Citation], library: StatuteLibrary) -> list[Article]:
    articles = (library.resolve(citation) for citation in dict.fromkeys(citations))
    return [article for article in articles if article is not None]


def _source(article: Article, library: StatuteLibrary) -> str:
    statute = library.statutes[article.law]
    note = TYPED_IN_NOTE if statute.typed_in else ""
    return f"《{statute.short_name}》{article.label}{note}"


def _one_line(text: str) -> str:
    """Paragraphs run on; one that ends without punctuation (a formula line) gets a ；."""
    paragraphs = text.split("\n")
    joined = paragraphs[0]
    for paragraph in paragraphs[1:]:
        joined += ("" if joined[-1:] in "。；：，、:;," else "；") + paragraph
    return joined
