"""Figure extraction, number normalisation and numeric mentions."""

from __future__ import annotations


import pytest

from assistant.figures.extract import extract_figures
from assistant.figures.binding import is_delta
from assistant.text.numbers import normalise_number, numbers_in

from tests.conftest import REAL_REPORT


@pytest.fixture(scope="module")
def real_figures():
    text = REAL_REPORT.read_text(encoding="utf-8")
    return text, extract_figures(text, source="reports/2020_self_assessment_report.txt", year=2020)


def _by_raw(figures, raw):
    hits = [f for f in figures if f.raw == raw]
    assert hits, f"{raw!r} not extracted"
    return hits[0]


def test_raw_is_exact_span(real_figures):
    text, figures = real_figures
    assert figures
    for f in figures:
        assert text[f.start:f.end] == f.raw
        assert f.raw in f.sentence
        assert f.year == 2020 and f.source.endswith(".txt")


def test_share_with_count_is_paired_with_population(real_figures):
    _, figures = real_figures
    pct = _by_raw(figures, "30.9%")
    assert pct.value == pytest.approx(30.9) and pct.unit == "%"
    assert pct.metric == "35 岁以下" and pct.context == "任课教师"
    count = figures[pct.paired]
    assert (count.raw, count.value, count.unit, count.metric) == ("35 人", 35, "人", "35 岁以下")
    assert figures[count.paired] is pct


@pytest.mark.parametrize("raw,value,unit,qualifier,metric", [
    ("60000元/生·年", 60000, "元/生·年", "", "学费标准"),
    ("1600 余人次", 1600, "人次", "余", None),
    ("96.81%以上", 96.81, "%", "以上", "就业率"),
    ("6.91", 6.91, "", "", "生师比"),
    ("295 人", 295, "人", "", None),
    ("660 余次", 660, "次", "余", None),
    ("四级", 4, "级", "", None),
    ("十余支", 10, "支", "余", "海外交流团组"),
    ("113 人", 113, "人", "", "任课教师"),
])
def test_hard_cases(real_figures, raw, value, unit, qualifier, metric):
    _, figures = real_figures
    f = _by_raw(figures, raw)
    assert f.value == pytest.approx(value) and f.unit == unit and f.qualifier == qualifier
    if metric is not None:
        assert f.metric == metric


def test_ranges(real_figures):
    _, figures = real_figures
    years = _by_raw(figures, "4-6 年")
    assert (years.value, years.range_to, years.unit) == (4, 6, "年")
    rounds = _by_raw(figures, "3-5轮")
    assert (rounds.value, rounds.range_to, rounds.unit) == (3, 5, "轮")


def test_years_dates_codes_ordinals_excluded(real_figures):
    _, figures = real_figures
    raws = {f.raw for f in figures}
    values = {f.value for f in figures}
    assert not values & {2016, 2017, 2019, 2020, 2021, 756, 20161735}
    for bad in ("2020 年", "2019 级", "20 日", "756号", "前 100", "4+X", "第三级"):
        assert not any(bad in r for r in raws)
    # the age bound belongs to the label, the QS rank is a name, 2 区 labels a category
    assert not any(f.value == 35 and f.unit == "" for f in figures)
    assert not any(f.raw in ("100 名", "20 名") for f in figures)


def test_markdown_table_cells_have_labels():
    text = "| 类别 | 人数（人） | 占比 |\n|---|---|---|\n| 中方教师 | 80 | 66.7% |\n| 英方教师 | 40 | 33.3% |\n"
    figures = extract_figures(text)
    cell = next(f for f in figures if f.value == 40)
    assert (cell.table_row, cell.table_col, cell.unit, cell.metric) == ("英方教师", "人数（人）", "人", "英方教师")
    share = next(f for f in figures if f.value == pytest.approx(66.7))
    assert share.table_col == "占比" and share.unit == "%"


def test_chinese_numerals_and_units():
    figures = extract_figures("学院有两位教师获奖，约三分之一的学生参加，经费 6 万元，近 30 多位专家到校。")
    got = {f.raw: f for f in figures}
    assert got["两位"].value == 2 and got["两位"].unit == "位"
    assert got["三分之一"].value == pytest.approx(0.3333)
    assert got["6 万元"].value == 60000 and got["6 万元"].unit == "元"
    assert got["30 多位"].qualifier == "多"


def test_headings_give_sections():
    text = "三. 师资建设\n\n1. 教师队伍\n\n任课教师 120 人。\n"
    (f,) = extract_figures(text)
    assert f.section == "三. 师资建设 > 1. 教师队伍"
    assert extract_figures(text, section="X")[0].section == "X"


@pytest.mark.parametrize("raw,value", [
    ("96.81%", 96.81), ("96.81 %", 96.81), ("6万", 60000), ("60000", 60000), ("六万", 60000),
    ("三分之一", 0.3333), ("1,600", 1600), ("１６００余人次", 1600), ("约 2.5 万人", 25000),
])
def test_normalise_number(raw, value):
    assert normalise_number(raw) == pytest.approx(value)


def test_normalise_number_rejects_non_numbers():
    assert normalise_number("学院") is None
    assert normalise_number("") is None


def test_numbers_in_includes_years_but_not_codes():
    mentions = numbers_in("2020 年就业率 96.81%，编号 MOE51GBA02，学费6万元，一流学科")
    values = [v for _, v in mentions]
    assert values == [2020, 96.81, 60000]
    assert [r for r, _ in mentions][1] == "96.81%"


@pytest.mark.parametrize("text, raws", [
    ("比上年末的856人多出53人", ["856人", "53人"]),  # 多 compares: not "more than 856"
    ("比上年末的1,012人多18人", ["1,012人", "18人"]),
    ("学院建有20间多媒体教室", ["20间"]),  # 多 starts a word
    ("两个月多，", ["两个月多"]),  # 多 ends the quantity: more than two months
    ("接待来访300多人", ["300多人"]),
])
def test_duo_after_a_unit(text, raws):
    assert [n[0] for n in numbers_in(text)] == raws


def test_a_comparison_after_last_years_level_is_not_its_name():
    figs = extract_figures("到2022年末，全院在校本科生共909人，比上年末的856人多出53人。", year=2022)
    by_raw = {f.raw: f for f in figs}
    assert by_raw["856人"].metric != "多出" and by_raw["856人"].concept == "在校生"
    assert is_delta(by_raw["53人"])


def test_a_selection_from_a_population_is_a_part_of_it():
    for text in ("双元制机电班面向机电一体化技术新生二次选拔，今年招收30人。", "双元制班从机电一体化技术新生中选拔，录取30人。"):
        f = next(f for f in extract_figures(text, year=2022) if f.raw == "30人")
        assert f.concept == "招生" and dict(f.scope).get("part") == "选拔", (text, f.scope)
    f = next(f for f in extract_figures("2022年双元制机电班录取新生30人。", year=2022) if f.raw == "30人")
    assert f.concept == "招生" and "part" not in dict(f.scope)
