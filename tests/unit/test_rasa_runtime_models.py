"""Which trained models rasa_runtime serves without TensorFlow: only those whose prediction
graph holds nothing but known TensorFlow-free components."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

from rasa_runtime.without_tensorflow import model_needs_tensorflow


def _model(tmp_path: Path, *uses: str) -> Path:
    nodes = {f"node{n}": {"uses": name} for n, name in enumerate(uses)}
    metadata = json.dumps({"predict_schema": {"nodes": nodes}}).encode()
    path = tmp_path / "model.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("/metadata.json")  # Rasa writes absolute member names
        info.size = len(metadata)
        archive.addfile(info, io.BytesIO(metadata))
    return path


def test_the_desk_pipeline_needs_no_tensorflow(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        "rasa.nlu.tokenizers.jieba_tokenizer.JiebaTokenizer",
        "rasa.nlu.classifiers.logistic_regression_classifier.LogisticRegressionClassifier",
        "rasa.core.policies.rule_policy.RulePolicy",
    )
    assert not model_needs_tensorflow(model)


def test_diet_ted_or_an_unknown_component_gets_the_real_library(tmp_path: Path) -> None:
    diet = "rasa.nlu.classifiers.diet_classifier.DIETClassifier"
    assert model_needs_tensorflow(
        _model(tmp_path, "rasa.core.policies.rule_policy.RulePolicy", diet)
    )
    assert model_needs_tensorflow(_model(tmp_path, "my_project.components.MyClassifier"))
