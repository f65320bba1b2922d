"""Build the held-out 2021 report (.docx) from its Markdown source.

Usage: .venv/bin/python bench/unseen/make_docx.py [SRC.md] [OUT.docx]

Defaults: bench/unseen/src/2021_self_assessment_report.md ->
bench/unseen/knowledge/reports/2021_self_assessment_report.docx

Why a generator: the question sets quote the .docx word for word, so the text must come from a
reviewable source file, and a rebuild from an unchanged source must give the same bytes (core
properties and zip entry times are pinned). The source lives outside ``knowledge/`` so that an
index built over ``bench/unseen/knowledge`` does not see the report twice.

Markdown subset: ``# `` -> Title, ``## `` -> Heading 1, ``### `` -> Heading 2, pipe tables -> a
Word table (header row bold, separator row dropped), every other non-empty line -> a paragraph
(captions starting with ``表`` centred).
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

HERE = Path(__file__).resolve().parent
DEFAULT_SRC = HERE / "src" / "2021_self_assessment_report.md"
DEFAULT_OUT = HERE / "knowledge" / "reports" / "2021_self_assessment_report.docx"
CJK_FONT = "SimSun"
FIXED_TIME = (2022, 4, 25, 9, 30, 0)


def _set_cjk_font(style) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), CJK_FONT)


def _is_table_line(line: str) -> bool:
    s = line.strip()
    return len(s) > 1 and s.startswith("|") and s.endswith("|")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _is_separator(line: str) -> bool:
    return all(c and set(c) <= set("-: ") for c in _cells(line))


def _add_table(doc, rows: list[list[str]]) -> None:
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


def build(src: Path, out: Path) -> Path:
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
            _add_table(doc, rows)
            continue
        if line.startswith("### "):
            doc.add_heading(line[4:].strip(), level=2)
        elif line.startswith("## "):
            doc.add_heading(line[3:].strip(), level=1)
        elif line.startswith("# "):
            doc.add_heading(line[2:].strip(), level=0)
        else:
            p = doc.add_paragraph(line.strip())
            if line.startswith("表"):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        i += 1

    props = doc.core_properties
    props.title = "2021 年度自评报告"
    props.author = "unseen corpus"
    props.last_modified_by = "unseen corpus"
    fixed = _dt.datetime(*FIXED_TIME)
    props.created = fixed
    props.modified = fixed
    props.revision = 1
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    doc.save(buf)
    out.write_bytes(_pin_zip_times(buf.getvalue()))
    return out


def _pin_zip_times(data: bytes) -> bytes:
    """Rewrite the zip with fixed entry timestamps so rebuilds are byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
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
    print(f"wrote {build(src, out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
