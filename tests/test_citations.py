"""The one Citation type: dict round trip (extra fields kept) and its three renderings."""

from __future__ import annotations

import json

from assistant.citations import Citation
from assistant.types import Chunk

LABELS = {"file": "文件", "section": "章节", "year": "年份", "page": "页", "note": "说明"}
PLAIN = {"n": 2, "source": "reports/2020_self_assessment_report.txt", "section": "三. 师资建设 > 3. 教师队伍",
         "year": 2020, "page": None, "quote": "生师比为 7.05 <b>"}
SCANNED = {"n": 1, "source": "reports/2019 扫描件.pdf", "section": "二、学生培养", "year": 2019, "page": 3,
           "quote": "就业率 96.5%", "note": "OCR 识别文本，置信度 0.74", "ocr_confidence": 0.74}


def test_dict_round_trip_keeps_the_shape_and_unknown_fields() -> None:
    assert Citation.from_dict(PLAIN).to_dict() == PLAIN
    assert list(Citation.from_dict(PLAIN).to_dict()) == ["n", "source", "section", "year", "page", "quote"]
    scanned = Citation.from_dict(SCANNED)
    assert scanned.note == "OCR 识别文本，置信度 0.74" and scanned.extra == {"ocr_confidence": 0.74}
    assert scanned.to_dict() == SCANNED
    assert json.loads(json.dumps(scanned.to_dict(), ensure_ascii=False)) == SCANNED


def test_from_chunk_quotes_the_whole_passage() -> None:
    chunk = Chunk(text="学院有教师 295 人。", source="a.md", section="三、师资", year=2021, doc_type="report", page=4)
    assert Citation.from_chunk(3, chunk).to_dict() == {"n": 3, "source": "a.md", "section": "三、师资", "year": 2021,
                                                       "page": 4, "quote": "学院有教师 295 人。"}


def test_text_line() -> None:
    assert Citation.from_dict(PLAIN).to_text() == "[2] reports/2020_self_assessment_report.txt · 三. 师资建设 > 3. 教师队伍 · 2020"
    assert Citation.from_dict(SCANNED).to_text() == ("[1] reports/2019 扫描件.pdf · 二、学生培养 · 2019 · p.3 · "
                                                     "OCR 识别文本，置信度 0.74")
    assert Citation.from_dict({"n": 1, "source": "r.md", "section": "", "year": None}).to_text() == "[1] r.md · — · —"


def test_footnote() -> None:
    assert Citation.from_dict(PLAIN).footnote() == ("来源：reports/2020_self_assessment_report.txt · "
                                                    "三. 师资建设 > 3. 教师队伍 · 2020 年")
    assert Citation.from_dict(SCANNED).footnote() == ("来源：reports/2019 扫描件.pdf · 二、学生培养 · 2019 年 · 第 3 页 · "
                                                      "OCR 识别文本，置信度 0.74")


def test_html_is_the_panel_markup_escaped() -> None:
    html = Citation.from_dict(PLAIN).to_html("cite-1-2", LABELS)
    assert html == ('<details class="citation" id="cite-1-2"><summary><b>[2]</b> '
                    "reports/2020_self_assessment_report.txt · 2020</summary>"
                    "<blockquote>生师比为 7.05 &lt;b&gt;</blockquote>"
                    "<dl><dt>文件</dt><dd>reports/2020_self_assessment_report.txt</dd>"
                    "<dt>章节</dt><dd>三. 师资建设 &gt; 3. 教师队伍</dd><dt>年份</dt><dd>2020</dd></dl></details>")
    scanned = Citation.from_dict(SCANNED).to_html("draft-cite-1", LABELS)
    assert "<dt>页</dt><dd>3</dd>" in scanned and "<dt>说明</dt><dd>OCR 识别文本，置信度 0.74</dd>" in scanned
    assert "ocr_confidence" not in scanned


def test_every_renderer_shows_the_note(tmp_path) -> None:
    from assistant.drafting import DraftResult
    from assistant.export_docx import export_docx, footnotes_of
    from assistant.ui.chat import render_citations
    from assistant.ui.draft import citations_html

    chat = render_citations([{"role": "assistant", "content": "就业率 96.5%[1]", "meta": {"citations": [SCANNED]}}], "en")
    assert 'id="cite-1-1"' in chat and "<dt>Note</dt><dd>OCR 识别文本，置信度 0.74</dd>" in chat
    draft = citations_html([SCANNED], "zh")
    assert 'id="draft-cite-1"' in draft and "<dt>说明</dt><dd>OCR 识别文本，置信度 0.74</dd>" in draft
    result = DraftResult(section="学生培养", year=2020, mode="update", text="## 二、学生培养\n\n就业率 96.5%[1]。",
                         citations=[SCANNED])
    assert footnotes_of(export_docx(result, tmp_path / "d.docx")) == [Citation.from_dict(SCANNED).footnote()]
