"""Keyword search reads the vocabulary's equivalent wordings as one (terms.toml ``[search]``), and English
questions about student feedback reach the Chinese wordings of it (a topic concept)."""

from __future__ import annotations

from assistant.domain import vocabulary
from assistant.index.keyword import KeywordIndex, equate, expansion_terms


def test_year_end_is_one_word_however_it_is_written():
    assert equate("至2024年底，学院累计毕业生783人") == "至2024年末，学院累计毕业生783人"
    assert ("年底", "年末") in vocabulary().equivalents
    index = KeywordIndex(["截至年末，学院共有实验室46间。", "截至年初，学院共有实验室46间。"])
    year_end, year_start = index.scores("年底有多少实验室？")
    assert year_end > year_start
    assert list(index.scores("年末有多少实验室？")) == [year_end, year_start]  # either wording, the same scores


def test_an_english_question_about_suggestions_is_expanded_to_the_chinese_wordings():
    terms = expansion_terms("In 2022, what did the student suggestions that were not yet implemented concern?")
    assert "意见建议" in terms
    assert "意见建议" not in expansion_terms("How many students were enrolled in 2022?")
    index = KeywordIndex(["学院组织学生座谈会8次，收集意见建议57条，未落实的5条主要涉及实验室开放时间。",
                          "学院组织学生参加竞赛8次，获奖57人次，主要涉及机械设计大赛。"])
    feedback, other = index.scores("What did the student suggestions mainly concern in 2022?")
    assert feedback > other


def test_a_vocabulary_term_with_latin_letters_stays_one_token_as_the_lower_cased_text_is_cut():
    from assistant.index.keyword import tokenize

    assert "cti认证" in tokenize("6月，学院三个本科专业均通过CTI认证。")
    assert "celta教师" in tokenize("具有CELTA教师资格的外方教师12人")


def test_the_french_engineering_accreditation_is_the_cti_accreditation_reports_write():
    assert "cti认证" in expansion_terms("2023年法国工程师认证的结果如何？")
    index = KeywordIndex(["6月，学院三个本科专业均通过CTI认证，专家组提出的意见列成清单。",
                          "6月，学院三个本科专业均通过教学评估，专家组提出的意见列成清单。"])
    cti, other = index.scores("法国工程师认证的结果如何？")
    assert cti > other
