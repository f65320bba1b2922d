"""Check the held-out question sets and facts against the documents, as the product loads them.

Usage: .venv/bin/python bench/unseen/verify.py   (exit status 1 on any mismatch)

Every document under ``bench/unseen/knowledge`` is read with the project's own loader
(``assistant.ingest.load_document``) and its blocks joined with newlines; a quote "is in" a
document when it is a substring of that text. Checked:

* ``retrieval.jsonl``: ``evidence`` and every ``evidence_by_year`` entry occur in the named source
  exactly once, are at most 40 characters and contain no line break; for .md/.txt they also occur
  in the raw file, so they never span a wrapped line (the 2020 .txt breaks sentences at page breaks);
  ``year`` matches the ``evidence_by_year`` keys; kinds and languages are known.
* ``chat.jsonl``: every ``expected`` string occurs (whitespace removed) in the documents of the
  item's year(s), or in the regulations when the year is null; unanswerable items expect nothing and
  name a year/metric the corpus does not have; follow-ups have ``[[user, assistant], ...]`` history
  and a ``resolved_question``.
* ``facts.csv``: each ``quote`` occurs in its source, the source is that year's report, and the
  ``value`` occurs in the quote.
* the 2021 .docx is what ``make_docx.py`` builds from ``src/`` today (byte-identical rebuild).
* ``check_figures.py``: the arithmetic (parts vs totals, shares, cumulative counts).

Figures in retrieval answers that are not in the source are printed as warnings only.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from assistant.ingest import load_document  # noqa: E402

import check_figures  # noqa: E402
import make_docx  # noqa: E402

KNOWLEDGE = HERE / "knowledge"
MAX_EVIDENCE = 40
KINDS = {"figure", "fact", "policy", "regulation", "cross_year"}
LANGS = {"zh", "en"}

errors: list[str] = []
warnings: list[str] = []
_texts: dict[str, str] = {}


def text_of(rel: str) -> str:
    """Loaded text of a document (blocks joined by newlines), cached."""
    if rel not in _texts:
        _texts[rel] = "\n".join(b.text for b in load_document(KNOWLEDGE / rel).blocks)
    return _texts[rel]


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def documents() -> tuple[dict[int, list[str]], list[str]]:
    """Reports by year (from the file name) and the regulations, as paths relative to knowledge/."""
    by_year: dict[int, list[str]] = {}
    for path in sorted((KNOWLEDGE / "reports").iterdir()):
        year = int(re.match(r"(\d{4})", path.name).group(1))
        by_year.setdefault(year, []).append(path.relative_to(KNOWLEDGE).as_posix())
    regulations = [p.relative_to(KNOWLEDGE).as_posix() for p in sorted((KNOWLEDGE / "regulations").iterdir())]
    return by_year, regulations


def load_jsonl(name: str) -> list[dict]:
    rows = []
    for n, line in enumerate((HERE / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as error:
            errors.append(f"{name}:{n}: invalid JSON ({error})")
    return rows


def check_evidence(tag: str, source: str | None, evidence: str | None) -> None:
    if not source or not (KNOWLEDGE / source).is_file():
        errors.append(f"{tag}: missing source {source}")
        return
    if not evidence:
        errors.append(f"{tag}: empty evidence")
        return
    if len(evidence) > MAX_EVIDENCE:
        errors.append(f"{tag}: evidence longer than {MAX_EVIDENCE} chars: {evidence}")
    if "\n" in evidence:
        errors.append(f"{tag}: evidence spans a line break: {evidence!r}")
    if evidence not in text_of(source):
        errors.append(f"{tag}: evidence not in loaded {source}: {evidence}")
        return
    if text_of(source).count(evidence) > 1:
        errors.append(f"{tag}: evidence occurs more than once in {source}: {evidence}")
    path = KNOWLEDGE / source
    if path.suffix in (".md", ".txt") and evidence not in path.read_text(encoding="utf-8"):
        errors.append(f"{tag}: evidence spans a line break in raw {source}: {evidence}")


def check_retrieval(by_year: dict[int, list[str]]) -> Counter:
    rows = load_jsonl("retrieval.jsonl")
    kinds: Counter = Counter()
    for n, r in enumerate(rows, 1):
        tag = f"retrieval.jsonl:{n}"
        for field in ("question", "answer", "evidence", "source", "year", "kind", "lang"):
            if field not in r:
                errors.append(f"{tag}: missing field {field}")
        kind, lang = r.get("kind"), r.get("lang")
        if kind not in KINDS:
            errors.append(f"{tag}: unknown kind {kind}")
        if lang not in LANGS:
            errors.append(f"{tag}: unknown lang {lang}")
        kinds[kind] += 1
        kinds[f"lang:{lang}"] += 1
        pairs = [(r.get("source"), r.get("evidence"))]
        if kind == "cross_year":
            eby, sby = r.get("evidence_by_year") or {}, r.get("source_by_year") or {}
            years = r.get("year")
            if not isinstance(years, list) or set(map(str, years)) != set(eby) or set(eby) != set(sby):
                errors.append(f"{tag}: year list, evidence_by_year and source_by_year keys differ")
            else:
                first = str(min(years))
                if (r.get("evidence"), r.get("source")) != (eby[first], sby[first]):
                    errors.append(f"{tag}: evidence/source must repeat the earliest year's")
            for y, ev in eby.items():
                if sby.get(y) not in by_year.get(int(y), []):
                    errors.append(f"{tag}: source_by_year[{y}] is not the {y} report")
                pairs.append((sby.get(y), ev))
        elif kind == "regulation":
            if r.get("year") is not None or not str(r.get("source", "")).startswith("regulations/"):
                errors.append(f"{tag}: regulation items need year null and a regulations/ source")
        elif r.get("source") not in by_year.get(r.get("year"), []):
            errors.append(f"{tag}: source {r.get('source')} is not the report of {r.get('year')}")
        for source, evidence in pairs:
            check_evidence(tag, source, evidence)
        sources = {s for s, _ in pairs if s and (KNOWLEDGE / s).is_file()}
        alltext = squash("".join(text_of(s) for s in sources))
        for figure in re.findall(r"\d+(?:\.\d+)?%?", r.get("answer", "").replace(",", "")):
            if figure not in alltext:
                warnings.append(f"{tag}: answer figure {figure} not in {sorted(sources)}")
    kinds["total"] = len(rows)
    return kinds


def check_chat(by_year: dict[int, list[str]], regulations: list[str]) -> Counter:
    rows = load_jsonl("chat.jsonl")
    counts: Counter = Counter(total=len(rows))
    for n, r in enumerate(rows, 1):
        tag = f"chat.jsonl:{n}"
        expected = r.get("expected")
        if not isinstance(expected, list) or "question" not in r or "year" not in r:
            errors.append(f"{tag}: needs question, expected (a list) and year")
            continue
        if r.get("history"):
            counts["follow-ups"] += 1
            if not all(isinstance(h, list) and len(h) == 2 for h in r["history"]):
                errors.append(f"{tag}: history must be [[user, assistant], ...]")
            if not r.get("resolved_question"):
                errors.append(f"{tag}: follow-up without resolved_question")
        if str(r.get("note", "")).startswith("易混"):  # metric-confusion trap
            counts["traps"] += 1
        years = r["year"] if isinstance(r["year"], list) else [r["year"]]
        if len(years) > 1:
            counts["multi-year"] += 1
        if None in years:
            counts["regulation"] += 1
        if r.get("unanswerable"):
            counts["unanswerable"] += 1
            if expected:
                errors.append(f"{tag}: unanswerable item with expected strings")
            continue
        if not expected:
            errors.append(f"{tag}: answerable item without expected strings")
        missing_years = [y for y in years if y is not None and y not in by_year]
        if missing_years:
            errors.append(f"{tag}: no report for year(s) {missing_years}")
        rels = [rel for y in years for rel in (regulations if y is None else by_year.get(y, []))]
        text = squash("".join(text_of(rel) for rel in rels))
        for e in expected:
            if squash(e) not in text:
                errors.append(f"{tag}: expected {e!r} not found for year(s) {years}")
    return counts


def check_facts(by_year: dict[int, list[str]]) -> int:
    with open(HERE / "facts.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    seen = set()
    for n, row in enumerate(rows, 2):
        tag = f"facts.csv:{n}"
        year, source, quote = int(row["year"]), row["source"], row["quote"]
        if (year, row["key"]) in seen:
            errors.append(f"{tag}: duplicate key {row['key']} for {year}")
        seen.add((year, row["key"]))
        if source not in by_year.get(year, []):
            errors.append(f"{tag}: source {source} is not the {year} report")
            continue
        if quote not in text_of(source):
            errors.append(f"{tag}: quote not in loaded {source}: {quote}")
        if squash(row["value"]) not in squash(quote):
            errors.append(f"{tag}: value {row['value']} not in quote {quote}")
    return len(rows)


def check_docx_fresh() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rebuilt = make_docx.build(make_docx.DEFAULT_SRC, Path(tmp) / "rebuilt.docx").read_bytes()
    if rebuilt != make_docx.DEFAULT_OUT.read_bytes():
        errors.append(f"{make_docx.DEFAULT_OUT.name} is stale: run bench/unseen/make_docx.py")


def main() -> int:
    by_year, regulations = documents()
    retrieval = check_retrieval(by_year)
    chat = check_chat(by_year, regulations)
    n_facts = check_facts(by_year)
    check_docx_fresh()
    arithmetic = check_figures.main()
    print(f"retrieval.jsonl {retrieval['total']} questions: " + ", ".join(
        f"{k} {retrieval[k]}" for k in sorted(KINDS)) + f"; English {retrieval['lang:en']}")
    print(f"chat.jsonl      {chat['total']} items: " + ", ".join(
        f"{k} {chat[k]}" for k in ("unanswerable", "follow-ups", "traps", "multi-year", "regulation")))
    print(f"facts.csv       {n_facts} figures")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors and arithmetic == 0 else f"{len(errors)} error(s)")
    return 1 if errors or arithmetic else 0


if __name__ == "__main__":
    sys.exit(main())
