"""Mutation benchmark generator: real report text with planted figure errors, fully recorded.

Run: ``.venv/bin/python bench/checks/generate.py [--drafts-per-report 150] [--seed 13] [--out FILE.jsonl]``
prints how many errors of each kind were planted per split; ``--out`` writes the drafts (text and
errors) as JSON lines — write them outside the repository: they contain the real report's text.

Every draft is one report of ``corpus.corpora()`` with one to three errors planted at random sites
(``random.Random`` seeded with the report and the draft's seed, so the same seed gives the same
drafts). The kinds (``KINDS``) and how each is planted:

==============  ============================================================================================
``share``       a P% whose count/base (``mentions.share_triples``) reproduced it moves by 1.5–8 points
``stale``       a figure takes last year's value of the same metric (same sentence shape last year); only
                figures a reader could tell are stale: ≥ 100, with decimals, or in a share/sum relation
``sum``         a total or one of its parts (``mentions.sum_groups``: same paragraph or table, totals
                before parts, restatements elsewhere) moves by 2–10 % (shares 0.5–3 points)
``jump``        a figure with a prior-year counterpart is multiplied by k ∈ {3, 5, 10, 1/3, 1/10}
``drop``        a figure with a prior-year counterpart becomes last year's value −30…−50 %
``cumulative``  a running total (累计, 至今, 以来 …) is left at last year's value
``duplicate``   a figure stated twice gets a second value, or its clause (the words before the number and
                the noun after it) is restated in another section with a value 3–15 % off
``unit``        a unit slips: 万元↔元, 人/名→人次, 人次→人, %→‰ (figures with a prior-year counterpart or
                a relation, so the slip is visible)
``over100``     a share becomes 101–160 % (or gains a leading 1: 96.8% → 196.8%)
``domain``      a 生师比-style ratio becomes 0, a year becomes 2–4 years after the report year, or a day
                becomes 32
==============  ============================================================================================

Each error records its kind, the span of the planted figure in the mutated text (number and unit),
the original and planted text and value, the spans of the figures it relates to (count and base,
the other members of its sum, the other statement of a duplicate, the members of any relation the
site belongs to), and for prior-year kinds last year's value and sentence. Sites never share a
sentence or a relation with another error of the same draft.

**Split**: a draft is *held out* when ``sha1(report:seed)`` falls in the lowest 30 % — the check is
never tuned on those (the runner prints them only as totals per kind). The unseen corpus is held
out as a whole.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from corpus import Report, apply_edits, corpora, prior_texts  # noqa: E402
from mentions import (Mention, align, consistent_share, duplicates, figures, mentions, sentence_bounds,  # noqa: E402
                      share_triples, sum_groups)

KINDS = ("share", "stale", "sum", "jump", "drop", "cumulative", "duplicate", "unit", "over100", "domain")
HELD_OUT_SHARE = 0.30
PLANNING_RE = re.compile(r"计划|预计|将于|拟|预期|目标")
UNIT_SLIPS = {"万元": "元", "元": "万元", "人": "人次", "名": "人次", "人次": "人", "%": "‰", "‰": "%"}


@dataclass
class Planted:
    kind: str
    span: tuple[int, int]
    original: str
    planted: str
    original_value: float
    planted_value: float
    related: list[dict] = field(default_factory=list)  # {"span": [s, e], "raw": …}
    prior: dict | None = None  # {"year", "value", "raw", "source", "sentence"}
    note: str = ""


@dataclass
class Draft:
    id: str
    corpus: str
    report: str
    year: int
    seed: int
    split: str
    text: str
    errors: list[Planted]

    def to_json(self) -> dict:
        return asdict(self)


def split_of(report: str, seed: int) -> str:
    h = int(hashlib.sha1(f"{report}:{seed}".encode()).hexdigest(), 16) % 1000
    return "held-out" if h < HELD_OUT_SHARE * 1000 else "tuned"


def fmt(value: float, decimals: int, commas: bool = False) -> str:
    return f"{value:,.{decimals}f}" if commas else f"{value:.{decimals}f}"


@dataclass
class _Site:
    """One planned edit: replace ``mention`` (number and unit) by ``number`` + ``unit``, or insert text."""

    kind: str
    mention: Mention
    number: str
    value: float
    unit: str | None = None  # None keeps the unit
    insert_at: int | None = None  # duplicate by restatement: the new sentence goes here
    insert_text: tuple[str, str] = ("", "")  # (before the figure, after the figure)
    related: list[Mention] = field(default_factory=list)
    prior: dict | None = None
    note: str = ""


class Planner:
    """Candidate sites of one report, computed once; ``plant`` draws one site of a kind."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.text = report.text
        self.ms = mentions(self.text)
        self.figs = figures(self.ms)
        self.shares = share_triples(self.text, self.figs)
        self.sums = sum_groups(self.text, self.figs)
        self.dups = duplicates(self.figs)
        year, rel, ptext = prior_texts(report)[0]
        self.prior_year, self.prior_source, self.prior_text = year, rel, ptext
        self.prior_figs = figures(mentions(ptext))
        self.pairs = align(self.figs, self.prior_figs)
        self.relations: dict[int, set[int]] = {}
        for p, c, b in self.shares:
            self._relate([p, c, b])
        for t, parts, restated in self.sums:
            self._relate([t, *parts, *restated])
        for a, b in self.dups:
            self._relate([a, b])

    def _relate(self, members: list[Mention]) -> None:
        for m in members:
            self.relations.setdefault(m.index, set()).update(x.index for x in members if x is not m)

    def related_of(self, m: Mention) -> list[Mention]:
        return [self.ms[i] for i in sorted(self.relations.get(m.index, ()))]

    def prior_of(self, m: Mention) -> dict | None:
        b = self.pairs.get(m.index)
        if b is None:
            return None
        a, e = sentence_bounds(self.prior_text, b.start)
        return {"year": self.prior_year, "value": b.value, "raw": self.prior_text[b.start:b.end],
                "source": self.prior_source, "sentence": self.prior_text[a:e].strip()}

    # --- one function per kind: a site or None -------------------------------------------------------

    def share(self, rng: random.Random) -> _Site | None:
        if not self.shares:
            return None
        p, c, b = rng.choice(self.shares)
        prior = self.prior_of(p)
        for _ in range(20):
            new = round(p.value + rng.choice((-1, 1)) * rng.uniform(1.5, 8.0), p.decimals)
            if 0 < new < 100 and not consistent_share(new, p.decimals, c.value, b.value) \
                    and (prior is None or new != prior["value"]):
                return _Site("share", p, fmt(new, p.decimals), new, related=[c, b], note=f"{c.raw}/{b.raw}")
        return None

    def _informative(self, m: Mention) -> bool:
        return (m.value >= 100 or m.decimals > 0 or m.index in self.relations) and not (m.unit == "%" and m.value >= 100)

    def _paired(self, extra=lambda m: True) -> list[Mention]:
        return [m for m in self.figs if m.index in self.pairs and not m.delta and extra(m)]

    def stale(self, rng: random.Random) -> _Site | None:
        cands = self._paired(lambda m: self.pairs[m.index].value != m.value and self._informative(m) and not m.cumulative)
        if not cands:
            return None
        m = rng.choice(cands)
        b = self.pairs[m.index]
        return _Site("stale", m, fmt(b.value, m.decimals, "," in m.raw_num), b.value, prior=self.prior_of(m))

    def sum(self, rng: random.Random) -> _Site | None:
        if not self.sums:
            return None
        t, parts, restated = rng.choice(self.sums)
        m = rng.choice([t, *parts])
        for _ in range(20):
            if m.unit == "%":
                delta = max(rng.uniform(0.5, 3.0), 3 * 10.0 ** -m.decimals)
            elif m.decimals:
                delta = max(m.value * rng.uniform(0.02, 0.10), 3 * 10.0 ** -m.decimals)
            else:
                delta = max(1, round(m.value * rng.uniform(0.02, 0.10)))
            new = round(m.value + rng.choice((-1, 1)) * delta, m.decimals)
            if new > 0 and (m is t or new < t.value) and new != m.value:
                others = [x for x in [t, *parts, *restated] if x is not m]
                return _Site("sum", m, fmt(new, m.decimals, "," in m.raw_num), new, related=others,
                             note=f"{t.raw} = " + " + ".join(p.raw for p in parts))
        return None

    def jump(self, rng: random.Random) -> _Site | None:
        cands = self._paired(lambda m: m.value >= 5 and not (m.unit == "%" and m.value >= 100))
        if not cands:
            return None
        m = rng.choice(cands)
        ks = [k for k in (3, 5, 10, 1 / 3, 1 / 10) if m.unit != "%" or m.value * k < 100]
        k = rng.choice(ks)
        new = round(m.value * k, m.decimals)
        if new <= 0 or new == m.value:
            return None
        return _Site("jump", m, fmt(new, m.decimals, "," in m.raw_num), new, prior=self.prior_of(m),
                     note=f"×{k:.3g}")

    def drop(self, rng: random.Random) -> _Site | None:
        cands = self._paired(lambda m: self.pairs[m.index].value >= 10)
        if not cands:
            return None
        m = rng.choice(cands)
        old = self.pairs[m.index].value
        new = round(old * (1 - rng.uniform(0.30, 0.50)), m.decimals)
        if not 0.30 <= (old - new) / old <= 0.50 or new == m.value:
            return None
        return _Site("drop", m, fmt(new, m.decimals, "," in m.raw_num), new, prior=self.prior_of(m),
                     note=f"{(new - old) / old:+.0%} vs last year")

    def cumulative(self, rng: random.Random) -> _Site | None:
        cands = self._paired(lambda m: m.cumulative and self.pairs[m.index].value < m.value)
        if not cands:
            return None
        m = rng.choice(cands)
        b = self.pairs[m.index]
        return _Site("cumulative", m, fmt(b.value, m.decimals, "," in m.raw_num), b.value, prior=self.prior_of(m))

    def duplicate(self, rng: random.Random) -> _Site | None:
        def moved(m: Mention) -> float | None:
            for _ in range(20):
                if m.unit == "%":
                    new = round(m.value + rng.choice((-1, 1)) * rng.uniform(0.5, 5.0), m.decimals)
                    ok = 0 < new < 100
                else:
                    new = round(m.value * (1 + rng.choice((-1, 1)) * rng.uniform(0.03, 0.15)), m.decimals)
                    ok = new > 0
                if ok and new != m.value:
                    return new
            return None

        if self.dups and rng.random() < 0.5:
            a, b = rng.choice(self.dups)
            m, other = (a, b) if rng.random() < 0.5 else (b, a)
            new = moved(m)
            if new is None:
                return None
            return _Site("duplicate", m, fmt(new, m.decimals), new, related=[other], note="restated figure changed")
        cands = []
        for m in self.figs:
            label = self._label(m)
            if label and m.unit and not m.table and not m.delta and not m.in_parens and m.value >= 1:
                cands.append((m, label))
        if not cands:
            return None
        m, label = rng.choice(cands)
        paragraphs = [x for x in re.finditer(r"^[^\n|#]{30,}[。]$", self.text, re.M)
                      if self._section_at(x.start()) != m.section and self._section_at(x.start()) > 0]
        new = moved(m)
        if not paragraphs or new is None:
            return None
        at = rng.choice(paragraphs).end()
        tail = re.match(r"[^，,。；;：:！？\n（(、]{0,20}", self.text[m.end:]).group()  # 17名[教师获…奖]
        return _Site("duplicate", m, fmt(new, m.decimals), new, insert_at=at, insert_text=(label, tail + "。"),
                     related=[m], note="clause restated in another section")

    def _label(self, m: Mention) -> str:
        a = max(self.text.rfind(ch, 0, m.start) for ch in "，,。；;：:！？\n（()）、") + 1
        label = self.text[a:m.start].strip()
        label = re.sub(r"^(?:其中|包括|包含|另有|此外|并|和|及|且)", "", label).strip()
        if len(re.sub(r"[\s\d.]", "", label)) < 3 or label.startswith(("占", "为", "达")):
            return ""
        return label

    def _section_at(self, pos: int) -> int:
        return max((m.section for m in self.ms if m.start <= pos), default=0)

    def unit(self, rng: random.Random) -> _Site | None:
        cands = [m for m in self.figs if m.unit in UNIT_SLIPS and not m.delta
                 and (m.index in self.pairs or m.index in self.relations) and not (m.table and not m.unit)]
        if not cands:
            return None
        m = rng.choice(cands)
        return _Site("unit", m, m.raw_num, m.value, unit=UNIT_SLIPS[m.unit], related=self.related_of(m),
                     prior=self.prior_of(m), note=f"{m.unit} → {UNIT_SLIPS[m.unit]}")

    def over100(self, rng: random.Random) -> _Site | None:
        cands = [m for m in self.figs if m.unit == "%" and 0 < m.value < 100 and not m.delta
                 and not re.search(r"(?:增长|提高|增加|超过|大于)[ \t]*$", self.text[:m.start])]
        if not cands:
            return None
        m = rng.choice(cands)
        new = round(m.value + 100 if rng.random() < 0.5 else rng.uniform(101, 160), m.decimals)
        return _Site("over100", m, fmt(new, m.decimals), new, related=self.related_of(m))

    def domain(self, rng: random.Random) -> _Site | None:
        ratios = [m for m in self.figs if not m.unit and not m.table and re.search(r"比[^，。；]{0,4}$", self.text[:m.start].rstrip(" 为是达"))]
        first_body = self.text.find("\n一")
        years = [m for m in self.ms if m.kind == "year" and m.unit == "年" and m.start > first_body
                 and not PLANNING_RE.search(self.text[slice(*m.sentence)]) and int(m.raw_num) <= self.report.year]
        days = [m for m in self.ms if m.kind == "day" and not PLANNING_RE.search(self.text[slice(*m.sentence)])]
        pools = [p for p in (ratios, years, days) if p]
        if not pools:
            return None
        pool = rng.choice(pools)
        m = rng.choice(pool)
        if pool is ratios:
            return _Site("domain", m, fmt(0, m.decimals), 0.0, note="ratio 0")
        if pool is years:
            new = self.report.year + rng.randint(2, 4)
            return _Site("domain", m, str(new), float(new), note="future year")
        return _Site("domain", m, "32", 32.0, note="day 32")


def _sites_conflict(a: _Site, b: _Site, planner: Planner) -> bool:
    def members(s: _Site) -> set[int]:
        return {s.mention.index, *(m.index for m in s.related), *planner.relations.get(s.mention.index, ())}
    if members(a) & members(b) or a.mention.sentence == b.mention.sentence:
        return True
    inserts = [s.insert_at for s in (a, b) if s.insert_at is not None]
    return len(set(inserts)) < len(inserts) or any(s.mention.start <= p <= s.mention.end for p in inserts for s in (a, b))


def make_draft(planner: Planner, seed: int, first_kind: str) -> Draft | None:
    report = planner.report
    rng = random.Random(f"{report.name}:{seed}")
    n = rng.choice((1, 1, 2, 2, 3))
    sites: list[_Site] = []
    kinds = [first_kind] + [rng.choice(KINDS) for _ in range(n - 1)]
    for kind in kinds:
        for _attempt in range(10):
            site = getattr(planner, kind)(rng)
            if site is not None and not any(_sites_conflict(site, s, planner) for s in sites):
                sites.append(site)
                break
    if not sites or sites[0].kind != first_kind:
        return None
    edits = []
    for s in sites:
        m = s.mention
        unit_text = planner.text[m.num_end:m.end]
        if s.unit is not None:
            unit_text = unit_text[: len(unit_text) - len(m.unit)] + s.unit
        if s.insert_at is not None:
            edits.append((s.insert_at, s.insert_at, s.insert_text[0] + s.number + unit_text + s.insert_text[1]))
        else:
            edits.append((m.start, m.end, s.number + unit_text))
    text, shift = apply_edits(planner.text, edits)
    errors = []
    for s, (start, _end, rep) in zip(sites, edits):
        m = s.mention
        if s.insert_at is not None:
            pos = shift(start) + len(s.insert_text[0])
            span = (pos, pos + len(rep) - len(s.insert_text[0]) - len(s.insert_text[1]))
        else:
            pos = shift(m.end) - len(rep)
            span = (pos, pos + len(rep))
        related_ms = {r.index: r for r in [*s.related, *planner.related_of(m)] if r is not m}
        if s.insert_at is not None:
            related_ms[m.index] = m
        related = [{"span": [shift(r.start), shift(r.start) + (r.end - r.start)], "raw": planner.text[r.start:r.end]}
                   for r in sorted(related_ms.values(), key=lambda r: r.start)]
        assert text[span[0]:span[1]] == rep[len(s.insert_text[0]):len(rep) - len(s.insert_text[1]) or None], (s.kind, rep)
        errors.append(Planted(s.kind, span, planner.text[m.start:m.end], text[span[0]:span[1]], m.value, s.value,
                              related, s.prior, s.note))
    return Draft(f"{report.name}#{seed}", report.corpus, report.name, report.year, seed,
                 "held-out" if report.corpus == "unseen" else split_of(report.name, seed), text, errors)


def generate(drafts_per_report: int = 150, seed: int = 13, include_unseen: bool = True) -> list[Draft]:
    """The benchmark's drafts, in a fixed order (corpus, report, seed)."""
    out: list[Draft] = []
    for reports in corpora(include_unseen).values():
        for report in reports:
            planner = Planner(report)
            for i in range(drafts_per_report):
                draft_seed = seed * 100_000 + i
                for shift_kind in range(len(KINDS)):  # a kind with no site in this report: the next one
                    d = make_draft(planner, draft_seed, KINDS[(i + shift_kind) % len(KINDS)])
                    if d is not None:
                        out.append(d)
                        break
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--drafts-per-report", type=int, default=150)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, help="write the drafts as JSON lines (outside the repository)")
    args = ap.parse_args()
    drafts = generate(args.drafts_per_report, args.seed)
    counts = Counter((d.split, e.kind) for d in drafts for e in d.errors)
    print(f"{len(drafts)} drafts, {sum(counts.values())} planted errors")
    print("| kind | tuned | held-out |")
    print("|---|---|---|")
    for kind in KINDS:
        print(f"| {kind} | {counts['tuned', kind]} | {counts['held-out', kind]} |")
    if args.out:
        with args.out.open("w", encoding="utf-8") as fh:
            for d in drafts:
                fh.write(json.dumps(d.to_json(), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
