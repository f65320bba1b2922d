#!/usr/bin/env python3
"""Build the 2021 and 2022 reports (.docx) from src/2021.md and src/2022.md.

Source syntax (a small Markdown subset):
  - lines before the first '## ' are the cover block;
  - '## ' -> Heading 1, '### ' -> Heading 2;
  - pipe tables -> real Word tables ('| --- |' lines are dropped);
  - '<!-- header_rows=2 -->' before a table: the first two rows are header rows;
    equal neighbouring header texts are merged (horizontally in a row, vertically
    between the two header rows).
Output is deterministic: fixed core properties and fixed zip timestamps.

Usage: python src/make_docx.py   (writes knowledge/reports/20XX年度自评报告.docx)
"""
import datetime
import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "knowledge" / "reports"
FIXED = datetime.datetime(2024, 1, 1, 0, 0, 0)


def set_font(doc):
    for name in ("Normal", "Heading 1", "Heading 2", "Title"):
        st = doc.styles[name]
        st.font.name = "SimSun" if name == "Normal" else "SimHei"
        rpr = st.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(rfonts)
        rfonts.set(qn("w:eastAsia"), st.font.name)
    doc.styles["Normal"].font.size = Pt(12)


def cells_of(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def add_table(doc, rows, header_rows):
    ncol = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=ncol)
    table.style = "Table Grid"
    for i, r in enumerate(rows):
        for j in range(ncol):
            table.cell(i, j).text = r[j] if j < len(r) else ""
    if header_rows == 2:
        top, sub = rows[0], rows[1]
        done = set()
        # vertical merges: same text in both header rows and not part of a horizontal run
        for j in range(ncol):
            left = j > 0 and top[j - 1] == top[j]
            right = j + 1 < ncol and top[j + 1] == top[j]
            if top[j] == sub[j] and not left and not right:
                a = table.cell(0, j).merge(table.cell(1, j))
                a.text = top[j]
                done.add(j)
        j = 0
        while j < ncol:
            k = j
            while k + 1 < ncol and top[k + 1] == top[j]:
                k += 1
            if k > j:
                a = table.cell(0, j).merge(table.cell(0, k))
                a.text = top[j]
            j = k + 1
    for i in range(header_rows):
        for c in table.rows[i].cells:
            for p in c.paragraphs:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in p.runs:
                    run.bold = True
    return table


def build(src, dst):
    doc = Document()
    set_font(doc)
    cp = doc.core_properties
    cp.author = "濛江大学瓦尔蒙工程师学院"
    cp.title = src.stem + "年度自评报告"
    cp.created = FIXED
    cp.modified = FIXED
    cp.last_modified_by = ""
    cp.revision = 1
    lines = src.read_text(encoding="utf-8").split("\n")
    in_cover = True
    cover_n = 0
    pending_header_rows = 1
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if line.startswith("## "):
            in_cover = False
            doc.add_heading(line[3:].strip(), level=1)
        elif line.startswith("### "):
            doc.add_heading(line[4:].strip(), level=2)
        elif line.startswith("<!--"):
            m = re.search(r"header_rows=(\d)", line)
            if m:
                pending_header_rows = int(m.group(1))
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                if not re.fullmatch(r"\|[\s\-|:]+\|", lines[i].strip()):
                    rows.append(cells_of(lines[i]))
                i += 1
            add_table(doc, rows, pending_header_rows)
            pending_header_rows = 1
            continue
        elif line.strip():
            if in_cover:
                cover_n += 1
                p = doc.add_paragraph()
                run = p.add_run(line.strip())
                if cover_n <= 2:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    run.bold = True
                    run.font.size = Pt(22 if cover_n == 2 else 18)
                if cover_n == 2:
                    doc.add_paragraph()
            elif re.match(r"表\d+\s", line):
                p = doc.add_paragraph(line.strip())
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                p = doc.add_paragraph(line.strip())
                p.paragraph_format.first_line_indent = Pt(24)
        i += 1
    buf = io.BytesIO()
    doc.save(buf)
    # re-zip with fixed timestamps so that each build gives the same bytes
    zin = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in sorted(zin.infolist(), key=lambda x: (x.filename != "[Content_Types].xml", x.filename)):
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, zin.read(info.filename))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for year in ("2021", "2022"):
        src = ROOT / "src" / f"{year}.md"
        dst = OUT / f"{year}年度自评报告.docx"
        build(src, dst)
        print("wrote", dst.relative_to(ROOT))


if __name__ == "__main__":
    sys.exit(main())
