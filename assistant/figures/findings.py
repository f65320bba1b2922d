"""Findings of the figure check: what is suspicious, how sure the check is, and the figures behind it.

A :class:`Finding` points at one figure of the draft (``quote``/``span``) and says

* ``kind`` — the family the UI and workspace group by: ``arithmetic`` (a share vs its count and
  base), ``sum`` (parts vs total), ``duplicate`` (one metric, two values), ``domain`` (a value that
  cannot be: 120 %, 生师比 0, a future date), ``unit`` (万元/元, 人/人次, %/‰ slips), ``yoy_jump`` (a
  change from last year) and ``unchanged`` (a value that should have changed and did not);
* ``grade`` — ``error`` (the draft contradicts itself or the possible), ``warning`` (very likely a
  typo: ×3 / ÷3, a running total that shrank, a unit slip), ``notice`` (a change a reviewer should
  confirm) or ``stale`` (identical to last year where change is expected);
* ``rule`` — the exact rule (``share.count_base``, ``sum.partition``, ``yoy.change`` …);
* ``arithmetic`` — the computation in one line (``66.4% + 24.3% = 90.7%，草稿写 91.5%``);
* ``related`` — the other figures involved, each with its value, raw text, role and a cited quote
  (the draft's own sentence, or last year's report with its source and year);
* ``reference`` — for year-over-year findings, last year's figure (``{"year", "value", "source",
  "quote", "raw"}``), kept from the first version of the check.

Findings are ordered by the position of their figure, then grade, then rule, so the same draft gives
the same findings in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from assistant.text.sentences import sentence_bounds

from .extract import Figure

GRADES = ("error", "warning", "notice", "stale")
KINDS = ("arithmetic", "sum", "duplicate", "domain", "unit", "yoy_jump", "unchanged")


@dataclass
class Finding:
    """One suspicious figure of a draft. ``quote`` is an exact substring of the draft; ``span`` its
    ``(start, end)`` offsets."""

    kind: str
    quote: str
    value: float
    message: str
    reference: dict | None = None
    grade: str = "warning"
    rule: str = ""
    metric: str = ""
    arithmetic: str = ""
    related: list[dict] = field(default_factory=list)
    span: tuple[int, int] | None = None

    def to_json(self) -> dict:
        """Plain-dict form (``span`` as a list)."""
        d = asdict(self)
        d["span"] = list(self.span) if self.span else None
        return d


def check_to_json(findings: Iterable[Finding]) -> dict:
    """``{"findings": [finding.to_json(), …]}``."""
    return {"findings": [f.to_json() for f in findings]}


def fmt(v: float, decimals: int | None = None) -> str:
    """A value as a report writes it: ``90.7``, ``295``, ``0.5``; ``decimals`` fixes the places."""
    if decimals is not None:
        return f"{v:.{decimals}f}"
    return f"{v:.4f}".rstrip("0").rstrip(".")


def shown(f: Figure) -> str:
    """A figure's value with its unit as written (万 multiplied out only when the raw text says so)."""
    return f.raw.strip()


def sentence_of(text: str, f: Figure, limit: int = 80) -> str:
    """The sentence (or table row) holding ``f``, cut around the figure to at most ``limit`` characters."""
    if f.table_row is not None:
        a = text.rfind("\n", 0, f.start) + 1
        b = text.find("\n", f.end)
        return text[a:b if b != -1 else len(text)].strip()
    a, b = sentence_bounds(text, f.start)
    if b - a > limit:
        a = max(a, f.start - limit // 2)
        b = min(b, max(f.end + limit // 2, a + limit))
    return text[a:b].strip()


def draft_figure(text: str, f: Figure, role: str) -> dict:
    """A related figure of the draft itself, with its sentence as the quote."""
    return {"role": role, "value": f.value, "raw": f.raw, "unit": f.unit, "metric": f.metric,
            "quote": sentence_of(text, f), "span": [f.start, f.end], "source": "draft", "year": None}


def prior_figure(f: Figure, quote: str, role: str = "last_year") -> dict:
    """A figure of last year's report, cited by its source, year and quote."""
    return {"role": role, "value": f.value, "raw": f.raw, "unit": f.unit, "metric": f.metric, "quote": quote,
            "span": None, "source": f.source, "year": f.year}


def reference(f: Figure, quote: str) -> dict:
    """``Finding.reference`` for a figure of last year's report."""
    return {"year": f.year, "value": f.value, "source": f.source, "quote": quote, "raw": f.raw}


KIND_TEXT = {"arithmetic": ("百分比与人数不符", "share ≠ count/base"), "sum": ("分项之和不符", "parts ≠ total"),
             "duplicate": ("同一指标两个数值", "one metric, two values"), "domain": ("数值不可能", "impossible value"),
             "unit": ("单位疑误", "unit slip"), "yoy_jump": ("同比变化异常", "year-over-year change"),
             "unchanged": ("未随年度更新", "not updated"), "not_updated": ("未更新的数字", "not updated")}
"""Each kind of finding (and the report's figures not updated) in Chinese and English."""
GRADE_TEXT = {"error": ("错误", "error"), "warning": ("警告", "warning"), "notice": ("提示", "notice"),
              "stale": ("未更新", "stale")}
ROLE_TEXT = {"part": ("分项", "part"), "total": ("总数", "total"), "count": ("人数", "count"), "base": ("基数", "base"),
             "restated": ("前文", "stated before"), "last_year": ("上年", "last year")}


def grade_text(grade: str, lang: str = "zh") -> str:
    zh, en = GRADE_TEXT.get(grade, (grade, grade))
    return en if lang == "en" else f"{zh} {en}"


def related_text(r: dict, lang: str = "zh") -> str:
    """One related figure with its cited quote: ``上年 2020 年 138 人 —「学生党员增长到 138 人」（reports/2020.md）``."""
    zh, en = ROLE_TEXT.get(r.get("role", ""), (r.get("role", ""), r.get("role", "")))
    role = en if lang == "en" else zh
    if r.get("source") == "draft":
        where = "draft" if lang == "en" else "草稿"
        return f"{role} {r['raw']} —「{r.get('quote', '')}」（{where}）"
    year = f"{r['year']} " + ("" if lang == "en" else "年 ") if r.get("year") else ""
    return f"{role} {year}{r['raw']} —「{r.get('quote', '')}」（{r.get('source', '')}）"


def finding_lines(f: dict, lang: str = "zh") -> list[str]:
    """A finding (``to_json`` form) as text lines for the command line: grade, rule and metric; the
    draft's quote; the arithmetic; every related figure with its quote and source; the message."""
    en = lang == "en"
    head = f"[{grade_text(f.get('grade', ''), lang)} · {f.get('rule') or f['kind']}] {f.get('metric') or ''}".rstrip()
    lines = [head, f"  {'draft' if en else '草稿'}：「{f['quote']}」"]
    if f.get("arithmetic"):
        lines.append(f"  {'arithmetic' if en else '计算'}：{f['arithmetic']}")
    for r in f.get("related") or []:
        lines.append(f"  {related_text(r, lang)}")
    lines.append(f"  {'note' if en else '说明'}：{f['message']}")
    return lines


_ORDER = {g: i for i, g in enumerate(GRADES)}


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in draft order; one per (figure, rule); a figure flagged by several rules keeps all of
    them, the more certain grade first."""
    seen: set[tuple] = set()
    out = []
    for f in sorted(findings, key=lambda f: ((f.span or (0, 0))[0], _ORDER.get(f.grade, 9), f.rule, f.message)):
        key = (f.span, f.rule)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out
