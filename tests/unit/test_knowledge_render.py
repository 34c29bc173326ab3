from decimal import Decimal

import pytest

from desk.legal.calculators import severance
from desk.legal.faq import FaqEntry
from desk.legal.library import Knowledge, get_knowledge
from desk.legal.render import (
    UNION_PRACTICE_LINE,
    render_article,
    render_basis,
    render_calculation,
    render_faq_answer,
    shorten,
)
from desk.legal.statutes import Citation


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return get_knowledge()


def entry(knowledge: Knowledge, entry_id: str) -> FaqEntry:
    found = knowledge.entry(entry_id)
    assert found is not None
    return found


def test_answer_then_cited_articles(knowledge: Knowledge) -> None:
    text = render_faq_answer(entry(knowledge, "end-severance-formula"), knowledge.library)
    answer, basis = text.split("\n\n法律依据\n")
    assert answer == entry(knowledge, "end-severance-formula").answer
    assert basis.startswith("· 《劳动合同法》第四十七条：“经济补偿按劳动者在本单位工作的年限")
    assert basis.endswith("…”")


def test_long_quotes_are_shortened() -> None:
    assert shorten("短句。") == "短句。"
    long = "第一句话说得很长很长。" * 20
    short = shorten(long)
    assert short.endswith("…") and len(short) <= 121


def test_typed_in_rules_are_marked(knowledge: Knowledge) -> None:
    text = render_faq_answer(entry(knowledge, "hours-heat-stop-work"), knowledge.library)
    assert "《防暑降温措施管理办法》第八条（据官方文本录入）" in text


def test_notice_sections_are_cited_by_section(knowledge: Knowledge) -> None:
    citation = Citation("关于职工全年月平均工作时间和工资折算问题的通知", section="二")
    text = render_basis([citation], knowledge.library)
    assert "《关于职工全年月平均工作时间和工资折算问题的通知》二、日工资、小时工资的折算" in text


def test_union_practice_is_named_instead_of_an_article(knowledge: Knowledge) -> None:
    practice = FaqEntry("x", "工会", "标题", ("问",), "回答", (), "工会实践")
    rendered = render_faq_answer(practice, knowledge.library)
    assert rendered == f"回答\n\n法律依据\n{UNION_PRACTICE_LINE}"


def test_an_article_that_does_not_resolve_is_never_shown(knowledge: Knowledge) -> None:
    bogus = FaqEntry("x", "t", "标题", ("问",), "回答", (Citation("劳动法", 999),), None)
    assert render_faq_answer(bogus, knowledge.library) == "回答"


def test_calculation_shows_steps_and_basis(knowledge: Knowledge) -> None:
    text = render_calculation(severance(44, Decimal(6000)), knowledge.library)
    assert "24000元" in text and "《劳动合同法》第四十七条" in text


def test_whole_article_on_request(knowledge: Knowledge) -> None:
    article = knowledge.library.resolve(Citation("劳动法", article=44))
    assert article is not None
    text = render_article(article, knowledge.library)
    assert text.startswith("《劳动法》第四十四条\n") and "百分之三百" in text
