"""A chat conversation to Word and Markdown, with its citations.

Each answer keeps its ``[n]`` markers: in Word they become real footnotes (file · section · year ·
page, then the quoted passage, cut at 200 characters), in Markdown footnotes ``[^k]`` defined under
the answer. Figures the answer verification could not find in a cited passage are listed under the
answer ("未能核实 unverified"), failed answers are marked, so the export says what the screen said.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from assistant.text.markup import MARKER

from .docx_export import (
    BODY_FONT,
    BODY_SIZE,
    HEADING_FONT,
    Footnotes,
    body_format,
    set_fonts,
    citation_text,
    new_document,
)

__all__ = ["conversation_docx", "conversation_markdown", "export_name"]

QUOTE_CHARS = 200


def _when(ts: float | None) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else ""


def _quote(c: dict) -> str:
    quote = " ".join(str(c.get("quote") or "").split())
    return quote if len(quote) <= QUOTE_CHARS else quote[:QUOTE_CHARS] + "…"


def export_name(conversation: Any, suffix: str) -> str:
    """A file name for the export: ``对话_<title>_<date>.<suffix>`` (no path characters)."""
    title = re.sub(r"[^\w\u4e00-\u9fff]+", "_", conversation.title or "对话").strip("_")[:30] or "对话"
    return f"对话_{title}_{dt.datetime.fromtimestamp(conversation.updated_at or 0).strftime('%Y%m%d')}.{suffix}"


def conversation_markdown(conversation: Any) -> str:
    """The conversation as Markdown; citations as footnotes numbered through the whole export."""
    lines = [f"# {conversation.title}", "", f"_{_when(conversation.created_at)} – {_when(conversation.updated_at)}_", ""]
    counter = 0
    for m in conversation.messages:
        meta = m.meta or {}
        if m.role == "user":
            lines += [f"**问 Question**（{_when(m.created_at)}）：{m.content}", ""]
            continue
        if meta.get("error"):
            lines += [f"**答 Answer**：出错 (error)：{m.content}", ""]
            continue
        citations = {int(c["n"]): c for c in meta.get("citations") or [] if str(c.get("n", "")).isdigit()}
        numbers: dict[int, int] = {}

        def footnote(match: re.Match) -> str:
            nonlocal counter
            n = int(match.group(1))
            if n not in citations:
                return match.group(0)
            if n not in numbers:
                counter += 1
                numbers[n] = counter
            return f"[^{numbers[n]}]"

        text = MARKER.sub(footnote, m.content)
        lines += [f"**答 Answer**：{text}", ""]
        if meta.get("unsupported_numbers"):
            lines += [f"> ⚠ 未能在引用资料中核实的数字 (unverified figures)：{'、'.join(map(str, meta['unsupported_numbers']))}", ""]
        for n, k in sorted(numbers.items(), key=lambda item: item[1]):
            c = citations[n]
            lines.append(f"[^{k}]: {citation_text(c)}。{_quote(c)}")
        if numbers:
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def conversation_docx(conversation: Any, path: Path | str) -> Path:
    """The conversation as a Word file at ``path``: questions in bold, answers with real footnotes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document = new_document(conversation.title)
    heading = document.add_heading(level=1)
    set_fonts(heading.add_run(conversation.title), HEADING_FONT, None, bold=True)
    info = document.add_paragraph()
    set_fonts(info.add_run(f"{_when(conversation.created_at)} – {_when(conversation.updated_at)}"), BODY_FONT, BODY_SIZE)
    footnotes = Footnotes(document)
    for m in conversation.messages:
        meta = m.meta or {}
        paragraph = document.add_paragraph()
        body_format(paragraph)
        if m.role == "user":
            set_fonts(paragraph.add_run("问："), HEADING_FONT, BODY_SIZE, bold=True)
            set_fonts(paragraph.add_run(m.content), BODY_FONT, BODY_SIZE, bold=True)
            continue
        set_fonts(paragraph.add_run("答："), HEADING_FONT, BODY_SIZE, bold=True)
        if meta.get("error"):
            set_fonts(paragraph.add_run(f"出错 (error)：{m.content}"), BODY_FONT, BODY_SIZE)
            continue
        citations = {int(c["n"]): c for c in meta.get("citations") or [] if str(c.get("n", "")).isdigit()}
        pos = 0
        for match in MARKER.finditer(m.content):
            c = citations.get(int(match.group(1)))
            if c is None:
                continue
            if match.start() > pos:
                set_fonts(paragraph.add_run(m.content[pos:match.start()]), BODY_FONT, BODY_SIZE)
            footnotes.add(paragraph, f"{citation_text(c)}。{_quote(c)}")
            pos = match.end()
        if pos < len(m.content):
            set_fonts(paragraph.add_run(m.content[pos:]), BODY_FONT, BODY_SIZE)
        if meta.get("unsupported_numbers"):
            warn = document.add_paragraph()
            set_fonts(warn.add_run("⚠ 未能在引用资料中核实的数字 (unverified figures)："
                                + "、".join(map(str, meta["unsupported_numbers"]))), BODY_FONT, BODY_SIZE)
    document.save(str(path))
    return path
