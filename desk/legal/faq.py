"""FAQ entries from knowledge/faq/*.yml (schema in knowledge/README.md), validated at load.

Validation collects every problem before failing, so one run of the tests shows all bad entries.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from desk.legal.statutes import Citation, StatuteLibrary

UNION_PRACTICE = "工会实践"
_ID_FORMAT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ENTRY_KEYS = frozenset({"id", "title", "questions", "answer", "citations", "basis"})
_CITATION_KEYS = frozenset({"law", "article", "section"})


@dataclass(frozen=True)
class FaqEntry:
    id: str
    topic: str
    title: str
    questions: tuple[str, ...]
    answer: str
    citations: tuple[Citation, ...]
    basis: str | None  # "工会实践" when the answer rests on union practice rather than a statute

    @property
    def union_practice(self) -> bool:
        return self.basis == UNION_PRACTICE


class FaqValidationError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{len(problems)} problem(s) in the FAQ entries:\n{listing}")


def load_faq(faq_dir: Path, library: StatuteLibrary) -> tuple[FaqEntry, ...]:
    """All entries, in file then entry order; raises FaqValidationError listing every problem."""
    entries: list[FaqEntry] = []
    problems: list[str] = []
    paths = sorted(faq_dir.glob("*.yml"))
    if not paths:
        problems.append(f"no FAQ files in {faq_dir}")
    for path in paths:
        entries.extend(_load_file(path, library, problems))
    counts = Counter(entry.id for entry in entries)
    problems.extend(f"id {entry_id!r} is used {n} times" for entry_id, n in counts.items() if n > 1)
    if problems:
        raise FaqValidationError(problems)
    return tuple(entries)


def _load_file(path: Path, library: StatuteLibrary, problems: list[str]) -> list[FaqEntry]:
    document = yaml.safe_load(path.read_text("utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        problems.append(f"{path.name}: expected a mapping with 'topic' and an 'entries' list")
        return []
    topic = str(document.get("topic") or path.stem)
    entries = []
    for position, raw in enumerate(document["entries"], start=1):
        where = f"{path.name} #{position}"
        if isinstance(raw, dict) and raw.get("id"):
            where = f"{path.name} {raw['id']}"
        entry_problems: list[str] = []
        entry = _parse_entry(raw, topic, library, entry_problems)
        problems.extend(f"{where}: {problem}" for problem in entry_problems)
        if entry is not None:  # kept even when faulty, so duplicate ids are reported too
            entries.append(entry)
    return entries


def _parse_entry(
    raw: Any, topic: str, library: StatuteLibrary, problems: list[str]
) -> FaqEntry | None:
    if not isinstance(raw, dict):
        problems.append("an entry must be a mapping")
        return None
    if unknown := sorted(set(raw) - _ENTRY_KEYS):
        problems.append(f"unknown keys {unknown}")
    entry_id = _text(raw.get("id"))
    if not _ID_FORMAT.fullmatch(entry_id):
        problems.append(f"id {entry_id!r} must be kebab-case")
    title, answer = _text(raw.get("title")), _text(raw.get("answer"))
    if not title:
        problems.append("empty title")
    if not answer:
        problems.append("empty answer")
    questions = tuple(_text(question) for question in raw.get("questions") or [])
    if not questions or not all(questions):
        problems.append("needs at least one question and no empty ones")
    citations = tuple(_citations(raw.get("citations") or [], library, problems))
    basis = _text(raw.get("basis")) or None
    if basis is not None and basis != UNION_PRACTICE:
        problems.append(f"basis must be {UNION_PRACTICE!r}, not {basis!r}")
    if not citations and basis is None:
        problems.append(f"needs a citation that resolves or 'basis: {UNION_PRACTICE}'")
    return FaqEntry(entry_id, topic, title, questions, answer, citations, basis)


def _citations(raw: Any, library: StatuteLibrary, problems: list[str]) -> list[Citation]:
    if not isinstance(raw, list):
        problems.append("citations must be a list")
        return []
    citations = []
    for item in raw:
        citation = _citation(item)
        article = library.resolve(citation) if citation else None
        if citation is None:
            problems.append(f"citation {item!r} must be {{law, article}} or {{law, section}}")
        elif article is None:
            problems.append(f"citation {citation} does not resolve to a statute article")
        else:
            citations.append(article.citation)  # the law's canonical short name
    return citations


def _citation(item: Any) -> Citation | None:
    if not isinstance(item, dict) or set(item) - _CITATION_KEYS or not item.get("law"):
        return None
    article, section = item.get("article"), item.get("section")
    if (article is None) == (section is None):
        return None
    if article is not None and (isinstance(article, bool) or not isinstance(article, int)):
        return None
    return Citation(str(item["law"]), article, None if section is None else str(section))


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""
