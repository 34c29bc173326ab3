from pathlib import Path

import pytest

from desk.legal.faq import FaqValidationError, load_faq
from desk.legal.library import get_knowledge
from desk.legal.statutes import StatuteLibrary
from desk.settings import get_settings


@pytest.fixture(scope="module")
def library() -> StatuteLibrary:
    return get_knowledge().library


def test_every_faq_citation_resolves_and_every_entry_has_a_basis(library: StatuteLibrary) -> None:
    """Loading validates: it raises, listing every entry, on a citation that does not resolve
    and on an entry with neither a citation nor `basis: 工会实践`."""
    entries = load_faq(get_settings().knowledge_dir / "faq", library)
    assert len(entries) >= 200  # the floor the product promises; duplicates were merged away
    for entry in entries:
        assert entry.citations or entry.union_practice, entry.id
        assert all(library.resolve(citation) is not None for citation in entry.citations)


def test_entries_are_complete_and_ids_unique() -> None:
    entries = get_knowledge().faq
    assert len({entry.id for entry in entries}) == len(entries)
    assert all(entry.title and entry.answer and entry.questions for entry in entries)


BAD_FAQ = """
topic: 测试
entries:
  - id: no-such-article
    title: 不存在的条文
    questions: [问题]
    answer: 回答
    citations:
      - {law: 劳动合同法, article: 999}
  - id: no-basis
    title: 没有依据
    questions: [问题]
    answer: 回答
  - id: no-basis
    title: 重复的编号
    questions: []
    answer: ""
    basis: 工会实践
  - id: unknown-law
    title: 不存在的法律
    questions: [问题]
    answer: 回答
    citations:
      - {law: 火星劳动法, article: 1}
"""


def test_every_bad_entry_is_listed(tmp_path: Path, library: StatuteLibrary) -> None:
    (tmp_path / "bad.yml").write_text(BAD_FAQ, encoding="utf-8")
    with pytest.raises(FaqValidationError) as raised:
        load_faq(tmp_path, library)
    message = str(raised.value)
    assert "no-such-article" in message and "第九百九十九条" in message
    assert "needs a citation that resolves" in message
    assert "empty answer" in message and "at least one question" in message
    assert "'no-basis' is used 2 times" in message
    assert "火星劳动法" in message
    assert len(raised.value.problems) >= 6


def test_an_entry_may_carry_citations_and_union_practice(library: StatuteLibrary) -> None:
    both = [e for e in get_knowledge().faq if e.citations and e.union_practice]
    assert both, "the FAQ has entries with both; they must load"
