import pytest

from desk.legal.library import get_knowledge
from desk.legal.statutes import Citation, StatuteFormatError, StatuteLibrary, parse_statute
from desk.settings import get_settings

NOTICE = "关于职工全年月平均工作时间和工资折算问题的通知"


@pytest.fixture(scope="module")
def library() -> StatuteLibrary:
    return get_knowledge().library


def test_every_statute_file_is_parsed(library: StatuteLibrary) -> None:
    files = {path.stem for path in (get_settings().knowledge_dir / "statutes").glob("*.md")}
    assert set(library.statutes) == files
    assert all(s.articles or s.sections for s in library.statutes.values())


def test_article_47_of_the_labour_contract_law(library: StatuteLibrary) -> None:
    article = library.resolve(Citation("劳动合同法", article=47))
    assert article is not None
    assert article.text.startswith("经济补偿按劳动者在本单位工作的年限")
    # Continuation paragraphs belong to the article: the cap and the definition of 月工资.
    assert "三倍" in article.text and "前十二个月的平均工资" in article.text
    assert article.label == "第四十七条"


def test_an_article_ends_where_the_next_one_starts(library: StatuteLibrary) -> None:
    article = library.resolve(Citation("劳动法", article=44))
    assert article is not None
    assert article.text.startswith("有下列情形之一的")
    assert "百分之三百" in article.text and "第四十五条" not in article.text


@pytest.mark.parametrize("name", ["劳动合同法", "中华人民共和国劳动合同法", "《劳动合同法》"])
def test_law_names_resolve_to_one_statute(library: StatuteLibrary, name: str) -> None:
    statute = library.find_law(name)
    assert statute is not None and statute.short_name == "劳动合同法"
    assert statute.title == "中华人民共和国劳动合同法"


def test_the_notice_has_sections_instead_of_articles(library: StatuteLibrary) -> None:
    section = library.resolve(Citation(NOTICE, section="二"))
    assert section is not None
    assert section.label == "二、日工资、小时工资的折算"
    assert "21.75" in section.text


def test_typed_in_rules_carry_their_source_note(library: StatuteLibrary) -> None:
    typed_in = {name for name, statute in library.statutes.items() if statute.typed_in}
    assert typed_in == {"最低工资规定", "防暑降温措施管理办法"}
    assert "官方" in (library.statutes["最低工资规定"].source_note or "")


def test_full_width_spaces_do_not_hide_articles(library: StatuteLibrary) -> None:
    statute = library.statutes["保障农民工工资支付条例"]
    assert len(statute.articles) == max(statute.articles) == 64


def test_missing_articles_do_not_resolve(library: StatuteLibrary) -> None:
    assert library.resolve(Citation("劳动合同法", article=999)) is None
    assert library.resolve(Citation("不存在的法", article=1)) is None


def test_a_file_without_the_info_marker_is_an_error() -> None:
    with pytest.raises(StatuteFormatError):
        parse_statute("坏文件", "# 标题\n\n第一条 内容")
