"""Build the sample 2023 report (.docx) from its Markdown source.

Usage: .venv/bin/python tools/make_sample_docx.py [SRC.md] [OUT.docx]

Defaults: tools/sample_src/2023_self_assessment_report.md ->
knowledge/reports/2023_self_assessment_report.docx

Only the small Markdown subset used by the sample source is understood:
``# `` -> Title, ``## `` -> Heading 1, ``### `` -> Heading 2, pipe tables -> a real
Word table (first row bold, separator row dropped), every other non-empty line -> a
paragraph. Core properties and zip entry times are pinned, so rebuilding from an unchanged
source gives a byte-identical file.
"""

from __future__ import annotations

import datetime as _dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SRC = ROOT / "tools" / "sample_src" / "2023_self_assessment_report.md"
DEFAULT_OUT = ROOT / "knowledge" / "reports" / "2023_self_assessment_report.docx"

CJK_FONT = "SimSun"


def _set_cjk_font(style) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), CJK_FONT)


def _is_table_line(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and s.endswith("|")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _is_separator(line: str) -> bool:
    return all(set(c) <= set("-: ") and c for c in _cells(line))


SAMPLE_TITLE, SAMPLE_AUTHOR, SAMPLE_TIME = "2023 年度自评报告（示例）", "sample corpus", (2024, 4, 19, 9, 0, 0)


def build(src: Path, out: Path, *, title: str = SAMPLE_TITLE, author: str = SAMPLE_AUTHOR,
          fixed_time: tuple[int, ...] = SAMPLE_TIME) -> Path:
    """The .docx of the Markdown ``src`` at ``out``, byte-identical for an unchanged source (the core
    properties and zip entry times are ``title``/``author``/``fixed_time``)."""
    lines = src.read_text(encoding="utf-8").splitlines()
    doc = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        _set_cjk_font(doc.styles[name])
    doc.styles["Normal"].font.size = Pt(11)

    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if not line.strip():
            i += 1
            continue
        if _is_table_line(line):
            rows: list[list[str]] = []
            while i < len(lines) and _is_table_line(lines[i]):
                if not _is_separator(lines[i]):
                    rows.append(_cells(lines[i]))
                i += 1
            ncols = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=ncols)
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c in range(ncols):
                    cell = table.cell(r, c)
                    cell.text = row[c] if c < len(row) else ""
                    if r == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            continue
        if line.startswith("### "):
            doc.add_heading(line[4:].strip(), level=2)
        elif line.startswith("## "):
            doc.add_heading(line[3:].strip(), level=1)
        elif line.startswith("# "):
            doc.add_heading(line[2:].strip(), level=0)  # Title style
        else:
            p = doc.add_paragraph(line.strip())
            if line.startswith("表"):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        i += 1

    props = doc.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    fixed = _dt.datetime(*fixed_time)
    props.created = fixed
    props.modified = fixed
    props.revision = 1
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    doc.save(buf)
    out.write_bytes(_pin_zip_times(buf.getvalue(), fixed_time))
    return out


def _pin_zip_times(data: bytes, fixed_time: tuple[int, ...]) -> bytes:
    """Rewrite the .docx zip with fixed entry timestamps so rebuilds are byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=fixed_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_SRC
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    if not src.is_file():
        print(f"找不到源文件 / source not found: {src}", file=sys.stderr)
        return 1
    path = build(src, out)
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
