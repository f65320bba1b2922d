"""Markdown pipe tables — one reader and one writer for the loaders, the figure extractor, the check,
drafting and the Word export.

Which lines form a table is decided by markdown-it (the parser the Markdown loader already uses:
a header row, a ``---`` separator row, body rows). Cells are split on ``|`` except an escaped ``\\|``,
which the writer produces for a bar inside a cell and the reader turns back into ``|``; cell offsets
point into the original text, so a figure found in a cell can be cited and replaced in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt

from assistant.text.sentences import join_lines

_MD = MarkdownIt("commonmark").enable("table")
_SEPARATOR_CELL = re.compile(r"^:?-{3,}:?$")
_BAR = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True)
class Cell:
    text: str  # stripped, ``\|`` unescaped
    start: int  # absolute offsets of the raw cell content (between the bars)
    end: int


@dataclass(frozen=True)
class Row:
    start: int  # offset of the line
    line: str
    cells: tuple[Cell, ...]

    @property
    def label(self) -> str:
        """The row label: the first cell's text."""
        return self.cells[0].text if self.cells else ""


@dataclass(frozen=True)
class Table:
    header: Row
    rows: tuple[Row, ...]
    start: int
    end: int
    columns: tuple[str, ...] = field(default=())

    def column(self, index: int) -> str:
        return self.columns[index] if 0 <= index < len(self.columns) else ""


def is_table_line(line: str) -> bool:
    """A line written as a pipe-table row."""
    return line.strip().startswith("|")


def split_row(line: str, offset: int = 0) -> tuple[Cell, ...]:
    """Cells of one table line with absolute offsets (``offset`` = where the line starts)."""
    bars = [m.start() for m in _BAR.finditer(line)]
    stripped = line.strip()
    if stripped and not stripped.startswith("|"):
        bars = [-1] + bars
    if line.rstrip() and not line.rstrip().endswith("|") or line.rstrip().endswith("\\|"):
        bars.append(len(line.rstrip()))
    return tuple(Cell(line[a + 1:b].strip().replace("\\|", "|"), offset + a + 1, offset + b)
                 for a, b in zip(bars, bars[1:]))


def _line_offsets(text: str) -> list[int]:
    offsets, pos = [], 0
    for line in text.split("\n"):
        offsets.append(pos)
        pos += len(line) + 1
    return offsets


@lru_cache(maxsize=128)
def read_tables(text: str) -> tuple[Table, ...]:
    """Every pipe table of ``text`` (Markdown), in order."""
    if "|" not in text:
        return ()
    lines = text.split("\n")
    offsets = _line_offsets(text)
    tables = []
    for token in _MD.parse(text):
        if token.type != "table_open" or token.level != 0 or not token.map:
            continue
        first, last = token.map
        last = next((i for i in range(first, min(last, len(lines))) if not _BAR.search(lines[i])), min(last, len(lines)))
        # a line without a bar ends the table (markdown-it runs a table on into the next paragraph when no
        # blank line separates them, as in drafts joined line by line)
        rows = [Row(offsets[i], lines[i], split_row(lines[i], offsets[i])) for i in range(first, last)]
        body = [r for r in rows[1:] if not all(_SEPARATOR_CELL.match(c.text) for c in r.cells if c.text)]
        header = rows[0]
        end = offsets[last - 1] + len(lines[last - 1]) if last - 1 < len(lines) else len(text)
        tables.append(Table(header, tuple(body), offsets[first], end, tuple(c.text for c in header.cells)))
    return tuple(tables)


def cell_at(text: str, pos: int) -> tuple[str, str] | None:
    """(row label, column header) of the table cell holding position ``pos``, else None."""
    for table in read_tables(text):
        if not table.start <= pos <= table.end:
            continue
        for row in table.rows:
            if row.start <= pos <= row.start + len(row.line):
                column = next((i for i, c in enumerate(row.cells) if c.start <= pos <= c.end), None)
                return row.label, table.column(column) if column is not None else ""
    return None


def escape_cell(text: str) -> str:
    """Cell text for a pipe table: one line, ``|`` escaped."""
    return join_lines(text).replace("|", "\\|")


def write_table(rows: list[list[str | None]]) -> str:
    """A Markdown pipe table; the first row is the header; short rows are padded."""
    width = max((len(r) for r in rows), default=0)
    cells = [[escape_cell(c if c is not None else "") for c in row] + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "| " + " | ".join(["---"] * width) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    return "\n".join(lines)


def rows_of(markdown: str) -> list[list[str]]:
    """The cell texts of the first table in ``markdown`` (header first), separators dropped."""
    tables = read_tables(markdown)
    if not tables:
        return []
    t = tables[0]
    return [[c.text for c in t.header.cells]] + [[c.text for c in r.cells] for r in t.rows]
