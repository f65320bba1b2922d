"""Figures become facts bound to the metric their clause states (the issue's confusions)."""

from __future__ import annotations

from assistant.figures.facts import Fact, facts_from_text
from tests.conftest import REAL_REPORT


def _facts(text: str, year: int = 2020) -> list[Fact]:
    return facts_from_text(text, year=year, source="r.txt")


def test_a_figure_belongs_to_its_own_clause() -> None:
    facts = _facts("2019 年 12 月，信息与通信工程双学位博士教育项目获批，项目学制 4-6 年。该项目于 2020 年完成首届招生，"
                   "共招收 5 人。\n\n双学位博士项目教师主要包含博士生导师及任课教师，其中博士生导师 10 人；任课教师 12 人。")
    by_raw = {f.raw: f for f in facts}
    assert by_raw["5 人"].metric == "招生" and by_raw["5 人"].scope_dict == {"programme": "博士"}
    assert by_raw["12 人"].metric == "任课教师" and by_raw["12 人"].scope_dict == {"programme": "博士"}
    assert by_raw["10 人"].metric == "博士生导师"
    assert by_raw["4-6 年"].range_to == 6


def test_levels_and_totals_are_scopes_and_concepts() -> None:
    facts = _facts("324 名同学获得各级创新创业类比赛奖励，其中国际级奖项 32 人次，国家级奖项 69 人次，省级奖项 54 人次。"
                   "目前学院教师共计 295 人（不重复统计）。其中，任课教师 113 人，包含英方任课教师 33 人。")
    got = {f.raw: (f.metric, f.scope_dict) for f in facts}
    assert got["32 人次"] == ("竞赛获奖", {"level": "国际级"})
    assert got["69 人次"] == ("竞赛获奖", {"level": "国家级"})
    assert got["295 人"] == ("教师", {})
    assert got["113 人"] == ("任课教师", {})
    assert got["33 人"] == ("任课教师", {"side": "外方"})


def test_parts_named_by_the_parent_take_the_population() -> None:
    facts = _facts("2022年，学院任课教师122人，其中外方教师43人，占35.2%；英语课程教师22人。")
    got = {f.raw: (f.metric, f.scope_dict, f.kind) for f in facts}
    assert got["43人"] == ("任课教师", {"side": "外方"}, "count")
    assert got["122人"] == ("任课教师", {}, "count")


def test_fractions_percent_words_and_day_counts_are_values() -> None:
    facts = _facts("第九条 引进的外方课程门数应当不少于全部课程门数的三分之一。启动资金不得低于投入的百分之十五。"
                   "审批机关应当自受理之日起三十日内作出决定。每年 4 月 30 日前提交。", year=None)
    got = {f.raw: f for f in facts}
    assert got["三分之一"].value == 0.3333 and got["三分之一"].kind == "share"
    assert got["百分之十五"].value == 15 and got["百分之十五"].unit == "%"
    assert got["三十日"].value == 30 and got["三十日"].unit == "日"
    assert "30 日" not in got  # a date, not a figure


def test_real_report_facts_cover_every_figure_with_a_year() -> None:
    text = REAL_REPORT.read_text(encoding="utf-8")
    facts = _facts(text)
    assert len(facts) > 80
    assert all(f.year == 2020 for f in facts if f.metric in ("任课教师", "生师比", "就业率"))
    share = next(f for f in facts if f.raw == "30.9%")
    assert (share.metric, share.scope_dict) == ("任课教师", {"age": "≤35"})
    assert not any(f.delta for f in facts if f.metric == "毕设指导教师")  # 较强 is not a comparison
    roundtrip = Fact.from_json(share.to_json())
    assert roundtrip == share


def test_lists_read_one_to_one_after_respectively() -> None:
    facts = _facts("继续深造的152人，其中出境深造118人、国内读研34人，分别占毕业生的47.6%和13.7%。"
                   "中方教师和外方教师分别为57人和31人。国家级、省级项目分别有8项和23项。", 2021)
    got = {f.raw: (f.metric, f.scope_dict) for f in facts}
    assert got["47.6%"] == ("深造", {"region": "海外"}) and got["13.7%"] == ("深造", {"region": "国内"})
    assert got["57人"] == ("教师", {"side": "中方"}) and got["31人"] == ("教师", {"side": "外方"})
    assert got["8项"][1] == {"level": "国家级"} and got["23项"][1] == {"level": "省级"}
    # lists of different lengths are left as they were: no value takes a name it may not own
    assert [f.label for f in _facts("中方教师、外方教师和管理人员分别为57人和31人。", 2021)] != ["中方教师", "外方教师"]


def test_a_comparison_names_the_year_of_the_level_it_quotes_not_of_the_change() -> None:
    got = {f.raw: f for f in _facts("2021年交换学习的学生为42人，比2020年的57人少15人。在校本科生1,050人，"
                                    "较上年末1,030人增加20人。", 2021)}
    assert (got["57人"].year, got["57人"].delta) == (2020, False)
    assert (got["15人"].year, got["15人"].delta) == (2021, True)
    assert (got["1,030人"].year, got["1,030人"].delta) == (2020, False) and got["20人"].delta


def test_last_years_level_stated_beside_this_years() -> None:
    got = {f.raw: f for f in _facts("2024年项目招收新生 8 人，上年仅 3 人。去年毕业生 98 人，今年 120 人。"
                                    "在校生较上年增加 22 人。", 2024)}
    assert (got["8 人"].year, got["8 人"].metric) == (2024, "招生")  # 招收新生: one word of jieba's, two terms
    assert (got["3 人"].year, got["3 人"].delta) == (2023, False)
    assert got["98 人"].year == 2023 and got["120 人"].year == 2024
    assert (got["22 人"].year, got["22 人"].delta) == (2024, True)  # 比上年增加: a change, this year's


def test_durations_and_spans_are_not_running_totals() -> None:
    got = {f.raw: f for f in _facts("学生四年累计修读法语约480学时。学院累计派出交换生496人。听课共186节次。", 2021)}
    assert not got["四年"].cumulative and not got["480学时"].cumulative and got["496人"].cumulative
    assert got["186节次"].unit == "节次"


def test_some_of_a_population_by_what_they_did_and_a_synonym_that_says_whose() -> None:
    got = {f.raw: f for f in _facts("在读硕士生33人。硕士生中有16人赴法完成研究实习。在校本科生1,050人。", 2022)}
    assert got["16人"].scope_dict.get("part") == "赴法完成研究实习"
    assert got["1,050人"].scope_dict == {"programme": "本科"} and got["33人"].scope_dict == {"programme": "硕士"}
    got = {f.raw: f for f in _facts("年末在校本科生1,085人、硕士生38人，合计1,123人。", 2023)}
    assert got["1,085人"].scope_dict == {"programme": "本科"}  # the next list item's 硕士 is not its own


def test_a_rate_named_by_the_end_of_the_count_before_it() -> None:
    got = {f.raw: f for f in _facts("毕业生248人，毕业去向落实236人，落实率95.2%。收集意见建议158条，其中151条已落实，"
                                    "落实率95.6%。", 2021)}
    assert got["95.2%"].metric == "就业率"
    assert got["95.6%"].metric != "就业率"  # 已落实 suggestions: 已落实率 names no rate of the vocabulary


def test_the_head_noun_wins_over_a_qualified_synonym_and_among_names_the_next_figure() -> None:
    got = {f.raw: f for f in _facts("2024届本科毕业生落实去向218人，毕业去向落实率95.2%。研究生毕业生15人中落实去向14人。", 2024)}
    assert (got["218人"].metric, got["218人"].scope_dict) == ("落实去向", {"programme": "本科"})  # not 毕业生
    assert got["15人"].metric == "毕业生" and got["14人"].metric == "落实去向"  # 15 人中…: the next figure's noun


def test_a_list_before_respectively_shares_its_last_names_noun_and_verb() -> None:
    got = {f.raw: f for f in _facts("护理学、康复治疗学和药学专业毕业实习时长分别为40周、36周和28周。"
                                    "护理学、康复治疗学、药学分别录取150人、85人、65人。", 2023)}
    assert got["40周"].label == "护理学专业毕业实习时长" and got["40周"].scope_dict == {"major": "护理学"}
    assert got["36周"].scope_dict == {"major": "康复治疗学"} and got["28周"].scope_dict == {"major": "药学"}
    assert [got[r].label for r in ("150人", "85人", "65人")] == ["护理学录取", "康复治疗学录取", "药学录取"]
    assert {got[r].metric for r in ("150人", "85人", "65人")} == {"招生"}


def test_some_of_a_population_counted_before_zhong() -> None:
    got = {f.raw: f for f in _facts("就业的98名毕业生中，在沅州省内就业64人，占65.3%。", 2022)}
    assert got["64人"].scope_dict == {"part": "在沅州省内就业"} and got["65.3%"].scope_dict == {"part": "在沅州省内就业"}
    assert "part" not in got["98名"].scope_dict


def test_since_n_years_is_a_running_total_a_span_requirement_is_not() -> None:
    got = {f.raw: f for f in _facts("建院六年来，学院累计培养毕业生669人，其中本科632人。学生四年累计修读法语约480学时。", 2024)}
    assert got["669人"].cumulative and not got["632人"].cumulative and not got["480学时"].cumulative
