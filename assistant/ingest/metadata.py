"""What a document is: its type (one of :mod:`assistant.domain.doctypes`), the year it is about, and
its title. The type words live in the registry, so a new type is one entry there, not code here."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from assistant.domain import doctypes
from assistant.text.years import ABOUT_YEAR, DATE_LINE, LOOSE_YEAR, YEAR_NIAN
from assistant.types import Block, DocType, ParsedDocument

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
        if len(text) <= _TITLE_MAX_CHARS and any(w in text for t in doctypes.DOC_TYPES for w in t.title_words):
            above = [b.text.strip() for b in lead[:i]]
            if i <= 2 and all(len(t) <= 20 and not re.search(r"[。：:，,]", t) for t in above):
                return " ".join([*above, text])
            return text
    for block in lead:
        text = block.text.strip().split("\n")[0]
        if re.search(r"\w", text):
            return text[:_TITLE_MAX_CHARS]
    return ""


_TRAILING_NOTE = re.compile(r"\s*[（(][^（）()]*[)）]\s*$")  # 办法（示例）, 条例(2018-11-22), 教育法（2021年修正）


def _doc_type(relpath: str, title: str) -> DocType:
    """First registered type whose suffix, folder word, title ending, title word or file-name pattern
    matches (each cue tried over all types before the next, weaker one)."""
    path = PurePosixPath(relpath.replace("\\", "/"))
    folders = [p.lower() for p in path.parts[:-1]]
    bare_title = _TRAILING_NOTE.sub("", title).rstrip("》").strip()
    types = doctypes.DOC_TYPES
    cues = (
        lambda t: path.suffix.lower() in {"." + x.lower().lstrip(".") for x in t.suffixes},
        lambda t: any(w in f for f in folders for w in t.folder_words),
        lambda t: bool(t.title_suffixes) and bare_title.endswith(t.title_suffixes),
        lambda t: any(w in title for w in t.title_words),
        lambda t: t.filename is not None and bool(t.filename.search(path.stem)),
    )
    for cue in cues:
        for t in types:
            if cue(t):
                return t.id
    return doctypes.DEFAULT


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
    registered = doctypes.get(doc_type)
    if registered is None or not registered.dated_by_year:
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
