import pytest

from desk.legal.library import get_knowledge
from desk.legal.lookup import find_references, lookup_article
from desk.legal.statutes import StatuteLibrary


@pytest.fixture(scope="module")
def library() -> StatuteLibrary:
    return get_knowledge().library


@pytest.mark.parametrize(
    ("text", "law", "number", "begins"),
    [
        ("劳动合同法第四十七条怎么规定的", "劳动合同法", 47, "经济补偿按劳动者"),
        ("劳动法第44条", "劳动法", 44, "有下列情形之一的"),
        ("工伤保险条例 十四条", "工伤保险条例", 14, "职工有下列情形之一的"),
        ("《工会法》第3条", "工会法", 3, "在中国境内的企业"),
        ("中华人民共和国劳动合同法第 82 条", "劳动合同法", 82, "用人单位自用工之日起"),
        ("勞動合同法第三十八條", "劳动合同法", 38, "用人单位有下列情形之一的"),
        ("劳动合同法实施条例第十条", "劳动合同法实施条例", 10, "劳动者非因本人原因"),
    ],
)
def test_references_in_free_text(
    library: StatuteLibrary, text: str, law: str, number: int, begins: str
) -> None:
    reference = lookup_article(text, library)
    assert reference is not None
    assert (reference.law, reference.number) == (law, number)
    assert reference.article is not None and reference.article.text.startswith(begins)


def test_several_references_in_order(library: StatuteLibrary) -> None:
    found = find_references("劳动法第四十四条和劳动合同法第31条都讲加班", library)
    assert [(r.law, r.number) for r in found] == [("劳动法", 44), ("劳动合同法", 31)]


def test_an_article_that_does_not_exist_is_reported_not_invented(library: StatuteLibrary) -> None:
    reference = lookup_article("劳动法第999条", library)
    assert reference is not None and not reference.found and reference.article is None


@pytest.mark.parametrize(
    "text", ["第四十七条说的啥", "广东省劳动保障监察条例第3条", "劳动合同怎么签"]
)
def test_no_reference_without_a_national_law(library: StatuteLibrary, text: str) -> None:
    assert lookup_article(text, library) is None
