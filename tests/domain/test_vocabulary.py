"""The vocabulary binds labels, clauses, questions and English notes to one concept and scope."""

from __future__ import annotations

import pytest

from assistant.domain import age_band, vocabulary
from assistant.domain.doctypes import ids, label


@pytest.mark.parametrize("text, concept, scope", [
    ("英方任课教师", "任课教师", {"side": "外方"}),
    ("任课教师", "任课教师", {}),
    ("教师共计", "教师", {}),
    # equally long 专任教师 and 教师队伍 share 教师: the kind (任课教师) beats the whole it is part of
    ("三年来专任教师队伍分别有多少人", "任课教师", {}),
    ("任课教师总数", "任课教师", {}),
    ("教师队伍", "教师", {}),
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
    assert vocabulary().expansion("学院的党员有多少") == ["党员", "党员总数", "中共党员", "共产党员"]
    assert "生师比" in vocabulary().expansion("What were the student-teacher ratios from 2020 to 2023?")


def test_doc_types_are_one_registry() -> None:
    assert ids() == ("report", "regulation", "data", "other")
    assert label("regulation") == "规章制度" and label("regulation", "en") == "regulation"


@pytest.mark.parametrize("question, read", [
    ("物流管理专业第一年招了多少学生？", "物流管理专业第一年招生了多少学生？"),  # 招 → 招生 / 招收: one concept
    ("2022年录了多少人？", "2022年录取了多少人？"),
    ("学生获了几项奖？", "学生获奖了几项奖？"),
    ("2023年用人单位对毕业生满意吗？", "2023年用人单位对毕业生满意度吗？"),  # a yes/no question about a measure
    ("毕业生是否就业？", "毕业生是否就业率？"),
    ("学生学了多少门课？", "学生学了多少门课？"),  # 学费 is no verb
    ("2022年学院一共招了多少新生？", "2022年学院一共招了多少新生？"),  # 新生 already names 招生
    ("学院招生多少人？", "学院招生多少人？"),
    ("学生满意度是多少？", "学生满意度是多少？"),
    ("2022年在校生对学院的满意程度是多少？", "2022年在校生对学院的满意度是多少？"),  # 度 is 程度
    ("学生对课程的难易程度怎么看？", "学生对课程的难易程度怎么看？"),  # 难易 measures nothing of the vocabulary
    # a total of things done up to a date is a running total (累计); a total of what there is stays
    ("截至2023年学院一共培养了多少本科毕业生？", "截至2023年学院累计培养了多少本科毕业生？"),
    ("截止到2022年，学院总共派出了多少交换生？", "截止到2022年，学院累计派出了多少交换生？"),
    ("截至2023年底学院一共有多少在校生？", "截至2023年底学院一共有多少在校生？"),
    ("2023年学院一共培养了多少本科毕业生？", "2023年学院一共培养了多少本科毕业生？"),  # no date it runs up to
    # 中外 before a noun in a question asking each (各, 分别) asks each side; a total of both stays
    ("2023年中外教师各有多少？", "2023年中方和外方教师各有多少？"),
    ("2022年中外学生分别有多少人？", "2022年中方和外方学生分别有多少人？"),
    ("2023年研究生导师有多少，中外方各几位？", "2023年研究生导师有多少，中方和外方各几位？"),  # jieba: 中 | 外方
    ("2023年中外方教师共有多少？", "2023年中外方教师共有多少？"),
    ("2023年中外教师共有多少？", "2023年中外教师共有多少？"),
    ("中外合作办学的学院有多少学生？", "中外合作办学的学院有多少学生？"),
])
def test_a_questions_spoken_forms_are_read_as_the_words_reports_write(question, read):
    assert vocabulary().read_question(question) == read


def test_a_dictionary_compound_of_terms_still_mentions_them() -> None:
    # jieba's own dictionary holds 招收新生 as one word; its halves are both terms, so both are mentions
    v = vocabulary()
    assert [(a, b, c.id) for a, b, c in v.mentions("学院招收新生")] == [(2, 4, "招生"), (4, 6, "招生")]
    # a term straddling two words of another compound is still no mention: 学费 in 教学·费用
    assert all(c.id != "学费" for _, _, c in v.mentions("教学费用"))


def test_training_names_teacher_training_only_when_it_is_the_teachers() -> None:
    """Students' in-company training (企业实训) is not 参加培训的教师: the English wording names teachers
    or staff with the training, as the concept counts them."""
    v = vocabulary()
    named = lambda text: {c.id for _, _, c in v.mentions(text)}  # noqa: E731
    assert "培训教师" not in named("How many students were sent to Germany for in-company training in 2024?")
    assert "培训教师" in named("How many teachers received training in 2023?")
    assert "培训教师" in named("the number of trained teachers")
    assert "培训教师" in named("teacher training")


def test_the_dual_system_is_read_as_the_chinese_reports_wording() -> None:
    """The German dual system of vocational training is 双元制 in Chinese reports, in English questions
    written dual-system, dual system or dual vocational training."""
    v = vocabulary()
    for question in ("What happened to the graduates of the dual-system class?", "How does the dual system work?",
                     "Is dual vocational training offered?"):
        assert "双元制" in v.expansion(question), question
    assert "双元制" not in v.expansion("How many graduates in 2024?")


def test_an_associate_professor_is_an_associate_senior_title() -> None:
    """Reports count teachers by title level (| 副高级 | 20 | 11 |); staff ask by the title (副教授)."""
    v = vocabulary()
    assert {c.id for _, _, c in v.mentions("2024年副教授级别的教师有多少")} >= {"副高级职称"}
    assert [c.id for _, _, c in v.mentions("副高级")] == ["副高级职称"]
    assert "副高级职称" not in {c.id for _, _, c in v.mentions("正高级职称教师21人")}
