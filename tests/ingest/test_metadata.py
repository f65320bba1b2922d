"""describe(): document type, the year a document is about, and its title."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest import describe, load_document
from assistant.types import Block, ParsedDocument
from tests.ingest.conftest import REAL_REPORT


def _doc(*texts: str, title: str = "") -> ParsedDocument:
    return ParsedDocument([Block(t) for t in texts], title=title)


def test_real_report() -> None:
    doc_type, year, title = describe("reports/2020_self_assessment_report.txt", load_document(REAL_REPORT))
    assert (doc_type, year) == ("report", 2020)
    assert "2020 年度自评报告" in title


def test_real_report_year_without_file_name_cue() -> None:
    assert describe("misc/report.txt", load_document(REAL_REPORT))[1] == 2020


@pytest.mark.parametrize(("relpath", "expected"), [
    ("regulations/a.txt", "regulation"),
    ("制度/a.txt", "regulation"),
    ("法规文件/a.txt", "regulation"),
    ("报告/a.txt", "report"),
    ("misc/a.txt", "other"),
])
def test_type_from_folder(relpath: str, expected: str) -> None:
    assert describe(relpath, _doc("正文内容。"))[0] == expected


@pytest.mark.parametrize(("first_line", "expected"), [
    ("示例学院教学管理办法", "regulation"),
    ("关于提交2021年度自评报告的通知", "regulation"),
    ("示例学院章程", "regulation"),
    ("示例学院2019年度自评报告", "report"),
    ("会议纪要", "other"),
])
def test_type_from_title(first_line: str, expected: str) -> None:
    assert describe("a.txt", _doc(first_line, "正文。"))[0] == expected


def test_year_prefers_year_about_over_date() -> None:
    doc = _doc("示例学院", "2019 年度自评报告", "2020 年 3 月 1 日", "正文提到 2018 年的情况。")
    assert describe("x/2017_notes.txt", doc) == ("report", 2019, "示例学院 2019 年度自评报告")


def test_year_from_file_name_then_title_then_date() -> None:
    assert describe("reports/self_assessment_2021.md", _doc("自评报告", "正文。"))[1] == 2021
    assert describe("a.txt", _doc("2022年工作总结", "正文。"))[1] == 2022
    assert describe("regulations/a.txt", _doc("教学管理办法", "第一条 正文。", "2018 年 9 月 1 日"))[1] == 2018
    assert describe("reports/a.txt", _doc("自评报告", "2021 年 4 月 20 日"))[1] is None
    assert describe("a.txt", _doc("无年份的文档"))[1] is None


def test_academic_year() -> None:
    assert describe("a.txt", _doc("2019-2020学年本科教学质量报告"))[1] == 2019


def test_title_sources(sample_docx: Path) -> None:
    assert describe("a.docx", load_document(sample_docx))[2] == "示例学院年度报告"
    doc = ParsedDocument([Block("第一章 总则", kind="heading", level=1), Block("正文。")])
    assert describe("a.md", doc)[2] == "第一章 总则"
    assert describe("a.txt", _doc("", "  第一行内容", "第二行"))[2] == "第一行内容"
    assert describe("a.txt", ParsedDocument([]))[2] == ""
