"""Year-over-year findings in grades, each with last year's value, its year and a cited quote.

**Alignment.** A draft figure is compared with the figure of last year's report that states the same
metric: the same concept and scope (pure labels, or labels at least ``MIN_LABEL_SIMILARITY`` alike),
or — for figures the vocabulary does not name — the label match of ``align.match_score``; a figure
with a concept is compared with one the vocabulary does not name only when last year has none of
its concept that matches (任课教师 中方 58 人 is not 研究生导师 中方 12 人). Units must
agree up to a slip (人/人次, %/‰, 元/万元 are compared to report the slip); running totals are compared
with running totals. Two prior figures with different values that match about equally (within
``ambiguity_margin``) leave the figure unaligned: the check does not guess. Pairs are one to one,
best first: a figure of last year is the counterpart of one draft figure only.

**Grades** (thresholds in :class:`~assistant.figures.check.CheckThresholds`):

* ``warning`` — new/old ≥ ``jump_factor`` (3) or ≤ 1/``jump_factor``: probably a typo (``yoy.jump``),
  unless explained or corroborated as for notices below;
  a running total that shrank (``yoy.cumulative_shrank``); a unit that differs from last year's
  (``unit.prior``: 人 ↔ 人次, % ↔ ‰, or an amount off by 10 000: 万元 ↔ 元).
* ``notice`` — a change of at least ``notice_change`` (30 %), both as written and *relative to the
  draft's own trend* (the median new/old of all its aligned figures — a college that grew 8 % does
  not raise a notice for every count that grew 35 %), for values of at least ``min_notice_base`` and, for shares, at
  least ``share_min_points`` points (``yoy.change``). No notice when the sentence explains the
  change (``reason_words``: 由于, 受…影响, 新增, 扩招, 恢复 …), when the draft states the change and it
  matches (学生党员 118 人，较上年增加 22 人 against 96), or when the figure is *corroborated*: it takes
  part in a sum or share of the draft that holds — a typo or a stale copy would break it.
* ``stale`` — a running total equal to last year's (``yoy.cumulative_unchanged``), or a precise
  figure (≥ ``stale_min_value`` or written with decimals) identical to last year's
  (``yoy.same_as_last_year``), unless it is a rate standard (元/生·年), 100 %, a bound (6.0 分及以上,
  不少于 48 周), corroborated, or the sentence says it did not change (未作调整, 继续执行, 保持, 不变 …).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from .align import (MIN_LABEL_SIMILARITY, Record, _aspects, closed_range_end, is_cumulative, label_similarity,
                    match_score, quote_of, unit_family)
from assistant.domain import vocabulary

from .context import Item, Ledger, core_label, is_pure, names_concept, rebound, residual
from .extract import Figure, extract_figures, is_delta
from .facts import Fact, facts_from_figures
from .findings import Finding, fmt, prior_figure, reference
from assistant.text.sentences import paragraph_bounds
from assistant.text.numbers import BOUND_QUALIFIERS
from assistant.text.years import prior_level

_UNCHANGED = re.compile(r"未作调整|未调整|继续执行|保持|不变|仍为|仍是|维持|沿用|持平")
_STATED_DELTA = re.compile(r"^[，,（(]?\s*(?:较上年|比上年|较去年|比去年|较上一年|同比)(?:增加|增长|提高|提升|减少|下降|降低)")
_SLIP_UNITS = ({"人", "人次"}, {"%", "‰"})
_QUALIFIER_CHARS = 2  # 新进, 另聘, 现有: one word of two characters qualifies a label; more name another thing
_SWAP = {"人次": "人", "人": "人次", "名": "人次", "位": "人次", "‰": "%"}


@dataclass
class PriorFigure:
    figure: Figure
    fact: Fact
    quote: str
    cumulative: bool
    pure: bool
    shape: str = ""


def shape_of(quote: str, f: Figure) -> str:
    """The words just before a figure in its quote, digits masked: the sentence shape a report keeps
    from one year to the next (``学生发展指导中心开展一对一咨询#``)."""
    at = quote.rfind(f.raw)
    return re.sub(r"\d+(?:\.\d+)?", "#", quote[:at] if at != -1 else quote).strip()


def prior_figures(records: Iterable[Record]) -> list[PriorFigure]:
    """Figures of last year's passages as facts, deduplicated across overlapping passages (cached:
    a workspace checks many drafts against the same year)."""
    return _prior_figures(tuple(records))


@lru_cache(maxsize=8)
def _prior_figures(records: tuple[Record, ...]) -> list[PriorFigure]:
    out: list[PriorFigure] = []
    seen: set[tuple] = set()
    for text, year, source, section in records:
        figs = extract_figures(text, source=source, year=year, section=section)
        facts = facts_from_figures(text, figs, year=year)
        previous_end = 0
        for f, fact in zip(figs, facts):
            key = (year, source, f.raw, f.metric, f.sentence)
            if key not in seen:
                seen.add(key)
                quote = quote_of(text, f)
                out.append(PriorFigure(f, fact, quote, is_cumulative(text, f, previous_end), is_pure(fact), shape_of(quote, f)))
            previous_end = f.end
    return out


def _compatible_units(a: str, b: str) -> bool:
    fa, fb = unit_family(a), unit_family(b)
    return fa == fb or any({fa, fb} <= s for s in _SLIP_UNITS)


def score(item: Item, pure: bool, prior: PriorFigure, shape: str = "") -> float:
    """How likely a draft figure and a prior figure state the same metric (0 = not): the fact's
    concept, scope and label, and — as further evidence, never against a concept or scope — the
    sentence shape before the figure (a draft is usually last year's text with new figures)."""
    d, p = item.fact, prior.fact
    if not _compatible_units(item.figure.unit, prior.figure.unit):
        return 0.0
    base = _fact_score(item, pure, prior)
    if base == 0.0 and (d.metric and p.metric and d.metric != p.metric):
        return 0.0
    if d.scope != p.scope or item.in_table != (prior.figure.table_row is not None):
        return base  # the shape never bridges a scope (博士项目 任课教师 vs 任课教师)
    if item.in_table and label_similarity(item.figure.table_col or "", prior.figure.table_col or "") < 0.8:
        return base  # every table's 合计 row has the same shape: only the same column makes it the same figure
    same_shape = label_similarity(shape, prior.shape) if shape and prior.shape and len(shape) >= 4 else 0.0
    return max(base, 0.7 + 0.3 * same_shape) if same_shape >= 0.8 else base


def _fact_score(item: Item, pure: bool, prior: PriorFigure) -> float:
    score = _concept_score(item, pure, prior)
    # 本科 written on one side only: the same figure, but one that says 本科 on both sides fits better
    # (在校本科生 1,050 人 over 全院在校生 1,083 人 for this year's 在校本科生)
    return score * 0.9 if item.fact.metric and dict(item.fact.scope) != dict(prior.fact.scope) else score


def _concept_score(item: Item, pure: bool, prior: PriorFigure) -> float:
    d, p = item.fact, prior.fact
    if d.metric and p.metric:
        if d.metric != p.metric:
            return 0.0
        a, b = _across_years(d.scope), _across_years(p.scope)
        if any(a[k] != b[k] for k in a.keys() & b.keys()):
            return 0.0  # 国内 vs 海外, 中方 vs 外方: another population
        similarity = label_similarity(d.label, p.label)
        if a != b:  # a qualifier read in one year's wording only: the labels must say it is the same
            return 0.8 * (0.5 + 0.5 * similarity) if similarity >= 0.7 else 0.0
        if pure and prior.pure:
            return 0.9 + 0.1 * similarity
        rest_d, rest_p = residual(d), residual(p)  # what the labels say beyond the metric: 另聘, 新进 …
        if not (names_concept(d) and names_concept(p)):
            # a concept inherited from the sentence (人工智能 60 人 of 在校生): the labels must agree — unless
            # neither says anything beyond the concept and scope (中方 58 人 of 任课教师 · 中方教师 55 人)
            similarity = 1.0 if not rest_d and not rest_p and a else similarity  # (a scope names them; 和 84 人 not)
        elif not rest_d or not rest_p:
            # words on one side only: a qualifier of one year's wording (另聘, 新进) — but words that name
            # a thing of their own (国际交流支出 beside 经费支出, 抽查课程档案 beside 课程) make another metric
            extra = len(re.findall(r"[\u4e00-\u9fff]", rest_d or rest_p))
            similarity = max(similarity, 1.0 if not (rest_d or rest_p) else 0.75 if extra <= _QUALIFIER_CHARS else 0.0)
        else:
            similarity = max(similarity, label_similarity(rest_d, rest_p))
        return 0.5 + 0.5 * similarity if similarity >= MIN_LABEL_SIMILARITY else 0.0
    if _among(d) != _among(p):
        return 0.0  # 硕士生 38 人 is not last year's 硕士生中有 16 人赴法…: some of them, by their words alone
    return _label_score(item.figure, prior.figure)


def _among(fact) -> bool:
    """A figure counted among a population (``硕士生中有 16 人…``: its label ends in 中)."""
    return "part" in dict(fact.scope) and fact.label.rstrip().endswith("中")


def _across_years(scope) -> dict[str, str]:
    """A scope as compared with last year's: 本科, the reports' default programme, is written one year
    (在校本科生 1071 人) and not the next (在校生总数 1129 人) for the same figure."""
    return {k: v for k, v in scope if (k, v) != ("programme", "本科")}


def _same_context(a: str, b: str) -> bool:
    vocab = vocabulary()
    ca, cb = vocab.concept_in(a), vocab.concept_in(b)
    if ca and cb:
        return ca[0].id == cb[0].id
    return label_similarity(a, b) >= MIN_LABEL_SIMILARITY


def _label_score(a: Figure, b: Figure) -> float:
    """Figures the vocabulary does not name: ``align.match_score`` with labels also compared without
    filler words (``已落实`` = ``落实``) and the totals they belong to compared by concept."""
    if unit_family(a.unit) != unit_family(b.unit) or not a.metric or not b.metric:
        return 0.0
    if a.context and b.context and not _same_context(a.context, b.context):
        return 0.0
    plain = match_score(replace(a, context=""), replace(b, context=""))
    if plain == 0.0 and not ((a.table_row is None) == (b.table_row is None) and _aspects(a.metric) == _aspects(b.metric)):
        return 0.0
    core = label_similarity(core_label(a.metric), core_label(b.metric)) if core_label(a.metric) and core_label(b.metric) else 0.0
    return max(plain, 0.85 * core + 0.15 * 0.5 if core >= MIN_LABEL_SIMILARITY else 0.0)


def align_prior(ledger: Ledger, priors: list[PriorFigure], min_match: float, margin: float) -> dict[int, PriorFigure]:
    """Draft item index → last year's figure of the same metric (see module docstring)."""
    out: dict[int, PriorFigure] = {}
    by_metric: dict[str, list[int]] = {}
    by_unit: dict[str, list[int]] = {}
    unbound: dict[str, list[int]] = {}
    for k, p in enumerate(priors):
        if p.figure.range_to is not None or is_delta(p.figure):
            continue
        by_metric.setdefault(p.fact.metric, []).append(k)
        by_unit.setdefault(unit_family(p.figure.unit), []).append(k)
        if not p.fact.metric:
            unbound.setdefault(unit_family(p.figure.unit), []).append(k)
    vocab = vocabulary()
    who = [vocab.populations_in(p.figure.sentence or p.quote) for p in priors]  # 用人单位 or 在校生 surveyed: two series
    choices: list[tuple[float, int, int]] = []
    previous_end = 0
    for item in ledger.items:
        f = item.figure
        after, previous_end = previous_end, f.end
        if is_delta(f) or f.range_to is not None or (item.fact.year not in (None, ledger.year)):
            continue
        if prior_level(ledger.text, f.start):
            continue  # 较上年的 310 人: last year's value, quoted by the draft
        cumulative = is_cumulative(ledger.text, f, after) if not item.in_table else False
        here = vocab.populations_in(ledger.text[item.sentence[0]:item.sentence[1]])

        def best(view: Item, pure: bool) -> tuple[float, int] | None:
            u = unit_family(view.figure.unit)
            shape = shape_of(quote_of(ledger.text, view.figure), view.figure)

            def ranked(pool: list[int]) -> list[tuple[float, int]]:
                return sorted(((score(view, pure, priors[k], shape), k) for k in pool
                               if priors[k].cumulative == cumulative and not (here and who[k] and not here & who[k])),
                              reverse=True)

            if not view.fact.metric:
                scored = ranked(by_unit.get(u, []))
            else:  # last year's figure of the same concept and scope first; one the vocabulary does not name
                # only without it (任课教师 中方 58 人 is not 研究生导师 中方 12 人)
                scored = ranked(by_metric.get(view.fact.metric, []))
                identified = names_concept(view.fact) or bool(_across_years(view.fact.scope))  # not 和 84 人
                if not (identified and scored and scored[0][0] >= min_match
                        and _across_years(priors[scored[0][1]].fact.scope) == _across_years(view.fact.scope)):
                    scored = ranked(by_metric.get(view.fact.metric, []) + unbound.get(u, []))
            if not scored or scored[0][0] < min_match:
                return None
            top, k0 = scored[0]
            if any(s >= top - margin and priors[k].figure.value != priors[k0].figure.value for s, k in scored[1:]):
                return None
            return top, k0

        found = best(item, item.index in ledger.pure)
        if found is None and f.unit in _SWAP:
            # a unit slip changes what the figure binds to (任课教师 are counted in 人, not 人次): read it
            # in the unit it probably meant, and report the slip if that finds last year's figure
            swapped, fact = rebound(ledger.text, f, _SWAP[f.unit], ledger.year)
            view = replace(item, figure=swapped, fact=fact)
            found = best(view, is_pure(fact))
            if found is not None and unit_family(priors[found[1]].figure.unit) != unit_family(_SWAP[f.unit]):
                found = None
        if found is not None:
            choices.append((found[0], item.index, found[1]))
    # one to one, best pairs first: a figure of last year is the counterpart of one draft figure only
    # (人工智能 60 人 does not take 在校生 1368 人 once 在校生 1474 人 has it)
    taken: set[int] = set()
    for _score, index, k in sorted(choices, key=lambda c: (-c[0], c[1])):
        if k not in taken:
            taken.add(k)
            out[index] = priors[k]
    return out


def trend(ledger: Ledger, aligned: dict[int, PriorFigure]) -> float:
    """Median new/old over the draft's aligned non-cumulative figures (1.0 with fewer than five)."""
    ratios = [ledger.items[i].figure.value / p.figure.value for i, p in aligned.items()
              if not p.cumulative and p.figure.value > 0 and ledger.items[i].figure.value > 0
              and unit_family(ledger.items[i].figure.unit) == unit_family(p.figure.unit)]
    return statistics.median(ratios) if len(ratios) >= 5 else 1.0


def _explained(ledger: Ledger, item: Item, old: float, reasons: tuple[str, ...], nearby: bool = False) -> bool:
    """Whether the figure's sentence explains its change (a reason word, or the change stated and matching);
    ``nearby``: also a neighbouring sentence naming the metric (for a notice; a ×3 jump is not explained
    by a reason given for the metric's ordinary change)."""
    text = ledger.text
    a, b = item.sentence
    if any(w in text[a:b] for w in reasons):
        return True
    nxt = [i for i in ledger.items if i.index > item.index and i.sentence == item.sentence][:1]
    if nxt and is_delta(nxt[0].figure) and _STATED_DELTA.match(text[item.figure.end:nxt[0].figure.start + 1] + "增"):
        return abs(abs(item.figure.value - old) - nxt[0].figure.value) < 1e-6
    return nearby and _explained_nearby(ledger, item, old, reasons)


_FALL = re.compile(r"减少|下降|降低|回落|缩减|收窄|少了|少于|减半|少")
_RISE = re.compile(r"增加|增长|提高|上升|扩大|增至|增多|多了|翻番|翻了")


def _explained_nearby(ledger: Ledger, item: Item, old: float, reasons: tuple[str, ...]) -> bool:
    """Whether another sentence of the figure's paragraph, or of the paragraph before or after it, names the
    figure's metric, says it moved the way it did and why (收支相抵结余 77.0 万元。…结余比上年少了一半多，主要是…
    支出增加较多): the draft explains the change, only not in the figure's own sentence."""
    text = ledger.text
    a, b = paragraph_bounds(text, item.figure.start)
    before = text.rfind("\n", 0, max(0, a - 1))
    while before > 0 and not text[paragraph_bounds(text, before)[0]:before].strip():
        before = text.rfind("\n", 0, before - 1)
    start = paragraph_bounds(text, before)[0] if before > 0 else 0
    end = b
    for _ in range(2):  # the next paragraph with text
        nxt = text.find("\n", end + 1)
        while nxt != -1 and not text[end:nxt].strip():
            end, nxt = nxt, text.find("\n", nxt + 1)
        end = len(text) if nxt == -1 else nxt
        if text[b:end].strip():
            break
    vocab = vocabulary()
    concept = vocab.concept(item.fact.metric)
    names = [w for w in (*(concept.synonyms if concept else ()), core_label(item.figure.metric or "")) if len(w) >= 2]
    direction = _FALL if item.figure.value < old else _RISE
    own = item.sentence
    for m in re.finditer(r"[^。；;！？!?\n]+", text[start:end]):
        s, e = start + m.start(), start + m.end()
        if own[0] <= s < own[1]:
            continue
        sentence = m.group(0)
        if any(w in sentence for w in reasons) and any(n in sentence for n in names) and direction.search(sentence):
            return True
    return False


def yoy_findings(ledger: Ledger, aligned: dict[int, PriorFigure], th, corroborated: set[int]) -> list[Finding]:
    out = []
    text = ledger.text
    g = trend(ledger, aligned)
    previous_end = 0
    ends = {i.index: i.figure.end for i in ledger.items}
    for item in ledger.items:
        f = item.figure
        after = previous_end
        previous_end = ends[item.index]
        prior = aligned.get(item.index)
        if prior is None:
            continue
        p = prior.figure
        old, new = p.value, f.value
        metric = item.fact.name if item.fact.metric else (f.metric or f.table_row or "")
        ref = reference(p, prior.quote)
        related = [prior_figure(p, prior.quote)]
        span = (f.start, f.end)
        quote = quote_of(text, f)

        def add(kind: str, grade: str, rule: str, why: str, arithmetic: str) -> None:
            out.append(Finding(kind, quote, new, f"“{metric}”{f.raw} 与 {p.year} 年报告的 {p.raw} 相比{why}",
                               ref, grade, rule, metric, arithmetic, related, span))

        if unit_family(f.unit) != unit_family(p.unit):
            add("unit", "warning", "unit.prior", f"单位不同（去年为“{p.unit}”），请核实单位",
                f"{f.raw} ↔ {p.year} 年 {p.raw}")
            continue
        if old > 0 and new > 0 and f.unit.endswith("元") and (new / old >= 3000 or new / old <= 1 / 3000):
            add("unit", "warning", "unit.scale", "相差约一万倍，疑为“万元”与“元”之误",
                f"{fmt(new)} / {fmt(old)} = {new / old:.4g}")
            continue
        if prior.cumulative and new == old:
            end_year = closed_range_end(text, f, after)
            if end_year is None or end_year > (p.year or 0):
                add("unchanged", "stale", "yoy.cumulative_unchanged", "完全相同；累计数应随年度增长，可能沿用旧数据",
                    f"{f.raw} = {p.year} 年 {p.raw}")
            continue
        if old <= 0 or new <= 0:
            continue
        ratio = new / old
        big = max(old, new)
        if big >= th.min_jump_base and (ratio >= th.jump_factor or ratio <= 1 / th.jump_factor):
            if item.index in corroborated or _explained(ledger, item, old, th.reason_words):
                continue  # a new major's 60 students that add up with the others, a change 受疫情影响
            why = f"约为上一年度的 {ratio:.1f} 倍" if ratio > 1 else f"仅为上一年度的 {ratio:.0%}"
            add("yoy_jump", "warning", "yoy.jump", f"{why}，疑为笔误，请核实", f"{fmt(new)} / {fmt(old)} = {ratio:.2f}")
            continue
        if prior.cumulative:
            if new < old:
                add("yoy_jump", "warning", "yoy.cumulative_shrank", "累计数反而减少，请核实",
                    f"{fmt(new)} < {fmt(old)}")
            continue
        if new == old and f.decimals == p.decimals:
            precise = new >= th.stale_min_value or f.decimals > 0
            standard = (f.unit.startswith("元/") or (f.unit in ("%", "‰") and new >= 100)
                        or f.qualifier in BOUND_QUALIFIERS)  # 6.0 分及以上, 不少于 48 周: a threshold kept
            a, b = item.sentence
            if precise and not standard and item.index not in corroborated and not _UNCHANGED.search(text[a:b]):
                add("unchanged", "stale", "yoy.same_as_last_year", "完全相同，可能沿用了上一年度的数据，请确认已更新",
                    f"{f.raw} = {p.year} 年 {p.raw}")
            continue
        def large(r: float) -> bool:
            return r >= 1 + th.notice_change or r <= 1 - th.notice_change

        if not (large(ratio) and large(ratio / g)) or big < th.min_notice_base:
            continue  # a notice needs a change of 30 % both as written and against the draft's trend
        if item.share and abs(new - old) < th.share_min_points:
            continue
        if item.index in corroborated or _explained(ledger, item, old, th.reason_words, nearby=True):
            continue
        trend_note = f"（全文同比中位数 {g - 1:+.0%}）" if abs(g - 1) >= 0.005 else ""
        add("yoy_jump", "notice", "yoy.change", f"变化 {ratio - 1:+.0%}{trend_note}，未说明原因，请核实",
            f"{fmt(new)} / {fmt(old)} = {ratio:.2f}（{ratio - 1:+.0%}）")
    return out
