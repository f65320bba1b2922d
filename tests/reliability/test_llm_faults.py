"""The chat model endpoint fails (recorded-response server on loopback): down, 500, 429, slow,
malformed and truncated streams. Transient HTTP failures are retried with backoff by the OpenAI
client (``max_retries``); then ``AnswerChain.stream`` ends with one ``error`` event carrying a
readable message. The conversation history passed in and the index are untouched."""

from __future__ import annotations

import copy
import json
import time

import pytest

from tests.conftest import free_port
from tests.reliability.conftest import index_state

QUESTION = "2022年的生师比是多少？"
OK = "2022年生师比为11.21[1]。"
RULES = [
    {"name": "flaky-500", "user": "FLAKY500", "error": "500", "times": 1, "response": OK},
    {"name": "always-500", "user": "ALWAYS500", "error": "500", "response": OK},
    {"name": "flaky-429", "user": "FLAKY429", "error": "429", "retry_after": 1, "times": 1, "response": OK},
    {"name": "always-429", "user": "ALWAYS429", "error": "429", "retry_after": 1, "response": OK},
    {"name": "slow", "user": "SLOW", "delay": 4, "response": OK},
    {"name": "malformed", "user": "MALFORMED", "error": "malformed", "response": OK},
    {"name": "truncated", "user": "TRUNCATED", "error": "truncated", "response": OK * 4},
]
HISTORY = [{"role": "user", "content": "2021年的生师比是多少？"}, {"role": "assistant", "content": "2021年生师比为10.90[1]。"}]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory):
    from tests.support.recorded_server import serve

    root = tmp_path_factory.mktemp("llm-faults")
    cassette = root / "cassette.json"
    cassette.write_text(json.dumps({"model": "recorded-model", "chunk_chars": 4, "rules": RULES,
                                    "default": {"response": "2021年生师比为10.90。"}}, ensure_ascii=False), "utf-8")
    with serve(cassette, root / "requests.jsonl") as server:
        yield server


def _chain(baseline, base_url: str, *, timeout: float = 10, retries: int = 2):
    from assistant.chains.answer import AnswerChain
    from assistant.retrieval import Retriever

    indexer, _ = baseline
    settings = indexer.settings.model_copy(update={"provider": "compatible", "base_url": base_url,
                                                   "model": "recorded-model", "request_timeout": timeout,
                                                   "max_retries": retries,
                                                   "answer_from_facts": False})  # the model path, whatever the question
    return AnswerChain.from_settings(settings, Retriever(settings, indexer.catalog, indexer.vectors))


def _rule_count(server, name: str) -> int:
    return sum(1 for r in server.requests() if r.get("rule") == name)


def _run(chain, question: str, history=None):
    started = time.perf_counter()
    events = list(chain.stream(question, history))
    return events, time.perf_counter() - started


CASES = [
    # marker, expected words in the message, requests made (1 + retries), minimum seconds (backoff)
    ("ALWAYS500", "server error", 3, 0.5),
    ("ALWAYS429", "rate limited", 3, 1.5),  # Retry-After: 1 honoured between attempts
    ("MALFORMED", "incomplete or malformed", 1, 0.0),
    ("TRUNCATED", "incomplete or malformed", 1, 0.0),
]


@pytest.mark.parametrize(("marker", "words", "requests", "min_seconds"), CASES, ids=[c[0] for c in CASES])
def test_endpoint_errors_end_the_stream_with_a_readable_error(baseline, endpoint, marker, words, requests, min_seconds):
    before = index_state(baseline[0])
    history = copy.deepcopy(HISTORY)
    chain = _chain(baseline, endpoint.base_url)
    seen = _rule_count(endpoint, {"ALWAYS500": "always-500", "ALWAYS429": "always-429"}.get(marker, marker.lower()))
    events, seconds = _run(chain, f"{QUESTION}{marker}", history)
    kinds = [e.kind for e in events]
    assert kinds[-1] == "error" and kinds.count("error") == 1 and "final" not in kinds, kinds
    message = events[-1].error
    assert words in message and "语言模型不可用" in message and "Traceback" not in message
    assert "recorded-model" in message  # names what failed
    name = {"ALWAYS500": "always-500", "ALWAYS429": "always-429"}.get(marker, marker.lower())
    assert _rule_count(endpoint, name) - seen == requests
    assert seconds >= min_seconds
    assert history == HISTORY
    assert index_state(baseline[0]) == before


@pytest.mark.parametrize(("marker", "rule"), [("FLAKY500", "flaky-500"), ("FLAKY429", "flaky-429")])
def test_a_transient_error_is_retried_and_the_answer_completes(baseline, endpoint, marker, rule):
    chain = _chain(baseline, endpoint.base_url)
    events, _ = _run(chain, f"{QUESTION}{marker}")
    assert events[-1].kind == "final", events[-1]
    answer = events[-1].answer
    assert "11.21" in answer.answer and answer.citations and not answer.unsupported_numbers
    assert _rule_count(endpoint, rule) == 2  # one failure, one retry


def test_a_slow_endpoint_times_out_with_a_clear_message(baseline, endpoint):
    history = copy.deepcopy(HISTORY)
    chain = _chain(baseline, endpoint.base_url, timeout=1, retries=1)
    events, seconds = _run(chain, f"{QUESTION}SLOW", history)
    assert events[-1].kind == "error" and "timed out" in events[-1].error
    assert seconds < 15
    assert history == HISTORY


def test_an_endpoint_that_is_down_gives_a_clear_message(baseline):
    before = index_state(baseline[0])
    chain = _chain(baseline, f"http://127.0.0.1:{free_port()}/v1", retries=1)
    events, seconds = _run(chain, QUESTION, copy.deepcopy(HISTORY))
    assert events[-1].kind == "error"
    assert "cannot connect" in events[-1].error or "无法连接" in events[-1].error
    assert seconds < 20
    assert index_state(baseline[0]) == before


def test_invoke_raises_model_unavailable(baseline, endpoint):
    from assistant.llm.provider import ModelUnavailable

    chain = _chain(baseline, endpoint.base_url, retries=0)
    with pytest.raises(ModelUnavailable, match="server error"):
        chain.invoke(f"{QUESTION}ALWAYS500")


def test_the_chain_works_again_after_the_failures(baseline, endpoint):
    events, _ = _run(_chain(baseline, endpoint.base_url), QUESTION, copy.deepcopy(HISTORY))
    assert events[-1].kind == "final" and events[-1].answer.answer
