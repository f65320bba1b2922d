"""The document-type registry is the one place a type is declared: a type added to it (here by
monkeypatching) reaches metadata detection, retrieval's rule preference, the CLI choices and the UI."""

from __future__ import annotations

import re

import pytest

from assistant.domain import doctypes
from assistant.domain.doctypes import DocType
from assistant.ingest import describe
from assistant.types import Block, ParsedDocument

MINUTES = DocType("minutes", "会议纪要", "minutes", folder_words=("minutes", "纪要"),
                  title_words=("会议纪要",), title_suffixes=("纪要",),
                  filename=re.compile(r"minutes", re.IGNORECASE))
SHEETS = DocType("sheet", "统计表", "sheet", suffixes=("ods", ".tsv"))  # a type "data" already takes .xlsx and .csv


@pytest.fixture
def extra_types(monkeypatch):
    *known, other = doctypes.DOC_TYPES
    monkeypatch.setattr(doctypes, "DOC_TYPES", (*known, MINUTES, SHEETS, other))


def _doc(*texts: str) -> ParsedDocument:
    return ParsedDocument([Block(t) for t in texts])


def test_new_type_is_detected_by_folder_title_filename_and_suffix(extra_types) -> None:
    assert describe("纪要/a.txt", _doc("正文。"))[0] == "minutes"
    assert describe("a.txt", _doc("联合管理委员会第三次会议纪要", "正文。"))[0] == "minutes"
    assert describe("2021_minutes.txt", _doc("正文。"))[0] == "minutes"
    assert describe("stats/招生.ods", _doc("正文。"))[0] == "sheet"
    assert describe("regulations/a.txt", _doc("正文。"))[0] == "regulation"  # the others are unchanged
    assert describe("misc/a.txt", _doc("正文。"))[0] == "other"


def test_without_the_entry_the_same_documents_are_other() -> None:
    assert describe("纪要/a.txt", _doc("正文。"))[0] == "other"
    assert describe("a.txt", _doc("联合管理委员会第三次会议纪要", "正文。"))[0] == "other"


def test_new_type_in_cli_choices_and_ui_labels(extra_types) -> None:
    from assistant.cli import build_parser
    from assistant.ui.chat import doc_type_choices
    from assistant.ui.i18n import t

    args = build_parser().parse_args(["search", "纪要", "--type", "minutes"])
    assert args.type == "minutes"
    assert ("type.minutes", "minutes") in doc_type_choices()
    assert t("type.minutes") == "会议纪要" and t("type.minutes", "en") == "Minutes"
    assert t("type.regulation") == "规章制度"


def test_unknown_type_is_refused_by_the_cli(capsys) -> None:
    from assistant.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["search", "纪要", "--type", "minutes"])
    assert "minutes" in capsys.readouterr().err


def test_law_titles_end_with_a_type_word_after_a_note() -> None:
    assert describe("a.md", _doc("中华人民共和国教育法（2021年修正）", "第一条 正文。"))[0] == "regulation"
    assert describe("a.md", _doc("上海市职业教育条例(2018-11-22)", "第一条 正文。"))[0] == "regulation"
    assert describe("a.md", _doc("教学方法改革研讨", "正文。"))[0] == "other"  # 法 inside a title is not a law
