"""FAQ retrieval: normalized text, jieba words, BM25; and the answer-or-clarify decision.

An entry scores by its best-matching question variant (or title), plus the entry as a whole
(title and all variants as one text, weighted most: a worker's story often touches several
variants) and, weighted least, its answer text. The index is built once; a query then costs a
tokenization and a walk over a few posting lists.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import jieba

from desk.legal.faq import FaqEntry

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_CHARACTER_MARK = "字:"

# Words that say how something is asked, not what: dropping them keeps a polite or chatty
# question from looking less covered than a terse one.
_STOPWORD_LIST = """
    的 了 吗 呢 啊 吧 呀 哦 嘛 么 啦 哈 喔 噢 哎 唉 嗯 额 呃 之 着 过 得 地 所 以 及 等
    是 在 我 我们 你 你们 您 他 她 它 他们 她们 咱们 自己 人家 这 那 这个 那个 这样 那样 这种
    有 就 都 也 还 又 再 和 跟 与 或 或者 而 但 但是 可是 如果 要是 因为 所以 然后 就是 还是
    请问 问 问问 问一下 一下 想 想问 想知道 你好 您好 老师 谢谢 麻烦 帮忙看看 请教
    怎么 怎么办 咋办 咋整 怎么样 怎样 如何 什么 啥 为啥 为什么 多少 几 哪 哪里 哪儿 咋 是不是
    能 能不能 可以 可不可以 会 会不会 要 要不要 应该 该 应当 需要 得 行 行不行 合法 算不算 算
    给 被 把 对 让 叫 说 讲 个 一个 些 一些 现在 已经 一直 突然 这边 那边 里 上 下 中 后 前
"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())


# A message this long is a story; its asking sentences are searched once more on their own.
_STORY_CHARS = 40
_SENTENCE_END = re.compile(r"[。！!？?；;\n]+")
_ASKING = re.compile(r"请问|吗|么|呢|[?？]|怎么|咋|多少|能不能|可不可以|是否|有没有|该|谁|哪")


def asked_part(story: str) -> str:
    """The last two sentences of a story that ask something, or "" when none does."""
    asking = [part for part in _SENTENCE_END.split(story) if _ASKING.search(part)]
    return "，".join(asking[-2:])


@dataclass(frozen=True)
class SearchWeights:
    """How the three kinds of text add up, and the BM25 constants (tuned with eval_faq.py)."""

    variant: float = 1.0
    entry: float = 2.0
    answer: float = 0.5
    k1: float = 1.6
    b: float = 0.75


@dataclass(frozen=True)
class Hit:
    entry: FaqEntry
    score: float
    coverage: float  # 0..1, how much of the best-matching question variant the query contains
    matched: str  # the question variant (or title) that matched best


class WordSplitter:
    """jieba words plus single characters, with the labour-law user dictionary loaded once.

    The characters make the search forgiving: 摔了一跤 still meets 摔伤, and a typo such as
    加版费 keeps 加 and 费. They are marked so that a one-character word stays distinct.
    """

    def __init__(self, user_dictionary: Path | None) -> None:
        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        if user_dictionary is not None:
            self._jieba.load_userdict(str(user_dictionary))

    def __call__(self, normalized_text: str) -> list[str]:
        words = [w for w in self._jieba.lcut(normalized_text) if w.strip() and w not in STOPWORDS]
        characters = [
            _CHARACTER_MARK + char
            for run in _HAN_RUN.findall(normalized_text)
            for char in run
            if char not in STOPWORDS
        ]
        return words + characters


class Bm25:
    """Okapi BM25 over pre-tokenized documents, with an inverted index."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float, b: float) -> None:
        self.size = len(documents)
        lengths = [len(document) for document in documents]
        average = sum(lengths) / self.size if self.size else 1.0
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for doc_id, document in enumerate(documents):
            norm = k1 * (1 - b + b * lengths[doc_id] / average)
            for term, count in Counter(document).items():
                # The term-frequency part of BM25 depends only on the document: precompute it.
                postings[term].append((doc_id, count * (k1 + 1) / (count + norm)))
        self._postings = MappingProxyType(dict(postings))
        self._idf = MappingProxyType(
            {term: self._idf_for(len(hits)) for term, hits in postings.items()}
        )

    def _idf_for(self, document_frequency: int) -> float:
        return math.log(1 + (self.size - document_frequency + 0.5) / (document_frequency + 0.5))

    def idf(self, term: str) -> float:
        """Unknown words weigh like the rarest: they are information the index cannot match."""
        return self._idf.get(term) or self._idf_for(0)

    def scores(self, terms: Iterable[str]) -> dict[int, float]:
        totals: dict[int, float] = defaultdict(float)
        for term, count in Counter(terms).items():
            weight = self._idf.get(term, 0.0) * count
            for doc_id, term_part in self._postings.get(term, ()):
                totals[doc_id] += weight * term_part
        return totals


@dataclass(frozen=True)
class FaqIndex:
    entries: tuple[FaqEntry, ...]
    normalize: Callable[[str], str]
    split: Callable[[str], list[str]]
    weights: SearchWeights
    _variants: Bm25
    _variant_owner: tuple[int, ...]  # variant doc id → entry position
    _variant_text: tuple[str, ...]
    _variant_words: tuple[frozenset[str], ...]
    _whole: Bm25  # one document per entry: title and every question variant
    _answers: Bm25

    def words(self, text: str) -> list[str]:
        return self.split(self.normalize(text))

    def search(self, query: str, limit: int = 5) -> list[Hit]:
        """The best entries for a query, best first; entries matching no word are left out.

        A long story is searched twice and the scores added: whole, and by the sentences that
        ask (请问…能要多少): the facts say what happened, the question says which answer is
        wanted, and many facts must not drown it.
        """
        words = self.words(query)
        if not words:
            return []
        scores = self._scores(words)
        question = asked_part(query) if len(query) >= _STORY_CHARS else ""
        if question:
            for position, (score, _) in self._scores(self.words(question)).items():
                total, doc_id = scores.get(position, (0.0, -1))
                scores[position] = (total + score, doc_id)
        ranked = sorted(scores.items(), key=lambda item: item[1][0], reverse=True)
        distinct = set(words)
        return [
            Hit(
                entry=self.entries[position],
                score=score,
                coverage=self._coverage(distinct, doc_id),
                matched=self._variant_text[doc_id] if doc_id >= 0 else "",
            )
            for position, (score, doc_id) in ranked[:limit]
        ]

    def _scores(self, words: list[str]) -> dict[int, tuple[float, int]]:
        """Entry position → (score, its best-matching variant's doc id, -1 for none)."""
        best_variant: dict[int, tuple[float, int]] = {}
        for doc_id, score in self._variants.scores(words).items():
            owner = self._variant_owner[doc_id]
            if score > best_variant.get(owner, (0.0, -1))[0]:
                best_variant[owner] = (score, doc_id)
        whole, answers = self._whole.scores(words), self._answers.scores(words)
        scores = {}
        for position in best_variant.keys() | whole.keys() | answers.keys():
            variant_score, doc_id = best_variant.get(position, (0.0, -1))
            score = (
                self.weights.variant * variant_score
                + self.weights.entry * whole.get(position, 0.0)
                + self.weights.answer * answers.get(position, 0.0)
            )
            scores[position] = (score, doc_id)
        return scores

    def _coverage(self, words: set[str], doc_id: int) -> float:
        """Share of the best question variant's information (idf mass) found in the query.

        Measured from the variant's side so that a long story that contains the whole of a
        known question still counts as a clear match.
        """
        if doc_id < 0:
            return 0.0
        variant = self._variant_words[doc_id]
        total = sum(self._variants.idf(word) for word in variant)
        covered = sum(self._variants.idf(word) for word in variant & words)
        return covered / total if total else 0.0


DEFAULT_WEIGHTS = SearchWeights()


def build_index(
    entries: Sequence[FaqEntry],
    normalize: Callable[[str], str],
    split: Callable[[str], list[str]],
    weights: SearchWeights = DEFAULT_WEIGHTS,
) -> FaqIndex:
    def words(text: str) -> list[str]:
        return split(normalize(text))

    variant_docs: list[list[str]] = []
    owners: list[int] = []
    texts: list[str] = []
    for position, entry in enumerate(entries):
        for text in (entry.title, *entry.questions):
            variant_docs.append(words(text))
            owners.append(position)
            texts.append(text)
    whole_docs = [words(" ".join((entry.title, *entry.questions))) for entry in entries]
    answer_docs = [words(entry.answer) for entry in entries]
    return FaqIndex(
        entries=tuple(entries),
        normalize=normalize,
        split=split,
        weights=weights,
        _variants=Bm25(variant_docs, weights.k1, weights.b),
        _variant_owner=tuple(owners),
        _variant_text=tuple(texts),
        _variant_words=tuple(frozenset(document) for document in variant_docs),
        _whole=Bm25(whole_docs, weights.k1, weights.b),
        _answers=Bm25(answer_docs, weights.k1, weights.b),
    )


# --- answer or ask back -------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionPolicy:
    """When the best hit is answered, and when the desk asks back instead.

    A worker wants the answer: the best entry is answered when it is plausible (it covers enough
    of its closest question variant) and no runner-up on a *different matter* comes close. A
    runner-up on the same matter (same topic, a cited article in common) holds the answer back
    only when it leads by sibling_margin — calibrated to 0: on one matter, the answer with the
    other as a "您可能还想问" button serves better than a choice. Calibrated on the held-out chat
    sets with scripts/eval_calibrate.py (answered right against answered wrong, on all three
    sets); below min_option_coverage nothing matches and no topic is offered.
    """

    min_coverage: float = 0.3
    min_margin: float = 0.06  # relative lead of the best score over a rival on another matter
    sibling_margin: float = 0.0  # … and over a runner-up on the same matter
    # A runner-up is a rival only when it covers its own closest question nearly as well as the
    # best does: one that scores close on a few shared words (喝了酒上班摔伤 vs 哪天开始上班)
    # is no second reading of the question.
    rival_coverage: float = 0.7
    min_option_coverage: float = 0.2  # weaker entries are not worth a button
    options: int = 3


@dataclass(frozen=True)
class Answer:
    hit: Hit
    runners_up: tuple[Hit, ...]  # offered as "您可能还想问"


@dataclass(frozen=True)
class Clarification:
    """The bot is unsure: it shows these closest entries (possibly none) and offers a human."""

    options: tuple[Hit, ...]


Decision = Answer | Clarification


DEFAULT_POLICY = DecisionPolicy()


def same_matter(one: FaqEntry, other: FaqEntry) -> bool:
    """Two entries about one matter: the same topic and an article in common (试用期多久 and
    试用期只能约定一次). Answering either with the other as a button is no wrong answer."""
    return one.topic == other.topic and bool(set(one.citations) & set(other.citations))


def margin(best: Hit, other: Hit) -> float:
    """How far the best hit leads another, relative to its score."""
    return (best.score - other.score) / best.score if best.score > 0 else 0.0


def decide(hits: Sequence[Hit], policy: DecisionPolicy = DEFAULT_POLICY) -> Decision:
    closest = [hit for hit in hits[: policy.options] if hit.coverage >= policy.min_option_coverage]
    if not hits or not closest:
        return Clarification(())  # nothing matches
    best = hits[0]
    rivals = [
        other
        for other in hits[1 : policy.options]
        if margin(best, other)
        < (policy.sibling_margin if same_matter(best.entry, other.entry) else policy.min_margin)
        and other.coverage >= policy.rival_coverage * best.coverage
    ]
    if best.coverage >= policy.min_coverage and not rivals:
        return Answer(best, tuple(hit for hit in closest if hit is not best))
    if len(closest) == 1 and len(hits) > 1:
        closest = list(hits[:2])  # asking back means offering a choice
    return Clarification(tuple(closest))
