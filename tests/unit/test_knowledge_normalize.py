from pathlib import Path

import pytest

from desk.legal.library import get_knowledge
from desk.legal.normalize import SynonymFileError, load_normalizer


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("老闆欠我薪水！", "用人单位欠我工资"),
        ("被炒鱿鱼了，N+1怎么算？", "被辞退了 代通知金怎么算"),
        ("公司不给交五险一金", "用人单位不给交社会保险"),
        ("送外卖的能入会吗", "骑手能入会吗"),
        ("工资　１２０００元/月", "工资 12000元 月"),
        ("老板不让我走", "用人单位不让我走"),  # not 辞退: a kept phrase
        ("转人工", "转人工"),
    ],
)
def test_worker_words_become_canonical_terms(raw: str, normalized: str) -> None:
    assert get_knowledge().index.normalize(raw) == normalized


def test_a_phrase_mapped_two_ways_is_an_error(tmp_path: Path) -> None:
    synonyms = tmp_path / "synonyms.yml"
    synonyms.write_text("synonyms:\n  辞退: [开除]\n  辞职: [开除]\n", encoding="utf-8")
    with pytest.raises(SynonymFileError):
        load_normalizer(synonyms)


def test_a_repeated_group_is_an_error_not_silently_dropped(tmp_path: Path) -> None:
    synonyms = tmp_path / "synonyms.yml"
    synonyms.write_text("synonyms:\n  加班费: [加班钱]\n  加班费: [加版费]\n", encoding="utf-8")
    with pytest.raises(SynonymFileError, match="repeated"):
        load_normalizer(synonyms)
