"""What a document is: its type (report / regulation / data / other), the year it is about, and its title.

Spreadsheets (.xlsx, .csv) are ``data`` (统计数据, statistics tables) whatever their folder: their
cells are figures to look up, not prose to cite as a report or a rule."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from assistant.text.years import ABOUT_YEAR, DATE_LINE, LOOSE_YEAR, YEAR_NIAN
from assistant.types import Block, DocType, ParsedDocument

_REPORT_FOLDERS = ("report", "报告", "年报", "自评")
_REGULATION_FOLDERS = ("regulation", "rule", "policy", "policies", "制度", "法规", "规章", "政策", "文件")
_REPORT_WORDS = ("自评报告", "年度报告", "质量报告", "评估报告", "工作报告", "报告")
_REGULATION_WORDS = ("条例", "办法", "规定", "细则", "章程", "通知", "制度", "规范", "意见", "规程", "准则")
_FILENAME_REPORT = re.compile(r"report|self[_\- ]?assessment|报告", re.IGNORECASE)
_FILENAME_REGULATION = re.compile(r"regulation|rules?\b|polic|measures|条例|办法|规定|细则|章程|通知|制度",
                                  re.IGNORECASE)

_LEAD_BLOCKS = 12
_TITLE_MAX_CHARS = 60


def _lead(doc: ParsedDocument) -> list[Block]:
    return [b for b in doc.blocks if b.text.strip() and b.kind != "table"][:_LEAD_BLOCKS]


def _title(doc: ParsedDocument) -> str:
    """Loader title, else a title-worded cover line (with the short lines above it), else the first line."""
    if doc.title.strip():
        return doc.title.strip()
    lead = _lead(doc)
    for block in lead:
        if block.kind == "heading":
            return block.text.strip()
    for i, block in enumerate(lead):
        text = block.text.strip()
        if len(text) <= _TITLE_MAX_CHARS and any(w in text for w in (*_REPORT_WORDS, *_REGULATION_WORDS)):
            above = [b.text.strip() for b in lead[:i]]
            if i <= 2 and all(len(t) <= 20 and not re.search(r"[。：:，,]", t) for t in above):
                return " ".join([*above, text])
            return text
    for block in lead:
        text = block.text.strip().split("\n")[0]
        if re.search(r"\w", text):
            return text[:_TITLE_MAX_CHARS]
    return ""


_DATA_SUFFIXES = (".xlsx", ".csv")


def _doc_type(relpath: str, title: str) -> DocType:
    path = PurePosixPath(relpath.replace("\\", "/"))
    if path.suffix.lower() in _DATA_SUFFIXES:
        return "data"
    folders = [p.lower() for p in path.parts[:-1]]
    if any(w in f for f in folders for w in _REPORT_FOLDERS):
        return "report"
    if any(w in f for f in folders for w in _REGULATION_FOLDERS):
        return "regulation"
    if title.rstrip("）)》").endswith(_REGULATION_WORDS):
        return "regulation"
    if any(w in title for w in _REPORT_WORDS):
        return "report"
    if any(w in title for w in _REGULATION_WORDS):
        return "regulation"
    if _FILENAME_REPORT.search(path.stem):
        return "report"
    if _FILENAME_REGULATION.search(path.stem):
        return "regulation"
    return "other"


def _year(relpath: str, doc: ParsedDocument, title: str, doc_type: DocType) -> int | None:
    """Year the document is about: ``NNNN 年度``/``学年`` in title or opening, then the file name,
    then ``NNNN 年`` in the title, then (not for reports, which are dated after their year) a date line."""
    if doc_type == "data":  # the loader read each sheet's year: the document's only if all agree
        block_years = {b.year for b in doc.blocks}
        return block_years.pop() if len(block_years) == 1 else None
    lead = [b.text.strip() for b in _lead(doc)]
    for text in (title, *lead):
        match = ABOUT_YEAR.search(text)
        if match:
            return int(match.group(1))
    match = LOOSE_YEAR.search(PurePosixPath(relpath.replace("\\", "/")).name)
    if match:
        return int(match.group(1))
    match = YEAR_NIAN.search(title)
    if match:
        return int(match.group(1))
    if doc_type != "report":
        for text in lead:
            match = DATE_LINE.match(text)
            if match:
                return int(match.group(1))
    return None


def describe(relpath: str, doc: ParsedDocument) -> tuple[DocType, int | None, str]:
    """``(doc_type, year, title)`` of ``doc`` stored at ``relpath`` (relative to the knowledge folder)."""
    title = _title(doc)
    doc_type = _doc_type(relpath, title)
    return doc_type, _year(relpath, doc, title, doc_type), title
