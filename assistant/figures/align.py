"""Year-over-year alignment of figures: the same metric found in reports of different years.

Records are ``(text, year, source, section)`` tuples of indexed report passages. Two figures describe
the same metric when their units agree (人/名/位 count as one), both or neither are cumulative
(累计, 至今 …) and their labels are similar (character-bigram Dice); the section title breaks ties.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from assistant.text.numbering import headings, section_at, strip_numbering
from assistant.text.sentences import paragraph_bounds, sentence_bounds
from assistant.text.years import YEAR_SPAN

from .extract import Figure, extract_figures

Record = tuple[str, int, str, str]

_PERSON_UNITS = {"人", "名", "位"}
_CUMULATIVE_RE = re.compile(r"累计|至今|迄今|以来|历年|先后|共派出|共培养|共输送|共选派|总数已达|总量已达|" + YEAR_SPAN.pattern)
MIN_LABEL_SIMILARITY = 0.55
TAIL = 8
# Labels naming complementary sides of a whole (出国/国内 深造率, 中方/英方 教师 …).
COMPLEMENTS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("出国", "出境", "境外", "海外", "国外"), ("国内", "境内")),
    (("中方",), ("英方", "外方")),
    (("男",), ("女",)),
    (("线上",), ("线下",)),
    (("已落实", "已完成", "已解决", "已整改"), ("未落实", "未完成", "未解决", "尚未")),  # 其中151条已落实…未落实的7条
    (("学生",), ("教职工", "教工")),  # 党员 127 名，其中学生党员 94 名、教职工党员 33 名
    (("国际级",), ("国家级",), ("省级",), ("市级",), ("校级",), ("院级",)),
)


class YearValue(NamedTuple):
    """A metric's value in one year, with where it was found."""

    value: float
    raw: str
    source: str
    quote: str


@dataclass
class MetricRow:
    """One metric across years."""

    metric: str
    unit: str
    section: str = ""
    values: dict[int, YearValue] = field(default_factory=dict)

    def to_json(self) -> dict:
        """Plain-dict form; years are string keys."""
        return {"metric": self.metric, "unit": self.unit, "section": self.section,
                "values": {str(y): v._asdict() for y, v in sorted(self.values.items())}}


@dataclass
class SourcedFigure:
    """A figure of an indexed passage plus the facts alignment needs."""

    figure: Figure
    quote: str
    cumulative: bool


def unit_family(unit: str) -> str:
    """Units that count the same thing compare equal (人/名/位 → 人)."""
    return "人" if unit in _PERSON_UNITS else unit


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"\s+", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def _mixed(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    common = len(x & y)
    dice = 2 * common / (len(x) + len(y))
    return (dice + common / min(len(x), len(y))) / 2 if min(len(x), len(y)) >= 3 else dice


def label_similarity(a: str, b: str) -> float:
    """Similarity of two labels in [0, 1]: mean of the character-bigram Dice and overlap coefficients
    (overlap lets a short label match a longer wording), also tried on the last ``TAIL`` characters,
    since the head noun of a Chinese noun phrase comes last. A label that only adds a modifier in
    front of the other scores low."""
    a, b = re.sub(r"\s+", "", a), re.sub(r"\s+", "", b)
    short, long = sorted((a, b), key=len)
    extra = long[: len(long) - len(short)]
    if short != long and long.endswith(short) and len(extra) <= 6 and "的" not in extra:
        return _mixed(a, b) / 4  # a modifier in front names another population: 英方任课教师 ≠ 任课教师
    score = _mixed(a, b)
    if len(a) > TAIL and len(b) > TAIL:
        score = max(score, _mixed(a[-TAIL:], b[-TAIL:]))
    return score


def _aspects(label: str) -> list[frozenset[int]]:
    return [frozenset(i for i, words in enumerate(group) if any(w in label for w in words)) for group in COMPLEMENTS]


def _section_title(section: str) -> str:
    return " ".join(strip_numbering(part) for part in section.split(" > "))


def match_score(a: Figure, b: Figure) -> float:
    """How likely two figures describe the same metric: 0 when units differ, when they are bound to
    different concepts or scopes (:mod:`assistant.figures.binding`), when one is a table cell
    and the other is not, when the labels name different sides of a partition (出国 vs 国内) or when
    both are parts of totals that differ (在校生其中… vs 招生其中…)."""
    if unit_family(a.unit) != unit_family(b.unit) or not a.metric or not b.metric:
        return 0.0
    if a.concept and b.concept and a.concept != b.concept:
        return 0.0  # bound to different concepts of the vocabulary: 核心课程 (外方承担) is not 任课教师 (外方)
    if any(dict(b.scope).get(dim, value) != value for dim, value in a.scope):
        return 0.0
    if (a.table_row is None) != (b.table_row is None) or _aspects(a.metric) != _aspects(b.metric):
        return 0.0
    if a.table_col is not None and label_similarity(a.table_col, b.table_col or "") < MIN_LABEL_SIMILARITY:
        return 0.0
    if a.context and b.context and label_similarity(a.context, b.context) < MIN_LABEL_SIMILARITY:
        return 0.0
    label = label_similarity(a.metric, b.metric)
    if label < MIN_LABEL_SIMILARITY:
        return 0.0
    sect = label_similarity(_section_title(a.section), _section_title(b.section)) if a.section and b.section else 0.5
    return 0.85 * label + 0.15 * sect


def _window(text: str, f: Figure, after: int) -> str:
    a, _ = sentence_bounds(text, f.start)
    return text[max(a, after):f.start] + f.metric


def is_cumulative(text: str, f: Figure, after: int = 0) -> bool:
    """Whether a count is a running total (累计, 2016年至今, 共派出, 2017-2020年共计 …).

    Only the sentence text from ``after`` (normally the end of the previous figure) is read, so the
    parts listed after a cumulative total are not cumulative themselves. A duration (四年, 6个月) is
    never a running total, nor is a sum over a stated span (``学生四年累计修读法语约 480 学时``: a
    programme's requirement, the same every year)."""
    if f.unit in _DURATIONS or (_SPAN_BEFORE.search(text[max(0, after - 8):after] if after else "")
                                and not text[after:after + 2].startswith(("来", "以来"))):
        return False  # (建院六年来，累计培养毕业生 669 人: since the founding, a running total)
    return f.unit not in ("%", "‰", "") and bool(_CUMULATIVE_RE.search(_window(text, f, after)))


_DURATIONS = ("年", "个月", "月", "天", "日", "周", "学期", "个学期", "学年", "工作日", "个工作日")
_SPAN_BEFORE = re.compile(r"(?:[\d一二两三四五六七八九十]+)[ \t]*(?:年|个学期|学期|学年)$")


def closed_range_end(text: str, f: Figure, after: int = 0) -> int | None:
    """End year of a closed period stated before a figure (``2017-2020年共计`` → 2020)."""
    m = YEAR_SPAN.findall(_window(text, f, after))
    return int(m[-1][1]) if m else None


def quote_of(text: str, f: Figure, width: int = 14) -> str:
    """Short exact excerpt of ``text`` holding ``f`` (and its ``（N 人）`` partner when it follows)."""
    sent_start, _ = sentence_bounds(text, f.start)
    para_start, _ = paragraph_bounds(text, f.start)
    a = max(sent_start, para_start, f.start - width)
    a = max(a, *(text.rfind(ch, a, f.start) + 1 for ch in "；;"))
    while a > max(sent_start, para_start) and (text[a - 1].isdigit() or text[a - 1] in ".,%") \
            and text[a].isdigit():
        a -= 1  # never start inside a number ("022年" of "2022年")
    b = f.end
    m = re.match(r"[ \t]*[（(][^）)\n]{0,12}[）)]", text[b:])
    if f.unit == "%" and f.paired is not None and m:
        b += m.end()
    return text[a:b].strip()


def sourced_figures(records: Iterable[Record]) -> list[SourcedFigure]:
    """Figures of every record, deduplicated across overlapping passages."""
    out: list[SourcedFigure] = []
    seen: set[tuple] = set()
    for text, year, source, section in records:
        previous_end = 0
        for f in extract_figures(text, source=source, year=year, section=section):
            key = (year, source, f.raw, f.metric, f.sentence)
            if key not in seen:
                seen.add(key)
                out.append(SourcedFigure(f, quote_of(text, f), is_cumulative(text, f, previous_end)))
            previous_end = f.end
    return out


def records_from_text(text: str, year: int, source: str) -> list[Record]:
    """Split a whole report into one record per paragraph, each with its heading path."""
    heads = headings(text)
    head_offsets = {off for off, _, _ in heads}
    out: list[Record] = []
    for m in re.finditer(r"[^\n]+", text):
        para = m.group().strip()
        if not para or m.start() + len(m.group()) - len(m.group().lstrip()) in head_offsets:
            continue
        out.append((para, year, source, section_at(heads, m.start())))
    return out


def metric_table_to_json(rows: Iterable[MetricRow]) -> dict:
    """``{"metrics": [row.to_json(), …]}``."""
    return {"metrics": [r.to_json() for r in rows]}
