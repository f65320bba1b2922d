"""Spreadsheets (.xlsx, .csv) as knowledge: each sheet becomes Markdown tables a figure can be read from.

A statistics office's sheet is a grid whose meaning sits in its header row, its row labels, a unit
line and the year; a cell alone ("113") means nothing. So every table block a sheet produces carries
its sheet's header row (repeated when a long sheet is split, at most ``ROW_BLOCK_CHARS`` characters
of rows per block — about one 400-token chunk), the row label first in each row, and a heading that
names the sheet, its title, the unit (单位：…) and the year. The figure ledger then reads each
numeric cell as metric (row label · column header) · value · unit · year.

- Header row: the first row with ≥ 2 non-empty text cells that is followed by a data row. Merged
  cells are propagated across their span; when the row under the header is also text-only and the
  header row has merged or empty cells above it, the two are joined as "上层 · 下层".
- Row label: the first column whose data cells are mostly text.
- Formulas are read as their cached values (``data_only=True``); a formula without one (a file
  written by a program, never opened in Excel) is evaluated when it is arithmetic over cells or
  ``SUM`` of cells/ranges on the same sheet, else left empty and reported.
- Year: the sheet name, a title row, a 年份/年度/year column (then each row holds its year), or the
  file name — in that order.
- Refused: an encrypted workbook (an OLE/CFB container with an ``EncryptionInfo`` stream, which is
  what Excel writes for a password-protected file), a legacy .xls, a corrupt file, a sheet without
  a header row; empty sheets are skipped and reported.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path

from assistant.ingest.decode import decode_text
from assistant.types import Block, LoadError, ParsedDocument
from assistant.text.tables import write_table
from assistant.text.years import years_in

ROW_BLOCK_CHARS = 600
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_NUMBER = re.compile(r"^[+\-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*[%％‰]?$")
_UNIT = re.compile(r"(?:单位|計量單位|计量单位)\s*[:：]\s*(\S+)")
_YEAR_HEADER = re.compile(r"^(?:年份|年度|学年|year)$", re.IGNORECASE)


@dataclass
class _Sheet:
    name: str
    rows: list[list[str]]  # cell texts, "" for empty
    merged_above: set[tuple[int, int]] = field(default_factory=set)  # (row, col) covered by a merge from the left
    notes: list[str] = field(default_factory=list)
    label: str = "工作表"  # how the heading names it: 工作表 (a workbook's sheet) or 表格 (a CSV file)


# --- cells ------------------------------------------------------------------------------------


def _decimals(number_format: str) -> int | None:
    """Decimal places a number format shows (``0.00%`` → 2, ``#,##0`` → 0, ``General`` → None)."""
    if not number_format or number_format == "General":
        return None
    match = re.search(r"\.(0+)", number_format)
    return len(match.group(1)) if match else (0 if "0" in number_format else None)


def format_value(value: object, number_format: str = "General") -> str:
    """A cell value as the sheet shows it: 0.9681 in a 0.00% cell is "96.81%", 113.0 is "113"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        places = _decimals(number_format)
        if "%" in (number_format or ""):
            return f"{value * 100:.{places or 0}f}%"
        if places is not None and isinstance(value, float):
            return f"{value:.{places}f}"
        if float(value).is_integer():
            return str(int(value))
        return f"{value:.10g}"
    return " ".join(str(value).split())


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def _is_text(text: str) -> bool:
    return bool(text.strip()) and not _is_number(text)


# --- formulas ---------------------------------------------------------------------------------

_REF = r"\$?([A-Z]{1,3})\$?(\d{1,7})"
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def evaluate_formula(formula: str, value_of) -> float | None:  # noqa: ANN001 - value_of(col, row) -> float | None
    """``=A1+B2*2``, ``=SUM(B2:B5)``, ``=SUM(B2,B3)-C1`` over same-sheet cells; None if anything else."""
    from openpyxl.utils import column_index_from_string

    body = formula.lstrip("=").strip().upper()
    if "!" in body or not body:
        return None
    cells: dict[str, tuple[int, int]] = {}

    def ref_name(col: str, row: str) -> str:
        name = f"C_{col}_{row}"
        cells[name] = (column_index_from_string(col), int(row))
        return name

    ranges: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {}

    def range_name(match: re.Match) -> str:
        name = f"R_{len(ranges)}"
        ranges[name] = ((column_index_from_string(match.group(1)), int(match.group(2))),
                        (column_index_from_string(match.group(3)), int(match.group(4))))
        return name

    body = re.sub(rf"{_REF}:{_REF}", range_name, body)
    body = re.sub(_REF, lambda m: ref_name(m.group(1), m.group(2)), body)
    try:
        tree = ast.parse(body, mode="eval")
    except SyntaxError:
        return None

    def number(name: str) -> float:
        value = value_of(*cells[name])
        if value is None:
            raise ValueError(name)
        return value

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return -walk(node.operand) if isinstance(node.op, ast.USub) else walk(node.operand)
        if isinstance(node, ast.Name) and node.id in cells:
            return number(node.id)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "SUM":
            total = 0.0
            for arg in node.args:
                if isinstance(arg, ast.Name) and arg.id in ranges:
                    (c0, r0), (c1, r1) = ranges[arg.id]
                    for r in range(min(r0, r1), max(r0, r1) + 1):
                        for c in range(min(c0, c1), max(c0, c1) + 1):
                            total += value_of(c, r) or 0.0
                else:
                    total += walk(arg)
            return total
        raise ValueError(ast.dump(node))

    try:
        return walk(tree)
    except (ValueError, ZeroDivisionError, KeyError, RecursionError):
        return None


# --- reading ----------------------------------------------------------------------------------


def _check_workbook_file(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == CFB_MAGIC:
        if _ENCRYPTION_INFO in path.read_bytes():
            raise LoadError("加密的 Excel 文件，需要密码 (encrypted spreadsheet: password required)")
        raise LoadError("旧版 Excel 文件（.xls 格式），请另存为 .xlsx (legacy .xls workbook, not .xlsx)")
    from assistant.ingest.decode import check_zip

    check_zip(path, "xl/workbook.xml", "Excel 文件", "XLSX")


def _xlsx_sheets(path: Path) -> list[_Sheet]:
    import openpyxl

    _check_workbook_file(path)
    try:
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as error:  # openpyxl raises many types for a damaged package
        raise LoadError(f"Excel 文件已损坏或无法解析 (corrupt or unreadable .xlsx): {type(error).__name__}") from error
    sheets = []
    for ws in values.worksheets:
        wf = formulas[ws.title]
        notes: list[str] = []

        def numeric(col: int, row: int, depth: int = 0) -> float | None:
            cached = ws.cell(row=row, column=col).value
            if isinstance(cached, (int, float)) and not isinstance(cached, bool):
                return float(cached)
            raw = wf.cell(row=row, column=col).value
            if isinstance(raw, str) and raw.startswith("=") and depth < 20:
                return evaluate_formula(raw, lambda c, r: numeric(c, r, depth + 1))
            if isinstance(raw, str) and _is_number(raw):
                return float(raw.replace(",", "").rstrip("%％‰"))
            return None

        rows: list[list[str]] = []
        for r, row in enumerate(ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column), start=1):
            texts = []
            for c, cell in enumerate(row, start=1):
                value = cell.value
                raw = wf.cell(row=r, column=c).value
                if value is None and isinstance(raw, str) and raw.startswith("="):
                    value = evaluate_formula(raw, numeric)
                    if value is None:
                        notes.append(f"工作表 {ws.title} 单元格 {cell.coordinate} 的公式 {raw} 没有缓存值且无法计算，已留空 "
                                     f"(formula without a cached value left empty: {ws.title}!{cell.coordinate})")
                texts.append(format_value(value, cell.number_format))
            rows.append(texts)
        sheet = _Sheet(ws.title, rows, notes=notes)
        for merged in ws.merged_cells.ranges:
            top = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(rows) else ""
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if r <= len(rows) and c <= len(rows[r - 1]):
                        rows[r - 1][c - 1] = top
                        if c > merged.min_col:
                            sheet.merged_above.add((r - 1, c - 1))
        sheets.append(sheet)
    return sheets


def _csv_sheet(path: Path) -> _Sheet:
    text = decode_text(path.read_bytes())
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    rows = [[" ".join(cell.split()) for cell in row] for row in csv.reader(text.splitlines(), dialect)]
    return _Sheet(path.stem, rows, label="表格")


# --- structure --------------------------------------------------------------------------------


def _trim(rows: list[list[str]]) -> list[list[str]]:
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    used = [c for c in range(width) if any(r[c].strip() for r in rows)]
    return [[r[c] for c in used] for r in rows if any(r[c].strip() for c in used)]


def _has_data(row: list[str]) -> bool:
    return any(_is_number(c) for c in row) or sum(1 for c in row if c.strip()) >= 2


def _distinct_text(row: list[str]) -> int:
    """Text cells of a row, a title merged across the row counted once."""
    return len({c for c in row if _is_text(c)})


def _header_index(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows[:-1]):
        if _distinct_text(row) >= 2 and any(_has_data(r) for r in rows[i + 1:i + 3]):
            return i
    return None


def _two_row_header(rows: list[list[str]], i: int, merged: set[tuple[int, int]]) -> bool:
    if i + 2 >= len(rows):
        return False
    upper, lower = rows[i], rows[i + 1]
    if any(_is_number(c) for c in lower) or _distinct_text(lower) < 2:
        return False
    spans = any((i, c) in merged for c in range(len(upper))) or any(
        not upper[c].strip() and lower[c].strip() for c in range(len(upper)))
    return spans and any(_is_number(c) for c in rows[i + 2])


def _label_column(rows: list[list[str]]) -> int:
    width = len(rows[0]) if rows else 0
    for c in range(width):
        filled = [r[c] for r in rows if r[c].strip()]
        if filled and sum(map(_is_text, filled)) >= 0.6 * len(filled):
            return c
    return 0


def _sheet_year(sheet: _Sheet, titles: list[str], source_name: str) -> int | None:
    for text in (sheet.name, *titles, Path(source_name).stem):
        found = set(years_in(text))
        if len(found) == 1:
            return found.pop()
    return None


def sheet_blocks(sheet: _Sheet, source_name: str) -> tuple[list[Block], list[str]]:
    """The heading and table blocks of one sheet, and notes for the ingest report."""
    notes = list(sheet.notes)
    rows = _trim(sheet.rows)
    if not rows:
        return [], [*notes, f"工作表 {sheet.name} 为空，已跳过 (empty sheet skipped: {sheet.name})"]
    head = _header_index(rows)
    if head is None:
        raise LoadError(f"表格缺少表头 (no header row found in sheet {sheet.name})")
    titles = [" ".join(c for c in dict.fromkeys(r) if c.strip()) for r in rows[:head]]
    header = list(rows[head])
    body_start = head + 1
    if _two_row_header(rows, head, sheet.merged_above):
        lower = rows[head + 1]
        header = [u if (not l.strip() or l == u) else (l if not u.strip() else f"{u} · {l}")
                  for u, l in zip(header, lower, strict=True)]
        body_start = head + 2
    body = [r for r in rows[body_start:] if any(c.strip() for c in r)]
    label = _label_column([header, *body])
    order = [label, *[c for c in range(len(header)) if c != label]]
    header = [header[c] or f"列{c + 1}" for c in order]
    body = [[r[c] for c in order] for r in body]
    unit = next((m.group(1).strip("（）()") for t in titles if (m := _UNIT.search(t))), "")
    has_year_column = any(_YEAR_HEADER.match(h.strip()) for h in header)
    year = None if has_year_column else _sheet_year(sheet, titles, source_name)
    title = next((t for t in titles if not _UNIT.fullmatch(t.strip())), "")
    parts = [f"{sheet.label} {sheet.name}" + (f"：{title}" if title and title != sheet.name else "")]
    if year is not None and str(year) not in parts[0]:
        parts.append(f"{year}年")
    if unit:
        parts.append(f"单位：{unit}")
    blocks = [Block(" · ".join(parts), kind="heading", level=2, year=year)]
    group: list[list[str]] = []

    def width(r: list[str]) -> int:  # the row's length as a Markdown table line
        return len("| " + " | ".join(r) + " |")

    for row in body:
        if group and sum(map(width, [*group, row])) > ROW_BLOCK_CHARS:
            blocks.append(Block(write_table([header, *group]), kind="table", year=year))
            group = []
        group.append(row)
    if group:
        blocks.append(Block(write_table([header, *group]), kind="table", year=year))
    return blocks, notes


def _document(sheets: list[_Sheet], path: Path) -> ParsedDocument:
    blocks: list[Block] = []
    notes: list[str] = []
    refusals: list[str] = []
    for sheet in sheets:
        try:
            found, sheet_notes = sheet_blocks(sheet, path.name)
        except LoadError as error:
            refusals.append(str(error))
            continue
        blocks += found
        notes += sheet_notes
    if not blocks:
        raise LoadError("；".join(refusals) if refusals else "表格为空 (empty spreadsheet)")
    return ParsedDocument(blocks, title=path.stem, warnings=[*refusals, *notes])


def load_xlsx(path: Path) -> ParsedDocument:
    return _document(_xlsx_sheets(path), path)


def load_csv(path: Path) -> ParsedDocument:
    return _document([_csv_sheet(path)], path)
