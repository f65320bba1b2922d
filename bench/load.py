"""Load and soak benchmark of the web app: concurrent chat sessions through ``gradio_client`` (each its
own client and session, a few questions each) against the running app (a subprocess, provider
``compatible`` → the recorded-response server on loopback), plus a concurrent ingest triggered by an
admin through the app; then optionally a soak (sessions in a loop) while the app's memory is sampled.

    .venv/bin/python bench/load.py [--sessions 20] [--rounds 3] [--soak 600]

Prints a Markdown table: sessions, requests, p50/p95 latency, errors, incomplete answers, peak RSS.
``tests/reliability/test_load.py`` runs a short version (5 sessions).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.support.app_process import proc_memory  # noqa: E402
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

# (question, a figure the complete answer must contain)
QUESTIONS = [
    ("2022年的生师比是多少？", "11.21"),
    ("2021年的生师比是多少？", "10.90"),
    ("2022年学院的生师比是多少？请给出来源。", "11.21"),
]
CLIENT_TIMEOUT = 60.0  # seconds; gradio_client's default read timeout is too short for a cold app under load
NEW_DOCUMENT = "# 2018 年度自评报告\n\n## 一、办学基本情况\n\n2018 年，学院在校生 1888 人，任课教师 88 人。\n"


@dataclass
class LoadResult:
    sessions: int = 0
    requests: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    ingest: str = ""
    ingest_seconds: float = 0.0
    rss_samples: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, kB)
    peak_rss_kb: int = 0
    seconds: float = 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p95(self) -> float:
        return self.percentile(0.95)

    def rss_growth_kb(self) -> int:
        """RSS at the end minus RSS after the first quarter of the run (warm-up excluded)."""
        if len(self.rss_samples) < 4:
            return 0
        warm = self.rss_samples[len(self.rss_samples) // 4][1]
        return self.rss_samples[-1][1] - warm


def _session(url: str, user: tuple[str, str], rounds: int, offset: int, result: LoadResult, lock: threading.Lock,
             until: float = 0.0) -> None:
    """One user: one client (one Gradio session) asking ``rounds`` questions, again and again until
    ``until`` (perf_counter time) for a soak."""
    from gradio_client import Client

    try:
        client = Client(url, auth=user, verbose=False, download_files=False, httpx_kwargs={"timeout": CLIENT_TIMEOUT})
    except Exception as exc:  # noqa: BLE001 - every failure is counted, none may happen
        with lock:
            result.errors.append(f"connect: {type(exc).__name__}: {exc}")
        return
    i = 0
    while i < rounds or time.perf_counter() < until:
        question, figure = QUESTIONS[(offset + i) % len(QUESTIONS)]
        i += 1
        started = time.perf_counter()
        try:
            answer = client.predict(question, None, None, api_name="/ask")
        except Exception as exc:  # noqa: BLE001
            with lock:
                result.errors.append(f"{question}: {type(exc).__name__}: {exc}")
            continue
        elapsed = time.perf_counter() - started
        with lock:
            result.requests += 1
            result.latencies.append(elapsed)
            if not isinstance(answer, dict) or answer.get("error"):
                result.errors.append(f"{question}: {answer!r}"[:300])
            elif figure not in answer.get("answer", "") or answer.get("not_found") or not answer.get("citations"):
                result.incomplete.append(f"{question}: {answer.get('answer')!r}"[:300])


def _ingest(url: str, admin: tuple[str, str], knowledge: Path, result: LoadResult, delay: float) -> None:
    """An admin adds a document and runs the knowledge page's sync (the UI handler, over the queue)."""
    from tests.reliability.conftest import call_fn, fn_index, login_session

    time.sleep(delay)
    name = f"reports/2018_load_{uuid.uuid4().hex[:6]}.md"
    (knowledge / name).write_text(NEW_DOCUMENT, encoding="utf-8")
    client = login_session(url, admin)
    started = time.perf_counter()
    try:
        config = client.get("/config").json()
        message = call_fn(client, fn_index(config, "sync_all"), [None], uuid.uuid4().hex, timeout=300)
        output = message.get("output", {})
        ok = message.get("success") and "新增 1" in str(output.get("data", [""])[0])
        result.ingest = f"{name}: {'ok' if ok else 'FAILED ' + str(message)[:300]}"
        if not ok:
            result.errors.append(f"ingest: {str(message)[:300]}")
    finally:
        result.ingest_seconds = time.perf_counter() - started
        client.close()


def run_load(url: str, pid: int, user: tuple[str, str], *, sessions: int, rounds: int,
             admin: tuple[str, str] | None = None, knowledge: Path | None = None, soak_seconds: float = 0.0,
             sample_every: float = 0.5) -> LoadResult:
    """``sessions`` concurrent sessions (one gradio_client each) of ``rounds`` questions (going on until
    ``soak_seconds`` have passed, if given), a concurrent ingest when ``admin`` and ``knowledge`` are
    given; the app's RSS is sampled throughout."""
    result = LoadResult(sessions=sessions)
    lock = threading.Lock()
    done = threading.Event()
    started = time.perf_counter()

    def sample() -> None:
        while not done.is_set():
            try:
                result.rss_samples.append((time.perf_counter() - started, proc_memory(pid)[0]))
            except OSError:
                break
            done.wait(sample_every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    ingest = None
    if admin and knowledge:
        ingest = threading.Thread(target=_ingest, args=(url, admin, knowledge, result, 1.0), daemon=True)
        ingest.start()
    until = started + soak_seconds if soak_seconds else 0.0
    threads = [threading.Thread(target=_session, args=(url, user, rounds, n, result, lock, until), daemon=True)
               for n in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=soak_seconds + 900)
    if ingest is not None:
        ingest.join(timeout=600)
    done.set()
    sampler.join(timeout=5)
    result.seconds = time.perf_counter() - started
    result.peak_rss_kb = proc_memory(pid)[1]
    return result


def table(rows: list[tuple[str, LoadResult]]) -> str:
    lines = ["| run | sessions | requests | p50 s | p95 s | errors | incomplete | concurrent ingest | peak RSS MB | RSS growth after warm-up MB | duration s |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in rows:
        lines.append(f"| {name} | {r.sessions} | {r.requests} | {r.p50:.2f} | {r.p95:.2f} | {len(r.errors)} | "
                     f"{len(r.incomplete)} | {'ok' if r.ingest.endswith('ok') else (r.ingest or '—')} "
                     f"({r.ingest_seconds:.1f} s) | {r.peak_rss_kb / 1024:.0f} | {r.rss_growth_kb() / 1024:+.0f} | "
                     f"{r.seconds:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="questions per session")
    parser.add_argument("--soak", type=float, default=600, help="soak seconds (0 = no soak)")
    parser.add_argument("--cold", action="store_true", help="also a first run against the cold app (no warm-up)")
    args = parser.parse_args(argv)

    from assistant.users import add_user
    from tests.conftest import SAMPLE_KNOWLEDGE
    from tests.reliability.conftest import ADMIN, CASSETTE, STAFF, ingest_cli, start_reliability_app
    from tests.support.app_process import stop_app
    from tests.support.recorded_server import serve

    root = Path(tempfile.mkdtemp(prefix="load-bench-"))
    knowledge, data = root / "knowledge", root / "data"
    shutil.copytree(SAMPLE_KNOWLEDGE, knowledge)
    rows = []
    with serve(CASSETTE, root / "requests.jsonl") as recorded:
        result = ingest_cli(data, knowledge, recorded.base_url)
        if result.returncode:
            print(result.stderr, file=sys.stderr)
            return 1
        add_user(data / "users.json", *ADMIN, admin=True)
        add_user(data / "users.json", *STAFF)
        app = start_reliability_app(data, knowledge, recorded.base_url, root / "app.log", verbose=False)
        try:
            if args.cold:
                rows.append(("cold start: " + f"{args.sessions} sessions × {args.rounds} + ingest, no warm-up",
                             run_load(app.url, app.process.pid, STAFF, sessions=args.sessions, rounds=args.rounds,
                                      admin=ADMIN, knowledge=knowledge)))
            else:
                run_load(app.url, app.process.pid, STAFF, sessions=1, rounds=1)  # warm-up: loads the embedding model
            load = run_load(app.url, app.process.pid, STAFF, sessions=args.sessions, rounds=args.rounds,
                            admin=ADMIN, knowledge=knowledge)
            rows.append((f"load ({args.sessions} sessions × {args.rounds} questions + ingest)", load))
            if args.soak:
                soak = run_load(app.url, app.process.pid, STAFF, sessions=args.sessions, rounds=args.rounds,
                                soak_seconds=args.soak, sample_every=5.0)
                rows.append((f"soak ({args.soak:.0f} s)", soak))
        finally:
            stop_app(app)
    print(table(rows))
    for name, r in rows:
        for line in (r.errors + r.incomplete)[:10]:
            print(f"- {name}: {line}")
        if r.rss_samples:
            marks = [r.rss_samples[int(i * (len(r.rss_samples) - 1) / 4)] for i in range(5)]
            print(f"- {name}: RSS over time " + ", ".join(f"{t:.0f}s {kb / 1024:.0f} MB" for t, kb in marks))
    shutil.rmtree(root, ignore_errors=True)
    return 0 if all(not r.errors and not r.incomplete for _, r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
