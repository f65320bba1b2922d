"""AnswerChain with fake chat models and a fake retriever (plus one real ChatOpenAI over loopback)."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatResult

from assistant.chains import Answer, AnswerChain, AnswerEvent, ModelUnavailable
from assistant.chains.answer import (
    format_context,
    is_relevant,
    key_terms,
    reference_year,
    resolve_relative_years,
)
from assistant.types import Chunk, SearchResult

# Invented passages in the style of the reports (figures written the way the reports write them).
EMPLOYMENT_2020 = Chunk(
    text="2020 届本科毕业生共 301 人，就业率达 96.5%以上，国内外读研深造率达 88.2%。",
    source="reports/2020年度自评报告.pdf", section="二. 学生培养", year=2020, doc_type="report", page=3)
EMPLOYMENT_2019 = Chunk(
    text="2019 届本科毕业生共 287 人，就业率为 95.1%，出国深造率达 61.3%。",
    source="reports/2019年度自评报告.pdf", section="二. 学生培养", year=2019, doc_type="report", page=4)
TEACHERS_2019 = Chunk(
    text="学院现有任课教师 104 人，其中英方教师 30 人，生师比为 7.2。",
    source="reports/2019年度自评报告.pdf", section="三. 师资建设 > 3. 教师队伍", year=2019, doc_type="report", page=6)
TEACHERS_2018 = Chunk(
    text="学院现有任课教师 96 人，生师比为 7.8。",
    source="reports/2018年度自评报告.pdf", section="三. 师资建设", year=2018, doc_type="report", page=5)
FEES = Chunk(
    text="学院按批复标准收取学费：本科生人民币 68000 元/生·年，博士生 90000 元/生·年。",
    source="reports/2020年度自评报告.pdf", section="六. 财务管理", year=2020, doc_type="report", page=12)
LIBRARY = Chunk(
    text="学院图书馆藏书 2.3 万册，电子期刊数据库 12 个。",
    source="reports/2020年度自评报告.pdf", section="五. 办学条件", year=2020, doc_type="report", page=9)


def ModelChain(*args: Any, **kwargs: Any) -> AnswerChain:
    """The chain with its model path only: these tests exercise condensing, retries and verification of
    model answers; figure questions answered from the ledger are tested in test_facts_answers.py."""
    return AnswerChain(*args, facts_first=False, **kwargs)


class FakeRetriever:
    """Same ``search`` signature as assistant.retrieval.Retriever; returns fixed chunks."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.chunks = chunks
        self.calls: list[dict[str, Any]] = []

    def search(self, query: str, *, k: int = 5, year: int | None = None, doc_type: str | None = None) -> list[SearchResult]:
        self.calls.append({"query": query, "k": k, "year": year, "doc_type": doc_type})
        chunks = [c for c in self.chunks if (year is None or c.year == year) and (doc_type is None or c.doc_type == doc_type)]
        return [SearchResult(c, 1.0 / (i + 1)) for i, c in enumerate(chunks)][:k]


class Recorder(BaseCallbackHandler):
    """Captures the messages every chat-model call received."""

    def __init__(self) -> None:
        self.prompts: list[list[BaseMessage]] = []

    def on_chat_model_start(self, serialized: Any, messages: list[list[BaseMessage]], **kwargs: Any) -> None:
        self.prompts.append(messages[0])

    def human(self, i: int) -> str:
        return "\n".join(m.content for m in self.prompts[i] if m.type == "human")


def fake_model(*responses: str) -> tuple[FakeListChatModel, Recorder]:
    recorder = Recorder()
    return FakeListChatModel(responses=list(responses), callbacks=[recorder]), recorder


def events(chain: AnswerChain, *args: Any, **kwargs: Any) -> list[AnswerEvent]:
    out = list(chain.stream(*args, **kwargs))
    assert out[-1].kind in ("final", "error")
    assert sum(e.kind in ("final", "error") for e in out) == 1
    return out


# ---- relative years -----------------------------------------------------------------------------


def test_resolve_relative_years_chinese_and_english() -> None:
    assert resolve_relative_years("去年的生师比和前年相比呢？", 2020) == "2019年的生师比和2018年相比呢？"
    assert resolve_relative_years("上一年度的就业率", 2021) == "2020年度的就业率"
    assert resolve_relative_years("本年度和大前年", 2020) == "2020年度和2017年"
    assert resolve_relative_years("两年前的招生人数", 2020) == "2018年的招生人数"
    assert resolve_relative_years("What was last year's ratio?", 2020) == "What was 2019's ratio?"
    assert resolve_relative_years("How many teachers last year?", 2020) == "How many teachers in 2019?"
    assert resolve_relative_years("Compare with the year before last", 2020) == "Compare with 2018"
    assert resolve_relative_years("2020届毕业生就业率", 2020) == "2020届毕业生就业率"


def test_reference_year_precedence() -> None:
    history = [{"role": "user", "content": "2020届毕业生就业率是多少？"},
               {"role": "assistant", "content": "就业率达 96.5%以上 [1]。"}]
    assert reference_year("去年呢？", history) == 2020
    assert reference_year("去年呢？", history, year=2022) == 2022
    assert reference_year("2018年和去年相比", history, year=2022) == 2018
    assert reference_year("去年呢？", [("2019年的学费？", "68000 元")]) == 2019


# ---- the chain ----------------------------------------------------------------------------------


def test_standalone_question_without_history_makes_one_model_call() -> None:
    model, rec = fake_model("2020 届就业率达 96.5%以上 [1]。")
    retriever = FakeRetriever([EMPLOYMENT_2020, EMPLOYMENT_2019])
    answer = ModelChain(model, retriever).invoke("2020届毕业生就业率是多少？")
    assert len(rec.prompts) == 1  # no condense call
    assert answer.standalone_question == "2020届毕业生就业率是多少？"
    assert retriever.calls == [{"query": "2020届毕业生就业率是多少？", "k": 5, "year": None, "doc_type": None}]
    assert answer.answer == "2020 届就业率达 96.5%以上 [1]。"
    assert answer.citations == [{"n": 1, "source": EMPLOYMENT_2020.source, "section": "二. 学生培养", "year": 2020,
                                 "page": 3, "quote": EMPLOYMENT_2020.text}]
    assert answer.unsupported_numbers == [] and not answer.not_found
    # the context block numbers each passage with its metadata
    prompt = rec.human(0)
    assert "[1] 2020年度报告 · 二. 学生培养\n2020 届本科毕业生共 301 人" in prompt
    assert "2019年度报告" not in prompt  # another year's passage is not shown for a one-year question
    assert rec.prompts[0][0].type == "system"


def test_follow_up_with_last_year_is_rewritten_with_absolute_year() -> None:
    history = [{"role": "user", "content": "2020届毕业生就业率是多少？"},
               {"role": "assistant", "content": "2020 届就业率达 96.5%以上 [1]。"}]
    model, rec = fake_model("2019届毕业生就业率是多少？", "2019 届就业率为 95.1% [1]。")
    retriever = FakeRetriever([EMPLOYMENT_2019, EMPLOYMENT_2020])
    answer = ModelChain(model, retriever).invoke("去年的呢？", history=history)
    # the condense prompt already carries the absolute year (resolved in code)
    assert "2019年的呢？" in rec.human(0) and "去年" not in rec.human(0).split("【追问】")[1]
    assert answer.standalone_question == "2019届毕业生就业率是多少？"
    assert retriever.calls[0]["query"] == "2019届毕业生就业率是多少？"
    assert answer.question == "去年的呢？"
    assert answer.citations[0]["year"] == 2019 and answer.unsupported_numbers == []


def test_follow_up_keeps_years_even_if_the_small_model_drops_them() -> None:
    history = [("user", "2020年的生师比是多少？"), ("assistant", "生师比为 6.9 [1]。")]
    model, _ = fake_model("生师比和相比呢？", "2018 年生师比为 7.8 [1]。", "2019 年生师比为 7.2 [1]。")
    retriever = FakeRetriever([TEACHERS_2019, TEACHERS_2018])
    answer = ModelChain(model, retriever).invoke("去年的生师比和前年相比呢？", history=history)
    # the two years the follow-up names are answered one after the other, each from its own year
    assert [c["year"] for c in retriever.calls] == [2018, 2019]
    assert all(str(c["year"]) in c["query"] and "去年" not in c["query"] for c in retriever.calls)
    assert answer.answer == "2018 年生师比为 7.8 [1]。\n2019 年生师比为 7.2 [2]。"
    assert [c["year"] for c in answer.citations] == [2018, 2019]
    assert answer.unsupported_numbers == []


def test_multi_year_question_streams_each_year_and_says_which_year_is_missing() -> None:
    model, recorder = fake_model("2019 年生师比为 7.2 [1]。")
    retriever = FakeRetriever([TEACHERS_2019])
    out = events(ModelChain(model, retriever), "2019年和2020年的生师比分别是多少？")
    assert [c["query"] for c in retriever.calls] == ["2019年的生师比是多少？", "2020年的生师比是多少？"]
    assert len(recorder.prompts) == 1  # no passage of 2020: no model call for it
    final = out[-1].answer
    assert final.answer == "2019 年生师比为 7.2 [1]。\n2020年：知识库中未找到相关内容。"
    assert not final.not_found and [c["year"] for c in final.citations] == [2019]
    assert "".join(e.text for e in out if e.kind == "token") == final.answer


def test_a_retry_in_the_second_year_keeps_the_first_year_on_screen() -> None:
    model, _ = fake_model("2018 年生师比为 7.8 [1]。", "2019 年生师比为 7.5 [1]。", "2019 年生师比为 7.2 [1]。")
    out = events(ModelChain(model, FakeRetriever([TEACHERS_2019, TEACHERS_2018])), "2018—2019年的生师比")
    kinds = [e.kind for e in out]
    assert kinds.count("reset") == 1
    after_reset = "".join(e.text for e in out[kinds.index("reset") + 1:] if e.kind == "token")
    assert after_reset.startswith("2018 年生师比为 7.8 [1]。\n")
    assert out[-1].answer.answer == "2018 年生师比为 7.8 [1]。\n2019 年生师比为 7.2 [2]。"
    assert out[-1].answer.retried and out[-1].answer.unsupported_numbers == []


def test_questions_about_rules_and_an_explicit_year_are_not_split() -> None:
    chain = ModelChain(fake_model("x")[0], FakeRetriever([]))
    assert chain.parts("2019年和2020年的报告应当何时提交？") == [(None, "2019年和2020年的报告应当何时提交？")]
    assert chain.parts("2019年和2020年的生师比", year=2020) == [(2020, "2019年和2020年的生师比")]


def test_recent_years_are_split_over_the_latest_reports() -> None:
    retriever = FakeRetriever([])
    retriever.report_years = [2018, 2019, 2020]  # as assistant.retrieval.Retriever reports them
    chain = ModelChain(fake_model("x")[0], retriever)
    assert chain.parts("近两年的生师比分别是多少？") == [(2019, "2019年的生师比是多少？"), (2020, "2020年的生师比是多少？")]
    assert chain.parts("近两年的生师比", year=2020) == [(2020, "近两年的生师比")]


def test_passages_far_below_the_best_are_not_shown() -> None:
    retriever = FakeRetriever([TEACHERS_2019, TEACHERS_2018, FEES])  # scores 1, 0.5, 0.33
    assert len(ModelChain(fake_model("x")[0], retriever, min_score_ratio=0.4).retrieve("生师比")) == 2
    assert len(ModelChain(fake_model("x")[0], retriever).retrieve("生师比")) == 3


def test_explicit_year_is_passed_to_the_retriever_and_anchors_relative_words() -> None:
    model, _ = fake_model("学费为 68000 元/生·年 [1]。")
    retriever = FakeRetriever([FEES])
    answer = ModelChain(model, retriever, k=3).invoke("今年的学费是多少？", year=2020, doc_type="report")
    assert retriever.calls == [{"query": "2020年的学费是多少？", "k": 3, "year": 2020, "doc_type": "report"}]
    assert answer.citations[0]["quote"] == FEES.text


def test_english_question_gets_english_answer_quoting_chinese_figures() -> None:
    model, rec = fake_model("The undergraduate tuition fee is 68000 元/生·年 (RMB 68,000 per student per year) [1].")
    answer = ModelChain(model, FakeRetriever([FEES, LIBRARY])).invoke("What is the tuition fee?")
    assert "English" in rec.human(0)
    assert answer.answer.startswith("The undergraduate tuition fee is 68000")
    assert answer.unsupported_numbers == []
    assert [c["quote"] for c in answer.citations] == [FEES.text]
    assert answer.to_json()["answer"] == answer.answer


def test_unanswerable_question_never_calls_the_model() -> None:
    model, rec = fake_model("不应被调用")
    for chunks in ([], [LIBRARY, TEACHERS_2019]):
        out = events(ModelChain(model, FakeRetriever(chunks)), "学院食堂的菜价是多少？")
        final = out[-1].answer
        assert final.not_found and final.answer == "知识库中未找到相关内容。" and final.citations == []
        assert [e.kind for e in out] == ["token", "final"]
    english = ModelChain(model, FakeRetriever([])).invoke("What is the canteen menu?")
    assert english.answer == "The knowledge base does not contain this." and english.not_found
    assert rec.prompts == []


def test_model_saying_not_found_is_kept_without_citations() -> None:
    model, _ = fake_model("资料中没有提到研究生的就业率。")
    answer = ModelChain(model, FakeRetriever([EMPLOYMENT_2020])).invoke("2020届研究生就业率是多少？")
    assert answer.not_found and answer.citations == [] and answer.answer == "资料中没有提到研究生的就业率。"


def test_unsupported_number_retried_once_then_the_passage_sentence_is_shown() -> None:
    model, rec = fake_model("2020 届就业率为 97.5% [1]。", "2020 届就业率约为 97.5% [1]。")
    chain = ModelChain(model, FakeRetriever([EMPLOYMENT_2020, EMPLOYMENT_2019]))
    out = events(chain, "2020届毕业生就业率是多少？")
    kinds = [e.kind for e in out]
    assert kinds.count("reset") == 2 and kinds[-1] == "final"  # the retry, then the passage's own sentence
    streamed_after_retry = "".join(e.text for e in out[kinds.index("reset"):len(kinds) - 1 - kinds[::-1].index("reset")]
                                   if e.kind == "token")
    assert streamed_after_retry == "2020 届就业率约为 97.5% [1]。"
    assert len(rec.prompts) == 2  # exactly one retry
    assert "资料中没有的数字" not in rec.human(0)
    assert "上一次的回答写了资料中没有的数字：97.5%" in rec.human(1)  # the strict prompt, second
    answer = out[-1].answer
    assert "97.5%" not in answer.answer  # the wrong figure is never what the user reads
    assert answer.answer.startswith("资料原文：「2020 届本科毕业生共 301 人，就业率达 96.5%以上") and "[1]" in answer.answer
    assert answer.mode == "quote" and "未能通过数字核对" in answer.notice
    assert answer.unsupported_numbers == ["97.5%"] and answer.retried
    assert answer.to_json()["unsupported_numbers"] == ["97.5%"]


def test_retry_that_fixes_the_number_is_clean() -> None:
    model, rec = fake_model("就业率为 97.5% [1]。", "就业率达 96.5%以上 [1]。")
    answer = ModelChain(model, FakeRetriever([EMPLOYMENT_2020])).invoke("2020届毕业生就业率是多少？")
    assert len(rec.prompts) == 2
    assert answer.answer == "就业率达 96.5%以上 [1]。" and answer.unsupported_numbers == []


def test_invalid_marker_is_dropped() -> None:
    model, rec = fake_model("生师比为 7.2 [1][9]。")
    answer = ModelChain(model, FakeRetriever([TEACHERS_2019, TEACHERS_2018])).invoke("2019年的生师比是多少？")
    assert answer.answer == "生师比为 7.2 [1]。"
    assert answer.invalid_markers == [9]
    assert [c["n"] for c in answer.citations] == [1] and answer.unsupported_numbers == []
    assert len(rec.prompts) == 1


def test_citations_renumbered_in_order_of_first_use() -> None:
    model, _ = fake_model("2019 年生师比为 7.2 [3]，2018 年为 7.8 [2]；2019 年任课教师 104 人 [3]。")
    retriever = FakeRetriever([EMPLOYMENT_2019, TEACHERS_2018, TEACHERS_2019])
    answer = ModelChain(model, retriever).invoke("生师比和任课教师人数？")
    assert answer.answer == "2019 年生师比为 7.2 [1]，2018 年为 7.8 [2]；2019 年任课教师 104 人 [1]。"
    assert [(c["n"], c["quote"]) for c in answer.citations] == [(1, TEACHERS_2019.text), (2, TEACHERS_2018.text)]


def test_answer_without_markers_gets_the_passage_holding_its_figure() -> None:
    model, rec = fake_model("2019 年任课教师 104 人，生师比为 7.2。")
    answer = ModelChain(model, FakeRetriever([TEACHERS_2018, TEACHERS_2019])).invoke("2019年有多少任课教师？")
    assert answer.answer == "2019 年任课教师 104 人，生师比为 7.2[1]。"
    assert answer.citations[0]["quote"] == TEACHERS_2019.text
    assert answer.unsupported_numbers == [] and len(rec.prompts) == 1


def test_context_is_trimmed_but_quote_is_exact() -> None:
    filler = "学院持续推进教学改革，加强课程建设与质量监控。" * 20
    long_chunk = Chunk(text=filler + "2020 届就业率达 96.5%以上。" + filler, source="reports/a.txt",
                       section="二", year=2020, doc_type="report")
    model, rec = fake_model("就业率达 96.5%以上 [1]。")
    answer = ModelChain(model, FakeRetriever([long_chunk])).invoke("2020届就业率是多少？")
    prompt = rec.human(0)
    assert "96.5%" in prompt and len(prompt) < 600
    assert answer.citations[0]["quote"] == long_chunk.text
    context = format_context([SearchResult(long_chunk, 1.0)] * 5, "2020届就业率是多少？")
    assert len(context) < 1800


def test_relevance_gate() -> None:
    assert "就业率" in key_terms("2020届毕业生就业率是多少？")
    assert "2020" not in key_terms("2020届毕业生就业率是多少？")
    results = [SearchResult(LIBRARY, 0.1)]
    assert not is_relevant("学院食堂的菜价是多少？", results)
    assert is_relevant("图书馆藏书有多少？", results)
    assert not is_relevant("anything", [])
    weak = Chunk(text=LIBRARY.text, source="x", section="", year=None, doc_type="report", extra={"vector_score": 0.1})
    assert not is_relevant("What is the tuition fee?", [SearchResult(weak, 0.1)])
    assert is_relevant("What is the tuition fee?", [SearchResult(FEES, 0.1)])  # no similarity known


def test_to_json_shape() -> None:
    answer = Answer("q", "q2", "a [1]", [{"n": 1, "source": "s", "section": "x", "year": 2020, "page": None, "quote": "t"}])
    data = answer.to_json()
    assert {"question", "answer", "citations", "unsupported_numbers"} <= set(data)
    assert set(data) - {"question", "answer", "citations", "unsupported_numbers"} <= {"standalone_question", "not_found"}
    json.dumps(data, ensure_ascii=False)


# ---- model errors -------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_endpoint_down_gives_a_clear_message() -> None:
    from langchain_openai import ChatOpenAI

    model = ChatOpenAI(model="x", base_url=f"http://127.0.0.1:{_closed_port()}/v1", api_key="test",
                       max_retries=0, timeout=5, streaming=True)
    chain = ModelChain(model, FakeRetriever([EMPLOYMENT_2020]))
    out = events(chain, "2020届毕业生就业率是多少？")
    assert out[-1].kind == "error" and "无法连接到语言模型服务" in out[-1].error
    assert "Traceback" not in out[-1].error
    with pytest.raises(ModelUnavailable, match="Cannot connect"):
        chain.invoke("What was the 2020 employment rate?")


def test_provider_model_with_endpoint_down(settings_factory) -> None:
    from assistant.llm.provider import chat_model

    settings = settings_factory(provider="compatible", base_url=f"http://127.0.0.1:{_closed_port()}/v1",
                                model="x", max_retries=0, request_timeout=5, answer={"from_facts": False})
    chain = AnswerChain.from_settings(settings, FakeRetriever([EMPLOYMENT_2020]))
    assert chain.k == settings.answer_passages
    with pytest.raises(ModelUnavailable) as info:
        chain.invoke("2020届毕业生就业率是多少？")
    assert "无法连接到模型服务" in str(info.value) and info.value.provider == "compatible"
    out = events(ModelChain(chat_model(settings), FakeRetriever([EMPLOYMENT_2020])), "2020届毕业生就业率是多少？")
    assert out[-1].kind == "error" and "无法连接到模型服务" in out[-1].error


class _Unavailable(BaseChatModel):
    def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        raise ModelUnavailable("本地模型文件不存在，请先运行 download-model。", provider="local", base_url=None)

    @property
    def _llm_type(self) -> str:
        return "unavailable"


def test_provider_error_message_passes_through_and_condense_failure_too() -> None:
    chain = ModelChain(_Unavailable(), FakeRetriever([EMPLOYMENT_2020]))
    with pytest.raises(ModelUnavailable, match="本地模型文件不存在"):
        chain.invoke("2020届毕业生就业率是多少？")
    out = events(chain, "去年呢？", history=[("user", "2020届就业率？"), ("assistant", "96.5% [1]")])
    assert out[-1].kind == "error" and "本地模型文件不存在" in out[-1].error


# ---- a real ChatOpenAI against the recorded OpenAI-compatible server ------------------------------


def test_streaming_through_recorded_server(tmp_path) -> None:
    from langchain_openai import ChatOpenAI

    from tests.support.recorded_server import serve

    cassette = tmp_path / "answer.json"
    cassette.write_text(json.dumps({
        "model": "recorded", "chunk_chars": 3,
        "rules": [
            {"name": "condense", "user": "【追问】", "response": "2019年的生师比是多少？"},
            {"name": "answer", "user": "生师比", "response": "2019 年生师比为 7.2 [1]，任课教师 104 人 [1]。"},
        ],
        "default": {"response": "知识库中未找到相关内容。"},
    }, ensure_ascii=False), encoding="utf-8")
    with serve(cassette, tmp_path / "log.jsonl") as server:
        model = ChatOpenAI(model="recorded", base_url=server.base_url, api_key="test", max_retries=0,
                           timeout=10, streaming=True, temperature=0)
        retriever = FakeRetriever([TEACHERS_2019, TEACHERS_2018])
        chain = ModelChain(model, retriever)
        history = [{"role": "user", "content": "2020年的生师比是多少？"}, {"role": "assistant", "content": "6.9 [1]"}]
        out = events(chain, "去年的呢？", history=history)
        requests = server.chat_requests()
    tokens = [e.text for e in out if e.kind == "token"]
    assert len(tokens) > 3 and "".join(tokens) == "2019 年生师比为 7.2 [1]，任课教师 104 人 [1]。"
    answer = out[-1].answer
    assert answer.standalone_question == "2019年的生师比是多少？"
    assert retriever.calls[0]["query"] == "2019年的生师比是多少？"
    assert answer.citations[0]["quote"] == TEACHERS_2019.text and answer.unsupported_numbers == []
    assert len(requests) == 2 and requests[1]["stream"] is True
    assert requests[1]["messages"][0]["role"] == "system"


@pytest.mark.parametrize(("mode", "expected"), [("500", "模型服务内部错误"), ("truncated", "语言模型不可用"), ("malformed", "格式错误"),
                                                ("429", "速率限制")])
def test_recorded_server_errors_become_messages(tmp_path, settings_factory, mode: str, expected: str) -> None:
    from tests.support.recorded_server import serve

    cassette = tmp_path / "errors.json"
    cassette.write_text(json.dumps({"rules": [{"name": "answer", "user": "就业率", "error": mode,
                                               "response": "2020 届就业率达 96.5%以上 [1]。" * 3}]},
                                   ensure_ascii=False), encoding="utf-8")
    with serve(cassette, tmp_path / "log.jsonl") as server:
        settings = settings_factory(provider="compatible", base_url=server.base_url, model="recorded", answer={"from_facts": False},
                                    max_retries=0, request_timeout=10)
        chain = AnswerChain.from_settings(settings, FakeRetriever([EMPLOYMENT_2020]))
        out = events(chain, "2020届毕业生就业率是多少？")
    assert out[-1].kind == "error" and expected in out[-1].error, out[-1].error


def test_a_year_missing_from_the_knowledge_base_is_not_answered_with_another_years_figure() -> None:
    model, recorder = fake_model("学生党员 138 人 [1]。")
    retriever = FakeRetriever([EMPLOYMENT_2020])  # the index only has 2020: the retriever falls back to it
    answer = ModelChain(model, retriever).invoke("2018年毕业生就业率是多少？")
    assert answer.not_found and answer.answer == "知识库中未找到相关内容。"
    assert recorder.prompts == []
    # a passage of another year that names the year asked about is kept
    assert ModelChain(model, FakeRetriever([EMPLOYMENT_2020])).retrieve("2020届就业率")
