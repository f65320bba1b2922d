"""The mutation benchmark's generator: deterministic, every planted error recorded where it is."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

CHECKS = Path(__file__).resolve().parents[2] / "bench" / "checks"
sys.path.insert(0, str(CHECKS))

import corpus  # noqa: E402
import generate  # noqa: E402
import mentions  # noqa: E402


@pytest.fixture(scope="module")
def drafts():
    return generate.generate(drafts_per_report=40, seed=13, include_unseen=False)


def test_same_seed_same_drafts(drafts):
    again = generate.generate(drafts_per_report=40, seed=13, include_unseen=False)
    assert [d.to_json() for d in again] == [d.to_json() for d in drafts]
    other = generate.generate(drafts_per_report=40, seed=14, include_unseen=False)
    assert [d.text for d in other] != [d.text for d in drafts]


def test_planted_and_related_spans_hold_the_recorded_text(drafts):
    for d in drafts:
        for e in d.errors:
            assert d.text[e.span[0]:e.span[1]] == e.planted
            assert e.planted != e.original or e.kind == "duplicate"
            for r in e.related:
                assert d.text[r["span"][0]:r["span"][1]] == r["raw"]
            assert not any(e.span[0] < r["span"][1] and r["span"][0] < e.span[1] for r in e.related)


def test_every_kind_planted_in_both_splits(drafts):
    counts = Counter((d.split, e.kind) for d in drafts for e in d.errors)
    for kind in generate.KINDS:
        assert counts["tuned", kind] >= 5 and counts["held-out", kind] >= 2, kind
    held = sum(d.split == "held-out" for d in drafts) / len(drafts)
    assert 0.2 < held < 0.4


def test_prior_year_kinds_record_last_years_value(drafts):
    for d in drafts:
        for e in d.errors:
            if e.kind in ("stale", "cumulative"):
                assert e.prior and e.planted_value == e.prior["value"] != e.original_value
            if e.kind == "drop":
                assert 0.3 <= (e.prior["value"] - e.planted_value) / e.prior["value"] <= 0.5


def test_share_plant_breaks_count_over_base(drafts):
    shares = [e for d in drafts for e in d.errors if e.kind == "share"]
    assert shares
    for e in shares:
        count, base = sorted((mentions.mentions(r["raw"])[0].value for r in e.related[:2]))
        decimals = len(e.planted.split(".")[1].rstrip("% ")) if "." in e.planted else 0  # 88.3 % (a space before %)
        assert mentions.consistent_share(e.original_value, decimals, count, base) or len(e.related) > 2
        assert not mentions.consistent_share(e.planted_value, decimals, count, base)


def test_synthetic_prior_moves_years_and_figures_but_keeps_fees():
    text = "2021 年度自评报告\n\n一、基本情况\n\n2016 年 3 月成立。2021 年学生党员 120 人，累计派出 300 人次，学费 58000 元/生·年，覆盖率 100%。"
    prior = corpus.synthetic_prior(text, 2021, seed=0)
    assert prior.startswith("2020 年度自评报告") and "2016 年 3 月" in prior and "2020 年学生党员" in prior
    values = {m.shape: m.value for m in mentions.figures(mentions.mentions(prior))}
    assert values["#年学生党员"] != 120 and 0.85 * 120 <= values["#年学生党员"] <= 1.15 * 120
    assert 0.80 * 300 <= values["累计派出"] < 300
    assert "58000 元/生·年" in prior and "100%" in prior


def test_relations_found_numerically():
    text = ("三、师资\n\n教师共计 295 人（不重复统计）。其中，任课教师 113 人，包含英方任课教师 33 人，英语课程教师 26 人；"
            "此外还有毕设指导教师 127 人，学术指导教师 55 人。对 113 名任课教师的统计表明，35 岁以下占 30.9%（35 人）。")
    figs = mentions.figures(mentions.mentions(text))
    sums = [(t.value, sorted(p.value for p in parts)) for t, parts, _ in mentions.sum_groups(text, figs)]
    assert (295, [55, 113, 127]) in sums
    assert [(p.value, c.value, b.value) for p, c, b in mentions.share_triples(text, figs)] == [(30.9, 35, 113)]
