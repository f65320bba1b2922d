"""Paragraphs from lines: how wrapped lines, blank lines and page breaks of plain text, PDF text and OCR
output become paragraphs (a line continues its paragraph unless it starts a numbered heading, the
paragraph ended a sentence, or the geometry says so). One module for the text, PDF and image loaders.
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


def blocks_of_pages(pages: list[list[PdfItem]]) -> list[Block]:
    pages = without_running_lines(pages)
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
