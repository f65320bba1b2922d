"""Notes mode: update, then one guarded sentence per unplaced note, inserted where it fits, every note
accounted for and every sentence's provenance recorded."""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.drafting import DraftDeps, draft_section, read_notes
from assistant.drafting.compose import clean_sentence, place
from assistant.llm.errors import ModelUnavailable
from tests.drafting.conftest import ScriptedModel

NOTES = """- 任课教师 120 人，其中英方任课教师 35 人
- 生师比：7.05
- 从格拉斯哥大学引进全职教授 1 名
- 新组建人工智能课程教学团队，由中外教师共同授课
- 组织师德师风专题教育，全年无违反师德师风事件
- 组织中外教师联合教学研讨会 2 次"""
REPLIES = ["本年度，学院从格拉斯哥大学引进全职教授 1 名。", "本年度，学院新组建人工智能课程教学团队，由中外教师共同授课。",
           "本年度，学院组织师德师风专题教育，全年无违反师德师风事件。", "本年度，学院组织中外教师联合教学研讨会 2 次。"]


def _paragraph_of(text: str, sentence: str) -> str:
    return next(line for line in text.splitlines() if sentence in line)


def _heading_of(text: str, sentence: str) -> str:
    heading = ""
    for line in text.splitlines():
        if line.startswith("###"):
            heading = line
        if sentence in line:
            return heading
    return ""


def test_notes_mode_writes_one_sentence_per_unplaced_note(real_chunks) -> None:
    model = ScriptedModel(list(REPLIES))
    result = draft_section(DraftDeps(chunks=real_chunks, chat_model=model), "师资建设", 2021, NOTES)
    assert result.mode == "notes" and len(model.calls) == 4  # notes 3–6; notes 1–2 updated figures
    text = result.text
    # figures updated as in update mode, new sentences inserted, nothing placeholdered
    assert "任课教师 120 人，包含英方任课教师 35 人" in text and "生师比为 7.05" in text
    assert all(r in text for r in REPLIES) and result.placeholders == []
    # each new sentence joined the paragraph it fits: 师德 under the 师德师风 heading, the seminar with training
    assert "师德师风" in _heading_of(text, REPLIES[2]) and "[7]" in _paragraph_of(text, REPLIES[2])
    assert "教师发展" in _heading_of(text, REPLIES[3]) or "教师整体水平" in _heading_of(text, REPLIES[3])
    # the prompt: the same system message every time (cached by llama.cpp), the note and its place in the user one
    systems = {system for system, _ in model.calls}
    assert len(systems) == 1 and "2021 年度" in systems.pop()
    _, user = model.calls[0]
    assert "材料：从格拉斯哥大学引进全职教授 1 名" in user and "上文：" in user and "参考写法：" in user
    assert len(user) < 400  # a few hundred tokens, not the section
    # every note accounted for
    statuses = [(n["n"], n["status"]) for n in result.notes]
    assert statuses == [(1, "figures"), (2, "figures"), (3, "sentence"), (4, "sentence"), (5, "sentence"), (6, "sentence")]
    assert all(n["paragraph"] for n in result.notes) and result.unused_notes == []
    # provenance per sentence
    written = [p for p in result.provenance if p["kind"] == "written"]
    assert [(p["sentence"], p["notes"]) for p in written] == sorted(
        [(r, [n]) for r, n in zip(REPLIES, (3, 4, 5, 6))], key=lambda x: text.index(x[0]))
    updated = [p for p in result.provenance if p["kind"] == "updated"]
    assert any(p["notes"] == [1, 2] and "120 人" in p["sentence"] for p in updated)
    assert all(p["citation"] for p in result.provenance if p["kind"] in ("carried", "updated"))
    assert {p["kind"] for p in result.provenance} <= {"carried", "updated", "written", "carried_over"}
    json.dumps(result.to_json(), ensure_ascii=False)


def test_a_figure_the_note_does_not_give_is_retried_then_placeholdered(real_chunks) -> None:
    notes = "- 从格拉斯哥大学引进全职教授 1 名"
    fixed = ScriptedModel(["本年度，学院从格拉斯哥大学引进全职教授 3 名。", "本年度，学院从格拉斯哥大学引进全职教授 1 名。"])
    result = draft_section(DraftDeps(chunks=real_chunks, chat_model=fixed), "师资建设", 2021, notes)
    assert len(fixed.calls) == 2 and "3 名" in fixed.calls[1][1] and "引进全职教授 1 名。" in result.text
    stubborn = ScriptedModel(["本年度，学院从格拉斯哥大学引进全职教授 3 名。"] * 2)
    result = draft_section(DraftDeps(chunks=real_chunks, chat_model=stubborn), "师资建设", 2021, notes)
    assert len(stubborn.calls) == 2 and "引进全职教授 3 名" not in result.text
    (placeholder,) = result.placeholders
    assert placeholder["reason"] == "unsupported" and placeholder["replaced"] == "3 名" and placeholder["text"] in result.text
    assert result.notes[0]["status"] == "sentence"


def test_without_a_model_the_notes_are_listed_with_the_reason(real_chunks) -> None:
    update = draft_section(DraftDeps(chunks=real_chunks), "师资建设", 2021, NOTES, mode="update")
    notes = draft_section(DraftDeps(chunks=real_chunks), "师资建设", 2021, NOTES)
    assert notes.text == update.text and notes.mode == "notes" and "no language model" in notes.notice
    unused = [n for n in notes.notes if n["status"] == "unused"]
    assert [n["n"] for n in unused] == [3, 4, 5, 6] and all("no language model" in n["reason"] for n in unused)
    assert [n["reason"] for n in update.notes if n["status"] == "unused"][1].startswith("没有数字可更新")
    assert update.unused_notes == notes.unused_notes == [n["text"] for n in unused]


def test_an_unreachable_model_leaves_the_update_text_and_says_why(real_chunks) -> None:
    down = ScriptedModel([], error=ModelUnavailable("语言模型不可用：无法连接 (cannot connect)"))
    result = draft_section(DraftDeps(chunks=real_chunks, chat_model=down), "师资建设", 2021, NOTES)
    assert len(down.calls) == 1 and "not reachable" in result.notice and "cannot connect" in result.notice
    assert [n["status"] for n in result.notes][2:] == ["unused"] * 4
    assert all("not reachable" in n["reason"] for n in result.notes[2:])


def test_an_english_note_is_written_in_chinese_and_placed_by_it(real_chunks) -> None:
    model = ScriptedModel(["Two teachers won awards.", "本年度，学院两名教师获四川省教学名师称号。"])
    result = draft_section(DraftDeps(chunks=real_chunks, chat_model=model), "师资建设", 2021,
                           "- Two teachers were named provincial teaching masters")
    assert "（英文材料，请写成中文）" in model.calls[0][1] and len(model.calls) == 2  # English reply: written again
    assert "两名教师获四川省教学名师称号" in result.text and "Two" not in result.text
    assert result.notes[0]["status"] == "sentence"


def test_a_one_off_event_of_the_prior_year_is_marked_carried_over(real_chunks) -> None:
    result = draft_section(DraftDeps(chunks=real_chunks), "师资建设", 2021, "- 任课教师 120 人", mode="update")
    (item,) = [c for c in result.carried_over if "评估" in c["sentence"]]
    assert item["year"] == 2020 and "2020" in item["sentence"]
    entry = next(p for p in result.provenance if p["sentence"] == item["sentence"])
    assert entry["kind"] == "carried_over" and "carried over from 2020" in entry["label"]
    # a note about it refreshes it: no longer marked
    refreshed = draft_section(DraftDeps(chunks=real_chunks), "师资建设", 2021,
                              "- 教学质量通过教育部中外合作办学机构评估复核", mode="update")
    assert not any("评估" in c["sentence"] for c in refreshed.carried_over)


def test_a_note_that_fits_no_paragraph_gets_a_new_one(real_chunks) -> None:
    from assistant.drafting import section_chunks, section_markdown

    text = section_markdown(section_chunks(real_chunks, "师资建设", 2020), "师资建设")[0]
    (note,) = read_notes("- 师德师风专题培训实现中外教师全覆盖")
    spot = place(note, text)
    assert not spot.new_paragraph and "师德" in spot.heading
    (odd,) = read_notes("- 食堂新增清真窗口")
    spot = place(odd, text)
    assert spot.new_paragraph and spot.pos == len(text.rstrip("\n"))


def test_clean_sentence_keeps_the_note_and_drops_what_was_copied() -> None:
    heading = "教师发展规划明确，注重教师创新精神和实践能力提升"
    raw = "输出：本年度，学院青年教师入选省级人才计划，注重教师创新精神和实践能力提升提供了有力支持。[2]"
    assert clean_sentence(raw, [heading], "一名青年教师入选省级人才计划") == "本年度，学院青年教师入选省级人才计划。"
    assert clean_sentence("The college hired two staff.", []) == ""


def test_notes_mode_through_the_recorded_server(tmp_path: Path, real_chunks, settings_factory) -> None:
    from assistant.llm.provider import chat_model
    from tests.support.recorded_server import serve

    cassette = tmp_path / "notes.json"
    cassette.write_text(json.dumps({"model": "recorded", "chunk_chars": 6, "rules": [
        {"name": "professor", "user": "材料：从格拉斯哥大学引进全职教授 1 名", "response": REPLIES[0]},
        {"name": "team", "user": "材料：新组建人工智能课程教学团队", "response": REPLIES[1]},
        {"name": "ethics", "user": "材料：组织师德师风专题教育", "response": "学院组织师德师风专题教育 4 次，全年无违反师德师风事件。"},
        {"name": "seminar", "user": "材料：组织中外教师联合教学研讨会", "response": REPLIES[3]}],
        "default": {"response": ""}}, ensure_ascii=False), encoding="utf-8")
    with serve(cassette, tmp_path / "log.jsonl") as server:
        settings = settings_factory(provider="compatible", base_url=server.base_url, model="recorded",
                                    max_retries=0, request_timeout=10)
        deps = DraftDeps(chunks=real_chunks, chat_model=lambda: chat_model(settings, streaming=True))
        seen: list[str] = []
        result = draft_section(deps, "师资建设", 2021, NOTES, on_text=seen.append)
        requests = server.chat_requests()
    # one request per unplaced note, plus the retry of the sentence whose figure the note does not give
    assert [r["messages"][-1]["content"].count("材料：") for r in requests] == [1] * 5
    assert len({r["messages"][0]["content"] for r in requests}) == 1 and requests[0]["messages"][0]["role"] == "system"
    assert sum("上一稿的问题" in r["messages"][-1]["content"] for r in requests) == 1
    assert REPLIES[0] in result.text and REPLIES[1] in result.text and REPLIES[3] in result.text
    ethics = next(p for p in result.provenance if p["notes"] == [5])
    assert ethics["kind"] == "written" and "4 次" not in ethics["sentence"] and "【待补充：" in ethics["sentence"]
    assert [p["reason"] for p in result.placeholders] == ["unsupported"]
    assert len(seen) == 4 and all(REPLIES[0] in s for s in seen)  # the draft so far after each sentence
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", result.text)}
    assert markers == {c["n"] for c in result.citations}


def test_a_note_partly_placed_gets_a_sentence_for_the_rest(real_chunks) -> None:
    model = ScriptedModel(["本年度，学院新进教师 9 人。"])
    result = draft_section(DraftDeps(chunks=real_chunks, chat_model=model), "师资建设", 2021,
                           "- 任课教师 120 人，新进教师 9 人")
    (entry,) = result.notes
    assert entry["status"] == "figures+sentence" and entry["figures"] == ["120 人"] and entry["unplaced"] == ["9 人"]
    assert "材料：新进教师 9 人" in model.calls[0][1]  # only the part no figure took
    assert "任课教师 120 人" in result.text and "新进教师 9 人。" in result.text


def test_without_a_prior_section_the_sentences_follow_the_placeholder(sample_chunks) -> None:
    model = ScriptedModel(["本年度，学院组织学生海外交流 30 人次。"])
    result = draft_section(DraftDeps(chunks=sample_chunks, chat_model=model), "国际交流专栏", 2024, "- 海外交流 30 人次")
    head, placeholder_line, sentence = [line for line in result.text.splitlines() if line.strip()]
    assert head == "## 国际交流专栏" and placeholder_line.startswith("【待补充：") and sentence == model_reply(model)
    assert result.notes[0]["status"] == "sentence" and result.provenance[-1]["kind"] == "written"


def model_reply(model: ScriptedModel) -> str:
    return "本年度，学院组织学生海外交流 30 人次。"


def test_a_sentence_that_does_not_say_the_note_is_not_used(real_chunks) -> None:
    # the offline 1.5B model once answered "一名青年教师入选…" with a sentence about teachers publishing papers
    off = "本年度，学院教师及教学管理人员结合学院教育教学改革，在国内、外期刊及会议上积极发表论文。"
    model = ScriptedModel([off, off])
    notes = "- 任课教师 120 人\n- 一名青年教师入选四川省“天府青城计划”"
    result = draft_section(DraftDeps(chunks=real_chunks, chat_model=model), "师资建设", 2021, notes)
    assert len(model.calls) == 2  # written, then retried once
    assert off not in result.text and not [p for p in result.provenance if p["kind"] == "written"]
    (entry,) = [n for n in result.notes if n["n"] == 2]
    assert entry["status"] == "unused" and "did not say what the note says" in entry["reason"]
    # a sentence that says it is kept
    said = "本年度，学院一名青年教师入选四川省“天府青城计划”。"
    result = draft_section(DraftDeps(chunks=real_chunks, chat_model=ScriptedModel([said])), "师资建设", 2021, notes)
    assert said in result.text and [n["status"] for n in result.notes] == ["figures", "sentence"]
