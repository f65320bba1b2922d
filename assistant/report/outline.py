"""The outline of year N's report: the top-level headings of the latest prior report, in order.

Reports are indexed as chunks whose ``section`` is the heading path (``"三. 师资建设 > 3. 教师队伍…"``
for the real 2020 report, ``"2022年度自评报告 > 三、师资建设 > （二）…"`` for a Markdown report with a
title heading). The section of a chunk is the first path element numbered like a top-level heading
(``一、`` ``一.`` ``第一章`` ``1.``), else the first element that is not the report's title; the cover
(chunks without a section) is not a section. Numbering is dropped from the *title* (what sections
are matched by: drafts, notes files, Word headings) and kept in the *heading* (what is written).

Without a prior report the nine standard sections are the outline (``source`` is then empty).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.types import Chunk

from assistant.text.numbering import strip_numbering, style_of

from .drafter import STANDARD_SECTIONS

__all__ = ["Outline", "OutlineSection", "match_title", "outline_for", "title_of"]

_CN = "一二三四五六七八九十"  # the standard sections' numbering
_TOP_STYLES = ("part", "chapter", "cn", "arabic")  # numbering families a report's nine sections use
_REPORT_TITLE = re.compile(r"年度?(?:自评)?报告|self[- ]assessment", re.I)


@dataclass(frozen=True)
class OutlineSection:
    title: str  # without numbering: 师资建设
    heading: str  # as the prior report writes it: 三. 师资建设


@dataclass(frozen=True)
class Outline:
    sections: tuple[OutlineSection, ...]
    source: str = ""  # the prior report it comes from ("" = standard sections)
    year: int | None = None


def title_of(heading: str) -> str:
    """A heading without its numbering and spaces: ``"三. 师资建设"`` → ``"师资建设"``."""
    return re.sub(r"\s+", "", strip_numbering(heading or ""))


def _top_part(section: str) -> str | None:
    parts = [p.strip() for p in (section or "").split(" > ") if p.strip()]
    for part in parts:
        found = style_of(part.strip())
        if found is not None and found[0].key in _TOP_STYLES:
            return part
    for part in parts:
        if not _REPORT_TITLE.search(part):
            return part
    return None


def outline_for(chunks: Iterable[Chunk], year: int) -> Outline:
    """The outline for the ``year`` report from the latest indexed report of an earlier year."""
    reports = [c for c in chunks if c.doc_type == "report" and c.year is not None and c.year < year]
    if not reports:
        return Outline(tuple(OutlineSection(t, f"{_CN[i]}、{t}") for i, t in enumerate(STANDARD_SECTIONS)))
    prior = max(c.year for c in reports)
    sources = sorted({c.source for c in reports if c.year == prior})
    # Several files for one year (a report and an annex): the one with the most chunks is the report.
    source = max(sources, key=lambda s: (sum(1 for c in reports if c.source == s), s))
    seen: dict[str, OutlineSection] = {}
    for c in sorted((c for c in reports if c.source == source), key=lambda c: c.ordinal):
        part = _top_part(c.section)
        if part is None:
            continue
        title = title_of(part)
        if title and title not in seen:
            seen[title] = OutlineSection(title, part)
    if not seen:
        return Outline(tuple(OutlineSection(t, f"{_CN[i]}、{t}") for i, t in enumerate(STANDARD_SECTIONS)))
    return Outline(tuple(seen.values()), source, prior)


def match_title(name: str, titles: Iterable[str]) -> str | None:
    """The title among ``titles`` that ``name`` (a heading, a file stem) names, numbering ignored:
    equal first, then containment (``三、师资队伍建设`` ↔ ``师资建设`` does not count, ``师资建设情况``
    does), else None."""
    want = title_of(name)
    titles = list(titles)
    if not want:
        return None
    for t in titles:
        if title_of(t) == want:
            return t
    candidates = [t for t in titles if title_of(t) and (title_of(t) in want or want in title_of(t))
                  and abs(len(title_of(t)) - len(want)) <= 4]
    if len(candidates) == 1:
        return candidates[0]
    return None
