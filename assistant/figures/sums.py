"""Parts and totals anywhere in a draft: which figures must add up, and the ``sum`` findings.

A relation is ``equal`` (the parts must add up to the total) or ``bound`` (disjoint parts that need
not be exhaustive: they may not exceed it). Where relations come from, most explicit first:

* **tables** — a 合计/总计 row or column against the other cells (shares only when the total is 100 %);
* **compositions** — a total followed by its parts in parentheses (``本科生 1462 人（电子信息工程
  909 人、计算机科学与技术 493 人、人工智能 60 人）``): equal;
* **enumerations** — 其中/包含/包括 lists (``extract.enumerations``). Equal when the parts name the two
  sides of a partition (国内/海外, 中方/外方, 男/女 — the vocabulary's scope dimensions or the
  complement groups of ``align``); bound when they name levels (国际级/国家级/省级…),
  programmes (本科/硕士/博士) or the majors a head count is in (a student is in one major), or the
  sentence says the categories are counted once (不重复统计). Lists of other categories
  (联合培养课程, 引进外方课程) can overlap and are not relations;
* **breakdowns** — a total, then ``按级别统计，…`` (按…统计/划分) and the list: the parts are the whole
  broken down: equal (``sum.breakdown``);
* **disjoint lists** — a total stated with 不重复统计 and the categories that follow it in the
  paragraph, sub-parts after 包含 left out (``共计 295 人（不重复统计）。其中，任课教师 113 人，包含…；
  此外还有…毕设指导教师 127 人，学术指导教师 55 人``): bound;
* **sums after their parts** — ``本科生 1,085 人、硕士生 38 人，合计 1,123 人`` (合计/共计/总计 after a
  list in the same clause run): equal (``sum.summed``);
* **balances** — 收入 = 支出 + 结余 when one paragraph states the three totals (``sum.balance``);
* **remainders** — ``43 名外方教师中有 29 人现场授课，其余 14 人…``: equal;
* **last year's lists** — a list (其中, 不重复统计, parentheses) whose aligned counterparts in last
  year's report added up exactly to their total: equal this year too (``sum.last_year``), which is
  how 在校生 = 各专业之和 or 获奖 = 各级别之和 are known to be exhaustive without a vocabulary of majors;
* **partitions across the draft** — pure facts (``context.Ledger.pure``) of one metric and scope whose
  two-sided dimension (region, side) is split into both its values, wherever they stand: 深造率 90.7%
  in section 二 against 海外 66.4% (二) and 国内 24.3% (八): equal.

Tolerance: counts must add up exactly (to the stated decimals); shares may differ by the rounding
of each figure, (n + 1) / 2 units of the last stated decimal for n parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.domain import unit_family, vocabulary

from assistant.text.numbers import NUMBER_RE, parse_number
from assistant.text.tables import read_tables

from .align import COMPLEMENTS, quote_of
from .context import Item, Ledger
from .extract import enumerations, is_delta
from .findings import Finding, draft_figure, fmt

_TOTAL_WORDS = ("合计", "总计", "小计", "总数", "共计", "总和")
_RATE_WORDS = ("率", "比例", "占比", "平均", "均值", "%")
_ONCE = re.compile(r"不重复(?:统计|计算|计)?|不重复")
_TWO_SIDED = ("region", "side")
_BREAKDOWN = re.compile(r"按[^，,。；;]{1,8}(?:统计|划分|分)")


@dataclass
class Relation:
    total: Item
    parts: list[Item]
    mode: str  # "equal" | "bound"
    rule: str
    why: str


def _is_total_label(label: str) -> bool:
    return any(w in label for w in _TOTAL_WORDS)


_SLIPS = ({"人", "人次"}, {"%", "‰"})


def _same_unit(a: Item, b: Item) -> bool:
    """Same unit, or one a slip of the other (人/人次, %/‰): a slipped part stays in its list so the
    slip can be reported (``mixed``)."""
    return a.unit == b.unit or any({a.unit, b.unit} <= s for s in _SLIPS)


def mixed(rel: Relation) -> list[Item]:
    """Parts written in another unit than the total while other parts agree with it (a slip); for a
    remainder (``43 名…中有 29 人…，其余 14 人``) also a total in another unit than all its parts."""
    odd = [p for p in rel.parts if p.unit != rel.total.unit]
    if rel.rule == "sum.remainder" and len(odd) == len(rel.parts) and len({p.unit for p in odd}) == 1:
        return [rel.total]
    return odd if len(odd) < len(rel.parts) else []


def _valid(rel: Relation) -> bool:
    return any(p.unit == rel.total.unit for p in rel.parts) or bool(mixed(rel))


_SUBSET = re.compile(r"^(?:其中|含|包括|包含|注)")
_NONE_CELL = re.compile(r"^(?:[—–\-－/／]+|无|空)$")


def _empty_cells(text: str) -> set[tuple[str, str]]:
    """(row label, column) of table cells written as none (—, -, /, 无): a part that is nothing, so a
    合计 still sums the row's other cells (a new major with no graduates yet: ``| 物流管理 | 60 | 60 | — |``)."""
    return {(row.label, table.column(ci)) for table in read_tables(text) for row in table.rows
            for ci, cell in enumerate(row.cells[1:], start=1) if _NONE_CELL.match(cell.text)}


def table_relations(ledger: Ledger) -> list[Relation]:
    """合计 rows and columns of every Markdown table.

    Which rows (columns) a 合计 sums is read from the table itself: all the others, unless leaving
    one out (a ``其中…`` sub-row, a column of averages) makes at least two other lines add up where
    all of them do not. Rows and columns labelled 其中/含/包括 are never parts."""
    groups: list[list[Item]] = []
    for item in (i for i in ledger.items if i.in_table):
        if groups and _same_table(ledger.text, groups[-1][-1], item):
            groups[-1].append(item)
        else:
            groups.append([item])
    out = []
    empty = _empty_cells(ledger.text) if groups else set()
    for table in groups:
        cells: dict[tuple[str | None, str | None], list[Item]] = {}
        for i in table:
            cells.setdefault((i.figure.table_row, i.figure.table_col), []).append(i)
        single = {k: v[0] for k, v in cells.items() if len(v) == 1}
        rows = list(dict.fromkeys(i.figure.table_row or "" for i in table))
        cols = list(dict.fromkeys(i.figure.table_col or "" for i in table))
        for lines in (_table_lines(single, rows, cols, True, empty), _table_lines(single, cols, rows, False, empty)):
            out += _structured(lines)
    return out


def _table_lines(single: dict, totals_axis: list[str], other_axis: list[str], by_column: bool,
                 empty: set[tuple[str, str]]) -> list[tuple]:
    """(total cell, {part label: cell}, where) for each line summed by a 合计 row (``by_column``) or column;
    a part cell written as none is left out of the line (it adds nothing)."""
    out = []
    for t in (x for x in totals_axis if _is_total_label(x)):
        for line in (y for y in other_axis if not _is_total_label(y)):
            key = (t, line) if by_column else (line, t)
            total = single.get(key)
            parts = {x: single.get((x, line) if by_column else (line, x)) for x in totals_axis
                     if not _is_total_label(x) and not _SUBSET.match(x)
                     and ((x, line) if by_column else (line, x)) not in empty}
            if total is None or len(parts) < 2 or any(p is None for p in parts.values()):
                continue
            shares = total.share or any(w in line for w in _RATE_WORDS)
            if any(p.unit != total.unit for p in parts.values()):
                continue
            if shares and total.figure.value != 100 and not _near_hundred(list(parts.values())):
                continue  # a column of rates (averages) unless its shares add up to 100 and the 合计 does not
            where = f"“{line}”列" if by_column else f"“{line}”行"
            out.append((total, parts, f"表格{where}合计"))
    return out


def _near_hundred(parts: list[Item]) -> bool:
    """Shares that add up to 100 within their rounding: a share column whose 合计 must be 100."""
    decimals = max((p.figure.decimals for p in parts), default=0)
    return abs(sum(p.figure.value for p in parts) - 100) <= (len(parts) + 1) / 2 * 10.0 ** -decimals


def _structured(lines: list[tuple]) -> list[Relation]:
    if not lines:
        return []
    labels = list(lines[0][1])

    def fits(total: Item, parts: list[Item]) -> bool:
        return holds(Relation(total, parts, "equal", "", ""))

    every = sum(fits(t, list(ps.values())) for t, ps, _ in lines)
    best_drop, best = None, every
    for drop in labels if len(labels) > 2 else []:
        n = sum(fits(t, [p for k, p in ps.items() if k != drop]) for t, ps, _ in lines if drop in ps)
        if n >= 2 and n > best:
            best_drop, best = drop, n
    return [Relation(t, [p for k, p in ps.items() if k != best_drop], "equal", "sum.table", where)
            for t, ps, where in lines]


def _same_table(text: str, a: Item, b: Item) -> bool:
    return all(line.strip().startswith("|") for line in text[a.figure.end:b.figure.start].split("\n")[1:-1])


def _partition(total: Item, parts: list[Item]) -> str | None:
    """``equal`` when the parts name both sides of a two-sided partition, ``bound`` for levels, else None."""
    dims = [dict(p.fact.scope) for p in parts]
    total_scope = dict(total.fact.scope)
    for dim in ("region", "side", "level", "programme", "major"):
        values = [d.get(dim) for d in dims]
        if dim in total_scope or None in values or len(set(values)) != len(values):
            continue
        others = [{k: v for k, v in d.items() if k != dim} for d in dims]
        if any(o != {k: v for k, v in total_scope.items() if k != dim} for o in others):
            continue
        if dim in _TWO_SIDED:
            return "equal" if len(set(values)) == len(vocabulary().scopes.get(dim, {})) else "bound"
        if dim == "level" and total.unit == "人":
            return None  # one student can win at two levels: persons per level may exceed the persons in total
        if dim == "major" and unit_family(total.unit) != "人":
            return None  # courses or papers of two majors may be shared; a student is in one major
        return "bound"
    for group in COMPLEMENTS:  # labels the vocabulary does not scope (男/女, 线上/线下)
        hits = []
        for p in parts:
            idx = [i for i, words in enumerate(group) if any(w in p.figure.metric for w in words)]
            if len(idx) != 1:
                break
            hits.append(idx[0])
        else:
            if len(set(hits)) == len(parts) and not any(any(w in total.figure.metric for w in ws) for ws in group):
                return "equal" if len(group) == 2 and len(parts) == 2 else "bound"
    return None


def _usable(item: Item) -> bool:
    f = item.figure
    return not f.qualifier and not is_delta(f) and f.range_to is None


_BASE_SAID = re.compile(r"占([^，,。；;、\d占]{2,12}?)的?\s*$")


def _shares_within(total: Item, parts: list[Item], text: str) -> bool:
    """Whether a rate's listed shares are taken of the rate's own group, not of its base: 升学 86 人，深造率
    30.6%；其中境外 15 人，占升学人数的 17.4%，国内 71 人，占 82.6% — the base (升学人数) names the rate's
    concept, so the shares split the 86 and add up to 100%, not to 30.6%."""
    if total.unit != "%" or not total.fact.metric:
        return False
    vocab = vocabulary()
    for p in parts:
        said = _BASE_SAID.search(text[max(0, p.figure.start - 14):p.figure.start]) if p.share else None
        found = vocab.concept_in(said.group(1)) if said else None
        if found and found[0].id == total.fact.metric:
            return True
    return False


def enumeration_relations(ledger: Ledger) -> list[Relation]:
    """其中/包含/包括 lists that partition their total."""
    out = []
    figs = ledger.figures
    for t, part_ids in enumerations(ledger.text, figs):
        total = ledger.items[t]
        parts = [ledger.items[i] for i in part_ids if _same_unit(ledger.items[i], total)
                 and not (figs[i].paired is not None and not ledger.items[i].share)]
        if len(parts) < 2 or not all(_usable(x) for x in [total, *parts]) or _shares_within(total, parts, ledger.text):
            continue
        mode = _partition(total, parts)
        rule, why = "sum.partition", "分项互斥"
        lead = _BREAKDOWN.search(ledger.text[total.figure.end:parts[0].figure.start])
        if lead and not any(w in ledger.text[total.figure.end:parts[0].figure.start] for w in ("其中", "包括", "包含")):
            # 获奖206人次。按级别统计，国际级14人次、国家级37人次…: the parts are the whole broken down
            mode, rule, why = "equal", "sum.breakdown", lead.group(0)
        if mode is None:
            sent_a = ledger.text.rfind("。", 0, total.figure.start) + 1
            if not _ONCE.search(ledger.text[sent_a:parts[0].figure.start]):
                continue
            mode, rule, why = "bound", "sum.disjoint", "不重复统计"
        out.append(Relation(total, parts, mode, rule, why))
    return out


def disjoint_relations(ledger: Ledger) -> list[Relation]:
    """A total counted with 不重复统计 against the top-level categories after it in its paragraph."""
    out = []
    nested: set[int] = set()
    for t, part_ids in enumerations(ledger.text, ledger.figures):
        nested.update(i for i in part_ids if ledger.items[i].unit == ledger.items[t].unit and i != t
                      and ledger.text[ledger.figures[t].end:ledger.figures[i].start].find("包含") != -1)
    for total in ledger.prose():
        f = total.figure
        window = ledger.text[f.end:f.end + 12]
        if not _ONCE.search(window) or not _usable(total):
            continue
        parts = [i for i in ledger.prose() if i.paragraph == total.paragraph and i.figure.start > f.end
                 and _same_unit(i, total) and i.index not in nested and _usable(i) and not i.share
                 and i.figure.paired is None and i.figure.value < f.value and i.fact.metric != total.fact.metric]
        parts = [p for p in parts if not any(q.fact.metric == p.fact.metric and q.fact.scope == p.fact.scope
                                             and q.index < p.index for q in parts)]
        if len(parts) >= 2:
            out.append(Relation(total, parts, "bound", "sum.disjoint", "不重复统计"))
    return out


def composition_relations(ledger: Ledger) -> list[Relation]:
    """A total followed by its parts in parentheses."""
    out = []
    text = ledger.text
    prose = ledger.prose()
    for k, total in enumerate(prose):
        f = total.figure
        rest = text[f.end:]
        m = re.match(r"[ \t]*[（(]([^（()）\n]{4,200})[）)]", rest)
        if not m or re.search(r"含|其中|包括|包含|占|约", m.group(1)) or not _usable(total):
            continue
        a, b = f.end + m.start(1), f.end + m.end(1)
        parts = [i for i in prose[k + 1:] if a <= i.figure.start < b]
        if len(parts) >= 2 and all(_same_unit(p, total) and _usable(p) for p in parts):
            out.append(Relation(total, parts, "equal", "sum.composition", "括号内为构成"))
    return out


def partition_relations(ledger: Ledger) -> list[Relation]:
    """A metric split into both sides of a two-sided dimension, anywhere in the draft (pure facts)."""
    out = []
    pure = [i for i in ledger.items if i.index in ledger.pure and _usable(i) and not i.in_table]
    for dim in _TWO_SIDED:
        values = tuple(vocabulary().scopes.get(dim, {}))
        for total in pure:
            scope = dict(total.fact.scope)
            if dim in scope:
                continue
            sides: dict[str, list[Item]] = {}
            for p in pure:
                ps = dict(p.fact.scope)
                if (p.fact.metric == total.fact.metric and p.unit == total.unit and p.fact.year == total.fact.year
                        and ps.get(dim) and {k: v for k, v in ps.items() if k != dim} == scope):
                    sides.setdefault(ps[dim], []).append(p)
            if set(sides) != set(values) or any(len({x.figure.value for x in v}) > 1 for v in sides.values()):
                continue
            parts = [min(sides[v], key=lambda x: abs(x.figure.start - total.figure.start)) for v in values]
            out.append(Relation(total, parts, "equal", "sum.partition", f"{'+'.join(values)}"))
    return out


def remainder_relations(ledger: Ledger) -> list[Relation]:
    """``43 名外方教师中有 29 人…，其余 14 人…``: a part and the rest make the whole."""
    out = []
    prose = ledger.prose()
    for k, rest in enumerate(prose):
        f = rest.figure
        if not re.search(r"其余[ \t]*$|其他[ \t]*$|余下[ \t]*$", ledger.text[max(rest.sentence[0], f.start - 4):f.start]):
            continue
        before = [i for i in prose[:k] if i.sentence == rest.sentence and _same_unit(i, rest) and _usable(i)]
        if len(before) >= 2 and re.search(r"中[ \t]*(?:有|共有)?[ \t]*$", ledger.text[before[0].figure.end:before[1].figure.start]):
            out.append(Relation(before[0], [*before[1:], rest], "equal", "sum.remainder", "“其余”为余下部分"))
    return out


_SUMMED = re.compile(r"(?:合计|共计|总计|总共|(?:两者|二者|两项|三项|以上|上述)合计|共)[ \t]*(?:为|达到?)?[ \t]*$")


def summed_relations(ledger: Ledger) -> list[Relation]:
    """Parts first, then their total after 合计/共计 in the same clause run: ``年末在校本科生 1,085 人、硕士生
    38 人，合计 1,123 人``: equal. The parts are the figures of that unit from the sentence start (or
    the last ；) — a share or another unit between them is skipped."""
    out = []
    text, prose = ledger.text, ledger.prose()
    for k, total in enumerate(prose):
        f = total.figure
        a = total.sentence[0]
        floor = max(a, prose[k - 1].figure.end if k else a)
        if not k or total.share or not _usable(total) or not _SUMMED.search(text[floor:f.start]):
            continue
        clause = max(a, text.rfind("；", a, f.start) + 1, text.rfind(";", a, f.start) + 1)
        # 教师 9 人，其中国家级 1 人次、省级 4 人次、校级 7 人次（含重复），共计 12 人次: the parts follow 其中
        listed = text.rfind("其中", clause, f.start)
        clause = listed + 2 if listed != -1 else clause
        parts = [i for i in prose[:k] if i.figure.start >= clause and not i.share and _same_unit(i, total)]
        if len(parts) >= 2 and all(_usable(p) for p in parts) and all(p.figure.value <= f.value for p in parts):
            out.append(Relation(total, parts, "equal", "sum.summed", "合计为前列各项之和"))
    return out


_BALANCE = ("经费收入", "经费支出", "收支结余")


def balance_relations(ledger: Ledger) -> list[Relation]:
    """Income = expenditure + balance, when one paragraph states all three totals of one year
    (``总收入 7,500.0 万元，总支出 7,200.0 万元，当年结余 300.0 万元``): equal (``sum.balance``)."""
    out = []
    prose = ledger.prose()
    for bal in (i for i in prose if i.fact.metric == _BALANCE[2] and _usable(i)):
        found = []
        for concept in _BALANCE[:2]:
            same = [i for i in prose if i.fact.metric == concept and not i.fact.scope and not i.share
                    and i.paragraph == bal.paragraph and i.fact.year == bal.fact.year and _usable(i)
                    and unit_family(i.unit) == unit_family(bal.unit) and not i.fact.cumulative]
            if len({i.figure.value for i in same}) != 1:
                break
            found.append(same[0])
        else:
            income, spending = found
            if income.unit == spending.unit == bal.unit:
                out.append(Relation(income, [spending, bal], "equal", "sum.balance", "收入 = 支出 + 结余"))
    return out


def learned_relations(ledger: Ledger, aligned: dict) -> list[Relation]:
    """Lists whose counterparts added up exactly in last year's report (``aligned``: item index →
    prior figure): the same list must add up this year (``去年 311 = 123 + 139 + 49``)."""
    out = []
    candidates = [(ledger.items[t], [ledger.items[i] for i in parts]) for t, parts in enumerations(ledger.text, ledger.figures)]
    candidates += [(r.total, r.parts) for r in disjoint_relations(ledger) + composition_relations(ledger)]
    for total, parts in candidates:
        parts = [p for p in parts if _same_unit(p, total) and _usable(p) and not (p.figure.paired is not None and not p.share)]
        known = [p for p in parts if p.index in aligned]
        # every part known last year, or last year's parts all here and new categories beside them
        # (a major opened this year: 去年 372 = 232 + 140, 今年 405 = 225 + 120 + 60)
        if len(parts) < 2 or len(known) < 2 or not _usable(total) or total.index not in aligned \
                or (len(known) < len(parts) and (total.share or not _new_categories(ledger, parts, known))):
            continue
        old_total, old_parts = aligned[total.index].figure, [aligned[p.index].figure for p in known]
        if len({id(x) for x in old_parts}) < len(old_parts) or any(x is old_total for x in old_parts):
            continue
        decimals = max(x.decimals for x in [old_total, *old_parts])
        tol = (len(known) + 1) / 2 * 10.0 ** -decimals if total.share else 0.5 * 10.0 ** -decimals
        if abs(sum(x.value for x in old_parts) - old_total.value) <= tol + 1e-9:
            why = f"{old_total.year} 年 {old_total.raw} = " + " + ".join(x.raw for x in old_parts)
            if len(known) < len(parts):
                why += "（今年新增 " + "、".join(p.figure.metric or p.figure.raw for p in parts if p not in known) + "）"
            out.append(Relation(total, parts, "equal", "sum.last_year", why))
    return out


def _new_categories(ledger: Ledger, parts: list[Item], known: list[Item]) -> bool:
    """Whether the parts last year did not have are categories of the same kind as those it had: the
    same metric, differing only in the dimension that tells the known parts apart (major, level …)."""
    keys = {tuple(sorted(d for d, _ in p.fact.scope)) for p in known}
    if len(keys) != 1 or len({p.fact.metric for p in known}) != 1:
        return False
    dims = set(next(iter(keys)))
    telling = {d for d in dims if len({dict(p.fact.scope).get(d) for p in known}) == len(known)}
    metric = known[0].fact.metric
    seen = {dict(p.fact.scope).get(d) for p in known for d in telling}
    return bool(metric) and bool(telling) and all(
        p.fact.metric == metric and {d for d, _ in p.fact.scope} == dims
        and all(dict(p.fact.scope).get(d) not in seen for d in telling) for p in parts if p not in known)


def relations(ledger: Ledger, aligned: dict | None = None) -> list[Relation]:
    """Every relation of the draft, each (total, parts) once, the most explicit source first."""
    seen: set[tuple[int, frozenset[int]]] = set()
    out = []
    for rel in (table_relations(ledger) + composition_relations(ledger) + remainder_relations(ledger) + summed_relations(ledger)
                + balance_relations(ledger)
                + learned_relations(ledger, aligned or {}) + enumeration_relations(ledger)
                + disjoint_relations(ledger) + partition_relations(ledger)):
        key = (rel.total.index, frozenset(p.index for p in rel.parts))
        if key not in seen and _valid(rel):
            seen.add(key)
            out.append(rel)
    return out


def corroborated(ledger: Ledger, rels: list[Relation]) -> set[int]:
    """Figures whose arithmetic holds: members of a relation that holds, of any 其中/括号 list whose
    parts add up to its total exactly (evidence of care even without a partition), and prose
    restatements (same value ≥ 10, same section) of a table total that holds."""
    out = {i.index for rel in rels if not mixed(rel) and holds(rel) for i in (rel.total, *rel.parts)}
    figs = ledger.figures
    lists = [(ledger.items[t], [ledger.items[i] for i in parts]) for t, parts in enumerations(ledger.text, figs)]
    lists += [(r.total, r.parts) for r in composition_relations(ledger)]
    for total, parts in lists:
        parts = [p for p in parts if p.unit == total.unit and _usable(p) and not (p.figure.paired is not None and not p.share)]
        if len(parts) >= 2 and _usable(total) and holds(Relation(total, parts, "equal", "", "")):
            out |= {total.index, *(p.index for p in parts)}
    for total in [i for i in ledger.items if i.in_table and i.index in out and _is_total_label(i.figure.table_row or "")]:
        out |= {i.index for i in ledger.prose() if i.section == total.section and i.figure.value == total.figure.value
                and i.figure.value >= 10}
    return out


def _tolerance(rel: Relation) -> float:
    decimals = max(x.figure.decimals for x in [rel.total, *rel.parts])
    unit = 10.0 ** -decimals
    return (len(rel.parts) + 1) / 2 * unit + 1e-9 if rel.total.share else 0.5 * unit - 1e-9 if decimals else 0.5


def holds(rel: Relation) -> bool:
    """Whether the relation's arithmetic holds."""
    s = sum(p.figure.value for p in rel.parts)
    diff = s - rel.total.figure.value
    return (abs(diff) if rel.mode == "equal" else diff) <= _tolerance(rel)


def _scale(f) -> float:
    """10⁴ or 10⁸ when a figure's value was multiplied out of 万/亿 (written or from its table header), else 1."""
    m = NUMBER_RE.search(f.raw)
    written = parse_number(m.group("num")) if m else None
    ratio = f.value / written if written else 1
    return next((x for x in (1e4, 1e8) if abs(ratio - x) < 1e-6 * x), 1.0)


def sum_findings(ledger: Ledger, rels: list[Relation]) -> list[Finding]:
    """A finding for every relation whose parts do not add up to (or exceed) the total."""
    out = []
    text = ledger.text
    for rel in rels:
        odd = mixed(rel)
        if odd:
            p = odd[0].figure
            out.append(Finding("unit", quote_of(text, p), p.value,
                               f"{p.raw} 与同组分项及总数 {rel.total.figure.raw} 的单位不一致，请核实单位", None,
                               "warning", "unit.mixed", odd[0].fact.name if odd[0].fact.metric else p.metric,
                               f"{p.raw} ↔ {rel.total.figure.raw}",
                               [draft_figure(text, x.figure, "total" if x is rel.total else "part")
                                for x in [rel.total, *rel.parts] if x is not odd[0]], (p.start, p.end)))
            continue
        if holds(rel):
            continue
        total = rel.total.figure
        decimals = max(x.figure.decimals for x in [rel.total, *rel.parts])
        scale = _scale(total)  # 万元 figures are added in 万元, as written
        s = round(sum(p.figure.value for p in rel.parts) / scale, decimals)
        unit = "%" if rel.total.share else ("" if rel.total.in_table else {1e4: "万", 1e8: "亿"}.get(scale, "") + total.unit)
        raws = " + ".join(p.figure.raw for p in rel.parts)
        arithmetic = f"{raws} = {fmt(s, decimals)}{unit}，草稿写 {total.raw}"
        relation = "超过" if rel.mode == "bound" else "不等于"
        metric = rel.total.fact.name if rel.total.fact.metric else (total.metric or total.table_row or "")
        message = f"分项之和 {fmt(s, decimals)}{unit} {relation}总数 {total.raw}（{metric + '；' if metric else ''}{rel.why}）"
        related = [draft_figure(text, p.figure, "part") for p in rel.parts]
        out.append(Finding("sum", quote_of(text, total), total.value, message, None, "error",
                           rel.rule if rel.mode == "equal" else "sum.exceeds", metric, arithmetic, related,
                           (total.start, total.end)))
    return out
