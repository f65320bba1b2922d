"""Build knowledge/reports/2024年度自评报告.docx from src/2024.md with python-docx (deterministic)."""
import datetime
import io
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from common import COLLEGE, SRC, parse, plain

OUT = SRC.parent / "knowledge" / "reports" / "2024年度自评报告.docx"


def set_font(style, size=None, bold=None):
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def main():
    doc = Document()
    set_font(doc.styles["Normal"], 10.5)
    set_font(doc.styles["Heading 1"], 15, True)
    set_font(doc.styles["Heading 2"], 12, True)
    cover_i = 0
    for b in parse(2024):
        kind = b[0]
        if kind == "cover":
            cover_i += 1
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            r = p.add_run(plain(b[1]))
            r.font.size = Pt(20 if cover_i <= 2 else 12)
            r.bold = cover_i <= 2
            if cover_i == 6:
                doc.add_page_break()
        elif kind == "h1":
            doc.add_heading(plain(b[1]), level=1)
        elif kind == "h2":
            doc.add_heading(plain(b[1]), level=2)
        elif kind == "caption":
            p = doc.add_paragraph(plain(b[1]))
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "table":
            rows = b[1]
            t = doc.add_table(rows=len(rows), cols=len(rows[0]))
            t.style = "Table Grid"
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    t.cell(i, j).text = plain(cell)
                    if i == 0:
                        for r in t.cell(i, j).paragraphs[0].runs:
                            r.bold = True
        else:
            p = doc.add_paragraph(plain(b[1]))
            p.paragraph_format.first_line_indent = Pt(21)
    cp = doc.core_properties
    cp.author = COLLEGE
    cp.title = "2024年度自评报告"
    fixed = datetime.datetime(2025, 3, 20, 9, 0, 0)
    cp.created = cp.modified = fixed
    cp.last_modified_by = COLLEGE
    cp.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    # rewrite the zip with fixed timestamps so repeated builds give identical bytes
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2025, 3, 20, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, src.read(info.filename))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
