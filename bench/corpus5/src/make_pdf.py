"""Build knowledge/reports/2022年度自评报告.pdf from src/2022.md with reportlab (STSong-Light)."""
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from common import COLLEGE, SRC, parse, plain

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
OUT = SRC.parent / "knowledge" / "reports" / "2022年度自评报告.pdf"

BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=17, firstLineIndent=21,
                      wordWrap="CJK", spaceAfter=4)
CAPTION = ParagraphStyle("cap", fontName=FONT, fontSize=10, leading=14, alignment=TA_CENTER,
                         spaceBefore=6, spaceAfter=4)
COVER = ParagraphStyle("cover", fontName=FONT, fontSize=12, leading=20, alignment=TA_CENTER,
                       wordWrap="CJK")
COVER_BIG = ParagraphStyle("coverbig", parent=COVER, fontSize=20, leading=32)


class BoldLine(Flowable):
    """A one-line title drawn in fill+stroke mode (STSong-Light has no bold face)."""

    def __init__(self, text, size, space_before=10, space_after=6):
        super().__init__()
        self.text, self.size = text, size
        self.spaceBefore, self.spaceAfter = space_before, space_after
        self.keepWithNext = 1

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.size * 1.5

    def draw(self):
        c = self.canv
        c.saveState()
        c.setLineWidth(0.35)
        t = c.beginText(0, self.size * 0.35)
        t.setFont(FONT, self.size)
        t.setTextRenderMode(2)
        t.textOut(self.text)
        c.drawText(t)
        c.restoreState()


def on_page(canv, doc):
    canv.saveState()
    canv.setFont(FONT, 9)
    w, h = A4
    canv.drawString(20 * mm, h - 13 * mm, COLLEGE)
    canv.setLineWidth(0.5)
    canv.line(20 * mm, h - 15 * mm, w - 20 * mm, h - 15 * mm)
    canv.drawCentredString(w / 2, 11 * mm, f"第 {doc.page} 页")
    canv.restoreState()


def table(rows):
    data = [[plain(c) for c in r] for r in rows]
    t = Table(data, hAlign="CENTER")
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 9.5),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


def main():
    story, cover_i = [], 0
    for b in parse(2022):
        kind = b[0]
        if kind == "cover":
            cover_i += 1
            if cover_i == 1:
                story.append(Spacer(1, 30 * mm))
            st = COVER_BIG if cover_i in (1, 2) else COVER
            story.append(Paragraph(escape(plain(b[1])), st))
            if cover_i == 2:
                story.append(Spacer(1, 20 * mm))
            if cover_i == 6:
                story.append(PageBreak())
        elif kind == "h1":
            story.append(BoldLine(plain(b[1]), 14))
        elif kind == "h2":
            story.append(BoldLine(plain(b[1]), 12, 6, 4))
        elif kind == "caption":
            pending = Paragraph(escape(plain(b[1])), CAPTION)
        elif kind == "table":
            story.append(KeepTogether([pending, table(b[1]), Spacer(1, 6)]))
        else:
            story.append(Paragraph(escape(plain(b[1])), BODY))
    doc = SimpleDocTemplate(str(OUT), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=22 * mm, bottomMargin=20 * mm, invariant=1,
                            title="2022年度自评报告", author=COLLEGE)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
