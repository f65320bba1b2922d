"""Checks run on a generated answer, in code, before it reaches the user.

1. Citation markers.  Variants the small models write (``【1】``, ``[1,2]``, ``[1-3]``, ``[ 2 ]``) are
   first rewritten to ``[1][2]``.  A marker must name a passage that was shown to the model
   (1..len(passages)); others are removed from the text and reported in ``invalid_markers``.
2. Figures, by meaning.  Every figure of the answer is bound to the metric its own sentence states
   (:mod:`assistant.figures.binding`), or — when the sentence names none (``11.21[1]。``) — to what
   the question asks (:func:`assistant.chains.lookup.asks`), and must be a *fact* of a cited passage:
   same value and unit, same concept, the scope the answer claims (国家级 ≠ 国际级, 任课教师 ≠ 博士项目
   任课教师), the same year. A figure present in the passage but attached to another metric is a
   *mismatch* ("the passage gives 12 for 任课教师（博士项目）, not for 招生人数"); so is a converted figure
   (1/3 written as 33.33%) and a shortened range (4年 for 4-6 年). A figure bound to no metric at all
   (a date, an article's number of days) is checked by value against the passage text. Not figures:
   the marker numbers, list numbering at the start of a line (``1.``, ``（2）``, ``三、``) and numbers
   the question itself contains (years such as 2020). A supported figure whose fact is in another
   retrieved passage gets that passage attached as a citation (a marker at the end of its sentence):
   the small local model often forgets markers. Anything else is unsupported; the answer chain
   retries once, then shows the passages' own sentences instead (:mod:`assistant.chains.answer`).
3. "Not found" answers.  If the answer says the material does not contain the answer and holds no
   figures, it is kept (any markers removed), with no citations.
4. Citations are renumbered 1..m in order of first use in the text; the markers are rewritten to
   match and each citation's ``quote`` is the exact chunk text.

Size: ~540 lines, one module on purpose: marker repair, binding, fact comparison and renumbering act
on one answer in that order and share its spans; drafting's guard reuses the same functions, so they
are one public surface.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from assistant.citations import Citation
from assistant.domain import unit_family, vocabulary
from assistant.domain.vocabulary import AGE_BAND
from assistant.figures.binding import clause_start, is_delta
from assistant.figures.extract import chinese_scope_words, extract_figures
from assistant.figures.facts import CUMULATIVE_WORDS, Fact, is_running_total
from assistant.index.ledger import facts_for_chunk
from assistant.text.markup import MARKER, markers_in, mask, normalise_markers
from assistant.text.numbering import LIST_NUMBER
from assistant.text.numbers import numbers_in
from assistant.text.sentences import sentence_bounds, sentence_end
from assistant.text.similarity import cjk_bigrams
from assistant.text.years import named_years, prior_level, years_in
from assistant.types import SearchResult

NOT_FOUND_ZH = "知识库中未找到相关内容。"
NOT_FOUND_EN = "The knowledge base does not contain this."

# --------------------------------------------------------------------------------------------------
# markers

# --------------------------------------------------------------------------------------------------
# figures

def figures_in(text: str) -> list[tuple[str, float, int, int]]:
    """Figures in an answer: (raw, value, start, end), markers and list numbering excluded.

    Positions refer to ``text`` itself (masked spans keep their length).
    """
    masked = mask(mask(mask(text, MARKER), LIST_NUMBER), AGE_BAND)  # 36-45 岁 names a group: not a figure
    found: list[tuple[str, float, int, int]] = []
    cursor = 0
    for raw, value in numbers_in(masked):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        pos = masked.find(raw, cursor)
        if pos < 0:
            pos = masked.find(raw)
        start = max(pos, 0)
        end = start + len(raw)
        if pos >= 0:
            cursor = end
        found.append((raw, float(value), start, end))
    return found


def values_in(text: str) -> list[tuple[str, float]]:
    """Every numeric mention of a passage or question as (raw, value)."""
    return [(raw, float(v)) for raw, v in numbers_in(text) if v is not None]


def _is_percent(raw: str) -> bool:
    return "%" in raw or "％" in raw or "百分" in raw or "percent" in raw.lower()


def same_figure(raw_a: str, a: float, raw_b: str, b: float) -> bool:
    """Equal values; a percentage also matches its fraction (96.81% ≈ 0.9681) if only one side says %."""
    if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
        return True
    if _is_percent(raw_a) != _is_percent(raw_b):
        return math.isclose(a * 100, b, rel_tol=1e-9, abs_tol=1e-9) or math.isclose(a, b * 100, rel_tol=1e-9, abs_tol=1e-9)
    return False


def contains_figure(raw: str, value: float, candidates: Iterable[tuple[str, float]]) -> bool:
    return any(same_figure(raw, value, r, v) for r, v in candidates)


_NUMBER_HEAD = re.compile(r"^[\d.,，\s+\-−]+|^[零〇一二两三四五六七八九十百千]+")


def unit_of(raw: str) -> str:
    """The counting unit written after a figure (``315 人次`` → ``人次``; 人/名/位 → ``人``; ``6万元`` →
    ``元``: multipliers are part of the value), empty when none is written."""
    unit = _NUMBER_HEAD.sub("", raw.strip()).lstrip("余多约近万亿 ")
    unit = re.sub(r"(?:以内|以上|以下|左右|之内|内|余|多)$", "", unit)  # 3 年内, 96.81%以上
    return unit_family(re.split(r"[/／·\s]", unit)[0]) if unit else ""


def _supports(raw: str, value: float, candidates: Iterable[tuple[str, float]]) -> bool:
    """A passage supports an answer figure when it holds the same value counted in the same unit
    where both write one (1496 人 does not support "1496 人次")."""
    unit = unit_of(raw)
    return any(same_figure(raw, value, r, v) and (not unit or not unit_of(r) or unit == unit_of(r)) for r, v in candidates)


# --------------------------------------------------------------------------------------------------
# "not found"

_NOT_FOUND_PATTERNS = re.compile(
    r"知识库中?(?:未|没有)找到|未找到相关|(?:资料|材料|知识库|段落)中?(?:没有|未|并未|并没有)(?:提供|提及|提到|包含|找到|涉及|给出|说明|记载|列出|相关)"
    r"|(?:没有|无)相关(?:信息|内容|资料|数据)|无法(?:从资料中)?(?:回答|找到|确定)"
    r"|does not contain|doesn't contain|do not contain|no (?:relevant )?information|not (?:mentioned|provided|found|stated)"
    r"|cannot be found|can't be found|unable to find|not contain",
    re.IGNORECASE,
)


def says_not_found(text: str) -> bool:
    """True if the answer states that the material does not contain the answer."""
    return bool(_NOT_FOUND_PATTERNS.search(text))


# --------------------------------------------------------------------------------------------------
# verification


@dataclass
class Verification:
    """Outcome of :func:`verify_answer`: the cleaned text plus what was found."""

    text: str  # markers renumbered 1..m, invalid ones removed, auto-citations inserted
    citations: list[dict] = field(default_factory=list)
    cited: list[int] = field(default_factory=list)  # 0-based passage indices, citation order
    invalid_markers: list[int] = field(default_factory=list)  # as the model wrote them
    unsupported_numbers: list[str] = field(default_factory=list)  # raw, as written in the answer
    auto_cited: list[int] = field(default_factory=list)  # 0-based passage indices attached by code
    not_found: bool = False
    retried: bool = False  # set by the answer chain: this text came from the stricter second attempt
    mismatches: list[dict] = field(default_factory=list)  # {"raw","claimed","passage","reason"}
    mode: str = "model"  # how the text was made: facts (composed from the ledger), quote, model, not_found
    notice: str = ""  # shown with the answer (e.g. why the passages' own sentences are shown)

    @property
    def ok(self) -> bool:
        return not self.unsupported_numbers and not self.mismatches


def citation(n: int, result: SearchResult) -> dict:
    """The dict form of :class:`assistant.citations.Citation` for marker ``n`` citing ``result``'s passage."""
    return Citation.from_chunk(n, result.chunk).to_dict()


def _insert_point(text: str, end: int) -> int:
    """Where to put a marker for a figure ending at ``end``: just before the end of its sentence
    (so after any markers already there)."""
    return sentence_end(text, end)


def _renumber(text: str, n_passages: int) -> tuple[str, list[int], list[int]]:
    """Drop invalid markers, renumber valid ones by first use; returns (text, order, invalid)."""
    order: list[int] = []
    invalid: list[int] = []

    def sub(m: re.Match) -> str:
        n = int(m.group(1))
        if not 1 <= n <= n_passages:
            invalid.append(n)
            return ""
        if n - 1 not in order:
            order.append(n - 1)
        return f"[{order.index(n - 1) + 1}]"

    text = MARKER.sub(sub, text)
    text = re.sub(r"(\[\d+\])(?:\1)+", r"\1", text)  # [1][1] -> [1]
    text = re.sub(r"[ \t]+([。，；！？,.;!?])", r"\1", text)  # space left where a marker was removed
    return text.strip(), order, invalid


_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])")


def _source_number_forms(text: str, passages: Sequence[SearchResult]) -> str:
    """``60,000`` → ``60000`` when the passages write the figure without thousands separators (the
    model re-formats figures in English answers; the report's own form is the one to copy)."""
    sources = " ".join(p.chunk.text for p in passages)

    def plain(m: re.Match) -> str:
        bare = m.group(0).replace(",", "")
        return bare if m.group(0) not in sources and re.search(rf"(?<![\d.]){re.escape(bare)}(?![\d])", sources) else m.group(0)

    return _GROUPED.sub(plain, text)


@dataclass
class Claim:
    """A figure of an answer and what it is said to be."""

    raw: str
    value: float
    start: int
    end: int
    concept: str | None
    scope: dict[str, str]
    year: int | None
    from_question: bool  # the answer's sentence names no metric: the question's is assumed
    clause: str
    question: str = ""
    asked_unit: str | None = None  # the unit the question asks in (多少人 → 人)
    change: bool = False  # the figure states a change against the year before (比上年增加 18 人), not a level


def _claims(text: str, figures: list[tuple[str, float, int, int]], asks: Sequence, question_years: tuple[int, ...],
            question: str = "") -> list[Claim]:
    masked = mask(text, MARKER)
    bound = extract_figures(masked)
    out = []
    for raw, value, start, end in figures:
        fig = next((f for f in bound if f.start <= start < f.end or start <= f.start < end), None)
        a, b = sentence_bounds(masked, start)
        sentence_years = [y for y in years_in(masked[a:start]) if y not in (int(value),)]
        year = sentence_years[-1] if sentence_years else (question_years[-1] if len(question_years) == 1 else None)
        compared = prior_level(masked, start)
        last_years = compared is not None and not compared.group("year")  # 比 2020 年的: the year is written
        if year is not None and last_years:
            year -= 1  # 较上年的310人: last year's level
        concept = fig.concept if fig is not None and fig.concept else None
        scope = dict(fig.scope) if fig is not None else {}  # 电子信息工程专业 … 376 人: a scope needs no concept
        from_question = False
        same = next((x for x in asks if x.concept == concept), None) if concept else None
        if same is not None:  # the answer names the metric asked for: the question's scope holds unless it says otherwise
            scope = {**same.scope, **scope}
        if concept is None and asks:
            ask = next((x for x in asks if x.concept and vocabulary().concept(x.concept).accepts(unit_of(raw) or "")),
                       None) if unit_of(raw) else next((x for x in asks if x.concept), None)
            if ask is not None:
                concept, scope, from_question = ask.concept, {**ask.scope, **scope}, True
        clause = masked[clause_start(masked, start, a):start]
        if fig is not None and fig.paired is not None and bound[fig.paired].start < fig.start:
            partner = bound[fig.paired]  # 师资建设 1461.0 万元，占 20.5%: the share is named by its count's words
            clause = masked[clause_start(masked, partner.start, a):partner.start]
            if concept is None and partner.concept:
                concept, scope = partner.concept, dict(partner.scope)
        asked = next((x.unit for x in asks if x.unit), None)
        change = fig is not None and not last_years and is_delta(fig)
        if from_question and fig is None:  # the answer names no metric: it states what the question asks
            change = any(x.change for x in asks if x.concept == concept)
        out.append(Claim(raw, value, start, end, concept, scope, year, from_question, clause, question, asked, change))
    return out


def _converted(claim: Claim, fact: Fact) -> bool:
    """1/3 written as 33.33% (or the reverse): the same value in another notation."""
    return _is_percent(claim.raw) != (_is_percent(fact.raw) or fact.unit == "%") and not math.isclose(
        claim.value, fact.value, rel_tol=1e-9, abs_tol=1e-9)


def _judge(claim: Claim, fact: Fact) -> str | None:
    """None when ``fact`` supports ``claim``, else why not: value, converted, range, metric, scope, year."""
    if not same_figure(claim.raw, claim.value, fact.raw, fact.value):
        return "value"
    unit = unit_of(claim.raw)
    if unit and fact.unit and unit != unit_family(fact.unit) and unit != unit_of(fact.raw):
        return "value"
    if _converted(claim, fact):
        return "converted"
    if not _is_percent(claim.raw) and _RATE.search(_TAIL.sub("", claim.clause.strip())):
        return "metric"  # a rate (通过率, 比例) stated as a head count or an amount
    if (claim.from_question or claim.concept is None) and not _answers_unit(claim):
        return "metric"  # 中方派出有多少人 answered with "6 个月"
    if fact.range_to is not None and not re.search(r"[-–—~至到]", claim.raw):
        return "range"
    if fact.delta != claim.change:
        return "metric"  # 61.4% is how much 海外交流 grew, not a level of it (or the reverse)
    if is_running_total(fact) and not CUMULATIVE_WORDS.search(claim.clause + claim.question):
        return "metric"  # 全年派出交换生 asked, 累计派出 235 人 given: a running total is not the year's figure
    vocab = vocabulary()
    if claim.concept and fact.metric and claim.concept != fact.metric:
        # 外方教师 may name 任课教师（外方）: a broader word with a scope; 295 of 教师 is never 任课教师
        if not (vocab.is_part_of(fact.metric, claim.concept) and claim.scope):
            return "metric"
    elif not (claim.concept and fact.metric) and not _same_words(claim, fact):
        return "metric"  # no concept on one side: the words naming the figure must be the passage's
    elif claim.concept is None and _only_scope_words(claim.clause) and not _only_scope_words(fact.label):
        # "中方有多少人为 4 名" against 新进中方专业教师 4 人: a side, not what the passage counts (国家级 8 项 is the
        # passage's own label: it may be given back as it is)
        return "metric"
    fact_scope = fact.scope_dict
    said = re.sub(r"\s+", "", claim.clause)
    for dim, value in claim.scope.items():
        if dim == "part":
            if fact_scope.get("part") and not (_same_part(value, fact_scope["part"]) or fact_scope["part"] in said):
                return "scope"
            continue
        if fact_scope.get(dim) != value and not (dim == "programme" and value == "本科" and dim not in fact_scope):
            return "scope"
    for dim, value in fact_scope.items():
        if dim in claim.scope or (dim == "programme" and value == "本科"):
            continue
        if dim == "part":  # the passage gives a part of a total (其中师资建设 1590.4 万元): the answer must say which
            if re.sub(r"\s+", "", value) not in said:
                return "scope"
            continue
        if claim.concept:  # the passage's figure is about a narrower population than the answer says
            return "scope"
    if claim.year is not None and fact.year is not None and claim.year != fact.year:
        return "year"
    return None


_FILLER = re.compile(r"多少|是多少|有多少|几|为|是|有|达到|达|共计|共|约|的|了|和|与|及|年度|学院|我院|全院|该|其中|"
                     r"(?:19|20)\d\d\s*年?|\d+|[A-Za-z]+|\s+")


def _bigrams(text: str) -> set[str]:
    return cjk_bigrams(_FILLER.sub(" ", text))


def _fact_words(fact: Fact) -> str:
    """The words naming a fact in its passage: its label and the clause around it."""
    at = fact.position()
    left = re.split(r"[，,；;。：:（(、]|\d[\d.,]*\s*[^\d\s，,；;。、]{0,3}", fact.quote[:at])[-1] if at >= 0 else ""
    right = re.split(r"[，,；;。：:（）()\d]", fact.quote[at + len(fact.raw):])[0] if at >= 0 else ""
    return f"{fact.label} {fact.table_col or ''} {left} {right[:8]}"


def _same_words(claim: Claim, fact: Fact) -> bool:
    """Whether the answer names the figure with the passage's words (a metric outside the vocabulary:
    项目学制 4-6 年 is not 共招收 5 人 even though both are in the passage)."""
    words = _bigrams(claim.clause)
    if words:
        return len(words & _bigrams(_fact_words(fact))) >= len(words) / 2
    from assistant.chains.lookup import key_terms  # a bare figure: the question's words, in the fact's sentence

    terms = [t for t in key_terms(claim.question) if _bigrams(t)]
    # nothing names the figure — neither the answer nor the question (学院由有多少个？): not verified
    if not terms:  # a question with no term of its own: the answer's words before the figure must be the passage's
        said = _compact_clause(claim.clause)
        return not claim.question.strip() or (bool(said) and said in re.sub(r"\s+", "", fact.quote))
    return sum(t in fact.quote for t in terms) >= len(terms) / 2


def _only_scope_words(clause: str) -> bool:
    """Whether an answer's words before a figure name nothing but scope qualifiers (中方, 国家级)."""
    said = re.sub(r"\s+", "", clause)
    return bool(_bigrams(said)) and not _bigrams(_strip(said, chinese_scope_words()))


def _naming(words: set[str], fact: Fact) -> tuple[int, int, int]:
    """How well an answer's words name ``fact``: shared word pairs with the fact's own label and clause,
    then how many of those stand there as words of their own (满意 names 满意 893 份 better than
    …满意度调查回收有效问卷 945 份, where it is part of 满意度), then shared pairs with its whole sentence (在校生
    is said earlier in the sentence of 满意度 92.8%)."""
    own = _fact_words(fact)
    shared = words & _bigrams(own)
    vocab = vocabulary()
    return len(shared), sum(vocab.stands_alone(w, own) for w in shared), len(words & _bigrams(fact.quote))


def _strip(text: str, words: Iterable[str]) -> str:
    """``text`` with every wording in ``words`` (longest first) cut out."""
    for w in sorted({re.sub(r"\s+", "", w) for w in words if w.strip()}, key=len, reverse=True):
        text = text.replace(w, " ")
    return text


def _generic(fact: Fact) -> list[str]:
    """The words any statement of ``fact``'s metric and scope may use: the concept's synonyms and label,
    the scope's wordings."""
    vocab = vocabulary()
    concept = vocab.concept(fact.metric)
    return [*(concept.synonyms if concept else ()), vocab.label_of(fact.metric),
            *(w for dim, value in fact.scope for w in vocab.scope_words(dim, value))]


def _names_another(claim: Claim, holding: Sequence[Fact], facts: Sequence[Fact]) -> tuple[Fact, Fact] | None:
    """When the answer's words name another figure of the passage — the same metric, unit and year,
    another value — rather than any figure holding its value, that pair (holding fact, named fact);
    else None: the answer says words beyond the metric and scope that the other figure's own words
    share better (在校生满意度 93.4% where 93.4% is 用人单位满意度 and 在校生's is 92.8%). Only an answer
    naming the figure in its own words is read this way: a bare figure takes the question's metric, and
    an answer saying no more than the metric is not read against the passage's wordings (在读硕士生 27 人
    is 硕士项目在校生 though 在读 is not said)."""
    from assistant.chains.lookup import fact_name

    said = re.sub(r"\s+", "", claim.clause)
    if not _bigrams(said):
        return None
    best = holding[0]
    rivals = [g for g in facts if g not in holding and g.metric == best.metric and g.delta == best.delta
              and unit_family(g.unit) == unit_family(best.unit) and g.range_to is None
              and (g.year is None or best.year is None or g.year == best.year)
              and not same_figure(claim.raw, claim.value, g.raw, g.value)]
    if not rivals:
        return None
    names = [w for f in holding for w in (*_generic(f), fact_name(f), f.label)]
    words = _bigrams(_strip(said, names))  # what the answer says beyond what the holding figures are called
    if not words:
        return None
    best = max(holding, key=lambda f: _naming(words, f))
    rival = max(rivals, key=lambda g: _naming(words, g))
    return (best, rival) if _naming(words, rival) > _naming(words, best) else None


def _compact_clause(clause: str) -> str:
    """An answer's words before a figure without its verb and leading year (``2024年学院由有多少个为`` →
    ``学院由有多少个``, ``46—55岁为`` → ``46—55岁``)."""
    text = re.sub(r"\s+", "", clause)
    text = re.sub(r"^(?:(?:19|20)\d\d(?:年度|年|届)?[，,]?)+", "", text)
    return re.sub(r"(?:为|是|有|达到?|约为?|共|计)+$", "", text)


_ASKED_FAMILIES = {"人": ("人",), "人次": ("人次", "次"), "门": ("门",), "篇": ("篇",), "项": ("项", "件"),
                   "元": ("元",), "年": ("年", "个月", "月"), "日": ("日", "天", "个工作日", "工作日"), "次": ("次", "人次"),
                   "个": ("个",), "%": ("%", "‰")}


def _answers_unit(claim: Claim) -> bool:
    """Whether a figure is in the unit the question asks for (a figure with no unit written may be)."""
    unit = unit_of(claim.raw)
    if claim.asked_unit is None or claim.asked_unit not in _ASKED_FAMILIES or not unit:
        return True
    if claim.asked_unit == "%":
        return _is_percent(claim.raw) or "分之" in claim.raw or "/" in claim.raw
    return unit_family(unit) in {unit_family(u) for u in _ASKED_FAMILIES[claim.asked_unit]}


def _same_part(a: str, b: str) -> bool:
    a, b = re.sub(r"\s+", "", a), re.sub(r"\s+", "", b)
    return a in b or b in a


def _name(concept: str | None, scope: dict[str, str]) -> str:
    vocab = vocabulary()
    base = vocab.label_of(concept) if concept else "（未指明）"
    qualifiers = "、".join(vocab.scope_name(d, v) for d, v in scope.items() if d != "part")
    return f"{base}（{qualifiers}）" if qualifiers else base


_RATE = re.compile(r"(?:率|比例|占比|百分比)$")
_TAIL = re.compile(r"(?:(?:是|为|有)?(?:多少|几)(?:人次|人|名|位)?)?(?:为|达到|达|是|约|有|了)*$")
_DATE_PART = re.compile(r"\d{1,2}\s*[月日号时点](?!\d)|(?<=月)\s*\d{1,2}")


def _not_a_figure(text: str, claim: Claim) -> bool:
    """A number the ledger deliberately leaves out: a year, part of a date or a time (4 月 30 日前, 9 点)."""
    window = text[max(0, claim.start - 2):claim.end + 2]
    year = re.fullmatch(r"((?:19|20)\d\d)\s*(?:年度|年|届|级)?", claim.raw.strip())
    return bool(year or _DATE_PART.search(window)) or text[max(0, claim.start - 1):claim.start] in ("第", "前")


def _restated(text: str, figure: tuple[str, float, int, int], question: str) -> bool:
    """A figure the question itself states, restated with the question's own words before it (就业率是否超过
    95% → "超过95%"): the user's number, not a claim to check. The same number after other words is one."""
    raw, _, start, _ = figure
    before = re.sub(r"\s+", "", text[max(0, start - 6):start])[-3:]
    compact = re.sub(r"\s+", "", question)
    stated = before + re.sub(r"\s+", "", raw)
    return bool(before) and stated in compact


def _only_echoes(figures: Sequence[tuple[str, float, int, int]], question: str) -> list:
    """The answer's figures when a figure question is answered only with numbers the question itself
    states (its 9 名教师 given back as the 为期 asked for): such an answer gives no figure, whatever its
    sentence says; else nothing. Same value in the same unit: 35 人 is not the echo of "35岁以下任课教师
    有多少人"."""
    from assistant.chains.lookup import is_figure_question

    if not figures or not is_figure_question(question):
        return []
    stated = [(raw, v) for raw, v in values_in(question) if not re.fullmatch(r"(?:19|20)\d\d", raw.strip())]
    echo = all(any(same_figure(raw, value, r, v) and unit_of(raw) == unit_of(r) for r, v in stated)
               for raw, value, *_ in figures)
    return list(figures) if echo else []


def _none_in_asked_unit(claims: Sequence[Claim], question: str) -> bool:
    """Whether a figure question asking in a unit (多少个, 多少人次) is answered with figures that all
    state another unit: the answer gives no figure of what was asked."""
    from assistant.chains.lookup import is_figure_question

    asked = claims[0].asked_unit
    return bool(asked) and asked in _ASKED_FAMILIES and is_figure_question(question) \
        and all(unit_of(c.raw) for c in claims) and not any(_answers_unit(c) for c in claims)


def passage_key(position: int, result: SearchResult) -> str:
    """The key of a passage's facts: its chunk id, or its position when it has none (fixtures)."""
    return result.chunk.id or f"#{position}"


def verify_answer(
    text: str,
    passages: Sequence[SearchResult],
    *,
    question: str = "",
    facts: dict[str, list[Fact]] | None = None,
    quoted: bool = False,
) -> Verification:
    """Check ``text`` (a model answer over the numbered ``passages``, 1-based markers) by meaning.

    ``quoted``: ``text`` quotes the passages' sentences verbatim (only its markers are checked).
    ``question`` may hold the original and the standalone question joined: numbers it mentions
    (years, thresholds the user gave) are not treated as figures needing a source, and what it asks
    binds a figure whose sentence names no metric. ``facts`` maps chunk ids to their ledger facts
    (computed from the passage texts when not given).
    """
    from assistant.chains.lookup import asks as question_asks

    text = _source_number_forms(normalise_markers(text.strip()), passages)
    question_years = [(str(y), float(y)) for y in years_in(question)]
    first_line = question.splitlines()[-1] if question.strip() else ""
    figures = [f for f in figures_in(text) if not contains_figure(f[0], f[1], question_years)]
    echoes = _only_echoes(figures, first_line)
    figures = [f for f in figures if not _restated(text, f, question)]
    raw_markers = markers_in(text)

    if says_not_found(text) and not figures:
        # the model says the material lacks the answer: keep its words, cite nothing
        return Verification(text=_renumber(text, 0)[0], not_found=True, invalid_markers=[], mode="not_found")

    if quoted:  # the passages' own sentences, quoted: every figure stands for what its source says
        figures = []
    facts = facts if facts is not None else {}
    passage_facts = [facts[passage_key(i, p)] if passage_key(i, p) in facts else facts_for_chunk(p.chunk)
                     for i, p in enumerate(passages)]
    passage_values = [values_in(p.chunk.text) + ([(str(p.chunk.year), float(p.chunk.year))] if p.chunk.year else [])
                      for p in passages]
    claims = _claims(text, figures, question_asks(first_line) if first_line else [], named_years(first_line),
                     first_line)

    valid_cited = {n - 1 for n in raw_markers if 1 <= n <= len(passages)}
    unsupported: list[str] = []
    if echoes:  # "…派出 9 名教师…为期多少" → "为9 名": the question's own number, no answer
        unsupported = list(dict.fromkeys(f[0].strip() for f in echoes))
        claims = []
    elif claims and _none_in_asked_unit(claims, first_line):  # 多少个 answered with 295 人 only
        unsupported = list(dict.fromkeys(c.raw.strip() for c in claims))
        claims = []
    mismatches: list[dict] = []
    named_other: dict[int, tuple[Fact, Fact]] = {}  # claim → (the fact holding its value, the fact its words name)
    insertions: list[tuple[int, int, int]] = []  # (position, figure end, 0-based passage)
    auto: list[int] = []
    for claim in claims:
        said = re.sub(r"\s+", "", claim.clause + claim.question)
        for fs in passage_facts:  # a part or major of the passage the answer names (even without 专业) is its scope
            for f in fs:
                for dim, value in f.scope:
                    if dim in ("part", "major") and dim not in claim.scope and len(value) >= 2 \
                            and re.sub(r"\s+", "", value) in said:
                        claim.scope[dim] = value

        def supported(i: int) -> bool:
            verdicts = [_judge(claim, f) for f in passage_facts[i]]
            holding = [f for f, v in zip(passage_facts[i], verdicts) if v is None]
            if holding:
                other = _names_another(claim, holding, passage_facts[i])
                if other is not None:  # 在校生满意度 93.4%: the passage's 93.4% is 用人单位's, its 在校生 figure another
                    named_other.setdefault(id(claim), other)
                    return False
                return True
            if claim.concept is None and all(v == "value" for v in verdicts) and _not_a_figure(text, claim):
                # what the ledger leaves out on purpose (a date, a time of day): checked by value in the passage text
                return _supports(claim.raw, claim.value, passage_values[i])
            return False

        if any(supported(i) for i in valid_cited):
            continue
        holder = next((i for i in range(len(passages)) if supported(i)), None)
        if holder is not None:
            insertions.append((_insert_point(text, claim.end), claim.end, holder))
            if holder not in auto:
                auto.append(holder)
            valid_cited.add(holder)
            continue
        same_value = [(f, _judge(claim, f)) for fs in passage_facts for f in fs]
        wrong = next(((f, why) for f, why in same_value if why not in ("value", None)), None)
        if id(claim) in named_other:
            wrong = (named_other[id(claim)][0], "metric")
        if wrong is not None:
            f, why = wrong
            mismatches.append({"raw": claim.raw.strip(), "claimed": _name(claim.concept, claim.scope),
                               "passage": _name(f.metric or None, f.scope_dict) if f.metric else f.label,
                               "passage_raw": f.raw, "reason": why, "quote": f.quote})
        elif claim.raw.strip() not in unsupported:
            unsupported.append(claim.raw.strip())

    done: set[tuple[int, int]] = set()
    for pos, end, idx in sorted(insertions, key=lambda t: t[0], reverse=True):
        marker = f"[{idx + 1}]"
        if (pos, idx) in done or marker in text[end:pos]:
            continue
        done.add((pos, idx))
        text = text[:pos] + marker + text[pos:]

    text, order, invalid = _renumber(text, len(passages))
    citations = [citation(i + 1, passages[idx]) for i, idx in enumerate(order)]
    return Verification(
        text=text,
        citations=citations,
        cited=order,
        invalid_markers=invalid,
        unsupported_numbers=unsupported,
        auto_cited=auto,
        not_found=False,
        mismatches=mismatches,
    )


def mismatch_message(m: dict, language: str = "zh") -> str:
    """``资料中的 12 人是“任课教师（博士项目）”的数字，不是“招生人数（博士项目）”``."""
    reasons = {"converted": ("不可换算改写", "must not be converted"), "range": ("原文是一个范围", "the source gives a range"),
               "year": ("年份不符", "another year"), "scope": ("范围不符", "another scope"), "metric": ("指标不符", "another metric")}
    zh, en = reasons.get(m.get("reason", ""), ("不符", "does not match"))
    if language == "en":
        return (f"{m['raw']}: the passage gives {m['passage_raw']} for “{m['passage']}”, not for “{m['claimed']}” ({en})")
    return f"{m['raw']}：资料中的 {m['passage_raw']} 是“{m['passage']}”的数字，不是“{m['claimed']}”（{zh}）"


def merge_verifications(parts: Sequence[Verification]) -> Verification:
    """One answer from verified parts (one per year of a multi-year question): texts joined line by
    line, citations renumbered 1..m across parts, a passage cited by several parts listed once."""
    if len(parts) == 1:
        return parts[0]
    texts: list[str] = []
    citations: list[dict] = []
    number: dict[tuple[str, str], int] = {}
    unsupported: list[str] = []
    mismatches: list[dict] = []
    for part in parts:
        mapping: dict[int, int] = {}
        for c in part.citations:
            key = (c["source"], c["quote"])
            if key not in number:
                number[key] = len(citations) + 1
                citations.append({**c, "n": number[key]})
            mapping[c["n"]] = number[key]
        texts.append(MARKER.sub(lambda m: f"[{mapping.get(int(m.group(1)), int(m.group(1)))}]", part.text))
        unsupported += [raw for raw in part.unsupported_numbers if raw not in unsupported]
        mismatches += part.mismatches
    modes = {part.mode for part in parts}
    return Verification(
        text="\n".join(texts),
        citations=citations,
        invalid_markers=[n for part in parts for n in part.invalid_markers],
        unsupported_numbers=unsupported,
        not_found=all(part.not_found for part in parts),
        mismatches=mismatches,
        mode=modes.pop() if len(modes) == 1 else "mixed",
        notice=next((part.notice for part in parts if part.notice), ""),
    )


# Public names of the checks above, for drafting's guard (:mod:`assistant.drafting.guard`), which
# applies the same verification by meaning to generated report text.
claims_in = _claims
judge = _judge
renumber = _renumber
binding_name = _name
supports = _supports
