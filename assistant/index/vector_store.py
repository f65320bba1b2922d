"""Chroma, embedded (``PersistentClient`` under the data folder) or a server (``HttpClient``), behind
LangChain's ``Chroma`` vector store. The collection is created with our registered embedding function
and cosine space, so it can be reopened by any process without Chroma's default model.

A chunk has one vector of its whole text (id = the chunk id) and one per sentence window of it
(:func:`window_id`: ``<chunk id>#w<n>``, metadata ``owner`` = the chunk id): a question about one
sentence of a long chunk matches that sentence's vector, not only the whole-chunk blend. Windows are
owned by their chunk: :meth:`VectorStore.ids` lists owners, :meth:`VectorStore.delete` removes a
chunk's windows with it, :meth:`VectorStore.search` scores a chunk by its best vector. A chunk's
windows are written before its own vector, so a chunk vector present means its windows are too
(:meth:`VectorStore.chunk_ids`), and windows left by an interrupted write belong to an uncommitted
chunk, swept with it as an orphan."""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma

from assistant.index.embeddings import AssistantEmbeddingFunction, embedding_key, get_embeddings
from assistant.settings import Settings
from assistant.types import Chunk

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 2000
"""Queries are embedded from at most this many characters: embedding cost grows faster than linearly
with length (USE: 10k characters 1.4 s, 100k characters 30 s), so an overlong question cannot tie up
the CPU; the keyword side still sees the whole query."""


class VectorStoreUnavailable(RuntimeError):
    """The Chroma server cannot be reached; the message names the address."""


def _unreachable(exc: BaseException) -> bool:
    """Whether an exception from the Chroma HTTP client means the server cannot be reached."""
    import httpx

    current: BaseException | None = exc
    for _ in range(8):
        if current is None:
            return False
        if isinstance(current, httpx.TransportError | ConnectionError) or "could not connect" in str(current).lower():
            return True
        current = current.__cause__ or current.__context__
    return False


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


_WINDOW = "#w"


def window_id(chunk_id: str, n: int) -> str:
    """Vector id of the n-th sentence window of a chunk."""
    return f"{chunk_id}{_WINDOW}{n}"


def owner_of(vector_id: str) -> str:
    """The chunk a vector belongs to: itself for a chunk vector, its owner for a window vector."""
    head, sep, tail = vector_id.rpartition(_WINDOW)
    return head if sep and tail.isdigit() else vector_id


def is_window(vector_id: str) -> bool:
    return owner_of(vector_id) != vector_id


class VectorStore:
    """Chunk vectors keyed by chunk id, with the chunk's citation metadata, and the sentence-window
    vectors each chunk owns."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        with self._server():
            self.client = _client(settings)
        name = collection_name(settings)
        ef = None if settings.embedding == "openai" else AssistantEmbeddingFunction(
            settings.embedding, settings.local.threads)
        with self._server():
            self.collection = self.client.get_or_create_collection(
                name, embedding_function=ef, configuration={"hnsw": {"space": "cosine"}})
        self.store = Chroma(client=self.client, collection_name=name, embedding_function=get_embeddings(settings))

    @contextmanager
    def _server(self) -> Iterator[None]:
        """Connection failures of a Chroma server become :class:`VectorStoreUnavailable` (named address);
        the server may come back on the same address and the next call simply works. A full disk under
        the embedded store (Chroma's ``InternalError: … database or disk is full``) becomes
        ``OSError(ENOSPC)`` naming the folder, like the catalog's own disk errors."""
        try:
            yield
        except (VectorStoreUnavailable, OSError):
            raise
        except Exception as exc:
            s = self.settings
            if not s.chroma_host and ("disk is full" in str(exc) or "No space left" in str(exc)):
                raise OSError(errno.ENOSPC, f"磁盘已满，向量库无法写入 (disk full: Chroma cannot write to {s.chroma_dir}): "
                                            f"{exc}") from exc
            if not s.chroma_host or not _unreachable(exc):
                raise
            raise VectorStoreUnavailable(
                f"无法连接 Chroma 服务器 {s.chroma_host}:{s.chroma_port}，请确认 chroma run 正在运行"
                f"（Chroma server {s.chroma_host}:{s.chroma_port} unreachable: {type(exc).__name__}: {exc}）") from exc

    @property
    def location(self) -> str:
        s = self.settings
        return f"chroma server {s.chroma_host}:{s.chroma_port}" if s.chroma_host else f"embedded {s.chroma_dir}"

    def add(self, chunks: list[Chunk], vectors: list[list[float]],
            windows: list[tuple[int, str, list[float]]] | None = None) -> None:
        """Upsert chunk vectors and their window vectors (:meth:`add_windows`), windows first."""
        if chunks:
            self.add_windows(chunks, windows or [])
            self._upsert([c.id for c in chunks], vectors, [c.text for c in chunks], [c.metadata() for c in chunks])

    def add_windows(self, chunks: list[Chunk], windows: list[tuple[int, str, list[float]]]) -> None:
        """Upsert window vectors: (index of the owning chunk in ``chunks``, window text, vector), a
        chunk's windows in order (they are numbered so)."""
        numbers: dict[int, int] = {}
        ids, texts, metas, embeddings = [], [], [], []
        for owner, text, vector in windows:
            chunk = chunks[owner]
            numbers[owner] = numbers.get(owner, -1) + 1
            ids.append(window_id(chunk.id, numbers[owner]))
            texts.append(text)
            metas.append({**chunk.metadata(), "owner": chunk.id})
            embeddings.append(vector)
        self._upsert(ids, embeddings, texts, metas)

    def _upsert(self, ids: list[str], embeddings: list[list[float]], documents: list[str], metadatas: list[dict]) -> None:
        if not ids:
            return
        with self._server():
            for i in range(0, len(ids), 1000):
                self.collection.upsert(ids=ids[i:i + 1000], embeddings=embeddings[i:i + 1000],
                                       documents=documents[i:i + 1000], metadatas=metadatas[i:i + 1000])

    def delete(self, ids: list[str]) -> None:
        """Remove these chunks' vectors, their own first, then their windows'."""
        with self._server():
            for i in range(0, len(ids), 500):
                batch = ids[i:i + 500]
                self.collection.delete(ids=batch)
                self.collection.delete(where={"owner": {"$in": batch}})

    def _vector_ids(self) -> list[str]:
        with self._server():
            return self.collection.get(include=[])["ids"]

    def ids(self) -> set[str]:
        """Chunks that own a vector (their own or a window's): anything here the catalog does not
        hold is an orphan."""
        return {owner_of(i) for i in self._vector_ids()}

    def chunk_ids(self) -> set[str]:
        """Chunks whose own vector is stored (their windows were written before it)."""
        return {i for i in self._vector_ids() if not is_window(i)}

    def count(self) -> int:
        """Chunks that own a vector."""
        return len(self.ids())

    def search(self, query: str, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the chunks owning the k nearest vectors, best first; a
        chunk scores as its best vector (its own or a window's)."""
        with self._server():
            hits = self.store.similarity_search_with_score(query[:MAX_QUERY_CHARS], k=k, filter=where or None)
        best: dict[str, float] = {}
        for doc, distance in hits:
            if doc.id:
                owner = owner_of(doc.id)
                best[owner] = max(best.get(owner, -2.0), 1.0 - distance)
        return sorted(best.items(), key=lambda item: -item[1])

    def reset(self) -> None:
        name = collection_name(self.settings)
        with self._server():
            self.client.delete_collection(name)
        self.__init__(self.settings)
