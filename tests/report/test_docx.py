"""The Word round trip: the whole report out (footnotes, highlights, one comment per finding and
figure not updated, anchored on the figure), LibreOffice opens it, and a reviewed file comes back in
(changed paragraphs re-checked, replies and resolved comments read back, bad files refused)."""

from __future__ import annotations

import copy
import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX

from assistant.report import check_report, outline_for, review
from assistant.report.blocks import split_blocks
from assistant.report.docx_export import (
    KEY_LABEL,
    export_report,
    figure_span,
    footnotes_of,
)
from assistant.report.docx_import import ImportRejected, import_docx
from tests.support import word_review
from tests.support.docx_render import (
    annotations,
    comment_anchors,
    ink,
    page_png,
    to_pdf,
)

CJK = re.compile(r"[\u4e00-\u9fff]")


def _expected_comments(workspace) -> dict[str, str]:
    """key → the figure text its comment must be anchored on."""
    out = {}
    for s in workspace.sections:
        blocks = split_blocks(s.text)
        for f in s.open_findings:
            a, b = figure_span(blocks[f["block"]].plain, f["quote"], f["value"])
            out[f["key"]] = blocks[f["block"]].plain[a:b]
        for n in s.not_updated:
            out[n["key"]] = n["raw"]
    return out


def test_export_whole_report(drafted, tmp_path: Path) -> None:
    info = export_report(drafted, tmp_path / "2021.docx")
    path = Path(info["path"])
    document = docx.Document(str(path))
    # headings: the title, then the nine sections as Heading 1 in order
    assert document.paragraphs[0].style.name == "Title" and document.paragraphs[0].text == "2021 年度自评报告"
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [s.heading for s in drafted.sections]
    assert "year=2021" in document.core_properties.keywords and "scope=all" in document.core_properties.keywords
    # footnotes: one per citation, file · section · year
    notes = footnotes_of(path)
    assert len(notes) == info["footnotes"] == sum(len(s.citations) for s in drafted.sections) > 9
    assert all(n.startswith("来源：reports/2020_self_assessment_report.txt · ") and n.endswith("· 2020 年") for n in notes)
    assert any("三. 师资建设 > 3. 教师队伍数量与结构满足本科教学需求" in n for n in notes)
    # one comment per open finding and per figure not updated, with its key, anchored on the figure
    expected = _expected_comments(drafted)
    comments = list(document.comments)
    assert len(comments) == info["comments"] == len(expected) > 50
    keys = [word_review.keys_in(c.text)[0] for c in comments]
    assert sorted(keys) == sorted(expected)
    anchored = comment_anchors(path)
    for c, key in zip(comments, keys):
        assert anchored[str(c.comment_id)] == expected[key], (c.text, anchored[str(c.comment_id)])
    finding = next(c for c in comments if "未随年度更新" in c.text)
    assert "对照 reference：2020 年" in finding.text and KEY_LABEL in finding.text
    # figures not updated are highlighted, updated note figures are not
    highlighted = {r.text for p in document.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW}
    assert {n["raw"] for s in drafted.sections for n in s.not_updated} <= highlighted
    assert "120 人" not in highlighted and "7.05" not in highlighted
    with zipfile.ZipFile(path) as z:
        assert {"word/footnotes.xml", "word/comments.xml"} <= set(z.namelist())
    # a clean copy for submission: no comments, the same footnotes
    clean = export_report(drafted, tmp_path / "clean.docx", comments=False)
    assert clean["comments"] == 0 and footnotes_of(clean["path"]) == notes


def test_libreoffice_opens_the_export(drafted, tmp_path: Path) -> None:
    with_comments = Path(export_report(drafted, tmp_path / "review.docx")["path"])
    pdf = to_pdf(with_comments, tmp_path / "pdf")
    png = page_png(pdf, 1, tmp_path / "page1.png")
    assert png.exists() and ink(png) > 0.01  # text on the page, not a blank render
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 8
    notes = sum(len(annotations(pdf, n)) for n in range(1, len(reader.pages) + 1))
    assert notes == len(_expected_comments(drafted))  # LibreOffice read every comment
    # without comments LibreOffice also lays out the footnote texts (see tests/support/docx_render.py)
    clean = to_pdf(Path(export_report(drafted, tmp_path / "clean.docx", comments=False)["path"]), tmp_path / "pdf")
    text = "".join(p.extract_text() for p in PdfReader(str(clean)).pages)
    assert "来源：reports/2020_self_assessment_report.txt" in text.replace("\n", "")


@pytest.fixture
def spy(monkeypatch) -> list[str]:
    """The texts the block-by-block check reads; ``spy.reports`` counts the passes over the whole report."""

    class Checked(list):
        reports = 0

    checked = Checked()
    real, real_report = review.check_text, review.check_assembled

    def report_pass(text, *args):
        checked.reports += 1
        return real_report(text, *args)

    monkeypatch.setattr(review, "check_text", lambda text, *args: checked.append(text) or real(text, *args))
    monkeypatch.setattr(review, "check_assembled", report_pass)
    return checked


def test_import_of_the_unchanged_file_changes_nothing(drafted, real_env, tmp_path: Path, spy) -> None:
    path = Path(export_report(drafted, tmp_path / "r.docx")["path"])
    updated, info = import_docx(drafted, path, real_env)
    assert spy == [] and spy.reports == 0 and all(s["changed_blocks"] == [] for s in info["sections"])
    assert [s.text for s in updated.sections] == [s.text for s in drafted.sections]
    assert [s.citations for s in updated.sections] == [s.citations for s in drafted.sections]
    assert [s.mode for s in updated.sections] == ["update"] * 9


def test_import_after_changing_one_figure_rechecks_only_that_paragraph(drafted, real_env, tmp_path: Path, spy) -> None:
    path = Path(export_report(drafted, tmp_path / "r.docx")["path"])
    document = docx.Document(str(path))
    assert word_review.replace_in_runs(document, "占 31.6%", "占 41.6%", contains="生师比为") == 1
    document.save(str(tmp_path / "edited.docx"))
    before = copy.deepcopy(drafted.to_json())
    updated, info = import_docx(drafted, tmp_path / "edited.docx", real_env)
    assert drafted.to_json() == before  # the given workspace is untouched; the caller saves the copy
    changed = {s["title"]: s["changed_blocks"] for s in info["sections"] if s["changed_blocks"]}
    teachers_old, teachers = drafted.section("师资建设"), updated.section("师资建设")
    target = next(i for i, b in enumerate(split_blocks(teachers.text)) if "41.6%" in b.text)
    assert changed == {"师资建设": [target]} and len(spy) == 1 and "占 41.6%（38 人）" in spy[0]
    assert spy.reports == 1  # and the report once as a whole, for figures across sections
    new = [f for f in teachers.findings if f["block"] == target]
    assert [(f["kind"], f["value"]) for f in new] == [("arithmetic", 41.6)]  # 38 of 120 teachers is 31.7%
    assert [f for f in teachers.findings if f["block"] != target] == [f for f in teachers_old.findings if f["block"] != target]
    assert teachers.mode == "imported" and teachers.citations == teachers_old.citations
    for s_old, s_new in zip(drafted.sections, updated.sections):
        if s_new.title != "师资建设":
            assert s_new.text == s_old.text and s_new.findings == s_old.findings
    assert updated.imports[-1]["changed"] == 1


def test_replies_and_resolved_comments_are_read_back(drafted, real_env, tmp_path: Path) -> None:
    path = Path(export_report(drafted, tmp_path / "r.docx")["path"])
    document = docx.Document(str(path))
    finding = drafted.section("学生培养").findings[0]
    unverified = drafted.section("财务状况").not_updated[0]
    word_review.reply(document, word_review.comment_with(document, finding["key"]), "已核对：论文为累计数，本年无新增。", "张老师")
    word_review.resolve(document, word_review.comment_with(document, unverified["key"]))
    own = word_review.comment_on(document, "格拉斯哥学院实践以", "这一段请再精炼。", "李处长")
    word_review.reply(document, own, "好的，下一稿修改。", "王老师")
    document.core_properties.last_modified_by = "李处长"
    document.save(str(tmp_path / "reviewed.docx"))

    updated, info = import_docx(drafted, tmp_path / "reviewed.docx", real_env, user="wang")
    assert info["acknowledged"] == [{"key": finding["key"], "section": "学生培养",
                                     "reason": "已核对：论文为累计数，本年无新增。", "user": "张老师"}]
    acked = next(f for f in updated.section("学生培养").findings if f["key"] == finding["key"])
    assert acked["acknowledged"] and real_env.acks.get(finding["key"])["user"] == "张老师"
    assert [v["key"] for v in info["verified"]] == [unverified["key"]]
    finance = updated.section("财务状况")
    assert f"=={unverified['raw']}==" not in finance.text and unverified["key"] not in {n["key"] for n in finance.not_updated}
    (comment,) = updated.section("办学基本情况").comments
    assert comment["author"] == "李处长" and comment["text"] == "这一段请再精炼。" and not comment["resolved"]
    assert comment["replies"] == [{"author": "王老师", "text": "好的，下一稿修改。"}] and comment["anchor"]
    assert info["reviewer_comments"] == 1
    check_report(updated, real_env)  # a later full check keeps the acknowledgement
    assert next(f for f in updated.section("学生培养").findings if f["key"] == finding["key"])["acknowledged"]
    # exported again: the acknowledged finding and the confirmed figure get no comment
    again = docx.Document(export_report(updated, tmp_path / "again.docx")["path"])
    texts = "\n".join(c.text for c in again.comments)
    assert finding["key"] not in texts and unverified["key"] not in texts


def test_one_section_out_and_back(drafted, real_env, tmp_path: Path) -> None:
    info = export_report(drafted, tmp_path / "teachers.docx", sections=["师资建设"])
    document = docx.Document(info["path"])
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["三. 师资建设"]
    assert "scope=sections" in document.core_properties.keywords
    assert word_review.replace_in_runs(document, "生师比为 7.05", "生师比为 7.10") == 1
    document.save(str(tmp_path / "teachers2.docx"))
    updated, result = import_docx(drafted, tmp_path / "teachers2.docx", real_env)
    assert [s["title"] for s in result["sections"]] == ["师资建设"]
    assert "生师比为 7.10" in updated.section("师资建设").text
    assert updated.section("学生培养").text == drafted.section("学生培养").text


# ---- bad input -----------------------------------------------------------------------------------


def _no_headings(tmp: Path, _drafted) -> Path:
    d = docx.Document()
    d.add_paragraph("会议纪要：本次会议讨论了下学期的课程安排。")
    d.add_paragraph("与会人员：王老师、李老师。")
    path = tmp / "minutes.docx"
    d.save(str(path))
    return path


def _other_year(tmp: Path, drafted) -> Path:
    other = copy.deepcopy(drafted)
    other.year = 2020
    return Path(export_report(other, tmp / "2020.docx")["path"])


def _plain_titled(tmp: Path, _drafted) -> Path:
    d = docx.Document()
    d.add_paragraph("2019 年度自评报告")
    d.add_heading("一、办学基本情况", level=1)
    d.add_paragraph("学院在校生 1200 人。")
    path = tmp / "old.docx"
    d.save(str(path))
    return path


def _missing_section(tmp: Path, drafted) -> Path:
    path = Path(export_report(drafted, tmp / "r.docx")["path"])
    d = docx.Document(str(path))
    body = d.element.body
    start = next(p for p in d.paragraphs if p.text == "七. 财务状况")
    stop = next(p for p in d.paragraphs if p.text == "八. 社会评价")
    el = start._p
    while el is not stop._p:
        nxt = el.getnext()
        body.remove(el)
        el = nxt
    d.save(str(path))
    return path


def _renamed_section(tmp: Path, drafted) -> Path:
    path = Path(export_report(drafted, tmp / "r.docx")["path"])
    d = docx.Document(str(path))
    heading = next(p for p in d.paragraphs if p.text == "六. 项目管理")
    heading.runs[0].text = "六. 合作与交流"
    d.save(str(path))
    return path


def _too_large(tmp: Path, drafted) -> Path:
    path = Path(export_report(drafted, tmp / "r.docx")["path"])
    with path.open("ab") as f:
        f.truncate(3 * 1024 * 1024)  # sparse: 3 MB over a 2 MB limit
    return path


def _corrupt(tmp: Path, _drafted) -> Path:
    path = tmp / "broken.docx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    return path


def _truncated(tmp: Path, drafted) -> Path:
    path = Path(export_report(drafted, tmp / "r.docx")["path"])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _wrong_type(tmp: Path, _drafted) -> Path:
    path = tmp / "notes.txt"
    path.write_text("一、办学基本情况\n", encoding="utf-8")
    return path


BAD = {
    "no headings": (_no_headings, "not a report"),
    "another year (from the file's properties)": (_other_year, "this file is the 2020 report, the workspace is 2021"),
    "another year (from the title line)": (_plain_titled, "this file is the 2019 report"),
    "section missing": (_missing_section, "sections missing: 财务状况"),
    "section renamed": (_renamed_section, "sections renamed or repeated: 六. 合作与交流"),
    "over the size limit": (_too_large, "file too large"),
    "corrupt": (_corrupt, "not a zip archive"),
    "truncated": (_truncated, "DOCX"),
    "not a .docx": (_wrong_type, "only .docx files"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_files_are_refused_and_change_nothing(case, drafted, real_env, store, tmp_path: Path) -> None:
    make, reason = BAD[case]
    stored = store.save(drafted)
    before_file, before = stored.read_bytes(), json.dumps(drafted.to_json(), ensure_ascii=False)
    path = make(tmp_path, drafted)
    with pytest.raises(ImportRejected) as error:
        import_docx(drafted, path, real_env, max_mb=2)
    message = str(error.value)
    assert reason in message and CJK.search(message) and path.name in message, message
    assert json.dumps(drafted.to_json(), ensure_ascii=False) == before and stored.read_bytes() == before_file


def test_tables_and_their_citations_round_trip(sample_chunks, make_env, store, tmp_path: Path, spy) -> None:
    """The sample 2023 report has tables (and a citation after a table): out to Word and back unchanged."""
    from assistant.report import draft_all

    env = make_env(sample_chunks)
    workspace = store.open("local", 2024, outline_for(sample_chunks, 2024))
    draft_all(workspace, env)
    tables = [b for s in workspace.sections for b in split_blocks(s.text) if b.kind == "table"]
    assert tables and any(re.search(r"\|\[\d+\]$", b.text) for b in tables)
    info = export_report(workspace, tmp_path / "2024.docx")
    document = docx.Document(info["path"])
    assert document.tables and all(len(t.columns) == 3 for t in document.tables[:1])
    spy.clear()
    updated, result = import_docx(workspace, Path(info["path"]), env)
    assert spy == [] and all(s["changed_blocks"] == [] for s in result["sections"])
    assert [s.text for s in updated.sections] == [s.text for s in workspace.sections]
