"""Ingest of a scanned PDF (no text layer), end to end: prints a Markdown table.

    .venv/bin/python bench/ocr_ingest.py [--pages 10] [--dpi 200]

The PDF is the real 2020 report typeset and degraded like a scan by ``bench/ocr.py`` (its 9 pages,
repeated to ``--pages``), each page an image wrapped by PIL (no text layer). It is ingested into an
empty index by ``Indexer.sync`` with the default settings: rasterising at ``ocr_dpi``, OCR in the
worker process, chunking, embedding, committing. "s/page" divides the whole ingest (worker start
and model loading included) by the page count; "OCR s/page" is the median time between page
progress callbacks (rasterise + OCR of one page).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from ocr import REAL_REPORT, commit, render, typeset  # noqa: E402

from assistant.ingest import load_document  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--dpi", type=int, default=200, help="resolution of the scan images")
    args = parser.parse_args()

    from assistant.index.sync import Indexer
    from assistant.settings import Settings

    paragraphs = [b.text for b in load_document(REAL_REPORT).blocks if b.kind != "table"]
    layout = typeset(paragraphs)
    rng = random.Random(10)
    images = [render(layout[i % len(layout)], args.dpi, rng) for i in range(args.pages)]
    with tempfile.TemporaryDirectory() as folder:
        knowledge = Path(folder) / "knowledge"
        knowledge.mkdir()
        pdf = knowledge / "2020_scanned_report.pdf"
        images[0].save(pdf, "PDF", resolution=args.dpi, save_all=True, append_images=images[1:])
        indexer = Indexer(Settings(knowledge_dir=knowledge, data_dir=Path(folder) / "data"))
        stamps: list[float] = []
        started = time.perf_counter()
        report = indexer.sync(page_progress=lambda source, page, pages: stamps.append(time.perf_counter()))
        total = time.perf_counter() - started
        if report.failed or report.warnings:
            print(f"failed: {report.failed} warnings: {report.warnings}", file=sys.stderr)
        gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
        machine = f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
        print("| scanned PDF | pages | chunks | ingest s | s/page | OCR s/page (median) | machine | date | commit |")
        print("|---|---|---|---|---|---|---|---|---|")
        print(f"| real 2020 report, {args.dpi} dpi scan | {args.pages} | {report.chunks} | {total:.1f} | "
              f"{total / args.pages:.2f} | {statistics.median(gaps) if gaps else float('nan'):.2f} | {machine} | "
              f"{dt.date.today().isoformat()} | {commit()} |")
        indexer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
