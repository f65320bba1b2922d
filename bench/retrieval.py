"""Retrieval benchmark: hit@1, hit@5, MRR@10 and every-year@5 of hybrid retrieval against its peers on
the same documents, per set and per split (tuned / untuned), ingestion throughput and query latency.

    .venv/bin/python bench/retrieval.py [--embedding use,e5] [--misses] [--sets law,range]

Sets (bench/questions/README.md):

- ``real 2020 report``: real_report.jsonl over /work/shared/corpus (the real 2020 report);
- ``sample corpus``: sample_corpus.jsonl over knowledge/;
- ``law (official style)``: law/questions.jsonl over knowledge/ plus the fictional regulation of
  bench/questions/law/ (two regulations with articles 第一条–第三十条 in common);
- ``range questions``: range.jsonl over knowledge/ plus the real report (years 2020–2023);
- ``second corpus``: bench/corpus2/retrieval.jsonl over bench/corpus2/knowledge/ (a second fictional
  college 2021–2023, written independently of the product as tuning material; split like the others);
- ``third corpus``: bench/corpus3/retrieval.jsonl over bench/corpus3/knowledge/ (a third fictional college,
  2022–2024, a PDF-layout .txt with hard line breaks among them; written the same way, split like the others);
- ``fourth corpus``: bench/corpus4/retrieval.jsonl over bench/corpus4/knowledge/ (a fourth fictional college,
  2021–2023: two Word files with real tables and a Markdown file; written the same way, split like the others);
- ``fifth corpus``: bench/corpus5/retrieval.jsonl over bench/corpus5/knowledge/ (a fifth fictional college,
  2022–2024, a vocational Sino-German programme: a PDF, an e-mailed .txt, a Word file; written the same way,
  split like the others);
- ``sixth corpus``: bench/corpus6/retrieval.jsonl over bench/corpus6/knowledge/ (a sixth fictional college,
  2022–2024, a health-sciences Sino-Irish institute: a Markdown export, a Word file without heading styles,
  a PDF with rule-only tables and footnotes, an .xlsx appendix; written the same way, split like the others);
- ``unseen``: bench/unseen/retrieval.jsonl over bench/unseen/knowledge/ (another fictional college
  2019–2021 and two regulations, written by someone else; untuned as a whole, never looked into).

Peers, all over the same documents: ``vector`` and ``bm25`` are the project's two signals alone
(``Retriever.search(mode=…)``, no question constraints); ``bm25-250`` is plain BM25 (bm25s, jieba's
default dictionary, no vocabulary, no year handling) over fixed 250-character chunks of each document's
text, 50 characters overlapping so that every evidence string (≤ 40 characters) lies whole in one chunk.

A hit means the returned chunk contains the question's evidence (whitespace and table cell
separators ``|`` ignored). A question
about several years has one evidence per year: hit@1 asks for any of them first, hit@5 (and
every-year@5, reported for sets with such questions, over those questions) for all of them within five.

Splits: a question is untuned when ``sha256(question) % 3 == 0`` (:func:`split_of`), fixed before any
result was seen. ``--misses`` prints the tuned split's hybrid misses only: the untuned split is never
looked into.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.index.sync import Indexer, knowledge_files  # noqa: E402
from assistant.ingest import SUPPORTED_SUFFIXES, load_document  # noqa: E402
from assistant.retrieval import Retriever  # noqa: E402
from assistant.settings import Settings  # noqa: E402

QUESTIONS = ROOT / "bench" / "questions"
REAL = ROOT.parent / "shared" / "corpus" / "2020_self_assessment_report.txt"
UNSEEN = ROOT / "bench" / "unseen"
METHODS = ("hybrid", "vector", "bm25", "bm25-250")
PLAIN_CHARS, PLAIN_OVERLAP = 250, 50


def split_of(question: str) -> str:
    """``untuned`` for about every third question (stable hash of its text), else ``tuned``."""
    return "untuned" if int(hashlib.sha256(question.encode("utf-8")).hexdigest(), 16) % 3 == 0 else "tuned"


@dataclass(frozen=True)
class Dataset:
    name: str
    questions: Path
    build: Callable[[Path], Path]  # fills a knowledge folder under the given directory, returns it
    held_out: bool = False  # every question untuned


def _copy_tree(source: Path, target: Path) -> None:
    """The documents the indexer would read in ``source`` (supported types, no top-level README)."""
    for rel, path in knowledge_files(source).items():
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, dest)


def _real_only(tmp: Path) -> Path:
    (tmp / "reports").mkdir(parents=True)
    shutil.copy(REAL, tmp / "reports" / REAL.name)
    return tmp


def _sample(tmp: Path) -> Path:
    _copy_tree(ROOT / "knowledge", tmp)
    return tmp


def _law(tmp: Path) -> Path:
    _copy_tree(ROOT / "knowledge", tmp)
    for law in sorted((QUESTIONS / "law").glob("*.md")):
        shutil.copy(law, tmp / "regulations" / law.name)
    return tmp


def _range(tmp: Path) -> Path:
    _copy_tree(ROOT / "knowledge", tmp)
    shutil.copy(REAL, tmp / "reports" / REAL.name)
    return tmp


def _second(tmp: Path) -> Path:
    _copy_tree(ROOT / "bench" / "corpus2" / "knowledge", tmp)
    return tmp


def _third(tmp: Path) -> Path:
    _copy_tree(ROOT / "bench" / "corpus3" / "knowledge", tmp)
    return tmp


def _fourth(tmp: Path) -> Path:
    _copy_tree(ROOT / "bench" / "corpus4" / "knowledge", tmp)
    return tmp


def _fifth(tmp: Path) -> Path:
    _copy_tree(ROOT / "bench" / "corpus5" / "knowledge", tmp)
    return tmp


def _sixth(tmp: Path) -> Path:
    _copy_tree(ROOT / "bench" / "corpus6" / "knowledge", tmp)
    return tmp


def _unseen(tmp: Path) -> Path:
    _copy_tree(UNSEEN / "knowledge", tmp)
    return tmp


def datasets() -> list[Dataset]:
    sets = [Dataset("real 2020 report", QUESTIONS / "real_report.jsonl", _real_only),
            Dataset("sample corpus", QUESTIONS / "sample_corpus.jsonl", _sample),
            Dataset("law (official style)", QUESTIONS / "law" / "questions.jsonl", _law),
            Dataset("range questions", QUESTIONS / "range.jsonl", _range),
            Dataset("second corpus", ROOT / "bench" / "corpus2" / "retrieval.jsonl", _second),
            Dataset("third corpus", ROOT / "bench" / "corpus3" / "retrieval.jsonl", _third),
            Dataset("fourth corpus", ROOT / "bench" / "corpus4" / "retrieval.jsonl", _fourth),
            Dataset("fifth corpus", ROOT / "bench" / "corpus5" / "retrieval.jsonl", _fifth),
            Dataset("sixth corpus", ROOT / "bench" / "corpus6" / "retrieval.jsonl", _sixth)]
    if (UNSEEN / "retrieval.jsonl").is_file():
        sets.append(Dataset("unseen (held out)", UNSEEN / "retrieval.jsonl", _unseen, held_out=True))
    return sets


# --- scoring ------------------------------------------------------------------------------------


def _squash(text: str) -> str:
    """Text without whitespace and table cell separators: the evidence of a PDF table row is written as
    pdfplumber's page text reads it (副高级 20 11 31 35.2), and the loader reads the same row as cells
    (| 副高级 | 20 | 11 | 31 | 35.2 |), which holds it all the same."""
    return re.sub(r"[\s|]+", "", text)


def _evidence(item: dict) -> list[str]:
    if item.get("evidence_by_year"):
        return [_squash(e) for e in item["evidence_by_year"].values()]
    return [_squash(item["evidence"])]


def _ranks(texts: list[str], evidence: list[str]) -> list[int | None]:
    """1-based rank of the first chunk containing each evidence string."""
    squashed = [_squash(t) for t in texts]
    return [next((i + 1 for i, t in enumerate(squashed) if e in t), None) for e in evidence]


def _within(ranks: list[int | None], k: int) -> bool:
    return all(r is not None and r <= k for r in ranks)


def score(all_ranks: list[list[int | None]]) -> dict[str, float | None]:
    if not all_ranks:
        return {"hit@1": None, "hit@5": None, "MRR@10": None, "every-year@5": None}
    multi = [ranks for ranks in all_ranks if len(ranks) > 1]
    return {
        "hit@1": float(np.mean([any(r == 1 for r in ranks) for ranks in all_ranks])),
        "hit@5": float(np.mean([_within(ranks, 5) for ranks in all_ranks])),
        "MRR@10": float(np.mean([1 / min((r for r in ranks if r is not None and r <= 10), default=np.inf)
                                 for ranks in all_ranks])),
        "every-year@5": float(np.mean([_within(ranks, 5) for ranks in multi])) if multi else None,
    }


# --- the plain peer ----------------------------------------------------------------------------


class PlainBM25:
    """BM25 over fixed-size character chunks of each document's text, jieba's own dictionary only."""

    def __init__(self, knowledge: Path) -> None:
        import bm25s
        import jieba

        self._jieba = jieba.Tokenizer()  # not the project's tokenizer: no vocabulary words added
        self.texts: list[str] = []
        for path in (p for p in knowledge_files(knowledge).values() if p.suffix.lower() in SUPPORTED_SUFFIXES):
            text = "\n".join(b.text for b in load_document(path).blocks)
            step = PLAIN_CHARS - PLAIN_OVERLAP
            self.texts.extend(text[i:i + PLAIN_CHARS] for i in range(0, max(len(text) - PLAIN_OVERLAP, 1), step))
        self._bm25 = bm25s.BM25()
        self._bm25.index([self._tokens(t) or ["∅"] for t in self.texts], show_progress=False)

    def _tokens(self, text: str) -> list[str]:
        return [t for t in self._jieba.cut_for_search(text.lower()) if re.search(r"\w", t)]

    def search(self, query: str, k: int) -> list[str]:
        tokens = [t for t in self._tokens(query) if t in self._bm25.vocab_dict]
        if not tokens:
            return []
        scores = np.asarray(self._bm25.get_scores(tokens))
        return [self.texts[i] for i in np.argsort(-scores, kind="stable")[:k] if scores[i] > 0]


# --- running -----------------------------------------------------------------------------------


def run(dataset: Dataset, embedding: str, workdir: Path, show_misses: bool = False,
        chunk_tokens: int = 400) -> tuple[list[dict], dict]:
    knowledge = dataset.build(workdir / f"knowledge-{dataset.name.split()[0]}")
    settings = Settings(knowledge_dir=knowledge, data_dir=workdir / f"data-{embedding}-{dataset.name.split()[0]}",
                        embedding=embedding, chunk_tokens=chunk_tokens)
    started = time.perf_counter()
    report = Indexer(settings).sync(rebuild=True)
    ingest_s = time.perf_counter() - started
    questions = [json.loads(line) for line in dataset.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    splits = ["untuned" if dataset.held_out else split_of(q["question"]) for q in questions]
    retriever = Retriever(settings)
    retriever.search("warm up", k=1)
    plain = PlainBM25(knowledge)
    rows = []
    for method in METHODS:
        ranks, latencies = [], []
        for item, split in zip(questions, splits):
            t0 = time.perf_counter()
            if method == "bm25-250":
                texts = plain.search(item["question"], k=10)
            else:
                mode = {"hybrid": "hybrid", "vector": "vector", "bm25": "keyword"}[method]
                texts = [r.chunk.text for r in retriever.search(item["question"], k=10, mode=mode)]
            latencies.append((time.perf_counter() - t0) * 1000)
            ranks.append(_ranks(texts, _evidence(item)))
            if show_misses and split == "tuned" and method == "hybrid" and not (
                    any(r == 1 for r in ranks[-1]) and _within(ranks[-1], 5)):
                print(f"MISS {dataset.name} ranks={ranks[-1]} {item['question']} -> {texts[0][:60] if texts else ''!r}",
                      file=sys.stderr)
        for split in ("tuned", "untuned"):
            chosen = [r for r, s in zip(ranks, splits) if s == split]
            if chosen:
                rows.append({"dataset": dataset.name, "split": split, "embedding": embedding, "method": method,
                             "questions": len(chosen), **score(chosen), "ms/query": statistics.median(latencies)})
    stats = {"dataset": dataset.name, "embedding": embedding, "chunks": report.chunks, "ingest s": ingest_s,
             "chunks/s": report.chunks / ingest_s, "plain chunks": len(plain.texts)}
    return rows, stats


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedding", default="use", help="comma-separated: use,e5")
    parser.add_argument("--chunk-tokens", type=int, default=Settings().chunk_tokens)
    parser.add_argument("--misses", action="store_true", help="print the tuned split's hybrid misses")
    parser.add_argument("--sets", default="", help="comma-separated name prefixes (default: all)")
    args = parser.parse_args()
    from bench.meta import header

    print(header() + "\n")
    chosen = [d for d in datasets() if not args.sets or any(d.name.startswith(p) for p in args.sets.split(","))]
    rows, stats = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for embedding in args.embedding.split(","):
            for dataset in chosen:
                r, s = run(dataset, embedding, Path(tmp), args.misses, args.chunk_tokens)
                rows.extend(r)
                stats.append(s)
    print("| dataset | split | embedding | method | n | hit@1 | hit@5 | MRR@10 | every-year@5 | ms/query (median) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['dataset']} | {r['split']} | {r['embedding']} | {r['method']} | {r['questions']} | "
              f"{_fmt(r['hit@1'])} | {_fmt(r['hit@5'])} | {_fmt(r['MRR@10'])} | {_fmt(r['every-year@5'])} | "
              f"{r['ms/query']:.1f} |")
    print()
    print("| dataset | embedding | chunks | ingest s | chunks/s | 250-char chunks |")
    print("|---|---|---|---|---|---|")
    for s in stats:
        print(f"| {s['dataset']} | {s['embedding']} | {s['chunks']} | {s['ingest s']:.2f} | {s['chunks/s']:.0f} | "
              f"{s['plain chunks']} |")


if __name__ == "__main__":
    main()
