"""The reports the mutation benchmark is built from, their prior years, and the history the check sees.

Corpora (each a list of yearly reports of one college):

* ``real`` — the real 2020 report (``../shared/corpus``, read-only). There is no 2019 report, so its prior
  year is **synthetic**: the 2020 text with every figure moved by a random 3–15 % (either way; 100 %
  and fees stay), cumulative counts 5–20 % smaller, and years from 2020 on moved back one year (the
  cover's "2020 年度" becomes "2019 年度"; 2016 stays 2016). Equal figures get equal perturbations,
  as a real report states a repeated figure the same way, and totals and shares are recomputed from
  the moved parts, counts and bases, so the prior is as consistent as a real report.
* ``sample`` — the fictional 2021/2022/2023 reports in ``knowledge/reports`` (2023 is a .docx, read
  with ``assistant.ingest.load_document``). 2022 is checked against 2021, 2023 against 2021–2022, and
  2021 — the first year — against a synthetic 2020 made the same way.
* ``second`` — ``bench/corpus2/knowledge/reports``: another fictional college, 2021–2023, written for
  tuning beside the sample corpus by someone who had not read the check (bench/corpus2/README.md);
  split into tuned and held-out drafts like the others.
* ``third`` — ``bench/corpus3/knowledge/reports``: a third fictional college, 2022–2024 (a PDF-layout .txt
  with hard line breaks, Chinese numerals, ‰), written the same way (bench/corpus3/README.md); tuning
  material with its own held-out drafts.
* ``fourth`` — ``bench/corpus4/knowledge/reports``: a fourth fictional college, 2021–2023 (two .docx with
  Word tables and full-width digits, one .md), written the same way (bench/corpus4/README.md); tuning
  material with its own held-out drafts.
* ``fifth`` — ``bench/corpus5/knowledge/reports``: a fifth fictional college, 2022–2024 — a vocational
  Sino-German programme (a reportlab PDF, an e-mailed .txt with space-aligned tables and full-width
  digits, a .docx), written the same way (bench/corpus5/README.md); tuning material with its own
  held-out drafts, measured first on contact before any change made for it.
* ``sixth`` — ``bench/corpus6/knowledge/reports``: a sixth fictional college, 2022–2024 — a health-sciences
  Sino-Irish institute with a master's programme (a Markdown export, a .docx whose titles are bold
  paragraphs, a reportlab PDF with rule-only tables and footnotes; its .xlsx appendix is no report and
  not checked), written the same way (bench/corpus6/README.md); measured first on contact too.
* ``unseen`` — ``bench/unseen/knowledge/reports`` when it exists: a corpus nobody tuned on (held out
  as a whole).

History records are built the way ``Services.report_records`` sees them: each document is loaded with
``load_document``, typed and dated by ``describe`` and cut by ``chunk_document`` with the default
settings; only ``report`` chunks with a year are kept.
"""

from __future__ import annotations

import random
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mentions import figures, mentions, share_triples, sum_groups

ROOT = Path(__file__).resolve().parents[2]
REAL_REPORT = ROOT.parent / "shared" / "corpus" / "2020_self_assessment_report.txt"
SAMPLE_DIR = ROOT / "knowledge"
SECOND_DIR = ROOT / "bench" / "corpus2" / "knowledge"
THIRD_DIR = ROOT / "bench" / "corpus3" / "knowledge"
FOURTH_DIR = ROOT / "bench" / "corpus4" / "knowledge"
FIFTH_DIR = ROOT / "bench" / "corpus5" / "knowledge"
SIXTH_DIR = ROOT / "bench" / "corpus6" / "knowledge"
UNSEEN_DIR = ROOT / "bench" / "unseen" / "knowledge"
Record = tuple[str, int, str, str]


@dataclass
class Report:
    """One report to mutate, with the documents that are its history (earlier years)."""

    corpus: str
    name: str  # e.g. "sample/2022"
    year: int
    text: str
    history: list[tuple[str, Path | str]] = field(default_factory=list)  # (relpath, file or synthetic text)
    synthetic_prior: bool = False


def document_text(path: Path) -> str:
    """A report as a user would upload it for the check: .md as it is, .txt and .pdf as the check reads
    an upload (``load_draft_text``: wrapped lines joined), .docx blocks joined by blank lines."""
    if path.suffix.lower() == ".docx":
        from assistant.ingest import load_document

        return "\n\n".join(b.text for b in load_document(path).blocks)
    if path.suffix.lower() in (".txt", ".pdf"):
        from assistant.figures.check import load_draft_text

        return load_draft_text(path)
    return path.read_text(encoding="utf-8")


def _fmt(value: float, decimals: int, commas: bool = False) -> str:
    s = f"{value:,.{decimals}f}" if commas else f"{value:.{decimals}f}"
    return s


def synthetic_prior(text: str, year: int, seed: int) -> str:
    """Last year's report made from this year's text (see module docstring).

    The prior stays as consistent as a real report: after the figures move, every total found by
    ``mentions.sum_groups`` becomes the sum of its moved parts (inner totals first) and every share
    of ``mentions.share_triples`` is recomputed from its moved count and base — and when the count moved
    in step with its base so that the rate comes out as this year's, the count moves one more step (the
    sixth corpus's 177/191 = 92.7% did: an identical precise rate is what the stale rule asks about)."""
    rng = random.Random(f"prior:{year}:{seed}")
    ms = mentions(text)
    figs = figures(ms)
    chosen: dict[tuple[float, str, bool], float] = {}
    new: dict[int, float] = {}
    for m in figs:
        if m.unit.startswith("元/") or (m.unit == "%" and m.value >= 100) or m.value == 0:
            continue
        key = (m.value, m.unit, m.cumulative)
        if key not in chosen:
            factor = rng.uniform(0.80, 0.95) if m.cumulative else 1 + rng.choice((-1, 1)) * rng.uniform(0.03, 0.15)
            value = m.value * factor
            if m.unit == "%" and value >= 100:
                value = m.value * (2 - factor)
            chosen[key] = max(round(value, m.decimals), 10.0 ** -m.decimals)
        new[m.index] = chosen[key]
    groups = sum_groups(text, figs)
    shares = share_triples(text, figs)
    for t, parts, restated in sorted((g for g in groups if g[0].unit != "%"), key=lambda g: g[0].value):
        total = round(sum(new.get(p.index, p.value) for p in parts), t.decimals)
        if total == t.value and parts[-1].index in new:  # a moved list that still adds up to this year's total
            step = 10.0 ** -parts[-1].decimals
            new[parts[-1].index] = round(new[parts[-1].index] + step, parts[-1].decimals)
            total = round(total + step, t.decimals)
        for m in (t, *restated):
            new[m.index] = total
    for p, c, b in shares:
        count, base = new.get(c.index, c.value), new.get(b.index, b.value)
        if count > base:  # moved apart: keep the count inside its base
            count = new[c.index] = round(base * c.value / b.value, c.decimals)
        share = round(count / base * 100, p.decimals)
        if share == p.value and count + 10.0 ** -c.decimals <= base:  # moved in step with its base: a real
            count = new[c.index] = round(count + 10.0 ** -c.decimals, c.decimals)  # prior year rarely repeats a rate
            share = round(count / base * 100, p.decimals)
        new[p.index] = share
    for t, parts, restated in (g for g in groups if g[0].unit == "%"):
        total = round(sum(new.get(p.index, p.value) for p in parts), t.decimals)
        for m in (t, *restated):
            new[m.index] = total
    edits: list[tuple[int, int, str]] = []
    for m in ms:
        if m.kind == "year" and int(m.raw_num) >= year:
            edits.append((m.num_start, m.num_end, str(int(m.raw_num) - 1)))
        elif m.index in new:
            edits.append((m.num_start, m.num_end, _fmt(new[m.index], m.decimals, "," in m.raw_num)))
    return apply_edits(text, edits)[0]


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, Callable[[int], int]]:
    """Apply non-overlapping (start, end, replacement) edits; return the text and an old→new offset map."""
    edits = sorted(edits, key=lambda e: (e[0], e[1]))
    out, last = [], 0
    for s, e, rep in edits:
        if s < last:
            raise ValueError(f"overlapping edits at {s}")
        out.append(text[last:s])
        out.append(rep)
        last = e
    out.append(text[last:])

    def shift(pos: int) -> int:
        delta = 0
        for s, e, rep in edits:
            if e <= pos and not (s == e == pos):
                delta += len(rep) - (e - s)
            elif s < pos < e:
                raise ValueError("position inside an edit")
        return pos + delta

    return "".join(out), shift


def _year_of(path: Path) -> int:
    m = re.search(r"(19|20)\d\d", path.name)
    if not m:
        raise ValueError(f"no year in report file name: {path}")
    return int(m.group())


def _knowledge_reports(corpus: str, folder: Path) -> list[Report]:
    files = sorted((p for p in (folder / "reports").glob("*") if p.suffix.lower() in (".md", ".txt", ".docx", ".pdf")),
                   key=_year_of)
    out: list[Report] = []
    for i, path in enumerate(files):
        year = _year_of(path)
        text = document_text(path)
        report = Report(corpus, f"{corpus}/{year}", year, text)
        if i == 0:
            report.history = [(f"reports/{year - 1}_synthetic_prior.txt", synthetic_prior(text, year, 0))]
            report.synthetic_prior = True
        else:
            report.history = [(p.relative_to(folder).as_posix(), p) for p in files[:i]]
        out.append(report)
    return out


def corpora(include_unseen: bool = True) -> dict[str, list[Report]]:
    """``{"real": [...], "sample": [...], "second": [...], "third": [...], "fourth": [...], "fifth": [...], "sixth": [...], "unseen": [...]}`` (unseen only when the folder exists)."""
    out: dict[str, list[Report]] = {}
    if REAL_REPORT.exists():
        text = REAL_REPORT.read_text(encoding="utf-8")
        out["real"] = [Report("real", "real/2020", 2020, text,
                              [("reports/2019_synthetic_prior.txt", synthetic_prior(text, 2020, 0))], True)]
    out["sample"] = _knowledge_reports("sample", SAMPLE_DIR)
    if (SECOND_DIR / "reports").is_dir():
        out["second"] = _knowledge_reports("second", SECOND_DIR)
    if (THIRD_DIR / "reports").is_dir():
        out["third"] = _knowledge_reports("third", THIRD_DIR)
    if (FOURTH_DIR / "reports").is_dir():
        out["fourth"] = _knowledge_reports("fourth", FOURTH_DIR)
    if (FIFTH_DIR / "reports").is_dir():
        out["fifth"] = _knowledge_reports("fifth", FIFTH_DIR)
    if (SIXTH_DIR / "reports").is_dir():
        out["sixth"] = _knowledge_reports("sixth", SIXTH_DIR)
    if include_unseen and (UNSEEN_DIR / "reports").is_dir():
        out["unseen"] = _knowledge_reports("unseen", UNSEEN_DIR)
    return out


def history_records(report: Report) -> list[Record]:
    """The report passages ``Services.report_records(before_year=report.year)`` would return."""
    from assistant.ingest import document_chunks, load_document
    from assistant.settings import Settings

    settings = Settings()
    records: list[Record] = []
    with tempfile.TemporaryDirectory() as tmp:
        for rel, doc in report.history:
            path = doc if isinstance(doc, Path) else Path(tmp) / rel
            if not isinstance(doc, Path):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(doc, encoding="utf-8")
            for c in document_chunks(load_document(path), rel, settings)[0]:
                if c.doc_type == "report" and c.year is not None and c.year < report.year:
                    records.append((c.text, c.year, c.source, c.section))
    return records


def prior_texts(report: Report) -> list[tuple[int, str, str]]:
    """(year, relpath, text) of the history documents, latest first."""
    out = []
    for rel, doc in report.history:
        year = _year_of(Path(rel))
        out.append((year, rel, document_text(doc) if isinstance(doc, Path) else doc))
    return sorted(out, reverse=True)
