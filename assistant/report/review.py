"""Checking the year's report: the figure check block by block and across blocks, and every open
placeholder and figure not updated, grouped by section.

Two passes, one set of rules (``assistant.figures.check``):

* **block by block** (:func:`recheck`): what a paragraph or table says by itself (a share against
  its count, a sum inside a table, last year's value). After an edit or a Word import only the
  blocks that changed are checked again; unchanged blocks keep their findings and acknowledgements.
* **across blocks** (:func:`cross_findings`): the check over the assembled report, keeping the
  findings whose figures lie in different blocks — one metric stated with two values in two
  sections (``duplicate``), parts in one paragraph and their total in another (``sum``), a share
  whose count is elsewhere (``arithmetic``). Re-run on every check: one edit can make another
  section wrong, and the whole report is checked in about 0.2 s.

A finding across blocks names the other sections in its message and sits on its own figure's
block, so the UI, the Word comments and acknowledgements treat it like any other finding.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.figures.acknowledgements import AcknowledgementStore, finding_key
from assistant.figures.extract import extract_figures
from assistant.text.numbers import normalise_number
from assistant.text.sentences import sentence_bounds
from assistant.types import Chunk

from .blocks import Block, comparable, split_blocks, unmark
from .drafter import PLACEHOLDER
from .workspace import Section, Workspace

__all__ = ["ReportEnv", "apply_cross", "assemble", "check_assembled", "check_report", "check_text", "cross_findings",
           "recheck", "refresh_marks", "report_findings"]

Record = tuple[str, int, str, str]


@dataclass
class ReportEnv:
    """What the report needs from the rest of the application (no import of ``services``).

    ``chunks``: the indexed chunks (a callable, read when needed); ``draft_deps``: what
    ``draft_section`` accepts (``DraftDeps`` or the services); ``acks``: the acknowledgement
    store; ``search``: ``retriever.search`` for regulation articles (optional); ``thresholds``: the
    figure check's (``Settings.check``; None = the defaults), so the workspace and ``check`` agree."""

    chunks: Callable[[], Sequence[Chunk]]
    draft_deps: Any
    acks: AcknowledgementStore
    search: Callable[..., list] | None = None
    thresholds: Any = None

    @classmethod
    def from_services(cls, services: Any) -> ReportEnv:
        return cls(chunks=lambda: services.indexer.catalog.chunks(), draft_deps=services,
                   acks=services.acknowledgements,
                   search=lambda *a, **k: services.retriever.search(*a, **k), thresholds=services.settings.check)

    def history(self, year: int) -> list[Record]:
        return [(c.text, c.year, c.source, c.section) for c in self.chunks()
                if c.doc_type == "report" and c.year is not None and c.year < year]


def check_text(text: str, year: int, history: Iterable[Record], thresholds: Any = None) -> list[dict]:
    """The figure check of one block's text."""
    from assistant.figures import CheckThresholds, check_draft

    return [f.to_json() for f in check_draft(text, year, history, thresholds=thresholds or CheckThresholds())]


def check_assembled(text: str, year: int, history: Iterable[Record], thresholds: Any = None) -> list[dict]:
    """The figure check of the assembled report (the pass across blocks)."""
    from assistant.figures import CheckThresholds, check_draft

    return [f.to_json() for f in check_draft(text, year, history, thresholds=thresholds or CheckThresholds())]


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
                 title: str, thresholds: Any = None) -> list[dict]:
    plain, marked = unmark(block.text)
    # a figure the drafter highlighted as carried over is listed in ``not_updated`` already: the
    # check's "same as last year" finding on it would say it twice
    found = [f for f in check_text(plain, year, history, thresholds)
             if not (f.get("rule") == "yoy.same_as_last_year" and f.get("span")
                     and any(a < f["span"][1] and f["span"][0] < b for a, b in marked))]
    for f in found:
        f["block"] = index
        f["section"] = title
    return acks.apply(found, plain, year)


def recheck(section: Section, previous_text: str | None, year: int, history: list[Record],
            acks: AcknowledgementStore, thresholds: Any = None) -> dict:
    """Check the blocks of ``section.text`` that differ from ``previous_text`` (all when None); the
    findings of unchanged blocks are kept (their block number follows the edit). Returns
    ``{"changed": [block numbers], "checked": n}``."""
    new_blocks = split_blocks(section.text)
    old_findings: dict[int, list[dict]] = {}
    for f in section.findings:
        if not f.get("across") and isinstance(f.get("block"), int):
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
            findings += _check_block(block, i, year, history, acks, section.title, thresholds)
    section.findings = findings
    refresh_marks(section, year)
    section.checked_at = time.time()
    return {"changed": changed, "checked": len(changed)}


# ---- across blocks and sections -------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    start: int  # in the assembled report
    end: int
    title: str
    block: int


def assemble(workspace: Workspace) -> tuple[str, list[_Place]]:
    """The report as the figure check reads it (every block's plain text, one per line, headings
    included) and where each block lies in it."""
    parts: list[str] = []
    places: list[_Place] = []
    pos = 0
    for section in workspace.sections:
        for i, block in enumerate(split_blocks(section.text)):
            plain = block.plain
            places.append(_Place(pos, pos + len(plain), section.title, i))
            parts.append(plain)
            pos += len(plain) + 1
    return "\n".join(parts), places


def _place(places: list[_Place], pos: int) -> _Place | None:
    return next((p for p in places if p.start <= pos < p.end), None)


def cross_findings(workspace: Workspace, history: list[Record], acks: AcknowledgementStore,
                   thresholds: Any = None) -> dict[str, list[dict]]:
    """``{section title: [findings]}``: the figure check over the assembled report, keeping the
    findings that involve a figure of another block (a total in one section and its parts in
    another, one metric stated with two values in two sections, a share whose count is in another
    paragraph). The rules and thresholds are the figure check's own — the ones the mutation
    benchmark measures on whole reports — so the workspace and ``check`` agree. Each finding is
    placed on its figure's block (``span`` in that block's plain text); related figures carry their
    ``section`` and ``block``. A finding the block's own check gives as well is left to it."""
    text, places = assemble(workspace)
    if not places:
        return {}
    out: dict[str, list[dict]] = {}
    for finding in check_assembled(text, workspace.year, history, thresholds):
        span = finding.get("span")
        home = _place(places, span[0]) if span else None
        if home is None:
            continue
        related = []
        for r in finding.get("related") or []:
            where = _place(places, r["span"][0]) if r.get("span") else None
            if where is not None:
                r = dict(r, section=where.title, block=where.block,
                         span=[r["span"][0] - where.start, r["span"][1] - where.start])
            related.append((where, r))
        others = [w for w, _ in related if w is not None and (w.title, w.block) != (home.title, home.block)]
        if not others:
            continue
        elsewhere = sorted({w.title for w in others if w.title != home.title}, key=workspace.titles.index)
        if elsewhere:
            finding["message"] += f"（涉及“{'”“'.join(elsewhere)}”一节 · see section {', '.join(elsewhere)}）"
        finding.update(span=[span[0] - home.start, span[1] - home.start], block=home.block, section=home.title,
                       related=[r for _, r in related], across=elsewhere or [home.title])
        out.setdefault(home.title, []).extend(acks.apply([finding], text[home.start:home.end], workspace.year))
    return out


def apply_cross(workspace: Workspace, env: ReportEnv, history: list[Record] | None = None) -> None:
    """Replace every section's findings across blocks by :func:`cross_findings` of the report as it
    now is (cheap: one check of the whole report, ~0.2 s for the real one), so an edit in one
    section that makes another inconsistent is found."""
    history = env.history(workspace.year) if history is None else history
    found = cross_findings(workspace, history, env.acks, env.thresholds)
    for section in workspace.sections:
        local = [f for f in section.findings if not f.get("across")]
        seen = {(f.get("block"), tuple(f.get("span") or ()), f.get("rule")) for f in local}
        extra = [f for f in found.get(section.title, [])
                 if (f.get("block"), tuple(f.get("span") or ()), f.get("rule")) not in seen]
        section.findings = sorted(local + extra, key=lambda f: (f["block"] if isinstance(f.get("block"), int) else 0,
                                                                (f.get("span") or [0])[0]))


# ---- whole report ---------------------------------------------------------------------------------


def check_report(workspace: Workspace, env: ReportEnv) -> list[dict]:
    """Check every block of every section, then the sections against each other; returns
    :func:`report_findings`."""
    history = env.history(workspace.year)
    for section in workspace.sections:
        if section.text.strip():
            recheck(section, None, workspace.year, history, env.acks, env.thresholds)
        else:
            section.findings, section.placeholders, section.not_updated = [], [], []
    apply_cross(workspace, env, history)
    workspace.report_checked_at = time.time()
    return report_findings(workspace)


def report_findings(workspace: Workspace) -> list[dict]:
    """One entry per section: ``{"title", "heading", "status", "findings", "not_updated", "placeholders"}``
    (findings include acknowledged ones, marked ``acknowledged``)."""
    return [{"title": s.title, "heading": s.heading, "status": s.status, "findings": [dict(f) for f in s.findings],
             "not_updated": [dict(n) for n in s.not_updated], "placeholders": [dict(p) for p in s.placeholders]}
            for s in workspace.sections]
