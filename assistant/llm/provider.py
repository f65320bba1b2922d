"""Every chat model through the OpenAI protocol (langchain-openai ``ChatOpenAI``).

Providers: ``openai`` (api.openai.com, ``OPENAI_API_KEY``), ``compatible`` (any OpenAI-compatible
base URL: DeepSeek, DashScope compatible mode, Ollama, vLLM, llama.cpp) and ``local`` (the offline
default: a process-wide llama.cpp server child started on first use, stopped at exit).
Endpoint failures surface as :class:`ModelUnavailable` with a bilingual, user-readable message
(:mod:`assistant.llm.errors`, the one translator the chains use too).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langchain_openai import ChatOpenAI

from assistant.llm.errors import ModelUnavailable, model_unavailable, reason
from assistant.llm.local_server import LocalModelServer, LocalServerError
from assistant.llm.model_files import ModelFileError, ensure_model_file
from assistant.settings import Settings

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
OPENAI_BASE_URL = "https://api.openai.com/v1"
_NO_KEY = "not-needed"  # the OpenAI client requires some key; local/compatible servers may not


class _GuardedChatOpenAI(ChatOpenAI):
    """``ChatOpenAI`` that raises :class:`ModelUnavailable` for endpoint failures and cut-off streams."""

    provider_name: str = "openai"

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except Exception as exc:
            if reason(exc) is None:  # not an endpoint failure (a bug): let it through
                raise
            raise self._error(exc) from exc

    def _error(self, exc: BaseException | str, detail: str | None = None) -> ModelUnavailable:
        return model_unavailable(exc, provider=self.provider_name, model=self.model_name,
                                 base_url=self.openai_api_base or OPENAI_BASE_URL, detail=detail)

    def _generate(self, *args: Any, **kwargs: Any) -> ChatResult:
        with self._translated():
            return super()._generate(*args, **kwargs)

    async def _agenerate(self, *args: Any, **kwargs: Any) -> ChatResult:
        with self._translated():
            return await super()._agenerate(*args, **kwargs)

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        finished = False
        with self._translated():
            for chunk in super()._stream(*args, **kwargs):
                finished = finished or bool((chunk.generation_info or {}).get("finish_reason"))
                yield chunk
        if not finished:
            raise self._error("broken", "stream ended without finish_reason")

    async def _astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
        finished = False
        with self._translated():
            async for chunk in super()._astream(*args, **kwargs):
                finished = finished or bool((chunk.generation_info or {}).get("finish_reason"))
                yield chunk
        if not finished:
            raise self._error("broken", "stream ended without finish_reason")


def resolve_provider(settings: Settings) -> str:
    """An explicit ``settings.provider`` wins; else a base URL means "compatible", a key "openai"; else "local"."""
    if settings.provider != "auto":
        return settings.provider
    if settings.openai_base_url:
        return "compatible"
    if settings.openai_api_key:
        return "openai"
    return "local"


_local_lock = threading.Lock()
_local_server: LocalModelServer | None = None
_local_key: tuple[object, ...] | None = None


def shared_local_server(settings: Settings) -> LocalModelServer:
    """The process-wide local model server for ``settings``, started (or restarted) if needed."""
    global _local_server, _local_key
    key = (settings.local.model, settings.models_dir.resolve(), settings.local.threads, settings.local.context)
    with _local_lock:
        if _local_server is not None and _local_server.running and key == _local_key:
            return _local_server
        if _local_server is not None:
            _local_server.stop()
            _local_server = None
        try:
            path = ensure_model_file(settings.local.model, settings.models_dir)
            server = LocalModelServer(
                path,
                threads=settings.local.threads,
                n_ctx=settings.local.context,
                log_path=settings.data_dir / "logs" / "local-llm.log",
            )
            server.start()  # registers its own atexit stop
        except (ModelFileError, LocalServerError) as exc:
            raise model_unavailable(exc, provider="local") from exc
        _local_server, _local_key = server, key
        return server


def stop_local_server() -> None:
    """Stop the process-wide local model server, if running (it is also stopped at exit)."""
    global _local_server, _local_key
    with _local_lock:
        if _local_server is not None:
            _local_server.stop()
        _local_server = _local_key = None


def _endpoint(settings: Settings, provider: str) -> tuple[str, str | None, str]:
    """(model, base_url, api_key) for a provider; raises ModelUnavailable when not configured."""
    if provider == "local":
        return settings.local.model, None, _NO_KEY
    model = settings.model or DEFAULT_OPENAI_MODEL
    if provider == "openai":
        if not settings.openai_api_key:
            raise ModelUnavailable(
                "未设置 OpenAI API 密钥（OPENAI_API_KEY 或 ASSISTANT_API_KEY）。\n"
                "No OpenAI API key: set OPENAI_API_KEY or ASSISTANT_API_KEY.",
                provider=provider,
                base_url=OPENAI_BASE_URL,
            )
        return model, OPENAI_BASE_URL, settings.openai_api_key
    if provider == "compatible":
        if not settings.openai_base_url:
            raise ModelUnavailable(
                "未设置兼容接口地址（ASSISTANT_BASE_URL 或 OPENAI_BASE_URL）。\n"
                "No base URL for the OpenAI-compatible endpoint: set ASSISTANT_BASE_URL or OPENAI_BASE_URL.",
                provider=provider,
                base_url=None,
            )
        return model, settings.openai_base_url, settings.openai_api_key or _NO_KEY
    raise ValueError(f"unknown provider {provider!r}")


def chat_model(settings: Settings, *, streaming: bool = True) -> ChatOpenAI:
    """A ``ChatOpenAI`` for the resolved provider (starting the local server on first use)."""
    provider = resolve_provider(settings)
    model, base_url, api_key = _endpoint(settings, provider)
    if provider == "local":
        base_url = shared_local_server(settings).base_url
    return _GuardedChatOpenAI(
        model=model,
        base_url=base_url,
        api_key=api_key,
        temperature=settings.temperature,
        max_tokens=settings.max_output_tokens,
        timeout=settings.request_timeout,
        max_retries=settings.max_retries,
        streaming=streaming,
        provider_name=provider,
    )


def describe(settings: Settings) -> dict[str, str | None]:
    """Provider, model and base URL (never the key); the local URL only once its server runs."""
    provider = resolve_provider(settings)
    if provider == "local":
        server = _local_server
        base_url = server.base_url if server is not None and server.running else None
        return {"provider": provider, "model": settings.local.model, "base_url": base_url}
    base_url = OPENAI_BASE_URL if provider == "openai" else settings.openai_base_url
    return {"provider": provider, "model": settings.model or DEFAULT_OPENAI_MODEL, "base_url": base_url}
