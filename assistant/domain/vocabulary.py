"""The domain vocabulary (``terms.toml``): which concept a label, a clause, a question or an English
note names, and which scope qualifiers narrow it.

A figure is a fact about a *concept* (生师比, 任课教师, 深造 …) within a *scope* (国内/海外, 中方/外方,
国际级/国家级/省级, 本科/硕士/博士, an age band …). Binding text to a concept is a substring search
over the concept synonyms, **longest match first** (任课教师 beats 教师, 博士生导师 beats 博士生), with
the matched span removed before scope words are read (博士生导师 is not a 博士-programme scope).
A concept lists the units its figures can have, so a label that names a concept with an incompatible
unit (外方教师承担 13 门 is about courses, not teachers) falls through to the next candidate.

Why substrings rather than jieba tokens: report labels are long noun phrases (具有较强科研背景的毕设
指导教师) whose head noun comes last; jieba splits domain words unpredictably, while the synonym list is
short and curated, so substring search is both faster and exactly as precise as the list.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

_CJK = re.compile(r"[\u4e00-\u9fff]")
_AGE = re.compile(
    r"(?P<le>\d{2})\s*岁\s*(?:及|或)?\s*以下|(?:under|below)\s+(?P<le2>\d{2})|(?P<le3>\d{2})\s+(?:and|or)\s+(?:under|below|younger)"
    r"|(?P<lo>\d{2})\s*(?:岁\s*)?[-–—~至到]\s*(?P<hi>\d{2})\s*岁|aged?\s+(?P<lo2>\d{2})\s*(?:-|–|to)\s*(?P<hi2>\d{2})"
    r"|(?P<ge>\d{2})\s*岁\s*(?:及|或)?\s*以上|(?:over|above)\s+(?P<ge2>\d{2})|(?P<ge3>\d{2})\s+(?:and|or)\s+(?:over|above|older)",
    re.IGNORECASE)

AGE_BAND = _AGE
"""An age band as written (35 岁以下, 36-45 岁, under 35): a scope, never a count."""

_MAJOR = re.compile(r"(?<![\u4e00-\u9fff])?([\u4e00-\u9fff]{2,12}?)专业(?!课|教师|核心|基础|选修|建设|设置|认证|学位)")
_NOT_MAJORS = ("本科", "新增", "增设", "两个", "各", "该", "本", "全部", "所有", "相关", "其他", "个", "等", "工科", "理工",
               "优势", "特色", "一流", "热门", "多个", "跨")

AGE_BAND = _AGE
"""An age band written in text (35 岁以下, 36-45 岁, under 35): a group's name, not a figure."""

Scope = tuple[tuple[str, str], ...]
"""Sorted ``(dimension, value)`` pairs, e.g. ``(("level", "国家级"),)``."""



@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    synonyms: tuple[str, ...]
    english: tuple[re.Pattern[str], ...]
    en: str = ""
    units: tuple[str, ...] = ()
    parts: str | None = None
    parent: str | None = None
    cumulative: bool = False
    topic: bool = False
    surveyed: bool = False  # measured of a named population (a survey): whose figure it is must be said

    def accepts(self, unit: str) -> bool:
        """Whether a figure in ``unit`` can be about this concept (empty ``units``: any)."""
        if self.topic:
            return False
        if not self.units:
            return True
        return _unit_family(unit) in {_unit_family(u) for u in self.units}


@dataclass(frozen=True)
class Binding:
    """What a figure, a clause or a question is about."""

    concept: str | None
    scope: Scope = ()
    label: str = ""

    @property
    def scope_dict(self) -> dict[str, str]:
        return dict(self.scope)


_SEGMENTED: dict[str, set[int]] = {}


def _on_word_bounds(text: str, start: int, end: int, known: frozenset[str] = frozenset()) -> bool:
    """Whether ``text[start:end]`` begins and ends where jieba (with the vocabulary in its dictionary) cuts
    words: a two-character term inside a longer word is not a mention of it — unless the rest of that
    word is ``known`` terms too (jieba's dictionary holds 招收新生: 招收 and 新生 are both terms)."""
    cuts = _cuts(text)
    if start in cuts and end in cuts:
        return True
    left, right = max(c for c in cuts if c <= start), min(c for c in cuts if c >= end)
    return all(not rest or rest in known for rest in (text[left:start], text[end:right]))


def _cuts(text: str) -> set[int]:
    """Where jieba cuts ``text`` into words (cached)."""
    cuts = _SEGMENTED.get(text)
    if cuts is None:
        import jieba

        _add_terms_to_jieba()
        cuts, pos = {0}, 0
        for token in jieba.cut(text):
            pos += len(token)
            cuts.add(pos)
        if len(_SEGMENTED) > 4096:
            _SEGMENTED.clear()
        _SEGMENTED[text] = cuts
    return cuts


_JIEBA_READY = False


def _add_terms_to_jieba() -> None:
    global _JIEBA_READY
    if not _JIEBA_READY:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        for term in vocabulary().chinese_terms():
            jieba.add_word(term)
        _JIEBA_READY = True


def _without_spaces(text: str) -> tuple[str, list[int]]:
    """``text`` without whitespace, and for each kept character its offset in ``text``."""
    kept = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(ch for _, ch in kept), [i for i, _ in kept]


def _unit_family(unit: str) -> str:
    unit = unit or ""
    if unit in ("人", "名", "位"):
        return "人"
    if unit.startswith("元") or unit.endswith("元"):
        return "元"
    return unit


def unit_family(unit: str) -> str:
    """Units that count the same thing compare equal: 人/名/位 → 人, 元/万元/元/生·年 → 元."""
    return _unit_family(unit)


def _compile_english(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """Whole-word patterns; a plural ending is allowed after any of them ("student-teacher ratios")."""
    return tuple(re.compile(rf"(?<![\w-])(?:{p})(?:e?s)?(?![\w-])", re.IGNORECASE) for p in patterns)


@dataclass
class Vocabulary:
    concepts: dict[str, Concept]
    scopes: dict[str, dict[str, tuple[str, ...]]]  # dimension → value → wordings (zh literal, en regex)
    wholes: dict[str, tuple[str, ...]]  # dimension → wordings naming the whole
    normalise_map: tuple[tuple[str, str], ...]
    question_stopwords: frozenset[str]
    index_stopwords: frozenset[str]
    scope_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # value → (zh prefix, en phrase)
    event_verbs: frozenset[str] = frozenset()  # one-off events of a year (获批, 入选, 举办 …), see terms.toml [events]
    event_anchors: frozenset[str] = frozenset()  # time words placing an event in the report year (本年度, 首次 …)
    label_fillers: tuple[str, ...] = ()  # label words that say nothing about what is counted, longest first
    populations: dict[str, tuple[str, ...]] = field(default_factory=dict)  # who a sentence is about (terms.toml)
    change_words: frozenset[str] = frozenset()  # words naming a change or comparison, not what changed (增长, 上年)
    flow_words: tuple[str, ...] = ()  # what came in this year (新聘, 引进): a flow, not the stock (terms.toml [events])
    equivalents: tuple[tuple[str, str], ...] = ()  # (wording, the one keyword search reads it as): 年底 → 年末 ([search])
    _zh: list[tuple[str, str]] = field(default_factory=list)  # (synonym, concept id), longest first
    _scope_zh: list[tuple[str, str, str]] = field(default_factory=list)  # (word, dimension, value), longest first
    _scope_en: list[tuple[re.Pattern[str], str, str]] = field(default_factory=list)
    _zh_words: frozenset[str] = frozenset()  # every Chinese synonym and scope word
    _core_lengths: dict[str, int] = field(default_factory=dict)  # mention → length without scope words
    _verb_map: dict[str, dict[str, str]] | None = None
    _measure_map: dict[str, dict[str, str]] | None = None

    def __post_init__(self) -> None:
        self._zh = sorted(((s, c.id) for c in self.concepts.values() for s in (c.id, *c.synonyms) if _CJK.search(s)
                           or re.search(r"[A-Z]{2,}", s)), key=lambda p: -len(p[0]))
        zh, en = [], []
        for dim, values in self.scopes.items():
            for value, words in values.items():
                for w in words:
                    if _CJK.search(w) or re.fullmatch(r"[A-Z_/、]+", w):
                        zh.append((w, dim, value))
                    else:
                        en.append((re.compile(rf"(?<![\w-])(?:{w})(?![\w-])", re.IGNORECASE), dim, value))
        self._scope_zh = sorted(zh, key=lambda t: -len(t[0]))
        self._zh_words = frozenset(w for w, _ in self._zh) | frozenset(w for w, _, _ in self._scope_zh)
        self._scope_en = en

    # ---- concepts ------------------------------------------------------------------------------

    def concept(self, concept_id: str | None) -> Concept | None:
        return self.concepts.get(concept_id or "")

    def label_of(self, concept_id: str | None, language: str = "zh") -> str:
        c = self.concept(concept_id)
        if c is None:
            return concept_id or ""
        return (c.en or c.label) if language == "en" else c.label

    def scope_name(self, dimension: str, value: str, language: str = "zh") -> str:
        """How a scope value is written in an answer: ``博士`` → 博士项目 / doctoral-programme; age bands
        ``≤35`` → 35岁以下 / aged 35 or under."""
        if dimension == "age":
            m = re.fullmatch(r"([≤≥]?)(\d+)(?:-(\d+))?", value)
            if m:
                sign, a, b = m.groups()
                if language == "en":
                    return f"aged {a} or under" if sign == "≤" else f"aged {a} or over" if sign == "≥" else f"aged {a}-{b}"
                return f"{a}岁以下" if sign == "≤" else f"{a}岁以上" if sign == "≥" else f"{a}-{b}岁"
        if dimension == "major":
            return f"{value} programme" if language == "en" else f"{value}专业"
        names = self.scope_names.get(value)
        return (names[1] if language == "en" else names[0]) if names else value

    def scope_words(self, dimension: str, value: str) -> list[str]:
        """The Chinese wordings of a scope value (海外 → 海外, 境外, 国外, …)."""
        return [w for w, d, v in self._scope_zh if d == dimension and v == value] + [value]

    def stands_alone(self, word: str, text: str) -> bool:
        """Whether ``word`` occurs in ``text`` as a word of its own — where jieba, with the vocabulary in
        its dictionary, cuts words (or inside a compound of terms): 满意 stands alone in 满意 893 份, not
        inside 满意度 (a term of its own)."""
        compact, _ = _without_spaces(text)
        w = word.replace(" ", "")
        return any(_on_word_bounds(compact, m.start(), m.end(), self._zh_words)
                   for m in re.finditer(re.escape(w), compact)) if w else False

    def mentions(self, text: str, *, topics: bool = False) -> list[tuple[int, int, Concept]]:
        """Non-overlapping concept mentions in ``text`` (Chinese synonyms, longest first; English
        patterns), as ``(start, end, concept)`` in text order. Of two equally long synonyms sharing
        characters, a kind beats the whole it is a kind of: 专任教师队伍 is the body of 专任教师
        (任课教师), not 教师队伍 (all staff)."""
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, int, Concept]] = []
        compact, where = _without_spaces(text)  # "QS 世界大学排名前" names what "QS世界大学排名前" names
        for word, cid in self._zh:
            if word.replace(" ", "") not in compact:  # a plain substring test first: most synonyms are absent
                continue
            concept = self.concepts[cid]
            if concept.topic and not topics:
                continue
            for m in re.finditer(re.escape(word.replace(" ", "")), compact):
                a, b = where[m.start()], where[m.end() - 1] + 1
                clash = [t for t in found if a < t[1] and t[0] < b]
                if clash and not all(y - x == b - a and self.is_part_of(cid, c.id) for x, y, c in clash):
                    continue
                if len(word) == 2 and not _on_word_bounds(compact, m.start(), m.end(), self._zh_words):
                    continue  # 学费 inside 教学费用 (教学·费用) is not the fee
                for t in clash:
                    found.remove(t)
                    taken.remove(t[:2])
                taken.append((a, b))
                found.append((a, b, concept))
        if not _CJK.search(text):
            english = [(m.start(), m.end(), concept) for concept in self.concepts.values()
                       if not concept.topic or topics for pattern in concept.english for m in pattern.finditer(text)]
            for a, b, concept in sorted(english, key=lambda t: (t[0] - t[1], t[0])):  # longest first
                if not any(a < y and x < b for x, y in taken):
                    taken.append((a, b))
                    found.append((a, b, concept))
        return sorted(found, key=lambda t: t[0])

    def concept_in(self, text: str, unit: str | None = None) -> tuple[Concept, tuple[int, int]] | None:
        """The concept ``text`` names, compatible with ``unit`` when given: the longest mention, the
        rightmost among equally long ones (the head noun of a Chinese noun phrase comes last). A scope
        word inside a synonym does not make it longer: 本科毕业生落实去向 is 落实去向 (of 本科), not 毕业生."""
        mentions = [(a, b, c) for a, b, c in self.mentions(text) if unit is None or c.accepts(unit)]
        if not mentions:
            return None
        a, b, c = max(mentions, key=lambda t: (self._core_length(text[t[0]:t[1]]), t[1]))
        return c, (a, b)

    def _core_length(self, mention: str) -> int:
        """A mention's length without the scope words inside it (本科毕业生 → 3)."""
        known = self._core_lengths.get(mention)
        if known is None:  # concept_in runs for every figure's label and clause: a few hundred mentions repeat
            core = mention.replace(" ", "")
            for word, _, _ in self._scope_zh:
                if word != core:
                    core = core.replace(word, "")
            known = self._core_lengths[mention] = len(core)
        return known

    def is_part_of(self, child: str | None, parent: str | None) -> bool:
        """Whether concept ``child`` is (transitively) a kind of ``parent``."""
        seen = set()
        c = self.concept(child)
        while c is not None and c.parent and c.parent not in seen:
            if c.parent == parent:
                return True
            seen.add(c.parent)
            c = self.concept(c.parent)
        return False

    # ---- scope ---------------------------------------------------------------------------------

    def scope_in(self, text: str, exclude: Iterable[tuple[int, int]] = ()) -> dict[str, str]:
        """Scope qualifiers written in ``text`` outside the ``exclude`` spans: ``{"region": "海外"}``.
        A wording of the whole (国内外) blocks its dimension."""
        spans = list(exclude)
        scope: dict[str, str] = {}
        blocked: set[str] = set()
        for dim, words in self.wholes.items():
            for w in words:
                if w not in text:
                    continue
                for m in re.finditer(re.escape(w), text):
                    if not any(a < m.end() and m.start() < b for a, b in spans) and not _locative(text, m.start(), w):
                        blocked.add(dim)
                        spans.append(m.span())
        for word, dim, value in self._scope_zh:
            if dim in blocked or dim in scope or word not in text:
                continue
            for m in re.finditer(re.escape(word), text):
                if not any(a < m.end() and m.start() < b for a, b in spans):
                    scope[dim] = value
                    spans.append(m.span())
                    break
        if not _CJK.search(text):
            for pattern, dim, value in self._scope_en:
                if dim not in blocked and dim not in scope:
                    m = pattern.search(text)
                    if m and not any(a < m.end() and m.start() < b for a, b in spans):
                        scope[dim] = value
        age = age_band(text, spans)
        if age:
            scope["age"] = age
        major = major_in(text, spans)
        if major:
            scope["major"] = major
        cohort = cohort_in(text, spans)
        if cohort:
            scope["cohort"] = cohort
        return scope

    def qualifier_spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of ``text`` the vocabulary explains: concept mentions (topics included), Chinese
        scope wordings (外方, 国家级, 博士项目 …), wordings of a whole and age bands. What is left of a
        label is its own qualifier (新进**人工智能方向**教师)."""
        spans = [(a, b) for a, b, _ in self.mentions(text, topics=True)]
        words = [w for w, _, _ in self._scope_zh] + [w for ws in self.wholes.values() for w in ws]
        for word in sorted(words, key=len, reverse=True):
            for m in re.finditer(re.escape(word), text):
                if not any(a < m.end() and m.start() < b for a, b in spans):
                    spans.append(m.span())
        spans += [m.span() for m in _AGE.finditer(text)]
        return sorted(spans)

    def populations_in(self, text: str) -> set[str]:
        """The populations (terms.toml ``[populations]``) a text names."""
        return {name for name, words in self.populations.items() if any(w in text for w in words)}

    def scope_values(self, text: str, exclude: Iterable[tuple[int, int]] = ()) -> dict[str, list[str]]:
        """Every scope value written in ``text`` per dimension, in text order (``出国和国内各占多少`` →
        ``{"region": ["海外", "国内"]}``)."""
        spans = list(exclude)
        found: dict[str, list[tuple[int, str]]] = {}
        for word, dim, value in self._scope_zh:
            for m in re.finditer(re.escape(word), text):
                if not any(a < m.end() and m.start() < b for a, b in spans):
                    spans.append(m.span())
                    found.setdefault(dim, []).append((m.start(), value))
        if not _CJK.search(text):
            for pattern, dim, value in self._scope_en:
                for m in pattern.finditer(text):
                    if not any(a < m.end() and m.start() < b for a, b in spans):
                        spans.append(m.span())
                        found.setdefault(dim, []).append((m.start(), value))
        for dim in list(found):
            if any(w in text for w in self.wholes.get(dim, ())):
                del found[dim]
        out = {dim: list(dict.fromkeys(v for _, v in sorted(items))) for dim, items in found.items()}
        age = age_band(text, spans)
        if age:
            out["age"] = [age]
        cohort = cohort_in(text, spans)
        if cohort:
            out["cohort"] = [cohort]
        return out

    # ---- labels, search ------------------------------------------------------------------------

    def normalise_label(self, label: str) -> str:
        """A label with equivalent wordings unified (外籍/英方 → 外方, 毕业设计 → 毕设 …)."""
        for a, b in self.normalise_map:
            label = label.replace(a, b)
        return label

    def chinese_terms(self) -> list[str]:
        """Every Chinese term of the vocabulary (for the tokenizer's dictionary)."""
        terms = {s for c in self.concepts.values() for s in (c.id, c.label, *c.synonyms) if _CJK.search(s)}
        terms |= {w for values in self.scopes.values() for words in values.values() for w in words if _CJK.search(w)}
        return sorted(terms, key=lambda t: (-len(t), t))

    def read_question(self, question: str) -> str:
        """The question as reports write it: :func:`assistant.domain.questions.read_question`
        (招了 → 招生, 满意吗 → 满意度, 截至…一共培养了 → 累计, 中外…各 → 中方和外方)."""
        from .questions import read_question

        return read_question(self, question)

    def expansion(self, query: str) -> list[str]:
        """The Chinese terms of every concept the query names (in Chinese or English), for keyword search."""
        lowered = query.lower()
        out: list[str] = []
        for c in self.concepts.values():
            terms = [s for s in (c.id, *c.synonyms) if _CJK.search(s)]
            hit = any(t in query for t in terms) or any(p.search(lowered) for p in c.english)
            if hit:
                out += [t for t in dict.fromkeys(terms) if t not in out]
        return out


def _locative(text: str, start: int, word: str) -> bool:
    """``课程中外方教师``: the 中 of a whole wording (中外方) read as the locative 中 ("in") of the noun before it."""
    return word.startswith("中") and start > 0 and bool(_CJK.match(text[start - 1])) and text[start - 1] not in "由与和及的、"


_COHORT = re.compile(
    r"(?P<a>(?:19|20)\d\d)\s*级\s*(?:至|到|-|—|–|~)\s*(?P<b>(?:19|20)\d\d)\s*级"
    r"|(?:自|从)?\s*(?P<since>(?:19|20)\d\d)\s*级\s*(?:起|以后|及以后|开始)"
    r"|(?P<one>(?:19|20)\d\d)\s*级(?!\s*(?:至|到|-|—|–|~))")


def cohort_in(text: str, exclude: Iterable[tuple[int, int]] = ()) -> str | None:
    """The student cohort a figure is about (fees often differ by it): ``2023级起``, ``2020-2022级``, ``2019级``."""
    spans = list(exclude)
    for m in _COHORT.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        if m.group("a"):
            return f"{m.group('a')}-{m.group('b')}级"
        return f"{m.group('since')}级起" if m.group("since") else f"{m.group('one')}级"
    return None


def major_in(text: str, exclude: Iterable[tuple[int, int]] = ()) -> str | None:
    """A programme of study named in ``text`` (``电子信息工程专业`` → 电子信息工程), not a generic 本科专业."""
    spans = list(exclude)
    for m in _MAJOR.finditer(text):
        name = re.sub(r"^(?:其中|包括|包含|以及|和|及|与|、|为|在|的|学院|全院)+", "", m.group(1))
        if len(name) < 2 or any(name.endswith(w) or name == w for w in _NOT_MAJORS) or re.match(r"[一二两三四五六七八九十\d]", name):
            continue
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        return name
    return None


def age_band(text: str, exclude: Iterable[tuple[int, int]] = ()) -> str | None:
    """An age band written in ``text``: ``≤35``, ``36-45`` or ``≥46``."""
    spans = list(exclude)
    for m in _AGE.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        g = m.groupdict()
        if g["le"] or g["le2"] or g["le3"]:
            return f"≤{g['le'] or g['le2'] or g['le3']}"
        if g["lo"] or g["lo2"]:
            return f"{g['lo'] or g['lo2']}-{g['hi'] or g['hi2']}"
        return f"≥{g['ge'] or g['ge2'] or g['ge3']}"
    return None


def _load(path: Path) -> Vocabulary:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    concepts = {}
    for cid, entry in data.get("concept", {}).items():
        concepts[cid] = Concept(
            id=cid, label=entry.get("label", cid), synonyms=tuple(entry.get("synonyms", ())), en=entry.get("en", ""),
            english=_compile_english(entry.get("english", ())), units=tuple(entry.get("units", ())),
            parts=entry.get("parts"), parent=entry.get("parent"), cumulative=bool(entry.get("cumulative")),
            topic=bool(entry.get("topic")), surveyed=bool(entry.get("surveyed")))
    scopes: dict[str, dict[str, tuple[str, ...]]] = {}
    wholes: dict[str, tuple[str, ...]] = {}
    for dim, values in data.get("scope", {}).items():
        scopes[dim] = {v: tuple(words) for v, words in values.items() if v != "whole"}
        wholes[dim] = tuple(values.get("whole", ()))
    stop = data.get("stopwords", {})
    return Vocabulary(concepts, scopes, wholes, tuple(data.get("normalise", {}).items()),
                      frozenset(stop.get("question", "").split()), frozenset(stop.get("index", "").split()),
                      {v: (names[0], names[1]) for v, names in data.get("scope_names", {}).items()},
                      frozenset(data.get("events", {}).get("verbs", "").split()),
                      frozenset(data.get("events", {}).get("anchors", "").split()),
                      tuple(sorted(stop.get("label_fillers", "").split(), key=len, reverse=True)),
                      {k: tuple(v) for k, v in data.get("populations", {}).items()},
                      frozenset(stop.get("change", "").split()),
                      tuple(data.get("events", {}).get("flows", "").split()),
                      tuple(sorted(((w, group[0]) for group in data.get("search", {}).get("equivalents", ())
                                    for w in group[1:]), key=lambda p: -len(p[0]))))


def terms_path() -> Path:
    """``$ASSISTANT_TERMS_FILE`` or the vocabulary shipped with the package."""
    configured = os.environ.get("ASSISTANT_TERMS_FILE")
    return Path(configured) if configured else Path(__file__).with_name("terms.toml")


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary, loaded once per process."""
    return _load(terms_path())
