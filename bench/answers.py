"""Answer benchmark: accuracy (every expected figure appears in the answer; unanswerable questions
must be declined), the share of answer figures found inside a cited quote, time to first token and
seconds per answer, for each offline model size.

    .venv/bin/python bench/answers.py [--models qwen2.5-coder-1.5b,qwen2.5-coder-0.5b] [--limit N]

Question sets: bench/questions/chat_real.jsonl (over ../shared/corpus), chat_sample.jsonl (over knowledge/)
and the held-out bench/unseen/chat.jsonl (over bench/unseen/knowledge, another college, written by another
developer and never used for tuning). Follow-ups carry their conversation in "history".

Besides accuracy: how each answer was made (composed from the figure ledger, the passages' sentences
quoted, or the model's words), **wrong figures shown without a warning** (an answer that is not right,
shows a figure and carries no notice), time to the first answer text and to the model's first token.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.chains.verify import contains_figure, figures_in, says_not_found, values_in  # noqa: E402
from assistant.llm.provider import stop_local_server  # noqa: E402
from assistant.services import Services  # noqa: E402
from assistant.settings import Settings  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus" / "2020_self_assessment_report.txt"
DATASETS = {"real 2020 report": ("chat_real.jsonl", None), "sample corpus": ("chat_sample.jsonl", ROOT / "knowledge"),
            "unseen corpus (held out)": ("../unseen/chat.jsonl", ROOT / "bench" / "unseen" / "knowledge")}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _grounded(answer: str, citations: list[dict]) -> tuple[int, int]:
    """(figures inside a cited quote, figures in the answer), ignoring citation markers and years."""
    figures = [f for f in figures_in(answer) if not re.fullmatch(r"(?:19|20)\d\d\s*(?:年度|年|届|级)?", f[0].strip())]
    quoted = [v for c in citations for v in values_in(c["quote"])]
    return sum(contains_figure(raw, value, quoted) for raw, value, *_ in figures), len(figures)


def run(dataset: str, questions_file: str, knowledge: Path | None, model: str, workdir: Path, limit: int | None) -> dict:
    if knowledge is None:
        knowledge = workdir / "real-knowledge"
        (knowledge / "reports").mkdir(parents=True, exist_ok=True)
        shutil.copy(REAL, knowledge / "reports" / REAL.name)
    settings = Settings(knowledge_dir=knowledge, data_dir=workdir / f"data-{dataset.split()[0]}",
                        provider="local", local_model=model, model_dir=ROOT / "data" / "models")
    services = Services(settings)
    services.ingest()
    chain = services.answer_chain
    chain.invoke("预热 warm-up: 学院名称是什么？")  # starts the model server, loads weights
    items = [json.loads(line) for line in (ROOT / "bench" / "questions" / questions_file).read_text(
        encoding="utf-8").splitlines() if line.strip()][:limit]
    correct, inside, figures, first_tokens, totals = 0, 0, 0, [], []
    modes: dict[str, int] = {}
    wrong_unwarned = 0
    model_first: list[float] = []
    for item in items:
        history = [tuple(turn) for turn in item.get("history", [])]
        started, first, answer = time.perf_counter(), None, None
        for event in chain.stream(item["question"], history=history):
            if event.kind == "token" and first is None:
                first = time.perf_counter() - started
            if event.kind == "final":
                answer = event.answer
            if event.kind == "error":
                print(f"ERROR {item['question']}: {event.error}", file=sys.stderr)
        totals.append(time.perf_counter() - started)
        if first is not None:
            first_tokens.append(first)
        if answer is None:
            continue
        text = _squash(answer.answer)
        if item.get("unanswerable"):
            ok = answer.not_found or (says_not_found(answer.answer) and not figures_in(answer.answer))
        else:
            ok = all(_squash(e) in text for e in item["expected"])
        correct += ok
        modes[answer.mode] = modes.get(answer.mode, 0) + 1
        if first is not None and answer.mode not in ("facts", "not_found"):
            model_first.append(first)
        if not ok and answer.mode in ("facts", "model", "mixed") and not answer.notice and figures_in(answer.answer):
            wrong_unwarned += 1
        got, total = _grounded(answer.answer, answer.citations)
        inside, figures = inside + got, figures + total
        if not ok:
            print(f"WRONG [{model}] {item['question']} -> {answer.answer[:120]!r}", file=sys.stderr)
    stop_local_server()
    return {"dataset": dataset, "model": model, "n": len(items), "accuracy": correct / len(items),
            "in_quote": inside / figures if figures else 1.0, "modes": modes, "wrong_unwarned": wrong_unwarned,
            "model_first_median": statistics.median(model_first) if model_first else float("nan"),
            "ttft_median": statistics.median(first_tokens) if first_tokens else float("nan"),
            "ttft_max": max(first_tokens, default=float("nan")),
            "seconds_median": statistics.median(totals), "seconds_max": max(totals)}


def _commit() -> str:
    import subprocess

    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="qwen2.5-coder-1.5b")
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--limit", type=int, help="only the first N questions of each set")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for model in args.models.split(","):
            for dataset in args.datasets.split(","):
                questions_file, knowledge = DATASETS[dataset]
                rows.append(run(dataset, questions_file, knowledge, model, Path(tmp) / model, args.limit))
                print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr)
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores; {dt.datetime.now().isoformat(timespec='minutes')}; "
          f"commit {_commit()}\n")
    print("| dataset | model | n | accuracy | wrong figure shown without warning | answers: facts / quote / model / not found "
          "| figures inside a cited quote | first answer text s (median / max) | model first token s (median) "
          "| s per answer (median / max) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        m = r["modes"]
        print(f"| {r['dataset']} | {r['model']} | {r['n']} | {r['accuracy']:.2f} | {r['wrong_unwarned']} | "
              f"{m.get('facts', 0)} / {m.get('quote', 0)} / {m.get('model', 0) + m.get('mixed', 0)} / {m.get('not_found', 0)} | "
              f"{r['in_quote']:.2f} | {r['ttft_median']:.1f} / {r['ttft_max']:.1f} | {r['model_first_median']:.1f} | "
              f"{r['seconds_median']:.1f} / {r['seconds_max']:.1f} |")


if __name__ == "__main__":
    main()
