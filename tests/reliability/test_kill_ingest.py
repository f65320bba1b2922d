"""``kill -9`` of ``python -m assistant ingest`` at random points (seeded), five times over a corpus of
30 generated documents, some of them changed between runs. After every kill no document is
half-indexed (each catalog document has exactly its chunk count of chunks, and every committed chunk
has a vector); the keyword and vector sides agree (everything the vector store returns that the
catalog does not own is ignored by the Retriever); the next ingest finishes the job."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


from tests.conftest import REPO
from tests.reliability.conftest import app_env, assert_consistent, write_corpus

SEED = 20251125
RUNS = 5
DOCS = 30
QUERIES = ["2010 年学院在校生多少人", "生师比", "文档编号 DOC017 的第 3 段", "管理办法 任课教师", "2030 年度自评报告"]


def _committed(db: Path) -> tuple[int, str | None]:
    """(catalog generation = commits so far, embedding meta) read without disturbing the writer."""
    if not db.exists():
        return 0, None
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            generation = con.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
            meta = con.execute("SELECT value FROM meta WHERE key = 'embedding'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return 0, None
    return int(generation[0]) if generation else 0, meta[0] if meta else None


def _catalog_half_indexed(db: Path) -> list[str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT d.source, d.chunk_count, COUNT(c.id) FROM documents d LEFT JOIN chunks c ON c.source = d.source "
            "GROUP BY d.source HAVING d.chunk_count != COUNT(c.id)").fetchall()
        orphan_chunks = con.execute(
            "SELECT COUNT(*) FROM chunks WHERE source NOT IN (SELECT source FROM documents WHERE status = 'indexed')"
        ).fetchone()[0]
    finally:
        con.close()
    return [f"{s}: {n} recorded, {m} present" for s, n, m in rows] + ([f"{orphan_chunks} orphan chunks"] if orphan_chunks else [])


def _start(data: Path, knowledge: Path) -> subprocess.Popen:
    env = app_env(data, knowledge, "http://127.0.0.1:9/v1")
    return subprocess.Popen([sys.executable, "-m", "assistant", "ingest", "--json"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kill_at_random_point(process: subprocess.Popen, db: Path, rng: random.Random) -> str:
    """Wait for a random number of further documents to be committed (or a random moment after the
    sync started), then SIGKILL. Returns where it was killed."""
    done, _ = _committed(db)
    target = done + rng.randint(0, 6)
    extra_delay = rng.uniform(0, 0.6)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None:
        count, meta = _committed(db)
        if meta is not None and count >= target:
            break
        time.sleep(0.05)
    time.sleep(extra_delay)
    where = f"commit {_committed(db)[0]} (+{extra_delay:.2f}s)"
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()
    process.stderr.close()
    return where


def _check_after_kill(db: Path) -> None:
    assert not _catalog_half_indexed(db)


def test_kill_minus_9_during_ingest_never_leaves_a_half_indexed_document(tmp_path):
    rng = random.Random(SEED)
    knowledge, data = tmp_path / "knowledge", tmp_path / "data"
    files = write_corpus(knowledge, DOCS, seed=SEED)
    db = data / "index.sqlite3"
    kills: list[str] = []
    killed_codes = []
    for run in range(RUNS):
        if run >= 2:  # change a few documents so kills also land in replacements
            for source in rng.sample(sorted(files), 3):
                path = files[source]
                if path.suffix in (".md", ".txt"):
                    path.write_text(path.read_text(encoding="utf-8") + f"\n第 {run} 次修订：新增内容 {rng.randint(1, 999)} 项。\n",
                                    encoding="utf-8")
        process = _start(data, knowledge)
        kills.append(_kill_at_random_point(process, db, rng))
        killed_codes.append(process.returncode)
        if db.exists():
            _check_after_kill(db)

    # The vector store may hold orphans now; the catalog never lists a chunk without its vector.
    from assistant.index.sync import Indexer
    from assistant.retrieval import Retriever
    from assistant.settings import Settings

    settings = Settings(knowledge_dir=knowledge, data_dir=data)
    indexer = Indexer(settings)
    try:
        committed, vector_ids = indexer.catalog.chunk_ids(), indexer.vectors.ids()
        assert committed <= vector_ids, f"committed chunks without vectors after kills at {kills}"
        retriever = Retriever(settings, indexer.catalog, indexer.vectors)
        for query in QUERIES:  # only committed chunks come back, whatever the vector store holds
            assert {r.chunk.id for r in retriever.search(query, k=10)} <= committed

        # The next ingest finishes the job (same code as the CLI, in this process to save a start-up).
        report = indexer.sync()
        assert not report.failed, report.failed
        documents = indexer.catalog.documents()
        assert sorted(d.source for d in documents if d.status == "indexed") == sorted(files), kills
        assert_consistent(indexer)  # counts match and catalog ids == Chroma ids
        retriever = Retriever(settings, indexer.catalog, indexer.vectors)
        known = indexer.catalog.chunk_ids()
        for query in QUERIES:
            results = retriever.search(query, k=10)
            assert results and {r.chunk.id for r in results} <= known
            assert {cid for cid, _ in indexer.vectors.search(query, k=50)} <= known
        # every changed document holds its latest text only
        for source, path in files.items():
            if path.suffix in (".md", ".txt"):
                latest = path.read_text(encoding="utf-8")
                if "次修订" in latest:
                    last = latest.strip().splitlines()[-1]
                    text = "".join(c.text for c in indexer.catalog.chunks([source]))
                    assert last.replace(" ", "") in text.replace(" ", ""), source
    finally:
        indexer.close()
    assert all(code == -signal.SIGKILL or code == 0 for code in killed_codes)
    print("kill points:", kills)
