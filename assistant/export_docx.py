"""Export one drafted section (:class:`assistant.chains.draft.DraftResult`) to Word.

The writer is the report's (:mod:`assistant.report.docx_export`): headings in 黑体, body in 宋体 小四,
``[n]`` markers as real footnotes (file · section · year · page), placeholders and figures not
updated highlighted yellow, and each finding and each figure not updated as a Word comment
anchored on the figure.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assistant.report.blocks import split_blocks, unmark
from assistant.report.docx_export import (BODY_FONT, HEADING_FONT, DocSection, Footnotes, figure_span, footnotes_of,
                                          new_document, write_sections)

if TYPE_CHECKING:
    from assistant.chains.draft import DraftResult

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
