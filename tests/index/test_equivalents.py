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


def test_a_rise_asked_as_zhang_meets_the_report_writing_zengzhang():
    """涨 (涨了多少) is 增长, 涨幅 is 增幅: staff say it, reports write the other."""
    assert equate("2023年学生资助和交流经费涨了多少？") == "2023年学生资助和交流经费增长了多少？"
    assert equate("学费上涨，涨幅3%") == "学费上增长，增幅3%"
    index = KeywordIndex(["学生资助与交流支出增长较多，增幅41.1%。", "学生资助与交流支出850.0万元，占9.2%。"])
    rise, amount = index.scores("学生资助和交流经费涨了多少？")
    assert rise > amount


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


def test_full_width_digits_are_the_ascii_figures_a_question_types():
    from assistant.index.keyword import tokenize

    assert "95.2" in tokenize("用人单位满意度为９５．２％，较上年提高０．６个百分点")
    index = KeywordIndex(["回访用人单位62家，用人单位满意度为９５．２％。", "回访用人单位62家，用人单位满意度为94.6%。"])
    full_width, other = index.scores("满意度95.2%是哪一年的？")
    assert full_width > other


def test_staff_wordings_meet_the_report_wordings():
    """老师 is 教师 and 雇主 is 用人单位 to keyword search; 进账 is 收入, 收支相抵 is 结余, 学生与老师的比例 is 生师比."""
    assert equate("外籍老师12人，雇主满意") == "外方教师12人，用人单位满意"
    assert "生师比" in expansion_terms("2022年学生与老师的比例是多少？")
    assert "结余" in expansion_terms("2024年收支相抵还剩多少？")
    assert "收入" in expansion_terms("2022年项目一共进账多少钱？")
    index = KeywordIndex(["回访用人单位62家，59家表示满意，用人单位满意度为95.2%。",
                          "学生问卷有效回收865份，满意808份，学生满意度93.4%。"])
    employer, student = index.scores("雇主对毕业生的满意率是多少？")
    assert employer > student


def test_by_the_end_of_a_year_a_total_of_graduates_is_the_running_total():
    assert "累计" in vocabulary().read_question("到2024年底项目一共培养了多少毕业生？")
    assert "累计" not in vocabulary().read_question("2024年项目一共培养了多少毕业生？")


def test_the_words_pointing_at_the_report_are_no_keywords():
    """报告里提到 says where to look: every cover page says 报告, and it must not win for that."""
    from assistant.index.keyword import without_document_reference

    assert "报告" not in without_document_reference("2024年报告里提到项目有哪些不足？")
    assert without_document_reference("学术报告会举办了几场？") == "学术报告会举办了几场？"
    index = KeywordIndex(["2024年度自评报告", "存在的问题：一是外方教师流动性较大。"], ["", "四、存在的问题与改进方向"])
    cover, problems = index.scores("报告里提到有哪些不足？")
    assert cover == 0 and problems > 0


def test_pass_rates_and_going_abroad_to_study_are_named_as_reports_write_them():
    assert equate("AHK考试的合格率") == "AHK考试的通过率"
    assert vocabulary().concept_in("AHK结业考试通过率93.3%", "%")[0].id == "考试通过率"
    assert vocabulary().concept_in("抽查试卷不合格率1.5‰") is None  # a failure rate is no pass rate
    assert "深造" in expansion_terms("2023年出国读书的毕业生为什么变多？")


def test_foreign_staff_written_either_way_are_one_word():
    """外籍 is 外方 (as terms.toml [normalise] reads labels): 外籍老师 asks for the 外方教师 a report states."""
    assert equate("外籍老师人数") == "外方教师人数"
    index = KeywordIndex(["年末任课教师76人，其中中方58人、外方18人，外方教师占23.7%。",
                          "年末任课教师76人，其中中方58人、新进18人，新进教师占23.7%。"])
    foreign, other = index.scores("外籍老师人数和比例？")
    assert foreign > other


def test_money_spent_asked_in_spoken_words_is_the_spending_reports_write():
    assert equate("2022年项目花了多少钱？") == "2022年项目支出多少钱？"
    index = KeywordIndex(["2022年项目收入2,300.0万元，支出2,180.0万元。", "2022年项目收入构成见表3。"])
    spending, income_only = index.scores("2022年项目花了多少钱？")
    assert spending > income_only


def test_building_together_is_the_joint_building_reports_write():
    assert equate("和企业一起建了什么") == "和企业共建了什么"
    index = KeywordIndex(["项目与12家合作企业共建智能制造产业学院。", "项目与12家合作企业签订订单班协议。"])
    joint, other = index.scores("项目和企业一起建了什么？")
    assert joint > other
