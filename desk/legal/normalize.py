"""Bringing a worker's wording and the FAQ's wording to one form before they are compared.

Steps: desk.common.text.fold (full-width → half-width, 繁体 → 简体, lower case), then worker
words → the canonical term (knowledge/synonyms.yml), then punctuation becomes a space. Queries
and FAQ text go through the same steps, so a rewrite never has to be "right", only consistent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from desk.common.text import fold

# Everything that is not a letter, digit, or CJK character separates words. "+" survives for N+1.
_SEPARATORS = re.compile(r"[^\w+]+")
_SPACES = re.compile(r"\s+")


class SynonymFileError(ValueError):
    """knowledge/synonyms.yml is missing, malformed, or maps one phrase two ways."""


@dataclass(frozen=True)
class Normalizer:
    """Rewrites each synonym to its canonical term; the longest phrase at a position wins."""

    replacements: Mapping[str, str]
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        phrases = sorted(self.replacements, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, phrases))) if phrases else None
        object.__setattr__(self, "_pattern", pattern)

    def __call__(self, text: str) -> str:
        text = fold(text)
        if self._pattern is not None:
            # A second pass catches chains such as 欠薪水 → 欠工资 → 欠薪.
            for _ in range(2):
                text = self._pattern.sub(lambda match: self.replacements[match.group(0)], text)
        return _SPACES.sub(" ", _SEPARATORS.sub(" ", text).replace("_", " ")).strip()


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a repeated key: PyYAML would silently keep only the last group."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        repeated = sorted({str(key) for key in keys if keys.count(key) > 1})
        if repeated:
            raise yaml.constructor.ConstructorError(
                None, None, f"repeated keys {repeated}", node.start_mark
            )
        return super().construct_mapping(node, deep=deep)


def load_normalizer(synonyms_file: Path) -> Normalizer:
    """Reads `canonical: [variants]` groups, plus `keep:` phrases that must not be rewritten."""
    try:
        # A SafeLoader subclass: as safe as yaml.safe_load.
        document = yaml.load(synonyms_file.read_text("utf-8"), Loader=_UniqueKeyLoader)
    except (OSError, yaml.YAMLError) as error:
        raise SynonymFileError(f"{synonyms_file}: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("synonyms"), dict):
        raise SynonymFileError(f"{synonyms_file}: expected a 'synonyms' mapping")
    replacements: dict[str, str] = {}

    def add(phrase: str, canonical: str) -> None:
        phrase, canonical = fold(str(phrase)), fold(str(canonical))
        if replacements.get(phrase, canonical) != canonical:
            raise SynonymFileError(f"{synonyms_file}: {phrase!r} maps to two canonical terms")
        replacements[phrase] = canonical

    for canonical, variants in document["synonyms"].items():
        add(canonical, canonical)  # so a longer canonical term is never rewritten by a variant
        for variant in variants or []:
            add(variant, canonical)
    # A phrase that contains a variant but means something else maps to itself.
    for phrase in document.get("keep") or []:
        add(phrase, phrase)
    return Normalizer(replacements)
