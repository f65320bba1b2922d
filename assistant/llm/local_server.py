"""The offline chat model: llama.cpp's OpenAI-compatible HTTP server (``xllamacpp``) on 127.0.0.1.

The server runs in a child process (``python -m assistant.llm.local_server``), not in the app:
``xllamacpp.Server`` has no stop method (native threads and memory go away only with the process),
a crash in native code (bad GGUF, out of memory) would otherwise kill the app, and a hung child can
always be killed. The child binds a free port itself (port 0), prints one ``READY <base_url>`` line
on stdout, and exits when its stdin closes, so it dies with the app even if the app is killed.
"""

from __future__ import annotations

import argparse
import atexit
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import IO

_READY = "READY "
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


class LocalServerError(RuntimeError):
    """The local model server did not start or answer."""


class LocalModelServer:
    """A llama.cpp server child process serving one GGUF model; a context manager.

    ``base_url`` is the OpenAI-compatible root, e.g. ``http://127.0.0.1:PORT/v1``.
    """

    def __init__(
        self,
        model_path: Path,
        *,
        threads: int = 2,
        n_ctx: int = 8192,
        port: int = 0,
        startup_timeout: float = 180.0,
        log_path: Path | None = None,
    ) -> None:
        self.model_path = Path(model_path)
        self.threads = threads
        self.n_ctx = n_ctx
        self.port = port
        self.startup_timeout = startup_timeout
        self.log_path = log_path
        self._own_log = log_path is None
        self._proc: subprocess.Popen[str] | None = None
        self._base_url: str | None = None

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise LocalServerError("The local model server is not running.")
        return self._base_url

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> str:
        """Start the child, wait until ``/health`` answers, and return ``base_url``."""
        if self.running:
            return self.base_url
        if not self.model_path.is_file():
            raise LocalServerError(f"本地模型文件不存在 / Local model file not found: {self.model_path}")
        if self.log_path is None:
            fd, name = tempfile.mkstemp(prefix="assistant-llm-", suffix=".log")
            os.close(fd)
            self.log_path = Path(name)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_PACKAGE_ROOT), env.get("PYTHONPATH")]))
        command = [
            sys.executable, "-m", "assistant.llm.local_server", "--model", str(self.model_path),
            "--port", str(self.port), "--ctx", str(self.n_ctx), "--threads", str(self.threads),
            "--exit-on-stdin-eof",
        ]  # fmt: skip
        with self.log_path.open("w", encoding="utf-8") as log:
            self._proc = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True, env=env,
                start_new_session=True,
            )  # fmt: skip
        atexit.register(self.stop)
        try:
            self._base_url = self._wait_ready()
        except BaseException:
            self.stop(keep_log=True)
            raise
        return self._base_url

    def _wait_ready(self) -> str:
        assert self._proc is not None and self._proc.stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_pump, args=(self._proc.stdout, lines), daemon=True).start()
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise self._failure(f"exited with code {self._proc.returncode}")
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if line.startswith(_READY):
                base_url = line[len(_READY) :].strip()
                if _healthy(base_url, deadline):
                    return base_url
                break
        raise self._failure(f"did not become ready within {self.startup_timeout:.0f} s")

    def _failure(self, what: str) -> LocalServerError:
        tail = ""
        if self.log_path is not None and self.log_path.exists():
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
            tail = "\n  " + "\n  ".join(lines)
        return LocalServerError(
            f"本地模型服务启动失败 / The local model server ({self.model_path.name}) {what}. "
            f"Log: {self.log_path}{tail}"
        )

    def stop(self, *, keep_log: bool = False) -> None:
        """Stop the child (close stdin, then terminate, then kill); idempotent."""
        atexit.unregister(self.stop)
        proc, self._proc, self._base_url = self._proc, None, None
        if proc is not None:
            if proc.stdin is not None:
                try:
                    proc.stdin.close()
                except OSError:
                    pass
            for action in (None, proc.terminate, proc.kill):
                if action is not None:
                    action()
                try:
                    proc.wait(timeout=5)
                    break
                except subprocess.TimeoutExpired:
                    continue
            if proc.stdout is not None:
                proc.stdout.close()
        if self._own_log and not keep_log and self.log_path is not None:
            self.log_path.unlink(missing_ok=True)
            self.log_path = None

    def __enter__(self) -> LocalModelServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _pump(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)


def _healthy(base_url: str, deadline: float) -> bool:
    """Poll ``GET <root>/health`` until it answers 200 or the deadline passes."""
    url = base_url.removesuffix("/v1") + "/health"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return False


def _exit_when_stdin_closes() -> None:
    sys.stdin.read()
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    """Serve one GGUF model over HTTP until killed (or until stdin closes, with ``--exit-on-stdin-eof``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="GGUF file")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--ctx", type=int, default=8192, help="context window (tokens)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--exit-on-stdin-eof", action="store_true", help="exit when the parent closes stdin")
    args = parser.parse_args(argv)
    if args.exit_on_stdin_eof:
        threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()

    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(args.model)
    params.port = args.port
    params.hostnames = [args.host]
    params.n_ctx = args.ctx
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    server = xllamacpp.Server(params)  # returns once the model is loaded and the port is bound
    print(f"{_READY}{server.listening_address}/v1", flush=True)
    threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
