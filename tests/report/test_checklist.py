"""Compliance checklist: the shipped data file, and ok / placeholder / stale / missing on real text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.drafting import section_chunks, section_markdown
from assistant.report import Workspace, outline_for
from assistant.report.checklist import CHECKLIST_FILE, checklist_json, load_checklist, run_checklist
from assistant.types import Chunk, SearchResult
from tests.conftest import SAMPLE_KNOWLEDGE

REGULATION = (SAMPLE_KNOWLEDGE / "regulations" / "中外合作办学管理办法（示例）.md").read_text(encoding="utf-8")


def _workspace(sample_chunks: list[Chunk], year: int) -> Workspace:
    """The sample report of ``year`` put back as that year's workspace (its own, consistent text)."""
    workspace = Workspace.from_outline(year, "local", outline_for(sample_chunks, year + 1))
    for s in workspace.sections:
        s.text = section_markdown(section_chunks(sample_chunks, s.title, year), s.title)[0]
    return workspace


def _history(chunks: list[Chunk]) -> list[tuple]:
    return [(c.text, c.year, c.source, c.section) for c in chunks if c.doc_type == "report"]


def _run(workspace: Workspace, chunks: list[Chunk], **kw) -> dict:
    return {r.item.id: r for r in run_checklist(workspace, history=_history(chunks), chunks=chunks, **kw)}


def test_shipped_checklist() -> None:
    items = load_checklist()
    ids = [i.id for i in items]
    assert len(ids) == len(set(ids)) >= 12
    for needed in ("enrolment", "foreign_teachers", "fees", "audit", "quality"):
        assert needed in ids
    for item in items:
        assert item.keywords and item.title
        if item.article:  # every cited article exists in the sample regulation
            assert re.search(rf"^{item.article} ", REGULATION, re.M), item.article
    assert CHECKLIST_FILE.name == "checklist.toml" and CHECKLIST_FILE.exists()


def test_a_complete_report_is_ok_with_where_quote_and_article(sample_chunks) -> None:
    results = _run(_workspace(sample_chunks, 2022), sample_chunks)
    assert {k: r.status for k, r in results.items() if r.status != "ok"} == {}
    ratio = results["student_teacher_ratio"]
    assert ratio.where == "师资建设" and "11.21" in ratio.quote
    assert ratio.regulation["source"] == "regulations/中外合作办学管理办法（示例）.md"
    assert ratio.regulation["quote"].startswith("第十四条 合作办学单位的生师比不得高于 18:1")
    assert results["fees"].where == "财务状况" and "58000" in results["fees"].quote
    assert results["audit"].regulation["quote"].startswith("第二十二条")
    rows = checklist_json(results.values())
    assert all(set(r) == {"item", "status", "where", "quote"} for r in rows)


def test_placeholder_stale_and_missing(sample_chunks) -> None:
    workspace = _workspace(sample_chunks, 2022)
    teachers = workspace.section("师资建设")
    teachers.text = teachers.text.replace("为11.21", "为【待补充：生师比】")
    finance = workspace.section("财务状况")
    finance.text = "\n".join(line for line in finance.text.split("\n") if "审计" not in line)
    basic = workspace.section("办学基本情况")
    basic.text = basic.text.replace("在校生1368人", "在校生==1368==人")  # a figure not updated
    results = _run(workspace, sample_chunks)
    assert results["student_teacher_ratio"].status == "placeholder"
    assert results["student_teacher_ratio"].where == "师资建设" and "【待补充：生师比】" in results["student_teacher_ratio"].quote
    assert results["audit"].status == "missing" and results["audit"].where == "" and "财务状况" in results["audit"].message
    assert results["students"].status == "stale" and "1368" in results["students"].quote


def test_a_figure_equal_to_last_years_is_stale_unless_the_item_expects_it(sample_chunks) -> None:
    workspace = _workspace(sample_chunks, 2022)
    teachers = workspace.section("师资建设")
    teachers.text = teachers.text.replace("为11.21", "为10.90")  # the 2021 report's ratio
    results = _run(workspace, sample_chunks)
    assert results["student_teacher_ratio"].status == "stale" and "2021" in results["student_teacher_ratio"].message
    # the 2022 fee equals 2021's (58000 元/生·年, unchanged by rule): fees has stale = false
    assert results["fees"].status == "ok"


def test_two_regulations_with_the_article_are_ranked_by_the_search(sample_chunks) -> None:
    other = Chunk(text="第十四条 本校补充规定：生师比不高于 16:1。", source="regulations/补充规定.md",
                  section="补充规定 > 第十四条", year=None, doc_type="regulation")
    asked = []

    def search(query, *, k=5, year=None, doc_type=None):
        asked.append((query, doc_type))
        return [SearchResult(other, 1.0)]

    chunks = [*sample_chunks, other]
    results = _run(_workspace(sample_chunks, 2022), chunks, search=search)
    assert results["student_teacher_ratio"].regulation["source"] == "regulations/补充规定.md"
    # only the article two regulations share needed the search; 第九条 is in one regulation only
    assert asked == [("第十四条 生师比", "regulation")]
    assert results["foreign_courses"].regulation["quote"].startswith("第九条 引进的外方课程")


def test_custom_and_broken_checklist_files(tmp_path: Path, sample_chunks, monkeypatch) -> None:
    custom = tmp_path / "mine.toml"
    custom.write_text('[[item]]\nid = "hospital"\ntitle = "附属医院"\nkeywords = ["附属医院"]\n', encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_CHECKLIST_FILE", str(custom))
    (only,) = run_checklist(_workspace(sample_chunks, 2022))
    assert only.item.id == "hospital" and only.status == "missing"
    custom.write_text('[[item]]\nid = "x"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="needs id, title, keywords"):
        load_checklist()
    custom.write_text("[[item]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read the checklist"):
        load_checklist()
