"""Benchmark of section drafting (assistant.drafting) on bench/drafts/cases/*.json.

Each case: {"name", "knowledge": "sample" (knowledge/) | "real" (the shared 2020 report), "section",
"year", "notes"}. Chunks are built with the project's ingest module (same chunking as the index).

Columns: share of note figures that appear in the draft (unhighlighted); figures traceable to neither
the notes (or a share derived from two note figures) nor a cited passage (target 0); prior-year
figures of the section left in the text without a highlight or placeholder (target 0); highlighted
(flagged) figures; placeholders; check_draft findings; seconds.

    .venv/bin/python bench/drafts/run.py                       # update mode, every case
    .venv/bin/python bench/drafts/run.py --write 2             # + write mode (local model) on 2 cases
    .venv/bin/python bench/drafts/run.py --write 2 --base-url http://127.0.0.1:PORT/v1   # any server
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from assistant.text.markup import HIGHLIGHT  # noqa: E402
from assistant.drafting import (DraftDeps, DraftResult, draft_section, parse_notes, section_chunks,  # noqa: E402
                                strip_highlights)
from assistant.drafting.guard import derived_share as _derived_share, masked as _masked, year_like as _year_like  # noqa: E402
from assistant.figures import extract_figures  # noqa: E402
from assistant.chains.verify import contains_figure, figures_in, values_in  # noqa: E402
from assistant.ingest import load_document  # noqa: E402
from assistant.ingest.chunking import chunk_document  # noqa: E402
from assistant.ingest.metadata import describe  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.types import Chunk  # noqa: E402

REAL_REPORT = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "2020_self_assessment_report.txt"


def _chunks(path: Path, source: str, settings: Settings) -> list[Chunk]:
    document = load_document(path)
    doc_type, year, _ = describe(source, document)
    return chunk_document(document, source=source, doc_type=doc_type, year=year, max_tokens=settings.chunk_tokens,
                          overlap_tokens=settings.chunk_overlap_tokens, tokenizer=settings.tokenizer)


def knowledge_chunks(name: str, settings: Settings) -> list[Chunk]:
    if name == "real":
        return _chunks(REAL_REPORT, "reports/2020_self_assessment_report.txt", settings)
    root = REPO / "knowledge"
    return [c for p in sorted(root.rglob("*.*")) if p.name != "README.md"
            for c in _chunks(p, p.relative_to(root).as_posix(), settings)]


def score(result: DraftResult, notes: str, chunks: list[Chunk]) -> dict:
    facts = parse_notes(notes)
    note_values = values_in(notes) + [(f.raw, f.value) for f in facts]
    text = re.sub(r"\[\d+\]", lambda m: " " * len(m.group()), result.text)
    highlighted_spans = [m.span() for m in HIGHLIGHT.finditer(text)]
    masked = _masked(text)
    clean = [(raw, v, a, b) for raw, v, a, b in figures_in(masked) if not _year_like(raw, v)]
    unflagged = [(raw, v) for raw, v, a, b in clean if not any(x <= a < y for x, y in highlighted_spans)]
    found = sum(1 for f in facts if contains_figure(f.raw, f.value, unflagged))
    cited = [values_in(c["quote"]) for c in result.citations]
    untraceable = [raw for raw, v in unflagged
                   if not contains_figure(raw, v, note_values) and not _derived_share(raw, v, [x for _, x in note_values])
                   and not any(contains_figure(raw, v, vals) for vals in cited)]
    prior = [values_in(c.text) for c in section_chunks(chunks, result.section) if c.year is not None and c.year < result.year]
    plain = re.sub(r"\[\d+\]", "", strip_highlights(re.sub(r"==(.+?)==", lambda m: "\0" * len(m.group(1)), result.text)))
    metric_figures = [(f.raw, f.value) for f in extract_figures(_masked(plain)) if "\0" not in f.raw]
    metric_figures += [(m.group(1), float(m.group(1).replace("−", "-").replace(" ", "")))
                       for m in re.finditer(r"\|\s*([+\-−][ \t]*\d+(?:\.\d+)?)\s*(?=\|)", plain)]
    stale = [raw for raw, v in metric_figures
             if any(contains_figure(raw, v, vals) for vals in prior) and not contains_figure(raw, v, note_values)
             and not _derived_share(raw, v, [x for _, x in note_values])]
    return {"notes": len(facts), "found": found, "untraceable": untraceable, "stale": stale,
            "flagged": len(result.not_updated), "placeholders": len(result.placeholders),
            "findings": len(result.findings), "seconds": result.seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=str(Path(__file__).with_name("cases") / "*.json"))
    parser.add_argument("--write", type=int, default=0, help="also run write mode on the first N cases")
    parser.add_argument("--base-url", help="OpenAI-compatible server for write mode (default: settings / local model)")
    parser.add_argument("--model", default=None)
    parser.add_argument("--max-tokens", type=int, default=700)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--show", action="store_true", help="print each draft")
    args = parser.parse_args(argv)

    settings = Settings()
    if args.base_url:
        settings = Settings(provider="compatible", base_url=args.base_url, model=args.model or "recorded")
    cases = [json.loads(Path(p).read_text(encoding="utf-8")) | {"file": Path(p).name}
             for p in sorted(Path().glob(args.cases) if not Path(args.cases).is_absolute()
                             else Path("/").glob(args.cases.lstrip("/")))]
    cache: dict[str, list[Chunk]] = {}
    rows, raw = [], []
    model = None
    for i, case in enumerate(cases):
        chunks = cache.setdefault(case["knowledge"], knowledge_chunks(case["knowledge"], settings))
        modes = ["update"] + (["write"] if i < args.write else [])
        for mode in modes:
            deps = DraftDeps(chunks=chunks)
            options = {}
            if mode == "write":
                if model is None:
                    from assistant.llm.provider import chat_model

                    started = time.perf_counter()
                    model = chat_model(settings, streaming=True)
                    print(f"model ready in {time.perf_counter() - started:.1f}s", file=sys.stderr)
                deps.chat_model = model
                options = {"max_tokens": args.max_tokens}
            try:
                result = draft_section(deps, case["section"], case["year"], case["notes"], mode=mode, **options)
            except Exception as exc:  # report and continue
                rows.append(f"| {case['name']} | {mode} | error: {type(exc).__name__}: {' '.join(str(exc).split())[:80]} | | | | | | |")
                continue
            s = score(result, case["notes"], chunks)
            raw.append({"case": case["file"], "mode": mode, **s, "result": result.to_json()})
            if args.show:
                print(f"\n----- {case['name']} / {mode}\n{result.text}", file=sys.stderr)
            share = f"{s['found']}/{s['notes']} ({s['found'] / s['notes']:.0%})" if s["notes"] else "–"
            rows.append(f"| {case['name']} | {mode} | {share} | {len(s['untraceable'])}"
                        f"{' ' + ', '.join(s['untraceable'][:4]) if s['untraceable'] else ''} | {len(s['stale'])}"
                        f"{' ' + ', '.join(s['stale'][:4]) if s['stale'] else ''} | {s['flagged']} | {s['placeholders']}"
                        f" | {s['findings']} | {s['seconds']:.2f} |")
    print("| case | mode | note figures in draft | untraceable figures | stale unmarked | highlighted (not updated) "
          "| placeholders | findings | s/draft |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    if args.json:
        args.json.write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
