"""DOCX export of drafted sections: footnotes, fonts, highlighted placeholders and stale figures."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn

from assistant.drafting import DraftDeps, DraftResult, draft_section
from assistant.export_docx import export_docx, footnotes_of
from assistant.ingest import load_document
from assistant.ingest.chunking import chunk_document
from tests.conftest import REAL_REPORT

SOURCE = "reports/2020_self_assessment_report.txt"


def _highlighted(document: docx.document.Document) -> list[str]:
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [r for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs for r in p.runs]
    return [r.text for r in runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]


def _footnote_refs(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [el.get(qn("w:id")) for el in document.element.body.iter(qn("w:footnoteReference"))]


def test_export_update_result(tmp_path: Path) -> None:
    chunks = chunk_document(load_document(REAL_REPORT), source=SOURCE, doc_type="report", year=2020,
                            max_tokens=400, overlap_tokens=0, tokenizer="cl100k_base")
    result = draft_section(DraftDeps(chunks=chunks), "师资建设", 2021, "- 任课教师 120 人\n- 生师比：7.05", mode="update")
    path = export_docx(result, tmp_path / "out" / "师资建设.docx")
    assert path.exists()

    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "==" not in text and "[1]" not in text  # marks became formatting and footnotes
    assert "任课教师 120 人" in text and "生师比为 7.05" in text
    # headings 黑体, body 宋体 with a two-character first-line indent
    heading = document.paragraphs[0]
    assert heading.style.name.startswith("Heading") and heading.text == "三. 师资建设"
    assert heading.runs[0].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    body = next(p for p in document.paragraphs if p.text.startswith("学院把师资队伍建设"))
    assert body.paragraph_format.first_line_indent is not None and body.paragraph_format.first_line_indent.pt == 24
    assert body.runs[0].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    # every figure that was not updated is highlighted
    highlighted = _highlighted(document)
    for item in result.not_updated:
        assert item["raw"] in highlighted or item["raw"].rstrip("年") in highlighted, item
    assert "120 人" not in highlighted and "7.05" not in highlighted
    # real footnotes: one per marker, naming file, section and year
    notes = footnotes_of(path)
    assert len(notes) == len(result.citations) == len(_footnote_refs(path))
    assert all(SOURCE in n and "2020 年" in n and "师资建设" in n for n in notes)
    with zipfile.ZipFile(path) as z:
        assert "word/footnotes.xml" in z.namelist()
        assert "footnotes+xml" in z.read("[Content_Types].xml").decode()


def test_export_write_result_with_placeholders_and_table(tmp_path: Path) -> None:
    result = DraftResult(
        section="财务状况", year=2024, mode="write",
        text=("## 七、财务状况\n\n### 1. 收费\n\n学院学费标准为 62000 元/生·年，按规定公示[1]。"
              "本年度支出合计【待补充：支出合计】。\n\n| 项目 | 金额（万元） |\n| --- | --- |\n| 教学 | ==3100.5== |\n"),
        citations=[{"n": 1, "source": "regulations/办法.md", "section": "第六章 财务管理 > 第二十条", "year": None,
                    "page": None, "quote": "学费标准应当公示。"}],
        placeholders=[{"text": "【待补充：支出合计】", "metric": "支出合计", "reason": "missing", "replaced": None}])
    path = export_docx(result, tmp_path / "财务.docx")
    document = docx.Document(str(path))
    assert [p.text for p in document.paragraphs if p.style.name.startswith("Heading")] == ["七、财务状况", "1. 收费"]
    highlighted = _highlighted(document)
    assert "【待补充：支出合计】" in highlighted and "3100.5" in highlighted
    assert document.tables and document.tables[0].cell(1, 1).text == "3100.5"
    assert footnotes_of(path) == ["来源：regulations/办法.md · 第六章 财务管理 > 第二十条"]
    assert _footnote_refs(path) == ["1"]


def test_export_keeps_the_provenance_of_new_and_updated_sentences(tmp_path: Path) -> None:
    from tests.drafting.conftest import ScriptedModel
    from tests.support.docx_render import comment_anchors

    chunks = chunk_document(load_document(REAL_REPORT), source=SOURCE, doc_type="report", year=2020,
                            max_tokens=400, overlap_tokens=0, tokenizer="cl100k_base")
    model = ScriptedModel(["本年度，学院新组建人工智能课程教学团队，由中外教师共同授课。"])
    result = draft_section(DraftDeps(chunks=chunks, chat_model=model), "师资建设", 2021,
                           "- 任课教师 120 人\n- 新组建人工智能课程教学团队，由中外教师共同授课")
    path = export_docx(result, tmp_path / "notes.docx")
    document = docx.Document(str(path))
    comments = {c.comment_id: c.text for c in document.comments}
    anchored = comment_anchors(path)
    written = [i for i, text in comments.items() if "written from note 2" in text]
    assert len(written) == 1 and "新组建人工智能课程教学团队，由中外教师共同授课" in comments[written[0]]
    assert anchored[str(written[0])] == "本年度，学院新组建人工智能课程教学团队，由中外教师共同授课。"
    updated = [i for i, text in comments.items() if "figure updated from note 1" in text]
    assert updated and all("120 " in anchored[str(i)] for i in updated), [anchored[str(i)] for i in updated]
    carried_over = [i for i, text in comments.items() if "carried over from 2020" in text]
    assert carried_over and "2020" in anchored[str(carried_over[0])]
