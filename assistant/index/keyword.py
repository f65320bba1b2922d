"""BM25 over jieba tokens (``bm25s``), built in memory from the catalog's committed chunks."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from pathlib import Path

import bm25s
import jieba
import numpy as np

from assistant.text.sentences import split_sentences

jieba.setLogLevel(logging.WARNING)
logging.getLogger("bm25s").setLevel(logging.WARNING)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _load_glossary() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(all terms lower-cased, Chinese terms) per concept line of glossary.txt."""
    concepts = []
    for line in (Path(__file__).with_name("glossary.txt")).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            terms = tuple(t.strip() for t in line.split("|") if t.strip())
            concepts.append((tuple(t.lower() for t in terms), tuple(t for t in terms if _CJK.search(t))))
    return concepts


_GLOSSARY = _load_glossary()
for _terms, _chinese in _GLOSSARY:
    for _word in _chinese:
        jieba.add_word(_word)

_STOPWORDS = frozenset(
    "的 了 和 与 及 是 在 为 有 对 中 等 或 把 被 其 之 也 都 而 并 又 就 将 从 以 于 由 个 年 度 "
    "多少 什么 哪些 哪个 几 如何 怎么 怎样 是否 吗 呢 呀 吧 请问 请 一下 情况 "
    "the a an of to in on for and or is are was were what which how many much does do did be by with "
    "as at it its this that from".split())
_TOKEN = re.compile(r"[\w.%]+", re.UNICODE)


@lru_cache(maxsize=4096)
def _cut(word: str) -> tuple[str, ...]:
    return tuple(jieba.cut_for_search(word))


def tokenize(text: str) -> list[str]:
    """Search tokens: jieba words (search mode, so long words also yield their parts), numbers kept
    whole (``96.81``), lower-cased English, stop words and punctuation dropped."""
    tokens: list[str] = []
    for span in _TOKEN.findall(text.lower()):
        for token in _cut(span):
            token = token.strip("._%")
            if token and token not in _STOPWORDS:
                tokens.append(token)
    return tokens


def expand_query(query: str) -> str:
    """The query plus the Chinese terms of every glossary concept it names (English or Chinese)."""
    lowered = query.lower()
    extra = [chinese for terms, chinese in _GLOSSARY
             if any((term in lowered) if _CJK.search(term) else re.search(rf"\b{re.escape(term)}\b", lowered)
                    for term in terms)]
    return " ".join([query, *(t for group in extra for t in group)])


def _windows(text: str, size: int = 2) -> list[str]:
    """Overlapping windows of ``size`` consecutive sentences (a short text is one window)."""
    sentences = [s for s in split_sentences(text, clauses=True) if s.strip()]
    if len(sentences) <= size:
        return [text]
    return ["".join(sentences[i:i + size]) for i in range(len(sentences) - size + 1)]


class KeywordIndex:
    """BM25 over short sentence windows; a passage scores as its best window plus a share of its
    whole-passage score, so a fact stated in one sentence of a long passage is not diluted."""

    def __init__(self, texts: list[str], headers: list[str] | None = None, passage_share: float = 0.3) -> None:
        self.size = len(texts)
        self.passage_share = passage_share
        headers = headers or [""] * len(texts)
        windows, owners = [], []
        for i, (header, text) in enumerate(zip(headers, texts)):
            for window in _windows(text):
                windows.append(tokenize(f"{header}\n{window}") or ["∅"])
                owners.append(i)
        self._owners = np.asarray(owners, dtype=np.int64)
        self._windows = self._index(windows)
        self._passages = self._index([tokenize(f"{h}\n{t}") or ["∅"] for h, t in zip(headers, texts)])

    @staticmethod
    def _index(corpus: list[list[str]]) -> bm25s.BM25 | None:
        if not corpus:
            return None
        bm25 = bm25s.BM25()
        bm25.index(corpus, show_progress=False)
        return bm25

    @staticmethod
    def _scores(bm25: bm25s.BM25, query_tokens: list[str], size: int) -> np.ndarray:
        tokens = [t for t in query_tokens if t in bm25.vocab_dict]
        return np.asarray(bm25.get_scores(tokens), dtype=np.float64) if tokens else np.zeros(size)

    def scores(self, query: str) -> np.ndarray:
        if not self.size:
            return np.zeros(0)
        tokens = tokenize(expand_query(query))
        best = np.zeros(self.size)
        np.maximum.at(best, self._owners, self._scores(self._windows, tokens, len(self._owners)))
        return best + self.passage_share * self._scores(self._passages, tokens, self.size)
