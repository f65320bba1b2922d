"""Chroma, embedded (``PersistentClient`` under the data folder) or a server (``HttpClient``), behind
LangChain's ``Chroma`` vector store. The collection is created with our registered embedding function
and cosine space, so it can be reopened by any process without Chroma's default model."""

from __future__ import annotations

import logging

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma

from assistant.index.embeddings import AssistantEmbeddingFunction, embedding_key, get_embeddings
from assistant.settings import Settings
from assistant.types import Chunk

log = logging.getLogger(__name__)


class VectorStoreUnavailable(RuntimeError):
    """The Chroma server cannot be reached; the message names the address."""


def _client(settings: Settings) -> chromadb.ClientAPI:
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        except Exception as exc:  # chromadb raises ValueError/ConnectionError variants
            raise VectorStoreUnavailable(
                f"无法连接 Chroma 服务器 {settings.chroma_host}:{settings.chroma_port}（{exc}）") from exc
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def collection_name(settings: Settings) -> str:
    """One collection per embedding space (Chroma needs 3–512 chars of [a-zA-Z0-9._-])."""
    key = "".join(ch if ch.isalnum() else "-" for ch in embedding_key(settings))
    return f"{settings.collection}-{key}"[:60]


class VectorStore:
    """Chunk vectors keyed by chunk id, with the chunk's citation metadata."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = _client(settings)
        name = collection_name(settings)
        ef = None if settings.embedding == "openai" else AssistantEmbeddingFunction(
            settings.embedding, settings.local_threads)
        self.collection = self.client.get_or_create_collection(
            name, embedding_function=ef, configuration={"hnsw": {"space": "cosine"}})
        self.store = Chroma(client=self.client, collection_name=name, embedding_function=get_embeddings(settings))

    @property
    def location(self) -> str:
        s = self.settings
        return f"chroma server {s.chroma_host}:{s.chroma_port}" if s.chroma_host else f"embedded {s.chroma_dir}"

    def add(self, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        if chunks:
            self.collection.upsert(ids=[c.id for c in chunks], embeddings=vectors,
                                   documents=[c.text for c in chunks], metadatas=[c.metadata() for c in chunks])

    def delete(self, ids: list[str]) -> None:
        for i in range(0, len(ids), 500):
            self.collection.delete(ids=ids[i:i + 500])

    def ids(self) -> set[str]:
        return set(self.collection.get(include=[])["ids"])

    def count(self) -> int:
        return self.collection.count()

    def search(self, query: str, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the k nearest chunks."""
        hits = self.store.similarity_search_with_score(query, k=k, filter=where or None)
        return [(doc.id, 1.0 - distance) for doc, distance in hits if doc.id]

    def reset(self) -> None:
        name = collection_name(self.settings)
        self.client.delete_collection(name)
        self.__init__(self.settings)
