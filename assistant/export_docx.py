"""Export one drafted section (:class:`assistant.drafting.DraftResult`) to Word.

The writer is the report's (:mod:`assistant.report.docx_export`): headings in 黑体, body in 宋体 小四,
``[n]`` markers as real footnotes (file · section · year · page), placeholders and figures not
updated highlighted yellow, and each finding and each figure not updated as a Word comment
anchored on the figure. The draft's provenance is kept as comments anchored on the sentence: a
sentence written from note n (with the note), figures updated from note n, and a one-off sentence
carried over from last year (keep or drop); sentences carried unchanged have their footnote.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assistant.report.blocks import split_blocks, unmark
from assistant.text.markup import strip_highlights
from assistant.report.docx_export import (BODY_FONT, HEADING_FONT, DocSection, Footnotes, figure_span, footnotes_of,
                                          new_document, write_sections)

if TYPE_CHECKING:
    from assistant.drafting import DraftResult

__all__ = ["BODY_FONT", "HEADING_FONT", "export_docx", "footnotes_of"]


def _comments(result: DraftResult) -> list[dict]:
    """The draft's findings and highlighted figures, placed in their block."""
    blocks = split_blocks(result.text)
    out: list[dict] = []
    for finding in result.findings:
        for i, block in enumerate(blocks):
            span = figure_span(block.plain, str(finding.get("quote") or ""), finding.get("value"))
            if span and block.kind != "heading":
                out.append(dict(finding, block=i, span=list(span)))
                break
    for i, block in enumerate(blocks):
        plain, spans = unmark(block.text)
        for a, b in spans:
            out.append({"kind": "not_updated", "block": i, "span": [a, b],
                        "message": f"{plain[a:b]} 沿用往年报告，尚未更新或核实 (figure carried over, not updated or verified)"})
    out.extend(_provenance_comments(result, blocks))
    return out


def _provenance_comments(result: DraftResult, blocks: list) -> list[dict]:
    """A comment on every sentence written from a note, updated from notes or carried over."""
    notes = {n.get("n"): n.get("text", "") for n in result.notes}
    out, cursor = [], (0, 0)
    for entry in result.provenance:
        if entry.get("kind") not in ("written", "updated", "carried_over"):
            continue
        sentence = strip_highlights(entry.get("sentence") or "")
        for i in range(cursor[0], len(blocks)):
            if blocks[i].kind != "paragraph":
                continue
            at = blocks[i].plain.find(sentence, cursor[1] if i == cursor[0] else 0)
            if at < 0 or not sentence:
                continue
            message = entry.get("label", "")
            if entry["kind"] == "written":
                message += "".join(f"\n材料 {n}：{notes.get(n, '')}" for n in entry.get("notes") or [])
            out.append({"kind": "provenance", "block": i, "span": [at, at + len(sentence)], "message": message})
            cursor = (i, at + len(sentence))
            break
    return out


def export_docx(result: DraftResult, path: Path | str) -> Path:
    """Write ``result`` as a Word document at ``path`` (parent folders created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document = new_document(f"{result.year} 年度自评报告 {result.section}")
    write_sections(document, [DocSection(result.section, result.text, result.citations, _comments(result))],
                   Footnotes(document))
    document.save(str(path))
    return path
