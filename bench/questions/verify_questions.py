"""Check the question sets against the documents they are about.

Usage: .venv/bin/python bench/questions/verify_questions.py   (exit status 1 on any error)

* real_report.jsonl   evidence must occur verbatim in the 2020 report, both as stored and with
                      newlines removed (so it never spans a line break), and be at most 40 characters.
* sample_corpus.jsonl evidence (and every evidence_by_year entry) must occur verbatim in the named
                      source under knowledge/ (.docx read back with python-docx: paragraphs, then
                      table rows as "| a | b |").
* law/questions.jsonl the same over knowledge/ plus the law texts of law/ (as regulations/<name>).
* range.jsonl         the same over knowledge/ plus the real report (as reports/<its name>); every
                      item names at least two years, one evidence per year, each found once only.
* chat_*.jsonl        every expected string must occur in the documents of the item's year(s)
                      (regulation when year is null), ignoring whitespace; unanswerable items have
                      expected == [].
Figures in answers that cannot be found in the source are reported as warnings only.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
KNOWLEDGE = ROOT / "knowledge"
REAL = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "2020_self_assessment_report.txt"
MAX_EVIDENCE = 40

errors: list[str] = []
warnings: list[str] = []


def load_jsonl(name: str) -> list[dict]:
    rows = []
    for n, line in enumerate((HERE / name).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                errors.append(f"{name}:{n}: invalid JSON ({e})")
    return rows


LAW = HERE / "law"


def resolve(rel: str) -> Path:
    """A question's source (relative to its benchmark corpus) as a file: knowledge/, the law texts
    (regulations/<name> of law/), or the real report (reports/<its name>)."""
    name = Path(rel).name
    if rel.startswith("regulations/") and (LAW / name).is_file():
        return LAW / name
    if rel == f"reports/{REAL.name}":
        return REAL
    return KNOWLEDGE / rel


def doc_text(rel: str) -> str:
    path = resolve(rel)
    if path.suffix == ".docx":
        from docx import Document

        d = Document(str(path))
        parts = [p.text for p in d.paragraphs]
        for t in d.tables:
            for r in t.rows:
                parts.append("| " + " | ".join(c.text for c in r.cells) + " |")
        return "\n".join(parts)
    return path.read_text(encoding="utf-8")


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def figures(s: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?%?", s.replace(",", ""))


SAMPLE_BY_YEAR = {
    2021: ["reports/2021_self_assessment_report.md"],
    2022: ["reports/2022_self_assessment_report.md"],
    2023: ["reports/2023_self_assessment_report.docx"],
}
REGULATION = "regulations/中外合作办学管理办法（示例）.md"


def check_real() -> int:
    text = REAL.read_text(encoding="utf-8")
    joined = text.replace("\n", "")
    rows = load_jsonl("real_report.jsonl")
    for n, r in enumerate(rows, 1):
        ev = r.get("evidence") or ""
        tag = f"real_report.jsonl:{n}"
        if not ev:
            errors.append(f"{tag}: empty evidence")
        elif len(ev) > MAX_EVIDENCE:
            errors.append(f"{tag}: evidence longer than {MAX_EVIDENCE} chars")
        if ev not in text or ev not in joined:
            errors.append(f"{tag}: evidence not found: {ev}")
        if r.get("year") != 2020:
            errors.append(f"{tag}: year must be 2020")
        for f in figures(r.get("answer", "")):
            if f not in squash(joined):
                warnings.append(f"{tag}: answer figure {f} not in report")
    return len(rows)


def check_sample(name: str = "sample_corpus.jsonl", multi_year: bool = False) -> int:
    texts: dict[str, str] = {}
    rows = load_jsonl(name)
    for n, r in enumerate(rows, 1):
        tag = f"{name}:{n}"
        if multi_year:
            years = r.get("year")
            if not isinstance(years, list) or len(years) < 2 or not r.get("evidence_by_year"):
                errors.append(f"{tag}: a range question names two years or more, with evidence_by_year")
            for y, ev in (r.get("evidence_by_year") or {}).items():
                src = (r.get("source_by_year") or {}).get(y)
                if src and ev and resolve(src).is_file() and squash(doc_text(src)).count(squash(ev)) != 1:
                    errors.append(f"{tag}: evidence for {y} not found exactly once in {src}: {ev}")
        pairs = [(r.get("source"), r.get("evidence"))]
        if "evidence_by_year" in r:
            sby = r.get("source_by_year", {})
            pairs += [(sby.get(y), ev) for y, ev in r["evidence_by_year"].items()]
            if set(map(str, r.get("year", []))) != set(r["evidence_by_year"]):
                errors.append(f"{tag}: year list and evidence_by_year keys differ")
        for src, ev in pairs:
            if not src or not resolve(src).is_file():
                errors.append(f"{tag}: missing source {src}")
                continue
            if not ev:
                errors.append(f"{tag}: empty evidence")
                continue
            if len(ev) > MAX_EVIDENCE:
                errors.append(f"{tag}: evidence longer than {MAX_EVIDENCE} chars")
            t = texts.setdefault(src, doc_text(src))
            if ev not in t:
                errors.append(f"{tag}: evidence not in {src}: {ev}")
        srcs = [s for s, _ in pairs if s and resolve(s).is_file()]
        alltext = squash("".join(texts.get(s) or doc_text(s) for s in srcs))
        for f in figures(r.get("answer", "")):
            if f not in alltext:
                warnings.append(f"{tag}: answer figure {f} not in {srcs}")
    return len(rows)


def check_chat(name: str, docs_for_year) -> tuple[int, int, int]:
    rows = load_jsonl(name)
    unans = follow = 0
    for n, r in enumerate(rows, 1):
        tag = f"{name}:{n}"
        exp = r.get("expected")
        if not isinstance(exp, list):
            errors.append(f"{tag}: expected must be a list")
            continue
        if r.get("history"):
            follow += 1
            if not all(isinstance(h, list) and len(h) == 2 for h in r["history"]):
                errors.append(f"{tag}: history must be [[user, assistant], ...]")
        if r.get("unanswerable"):
            unans += 1
            if exp:
                errors.append(f"{tag}: unanswerable item with expected figures")
            continue
        if not exp:
            errors.append(f"{tag}: answerable item without expected figures")
        years = r.get("year")
        years = years if isinstance(years, list) else [years]
        text = squash("".join(docs_for_year(y) for y in years))
        for e in exp:
            if squash(e) not in text:
                errors.append(f"{tag}: expected {e!r} not found for year(s) {years}")
    return len(rows), unans, follow


def main() -> int:
    real_text = REAL.read_text(encoding="utf-8")
    cache: dict[str, str] = {}

    def sample_docs(y):
        rels = SAMPLE_BY_YEAR.get(y, []) if y is not None else [REGULATION]
        return "".join(cache.setdefault(rel, doc_text(rel)) for rel in rels)

    n_real = check_real()
    n_sample = check_sample()
    n_law = check_sample("law/questions.jsonl")
    n_range = check_sample("range.jsonl", multi_year=True)
    # one-document corpus: facts about other years (e.g. 2019) can only come from the 2020 report
    cr = check_chat("chat_real.jsonl", lambda y: real_text)
    cs = check_chat("chat_sample.jsonl", sample_docs)
    print(f"real_report.jsonl   {n_real} questions")
    print(f"sample_corpus.jsonl {n_sample} questions")
    print(f"law/questions.jsonl {n_law} questions")
    print(f"range.jsonl         {n_range} questions")
    print(f"chat_real.jsonl     {cr[0]} items ({cr[1]} unanswerable, {cr[2]} follow-ups)")
    print(f"chat_sample.jsonl   {cs[0]} items ({cs[1]} unanswerable, {cs[2]} follow-ups)")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
