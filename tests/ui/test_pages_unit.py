"""Page helpers without a server: upload checks, answer rendering, tables."""

from __future__ import annotations

import pytest

from assistant.ui.chat import render_answer, render_citations, render_messages
from assistant.ui.check import findings_frame, series_frame
from assistant.ui.draft import highlight
from assistant.ui.i18n import TEXT, Labels, t
from assistant.ui.uploads import UploadRejected, check_upload, safe_filename, save_upload


@pytest.mark.parametrize("name, expected", [
    ("report.md", "report.md"),
    ("docs/2024 自评报告.docx", "2024 自评报告.docx"),
    ("C:\\Users\\x\\..\\", None),
    ("sub\\dir\\a.pdf", "a.pdf"),
])
def test_safe_filename_strips_directories(name, expected):
    if expected is None:
        with pytest.raises(UploadRejected):
            safe_filename(name)
    else:
        assert safe_filename(name) == expected


@pytest.mark.parametrize("name", ["../etc/passwd.md", "a/../../b.md", "/etc/x.md", "C:\\x.md", "\\\\server\\x.md",
                                  "a\x00b.md", "a\nb.md", "", "   ", ".hidden.md", "..", "x/", "名" * 121 + ".md"])
def test_safe_filename_rejects(name):
    with pytest.raises(UploadRejected):
        safe_filename(name)


def test_check_upload_type_and_size(tmp_path):
    good = tmp_path / "a.md"
    good.write_text("# 标题\n内容", encoding="utf-8")
    assert check_upload(good, "a.md", 1) == "a.md"
    with pytest.raises(UploadRejected, match="类型"):
        check_upload(good, "a.exe", 1)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    with pytest.raises(UploadRejected, match="过大"):
        check_upload(big, "big.txt", 1)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(UploadRejected):
        check_upload(empty, "empty.txt", 1)


def test_save_upload_stays_inside_knowledge(tmp_path):
    src = tmp_path / "upload.md"
    src.write_text("内容", encoding="utf-8")
    knowledge = tmp_path / "knowledge"
    assert save_upload(src, "x/../report.md".replace("x/../", ""), knowledge, "reports", 1) == "reports/report.md"
    assert (knowledge / "reports" / "report.md").read_text(encoding="utf-8") == "内容"
    with pytest.raises(UploadRejected):
        save_upload(src, "report.md", knowledge, "../outside", 1)
    assert not list(knowledge.rglob(".*.part"))


def test_answer_markers_link_to_citations_and_warn():
    meta = {"citations": [{"n": 1, "source": "reports/a.md", "section": "三 > 师资", "year": 2022, "page": None,
                           "quote": "生师比为11.21 <b>"}], "unsupported_numbers": ["999"]}
    html = render_answer("生师比为11.21[1]，另见[2]。", meta, 3, "zh")
    assert '<a href="#cite-3-1" class="cite-ref"' in html and "[2]" in html and "#cite-3-2" not in html
    assert "999" in html and "未能在引用资料中核实" in html
    panel = render_citations([{"role": "user", "content": "q"}, {"role": "assistant", "content": "x", "meta": meta}], "en")
    assert 'id="cite-1-1"' in panel and "&lt;b&gt;" in panel and "reports/a.md" in panel and "Section" in panel
    assert render_answer("无法连接", {"error": True}, 1, "zh").startswith("出错：")
    shown = render_messages([{"role": "user", "content": "q", "meta": {}},
                             {"role": "assistant", "content": "a[1]", "meta": meta}], "zh")
    assert shown[0] == {"role": "user", "content": "q"} and "cite-1-1" in shown[1]["content"]


def test_findings_and_series_frames():
    findings = [{"kind": "yoy_jump", "quote": "在校生 4474 人", "value": 4474.0, "message": "约为 3.3 倍",
                 "reference": {"year": 2022, "value": 1368.0, "source": "r.md", "quote": "在校生1368人"}}]
    frame = findings_frame(findings, "zh")  # a finding of the first check version: reference only
    assert list(frame.columns)[:3] == ["等级", "类型 · 规则", "草稿原文"]
    assert frame.iloc[0]["相关数字（原文、出处）"] == "上年 2022 年 1368 —「在校生1368人」（r.md）"
    graded = [{"kind": "sum", "quote": "国内外读研深造率达 91.5%", "value": 91.5, "message": "分项之和 90.7% 不等于总数",
               "grade": "error", "rule": "sum.partition", "arithmetic": "66.4% + 24.3% = 90.7%，草稿写 91.5%",
               "related": [{"role": "part", "raw": "66.4%", "quote": "海外深造率达 66.4%", "source": "draft"},
                           {"role": "part", "raw": "24.3%", "quote": "国内深造率24.3%", "source": "draft"}]}]
    row = findings_frame(graded, "zh").iloc[0]
    assert row["等级"] == "错误 error" and row["类型 · 规则"] == "分项之和不符 (sum) · sum.partition"
    assert row["计算"] == "66.4% + 24.3% = 90.7%，草稿写 91.5%"
    assert row["相关数字（原文、出处）"].split("\n") == ["分项 66.4% —「海外深造率达 66.4%」（草稿）",
                                                  "分项 24.3% —「国内深造率24.3%」（草稿）"]
    english = findings_frame(graded, "en")
    assert list(english.columns)[0] == "Grade" and english.iloc[0]["Grade"] == "error"
    series = series_frame([{"metric": "在校生", "values": {2023: 4474.0, 2022: 1368.0}}], "zh")
    assert series["year"].tolist() == ["2022", "2023"] and series["value"].tolist() == [1368.0, 4474.0]


def test_draft_highlight():
    html = highlight("## 三、师资建设\n任课教师 ==24 人==，外方【待补充：外方教师人数】[1]<x>", [{"n": 1}])
    assert '<mark class="stale">24 人</mark>' in html
    assert '<mark class="placeholder">【待补充：外方教师人数】</mark>' in html
    assert 'href="#draft-cite-1"' in html and "&lt;x&gt;" in html


def test_draft_highlight_shows_provenance():
    text = "## 三、师资建设\n任课教师 120 人，生师比 ==6.91==。[1]本年度，学院新组建教学团队。\n"
    provenance = [{"kind": "updated", "sentence": "任课教师 120 人，生师比 ==6.91==。", "notes": [1], "year": 2020,
                   "label": "数字据材料第 1 条更新 [1] (figure updated from note 1 [1])"},
                  {"kind": "written", "sentence": "本年度，学院新组建教学团队。", "notes": [2], "year": None,
                   "label": "根据材料第 2 条新写 <b> (written from note 2)"}]
    html = highlight(text, [{"n": 1}], provenance)
    assert '<span class="prov prov-updated" title="数字据材料第 1 条更新 [1] (figure updated from note 1 [1])">' in html
    assert '<mark class="stale">6.91</mark>' in html and 'href="#draft-cite-1"' in html  # marks inside the span
    assert '<sup class="prov-tag prov-written"' in html and ">新写·材料2</sup>" in html and "&lt;b&gt;" in html
    assert html.index("prov-updated") < html.index("draft-cite-1") < html.index("prov-written")


def test_every_text_has_both_languages():
    assert all(len(v) == 2 and all(v) for v in TEXT.values())
    assert t("tab.chat", "en") == "Chat" and t("tab.chat") == "对话"
    import gradio as gr

    labels = Labels()
    with gr.Blocks():
        box = labels(gr.Textbox(), label="chat.question", placeholder="chat.placeholder")
        labels(box, label="chat.question")
        radio = labels(gr.Radio(choices=[("a", "write")]), choices=[("draft.write", "write")])
    assert labels.components == [box, radio]
    box_update, radio_update = labels.updates("en")
    assert box_update["label"] == "Question" and radio_update["choices"] == [("Write", "write")]


def test_low_confidence_ocr_citation_is_marked():
    from assistant.ui.knowledge import chunks_frame
    from assistant.types import Chunk

    cited = {"n": 1, "source": "scan.pdf", "section": "二、学生发展", "year": 2020, "page": 2, "quote": "就业率96.81%"}
    messages = [{"role": "user", "content": "q"},
                {"role": "assistant", "content": "a[1][2][3]", "meta": {"citations": [
                    {**cited, "ocr_confidence": 0.74}, {**cited, "n": 2, "ocr_confidence": 0.93},
                    {**cited, "n": 3, "ocr_confidence": None}]}}]
    panel = render_citations(messages, "zh", 0.8)
    assert panel.count("ocr-note") == 1
    assert "OCR 识别文本，置信度 0.74 (OCR text, confidence 0.74)" in panel
    assert panel.index("cite-1-1") < panel.index("OCR 识别文本") < panel.index("cite-1-2")
    assert render_citations(messages, "zh", 0.95).count("ocr-note") == 2  # the threshold is the setting's
    chunks = [Chunk("就业率96.81%", "scan.pdf", "二、学生发展", 2020, "report", page=2, ordinal=0, ocr_confidence=0.74),
              Chunk("| 项目 | 人数 |", "s.xlsx", "工作表 2022年", 2022, "data", ordinal=1)]
    frame = chunks_frame(chunks, "en", 0.8)
    assert list(frame.columns) == ["#", "Section", "Page", "Type", "Year", "OCR confidence", "Text"]
    assert frame.iloc[0].tolist() == [0, "二、学生发展", "2", "Report", "2020", "0.74 ⚠", "就业率96.81%"]
    assert frame.iloc[1].tolist()[3:6] == ["Statistics", "2022", ""]
    assert chunks_frame(chunks, "zh").iloc[1, 3] == "统计数据"


def test_findings_frame_with_keys_grades_and_acknowledgements():
    findings = [{"kind": "yoy_jump", "quote": "在校生 9000 人", "value": 9000.0, "message": "约为 6.1 倍", "grade": "warning",
                 "arithmetic": "9000/1474=6.1", "metric": "在校生", "reference": None, "key": "0123456789ab",
                 "acknowledged": True, "acknowledgement": {"reason": "新校区", "user": "wang", "at": 1.0}},
                {"kind": "duplicate", "quote": "任课教师 120 人", "value": 120.0, "message": "不一致", "key": "ba9876543210",
                 "acknowledged": False}]
    frame = findings_frame(findings, "zh")
    assert list(frame.columns)[-2:] == ["编号", "状态"]
    assert (frame.iloc[0]["等级"], frame.iloc[0]["计算"], frame.iloc[0]["说明"]) == ("警告 warning", "9000/1474=6.1", "约为 6.1 倍")
    assert frame.iloc[0]["状态"] == "已确认（wang：新校区）"
    assert frame.iloc[1]["类型 · 规则"] == "同一指标两个数值 (duplicate)" and frame.iloc[1]["状态"] == "待核对"
    from assistant.ui.check import finding_choices

    assert finding_choices(findings, "en")[0] == ("✓ year-over-year change (yoy_jump)：在校生 9000 人 [0123456789ab]", "0123456789ab")


def test_report_page_frames():
    from assistant.report import Workspace
    from assistant.report.outline import Outline, OutlineSection
    from assistant.ui.report import checklist_frame, finding_choices, finding_details, findings_frame, sections_frame

    ws = Workspace.from_outline(2024, "wang", Outline((OutlineSection("师资建设", "三、师资建设"), OutlineSection("财务状况", "七、财务状况"))))
    s = ws.sections[0]
    s.text, s.checked_at = "## 三、师资建设\n\n任课教师 ==129 人==。\n", 2.0
    s.not_updated = [{"kind": "not_updated", "raw": "129 人", "quote": "任课教师 129 人", "message": "沿用", "key": "aaaaaaaaaaaa",
                      "block": 1, "sentence": "任课教师 129 人。"}]
    s.findings = [{"kind": "unchanged", "quote": "累计 500 人", "value": 500.0, "message": "相同", "key": "bbbbbbbbbbbb",
                   "acknowledged": False, "reference": {"year": 2023, "value": 500.0, "source": "r.md", "quote": "累计 500 人"}}]
    frame = sections_frame(ws, "zh")
    assert frame.iloc[0].tolist() == ["三、师资建设", "待补数据 (needs_figures)", 0, 1, 1, 0, ""]
    assert frame.iloc[1]["状态"] == "未起草 (empty)"
    rows = findings_frame(ws, "en")
    assert rows["Key"].tolist() == ["bbbbbbbbbbbb", "aaaaaaaaaaaa"]  # findings before figures not updated
    assert [k for _, k in finding_choices(ws, "zh")] == ["bbbbbbbbbbbb", "aaaaaaaaaaaa"]
    details = finding_details(ws, "bbbbbbbbbbbb", "zh")
    assert "师资建设" in details and "2023" in details and "r.md" in details
    assert finding_details(ws, "cccccccccccc", "zh") == ""

    class Item:
        id, title, title_en, article = "ratio", "生师比", "Student-teacher ratio", "第十四条"

    class Result:
        item, status, where, quote, message = Item(), "ok", "师资建设", "生师比为 11.43。", ""
        regulation = {"source": "regulations/办法.md", "quote": "第十四条 生师比不得高于 18:1"}

    table = checklist_frame([Result()], "en")
    assert table.iloc[0].tolist() == ["Student-teacher ratio", "ok (ok)", "师资建设", "生师比为 11.43。",
                                      "第十四条（regulations/办法.md）：第十四条 生师比不得高于 18:1"]


def test_every_interface_text_key_is_written_once():
    """A key written twice in the TEXT literal silently keeps the second text only (the report page's
    notes box once showed the notes-mode button's label)."""
    import ast
    from pathlib import Path

    import assistant.ui.i18n as i18n

    tree = ast.parse(Path(i18n.__file__).read_text(encoding="utf-8"))
    literal = next(node.value for node in ast.walk(tree) if isinstance(node, ast.AnnAssign)
                   and getattr(node.target, "id", "") == "TEXT")
    keys = [k.value for k in literal.keys]
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})
    assert i18n.TEXT["report.notes"][0] == "本节素材与要点" and "report.notes_mode" in i18n.TEXT
