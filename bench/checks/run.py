"""Mutation benchmark runner: every generated draft through ``Services.check``, findings matched to the
planted errors.

Run: ``.venv/bin/python bench/checks/run.py [--drafts-per-report 150] [--seed 13] [-v]``.

* Each draft is checked against its report's history (``corpus.history_records``: the passages
  ``Services.report_records`` would hold) by ``Services.check`` itself — a ``Services`` whose
  ``report_records`` returns those passages, so the settings, thresholds and code path are the app's.
* A finding **finds** a planted error when one of its spans (its ``span`` or, for findings without
  one, every occurrence of its ``quote``; plus the spans of its ``related`` figures) overlaps the
  planted figure or one of the figures the error relates to, and its kind is compatible with the
  planted kind (``COMPATIBLE``).
* **Precision** = findings on mutated drafts that find a planted error / all findings on them.
  **False alarms per clean report**: each unmutated report checked against its own history.
* Held-out drafts (``generate.split_of``) and the unseen corpus are printed only as totals per kind;
  ``-v`` lists misses and false alarms of the tuned split only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from corpus import Report, corpora, history_records  # noqa: E402
from generate import KINDS, Draft, generate  # noqa: E402

from assistant.services import Services  # noqa: E402
from assistant.settings import Settings  # noqa: E402

# Finding kinds that count as finding each planted kind (old and new kind names).
_CONSISTENCY = {"arithmetic", "share", "sum", "duplicate"}
_YOY = {"yoy_jump", "yoy", "jump", "change"}
_STALE = {"unchanged", "stale"}
COMPATIBLE: dict[str, set[str]] = {
    "share": _CONSISTENCY,
    "stale": _CONSISTENCY | _STALE,
    "sum": _CONSISTENCY,
    "jump": _CONSISTENCY | _YOY | {"domain", "unit"},
    "drop": _CONSISTENCY | _YOY,
    "cumulative": _STALE | _YOY | {"sum", "duplicate"},
    "duplicate": _CONSISTENCY,
    "unit": _CONSISTENCY | _YOY | {"unit", "domain"},
    "over100": _CONSISTENCY | _YOY | {"domain"},
    "domain": {"domain"},
}


class _BenchServices(Services):
    """``Services`` whose report passages are the benchmark report's history."""

    def __init__(self, records: list[tuple[str, int, str, str]]) -> None:
        super().__init__(Settings(knowledge_dir=ROOT / "knowledge", data_dir=Path(os.devnull)))
        self._records = records

    def report_records(self, before_year: int | None = None) -> list[tuple[str, int, str, str]]:
        return [r for r in self._records if before_year is None or r[1] < before_year]


def finding_spans(text: str, finding) -> list[tuple[int, int]]:
    """Where a finding points in the draft: its span and its related figures' spans, else its quote."""
    data = finding.to_json()
    spans: list[tuple[int, int]] = []
    if data.get("span"):
        spans.append(tuple(data["span"]))
    else:
        quote, start = data["quote"], 0
        while quote and (i := text.find(quote, start)) != -1:
            spans.append((i, i + len(quote)))
            start = i + 1
    for r in data.get("related") or []:
        if r.get("span") and r.get("in_draft", True):
            spans.append(tuple(r["span"]))
    return spans


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match(draft: Draft, findings: list) -> tuple[set[int], list]:
    """Indices of the planted errors found, and the findings that find none."""
    found: set[int] = set()
    unmatched = []
    for f in findings:
        spans = finding_spans(draft.text, f)
        hit = False
        for i, e in enumerate(draft.errors):
            targets = [tuple(e.span), *(tuple(r["span"]) for r in e.related)]
            if f.kind in COMPATIBLE[e.kind] and any(_overlaps(s, t) for s in spans for t in targets):
                found.add(i)
                hit = True
        if not hit:
            unmatched.append(f)
    return found, unmatched


def _header(args: argparse.Namespace) -> str:
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "assistant", "bench/checks"],
                               capture_output=True, text=True, check=True).stdout.strip()
        commit += " (uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    machine = f"{platform.node()}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return (f"Mutation benchmark — {dt.date.today().isoformat()} · commit {commit} · {machine}\n"
            f"seed {args.seed}, {args.drafts_per_report} drafts per report")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--drafts-per-report", type=int, default=150)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("-v", "--verbose", action="store_true", help="list tuned-split misses and false alarms")
    ap.add_argument("--corpora", default="", help="comma-separated corpus names (default: all); the drafts are "
                                                  "those of a full run")
    args = ap.parse_args()
    wanted = {c.strip() for c in args.corpora.split(",") if c.strip()}

    reports: dict[str, Report] = {r.name: r for c, rs in corpora().items() if not wanted or c in wanted for r in rs}
    services = {name: _BenchServices(history_records(r)) for name, r in reports.items()}
    drafts = [d for d in generate(args.drafts_per_report, args.seed) if d.report in reports]

    planted: Counter = Counter()
    found: Counter = Counter()
    findings_total: Counter = Counter()
    findings_matched: Counter = Counter()
    misses: list[str] = []
    alarms: list[str] = []
    by_corpus: Counter = Counter()  # (corpus, row, "planted" | "found")
    for d in drafts:
        row = "unseen" if d.corpus == "unseen" else d.split
        findings = services[d.report].check(d.text, d.year)
        hit, unmatched = match(d, findings)
        for i, e in enumerate(d.errors):
            planted[row, e.kind] += 1
            by_corpus[d.corpus, row, "planted"] += 1
            if i in hit:
                found[row, e.kind] += 1
                by_corpus[d.corpus, row, "found"] += 1
            elif row == "tuned":
                before = d.text[max(0, e.span[0] - 20):e.span[0]].replace("\n", "⏎")
                misses.append(f"{d.id} {e.kind} «{before}[{e.planted}]» was {e.original} {e.note}")
        findings_total[row] += len(findings)
        findings_matched[row] += len(findings) - len(unmatched)
        if row == "tuned":
            alarms += [f"{d.id} {f.kind} «{f.quote}» {f.message}".replace("\n", "⏎") for f in unmatched]

    clean: dict[str, list] = {name: services[name].check(r.text, r.year) for name, r in reports.items()}

    print(_header(args))
    print()
    rows = [r for r in ("tuned", "held-out", "unseen") if any(planted[r, k] for k in KINDS)]
    print("| kind | " + " | ".join(f"{r} recall" for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for kind in KINDS:
        cells = []
        for r in rows:
            p, f = planted[r, kind], found[r, kind]
            cells.append(f"{f / p:.1%} ({f}/{p})" if p else "–")
        print(f"| {kind} | " + " | ".join(cells) + " |")
    cells = []
    for r in rows:
        p = sum(planted[r, k] for k in KINDS)
        f = sum(found[r, k] for k in KINDS)
        cells.append(f"{f / p:.1%} ({f}/{p})" if p else "–")
    print("| **all** | " + " | ".join(cells) + " |")
    cells = [f"{findings_matched[r] / findings_total[r]:.1%} ({findings_matched[r]}/{findings_total[r]})"
             if findings_total[r] else "–" for r in rows]
    print("| precision | " + " | ".join(cells) + " |")
    print()
    print("| corpus | " + " | ".join(f"{r} recall (all kinds)" for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for corpus in dict.fromkeys(r.corpus for r in reports.values()):
        cells = []
        for r in rows:
            p, f = by_corpus[corpus, r, "planted"], by_corpus[corpus, r, "found"]
            cells.append(f"{f / p:.1%} ({f}/{p})" if p else "–")
        print(f"| {corpus} | " + " | ".join(cells) + " |")
    print()
    print("| clean report (checked against its own history) | findings = false alarms |")
    print("|---|---|")
    per_corpus: dict[str, list[int]] = defaultdict(list)
    for name, r in reports.items():
        per_corpus[r.corpus].append(len(clean[name]))
        shown = name if r.corpus != "unseen" else f"{name} (held out)"
        print(f"| {shown}{' (synthetic prior year)' if r.synthetic_prior else ''} | {len(clean[name])} |")
    for corpus, counts in per_corpus.items():
        print(f"| **{corpus}: per report** | {sum(counts) / len(counts):.2f} |")
    by_rule: dict[str, Counter] = defaultdict(Counter)
    for name, fs in clean.items():
        for f in fs:
            by_rule[reports[name].corpus][getattr(f, "rule", "") or f.kind] += 1
    if any(by_rule.values()):
        print("\n| corpus | clean-report false alarms by rule (totals) |\n|---|---|")
        for corpus, counts in by_rule.items():
            print(f"| {corpus} | " + ", ".join(f"{r} {n}" for r, n in sorted(counts.items())) + " |")
    if args.verbose:
        print("\nTuned-split misses:")
        for line in misses:
            print("  " + line)
        print("\nTuned-split findings matching no planted error:")
        for line in alarms:
            print("  " + line)
        print("\nClean-report findings (tuned corpora):")
        for name, fs in clean.items():
            if reports[name].corpus != "unseen":
                for f in fs:
                    print(f"  {name} {f.kind} «{f.quote}» {f.message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
