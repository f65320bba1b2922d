"""Year-over-year grades: warning (×3, ÷3, a running total that shrank, unit slips), notice (30 %
against the draft's own trend, unless explained or corroborated) and stale."""

from __future__ import annotations

from assistant.figures import CheckThresholds, check_draft
from assistant.figures.align import records_from_text

PRIOR = ("一、办学基本情况\n\n2020 年学院招收本科生 300 人。截至 2020 年底，在校生 1200 人，其中电子信息工程专业 900 人、计算机科学与技术专业 300 人。\n\n"
         "二、学生培养\n\n学生党员 100 人。学生发展指导中心开展一对一咨询 600 余次。本年度发放奖助学金 300.5 万元。"
         "全年在学科竞赛中获奖 200 人次。\n\n九、办学特色\n\n办学以来累计派出学生海外交流 1000 人次。")
HISTORY = records_from_text(PRIOR, 2020, "reports/2020.md")


def _graded(text: str, **kw) -> list[tuple[str, str]]:
    return [(f.grade, f.rule) for f in check_draft(text, 2021, HISTORY, **kw)]


def test_jump_is_a_warning_with_the_prior_figure():
    (f,) = check_draft("二、学生培养\n\n学生党员 310 人。", 2021, HISTORY)
    assert (f.kind, f.grade, f.rule) == ("yoy_jump", "warning", "yoy.jump") and f.arithmetic == "310 / 100 = 3.10"
    assert f.related[0]["quote"] == "学生党员 100 人" and f.related[0]["year"] == 2020


def test_notice_at_thirty_percent_unless_explained():
    assert _graded("二、学生培养\n\n学生党员 69 人。") == [("notice", "yoy.change")]
    assert _graded("二、学生培养\n\n学生党员 75 人。") == []  # −25 %
    assert _graded("二、学生培养\n\n受疫情影响，学生党员 69 人。") == []
    assert _graded("二、学生培养\n\n学生党员 69 人。", thresholds=CheckThresholds(notice_change=0.4)) == []
    # a change the draft states and that matches last year's figure is explained
    assert _graded("二、学生培养\n\n学生党员 140 人，较上年增加 40 人。") == []
    assert _graded("二、学生培养\n\n学生党员 140 人，较上年增加 30 人。") == [("notice", "yoy.change")]


def test_a_change_explained_in_a_neighbouring_sentence():
    """The reason may follow in another sentence or paragraph, naming the metric and the way it moved."""
    assert _graded("二、学生培养\n\n本年度发放奖助学金 180.5 万元。\n\n奖助学金比上年减少较多，主要是受助学生人数下降。") == []
    assert _graded("二、学生培养\n\n本年度发放奖助学金 180.5 万元。") == [("notice", "yoy.change")]
    # a reason for another figure, or for a move the other way, explains nothing
    assert _graded("二、学生培养\n\n本年度发放奖助学金 180.5 万元。\n\n学生党员比上年减少，主要是毕业离校。") \
        == [("notice", "yoy.change")]
    assert _graded("二、学生培养\n\n本年度发放奖助学金 180.5 万元。\n\n奖助学金比上年增加，主要是新设奖学金。") \
        == [("notice", "yoy.change")]


def test_corroborated_figures_raise_no_notice():
    # 计算机 300 → 420 (+40 %) is confirmed by its total: 900 + 420 = 1320
    text = "一、办学基本情况\n\n在校生 1320 人，其中电子信息工程专业 900 人、计算机科学与技术专业 420 人。"
    assert _graded(text) == []
    assert ("error", "sum.last_year") in _graded(text.replace("1320", "1300"))


def test_a_list_that_added_up_last_year_adds_up_with_a_new_category_this_year():
    # 2020: 1200 = 900 + 300; 2021 opens 人工智能: the list is still the whole, so 1300 ≠ 900 + 320 + 60
    text = "一、办学基本情况\n\n在校生 1280 人，其中电子信息工程专业 900 人、计算机科学与技术专业 320 人、人工智能专业 60 人。"
    assert _graded(text) == []
    (f,) = [f for f in check_draft(text.replace("1280", "1300"), 2021, HISTORY) if f.rule == "sum.last_year"]
    assert f.arithmetic.startswith("900 人 + 320 人 + 60 人 = 1280") and "今年新增" in f.message
    # another kind of figure beside last year's parts is not a new category: no relation, no finding
    other = "一、办学基本情况\n\n在校生 1300 人，其中电子信息工程专业 900 人、计算机科学与技术专业 320 人、女生 460 人。"
    assert not [f for f in check_draft(other, 2021, HISTORY) if f.kind == "sum"]


def test_notice_measured_against_the_drafts_trend():
    grown = ("一、办学基本情况\n\n2021 年学院招收本科生 420 人。截至 2021 年底，在校生 1680 人，其中电子信息工程专业 1260 人、计算机科学与技术专业 420 人。\n\n"
             "二、学生培养\n\n学生党员 140 人。学生发展指导中心开展一对一咨询 840 余次。全年在学科竞赛中获奖 280 人次。")
    assert _graded(grown) == []  # everything grew by 40 %: that is the college growing, not a typo
    assert _graded(grown.replace("840 余次", "400 余次")) == [("notice", "yoy.change")]


def test_stale_figures():
    assert _graded("九、办学特色\n\n办学以来累计派出学生海外交流 1000 人次。") == [("stale", "yoy.cumulative_unchanged")]
    assert _graded("九、办学特色\n\n办学以来累计派出学生海外交流 900 人次。") == [("warning", "yoy.cumulative_shrank")]
    assert _graded("二、学生培养\n\n全年在学科竞赛中获奖 200 人次。") == [("stale", "yoy.same_as_last_year")]
    assert _graded("二、学生培养\n\n全年在学科竞赛中获奖 210 人次。") == []


def test_unit_slips_against_last_year():
    assert _graded("二、学生培养\n\n本年度发放奖助学金 318.2 元。") == [("warning", "unit.scale")]
    assert _graded("二、学生培养\n\n全年在学科竞赛中获奖 220 人。") == [("warning", "unit.prior")]
    assert _graded("二、学生培养\n\n本年度发放奖助学金 318.2 万元。") == []


def test_a_part_named_by_its_own_words_is_not_compared_with_the_total():
    prior = records_from_text("六、财务\n\n2020年学院经费支出 6940 万元。", 2020, "r.md")
    assert check_draft("六、财务\n\n2021年经费支出 7100 万元，其中国际交流支出 236 万元。", 2021, prior) == []


def test_a_tables_total_row_is_compared_with_the_same_tables_total_only():
    prior = records_from_text("| 获奖级别 | 获奖人次 |\n| --- | --- |\n| 国家级 | 58 |\n| 校级 | 200 |\n| 合计 | 258 |", 2020, "r.md")
    draft = "| 年龄段 | 人数 |\n| --- | --- |\n| 35岁以下 | 40 |\n| 35岁以上 | 82 |\n| 合计 | 122 |"
    assert not [f for f in check_draft(draft, 2021, prior) if f.rule in ("unit.prior", "yoy.jump", "yoy.change")]


def test_last_years_value_quoted_and_anniversaries_are_not_this_years_figures():
    prior = records_from_text("一、基本情况\n\n2020年学院录取新生 310 人。学院围绕建党一百周年开展活动。", 2020, "r.md")
    draft = "一、基本情况\n\n2021年学院录取新生 395 人，较上年的 310 人增长 27.4%，新增专业首年招生。学院围绕建党一百周年开展活动。"
    assert check_draft(draft, 2021, prior) == []


def test_some_of_a_population_is_not_last_years_population():
    history = records_from_text("二、学生培养\n\n硕士生中有 16 人赴法完成研究实习，实习时间为 3 个月。", 2022, "reports/2022.md")
    assert check_draft("二、学生培养\n\n年末在校硕士生 38 人。", 2023, history) == []  # not 16 → 38 (+138%)
    history = records_from_text("二、学生培养\n\n硕士生中有 16 人赴法完成研究实习。", 2022, "reports/2022.md")
    (f,) = check_draft("二、学生培养\n\n硕士生中有 52 人赴法完成研究实习。", 2023, history)
    assert f.rule == "yoy.jump"  # the same part, last year 16


def test_a_threshold_repeated_is_not_stale():
    history = records_from_text("二、学生培养\n\n学生参加雅思考试180人，6.5分及以上120人。", 2020, "reports/2020.md")
    graded = lambda text: [(f.grade, f.rule) for f in check_draft(text, 2021, history)]  # noqa: E731
    assert graded("二、学生培养\n\n学生参加雅思考试192人，6.5分及以上127人。") == []
    assert graded("二、学生培养\n\n学生参加雅思考试192人，达标人数120人。") == []  # no stale: not the same words


def test_a_figure_of_a_concept_is_compared_with_last_years_figure_of_that_concept_first():
    # last year's 中方 12 人 are supervisors the vocabulary does not name; 中方教师 55 人 are 任课教师
    history = records_from_text("三、师资队伍建设\n\n任课教师82人，其中中方教师55人、外籍教师27人。\n\n"
                                "研究生导师增至19人（中方12人、外方7人）。", 2023, "reports/2023.md")
    findings = check_draft("三、师资队伍建设\n\n学院任课教师共88人，中方58人，外方30人。", 2024, history)
    assert [f.rule for f in findings if f.rule.startswith("yoy")] == []
    findings = check_draft("三、师资队伍建设\n\n学院任课教师共88人，中方180人，外方30人。", 2024, history)
    assert any(f.rule == "yoy.jump" and f.related[0]["quote"].startswith("任课教师82人") for f in findings)
