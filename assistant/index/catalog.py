"""The catalog: SQLite record of every known file and of the chunks that are committed to the index.

It is the source of truth for what is indexed. A document's chunks become visible in one SQLite
transaction (the commit point); vectors in Chroma that the catalog does not list are orphans from an
interrupted run and are ignored by retrieval and removed by the next ingest.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.index import ledger
from assistant.types import Chunk

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    source TEXT PRIMARY KEY,
    sha256 TEXT,
    size INTEGER,
    doc_type TEXT,
    year INTEGER,
    title TEXT,
    status TEXT NOT NULL,          -- 'indexed' or 'failed'
    error TEXT,                    -- reason of the last failure, also when an older version stays indexed
    chunk_count INTEGER NOT NULL DEFAULT 0,
    updated_at REAL NOT NULL,
    warnings TEXT                  -- parts of an indexed document that were left out (a page whose OCR timed out)
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL,
    section TEXT NOT NULL,
    year INTEGER,
    doc_type TEXT NOT NULL,
    page INTEGER,
    ocr_confidence REAL            -- mean OCR box score of the text; NULL when the file held the text
);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);
CREATE TABLE IF NOT EXISTS facts (
    chunk_id TEXT NOT NULL,
    source TEXT NOT NULL,
    position INTEGER NOT NULL,
    metric TEXT NOT NULL,
    year INTEGER,
    data TEXT NOT NULL              -- the Fact as JSON (assistant.figures.facts.Fact.to_json)
);
CREATE INDEX IF NOT EXISTS facts_chunk ON facts(chunk_id);
CREATE INDEX IF NOT EXISTS facts_metric ON facts(metric);
"""

_MIGRATIONS = (  # columns added after the first release: (table, column, declaration)
    ("chunks", "ocr_confidence", "REAL"),
    ("documents", "warnings", "TEXT"),
)


@dataclass
class DocumentRecord:
    source: str
    sha256: str | None
    size: int | None
    doc_type: str | None
    year: int | None
    title: str | None
    status: str
    error: str | None
    chunk_count: int
    updated_at: float
    warnings: str | None = None


class Catalog:
    """Thin wrapper over the SQLite catalog file (WAL mode, safe for one writer and many readers)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._migrate()
        if self.get_meta("ledger") != ledger.LEDGER_VERSION:
            self.rebuild_ledger()

    def _migrate(self) -> None:
        """Add the columns a catalog written by an older version lacks (their values start as NULL)."""
        for table, column, declaration in _MIGRATIONS:
            present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._bump_generation()
        self._db.execute("COMMIT")

    def _bump_generation(self) -> None:
        self._db.execute(
            "INSERT INTO meta(key, value) VALUES('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")

    # --- meta -----------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", (key, value))

    def generation(self) -> int:
        """Changes whenever the set of committed chunks changes; readers use it to refresh caches."""
        return int(self.get_meta("generation") or 0)

    # --- documents --------------------------------------------------------------------------------
    _DOCUMENT_COLUMNS = "source, sha256, size, doc_type, year, title, status, error, chunk_count, updated_at, warnings"

    def documents(self) -> list[DocumentRecord]:
        rows = self._db.execute(f"SELECT {self._DOCUMENT_COLUMNS} FROM documents ORDER BY source").fetchall()
        return [DocumentRecord(*row) for row in rows]

    def document(self, source: str) -> DocumentRecord | None:
        row = self._db.execute(f"SELECT {self._DOCUMENT_COLUMNS} FROM documents WHERE source = ?", (source,)).fetchone()
        return DocumentRecord(*row) if row else None

    def commit_document(self, source: str, sha256: str, size: int, doc_type: str, year: int | None,
                        title: str, chunks: list[Chunk], warnings: str | None = None) -> None:
        """Atomically replace the document's chunks: after this returns, the new version is indexed."""
        facts = ledger.rows(chunks)
        with self.transaction() as db:
            db.execute("DELETE FROM chunks WHERE source = ?", (source,))
            db.execute("DELETE FROM facts WHERE source = ?", (source,))
            db.executemany(
                "INSERT INTO chunks(id, source, ordinal, text, section, year, doc_type, page, ocr_confidence) "
                "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(c.id, source, c.ordinal, c.text, c.section, c.year, c.doc_type, c.page, c.ocr_confidence)
                 for c in chunks])
            db.executemany("INSERT INTO facts(chunk_id, source, position, metric, year, data) VALUES(?, ?, ?, ?, ?, ?)",
                           facts)
            db.execute(
                "INSERT OR REPLACE INTO documents(source, sha256, size, doc_type, year, title, status, error, "
                "chunk_count, updated_at, warnings) VALUES(?, ?, ?, ?, ?, ?, 'indexed', NULL, ?, ?, ?)",
                (source, sha256, size, doc_type, year, title, len(chunks), time.time(), warnings))

    def record_failure(self, source: str, sha256: str | None, size: int | None, error: str) -> None:
        """Remember why a file failed. An older indexed version of it stays indexed (nothing is lost)."""
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM documents WHERE source = ? AND status = 'indexed'", (source,)).fetchone():
                db.execute("UPDATE documents SET error = ?, updated_at = ? WHERE source = ?",
                           (error, time.time(), source))
            else:
                db.execute(
                    "INSERT OR REPLACE INTO documents(source, sha256, size, status, error, chunk_count, updated_at) "
                    "VALUES(?, ?, ?, 'failed', ?, 0, ?)", (source, sha256, size, error, time.time()))

    def remove_document(self, source: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM chunks WHERE source = ?", (source,))
            db.execute("DELETE FROM facts WHERE source = ?", (source,))
            db.execute("DELETE FROM documents WHERE source = ?", (source,))

    def clear(self) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM chunks")
            db.execute("DELETE FROM facts")
            db.execute("DELETE FROM documents")

    # --- chunks -----------------------------------------------------------------------------------
    def chunks(self, sources: Iterable[str] | None = None) -> list[Chunk]:
        query = "SELECT id, source, ordinal, text, section, year, doc_type, page, ocr_confidence FROM chunks"
        params: list[str] = []
        if sources is not None:
            params = list(sources)
            query += f" WHERE source IN ({','.join('?' * len(params))})"
        rows = self._db.execute(query + " ORDER BY source, ordinal", params).fetchall()
        return [Chunk(id=r[0], source=r[1], ordinal=r[2], text=r[3], section=r[4], year=r[5], doc_type=r[6],
                      page=r[7], ocr_confidence=r[8]) for r in rows]

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT id FROM chunks")}

    # --- figure ledger ----------------------------------------------------------------------------
    def facts(self, chunk_ids: Iterable[str] | None = None, *, metric: str | None = None) -> list[ledger.Fact]:
        """Facts of the committed chunks (optionally of some chunks, or of one metric), in chunk order."""
        query, params = "SELECT f.data FROM facts f JOIN chunks c ON c.id = f.chunk_id", []
        where = []
        if chunk_ids is not None:
            params += list(chunk_ids)
            where.append(f"f.chunk_id IN ({','.join('?' * len(params))})")
        if metric is not None:
            where.append("f.metric = ?")
            params.append(metric)
        if where:
            query += " WHERE " + " AND ".join(where)
        rows = self._db.execute(query + " ORDER BY c.source, c.ordinal, f.position", params).fetchall()
        return [ledger.from_row(r[0]) for r in rows]

    def rebuild_ledger(self) -> None:
        """Recompute every fact from the stored chunks (after the fact extraction changed)."""
        facts = ledger.rows(self.chunks())
        with self.transaction() as db:
            db.execute("DELETE FROM facts")
            db.executemany("INSERT INTO facts(chunk_id, source, position, metric, year, data) VALUES(?, ?, ?, ?, ?, ?)",
                           facts)
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES('ledger', ?)", (ledger.LEDGER_VERSION,))
