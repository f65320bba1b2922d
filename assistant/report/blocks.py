"""A section's Markdown as blocks: the unit that is compared, checked and exported one at a time.

A block is a heading line (``#``), a paragraph (one non-empty line: the drafts, the Word export and
the figure check all treat a line as a paragraph) or a pipe table (consecutive ``|`` lines).
:func:`unmark` turns a block's Markdown into the text a reader sees, with the spans that were
highlighted ``==…==`` (figures not updated), so positions in the plain text can be mapped back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .drafter import HIGHLIGHT, MARKER

__all__ = ["Block", "comparable", "normalise_marks", "replace_block_text", "split_blocks", "unmark"]


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" | "paragraph" | "table"
    text: str  # Markdown, marks included
    lines: tuple[int, int] = (0, 0)  # first and one-past-last line of the section text it came from

    @property
    def plain(self) -> str:
        return unmark(self.text)[0]


def split_blocks(markdown: str) -> list[Block]:
    out: list[Block] = []
    table: list[str] = []
    lines = (markdown or "").split("\n")
    for n, line in enumerate(lines + [""]):
        stripped = line.strip()
        if stripped.startswith("|"):
            table.append(stripped)
            continue
        if table:
            out.append(Block("table", "\n".join(table), (n - len(table), n)))
            table = []
        if not stripped:
            continue
        out.append(Block("heading" if re.match(r"#{1,6}\s", stripped) else "paragraph", stripped, (n, n + 1)))
    return out


def replace_block_text(markdown: str, block: Block, old: str, new: str) -> str:
    """``markdown`` with the first ``old`` inside ``block``'s lines replaced by ``new``."""
    lines = markdown.split("\n")
    a, b = block.lines
    for i in range(a, min(b, len(lines))):
        if old in lines[i]:
            lines[i] = lines[i].replace(old, new, 1)
            break
    return "\n".join(lines)


def unmark(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``(plain, spans)``: ``text`` without ``==`` marks, and the highlighted spans in ``plain``."""
    plain, spans, pos = [], [], 0
    length = 0
    for m in HIGHLIGHT.finditer(text):
        before = text[pos:m.start()]
        plain.append(before)
        length += len(before)
        spans.append((length, length + len(m.group(1))))
        plain.append(m.group(1))
        length += len(m.group(1))
        pos = m.end()
    plain.append(text[pos:])
    return "".join(plain), spans


def normalise_marks(text: str) -> str:
    """Spaces moved out of highlights (``==+5 ==|`` → ``==+5== |``): a highlight holds the figure only."""
    def fix(m: re.Match) -> str:
        inner = m.group(1)
        core = inner.strip()
        if not core:
            return inner
        lead, trail = inner[:len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()):]
        return f"{lead}=={core}=={trail}"

    return HIGHLIGHT.sub(fix, text or "")


def comparable(text: str) -> str:
    """What a reviewer changed, if anything: marks, markers, heading hashes and spaces removed."""
    text = MARKER.sub("", HIGHLIGHT.sub(r"\1", text))
    return re.sub(r"\s+|^#+", "", text).replace("｜", "|")
