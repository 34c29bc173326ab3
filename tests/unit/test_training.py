from pathlib import Path

from launcher.training import data_fingerprint


def make_project(root: Path) -> None:
    (root / "nlu_data" / "nlu").mkdir(parents=True)
    (root / "knowledge" / "jieba").mkdir(parents=True)
    (root / "config.yml").write_text("pipeline: []")
    (root / "domain.yml").write_text("intents: [greet]")
    (root / "nlu_data" / "nlu" / "basics.yml").write_text("nlu: []")
    (root / "knowledge" / "jieba" / "labour.txt").write_text("劳动合同法 50 n")


def test_fingerprint_is_stable_and_follows_every_model_input(tmp_path: Path) -> None:
    make_project(tmp_path)
    first = data_fingerprint(tmp_path)
    assert data_fingerprint(tmp_path) == first
    seen = {first}
    for relative in (
        "config.yml",
        "domain.yml",
        "nlu_data/nlu/basics.yml",
        "knowledge/jieba/labour.txt",
    ):
        path = tmp_path / relative
        path.write_text(path.read_text() + "\n# changed")
        seen.add(data_fingerprint(tmp_path))
    assert len(seen) == 5


def test_other_files_do_not_force_retraining(tmp_path: Path) -> None:
    make_project(tmp_path)
    before = data_fingerprint(tmp_path)
    (tmp_path / "README.md").write_text("docs")
    (tmp_path / "knowledge" / "faq.yml").write_text("entries: []")
    assert data_fingerprint(tmp_path) == before
