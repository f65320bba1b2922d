"""Figures as facts: metric · value · unit · year · scope · source.

A number on its own means nothing — "12" is 任课教师 in one clause and 首届招生 in the next — so every
figure the product reads is turned into a :class:`Fact` bound to a concept of the vocabulary
(:mod:`assistant.domain.vocabulary`) and the scope qualifiers that narrow it (国际级, 博士项目, 海外,
35 岁以下 …). Verification, fact lookup for figure questions, the year-over-year table and the draft
check compare facts, never bare digits.

Binding a figure (:func:`bind_figure`) reads, in order, until one names a concept that accepts the
figure's unit: the extractor's label (for a table cell: row label, then column header), the
population it is a part or share of (``其中``/``对 113 名任课教师``), the clause before the figure with
the noun after its unit, then the subject of the sentence. A label naming the *parent* of the
population's concept takes the population (``任课教师 122 人，其中外方教师 43 人`` → 任课教师 · 外方).
Scope qualifiers are read from the label and the clause (local: 国内/海外, 中方/外方, levels, ages), and
a programme (本科/硕士/博士) also from the sentence subject, the section title, or — for ``该项目`` —
the sentence before. The matched concept words are removed before scope words are read, so 博士生导师
is not a 博士-programme scope and 博士学位 is not one either.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from assistant.domain import Binding, vocabulary
from assistant.domain.vocabulary import Scope
from assistant.text.sentences import paragraph_bounds, sentence_bounds
from assistant.text.years import YEAR_NIAN

from .align import is_cumulative
from .extract import Figure, extract_figures, is_delta

_CLAUSE_DELIMS = "，。；：,;:！？!?\n（）()"
_ANAPHORA = re.compile(r"该项目|本项目|该专业|本专业|该机构")
_INHERITED_PROGRAMMES = ("博士", "硕士")  # 本科 is the default programme of these reports: never inherited


@dataclass(frozen=True)
class Fact:
    """One figure of a passage as a fact. ``metric`` is the concept id ("" when the vocabulary does
    not name it; ``label`` then carries the meaning); ``quote`` is the sentence (or table row) it
    stands in; ``start``/``end`` locate ``raw`` in the passage text."""

    metric: str
    label: str
    value: float
    raw: str
    unit: str
    year: int | None
    scope: Scope = ()
    qualifier: str = ""
    range_to: float | None = None
    cumulative: bool = False
    delta: bool = False
    source: str = ""
    section: str = ""
    page: int | None = None
    quote: str = ""
    start: int = 0
    end: int = 0
    chunk_id: str = ""
    table_row: str | None = None
    table_col: str | None = None
    decimals: int = 0

    @property
    def kind(self) -> str:
        """``share`` (%, ‰, fractions), ``ratio`` (unitless, e.g. 生师比), ``money`` or ``count``."""
        if self.unit in ("%", "‰") or (not self.unit and self.value < 1 and "分之" in self.raw or "/" in self.raw):
            return "share"
        if not self.unit:
            return "ratio"
        if self.unit.endswith("元") or self.unit.startswith("元"):
            return "money"
        return "count"

    @property
    def scope_dict(self) -> dict[str, str]:
        return dict(self.scope)

    @property
    def name(self) -> str:
        """What the fact is about, for people: the canonical label with its scope (``任课教师（外方）``)."""
        base = vocabulary().label_of(self.metric) if self.metric else self.label
        qualifiers = "、".join(v for _, v in self.scope)
        return f"{base}（{qualifiers}）" if qualifiers else base

    def to_json(self) -> dict:
        d = asdict(self)
        d["scope"] = dict(self.scope)
        return d

    @classmethod
    def from_json(cls, d: dict) -> Fact:
        d = dict(d)
        d["scope"] = tuple(sorted((d.get("scope") or {}).items()))
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


def _clause_start(text: str, pos: int, floor: int) -> int:
    i = pos - 1
    while i >= floor and text[i] not in _CLAUSE_DELIMS:
        i -= 1
    return max(i + 1, floor)


def _right_noun(text: str, end: int) -> str:
    b = end
    while b < len(text) and text[b] not in _CLAUSE_DELIMS and not text[b].isdigit() and b - end < 16:
        b += 1
    return text[end:b]


def _subject(text: str, pos: int) -> str:
    a, _ = sentence_bounds(text, pos)
    head = text[a:pos]
    m = re.match(r"[^，,；;：:]*", head)
    return m.group(0) if m else ""


def bind(candidates: list[str], unit: str, context: str = "") -> Binding:
    """The concept and scope of a figure in ``unit`` given its describing texts, most specific first."""
    vocab = vocabulary()
    concept, where = None, ""
    for text in candidates:
        found = vocab.concept_in(text, unit) if text else None
        if found:
            concept, where = found[0], text
            span = found[1]
            break
    if context:
        ctx = vocab.concept_in(context, unit)
        if ctx and (concept is None or vocab.is_part_of(ctx[0].id, concept.id)):
            concept, where, span = ctx[0], "", (0, 0)
    scope: dict[str, str] = {}
    for text in candidates:
        exclude = [span] if concept is not None and text == where else []
        for dim, value in vocab.scope_in(text, exclude).items():
            scope.setdefault(dim, value)
    return Binding(concept.id if concept else None, tuple(sorted(scope.items())), candidates[0] if candidates else "")


def bind_figure(text: str, f: Figure, previous_end: int = 0, section: str = "") -> Binding:
    """The concept and scope of figure ``f`` of ``text`` (see module docstring)."""
    if f.table_row is not None:
        candidates = [f.table_row or "", f.table_col or ""]
        binding = bind(candidates, f.unit, f.context)
    else:
        para_start, _ = paragraph_bounds(text, f.start)
        clause = text[_clause_start(text, f.start, max(para_start, previous_end)):f.start] + _right_noun(text, f.end)
        binding = bind([f.metric, clause], f.unit, f.context)
    scope = dict(binding.scope)
    vocab = vocabulary()
    if "programme" not in scope:
        sources = [_subject(text, f.start), section]
        a, _ = sentence_bounds(text, f.start)
        if _ANAPHORA.search(text[a:f.start]) and a > 0:
            pa, _ = sentence_bounds(text, a - 1)
            sources.append(text[pa:a])
        for source in sources:
            found = vocab.concept_in(source) if source else None
            value = vocab.scope_in(source, [found[1]] if found else []).get("programme") if source else None
            if value in _INHERITED_PROGRAMMES:
                scope["programme"] = value
                break
    return Binding(binding.concept, tuple(sorted(scope.items())), binding.label)


def _figure_year(text: str, f: Figure, default: int | None) -> int | None:
    """The year a figure is about: a year written (with 年) in its clause before it, else ``default``."""
    if f.table_row is not None:
        years = [int(m.group(1)) for m in YEAR_NIAN.finditer(f"{f.table_row} {f.table_col}")]
        return years[-1] if years else default
    a, _ = sentence_bounds(text, f.start)
    clause = text[_clause_start(text, f.start, a):f.start]
    years = [int(m.group(1)) for m in YEAR_NIAN.finditer(clause) if not text[m.end():m.end() + 1] == "级"]
    return years[-1] if years else default


def facts_from_figures(text: str, figures: list[Figure], *, year: int | None = None, page: int | None = None,
                       chunk_id: str = "") -> list[Fact]:
    """Facts for figures already extracted from ``text``."""
    out: list[Fact] = []
    previous_end = 0
    for f in figures:
        binding = bind_figure(text, f, previous_end, f.section)
        cumulative = is_cumulative(text, f, previous_end) if f.table_row is None else False
        previous_end = f.end
        label = (f"{f.table_row}{'·' + f.table_col if f.table_col else ''}" if f.table_row is not None else f.metric)
        out.append(Fact(
            metric=binding.concept or "", label=label, value=f.value, raw=f.raw, unit=f.unit,
            year=_figure_year(text, f, year), scope=binding.scope, qualifier=f.qualifier, range_to=f.range_to,
            cumulative=cumulative, delta=is_delta(f), source=f.source, section=f.section, page=page,
            quote=f.sentence, start=f.start, end=f.end, chunk_id=chunk_id, table_row=f.table_row,
            table_col=f.table_col, decimals=f.decimals))
    return out


def facts_from_text(text: str, *, source: str = "", year: int | None = None, section: str = "",
                    page: int | None = None, chunk_id: str = "") -> list[Fact]:
    """Every figure of ``text`` as a fact (document order)."""
    figures = extract_figures(text, source=source, year=year, section=section)
    return facts_from_figures(text, figures, year=year, page=page, chunk_id=chunk_id)


@dataclass
class FactQuery:
    """What a question asks for: a concept (or, without one, its key words), a scope, a unit."""

    concept: str | None
    scope: dict[str, str] = field(default_factory=dict)
    unit: str | None = None  # the unit the question asks in (多少人 → 人, 比例 → %), None = any
    words: tuple[str, ...] = ()
    label: str = ""
