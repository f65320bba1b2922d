"""Hybrid retrieval: BM25 over jieba tokens fused with vector similarity (weighted sum of normalised
scores), honouring the constraints stated in the question itself:

- a year named in the question (``2019年``, ``2020 年度``, ``2020届``) restricts report passages to
  that year when the index has it, and is then no keyword: every candidate is that year's, so the
  year token only rewarded passages that happen to write it ("2023年，学院录取新生…" over the one
  answering "How did the college keep in touch with students studying in the UK in 2023?";
  bench/retrieval.py third corpus tuned hit@1 0.838 → 0.865, other tuned splits unchanged); a range or list of years (``2019—2021年``, ``2019届至2021届``,
  ``2019年和2020年``, ``from 2019 to 2021``, ``近三年`` = the latest three report years, ``历年`` / a trend
  (走势, 趋势) = every report year, ``三年走势`` = the latest three: :func:`assistant.text.years.spanned_years`;
  fifth corpus tuned hit@1 0.837 → 0.860, hit@5 0.930 → 0.953, every-year@5 0.778 → 0.889) returns
  every year's best passage first (ordered by score), then every year's second …: diversified by
  year, then by score, so that k = 5 holds every year of a three- or four-year question;
- an article the question names (``第二十一条``, ``第21条``, ``Article 21``) puts the chunks of that
  article first (the chunker keeps the article in every part's section path), whichever numerals
  either side writes; a regulation whose title the question names (``《…办法》``, ``…条例第五条``)
  puts that regulation first, before the article: with several regulations that all have a 第五条,
  the title decides which;
- a question asking which year (哪一年, 哪年, which year) prefers the passages stating a year, as a date
  question (什么时候, when) prefers those holding a date, both :data:`_DATE_BOOST` more (bench/retrieval.py
  third corpus tuned MRR@10 0.923 → 0.928, 学院哪一年开始招收…: rank 3 → 2; every hit unchanged);
- questions about rules (规定, 办法, 应当, must …) prefer the registry's rule types
  (:func:`assistant.domain.doctypes.rule_types`: regulations);
- a question asking for a figure (:func:`assistant.chains.lookup.is_figure_question`) prefers the
  passages holding a ledger fact of what it asks (:func:`assistant.chains.lookup.holds`: its concept
  or its own words, every scope value it states, a compatible unit, its year), 1.3 times its score
  per ask held: a passage saying 国际级 twice no longer outranks the one stating the 国家级 figure
  asked for (bench/retrieval.py: sample corpus tuned hit@1 0.946 → 1.000, unseen 0.891 → 0.909); a
  table cell of no concept (| 35岁及以下 | 22 |) takes the one its lead-in sentence names (年龄分布如下表所示，
  …中青年教师…), the sentence the chunker left in the chunk before, which the table's vectors are also
  embedded after (:func:`assistant.index.sync.vector_heads`; third corpus tuned hit@1 0.757 → 0.811).
- a question's spoken forms are read as the words reports write before its words are matched and its
  asks are read (:meth:`assistant.domain.vocabulary.Vocabulary.read_question`: 招了 → 招生, 满意吗 →
  满意度), on the keyword side and for the fact boost only (the embedding reads natural questions as
  asked), and only where the question names no such concept otherwise: rewriting 一共招了多少新生 (新生
  is 招生 already) let the 招生 table edge out the prose stating the figure (third corpus tuned hit@1
  0.865 → 0.838, with or without the vector side rewritten).
  bench/retrieval.py tuned: third corpus hit@5 0.973 → 1.000, fourth corpus hit@1 0.795 → 0.821.

Only chunks committed in the catalog are ever returned, so an interrupted ingest cannot leak
half-indexed documents, and the keyword and vector sides always agree.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from assistant.domain import doctypes, vocabulary
from assistant.figures.facts import Fact
from assistant.index.catalog import Catalog
from assistant.index.keyword import KeywordIndex, equate, expansion_terms, table_leads
from assistant.index.vector_store import VectorStore
from assistant.settings import Settings
from assistant.types import Chunk, SearchResult
from assistant.text.numbering import article_of_section, article_refs
from assistant.text.years import named_years, spanned_years, split_by_year, years_in

_RULE_WORDS = re.compile(
    r"规定|办法|条例|细则|章程|制度|要求|应当|应该|应在|应于|应占|必须|不得|须|是否允许|第.{1,3}条|"
    r"\b(?:rule|rules|regulation|regulations|must|required|requirement|allowed|deadline)\b", re.I)
_RULE_BOOST = 1.5
_WHEN_WORDS = re.compile(r"什么时候|何时|哪天|哪一天|几月|日期|截止|期限|\b(?:when|deadline|by what date)\b", re.I)
_DATE = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月(?:底|末|前)")
_DATE_BOOST = 1.3
_YEAR_WORDS = re.compile(r"哪一?年|哪个年份|什么年份|何年|\b(?:which|what) year\b|\bin what year\b", re.I)
"""A question asking which year (学院哪一年开始招收…专业学生) is answered by a passage stating a year:
such passages score :data:`_DATE_BOOST` more, as a date question's passages holding a date do."""
_FACT_BOOST = 1.3
"""A figure question's passages holding a fact of what it asks (:func:`assistant.chains.lookup.holds`)
score this much more, like a date question's passages holding a date (_DATE_BOOST)."""
_VECTOR_POOL = 2000
"""Nearest vectors fetched per query. A chunk has its own vector and one per sentence window (about
three on average), so 2,000 vectors reach several hundred chunks; chunks outside the pool score as
the least similar candidate."""


@dataclass(frozen=True)
class QueryIntent:
    years: tuple[int, ...]
    about_rules: bool
    about_dates: bool = False
    articles: tuple[int, ...] = ()
    about_year: bool = False


def parse_query(query: str) -> QueryIntent:
    """Years the question names (ranges expanded, in order), whether it asks about rules, whether
    it asks for a date (什么时候, deadline: passages holding a date are preferred) and the articles
    it names (第二十一条 and 第21条 are both 21)."""
    return QueryIntent(named_years(query), bool(_RULE_WORDS.search(query)), bool(_WHEN_WORDS.search(query)),
                       article_refs(query), bool(_YEAR_WORDS.search(query)))


_TITLE_MARKS = re.compile(r"[\s《》〈〉「」『』“”\"'·]")
_TITLE_NOTE = re.compile(r"[（(][^（）()]*[)）]")
_TITLE_MIN_CHARS = 3  # 教育法 is a title; shorter ones (章程, 通知) would match ordinary questions


def title_key(title: str) -> str:
    """A regulation's title as a question names it: no quotes or spaces, no notes in brackets
    (（示例）, （2021年修正）), no 中华人民共和国 before it."""
    return re.sub(r"^中华人民共和国", "", _TITLE_NOTE.sub("", _TITLE_MARKS.sub("", title)))


_BEFORE_ARTICLE = re.compile(r"([\u4e00-\u9fff]{2,30})第\s*[一二三四五六七八九十百千零〇两\d]+\s*条")


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _cited_by_ending(text: str, keys: dict[str, str]) -> set[str]:
    """Regulations a question cites by the end of their title before an article: ``条例第五条``,
    ``本办法第十条``, ``合作办学条例第十二条`` name the regulations whose title ends that way (the
    longest shared ending wins; it must end with a type word of the registry: 条例, 办法, 法 …)."""
    endings = tuple(w for t in doctypes.DOC_TYPES if t.boost_for_rules for w in t.title_suffixes)
    best: dict[str, int] = {}
    for m in _BEFORE_ARTICLE.finditer(text):
        run = m.group(1)
        for source, key in keys.items():
            n = _common_suffix(run, key)
            if n >= 2 and run[len(run) - n:].endswith(endings):  # 办法 vs 教育法 share only 法
                best[source] = max(best.get(source, 0), n)
    top = max(best.values(), default=0)
    return {source for source, n in best.items() if n == top}


def named_titles(query: str, keys: dict[str, str]) -> set[str]:
    """The sources whose title key the query names. A title found only inside a longer named title
    does not count (高等教育法 names 高等教育法, not also 教育法). Without a whole title, the ending
    of one right before an article (``条例第五条``) names the regulations whose titles end so."""
    text = _TITLE_MARKS.sub("", query)
    spans = {source: [m.span() for m in re.finditer(re.escape(key), text)]
             for source, key in keys.items() if len(key) >= _TITLE_MIN_CHARS}
    spans = {source: found for source, found in spans.items() if found}
    named = set()
    for source, found in spans.items():
        longer = [span for other, spans_ in spans.items() if len(keys[other]) > len(keys[source]) for span in spans_]
        if any(not any(a <= start and end <= b for a, b in longer) for start, end in found):
            named.add(source)
    return named or _cited_by_ending(text, keys)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def vector_query(query: str, gloss: list[str] | tuple[str, ...] = ()) -> str:
    """What the vector side embeds: the question, and for a question without Chinese characters the
    vocabulary's Chinese wordings of the concepts it names, as the keyword side counts them in full
    (:data:`assistant.index.keyword.EXPANSION_WEIGHT`). A sentence window matches an English question
    only across languages, weakly: "What were the student-teacher ratios from 2020 to 2023?" lost the
    2020 passage among 2020 windows that merely say 2020 (bench/retrieval.py, range set, tuned split:
    hit@5 0.938 → 1.000; unseen hit@1 0.882 → 0.891; real report untuned 1.000 → 0.909). ``gloss``
    adds, per other English word, the dictionary's Chinese word the passages write most
    (:meth:`assistant.index.keyword.KeywordIndex.gloss`: "How many foreign teachers…" → 外教 beside
    the vocabulary's 外方教师; second corpus tuned hit@1 0.950 → 0.975)."""
    if _CJK.search(query):
        return query
    terms = list(dict.fromkeys([t for t in expansion_terms(query) if _CJK.search(t)] + list(gloss)))
    return f"{query}\n{'、'.join(terms)}" if terms else query


@dataclass(frozen=True)
class _Snapshot:
    """Everything derived from one catalog generation, swapped in whole so a search running while an
    ingest commits never mixes arrays of two generations."""

    generation: int
    chunks: list[Chunk]
    position: dict[str, int]
    years: np.ndarray
    is_report: np.ndarray
    types: np.ndarray
    has_date: np.ndarray
    keyword: KeywordIndex
    sources: np.ndarray
    articles: np.ndarray  # article number of each chunk's section path, -1 when none
    title_keys: dict[str, str]  # source → title key, for documents of the rule types
    mentions: list[frozenset[int]]  # years each chunk's text names
    facts: dict[str, list[tuple[int, Fact]]]  # concept id ("" for none) → (chunk position, ledger fact)

    @classmethod
    def build(cls, generation: int, chunks: list[Chunk], titles: dict[str, str] | None = None,
              facts: list[Fact] | None = None) -> _Snapshot:
        rules = set(doctypes.rule_types())
        rule_sources = {c.source for c in chunks if c.doc_type in rules}
        articles = [article_of_section(c.section) for c in chunks]
        position = {c.id: i for i, c in enumerate(chunks)}
        leads = table_leads(chunks)
        by_metric: dict[str, list[tuple[int, Fact]]] = {}
        for fact in facts or []:
            if fact.chunk_id in position:
                fact = _led(fact, leads[position[fact.chunk_id]])
                by_metric.setdefault(fact.metric or "", []).append((position[fact.chunk_id], fact))
        return cls(generation, chunks, position,
                   np.array([c.year if c.year is not None else -1 for c in chunks]),
                   np.isin(np.array([c.doc_type for c in chunks], dtype=object), doctypes.dated_types()),
                   np.array([c.doc_type for c in chunks], dtype=object),
                   np.array([bool(_DATE.search(c.text)) for c in chunks], dtype=bool),
                   KeywordIndex([c.text for c in chunks], [c.section for c in chunks]),
                   np.array([c.source for c in chunks], dtype=object),
                   np.array([a if a is not None else -1 for a in articles]),
                   {source: title_key(title) for source, title in (titles or {}).items() if source in rule_sources},
                   [frozenset(years_in(c.text)) for c in chunks], by_metric)


def _led(fact: Fact, lead: str) -> Fact:
    """A table cell of no concept (``| 35岁及以下 | 22 |`` under 年龄段 / 人数) takes the one concept the
    sentence introducing the table names in a unit of the cell (年龄分布如下表所示，…的中青年教师… → 教师)
    when its row is a part of it (an age band, a level, a side …), so that a figure question finds the
    table holding what it asks (:func:`_holding`). A row of no scope is an item of its own (支出项目:
    外方教学服务费), not a part of 支出: "每年的总支出" is not held by the item table."""
    if fact.metric or not lead or not fact.scope:
        return fact  # a row naming an item of its own (| 外方教学服务费 | 1400 |) is not the concept: only parts are
    concepts = {c.id for _, _, c in vocabulary().mentions(lead) if not fact.unit or c.accepts(fact.unit)}
    return replace(fact, metric=concepts.pop()) if len(concepts) == 1 else fact


def _holding(snap: _Snapshot, question: str, year: int | None = None) -> np.ndarray | None:
    """For a figure question, the share of its asks (:func:`assistant.chains.lookup.asks`) each chunk
    holds a ledger fact of (:func:`assistant.chains.lookup.holds`); None for other questions. A question
    naming the row label of a held table fact (物流管理专业…招了多少学生: | 物流管理 | 60 | under 招生（人）)
    asks for that item: only facts whose own sentence or row names it hold, not the whole's 共录取新生320人
    (bench/retrieval.py: that question's top passage 3.23 → 2.48 against the row's 2.34, still rank 2;
    every hit and MRR unchanged on every set)."""
    from assistant.chains import lookup  # the answer chain imports this module

    if not lookup.is_figure_question(question):
        return None
    asked = lookup.asks(equate(vocabulary().read_question(question)), year)  # 招了 → 招生, 合格率 → 通过率: what reports write
    if not asked:
        return None
    vocab = vocabulary()
    asked_text = _squash(question)
    counting = bool(_COUNT_WORDS.search(question))  # how many teachers: a count, not a share of them
    held = np.zeros(len(snap.chunks))
    for ask in asked:
        if ask.concept is None:
            pool = [pf for facts in snap.facts.values() for pf in facts]
        else:
            metrics = [ask.concept, *(m for m in snap.facts if m and vocab.is_part_of(m, ask.concept))]
            pool = [pf for m in (*metrics, "") for pf in snap.facts.get(m, ())]
        found = [(i, fact) for i, fact in pool if lookup.holds(ask, fact) and not (counting and fact.unit == "%")]
        rows = {label for _, fact in found if len(label := _squash(fact.table_row or "")) >= 2 and label in asked_text}
        if rows:  # the question names a row holding the figure: the facts of that item, not the whole's
            found = [(i, fact) for i, fact in found if any(label in _squash(fact.quote) for label in rows)]
        held[sorted({i for i, _ in found})] += 1
    return held / len(asked)


_COUNT_WORDS = re.compile(r"\bhow many\b|多少(?:人|名|位|个|门|所|家|次|项)|几(?:人|名|位|个|门|所|家|次|项)", re.I)
"""A question counting (How many foreign teachers…, 多少人) is not held by a share of what it counts
(外方教师占任课教师的 37.3%), only by the count (外方教师 44 人)."""


def _squash(text: str) -> str:
    return re.sub(r"[\s|｜]+", "", text)


def _report_years(snap: _Snapshot) -> list[int]:
    return sorted({int(y) for y in snap.years[snap.is_report] if y >= 0})


class Retriever:
    """Searches the committed chunks of one index; refreshes itself when an ingest commits.
    Thread-safe: each search works on one snapshot of the index."""

    def __init__(self, settings: Settings, catalog: Catalog | None = None, vectors: VectorStore | None = None) -> None:
        self.settings = settings
        self.catalog = catalog or Catalog(settings.index_db)
        self.vectors = vectors or VectorStore(settings)
        self._snap: _Snapshot | None = None
        self._lock = threading.Lock()

    def _snapshot(self) -> _Snapshot:
        generation = self.catalog.generation()
        snap = self._snap
        if snap is not None and snap.generation == generation:
            return snap
        with self._lock:  # one rebuild per generation, however many searches arrive meanwhile
            if self._snap is None or self._snap.generation != generation:
                titles = {d.source: d.title or "" for d in self.catalog.documents()}
                self._snap = _Snapshot.build(generation, self.catalog.chunks(), titles, self.catalog.facts())
            return self._snap

    @property
    def years(self) -> list[int]:
        """Years of the indexed documents."""
        return sorted({int(y) for y in self._snapshot().years if y >= 0})

    @property
    def report_years(self) -> list[int]:
        """Years the indexed reports (types dated by their year) are about: what 近三年 spans."""
        return _report_years(self._snapshot())

    def search(self, query: str, *, k: int = 5, year: int | None = None, doc_type: str | None = None,
               mode: Literal["hybrid", "keyword", "vector"] = "hybrid") -> list[SearchResult]:
        """The k best passages for the query. ``year``/``doc_type`` are hard filters. ``mode``
        ``keyword`` / ``vector`` rank by one signal alone, without the question's own constraints
        (the baselines of bench/retrieval.py)."""
        snap = self._snapshot()
        if not snap.chunks or not query.strip():
            return []
        base = np.ones(len(snap.chunks), dtype=bool)
        if year is not None:
            base &= snap.years == year
        if doc_type:
            base &= snap.types == doc_type
        if mode != "hybrid":
            scores = (snap.keyword.scores(query) if mode == "keyword"
                      else np.nan_to_num(self._vector_scores(snap, query), nan=-1.0))
            floor = 0.0 if mode == "keyword" else -1.0
            best = [i for i in np.argsort(-scores, kind="stable") if base[i] and scores[i] > floor][:k]
            return [SearchResult(snap.chunks[i], float(scores[i])) for i in best]
        intent = parse_query(query)
        indexed = set(snap.years.tolist())
        dated = _report_years(snap)
        # 近三年 / last three years: the latest years of the reports
        named = (list(intent.years) or list(spanned_years(query, dated))) if year is None else []
        filtered = frozenset(str(y) for y in named if y in indexed)
        bm25 = snap.keyword.scores(query, filtered if len(named) == 1 else frozenset())
        cosine = self._vector_scores(snap, query)
        # Named regulation first, then the named article: tier 3 = that article of that regulation.
        tier = np.zeros(len(snap.chunks), dtype=np.int8)
        if intent.articles:
            tier += np.isin(snap.articles, intent.articles)
        titled = named_titles(query, snap.title_keys)
        if titled:
            tier += 2 * np.isin(snap.sources, sorted(titled))

        held = _holding(snap, query, year)

        def ranked(mask: np.ndarray, scores: tuple[np.ndarray, np.ndarray] = (bm25, cosine),
                   holding: np.ndarray = held) -> list[SearchResult]:
            return self._fuse(snap, *scores, mask, intent, tier, holding)

        # A named year keeps that year's documents, and undated regulations when the question is about rules.
        def of_year(y: int) -> np.ndarray:
            return base & ((snap.years == y) | (~snap.is_report & (snap.years < 0) & intent.about_rules))

        # A year no document is about (2018 beside the 2019–2021 reports) keeps the passages that
        # mention it, so that a range question still gets its passage (a 2019 report citing 2018).
        def for_year(y: int) -> np.ndarray:
            return of_year(y) if y in indexed else base & np.array([y in m for m in snap.mentions], dtype=bool)

        if len(named) <= 1:
            results = (ranked(of_year(named[0])) if named and named[0] in indexed else []) or ranked(base)
            return results[:k]
        # Several years: each year ranked for its own question, the one the chat answers
        # (split_by_year: 2021年到2023年… → 2022年…), so another year's number is not a word to match
        # (a 2023 passage on the 2020 级 fee). Then round by round — every year's best, every year's
        # second … — each round ordered by score: diversified by year, then by score.
        # Undated regulations of a rule question are a group of their own, not every year's best.
        parts = dict(split_by_year(query, dated))
        undated_rules = base & ~snap.is_report & (snap.years < 0) & intent.about_rules
        per_year = [ranked(for_year(y) & ~undated_rules, *((self._scores(snap, parts[y], frozenset({str(y)} & filtered)),
                                                             _holding(snap, parts[y], y))
                                                          if y in parts else ((bm25, cosine), held)))
                    for y in named]
        if undated_rules.any():
            per_year.append(ranked(undated_rules))
        merged: list[SearchResult] = []
        seen: set[str] = set()
        pending = [iter(results) for results in per_year]
        while len(merged) < k and pending:
            picks = []  # every group's best passage not taken yet
            for results in list(pending):
                pick = next((r for r in results if r.chunk.id not in seen), None)
                if pick is None:
                    pending.remove(results)
                    continue
                picks.append(pick)
                seen.add(pick.chunk.id)
            merged.extend(sorted(picks, key=lambda r: -r.score))
        return merged[:k]

    def _scores(self, snap: _Snapshot, query: str, ignore: frozenset[str] = frozenset()) -> tuple[np.ndarray, np.ndarray]:
        return snap.keyword.scores(query, ignore), self._vector_scores(snap, query)

    def _vector_scores(self, snap: _Snapshot, query: str) -> np.ndarray:
        scores = np.full(len(snap.chunks), np.nan)
        for chunk_id, similarity in self.vectors.search(vector_query(query, snap.keyword.gloss(query)), k=_VECTOR_POOL):  # best vector of each chunk
            position = snap.position.get(chunk_id)
            if position is not None:  # vectors the catalog does not own are orphans: ignored
                scores[position] = similarity
        return scores

    def _fuse(self, snap: _Snapshot, bm25: np.ndarray, cosine: np.ndarray, mask: np.ndarray,
              intent: QueryIntent, tier: np.ndarray, holding: np.ndarray | None = None) -> list[SearchResult]:
        """Weighted sum of the two scores, each min-max normalised over the candidates (measured
        better than reciprocal-rank fusion here: bench/retrieval.py), ordered by ``tier`` (named
        regulation and article) first. A chunk of a named article is a candidate whatever it scores:
        "第三十二条规定了什么？" has no other word to match."""
        s = self.settings.retrieval
        fused = np.zeros(len(snap.chunks))
        keyword = np.where(mask, bm25, 0.0)
        if keyword.max() > 0:
            fused += s.bm25_weight * keyword / keyword.max()
        vector = np.where(mask, cosine, np.nan)
        if np.any(~np.isnan(vector)):
            low, high = np.nanmin(vector), np.nanmax(vector)
            fused += s.vector_weight * np.nan_to_num((vector - low) / (high - low if high > low else 1.0))
        if intent.about_rules:
            fused[np.isin(snap.types, doctypes.rule_types())] *= _RULE_BOOST
        if intent.about_dates:
            fused[snap.has_date] *= _DATE_BOOST
        if intent.about_year:
            fused[np.array([bool(m) for m in snap.mentions], dtype=bool)] *= _DATE_BOOST
        if holding is not None:
            fused *= 1 + (_FACT_BOOST - 1) * holding
        candidates = np.flatnonzero(mask & ((fused > 0) | (tier > 0)))
        best = candidates[np.lexsort((-fused[candidates], -tier[candidates]))]
        return [SearchResult(replace(snap.chunks[i], extra={"bm25": float(bm25[i]),
                                                            "cosine": float(np.nan_to_num(cosine[i]))}),
                             float(fused[i])) for i in best]
