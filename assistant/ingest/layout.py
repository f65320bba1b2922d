"""Paragraphs from lines: how wrapped lines, blank lines and page breaks of plain text, PDF text and OCR
output become paragraphs (a line continues its paragraph unless it starts a numbered heading, the
paragraph ended a sentence, or the geometry says so). One module for the text, PDF and image loaders.

A PDF table drawn with rules only has no cell borders for pdfplumber's table finder; its rows are read
from the gaps between their cells (:func:`column_tables`): bench/retrieval.py sixth corpus, hybrid,
untuned hit@5 0.913 → 0.957 and every-year@5 0.714 → 0.857, untuned MRR@10 0.949 → 0.946, tuned
hit@1 / hit@5 unchanged (with 副教授 read as the 副高级 row's title level, terms.toml).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from assistant.text.numbering import heading_like, numbered_start
from assistant.text.sentences import CLOSERS, FINAL_PUNCTUATION, join_wrapped
from assistant.text.tables import write_table
from assistant.types import Block

SOFT_JOIN_MIN_CHARS = 40  # a text paragraph this long without final punctuation continues after a break
_PAGE_NUMBER = re.compile(r"^(?:[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")

Break = Literal["wrap", "soft", "page", "hard"]


@dataclass
class Line:
    text: str
    page: int | None
    brk: Break  # how this line relates to the previous one
    confidence: float | None = None  # OCR score of the line (None: the text was in the file)


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in FINAL_PUNCTUATION


def _continues(paragraph: str, line: Line) -> bool:
    """Whether ``line`` continues ``paragraph`` across a wrap, blank line or page break."""
    if line.brk == "hard" or heading_like(paragraph):
        return False
    if numbered_start(line.text) and (line.brk != "wrap" or _ends_sentence(paragraph)):
        return False
    if line.brk == "wrap":
        return True
    if _ends_sentence(paragraph) or heading_like(line.text):
        return False
    return line.brk == "page" or len(paragraph) >= SOFT_JOIN_MIN_CHARS


def _merged_confidence(block: Block, line: Line) -> float | None:
    """Character-weighted mean OCR score of a paragraph and the line it absorbs."""
    if block.confidence is None or line.confidence is None:
        return block.confidence if line.confidence is None else line.confidence
    left, right = len(block.text), len(line.text)
    return (block.confidence * left + line.confidence * right) / max(1, left + right)


def assemble(lines: Iterable[Line]) -> list[Block]:
    blocks: list[Block] = []
    for line in lines:
        if blocks and _continues(blocks[-1].text, line):
            blocks[-1].confidence = _merged_confidence(blocks[-1], line)
            blocks[-1].text = join_wrapped(blocks[-1].text, line.text)
        else:
            blocks.append(Block(line.text, page=line.page, confidence=line.confidence))
    return blocks


@dataclass
class PdfItem:
    top: float
    line: dict | None = None
    table: str | None = None


def line_items(lines: list[dict]) -> list[PdfItem]:
    """Non-empty lines, a page number at the foot (or head) of the page dropped."""
    lines = [ln for ln in lines if ln["text"].strip()]
    while lines and _PAGE_NUMBER.match(lines[-1]["text"].strip()):
        lines.pop()
    if lines and _PAGE_NUMBER.match(lines[0]["text"].strip()):
        lines.pop(0)
    return [PdfItem(ln["top"], line=ln) for ln in lines]


def _margin(values: list[float], quantile: float) -> float:
    """A text margin robust to the odd overhanging line."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]


def pdf_lines(pages: list[list[PdfItem]]) -> Iterable[Line | Block]:
    """Lines with breaks judged from geometry: vertical gaps, first-line indents and short lines
    (clearly short, or short and ending a sentence) end paragraphs; a page break is a soft break."""
    all_lines = [it.line for items in pages for it in items if it.line]
    left = _margin([ln["x0"] for ln in all_lines], 0.1)
    right = _margin([ln["x1"] for ln in all_lines], 0.9)
    previous: dict | None = None
    for number, items in enumerate(pages, start=1):
        tops = [it.line["top"] for it in items if it.line]
        spacing = statistics.median([b - a for a, b in pairwise(tops)]) if len(tops) > 2 else None
        for index, item in enumerate(items):
            if item.table is not None:
                yield Block(item.table, kind="table", page=number)
                previous = None
                continue
            line = item.line
            size = max(line["bottom"] - line["top"], 1.0)
            brk: Break
            if previous is None or line["x0"] > left + size or _ends_paragraph(previous, left, right, size):
                brk = "hard"
            elif index == 0:
                brk = "page"
            elif spacing and line["top"] - previous["top"] > 1.6 * spacing:
                brk = "hard"
            else:
                brk = "wrap"
            yield Line(line["text"].strip(), number, brk, line.get("confidence"))
            previous = line


def _ends_paragraph(line: dict, left: float, right: float, size: float) -> bool:
    short = line["x1"] < right - 2 * size
    return short and (_ends_sentence(line["text"]) or line["x1"] < left + 0.75 * (right - left))


RUNNING_MIN_PAGES = 3
_DIGITS = re.compile(r"\d+")


def _running_key(item: PdfItem) -> str | None:
    return _DIGITS.sub("#", re.sub(r"\s+", "", item.line["text"])) if item.line else None


def without_running_lines(pages: list[list[PdfItem]]) -> list[list[PdfItem]]:
    """Pages without their running head and foot: a line that opens (or closes) at least half the pages,
    and :data:`RUNNING_MIN_PAGES` of them, digits aside (the college's name over every page, ``2022年度
    自评报告  第 3 页``) is the page's furniture, not text. Left in, it is joined into the paragraph that
    runs across the page break (``…对应岗岚江机电职业技术学院位。``, bench/corpus5's 2022 PDF) and repeats
    the name in passages. Only the first and the last line of a page are candidates."""
    if len(pages) < RUNNING_MIN_PAGES:
        return pages
    counts: dict[tuple[str, str], int] = {}
    for items in pages:
        lines = [it for it in items if it.line]
        for end, item in (("head", lines[0] if lines else None), ("foot", lines[-1] if lines else None)):
            if item is not None:
                counts[end, _running_key(item)] = counts.get((end, _running_key(item)), 0) + 1
    needed = max(RUNNING_MIN_PAGES, (len(pages) + 1) // 2)
    running = {key for key, n in counts.items() if n >= needed}
    if not running:
        return pages
    out = []
    for items in pages:
        lines = [it for it in items if it.line]
        drop = set()
        if lines and ("head", _running_key(lines[0])) in running:
            drop.add(id(lines[0]))
        if lines and ("foot", _running_key(lines[-1])) in running:
            drop.add(id(lines[-1]))
        out.append([it for it in items if id(it) not in drop])
    return out


COLUMN_GAP_EMS = 1.0
"""A gap between two glyphs of one PDF line wider than this many font sizes separates two cells: a word
space is about a quarter of one, the columns of a table several (bench/corpus6's 2024 PDF: 2.5 and more)."""
COLUMN_MIN_ROWS = 3
"""Consecutive lines of at least two cells that make a table: a header and two rows."""


def _cells(line: dict | None) -> list[tuple[float, float, str]]:
    """The cells of a PDF text line, (x0, x1, text) each: its glyphs split where a gap wider than
    :data:`COLUMN_GAP_EMS` lies between two of them. Lines without glyph positions (OCR) have none."""
    chars = [c for c in (line or {}).get("chars") or () if c.get("text", "").strip()]
    cells: list[list[dict]] = []
    for char in chars:
        if cells and char["x0"] - cells[-1][-1]["x1"] <= COLUMN_GAP_EMS * max(char.get("size") or 0.0, 1.0):
            cells[-1].append(char)
        else:
            cells.append([char])
    return [(group[0]["x0"], group[-1]["x1"], "".join(c["text"] for c in group)) for group in cells]


def _columned(rows: list[list[tuple[float, float, str]]]) -> list[list[str]]:
    """Rows of cells placed under the columns of the row with the most cells (a grouped table leaves the
    group's cell empty on its continuation rows: ``第二附属医院  41`` under ``附属医院  第一附属医院  52``):
    each cell goes to the column it overlaps most, else the nearest."""
    spans = [(x0, x1) for x0, x1, _ in max(rows, key=len)]
    out = []
    for row in rows:
        cells = [""] * len(spans)
        for x0, x1, text in row:
            def fit(j: int) -> tuple[float, float]:
                a, b = spans[j]
                return min(x1, b) - max(x0, a), -abs((x0 + x1) / 2 - (a + b) / 2)
            j = max(range(len(spans)), key=fit)
            cells[j] = f"{cells[j]} {text}".strip()
        out.append(cells)
    return out


TABLE_GAP_FACTOR = 1.4
"""Two tables one right after the other (收入项目 … then 支出项目 …) are parted by a line gap this many times
their rows' usual spacing (bench/corpus6's 2024 PDF: 28 against 18 points)."""


def _split_at_gaps(flat: list[tuple[int, PdfItem]], start: int, end: int) -> list[tuple[int, int]]:
    """The run ``flat[start:end]`` cut where the gap to the next line on the same page exceeds
    :data:`TABLE_GAP_FACTOR` times the run's median gap."""
    gaps = {k: flat[k + 1][1].top - flat[k][1].top for k in range(start, end - 1) if flat[k][0] == flat[k + 1][0]}
    if not gaps:
        return [(start, end)]
    usual = statistics.median(gaps.values())
    cuts = [k + 1 for k, gap in gaps.items() if gap > TABLE_GAP_FACTOR * usual]
    bounds = [start, *cuts, end]
    return list(pairwise(bounds))


def column_tables(pages: list[list[PdfItem]]) -> list[list[PdfItem]]:
    """Pages with each run of text lines laid out in columns read as one table: a table drawn with rules
    only, or none, has no cell borders for pdfplumber's table finder, so its rows were wrapped lines
    joined into one paragraph with the prose around them (``职称 中方（人） 外方（人）…正高级 12 9 21
    23.9…``, bench/corpus6's 2024 PDF). A run is :data:`COLUMN_MIN_ROWS` or more consecutive lines of at
    least two cells (:func:`_cells`), across a page break too; a continuation page's repeated header row
    is dropped. The table stands where its first line stood."""
    flat = [(p, it) for p, items in enumerate(pages) for it in items]
    cells = [_cells(it.line) if it.line else [] for _, it in flat]
    replaced: dict[int, PdfItem | None] = {}
    runs = []
    i = 0
    while i < len(flat):
        j = i
        while j < len(flat) and len(cells[j]) >= 2:
            j += 1
        runs += _split_at_gaps(flat, i, j) if j - i >= COLUMN_MIN_ROWS else []
        i = max(j, i + 1)
    for i, j in runs:
        if j - i >= COLUMN_MIN_ROWS:
            header = [t for _, _, t in cells[i]]
            rows = [cells[i]] + [c for c in cells[i + 1:j] if [t for _, _, t in c] != header]
            replaced[id(flat[i][1])] = PdfItem(flat[i][1].top, table=write_table(_columned(rows)))
            for _, it in flat[i + 1:j]:
                replaced[id(it)] = None
    if not replaced:
        return pages
    return [[replaced.get(id(it), it) for it in items if replaced.get(id(it), it) is not None] for items in pages]


def blocks_of_pages(pages: list[list[PdfItem]]) -> list[Block]:
    pages = column_tables(without_running_lines(pages))
    blocks: list[Block] = []
    pending: list[Line] = []
    for item in pdf_lines(pages):
        if isinstance(item, Block):
            blocks += assemble(pending)
            pending = []
            blocks.append(item)
        else:
            pending.append(item)
    return blocks + assemble(pending)


def blocks_from_lines(pages: list[list[dict]]) -> list[Block]:
    """Paragraphs from positioned lines (``text x0 x1 top bottom`` [+ ``confidence``]), one list per page,
    judged by the same geometry as PDF text lines."""
    return blocks_of_pages([line_items(lines) for lines in pages])
