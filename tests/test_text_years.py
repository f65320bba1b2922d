import pytest

from assistant.text.years import LAST_YEAR_SUBJECT, named_years, prior_level, recent_span, split_by_year, years_in


@pytest.mark.parametrize("text, years", [
    ("2020届毕业生就业率", [2020]),
    ("In 2020.", [2020]),
    ("学费是 60000 元吗", []),
    ("经费 2020万元，占 2019%", []),
    ("2020.5 分", []),
    ("FY2020 与 2021 年", [2021]),
])
def test_years_in(text, years):
    assert years_in(text) == years


def test_named_years_expands_ranges_in_order():
    assert named_years("2021—2023年和2019年") == (2021, 2022, 2023, 2019)
    assert named_years("2019 - 2021 年学费") == (2019, 2020, 2021)
    assert named_years("2021年到2023年毕业去向落实率如何变化？") == (2021, 2022, 2023)
    assert named_years("What were the ratios from 2020 to 2023?") == (2020, 2021, 2022, 2023)
    assert named_years("2019 through 2021") == (2019, 2020, 2021)
    assert named_years("a top 2020 toolkit") == (2020,)
    assert named_years("2019届至2021届毕业生就业率") == (2019, 2020, 2021)
    assert named_years("2019年度到2021年度") == (2019, 2020, 2021)
    assert named_years("How did it change between 2019 and 2021?") == (2019, 2020, 2021)


@pytest.mark.parametrize("question, expected", [
    ("2021年和2022年的生师比分别是多少？", [(2021, "2021年的生师比是多少？"), (2022, "2022年的生师比是多少？")]),
    ("2021届、2022届毕业生就业率", [(2021, "2021届毕业生就业率"), (2022, "2022届毕业生就业率")]),
    ("What were the ratios in 2021 and 2022 respectively?",
     [(2021, "What were the ratios in 2021?"), (2022, "What were the ratios in 2022?")]),
    ("2022年的生师比和2021年相比呢？",
     [(2021, "2022年的生师比和2021年相比呢？（只回答2021年的情况）"),
      (2022, "2022年的生师比和2021年相比呢？（只回答2022年的情况）")]),
    ("2022年的生师比是多少？", []),
])
def test_split_by_year(question, expected):
    assert split_by_year(question) == expected


def test_split_by_year_covers_a_range():
    assert [y for y, _ in split_by_year("2021—2023年学生党员人数分别是多少？")] == [2021, 2022, 2023]
    assert split_by_year("2021—2023年学生党员人数分别是多少？")[1][1] == "2022年学生党员人数是多少？"


@pytest.mark.parametrize("text, span", [
    ("近三年毕业去向落实率如何变化？", 3), ("最近 3 年的生师比", 3), ("过去两年学生党员人数", 2),
    ("How did the ratio change over the last three years?", 3), ("近年来学院发展迅速", None),
    ("前三年级学生", None), ("2021年的生师比", None),
])
def test_recent_span(text, span):
    assert recent_span(text) == span


def test_recent_years_split_over_the_latest_available():
    assert split_by_year("近三年毕业去向落实率分别是多少？", [2019, 2020, 2021, 2022]) == [
        (2020, "2020年毕业去向落实率是多少？"), (2021, "2021年毕业去向落实率是多少？"), (2022, "2022年毕业去向落实率是多少？")]
    assert [y for y, _ in split_by_year("How did it change over the last two years?", [2020, 2021, 2022])] == [2021, 2022]
    assert split_by_year("近三年毕业去向落实率", []) == []
    assert [y for y, _ in split_by_year("2021年和2022年的生师比", [2019, 2020, 2021, 2022])] == [2021, 2022]


def test_date_pattern_reads_year_month_and_day():
    from assistant.text.years import DATE

    found = [(m.group("year"), m.group("month"), m.group("day")) for m in DATE.finditer(
        "2021 年 4 月 20 日提交；截至2022年12月31日，4 月 30 日前；3.5月不是日期。")]
    assert found == [("2021", "4", "20"), ("2022", "12", "31"), (None, "4", "30")]


@pytest.mark.parametrize("before, prior, year", [
    ("学院较上年的 ", True, None), ("在校生较上年末", True, None), ("人，比2020年的", True, "2020"),
    ("本年招生 8 人，上年仅", True, None), ("人，去年同期为", True, None), ("人，而上年为", True, None),
    ("人，比上年增加", False, None), ("就业率高于上年", False, None), ("招生人数超过上年", False, None),
])
def test_words_before_a_figure_that_make_it_last_years_level(before: str, prior: bool, year: str | None) -> None:
    m = prior_level(before, len(before))
    assert bool(m) is prior and (m.group("year") if m else None) == year


def test_a_clause_about_last_year() -> None:
    assert LAST_YEAR_SUBJECT.match("上年招生") and LAST_YEAR_SUBJECT.match("去年毕业生中")
    assert not LAST_YEAR_SUBJECT.match("比上年") and not LAST_YEAR_SUBJECT.match("学院上年")
