"""One Markdown table reader and writer: cell offsets, escaped bars, and where a table ends."""

from __future__ import annotations

from assistant.text.tables import cell_at, read_tables, rows_of, write_table


def test_a_bar_inside_a_cell_survives_the_round_trip() -> None:
    markdown = write_table([["项目", "说明"], ["学费", "本科|博士"], ["生师比", "11.21"]])
    assert "本科\\|博士" in markdown
    assert rows_of(markdown) == [["项目", "说明"], ["学费", "本科|博士"], ["生师比", "11.21"]]


def test_cell_offsets_point_into_the_text() -> None:
    text = "表 1\n| 级别 | 人次 |\n| --- | --- |\n| 国家级 | 55 |\n"
    table = read_tables(text)[0]
    cell = table.rows[0].cells[1]
    assert text[cell.start:cell.end].strip() == "55" and cell_at(text, text.index("55")) == ("国家级", "人次")


def test_a_line_without_a_bar_ends_the_table() -> None:
    """Drafts joined line by line have no blank line after a table: the next paragraph is not a row."""
    text = "| 级别 | 人次 |\n| --- | --- |\n| 国家级 | 55 |\n学生党员 118 人，落实率 93.4%。\n| a | b |"
    table = read_tables(text)[0]
    assert [r.label for r in table.rows] == ["国家级"] and text[table.end:].startswith("\n学生党员")
