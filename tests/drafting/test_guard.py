"""Figures of generated text verified by meaning: a note's value written for another metric is flagged."""

from __future__ import annotations

from assistant.drafting import read_notes
from assistant.drafting.guard import check_figures, note_facts, verify_written
from assistant.types import Chunk, SearchResult

NOTES = "- Teaching staff: 120, of which 35 from Glasgow"


def _facts(notes: str, year: int = 2021):
    return [f for n in read_notes(notes) for f in n.facts]


def test_a_note_figure_placed_at_another_metric_is_a_mismatch() -> None:
    text = ("## 三、师资建设\n\n2021 年，学院任课教师 120 人，其中英方任课教师 35 人，占 29.2%。"
            "对任课教师的统计表明，35 岁以下任课教师 35 人。\n")
    checked, _citations, placeholders = verify_written(text, [], _facts(NOTES), NOTES, year=2021)
    assert "任课教师 120 人" in checked and "英方任课教师 35 人，占 29.2%" in checked  # note facts and a derived share
    assert "35 岁以下任课教师【待补充：" in checked  # the age band stays, the count borrowed from 外方 goes
    (mismatch,) = placeholders
    assert mismatch["reason"] == "mismatch" and mismatch["replaced"] == "35 人"
    assert "任课教师（外方）" in mismatch["message"] and "35岁以下" in mismatch["message"]


def test_a_share_computed_from_the_wrong_count_is_not_passed_as_derived() -> None:
    text = "## 三、师资建设\n\n学院任课教师 120 人，35 岁以下占 29.2%。\n"  # 29.2% = 35/120, but 35 is the 外方 count
    checked, _, placeholders = verify_written(text, [], _facts(NOTES), NOTES, year=2021)
    assert "29.2%" not in checked and placeholders[0]["replaced"] == "29.2%"


def test_regulation_figures_need_the_same_metric_and_get_their_marker() -> None:
    rule = Chunk(text="第十四条 合作办学单位的生师比不得高于 18:1。", source="regulations/办法.md", section="第十四条",
                 year=None, doc_type="regulation", id="reg")
    text = "## 三、师资建设\n\n生师比为 7.05，低于 18:1 的上限。\n"
    checked, citations, placeholders = verify_written(text, [SearchResult(rule, 1.0)], _facts("- 生师比：7.05"),
                                                      "- 生师比：7.05", year=2021)
    assert "18:1 的上限[1]" in checked and citations[0]["source"] == "regulations/办法.md" and not placeholders


def test_a_sentence_may_only_state_its_own_notes_facts_and_years() -> None:
    (note,) = read_notes("- 组织中外教师联合教学研讨会 2 次")
    facts = note_facts(note.facts, 2021, note.text)
    ok, _ = check_figures("2021 年，学院组织中外教师联合教学研讨会 2 次。", year=2021, facts=facts,
                          notes_text=note.text, years_allowed=(2021,))
    assert ok == []
    bad, _ = check_figures("2020 年，学院组织中外教师联合教学研讨会 3 次，参与教师 40 人。", year=2021, facts=facts,
                           notes_text=note.text, years_allowed=(2021,))
    assert {(p.raw, p.reason) for p in bad} == {("2020 年", "unsupported"), ("3 次", "unsupported"), ("40 人", "unsupported")}


def test_a_count_written_in_words_in_the_note_supports_the_digit() -> None:
    (note,) = read_notes("- 一名青年教师入选省级人才计划")
    facts = note_facts(note.facts, 2021, note.text)
    ok, _ = check_figures("本年度，学院 1 名青年教师入选省级人才计划。", year=2021, facts=facts, notes_text=note.text,
                          years_allowed=(2021,))
    wrong, _ = check_figures("本年度，学院 3 名青年教师入选省级人才计划。", year=2021, facts=facts, notes_text=note.text,
                             years_allowed=(2021,))
    assert ok == [] and [p.raw for p in wrong] == ["3 名"]
