"""Draft checks: each finding kind with a positive and a negative case, tables, DOCX input."""

from __future__ import annotations

import json
import re


from assistant.figures.align import records_from_text
from assistant.figures.check import CheckThresholds, check_draft, check_to_json, load_draft_text

from tests.conftest import REAL_REPORT

PRIOR = ("三. 师资建设\n\n"
         "任课教师 113 人。对 113 名任课教师的统计表明，35 岁以下占 30.9%（35 人），具有正高级职称者占 19.5%（22 人）。\n\n"
         "二. 学生培养\n\n学生党员增长到 138 人，组织各类讲座交流活动 100 余次。\n\n"
         "九. 办学特色\n\n2016年至今，教职工累计发表教研论文85篇。")
HISTORY = records_from_text(PRIOR, 2020, "reports/2020.md")


def _kinds(findings):
    return [f.kind for f in findings]


def _check(draft, **kw):
    findings = check_draft(draft, 2021, HISTORY, **kw)
    for f in findings:
        assert f.quote and f.quote in draft
    return findings


def test_arithmetic_wrong_and_stale_share():
    draft = "三. 师资建设\n\n对 120 名任课教师的统计表明，35 岁以下占 30.8%（37 人），具有正高级职称者占 19.5%（25 人）。"
    (finding,) = _check(draft)
    assert finding.kind == "arithmetic" and "19.5%" in finding.quote and finding.value == 19.5
    assert finding.grade == "error" and finding.rule == "share.count_base"
    assert finding.arithmetic == "25/120 = 20.8%，草稿写 19.5%"
    assert "25/120=20.8%" in finding.message and "2020 年报告的 19.5% 相同" in finding.message
    assert finding.reference["year"] == 2020 and finding.reference["value"] == 19.5
    assert "19.5%" in finding.reference["quote"]
    assert [(r["role"], r["raw"]) for r in finding.related] == [("count", "25 人"), ("base", "120 名")]
    assert draft[finding.span[0]:finding.span[1]] == "19.5%"


def test_arithmetic_accepts_rounding_and_truncation():
    # 35/113 = 30.97 written truncated, 82/113 = 72.57 written rounded
    draft = "任课教师 113 人，35 岁以下占 30.9%（35 人），获得博士学位的教师占 72.6%（82 人）。"
    assert _check(draft) == []


def test_arithmetic_base_from_earlier_count():
    assert _kinds(_check("博士项目任课教师 14 人，英方任课教师占 50.0%（8 人）。")) == ["arithmetic"]
    assert _check("博士项目任课教师 16 人，英方任课教师占 50.0%（8 人）。") == []


def test_sum_of_complementary_shares():
    findings = _check("深造率 92.0%，其中出国 67.1%、国内 23.9%。")
    assert _kinds(findings) == ["sum"] and "92.0%" in findings[0].quote and "91.0" in findings[0].message
    assert _check("深造率 91.0%，其中出国 67.1%、国内 23.9%。") == []
    assert _check("深造率 91.0%，出国（境）深造率 67.1%，国内深造率 23.9%。") == []


def test_sum_counts_exceeding_and_non_exhaustive_lists():
    (finding,) = _check("任课教师 120 人，其中英方任课教师 35 人、中方任课教师 90 人。")
    assert finding.kind == "sum" and finding.arithmetic == "35 人 + 90 人 = 125人，草稿写 120 人"
    # overlapping categories and partial lists are not partitions
    assert _check("本科课程共 55 门，其中联合培养课程 38 门，引进外方课程 20 门。") == []
    assert _check("任课教师 118 人，包含英方任课教师 33 人，英语课程教师 26 人；此外还有毕设指导教师 127 人，学术指导教师 55 人。") == []
    assert _check("获奖 324 人次，其中国际级 32 人次，国家级 69 人次，省级 54 人次。") == []


TABLE_OK = ("| 类别 | 国际级 | 国家级 | 合计 |\n|---|---|---|---|\n| 竞赛获奖 | 35 | 72 | 107 |\n| 论文 | 3 | 12 | 15 |\n"
            "| 合计 | 38 | 84 | 122 |\n")


def test_table_sums():
    assert _check(TABLE_OK) == []
    bad_row = TABLE_OK.replace("| 107 |", "| 110 |")
    findings = _check(bad_row)
    assert any(f.kind == "sum" and "110" in f.quote for f in findings)
    shares = "| 去向 | 比例 |\n|---|---|\n| 出国 | 67.2% |\n| 国内 | 23.6% |\n| 其他 | 9.2% |\n| 合计 | 100.0% |\n"
    assert _check(shares) == []
    assert _kinds(_check(shares.replace("9.2%", "12.2%"))) == ["sum"]


def test_yoy_jump():
    findings = _check("二. 学生培养\n\n学生党员增长到 420 人。")
    assert _kinds(findings) == ["yoy_jump"] and findings[0].reference["value"] == 138
    assert _check("二. 学生培养\n\n学生党员增长到 150 人。") == []


def test_yoy_relative_change_needs_reason():
    (finding,) = _check("学生党员共 190 人。")
    assert (finding.kind, finding.grade, finding.rule) == ("yoy_jump", "notice", "yoy.change")
    assert finding.arithmetic == "190 / 138 = 1.38（+38%）"
    assert _check("学生党员共 190 人。", thresholds=CheckThresholds(notice_change=0.5)) == []
    assert _check("由于新设专业，学生党员共 190 人。") == []
    assert _check("二. 学生培养\n\n受疫情影响，组织各类讲座交流活动 60 余次。") == []


def test_unchanged_cumulative():
    (finding,) = _check("九. 办学特色\n\n2016年至今，教职工累计发表教研论文85篇。")
    assert (finding.kind, finding.grade, finding.rule) == ("unchanged", "stale", "yoy.cumulative_unchanged")
    assert finding.reference["year"] == 2020
    assert _check("九. 办学特色\n\n2016年至今，教职工累计发表教研论文 93 篇。") == []


def test_identical_precise_figure_is_stale_small_counts_may_repeat():
    (finding,) = _check("二. 学生培养\n\n学生党员增长到 138 人。")
    assert (finding.kind, finding.grade, finding.rule) == ("unchanged", "stale", "yoy.same_as_last_year")
    assert _check("二. 学生培养\n\n学生党员人数保持 138 人。") == []
    history = records_from_text("会议 2 次，学费 60000 元/生·年。", 2020, "r.md")
    assert check_draft("会议 2 次，学费 60000 元/生·年。", 2021, history) == []


def test_empty_and_figure_free_drafts():
    assert check_draft("", 2021, HISTORY) == []
    assert check_draft("学院坚持立德树人，持续提升人才培养质量。", 2021, HISTORY) == []
    assert check_draft("学生党员增长到 420 人。", 2021, []) == []


def test_check_to_json_shape():
    findings = _check("二. 学生培养\n\n学生党员增长到 420 人。")
    data = json.loads(json.dumps(check_to_json(findings), ensure_ascii=False))
    (item,) = data["findings"]
    assert set(item) == {"kind", "quote", "value", "message", "reference", "grade", "rule", "metric", "arithmetic",
                         "related", "span"}
    assert set(item["reference"]) == {"year", "value", "source", "quote", "raw"}
    assert item["grade"] == "warning" and item["rule"] == "yoy.jump" and item["metric"] == "学生党员"
    (last_year,) = item["related"]
    assert last_year["year"] == 2020 and last_year["raw"] == "138 人" and "138 人" in last_year["quote"]


def test_docx_draft_with_table(tmp_path):
    import docx
    document = docx.Document()
    document.add_paragraph("深造率 92.0%，其中出国 67.1%、国内 23.9%。")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["类别", "男", "合计"], ["本科", "30", "50"], ["合计", "30", "50"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "draft.docx"
    document.save(str(path))
    text = load_draft_text(path)
    assert "| 本科 | 30 | 50 |" in text
    findings = check_draft(text, 2021, HISTORY)
    assert any(f.kind == "sum" and "92.0%" in f.quote for f in findings)


def test_pdf_draft(tmp_path):
    """A report as published (PDF): its paragraphs come back whole and are checked like any draft."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=18, wordWrap="CJK")
    paragraphs = ["三、师资队伍建设", "学院现有任课教师 120 人，其中外方教师 45 人，外方教师占任课教师的 37.5%，"
                  "中方教师多数具有海外学习经历，全年开展教学培训十二场，覆盖全部新进教师。",
                  "八、办学特色", "学院共有任课教师 125 人。"]
    path = tmp_path / "draft.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph(p, style) for p in paragraphs])
    text = load_draft_text(path)
    assert "外方教师占任课教师的37.5%" in text.replace(" ", "")  # one paragraph again, though wrapped on the page
    findings = check_draft(text, 2021, [])
    duplicates = [f for f in findings if f.kind == "duplicate"]
    assert duplicates, [(f.kind, f.quote) for f in findings]
    said = {n for f in duplicates for n in re.findall(r"\d+", f.quote + json.dumps(f.related, ensure_ascii=False))}
    assert {"120", "125"} <= said


def test_text_loader_detects_encoding(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_bytes("任课教师 120 人，生师比为 6.85。".encode("gb18030"))
    assert "任课教师" in load_draft_text(path)


def test_real_report_is_consistent():
    text = REAL_REPORT.read_text(encoding="utf-8")
    assert check_draft(text, 2020, []) == []
    # copied unchanged into next year's draft, only cumulative counts are reported
    history = records_from_text(text, 2020, "reports/2020_self_assessment_report.txt")
    assert set(_kinds(check_draft(text, 2021, history))) == {"unchanged"}


def test_a_txt_draft_extracted_from_a_pdf_is_checked_as_its_paragraphs(tmp_path) -> None:
    from assistant.figures.check import load_draft_text

    path = tmp_path / "draft.txt"
    path.write_text("七、学生就业与深造\n\n2023届毕业生202名，其中机械专业13\n5名、工业设计专业67名。\n— 5 —\n"
                    "毕业去向落实193名。\n", encoding="utf-8")
    text = load_draft_text(path)
    assert text == "七、学生就业与深造\n\n2023届毕业生202名，其中机械专业135名、工业设计专业67名。\n\n毕业去向落实193名。"
    assert not [f for f in check_draft(text, 2023, []) if f.kind == "sum"]  # 135 + 67 = 202
    broken = text.replace("135名", "175名")  # the parts now exceed their total
    assert [f.rule for f in check_draft(broken, 2023, []) if f.kind == "sum"]
