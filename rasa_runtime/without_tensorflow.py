"""Serving the desk's model without importing TensorFlow.

Rasa 3.6 imports TensorFlow whenever it starts, even for a pipeline with no TensorFlow
component (ours: jieba, count vectors, logistic regression, rules and memoisation): its
featurizer, policy and action modules import training helpers that define Keras classes at
import time. That import alone costs about 2.5 s and 560 MB of resident memory, more than the
rest of the Rasa process together.

Before Rasa is imported, `install()` puts placeholders in its place: every `tensorflow`,
`keras` … module Rasa imports is a stand-in whose attributes are stand-ins, so Rasa's module
bodies (class definitions, decorators, constants) run without the real library. Nothing on the
serving path of a TensorFlow-free model calls TensorFlow; if anything ever did, it would get a
stand-in, not a result, so `install()` is only used when `model_needs_tensorflow` said no for
the model file the server is started with (`rasa_runtime/__main__.py`): its every component is on
the allow-list below. Any other start (training, a model folder) gets the real library.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import sys
import tarfile
import types
from abc import ABCMeta
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# The top-level packages of the TensorFlow family that Rasa 3.6 imports.
TENSORFLOW_PACKAGES = (
    "tensorflow",
    "tensorflow_addons",
    "tensorflow_hub",
    "tensorflow_text",
    "tensorflow_probability",
    "keras",
)

# Graph nodes of Rasa 3.6 that run without TensorFlow: an allow-list, so that a component we do
# not know (DIET, TED, ResponseSelector, ConveRT, a custom one …) gets the real library.
TENSORFLOW_FREE_COMPONENTS = frozenset(
    {
        "DefaultPolicyPredictionEnsemble",
        "NLUMessageConverter",
        "DomainProvider",
        "RuleOnlyDataProvider",
        "RegexMessageHandler",
        "WhitespaceTokenizer",
        "JiebaTokenizer",
        "SpacyTokenizer",
        "MitieTokenizer",
        "RegexFeaturizer",
        "LexicalSyntacticFeaturizer",
        "CountVectorsFeaturizer",
        "LogisticRegressionClassifier",
        "SklearnIntentClassifier",
        "KeywordIntentClassifier",
        "FallbackClassifier",
        "RegexEntityExtractor",
        "EntitySynonymMapper",
        "CRFEntityExtractor",
        "DucklingEntityExtractor",
        "MemoizationPolicy",
        "AugmentedMemoizationPolicy",
        "RulePolicy",
    }
)


class _StandIn(ABCMeta):
    """The metaclass of every stand-in: any attribute is another stand-in, a call returns the
    decorated function when used as a decorator, and a stand-in otherwise. ABCMeta as the base
    so that Rasa's classes mixing an ABC with a Keras base still have a consistent metaclass."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return stand_in(f"{cls.__qualname__}.{name}")

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 1 and not kwargs and callable(args[0]):
            return args[0]  # @tf.function, @register_keras_serializable
        if not args:
            return _identity_decorator  # @tf.function(jit_compile=True)
        return stand_in(f"{cls.__qualname__}(…)")

    # Constants such as tf.float32 appear in type unions and comparisons at import time.
    def __or__(cls, other: Any) -> Any:
        return cls

    __ror__ = __or__


def _identity_decorator(function: Any = None, *_args: Any, **_kwargs: Any) -> Any:
    return function


def stand_in(name: str) -> type:
    return _StandIn(name, (), {"__qualname__": name, "__module__": "tensorflow (not loaded)"})


class _StandInModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        value = stand_in(f"{self.__name__}.{name}")
        setattr(self, name, value)
        return value


class _StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, packages: Iterable[str]) -> None:
        self._packages = tuple(packages)

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname.split(".")[0] not in self._packages:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _StandInModule(spec.name)
        module.__path__ = []  # a package, so that `import tensorflow.keras.layers` works
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        pass


def model_components(model: Path) -> set[str]:
    """The class names in a trained model's prediction graph (its metadata.json)."""
    with tarfile.open(model) as archive:
        member = next(m for m in archive.getmembers() if m.name.lstrip("/") == "metadata.json")
        metadata = json.load(archive.extractfile(member))  # type: ignore[arg-type]
    nodes = metadata["predict_schema"]["nodes"].values()
    return {node["uses"].rsplit(".", 1)[-1] for node in nodes}


def model_needs_tensorflow(model: Path) -> bool:
    return not model_components(model) <= TENSORFLOW_FREE_COMPONENTS


def install() -> None:
    """Stand-ins for the TensorFlow family, for this process. Call before importing Rasa."""
    loaded = [name for name in sys.modules if name.split(".")[0] in TENSORFLOW_PACKAGES]
    if loaded:
        raise RuntimeError(f"TensorFlow is already imported ({loaded[0]}); install() comes first")
    sys.meta_path.insert(0, _StandInFinder(TENSORFLOW_PACKAGES))
