"""Figure-check benchmark: planted-error drafts against prior-year reports.

Prints a Markdown table of planted/found/recall/false alarms per finding kind and false alarms per
draft. A finding matches a planted error when the kinds agree and its quote contains the planted raw
figure. Run: ``.venv/bin/python bench/figures/run.py`` (``-v`` also lists every finding).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.figures.align import records_from_text  # noqa: E402
from assistant.figures.check import Finding, check_draft, load_draft_text  # noqa: E402

HERE = Path(__file__).resolve().parent
KINDS = ("arithmetic", "sum", "duplicate", "domain", "unit", "yoy_jump", "unchanged")


def _history(specs: list[dict]) -> list[tuple[str, int, str, str]]:
    records: list[tuple[str, int, str, str]] = []
    for spec in specs:
        path = Path(spec["path"]) if Path(spec["path"]).is_absolute() else ROOT / spec["path"]
        records += records_from_text(load_draft_text(path), spec["year"], spec["source"])
    return records


def _match(findings: list[Finding], planted: list[dict]) -> tuple[set[int], list[Finding]]:
    """Indices of planted errors found, and findings matching no planted error."""
    found: set[int] = set()
    false_alarms = []
    for f in findings:
        hits = [i for i, p in enumerate(planted) if p["kind"] == f.kind and p["raw"] in f.quote]
        found.update(hits)
        if not hits:
            false_alarms.append(f)
    return found, false_alarms


def main(verbose: bool = False) -> int:
    spec = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
    sets = [(spec["history"], spec["cases"])] + [(s["history"], s["cases"]) for s in spec.get("extra", [])]
    planted, found, alarms = Counter(), Counter(), Counter()
    per_draft: list[tuple[str, int, int, int]] = []
    missed: list[str] = []
    for history_spec, cases in sets:
        if not all((ROOT / h["path"]).exists() for h in history_spec):
            print(f"(skipped: history missing for {[c['draft'] for c in cases]})")
            continue
        history = _history(history_spec)
        for case in cases:
            text = load_draft_text(HERE / case["draft"])
            findings = check_draft(text, case["year"], history)
            hit, false_alarms = _match(findings, case["findings"])
            for i, p in enumerate(case["findings"]):
                planted[p["kind"]] += 1
                if i in hit:
                    found[p["kind"]] += 1
                else:
                    missed.append(f"{case['draft']}: {p['kind']} {p['raw']}")
            for f in false_alarms:
                alarms[f.kind] += 1
            per_draft.append((case["draft"], len(case["findings"]), len(hit), len(false_alarms)))
            if verbose:
                for f in findings:
                    mark = "FALSE" if f in false_alarms else "ok"
                    print(f"[{mark}] {case['draft']} {f.kind} «{f.quote}» {f.message}")

    from bench.meta import header

    print(header() + "\n")
    print("| kind | planted | found | recall | false alarms |")
    print("|---|---|---|---|---|")
    for kind in KINDS:
        recall = f"{found[kind] / planted[kind]:.0%}" if planted[kind] else "–"
        print(f"| {kind} | {planted[kind]} | {found[kind]} | {recall} | {alarms[kind]} |")
    total_p, total_f = sum(planted.values()), sum(found.values())
    print(f"| **all** | {total_p} | {total_f} | {total_f / max(total_p, 1):.0%} | {sum(alarms.values())} |")
    print()
    print("| draft | planted | found | false alarms |")
    print("|---|---|---|---|")
    for draft, p, h, fa in per_draft:
        print(f"| {draft} | {p} | {h} | {fa} |")
    if missed:
        print("\nMissed: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(verbose="-v" in sys.argv[1:]))
