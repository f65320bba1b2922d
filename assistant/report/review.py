"""Checking the year's report: the figure check block by block, figures stated differently in two
sections, and every open placeholder and figure not updated, grouped by section.

Why block by block: every rule of the figure check reads within one line or one table (a
paragraph is a line there), so checking a section's blocks one at a time gives the same findings
as checking the section whole — 0 differences over the 27 update-mode sections drafted from the
2020 real report and the 2022/2023 sample reports — while a re-check after an edit or a Word
import only has to run on the blocks that changed (:func:`recheck`). Unchanged blocks keep their
findings and acknowledgements.

Cross-section consistency (kind ``consistency``): a metric stated in two *different* sections must
have the same value. Figures are the same metric when ``match_score`` ≥ 0.75 and label similarity
≥ 0.75 (same unit family, both levels or both cumulative; no 约/余 qualifier, no range, no change
较上年). At 0.75 the four consistent reports (real 2020, sample 2021–2023) raise no alarm; at 0.6
they raised three (90.7% 国内外读研深造率 vs 24.3% 国内深造率). A section that states a metric with
several values is no reference for it — the real report's 师资建设 gives 任课教师 113 人 for the
college and 12 人 for one programme — and a later section is consistent when any of its figures of
that metric has the reference value. Cheap (the report's figures, pairwise), so it is recomputed on
every check.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.figures.acknowledgements import AcknowledgementStore, finding_key
from assistant.figures.align import is_cumulative, label_similarity, match_score, quote_of
from assistant.figures.extract import Figure, extract_figures, is_delta
from assistant.text.numbers import normalise_number
from assistant.text.sentences import sentence_bounds
from assistant.types import Chunk

from .blocks import Block, comparable, split_blocks, unmark
from .drafter import PLACEHOLDER
from .workspace import Section, Workspace

__all__ = ["CONSISTENCY_MIN_MATCH", "ReportEnv", "check_report", "check_text", "consistency_findings",
           "recheck", "refresh_marks", "report_findings"]

CONSISTENCY_MIN_MATCH = 0.75
Record = tuple[str, int, str, str]


@dataclass
class ReportEnv:
    """What the report needs from the rest of the application (no import of ``services``).

    ``chunks``: the indexed chunks (a callable, read when needed); ``draft_deps``: what
    ``draft_section`` accepts (``DraftDeps`` or the services); ``acks``: the acknowledgement
    store; ``search``: ``retriever.search`` for regulation articles (optional)."""

    chunks: Callable[[], Sequence[Chunk]]
    draft_deps: Any
    acks: AcknowledgementStore
    search: Callable[..., list] | None = None

    @classmethod
    def from_services(cls, services: Any) -> ReportEnv:
        return cls(chunks=lambda: services.indexer.catalog.chunks(), draft_deps=services,
                   acks=services.acknowledgements,
                   search=lambda *a, **k: services.retriever.search(*a, **k))

    def history(self, year: int) -> list[Record]:
        return [(c.text, c.year, c.source, c.section) for c in self.chunks()
                if c.doc_type == "report" and c.year is not None and c.year < year]


def check_text(text: str, year: int, history: Iterable[Record]) -> list[dict]:
    """The figure check of one block's text (the only call into ``assistant.figures.check``)."""
    from assistant.figures import check_draft

    return [f.to_json() for f in check_draft(text, year, history)]


# ---- marks: placeholders and figures not updated -----------------------------------------------------


def _excerpt(plain: str, start: int, end: int, width: int = 14) -> str:
    """Up to ``width`` characters of the sentence before the figure, and the figure (never starting
    inside a number: "024 年" of "2024 年")."""
    a, _ = sentence_bounds(plain, start)
    b = max(a, start - width)
    while b > a and (plain[b - 1].isdigit() or plain[b - 1] in ".,%") and (plain[b].isdigit() or plain[b] in ".,%"):
        b -= 1
    return plain[b:end].strip()


def refresh_marks(section: Section, year: int) -> None:
    """``placeholders`` and ``not_updated`` as the text now holds them (a reviewer may have filled
    a placeholder or updated a figure); what the drafter knew about them (reason, replaced) is kept."""
    known_ph = {p.get("text"): p for p in section.placeholders}
    placeholders, not_updated = [], []
    for i, block in enumerate(split_blocks(section.text)):
        if block.kind == "heading":
            continue
        for m in PLACEHOLDER.finditer(block.text):
            item = {k: v for k, v in known_ph.get(m.group(0), {}).items()}
            item.update({"text": m.group(0), "metric": item.get("metric") or m.group(1).strip(), "block": i})
            placeholders.append(item)
        plain, spans = unmark(block.text)
        figures = extract_figures(plain)
        for a, b in spans:
            raw = plain[a:b]
            fig = next((f for f in figures if f.start < b and f.end > a), None)
            sa, sb = sentence_bounds(plain, a)
            item = {"kind": "not_updated", "raw": raw, "metric": fig.metric if fig else "",
                    "sentence": plain[sa:sb].strip(), "quote": _excerpt(plain, a, b),
                    "value": normalise_number(raw) if normalise_number(raw) is not None else raw,
                    "message": f"{raw} 沿用往年报告，尚未更新或核实 (figure carried over, not updated or verified)",
                    "block": i, "span": [a, b]}
            item["key"] = finding_key(item, plain, year)
            not_updated.append(item)
    section.placeholders, section.not_updated = placeholders, not_updated


# ---- figure check, block by block ----------------------------------------------------------------


def _check_block(block: Block, index: int, year: int, history: list[Record], acks: AcknowledgementStore,
                 title: str) -> list[dict]:
    plain, marked = unmark(block.text)
    # a figure the drafter highlighted as carried over is listed in ``not_updated`` already: the
    # check's "same as last year" finding on it would say it twice
    found = [f for f in check_text(plain, year, history)
             if not (f.get("rule") == "yoy.same_as_last_year" and f.get("span")
                     and any(a < f["span"][1] and f["span"][0] < b for a, b in marked))]
    for f in found:
        f["block"] = index
        f["section"] = title
    return acks.apply(found, plain, year)


def recheck(section: Section, previous_text: str | None, year: int, history: list[Record],
            acks: AcknowledgementStore) -> dict:
    """Check the blocks of ``section.text`` that differ from ``previous_text`` (all when None); the
    findings of unchanged blocks are kept (their block number follows the edit). Returns
    ``{"changed": [block numbers], "checked": n}``."""
    new_blocks = split_blocks(section.text)
    old_findings: dict[int, list[dict]] = {}
    for f in section.findings:
        if f.get("kind") != "consistency" and isinstance(f.get("block"), int):
            old_findings.setdefault(f["block"], []).append(f)
    kept: dict[int, list[dict]] = {}
    changed = [i for i, b in enumerate(new_blocks) if b.kind != "heading"]
    if previous_text is not None:
        old_blocks = split_blocks(previous_text)
        matcher = difflib.SequenceMatcher(a=[comparable(b.text) for b in old_blocks],
                                          b=[comparable(b.text) for b in new_blocks], autojunk=False)
        same: dict[int, int] = {}
        for tag, a0, a1, b0, b1 in matcher.get_opcodes():
            if tag == "equal":
                same.update({b0 + k: a0 + k for k in range(a1 - a0)})
        for new, old in same.items():
            kept[new] = [dict(f, block=new) for f in old_findings.get(old, [])]
        changed = [i for i, b in enumerate(new_blocks) if b.kind != "heading" and i not in same]
    findings: list[dict] = []
    for i, block in enumerate(new_blocks):
        if block.kind == "heading":
            continue
        if i in kept:
            findings += acks.apply(kept[i], None, year)
        else:
            findings += _check_block(block, i, year, history, acks, section.title)
    section.findings = findings
    refresh_marks(section, year)
    section.checked_at = time.time()
    return {"changed": changed, "checked": len(changed)}


# ---- consistency across sections -----------------------------------------------------------------


@dataclass
class _Stated:
    title: str
    block: int
    plain: str
    figure: Figure
    cumulative: bool


def _stated(workspace: Workspace) -> list[_Stated]:
    out = []
    for section in workspace.sections:
        for i, block in enumerate(split_blocks(section.text)):
            if block.kind == "heading":
                continue
            plain = block.plain
            previous_end = 0
            for f in extract_figures(plain):
                cumulative = is_cumulative(plain, f, previous_end)
                previous_end = f.end
                if f.metric and not is_delta(f) and not f.qualifier and f.range_to is None:
                    out.append(_Stated(section.title, i, plain, f, cumulative))
    return out


def _same_metric(a: _Stated, b: _Stated) -> float:
    if a.cumulative != b.cumulative:
        return 0.0
    score = match_score(a.figure, b.figure)
    if score < CONSISTENCY_MIN_MATCH or label_similarity(a.figure.metric, b.figure.metric) < CONSISTENCY_MIN_MATCH:
        return 0.0
    return score


def consistency_findings(workspace: Workspace, acks: AcknowledgementStore) -> dict[str, list[dict]]:
    """``{section title: [consistency findings]}``.

    A figure E of section A is a reference when A states its metric with E's value only. A later
    section B that states the metric but never with E's value gets one finding, on its best-matching
    figure (the first of equal scores), against E."""
    stated = _stated(workspace)
    by_section: dict[str, list[_Stated]] = {}
    for s in stated:
        by_section.setdefault(s.title, []).append(s)
    order = {t: i for i, t in enumerate(workspace.titles)}
    flagged: dict[int, tuple[float, _Stated, _Stated]] = {}
    for title_a, figures_a in by_section.items():
        for e in figures_a:
            if any(_same_metric(e, other) and abs(other.figure.value - e.figure.value) > 1e-9 for other in figures_a):
                continue  # A itself states the metric with several values (a part, another scope)
            for title_b, figures_b in by_section.items():
                if order[title_b] <= order[title_a]:
                    continue
                scored = [(_same_metric(e, f), -k, f) for k, f in enumerate(figures_b)]
                scored = [x for x in scored if x[0] > 0]
                if not scored or any(abs(f.figure.value - e.figure.value) < 1e-9 for _, _, f in scored):
                    continue
                score, _, later = max(scored, key=lambda x: (x[0], x[1]))
                if id(later) not in flagged or score > flagged[id(later)][0]:
                    flagged[id(later)] = (score, e, later)
    out: dict[str, list[dict]] = {}
    for _, best, later in sorted(flagged.values(), key=lambda x: (order[x[2].title], x[2].block, x[2].figure.start)):
        f = later.figure
        finding = {"kind": "consistency", "quote": quote_of(later.plain, f), "value": f.value,
                   "message": f"“{f.metric}”{f.raw} 与“{best.title}”一节的 {best.figure.raw} 不一致，"
                              f"同一指标应前后一致 (the same metric differs between sections)",
                   "reference": {"year": workspace.year, "value": best.figure.value, "source": f"本报告 · {best.title}",
                                 "quote": quote_of(best.plain, best.figure)},
                   "metric": f.metric, "block": later.block, "section": later.title}
        out.setdefault(later.title, []).extend(acks.apply([finding], later.plain, workspace.year))
    return out


def apply_consistency(workspace: Workspace, acks: AcknowledgementStore) -> None:
    found = consistency_findings(workspace, acks)
    for section in workspace.sections:
        section.findings = [f for f in section.findings if f.get("kind") != "consistency"] + found.get(section.title, [])
        section.findings.sort(key=lambda f: (f.get("block", 0) if isinstance(f.get("block"), int) else 0))


# ---- whole report ---------------------------------------------------------------------------------


def check_report(workspace: Workspace, env: ReportEnv) -> list[dict]:
    """Check every block of every section, then the sections against each other; returns
    :func:`report_findings`."""
    history = env.history(workspace.year)
    for section in workspace.sections:
        if section.text.strip():
            recheck(section, None, workspace.year, history, env.acks)
        else:
            section.findings, section.placeholders, section.not_updated = [], [], []
    apply_consistency(workspace, env.acks)
    workspace.report_checked_at = time.time()
    return report_findings(workspace)


def report_findings(workspace: Workspace) -> list[dict]:
    """One entry per section: ``{"title", "heading", "status", "findings", "not_updated", "placeholders"}``
    (findings include acknowledged ones, marked ``acknowledged``)."""
    return [{"title": s.title, "heading": s.heading, "status": s.status, "findings": [dict(f) for f in s.findings],
             "not_updated": [dict(n) for n in s.not_updated], "placeholders": [dict(p) for p in s.placeholders]}
            for s in workspace.sections]
