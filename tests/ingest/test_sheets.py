"""Spreadsheets as knowledge: header rows, merged headers, row labels, formulas as values, years,
long sheets split with the header repeated, and the bad inputs (no header, encrypted, corrupt, empty,
GBK CSV). Every workbook is written here with openpyxl."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from assistant.ingest import chunk_document, describe, load_document
from assistant.ingest.sheets import ROW_BLOCK_CHARS, evaluate_formula, format_value
from assistant.types import LoadError


def _rows(table: str) -> list[list[str]]:
    lines = table.split("\n")
    assert re.fullmatch(r"\|( --- \|)+", lines[1]), lines[1]
    return [[c.strip() for c in line.strip("|").split("|")] for line in [lines[0], *lines[2:]]]


def _set_cached_values(path: Path, sheet_index: int, values: dict[str, str]) -> None:
    """Give formula cells a cached value, as Excel does when it saves (openpyxl writes none)."""
    member = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts[member].decode()
    for ref, value in values.items():
        xml, n = re.subn(rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?', rf"\g<1>\g<2><v>{value}</v>", xml)
        assert n == 1, ref
    parts[member] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.fixture
def stats_xlsx(tmp_path: Path) -> Path:
    """A statistics office's workbook: merged title, unit line, a two-row merged header, formulas."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2021年"
    ws.append(["各专业在校生与就业情况统计表"])
    ws.merge_cells("A1:E1")
    ws.append(["单位：人"])
    ws.append(["专业", "在校生", None, "毕业生", None])
    ws.append([None, "本科", "研究生", "人数", "就业率"])
    for cells in ("A3:A4", "B3:C3", "D3:E3"):
        ws.merge_cells(cells)
    ws.append(["通信工程", 420, 12, 101, 0.9681])
    ws.append(["微电子科学与工程", 310, 10, 80, 0.95])
    ws.append(["合计", "=SUM(B5:B6)", "=C5+C6", "=SUM(D5:D6)", "=AVERAGE(E5:E6)"])
    for ref in ("E5", "E6", "E7"):
        ws[ref].number_format = "0.00%"
    years = wb.create_sheet("历年师资")
    years.append(["年份", "专任教师", "生师比"])
    for row in [(2019, 100, 7.2), (2020, 113, 6.91), (2021, 120, 6.5)]:
        years.append(row)
    wb.create_sheet("空表")
    path = tmp_path / "statistics.xlsx"
    wb.save(path)
    return path


def test_two_row_merged_header_row_labels_unit_and_year(stats_xlsx: Path) -> None:
    doc = load_document(stats_xlsx)
    heading, table = doc.blocks[0], doc.blocks[1]
    assert heading.kind == "heading" and "2021年" in heading.text and "单位：人" in heading.text
    assert "各专业在校生与就业情况统计表" in heading.text
    rows = _rows(table.text)
    assert rows[0] == ["专业", "在校生 · 本科", "在校生 · 研究生", "毕业生 · 人数", "毕业生 · 就业率"]
    assert rows[1] == ["通信工程", "420", "12", "101", "96.81%"]
    assert table.year == 2021
    # formulas without a cached value: SUM and arithmetic evaluated, AVERAGE left empty and reported
    assert rows[3] == ["合计", "730", "22", "181", ""]
    assert any("E7" in w and "formula without a cached value" in w for w in doc.warnings)
    assert any("empty sheet skipped: 空表" in w for w in doc.warnings)


def test_cached_formula_values_are_read(stats_xlsx: Path) -> None:
    _set_cached_values(stats_xlsx, 1, {"E7": "0.95905", "B7": "731"})  # the cache wins, as Excel shows it
    rows = _rows(load_document(stats_xlsx).blocks[1].text)
    assert rows[3] == ["合计", "731", "22", "181", "95.91%"]
    assert not any("E7" in w for w in load_document(stats_xlsx).warnings)


def test_year_column_puts_the_year_in_each_row_and_no_sheet_year(stats_xlsx: Path) -> None:
    doc = load_document(stats_xlsx)
    heading = next(b for b in doc.blocks if b.kind == "heading" and "历年师资" in b.text)
    table = doc.blocks[doc.blocks.index(heading) + 1]
    assert table.year is None
    assert _rows(table.text)[2] == ["2020", "113", "6.91"]
    doc_type, year, _ = describe("data/statistics.xlsx", doc)
    assert doc_type == "data" and year is None  # two sheets, two kinds of year
    chunks = chunk_document(doc, source="statistics.xlsx", doc_type=doc_type, year=year)
    assert [c.year for c in chunks] == [2021, None]
    assert chunks[0].section.startswith("工作表 2021年") and "| 通信工程 | 420 |" in chunks[0].text


def test_year_from_title_row_and_from_file_name(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["2022年度国际交流统计"])
    ws.append(["项目", "人数"])
    ws.append(["出国交流", 58])
    wb.save(tmp_path / "exchange.xlsx")
    assert load_document(tmp_path / "exchange.xlsx").blocks[1].year == 2022
    ws.delete_rows(1)
    wb.save(tmp_path / "exchange_2023.xlsx")
    doc = load_document(tmp_path / "exchange_2023.xlsx")
    assert doc.blocks[1].year == 2023 and describe("exchange_2023.xlsx", doc)[1] == 2023


def test_row_label_column_is_moved_first(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "学院", "教师数"])
    ws.append([1, "信息学院", 35])
    ws.append([2, "电子学院", 41])
    wb.save(tmp_path / "teachers.xlsx")
    rows = _rows(load_document(tmp_path / "teachers.xlsx").blocks[1].text)
    assert rows[0] == ["学院", "序号", "教师数"] and rows[2] == ["电子学院", "2", "41"]


def test_long_sheet_is_split_by_rows_with_the_header_repeated(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "课程"
    ws.append(["课程名称", "学分", "外方课程"])
    for i in range(300):
        ws.append([f"课程{i:03d}", i % 6 + 1, "是" if i % 3 == 0 else "否"])
    wb.save(tmp_path / "courses.xlsx")
    tables = [b for b in load_document(tmp_path / "courses.xlsx").blocks if b.kind == "table"]
    assert len(tables) > 5
    labels = []
    for table in tables:
        rows = _rows(table.text)
        assert rows[0] == ["课程名称", "学分", "外方课程"]
        assert sum(len(line) for line in table.text.split("\n")[2:]) <= ROW_BLOCK_CHARS
        labels += [r[0] for r in rows[1:]]
    assert labels == [f"课程{i:03d}" for i in range(300)]


def test_gbk_csv(tmp_path: Path) -> None:
    text = "指标,2021年,2022年\n专任教师,113,120\n就业率,96.81%,97.2%\n"
    path = tmp_path / "指标.csv"
    path.write_bytes(text.encode("gbk"))
    doc = load_document(path)
    assert doc.blocks[0].text.startswith("表格 指标")
    assert _rows(doc.blocks[1].text) == [["指标", "2021年", "2022年"], ["专任教师", "113", "120"],
                                         ["就业率", "96.81%", "97.2%"]]
    assert describe("指标.csv", doc)[0] == "data"


def test_sheet_without_header_row(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "原始数据"
    for row in [(1, 2, 3), (4, 5, 6)]:
        ws.append(row)
    wb.save(tmp_path / "raw.xlsx")
    with pytest.raises(LoadError, match=r"表格缺少表头 \(no header row found in sheet 原始数据\)"):
        load_document(tmp_path / "raw.xlsx")


def test_encrypted_xlsx(stats_xlsx: Path, tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    target = tmp_path / "locked.xlsx"
    with stats_xlsx.open("rb") as plain, target.open("wb") as out:
        OOXMLFile(plain).encrypt("secret", out)
    assert target.read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    with pytest.raises(LoadError, match=r"加密的 Excel 文件，需要密码 \(encrypted spreadsheet: password required\)"):
        load_document(target)


def test_legacy_ole_file_is_not_taken_for_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504 + "Workbook".encode("utf-16-le"))
    with pytest.raises(LoadError, match=r"legacy \.xls"):
        load_document(path)


@pytest.mark.parametrize(("make", "reason"), [
    (lambda p: p.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8), "not a zip archive"),
    (lambda p: zipfile.ZipFile(p, "w").writestr("[Content_Types].xml", "<Types/>"), "no xl/workbook.xml"),
], ids=["garbage", "no-workbook"])
def test_corrupt_xlsx(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "broken.xlsx"
    make(path)
    with pytest.raises(LoadError, match=reason):
        load_document(path)


def test_truncated_xlsx(stats_xlsx: Path) -> None:
    data = stats_xlsx.read_bytes()
    stats_xlsx.write_bytes(data[: len(data) // 2])
    with pytest.raises(LoadError, match=r"XLSX|xlsx"):
        load_document(stats_xlsx)


def test_workbook_of_empty_sheets(tmp_path: Path) -> None:
    openpyxl.Workbook().save(tmp_path / "blank.xlsx")
    with pytest.raises(LoadError, match="empty"):
        load_document(tmp_path / "blank.xlsx")


def test_formula_evaluation() -> None:
    grid = {(1, 1): 2.0, (1, 2): 3.0, (2, 1): 10.0, (2, 2): None}
    value = lambda c, r: grid.get((c, r))  # noqa: E731
    assert evaluate_formula("=A1+A2*2", value) == 8.0
    assert evaluate_formula("=SUM(A1:B2)", value) == 15.0
    assert evaluate_formula("=SUM($A$1,B1)-1", value) == 11.0
    assert evaluate_formula("=(B1-A1)/A1", value) == 4.0
    assert evaluate_formula("=B2+1", value) is None  # an empty cell is not zero in arithmetic
    assert evaluate_formula("=AVERAGE(A1:A2)", value) is None
    assert evaluate_formula("=Sheet2!A1", value) is None
    assert evaluate_formula("=A1/0", value) is None
    assert evaluate_formula("=__import__('os')", value) is None


def test_value_formats() -> None:
    assert format_value(0.9681, "0.00%") == "96.81%"
    assert format_value(113.0) == "113"
    assert format_value(6.912, "0.00") == "6.91"
    assert format_value(1234567, "#,##0") == "1234567"
    assert format_value(0.1 + 0.2) == "0.3"
