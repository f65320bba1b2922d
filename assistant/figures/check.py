"""Draft check: figures that contradict the draft itself, the possible, or last year's report.

``check_draft`` reads the draft once into a :class:`~assistant.figures.context.Ledger` (each figure
with its fact: metric · value · unit · year · scope) and runs, in this order:

* ``sums`` — parts and totals anywhere in the draft and its tables (``sum``);
* ``consistency`` — shares against their count and base (``arithmetic``), one metric stated twice
  (``duplicate``), impossible values and dates (``domain``), unit slips inside the draft (``unit``);
* ``yoy`` — the same metric in last year's report (``yoy_jump`` notice/warning, ``unchanged`` stale,
  ``unit``), where figures that take part in a sum or share that holds count as corroborated.

A share flagged by ``share.count_base`` that equals last year's value says so (a stale copy). Every
finding has a grade, a rule, the arithmetic and the related figures with their quotes
(``findings``); the result is ordered by the figure's position, so the same draft always gives the
same findings in the same order. The thresholds are :class:`CheckThresholds` (settings ``check``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from assistant.settings import CheckSettings
from assistant.text.tables import write_table
from assistant.types import LoadError

from .align import Record
from .consistency import (consistent_share, domain_findings, duplicate_findings, permille_findings, share_findings,
                          sibling_unit_findings)
from .context import Ledger
from .findings import Finding, check_to_json, ordered, reference
from .sums import corroborated, holds, mixed, relations, sum_findings
from .yoy import align_prior, prior_figures, yoy_findings

__all__ = ["CheckThresholds", "Finding", "check_draft", "check_to_json", "load_draft_text"]


CheckThresholds = CheckSettings
"""Tunables of ``check_draft``: the ``check`` settings group (``ASSISTANT_CHECK__<NAME>``); each
threshold is documented in :class:`assistant.settings.CheckSettings`."""


def check_draft(draft_text: str, year: int, history: Iterable[Record], *,
                thresholds: CheckThresholds = CheckThresholds()) -> list[Finding]:
    """Findings for the figures of a draft of report ``year``, compared with itself and with the
    previous year's report.

    ``history`` holds ``(text, year, source, section)`` passages of reports; the latest year before
    ``year`` (normally ``year - 1``) is the comparison year. Findings come in draft order."""
    th = thresholds
    ledger = Ledger(draft_text, year)
    records = [r for r in history if r[1] is not None and r[1] < year]
    prior_year = max((r[1] for r in records), default=None)
    priors = prior_figures(r for r in records if r[1] == prior_year)
    aligned = align_prior(ledger, priors, th.min_match, th.ambiguity_margin) if priors else {}

    rels = relations(ledger, aligned)
    findings = sum_findings(ledger, rels)
    corrected = {rel.total.index: sum(p.figure.value for p in rel.parts) for rel in rels
                 if rel.mode == "equal" and not mixed(rel) and not holds(rel)}
    shares = share_findings(ledger, corrected)
    for f in shares:
        prior = aligned.get(_index_at(ledger, f.span))
        if f.kind == "arithmetic" and prior is not None and prior.figure.value == f.value:
            f.message += f"；与 {prior.figure.year} 年报告的 {prior.figure.raw} 相同，可能沿用旧数据"
            f.reference = reference(prior.figure, prior.quote)
    findings += shares
    findings += duplicate_findings(ledger, th.approx_tolerance) + domain_findings(ledger, th.future_years)
    scaled = {f.span for f in shares if f.rule == "unit.share_scale"}
    findings += [f for f in permille_findings(ledger) if f.span not in scaled]
    findings += sibling_unit_findings(ledger, {f.span for f in findings if f.kind == "unit"})
    # a figure that some sum or share contradicts is not corroborated by another that holds (a total
    # of 400 matching one recomputed share but not the five others)
    questioned = {tuple(r["span"]) for f in findings for r in f.related if r.get("span")} | {f.span for f in findings}
    verified = {i for i in corroborated(ledger, rels) | _consistent_shares(ledger, shares)
                if (ledger.items[i].figure.start, ledger.items[i].figure.end) not in questioned}
    if aligned:
        stale_shares = {f.span for f in shares if f.reference}  # already said: same as last year
        findings += [f for f in yoy_findings(ledger, aligned, th, verified)
                     if not (f.rule == "yoy.same_as_last_year" and f.span in stale_shares)]
    return ordered(findings)


def _index_at(ledger: Ledger, span: tuple[int, int] | None) -> int | None:
    if span is None:
        return None
    return next((i.index for i in ledger.items if i.figure.start == span[0]), None)


def _consistent_shares(ledger: Ledger, flagged: list[Finding]) -> set[int]:
    """Shares (and their counts) of the draft that a base reproduces and no finding questions."""
    from .consistency import _candidates, _counts_for

    bad = {f.span for f in flagged}
    out: set[int] = set()
    for p in ledger.items:
        if not p.share or (p.figure.start, p.figure.end) in bad:
            continue
        count = _counts_for(ledger, p)
        if count is None:
            continue
        bases, _ = _candidates(ledger, p, count)
        for b in bases:
            if consistent_share(p.figure.value, p.figure.decimals, count.figure.value, b.figure.value):
                out |= {p.index, count.index, b.index}
                break
    return out


def _docx_text(path: Path) -> str:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for bad packages
        raise LoadError("无法读取该 Word 文件（文件损坏或不是 .docx 格式）") from exc
    lines: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            rows = [[c.text for c in r.cells] for r in item.rows]
            if rows:
                lines.append(write_table(rows))
        else:
            lines.append(item.text)
    return "\n".join(lines)


def load_draft_text(path: Path) -> str:
    """Text of a draft: .md as text (encoding detected), .docx as paragraphs plus Markdown tables, .pdf as
    the index reads it (paragraphs rejoined across lines and pages, tables as Markdown), .txt as
    its paragraphs — lines wrapped by a PDF extraction joined (a number cut by a wrap is one number
    again), page footers dropped — separated by blank lines."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        return _docx_text(path)
    if path.suffix.lower() == ".pdf":  # last year's report as published: read as the index reads it
        from assistant.ingest import load_document

        return "\n\n".join(b.text for b in load_document(path).blocks)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise LoadError("无法识别该文本文件的编码") from None
        text = str(best)
    if path.suffix.lower() == ".txt":
        from assistant.ingest.loaders import text_blocks

        return "\n\n".join(b.text for b in text_blocks(text))
    return text
