"""Figures as facts: metric · value · unit · year · scope · source.

A number on its own means nothing — "12" is 任课教师 in one clause and 首届招生 in the next — so every
figure the product reads is turned into a :class:`Fact`: the concept of the vocabulary it is about
and the scope qualifiers that narrow it (bound by :mod:`assistant.figures.binding`), its value as
written and as a number, unit, the year it is about, and where it stands (source, section, page,
sentence). Verification, fact lookup for figure questions, the year-over-year table and the draft
check compare facts, never bare digits.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from assistant.domain import vocabulary
from assistant.domain.vocabulary import Scope
from assistant.text.numbers import is_fraction
from assistant.text.sentences import sentence_bounds
from assistant.text.years import LAST_YEAR_SUBJECT, YEAR_NIAN, is_year, prior_level

from .align import is_cumulative
from .binding import clause_start
from .extract import Figure, extract_figures, is_delta


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
        if self.unit in ("%", "‰") or (not self.unit and is_fraction(self.raw.split()[0] if self.raw else "")):
            return "share"
        if not self.unit:
            return "ratio"
        if self.unit.endswith("元") or self.unit.startswith("元"):
            return "money"
        return "count"

    @property
    def scope_dict(self) -> dict[str, str]:
        return dict(self.scope)

    def position(self) -> int:
        """Where ``raw`` stands in ``quote`` (not inside a longer number: 7.3% is not the end of 47.3%); -1
        when the quote does not hold it."""
        m = re.search(rf"(?<![\d.]){re.escape(self.raw)}", self.quote)
        return m.start() if m else -1

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


def _figure_year(text: str, f: Figure, default: int | None, compared: bool = False) -> int | None:
    """The year a figure is about: a year written (with 年) in its clause before it, else ``default``
    (last year's for a clause about last year, unless ``compared``: the words right before the figure
    already make it last year's level — the caller subtracts that year)."""
    if f.table_row is not None:  # a year row (| 2021 | 1286 |, a statistics sheet's year column) or 2021年 in a label
        if is_year(f.table_row.strip().removesuffix("年").removesuffix("年度")):
            return int(f.table_row.strip()[:4])
        years = [int(m.group(1)) for m in YEAR_NIAN.finditer(f"{f.table_row} {f.table_col}")]
        return years[-1] if years else default
    a, _ = sentence_bounds(text, f.start)
    clause = text[clause_start(text, f.start, a):f.start]
    years = [int(m.group(1)) for m in YEAR_NIAN.finditer(clause)
             if not re.match(r"[级]|(?:度)?(?:至今|以来|起|开始|到现在)", clause[m.end():m.end() + 4])  # 2016年至今: since
             and not (_COMPARED.search(clause[:m.start()]) and not re.fullmatch(r"(?:度)?(?:末|底|同期)?的?\s*", clause[m.end():]))]
    if not years and default is not None and LAST_YEAR_SUBJECT.match(clause) and not compared:
        return default - 1  # 上年招生 100 人: a clause about last year
    return years[-1] if years else default


_COMPARED = re.compile(r"(?:比|较|与|相比|同比)\s*$")
"""``比 2020 年的 57 人少 15 人``: 2020 is the year of 57 (stated right after it) but only the base of the
change 15, which is the report year's."""


CUMULATIVE_WORDS = re.compile(r"累计|至今|迄今|以来|历年|总数已|in total since|cumulative", re.IGNORECASE)
"""Words asking for, or naming, a running total (累计派出 235 人, 建院以来)."""


def is_running_total(fact: Fact) -> bool:
    """A running total: read so from its sentence, or a table row that says so (累计派出交换生 · 2024年)."""
    return fact.cumulative or bool(fact.table_row and CUMULATIVE_WORDS.search(fact.table_row))


_PRIOR_BEFORE = re.compile(r"(?:由|从)\s*$")
_PRIOR_AFTER = re.compile(r"\s*(?:增至|增加到|增加至|增长到|增长至|提高到|提高至|提升到|提升至|上升到|上升至|下降到|下降至|降至|降低到|减少到|减少至|扩大到)")
"""``由 3 个增至 4 个``: the first figure is the earlier value, not a level of the report's year."""


def facts_from_figures(text: str, figures: list[Figure], *, year: int | None = None, page: int | None = None,
                       chunk_id: str = "") -> list[Fact]:
    """Facts for figures already extracted from ``text``."""
    out: list[Fact] = []
    previous_end = 0
    for f in figures:
        cumulative = is_cumulative(text, f, previous_end) if f.table_row is None else False
        previous_end = f.end
        label = (f"{f.table_row}{'·' + f.table_col if f.table_col else ''}" if f.table_row is not None else f.metric)
        prior = _PRIOR_BEFORE.search(text[max(0, f.start - 3):f.start]) and _PRIOR_AFTER.match(text[f.end:f.end + 6])
        compared = prior_level(text, f.start) if f.table_row is None else None
        fact_year = _figure_year(text, f, year, compared is not None)
        last_years = fact_year is not None and compared is not None and not compared.group("year")
        out.append(Fact(
            metric=f.concept, label=label, value=f.value, raw=f.raw, unit=f.unit,
            year=fact_year - 1 if last_years else fact_year, scope=f.scope, qualifier=f.qualifier,
            range_to=f.range_to, cumulative=cumulative, delta=compared is None and (is_delta(f) or bool(prior)),
            source=f.source, section=f.section, page=page,
            quote=f.sentence, start=f.start, end=f.end, chunk_id=chunk_id, table_row=f.table_row,
            table_col=f.table_col, decimals=f.decimals))
    return out


def facts_from_text(text: str, *, source: str = "", year: int | None = None, section: str = "",
                    page: int | None = None, chunk_id: str = "") -> list[Fact]:
    """Every figure of ``text`` as a fact (document order)."""
    figures = extract_figures(text, source=source, year=year, section=section)
    return facts_from_figures(text, figures, year=year, page=page, chunk_id=chunk_id)
