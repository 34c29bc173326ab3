"""The desk's legal knowledge: statutes, FAQ entries, search, calculators, rendered answers.

`get_knowledge()` loads everything under the knowledge directory once per process; adapters
(actions/, bot/) call it and the functions of the submodules, never the files directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from desk.legal.faq import FaqEntry, load_faq
from desk.legal.normalize import load_normalizer
from desk.legal.search import (
    DEFAULT_POLICY,
    DEFAULT_WEIGHTS,
    Decision,
    DecisionPolicy,
    FaqIndex,
    SearchWeights,
    WordSplitter,
    build_index,
    decide,
)
from desk.legal.statutes import StatuteLibrary, load_library
from desk.settings import get_settings


@dataclass(frozen=True)
class Knowledge:
    library: StatuteLibrary
    faq: tuple[FaqEntry, ...]
    index: FaqIndex
    policy: DecisionPolicy

    def ask(self, question: str) -> Decision:
        """Answer from the FAQ or ask back: what the FAQ action does with a worker's question."""
        return decide(self.index.search(question), self.policy)

    def entry(self, entry_id: str) -> FaqEntry | None:
        return next((entry for entry in self.faq if entry.id == entry_id), None)


def load_knowledge(
    knowledge_dir: Path,
    weights: SearchWeights = DEFAULT_WEIGHTS,
    policy: DecisionPolicy = DEFAULT_POLICY,
) -> Knowledge:
    library = load_library(knowledge_dir / "statutes")
    faq = load_faq(knowledge_dir / "faq", library)
    normalize = load_normalizer(knowledge_dir / "synonyms.yml")
    split = WordSplitter(knowledge_dir / "jieba" / "labour.txt")
    return Knowledge(library, faq, build_index(faq, normalize, split, weights), policy)


@lru_cache(maxsize=1)
def get_knowledge() -> Knowledge:
    return load_knowledge(get_settings().knowledge_dir)
