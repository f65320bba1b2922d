"""Shared fixtures. Tests never reach the internet: sockets may only connect to loopback."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import stop_process

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
for _var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ASSISTANT_PROVIDER", "ASSISTANT_CHROMA_HOST"):
    os.environ.pop(_var, None)

REPO = Path(__file__).resolve().parents[1]
REAL_REPORT = REPO / "tests" / "data" / "2020_self_assessment_report.txt"
"""The real 2020 report (extracted PDF text), an unchanged copy so the suite needs nothing outside the repo."""
SAMPLE_KNOWLEDGE = REPO / "knowledge"

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> object:
    if isinstance(address, tuple) and self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            resolved = ipaddress.ip_address(socket.gethostbyname(host) if self.family == socket.AF_INET else host)
        except (OSError, ValueError):
            resolved = None
        if resolved is None or not resolved.is_loopback:
            raise ConnectionRefusedError(f"tests may not reach the network ({host})")
    return _real_connect(self, address)


socket.socket.connect = _loopback_only  # type: ignore[method-assign]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port} after {timeout}s")


@pytest.fixture(autouse=True)
def _gguf_model_only_when_marked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that loads a real GGUF chat model must be marked ``@pytest.mark.model``, so that
    ``pytest -m "not model"`` is the fast run that never loads one; an unmarked test that tries fails."""
    if request.node.get_closest_marker("model"):
        return
    from assistant.llm.local_server import LocalModelServer
    from assistant.llm.model_files import REGISTRY

    real = {entry.filename for entry in REGISTRY.values()}
    start = LocalModelServer.start

    def guarded(self: LocalModelServer) -> str:
        if Path(self.model_path).name in real:
            raise AssertionError(f"{request.node.nodeid} loads the GGUF model {Path(self.model_path).name}: "
                                 "mark it @pytest.mark.model")
        return start(self)

    monkeypatch.setattr(LocalModelServer, "start", guarded)


@pytest.fixture
def settings_factory(tmp_path: Path):
    """Settings pointing at a temporary knowledge and data folder."""
    from assistant.settings import Settings

    def make(knowledge: Path | None = None, **overrides) -> Settings:
        knowledge = knowledge or tmp_path / "knowledge"
        knowledge.mkdir(parents=True, exist_ok=True)
        return Settings(knowledge_dir=knowledge, data_dir=tmp_path / "data", **overrides)

    return make


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real ``chroma run`` process on loopback."""
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    chroma = Path(sys.executable).with_name("chroma")
    process = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process)
        yield "127.0.0.1", port
    finally:
        stop_process(process)


REAL_SOURCE = "reports/2020_self_assessment_report.txt"


def chunks_of(path: Path, source: str) -> list:
    """A document's chunks as the project's ingest makes them (no index, no embeddings), ids as the
    catalog writes them."""
    from assistant.ingest import document_chunks, load_document
    from assistant.settings import Settings

    chunks = document_chunks(load_document(path), source, Settings())[0]
    for c in chunks:
        c.id = f"{source}-{c.ordinal}"
    return chunks


@pytest.fixture(scope="session")
def real_chunks() -> list:
    """Chunks of the real 2020 report (tests/data copy)."""
    return chunks_of(REAL_REPORT, REAL_SOURCE)


@pytest.fixture(scope="session")
def sample_chunks() -> list:
    """Chunks of every document of the sample corpus (knowledge/)."""
    out: list = []
    for path in sorted(SAMPLE_KNOWLEDGE.rglob("*.*")):
        if path.name != "README.md":
            out += chunks_of(path, path.relative_to(SAMPLE_KNOWLEDGE).as_posix())
    return out
