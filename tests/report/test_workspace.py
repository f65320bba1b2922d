"""The year's workspace: outline, draft every section, storage, status, edits, whole-report check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.report import (
    WorkspaceError,
    WorkspaceStore,
    acknowledge,
    check_report,
    draft_all,
    edit_section,
    notes_from_dir,
    outline_for,
    review,
)
from assistant.report.blocks import split_blocks
from tests.report.conftest import TEACHER_NOTES

NINE = ["办学基本情况", "学生培养", "师资建设", "教学组织", "教学质量监控", "项目管理", "财务状况", "社会评价", "办学特色"]


def test_outline_from_the_latest_prior_report(real_chunks, sample_chunks) -> None:
    real = outline_for(real_chunks, 2021)
    assert [s.title for s in real.sections] == NINE and real.year == 2020
    assert real.sections[2].heading == "三. 师资建设" and real.source == "reports/2020_self_assessment_report.txt"
    # the sample: 2023 (a .docx) for 2024; 2022 (Markdown under a "# 2022年度自评报告" title) for 2023
    assert outline_for(sample_chunks, 2024).source == "reports/2023_self_assessment_report.docx"
    o2023 = outline_for(sample_chunks, 2023)
    assert o2023.source.endswith("2022_self_assessment_report.md") and o2023.sections[0].heading == "一、办学基本情况"
    assert [s.title for s in o2023.sections] == NINE
    none = outline_for(real_chunks, 2020)  # no earlier report: the nine standard sections
    assert none.source == "" and [s.title for s in none.sections] == NINE


def test_draft_all_gives_nine_sections_that_survive_a_restart(drafted, store: WorkspaceStore, tmp_path: Path) -> None:
    assert drafted.titles == NINE
    teachers = drafted.section("三、师资建设")  # numbering ignored
    assert "任课教师 120 人" in teachers.text and "生师比为 7.05" in teachers.text
    assert teachers.notes == TEACHER_NOTES and teachers.mode == "update" and teachers.citations
    for s in drafted.sections:
        assert s.text.startswith("## ") and s.checked_at is not None
        # update mode without notes keeps last year's figures highlighted: they still need figures
        assert s.status == "needs_figures" and s.not_updated
    path = store.save(drafted)
    assert path == tmp_path / "data" / "reports" / "local" / "2021.json"
    assert [p.name for p in path.parent.iterdir()] == ["2021.json"]  # the temporary file was renamed
    again = WorkspaceStore(tmp_path / "data").load("local", 2021)
    assert again.to_json()["sections"] == drafted.to_json()["sections"]
    assert again.section("师资建设").status == "needs_figures"


def test_a_new_services_object_reads_the_workspace_back(tmp_path: Path, real_chunks, drafted, store) -> None:
    from assistant.index.catalog import Catalog
    from assistant.services import Services
    from assistant.settings import Settings
    from tests.conftest import REAL_REPORT

    store.save(drafted)
    catalog = Catalog(tmp_path / "data" / "index.sqlite3")
    catalog.commit_document("reports/2020_self_assessment_report.txt", "sha", REAL_REPORT.stat().st_size, "report",
                            2020, "2020", real_chunks)
    catalog.close()
    services = Services(Settings(knowledge_dir=tmp_path / "k", data_dir=tmp_path / "data"))
    loaded = services.workspace("local", 2021)
    assert loaded.section("师资建设").text == drafted.section("师资建设").text
    fresh = services.workspace("li", 2021)  # another owner: a new workspace from the outline, nothing drafted
    assert fresh.titles == NINE and all(s.status == "empty" for s in fresh.sections)
    assert not (tmp_path / "data" / "reports" / "li").exists()


def test_failed_save_keeps_the_previous_version(drafted, store, monkeypatch) -> None:
    path = store.save(drafted)
    before = path.read_bytes()
    drafted.section("项目管理").text = "## 六. 项目管理\n\n改写。\n"

    def boom(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        store.save(drafted)
    assert path.read_bytes() == before and [p.name for p in path.parent.iterdir()] == ["2021.json"]


def test_owner_and_year_are_checked(store) -> None:
    for owner in ("../x", "", ".hidden", "a/b"):
        with pytest.raises(WorkspaceError, match="invalid workspace owner"):
            store.path(owner, 2021)
    with pytest.raises(WorkspaceError, match="invalid report year"):
        store.path("local", 21)


def test_edit_rechecks_only_the_changed_paragraph(drafted, real_env, monkeypatch) -> None:
    section = drafted.section("学生培养")
    (finding,) = section.findings
    assert finding["kind"] == "unchanged" and "75 篇" in finding["quote"]
    blocks = split_blocks(section.text)
    target = next(i for i, b in enumerate(blocks) if "就业率达" in b.text)
    checked: list[str] = []
    real_check = review.check_text
    monkeypatch.setattr(review, "check_text", lambda text, *args: checked.append(text) or real_check(text, *args))
    old = next(n["raw"] for n in section.not_updated if n["raw"].startswith("96.81%"))
    new_text = section.text.replace(blocks[target].text, blocks[target].text.replace(f"=={old}==", "97.02%"))
    result = edit_section(drafted, "学生培养", new_text, real_env)
    assert result["changed"] == [target] and len(checked) == 1 and "97.02%" in checked[0]
    assert section.findings == [finding]  # the other paragraph's finding is kept as it was
    assert old not in [n["raw"] for n in section.not_updated]  # the figure was updated
    assert section.mode == "edited" and section.status == "needs_figures"


def test_status_from_drafted_to_done(drafted, real_env) -> None:
    section = drafted.section("项目管理")
    assert section.status == "needs_figures"
    text = section.text.replace("==", "")
    section.touch(text, "edited")
    assert section.status == "drafted"  # changed, not checked yet
    edit_section(drafted, "项目管理", text + "\n补充一句。", real_env)
    assert section.status == "checked"
    section.done = True
    assert section.status == "done"
    edit_section(drafted, "项目管理", text + "\n再补充一句。", real_env)
    assert section.status == "checked" and not section.done
    edit_section(drafted, "项目管理", "", real_env)
    assert section.status == "empty"


def test_acknowledge_keeps_across_edits_elsewhere_and_drops_when_the_figure_changes(drafted, real_env) -> None:
    section = drafted.section("办学特色")
    first = section.findings[0]
    with pytest.raises(WorkspaceError, match="reason"):
        acknowledge(drafted, first["key"], " ", "wang", real_env)
    acknowledge(drafted, first["key"], "奖教金为学校评定，本年无新增", "wang", real_env)
    assert section.findings[0]["acknowledged"] and len(section.open_findings) == len(section.findings) - 1
    other = next(b for b in split_blocks(section.text) if b.kind == "paragraph" and first["quote"] not in b.plain)
    edit_section(drafted, "办学特色", section.text.replace(other.text, other.text + "（补充）"), real_env)
    assert next(f for f in section.findings if f["key"] == first["key"])["acknowledged"]
    check_report(drafted, real_env)  # a full re-check: still acknowledged (from the store)
    assert next(f for f in section.findings if f["key"] == first["key"])["acknowledged"]
    raw = first["quote"][-3:]  # "17名"
    edit_section(drafted, "办学特色", section.text.replace(raw, raw.replace("17", "18"), 1), real_env)
    assert first["key"] not in {f["key"] for f in section.findings}


def test_acknowledging_a_figure_not_updated_removes_its_highlight(drafted, real_env) -> None:
    section = drafted.section("财务状况")
    item = section.not_updated[0]
    acknowledge(drafted, item["key"], "学费标准未调整", "wang", real_env)
    assert f"=={item['raw']}==" not in section.text and item["raw"] in section.text
    assert item["key"] not in {n["key"] for n in section.not_updated}
    with pytest.raises(WorkspaceError, match="no finding with key"):
        acknowledge(drafted, "000000000000", "x", "wang", real_env)


def across(workspace) -> list[dict]:
    return [f for s in workspace.sections for f in s.findings if f.get("across")]


def test_cross_section_consistency(drafted, real_env) -> None:
    # a teacher count stated again in another section with another value
    assert across(drafted) == []
    basic = drafted.section("办学基本情况")
    edit_section(drafted, "办学基本情况", basic.text + "\n2021 年，学院任课教师 118 人。\n", real_env)
    # 师资建设 (later) states 任课教师 120 (college), 113 (not updated) and 12 (one programme), never 118
    found = across(drafted)
    assert found and {f["section"] for f in found} == {"师资建设"} and {f["rule"] for f in found} == {"duplicate.value"}
    assert {f["value"] for f in found} == {120} and all("办学基本情况" in f["message"] for f in found)
    assert all(r["section"] == "办学基本情况" and "118" in r["quote"] for f in found for r in f["related"])
    # anchored on the figure of its own block
    teachers = drafted.section("师资建设")
    blocks = split_blocks(teachers.text)
    assert all(blocks[f["block"]].plain[f["span"][0]:f["span"][1]].startswith("120") for f in found)
    # acknowledged like any other finding, and kept across a re-check of the whole report
    acknowledge(drafted, found[0]["key"], "口径不同：含外聘", "wang", real_env)
    check_report(drafted, real_env)
    assert [f["acknowledged"] for f in across(drafted) if f["key"] == found[0]["key"]] == [True]
    # the same value is consistent
    edit_section(drafted, "办学基本情况", basic.text.replace("118 人", "120 人"), real_env)
    assert across(drafted) == []


def test_sum_across_sections(drafted, real_env) -> None:
    """Parts in one section and their total in another: the pass over the whole report finds the sum."""
    basic = drafted.section("办学基本情况")
    # 师资建设 states 任课教师 120 人 for the college, 英方任课教师 35 人; 80 + 35 is not 120
    edit_section(drafted, "办学基本情况", basic.text + "\n2021 年，学院中方任课教师 80 人，外方任课教师 35 人。\n", real_env)
    found = [f for f in across(drafted) if f["rule"] == "sum.partition"]
    assert len(found) == 1, [f["message"] for f in across(drafted)]
    assert found[0]["section"] == "师资建设" and found[0]["value"] == 120 and "115" in found[0]["message"]
    assert "办学基本情况" in {r["section"] for r in found[0]["related"]}
    edit_section(drafted, "办学基本情况", basic.text + "\n2021 年，学院中方任课教师 85 人，外方任课教师 35 人。\n", real_env)
    assert [f for f in across(drafted) if f["rule"] == "sum.partition"] == []


@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_consistent_sample_reports_raise_no_alarm_across_sections(year, sample_chunks, make_env, store) -> None:
    """Each sample report put back as a workspace (its own text): figures agree across sections."""
    from assistant.drafting import section_chunks, section_markdown

    env = make_env(sample_chunks)
    workspace = store.open("local", year, outline_for(sample_chunks, year + 1))
    for s in workspace.sections:
        s.text = section_markdown(section_chunks(sample_chunks, s.title, year), s.title)[0]
    check_report(workspace, env)
    assert sum(len(s.text) for s in workspace.sections) > 2000
    assert across(workspace) == []


def test_draft_all_keeps_hand_edits_unless_overwrite(drafted, real_env) -> None:
    edit_section(drafted, "社会评价", "## 八. 社会评价\n\n手工改写的一段。\n", real_env)
    result = draft_all(drafted, real_env)
    assert result["skipped"] == ["社会评价"] and "手工改写" in drafted.section("社会评价").text
    assert draft_all(drafted, real_env, overwrite=True)["skipped"] == []
    assert "手工改写" not in drafted.section("社会评价").text


def test_notes_from_dir(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "三、师资建设.md").write_text("- 任课教师 120 人", encoding="utf-8")
    (folder / "财务状况.txt").write_text("- 学费 60000 元", encoding="utf-8")
    (folder / "招生宣传.md").write_text("x", encoding="utf-8")
    (folder / "学生培养.md").write_bytes("- 学生党员 150 人".encode("gb18030"))
    (folder / "表格.xlsx").write_bytes(b"PK")
    notes, warnings = notes_from_dir(folder, NINE)
    assert notes == {"师资建设": "- 任课教师 120 人", "财务状况": "- 学费 60000 元"}
    assert any("招生宣传.md" in w and "matches no section" in w for w in warnings)
    assert any("学生培养.md" in w and "not UTF-8" in w for w in warnings)
    assert any("表格.xlsx" in w for w in warnings)
    with pytest.raises(WorkspaceError, match="notes folder not found"):
        notes_from_dir(tmp_path / "missing", NINE)


def test_whole_report_findings_grouped_by_section(drafted, real_env) -> None:
    grouped = check_report(drafted, real_env)
    assert [g["title"] for g in grouped] == NINE
    by_title = {g["title"]: g for g in grouped}
    assert [f["kind"] for f in by_title["办学特色"]["findings"]] == ["unchanged"] * 3
    assert all(n["kind"] == "not_updated" and n["key"] for g in grouped for n in g["not_updated"])
    # every quote is in its section's text (so the UI and the Word export can find it)
    for s in drafted.sections:
        plain = s.text.replace("==", "")
        assert all(f["quote"] in plain for f in s.findings + s.not_updated)
    json.dumps(grouped, ensure_ascii=False)


def test_write_mode_for_one_section_keeps_the_drafters_placeholders(sample_chunks, store, tmp_path: Path) -> None:
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from assistant.drafting import DraftDeps
    from assistant.figures.acknowledgements import AcknowledgementStore
    from assistant.report import ReportEnv, draft_one

    response = ("### 1. 队伍总体情况\n\n2024 年学院任课教师共 135 人，其中外方教师 【待补充：外方教师人数】。"
                "全院生师比为 11.43。")  # 11.43 is 2023's ratio: the drafter replaces it
    env = ReportEnv(chunks=lambda: sample_chunks,
                    draft_deps=DraftDeps(chunks=sample_chunks, chat_model=FakeListChatModel(responses=[response])),
                    acks=AcknowledgementStore.for_data_dir(tmp_path / "data"))
    workspace = store.open("local", 2024, outline_for(sample_chunks, 2024))
    section = draft_one(workspace, "师资建设", env, mode="write", notes="- 任课教师 135 人")
    assert section.mode == "write" and section.notes == "- 任课教师 135 人" and "135 人" in section.text
    reasons = {p["metric"]: p.get("reason") for p in section.placeholders}
    assert reasons.get("外方教师人数") == "missing" and "stale" in reasons.values()
    assert "11.43" not in section.text and all(isinstance(p["block"], int) for p in section.placeholders)
    assert section.status == "needs_figures"
    # draft all leaves a section written by the model alone
    assert "师资建设" in draft_all(workspace, env)["skipped"]


def test_notes_mode_for_one_section_and_draft_all_leaves_it(sample_chunks, store, tmp_path: Path) -> None:
    from assistant.drafting import DraftDeps
    from assistant.figures.acknowledgements import AcknowledgementStore
    from assistant.report import ReportEnv, draft_one
    from tests.drafting.conftest import ScriptedModel

    model = ScriptedModel(["本年度，学院新组建人工智能课程教学团队，由中外教师共同授课。"])
    env = ReportEnv(chunks=lambda: sample_chunks, draft_deps=DraftDeps(chunks=sample_chunks, chat_model=model),
                    acks=AcknowledgementStore.for_data_dir(tmp_path / "data"))
    workspace = store.open("local", 2024, outline_for(sample_chunks, 2024))
    notes = "- 任课教师 135 人\n- 新组建人工智能课程教学团队，由中外教师共同授课"
    section = draft_one(workspace, "师资建设", env, mode="notes", notes=notes)
    assert section.mode == "notes" and "135 人" in section.text and "新组建人工智能课程教学团队" in section.text
    assert section.unused_notes == [] and len(model.calls) == 1
    assert draft_all(workspace, env)["skipped"] == ["师资建设"]  # the model's sentence is not redrafted away
    assert "新组建人工智能课程教学团队" in workspace.section("师资建设").text


def test_the_workspace_check_uses_the_configured_thresholds(drafted, real_env) -> None:
    import dataclasses

    from assistant.figures import CheckThresholds
    from assistant.report import check_report

    section = next(s for s in drafted.sections if s.title == "学生培养")
    section.text += "\n\n2024 年 3 月，学院获批新建实验室。"
    rules = lambda ws: [f["rule"] for s in ws.sections for f in s.findings]
    check_report(drafted, real_env)
    assert "domain.future_date" in rules(drafted)  # 2024 is beyond 2021 + 1
    lenient = dataclasses.replace(real_env, thresholds=CheckThresholds(future_years=5))
    check_report(drafted, lenient)
    assert "domain.future_date" not in rules(drafted)  # as `check` with ASSISTANT_CHECK__FUTURE_YEARS=5 says
