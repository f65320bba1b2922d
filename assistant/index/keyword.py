"""BM25 over jieba tokens (``bm25s``), built in memory from the catalog's committed chunks. The domain
vocabulary (``assistant/domain/terms.toml``) adds its Chinese terms to jieba's dictionary (so 生师比 or
毕设指导教师 stay one token; a term with Latin letters also lower-cased, as text is cut lower-cased: CTI认证,
CELTA教师 and QS前 were cut apart, fourth corpus tuned MRR@10 0.922 → 0.927 with 法国工程师认证 = CTI认证,
every hit unchanged) and expands queries with the terms of the concepts they name. An English
question's other words are read through a Chinese–English dictionary (:mod:`assistant.domain.glossary`):
bench/retrieval.py, hybrid, second corpus tuned hit@1 0.950 → 0.975, third corpus hit@5 tuned
0.946 → 0.973 and untuned 0.913 → 0.957, every other split unchanged. Staff wordings meet report
wordings through the vocabulary (老师 = 教师, 雇主 = 用人单位 as ``[search]`` equivalents; 进账 收入, 收支相抵
结余, 学生与老师的比例 生师比 as synonyms) and full-width digits are read as ASCII (:data:`_HALF_WIDTH`): with
the text loader's column tables and the PDF's running head dropped, fifth corpus tuned hit@1 0.674 → 0.721,
hit@5 0.837 → 0.860, every other split unchanged."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import bm25s
import jieba
import numpy as np

from assistant.domain import glossary, vocabulary
from assistant.text.numbering import numbered_start
from assistant.text.numbers import FULLWIDTH
from assistant.text.sentences import split_sentences
from assistant.text.tables import is_table_line


jieba.setLogLevel(logging.WARNING)
logging.getLogger("bm25s").setLevel(logging.WARNING)
_CJK = re.compile(r"[\u4e00-\u9fff]")


for _word in vocabulary().chinese_terms():
    jieba.add_word(_word)
    if _word.lower() != _word:  # text is cut lower-cased: CTI认证, CELTA教师, QS前 must stay one token as written there
        jieba.add_word(_word.lower())

_STOPWORDS = vocabulary().index_stopwords
_TOKEN = re.compile(r"[\w.%]+", re.UNICODE)


@lru_cache(maxsize=4096)
def _cut(word: str) -> tuple[str, ...]:
    return tuple(jieba.cut_for_search(word))


_HALF_WIDTH = {**{c: v for c, v in FULLWIDTH.items() if chr(c) in "０１２３４５６７８９．％"},  # the figures' table
               **{c: c - 0xFEE0 for c in range(ord("Ａ"), ord("Ｚ") + 1)},
               **{c: c - 0xFEE0 for c in range(ord("ａ"), ord("ｚ") + 1)}}
"""Full-width digits and letters as ASCII (``９５．２％`` → ``95.2%``): a report typed with a Chinese input
method's full-width mode writes them so, and a question typed in ASCII must meet them (bench/corpus5's
2023 .txt). Search tokens only: passages keep the figures as written."""


def tokenize(text: str) -> list[str]:
    """Search tokens: jieba words (search mode, so long words also yield their parts), numbers kept
    whole (``96.81``, full-width digits read as ASCII), lower-cased English, stop words and punctuation
    dropped."""
    tokens: list[str] = []
    for span in _TOKEN.findall(text.translate(_HALF_WIDTH).lower()):
        for token in _cut(span):
            token = token.strip("._%")
            if token and token not in _STOPWORDS:
                tokens.append(token)
    return tokens


EXPANSION_WEIGHT = 0.5
"""Weight of the vocabulary's other wordings of a concept the query names, against the query's own words.
A question without Chinese characters has no own words that match Chinese passages but its numbers,
so its expansion counts fully: at half weight, "What were the student-teacher ratios from 2020 to
2023?" ranked passages that merely say "2020" above the one with 生师比 (bench/retrieval.py, range set)."""


TRANSLATION_WEIGHT = 0.5
"""Weight of the dictionary's Chinese words for an English question's words (:meth:`KeywordIndex._translated`)
against the vocabulary's wordings of the concepts it names (weight 1 for such a question): a
dictionary word is one of many senses, a vocabulary term is what reports write. Words the vocabulary
names are not translated (:func:`_unnamed`): the dictionary's "suggestions" (提示, 贴士 …) beside the
vocabulary's 意见建议 only add noise."""


_DOCUMENT_REFERENCE = re.compile(
    r"(?:(?:自评|年度)?报告|文件|材料)(?:里|中|上|内)?(?:面)?(?:提到|提及|写到|说到|讲到|列出|指出|谈到)(?:了)?"
    r"|(?:(?:自评|年度)?报告|文件|材料)(?:里|中|里面)")
"""How a question points at the document it asks about (2024年报告里提到项目有哪些不足): the words say where to
look, not what, and every cover page says 报告 (bench/corpus5: the 2024 cover ranked first)."""


def without_document_reference(query: str) -> str:
    """``query`` without the words that point at the document itself (报告里提到, 文件中)."""
    return _DOCUMENT_REFERENCE.sub(" ", query)


def equate(text: str) -> str:
    """``text`` with each wording of a group the vocabulary equates read as the group's first
    (``[search] equivalents``: 2024年底 → 2024年末), so a passage and a question writing it either way meet."""
    for word, canonical in vocabulary().equivalents:
        text = text.replace(word, canonical)
    return text


def expansion_terms(query: str) -> list[str]:
    """Whole vocabulary terms (one token each) of the concepts the query names, minus the query's own."""
    own = set(tokenize(query))
    return [t.lower() for t in vocabulary().expansion(query)
            if _TOKEN.fullmatch(t.lower()) and t.lower() not in own and t.lower() not in _STOPWORDS]


def _unnamed(query: str) -> str:
    """The query without the words naming a concept of the vocabulary (their wordings are expanded
    from the vocabulary, which knows what reports write): what is left for the dictionary."""
    for start, end, _ in reversed(vocabulary().mentions(query, topics=True)):
        query = f"{query[:start]} {query[end:]}"
    return query


def _translations(query: str) -> list[tuple[str, tuple[str, ...]]]:
    """The dictionary's Chinese words for the query's words the vocabulary does not name, each read
    through the ``[search]`` equivalents as passages are indexed (employer → 雇主 → 用人单位; teacher → 老师
    → 教师): the index holds no 雇主 at all, so "How did employer satisfaction change…" lost its
    employer (bench/retrieval.py fifth corpus tuned every-year@5 0.889 → 1.000)."""
    return [(english, tuple(dict.fromkeys(equate(w) for w in words)))
            for english, words in glossary.translations(_unnamed(query))]


def sentence_windows(text: str, size: int = 2) -> list[str]:
    """Overlapping windows of ``size`` consecutive sentences (a short text is one window). A window of
    list items (（一）… 1. …) also holds the sentence that introduces the list ("…提交下列材料："):
    it says what every item is about, and a question names both ("申请设立…合作协议需要写明哪些内容"; law
    set, tuned split: hybrid hit@1 0.868 → 0.895, BM25 alone 0.605 → 0.632, other sets unchanged).
    Likewise a window of table rows holds the table's header row: a row alone (| 物流管理 | 60 | 60 | — |)
    says neither what its figures count nor that the row is a 专业, and its header does (| 专业 | 招生（人）
    | 在校生（人） | …); a question names the row and the column ("物流管理专业第一年招了多少学生": rank 9 → 6;
    bench/retrieval.py, untuned splits hit@1 second corpus 0.850 → 0.900, third 0.739 → 0.783, every
    tuned split unchanged)."""
    sentences = [s for s in split_sentences(text, clauses=True) if s.strip()]
    if len(sentences) <= size:
        return [text]
    leads: list[str | None] = []
    lead = None
    header = None  # the header row of the table the sentence is a row of
    for i, sentence in enumerate(sentences):
        if is_table_line(sentence):
            first = i == 0 or not is_table_line(sentences[i - 1])
            header = sentence if first else header
            leads.append(None if first else header)
            continue
        header = None
        leads.append(lead if numbered_start(sentence) else None)
        if numbered_start(sentence) and lead is not None:
            continue  # the list goes on
        nxt = sentences[i + 1] if i + 1 < len(sentences) else ""
        lead = sentence if sentence.rstrip().endswith(("：", ":")) and numbered_start(nxt) else None
    out = []
    for i in range(len(sentences) - size + 1):
        window = "".join(sentences[i:i + size])
        out.append(f"{leads[i]}{window}" if leads[i] else window)
    return out


_TABLE_START = re.compile(r"\s*\|")
_LEAD_IN = re.compile(r"下表|如下|[：:]\s*$")


def table_lead(previous: str | None, text: str) -> str:
    """The sentence that introduces a table chunk, when the chunker left it in the chunk before: a pipe
    table's cells name neither what is counted nor whose it is ("| 35岁及以下 | 22 |"), the sentence
    leading into it does ("年龄分布如下表所示，36至45岁的中青年教师是教学主力。", "…获奖101人次，按级别
    统计如下："). The last sentence of ``previous`` when it says 下表 / 如下 or ends with a colon, else its
    last sentence naming 下表; "" when ``text`` is no table or nothing introduces it. A numbered caption
    (表 1  2021 年学生学科竞赛获奖情况) is a title, not a lead-in: the prose citing it (…获奖 258 人次（见
    表 1）) states the headline figure, and the title on the table's vector made the table outrank it
    (bench/retrieval.py, sample corpus tuned hit@1 1.000 → 0.973)."""
    if not previous or not _TABLE_START.match(text):
        return ""
    sentences = [s.strip() for s in split_sentences(previous) if s.strip() and not _TABLE_START.match(s)]
    if sentences and _LEAD_IN.search(sentences[-1]):
        return sentences[-1]
    return next((s for s in reversed(sentences) if "下表" in s), "")


def table_leads(chunks: list) -> list[str]:
    """:func:`table_lead` of each chunk (chunks in document order): the chunk before it of the same
    document and section introduces it."""
    out = []
    for i, c in enumerate(chunks):
        before = chunks[i - 1] if i else None
        same = before is not None and before.source == c.source and before.section == c.section
        out.append(table_lead(before.text if same else None, c.text))
    return out


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def bigrams(text: str) -> list[str]:
    """Overlapping character pairs of the Chinese runs of ``text`` (``国内深造率`` → 国内 内深 深造 造率)."""
    return [run[i:i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)]


class KeywordIndex:
    """BM25 over short sentence windows; a passage scores as its best window plus a share of its
    whole-passage score, so a fact stated in one sentence of a long passage is not diluted.

    Two channels of the same shape: jieba words, and Chinese character pairs. jieba cuts the same
    phrase differently in different contexts (国内外读研深造率 has no 国内深造率 token path that tells it
    from the passage stating 国内深造率24.3%), while the pairs of a phrase are the same wherever it is
    written; the pair score, scaled to the best word score, is added at equal weight (bench/retrieval.py:
    BM25 alone hit@1 on the tuned splits 0.968 → 1.000 real report, 0.676 → 0.730 sample, 0.553 → 0.605
    law; hybrid 0.935 → 0.968 real report, the other sets unchanged). An English question has no Chinese
    characters of its own: its pairs are those of the Chinese wordings it is read as (the vocabulary's
    terms of the concepts it names and :meth:`gloss`), law set tuned hybrid hit@1 0.921 → 0.947 (a
    question on how often a programme's quality is evaluated), every other split unchanged.
    """

    def __init__(self, texts: list[str], headers: list[str] | None = None, passage_share: float = 0.3) -> None:
        self.size = len(texts)
        self.passage_share = passage_share
        headers = headers or [""] * len(texts)
        windows, owners = [], []
        for i, (header, text) in enumerate(zip(headers, texts)):
            for window in sentence_windows(text):
                windows.append(f"{header}\n{window}")
                owners.append(i)
        windows = [equate(w) for w in windows]
        passages = [equate(f"{h}\n{t}") for h, t in zip(headers, texts)]
        self._owners = np.asarray(owners, dtype=np.int64)
        self._words = (self._index([tokenize(w) or ["∅"] for w in windows]),
                       self._index([tokenize(p) or ["∅"] for p in passages]))
        self._pairs = (self._index([bigrams(w) or ["∅"] for w in windows]),
                       self._index([bigrams(p) or ["∅"] for p in passages]))

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

    def _scored(self, tokens: list[str], channel: tuple[bm25s.BM25, bm25s.BM25]) -> np.ndarray:
        windows, passages = channel
        best = np.zeros(self.size)
        if tokens:
            np.maximum.at(best, self._owners, self._scores(windows, tokens, len(self._owners)))
            best += self.passage_share * self._scores(passages, tokens, self.size)
        return best

    def _translated(self, query: str) -> np.ndarray:
        """For a question without Chinese characters: per English word or phrase the dictionary
        defines (:func:`assistant.domain.glossary.translations`), the best score of one of its Chinese
        words, summed over the words: twelve wordings of "keep" count as one word, not twelve."""
        total = np.zeros(self.size)
        for _, words in _translations(query):
            tokens = {t for word in words for t in tokenize(word)}
            best = np.zeros(self.size)
            for token in tokens:
                if token in self._words[0].vocab_dict:
                    np.maximum(best, self._scored([token], self._words), out=best)
            total += best
        return total

    def gloss(self, query: str) -> list[str]:
        """For a question without Chinese characters: per English word or phrase the dictionary defines,
        the one of its Chinese words most passages here write (a word of the index, by document
        frequency): "suggestions" → 意见 rather than 贴士, "implemented" → 落实 in reports that say so."""
        if _CJK.search(query) or not self.size:
            return []
        passages = self._words[1]
        indptr = passages.scores["indptr"]
        out = []
        for _, words in _translations(query):
            known = [(int(indptr[i + 1] - indptr[i]), w) for w in words
                     if (i := passages.vocab_dict.get(w)) is not None]
            if known:
                out.append(max(known, key=lambda fw: fw[0])[1])
        return list(dict.fromkeys(out))

    def scores(self, query: str, ignore: frozenset[str] = frozenset()) -> np.ndarray:
        """BM25 of the query's own tokens plus :data:`EXPANSION_WEIGHT` × BM25 of the other wordings of
        the concepts it names (whole terms, not split further), plus the character-pair score scaled
        to the best of those. Tokens in ``ignore`` are not scored (a year the search is filtered by)."""
        if not self.size:
            return np.zeros(0)
        weight = EXPANSION_WEIGHT if _CJK.search(query) else 1.0
        query = equate(without_document_reference(vocabulary().read_question(query)))  # 招了 → 招生, 满意吗 → 满意度: the words reports write
        words = self._scored([t for t in tokenize(query) if t not in ignore], self._words) + weight * self._scored(expansion_terms(query), self._words)
        if not _CJK.search(query):
            words = words + TRANSLATION_WEIGHT * self._translated(query)
        read = bigrams(query) if _CJK.search(query) else [
            p for word in (*expansion_terms(query), *self.gloss(query)) for p in bigrams(word)]
        pairs = self._scored(read, self._pairs)
        if pairs.max() > 0:
            words = words + pairs * (words.max() / pairs.max() if words.max() > 0 else 1.0)
        return words
