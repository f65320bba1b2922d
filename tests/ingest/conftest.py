"""Fixture builders for the ingestion tests: DOCX and PDF files are generated, not checked in."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from tests.conftest import REAL_REPORT
FONT = "STSong-Light"  # built-in CID font: Chinese without font files
SIZE = 12
LEFT = 72
INDENT = 2 * SIZE

pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def write_lines_pdf(path: Path, pages: list[list[str]], *, page_numbers: bool = True, **options: object) -> Path:
    """One text line per entry, top to bottom; a leading "  " indents the line by two characters."""
    pdf = canvas.Canvas(str(path), pagesize=A4, **options)
    width, height = A4
    for number, lines in enumerate(pages, start=1):
        pdf.setFont(FONT, SIZE)
        y = height - 72
        for line in lines:
            x = LEFT + (INDENT if line.startswith("  ") else 0)
            pdf.drawString(x, y, line.strip())
            y -= 1.5 * SIZE
        if page_numbers:
            pdf.drawCentredString(width / 2, 40, str(number))
        pdf.showPage()
    pdf.save()
    return path


@pytest.fixture
def lines_pdf(tmp_path: Path) -> Callable[..., Path]:
    return lambda pages, name="doc.pdf", **kw: write_lines_pdf(tmp_path / name, pages, **kw)


@pytest.fixture
def table_pdf(tmp_path: Path) -> Path:
    """Heading, paragraph, ruled table, paragraph: laid out by reportlab's platypus."""
    path = tmp_path / "table.pdf"
    body = ParagraphStyle("body", fontName=FONT, fontSize=SIZE, leading=18, wordWrap="CJK", firstLineIndent=INDENT)
    head = ParagraphStyle("head", fontName=FONT, fontSize=14, leading=22)
    table = Table([["项目", "数值"], ["专任教师", "113 人"], ["在校学生", "780 人"]])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [Paragraph("一、基本情况", head), Paragraph("学院师资情况见下表。", body), table,
             Paragraph("表中数据截至年底。", body)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


@pytest.fixture
def sample_docx(tmp_path: Path) -> Path:
    """Title, headings (levels 1 and 2), paragraphs and a table, in a known order."""
    path = tmp_path / "sample.docx"
    doc = Document()
    doc.add_heading("示例学院年度报告", 0)
    doc.add_heading("一、基本情况", 1)
    doc.add_paragraph("学院共有专任教师 113 人。")
    table = doc.add_table(rows=3, cols=2)
    for r, row in enumerate([("项目", "数值"), ("专任教师", "113 人"), ("生师比", "6.91")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    doc.add_heading("（一）师资结构", 2)
    doc.add_paragraph("具有博士学位的教师占 95%。")
    doc.save(str(path))
    return path


@pytest.fixture
def zip_bomb_docx(tmp_path: Path) -> Path:
    """A DOCX-shaped zip whose document part inflates ~1000-fold."""
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b" " * (24 * 1024 * 1024))
    return path


@pytest.fixture(scope="session")
def real_report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real report typeset as a 10-page PDF: indented, wrapped paragraphs, ragged Latin lines."""
    from assistant.ingest import load_document

    path = tmp_path_factory.mktemp("real") / "report.pdf"
    body = ParagraphStyle("body", fontName=FONT, fontSize=SIZE, leading=20, wordWrap="CJK", firstLineIndent=INDENT)
    line = ParagraphStyle("line", fontName=FONT, fontSize=SIZE, leading=20)
    story = [Paragraph(b.text.replace("&", "&amp;").replace("<", "&lt;"), body if len(b.text) > 45 else line)
             for b in load_document(REAL_REPORT).blocks]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path
