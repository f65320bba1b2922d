"""Bring the index in line with the knowledge folder: add new files, replace changed ones, drop
deleted ones, skip unchanged ones (content hash). Each document is committed atomically (see
``catalog``); a run killed at any point leaves the previous consistent state, finished next time."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.index.catalog import Catalog
from assistant.index.embeddings import embedding_key, get_embeddings
from assistant.index.keyword import sentence_windows, table_leads
from assistant.index.vector_store import VectorStore
from assistant.ingest import SUPPORTED_SUFFIXES, document_chunks, load_document
from assistant.ingest.ocr import OcrOptions, ocr_options
from assistant.ingest.ocr import shutdown as ocr_shutdown
from assistant.settings import Settings
from assistant.types import LoadError

log = logging.getLogger(__name__)

VECTOR_LAYOUT = "chunk+windows+table-leads+table-headers"
"""What the vector store holds per chunk: its own vector and one per sentence window (a window of table
rows with the table's header row), a table's embedded after the sentence introducing it
(:func:`vector_heads`) (catalog meta ``vector_layout``). An index written before windows, table
lead-ins or table headers in windows existed gains them from the committed chunk texts
(:meth:`Indexer._add_missing_windows`), without loading any document again."""

Progress = Callable[[str, int, int], None]
"""Called as progress(file, files_done, files_total) before each file and once at the end."""
PageProgress = Callable[[str, int, int], None]
"""Called as page_progress(file, page, pages) after each page of a PDF (OCR makes pages slow)."""


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)  # indexed, but parts left out (OCR timeouts)
    chunks: int = 0
    seconds: float = 0.0

    def as_json(self) -> dict:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged, "removed": self.removed,
                "failed": [{"source": s, "reason": r} for s, r in self.failed.items()],
                "warnings": [{"source": s, "reasons": r} for s, r in self.warnings.items()],
                "chunks_indexed": self.chunks, "seconds": round(self.seconds, 3)}


def chunk_windows(text: str) -> list[str]:
    """The sentence windows of a chunk that get a vector of their own: the keyword index's windows
    (two sentences, a list item with the sentence introducing the list), none when the chunk is one
    window (its own vector is that window's)."""
    windows = sentence_windows(text)
    return [] if windows == [text] else windows


def vector_heads(chunks: list) -> list[str]:
    """What each chunk's vectors (its own and its windows') are embedded after: its section path, and
    for a table the sentence introducing it (:func:`assistant.index.keyword.table_lead`). Chunks of one
    document, in order."""
    return [f"{c.section}\n{lead}" if lead else c.section for c, lead in zip(chunks, table_leads(chunks))]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def knowledge_files(root: Path) -> dict[str, Path]:
    """Every visible file under the knowledge folder by its relative POSIX path (README.md at the top
    level describes the folder and is not a document)."""
    if not root.is_dir():
        return {}
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts) and rel.as_posix() != "README.md":
            found[rel.as_posix()] = path
    return found


class Indexer:
    """Owns the catalog and the vector store of one configuration."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalog = Catalog(settings.index_db)
        self.vectors = VectorStore(settings)

    def close(self) -> None:
        self.catalog.close()

    def sync(self, *, rebuild: bool = False, progress: Progress | None = None,
             page_progress: PageProgress | None = None) -> SyncReport:
        started = time.perf_counter()
        report = SyncReport()
        key = embedding_key(self.settings)
        if rebuild or self.catalog.get_meta("embedding") not in (None, key):
            log.info("rebuilding the index (%s)", "requested" if rebuild else "embedding model changed")
            self.catalog.clear()
            self.vectors.reset()
        self.catalog.set_meta("embedding", key)
        stale = self._reconcile()
        self._add_missing_windows(stale)

        files = knowledge_files(self.settings.knowledge_dir)
        known = {d.source: d for d in self.catalog.documents()}
        for source in sorted(set(known) - set(files)):
            self.remove(source)
            report.removed.append(source)

        for done, (source, path) in enumerate(files.items()):
            if progress:
                progress(source, done, len(files))
            sha = _sha256(path)
            record = known.get(source)
            if record and record.sha256 == sha and source not in stale:
                if record.status == "failed":
                    report.failed[source] = record.error or ""
                else:
                    report.unchanged.append(source)
                continue
            try:
                count, warnings = self._index_file(source, path, sha, page_progress)
            except LoadError as exc:
                reason = str(exc)
                log.warning("%s: %s", source, reason)
                self.catalog.record_failure(source, sha, path.stat().st_size, reason)
                report.failed[source] = reason
                continue
            report.chunks += count
            if warnings:
                report.warnings[source] = warnings
            (report.updated if record and record.status == "indexed" else report.added).append(source)
        if progress:
            progress("", len(files), len(files))
        ocr_shutdown()  # the OCR worker holds ~330 MB (models, arena); ingests are rare, a restart costs a few seconds
        report.seconds = time.perf_counter() - started
        return report

    def _index_file(self, source: str, path: Path, sha: str,
                    page_progress: PageProgress | None = None) -> tuple[int, list[str]]:
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise LoadError(f"不支持的文件类型 {path.suffix or '(无扩展名)'} (unsupported file type); "
                            f"支持 {', '.join(sorted(SUPPORTED_SUFFIXES))}")
        s = self.settings
        pages = (lambda page, total: page_progress(source, page, total)) if page_progress else None
        options = OcrOptions(page_timeout=s.ocr_page_timeout, dpi=s.ocr_dpi, threads=s.ocr_threads, progress=pages)
        with ocr_options(options):
            document = load_document(path)
        chunks, doc_type, year, title = document_chunks(document, source, s)
        if not chunks:
            raise LoadError("文件中没有可索引的文字 (no indexable text)")
        prefix = hashlib.sha1(f"{source}\0{sha}".encode()).hexdigest()[:16]
        for chunk in chunks:
            chunk.id = f"{prefix}-{chunk.ordinal}"
        old_ids = {c.id for c in self.catalog.chunks([source])}
        windows = [(i, window) for i, c in enumerate(chunks) for window in chunk_windows(c.text)]
        heads = vector_heads(chunks)
        vectors = get_embeddings(s).embed_documents([f"{h}\n{c.text}" for h, c in zip(heads, chunks)]
                                                    + [f"{heads[i]}\n{w}" for i, w in windows])
        self.vectors.add(chunks, vectors[:len(chunks)],
                         [(i, w, v) for (i, w), v in zip(windows, vectors[len(chunks):])])
        self.catalog.commit_document(source, sha, path.stat().st_size, doc_type, year, title, chunks,
                                     "；".join(document.warnings) or None)
        self.vectors.delete(sorted(old_ids - {c.id for c in chunks}))
        return len(chunks), document.warnings

    def _reconcile(self) -> set[str]:
        """Drop vectors no committed chunk owns (window vectors included); return sources whose
        committed chunks lack their vector."""
        owners, committed = self.vectors.ids(), self.catalog.chunk_ids()
        orphans = sorted(owners - committed)
        if orphans:
            log.info("removing the vectors of %d orphaned chunks from an interrupted run", len(orphans))
            self.vectors.delete(orphans)
        missing = committed - self.vectors.chunk_ids()
        return {c.source for c in self.catalog.chunks() if c.id in missing}

    def _add_missing_windows(self, stale: set[str]) -> None:
        """An index written before chunks had window vectors, or before tables were embedded after
        their lead-in sentence, gets them, document by document, from the committed chunk texts: every
        window, and the own vector of each table with a lead-in (the layout is recorded once all are
        written: a killed run starts again, upserts are idempotent). Documents about to be re-indexed
        are left out."""
        if self.catalog.get_meta("vector_layout") == VECTOR_LAYOUT:
            return
        chunks = [c for c in self.catalog.chunks() if c.source not in stale]
        if chunks:
            log.info("adding sentence-window vectors to %d indexed chunks", len(chunks))
        embeddings = get_embeddings(self.settings)
        for source in sorted({c.source for c in chunks}):
            part = [c for c in chunks if c.source == source]
            windows = [(i, window) for i, c in enumerate(part) for window in chunk_windows(c.text)]
            heads = vector_heads(part)
            if windows:
                vectors = embeddings.embed_documents([f"{heads[i]}\n{w}" for i, w in windows])
                self.vectors.add_windows(part, [(i, w, v) for (i, w), v in zip(windows, vectors)])
            led = [(c, head) for c, head in zip(part, heads) if head != c.section]
            if led:
                self.vectors.add([c for c, _ in led], embeddings.embed_documents([f"{h}\n{c.text}" for c, h in led]))
        self.catalog.set_meta("vector_layout", VECTOR_LAYOUT)

    def remove(self, source: str) -> None:
        """Forget one document (catalog first, so it is never half-visible)."""
        ids = [c.id for c in self.catalog.chunks([source])]
        self.catalog.remove_document(source)
        self.vectors.delete(ids)
