"""Loaders: every format, and every way a file can be unreadable."""

from __future__ import annotations

import codecs
import random
import re
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from assistant.ingest import SUPPORTED_SUFFIXES, load_document
from assistant.types import LoadError
from tests.ingest.conftest import REAL_REPORT

# PDF lines of 30 characters fill the line; an indented first line holds 28.
INDENTED = "院认真贯彻落实国家和学校相关规定扎实推进师风师德建设全面"
FULL = "提升教师思想政治素质和职业道德水平在教师考核评聘和奖惩中实行"
NEXT = "师德一票否决制。同时加强正面引导工作评选表彰师德师风先进典型"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- plain text and Markdown ------------------------------------------------------------------


def test_supported_suffixes() -> None:
    assert {".md", ".txt", ".docx", ".pdf"} <= set(SUPPORTED_SUFFIXES)


@pytest.mark.parametrize("name", ["notes.doc", "sheet.xls", "README"])
def test_unsupported_suffix(tmp_path: Path, name: str) -> None:
    with pytest.raises(LoadError, match="unsupported file type"):
        load_document(_write(tmp_path, name, b"hello"))


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_empty_file(tmp_path: Path, suffix: str) -> None:
    with pytest.raises(LoadError, match="文件为空 \\(empty file\\)"):
        load_document(_write(tmp_path, f"empty{suffix}", b""))


def test_whitespace_only_text_is_empty(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="empty file"):
        load_document(_write(tmp_path, "blank.txt", b"  \n\n \r\n"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="cannot read file"):
        load_document(tmp_path / "gone.txt")


def test_binary_renamed_txt(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    with pytest.raises(LoadError, match="binary file"):
        load_document(_write(tmp_path, "image.txt", png))


def test_random_bytes_without_nul(tmp_path: Path) -> None:
    rng = random.Random(7)
    noise = bytes(rng.randrange(1, 256) for _ in range(4096))
    with pytest.raises(LoadError, match="binary file|undecodable"):
        load_document(_write(tmp_path, "noise.txt", noise))


def test_gbk_text_decoded(tmp_path: Path) -> None:
    text = "第一条 为规范学院教学管理，制定本办法。\n第二条 本办法适用于全体教师，生师比不高于 18。\n"
    doc = load_document(_write(tmp_path, "rules.txt", text.encode("gbk")))
    assert [b.text for b in doc.blocks] == [
        "第一条 为规范学院教学管理，制定本办法。",
        "第二条 本办法适用于全体教师，生师比不高于 18。",
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom_text(tmp_path: Path, encoding: str) -> None:
    doc = load_document(_write(tmp_path, "bom.txt", "一、概况\n\n学院办学情况良好。".encode(encoding)))
    assert [b.text for b in doc.blocks] == ["一、概况", "学院办学情况良好。"]
    assert codecs.BOM_UTF8 not in doc.blocks[0].text.encode()


def test_text_wraps_joined_without_space_for_chinese(tmp_path: Path) -> None:
    text = "学院建立了完善的\n质量保障体系。\n\nThe college runs a\nquality system."
    doc = load_document(_write(tmp_path, "wrapped.txt", text.encode()))
    assert [b.text for b in doc.blocks] == ["学院建立了完善的质量保障体系。", "The college runs a quality system."]


def test_text_page_break_mid_sentence_joined(tmp_path: Path) -> None:
    first = "学院认真贯彻落实国家和学校相关规定，扎实推进师风师德建设，在教师考核、评聘和奖惩中，实行"
    text = f"三、师资\n\n{first}\n\n师德一票否决制。同时加强正面引导。\n\n办学单位：示例大学\n\n2021 年 4 月 20 日\n"
    blocks = [b.text for b in load_document(_write(tmp_path, "report.txt", text.encode())).blocks]
    joined = first + "师德一票否决制。同时加强正面引导。"
    assert blocks == ["三、师资", joined, "办学单位：示例大学", "2021 年 4 月 20 日"]


def test_form_feed_numbers_pages(tmp_path: Path) -> None:
    text = ("第一页的内容到这里还没有结束，这一段文字会延续到下一页继续说明学院的教学管理工作和\f"
            "质量保障体系。\n\n第二段。")
    doc = load_document(_write(tmp_path, "pages.txt", text.encode()))
    assert [(b.text[-8:], b.page) for b in doc.blocks] == [("和质量保障体系。", 1), ("第二段。", 2)]


def test_real_report_page_break_joined() -> None:
    texts = [b.text for b in load_document(REAL_REPORT).blocks]
    assert any("实行师德一票否决制" in t for t in texts)
    assert not any(t.endswith("实行") for t in texts)
    assert "一. 办学基本情况" in texts and "九. 办学特色" in texts
    assert texts[:2] == ["中外合作办学机构", "2020 年度自评报告"]


def test_markdown_blocks(tmp_path: Path) -> None:
    md = (
        "# 示例学院2021年度报告\n\n"
        "## 一、基本情况\n\n"
        "学院共有教师 113 人，\n生师比为 6.91。\n\n"
        "| 项目 | 数值 |\n|---|---|\n| 教师 | 113 人 |\n| 学生 | 780 人 |\n\n"
        "- 第一项工作\n- 第二项工作\n\n"
        "### （一）师资\n\n正文。\n"
    )
    doc = load_document(_write(tmp_path, "r.md", md.encode()))
    assert [(b.kind, b.level, b.text) for b in doc.blocks] == [
        ("heading", 1, "示例学院2021年度报告"),
        ("heading", 2, "一、基本情况"),
        ("paragraph", None, "学院共有教师 113 人，生师比为 6.91。"),
        ("table", None, "| 项目 | 数值 |\n|---|---|\n| 教师 | 113 人 |\n| 学生 | 780 人 |"),
        ("paragraph", None, "- 第一项工作"),
        ("paragraph", None, "- 第二项工作"),
        ("heading", 3, "（一）师资"),
        ("paragraph", None, "正文。"),
    ]
    assert doc.title == "示例学院2021年度报告"


# --- DOCX -------------------------------------------------------------------------------------


def test_docx_headings_and_table_in_order(sample_docx: Path) -> None:
    doc = load_document(sample_docx)
    assert doc.title == "示例学院年度报告"
    assert [(b.kind, b.level, b.text) for b in doc.blocks] == [
        ("paragraph", None, "示例学院年度报告"),
        ("heading", 1, "一、基本情况"),
        ("paragraph", None, "学院共有专任教师 113 人。"),
        ("table", None, "| 项目 | 数值 |\n| --- | --- |\n| 专任教师 | 113 人 |\n| 生师比 | 6.91 |"),
        ("heading", 2, "（一）师资结构"),
        ("paragraph", None, "具有博士学位的教师占 95%。"),
    ]


def test_docx_not_a_zip(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="not a valid DOCX"):
        load_document(_write(tmp_path, "fake.docx", "这其实是文本".encode()))


def test_docx_zip_without_document(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(LoadError, match="no word/document.xml"):
        load_document(path)


def test_docx_zip_bomb_rejected(zip_bomb_docx: Path) -> None:
    with pytest.raises(LoadError, match="zip bomb"):
        load_document(zip_bomb_docx)


def test_docx_broken_package(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<not-xml")
    with pytest.raises(LoadError, match="cannot parse DOCX"):
        load_document(path)


# --- PDF --------------------------------------------------------------------------------------


def test_pdf_sentence_across_page_break_joined(lines_pdf) -> None:
    assert (len(INDENTED), len(FULL), len(NEXT)) == (28, 30, 30)
    path = lines_pdf([
        ["一、师资建设", "  " + INDENTED, FULL],
        [NEXT, "质量稳步提升。", "  新的一段从这里开始。"],
    ])
    doc = load_document(path)
    assert doc.pages == 2
    assert [(b.text, b.page) for b in doc.blocks] == [
        ("一、师资建设", 1),
        (INDENTED + FULL + NEXT + "质量稳步提升。", 1),
        ("新的一段从这里开始。", 2),
    ]


def test_pdf_paragraph_ending_at_page_end_not_joined(lines_pdf) -> None:
    doc = load_document(lines_pdf([["  " + INDENTED, FULL[:-2] + "之。"], [NEXT, "末行。"]]))
    assert [(b.text, b.page) for b in doc.blocks] == [(INDENTED + FULL[:-2] + "之。", 1), (NEXT + "末行。", 2)]


def test_pdf_table_in_order(table_pdf: Path) -> None:
    doc = load_document(table_pdf)
    assert [(b.kind, b.text, b.page) for b in doc.blocks] == [
        ("paragraph", "一、基本情况", 1),
        ("paragraph", "学院师资情况见下表。", 1),
        ("table", "| 项目 | 数值 |\n| --- | --- |\n| 专任教师 | 113 人 |\n| 在校学生 | 780 人 |", 1),
        ("paragraph", "表中数据截至年底。", 1),
    ]


def test_pdf_corrupt(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="corrupt or unreadable PDF"):
        load_document(_write(tmp_path, "bad.pdf", b"%PDF-1.4\nthis is not really a pdf\n%%EOF\n"))


def test_pdf_encrypted(lines_pdf) -> None:
    path = lines_pdf([["机密内容。"]], encrypt="secret")
    with pytest.raises(LoadError, match="encrypted PDF"):
        load_document(path)


def test_pdf_encrypted_without_user_password_loads(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    from tests.ingest.conftest import write_lines_pdf

    plain = write_lines_pdf(tmp_path / "plain.pdf", [["公开内容。"]])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="owner")
    locked = tmp_path / "owner_only.pdf"
    writer.write(locked)
    assert [b.text for b in load_document(locked).blocks] == ["公开内容。"]


def test_pdf_without_text_layer_and_without_text_in_the_image(tmp_path: Path) -> None:
    """A page of shapes only is OCRed and found empty (scanned PDFs with text: tests/ingest/test_ocr.py)."""
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(100, 100, 300, 400, fill=1)
    pdf.showPage()
    pdf.save()
    with pytest.raises(LoadError, match=r"scanned PDF: OCR found no text"):
        load_document(path)


def test_real_report_as_pdf_round_trip(real_report_pdf: Path) -> None:
    """Typeset paragraphs come back whole. STSong-Light has no glyph for "·", so it is not compared."""
    original = [re.sub(r"\s+", "", b.text).replace("·", "") for b in load_document(REAL_REPORT).blocks]
    doc = load_document(real_report_pdf)
    assert doc.pages and doc.pages > 5
    assert [re.sub(r"\s+", "", b.text) for b in doc.blocks] == original
    assert all(b.page for b in doc.blocks)


def test_text_article_wraps_joined(tmp_path: Path) -> None:
    text = "第一条 为规范学院的教学管理工作，\n根据有关规定制定本办法。\n第二条 本办法适用于全体教师。\n\n第三条 附则。"
    blocks = [b.text for b in load_document(_write(tmp_path, "rules.txt", text.encode())).blocks]
    assert blocks == [
        "第一条 为规范学院的教学管理工作，根据有关规定制定本办法。", "第二条 本办法适用于全体教师。", "第三条 附则。"]


def test_pdf_layout_text_footers_tables_and_numbers_broken_by_the_wrap(tmp_path: Path) -> None:
    """Text extracted from a PDF: hard wraps every few dozen characters (a number may be cut by one),
    page footers (``— 3 —``, even inside a sentence) and pipe tables between paragraphs."""
    text = ("一、办学基本情况\n\n（1）招生情况。2023年学院录取新生255名，机械专业1\n65名，工业设计专业90名，第一志愿占93\n"
            ".3%。检查内容包括实验开出情况和\n— 3 —\n试卷归档。分级别统计见下表。\n| 级别 | 获奖人次 |\n| --- | --- |\n"
            "| 国家级 | 36 |\n| 合计 | 117 |\n（2）在校生规模。年末在校生959名，比上年增加50名。\n— 4 —\n"
            "The college admitted\n255 students in 2023 and\n35 of them chose design.\n")
    blocks = load_document(_write(tmp_path, "report.txt", text.encode())).blocks
    texts = [b.text for b in blocks]
    assert texts[1] == ("（1）招生情况。2023年学院录取新生255名，机械专业165名，工业设计专业90名，第一志愿占93.3%。"
                        "检查内容包括实验开出情况和试卷归档。分级别统计见下表。")
    table = next(b for b in blocks if b.kind == "table")
    assert table.text.splitlines() == ["| 级别 | 获奖人次 |", "| --- | --- |", "| 国家级 | 36 |", "| 合计 | 117 |"]
    assert texts[3] == "（2）在校生规模。年末在校生959名，比上年增加50名。"
    assert texts[4] == "The college admitted 255 students in 2023 and 35 of them chose design."  # Latin words keep spaces
    assert not any("— 3 —" in t or "— 4 —" in t for t in texts)
    assert [b.page for b in blocks] == [3, 3, 4, 4, 5]  # a footer closes its page; a block starts on its first


def test_text_tables_laid_out_in_columns_become_pipe_tables(tmp_path: Path) -> None:
    """An e-mailed report's tables are columns of spaces or tabs: read as pipe tables, not as wrapped lines
    joined into one paragraph with the prose after them. A caption with two spaces is no row of a
    four-column table; two lines of two columns are no table."""
    text = ("（3）年底在校生911人，同比增长6.2%。\n\n"
            "表1  2023年各专业学生数（单位：人）\n"
            "专业              2023年招生    年末在校生    2023届毕业生\n"
            "机电一体化技术    150           420           124\n"
            "合计              320           911           262\n\n"
            "表2  2023年项目支出（单位：万元）\n"
            "支出项目\t金额\t占比（%）\n教学运行\t765.0\t32.2\n合计\t2,373.0\t100.0\n"
            "收支相抵结余77.0万元，结余比上年少了一半多。\n\n"
            "姓名  张三\n职务  主任\n")
    blocks = load_document(_write(tmp_path, "mail.txt", text.encode())).blocks
    tables = [b.text.splitlines() for b in blocks if b.kind == "table"]
    assert tables == [
        ["| 专业 | 2023年招生 | 年末在校生 | 2023届毕业生 |", "| --- | --- | --- | --- |",
         "| 机电一体化技术 | 150 | 420 | 124 |", "| 合计 | 320 | 911 | 262 |"],
        ["| 支出项目 | 金额 | 占比（%） |", "| --- | --- | --- |", "| 教学运行 | 765.0 | 32.2 |",
         "| 合计 | 2,373.0 | 100.0 |"]]
    texts = [b.text for b in blocks if b.kind == "paragraph"]
    assert "表1  2023年各专业学生数（单位：人）" in texts
    assert "收支相抵结余77.0万元，结余比上年少了一半多。" in texts  # the prose after a table is its own paragraph
    assert not any("|" in t for t in texts) and any("姓名" in t for t in texts)


def test_pdf_running_head_is_dropped_and_the_paragraph_across_the_page_break_joined(lines_pdf) -> None:
    """The college's name over every page is the page's furniture: left in, it lands inside the sentence
    that runs across the page break (对应岗岚江机电职业技术学院位。)."""
    head = "岚江机电职业技术学院"
    doc = load_document(lines_pdf([[head, "一、基本情况", FULL], [head, "位。第二段开始了。"], [head, "第三页正文。"]]))
    texts = [b.text for b in doc.blocks]
    assert not any(head in t for t in texts)
    assert FULL + "位。第二段开始了。" in texts


def test_pdf_heading_on_two_pages_only_is_kept(lines_pdf) -> None:
    """Fewer than three pages opening with the same line: no running head (a title may repeat)."""
    doc = load_document(lines_pdf([["学院简介", "第一页正文。"], ["学院简介", "第二页正文。"]]))
    assert sum("学院简介" in b.text for b in doc.blocks) == 2


def _rule_only_table_pdf(path: Path, tables: list[list[list[str]]], *, before: float = 0.0) -> Path:
    """Paragraph, then tables drawn with horizontal rules only (no cell borders, header repeated on a new
    page), then a paragraph; ``before`` points of space push the first table towards the page's foot."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from tests.ingest.conftest import FONT, SIZE

    body = ParagraphStyle("body", fontName=FONT, fontSize=SIZE, leading=18, wordWrap="CJK")
    story = [Paragraph("学院实习基地与带教教师分布如下。", body), Spacer(1, before)]
    for rows in tables:
        table = Table(rows, repeatRows=1)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 10),
                                   ("LINEABOVE", (0, 0), (-1, 0), 1, colors.black),
                                   ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                                   ("LINEBELOW", (0, -1), (-1, -1), 1, colors.black)]))
        story += [table, Spacer(1, 12)]
    story.append(Paragraph("表中数据截至年底。", body))
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def test_pdf_table_drawn_with_rules_only_is_read_as_a_table(tmp_path: Path) -> None:
    """No cell borders for pdfplumber's table finder: the rows are read from the gaps between their cells,
    a grouped first column's empty cells stay empty, and a header repeated on the next page is dropped."""
    rows = [["类别", "实习基地", "带教教师（人）"], ["附属医院", "第一附属医院", "52"], ["", "第二附属医院", "41"],
            ["教学医院", "沅州市人民医院", "22"], ["", "沅州市中心医院", "15"], ["合计", "4家", "130"]]
    one_page = load_document(_rule_only_table_pdf(tmp_path / "one.pdf", [rows]))
    table = "\n".join(["| 类别 | 实习基地 | 带教教师（人） |", "| --- | --- | --- |", "| 附属医院 | 第一附属医院 | 52 |",
                       "|  | 第二附属医院 | 41 |", "| 教学医院 | 沅州市人民医院 | 22 |", "|  | 沅州市中心医院 | 15 |",
                       "| 合计 | 4家 | 130 |"])
    assert [(b.kind, b.text) for b in one_page.blocks] == [
        ("paragraph", "学院实习基地与带教教师分布如下。"), ("table", table), ("paragraph", "表中数据截至年底。")]
    # header and one row on page 1, the header again and the other rows on page 2
    split = load_document(_rule_only_table_pdf(tmp_path / "split.pdf", [rows], before=620))
    assert [(b.kind, b.text, b.page) for b in split.blocks][1:] == [("table", table, 1), ("paragraph", "表中数据截至年底。", 2)]


def test_pdf_rule_only_tables_one_after_another_stay_two_tables(tmp_path: Path) -> None:
    income = [["收入项目", "金额（万元）", "占比（%）"], ["学费收入", "8,364.8", "84.0"], ["其他收入", "1,595.2", "16.0"]]
    spending = [["支出项目", "金额（万元）", "占比（%）"], ["教职工薪酬", "3,380.0", "36.5"], ["其他支出", "5,880.0", "63.5"]]
    doc = load_document(_rule_only_table_pdf(tmp_path / "two.pdf", [income, spending]))
    tables = [b.text.splitlines()[0] for b in doc.blocks if b.kind == "table"]
    assert tables == ["| 收入项目 | 金额（万元） | 占比（%） |", "| 支出项目 | 金额（万元） | 占比（%） |"]
    assert "| 教职工薪酬 | 3,380.0 | 36.5 |" in [b for b in doc.blocks if b.kind == "table"][1].text


def test_pdf_prose_with_word_spaces_is_no_table(lines_pdf) -> None:
    """A word space is a fraction of a character: English and mixed lines stay prose."""
    lines = ["The University of Carrowmore is a public university in Ireland.",
             "学院与 University of Carrowmore 合作举办护理学 4+0 项目。", "全年收入 9,960.0 万元，支出 9,260.0 万元。"]
    doc = load_document(lines_pdf([lines]))
    assert all(b.kind == "paragraph" for b in doc.blocks)
