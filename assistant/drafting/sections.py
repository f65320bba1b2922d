"""A prior year's section rebuilt from its indexed chunks: which chunks belong to a section (numbering
variants ``三、`` / ``三.`` / ``## 三`` ignored), and the section as Markdown (heading, sub-headings
where the chunk path changes, one paragraph per chunk text) with where each chunk's text lies — the
prior passage a carried sentence cites.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.figures.align import label_similarity
from assistant.text.numbering import strip_numbering
from assistant.types import Chunk

SECTIONS = ("办学基本情况", "学生培养", "师资建设", "教学组织", "教学质量监控", "项目管理", "财务状况", "社会评价", "办学特色")
"""The nine sections of a self-assessment report, in order."""
_CN_ORDINALS = "一二三四五六七八九十"


def section_index(path: str, section: str) -> int | None:
    """Index of the path element naming ``section`` (numbering ignored), or None."""
    want = strip_numbering(section)
    parts = [p.strip() for p in path.split(" > ")]
    for i, part in enumerate(parts):
        title = strip_numbering(part)
        if title and (title == want or (len(want) >= 2 and want in title and len(title) <= len(want) + 6)):
            return i
    for i, part in enumerate(parts):
        if label_similarity(strip_numbering(part), want) >= 0.75:
            return i
    return None


def section_chunks(chunks: Iterable[Chunk], section: str, year: int | None = None) -> list[Chunk]:
    """Report chunks of ``year`` (all years when None) whose section path contains ``section``, in
    document order."""
    out = [c for c in chunks if c.doc_type == "report" and (year is None or c.year == year)
           and section_index(c.section or "", section) is not None]
    return sorted(out, key=lambda c: (c.source, c.ordinal))


def prior_years(chunks: Iterable[Chunk], section: str, year: int) -> list[int]:
    """Years before ``year`` whose report has ``section``, latest first."""
    years = {c.year for c in chunks if c.doc_type == "report" and c.year is not None and c.year < year
             and section_index(c.section or "", section) is not None}
    return sorted(years, reverse=True)


def latest_prior(chunks: Sequence[Chunk], section: str, year: int) -> tuple[int, list[Chunk]] | None:
    """The latest prior year with ``section`` and that section's chunks (one source document)."""
    years = prior_years(chunks, section, year)
    if not years:
        return None
    found = section_chunks(chunks, section, years[0])
    return years[0], [c for c in found if c.source == found[0].source]


def _strip_overlap(previous: str, text: str) -> str:
    """Drop the start of ``text`` that repeats the end of ``previous`` (chunk overlap)."""
    for n in range(min(len(previous), len(text), 600), 8, -1):
        if previous.endswith(text[:n]):
            return text[n:].lstrip()
    return text


@dataclass
class Piece:
    """Where one chunk's text lies in the rebuilt section."""

    chunk: Chunk
    start: int
    end: int


def section_markdown(chunks: Sequence[Chunk], section: str, *, level: int = 2) -> tuple[str, list[Piece]]:
    """The section rebuilt as Markdown from its chunks (heading, sub-headings when the path changes,
    chunk texts as paragraphs) plus where each chunk's text lies in it."""
    if not chunks:
        return "", []
    first = chunks[0].section.split(" > ")
    idx = section_index(chunks[0].section, section) or 0
    text = "#" * level + " " + first[idx].strip() + "\n"
    pieces: list[Piece] = []
    current: list[str] = []
    previous = ""
    for c in chunks:
        parts = [p.strip() for p in c.section.split(" > ")]
        i = section_index(c.section, section) or 0
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
        pieces.append(Piece(c, len(text), len(text) + len(body)))
        text += body + "\n\n"
    return text.rstrip() + "\n", pieces


def history(chunks: Iterable[Chunk], year: int) -> list[tuple[str, int, str, str]]:
    """(text, year, source, section) of every report passage of years before ``year``: the figure
    check's reference."""
    return [(c.text, c.year, c.source, c.section) for c in chunks
            if c.doc_type == "report" and c.year is not None and c.year < year]


def heading_for(section: str) -> str:
    """``三、师资建设`` for a standard section, the title itself otherwise."""
    if section in SECTIONS:
        return f"{_CN_ORDINALS[SECTIONS.index(section)]}、{section}"
    return section


def prior_heading(chunks: Sequence[Chunk], section: str, year: int) -> str | None:
    """The section's heading as the latest prior report writes it (``三. 师资建设``)."""
    found = latest_prior(chunks, section, year)
    if found is None:
        return None
    c = found[1][0]
    return c.section.split(" > ")[section_index(c.section, section) or 0].strip()
