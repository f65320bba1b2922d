"""Notes → facts bound to the vocabulary, and update mode's note → figure matching by concept and scope."""

from __future__ import annotations

from assistant.drafting import DraftDeps, draft_section, read_notes
from assistant.drafting.update import note_score, own_qualifier
from assistant.figures import extract_figures


def _facts(text: str) -> list[tuple]:
    return [(f.label, f.value, f.concept, dict(f.scope)) for n in read_notes(text) for f in n.facts]


def test_chinese_and_english_notes_bind_to_the_same_concepts() -> None:
    zh = _facts("- 任课教师 120 人，其中英方任课教师 35 人")
    en = _facts("- Teaching staff: 120, of which 35 from Glasgow")
    assert [(v, c, s) for _, v, c, s in zh] == [(120, "任课教师", {}), (35, "任课教师", {"side": "外方"})]
    assert [(v, c, s) for _, v, c, s in en] == [(120, "任课教师", {}), (35, "任课教师", {"side": "外方"})]
    assert en[1][0] == "外方任课教师"  # an English note's label is the report's wording


def test_notes_are_numbered_lines_with_their_facts_or_none() -> None:
    notes = read_notes("- 任课教师 120 人\n\n* 新组建人工智能课程教学团队\n1. Two staff won provincial teaching awards\n"
                       "- 一名青年教师入选省级人才计划\n- Staff aged 36-45: 55\n"
                       "| 指标 | 数值 |\n| --- | --- |\n| 学术指导教师 | 58 |\n")
    assert [n.n for n in notes] == [1, 2, 3, 4, 5, 6]
    assert notes[1].qualitative and notes[1].text == "新组建人工智能课程教学团队"
    assert notes[2].language == "en" and [f.value for f in notes[2].facts] == [2]  # "Two" is a number
    # 一名 in a note is a count; 青年教师 is one word (jieba), so 教师 inside it is no mention of the concept
    assert [(f.value, f.unit, f.concept) for f in notes[3].facts] == [(1, "名", "")]
    assert [(f.value, dict(f.scope)) for f in notes[4].facts] == [(55, {"age": "36-45"})]  # the band is scope, not a figure
    assert notes[5].from_table and [(f.label, f.value) for f in notes[5].facts] == [("学术指导教师", 58)]
    assert all(f.note == n.n for n in notes for f in n.facts)


def test_a_unit_in_the_label_is_the_figures_unit() -> None:
    (fact,) = [f for n in read_notes("- 国际级获奖人次：26") for f in n.facts]
    assert (fact.unit, fact.concept, dict(fact.scope)) == ("人次", "竞赛获奖", {"level": "国际级"})


def test_note_matches_the_figure_bound_the_same_way() -> None:
    prior = extract_figures("目前学院教师共计 295 人。其中，任课教师 113 人，包含英方任课教师 33 人。")
    staff, total, foreign = prior
    assert [(f.concept, dict(f.scope)) for f in prior] == [("教师", {}), ("任课教师", {}), ("任课教师", {"side": "外方"})]
    (teachers, side), = [n.facts for n in read_notes("- 任课教师 120 人，其中英方 35 人")]
    assert note_score(teachers, total) > note_score(teachers, foreign) and note_score(teachers, staff) == 0
    assert note_score(side, foreign) >= 1.0 > note_score(side, total) == 0  # 外方 never replaces the total


def test_own_qualifier_keeps_a_new_hire_note_off_the_staff_total() -> None:
    assert own_qualifier("新进人工智能方向教师") == "人工智能方向"
    assert own_qualifier("35岁以下任课教师") == "" and own_qualifier("英方任课教师") == ""
    (note,) = [f for n in read_notes("- 新进人工智能方向教师 6 人") for f in n.facts]
    (fig,) = extract_figures("学院教师共计 295 人。")
    assert note.concept == fig.concept == "教师" and note_score(note, fig) < 0.55


def test_parts_listed_in_one_sentence_do_not_replace_the_total(sample_chunks) -> None:
    notes = ("- 支出 7752.0万元；教学运行及外方教学费用 4218.6万元；师资建设 1590.4万元；学生发展与奖助 905.2万元；"
             "办学条件改善 1037.8万元")
    text = draft_section(DraftDeps(chunks=sample_chunks), "财务状况", 2022,  notes, mode="update").plain_text
    plain = text.replace(" ", "")
    assert "支出合计7752万元" in plain and "办学条件改善1037.8万元（13.4%）" in plain and "教学运行及外方教学费用4218.6万元（54.4%）" in plain


def test_english_age_band_note_updates_the_teaching_staff_figure(real_chunks) -> None:
    result = draft_section(DraftDeps(chunks=real_chunks), "师资建设", 2021, "- Staff aged 36-45: 55", mode="update")
    assert "36-45 岁任课教师占 ==46.9%==（55 人）" in result.text  # the count moves; its share waits for the base
    assert result.notes[0]["status"] == "figures" and result.notes[0]["figures"] == ["55"]
