"""The corrections a legal review of the FAQ asked for: each figure an answer gives is backed
by the article it comes from, misconduct pays no severance, pre-2008 service follows 第九十七条,
and rules from documents outside the statute library name their document."""

from __future__ import annotations

import pytest

from desk.legal.library import get_knowledge
from desk.legal.statutes import Citation


def entry(faq_id: str):  # type: ignore[no-untyped-def]
    found = get_knowledge().entry(faq_id)
    assert found is not None, faq_id
    return found


@pytest.mark.parametrize(
    ("faq_id", "figure", "law", "article"),
    [
        ("contract-parttime-definition", "15日结算", "劳动合同法", 72),
        ("injury-lump-sum", "五级18个月", "工伤保险条例", 36),
        ("injury-dismissed", "五六级", "工伤保险条例", 36),
        ("injury-disability-assessment", "十级最轻", "工伤保险条例", 22),
        ("injury-disability-assessment", "满一年后", "工伤保险条例", 28),
        ("wage-minimum-standard", "10日内", "最低工资规定", 11),
        ("si-maternity", "98天", "女职工劳动保护特别规定", 7),
        ("injury-dismissed", "2N", "劳动合同法", 87),
        ("end-union-notice", "2N", "劳动合同法", 87),
        ("end-protected-pregnancy", "2N", "劳动合同法", 87),
        ("end-misconduct-dismissal", "2N", "劳动合同法", 87),
        ("end-misconduct-dismissal", "一年内", "劳动争议调解仲裁法", 27),
        ("end-illegal-dismissal", "一年内", "劳动争议调解仲裁法", 27),
        ("contract-no-written-double-pay", "仲裁时效", "劳动争议调解仲裁法", 27),
        ("end-contract-expiry", "2008年1月1日", "劳动合同法", 97),
        ("contract-open-ended-not-lifetime", "不给经济补偿", "劳动合同法", 39),
    ],
)
def test_a_figure_in_an_answer_cites_the_article_it_comes_from(
    faq_id: str, figure: str, law: str, article: int
) -> None:
    found = entry(faq_id)
    assert figure in found.answer
    assert Citation(law, article=article) in found.citations
    assert get_knowledge().library.resolve(Citation(law, article=article)) is not None


def test_an_open_ended_contract_ended_for_misconduct_pays_no_severance() -> None:
    answer = entry("contract-open-ended-not-lifetime").answer
    assert "严重违纪" in answer and "不给经济补偿" in answer
    misconduct = answer[answer.index("严重违纪") : answer.index("不给经济补偿")]
    assert "支付经济补偿" not in misconduct


def test_severance_for_service_before_2008_follows_article_97() -> None:
    answer = entry("end-contract-expiry").answer
    assert "从2008年1月1日起算" in answer and "按当时的规定" in answer


@pytest.mark.parametrize(
    ("faq_id", "document"),
    [
        ("wage-sick-pay", "《关于贯彻执行〈中华人民共和国劳动法〉若干问题的意见》第59条"),
        ("injury-deemed", "《工伤保险条例》第十五条"),
        ("injury-deemed", "《关于执行〈工伤保险条例〉若干问题的意见》"),
    ],
)
def test_a_rule_names_the_document_it_comes_from(faq_id: str, document: str) -> None:
    assert document in entry(faq_id).answer


def test_no_citation_points_at_a_document_outside_the_library() -> None:
    library = get_knowledge().library
    for faq in get_knowledge().faq:
        for citation in faq.citations:
            assert library.resolve(citation) is not None, (faq.id, str(citation))
