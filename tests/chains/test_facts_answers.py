"""Figures as facts in answers: figure questions answered from the ledger before any model call, and
model answers verified by meaning (the fixed examples of the figures-as-facts issue)."""

from __future__ import annotations

from typing import Any

from assistant.chains import AnswerChain
from assistant.chains.lookup import asks, is_figure_question
from assistant.chains.verify import mismatch_message, verify_answer
from assistant.types import Chunk, SearchResult
from tests.chains.test_answer import FakeRetriever, events, fake_model
from tests.conftest import REAL_REPORT

_PARAGRAPHS = [p for p in REAL_REPORT.read_text(encoding="utf-8").split("\n") if p.strip()]


def _real(fragment: str, cid: str) -> Chunk:
    text = next(p for p in _PARAGRAPHS if fragment in p)
    return Chunk(text=text, source="reports/2020.txt", section="", year=2020, doc_type="report", id=cid)


DOCTORAL = _real("共招收 5 人", "doctoral")
DOCTORAL_STAFF = _real("任课教师 12 人", "doctoral-staff")
AWARDS = _real("国家级奖项 69", "awards")
STAFF = _real("共计 295 人", "staff")
LAW = Chunk(text="第十二条 申请设立中外合作办学机构的，投入的启动资金不得低于投资总额的百分之十五。"
                 "申请人应当自批准筹备之日起 3 年内提出正式设立申请；超过 3 年的，应当重新申报。"
                 "第二十条 修改章程，须经理事会三分之二以上组成人员同意；理事会中方组成人员不得少于三分之一。",
            source="regulations/条例.md", section="第二章 设立", year=None, doc_type="regulation", id="law")


def _answer(question: str, chunks: list[Chunk], *responses: str, **options: Any):
    model, recorder = fake_model(*(responses or ("不应被调用",)))
    out = events(AnswerChain(model, FakeRetriever(chunks), **options), question)
    return out, out[-1].answer, recorder


def test_figure_questions_are_answered_from_facts_without_the_model() -> None:
    cases = [
        ("双学位博士项目首届招收了多少名学生？", [DOCTORAL_STAFF, DOCTORAL], "5人", "12"),
        ("学生在创新创业比赛中获得国家级奖项多少人次？", [AWARDS], "69人次", "32"),
        ("学院共有多少名任课教师？", [STAFF], "113", "295"),
    ]
    for question, chunks, right, wrong in cases:
        out, answer, recorder = _answer(question, chunks)
        assert recorder.prompts == []  # no model call: the figure comes from the ledger
        assert answer.mode == "facts" and right in answer.answer and wrong not in answer.answer, answer.answer
        assert answer.answer.startswith("2020年，") and answer.answer.endswith("。")  # a sentence naming the year
        assert answer.citations and answer.unsupported_numbers == [] and answer.mismatches == []
        assert [e.kind for e in out] == ["token", "final"]  # streamed at once


def test_several_matching_facts_are_all_given() -> None:
    fees = Chunk(text="学院按批复标准收取学费：本科生人民币 68000 元/生·年，博士生 90000 元/生·年。", source="r.md",
                 section="六. 财务", year=2020, doc_type="report", id="fees")
    _, answer, _ = _answer("学院的学费标准是多少？", [fees])
    assert "68000" in answer.answer and "90000" in answer.answer and answer.mode == "facts"
    _, answer, _ = _answer("35岁以下的任课教师占多少？", [STAFF])
    assert "30.9%" in answer.answer and "35人" in answer.answer  # count and share


def test_model_figure_attached_to_another_metric_is_a_mismatch_then_the_passage_is_quoted() -> None:
    wrong = "双学位博士项目首届招收了12名学生[1]。"
    out, answer, recorder = _answer("双学位博士项目首届招收了多少名学生？", [DOCTORAL_STAFF, DOCTORAL], wrong, wrong,
                                    facts_first=False)
    assert len(recorder.prompts) == 2  # the strict retry
    assert "12名学生" not in answer.answer and "共招收 5 人" in answer.answer and answer.mode == "quote"
    assert answer.mismatches and answer.mismatches[0]["reason"] == "metric"
    assert "任课教师" in mismatch_message(answer.mismatches[0]) and "招生人数" in mismatch_message(answer.mismatches[0])


def test_verification_by_meaning_on_the_fixed_examples() -> None:
    def check(question: str, text: str, chunk: Chunk) -> tuple[bool, list[str]]:
        v = verify_answer(text, [SearchResult(chunk, 1.0)], question=question)
        return v.ok, [m["reason"] for m in v.mismatches] + (["unsupported"] if v.unsupported_numbers else [])

    assert check("学生在创新创业比赛中获得国家级奖项多少人次？", "32人次[1]", AWARDS) == (False, ["scope"])
    assert check("学生在创新创业比赛中获得国家级奖项多少人次？", "69人次[1]", AWARDS) == (True, [])
    assert check("学院共有多少名任课教师？", "295名任课教师[1]", STAFF) == (False, ["metric"])
    assert check("学院共有多少名任课教师？", "113名任课教师[1]", STAFF) == (True, [])
    assert check("启动资金不得低于资金投入的百分之几？", "百分之50[1]", LAW) == (False, ["unsupported"])
    assert check("启动资金不得低于资金投入的百分之几？", "百分之十五[1]", LAW) == (True, [])
    assert check("最迟多长时间内提出正式设立申请？", "4年[1]", LAW) == (False, ["unsupported"])
    assert check("修改章程需要多大比例同意？", "50%以上[1]", LAW) == (False, ["unsupported"])
    assert check("修改章程需要多大比例同意？", "三分之二以上[1]", LAW) == (True, [])
    ok, reasons = check("理事会中方组成人员不得少于多少？", "33.33%[1]", LAW)
    assert not ok and reasons == ["converted"]  # 1/3 is never rewritten as 33.33%
    ok, reasons = check("项目学制多少年？", "4年[1]", _real("学制 4-6 年", "x"))
    assert not ok and reasons == ["range"]  # a range is never shortened


def test_rules_are_answered_with_their_sentence() -> None:
    out, answer, recorder = _answer("启动资金不得低于资金投入的百分之几？", [LAW], "百分之50[1]。", "百分之50[1]。")
    assert "百分之50" not in answer.answer and "不得低于投资总额的百分之十五" in answer.answer and answer.mode == "quote"
    assert recorder.prompts == []  # a bound in a rule is quoted, not restated as a level
    out, answer, recorder = _answer("最迟多长时间内提出正式设立申请？", [LAW], "4年[1]。", "4年[1]。")
    assert "4年" not in answer.answer and "3 年内" in answer.answer  # the model's wrong figure is never shown


def test_what_a_question_asks() -> None:
    assert is_figure_question("学院共有多少名任课教师？") and not is_figure_question("年度自评报告应在什么时候之前提交？")
    got = [(a.concept, a.scope, a.unit) for a in asks("2020届毕业生的深造率是多少？出国和国内深造各占多少？")]
    assert got == [("深造", {}, "%"), ("深造", {"region": "海外"}, None), ("深造", {"region": "国内"}, None)]
    got = [(a.concept, a.scope, a.unit) for a in asks("2023年外方教师有多少人？占任课教师的比例是多少？")]
    assert got == [("教师", {"side": "外方"}, "人"), ("教师", {"side": "外方"}, "%")]
    assert asks("2020届毕业生直博多少人，直博比例是多少？")[0].concept == "直博"  # the head before 多少
    assert asks("What was the employment rate of the 2020 graduates?")[0].concept == "就业率"
    assert asks("2021年出境深造的学生占毕业生多少？")[0].unit == "%"  # 占… 多少 asks a share
    assert asks("学院校园占地多少亩？")[0].unit != "%" and asks("外方教师占多少人？")[0].unit != "%"
    assert [(a.concept, a.unit) for a in asks("2022年在校生与任课教师之比是多少？")] == [("生师比", "比")]
    assert asks("2022年与在校生之比是多少？")[0].unit == "比"  # a ratio: 在校生 1,050 人 does not answer it
    assert [a.scope for a in asks("2023年中外方教师各有多少人？")] == [{"side": "中方"}, {"side": "外方"}]
    assert [a.scope for a in asks("国内外读研深造率是多少？")] == [{}]  # without 各: the whole


def test_the_model_may_only_reword_around_fixed_figure_slots() -> None:
    good = "根据2022年报告[1]，学院在校生与任课教师之比，即生师比，为⟦2⟧。"
    out, answer, recorder = _answer("2022年的生师比是多少？", [Chunk(text="2022年，在校生与任课教师之比（生师比）为11.21。",
                                    source="r.md", section="三、师资", year=2022, doc_type="report", id="r")],
                                    good.replace("2022年", "⟦1⟧"), phrase_facts=True)
    assert [e.kind for e in out] == ["token", "reset", "token", "final"]  # the composed sentence first, at once
    assert answer.answer == "根据2022年报告[1]，学院在校生与任课教师之比，即生师比，为11.21。" and answer.mode == "facts"
    bad = "学院生师比约为 11.5[1]。"  # a figure of its own: the composed sentence stands
    _, answer, _ = _answer("2022年的生师比是多少？", [Chunk(text="2022年生师比为11.21。", source="r.md", section="",
                           year=2022, doc_type="report", id="r")], bad, phrase_facts=True)
    assert "11.5" not in answer.answer and "11.21" in answer.answer


def test_a_question_naming_another_figure_of_the_sentence_is_not_answered_with_the_concepts_figure() -> None:
    spending = Chunk(text="2022年学院支出合计7752.0万元，其中教学运行及外方教学费用4218.6万元，占54.4%；师资建设1590.4万元，"
                          "占20.5%；学生发展与奖助905.2万元，占11.7%。", source="r.md", section="六. 财务", year=2022,
                     doc_type="report", id="spending")
    _, answer, _ = _answer("2022年学生发展与奖助经费是多少？", [spending], "2022年，支出为7752.0万元[1]。")
    assert "7752.0" not in answer.answer.split("「")[0]  # never the total as the answer's own figure
    assert answer.mode == "quote" and "905.2万元" in answer.answer  # the sentence that states it, quoted
    online = Chunk(text="2022年，学院任课教师122人，其中外方教师43人。随着国际往来逐步恢复，43名外方教师中有29人来院现场授课，"
                        "其余14人继续采用线上方式授课。", source="r.md", section="三. 师资", year=2022, doc_type="report", id="online")
    _, answer, _ = _answer("2022年继续线上方式授课的外方教师有多少人？", [online], "2022年，外方教师为43名[1]。")
    assert answer.mode == "quote" and "14人" in answer.answer and not answer.answer.startswith("2022年，外方教师为43")


def test_an_answer_that_only_gives_back_the_questions_own_number_is_not_verified() -> None:
    visits = _real("派出 9 名教师", "visits")
    question = "2020年派出 9 名教师前往格拉斯哥大学开展的教学培训为期多少个月？"
    _, answer, _ = _answer(question, [visits], "2020年派出9 名教师[1]。", "为期9 名[1]。")
    assert answer.mode == "quote" and "5 个月" in answer.answer  # the sentence itself, not the echo as an answer
    # the same number in another unit is an answer, not an echo: 35 人 for "35岁以下…多少人"
    check = verify_answer("35岁以下任课教师为35 人[1]。", [SearchResult(STAFF, 1.0)], question="35岁以下任课教师有多少人？")
    assert check.ok, check


def test_a_verb_of_several_senses_is_not_a_concept() -> None:
    # 派出 sends teachers and students alike: 学院派出了多少人 is answered by what 派出 labels (1 名优秀教师),
    # never by the students abroad of the other passage (102 名, labelled by other words)
    teachers, students = _real("学院派出1名优秀教师", "teachers"), _real("2020 年组织 102 名学生", "students")
    _, answer, recorder = _answer("2020年学院派出了多少人？", [teachers, students], "2020年，学院派出102名[1]。")
    assert "1名" in answer.answer and "102" not in answer.answer.split("「")[0], answer.answer
    assert not answer.answer.startswith("2020年，学生海外交流为102")
    # a question naming the concept by the fact's own label is still answered from the facts
    _, answer, _ = _answer("2020年组织多少名学生参与格大线上暑期科研项目？", [students])
    assert answer.mode == "facts" and "102" in answer.answer, answer.answer


def test_a_word_found_only_inside_a_longer_term_of_another_concept_is_not_that_concept() -> None:
    jobs = Chunk(text="2021 届毕业生 268 人，就业率（毕业去向落实率）为 95.52%。", source="r.md", section="七. 就业",
                 year=2021, doc_type="report", id="jobs")
    _, answer, _ = _answer("2021年落实率是多少？", [jobs], "2021年，落实率为95.52%[1]。")
    assert answer.mode == "quote" and not answer.answer.startswith("2021年，就业率")
    _, answer, _ = _answer("2021年毕业去向落实率是多少？", [jobs])  # named as the report names it
    assert answer.mode == "facts" and "95.52%" in answer.answer


ADMISSIONS = Chunk(text="2023年学院录取新生395人，较上年的310人增长27.4%，增长的主要原因是新增专业首年招生90人。",
                   source="reports/2023.md", section="一、办学基本情况", year=2023, doc_type="report", id="admissions")
STAFF_CHANGE = Chunk(text="目前学院共有任课教师136人，比上年增加18人，增幅15.3%。", source="reports/2023.md",
                     section="三、师资建设", year=2023, doc_type="report", id="staff-change")
EQUIPMENT = Chunk(text="仪器设备与信息化支出842万元，增长29.3%，主要用于新专业实验室建设。", source="reports/2023.md",
                  section="六、财务管理", year=2023, doc_type="report", id="equipment")


def test_a_change_is_answered_as_a_change_of_its_concept() -> None:
    _, answer, recorder = _answer("2023年学院录取新生较上年增长多少？", [ADMISSIONS])
    assert recorder.prompts == [] and answer.mode == "facts"
    assert answer.answer == "2023年，招生人数增长27.4%[1]。"  # a growth rate of admissions, not a level
    _, answer, _ = _answer("2023年任课教师比上年增加多少人？", [STAFF_CHANGE])
    assert answer.mode == "facts" and "任课教师比上年增加18人" in answer.answer and "136" not in answer.answer
    _, answer, _ = _answer("2023年任课教师增幅是多少？", [STAFF_CHANGE])
    assert answer.mode == "facts" and "15.3%" in answer.answer and "136" not in answer.answer


def test_a_question_that_names_only_a_change_gets_the_sentences() -> None:
    # which figure grew is not said: composing "增长为27.4%" would pick one of two
    _, answer, recorder = _answer("2023年增长是多少？", [EQUIPMENT, ADMISSIONS])
    assert recorder.prompts == [] and answer.mode == "quote"
    assert "29.3%" in answer.answer and "27.4%" in answer.answer


def test_last_years_level_quoted_for_a_comparison_is_last_years_fact() -> None:
    from assistant.figures.facts import facts_from_text

    facts = {f.raw: f for f in facts_from_text(ADMISSIONS.text, year=2023)}
    assert (facts["310人"].metric, facts["310人"].year, facts["310人"].delta) == ("招生", 2022, False)
    assert (facts["27.4%"].metric, facts["27.4%"].delta) == ("招生", True)
    v = verify_answer("2023年学院录取新生310人[1]。", [SearchResult(ADMISSIONS, 1.0)], question="2023年录取新生多少人？")
    assert not v.ok and v.mismatches[0]["reason"] == "year"
    question = "2023年学院有多少任课教师？"
    v = verify_answer("2023年学院共有任课教师18人[1]。", [SearchResult(STAFF_CHANGE, 1.0)], question=question)
    assert not v.ok and v.mismatches[0]["reason"] == "metric"  # the change (比上年增加 18 人) stated as the level
    assert verify_answer("2023年任课教师比上年增加18人[1]。", [SearchResult(STAFF_CHANGE, 1.0)], question=question).ok


def test_graduates_with_a_destination_are_not_graduates() -> None:
    chunk = Chunk(text="2022 届 243 名毕业生中，已落实毕业去向 229 人，毕业去向落实率 94.24%。", source="reports/2022.txt",
                  section="七", year=2022, doc_type="report", id="destinations")
    v = verify_answer("2022届毕业生229人[1]。", [SearchResult(chunk, 1.0)], question="2022年毕业生有多少人？")
    assert not v.ok and v.mismatches[0]["reason"] == "metric"
    _, answer, _ = _answer("2022年毕业生中有多少人？", [chunk])
    assert answer.mode == "facts" and "243" in answer.answer and "229" not in answer.answer


def test_a_survey_figure_says_whose_it_is() -> None:
    employers = Chunk(text="学院委托第三方机构对用人单位开展调查，共收回有效问卷 97 份，其中 92 家单位表示满意，满意度 94.8%。",
                      source="reports/2022.txt", section="五、社会评价", year=2022, doc_type="report", id="employers")
    students = Chunk(text="在校生满意度调查收回有效问卷 918 份，满意人数 851 人，满意度为 92.7%。", source="reports/2022.txt",
                     section="五、社会评价", year=2022, doc_type="report", id="students")
    _, answer, _ = _answer("2022年用人单位满意度是多少？", [employers, students])
    assert answer.mode == "facts" and answer.answer == "2022年，用人单位满意度为94.8%[1]。"
    _, answer, _ = _answer("2022年在校生满意度是多少？", [employers, students])
    assert answer.mode == "facts" and "在校生满意度为92.7%" in answer.answer and "94.8" not in answer.answer
    _, answer, _ = _answer("2022年满意度是多少？", [students])  # whose is not asked: the sentence says it
    assert answer.mode == "quote" and "在校生满意度调查" in answer.answer


def test_a_ratio_is_one_figure() -> None:
    from assistant.figures.facts import facts_from_text

    assert [f.raw for f in facts_from_text("按在校生909人计算，生师比为11.4:1。生师比 12.1∶1。", year=2022)] == \
        ["909人", "11.4", "12.1"]


def test_graduates_without_a_destination_are_their_own_figure() -> None:
    chunk = Chunk(text="2024届毕业生217名，毕业去向落实209名，落实率96.31%；对未落实去向的8名毕业生，学院安排专人跟踪帮扶。",
                  source="reports/2024.md", section="七", year=2024, doc_type="report", id="placed")
    _, answer, _ = _answer("2024年未落实去向的毕业生有多少人？", [chunk])
    assert "8名" in answer.answer and "209" not in answer.answer


def test_the_stock_is_asked_unless_the_flow_is_named() -> None:
    staff = Chunk(text="学院任课教师共计 118 人，外方教师 44 人、中方教师 74 人。", source="reports/2022.txt", section="三",
                  year=2022, doc_type="report", id="staff22")
    hires = Chunk(text="2022 年新聘中方教师 8 人，其中 3 人来自荷兰、比利时高校博士后岗位。", source="reports/2022.txt",
                  section="三", year=2022, doc_type="report", id="hires22")
    _, answer, _ = _answer("2022年中方教师有多少人？", [hires, staff])
    assert answer.mode == "facts" and "74人" in answer.answer and "8人" not in answer.answer
    _, answer, _ = _answer("2022年新聘中方教师多少人？", [hires, staff])
    assert answer.mode == "facts" and "8人" in answer.answer and "74" not in answer.answer


def test_a_question_naming_no_figure_gets_the_sentence() -> None:
    chunk = Chunk(text="学历与职称方面，96 名教师拥有博士学位，比例为 81.4%；正高级职称教师 28 人，占 23.7%。",
                  source="reports/2022.txt", section="三", year=2022, doc_type="report", id="degrees")
    _, answer, recorder = _answer("2022年比例是多少？", [chunk])  # 比例 of what: not said
    assert recorder.prompts == [] and answer.mode == "quote" and "81.4%" in answer.answer


def test_some_of_a_population_asked_without_saying_which_gets_the_sentence() -> None:
    chunk = Chunk(text="2022年学院有任课教师80人，其中外方教师28人。外方教师中有7人具有十年以上企业工作经历。",
                  source="reports/2022.md", section="三", year=2022, doc_type="report", id="staff22")
    _, answer, recorder = _answer("2022年外方教师中有多少人？", [chunk])
    assert recorder.prompts == [] and answer.mode == "quote" and "7人" in answer.answer  # not "外方教师为28人"
    _, answer, _ = _answer("2022年外方教师有多少人？", [chunk])
    assert answer.mode == "facts" and "28人" in answer.answer and "7人" not in answer.answer


def test_a_model_figure_that_nothing_names_is_not_verified() -> None:
    chunk = Chunk(text="学院设有两个系，开设三个本科专业。", source="reports/2024.md", section="一", year=2024,
                  doc_type="report", id="units")
    v = verify_answer("2024年学院由有多少个为三个[1]。", [SearchResult(chunk, 1.0)], question="2024年学院由有多少个？")
    assert not v.ok  # 三个 is in the passage, but the answer and the question name no figure it could be
    v = verify_answer("2024年学院开设三个本科专业[1]。", [SearchResult(chunk, 1.0)], question="2024年学院开设了几个本科专业？")
    assert v.ok


def test_words_that_also_label_a_figure_in_another_unit_get_the_sentence() -> None:
    chunk = Chunk(text="全院开设专业核心课程42门，其中从外方大学引进16门；核心课程合计2688学时，由外方教师讲授1056学时。",
                  source="reports/2022.md", section="二", year=2022, doc_type="report", id="courses")
    _, answer, _ = _answer("2022年核心课程合计是多少？", [chunk])  # 42 门 or 2688 学时: not said
    assert answer.mode == "quote" and "2688学时" in answer.answer
    _, answer, _ = _answer("2022年开设了多少门专业核心课程？", [chunk])
    assert answer.mode == "facts" and "42门" in answer.answer


def test_a_figure_named_only_by_a_short_label_is_shown_with_its_sentence() -> None:
    """满意 65 家 says what it counts only with its sentence (回访用人单位…): another passage may use the same word
    for another figure (满意 861 份 of a student survey)."""
    survey = Chunk(text="回访用人单位68家，满意65家，满意度95.6%，提高0.4个百分点。", source="reports/2024.md",
                   section="五、社会评价", year=2024, doc_type="report", id="survey")
    staff = Chunk(text="年末任课教师76人，其中中方58人、外方18人，外方教师占23.7%。", source="reports/2024.md",
                  section="三、师资队伍建设", year=2024, doc_type="report", id="staff24")
    _, answer, _ = _answer("2024年满意是多少？", [survey], "2024年满意为5家[1]。")
    assert answer.mode == "quote" and "65家" in answer.answer and "5家" not in answer.answer.replace("65家", ""), answer.answer
    # only a side asked: of what is not said (中方 58 人 of 任课教师 here, 中方 5 名 of the board elsewhere)
    _, answer, _ = _answer("2024年中方有多少人？", [staff])
    assert answer.mode == "quote" and "58人" in answer.answer, answer.answer
    _, answer, _ = _answer("2024年中方任课教师有多少人？", [staff])
    assert answer.mode == "facts" and "中方任课教师" in answer.answer and "58人" in answer.answer, answer.answer


def test_an_answer_naming_only_a_side_is_not_verified() -> None:
    passage = [SearchResult(Chunk(text="本年度新进中方专业教师4人，均具有3年以上企业工作经历。", source="r.md", section="",
                                  year=2022, doc_type="report"), 1.0)]
    assert not verify_answer("2022年中方有多少人为4名[1]。", passage, question="2022年中方有多少人？").ok
    assert verify_answer("2022年新进中方专业教师为4人[1]。", passage, question="2022年新进中方专业教师有多少人？").ok
    levels = [SearchResult(Chunk(text="大学生创新创业训练计划立项31项，国家级8项、省级23项。", source="r.md", section="",
                                 year=2022, doc_type="report"), 1.0)]
    assert verify_answer("2022年国家级为8项[1]。", levels, question="2022年国家级是多少？").ok  # the passage's own label
