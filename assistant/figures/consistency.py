"""Whole-draft consistency: shares against their count and base, one metric stated twice, values
outside their domain and unit slips inside the draft (sums are in ``sums``).

**Shares** (``share.count_base``). A share is paired with its count when it is written
``P%（N 人）``, ``N 人，占 P%`` / ``N 条，落实率 P%`` or in the same table row. Its base is, in order:
the population the text names (``对 113 名任课教师``, ``占出国（境）深造人数的``, a sentence opening
``任课教师中，``), the table's 合计 row, the base that reproduces most of the *other* shares of the
paragraph (at least two: 72.0%（85 人）, 21.2%（25 人）… all of 118), or any larger head count of the
paragraph, then of the section. The share is consistent when one candidate reproduces it, rounded or
truncated to its decimals; it is flagged only when candidates exist and none does. A count in 人次
against a base in 人 (or a share in ‰ that is right as %) is a ``unit`` finding instead.

**Duplicates** (``duplicate.value``): two prose statements of the same metric (``Ledger.same_metric``;
table cells are the table's own rows and columns, checked by ``sums``) whose
values differ beyond the rounding of the less precise one, or beyond what a qualifier allows (``96.81%
以上`` admits 97 %, not 96.5 %; ``约``/``余`` allow ``approx_tolerance``; two bounds the same way — 96.81% 以上 and
92.07% 以上 — must give the same value: both restate one measured figure).

**Domain**: a share above 100 % that is not a growth rate (``domain.share_over_100``), a ratio of 0
(``domain.zero_ratio``), an impossible calendar date (``domain.invalid_date``: 4 月 31 日, 13 月), and
a year later than the report year + ``future_years`` outside a plan (``domain.future_date``: a 2021
report may be signed in 2022, but not mention 2024 unless it says 计划/将/预计 … or ends a term: 合作期延长至,
有效期至).
"""

from __future__ import annotations

import calendar
import re

from assistant.domain import vocabulary
from assistant.text.years import DATE, YEAR_NIAN

from .align import label_similarity, quote_of
from .context import Item, Ledger, core_label, rebound
from .extract import explicit_base, is_delta
from .binding import part_label
from .findings import Finding, draft_figure, fmt

_ADJACENT = re.compile(r"^[ \t]*[，,]?[ \t]*(?:占[^，。；;\d%]{0,16}?的?|[^，。；;\d%]{0,8}(?:率|满意度|比例)(?:为|达|是|达到)?|"
                       r"[^，。；;\d%]{0,12}[，,][ \t]*(?:比例|占比|[^，。；;\d%]{0,8}满意度)(?:为|达|是|达到)?)[ \t]*$")
# (96 名教师拥有博士学位，比例为 81.4%: the count's own words, then its share)
_LABELLED_SHARE = re.compile(r"^[ \t]*[，,][ \t]*[^，。；;\d%]{1,8}占[^，。；;\d%]{0,16}?的?[ \t]*$")
_OF = re.compile(r"占([^，。；;\d%]{2,16}?)的")
_AMONG = re.compile(r"^([^，,；;。\d]{2,14}?)(?:中[，,]|者中|(?:之|当)?中(?=进入|有|共有|获|考取|赴|参加|达到))")
"""``境外深造者中进入 QS 前 100 高校的 58 人，占 60.4%``: the share is of the population named before 中."""
_GROWTH = re.compile(r"增长|增加|提高|提升|增幅|降幅|下降|减少|同比|较上|比上")
_PLANNING = re.compile(r"计划|预计|将于|将在|将要|拟于|拟在|力争|争取|届时|预期|展望")
# (a bare 将 is the object marker of 将师德考核作为…, 目标/规划 name goals of any year: neither is a plan)
_TARGET_BEFORE = re.compile(r"(?:到|至)[ \t]*$")  # 到 2025 年…前: a deadline
_TARGET_AFTER = re.compile(r"^[ \t]*(?:底)?(?:前|以前|之前)")
_TERM_END = re.compile(r"(?:延长|延至|有效期|期限|合作期|协议期|续签|许可证|到期)[^，,。；;]{0,10}?(?:至|到)[ \t]*$")
"""``合作期延长至 2033 年`` · ``办学许可证有效期至 2028 年``: the end of a term, not a date that has passed."""
_SPAN_BEFORE = re.compile(r"(?:19|20)\d{2}[ \t]*(?:年(?:度)?)?[ \t]*[—–\-~～至到][ \t]*$")
_PLAN_AFTER = re.compile(r"^(?:度)?[^，,。；;\d]{0,8}?(?:规划|计划|方案|周期|战略|纲要)")
"""``2024—2028 年发展规划``: the period of a plan names its last year, not a date that has passed."""
_SLIPS = ({"人", "人次"},)
_SUBSETS = ("side", "region", "level", "age", "part")  # scope dimensions that name a part of a population
_LOWER_BOUND = ("以上", "超过", "逾", "余", "多", "不低于", "不少于", "高于", "大于", "多于", "超")
_UPPER_BOUND = ("以下", "不超过", "低于", "少于", "以内")
# bounds that are not approximations (余/多 are: 1600 余 and 1650 余 may be one count)
_STRICT_BOUND = {q: tuple(b for b in bounds if b not in ("余", "多"))
                 for bounds in (_LOWER_BOUND, _UPPER_BOUND) for q in bounds if q not in ("余", "多")}


def consistent_share(p: float, decimals: int, n: float, base: float) -> bool:
    """Whether n/base×100 written with ``decimals`` places, rounded or truncated, gives p."""
    if base <= 0:
        return False
    unit = 10.0 ** -decimals
    true = n / base * 100
    return p - 0.5 * unit - 1e-9 <= true < p + unit - 1e-9


def _counts_for(ledger: Ledger, p: Item) -> Item | None:
    f = p.figure
    if f.paired is not None:
        c = ledger.items[f.paired]
        return c if not c.share else None
    nxt = ledger.items[p.index + 1] if p.index + 1 < len(ledger.items) else None
    if nxt is not None and not nxt.share and not p.in_table and \
            re.fullmatch(r"[ \t]*[（(][ \t]*", ledger.text[f.end:nxt.figure.start]):
        return nxt  # P‰（N 人）: the extractor pairs % shares only
    if p.in_table:
        row = [i for i in ledger.items if i.in_table and i.figure.table_row == f.table_row and i.paragraph == p.paragraph
               and not i.share and i.figure.start < f.start]
        named = _share_of_column(f.table_col or "")
        if named:  # 人数占比（%） after 人数 | 副高级及以上 | 硕士及以上学位: the share of the 人数 column
            own = [i for i in row if _bare_header(i.figure.table_col or "") == named]
            if own:
                return own[-1]
        return row[-1] if row else None
    before = [i for i in ledger.prose() if i.sentence == p.sentence and i.figure.end <= f.start]
    if before and not before[-1].share and _ADJACENT.match(gap := ledger.text[before[-1].figure.end:f.start]):
        c = before[-1]
        # "N 人，占 P%" always pairs; "N 人，X率 P%" only when the rate is about N's concept
        # (升学深造 200 人，深造率 74.63%), not when N is its base (毕业生 293 人，就业率 96.93%)
        if "占" in gap or not p.fact.metric or not c.fact.metric or p.fact.metric == c.fact.metric \
                or _rate_named_by(p, c, ledger.text):
            return c
        if len(before) >= 2 and before[-2].unit == c.unit and before[-2].figure.value > c.figure.value \
                and "其中" in ledger.text[before[-2].figure.end:c.figure.start]:
            return c  # 回收有效问卷 916 份，其中…满意的 867 份，学生满意度为 94.7%: a part of the figure before, then its rate
    if before and not before[-1].share and _LABELLED_SHARE.match(ledger.text[before[-1].figure.end:f.start]):
        c = before[-1]  # 中方 59 人、外方 33 人，外方教师占 35.9%: the share's own words name the count's population
        if p.fact.metric and p.fact.metric == c.fact.metric and p.fact.scope == c.fact.scope:
            return c
    return None


def _rate_named_by(p: Item, c: Item, text: str) -> bool:
    """``毕业去向落实 238 人，毕业去向落实率 96.0%`` · ``满意 893 份，满意度 94.5%`` · ``103 人通过，通过率 97.2%``:
    the rate's words are the count's words (before it, or right after it) and 率 / 度."""
    rate = re.sub(r"\s+", "", p.figure.metric or "")
    if not rate.endswith(("率", "度")):
        return False
    after = re.match(r"[\u4e00-\u9fff]{2,4}(?=[，,；;。]|$)", text[c.figure.end:c.figure.end + 6])
    words = [w for w in (re.sub(r"\s+", "", c.figure.metric or ""), after.group(0) if after else "") if len(w) >= 2]
    return any(rate[:-1].endswith(w) for w in words)


def _bare_header(header: str) -> str:
    return re.sub(r"[（(][^）)]*[）)]|\s+", "", header)


def _share_of_column(header: str) -> str:
    """The column a share column names (``人数占比（%）`` → 人数, ``金额比例`` → 金额), else ""."""
    m = re.fullmatch(r"(.{2,8}?)(?:占比|比例|比重|所占比例)", _bare_header(header))
    return m.group(1) if m else ""


def _family_ok(count: Item, base: Item) -> bool:
    return base.unit == count.unit or any({base.unit, count.unit} <= s for s in _SLIPS)


def _population(ledger: Ledger, p: Item, count: Item) -> str:
    text = ledger.text
    a = p.sentence[0]
    m = _OF.search(text[max(a, count.figure.end):p.figure.start])
    if m:
        return m.group(1)
    m = _AMONG.match(text[a:count.figure.start])
    return m.group(1) if m else ""


def _larger(ledger: Ledger, p: Item, count: Item) -> list[Item]:
    """Head counts that could be a share's base: larger than its count, in its unit (or a slip of it,
    in the share's paragraph), not a share, a change or a range."""
    c = count.figure
    return [i for i in ledger.items if i is not count and i is not p and not i.share and _family_ok(count, i)
            and i.figure.value > c.value and not is_delta(i.figure) and i.figure.range_to is None
            and (i.unit == count.unit or i.paragraph == p.paragraph)]


def _candidates(ledger: Ledger, p: Item, count: Item) -> tuple[list[Item], str]:
    """Base candidates of a share and how they were chosen."""
    f, c = p.figure, count.figure
    larger = _larger(ledger, p, count)
    population = _population(ledger, p, count)
    if population:
        vocab = vocabulary()
        concept = vocab.concept_in(population, c.unit)
        scope = vocab.scope_in(population, [concept[1]] if concept else [])
        named = [i for i in larger if (i.unit == count.unit or i.paragraph == p.paragraph) and (
            (concept and i.fact.metric == concept[0].id
             and {k: v for k, v in i.fact.scope if k in _SUBSETS}.items() <= scope.items())
            or label_similarity(population, i.figure.metric) >= 0.7)]  # 任课教师中 is not 外方任课教师
        return sorted(named, key=lambda i: (i.section != p.section, abs(i.figure.start - f.start))), "population"
    if not p.in_table:
        stated = explicit_base(ledger.text, f.start)
        if stated and not count.in_table:
            same = [i for i in larger if i.figure.value == stated[0] and i.paragraph == p.paragraph]
            if same:
                return same[:1], "stated"
    if p.in_table:
        totals = [i for i in larger if i.in_table and i.figure.table_col == c.table_col
                  and any(w in (i.figure.table_row or "") for w in ("合计", "总计", "小计"))]
        return totals, "table"
    para = [i for i in larger if i.paragraph == p.paragraph and i.figure.start < f.start and not i.in_table
            and not i.figure.qualifier]
    # 收集意见建议 61 条，落实 57 条，落实率 93.4%: the figure just before the count in its sentence is
    # the natural base, even when a typo made the count larger than it
    lead = [i for i in ledger.prose() if i.sentence == count.sentence and i.figure.end <= c.start and i.unit == count.unit
            and not i.share and not is_delta(i.figure) and not i.figure.qualifier]
    if lead and lead[-1] not in para and lead[-1].index == count.index - 1:
        para.append(lead[-1])
    siblings = [(s, _counts_for(ledger, s)) for s in ledger.items if s.share and s is not p and s.paragraph == p.paragraph]
    siblings = [(s, k) for s, k in siblings if k is not None and not _population(ledger, s, k)]
    support = {b.index: sum(consistent_share(s.figure.value, s.figure.decimals, k.figure.value, b.figure.value)
                            for s, k in siblings if k.figure.value < b.figure.value) for b in para}
    best = max(support.values(), default=0)
    if best >= 2:
        return [b for b in para if support[b.index] == best], "siblings"
    # none in the paragraph: a head count stated earlier in the section that gives the paragraph's other
    # shares (学院任课教师共计 118 人。⏎ 96 名教师拥有博士学位，比例为 81.4%；正高级 28 人，占 23.7%…)
    earlier = [i for i in larger if i.section == p.section and i.paragraph != p.paragraph and i.figure.start < f.start
               and not i.in_table and not i.figure.qualifier]
    wider = {b.index: sum(consistent_share(s.figure.value, s.figure.decimals, k.figure.value, b.figure.value)
                          for s, k in siblings if k.figure.value < b.figure.value) for b in earlier}
    best = max(wider.values(), default=0)
    if best >= 2:
        return [b for b in earlier if wider[b.index] == best], "siblings"
    return para, "paragraph"  # a base stated in another paragraph is too often another population


def _reproduced_elsewhere(ledger: Ledger, p: Item, count: Item) -> bool:
    """Whether a head count stated before the share in its section (bound to a concept, in the count's
    unit, exact) gives the share (国内读研 42 人，占 21.76% of the 193 graduates stated in the section's first paragraph): a share is
    flagged only when no base its section states reproduces it. Bases found by name (the population
    the text names) are not second-guessed."""
    f, c = p.figure, count.figure
    if _population(ledger, p, count):
        return False
    return any(consistent_share(f.value, f.decimals, c.value, i.figure.value) for i in _larger(ledger, p, count)
               if i.unit == count.unit and i.section == p.section and i.figure.start < c.start and i.fact.metric
               and not i.in_table and not i.figure.qualifier)


def share_findings(ledger: Ledger, corrected: dict[int, float] | None = None) -> list[Finding]:
    """``corrected``: totals of broken sums (item index → the sum of their parts). A share that is
    right for the corrected total is left to the sum finding — one error, reported once."""
    corrected = corrected or {}
    out = []
    text = ledger.text
    for p in ledger.items:
        f = p.figure
        if not p.share or f.value <= 0 or is_delta(f) or f.qualifier:
            continue
        if p.in_table and any(w in (f.table_row or "") for w in ("合计", "总计")):
            continue  # | 合计 | 5480 | 100.0 |: the total's share of itself (the column's sum checks it)
        count = _counts_for(ledger, p)
        if count is None or count.figure.qualifier:
            continue
        bases, _how = _candidates(ledger, p, count)
        if not bases:
            continue
        permille = f.unit == "‰"
        c = count.figure
        # P‰ is right when count/base×1000 gives P, i.e. count/base×100 gives P/10 with one more decimal
        fits = [b for b in bases if consistent_share(f.value / 10, f.decimals + 1, c.value, b.figure.value)] if permille \
            else [b for b in bases if consistent_share(f.value, f.decimals, c.value, b.figure.value)]
        same_unit = [b for b in fits if b.unit == count.unit]
        if same_unit or any(b.index in corrected and consistent_share(f.value / (10 if permille else 1),
                                                                      f.decimals + permille, c.value, corrected[b.index])
                            for b in bases):
            continue
        as_percent = [b for b in bases if permille and consistent_share(f.value, f.decimals, c.value, b.figure.value)]
        if not fits and not as_percent and _how == "paragraph" and _reproduced_elsewhere(ledger, p, count):
            continue  # the base guessed from the paragraph is not the one: another count of the section gives the share
        base = (fits or as_percent or bases)[0]
        actual = c.value / base.figure.value * (1000 if permille else 100)
        shown = f"{actual:.{max(f.decimals, 1)}f}{f.unit}"
        arithmetic = f"{fmt(c.value)}/{fmt(base.figure.value)} = {shown}，草稿写 {f.raw}"
        related = [draft_figure(text, c, "count"), draft_figure(text, base.figure, "base")]
        metric = p.fact.name if p.fact.metric else f.metric
        span = (f.start, f.end)
        if fits:
            out.append(Finding("unit", quote_of(text, f), f.value,
                               f"{c.raw} 与基数 {base.figure.raw} 单位不同（人/人次），请核实单位", None, "warning",
                               "unit.count_base", metric, arithmetic, related, (c.start, c.end)))
            continue
        if as_percent:
            pct = c.value / base.figure.value * 100
            out.append(Finding("unit", quote_of(text, f), f.value,
                               f"{f.raw} 按 {fmt(c.value)}/{fmt(base.figure.value)} 应为 {pct:.{max(f.decimals, 1)}f}%，疑为 % 误写作 ‰",
                               None, "warning", "unit.share_scale", metric,
                               f"{fmt(c.value)}/{fmt(base.figure.value)} = {pct:.{max(f.decimals, 1)}f}%，草稿写 {f.raw}",
                               related, span))
            continue
        message = f"{f.raw} 与 {fmt(c.value)}/{fmt(base.figure.value)}={shown} 不符（{metric or '占比'}，基数 {base.figure.raw}）"
        out.append(Finding("arithmetic", quote_of(text, f), f.value, message, None, "error", "share.count_base",
                           metric, arithmetic, related, span))
    return out


def _agrees(a: Item, b: Item, approx: float) -> bool:
    """Whether b's value is compatible with a's statement (rounding, qualifiers)."""
    x, y = a.figure, b.figure
    d = min(x.decimals, y.decimals)
    if round(x.value, d) == round(y.value, d):
        return True
    for f, g in ((x, y), (y, x)):
        q = f.qualifier
        if q in _STRICT_BOUND and g.qualifier in _STRICT_BOUND[q]:
            continue  # two bounds the same way (96.81%以上 and 92.07%以上) state one measured value twice
        if q in _LOWER_BOUND:
            if g.value >= f.value and (q not in ("余", "多") or g.value <= f.value * (1 + approx)):
                return True
        elif q in _UPPER_BOUND:
            if g.value <= f.value:
                return True
        elif q and abs(g.value - f.value) <= f.value * approx:
            return True
    return False


def _restated_alone(ledger: Ledger, items: list[Item], a: Item, b: Item) -> bool:
    """``a`` and ``b`` are one statement restated out of its context (:meth:`Ledger.restates`), and the
    bound statements with those words give a single value (a label shared by 招生 and 在校生 parts is not
    one metric)."""
    if not ledger.restates(a, b):
        return False
    bound = a if a.fact.metric else b
    values = {round(i.figure.value, 4) for i in items
              if i.fact.metric and core_label(i.fact.label) == core_label(bound.fact.label) and i.unit == bound.unit}
    return len(values) == 1


def _compact_label(item: Item) -> str:
    return re.sub(r"[\s、，,]+", "", YEAR_NIAN.sub("", item.fact.label or ""))


def _lone_restatement(ledger: Ledger, items: list[Item], a: Item, b: Item) -> bool:
    """``b`` is a sentence of its own that states one figure with no concept (``已落实 60 条。``,
    ``国家级 63 人次。``, ``EI 收录 25 篇。``) in another section than ``a``, its words are ``a``'s label
    (three characters or more) or the end of it (four or more), same unit, year and scope — and every
    other statement with those words gives one value: a figure restated out of its context."""
    if b.fact.metric or a.section == b.section or a.unit != b.unit or a.fact.year != b.fact.year:
        return False
    if a.fact.cumulative != b.fact.cumulative or a.fact.delta or b.fact.delta or b.figure.qualifier:
        return False
    if any(i is not b and i.sentence == b.sentence for i in ledger.items):
        return False
    words, label = _compact_label(b), _compact_label(a)
    if not (len(words) >= 3 and label == words or len(words) >= 4 and label.endswith(words)):
        return False
    if dict(b.fact.scope) != {d: v for d, v in a.fact.scope if d != "part"}:
        return False
    values = {round(i.figure.value, 4) for i in items if i is not b and i.unit == b.unit
              and (_compact_label(i) == label or _compact_label(i).endswith(words))}
    return len(values) == 1


def _other_population(text: str, a: Item, b: Item) -> bool:
    """Whether the two statements' sentences each name who they are about and have no one in common
    (用人单位 surveyed in one, 在校生 in the other): two measurements of one concept."""
    vocab = vocabulary()
    pa = vocab.populations_in(text[a.sentence[0]:a.sentence[1]])
    pb = vocab.populations_in(text[b.sentence[0]:b.sentence[1]])
    return bool(pa) and bool(pb) and not pa & pb


def duplicate_findings(ledger: Ledger, approx: float) -> list[Finding]:
    """The same metric stated again with another value (or in another unit)."""
    out = []
    text = ledger.text
    items = [i for i in ledger.items if not is_delta(i.figure) and i.figure.range_to is None and not i.in_table]
    for k, b in enumerate(items):
        for a in items[:k]:
            if a.sentence == b.sentence:
                continue
            slipped = a.unit != b.unit and any({a.unit, b.unit} <= s for s in _SLIPS)
            if slipped:
                same = a.fact.metric and a.fact.metric == b.fact.metric and a.fact.scope == b.fact.scope \
                    and a.index in ledger.pure and b.index in ledger.pure and a.figure.value == b.figure.value
                if same:
                    out.append(Finding("unit", quote_of(text, b.figure), b.figure.value,
                                       f"“{b.fact.name}”前文写作 {a.figure.raw}，此处写作 {b.figure.raw}，单位不一致",
                                       None, "warning", "unit.restated", b.fact.name,
                                       f"{a.figure.raw} ≠ {b.figure.raw}", [draft_figure(text, a.figure, "restated")],
                                       (b.figure.start, b.figure.end)))
                    break
                continue
            if not (ledger.same_metric(a, b) or _restated_alone(ledger, items, a, b)
                    or _lone_restatement(ledger, items, a, b) or _lone_restatement(ledger, items, b, a)) \
                    or _agrees(a, b, approx):  # a lone restatement may come before the statement it restates
                continue
            if _other_population(text, a, b):
                continue
            metric = b.fact.name if b.fact.metric else b.figure.metric
            out.append(Finding("duplicate", quote_of(text, b.figure), b.figure.value,
                               f"“{metric}”在前文为 {a.figure.raw}，此处为 {b.figure.raw}，同一指标两个数值",
                               None, "error", "duplicate.value", metric, f"{a.figure.raw} ≠ {b.figure.raw}",
                               [draft_figure(text, a.figure, "restated")], (b.figure.start, b.figure.end)))
            break
    return out + table_restatement_findings(ledger)


_NOT_A_LEVEL_COLUMN = re.compile(r"%|％|占比|比例|增减|增长|增幅|变化|较上年|同比|累计")


def _row_cells(ledger: Ledger, prose: Item) -> list[Item]:
    """Table cells a prose figure restates: the row label is a word of the figure's label (国际交流 of
    国际交流支出 236 万元), the column holds this year's levels in the figure's unit and — when both are
    bound — of its concept."""
    label = re.sub(r"\s+", "", prose.figure.metric)
    out = []
    for cell in ledger.items:
        f = cell.figure
        if not cell.in_table or cell.figure.unit != prose.figure.unit or is_delta(f):
            continue
        row = re.sub(r"\s+", "", f.table_row or "")
        col = f.table_col or ""
        if len(re.findall(r"[\u4e00-\u9fff]", row)) < 2 or row not in label or any(w in row for w in ("合计", "总计", "小计")):
            continue
        after = label[label.rindex(row) + len(row):]
        if len(after) > 3 or "中" in after or not _names_more_than_scope(row):
            continue  # 境外深造者中进入…: a part of the row; 国家级 alone: a level of anything
        if _NOT_A_LEVEL_COLUMN.search(col) or any(int(y) != ledger.year for y in re.findall(r"((?:19|20)\d\d)年", col)):
            continue
        if prose.fact.metric and cell.fact.metric and prose.fact.metric != cell.fact.metric:
            continue
        if prose.fact.scope_dict.get("programme") != cell.fact.scope_dict.get("programme"):
            continue  # 硕士毕业生…1 人待就业 is not the (本科) table's 待就业 row
        part = prose.fact.scope_dict.get("part", "")
        if row in part and part_label(part.replace(row, " "), prose.fact.metric or None):
            continue  # …中，在沅州省内就业 64 人: some of the 就业 row, by words of its own
        out.append(cell)
    return out


def _names_more_than_scope(label: str) -> bool:
    vocab = vocabulary()
    rest = label
    for values in vocab.scopes.values():
        for words in values.values():
            for w in sorted(words, key=len, reverse=True):
                if re.search(r"[\u4e00-\u9fff]", w):
                    rest = rest.replace(w, "")
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 2


def table_restatement_findings(ledger: Ledger) -> list[Finding]:
    """A table cell stated again in the prose with another value (the table's 国际交流 236 万元, the text's
    国际交流支出 228 万元): ``duplicate.table``. Only when exactly one cell of the draft is the figure's."""
    out = []
    text = ledger.text
    for b in ledger.items:
        if b.in_table or b.share or is_delta(b.figure) or b.figure.qualifier or b.figure.range_to is not None:
            continue
        cells = _row_cells(ledger, b)
        if len(cells) != 1 or cells[0].figure.value == b.figure.value:
            continue
        a = cells[0]
        if a.fact.metric and not b.fact.metric and vocabulary().concept_in(a.figure.table_col or "", a.figure.unit):
            continue  # 附属医院录用 45 人 is not the 带教教师（人） of the table's 附属医院 row
        metric = re.sub(r"\s+", "", b.figure.metric) or b.fact.name  # the text's own words: 国际交流支出
        out.append(Finding("duplicate", quote_of(text, b.figure), b.figure.value,
                           f"“{metric}”在表格中为 {a.figure.raw}，此处为 {b.figure.raw}，同一指标两个数值",
                           None, "error", "duplicate.table", metric, f"{a.figure.raw} ≠ {b.figure.raw}",
                           [draft_figure(text, a.figure, "restated")], (b.figure.start, b.figure.end)))
    return out


def permille_findings(ledger: Ledger) -> list[Finding]:
    """A ‰ figure about a rate the vocabulary measures in % only (``unit.permille``: 深造率 90.7‰)."""
    out = []
    vocab = vocabulary()
    for i in ledger.items:
        f = i.figure
        if f.unit != "‰":
            continue
        _, fact = rebound(ledger.text, f, "%", ledger.year)
        concept = vocab.concept(fact.metric)
        if concept is None or not concept.units or "‰" in concept.units or "%" not in concept.units:
            continue
        out.append(Finding("unit", quote_of(ledger.text, f), f.value,
                           f"“{concept.label}”以 % 计，此处写作 {f.raw}，请核实单位", None, "warning", "unit.permille",
                           fact.name, f"{f.raw} = {f.value / 10:g}%", [], (f.start, f.end)))
    return out


_SIBLING_SLIPS = (("人次", "人"), ("‰", "%"))


def sibling_unit_findings(ledger: Ledger, taken: set[tuple[int, int]]) -> list[Finding]:
    """A figure in 人次 (or ‰) that, read in 人 (or %), is of the metric of at least two figures of its
    sentence written in 人 (or %): ``任课教师共 71 人，中方 55 人，外方 16 人次`` · ``毕业生分别为 132 人、84 人和
    65 人次``. Two siblings must agree, so ``获奖学生共 41 人次，按人数不重复统计为 35 人`` (two ways of counting)
    is no slip, and a figure whose own words name a count of times (人次 of 培训) binds to no such metric."""
    out = []
    text = ledger.text
    prose = [i for i in ledger.prose() if not is_delta(i.figure) and i.figure.range_to is None]
    for i in prose:
        f = i.figure
        slip = next((usual for odd, usual in _SIBLING_SLIPS if i.unit == odd), None)
        if slip is None or (f.start, f.end) in taken:
            continue
        _, fact = rebound(text, f, slip, ledger.year)
        if not fact.metric:
            continue
        agree = [j for j in prose if j.sentence == i.sentence and j is not i and j.unit == slip
                 and j.fact.metric == fact.metric and "part" not in dict(j.fact.scope)]  # 选派 3 名…: those sent
        if len(agree) < 2 or any(j.unit == i.unit and j.fact.metric == fact.metric for j in prose
                                 if j.sentence == i.sentence and j is not i):
            continue
        out.append(Finding("unit", quote_of(text, f), f.value,
                           f"{f.raw} 与同句“{fact.name}”的其他数字（{agree[0].figure.raw} 等）单位不一致，请核实单位",
                           None, "warning", "unit.sibling", fact.name, f"{f.raw} ↔ {agree[0].figure.raw}",
                           [draft_figure(text, a.figure, "restated") for a in agree], (f.start, f.end)))
    return out


def domain_findings(ledger: Ledger, future_years: int) -> list[Finding]:
    out = []
    text = ledger.text
    for i in ledger.items:
        f = i.figure
        clause = text[max(i.sentence[0], f.start - 16):f.start]
        if f.unit == "%" and f.value > 100 and not is_delta(f) and f.qualifier not in _LOWER_BOUND \
                and not _GROWTH.search(clause):
            out.append(Finding("domain", quote_of(text, f), f.value, f"占比 {f.raw} 超过 100%，请核实",
                               None, "error", "domain.share_over_100", i.fact.name if i.fact.metric else f.metric,
                               f"{f.raw} > 100%", [], (f.start, f.end)))
        elif not f.unit and f.value == 0 and ("比" in f.metric or i.fact.metric == "生师比"):
            out.append(Finding("domain", quote_of(text, f), f.value, f"“{f.metric}”为 0，比值不可能为零，请核实",
                               None, "error", "domain.zero_ratio", i.fact.name if i.fact.metric else f.metric,
                               f"{f.metric} = {f.raw}", [], (f.start, f.end)))
    for m in DATE.finditer(text):
        year = int(m.group("year")) if m.group("year") else None
        month, day = int(m.group("month")), int(m.group("day")) if m.group("day") else None
        prev = text[:m.start()].rstrip()[-1:]
        if prev in ("第", "前") or (year is None and not day):
            continue
        if month < 1 or month > 12 or (day is not None and (day < 1 or day > calendar.monthrange(year or 2000, month)[1])):
            span = (m.start(), m.end())
            out.append(Finding("domain", text[m.start():m.end()].strip(), float(day or month),
                               f"日期“{text[m.start():m.end()].strip()}”不存在，请核实", None, "error",
                               "domain.invalid_date", "日期", "", [], span))
    for m in YEAR_NIAN.finditer(text):
        year = int(m.group(1))
        if year <= ledger.year + future_years or text[m.end():m.end() + 1] in "级届":
            continue
        a = max(text.rfind(ch, 0, m.start()) for ch in "。！？\n") + 1
        b = min([j for j in (text.find(ch, m.end()) for ch in "。！？\n") if j != -1] or [len(text)])
        if _PLANNING.search(text[a:b]) or _TERM_END.search(text[a:m.start()]) or (_TARGET_BEFORE.search(text[a:m.start()])
                                            and _TARGET_AFTER.match(text[m.end():])) \
                or (_SPAN_BEFORE.search(text[a:m.start()]) and _PLAN_AFTER.match(text[m.end():])):
            continue
        out.append(Finding("domain", text[m.start():m.end()].strip(), float(year),
                           f"{year} 年晚于报告年度 {ledger.year} 年，疑为笔误", None, "error", "domain.future_date",
                           "年份", f"{year} > {ledger.year + future_years}", [], (m.start(), m.end())))
    return out
