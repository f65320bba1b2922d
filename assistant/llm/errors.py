"""One translator from model exceptions to the message the user reads, and ``ModelUnavailable``.

Every failure of a chat-model call — in the provider's guarded ``ChatOpenAI``, in the answer chain
(whose model may be any LangChain chat model), in drafting, in the local llama.cpp server start —
becomes a :class:`ModelUnavailable` through :func:`model_unavailable`, so the same failure reads the
same wherever it happens. There used to be two translators (the provider's bilingual headline and
the answer chain's one-language advice, e.g. "无法连接到语言模型服务…" for a Chinese question); the
message now carries both, in both languages::

    语言模型不可用：无法连接到模型服务。[compatible: qwen @ http://127.0.0.1:8080/v1]
    Language model unavailable: cannot connect to the model endpoint (Connection error.). [compatible: …]
    无法连接到语言模型服务：请确认本地模型服务已启动，或检查 base_url 设置。Cannot connect to the language model service: …

Exceptions are classified by type (openai client errors, HTTP status codes, timeouts and connection
errors of ``httpx`` or ``httpx2`` — matched by class name, since the openai client may use either —
and the built-in ``TimeoutError``/``ConnectionError``). :func:`reason` returns ``None`` for anything
else, so the provider lets programming errors through; :func:`model_unavailable` still turns them
into a message naming the exception type for the chains, which must always end a stream readably.
A ``ModelUnavailable`` passes through unchanged; the local model's own errors (missing or corrupt
GGUF file, server that did not start) keep their bilingual text.

This module imports neither ``openai`` nor ``langchain`` at import time (the CLI and the answer
chain import it; ``openai`` is looked up only when an exception is classified).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

__all__ = ["ModelUnavailable", "model_unavailable", "reason"]


class ModelUnavailable(Exception):
    """The chat model cannot be reached or used; ``str()`` is a message for the user (中文 / English)."""

    def __init__(self, message: str, *, provider: str = "", base_url: str | None = None) -> None:
        super().__init__(message)
        self.provider = provider
        self.base_url = base_url


# reason -> (Chinese, English) of the headline; {status} / {name} are filled in.
_REASONS: dict[str, tuple[str, str]] = {
    "connection": ("无法连接到模型服务", "cannot connect to the model endpoint"),
    "timeout": ("请求超时", "the request timed out"),
    "rate_limit": ("请求过于频繁（速率限制），请稍后再试", "rate limited; try again later"),
    "server": ("模型服务内部错误", "the endpoint returned a server error"),
    "auth": ("API 密钥无效或无权访问", "the API key was rejected"),
    "not_found": (
        "模型或接口不存在，请检查模型名称（ASSISTANT_MODEL）和地址",
        "model or endpoint not found; check ASSISTANT_MODEL and the base URL",
    ),
    "broken": ("模型返回的结果不完整或格式错误", "the response was incomplete or malformed"),
    "http": ("模型服务返回错误（HTTP {status}）", "the endpoint returned an error (HTTP {status})"),
    "unknown": ("模型服务返回了无法处理的响应（{name}）", "the response could not be used ({name})"),
}  # fmt: skip

# reason -> what to do about it (Chinese, English), a line after the headline.
_ADVICE: dict[str, tuple[str, str]] = {
    "connection": (
        "无法连接到语言模型服务：请确认本地模型服务已启动，或检查 base_url 设置。",
        "Cannot connect to the language model service: check that the local model server is running "
        "or that base_url is correct.",
    ),
    "timeout": (
        "语言模型服务响应超时：请稍后重试，或在设置中延长 request_timeout（ASSISTANT_REQUEST_TIMEOUT）。",
        "The language model did not answer in time: try again later or raise request_timeout.",
    ),
    "server": ("请稍后重试或检查模型服务日志。", "Try again or check the model server's log."),
    "http": ("请稍后重试或检查模型服务日志。", "Try again or check the model server's log."),
}  # fmt: skip


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and its causes/contexts, each once."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _named(exc: BaseException, *names: str) -> bool:
    """``exc`` is an instance of a class called one of ``names`` (httpx and httpx2 alike)."""
    return any(cls.__name__ in names for cls in type(exc).__mro__)


def reason(exc: BaseException) -> str | None:
    """Which kind of model failure ``exc`` is (a key of the message table), or None if it is none."""
    try:
        import openai
    except ImportError:  # pragma: no cover - openai is a dependency
        openai = None  # type: ignore[assignment]
    if (openai is not None and isinstance(exc, openai.APITimeoutError)) or isinstance(exc, TimeoutError) \
            or _named(exc, "TimeoutException"):
        return "timeout"
    if any(_named(e, "RemoteProtocolError") for e in _chain(exc)):
        return "broken"  # closed mid-response
    if (openai is not None and isinstance(exc, openai.APIConnectionError)) or isinstance(exc, ConnectionError) \
            or _named(exc, "ConnectError", "NetworkError"):
        return "connection"
    if isinstance(exc, json.JSONDecodeError) or (openai is not None and isinstance(exc, openai.APIResponseValidationError)):
        return "broken"
    status = getattr(exc, "status_code", None)
    if not isinstance(status, int):
        return None
    if status == 429:
        return "rate_limit"
    if status in (401, 403):
        return "auth"
    if status == 404:
        return "not_found"
    return "server" if status >= 500 else "http"


def _local_model_error(exc: BaseException) -> bool:
    from assistant.llm.local_server import LocalServerError
    from assistant.llm.model_files import ModelFileError

    return isinstance(exc, LocalServerError | ModelFileError)


def model_unavailable(exc: BaseException | str, *, provider: str = "", model: str | None = None,
                      base_url: str | None = None, detail: str | None = None) -> ModelUnavailable:
    """The :class:`ModelUnavailable` (with its user message) for a failed model call.

    ``exc``: the exception, or a reason name (``"broken"`` for a stream cut short). ``provider``,
    ``model`` and ``base_url`` name the endpoint in the message when known. ``detail`` (default: the
    exception's text) is appended to the English headline.
    """
    if isinstance(exc, ModelUnavailable):
        return exc
    if isinstance(exc, BaseException) and _local_model_error(exc):
        return ModelUnavailable(str(exc), provider=provider or "local", base_url=base_url)
    kind = exc if isinstance(exc, str) else (reason(exc) or "unknown")
    if detail is None:
        detail = "" if isinstance(exc, str) or kind == "unknown" else str(exc)
    fill = {"status": getattr(exc, "status_code", ""), "name": type(exc).__name__}
    zh, en = (text.format(**fill) for text in _REASONS[kind])
    where = f"{provider}: {model} @ {base_url}" if provider else " @ ".join(x for x in (model, base_url) if x)
    at = f" [{where}]" if where else ""
    message = f"语言模型不可用：{zh}。{at.strip()}\nLanguage model unavailable: {en}{f' ({detail})' if detail else ''}.{at}"
    if kind in _ADVICE:
        message += "\n" + " ".join(_ADVICE[kind])
    return ModelUnavailable(message, provider=provider, base_url=base_url)
