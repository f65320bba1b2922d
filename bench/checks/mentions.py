"""Numbers in report text and the relations between them, found without the project's figure code.

The mutation benchmark must not inherit the checker's blind spots, so nothing here imports
``assistant.figures``: numbers come from one plain regex (Arabic digits only), and relations are found
numerically —

* **shares**: a ``P%`` whose count in the same sentence divided by some base of the same unit in the
  same section reproduces ``P`` (rounded or truncated to P's decimals);
* **sums**: same-unit figures of one paragraph or table column (contiguous, or with up to two
  skipped figures for integer counts) that add up to a figure of the same paragraph/table; every
  restatement of that total elsewhere in the report joins the relation;
* **duplicates**: the same value and unit stated in two paragraphs with a similar clause before it;
* **prior-year pairs**: the same sentence shape (the clause before the number, digits masked, plus
  the unit) in this year's and last year's report, mutual best match by character-bigram Dice.

Chinese numerals (三门, 十余次) are not mentions: the regex is digits only, on purpose. Sentences,
headings and Markdown tables come from the shared ``assistant.text`` conventions (they hold no figure
knowledge).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.text.numbering import headings
from assistant.text.sentences import sentence_bounds
from assistant.text.tables import read_tables

UNITS = sorted(["元/生·年", "元/生/年", "元/人·年", "万人次", "万元", "亿元", "万平方米", "平方米", "万次", "万人", "万册", "个百分点", "百分点", "人次", "门次", "节次", "学时",
                "课时", "学分", "小时", "个月", "%", "％", "‰", "人", "名", "位", "门", "篇", "项", "个", "次", "元",
                "场", "份", "家", "件", "条", "户", "间", "部", "轮", "支", "所", "届", "级", "年", "月", "日", "倍",
                "分", "周", "天", "期", "批", "本", "套", "台", "种", "类", "组", "队", "号", "岁", "节"], key=len, reverse=True)
_UNIT_RE = "|".join(re.escape(u) for u in UNITS)
MENTION_RE = re.compile(rf"(?<![\d.,A-Za-z])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d]|\.\d|[A-Za-z])"
                        rf"(?P<gap>[ \t]*)(?P<mid>余|多)?(?P<unit>{_UNIT_RE})?")
CLAUSE_DELIMS = "，,。；;：:！？!?\n（()）、|"
CUMULATIVE_RE = re.compile(r"累计|至今|迄今|以来|历年|先后|共派出|共培养|共输送")
DELTA_RE = re.compile(r"较(?:上|去|前|同期)|比上|同比|增减|(?:增加|提高|减少|下降|增长|提升|降低|增幅|降幅)$")
PERSON = {"人", "名", "位"}


@dataclass
class Mention:
    """One number of a text. ``start:end`` covers the number and its unit; ``num_start:num_end`` the digits."""

    index: int
    start: int
    end: int
    num_start: int
    num_end: int
    value: float
    raw_num: str
    unit: str
    kind: str  # figure, year, month, day, code, rank, numbering, range, signed
    para: int
    section: int
    sentence: tuple[int, int]
    shape: str
    table: tuple[int, str, str] | None = None  # (table id, row label, column header)
    delta: bool = False
    cumulative: bool = False
    in_parens: bool = False
    tags: dict = field(default_factory=dict)

    @property
    def decimals(self) -> int:
        return len(self.raw_num.split(".")[1]) if "." in self.raw_num else 0

    @property
    def family(self) -> str:
        return "人" if self.unit in PERSON else self.unit

    @property
    def raw(self) -> str:
        return self.raw_num + self.unit


def _clause_start(text: str, pos: int) -> int:
    i = pos - 1
    while i >= 0 and text[i] not in CLAUSE_DELIMS:
        i -= 1
    return i + 1


def _shape(text: str, start: int) -> str:
    left = text[_clause_start(text, start):start]
    return re.sub(r"\d+(?:\.\d+)?", "#", re.sub(r"\s+", "", left))


def _classify(text: str, m: re.Match, unit: str) -> str:
    s, e = m.start("num"), m.end("num")
    before = text[:s].rstrip(" \t")
    after = text[m.end():] if unit else text[e:].lstrip(" \t")
    prev = before[-1:]
    num = m.group("num")
    line_start = text.rfind("\n", 0, s) + 1
    if re.search(r"[【〔\[《]", text[max(0, s - 12):s]) and re.match(r"[^】〕\]》\n]{0,12}[】〕\]》]", text[e:]):
        return "code"
    if re.match(r"[ \t]*[-–—~至][ \t]*\d", text[e:]) or re.search(r"\d[ \t]*[-–—~至][ \t]*$", before):
        year_range = re.fullmatch(r"(19|20)\d\d", num) is not None
        return "year" if year_range else "range"
    if unit == "号" or (prev and prev in "+-+") or text[e:e + 1] == "+":
        return "code" if unit == "号" else "signed"
    if re.fullmatch(r"(19|20)\d\d", num) and (unit in ("年", "级", "届", "") or after.startswith(("年", "级", "届", "版"))):
        return "year"
    if unit == "月" or (not unit and after.startswith("月")):
        return "month"
    if unit == "日" or (not unit and after.startswith("日")):
        return "day"
    if prev in ("第", "前") or before.endswith(("QS前", "QS 前", "Top", "TOP")):
        return "rank"
    if not text[line_start:s].strip(" \t#（(") and re.match(r"[.．、)）]", text[e:]) and not unit:
        return "numbering"
    if prev and prev in "（(" and re.match(r"[)）]", text[e:]) and not unit:
        return "numbering"
    if unit == "岁":
        return "age"
    return "figure"


def mentions(text: str) -> list[Mention]:
    """Every Arabic number of ``text`` with its unit, kind and context, in text order."""
    tables = read_tables(text)
    heads = [(off, title) for off, _level, title in headings(text) if re.match(r"[一二三四五六七八九十]+[、.．]", title)]
    out: list[Mention] = []
    for m in MENTION_RE.finditer(text):
        unit = m.group("unit") or ""
        if unit in ("％",):
            unit = "%"
        s = m.start("num")
        end = m.end() if unit or m.group("mid") else m.end("num")
        kind = _classify(text, m, unit)
        table = None
        for tid, tab in enumerate(tables):
            if tab.start <= s < tab.end:
                for row in tab.rows:
                    for ci, cell in enumerate(row.cells):
                        if cell.start <= s < cell.end:
                            col = tab.column(ci)
                            table = (tid, row.label, col)
                            if ci == 0:
                                kind = "label" if kind == "figure" else kind
                            if not unit and kind == "figure":
                                hu = re.search(r"[（(]([^）)]+)[）)]", col)
                                if hu and hu.group(1) in UNITS:
                                    unit = hu.group(1)
                if table is None:
                    kind = "header"
        if kind == "figure" and not unit and table is None and not m.group("mid"):
            if not re.search(r"(?:为|是|达|比)[ \t]*$", text[:s]):
                kind = "bare"
        para = text.count("\n", 0, s)
        section = sum(1 for off, _ in heads if off <= s)
        sent = sentence_bounds(text, s)
        left = text[_clause_start(text, s):s]
        shape = f"{table[1]}|{table[2]}" if table else _shape(text, s)
        opened = text[text.rfind("\n", 0, s) + 1:s]
        mention = Mention(
            index=len(out), start=s, end=end, num_start=s, num_end=m.end("num"), value=float(m.group("num").replace(",", "")),
            raw_num=m.group("num"), unit=unit + ("" if not m.group("mid") else ""), kind=kind, para=para, section=section,
            sentence=sent, shape=shape, table=table,
            delta=bool(DELTA_RE.search(left.rstrip(" \t"))) or bool(re.search(r"较(?:上|去|前)|比上|同比", text[sent[0]:s][-12:]) and
                                                                       re.search(r"(?:增加|提高|减少|下降|增长|提升|降低)[ \t]*$", left))
            or bool(table and re.search(r"增减|增长|增幅|降幅|变化|变动|较上年|比上年|同比", str(table[2]))),  # a 增减（%） column
            cumulative=bool(CUMULATIVE_RE.search(text[max(sent[0], out[-1].end if out else 0):s])) and unit not in ("%", "‰"),
            in_parens=opened.count("（") + opened.count("(") > opened.count("）") + opened.count(")"),
        )
        if m.group("mid"):
            mention.tags["approx"] = m.group("mid")
        # What the sentence is about: the previous figure's clause in the same sentence, else the sentence head.
        same = [p for p in out if p.kind == "figure" and p.sentence == sent]
        head = re.sub(r"\d+(?:\.\d+)?", "#", text[sent[0]:_clause_start(text, s)])[:16]
        mention.tags["lead"] = (same[0].shape + same[-1].shape) if same else head
        out.append(mention)
    return out


def figures(ms: list[Mention]) -> list[Mention]:
    """The mentions that are quantities (not years, dates, codes, ranks, numbering or labels)."""
    return [m for m in ms if m.kind == "figure"]


def bigrams(s: str) -> set[str]:
    s = re.sub(r"[#\s]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def dice(a: str, b: str) -> float:
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def consistent_share(p: float, decimals: int, n: float, base: float) -> bool:
    """Whether n/base×100 rounded or truncated to ``decimals`` places gives p."""
    if base <= 0:
        return False
    step = 10.0 ** -decimals
    true = n / base * 100
    return p - 0.5 * step - 1e-9 <= true < p + step - 1e-9


def share_triples(text: str, figs: list[Mention]) -> list[tuple[Mention, Mention, Mention]]:
    """(share, count, base) where count/base reproduces the share; base from the same section, nearest first."""
    out = []
    for p in figs:
        if p.unit != "%" or p.value <= 0 or p.value >= 100 or p.delta:
            continue
        if p.table:
            counts = [c for c in figs if c.table and c.table[:2] == p.table[:2] and c.unit != "%"]
        else:
            counts = [c for c in figs if c.sentence == p.sentence and c.unit not in ("%", "‰") and not c.delta
                      and abs(c.index - p.index) <= 2]
        best = None
        for c in sorted(counts, key=lambda c: abs(c.index - p.index)):
            bases = [b for b in figs if b.family == c.family and b.value > c.value and b is not c and not b.delta
                     and b.section == p.section and consistent_share(p.value, p.decimals, c.value, b.value)]
            if bases:
                base = min(bases, key=lambda b: (b.para != p.para, abs(b.start - p.start)))
                best = (p, c, base)
                break
        if best:
            out.append(best)
    return out


def sum_groups(text: str, figs: list[Mention]) -> list[tuple[Mention, list[Mention], list[Mention]]]:
    """(total, parts, restatements of the total): parts adding up to a total stated right before or right
    after them in one paragraph or table column. Figures in parentheses (``72.0%（85 人）``) are counts
    of a share, not free parts; shares only form contiguous groups."""
    groups: dict[tuple, list[Mention]] = {}
    for f in figs:
        if f.delta or f.kind != "figure":
            continue
        if f.table:
            key = ("t", f.table[0], f.table[2], f.family)
        elif f.in_parens:
            opened = text.rfind("（", 0, f.start), text.rfind("(", 0, f.start)
            key = ("()", f.para, f.family, max(opened))
            if key not in groups:  # the figure right before the parenthesis is its total
                lead = [g for g in figs if g.para == f.para and g.end <= max(opened) and g.family == f.family
                        and not g.in_parens and g.kind == "figure"]
                groups[key] = lead[-1:]
        else:
            key = ("p", f.para, f.family)
        groups.setdefault(key, []).append(f)
    out: list[tuple[Mention, list[Mention], list[Mention]]] = []
    seen: set[tuple] = set()
    for members in groups.values():
        if len(members) < 3 or (len(members) == 3 and members[0].in_parens):
            continue
        integer = all(m.decimals == 0 for m in members)
        for ti, t in enumerate(members):
            if t.value < 10 or t.tags.get("approx"):
                continue
            after = [m for m in members[ti + 1:] if m.value < t.value]
            before = [m for m in members[:ti] if m.value < t.value][::-1]
            for side in (after, before):
                for parts in _windows(side, skips=2 if integer else 0):
                    if any(m.tags.get("approx") for m in parts):
                        continue
                    adjacent = parts[0] is side[0]
                    contiguous = any(side[i:i + len(parts)] == parts for i in range(len(side)))
                    if not adjacent:  # a total stated earlier: the parts are a whole later sentence's figures
                        sentence = [m for m in side if m.sentence == parts[0].sentence]
                        if not (contiguous and len(parts) >= 3 and side is after and sentence == parts
                                and parts[0].sentence != t.sentence):
                            continue
                    parts = sorted(parts, key=lambda m: m.start)
                    s = sum(m.value for m in parts)
                    d = max(m.decimals for m in [t, *parts])
                    if abs(s - t.value) > (0.5 if integer else 10.0 ** -d * len(parts)) - 1e-9:
                        continue
                    key = (t.index, tuple(sorted(m.value for m in parts)))
                    if key in seen:
                        continue
                    seen.add(key)
                    restated = [m for m in figs if m is not t and m.value == t.value and m.para != t.para
                                and (m.unit == t.unit or not t.unit or not m.unit) and not m.delta
                                and (m.section == t.section or dice(m.shape, t.shape) >= 0.3)]
                    out.append((t, parts, restated))
    return out


def _windows(ms: list[Mention], skips: int) -> list[list[Mention]]:
    out = []
    for i in range(len(ms)):
        for j in range(i + 2, min(len(ms), i + 7) + 1):
            window = ms[i:j]
            out.append(window)
            if skips and len(window) >= 3:
                for k in range(1, len(window) - 1):
                    out.append(window[:k] + window[k + 1:])
                    if skips > 1:
                        for k2 in range(k + 1, len(window) - 1):
                            out.append(window[:k] + window[k + 1:k2] + window[k2 + 1:])
    return [w for w in out if len(w) >= 2]


def duplicates(figs: list[Mention]) -> list[tuple[Mention, Mention]]:
    """Pairs stating the same value and unit in different paragraphs with a similar clause before them."""
    out = []
    for i, a in enumerate(figs):
        for b in figs[i + 1:]:
            if a.value == b.value and a.unit == b.unit and a.para != b.para and a.value >= 10 \
                    and not a.delta and not b.delta and dice(a.shape, b.shape) >= 0.4:
                out.append((a, b))
    return out


def align(this: list[Mention], prior: list[Mention], *, min_score: float = 0.5, margin: float = 0.1) -> dict[int, Mention]:
    """This year's figure index → last year's figure of the same sentence shape (mutual best, unit equal)."""
    def score(a: Mention, b: Mention) -> float:
        if a.unit != b.unit or (a.table is None) != (b.table is None) or a.delta != b.delta or a.cumulative != b.cumulative:
            return 0.0
        s = dice(a.shape, b.shape)
        tail = dice(a.shape[-4:], b.shape[-4:])
        lead = dice(a.tags.get("lead", ""), b.tags.get("lead", ""))
        return 0.5 * s + 0.15 * tail + 0.25 * lead + (0.1 if a.section == b.section else 0.0)

    best_for_this: dict[int, tuple[float, Mention]] = {}
    best_for_prior: dict[int, tuple[float, int]] = {}
    for a in this:
        scored = sorted(((score(a, b), k) for k, b in enumerate(prior)), reverse=True)
        if not scored or scored[0][0] < min_score:
            continue
        top, k = scored[0]
        rival = next((s for s, j in scored[1:] if prior[j].value != prior[k].value), 0.0)
        if top - rival < margin:
            continue
        best_for_this[a.index] = (top, prior[k])
        if top > best_for_prior.get(k, (0.0, -1))[0]:
            best_for_prior[k] = (top, a.index)
    position = {id(b): k for k, b in enumerate(prior)}
    return {i: b for i, (_s, b) in best_for_this.items() if best_for_prior.get(position[id(b)], (0, -1))[1] == i}
