"""Disk full in the data folder. With root, the data folder is a small tmpfs filled to the brim (a real
ENOSPC from SQLite and Chroma); without, ``OSError(ENOSPC)`` is injected in the catalog and vector
write paths. Either way the ingest fails with an error that says the disk is full, nothing is
corrupted, and once space returns the previous documents are still searchable and the next ingest
finishes."""

from __future__ import annotations

import errno
import os
import subprocess

import sys

import pytest

from tests.conftest import REPO
from tests.reliability.conftest import app_env, assert_consistent, index_state, small_corpus

NEW_DOC = "# 2023 年度自评报告\n\n" + "\n\n".join(
    f"## {i}、第 {i} 部分\n\n2023 年第 {i} 项工作：学院完成各项任务 {i * 7} 项，覆盖学生 {i * 113} 人。" * 3
    for i in range(1, 40))
DISK_FULL_WORDS = ("disk is full", "No space left", "ENOSPC", "磁盘", "database or disk is full")


def _mount_tmpfs(path, size: str) -> bool:
    if os.geteuid() != 0:
        return False
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    return result.returncode == 0


def _fill(path) -> int:
    """Write until ENOSPC; return bytes written."""
    written = 0
    block = b"\0" * (64 * 1024)
    with open(path / "filler.bin", "wb") as fh:
        try:
            while True:
                fh.write(block)
                fh.flush()
                written += len(block)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    for n in range(10_000):  # and the crumbs
        try:
            with open(path / f"crumb{n}", "wb") as fh:
                fh.write(b"\0" * 512)
        except OSError:
            break
    return written


def _free(path) -> None:
    for p in path.glob("filler.bin"):
        p.unlink()
    for p in path.glob("crumb*"):
        p.unlink()


def test_a_full_data_disk_fails_clearly_and_loses_nothing(tmp_path):
    from assistant.index.sync import Indexer
    from assistant.retrieval import Retriever
    from assistant.settings import Settings

    data = tmp_path / "data"
    data.mkdir()
    if not _mount_tmpfs(data, "24m"):
        pytest.skip("cannot mount a tmpfs here (not root); the ENOSPC injection tests below cover this")
    try:
        knowledge = small_corpus(tmp_path / "knowledge")
        settings = Settings(knowledge_dir=knowledge, data_dir=data)
        indexer = Indexer(settings)
        assert len(indexer.sync().added) == 3
        before = index_state(indexer)
        question_hits = {r.chunk.id for r in Retriever(settings, indexer.catalog, indexer.vectors).search("生师比", k=3)}

        _fill(data)
        (knowledge / "reports" / "2023_report.md").write_text(NEW_DOC, encoding="utf-8")
        with pytest.raises(Exception) as info:
            indexer.sync()
        message = f"{type(info.value).__name__}: {info.value}"
        print("disk full error:", message)
        assert any(w in message for w in DISK_FULL_WORDS), message
        # The CLI says so in one line (exit code 4), no traceback.
        env = app_env(data, knowledge, "http://127.0.0.1:9/v1")
        cli = subprocess.run([sys.executable, "-m", "assistant", "ingest"], cwd=REPO, env=env, capture_output=True,
                             text=True, timeout=180)
        assert cli.returncode == 4 and "data folder unusable" in cli.stderr and "disk is full" in cli.stderr
        assert "Traceback" not in cli.stderr, cli.stderr[-1500:]
        # Reads still work while the disk is full: nothing of the old index is lost.
        retriever = Retriever(settings, indexer.catalog, indexer.vectors)
        assert {r.chunk.id for r in retriever.search("生师比", k=3)} == question_hits
        assert indexer.catalog.chunk_ids() == before.chunk_ids
        indexer.close()

        _free(data)  # space returns; a fresh process opens the same files
        indexer = Indexer(settings)
        assert before.chunk_ids <= indexer.catalog.chunk_ids()
        retriever = Retriever(settings, indexer.catalog, indexer.vectors)
        assert {r.chunk.id for r in retriever.search("生师比", k=3)} == question_hits
        report = indexer.sync()
        assert report.added == ["reports/2023_report.md"] and not report.failed
        assert_consistent(indexer)
        assert {d: v for d, v in index_state(indexer).indexed.items() if d in before.indexed} == before.indexed
        integrity = indexer.catalog._db.execute("PRAGMA integrity_check").fetchone()[0]
        assert integrity == "ok"
        indexer.close()
    finally:
        subprocess.run(["umount", "-l", str(data)], check=False)


@pytest.mark.parametrize("where", ["catalog", "vectors"])
def test_enospc_in_a_write_path_keeps_the_index(baseline, monkeypatch, where):
    from assistant.index.catalog import Catalog
    from assistant.index.vector_store import VectorStore

    indexer, knowledge = baseline
    before = index_state(indexer)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    path = knowledge / "reports" / "2023_report.md"
    path.write_text(NEW_DOC[:2000], encoding="utf-8")
    try:
        with monkeypatch.context() as m:
            m.setattr(Catalog if where == "catalog" else VectorStore,
                      "commit_document" if where == "catalog" else "add", full)
            with pytest.raises(OSError) as info:
                indexer.sync()
            assert info.value.errno == errno.ENOSPC and "No space left" in str(info.value)
        assert indexer.catalog.chunk_ids() == before.chunk_ids
        assert indexer.catalog.document("reports/2023_report.md") is None
        report = indexer.sync()  # space is back
        assert report.added == ["reports/2023_report.md"]
        assert_consistent(indexer)
    finally:
        path.unlink()
        indexer.sync()
    assert index_state(indexer) == before


def test_chroma_disk_full_becomes_enospc_naming_the_folder(baseline, monkeypatch):
    """Embedded Chroma reports a full disk as ``InternalError``; it surfaces as OSError(ENOSPC)."""
    from chromadb.errors import InternalError

    indexer, knowledge = baseline
    before = index_state(indexer)

    def full(*args, **kwargs):
        raise InternalError("error returned from database: (code: 13) database or disk is full")

    path = knowledge / "reports" / "2023_report.md"
    path.write_text(NEW_DOC[:2000], encoding="utf-8")
    try:
        with monkeypatch.context() as m:
            m.setattr(indexer.vectors.collection, "upsert", full)
            with pytest.raises(OSError) as info:
                indexer.sync()
        assert info.value.errno == errno.ENOSPC and str(indexer.settings.chroma_dir) in str(info.value)
        assert indexer.catalog.chunk_ids() == before.chunk_ids
    finally:
        path.unlink()
        indexer.sync()
    assert index_state(indexer) == before
