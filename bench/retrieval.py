"""Retrieval benchmark: hit@1, hit@5, MRR@10 of hybrid retrieval against vector-only and BM25-only
baselines on the same chunks, ingestion throughput and query latency.

    .venv/bin/python bench/retrieval.py [--embedding use,e5]

Datasets: bench/questions/real_report.jsonl over ../shared/corpus (the real 2020 report) and
bench/questions/sample_corpus.jsonl over knowledge/. A hit means the returned chunk contains the
question's evidence sentence (for cross-year questions: each year's evidence; hit@1 then asks for
any one of them first, hit@5 for all of them within five).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.index.sync import Indexer  # noqa: E402
from assistant.retrieval import Retriever  # noqa: E402
from assistant.settings import Settings  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus" / "2020_self_assessment_report.txt"
DATASETS = {
    "real 2020 report": ("real_report.jsonl", None),
    "sample corpus": ("sample_corpus.jsonl", ROOT / "knowledge"),
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _evidence(item: dict) -> list[str]:
    if item.get("evidence_by_year"):
        return [_squash(e) for e in item["evidence_by_year"].values()]
    return [_squash(item["evidence"])]


def _ranks(texts: list[str], evidence: list[str]) -> list[int | None]:
    """1-based rank of the first chunk containing each evidence string."""
    squashed = [_squash(t) for t in texts]
    return [next((i + 1 for i, t in enumerate(squashed) if e in t), None) for e in evidence]


def _score(all_ranks: list[list[int | None]]) -> dict[str, float]:
    hit1 = np.mean([any(r == 1 for r in ranks) for ranks in all_ranks])
    hit5 = np.mean([all(r is not None and r <= 5 for r in ranks) for ranks in all_ranks])
    mrr = np.mean([1 / min((r for r in ranks if r is not None and r <= 10), default=np.inf) for ranks in all_ranks])
    return {"hit@1": float(hit1), "hit@5": float(hit5), "MRR@10": float(mrr)}


def run(name: str, questions_file: str, knowledge: Path | None, embedding: str, workdir: Path,
        show_misses: bool = False, chunk_tokens: int = 400) -> list[dict]:
    if knowledge is None:
        knowledge = workdir / "real-knowledge"
        (knowledge / "reports").mkdir(parents=True, exist_ok=True)
        shutil.copy(REAL, knowledge / "reports" / REAL.name)
    settings = Settings(knowledge_dir=knowledge, data_dir=workdir / f"data-{embedding}-{name.split()[0]}",
                        embedding=embedding, chunk_tokens=chunk_tokens)
    started = time.perf_counter()
    report = Indexer(settings).sync(rebuild=True)
    ingest_s = time.perf_counter() - started
    questions = [json.loads(line) for line in (ROOT / "bench" / "questions" / questions_file).read_text(
        encoding="utf-8").splitlines() if line.strip()]
    retriever = Retriever(settings)
    retriever.search("warm up", k=1)
    rows = []
    for method in ("hybrid", "vector", "bm25"):
        ranks, latencies = [], []
        for item in questions:
            t0 = time.perf_counter()
            mode = {"hybrid": "hybrid", "vector": "vector", "bm25": "keyword"}[method]
            texts = [r.chunk.text for r in retriever.search(item["question"], k=10, mode=mode)]
            latencies.append((time.perf_counter() - t0) * 1000)
            ranks.append(_ranks(texts, _evidence(item)))
            if show_misses and method == "hybrid" and not any(r == 1 for r in ranks[-1]):
                print(f"MISS {name} ranks={ranks[-1]} {item['question']} -> {texts[0][:60]!r}", file=sys.stderr)
        rows.append({"dataset": name, "embedding": embedding, "method": method, "questions": len(questions),
                     **_score(ranks), "ms/query": statistics.median(latencies),
                     "chunks": report.chunks, "ingest s": ingest_s, "chunks/s": report.chunks / ingest_s})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedding", default="use", help="comma-separated: use,e5")
    parser.add_argument("--chunk-tokens", type=int, default=Settings().chunk_tokens)
    parser.add_argument("--misses", action="store_true", help="print the questions hybrid retrieval misses")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for embedding in args.embedding.split(","):
            for name, (questions_file, knowledge) in DATASETS.items():
                rows.extend(run(name, questions_file, knowledge, embedding, Path(tmp), args.misses, args.chunk_tokens))
    print("| dataset | embedding | method | n | hit@1 | hit@5 | MRR@10 | ms/query (median) | chunks | ingest s | chunks/s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['dataset']} | {r['embedding']} | {r['method']} | {r['questions']} | {r['hit@1']:.3f} | "
              f"{r['hit@5']:.3f} | {r['MRR@10']:.3f} | {r['ms/query']:.1f} | {r['chunks']} | {r['ingest s']:.2f} | "
              f"{r['chunks/s']:.0f} |")


if __name__ == "__main__":
    main()
