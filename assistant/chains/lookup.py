"""Extract, then phrase: figure questions answered from the figure ledger, not by the model.

For a question asking for a figure (多少, 比例, how many …) the facts of the retrieved passages are
looked up first (:func:`asks`, :func:`select`): the question is read into what it asks — a concept of
the vocabulary, a scope (国家级, 外方, 博士项目, 35 岁以下 …), the unit it asks in (多少人 → 人, 比例 →
%) — and the facts of that concept, year and scope are taken. When the selection is unambiguous the
answer is composed from the facts at once (:func:`compose`: ``2022年，生师比为11.21[1]。``), so a
small CPU model is never the source of a figure and figure answers need no model wait. Several
matching facts are all given (count and share, both fee levels, each part of a partition). Two
different values for the same concept and scope in the selected passages, or a question whose words
the fact's sentence does not cover, are *not* composed: the passage's own sentence is shown
(:func:`quote_answer`), cited, or the model path is taken.

Matching, in order: same concept (a fact of a more specific concept is taken only when the question
names the parent and no fact of the parent matches: 外方教师 → 任课教师 · 外方); every scope value the
question states must be the fact's; among the rest, facts with the fewest scope values the question
does not state win (任课教师 113 人 over 英方任课教师 33 人 and 博士项目任课教师 12 人); the unit asked for
(多少人 excludes 77.58%); the year the question (or its part) is about.

Size: ~530 lines kept in one module on purpose — reading the question (:func:`asks`), selecting facts
(:func:`select`) and composing the answer (:func:`compose`) share one notion of "what is asked"; split
across modules the three would each need the other two's private rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from assistant.domain import unit_family, vocabulary
from assistant.figures.facts import CUMULATIVE_WORDS, Fact
from assistant.index.keyword import tokenize
from assistant.text.years import named_years

_CJK = re.compile(r"[\u4e00-\u9fff]")
_TOKEN_OK = re.compile(r"[\w\u4e00-\u9fff]")

FIGURE_QUESTION = re.compile(
    r"多少|几(?:个|名|人|位|门|篇|项|次|种|所|年|月|天|日|倍|成)|几何|比例|占比|百分之几|百分比|比率|生师比|[率比](?:是|为|有)|"
    r"\b(?:how many|how much|what (?:share|percentage|proportion|fraction|ratio|rate|number)|"
    r"what (?:is|was|were|are) the [\w' -]{0,40}?(?:rate|ratio|number|share|percentage|fee|fees|count|total))\b",
    re.IGNORECASE)
"""A question asking for a figure."""

_NOT_FIGURE = re.compile(r"什么时候|何时|哪一年|哪年|哪天|日期|\bwhen\b|哪些|是什么(?!比例)|有哪|为什么|怎样|如何|规定了什么", re.IGNORECASE)

_ASKED_UNITS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), u) for p, u in (
    (r"多少人次|几人次|人次数", "人次"),
    (r"分数线|多少分|录取分|\bscores?\b|\bGPA\b|绩点", "分"),
    (r"工资|薪资|薪酬|收入水平|salary|salaries|wage", "薪资"),
    (r"之比|比值|\bratio\b", "比"),  # 在校生与任课教师之比: a ratio, never a head count
    (r"比例|占比|百分之几|百分比|比率|多大比例|几成|率(?:是|为|有)?多少|\b(?:share|percentage|proportion|rate)\b"
     r"|(?<![独霸])占(?![地用有据])[^，,。？?；;]{1,15}?(?:是|为)?(?:多少|几)(?![人名位门项个篇])", "%"),  # 占毕业生的…是多少
    (r"多少(?:名|人|位)|几(?:名|人|位)|人数|多少个?学生|多少个?教师|how many (?:students|teachers|staff|people|graduates|members|lecturers)", "人"),
    (r"多少门|几门|how many courses", "门"),
    (r"多少篇|几篇|how many papers", "篇"),
    (r"多少元|多少钱|多少万元|学费|费用|\bfees?\b|tuition|\bcost\b", "元"),
    (r"几年|多少年|多长时间|多久|为期|学制|how long|how many years", "年"),
    (r"多少天|几天|多少日|几日|多少个工作日|how many days", "日"),
    (r"多少项|几项", "项"),
    (r"多少个|几个", "个"),
    (r"多少次|几次|how many times", "次"),
))
_CHANGE = re.compile(r"(?:比|较)(?:上|去|前)一?(?:年|届|学年)|同比|(?:增加|增长|减少|提高|下降)(?:了|是|为)?多少|增幅|降幅|涨幅|增长率|增速|变化|"
                     r"increase|decrease|change", re.IGNORECASE)
_FOLLOW_ON = re.compile(r"^\s*(?:其中|其|占|那|那么|and\b|of which\b|of them\b)", re.IGNORECASE)


@dataclass
class Ask:
    """What one (part of a) question asks for."""

    text: str
    concept: str | None
    scope: dict[str, str] = field(default_factory=dict)
    unit: str | None = None
    year: int | None = None
    words: tuple[str, ...] = ()  # the question's own words the fact's sentence must hold (Chinese questions)
    cumulative: bool = False  # asks for a running total (累计, 至今)
    change: bool = False  # asks for a change against the year before (比上年增加多少)


def key_terms(question: str) -> list[str]:
    """Distinctive terms of the question: the keyword index's tokens (jieba search mode with the
    domain vocabulary) minus question stopwords, single CJK characters and bare numbers (years match
    almost every report passage)."""
    stop = vocabulary().question_stopwords
    terms: list[str] = []
    for token in tokenize(question):
        if token in stop or not _TOKEN_OK.search(token) or re.fullmatch(r"[\d.,%]+|[a-z]", token):
            continue
        if len(token) < (2 if _CJK.search(token) else 3):
            continue
        if token not in terms:
            terms.append(token)
    return terms


def is_figure_question(question: str) -> bool:
    """Whether a question asks for a figure (and not for a date, a list, a reason or a rule's text)."""
    return bool(FIGURE_QUESTION.search(question)) and not _NOT_FIGURE.search(question)


def _asked_unit(text: str) -> str | None:
    for pattern, unit in _ASKED_UNITS:
        if pattern.search(text):
            return unit
    return None


def _pieces(question: str) -> list[str]:
    """A question split into the figure asks it holds: at ？/?/；, and at ，/, when both sides ask."""
    parts = [p for p in re.split(r"(?<=[？?；;])|(?<=[。])", question) if p.strip()]
    out: list[str] = []
    for part in parts:
        clauses = re.split(r"(?<=[，,])", part)
        current = ""
        for clause in clauses:
            if current and FIGURE_QUESTION.search(current) and FIGURE_QUESTION.search(clause):
                out.append(current)
                current = clause
            else:
                current += clause
        if current.strip():
            out.append(current)
    return [p.strip(" ，,") for p in out if p.strip(" ，,？?")]


_BOTH_SIDES = re.compile(r"(中外方|国内外)(?=[^，,。？?；;]{0,8}各)")
_BOTH_SIDES_SPLIT = {"中外方": "中方和外方", "国内外": "国内和国外"}
"""``中外方教师各有多少人``: each side, one ask each (without 各, 国内外深造率 is the whole)."""


def asks(question: str, year: int | None = None) -> list[Ask]:
    """The figure asks of a question, in order; parts without a concept of their own (``其中英方任课教师
    多少人`` has one, ``占任课教师的比例是多少`` does not) take the previous part's concept and scope.
    A part naming several values of one scope dimension (``出国和国内各占多少``) becomes one ask each."""
    vocab = vocabulary()
    years = named_years(question)
    out: list[Ask] = []
    question = _BOTH_SIDES.sub(lambda m: _BOTH_SIDES_SPLIT[m.group(1)], question)
    for piece in _pieces(question):
        found = None
        unit = _asked_unit(piece)
        mentions = vocab.mentions(piece)
        if mentions:
            compatible = [m for m in mentions if unit is None or m[2].accepts(unit) or unit in ("分", "薪资")]
            found = _head(piece, compatible or mentions)
        follow = bool(_FOLLOW_ON.match(piece)) and out
        if follow and (found is None or (piece.lstrip().startswith("占") and out[-1].concept)):
            concept = out[-1].concept
            base_scope = dict(out[-1].scope)
        else:
            concept = found[2].id if found else (out[-1].concept if out and not mentions else None)
            base_scope = {} if found else (dict(out[-1].scope) if out else {})
        exclude = [(a, b) for a, b, c in mentions if concept and c.id == concept]
        if piece.lstrip().startswith("占") and found is not None and found[2].id != concept:
            exclude.append((found[0], found[1]))  # 占任课教师的比例: the base, not the subject
        values = vocab.scope_values(piece, exclude)
        piece_years = named_years(piece)
        ask_year = piece_years[-1] if len(piece_years) == 1 else (years[-1] if len(years) == 1 else year)
        named = [piece[a:b] for a, b, _ in mentions]
        words = tuple(t for t in key_terms(CUMULATIVE_WORDS.sub(" ", piece)) if not any(t in s for s in _concept_words(concept))
                      and not any(t in n for n in named) and not _scope_word(t)) if _CJK.search(piece) else ()
        change = bool(_CHANGE.search(piece))
        if change:  # 较上年增长多少: the change is what the ask's change flag selects, not words the fact must hold
            words = tuple(w for w in words if w not in vocab.change_words)
        words += tuple(_qualifiers(piece))
        combos: list[dict[str, str]] = [dict(base_scope)]
        for dim, vals in values.items():
            combos = [{**c, dim: v} for c in combos for v in vals]
        for scope in combos:
            out.append(Ask(piece, concept, scope, unit, ask_year, words, bool(CUMULATIVE_WORDS.search(piece)), change))
    return out


_QUALIFIER = re.compile(r"(?<![\d.])(?:前\s*)?\d{1,3}\s*[区级星项类](?!\d)")


def _qualifiers(piece: str) -> list[str]:
    """Number-and-word qualifiers of a question (``2 区``, ``前 20``) that key terms drop as bare numbers."""
    years = {str(y) for y in named_years(piece)}
    return [re.sub(r"\s+", " ", m.group(0)) for m in _QUALIFIER.finditer(piece) if m.group(0).strip() not in years]


def _head(piece: str, mentions: list) -> tuple:
    """The concept a question asks about among those it names: in Chinese the one nearest before the
    question word (2020届毕业生直博多少人 → 直博), in English the first after it (the employment rate of
    the graduates → employment rate); the longest on a tie."""
    found = list(FIGURE_QUESTION.finditer(piece))
    if not found:
        return max(mentions, key=lambda t: (t[1] - t[0], t[1]))
    m = found[-1] if _CJK.search(piece) else found[0]
    if _CJK.search(piece):
        before = [t for t in mentions if t[1] <= m.start() + 2]
        head = max(before, key=lambda t: (t[1], t[1] - t[0])) if before else min(mentions, key=lambda t: t[0])
        vocab = vocabulary()
        narrower = [t for t in mentions if t is not head and vocab.is_part_of(t[2].id, head[2].id)]
        # 正高级职称任课教师: the head noun 任课教师 narrowed by a concept that is a kind of it
        return max(narrower, key=lambda t: t[1]) if narrower else head
    after = [t for t in mentions if t[0] >= m.start()]
    if after:
        return min(after, key=lambda t: (t[0], -(t[1] - t[0])))
    return max(mentions, key=lambda t: t[1])


def _concept_words(concept: str | None) -> tuple[str, ...]:
    c = vocabulary().concept(concept)
    return (c.id, c.label, *c.synonyms) if c else ()


# --------------------------------------------------------------------------------------------------
# selection


@dataclass
class Selection:
    ask: Ask
    facts: list[Fact]
    ambiguous: bool = False


def _unit_ok(ask: Ask, fact: Fact) -> bool:
    if ask.unit is None or ask.unit in ("分", "薪资"):
        return ask.unit is None
    if ask.unit == "%":
        return fact.kind == "share"
    if ask.unit == "比":
        return fact.kind == "ratio"
    if ask.unit == "元":
        return fact.kind == "money"
    if ask.unit == "人":
        return unit_family(fact.unit) == "人"
    return unit_family(fact.unit) == unit_family(ask.unit)


_AMONG_ASKED = re.compile(r"中(?:有|共有)\s*(?:多少|几)\s*(?:名|人|位|个|项|门)?\s*[？?]?\s*$")
"""``外方教师中有多少人？``: some of them — which ones is not said, so the sentence is shown, not the whole."""


def select(ask: Ask, facts: Sequence[Fact]) -> Selection:
    """The facts of ``facts`` that answer ``ask`` (see module docstring); ``ambiguous`` when they give
    different values for the same concept, scope and unit."""
    vocab = vocabulary()
    pool = [f for f in facts if f.delta == ask.change and (ask.year is None or f.year in (None, ask.year))]
    phrase = _phrase(ask.text)
    # the question's own words only say "a change" (2023年增长是多少): which figure grew is not said
    unnamed = ask.concept is None and (bool(ask.words) or ask.change) and all(w in vocab.change_words for w in ask.words)
    unnamed = unnamed or (ask.concept is None and phrase in vocab.question_stopwords)  # 2022年比例是多少: of what
    named_as_asked = [f for f in pool if phrase and _compact(f.label) == phrase and _unit_ok(ask, f)
                      and _scope_ok(ask, f)]
    if named_as_asked:  # the question names the figure with the report's own label (师资建设, 落实率)
        fewest = min(_extra(ask, f) for f in named_as_asked)
        named_as_asked, unsaid = _of_population(ask, [f for f in named_as_asked if _extra(ask, f) == fewest])
        # a label of two characters outside the vocabulary (满意 65 家) says what is counted only with its sentence
        # (回访用人单位 68 家，满意 65 家): another passage may use it for another figure — show the sentence
        short = ask.concept is None and len(re.findall(r"[\u4e00-\u9fff]", phrase)) <= 2 \
            and any(not f.metric for f in named_as_asked)
        # only a side or level asked (2024年中方有多少人): of what is not said — 中方 58 人 of 任课教师 in one passage,
        # 中方 5 名 of the board in another; the sentence shows which
        short = short or (ask.concept is None and _scope_word(phrase) and len(phrase) <= 4)
        unnamed = unnamed or unsaid or short
        values = {(f.kind, round(f.value, 4)) for f in named_as_asked}
        kinds = [k for k, _ in values]
        return Selection(ask, _dedupe(named_as_asked), len(kinds) != len(set(kinds)) or unnamed)
    if ask.concept is None:  # a metric outside the vocabulary: the facts whose own words are the question's
        if unnamed and not ask.words:  # 较上年增长了多少: every change of the passages, as their sentences
            return Selection(ask, _dedupe([f for f in pool if _unit_ok(ask, f)]), True)
        if len(ask.words) < 1:
            return Selection(ask, [])
        named = [f for f in pool if _unit_ok(ask, f) and all(w.lower() in _own_words(f) for w in ask.words)]
        values = {round(f.value, 4) for f in named}
        # the question's word only inside a longer term of the fact's concept (落实率 in 毕业去向落实率, a term
        # of 就业率): the question does not name that concept and may ask for another 落实率 — show the sentence
        inside = any(_inside_term(f, ask.words) for f in named)
        # a figure of a concept the question does not name, which an answer would name without the question's
        # words (派出 asked, 优秀教师 1 名 of 学院派出1名优秀教师): it would not say what it states — its sentence
        renamed = any(f.metric and not all(_compact(w) in _compact(fact_name(f)) for w in ask.words) for f in named)
        return Selection(ask, _dedupe(named), len(values) > 1 or inside or unnamed or renamed)
    exact = [f for f in pool if f.metric == ask.concept]
    if not any(w in ask.text for w in vocab.flow_words):  # 中方教师有多少人 asks the stock, not 新聘中方教师 8 人
        exact = [f for f in exact if not any(w in f.label for w in vocab.flow_words)]
    if not any(_scope_ok(ask, f) for f in exact):  # 外方教师: 任课教师 partitioned by side, not any narrower concept
        exact = [f for f in pool if f.metric and vocab.is_part_of(f.metric, ask.concept)
                 and vocab.concept(f.metric).parts in ask.scope]
    candidates = [f for f in exact if _scope_ok(ask, f) and _unit_ok(ask, f)]
    concept = vocab.concept(ask.concept)
    if concept is not None and concept.surveyed:  # 用人单位 of 用人单位满意度 names whose: _of_population's to read
        population_words = {w for words in vocab.populations.values() for w in words}
        ask = replace(ask, words=tuple(w for w in ask.words if not any(w in p for p in population_words)))
    if ask.words:  # facts whose own words (label and clause), else whose sentence, hold the question's words
        own = [f for f in candidates if all(_compact(w) in _own_words(f) for w in ask.words)]
        if not own:  # the question's words label another figure of the passages (学生发展与奖助 905.2 万元
            # beside 支出合计 7752.0 万元): that figure is what is asked, and the concept's is not — its sentence
            elsewhere = [f for f in pool if f not in candidates and _unit_ok(ask, f)
                         and all(_compact(w) in _own_words(f) for w in ask.words)]
            if elsewhere:
                return Selection(ask, _dedupe(elsewhere), True)
        candidates = own or [f for f in candidates if covered(ask, [f])]  # none: the facts do not say what is asked
        # the question's words are only somewhere in the sentence, and the sentence holds other figures too
        # (其余14人继续采用线上方式授课 beside 外方教师 43 人): which figure is asked is not sure — show the sentence
        loose = not own and _shares_sentence(candidates, pool)
    else:
        loose = False
    named_parts = [f for f in candidates if _names_part(ask.text, f)]
    if named_parts:  # 机械设计制造及其自动化录取多少人: a part or major the passage has, named without 专业
        candidates = named_parts
        ask = Ask(ask.text, ask.concept, {**ask.scope, **{d: v for f in named_parts for d, v in f.scope
                                                          if d in _NAMED_DIMS}}, ask.unit, ask.year, ask.words,
                  ask.cumulative)
    if ask.cumulative and any(f.cumulative for f in candidates):
        candidates = [f for f in candidates if f.cumulative]
    if not candidates:
        return Selection(ask, [])
    extra = min(_extra(ask, f) for f in candidates)
    chosen = [f for f in candidates if _extra(ask, f) == extra]
    if ask.year is None:  # the latest year the passages give
        latest = max((f.year for f in chosen if f.year is not None), default=None)
        chosen = [f for f in chosen if f.year in (None, latest)]
    if ask.unit is not None:  # a share comes with its count and a count with its share: 占 72.5%（82 人）
        keys = {(f.metric, f.scope, f.year, f.chunk_id) for f in chosen}
        chosen += [f for f in pool if f not in chosen and (f.metric, f.scope, f.year, f.chunk_id) in keys
                   and f.kind in ("share", "count") and f.kind != chosen[0].kind and not f.cumulative]
    chosen, unsaid = _of_population(ask, chosen)
    groups: dict[tuple, set[float]] = {}
    for f in chosen:
        groups.setdefault((f.metric, f.scope, f.kind, f.cumulative), set()).add(round(f.value, 4))
    ambiguous = any(len(v) > 1 for v in groups.values()) or unsaid or bool(_AMONG_ASKED.search(ask.text))
    if ask.unit is None:  # 核心课程合计是多少: the same words label 2688 学时 beside the concept's 42 门
        units = {unit_family(f.unit) for f in chosen}
        ambiguous = ambiguous or any(not f.metric and unit_family(f.unit) not in units and len(_compact(f.label)) >= 3
                                     and _compact(f.label) in _phrase(ask.text) for f in pool)
    scopes = {f.scope for f in chosen}
    narrower = min(_extra(ask, f) - _residue(f, ask) for f in chosen)
    if narrower and len(scopes) == 1 and next(iter(scopes)) != (("programme", "本科"),):
        ambiguous = True  # only a narrower figure than asked (外方 share for 任课教师占比): show its sentence
    return Selection(ask, _dedupe(chosen), ambiguous or loose)


def _of_population(ask: Ask, facts: list[Fact]) -> tuple[list[Fact], bool]:
    """For a concept measured of a population (满意度 of 用人单位 or of 在校生): the facts of the population
    the question names (those of another dropped), and whether the question names none while the
    sentences do (then the answer must be the sentence, which says whose figure it is)."""
    vocab = vocabulary()
    concept = vocab.concept(ask.concept)
    if concept is None or not concept.surveyed or not facts:
        return facts, False
    asked = vocab.populations_in(ask.text)
    if not asked:
        return facts, any(vocab.populations_in(f.quote) for f in facts)
    kept = [f for f in facts if not (who := vocab.populations_in(f.quote)) or who & asked]
    return kept or facts, not kept


def holds(ask: Ask, fact: Fact) -> bool:
    """Whether ``fact`` is a figure of what ``ask`` asks for, as retrieval ranks passages by it
    (:mod:`assistant.retrieval`): the ask's concept (a narrower concept only when the question names
    the dimension it is a part by: 外方教师 → 任课教师 · 外方), or — for a fact of no concept, or an ask
    of none — the question's own words in the fact's label and clause; every scope value the question
    states (国家级 asked, 国际级 there: no); a unit that does not contradict the one asked for (a table
    cell without a unit contradicts none but %); the year asked; a change only when a change is asked;
    a running total only when one is asked; no scope value the question does not state (a part of the
    asked concept is not the concept) unless it names that part."""
    if fact.delta != ask.change or (ask.year is not None and fact.year != ask.year):
        return False  # a year asked: a figure of that year (an undated rule's 18:1 is no year's 生师比)
    if not _scope_ok(ask, fact) or not _unit_compatible(ask, fact) or (fact.cumulative and not ask.cumulative):
        return False  # a running total (办学以来累计毕业生) is not this year's count
    if ask.concept is not None and fact.metric and _unstated_scope(ask, fact) and not _names_part(ask.text, fact):
        return False  # a part the question does not name (海洋科学专业在校生 for 在校生有多少人)
    if ask.concept is not None and fact.metric:
        if fact.metric == ask.concept:
            return True
        vocab = vocabulary()
        narrower = vocab.concept(fact.metric)
        return vocab.is_part_of(fact.metric, ask.concept) and narrower is not None and narrower.parts in ask.scope
    return bool(ask.words) and all(_compact(w) in _own_words(fact) for w in ask.words)


def _unstated_scope(ask: Ask, fact: Fact) -> bool:
    """Whether the fact is about a part (major, side, level …) the question does not state; 本科 is the
    reports' default programme."""
    return any(dim not in ask.scope and not (dim == "programme" and value == "本科") for dim, value in fact.scope)


def _unit_compatible(ask: Ask, fact: Fact) -> bool:
    if ask.unit is None:
        return True
    if ask.unit == "%":
        return fact.kind == "share"
    if ask.unit in ("元", "薪资"):
        return fact.kind == "money"
    if ask.unit == "比":
        return fact.kind == "ratio"
    if not fact.unit:  # a table cell: its column names the unit
        return fact.kind != "share"
    return unit_family(fact.unit) == unit_family(ask.unit)


_QUESTION_TAIL = re.compile(r"(?:是|为|有)?(?:多少|几)(?:人次|人|名|位|门|篇|项|个|次|元|年|天)?$|(?:是|为)?(?:什么|哪些)$")


def _compact(text: str) -> str:
    return re.sub(r"[\s，,。？?！!、（）()“”\"]+", "", text or "").lower()


def _phrase(question: str) -> str:
    """What a question names, as a report would label it: ``2023年师资建设是多少？`` → ``师资建设``."""
    text = _compact(question)
    text = re.sub(r"^(?:(?:19|20)\d\d(?:年度|年|届)?|学院|我院|全院|今年|去年)+", "", text)
    return _QUESTION_TAIL.sub("", text)


def _residue(fact: Fact, ask: Ask) -> int:
    """Words of the fact's label that neither its concept, its scope nor the question explain (接待外方教师来院
    集中授课 31 人 is not what 外方教师有多少人 asks for): 1 when two or more such characters remain."""
    vocab = vocabulary()
    label = re.sub(r"\s+", "", fact.label or "")
    for word in sorted(_concept_words(fact.metric), key=len, reverse=True):
        label = label.replace(word, "")
    for values in vocab.scopes.values():
        for words in values.values():
            for w in words:
                if _CJK.search(w):
                    label = label.replace(w, "")
    for w in vocab.label_fillers:
        label = label.replace(w, "")
    rest = [ch for ch in re.findall(r"[\u4e00-\u9fff]", label) if ch not in ask.text]
    return 1 if len(rest) >= 2 else 0


_NAMED_DIMS = ("part", "major")


def _names_part(text: str, fact: Fact) -> bool:
    """Whether a question names the part or major a fact is about (with or without 专业)."""
    said = _compact(text)
    return any(_compact(v) in said for d, v in fact.scope if d in _NAMED_DIMS and len(_compact(v)) >= 2)


def _own_words(fact: Fact) -> str:
    """A fact's label and the clause it stands in, lower-cased, without spaces."""
    at = fact.position()
    left = re.split(r"[，,；;。：:]", fact.quote[:at])[-1] if at >= 0 else ""
    return re.sub(r"\s+", "", f"{fact.label}{fact.table_col or ''}{left}").lower()


def _inside_term(fact: Fact, words: Sequence[str]) -> bool:
    """Whether a question word stands in the fact's own words only as part of a longer term of its concept."""
    own = _own_words(fact)
    longer = [t for t in _concept_words(fact.metric) if _compact(t) in own]
    return any(any(_compact(w) in _compact(t) and _compact(w) != _compact(t) for t in longer)
               and not any(_compact(w) == _compact(t) for t in longer) for w in words if len(_compact(w)) >= 2)


def _shares_sentence(candidates: Sequence[Fact], pool: Sequence[Fact]) -> bool:
    """Whether a candidate's sentence also states another value (another figure of the same sentence)."""
    return any(f.quote == c.quote and f.chunk_id == c.chunk_id and round(f.value, 4) != round(c.value, 4)
               for c in candidates for f in pool if f not in candidates)


def _scope_ok(ask: Ask, fact: Fact) -> bool:
    scope = fact.scope_dict
    return all(scope.get(dim) == value or (dim == "programme" and value == "本科" and dim not in scope)
               for dim, value in ask.scope.items())  # 本科 is the reports' default programme


def _extra(ask: Ask, fact: Fact) -> int:
    """Scope values of the fact the question does not state, plus label words nothing explains
    (:func:`_residue`); 本科 is the reports' default programme and counts only for a concept whose parts
    are programmes (学费: 本科 and 博士 levels are both given)."""
    parts = getattr(vocabulary().concept(fact.metric), "parts", None)
    return sum(1 for dim, value in fact.scope if dim not in ask.scope
               and not (dim == "programme" and value == "本科" and parts != "programme")) + _residue(fact, ask)


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per (concept, scope, kind, value): the same figure stated twice (113 人 … 113 名) once."""
    seen: set[tuple] = set()
    out = []
    for f in facts:
        key = (f.metric, f.scope, f.kind, round(f.value, 4), f.cumulative)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


# --------------------------------------------------------------------------------------------------
# composing


def fact_name(fact: Fact, language: str = "zh") -> str:
    """How an answer names a fact: the label as the source writes it when it names the concept and its
    scope (``国际级奖项``, ``英方任课教师``), else the canonical label with its scope (``博士项目招生人数``)."""
    vocab = vocabulary()
    concept = vocab.concept(fact.metric)
    scope_words = [vocab.scope_name(dim, value, language) for dim, value in fact.scope]
    if language == "en":
        base = vocab.label_of(fact.metric, "en") if concept else fact.label
        return " ".join([*scope_words, base]).strip()
    label = re.sub(r"\s+", "", fact.label or "")
    label = re.sub(r"^(?:(?:19|20)\d\d(?:年度|年|届)?|学院|我院|全院|目前|其中|本年度|全年)+", "", label)
    label = re.sub(r"(?<=..)中$", "", label)  # 310 名新生中: the 新生
    clean = (concept is not None and 2 <= len(label) <= 14
             and any(s in label for s in _concept_words(fact.metric) if len(s) >= 2)
             and not re.search(r"开展|获得|组织|参加|举办|通过|进行|提供|派出", label) and not re.match(r"[共已约近计达为]", label)
             and _scope_written(label, fact))
    part = fact.scope_dict.get("part")
    if clean or concept is None:
        name = label or vocab.label_of(fact.metric)
    elif part:  # a part of a total is named by its own words (师资建设 1590.4 万元), with the scope they lack
        others = [w for (dim, value), w in zip(fact.scope, scope_words) if dim != "part" and value not in part]
        name = "".join(others) + re.sub(r"\s+", "", part)
    else:
        base = vocab.label_of(fact.metric)
        if fact.kind == "count" and re.search(r"(?:率|比例)$", base):  # 58 人 of 深造 is not a 深造率
            base = re.sub(r"(?:率|比例)$", "", base) + ("人数" if unit_family(fact.unit) == "人" else "")
        name = "".join(w for (dim, _), w in zip(fact.scope, scope_words) if dim != "part") + base
    if fact.cumulative and "累计" not in name:
        name = "累计" + name
    who = vocab.populations_in(fact.quote) if concept is not None and concept.surveyed else set()
    if len(who) == 1 and not vocab.populations_in(name):
        name = next(iter(who)) + name  # 在校生满意度, not a bare 满意度
    return name


def _scope_written(label: str, fact: Fact) -> bool:
    """Whether ``label`` itself states every scope value of the fact (words of the concept excluded: the
    博士生 of 博士生导师 does not state the doctoral programme), as verification will read it."""
    vocab = vocabulary()
    exclude = [(a, b) for a, b, c in vocab.mentions(label) if c.id == fact.metric]
    written = vocab.scope_in(label, exclude)
    return all(written.get(dim) == value for dim, value in fact.scope if dim != "part")


def _figure(fact: Fact) -> str:
    """The figure as the source writes it, with a prefix qualifier (约, 超过, 不低于 …) it states."""
    raw = re.sub(r"(?<=[\d%])[ \t]+(?=[^\d\sA-Za-z])|(?<=[^\d\sA-Za-z])[ \t]+(?=\d)", "", fact.raw.strip())
    if fact.qualifier and fact.qualifier not in raw:
        raw = fact.qualifier + raw
    return raw


def compose(selections: Sequence[Selection], markers: dict[str, int], language: str = "zh",
            year: int | None = None) -> str:
    """One answer sentence per ask from its facts, each figure followed by the marker of its passage
    (``markers``: chunk id → 1-based passage number). Count and share of one name go together
    (``35岁以下任课教师35人，占30.9%``)."""
    lines: list[str] = []
    seen: set[tuple] = set()
    for sel in selections:
        groups: dict[tuple, list[Fact]] = {}
        for f in sel.facts:
            key = (f.metric, f.scope, f.year, f.cumulative)
            if (key, f.kind, round(f.value, 4)) in seen:
                continue
            seen.add((key, f.kind, round(f.value, 4)))
            groups.setdefault(key, []).append(f)
        for facts in groups.values():
            lines.append(_sentence(facts, markers, language, year))
    if language == "en":
        return " ".join(lines)
    return "".join(lines)


def _sentence(facts: list[Fact], markers: dict[str, int], language: str, year: int | None) -> str:
    first = facts[0]
    name = fact_name(first, language)
    y = first.year or year
    if first.delta and first.metric and language != "en":  # a change: 任课教师比上年增加18人, not 比上年增加为18人
        return _change_sentence(facts, markers, y)
    parts = []
    counts = [f for f in facts if f.kind != "share"]
    shares = [f for f in facts if f.kind == "share"]
    for f in counts + shares:
        marker = f"[{markers[f.chunk_id]}]" if f.chunk_id in markers else ""
        parts.append((f, _figure(f) + marker))
    if language == "en":
        when = f"In {y}, " if y else ""
        body = "; ".join(text for _, text in parts)
        return f"{when}{name}: {body}."
    when = f"{y}年，" if y else ""
    population = vocabulary().concept(first.metric)
    share_verb = "占" if population is not None and "人" in {unit_family(u) for u in population.units} else "为"
    if counts and shares:
        count_text = "、".join(text for f, text in parts if f.kind != "share")
        share_text = "、".join(text for f, text in parts if f.kind == "share")
        return f"{when}{name}{count_text}，占{share_text}。"
    verb = share_verb if shares and not re.search(r"(?:比例|率|比|占比)$", name) else "为"
    return f"{when}{name}{verb}{'、'.join(text for _, text in parts)}。"


def _change_sentence(facts: list[Fact], markers: dict[str, int], y: int | None) -> str:
    first = facts[0]
    vocab = vocabulary()
    scope = "".join(vocab.scope_name(dim, value, "zh") for dim, value in first.scope if dim != "part")
    base = scope + vocab.label_of(first.metric)
    changes = []
    for f in facts:  # 比上年增加18人，增幅为15.3%
        change = re.sub(r"\s+", "", f.label or "")
        for word in sorted(_concept_words(f.metric), key=len, reverse=True):
            change = change.replace(word, "")
        change = re.sub(r"^(?:(?:19|20)\d\d(?:年度|年|届)?|，|的)+", "", change) or "变化"
        verb = "为" if re.search(r"[幅化动率]$", change) else ""
        changes.append(f"{change}{verb}{_figure(f)}" + (f"[{markers[f.chunk_id]}]" if f.chunk_id in markers else ""))
    return f"{y}年，" * bool(y) + base + "，".join(changes) + "。"


def quote_answer(facts: Sequence[Fact], markers: dict[str, int], language: str = "zh") -> str:
    """The sentences of the passages that hold ``facts``, quoted and cited (when a composed sentence
    would have to choose between figures, or could not be verified)."""
    quotes: dict[str, int | None] = {}
    for f in facts:
        if f.quote and f.quote not in quotes:
            quotes[f.quote] = markers.get(f.chunk_id)
    lead = "According to the source: " if language == "en" else "资料原文："
    return lead + "".join(f"「{q}」" + (f"[{n}]" if n else "") for q, n in quotes.items())


def covered(ask: Ask, facts: Sequence[Fact]) -> bool:
    """Whether the facts' sentences hold the question's own words (those the concept, scope and unit do
    not explain): ``科研经费总额`` is not answered by 支出合计 even though 经费 names a concept."""
    words = [w for w in ask.words if not _scope_word(w)]
    if not words or not facts:
        return bool(facts)
    haystack = re.sub(r"\s+", "", " ".join(f"{f.quote} {f.label}" for f in facts)).lower()
    found = sum(re.sub(r"\s+", "", w).lower() in haystack for w in words)
    return found >= (1 if len(words) == 1 else (len(words) + 1) // 2)


def _scope_word(word: str) -> bool:
    vocab = vocabulary()
    return any(word in w or w in word for values in vocab.scopes.values() for ws in values.values() for w in ws
               if _CJK.search(w)) or _asked_unit(word) is not None


@dataclass
class Lookup:
    """A figure answer composed from facts (``mode`` ``facts``) or quoted from their sentences (``quote``)."""

    text: str
    facts: list[Fact]
    mode: str


def from_facts(question: str, facts: Sequence[Fact], markers: dict[str, int], *, year: int | None = None,
               language: str = "zh", quote_keys: frozenset[str] = frozenset()) -> Lookup | None:
    """The answer to a figure question from the facts of the retrieved passages, or None when the
    question does not ask for a figure or some part of it is not answered by a fact. Facts of the
    passages in ``quote_keys`` (rules: 不得低于百分之十五 is a bound, not a level) are answered with
    their sentence."""
    if not is_figure_question(question):
        return None
    selections = [select(a, facts) for a in asks(question, year)]
    if not selections or any(not s.facts or not covered(s.ask, s.facts) for s in selections):
        return None
    chosen = [f for s in selections for f in s.facts]
    if any(s.ambiguous for s in selections) or any(f.chunk_id in quote_keys for f in chosen):
        return Lookup(quote_answer(chosen, markers, language), chosen, "quote")
    return Lookup(compose(selections, markers, language, year), chosen, "facts")


def quote_sentences(question: str, results: Sequence, language: str = "zh", limit: int = 2) -> str:
    """The passages' sentences holding the most question terms (at least one), quoted and cited; ""
    when no sentence holds any."""
    from assistant.text.sentences import sentences_with_spans

    terms = key_terms(question)
    scored = []
    for n, r in enumerate(results, 1):
        for _, _, sentence in sentences_with_spans(r.chunk.text):
            hits = sum(t in sentence.lower() for t in terms)
            if hits:
                scored.append((-hits, n, sentence))
    scored.sort()
    chosen = scored[:limit]
    if not chosen:
        return ""
    lead = "According to the source: " if language == "en" else "资料原文："
    return lead + "".join(f"「{sentence}」[{n}]" for _, n, sentence in sorted(chosen, key=lambda t: t[1]))
