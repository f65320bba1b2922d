"""Draft check: figures that contradict their own arithmetic or the previous year's report.

Finding kinds:

* ``arithmetic`` — ``P%（N 人）`` where N/base does not give P (rounded or truncated); the base is the
  population stated earlier in the paragraph (``对 120 名任课教师的统计``) or, failing that, any earlier
  head count of the paragraph. The message also says when P equals last year's value (stale share).
* ``sum`` — parts listed after 其中/包含/包括 (or shares of the same rate) whose labels partition the
  total (出国/国内, 中方/英方, 男/女 must add up; 国际级/国家级/省级… must not exceed it), and Markdown
  tables whose 合计/总计 row or column differs from the sum of the others. Lists of overlapping
  categories (联合培养课程, 引进外方课程) are not sums.
* ``yoy_jump`` — a value ×3 (or ÷3) of last year's same metric, a cumulative count that shrank, or
  a value moving more than ``relative_change`` (counts) / ``percent_points`` (shares) without a
  reason word (增长, 由于, 受…影响 …) in its sentence.
* ``unchanged`` — a cumulative count (累计, 至今, 共派出 …) equal to last year's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.text.tables import write_table
from assistant.types import LoadError

from .align import (COMPLEMENTS, Record, SourcedFigure, closed_range_end, is_cumulative, label_similarity, match_score,
                    quote_of, sourced_figures, unit_family)
from assistant.text.sentences import paragraph_bounds, sentence_bounds

from .extract import Figure, enumerations, explicit_base, extract_figures, is_delta

_TOTAL_WORDS = ("合计", "总计", "小计", "总数", "共计", "总和")
_RATE_WORDS = ("率", "比例", "占比", "平均", "均值", "%")


@dataclass(frozen=True)
class CheckThresholds:
    """Tunables of ``check_draft``."""

    jump_factor: float = 3.0  # new/old ≥ this (or ≤ 1/this) is always a jump
    relative_change: float = 0.50  # counts: larger relative change needs a stated reason
    percent_points: float = 15.0  # shares: larger change in points needs a stated reason
    min_jump_base: float = 5.0  # ignore ×3 jumps when both values are below this
    min_relative_base: float = 50.0  # ignore relative changes when both values are below this
    min_match: float = 0.6  # minimum alignment score to compare with last year
    ambiguity_margin: float = 0.05  # skip when two prior figures with different values match about equally
    reason_words: tuple[str, ...] = ("增长", "新增", "增加", "增至", "增长到", "提升", "提高", "扩大", "扩招",
                                     "下降", "减少", "降低", "回落", "因", "由于", "受", "影响", "疫情",
                                     "首次", "恢复", "调整", "翻番", "翻倍")


@dataclass
class Finding:
    """One suspicious figure of a draft. ``quote`` is an exact substring of the draft."""

    kind: str
    quote: str
    value: float
    message: str
    reference: dict | None = None

    def to_json(self) -> dict:
        """Plain-dict form."""
        return asdict(self)


def check_to_json(findings: Iterable[Finding]) -> dict:
    """``{"findings": [{"kind", "quote", "value", "message", "reference"}, …]}``."""
    return {"findings": [f.to_json() for f in findings]}


def _fmt(v: float) -> str:
    return f"{v:.4f}".rstrip("0").rstrip(".")


def _reference(sf: SourcedFigure) -> dict:
    f = sf.figure
    return {"year": f.year, "value": f.value, "source": f.source, "quote": sf.quote}


def _consistent(p: float, decimals: int, n: float, base: float) -> bool:
    """Whether n/base×100 written with ``decimals`` places, rounded or truncated, gives p."""
    unit = 10.0 ** -decimals
    true = n / base * 100
    return p - 0.5 * unit - 1e-9 <= true < p + unit - 1e-9


def _previous(draft: Figure, prior: list[SourcedFigure], th: CheckThresholds, cumulative: bool | None = None) -> SourcedFigure | None:
    """Last year's figure of the same metric, or None when absent or ambiguous."""
    scored = sorted(((match_score(draft, sf.figure), k) for k, sf in enumerate(prior)
                     if cumulative is None or sf.cumulative == cumulative), reverse=True)
    if not scored or scored[0][0] < th.min_match:
        return None
    best_score, best = scored[0]
    for score, k in scored[1:]:
        if score < best_score - th.ambiguity_margin:
            break
        if prior[k].figure.value != prior[best].figure.value:
            return None
    return prior[best]


def _arithmetic(text: str, figs: list[Figure], prior: list[SourcedFigure], th: CheckThresholds) -> list[tuple[Figure, Finding]]:
    out = []
    for pct in figs:
        if pct.unit != "%" or pct.paired is None:
            continue
        count = figs[pct.paired]
        stated = explicit_base(text, pct.start)
        if stated:
            bases = [(stated[0], stated[1])]
        else:
            para_start, _ = paragraph_bounds(text, pct.start)
            bases = [(f.value, f.metric) for f in figs
                     if para_start <= f.start < pct.start and f is not count and f.unit != "%" and f.table_row is None
                     and unit_family(f.unit) == unit_family(count.unit) and f.value > count.value and not f.qualifier]
        if not bases or any(_consistent(pct.value, pct.decimals, count.value, b) for b, _ in bases):
            continue
        base = max(bases, key=lambda b: label_similarity(b[1], pct.context or pct.metric))[0]
        actual = count.value / base * 100
        message = (f"{pct.raw} 与 {_fmt(count.value)}/{_fmt(base)}={actual:.{max(pct.decimals, 1)}f}% 不符"
                   f"（{pct.metric}，基数 {_fmt(base)}）")
        prev = _previous(pct, prior, th)
        reference = None
        if prev and prev.figure.value == pct.value:
            message += f"；{pct.raw} 与上一年度数值相同，可能沿用旧数据"
            reference = _reference(prev)
        out.append((pct, Finding("arithmetic", quote_of(text, pct), pct.value, message, reference)))
    return out


def _partition(total: Figure, parts: list[Figure]) -> tuple[bool, bool] | None:
    """Whether parts name different sides of one complement group (出国/国内, 中方/英方, 国际级/省级 …).

    Returns ``(partition, two_sided)`` — two-sided groups must add up exactly, level lists may omit
    levels — or None when the labels do not partition."""
    for group in COMPLEMENTS:
        hits = []
        for p in parts:
            idx = [i for i, words in enumerate(group) if any(w in p.metric for w in words)]
            if len(idx) != 1:
                break
            hits.append(idx[0])
        else:
            if len(set(hits)) == len(parts) and not any(any(w in total.metric for w in ws) for ws in group):
                return True, len(group) == 2
    return None


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _sum_finding(text: str, total: Figure, parts: list[Figure]) -> Finding | None:
    """A ``sum`` finding when partitioning parts do not add up to (or exceed) their total."""
    partition = _partition(total, parts)
    if partition is None or any(f.qualifier for f in [total, *parts]):
        return None
    s = sum(p.value for p in parts)
    decimals = max(p.decimals for p in [total, *parts])
    exact = partition[1] or total.unit == "%"
    tol = (len(parts) + 1) * 10.0 ** -decimals if total.unit == "%" else 0.5 * 10.0 ** -decimals
    if (abs(s - total.value) if exact else s - total.value) <= tol:
        return None
    unit = "%" if total.unit == "%" else total.unit
    relation = "不等于" if exact else "超过"
    message = (f"分项之和 {'+'.join(p.raw for p in parts)} = {s:.{decimals}f}{unit} {relation}"
               f"总数 {total.raw}（{total.metric}）")
    return Finding("sum", quote_of(text, total), total.value, message, None)


def _prose_sums(text: str, figs: list[Figure]) -> list[tuple[Figure, Finding]]:
    out: list[tuple[Figure, Finding]] = []
    checked: set[int] = set()
    for t, part_ids in enumerations(text, figs):
        total = figs[t]
        parts = [figs[i] for i in part_ids if unit_family(figs[i].unit) == unit_family(total.unit)
                 and not (figs[i].paired is not None and figs[i].unit != "%")]
        if len(parts) < 2:
            continue
        checked.add(t)
        finding = _sum_finding(text, total, parts)
        if finding:
            out.append((total, finding))
    # Shares followed by complementary shares of the same rate without 其中: 深造率 90.7%，出国深造率 66.4%，国内深造率 24.3%
    prose = [(i, f) for i, f in enumerate(figs) if f.table_row is None]
    for k, (i, total) in enumerate(prose):
        if total.unit != "%" or i in checked or not total.metric:
            continue
        _, sent_end = sentence_bounds(text, total.start)
        parts = []
        for _, f in prose[k + 1:]:
            if f.start >= sent_end or f.unit != "%" and f.paired is None:
                break
            if f.unit == "%":
                parts.append(f)
        if len(parts) >= 2 and all(_common_suffix(p.metric, total.metric) >= 2 for p in parts):
            finding = _sum_finding(text, total, parts)
            if finding:
                out.append((total, finding))
    return out


def _is_total(label: str) -> bool:
    return any(w in label for w in _TOTAL_WORDS)


def _same_table(text: str, a: Figure, b: Figure) -> bool:
    return all(line.strip().startswith("|") for line in text[a.end:b.start].split("\n")[1:-1])


def _table_sums(text: str, figs: list[Figure]) -> list[tuple[Figure, Finding]]:
    tables: list[list[Figure]] = []
    for f in figs:
        if f.table_row is None:
            continue
        if not tables or not _same_table(text, tables[-1][-1], f):
            tables.append([])
        tables[-1].append(f)
    out: list[tuple[Figure, Finding]] = []
    for table in tables:
        cells: dict[tuple[str | None, str | None], list[Figure]] = {}
        for f in table:
            cells.setdefault((f.table_row, f.table_col), []).append(f)
        single = {k: v[0] for k, v in cells.items() if len(v) == 1}
        rows = list(dict.fromkeys(f.table_row or "" for f in table))
        cols = list(dict.fromkeys(f.table_col or "" for f in table))
        for total_row in [r for r in rows if _is_total(r)]:
            for col in cols:
                if _is_total(col):
                    continue
                total = single.get((total_row, col))
                parts = [single.get((r, col)) for r in rows if not _is_total(r)]
                finding = _table_finding(text, total, parts, f"“{col}”列")
                if finding:
                    out.append((total, finding))
        for total_col in [c for c in cols if _is_total(c)]:
            for row in rows:
                if _is_total(row):
                    continue
                total = single.get((row, total_col))
                parts = [single.get((row, c)) for c in cols if not _is_total(c)]
                finding = _table_finding(text, total, parts, f"“{row}”行")
                if finding:
                    out.append((total, finding))
    return out


def _table_finding(text: str, total: Figure | None, parts: list[Figure | None], where: str) -> Finding | None:
    """Compare a 合计 cell with the sum of its row or column (shares only when the total is 100%)."""
    if total is None or len(parts) < 2 or any(p is None for p in parts):
        return None
    cells = [p for p in parts if p is not None]
    shares = total.unit == "%" or any(w in (total.table_col or "") for w in _RATE_WORDS)
    if shares and total.value != 100 or any(unit_family(p.unit) != unit_family(total.unit) for p in cells):
        return None
    s = sum(p.value for p in cells)
    tol = 10.0 ** -max(p.decimals for p in [total, *cells]) * (len(cells) if shares else 0.5)
    if abs(s - total.value) <= tol:
        return None
    message = f"表格{where}合计 {total.raw} 与各项之和 {_fmt(round(s, 4))} 不符"
    return Finding("sum", quote_of(text, total), total.value, message, None)


def _yoy(text: str, figs: list[Figure], prior: list[SourcedFigure], skip: set[int],
         th: CheckThresholds) -> list[tuple[Figure, Finding]]:
    out = []
    previous_end = 0
    for f in figs:
        after, previous_end = previous_end, f.end
        if id(f) in skip or not f.metric or is_delta(f):
            continue
        cumulative = is_cumulative(text, f, after)
        prev = _previous(f, prior, th, cumulative)
        if prev is None:
            continue
        old, new = prev.figure.value, f.value
        sent_start, sent_end = sentence_bounds(text, f.start)
        label = f.metric or f.table_row or ""
        if cumulative and new == old:
            end_year = closed_range_end(text, f, after)
            if end_year is None or end_year > (prev.figure.year or 0):
                out.append((f, Finding("unchanged", quote_of(text, f), new,
                                       f"累计数“{label}”{f.raw} 与 {prev.figure.year} 年报告（{prev.figure.raw}）完全相同；"
                                       f"累计数应随年度增长，可能沿用旧数据", _reference(prev))))
            continue
        if old <= 0 or new <= 0 or f.range_to is not None or prev.figure.range_to is not None:
            continue
        ratio = new / old
        big = max(old, new)
        reason = any(w in text[sent_start:sent_end] for w in th.reason_words)
        if big >= th.min_jump_base and (ratio >= th.jump_factor or ratio <= 1 / th.jump_factor):
            why = f"约为上一年度的 {ratio:.1f} 倍" if ratio > 1 else f"仅为上一年度的 {ratio:.0%}"
        elif cumulative:
            if new >= old:
                continue
            why = "累计数反而减少"
        elif reason:
            continue
        elif f.unit == "%" and abs(new - old) > th.percent_points:
            why = f"变化 {new - old:+.1f} 个百分点且未说明原因"
        elif f.unit != "%" and big >= th.min_relative_base and abs(ratio - 1) > th.relative_change:
            why = f"变化 {ratio - 1:+.0%} 且未说明原因"
        else:
            continue
        out.append((f, Finding("yoy_jump", quote_of(text, f), new,
                               f"“{label}”{f.raw} 与 {prev.figure.year} 年报告的 {prev.figure.raw} 相比{why}，请核实",
                               _reference(prev))))
    return out


def check_draft(draft_text: str, year: int, history: Iterable[Record], *,
                thresholds: CheckThresholds = CheckThresholds()) -> list[Finding]:
    """Findings for the figures of a draft of report ``year``, compared with the previous year's report.

    ``history`` holds ``(text, year, source, section)`` passages of reports; the latest year before
    ``year`` (normally ``year - 1``) is the comparison year. Findings come in draft order."""
    figs = extract_figures(draft_text)
    if not figs:
        return []
    records = [r for r in history if r[1] is not None and r[1] < year]
    prior_year = max((r[1] for r in records), default=None)
    prior = sourced_figures(r for r in records if r[1] == prior_year)
    flagged = _arithmetic(draft_text, figs, prior, thresholds)
    flagged += _prose_sums(draft_text, figs) + _table_sums(draft_text, figs)
    skip = {id(f) for f, _ in flagged}
    skip |= {id(figs[f.paired]) for f, finding in flagged if f.paired is not None and finding.kind == "arithmetic"}
    flagged += _yoy(draft_text, figs, prior, skip, thresholds)
    return [finding for _, finding in sorted(flagged, key=lambda pair: pair[0].start)]


def _docx_text(path: Path) -> str:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for bad packages
        raise LoadError("无法读取该 Word 文件（文件损坏或不是 .docx 格式）") from exc
    lines: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            rows = [[c.text for c in r.cells] for r in item.rows]
            if rows:
                lines.append(write_table(rows))
        else:
            lines.append(item.text)
    return "\n".join(lines)


def load_draft_text(path: Path) -> str:
    """Text of a draft: .md/.txt as text (encoding detected), .docx as paragraphs plus Markdown tables."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        return _docx_text(path)
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise LoadError("无法识别该文本文件的编码") from None
        return str(best)
