"""Year-over-year alignment of metrics."""

from __future__ import annotations

import json

from assistant.figures.align import label_similarity, metric_table_to_json, records_from_text
from assistant.figures.facts import facts_from_text
from assistant.figures.trends import metric_table

R2020 = ("三. 师资建设\n\n任课教师 113 人，生师比为 6.91。对 113 名任课教师的统计表明，35 岁以下占 30.9%（35 人）。\n\n"
         "九. 办学特色\n\n2016年至今累计发表教研论文85篇。")
R2021 = ("三. 师资建设\n\n任课教师 120 人，生师比为 6.85。对 120 名任课教师的统计表明，35 岁以下占 30.8%（37 人）。\n\n"
         "九. 办学特色\n\n2016年至今累计发表教研论文 93 篇。")


def _records():
    return records_from_text(R2020, 2020, "reports/2020.md") + records_from_text(R2021, 2021, "reports/2021.md")


def test_records_carry_sections():
    records = records_from_text(R2020, 2020, "reports/2020.md")
    assert [r[3] for r in records] == ["三. 师资建设", "九. 办学特色"]
    assert all(r[1] == 2020 and r[2] == "reports/2020.md" for r in records)


def _facts():
    return (facts_from_text(R2020, year=2020, source="reports/2020.md")
            + facts_from_text(R2021.replace("生师比为 6.85", "在校生与任课教师之比（生师比）为 6.85"), year=2021,
                              source="reports/2021.md"))


def test_same_metric_aligned_across_years():
    """The table reads facts: canonical metrics with their scope, so two wordings of 生师比 are one row."""
    rows = metric_table(_facts())
    by_label = {(r.metric, r.unit): r for r in rows}
    ratio = by_label[("生师比", "")]
    assert {y: v.value for y, v in ratio.values.items()} == {2020: 6.91, 2021: 6.85}
    assert ratio.values[2021].source == "reports/2021.md" and "6.85" in ratio.values[2021].quote
    share = by_label[("任课教师（≤35）", "%")]
    assert {y: v.raw for y, v in share.values.items()} == {2020: "30.9%", 2021: "30.8%"}
    assert {y: v.value for y, v in by_label[("任课教师", "人")].values.items()} == {2020: 113, 2021: 120}
    papers = next(r for r in rows if "教研论文" in r.metric)
    assert {y: v.value for y, v in papers.values.items()} == {2020: 85, 2021: 93}


def test_metric_filter_and_json():
    rows = metric_table(_facts(), metric="生师比")
    assert [r.metric for r in rows] == ["生师比"]
    data = json.loads(json.dumps(metric_table_to_json(rows), ensure_ascii=False))
    assert data["metrics"][0]["values"]["2021"]["value"] == 6.85


def test_label_similarity_orders_related_labels():
    assert label_similarity("具有正高级职称者", "具有正高级职称者") == 1.0
    assert label_similarity("任课教师", "英方任课教师") > label_similarity("任课教师", "学生党员")


def test_quote_never_starts_inside_a_number():
    from assistant.figures import extract_figures
    from assistant.figures.align import quote_of

    text = "截至2022年12月31日，在校生1368人，其中电子信息工程专业992人。"
    for figure in extract_figures(text):
        quote = quote_of(text, figure)
        start = text.index(quote)
        assert quote in text and (start == 0 or not (text[start - 1].isdigit() and quote[0].isdigit()))
