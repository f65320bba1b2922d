"""Section drafting for the annual self-assessment report: *update* last year's section with this
year's figures (deterministic), or *write* it anew with the chat model (exemplars + regulations).

Public API::

    deps = DraftDeps.from_services(services)            # or DraftDeps(chunks=..., chat_model=..., retriever=...)
    result = draft_section(deps, "师资建设", 2021, notes, mode="update", table=None)
    result.to_json()  # {"section","year","mode","text","citations","placeholders","not_updated","findings"}

Notes (:func:`parse_notes`) are bullet lines of this year's facts, Chinese or English (``- 任课教师 120 人``,
``生师比：7.05``, ``Teaching staff: 120, of which 35 from Glasgow``); a table (:func:`load_table`:
Markdown, CSV or XLSX) adds one fact per numeric cell (metric = row label).

Conventions shared by both modes

* ``text`` is Markdown: ``## 三. 师资建设`` then ``###`` sub-headings and paragraphs.
* Facts taken from the notes are **not** marked: the notes are the author's own material. Facts
  taken from a passage (an exemplar or a regulation article) carry ``[n]``; ``citations`` holds one
  entry per marker, ``{"n","source","section","year","page","quote"}`` (quote = the passage text).
  In update mode each paragraph block ends with the marker of the prior-year passage it was built
  from, so every unchanged sentence is traceable to that passage.
* ``【待补充：<指标>】`` marks a figure the notes do not give. ``placeholders`` lists every one as
  ``{"text","metric","reason","replaced"}`` — ``reason`` is ``missing`` (the model left it),
  ``stale`` (a prior-year figure the model copied; ``replaced`` holds it) or ``unsupported`` (a
  figure found nowhere; ``replaced`` holds it).
* Update mode never invents a figure but keeps last year's wording: every figure it could not
  update is wrapped ``==30.9%==`` (Markdown "mark"; the DOCX export highlights it yellow) and listed
  in ``not_updated`` as ``{"raw","metric","sentence"}``. So is a year that may not denote the report
  year (``通过 2020 年教育部…评估``); report-year mentions (``2020 年，…``, ``2020 届``, ``截至 2020 年``)
  are moved to the new year.
* ``findings`` are :func:`assistant.figures.check_draft` results against the prior years' reports
  (quotes are substrings of :attr:`DraftResult.plain_text`, i.e. ``text`` without ``==`` marks).
"""

from __future__ import annotations

import csv
import io
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from langchain_core.messages import BaseMessage, HumanMessage
from langchain_core.runnables import RunnableLambda

from assistant.chains.verify import _renumber, citation, contains_figure, figures_in, values_in
from assistant.figures import Figure, check_draft, extract_figures
from assistant.figures.align import MIN_LABEL_SIMILARITY, label_similarity, unit_family
from assistant.figures.extract import explicit_base
from assistant.prompts import load_prompt, render
from assistant.text.markup import PLACEHOLDER, markers_in, normalise_markers, placeholder, strip_highlights
from assistant.text.numbering import BULLET, mask_heading_numbering, strip_numbering
from assistant.text.numbers import format_number
from assistant.text.sentences import paragraph_bounds, sentence_bounds, sentence_end
from assistant.text.tables import cell_at, is_table_line, write_table
from assistant.text.years import YEAR
from assistant.types import Chunk, SearchResult

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.services import Services

__all__ = ["SECTIONS", "DraftDeps", "DraftResult", "NoteFact", "draft_section", "load_table", "parse_notes",
           "section_chunks", "section_markdown", "strip_highlights"]

SECTIONS = ("办学基本情况", "学生培养", "师资建设", "教学组织", "教学质量监控", "项目管理", "财务状况", "社会评价", "办学特色")
_CN_ORDINALS = "一二三四五六七八九十"
_CJK = re.compile(r"[\u4e00-\u9fff]")


class SupportsSearch(Protocol):
    def search(self, query: str, *, k: int = 5, year: int | None = None,
               doc_type: str | None = None) -> list[SearchResult]: ...


# --------------------------------------------------------------------------------------------------
# results and dependencies


@dataclass
class DraftResult:
    """A drafted section. ``to_json`` has exactly the documented keys; the other attributes are extras
    for the UI/benchmarks (notes that matched nothing, timing)."""

    section: str
    year: int
    mode: str
    text: str
    citations: list[dict] = field(default_factory=list)
    placeholders: list[dict] = field(default_factory=list)
    not_updated: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    unused_notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def plain_text(self) -> str:
        """``text`` without the ``==…==`` highlight marks (finding quotes are substrings of it)."""
        return strip_highlights(self.text)

    def to_json(self) -> dict:
        return {"section": self.section, "year": self.year, "mode": self.mode, "text": self.text,
                "citations": [dict(c) for c in self.citations], "placeholders": [dict(p) for p in self.placeholders],
                "not_updated": [dict(n) for n in self.not_updated], "findings": [dict(f) for f in self.findings],
                "unused_notes": list(self.unused_notes)}


@dataclass
class DraftDeps:
    """What drafting needs. ``chunks``: the indexed chunks (a list or a callable returning them, e.g.
    ``catalog.chunks``). ``chat_model``: a LangChain chat model or a zero-argument factory (only
    called in write mode, so update mode never starts a model). ``retriever``: anything with
    ``search(query, *, k, year, doc_type)``; without one, regulation articles are ranked by BM25 over
    the chunks."""

    chunks: Sequence[Chunk] | Callable[[], Sequence[Chunk]]
    chat_model: Any = None
    retriever: SupportsSearch | None = None

    @classmethod
    def from_services(cls, services: Services) -> DraftDeps:
        return services.draft_deps()  # Services wires the one chat model and the retriever

    def all_chunks(self) -> list[Chunk]:
        return list(self.chunks() if callable(self.chunks) else self.chunks)

    def model(self) -> BaseChatModel:
        if self.chat_model is None:
            raise ValueError("write mode needs a chat model (DraftDeps.chat_model)")
        if callable(self.chat_model) and not hasattr(self.chat_model, "invoke"):
            self.chat_model = self.chat_model()
        return self.chat_model


# --------------------------------------------------------------------------------------------------
# notes and tables


@dataclass
class NoteFact:
    """One figure of this year's notes. ``label`` is the metric in Chinese when it could be derived
    (English notes are mapped through a small glossary), ``unit`` may be empty for English notes."""

    label: str
    value: float
    raw: str
    unit: str
    line: str
    context: str = ""
    from_table: bool = False


# English note phrases → the Chinese metric labels the reports use (specific phrases first).
_EN_TERMS: list[tuple[str, str]] = [
    (r"student[- ]?(?:to[- ])?teacher ratio|staff[- ]student ratio|student[- ]staff ratio", "生师比"),
    (r"english(?: language)?(?: course)? (?:teachers|staff|instructors|lecturers)", "英语课程教师"),
    (r"(?:uk|british|glasgow|foreign|overseas|international|partner)[- ](?:side )?(?:teaching )?(?:staff|teachers|faculty|lecturers)|from (?:glasgow|the uk|the partner(?: university)?)",
     "外方任课教师"),
    (r"(?:thesis|project|graduation[- ]project|final[- ]year[- ]project|dissertation|capstone) supervisors", "毕设指导教师"),
    (r"academic (?:tutors|advisers|advisors|mentors)", "学术指导教师"),
    (r"doctoral supervisors|phd supervisors", "博士生导师"),
    (r"(?:aged )?(?:under|below) 35|35 (?:and|or) (?:under|below|younger)|aged? 35 or (?:under|below|younger)", "35岁以下任课教师"),
    (r"(?:aged )?36\s*[-–~to ]+\s*45", "36-45岁任课教师"),
    (r"(?:with (?:a )?)?(?:phds?|doctorates?|doctoral degrees?)", "获得博士学位的教师"),
    (r"full professors?|senior (?:academic )?titles?|professors?", "具有正高级职称者"),
    (r"celta", "获得英国剑桥大学CELTA资质证书"),
    (r"(?:all|total) (?:academic )?staff|staff in total|total (?:number of )?teachers", "教师"),
    (r"(?:teaching staff|teachers|lecturers|faculty|instructors)", "任课教师"),
    (r"employment rate|placement rate", "毕业去向落实率"),
    (r"further[- ]study rate|postgraduate study rate", "深造率"),
    (r"graduates", "毕业生"),
    (r"new (?:undergraduate )?students|intake|admitted|admissions", "招收本科生"),
    (r"students? enrolled|enrolment|enrollment|students on roll|undergraduates", "在校生"),
    (r"party members", "学生党员"),
    (r"evaluation (?:good|excellent)[a-z ]* rate|teaching evaluation|course evaluation", "教师评教优良率"),
    (r"competition awards?|competition prizes?|awards? in competitions", "学科竞赛获奖"),
    (r"awards?|prizes?", "获奖"),
    (r"papers|publications", "论文"),
    (r"courses", "课程"),
    (r"tuition|fees?", "学费"),
    (r"expenditure|spending", "支出"),
    (r"income|revenue", "收入"),
]
_EN_TERM_RES = [(re.compile(rf"\b(?:{p})\b", re.I), zh) for p, zh in _EN_TERMS]
_COLON = re.compile(r"^([^：:，。；;,]{1,30}?)\s*[：:]\s*(?=[\d零一二两三四五六七八九十百])")


def _chinese_facts(line: str) -> list[NoteFact]:
    text = _COLON.sub(lambda m: m.group(1) + "为", line)
    facts = []
    for f in extract_figures(text):
        label = f.metric
        if not label:
            continue
        facts.append(NoteFact(label, f.value, f.raw, f.unit, line, f.context))
    return facts


def _english_facts(line: str) -> list[NoteFact]:
    facts = []
    for clause in re.split(r"[;；,，]|\bof which\b|\bincluding\b|\bwhile\b", line):
        label, rest = "", clause
        for pattern, zh in _EN_TERM_RES:
            m = pattern.search(clause)
            if m:
                label, rest = zh, clause[:m.start()] + " " + clause[m.end():]
                break
        numbers = [m for m in re.finditer(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(%|percent\b)?", rest)
                   if not (re.fullmatch(r"(?:19|20)\d\d", m.group(1)) and not m.group(3))]
        if not numbers:
            continue
        m = numbers[-1]
        number = m.group(1).replace(",", "") + (m.group(2) or "")
        unit = "%" if m.group(3) else ""
        if not unit and label and label[-1] in "员师生者" and label != "生师比":
            unit = "人"
        facts.append(NoteFact(label or re.sub(r"[\d.,%]+", "", clause).strip(), float(number),
                              number + unit if unit == "%" else number, unit, line, context="en"))
    return facts


def _table_facts(markdown: str) -> list[NoteFact]:
    facts = []
    for f in extract_figures(markdown):
        if f.table_row is None:
            continue
        col = f.table_col or ""
        unit = f.unit or ("%" if re.search(r"占比|比例|比率|%|率", col) and f.value <= 100 else "")
        label = f.table_row
        if re.search(r"率|比", col) and not re.search(r"率|比", label) and unit != "%":
            label += col
        facts.append(NoteFact(label, f.value, f.raw + ("%" if unit == "%" and "%" not in f.raw else ""), unit,
                              f.sentence, from_table=True))
    return facts


def parse_notes(text: str, table: str | None = None) -> list[NoteFact]:
    """Facts with figures from bullet notes (Chinese or English, one fact or clause list per line)
    plus the cells of an optional Markdown table (see :func:`load_table`)."""
    facts: list[NoteFact] = []
    table_lines: list[str] = []
    for raw_line in (text or "").splitlines():
        if is_table_line(raw_line):
            table_lines.append(raw_line)
            continue
        line = BULLET.sub("", raw_line).strip()
        if not line:
            continue
        facts.extend(_chinese_facts(line) if _CJK.search(line) else _english_facts(line))
    for block in ("\n".join(table_lines), table or ""):
        if block.strip():
            facts.extend(_table_facts(block))
    return facts


def _markdown_table(rows: list[list[Any]]) -> str:
    return write_table([[None if c is None else str(c) for c in r] for r in rows if any(c not in (None, "") for c in r)])


def load_table(source: str | Path) -> str:
    """A table as Markdown: a ``.md``/``.csv``/``.xlsx`` path (first sheet), or Markdown/CSV text."""
    path = Path(source) if isinstance(source, Path) or (len(str(source)) < 300 and "\n" not in str(source)) else None
    if path is not None and path.is_file():
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
            finally:
                book.close()
            return _markdown_table([[_cell(c) for c in r] for r in rows])
        text = path.read_bytes().decode("utf-8-sig")
        if suffix != ".csv":
            return "\n".join(line for line in text.splitlines() if is_table_line(line))
        return _csv_table(text)
    text = str(source)
    if any(is_table_line(line) for line in text.splitlines()):
        return "\n".join(line for line in text.splitlines() if is_table_line(line))
    return _csv_table(text)


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _csv_table(text: str) -> str:
    dialect = csv.Sniffer().sniff(text[:2000], delimiters=",;\t") if text.strip() else csv.excel
    return _markdown_table(list(csv.reader(io.StringIO(text.strip()), dialect)))


# --------------------------------------------------------------------------------------------------
# prior sections


def _title(part: str) -> str:
    return strip_numbering(part)


def _section_index(path: str, section: str) -> int | None:
    """Index of the path element naming ``section`` (numbering ignored), or None."""
    want = _title(section)
    parts = [p.strip() for p in path.split(" > ")]
    for i, part in enumerate(parts):
        title = _title(part)
        if title and (title == want or (len(want) >= 2 and want in title and len(title) <= len(want) + 6)):
            return i
    for i, part in enumerate(parts):
        if label_similarity(_title(part), want) >= 0.75:
            return i
    return None


def section_chunks(chunks: Iterable[Chunk], section: str, year: int | None = None) -> list[Chunk]:
    """Report chunks of ``year`` (all years when None) whose section path contains ``section``, in
    document order."""
    out = [c for c in chunks if c.doc_type == "report" and (year is None or c.year == year)
           and _section_index(c.section or "", section) is not None]
    return sorted(out, key=lambda c: (c.source, c.ordinal))


def _prior_years(chunks: Iterable[Chunk], section: str, year: int) -> list[int]:
    years = {c.year for c in chunks if c.doc_type == "report" and c.year is not None and c.year < year
             and _section_index(c.section or "", section) is not None}
    return sorted(years, reverse=True)


def _strip_overlap(previous: str, text: str) -> str:
    """Drop the start of ``text`` that repeats the end of ``previous`` (chunk overlap)."""
    for n in range(min(len(previous), len(text), 600), 8, -1):
        if previous.endswith(text[:n]):
            return text[n:].lstrip()
    return text


@dataclass
class _Piece:
    chunk: Chunk
    start: int
    end: int


def section_markdown(chunks: Sequence[Chunk], section: str, *, level: int = 2) -> tuple[str, list[_Piece]]:
    """The section rebuilt as Markdown from its chunks (heading, sub-headings when the path changes,
    chunk texts as paragraphs) plus where each chunk's text lies in it."""
    if not chunks:
        return "", []
    first = chunks[0].section.split(" > ")
    idx = _section_index(chunks[0].section, section) or 0
    lines = ["#" * level + " " + first[idx].strip(), ""]
    text = "\n".join(lines)
    pieces: list[_Piece] = []
    current: list[str] = []
    previous = ""
    for c in chunks:
        parts = [p.strip() for p in c.section.split(" > ")]
        i = _section_index(c.section, section) or 0
        sub = parts[i + 1:]
        if sub != current:
            common = 0
            while common < min(len(sub), len(current)) and sub[common] == current[common]:
                common += 1
            for depth, title in enumerate(sub[common:], start=common):
                text += "#" * min(level + 1 + depth, 6) + " " + title + "\n\n"
            current = sub
        body = _strip_overlap(previous, c.text.strip())
        previous = c.text.strip()
        if not body:
            continue
        pieces.append(_Piece(c, len(text), len(text) + len(body)))
        text += body + "\n\n"
    return text.rstrip() + "\n", pieces


def _history(chunks: Iterable[Chunk], year: int) -> list[tuple[str, int, str, str]]:
    return [(c.text, c.year, c.source, c.section) for c in chunks
            if c.doc_type == "report" and c.year is not None and c.year < year]


def _heading_for(section: str) -> str:
    if section in SECTIONS:
        return f"{_CN_ORDINALS[SECTIONS.index(section)]}、{section}"
    return section


# --------------------------------------------------------------------------------------------------
# update mode

_SYNONYMS = (("外籍", "外方"), ("英方", "外方"), ("毕业设计", "毕设"), ("及以下", "以下"), ("专任教师", "任课教师"),
             ("人数", ""), ("教师数", "教师"), ("比例", "占比"))


def _norm_label(label: str) -> str:
    label = re.sub(r"\s+", "", label)
    label = re.sub(r"^(?:(?:19|20)\d\d(?:年度|年|届|级)?|本年度|本年|今年|全年|学院|我院|全院|学校|我校|，|,)+", "", label) or label
    for a, b in _SYNONYMS:
        label = label.replace(a, b)
    return label


def _units_compatible(note: NoteFact, fig: Figure) -> bool:
    if note.unit == "%" or fig.unit == "%":
        return note.unit == fig.unit
    if not note.unit or not fig.unit:
        return True
    return unit_family(note.unit) == unit_family(fig.unit)


def _note_score(note: NoteFact, fig: Figure) -> float:
    """How well a note fact names the metric of a section figure (label similarity, units must agree).

    A note label that adds a qualifier in front of the figure's label (博士项目任课教师 vs 任课教师)
    still matches when the figure's sentence holds that qualifier."""
    if not fig.metric or not _units_compatible(note, fig):
        return 0.0
    a, b = _norm_label(note.label), _norm_label(fig.metric)
    score = label_similarity(a, b)
    if fig.context and note.context and note.context != "en" and label_similarity(_norm_label(note.context), _norm_label(fig.context)) < MIN_LABEL_SIMILARITY:
        score *= 0.5
    if note.context == "en" and a != b and b.endswith(a) and len(a) >= 2:
        score = max(score, MIN_LABEL_SIMILARITY + 0.05)  # glossary head noun: 论文 → 学生发表论文
    if a != b and a.endswith(b) and len(b) >= 2:
        extra = a[: len(a) - len(b)]
        sentence = _norm_label(fig.sentence)
        grams = [extra[i:i + 2] for i in range(len(extra) - 1)] or [extra]
        if grams and sum(g in sentence for g in grams) / len(grams) >= 0.75:
            score = max(score, 0.9)
    return score


_QUALIFIED = re.compile(r"^(?P<num>[\d.,零〇一二两三四五六七八九十百千万亿分之]+)(?P<rest>.*)$")


def _new_raw(old: Figure, number: str, qualifier: str = "") -> str:
    """``old.raw`` with its number replaced (spacing and unit kept, 余/多 only if the new value has it)."""
    m = re.match(r"^([\d.,]+|[零〇一二两三四五六七八九十百千万亿分之]+)((?:\s*[-–—~至]\s*(?:[\d.,]+|[零〇一二两三四五六七八九十百千万亿]+))?)(.*)$",
                 old.raw)
    if not m:
        return number
    rest = m.group(3)  # a range (4-6 年) collapses to the note's single value
    rest_wo = re.sub(r"^(\s*)(余|多)", r"\1", rest)
    rest_wo = re.sub(r"(以上|以下|左右|余|多)$", "", rest_wo) if old.qualifier in ("以上", "以下", "左右") else rest_wo
    return number + (qualifier if qualifier in ("余", "多") else "") + rest_wo


def _note_number(note: NoteFact, old: Figure) -> str:
    """The note's value written the way the old figure was written (decimals of the note, 万 scale)."""
    value = note.value
    if old.raw and re.search(r"\d\s*万", old.raw) and value >= 10_000:
        value = value / 10_000
        return f"{value:.2f}".rstrip("0").rstrip(".")
    m = re.match(r"\s*([\d.,]+)", note.raw)
    if m and not note.from_table:
        return m.group(1).replace(",", "")
    if float(value).is_integer() and not (old.unit == "%" and old.decimals):
        return str(int(value))
    decimals = max(old.decimals, len(str(value).split(".")[1]) if "." in str(value) else 0)
    return format_number(value, decimals)


def _share_pairs(text: str, figs: list[Figure]) -> dict[int, int]:
    """pct index → count index: ``P%（N 人）`` pairs (extractor) and ``N 人，占 P%`` (占 after a count)."""
    pairs = {i: f.paired for i, f in enumerate(figs) if f.unit == "%" and f.paired is not None}
    for i in range(1, len(figs)):
        f, g = figs[i - 1], figs[i]
        if g.unit == "%" and f.unit != "%" and i not in pairs and f.table_row is None:
            gap = text[f.end:g.start]
            if re.fullmatch(r"\s*[，,]?\s*占[^，,。；;\d]{0,12}", gap):
                pairs[i] = i - 1
    return pairs


def _base_index(text: str, figs: list[Figure], pct: int, count: int) -> int | None:
    """The figure a share is computed on: the stated population (``对 113 名任课教师``) or the nearest
    earlier head count of the paragraph that reproduces the old share."""
    p, c = figs[pct], figs[count]
    para_start, _ = paragraph_bounds(text, p.start)
    stated = explicit_base(text, p.start)
    earlier = [j for j in range(min(pct, count)) if figs[j].start >= para_start and figs[j].unit != "%"
               and figs[j].table_row is None and unit_family(figs[j].unit) == unit_family(c.unit)]
    if stated:
        for j in reversed(earlier):
            if figs[j].value == stated[0]:
                return j
    for j in reversed(earlier):
        if figs[j].value > c.value and _convention(p.value, p.decimals, c.value, figs[j].value) is not None:
            return j
    return None


def _convention(p: float, decimals: int, n: float, base: float) -> str | None:
    """``round``/``trunc``/``both`` when n/base written with ``decimals`` places gives p, else None."""
    true = n / base * 100
    scale = 10 ** decimals
    rounded = math.floor(true * scale + 0.5 + 1e-9) / scale
    truncated = math.floor(true * scale + 1e-9) / scale
    r, t = math.isclose(rounded, p, abs_tol=1e-9), math.isclose(truncated, p, abs_tol=1e-9)
    return "both" if r and t else "round" if r else "trunc" if t else None


def _share(n: float, base: float, decimals: int, convention: str) -> str:
    true = n / base * 100
    scale = 10 ** decimals
    value = math.floor(true * scale + 1e-9) / scale if convention == "trunc" else math.floor(true * scale + 0.5 + 1e-9) / scale
    return format_number(value, decimals)


_SIGNED_CELL = re.compile(r"(?m)(?<=\|)[ \t]*(?P<num>[+\-−－][ \t]*\d+(?:\.\d+)?[ \t]*%?)[ \t]*(?=\|)")


def _year_edits(text: str, prior: int, year: int, figs: list[Figure]) -> tuple[list[tuple[int, int, str]], list[dict]]:
    """Moves mentions of the prior report year to ``year`` where they denote the report year; other
    mentions of the prior year are left and reported (they may name an event of that year)."""
    edits, flagged = [], []
    spans = [(f.start, f.end) for f in figs]
    for m in YEAR.finditer(text):
        if int(m.group(1)) != prior or any(a <= m.start() < b for a, b in spans):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[line_start:line_start + 1] == "#":
            edits.append((m.start(1), m.end(1), str(year)))
            continue
        before = text[:m.start()].rstrip(" \t")
        after = text[m.end():].lstrip(" \t")
        sent_start, sent_end = sentence_bounds(text, m.start())
        clause_start = before[-1:] in "，,；;。：:\n" or not before or len(before) < sent_start + 1 or before.endswith(("截至", "截止", "至", "到", "在", "于", "是", "-", "–", "—"))
        report_year = (after.startswith(("届", "级", "年度", "学年")) or re.match(r"年\s*(?:[，,]|底|末|全年|\d{1,2}\s*月|学院|我院|共|以来|内|度)", after)
                       or (after.startswith("年") and clause_start))
        if report_year:
            edits.append((m.start(1), m.end(1), str(year)))
        else:
            a, b = sentence_bounds(text, m.start())
            raw = m.group(1) + ("年" if after.startswith("年") else "")
            flagged.append({"raw": raw, "metric": "年份", "sentence": text[a:b].strip(), "_span": (m.start(1), m.end(1) + (1 if raw.endswith("年") and text[m.end()] == "年" else 0))})
    return edits, flagged


def _update(deps_chunks: list[Chunk], section: str, year: int, notes: list[NoteFact]) -> DraftResult:
    prior_years = _prior_years(deps_chunks, section, year)
    if not prior_years:
        heading = _heading_for(section)
        text = f"## {heading}\n\n{placeholder(f'{section}（知识库中没有往年同节报告可供更新）')}\n"
        return DraftResult(section, year, "update", text,
                           placeholders=[{"text": PLACEHOLDER.search(text).group(0), "metric": section,
                                          "reason": "missing", "replaced": None}],
                           unused_notes=[n.line for n in notes])
    prior = prior_years[0]
    chunks = section_chunks(deps_chunks, section, prior)
    source = chunks[0].source
    chunks = [c for c in chunks if c.source == source]
    text, pieces = section_markdown(chunks, section)
    figs = extract_figures(text)

    # 1. note → figures, best pairs first; a note takes the figures of one old value only.
    pairs = sorted(((_note_score(n, f), -j, k, j) for k, n in enumerate(notes) for j, f in enumerate(figs)), reverse=True)
    assigned: dict[int, int] = {}
    note_value: dict[int, float] = {}
    for score, _, k, j in pairs:
        if score < MIN_LABEL_SIMILARITY:
            break
        if j in assigned:
            continue
        if k in note_value and note_value[k] != figs[j].value:
            continue
        assigned[j] = k
        note_value[k] = figs[j].value
    edits: dict[int, str] = {}
    for j, k in assigned.items():
        edits[j] = _new_raw(figs[j], _note_number(notes[k], figs[j]), notes[k].raw[-1] if notes[k].raw[-1:] in "余多" else "")

    # 2. derived shares: recompute when count and base were both updated.
    pct_pairs = _share_pairs(text, figs)
    conventions = []
    bases: dict[int, int] = {}
    for p, c in pct_pairs.items():
        b = _base_index(text, figs, p, c)
        if b is not None:
            bases[p] = b
            conv = _convention(figs[p].value, figs[p].decimals, figs[c].value, figs[b].value)
            if conv in ("round", "trunc"):
                conventions.append(conv)
    default = "trunc" if conventions.count("trunc") > conventions.count("round") else "round"
    for p, c in pct_pairs.items():
        b = bases.get(p)
        if p in assigned or b is None or c not in assigned or b not in assigned:
            continue
        conv = _convention(figs[p].value, figs[p].decimals, figs[c].value, figs[b].value)
        conv = conv if conv in ("round", "trunc") else default
        new_n, new_base = notes[assigned[c]].value, notes[assigned[b]].value
        if new_base > 0:
            edits[p] = _new_raw(figs[p], _share(new_n, new_base, figs[p].decimals, conv))

    # 3. years, highlights, markers.
    year_edits, year_flags = _year_edits(text, prior, year, figs)
    plain_ops: list[tuple[int, int, str]] = [(figs[j].start, figs[j].end, new) for j, new in edits.items()] + year_edits
    mark_ops = list(plain_ops)
    not_updated: list[dict] = []
    for j, f in enumerate(figs):
        if j in edits:
            continue
        mark_ops.append((f.start, f.end, f"=={f.raw}=="))
        not_updated.append({"raw": f.raw, "metric": f.metric, "sentence": f.sentence, "_pos": f.start})
    for m in _SIGNED_CELL.finditer(text):
        a, b = m.span("num")
        mark_ops.append((a, b, f"=={m.group('num')}=="))
        line = text[text.rfind("\n", 0, a) + 1:text.find("\n", b) if text.find("\n", b) != -1 else len(text)]
        not_updated.append({"raw": m.group("num"), "metric": "较上年增减", "sentence": line.strip(), "_pos": a})
    for flag in year_flags:
        a, b = flag.pop("_span")
        mark_ops.append((a, b, f"=={text[a:b]}=="))
        not_updated.append({**flag, "_pos": a})
    not_updated.sort(key=lambda d: d.pop("_pos"))
    for n, piece in enumerate(pieces, 1):
        mark_ops.append((piece.end, piece.end, f"[{n}]"))
        plain_ops.append((piece.end, piece.end, f"[{n}]"))
    markdown = _apply(text, mark_ops)
    plain = _apply(text, plain_ops)
    citations = [citation(n, SearchResult(piece.chunk, 1.0)) for n, piece in enumerate(pieces, 1)]
    updated_notes = set(assigned.values())
    unused = [notes[k].line for k in range(len(notes)) if k not in updated_notes]
    # sentences: report them from the updated text
    for item in not_updated:
        item["sentence"] = _updated_sentence(item["sentence"], text, plain_ops)
    return DraftResult(section, year, "update", markdown, citations=citations, not_updated=not_updated,
                       unused_notes=list(dict.fromkeys(unused)),
                       findings=[f.to_json() for f in check_draft(plain, year, _history(deps_chunks, year))])


def _updated_sentence(sentence: str, text: str, ops: list[tuple[int, int, str]]) -> str:
    pos = text.find(sentence)
    if pos < 0:
        return sentence
    inner = [(a - pos, b - pos, s) for a, b, s in ops if pos <= a and b <= pos + len(sentence) and not re.fullmatch(r"\[\d+\]", s)]
    return _apply(sentence, inner)


def _apply(text: str, ops: list[tuple[int, int, str]]) -> str:
    """Apply (start, end, replacement) edits; insertions at the same point keep their order."""
    out = text
    for a, b, s in sorted(ops, key=lambda o: (o[0], o[1]), reverse=True):
        out = out[:a] + s + out[b:]
    return out


# --------------------------------------------------------------------------------------------------
# write mode

_FENCE = re.compile(r"^```[a-zA-Z]*\s*\n|\n```\s*$")
_TITLE_SPAN = re.compile(r"《[^》\n]*》")
_DATE_PART = re.compile(r"(?<![\d.])\d{1,2}\s*[月日号](?!\d)")  # 4 月 30 日: parts of a date, not figures of a draft


def _passages(deps: DraftDeps, chunks: list[Chunk], section: str, year: int, notes_text: str, *,
              max_exemplar_chars: int, regulations_k: int) -> tuple[list[SearchResult], list[str], int | None]:
    """Exemplar passages (the section of the latest prior report), regulation articles and the
    sub-heading outline of the exemplar."""
    years = _prior_years(chunks, section, year)
    exemplars: list[Chunk] = []
    outline: list[str] = []
    prior = years[0] if years else None
    if prior is not None:
        found = section_chunks(chunks, section, prior)
        found = [c for c in found if c.source == found[0].source]
        for c in found:
            i = _section_index(c.section, section) or 0
            sub = " > ".join(c.section.split(" > ")[i + 1:])
            if sub and sub not in outline:
                outline.append(sub)
        used = 0
        for c in found:
            if used >= max_exemplar_chars:
                break
            exemplars.append(c)
            used += len(c.text)
    elif deps.retriever is not None:
        exemplars = [r.chunk for r in deps.retriever.search(section, k=3, doc_type="report")
                     if r.chunk.year is None or r.chunk.year < year]
    query = f"{section} " + " ".join(re.sub(r"[\d.%]+", " ", notes_text).split())[:200]
    regulations: list[Chunk] = []
    if regulations_k:
        if deps.retriever is not None:
            regulations = [r.chunk for r in deps.retriever.search(query, k=regulations_k, doc_type="regulation")]
        else:
            regulations = _keyword_regulations(chunks, query, regulations_k)
    results = [SearchResult(c, 1.0) for c in exemplars + regulations]
    return results, outline, prior


def _keyword_regulations(chunks: list[Chunk], query: str, k: int) -> list[Chunk]:
    from assistant.index.keyword import KeywordIndex

    regs = [c for c in chunks if c.doc_type == "regulation"]
    if not regs:
        return []
    scores = KeywordIndex([f"{c.section}\n{c.text}" for c in regs]).scores(query)
    order = sorted(range(len(regs)), key=lambda i: -scores[i])
    return [regs[i] for i in order[:k] if scores[i] > 0]


def _context(results: list[SearchResult], prior: int | None, max_chars: int) -> str:
    blocks = []
    for n, r in enumerate(results, 1):
        c = r.chunk
        kind = (f"{c.year} 年度报告范例（往年数据，数字不得沿用）" if c.doc_type == "report" else "规定")
        meta = [f"来源: {c.source}", f"章节: {c.section}", kind]
        text = c.text.strip()
        if len(text) > max_chars:
            text = text[:max_chars] + "…"
        blocks.append(f"[{n}] " + " | ".join(meta) + "\n" + text)
    return "\n\n".join(blocks)


def _year_like(raw: str, value: float) -> bool:
    return value.is_integer() and 1900 <= value <= 2100 and re.fullmatch(r"\d{4}\s*(?:年|级|届)?", raw.strip()) is not None


def _masked(text: str) -> str:
    """Numbers that are not figures masked out: placeholders, 《titles》, dates, heading numbering."""
    blank = lambda m: " " * len(m.group(0))  # noqa: E731
    text = PLACEHOLDER.sub(blank, text)
    text = _TITLE_SPAN.sub(blank, text)
    text = _DATE_PART.sub(blank, text)
    return mask_heading_numbering(text)


def _derived_share(raw: str, value: float, note_values: list[float]) -> bool:
    if "%" not in raw and "％" not in raw:
        return False
    decimals = len(raw.split(".")[1].rstrip("%％ ")) if "." in raw else 0
    for n in note_values:
        for b in note_values:
            if 0 < n < b and _convention(value, decimals, n, b) is not None:
                return True
    return False


def _metric_at(text: str, start: int, end: int) -> str:
    """The metric a figure describes, for its placeholder: the figure extraction's label, the row
    (and column) of a table cell, else the clause before the figure."""
    for f in extract_figures(text):
        if f.start <= start < f.end or start <= f.start < end:
            return f.metric or "数据"
    cell = cell_at(text, start)
    if cell is not None:
        row, column = cell
        return (row + column if column and column != row else row) or "数据"
    a, _ = sentence_bounds(text, start)
    clause = re.split(r"[，,；;：:]", text[a:start])[-1]
    clause = re.sub(r"(?:为|达到|达|共|约|占|有|是)$", "", clause.strip())
    return clause[-12:] or "数据"


def _verify_written(text: str, results: list[SearchResult], notes: list[NoteFact], notes_text: str,
                    prior_texts: Sequence[str] = ()) -> tuple[str, list[dict], list[dict]]:
    """Markers checked, stale/invented figures replaced by placeholders; returns (text, citations,
    placeholders). A figure is *stale* when a prior-year report passage (shown to the model or one of
    ``prior_texts``, the same section of earlier reports) holds it, else *unsupported*."""
    prior_values = [values_in(t) for t in prior_texts]
    text = normalise_markers(text)
    note_values = values_in(notes_text) + [(n.raw, n.value) for n in notes]
    plain_note_values = [v for _, v in note_values]
    passage_values = [values_in(_DATE_PART.sub(" ", r.chunk.text)) for r in results]
    cited = {n - 1 for n in markers_in(text) if 1 <= n <= len(results)}
    replacements: list[tuple[int, int, str, dict]] = []
    insertions: list[tuple[int, int]] = []
    masked = _masked(text)
    for raw, value, start, end in figures_in(masked):
        if _year_like(raw, value) or contains_figure(raw, value, note_values) or _derived_share(raw, value, plain_note_values):
            continue
        holders = [i for i in range(len(results)) if contains_figure(raw, value, passage_values[i])]
        regs = [i for i in holders if results[i].chunk.doc_type != "report"]
        if any(i in cited for i in regs):
            continue
        if regs:  # a regulation figure without its marker: cite it
            insertions.append((sentence_end(text, end), regs[0]))
            cited.add(regs[0])
            continue
        metric = _metric_at(text, start, end)
        reason = "stale" if holders or any(contains_figure(raw, value, v) for v in prior_values) else "unsupported"
        if start and text[start - 1] in " \t" and start > 1 and _CJK.match(text[start - 2]):
            start -= 1  # "英语课程教师 24 人" -> "英语课程教师【待补充：…】"
        elif start and text[start - 1] in "+-−＋":
            start -= 1  # a signed change "| +12 |" is replaced whole
        replacements.append((start, end, placeholder(metric), {"metric": metric, "reason": reason, "replaced": raw}))
    ops = [(a, b, s) for a, b, s, _ in replacements]
    done = set()
    for pos, idx in insertions:
        if (pos, idx) not in done and f"[{idx + 1}]" not in text[max(0, pos - 8):pos]:
            ops.append((pos, pos, f"[{idx + 1}]"))
            done.add((pos, idx))
    text = _apply(text, ops)
    text, order, _invalid = _renumber(text, len(results))
    citations = [citation(i + 1, results[idx]) for i, idx in enumerate(order)]
    info = {s: d for _, _, s, d in replacements}
    placeholders = []
    for m in PLACEHOLDER.finditer(text):
        extra = info.get(m.group(0), {"metric": m.group(1).strip(), "reason": "missing", "replaced": None})
        placeholders.append({"text": m.group(0), **extra})
    return text, citations, placeholders


def _drop_prompt_echo(text: str, instructions: str) -> str:
    """Lines repeating the prompt's own instructions (small models echo them at the end), and a
    heading left with nothing under it, are removed."""
    rules = [r for r in (BULLET.sub("", line).strip() for line in instructions.splitlines()) if len(r) >= 10]
    kept: list[str] = []
    for line in text.splitlines():
        body = BULLET.sub("", line).strip()
        if len(body) >= 10 and any(body in r or r in body for r in rules):
            continue
        kept.append(line)
    out: list[str] = []
    for i, line in enumerate(kept):
        if line.startswith("#"):
            rest = next((x for x in kept[i + 1:] if x.strip()), "")
            if not rest or (rest.startswith("#") and rest.count("#") <= line.count("#") and line.count("#") > 2):
                continue
        out.append(line)
    return "\n".join(out)


def _clean_output(raw: str, heading: str, instructions: str = "") -> str:
    text = _FENCE.sub("", raw.strip()).strip()
    text = re.sub(r"^(?:以下是|下面是)[^\n]*\n+", "", text)
    if not re.match(r"#{1,2}\s", text):
        text = f"## {heading}\n\n" + text
    if instructions:
        text = _drop_prompt_echo(text, instructions)
    lines = [re.sub(r"[ \t]+$", "", line) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


TRUNCATED = placeholder("草稿在此达到模型输出长度上限，以下内容未生成")

MAX_NOTES_CHARS = 6000
"""Notes (with their table) that write mode may put into one prompt; longer notes are refused with a
clear message (update mode has no model and no limit)."""


def _write(deps: DraftDeps, chunks: list[Chunk], section: str, year: int, notes_text: str, table: str | None,
           notes: list[NoteFact], *, max_exemplar_chars: int = 1600, max_passage_chars: int = 500,
           regulations_k: int = 2, max_tokens: int | None = 900, max_notes_chars: int = MAX_NOTES_CHARS,
           on_text: Callable[[str], None] | None = None) -> DraftResult:
    results, outline, prior = _passages(deps, chunks, section, year, notes_text, max_exemplar_chars=max_exemplar_chars,
                                        regulations_k=regulations_k)
    prior_heading = None
    if prior is not None:
        c = section_chunks(chunks, section, prior)[0]
        prior_heading = c.section.split(" > ")[_section_index(c.section, section) or 0].strip()
    heading = re.sub(r"^[一二三四五六七八九十]+[.．]\s*", lambda m: m.group(0)[:-1].rstrip(".．") + "、", prior_heading) \
        if prior_heading else _heading_for(section)
    english = not _CJK.search(notes_text or "") and bool((notes_text or "").strip())
    notes_block = (notes_text or "").strip() + ("\n\n" + table.strip() if table else "")
    labelled = [n for n in notes if _CJK.search(n.label)]
    if english and labelled:  # the small models copy the exemplar rather than translate: the facts in Chinese first
        notes_block = "\n".join(f"- {n.label}：{n.raw}{' ' + n.unit if n.unit and n.unit not in n.raw else ''}"
                                for n in labelled) + "\n\n（英文原文）\n" + notes_block
    if len(notes_block) > max_notes_chars:
        raise ValueError(f"本年度材料过长：{len(notes_block)} 字符，撰写模式最多 {max_notes_chars} 字符；请拆分章节或使用更新模式 "
                         f"(notes too long for write mode: {len(notes_block)} > {max_notes_chars} characters; "
                         "split them or use update mode)")
    inputs = {
        "section": section, "heading": heading, "year": year, "prior_year": prior or year - 1,
        "context": _context(results, prior, max_passage_chars) or "（无）",
        "outline": "\n".join(f"- {o}" for o in outline) or "（自行组织，2-4 个小节）",
        "notes": notes_block or "（无）",
        "language": "中文" + ("（本年度材料为英文，请译成中文后写入，数字照抄）" if english else ""),
    }

    def messages(values: dict) -> list[BaseMessage]:
        return [HumanMessage(content=render(load_prompt("draft"), **values))]

    model = deps.model()
    if max_tokens:
        try:
            model = model.bind(max_tokens=max_tokens)
        except Exception:  # fake models without bind support
            pass
    raw, finish = "", None
    for chunk in (RunnableLambda(messages) | model).stream(inputs):  # streamed: the timeout applies between tokens
        piece = chunk.content if isinstance(chunk.content, str) else ""
        finish = (chunk.response_metadata or {}).get("finish_reason") or finish
        raw += piece
        if on_text is not None and piece:
            on_text(raw)
    if finish == "length":  # cut at the output-token limit: say so where the text stops
        raw = raw.rstrip() + f"\n\n{TRUNCATED}"
    instructions = render(load_prompt("draft"), **{**inputs, "context": "", "outline": "", "notes": ""})
    text = _clean_output(raw, heading, instructions)
    prior_texts = [c.text for c in section_chunks(chunks, section) if c.year is not None and c.year < year]
    text, citations, placeholders = _verify_written(text, results, notes, notes_block, prior_texts)
    findings = check_draft(text, year, _history(chunks, year))
    used = [n.line for n in notes if not contains_figure(n.raw, n.value, values_in(_masked(text)))]
    return DraftResult(section, year, "write", text, citations=citations, placeholders=placeholders,
                       findings=[f.to_json() for f in findings], unused_notes=list(dict.fromkeys(used)))


# --------------------------------------------------------------------------------------------------
# entry point


def _table_text(table: str | Path | None) -> str | None:
    if table is None:
        return None
    return load_table(table)


def draft_section(deps: DraftDeps | Services, section: str, year: int, notes: str, *, mode: str = "write",
                  table: str | Path | None = None, on_text: Callable[[str], None] | None = None,
                  **options: Any) -> DraftResult:
    """Draft ``section`` (one of :data:`SECTIONS` or a free title) of the ``year`` report from
    ``notes`` (and ``table``: Markdown/CSV text or a .md/.csv/.xlsx path).

    ``mode="update"`` rewrites last year's section with the notes' figures (no model);
    ``mode="write"`` asks the chat model (options: ``max_exemplar_chars``, ``max_passage_chars``,
    ``regulations_k``, ``max_tokens``); ``on_text`` receives the model's text so far while it writes.
    Model failures raise ``ModelUnavailable``."""
    if not isinstance(deps, DraftDeps):
        deps = DraftDeps.from_services(deps)
    if mode not in ("write", "update"):
        raise ValueError(f"mode must be 'write' or 'update', not {mode!r}")
    section = section.strip()
    started = time.perf_counter()
    table_md = _table_text(table)
    facts = parse_notes(notes, table_md)
    chunks = deps.all_chunks()
    if mode == "update":
        result = _update(chunks, section, year, facts)
    else:
        try:
            result = _write(deps, chunks, section, year, notes, table_md, facts, on_text=on_text, **options)
        except Exception as exc:
            from assistant.llm.errors import ModelUnavailable, model_unavailable

            if isinstance(exc, (ModelUnavailable, ValueError, FileNotFoundError)):
                raise
            raise model_unavailable(exc) from exc
    result.seconds = time.perf_counter() - started
    return result
