"""Section drafting: update mode on the real 2020 report, write mode through the recorded server (chunks
from tests/conftest.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.drafting import (DraftDeps, DraftResult, draft_section, load_table, parse_notes, section_chunks,
                                    strip_highlights)
from assistant.figures import extract_figures
from assistant.index.catalog import Catalog
from assistant.types import Chunk, SearchResult
from tests.chains.test_answer import FakeRetriever
from tests.conftest import REAL_REPORT

REAL_SOURCE = "reports/2020_self_assessment_report.txt"

# This year's figures for 三. 师资建设 (invented for the test).
TEACHER_NOTES = """- 2021 年，教师评教优良率均大于 96%，8 名教师获学校“五粮液”奖教金和本科教学优秀奖
- 教师共计 302 人（不重复统计）
- 任课教师 120 人，其中英方任课教师 35 人，英语课程教师 27 人
- 毕设指导教师 130 人，学术指导教师 58 人
- 生师比：7.05
- 35岁以下任课教师 38 人；36-45岁任课教师 55 人
- 获得博士学位的教师 90 人；正高级职称教师 25 人
"""
GIVEN = {"96%", "8 名", "302 人", "120 人", "35 人", "27 人", "130 人", "58 人", "7.05", "38 人", "55 人", "90 人", "25 人"}
# 38/120 = 31.67 (2020 truncated 35/113 = 30.97 to 30.9), 55/120 = 45.83, 90/120 = 75.0, 25/120 = 20.83 (2020 rounded 19.47 to 19.5)
RECOMPUTED = {"31.6%", "45.8%", "75.0%", "20.8%"}


@pytest.fixture
def real_catalog(tmp_path: Path, real_chunks: list[Chunk]) -> Catalog:
    """The real report committed to a project catalog in a temporary data folder (no embeddings needed)."""
    catalog = Catalog(tmp_path / "data" / "index.sqlite3")
    catalog.commit_document(REAL_SOURCE, "sha", REAL_REPORT.stat().st_size, "report", 2020, "2020 年度自评报告", real_chunks)
    yield catalog
    catalog.close()


# ---- notes and tables ------------------------------------------------------------------------------


def test_parse_notes_chinese_english_and_table() -> None:
    facts = parse_notes("- 任课教师 120 人，其中英方任课教师 35 人\n* 生师比：7.05\n"
                        "- Teaching staff: 118, of which 40 from the partner university\n"
                        "- Staff with a PhD: 88; student-teacher ratio 10.9\n"
                        "| 指标 | 数值 |\n| --- | --- |\n| 学术指导教师 | 58 |\n")
    got = [(f.label, f.value) for f in facts]
    assert ("任课教师", 120) in got and ("英方任课教师", 35) in got and ("生师比", 7.05) in got
    assert ("任课教师", 118) in got and ("外方任课教师", 40) in got
    assert ("获得博士学位的教师", 88) in got and ("生师比", 10.9) in got
    assert ("学术指导教师", 58) in got


def test_load_table_markdown_csv_xlsx(tmp_path: Path) -> None:
    import openpyxl

    csv_path = tmp_path / "t.csv"
    csv_path.write_text("指标,数值\n任课教师,120\n生师比,7.05\n", encoding="utf-8")
    xlsx_path = tmp_path / "t.xlsx"
    book = openpyxl.Workbook()
    for row in (["指标", "数值"], ["任课教师", 120], ["生师比", 7.05]):
        book.active.append(row)
    book.save(xlsx_path)
    md = "| 指标 | 数值 |\n| --- | --- |\n| 任课教师 | 120 |\n| 生师比 | 7.05 |"
    for table in (load_table(csv_path), load_table(xlsx_path), load_table(md), load_table("指标,数值\n任课教师,120\n生师比,7.05")):
        facts = {(f.label, f.value) for f in parse_notes("", table)}
        assert {("任课教师", 120), ("生师比", 7.05)} <= facts, table


# ---- update mode -----------------------------------------------------------------------------------


def _figure_raws(text: str) -> list[str]:
    return [f.raw for f in extract_figures(text)]


def test_update_real_report_teachers(real_catalog: Catalog) -> None:
    deps = DraftDeps(chunks=real_catalog.chunks)
    result = draft_section(deps, "师资建设", 2021, TEACHER_NOTES, mode="update")
    assert isinstance(result, DraftResult) and result.mode == "update" and result.year == 2021
    plain = result.plain_text
    assert plain.startswith("## 三. 师资建设")
    # every given figure is in the text, every old value it replaces is gone
    raws = {r.replace(" ", "") for r in _figure_raws(plain)}
    assert {g.replace(" ", "") for g in GIVEN} <= raws
    for old in ("295 人", "113 人", "113 名", "6.91", "33 人", "127 人", "30.9%", "46.9%", "72.5%", "19.5%", "82 人"):
        assert old not in plain, old
    assert "对 120 名任课教师" in plain
    # shares recomputed with the new count and base, keeping the report's rounding convention
    assert "35 岁以下占 31.6%（38 人）" in plain
    assert "36-45 岁任课教师占 45.8%（55 人）" in plain
    assert "72.5%" not in plain and "占 75.0%（90 人）" in plain and "占 20.8%（25 人）" in plain
    # the report year moves, an event year is flagged
    assert "2021 年，教师评教优良率均大于 96%" in plain
    assert "==2020== 年教育部中外合作办学机构评估" in result.text
    # every figure not updated is highlighted and listed; nothing else is
    updated = {g.replace(" ", "") for g in GIVEN | RECOMPUTED | {"120 名"}}
    highlighted = {h.replace(" ", "") for h in re.findall(r"==(.+?)==", result.text)}
    assert not highlighted & updated
    for f in extract_figures(plain):
        assert f.raw.replace(" ", "") in updated or f"=={f.raw}==" in result.text, f.raw
    listed = {(n["raw"], n["metric"]) for n in result.not_updated}
    assert ("10 人", "博士生导师") in listed and ("12 人", "任课教师") in listed and ("24人", "获得英国剑桥大学CELTA资质证书") in listed
    assert all(n["sentence"] for n in result.not_updated)
    # citations: one per prior-year passage, markers in the text
    assert result.citations and all(c["year"] == 2020 and c["source"] == REAL_SOURCE for c in result.citations)
    assert {int(n) for n in re.findall(r"\[(\d+)\]", result.text)} == {c["n"] for c in result.citations}
    assert result.unused_notes == []
    # JSON contract
    data = result.to_json()
    # the nine keys of the first contract, plus those notes mode added (keys are added, never renamed)
    assert set(data) == {"section", "year", "mode", "text", "citations", "placeholders", "not_updated", "findings",
                         "unused_notes", "notes", "provenance", "carried_over", "notice"}
    json.dumps(data, ensure_ascii=False)


def test_update_english_notes_keep_chinese_text(real_chunks: list[Chunk]) -> None:
    notes = ("- Teaching staff: 120, of which 35 from Glasgow\n- Student-teacher ratio: 7.05\n"
             "- Staff aged under 35: 38\n- Staff with a PhD: 90")
    result = draft_section(DraftDeps(chunks=real_chunks), "师资建设", 2021, notes, mode="update")
    plain = result.plain_text
    assert "任课教师 120 人" in plain and "英方任课教师 35 人" in plain and "生师比为 7.05" in plain
    assert "35 岁以下占 31.6%（38 人）" in plain and "72.5%" not in plain and "占 75.0%（90 人）" in plain
    assert "Teaching" not in plain and re.search(r"[\u4e00-\u9fff]{20}", plain)


def test_update_a_doctoral_note_goes_to_the_doctoral_sentence(real_chunks: list[Chunk]) -> None:
    notes = "- 任课教师 120 人\n- 博士项目任课教师 14 人\n- 博士生导师 11 人"
    plain = draft_section(DraftDeps(chunks=real_chunks), "师资建设", 2021, notes, mode="update").plain_text
    assert "其中，任课教师 120 人" in plain and "任课教师 14 人" in plain and "博士生导师 11 人" in plain


def test_update_findings_against_prior_year(sample_chunks: list[Chunk]) -> None:
    notes = "- 任课教师 400 人，其中外方教师 52 人\n- 英语课程教师 25 人"
    result = draft_section(DraftDeps(chunks=sample_chunks), "师资建设", 2024, notes, mode="update")
    assert result.citations[0]["year"] == 2023 and "2024 年学院任课教师共 400 人" in result.plain_text
    assert any(f["kind"] == "yoy_jump" and "400" in f["quote"] for f in result.findings), result.findings
    assert all(f["quote"] in result.plain_text for f in result.findings)
    # 52/400 = 13.0% recomputed (占 after the count)
    assert "占 13.0%" in result.plain_text


def test_update_without_prior_section_gives_placeholder(sample_chunks: list[Chunk]) -> None:
    result = draft_section(DraftDeps(chunks=sample_chunks), "国际交流专栏", 2024, "- 交流 30 人次", mode="update")
    assert result.placeholders and result.placeholders[0]["reason"] == "missing" and "【待补充" in result.text


def test_section_chunks_matches_numbering_variants(sample_chunks: list[Chunk]) -> None:
    for year in (2021, 2022, 2023):
        found = section_chunks(sample_chunks, "师资建设", year)
        assert found and all("师资建设" in c.section for c in found)


# ---- write mode ------------------------------------------------------------------------------------

REGULATION = Chunk(text="第十四条 合作办学单位的生师比不得高于 18:1，计算时以全日制在校生人数除以任课教师人数。",
                   source="regulations/示例办法.md", section="示例办法 > 第四章 师资队伍 > 第十四条", year=None,
                   doc_type="regulation", id="reg-14")


# Passages given to the model with max_exemplar_chars=300: [1] [2] = the 2020 section's first two
# passages, [3] = the regulation. The recorded answer uses a note figure (120 人), a derived share
# (35/120 = 29.2%), a figure copied from the 2020 exemplar (生师比 6.91), an invented one
# (博士生导师 15 人), a regulation figure without its marker (18:1) and an invalid marker [7].
RECORDED_DRAFT = """```markdown
## 三、师资建设

### 1. 对标国际化和双一流师资，建立师资评聘制度

学院严格执行中外合作办学教师评聘标准和评聘制度[1]。专业课任课教师均具有博士学位[2][7]。

### 3. 教师队伍数量与结构满足本科教学需求

2021 年，学院任课教师 120 人，其中英方任课教师 35 人，占 29.2%；生师比为 6.91，低于 18:1 的上限。博士生导师 15 人。英语课程教师【待补充：英语课程教师人数】。
```"""


def _cassette(tmp_path: Path, response: str, **rule: Any) -> Path:
    path = tmp_path / "draft.json"
    path.write_text(json.dumps({"model": "recorded", "chunk_chars": 5,
                                "rules": [{"name": "draft", "user": "师资建设", "response": response, **rule}],
                                "default": {"response": "无"}}, ensure_ascii=False), encoding="utf-8")
    return path


def test_write_through_recorded_server(tmp_path: Path, real_chunks: list[Chunk], settings_factory) -> None:
    from assistant.llm.provider import chat_model
    from tests.support.recorded_server import serve

    notes = "- Teaching staff: 120, of which 35 from Glasgow\n- Staff aged under 35: 38"
    retriever = FakeRetriever([REGULATION])
    with serve(_cassette(tmp_path, RECORDED_DRAFT), tmp_path / "log.jsonl") as server:
        settings = settings_factory(provider="compatible", base_url=server.base_url, model="recorded",
                                    max_retries=0, request_timeout=10)
        deps = DraftDeps(chunks=real_chunks, chat_model=lambda: chat_model(settings, streaming=True), retriever=retriever)
        seen: list[str] = []
        result = draft_section(deps, "师资建设", 2021, notes, mode="write", max_exemplar_chars=300, on_text=seen.append)
        requests = server.chat_requests()
    assert len(requests) == 1 and requests[0]["stream"] is True
    # the model's text reached the caller piece by piece while it was written
    assert len(seen) > 10 and seen[-1] == RECORDED_DRAFT
    assert all(later.startswith(earlier) for earlier, later in zip(seen, seen[1:]))
    prompt = requests[0]["messages"][-1]["content"]
    # the prompt: exemplars of 2020 + the retrieved regulation, the notes, and "write Chinese"
    assert "2021 年度自评报告" in prompt and "Teaching staff: 120" in prompt
    assert "中文" in prompt and "译成中文" in prompt and "【待补充：" in prompt
    assert "- 任课教师：120 人" in prompt and "- 35岁以下任课教师：38 人" in prompt  # English notes, Chinese metrics
    assert "[1] 来源: reports/2020_self_assessment_report.txt" in prompt and "[3] 来源: regulations/示例办法.md" in prompt
    assert "1. 对标国际化和双一流师资" in prompt  # the prior section's outline
    assert retriever.calls and retriever.calls[0]["doc_type"] == "regulation"

    text = result.text
    assert result.mode == "write" and "```" not in text and text.startswith("## 三、师资建设")
    assert "任课教师 120 人" in text and "占 29.2%" in text  # note figure and derived share kept
    assert "6.91" not in text and "15 人" not in text and "[7]" not in text
    reasons = {(p["replaced"], p["reason"]) for p in result.placeholders}
    assert ("6.91", "stale") in reasons and ("15 人", "unsupported") in reasons
    assert any(p["reason"] == "missing" and p["text"] == "【待补充：英语课程教师人数】" for p in result.placeholders)
    assert all(p["text"] in text for p in result.placeholders)
    # citations map to the passages the model was given; 18:1 got its regulation cited
    by_source = {c["source"]: c for c in result.citations}
    assert set(by_source) == {REAL_SOURCE, REGULATION.source}
    assert by_source[REGULATION.source]["quote"] == REGULATION.text
    assert all(c["quote"] in {ch.text for ch in real_chunks} | {REGULATION.text} for c in result.citations)
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", text)]
    assert sorted(set(markers)) == [c["n"] for c in result.citations]
    reg_n = by_source[REGULATION.source]["n"]
    assert re.search(rf"18:1 的上限\[{reg_n}\]", text)
    # no figure in the text is untraceable
    allowed = {"120", "35", "29.2", "18", "1", "2021"}
    for f in extract_figures(re.sub(r"\[\d+\]", "", text)):
        assert re.sub(r"[^\d.]", "", f.raw) in allowed, f.raw


def test_write_model_error_is_model_unavailable(tmp_path: Path, real_chunks: list[Chunk], settings_factory) -> None:
    from assistant.chains.answer import ModelUnavailable
    from assistant.llm.provider import chat_model
    from tests.support.recorded_server import serve

    with serve(_cassette(tmp_path, "x", error="500"), tmp_path / "log.jsonl") as server:
        settings = settings_factory(provider="compatible", base_url=server.base_url, model="recorded",
                                    max_retries=0, request_timeout=10)
        deps = DraftDeps(chunks=real_chunks, chat_model=chat_model(settings, streaming=False))
        with pytest.raises(ModelUnavailable):
            draft_section(deps, "师资建设", 2021, "- 任课教师 120 人", mode="write")


def test_write_cut_at_the_token_limit_says_so(tmp_path: Path, real_chunks: list[Chunk], settings_factory) -> None:
    from assistant.drafting import TRUNCATED
    from assistant.llm.provider import chat_model
    from tests.support.recorded_server import serve

    cut = "## 三、师资建设\n\n### 1. 教师队伍\n\n2021 年，学院任课教师 120 人，其中"
    with serve(_cassette(tmp_path, cut, finish_reason="length"), tmp_path / "log.jsonl") as server:
        settings = settings_factory(provider="compatible", base_url=server.base_url, model="recorded", max_retries=0)
        deps = DraftDeps(chunks=real_chunks, chat_model=chat_model(settings, streaming=True))
        result = draft_section(deps, "师资建设", 2021, "- 任课教师 120 人", mode="write")
    assert result.text.rstrip().endswith(TRUNCATED)
    assert any(p["text"] == TRUNCATED for p in result.placeholders)


def test_write_with_fake_model_and_keyword_regulations(sample_chunks: list[Chunk]) -> None:
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    response = "### 1. 队伍总体情况\n\n2024 年学院任课教师共 135 人，生师比符合不高于 18:1 的规定。"
    deps = DraftDeps(chunks=sample_chunks, chat_model=FakeListChatModel(responses=[response]))
    result = draft_section(deps, "师资建设", 2024, "- 任课教师 135 人", mode="write")
    assert result.text.startswith("## 三、师资建设")  # heading added in the prior report's form
    assert any(c["source"].startswith("regulations/") for c in result.citations)  # BM25 over the chunks found it
    # write mode's provenance: the model's wording; the note's figure is in the text
    assert result.provenance and all(p["kind"] == "model" for p in result.provenance)
    assert [(n["status"], n["figures"]) for n in result.notes] == [("model", ["135 人"])]


def test_write_removes_stale_table_figures_and_echoed_instructions_but_keeps_dates(sample_chunks: list[Chunk]) -> None:
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    response = ("## 二、学生培养\n\n### 1. 学科竞赛\n\n本年度获奖 330 人次，按规定于 4 月 30 日前报送。\n\n"
                "| 获奖级别 | 获奖人次 | 较上年增减 |\n| --- | --- | --- |\n| 校级 | 【待补充：校级】 | +28 |\n\n"
                "### 规范要求\n\n- 范例中的数字是往年数据，一律不得沿用。\n"
                "- 需要某项数据而材料中没有时，写“【待补充：指标名称】”，不要编造数字。\n")
    deps = DraftDeps(chunks=sample_chunks, chat_model=FakeListChatModel(responses=[response]))
    result = draft_section(deps, "学生培养", 2024, "- Competition awards: 330", mode="write")
    assert "+28" not in result.text and "330 人次" in result.text  # 28 = last year's change, carried over
    assert any(p["replaced"] == "28" and p["reason"] == "stale" for p in result.placeholders)
    assert "4 月 30 日前" in result.text  # a date is not a figure to replace
    assert "规范要求" not in result.text and "不得沿用" not in result.text and "指标名称" not in result.text


def test_article_numbers_and_dates_of_a_cited_regulation_do_not_support_a_figure() -> None:
    from assistant.drafting.guard import verify_written as _verify_written

    rule = Chunk(text="第十二条 年度报告的数据截至 12 月 31 日。", source="regulations/办法.md", section="第十二条",
                 year=None, doc_type="regulation")
    text = "| 获奖级别 | 较上年增减 |\n| --- | --- |\n| 省级 | +12 |[1]\n"
    checked, _citations, placeholders = _verify_written(text, [SearchResult(rule, 1.0)], [], "")
    assert "+12" not in checked and placeholders[0]["replaced"] == "12"
    assert placeholders[0]["text"] == "【待补充：省级较上年增减】" and placeholders[0]["reason"] == "unsupported"


def test_bad_arguments(sample_chunks: list[Chunk]) -> None:
    with pytest.raises(ValueError):
        draft_section(DraftDeps(chunks=sample_chunks), "师资建设", 2024, "", mode="rewrite")
    with pytest.raises(ValueError):
        draft_section(DraftDeps(chunks=sample_chunks), "师资建设", 2024, "- 任课教师 1 人", mode="write")


def test_strip_highlights() -> None:
    assert strip_highlights("共 ==295 人== 与 ==6.91==") == "共 295 人 与 6.91"
