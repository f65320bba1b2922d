"""The one translator from model exceptions to ModelUnavailable and its bilingual message."""

from __future__ import annotations

import json

import httpx
import openai
import pytest

from assistant.llm.errors import ModelUnavailable, model_unavailable, reason
from assistant.llm.local_server import LocalServerError

REQUEST = httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions")


def status_error(code: int) -> openai.APIStatusError:
    return openai.APIStatusError("boom", response=httpx.Response(code, request=REQUEST), body=None)


@pytest.mark.parametrize(("exc", "kind"), [
    (openai.APITimeoutError(request=REQUEST), "timeout"),
    (httpx.ReadTimeout("slow"), "timeout"),
    (TimeoutError(), "timeout"),
    (openai.APIConnectionError(request=REQUEST), "connection"),
    (httpx.ConnectError("refused"), "connection"),
    (ConnectionRefusedError(), "connection"),
    (httpx.RemoteProtocolError("closed"), "broken"),
    (json.JSONDecodeError("bad", "{", 0), "broken"),
    (status_error(429), "rate_limit"),
    (status_error(401), "auth"),
    (status_error(403), "auth"),
    (status_error(404), "not_found"),
    (status_error(500), "server"),
    (status_error(503), "server"),
    (status_error(400), "http"),
    (KeyError("x"), None),
])  # fmt: skip
def test_reason(exc: BaseException, kind: str | None) -> None:
    assert reason(exc) == kind


def test_connection_cut_mid_response_is_broken_not_connection() -> None:
    try:
        try:
            raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")
        except httpx.RemoteProtocolError as inner:
            raise openai.APIConnectionError(request=REQUEST) from inner
    except openai.APIConnectionError as exc:
        assert reason(exc) == "broken"


def test_message_is_bilingual_names_the_endpoint_and_advises() -> None:
    error = model_unavailable(openai.APIConnectionError(request=REQUEST), provider="compatible", model="qwen",
                              base_url="http://127.0.0.1:8080/v1")
    assert isinstance(error, ModelUnavailable)
    assert error.provider == "compatible" and error.base_url == "http://127.0.0.1:8080/v1"
    first, second, advice = str(error).splitlines()
    assert first == "语言模型不可用：无法连接到模型服务。[compatible: qwen @ http://127.0.0.1:8080/v1]"
    assert second == ("Language model unavailable: cannot connect to the model endpoint (Connection error.). "
                      "[compatible: qwen @ http://127.0.0.1:8080/v1]")
    assert advice.startswith("无法连接到语言模型服务：") and "Cannot connect to the language model service" in advice


def test_http_status_and_unknown_errors_are_named() -> None:
    assert "HTTP 400" in str(model_unavailable(status_error(400)))
    unknown = str(model_unavailable(KeyError("x")))
    assert "（KeyError）" in unknown and "(KeyError)" in unknown and "Traceback" not in unknown


def test_model_unavailable_and_local_errors_keep_their_text() -> None:
    original = ModelUnavailable("本地模型文件不存在 / missing", provider="local")
    assert model_unavailable(original) is original
    local = model_unavailable(LocalServerError("本地模型文件不存在 / Local model file not found: /m.gguf"))
    assert str(local) == "本地模型文件不存在 / Local model file not found: /m.gguf" and local.provider == "local"


def test_reason_name_with_detail() -> None:
    text = str(model_unavailable("broken", provider="local", model="m", base_url="u", detail="stream ended"))
    assert "模型返回的结果不完整或格式错误" in text and "incomplete or malformed (stream ended)" in text
