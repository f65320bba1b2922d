# -*- coding: utf-8 -*-
"""Build knowledge/reports/2024年度自评报告.pdf with reportlab (CID font STSong-Light, A4).

Tables have no grid, only a rule under the header; the long table repeats its header
(repeatRows=1) on the next page; footnotes are drawn in small type at the foot of the
page where their mark appears; page numbers '- N -' are centred at the foot.
"""
import re

import pdfplumber
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph,
                                Spacer, Table, TableStyle)

from common import REPORTS_DIR, nospace, prose_figures, table_figures, save_manifest
from content import REPORTS

YEAR = 2024
PATH = REPORTS_DIR / f"{YEAR}年度自评报告.pdf"
pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
F = "STSong-Light"
BODY = ParagraphStyle("body", fontName=F, fontSize=11, leading=19, firstLineIndent=22, wordWrap="CJK")
H1 = ParagraphStyle("h1", fontName=F, fontSize=15, leading=24, spaceBefore=10, spaceAfter=6)
COVER1 = ParagraphStyle("c1", fontName=F, fontSize=24, leading=36, alignment=TA_CENTER)
COVER2 = ParagraphStyle("c2", fontName=F, fontSize=14, leading=28, alignment=TA_CENTER)
CELL = ParagraphStyle("cell", fontName=F, fontSize=10, leading=14)
FOOTS = {b[1]: b[2] for b in REPORTS[YEAR] if b[0] == "fn"}


class Doc(BaseDocTemplate):
    def __init__(self, path, **kw):
        super().__init__(str(path), pagesize=A4, leftMargin=2.6 * cm, rightMargin=2.6 * cm,
                         topMargin=2.5 * cm, bottomMargin=3.2 * cm, title=f"{YEAR}年度自评报告",
                         author="卡罗莫尔健康学院", creator="reportlab", **kw)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="f")
        self.addPageTemplates([PageTemplate(id="p", frames=[frame], onPageEnd=self.foot)])
        self.pending = []

    def afterFlowable(self, fl):
        if isinstance(fl, Paragraph):
            txt = fl.getPlainText()
            for mk in FOOTS:
                if mk in txt and mk not in self.done:
                    self.pending.append(mk)
                    self.done.add(mk)

    def foot(self, canv, doc):
        canv.saveState()
        w, _ = A4
        if self.pending:
            y = 2.3 * cm
            canv.setLineWidth(0.5)
            canv.line(self.leftMargin, y + 0.45 * cm, self.leftMargin + 4 * cm, y + 0.45 * cm)
            canv.setFont(F, 8)
            for mk in self.pending:
                canv.drawString(self.leftMargin, y, FOOTS[mk])
                y -= 0.4 * cm
            self.pending = []
        if doc.page > 1:
            canv.setFont(F, 10)
            canv.drawCentredString(w / 2, 1.2 * cm, f"- {doc.page - 1} -")
        canv.restoreState()


def table(t, pad=3):
    data = [[Paragraph(c, CELL) if len(c) > 12 else c for c in r] for r in t["head"] + t["rows"]]
    ncol = len(t["head"][0])
    first = 4.6 * cm if ncol <= 3 else 3.6 * cm
    rest = (15.8 * cm - first) / (ncol - 1)
    if t["id"] == "t24_bases":
        widths = [4.6 * cm, 6.2 * cm, 5.0 * cm]
    else:
        widths = [first] + [rest] * (ncol - 1)
    tb = Table(data, colWidths=widths, repeatRows=1, hAlign="CENTER")
    tb.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), F, 10),
                            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                            ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                            ("TOPPADDING", (0, 0), (-1, -1), pad)]))
    return tb


def story(spacer_h, pad=3):
    st, figs, tables, paras = [], [], [], []
    for b in REPORTS[YEAR]:
        kind = b[0]
        if kind == "cover":
            l = b[1]
            st += [Spacer(1, 5 * cm), Paragraph(l[0], COVER1), Paragraph(l[1], COVER1), Spacer(1, 4 * cm)]
            st += [Paragraph(x, COVER2) for x in l[2:]]
            st.append(PageBreak())
        elif kind == "h":
            st.append(Paragraph(b[2], H1))
        elif kind == "p":
            plain, f = prose_figures(YEAR, b[1])
            figs += f
            paras.append(plain)
            st.append(Paragraph(plain, BODY))
        elif kind == "table":
            t = b[1]
            if t.get("repeat"):
                st.append(Spacer(1, spacer_h))
            st.append(Spacer(1, 4))
            st.append(table(t, pad if t.get("repeat") else 3))
            st.append(Spacer(1, 6))
            figs += table_figures(YEAR, t)
            tables.append(t)
    return st, figs, tables, paras


def build():
    for h, pad in [(h, pad) for h in range(0, 60, 6) for pad in (3, 4, 5)]:
        st, figs, tables, paras = story(h, pad)
        d = Doc(PATH)
        d.done = set()
        d.build(st)
        with pdfplumber.open(str(PATH)) as pdf:
            pages = [nospace(p.extract_text() or "") for p in pdf.pages]
        heads = ["".join(nospace(c) for c in t["head"][0]) for t in tables]
        hp = [[i for i, p in enumerate(pages) if hd in p] for hd in heads]
        hp = [x for x in hp if len(x) == 2]
        across = [p[:20] for p in paras if not any(nospace(p) in x for x in pages)]
        missing = [f["snippet"] for f in figs if not any(nospace(f["snippet"]) in x for x in pages)]
        if len(hp) == 1 and across and not missing:
            break
    print("pdf pages", len(pages), "header on", hp, "across-break paragraphs", across, "missing", missing[:5])
    save_manifest(YEAR, figs, tables, dict(pdf_paragraphs=paras, spacer=h, pad=pad))
    print("pdf ok", len(figs), "figures, spacer", h, "pad", pad)


if __name__ == "__main__":
    build()
