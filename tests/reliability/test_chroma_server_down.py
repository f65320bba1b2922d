"""The Chroma server stops mid-session (a ``chroma run`` process this test starts and stops itself):
every vector-store call fails with :class:`VectorStoreUnavailable` naming the address (not a raw
``httpx.ConnectError``), an ingest attempted meanwhile commits nothing, and when the server returns on
the same port the same objects work again and the next ingest finishes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import free_port, wait_for_port
from tests.reliability.conftest import assert_consistent, fake_chat_model, index_state, small_corpus
from tests.support.processes import stop_process


class ChromaProcess:
    def __init__(self, path: Path, port: int) -> None:
        self.command = [str(Path(sys.executable).with_name("chroma")), "run", "--path", str(path), "--host",
                        "127.0.0.1", "--port", str(port)]
        self.port = port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.process)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)


@pytest.fixture
def chroma(tmp_path):
    server = ChromaProcess(tmp_path / "chroma-server", free_port())
    server.start()
    yield server
    server.stop()


def test_server_stopped_mid_session_then_back_on_the_same_port(tmp_path, chroma):
    from assistant.index.sync import Indexer
    from assistant.index.vector_store import VectorStoreUnavailable
    from assistant.retrieval import Retriever
    from assistant.settings import Settings

    knowledge = small_corpus(tmp_path / "knowledge")
    settings = Settings(knowledge_dir=knowledge, data_dir=tmp_path / "data", chroma_host="127.0.0.1",
                        chroma_port=chroma.port, collection="reliability")
    indexer = Indexer(settings)
    assert len(indexer.sync().added) == 3
    retriever = Retriever(settings, indexer.catalog, indexer.vectors)
    assert retriever.search("2022年生师比", k=3)
    before = index_state(indexer)

    chroma.stop()
    address = f"127.0.0.1:{chroma.port}"
    with pytest.raises(VectorStoreUnavailable, match=address) as info:
        retriever.search("2021年生师比", k=3)
    assert "Chroma" in str(info.value) and "Traceback" not in str(info.value)
    with pytest.raises(VectorStoreUnavailable, match=address):
        indexer.vectors.ids()
    with pytest.raises(VectorStoreUnavailable, match=address):
        Indexer(settings)  # a new process (e.g. the CLI) would see the same message

    (knowledge / "reports" / "2020_report.md").write_text("# 2020 年度自评报告\n\n## 一、概况\n\n2020 年在校生 2020 人。\n",
                                                          encoding="utf-8")
    with pytest.raises(VectorStoreUnavailable):
        indexer.sync()
    assert indexer.catalog.chunk_ids() == before.chunk_ids  # nothing committed without its vectors

    chroma.start()  # same path, same port
    assert retriever.search("2021年生师比", k=3)
    assert indexer.vectors.ids() == before.vector_ids
    report = indexer.sync()
    assert report.added == ["reports/2020_report.md"]
    assert_consistent(indexer)


def test_chat_stream_ends_with_an_error_event_when_the_vector_store_is_down():
    from assistant.chains.answer import AnswerChain
    from assistant.index.vector_store import VectorStoreUnavailable

    class Down:
        def search(self, query, **kwargs):
            raise VectorStoreUnavailable("无法连接 Chroma 服务器 127.0.0.1:8000 (Chroma server 127.0.0.1:8000 unreachable)")

    events = list(AnswerChain(fake_chat_model(), Down()).stream("2022年的生师比是多少？"))
    assert events[-1].kind == "error" and "127.0.0.1:8000" in events[-1].error


def test_cli_ingest_with_the_server_down_prints_the_message_not_a_traceback(tmp_path):
    from tests.conftest import REPO
    from tests.reliability.conftest import app_env

    knowledge = small_corpus(tmp_path / "knowledge")
    env = {**app_env(tmp_path / "data", knowledge, "http://127.0.0.1:9/v1"), "ASSISTANT_CHROMA_HOST": "127.0.0.1",
           "ASSISTANT_CHROMA_PORT": str(free_port())}
    done = subprocess.run([sys.executable, "-m", "assistant", "ingest"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 4
    assert "无法连接 Chroma 服务器" in done.stderr
    assert "Traceback" not in done.stderr, done.stderr[-1500:]
