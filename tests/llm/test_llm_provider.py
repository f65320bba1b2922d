"""Provider resolution and ChatOpenAI against the recorded-response server."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.llm.provider import DEFAULT_OPENAI_MODEL, ModelUnavailable, chat_model, describe, resolve_provider
from assistant.settings import Settings
from tests.support.recorded_server import RecordedServer


def settings_for(server: RecordedServer, **overrides: object) -> Settings:
    fields = {"provider": "compatible", "base_url": server.base_url, "model": "recorded-model",
              "api_key": "sk-test", "request_timeout": 5.0, "max_retries": 2}  # fmt: skip
    return Settings(**{**fields, **overrides})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("env", "explicit", "expected"),
    [
        ({}, "auto", "local"),
        ({"OPENAI_API_KEY": "sk-x"}, "auto", "openai"),
        ({"OPENAI_BASE_URL": "http://h/v1"}, "auto", "compatible"),
        ({"OPENAI_API_KEY": "sk-x", "OPENAI_BASE_URL": "http://h/v1"}, "auto", "compatible"),
        ({"ASSISTANT_BASE_URL": "http://h/v1"}, "auto", "compatible"),
        ({"ASSISTANT_API_KEY": "sk-x"}, "auto", "openai"),
        ({"OPENAI_API_KEY": "sk-x", "OPENAI_BASE_URL": "http://h/v1"}, "local", "local"),
        ({}, "openai", "openai"),
        ({"ASSISTANT_PROVIDER": "compatible"}, None, "compatible"),
    ],
)
def test_resolve_provider_precedence(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], explicit: str | None, expected: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = Settings() if explicit is None else Settings(provider=explicit)  # type: ignore[arg-type]
    assert resolve_provider(settings) == expected


def test_describe_never_shows_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-very-secret")
    info = describe(Settings())
    assert info == {"provider": "openai", "model": DEFAULT_OPENAI_MODEL, "base_url": "https://api.openai.com/v1"}
    info = describe(Settings(base_url="http://h/v1", model="deepseek-chat", api_key="sk-very-secret"))
    assert info == {"provider": "compatible", "model": "deepseek-chat", "base_url": "http://h/v1"}
    assert "sk-very-secret" not in repr(info)
    monkeypatch.delenv("OPENAI_API_KEY")
    assert describe(Settings(local_model="qwen2.5-coder-0.5b")) == {
        "provider": "local", "model": "qwen2.5-coder-0.5b", "base_url": None,
    }  # fmt: skip


def test_openai_without_key_is_unavailable() -> None:
    with pytest.raises(ModelUnavailable, match="OPENAI_API_KEY"):
        chat_model(Settings(provider="openai"))


def test_chat_model_takes_settings() -> None:
    model = chat_model(Settings(api_key="sk-x", model="gpt-4.1-mini", request_timeout=7, max_retries=4, temperature=0.3))
    assert (model.model_name, model.request_timeout, model.max_retries, model.temperature) == ("gpt-4.1-mini", 7, 4, 0.3)
    assert model.openai_api_base == "https://api.openai.com/v1" and model.streaming
    assert not chat_model(Settings(api_key="sk-x"), streaming=False).streaming


def test_non_streaming_reply_and_recorded_prompt(recorded: RecordedServer) -> None:
    model = chat_model(settings_for(recorded), streaming=False)
    reply = model.invoke([SystemMessage("你是报告助手。"), HumanMessage("请写一份大纲")])
    assert reply.content == "一、办学概况。二、教学质量。三、改进措施。"
    (body,) = recorded.chat_requests()
    assert body["model"] == "recorded-model" and not body.get("stream")
    assert body["messages"] == [{"role": "system", "content": "你是报告助手。"}, {"role": "user", "content": "请写一份大纲"}]
    assert recorded.requests()[0]["headers"]["authorization"] == "Bearer sk-test"


def test_streaming_reply_in_chunks(recorded: RecordedServer) -> None:
    model = chat_model(settings_for(recorded))
    chunks = [c.content for c in model.stream("请写一份大纲")]
    assert "".join(chunks) == "一、办学概况。二、教学质量。三、改进措施。"
    assert chunks[:2] == ["一、办学", "概况。二"]
    assert recorded.chat_requests()[0]["stream"] is True


def test_rule_matched_on_system_prompt_and_default(recorded: RecordedServer) -> None:
    model = chat_model(settings_for(recorded), streaming=False)
    assert model.invoke([SystemMessage("你是一位资深评审专家。"), HumanMessage("看看这段")]).content == "评审意见：结构清晰。"
    assert model.invoke("随便问问").content == "默认回答。"
    assert [r["rule"] for r in recorded.requests()] == ["reviewer", "default"]


def test_async_streaming(recorded: RecordedServer) -> None:
    async def collect() -> str:
        return "".join([str(c.content) async for c in chat_model(settings_for(recorded)).astream("大纲")])

    assert asyncio.run(collect()) == "一、办学概况。二、教学质量。三、改进措施。"


@pytest.mark.parametrize("streaming", [False, True])
def test_500_is_retried(recorded: RecordedServer, streaming: bool) -> None:
    assert chat_model(settings_for(recorded), streaming=streaming).invoke("flaky-500").content == "recovered after 500"
    assert [r["rule"] for r in recorded.requests()] == ["flaky-500", "flaky-500"]


def test_429_waits_for_retry_after(recorded: RecordedServer) -> None:
    start = time.monotonic()
    assert chat_model(settings_for(recorded), streaming=False).invoke("rate-limited").content == "recovered after 429"
    assert time.monotonic() - start >= 0.9
    assert len(recorded.requests()) == 2


def test_persistent_500_gives_up_after_max_retries(recorded: RecordedServer) -> None:
    with pytest.raises(ModelUnavailable, match="server error"):
        chat_model(settings_for(recorded, max_retries=1)).invoke("always-500")
    assert len(recorded.requests()) == 2


def test_endpoint_down_is_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    settings = Settings(provider="compatible", base_url=f"http://127.0.0.1:{port}/v1", max_retries=0)
    with pytest.raises(ModelUnavailable) as info:
        chat_model(settings).invoke("hello")
    message = str(info.value)
    assert "无法连接到模型服务" in message and "cannot connect" in message and f":{port}/v1" in message
    assert info.value.provider == "compatible"


def test_timeout_is_unavailable(recorded: RecordedServer) -> None:
    start = time.monotonic()
    with pytest.raises(ModelUnavailable, match="timed out"):
        chat_model(settings_for(recorded, request_timeout=0.5, max_retries=0)).invoke("slow")
    assert time.monotonic() - start < 2.5


@pytest.mark.parametrize("streaming", [False, True])
def test_malformed_response_is_unavailable(recorded: RecordedServer, streaming: bool) -> None:
    with pytest.raises(ModelUnavailable, match="incomplete or malformed"):
        chat_model(settings_for(recorded, max_retries=0), streaming=streaming).invoke("malformed")


def test_truncated_stream_is_unavailable_after_partial_output(recorded: RecordedServer) -> None:
    received: list[str] = []
    with pytest.raises(ModelUnavailable, match="incomplete or malformed"):
        for chunk in chat_model(settings_for(recorded, max_retries=0)).stream("truncated"):
            received.append(str(chunk.content))
    assert received and len("".join(received)) < 20


def test_stream_cut_short_without_finish_is_unavailable(recorded: RecordedServer) -> None:
    model = chat_model(settings_for(recorded, max_retries=0))
    with pytest.raises(ModelUnavailable, match="stream ended without finish_reason"):
        list(model.stream("大纲", extra_headers={"X-Recorded-Error": "cut"}))


def test_error_forced_by_header(recorded: RecordedServer) -> None:
    model = chat_model(settings_for(recorded, max_retries=0), streaming=False)
    with pytest.raises(ModelUnavailable, match="rate limited"):
        model.invoke("大纲", extra_headers={"X-Recorded-Error": "429"})
