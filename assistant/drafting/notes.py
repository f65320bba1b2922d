"""This year's notes: bullet lines (Chinese or English) and an optional table, read as *notes* — one
per line, numbered as the user wrote them — each holding the *facts* it states.

A fact (:class:`NoteFact`) is bound the way report figures are (:mod:`assistant.figures.binding`):
a concept of the vocabulary (``terms.toml``) and its scope, so "任课教师 120 人，其中英方 35 人" and
"Teaching staff: 120, of which 35 from Glasgow" give the same two facts — 任课教师 and 任课教师·外方.
Chinese lines go through the figure extractor itself (``生师比：7.05`` is read as ``生师比为7.05``);
English lines are cut into clauses (``,``/``;``/"of which"/"including"), each clause's concept is
the vocabulary's English pattern it holds, and a clause naming only a scope ("of which 35 from
Glasgow") is a part of the clause before it. Numbers may be digits or English words ("Two staff").
A table (:func:`load_table`: Markdown, CSV or XLSX) gives one note per row, one fact per numeric
cell (metric = row label, column header for rates).

A note without a fact is *qualitative* ("新组建人工智能课程教学团队"): update mode cannot place it;
notes mode writes it as a new sentence.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.domain import age_band, vocabulary
from assistant.figures import extract_figures
from assistant.text.numbering import BULLET
from assistant.text.numbers import english_numbers_in
from assistant.text.tables import is_table_line, write_table
from assistant.text.years import is_year

_CJK = re.compile(r"[\u4e00-\u9fff]")
_COLON = re.compile(r"^([^：:，。；;,]{1,30}?)\s*[：:]\s*(?=[\d零一二两三四五六七八九十百])")
_EN_CLAUSES = re.compile(r"[;；,，]|\bof which\b|\bincluding\b|\bwhile\b", re.IGNORECASE)
_EN_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(%|percent\b)?")
_SCOPE_ORDER = ("programme", "level", "region", "side", "age", "major", "indexing", "subject")


@dataclass
class NoteFact:
    """One figure of this year's notes. ``label`` is the metric as a report would write it (for an
    English note: the vocabulary's Chinese label with its scope, e.g. 外方任课教师); ``concept`` and
    ``scope`` are the binding (``concept`` "" when the vocabulary names none); ``unit`` may be empty
    for English notes; ``note`` is the 1-based number of the note it came from."""

    label: str
    value: float
    raw: str
    unit: str
    line: str
    context: str = ""
    from_table: bool = False
    concept: str = ""
    scope: tuple = ()
    note: int = 0

    @property
    def scope_dict(self) -> dict[str, str]:
        return dict(self.scope)


@dataclass
class Note:
    """One line of the notes (or one row of the table): ``n`` counts from 1 in the order written."""

    n: int
    text: str
    facts: list[NoteFact] = field(default_factory=list)
    language: str = "zh"
    from_table: bool = False

    @property
    def qualitative(self) -> bool:
        return not self.facts


def compose_label(concept: str, scope: dict[str, str] | tuple) -> str:
    """A metric label the way the reports write it: scope words in front of the concept's label
    (任课教师 · 外方 → 外方任课教师; · ≤35 → 35岁以下任课教师)."""
    vocab = vocabulary()
    scope = dict(scope)
    prefix = "".join(vocab.scope_name(dim, scope[dim]) for dim in _SCOPE_ORDER if dim in scope and dim != "part")
    return prefix + vocab.label_of(concept)


_ONE = re.compile(r"(?<![\u4e00-\u9fff\d])([一两])\s*(名|位|人|个|项|门|篇|次|场)(?=[\u4e00-\u9fff])")
"""``一名青年教师入选…``: in a note, 一/两 with a counting unit is a count (the figure extractor skips a
lone 一 in report text, where it is mostly idiomatic: 一流, 一系列)."""


_UNIT_IN_LABEL = {"人次": "人次", "人数": "人", "篇数": "篇", "门数": "门", "项数": "项", "次数": "次"}
"""A label ending in its unit (``国际级获奖人次：26``, ``35岁及以下人数：36``): the figure has that unit."""


def _chinese_facts(line: str) -> list[NoteFact]:
    vocab = vocabulary()
    text = _COLON.sub(lambda m: m.group(1) + "为", line)
    facts = []
    for f in extract_figures(text):
        if not f.metric:
            continue
        unit, concept = f.unit, f.concept or ""
        tail = next((u for w, u in _UNIT_IN_LABEL.items() if f.metric.endswith(w)), None)
        if not unit and tail:
            unit = tail
            found = vocab.concept_in(f.metric, unit)
            concept = found[0].id if found else concept
        facts.append(NoteFact(f.metric, f.value, f.raw, unit, line, f.context, concept=concept, scope=tuple(f.scope)))
    for m in _ONE.finditer(text):
        if any(f.raw.startswith(m.group(1)) and f.raw in text[m.start():m.end() + 2] for f in facts):
            continue
        clause = re.split(r"[，,；;。]", text[m.end():])[0]
        found = vocab.concept_in(clause, m.group(2))
        label = clause[:found[1][1]] if found else clause[:12]
        scope = vocab.scope_in(clause, [found[1]] if found else [])
        facts.append(NoteFact(label, 1.0 if m.group(1) == "一" else 2.0, m.group(0), m.group(2), line,
                              concept=found[0].id if found else "", scope=tuple(sorted(scope.items()))))
    return facts


def _english_unit(concept: Any, percent: bool) -> str:
    if percent:
        return "%"
    if concept is None:
        return ""
    units = [u for u in concept.units if u not in ("%", "")]
    return units[0] if units else ""


def _english_facts(line: str) -> list[NoteFact]:
    vocab = vocabulary()
    facts: list[NoteFact] = []
    previous = None  # the concept of the clause before: "of which 35 from Glasgow" is a part of it
    for clause in _EN_CLAUSES.split(line):
        found = vocab.concept_in(clause)
        concept, span = (found[0], found[1]) if found else (None, (0, 0))
        scope = vocab.scope_in(clause, [span] if found else [])
        age = age_band(clause)  # "Staff aged under 35": the age band may overlap the concept's words
        if age:
            scope["age"] = age
        rest = clause[:span[0]] + " " * (span[1] - span[0]) + clause[span[1]:]
        numbers = [(m.start(), m.group(1).replace(",", "") + (m.group(2) or ""), bool(m.group(3)))
                   for m in _EN_NUMBER.finditer(rest) if not (is_year(m.group(1)) and not m.group(3))]
        numbers += [(a, format(v, "g"), False) for a, b, v in english_numbers_in(rest)]
        numbers = [n for n in numbers if not (age and n[1] in re.findall(r"\d+", age))]  # "under 35" is the band
        if concept is not None:
            previous = concept
        elif scope and previous is not None and numbers:
            concept = previous
        if not numbers:
            continue
        _, number, percent = sorted(numbers)[-1]
        unit = _english_unit(concept, percent)
        if concept is not None and concept.units and not concept.accepts(unit) and unit:
            unit = ""
        label = compose_label(concept.id, scope) if concept is not None else re.sub(r"[\d.,%]+", "", clause).strip()
        raw = number + "%" if unit == "%" else number
        facts.append(NoteFact(label, float(number), raw, unit, line, context="en",
                              concept=concept.id if concept is not None else "", scope=tuple(sorted(scope.items()))))
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
                              f.sentence, from_table=True, concept=f.concept or "", scope=tuple(f.scope)))
    return facts


def read_notes(text: str, table: str | None = None) -> list[Note]:
    """The notes, one per non-empty line (bullets and list numbers removed), then one per row of a
    table written in the notes or given as ``table`` (Markdown, see :func:`load_table`)."""
    notes: list[Note] = []
    table_lines: list[str] = []
    for raw_line in (text or "").splitlines():
        if is_table_line(raw_line):
            table_lines.append(raw_line)
            continue
        line = BULLET.sub("", raw_line).strip()
        if not line:
            continue
        english = not _CJK.search(line)
        facts = _english_facts(line) if english else _chinese_facts(line)
        notes.append(Note(len(notes) + 1, line, facts, "en" if english else "zh"))
    for block in ("\n".join(table_lines), table or ""):
        if not block.strip():
            continue
        by_row: dict[str, list[NoteFact]] = {}
        for fact in _table_facts(block):
            by_row.setdefault(fact.line.strip(), []).append(fact)
        for row, facts in by_row.items():  # a row as people read it: 国际级 获奖人次 26；较上年增减 +5
            text = "；".join(f"{f.label} {f.raw}" for f in facts)
            notes.append(Note(len(notes) + 1, text, facts, "zh", from_table=True))
    for note in notes:
        for fact in note.facts:
            fact.note = note.n
    return notes


def parse_notes(text: str, table: str | None = None) -> list[NoteFact]:
    """Facts with figures from bullet notes (Chinese or English, one fact or clause list per line)
    plus the cells of an optional Markdown table (see :func:`load_table`)."""
    return [fact for note in read_notes(text, table) for fact in note.facts]


# ---- tables ------------------------------------------------------------------------------------------


def _markdown_table(rows: list[list[Any]]) -> str:
    return write_table([[None if c is None else str(c) for c in r] for r in rows if any(c not in (None, "") for c in r)])


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _csv_table(text: str) -> str:
    dialect = csv.Sniffer().sniff(text[:2000], delimiters=",;\t") if text.strip() else csv.excel
    return _markdown_table(list(csv.reader(io.StringIO(text.strip()), dialect)))


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
