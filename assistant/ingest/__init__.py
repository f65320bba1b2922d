"""Ingestion: load files into blocks, describe them, and chunk them for the index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.ingest.chunking import chunk_document
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_document
from assistant.ingest.metadata import describe

if TYPE_CHECKING:
    from assistant.settings import Settings
    from assistant.types import Chunk, ParsedDocument

__all__ = ["SUPPORTED_SUFFIXES", "chunk_document", "describe", "document_chunks", "load_document"]


def document_chunks(document: ParsedDocument, source: str, settings: Settings) -> tuple[list[Chunk], str, int | None, str]:
    """A parsed document as the index holds it: (chunks, document type, year, title), typed and dated by
    :func:`describe`, chunked with the settings' token budget. Chunk ids are the caller's (the indexer
    derives them from the file's hash)."""
    doc_type, year, title = describe(source, document)
    chunks = chunk_document(document, source=source, doc_type=doc_type, year=year, max_tokens=settings.chunk_tokens,
                            overlap_tokens=settings.chunk_overlap_tokens, tokenizer=settings.tokenizer)
    return chunks, doc_type, year, title
