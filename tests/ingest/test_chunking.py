"""Chunking: section paths, packing within the token budget, splits that keep figures whole."""

from __future__ import annotations

import itertools
import re

import pytest

from assistant.ingest import chunk_document, load_document
from assistant.text.sentences import split_sentences
from assistant.tokens import count_tokens
from assistant.types import Block, ParsedDocument
from tests.ingest.conftest import REAL_REPORT

TOP_LEVEL = ["一. 办学基本情况", "二. 学生培养", "三. 师资建设", "四. 教学组织", "五. 教学质量监控",
             "六. 项目管理", "七. 财务状况", "八. 社会评价", "九. 办学特色"]
FIGURES = ["30.9%（35 人）", "60000元/生·年", "96.81%以上", "生师比为 6.91", "4-6 年"]


def _chunks(blocks: list[Block], **kw):
    options = {"source": "t.txt", "doc_type": "other", "year": None, **kw}
    return chunk_document(ParsedDocument(blocks), **options)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def report() -> ParsedDocument:
    return load_document(REAL_REPORT)


@pytest.mark.parametrize("max_tokens", [400, 120, 40])
def test_real_report_invariants(report: ParsedDocument, max_tokens: int) -> None:
    chunks = chunk_document(report, source="reports/r.txt", doc_type="report", year=2020, max_tokens=max_tokens)
    assert all(count_tokens(c.text) <= max_tokens for c in chunks)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    assert all(c.id == "" and c.source == "reports/r.txt" and c.year == 2020 and c.doc_type == "report"
               for c in chunks)
    for figure in FIGURES:
        assert any(figure in c.text for c in chunks), figure
    assert any("实行师德一票否决制" in c.text for c in chunks)
    assert not any("实行\n" in c.text for c in chunks)
    # Nothing lost, nothing reordered: the chunks spell out every body paragraph in order.
    spelled = "".join(_squash(c.text) for c in chunks)
    bodies = [_squash(b.text) for b in report.blocks if len(b.text) > 45]
    position = 0
    for body in bodies:
        position = spelled.index(body, position) + len(body)


def test_real_report_sections(report: ParsedDocument) -> None:
    chunks = chunk_document(report, source="reports/r.txt", doc_type="report", year=2020)
    (ratio,) = [c for c in chunks if "生师比为 6.91" in c.text]
    assert ratio.section == "三. 师资建设 > 3. 教师队伍数量与结构满足本科教学需求"
    tops = list(dict.fromkeys(c.section.split(" > ")[0] for c in chunks if c.section))
    assert tops == TOP_LEVEL
    assert chunks[0].section == "" and "机构名称：" in chunks[0].text
    assert "九. 办学特色 > 1. 形成具有示范性的国际化课程体系和人才培养模式" in {c.section for c in chunks}
    assert {c.section for c in chunks if c.section.startswith("六.")} == {"六. 项目管理"}


def test_real_report_deterministic(report: ParsedDocument) -> None:
    first = chunk_document(report, source="a", doc_type="report", year=2020, max_tokens=100)
    second = chunk_document(load_document(REAL_REPORT), source="a", doc_type="report", year=2020, max_tokens=100)
    assert first == second


def test_empty_document() -> None:
    assert _chunks([]) == []
    assert _chunks([Block("   "), Block("一、概况")]) == []


def test_numbered_heading_hierarchy_and_reset() -> None:
    blocks = [Block(t) for t in [
        "示例学院年度报告", "一、基本情况", "学院概况正文。", "（一）师资", "师资正文。",
        "1. 专任教师", "专任教师正文。", "（二）学生", "学生正文。", "二、教学", "教学正文。",
    ]]
    got = [(c.section, c.text) for c in _chunks(blocks)]
    assert got == [
        ("", "示例学院年度报告"),
        ("一、基本情况", "学院概况正文。"),
        ("一、基本情况 > （一）师资", "师资正文。"),
        ("一、基本情况 > （一）师资 > 1. 专任教师", "专任教师正文。"),
        ("一、基本情况 > （二）学生", "学生正文。"),
        ("二、教学", "教学正文。"),
    ]


def test_numbered_list_items_are_not_headings() -> None:
    blocks = [Block(t) for t in ["一、措施", "1. 建立制度。", "2. 加强管理。", "3. 完善考核。"]]
    chunks = _chunks(blocks)
    assert [(c.section, c.text) for c in chunks] == [("一、措施", "1. 建立制度。\n\n2. 加强管理。\n\n3. 完善考核。")]


def test_articles_chapters_and_inline_headings() -> None:
    blocks = [Block(t) for t in [
        "第一章 总则", "第一条 为规范教学管理，制定本办法。", "第二条 本办法适用于全体教师。",
        "第二章 管理", "第三条", "学院设立教学委员会。", "（一）加强组织领导。各单位要明确责任人。",
    ]]
    got = [(c.section, c.text) for c in _chunks(blocks)]
    assert got == [
        ("第一章 总则 > 第一条", "第一条 为规范教学管理，制定本办法。"),
        ("第一章 总则 > 第二条", "第二条 本办法适用于全体教师。"),
        # a heading-only article line: the number opens the text; （一） inside an article is an item
        ("第二章 管理 > 第三条", "第三条 学院设立教学委员会。\n\n（一）加强组织领导。各单位要明确责任人。"),
    ]
    outside = [(c.section, c.text) for c in _chunks([Block("一、总体要求"), Block("（一）加强组织领导。各单位要明确责任人。")])]
    assert outside == [("一、总体要求 > （一）加强组织领导", "（一）加强组织领导。各单位要明确责任人。")]


def test_explicit_levels_mix_with_numbering() -> None:
    blocks = [
        Block("年度报告", kind="heading", level=1),
        Block("一、概况", kind="heading", level=2), Block("概况正文。"),
        Block("（一）规模"), Block("规模正文。"),
        Block("二、师资"), Block("师资正文。"),
    ]
    assert [(c.section, c.text) for c in _chunks(blocks)] == [
        ("年度报告 > 一、概况", "概况正文。"),
        ("年度报告 > 一、概况 > （一）规模", "规模正文。"),
        ("年度报告 > 二、师资", "师资正文。"),
    ]


def test_paragraphs_packed_whole_within_section() -> None:
    paragraphs = [f"第{i}段内容，学院持续推进教学改革并取得成效。" for i in "一二三四五六"]
    size = count_tokens(paragraphs[0])
    chunks = _chunks([Block("一、概况"), *map(Block, paragraphs), Block("二、其他"), Block("其他正文。")],
                     max_tokens=2 * size + 5)
    assert [c.text.split("\n\n") for c in chunks[:3]] == [paragraphs[0:2], paragraphs[2:4], paragraphs[4:6]]
    assert chunks[3].section == "二、其他" and chunks[3].text == "其他正文。"


def test_long_paragraph_split_at_sentence_ends_not_numbers() -> None:
    sentence = "就业率达 96.81%以上，生师比为 6.91，学制 4-6 年，收费 60000元/生·年。"
    paragraph = sentence * 12
    chunks = _chunks([Block(paragraph, page=3)], max_tokens=60)
    assert len(chunks) > 1
    assert all(count_tokens(c.text) <= 60 and c.text.endswith("。") and c.page == 3 for c in chunks)
    assert "".join(c.text for c in chunks) == paragraph


def test_single_long_sentence_split_at_commas() -> None:
    sentence = "，".join(["学院获评优秀教学成果奖 30.9%（35 人）"] * 20) + "。"
    chunks = _chunks([Block(sentence)], max_tokens=50)
    assert all(count_tokens(c.text) <= 50 for c in chunks)
    assert "".join(c.text for c in chunks) == sentence
    assert all("30.9%（35 人）" in c.text for c in chunks)


def test_unpunctuated_run_hard_split_keeps_numbers() -> None:
    text = "学院 " + " ".join(["12345.678"] * 60)
    chunks = _chunks([Block(text)], max_tokens=30)
    assert all(count_tokens(c.text) <= 30 for c in chunks)
    assert _squash("".join(c.text for c in chunks)) == _squash(text)
    assert all(re.fullmatch(r"(学院)?(12345\.678)*", _squash(c.text)) for c in chunks)


def test_english_sentences() -> None:
    assert split_sentences("Revenue was 6.91 million. It grew 4-6 times, e.g. in 2020. Next step!") == [
        "Revenue was 6.91 million. ", "It grew 4-6 times, e.g. in 2020. ", "Next step!",
    ]
    assert split_sentences("生师比为 6.91。就业率 96.81%！好？") == ["生师比为 6.91。", "就业率 96.81%！", "好？"]


def test_tables_stay_whole_and_huge_tables_split_by_rows() -> None:
    header = "| 项目 | 数值 |\n| --- | --- |"
    rows = [f"| 指标{i} | {i}.5% |" for i in range(40)]
    table = "\n".join([header, *rows])
    chunks = _chunks([Block("一、数据"), Block("前言。"), Block(table, kind="table", page=2), Block("后记。")],
                     max_tokens=100)
    assert [(c.section, c.text, c.page) for c in chunks] == [
        ("一、数据", "前言。", None), ("一、数据", table, 2), ("一、数据", "后记。", None)]
    assert count_tokens(table) > 100
    pieces = _chunks([Block(table, kind="table")], max_tokens=30)
    assert len(pieces) > 1
    assert all(p.text.startswith(header + "\n") for p in pieces)
    assert [r for p in pieces for r in p.text.split("\n")[2:]] == rows


def test_overlap_repeats_trailing_sentences() -> None:
    sentences = [f"第{i}句说明学院的建设情况。" for i in range(1, 13)]
    chunks = _chunks([Block("".join(sentences))], max_tokens=60, overlap_tokens=20)
    assert len(chunks) > 1
    assert all(count_tokens(c.text) <= 60 for c in chunks)
    for before, after in itertools.pairwise(chunks):
        last = split_sentences(before.text)[-1]
        assert after.text.startswith(last)


def test_chunk_page_is_first_block_page() -> None:
    chunks = _chunks([Block("甲段。", page=1), Block("乙段。", page=2)], max_tokens=100)
    assert [(c.text, c.page) for c in chunks] == [("甲段。\n\n乙段。", 1)]


def test_real_report_pdf_sections(real_report_pdf) -> None:
    chunks = chunk_document(load_document(real_report_pdf), source="r.pdf", doc_type="report", year=2020)
    (ratio,) = [c for c in chunks if "生师比为 6.91" in c.text]
    assert ratio.section == "三. 师资建设 > 3. 教师队伍数量与结构满足本科教学需求"
    assert ratio.page and ratio.page > 1
    assert list(dict.fromkeys(c.section.split(" > ")[0] for c in chunks if c.section)) == TOP_LEVEL


def test_decimal_numbering_nests() -> None:
    blocks = [Block(t) for t in ["一、总则", "1.1 目的", "正文甲。", "1.1.1 范围", "正文乙。", "1.2 依据", "正文丙。"]]
    assert [(c.section, c.text) for c in _chunks(blocks)] == [
        ("一、总则 > 1.1 目的", "正文甲。"),
        ("一、总则 > 1.1 目的 > 1.1.1 范围", "正文乙。"),
        ("一、总则 > 1.2 依据", "正文丙。"),
    ]


# --- law texts: the article is the unit ---------------------------------------------------------

LAW_MD = """# 示例省合作办学条例

<!-- INFO END -->

## 第一章  总则

第一条 为了规范合作办学，制定本条例。

**第二条** 本条例适用于本省合作办学单位。

## 第二章  设立

第三条 申请设立合作办学单位，应当提交下列材料：

（一）申请书，载明合作双方的名称、住所和法定代表人，以及拟设立单位的名称、办学宗旨和培养目标；

（二）合作协议，载明合作期限、争议解决办法、双方投入的资产数额及其形式和知识产权归属；

（三）外方教育机构的资格证明文件和其所在国教育主管部门出具的办学质量说明。

申请材料使用外文的，应当同时提交中文译本；中文译本与外文文本不一致的，以中文译本为准。

第四条 审批机关应当自受理申请之日起三十日内作出决定。
"""


@pytest.fixture
def law(tmp_path) -> list:
    path = tmp_path / "条例.md"
    path.write_text(LAW_MD, encoding="utf-8")
    return load_document(path)


def test_each_article_is_one_chunk_under_its_chapter(law) -> None:
    chunks = chunk_document(law, source="regulations/条例.md", doc_type="regulation", year=None)
    got = [(c.section, c.text) for c in chunks]
    assert got[0] == ("示例省合作办学条例 > 第一章 总则 > 第一条", "第一条 为了规范合作办学，制定本条例。")
    # short consecutive articles are not packed together, whatever the budget; emphasis and comments are not text
    assert got[1] == ("示例省合作办学条例 > 第一章 总则 > 第二条", "第二条 本条例适用于本省合作办学单位。")
    (third,) = [c for c in chunks if c.section.endswith("第三条")]
    assert third.section == "示例省合作办学条例 > 第二章 设立 > 第三条"
    assert third.text.startswith("第三条 申请设立") and "（三）外方教育机构" in third.text and "以中文译本为准" in third.text
    assert chunks[-1].section.endswith("第二章 设立 > 第四条") and chunks[-1].text.startswith("第四条 审批机关")
    assert not any("INFO END" in c.text or "**" in c.text for c in chunks)


def test_long_article_splits_by_clause_then_item_with_its_number_on_every_part(law) -> None:
    budget = 110
    chunks = chunk_document(law, source="r.md", doc_type="regulation", year=None, max_tokens=budget)
    parts = [c for c in chunks if c.section.endswith("第三条")]
    assert len(parts) >= 3
    assert all(count_tokens(c.text) <= budget for c in chunks)
    assert parts[0].text.startswith("第三条 申请设立合作办学单位")
    assert all(p.text.startswith("第三条（续）") for p in parts[1:])
    # items and clauses are never cut: each part holds whole ones, in order, nothing lost
    body = [b.text for b in law.blocks if b.text.startswith(("第三条", "（", "申请材料"))]
    assert _squash("".join(p.text.replace("第三条（续）", "", 1) for p in parts)) == _squash("".join(body))
    for item in body:
        assert any(_squash(item) in _squash(p.text) for p in parts), item
    # the articles around it are untouched
    assert [c.text for c in chunks if c.section.endswith(("第一条", "第二条", "第四条"))] == [
        "第一条 为了规范合作办学，制定本条例。", "第二条 本条例适用于本省合作办学单位。",
        "第四条 审批机关应当自受理申请之日起三十日内作出决定。"]


def test_article_in_one_long_paragraph_splits_at_its_items() -> None:
    items = "".join(f"（{n}）第{n}项材料的名称、内容和提交方式，由审批机关另行规定并在网站公布；" for n in "一二三四五六")
    chunks = _chunks([Block("第五条 申请人应当提交下列材料：" + items)], max_tokens=90)
    assert len(chunks) > 1 and all(count_tokens(c.text) <= 90 for c in chunks)
    assert chunks[0].text.startswith("第五条 申请人") and all(c.text.startswith("第五条（续） （") for c in chunks[1:])
    assert {c.section for c in chunks} == {"第五条"}
