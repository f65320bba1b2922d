"""Chat models behind the OpenAI protocol: OpenAI, compatible endpoints, or the offline local server.

Names are re-exported lazily so that ``python -m assistant.llm.local_server`` stays light
(``langchain_openai`` takes seconds to import).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "ModelUnavailable": "errors",
    "model_unavailable": "errors",
    "chat_model": "provider",
    "describe": "provider",
    "resolve_provider": "provider",
    "shared_local_server": "provider",
    "stop_local_server": "provider",
    "LocalModelServer": "local_server",
    "LocalServerError": "local_server",
    "ModelFileError": "model_files",
    "ensure_model_file": "model_files",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
