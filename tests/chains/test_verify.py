"""Verification of generated answers: markers, figures, renumbering, not-found answers."""

from __future__ import annotations

import pytest

from assistant.chains.verify import (
    figures_in,
    markers_in,
    normalise_markers,
    says_not_found,
    same_figure,
    verify_answer,
)
from assistant.types import Chunk, SearchResult
from tests.conftest import REAL_REPORT


def results(*texts: str, year: int | None = 2020) -> list[SearchResult]:
    return [SearchResult(Chunk(text=t, source=f"doc{i}.txt", section=f"S{i}", year=year, doc_type="report", page=i),
                         1.0 / i) for i, t in enumerate(texts, 1)]


def test_marker_variants_are_normalised() -> None:
    assert normalise_markers("见【1】与[2, 3]及[1-3]、[ 4 ]和[1、2]") == "见[1]与[2][3]及[1][2][3]、[4]和[1][2]"
    assert markers_in("a [2] b [10] c [2]") == [2, 10, 2]


def test_figures_exclude_markers_and_list_numbering() -> None:
    text = "1. 生师比为 6.91 [1]\n2. 任课教师 113 人 [2]\n（3）英方教师 33 人"
    assert [raw for raw, *_ in figures_in(text)] == ["6.91", "113 人", "33 人"]
    # positions point into the original text
    for raw, _value, start, end in figures_in(text):
        assert text[start:end] == raw


@pytest.mark.parametrize(("a", "b"), [("96.81%", "96.81 %"), ("6万元", "60000 元"), ("六万", "60000"),
                                      ("1,600 余人次", "1600"), ("三分之一", "三分之一")])
def test_normalised_forms_match(a: str, b: str) -> None:
    passage = results(f"相关指标为{b}。")
    v = verify_answer(f"该指标为{a}[1]。", passage)
    assert v.unsupported_numbers == [], (a, b)
    assert v.citations and v.citations[0]["quote"] == passage[0].chunk.text


def test_percentage_matches_its_fraction_only_across_forms() -> None:
    assert same_figure("96.81%", 96.81, "0.9681", 0.9681)
    assert not same_figure("96.81", 96.81, "0.9681", 0.9681)


def test_number_not_in_cited_passage_is_unsupported() -> None:
    v = verify_answer("就业率为 97.2% [1]。", results("就业率为 96.81%。", "深造率达 90.7%。"))
    assert v.unsupported_numbers == ["97.2%"] and not v.ok


def test_number_in_other_retrieved_passage_is_cited_automatically() -> None:
    v = verify_answer("就业率为 96.81% [1]，深造率为 90.7%。", results("就业率为 96.81%。", "深造率达 90.7%。"))
    assert v.ok and v.auto_cited == [1]
    assert v.text == "就业率为 96.81% [1]，深造率为 90.7%[2]。"
    assert [c["source"] for c in v.citations] == ["doc1.txt", "doc2.txt"]


def test_answer_without_markers() -> None:
    rs = results("学院有教师 295 人。", "生师比为 6.91。")
    v = verify_answer("生师比是 6.91。教师共 295 人。", rs)
    assert v.text == "生师比是 6.91[1]。教师共 295 人[2]。"
    assert [c["quote"] for c in v.citations] == ["生师比为 6.91。", "学院有教师 295 人。"]
    untraceable = verify_answer("生师比是 5.5。", rs)
    assert untraceable.unsupported_numbers == ["5.5"] and untraceable.citations == []


def test_question_years_and_chunk_year_are_not_unsupported() -> None:
    v = verify_answer("2019 年的生师比为 7.2 [1]。", results("生师比为 7.2。", year=2019), question="2019年的生师比？")
    assert v.ok
    v = verify_answer("2019 年生师比为 7.2 [1]。", results("生师比为 7.2。", year=2019))
    assert v.ok  # the cited passage's year
    v = verify_answer("2017 年生师比为 7.2 [1]。", results("生师比为 7.2。", year=2019))
    assert v.unsupported_numbers == ["2017 年"]


def test_invalid_markers_removed_and_renumbered() -> None:
    rs = results("甲 10 人。", "乙 20 人。", "丙 30 人。")
    v = verify_answer("丙 30 人 [3][9]，甲 10 人 [1] [0]。", rs)
    assert v.text == "丙 30 人 [1]，甲 10 人 [2]。"
    assert v.invalid_markers == [9, 0]
    assert [(c["n"], c["quote"]) for c in v.citations] == [(1, "丙 30 人。"), (2, "甲 10 人。")]


def test_not_found_answers() -> None:
    for text in ("知识库中未找到相关内容。", "资料中没有提及该数据。", "The knowledge base does not contain this.",
                 "The passages do not contain the tuition fee."):
        assert says_not_found(text)
        v = verify_answer(text, results("无关内容 5 项。"))
        assert v.not_found and v.citations == [] and v.text == text
    assert not says_not_found("生师比为 6.91 [1]。")
    v = verify_answer("资料中没有提到食堂的信息 [1]。", results("无关内容 5 项。"))
    assert v.not_found and v.citations == [] and v.text == "资料中没有提到食堂的信息。"
    # a "not found" phrase next to a figure that a passage holds is an answer after all
    v = verify_answer("资料中没有提到研究生，本科生就业率为 96.81% [1]。", results("本科生就业率为 96.81%。"))
    assert not v.not_found and v.ok


def test_idiomatic_chinese_numerals_are_not_figures() -> None:
    v = verify_answer("学院坚持一流标准，开展一对一咨询 660 余次 [1]。", results("开展一对一咨询 660 余次。"))
    assert v.ok


def test_figures_of_the_real_report_verify_against_their_paragraph() -> None:
    paragraphs = [p for p in REAL_REPORT.read_text(encoding="utf-8").split("\n") if "96.81%" in p or "元/生·年" in p]
    assert len(paragraphs) == 2
    rs = results(*paragraphs)
    v = verify_answer("2020 届毕业生就业率达 96.81%以上 [1]；本科生学费为 60000元/生·年 [2]，即 6万元。", rs)
    assert v.ok, v.unsupported_numbers
    assert [c["quote"] for c in v.citations] == paragraphs


def test_thousands_separators_the_report_does_not_use_are_removed() -> None:
    v = verify_answer("The fee is 60,000 yuan per year [1]; 1,600 visits [2].", results("学费 60000 元/生·年。", "共 1,600 余人次。"))
    assert v.text == "The fee is 60000 yuan per year [1]; 1,600 visits [2]." and v.ok
    # a grouped figure not in the sources stays as written (and is unsupported)
    assert verify_answer("It is 70,000 yuan [1].", results("学费 60000 元。")).unsupported_numbers == ["70,000"]


def test_merged_multi_year_answer_numbers_citations_across_parts() -> None:
    from assistant.chains.verify import merge_verifications

    shared = results("生师比为 7.2。", "生师比为 7.8。", year=2019)
    first = verify_answer("2018 年为 7.8 [2]。", shared)
    second = verify_answer("2019 年为 7.2 [1]，此前为 7.8 [2]。", shared)
    merged = merge_verifications([first, second])
    assert merged.text == "2018 年为 7.8 [1]。\n2019 年为 7.2 [2]，此前为 7.8 [1]。"
    assert [(c["n"], c["quote"]) for c in merged.citations] == [(1, "生师比为 7.8。"), (2, "生师比为 7.2。")]


def test_a_figure_counted_in_another_unit_is_not_supported() -> None:
    v = verify_answer("科研经费总额为 1496 人次 [1]。", results("2023 年末在校生 1496 人。"))
    assert v.unsupported_numbers == ["1496 人次"] and not v.ok
    # the same unit under another name, a multiplier, or no unit on one side still match
    assert verify_answer("任课教师 113 名 [1]。", results("任课教师 113 人。")).ok
    assert verify_answer("学费 6万元 [1]。", results("学费 60000 元/生·年。")).ok
    assert verify_answer("生师比为 6.91 [1]，就业率 96.81% [1]。", results("生师比 6.91，就业率 96.81%。")).ok


SURVEYS = ("本年度对在校生开展满意度调查，有效问卷842份，表示满意的781人，满意度92.8%。"
           "面向接收毕业生的企业发放问卷，回收有效问卷76份，其中71家表示满意，用人单位满意度93.4%。")


@pytest.mark.parametrize("answer, ok", [
    ("在校生满意度为93.4%[1]。", False),  # 93.4% is the employers' figure; the students' is 92.8%
    ("在校生满意度为92.8%[1]。", True),
    ("用人单位满意度为93.4%[1]。", True),
    ("用人单位满意度为92.8%[1]。", False),
])
def test_a_figure_is_checked_against_the_figure_its_words_name(answer: str, ok: bool) -> None:
    """Both rates are 满意度 of this year: what the answer says beyond the metric (在校生, 用人单位) decides
    which of them it states."""
    v = verify_answer(answer, results(SURVEYS, year=2022), question="满意度是多少？")
    assert v.ok is ok
    if not ok:
        assert v.mismatches and v.mismatches[0]["reason"] == "metric"


def test_party_members_all_students_and_staff_are_three_figures() -> None:
    passage = results("学院党委下设党支部7个（学生党支部5个、教工党支部2个），党员139名，其中学生党员103名、教职工党员36名；"
                      "本年度发展学生党员27名。", year=2022)
    for answer, ok in [("学生党员为103名[1]。", True), ("学生党员为139名[1]。", False), ("党员为139名[1]。", True),
                       ("学生党员为27名[1]。", False), ("学生党支部为5个[1]。", True), ("学生党支部为7个[1]。", False),
                       ("教工党员为36名[1]。", True), ("党员为36名[1]。", False)]:
        assert verify_answer(answer, passage, question="党员有多少？").ok is ok, answer


def test_a_word_inside_a_longer_term_does_not_name_the_figure() -> None:
    # 满意 is 满意 893 份's own word; in 在校生满意度调查回收有效问卷 945 份 it is part of 满意度
    passage = results("在校生满意度调查回收有效问卷945份，满意893份，满意度94.5%。", year=2023)
    assert not verify_answer("2023年满意的为945份[1]。", passage, question="2023年满意的有多少份？").ok
    assert verify_answer("2023年满意的为893份[1]。", passage, question="2023年满意的有多少份？").ok


def test_a_running_total_is_not_the_years_figure() -> None:
    passage = results("全年派出交换生72人，同比增长18.0%，累计派出235人。", year=2024)
    asked = "2024年全年派出交换生有多少人？"
    assert not verify_answer("2024年全年派出交换生为235人[1]。", passage, question=asked).ok
    assert verify_answer("2024年全年派出交换生为72人[1]。", passage, question=asked).ok
    assert verify_answer("累计派出235人[1]。", passage, question="累计派出交换生有多少人？").ok
