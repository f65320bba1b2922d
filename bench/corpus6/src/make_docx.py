# -*- coding: utf-8 -*-
"""Build knowledge/reports/2023年度自评报告.docx with python-docx.

Section titles are ordinary paragraphs made bold and larger (no Heading styles);
sub-points such as （一） and 1. are typed by hand.  The first page is a cover.
Deterministic: fixed core properties and zip timestamps.
"""
import datetime
import io
import re
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt

from common import REPORTS_DIR, prose_figures, table_figures, save_manifest
from content import REPORTS, NAME

YEAR = 2023
SECTION = re.compile(r"^[一二三四五六七八九]、")


def font(run, size=None, bold=None):
    run.font.name = "SimSun"
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def build():
    doc = Document()
    st = doc.styles["Normal"]
    st.font.name = "SimSun"
    st.font.size = Pt(12)
    st.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    figs, tables = [], []
    for b in REPORTS[YEAR]:
        kind = b[0]
        if kind == "cover":
            l = b[1]
            for _ in range(4):
                doc.add_paragraph("")
            for i, line in enumerate(l):
                p = doc.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                r = p.add_run(line)
                font(r, 22 if i < 2 else 14, i < 2)
                if i == 1:
                    for _ in range(3):
                        doc.add_paragraph("")
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind in ("p", "h"):
            plain, f = prose_figures(YEAR, b[1] if kind == "p" else b[2])
            figs += f
            p = doc.add_paragraph()
            if SECTION.match(plain):
                font(p.add_run(plain), 15, True)
            elif re.match(r"^（[一二三四五六七八九]）", plain) and len(plain) < 30:
                font(p.add_run(plain), 12, True)
            elif re.match(r"^\d\. ", plain) and len(plain) < 30:
                font(p.add_run(plain), 12, True)
            else:
                p.paragraph_format.first_line_indent = Pt(24)
                font(p.add_run(plain), 12)
        elif kind == "table":
            t = b[1]
            nh = len(t["head"])
            ncol = len(t["head"][0])
            tb = doc.add_table(rows=nh + len(t["rows"]), cols=ncol)
            tb.style = "Table Grid"
            for i, row in enumerate(t["head"] + t["rows"]):
                for j, val in enumerate(row):
                    tb.cell(i, j).text = val
            for (r1, c1, r2, c2) in t.get("merge", []):
                a = tb.cell(r1, c1)
                keep = a.text
                m = a.merge(tb.cell(r2, c2))
                m.text = keep
            for i in range(nh):
                for c in tb.rows[i].cells:
                    for p in c.paragraphs:
                        for r in p.runs:
                            r.bold = True
            if t.get("note"):
                doc.add_paragraph(t["note"])
            figs += table_figures(YEAR, t)
            tables.append(t)
    cp = doc.core_properties
    cp.author = "卡罗莫尔健康学院综合办公室"
    cp.title = f"{YEAR}年度自评报告"
    cp.created = cp.modified = datetime.datetime(2024, 3, 20, 9, 0, 0)
    cp.last_modified_by = "综合办公室"
    cp.revision = 3
    buf = io.BytesIO()
    doc.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    path = REPORTS_DIR / f"{YEAR}年度自评报告.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            zi = zipfile.ZipInfo(name, (2024, 3, 20, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, src.read(name))
    save_manifest(YEAR, figs, tables)
    print("docx ok", len(figs), "figures")


if __name__ == "__main__":
    build()
