"""The vocabulary binds labels, clauses, questions and English notes to one concept and scope."""

from __future__ import annotations

import pytest

from assistant.domain import age_band, vocabulary
from assistant.domain.doctypes import ids, label


@pytest.mark.parametrize("text, concept, scope", [
    ("英方任课教师", "任课教师", {"side": "外方"}),
    ("任课教师", "任课教师", {}),
    ("教师共计", "教师", {}),
    ("国内外读研深造率", "深造", {}),  # 国内外 names the whole: neither 国内 nor 海外
    ("出国（境）深造率", "深造", {"region": "海外"}),
    ("国内深造率", "深造", {"region": "国内"}),
    ("获得博士学位的教师", "博士学位教师", {}),  # a degree, not the doctoral programme
    ("博士生导师", "博士生导师", {}),  # 博士生 inside the concept word is not a programme scope
    ("双学位博士项目首届招收", "招生", {"programme": "博士"}),
    ("国家级奖项", "竞赛获奖", {"level": "国家级"}),
    ("36-45 岁任课教师", "任课教师", {"age": "36-45"}),
    ("在校生与任课教师之比（生师比）", "生师比", {}),
    ("Teaching staff: 120, of which 35 from the partner university", "任课教师", {"side": "外方"}),
    ("thesis supervisors", "毕设指导教师", {}),
    ("student-teacher ratio", "生师比", {}),
    ("overseas further study rate", "深造", {"region": "海外"}),
])
def test_binding(text: str, concept: str, scope: dict) -> None:
    vocab = vocabulary()
    found = vocab.concept_in(text)
    assert found is not None and found[0].id == concept
    assert vocab.scope_in(text, [found[1]]) == scope


def test_unit_decides_between_concepts() -> None:
    vocab = vocabulary()
    # "外方教师承担 13 门" is about courses: 教师 does not count 门
    assert vocab.concept_in("外方教师承担", "门") is None
    assert vocab.concept_in("外方教师承担", "人")[0].id == "教师"


def test_parent_relation_and_labels() -> None:
    vocab = vocabulary()
    assert vocab.is_part_of("英语课程教师", "教师")
    assert not vocab.is_part_of("教师", "任课教师")
    assert vocab.label_of("就业率") == "毕业去向落实率"


def test_age_bands() -> None:
    assert age_band("35 岁以下") == "≤35"
    assert age_band("35岁及以下") == "≤35"
    assert age_band("46岁及以上") == "≥46"
    assert age_band("aged 36-45") == "36-45"
    assert age_band("under 35") == "≤35"
    assert age_band("35 人") is None


def test_expansion_maps_english_to_chinese_terms() -> None:
    terms = vocabulary().expansion("What was the employment rate in 2022?")
    assert "毕业去向落实率" in terms and "就业率" in terms
    assert vocabulary().expansion("学院的党员有多少") == ["学生党员", "党员"]
    assert "生师比" in vocabulary().expansion("What were the student-teacher ratios from 2020 to 2023?")


def test_doc_types_are_one_registry() -> None:
    assert ids() == ("report", "regulation", "data", "other")
    assert label("regulation") == "规章制度" and label("regulation", "en") == "regulation"
