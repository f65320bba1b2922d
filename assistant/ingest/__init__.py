"""Ingestion: load files into blocks, describe them, and chunk them for the index."""

from assistant.ingest.chunking import chunk_document
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_document
from assistant.ingest.metadata import describe

__all__ = ["SUPPORTED_SUFFIXES", "chunk_document", "describe", "load_document"]
