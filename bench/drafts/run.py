"""Benchmark of section drafting (assistant.drafting).

Three sets, each printed as a Markdown table (machine, date, commit first):

* **generated** (:mod:`bench.drafts.generate`): for each pair of consecutive report years — the
  sample corpus ``knowledge/`` 2021→2022 and 2022→2023 (*tuned*: the code was developed against it)
  and the held-out corpus ``bench/unseen/knowledge`` 2019→2020 and 2020→2021 (*held out*: never
  looked at while building) — notes derived from year N+1's section, drafted from year N (the index
  holds the reports up to year N and the regulations), every one of the nine sections;
* **handwritten** (``cases/*_notes.json``): the real 2020 report as the base, notes
  written for a plausible 2021 (figures and things that happened), each new note with the heading or
  paragraph words where it belongs;
* **regression** (the four earlier ``cases/*.json``): the same cases and columns as before.

Columns: note figures in the draft (unhighlighted); new notes expressed (their key terms in the
right paragraph); stale unmarked (prior-year figures left without a highlight or placeholder: target
0); untraceable (figures in neither the notes, a share of two note figures, nor a cited passage:
target 0); placeholders; seconds per section. Update mode runs everywhere; notes mode needs a model:
``--model local`` (the offline default, qwen2.5-coder-1.5b via llama.cpp, GGUF in ``data/models``)
or ``--base-url`` (any OpenAI-compatible server) on ``--notes-sections`` of each pair.

    .venv/bin/python bench/drafts/run.py                                   # update mode, every set
    .venv/bin/python bench/drafts/run.py --model local --notes-sections 师资建设,学生培养
    .venv/bin/python bench/drafts/run.py --write 4 --model local            # + write mode on the regression cases
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from assistant.chains.verify import contains_figure, figures_in, values_in  # noqa: E402
from assistant.drafting import (SECTIONS, DraftDeps, DraftResult, draft_section, parse_notes,  # noqa: E402
                                section_chunks, section_markdown, strip_highlights)
from assistant.drafting.guard import derived_share, masked, year_like  # noqa: E402
from assistant.figures import extract_figures  # noqa: E402
from assistant.ingest import document_chunks, load_document  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.text.markup import HIGHLIGHT  # noqa: E402
from assistant.types import Chunk  # noqa: E402
from bench.drafts.generate import GenNote, derive_notes, expressed, notes_text  # noqa: E402

REAL_REPORT = REPO.parent / "shared" / "corpus" / "2020_self_assessment_report.txt"
if not REAL_REPORT.exists():
    REAL_REPORT = REPO / "tests" / "data" / "2020_self_assessment_report.txt"
CORPORA = {"sample": (REPO / "knowledge", [(2021, 2022), (2022, 2023)], "tuned"),
           "unseen": (REPO / "bench" / "unseen" / "knowledge", [(2019, 2020), (2020, 2021)], "held out")}
CASES = Path(__file__).with_name("cases")


def _chunks(path: Path, source: str, settings: Settings) -> list[Chunk]:
    chunks = document_chunks(load_document(path), source, settings)[0]
    for c in chunks:
        c.id = f"{source}-{c.ordinal}"
    return chunks


def knowledge_chunks(name: str, settings: Settings) -> list[Chunk]:
    """Chunks of a corpus: ``real`` (the real 2020 report), ``sample`` or ``unseen``."""
    if name == "real":
        return _chunks(REAL_REPORT, "reports/2020_self_assessment_report.txt", settings)
    root = CORPORA[name][0] if name in CORPORA else REPO / "knowledge"
    return [c for p in sorted(root.rglob("*.*")) if p.name != "README.md"
            for c in _chunks(p, p.relative_to(root).as_posix(), settings)]


def score(result: DraftResult, notes: str, chunks: list[Chunk]) -> dict:
    facts = parse_notes(notes)
    note_values = values_in(notes) + [(f.raw, f.value) for f in facts]
    text = re.sub(r"\[\d+\]", lambda m: " " * len(m.group()), result.text)
    highlighted_spans = [m.span() for m in HIGHLIGHT.finditer(text)]
    view = masked(text)
    clean = [(raw, v, a, b) for raw, v, a, b in figures_in(view) if not year_like(raw, v)]
    unflagged = [(raw, v) for raw, v, a, b in clean if not any(x <= a < y for x, y in highlighted_spans)]
    found = sum(1 for f in facts if contains_figure(f.raw, f.value, unflagged))
    cited = [values_in(c["quote"]) for c in result.citations]
    untraceable = [raw for raw, v in unflagged
                   if not contains_figure(raw, v, note_values) and not derived_share(raw, v, [x for _, x in note_values])
                   and not any(contains_figure(raw, v, vals) for vals in cited)]
    prior = [values_in(c.text) for c in section_chunks(chunks, result.section) if c.year is not None and c.year < result.year]
    plain = re.sub(r"\[\d+\]", "", strip_highlights(re.sub(r"==(.+?)==", lambda m: "\0" * len(m.group(1)), result.text)))
    metric_figures = [(f.raw, f.value) for f in extract_figures(masked(plain)) if "\0" not in f.raw]
    metric_figures += [(m.group(1), float(m.group(1).replace("−", "-").replace(" ", "")))
                       for m in re.finditer(r"\|\s*([+\-−][ \t]*\d+(?:\.\d+)?)\s*(?=\|)", plain)]
    stale = [raw for raw, v in metric_figures
             if any(contains_figure(raw, v, vals) for vals in prior) and not contains_figure(raw, v, note_values)
             and not derived_share(raw, v, [x for _, x in note_values])]
    return {"notes": len(facts), "found": found, "untraceable": untraceable, "stale": stale,
            "flagged": len(result.not_updated), "placeholders": len(result.placeholders),
            "findings": len(result.findings), "seconds": result.seconds}


def _model(args: argparse.Namespace):
    if not (args.model or args.base_url):
        return None
    from assistant.llm.provider import chat_model

    if args.base_url:
        settings = Settings(provider="compatible", base_url=args.base_url, model=args.model or "recorded")
    else:
        settings = Settings(provider="local", local_model=args.local_model, model_dir=REPO / "data" / "models",
                            data_dir=REPO / "bench" / "out" / "drafts-data")
    started = time.perf_counter()
    model = chat_model(settings, streaming=True)
    model.invoke("你好")  # starts the server and loads the weights: not counted in a section's time
    print(f"model ready in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return model


def _embed(settings: Settings):
    """The index's embedding (multilingual USE by default), as Services gives notes mode."""
    from assistant.index.embeddings import get_embeddings

    return get_embeddings(settings).embed_documents


def _written(result: DraftResult) -> list[str]:
    return [p["sentence"] for p in result.provenance if p.get("kind") == "written"]


def _row(cells: list) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _share(a: int, b: int) -> str:
    return f"{a}/{b} ({a / b:.0%})" if b else "–"


def _items(values: list[str]) -> str:
    return f"{len(values)}{' ' + ', '.join(values[:3]) if values else ''}"


def run_generated(args, model, settings) -> list[str]:
    rows = []
    for corpus, (_, pairs, split) in CORPORA.items():
        all_chunks = knowledge_chunks(corpus, settings)
        for before, after in pairs:
            chunks = [c for c in all_chunks if c.doc_type != "report" or (c.year is not None and c.year <= before)]
            modes = ["update"] + (["notes"] if model is not None else [])
            for mode in modes:
                totals = {"sections": 0, "figures": 0, "found": 0, "new": 0, "expressed": 0, "stale": [], "untraceable": [],
                          "placeholders": 0, "seconds": 0.0}
                for section in SECTIONS:
                    if mode == "notes" and section not in args.notes_sections:
                        continue
                    prev = section_markdown(section_chunks(all_chunks, section, before), section)[0]
                    nxt = section_markdown(section_chunks(all_chunks, section, after), section)[0]
                    notes = derive_notes(prev, nxt)
                    if not prev or not notes:
                        continue
                    text = notes_text(notes)
                    deps = DraftDeps(chunks=chunks, chat_model=model if mode == "notes" else None, embed=_embed(settings))
                    result = draft_section(deps, section, after, text, mode=mode)
                    s = score(result, text, chunks)
                    new = [n for n in notes if n.kind == "new"]
                    totals["sections"] += 1
                    totals["figures"] += s["notes"]
                    totals["found"] += s["found"]
                    totals["new"] += len(new)
                    totals["expressed"] += sum(expressed(n, result.text, written=_written(result)) for n in new)
                    totals["stale"] += s["stale"]
                    totals["untraceable"] += s["untraceable"]
                    totals["placeholders"] += s["placeholders"]
                    totals["seconds"] += s["seconds"]
                    if args.show:
                        print(f"\n----- {corpus} {before}→{after} {section} / {mode}\n{text}\n\n{result.text}", file=sys.stderr)
                n = totals["sections"]
                rows.append(_row([corpus, split, f"{before}→{after}", mode, n, f"{totals['figures']} / {totals['new']}",
                                  _share(totals["found"], totals["figures"]), _share(totals["expressed"], totals["new"]),
                                  _items(totals["stale"]), _items(totals["untraceable"]), totals["placeholders"],
                                  f"{totals['seconds'] / n:.2f}" if n else "–"]))
                print(rows[-1], flush=True)
    return rows


def _case_expressed(note: str, n: int, where: list[str], result: DraftResult) -> bool:
    """A handwritten new note is expressed when its key terms are in a paragraph that ``where`` names
    (an English note: when a sentence written from it stands in such a paragraph)."""
    if re.search(r"[\u4e00-\u9fff]", note):
        return expressed(GenNote(note, "new"), result.text, expect=where, written=_written(result))
    for p in result.provenance:
        if p.get("kind") == "written" and n in p.get("notes", []):
            line = next((x for x in result.text.splitlines() if p["sentence"] in x), "")
            heading = ""
            for x in result.text.splitlines():
                if x.startswith("###"):
                    heading = x
                if x == line:
                    break
            rest = line.replace(p["sentence"], "")
            return any(w in heading or w in rest for w in where)
    return False


def run_cases(handwritten: bool, args, model, settings, *, write: int = 0) -> tuple[list[str], list[dict]]:
    rows, raw = [], []
    cache: dict[str, list[Chunk]] = {}
    paths = [p for p in sorted(CASES.glob("*.json")) if p.stem.endswith("_notes") == handwritten]
    for i, path in enumerate(paths):
        case = json.loads(path.read_text(encoding="utf-8"))
        if "notes" not in case:
            continue
        chunks = cache.setdefault(case["knowledge"], knowledge_chunks(case["knowledge"], settings))
        modes = ["update"] + (["notes"] if model is not None and case.get("notes_mode", True) else []) \
            + (["write"] if model is not None and i < write else [])
        for mode in modes:
            deps = DraftDeps(chunks=chunks, chat_model=model if mode != "update" else None, embed=_embed(settings))
            options = {"max_tokens": args.max_tokens} if mode == "write" else {}
            try:
                result = draft_section(deps, case["section"], case["year"], case["notes"], mode=mode, **options)
            except Exception as exc:  # report and continue
                rows.append(_row([case["name"], mode, f"error: {type(exc).__name__}: {' '.join(str(exc).split())[:80]}"]
                                 + [""] * 7))
                continue
            s = score(result, case["notes"], chunks)
            expect = case.get("expect", {})
            lines = {k: line.lstrip("- ").strip() for k, line in enumerate(case["notes"].splitlines(), 1)}
            shown = [_case_expressed(lines[int(k)], int(k), where, result) for k, where in expect.items()]
            raw.append({"case": path.name, "mode": mode, **s, "result": result.to_json()})
            if args.show:
                print(f"\n----- {case['name']} / {mode}\n{result.text}", file=sys.stderr)
            rows.append(_row([case["name"], mode, _share(s["found"], s["notes"]), _share(sum(shown), len(shown)),
                              _items(s["untraceable"]), _items(s["stale"]), s["flagged"], s["placeholders"],
                              s["findings"], f"{s['seconds']:.2f}"]))
    return rows, raw


def _header() -> str:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    import os

    return (f"machine: {platform.node()} ({os.cpu_count()} cores, {platform.machine()}), date: {dt.date.today()}, "
            f"commit: {commit}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="'local' (offline default) or a model name for --base-url")
    parser.add_argument("--local-model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--base-url", help="OpenAI-compatible server for notes/write mode")
    parser.add_argument("--notes-sections", default="师资建设,学生培养",
                        help="sections of each generated pair drafted in notes mode (model time)")
    parser.add_argument("--write", type=int, default=0, help="also run write mode on the first N regression cases")
    parser.add_argument("--max-tokens", type=int, default=700)
    parser.add_argument("--sets", default="generated,handwritten,regression")
    parser.add_argument("--json", type=Path, help="also write the raw case results here")
    parser.add_argument("--show", action="store_true", help="print each draft")
    args = parser.parse_args(argv)
    args.notes_sections = set(args.notes_sections.split(","))
    settings = Settings()
    model = _model(args)
    sets = set(args.sets.split(","))
    print(_header() + "\n")
    raw: list[dict] = []
    if "generated" in sets:
        print(_row(["corpus", "split", "years", "mode", "sections", "notes: figures / new", "note figures in draft",
                    "new notes expressed", "stale unmarked", "untraceable", "placeholders", "s/section"]))
        print(_row(["---"] * 12), flush=True)
        run_generated(args, model, settings)  # prints each row when it is done
        print()
    header = _row(["case", "mode", "note figures in draft", "new notes expressed", "untraceable figures", "stale unmarked",
                   "highlighted (not updated)", "placeholders", "findings", "s/draft"])
    for name, handwritten, write in (("handwritten", True, 0), ("regression", False, args.write)):
        if name not in sets:
            continue
        rows, got = run_cases(handwritten, args, model, settings, write=write)
        raw += got
        print(header + "\n" + _row(["---"] * 10) + "\n" + "\n".join(rows) + "\n")
    if args.json:
        args.json.write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
