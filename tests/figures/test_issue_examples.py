"""The four misses that opened issue #13, each found with its grade and arithmetic, against the real
2020 report as last year's report."""

from __future__ import annotations

import pytest

from assistant.figures import check_draft, records_from_text

from tests.conftest import REAL_REPORT

pytestmark = pytest.mark.skipif(not REAL_REPORT.exists(), reason="real 2020 report not available")


@pytest.fixture(scope="module")
def history():
    return records_from_text(REAL_REPORT.read_text(encoding="utf-8"), 2020, "reports/2020_self_assessment_report.txt")


def _only(findings, rule):
    found = [f for f in findings if f.rule == rule]
    assert len(found) == 1, [(f.rule, f.quote) for f in findings]
    return found[0]


def test_a_third_of_the_party_members_gone(history):
    draft = "二. 学生培养\n\n党团建设成果丰硕。学生党员 95 人，顺利拆分为 5 个支部。"
    f = _only(check_draft(draft, 2021, history), "yoy.change")
    assert (f.kind, f.grade, f.metric) == ("yoy_jump", "notice", "学生党员")
    assert f.arithmetic == "95 / 138 = 0.69（-31%）"
    assert f.reference["year"] == 2020 and f.reference["value"] == 138 and "学生党员增长到 138 人" in f.reference["quote"]
    (last_year,) = f.related
    assert last_year["role"] == "last_year" and last_year["source"] == "reports/2020_self_assessment_report.txt"


def test_further_study_parts_in_another_section(history):
    draft = ("二. 学生培养\n\n2021 届毕业生国内外读研深造率达 91.5%，海外深造率达 67.2%。\n\n"
             "八. 社会评价\n\n合作办学人才培养质量获得认可，国内深造率24.3%。")
    assert not [f for f in check_draft(draft, 2021, history) if f.kind == "sum"]  # 67.2 + 24.3 = 91.5
    draft = draft.replace("67.2%", "66.4%")
    f = _only(check_draft(draft, 2021, history), "sum.partition")
    assert (f.kind, f.grade) == ("sum", "error") and "91.5%" in f.quote
    assert f.arithmetic == "66.4% + 24.3% = 90.7%，草稿写 91.5%"
    assert [(r["role"], r["raw"], r["source"]) for r in f.related] == [("part", "66.4%", "draft"), ("part", "24.3%", "draft")]
    assert "国内深造率24.3%" in f.related[1]["quote"]


def test_consultations_down_from_660(history):
    draft = "二. 学生培养\n\n2021 年全年，学院学生发展指导中心开展一对一学业与留学咨询360余次。"
    f = _only(check_draft(draft, 2021, history), "yoy.change")
    assert (f.grade, f.arithmetic) == ("notice", "360 / 660 = 0.55（-45%）")
    assert f.reference["raw"] == "660 余次"


def test_teachers_total_and_the_categories_after_it(history):
    draft = ("三. 师资建设\n\n目前学院教师主要分为任课教师、毕业设计指导教师以及班级学术导师三种类型，"
             "2022年学院教师共计230人（不重复统计）。其中，任课教师 120 人，包含英方任课教师 35 人；"
             "此外还有毕设指导教师 98 人，学术指导教师 40 人。")
    (f,) = [f for f in check_draft(draft, 2022, history) if f.kind == "sum"]
    # bound by 不重复统计, or equal because last year's list added up (2020: 295 = 113 + 127 + 55)
    assert f.rule in ("sum.exceeds", "sum.last_year") and f.grade == "error" and "230人" in f.quote
    assert f.arithmetic == "120 人 + 98 人 + 40 人 = 258人，草稿写 230人"
    consistent = draft.replace("230人", "258人")
    assert not [g for g in check_draft(consistent, 2022, history) if g.kind == "sum"]
