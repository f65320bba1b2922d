"""A small OpenAI-compatible HTTP server that replays recorded chat responses, for tests.

Run: ``python -m tests.support.recorded_server --cassette FILE [--port N] [--log FILE]``; it prints
``READY http://127.0.0.1:PORT/v1`` once listening (port 0 = any free port). Endpoints:
``POST /v1/chat/completions`` (``stream`` true/false, SSE chunks then ``data: [DONE]``),
``GET /v1/models``, ``GET /health``. Every request is appended to the ``--log`` JSONL file.

Cassette (JSON)::

    {"model": "recorded", "chunk_chars": 4,
     "rules": [{"name": "outline", "user": "大纲", "response": "一、..."},
               {"name": "flaky", "system_regex": "^You are", "error": "500", "times": 1, "response": "ok"}],
     "default": {"response": "fallback text"}}

A rule matches when all of its given conditions hold: ``user`` / ``user_regex`` (substring / regex
of the last user message), ``system`` / ``system_regex`` (of the system prompt). The first matching
rule wins, else ``default``. Error modes, per rule or per request (header ``X-Recorded-Error`` /
``X-Recorded-Delay``) or for the whole server (env ``RECORDED_SERVER_ERROR`` /
``RECORDED_SERVER_DELAY``): ``"error"``: ``"500"``, ``"429"`` (with ``retry_after`` seconds,
default 1), ``"malformed"`` (an invalid JSON chunk/body), ``"truncated"`` (connection closed before
the end of the body, i.e. before ``[DONE]``), ``"cut"`` (stream: the body ends cleanly but early, with
neither a finish_reason nor ``[DONE]``); ``"delay"``: sleep N seconds before answering;
``"times"``: apply the error to the first N matching requests only; ``"finish_reason"`` (default
``"stop"``): e.g. ``"length"`` for an answer cut at the output-token limit.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.support.processes import stop_process

_READY = "READY "
_REPO_ROOT = Path(__file__).resolve().parents[2]


def _text(content: Any) -> str:
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content or "")


def _matches(rule: dict[str, Any], system: str, user: str) -> bool:
    checks = [
        ("user", lambda v: v in user),
        ("user_regex", lambda v: re.search(v, user) is not None),
        ("system", lambda v: v in system),
        ("system_regex", lambda v: re.search(v, system) is not None),
    ]
    return all(check(rule[key]) for key, check in checks if key in rule)


class Cassette:
    """Rules from a cassette file, with per-rule counters for ``times``."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.model: str = data.get("model", "recorded")
        self.chunk_chars: int = data.get("chunk_chars", 4)
        self.rules: list[dict[str, Any]] = data.get("rules", [])
        self.default: dict[str, Any] = {"name": "default", **data.get("default", {"response": ""})}
        self._seen: dict[int, int] = {}
        self._lock = threading.Lock()

    def choose(self, messages: list[dict[str, Any]]) -> tuple[dict[str, Any], bool]:
        """The matching rule and whether its error applies to this request."""
        system = "\n".join(_text(m.get("content")) for m in messages if m.get("role") in ("system", "developer"))
        users = [_text(m.get("content")) for m in messages if m.get("role") == "user"]
        user = users[-1] if users else ""
        rule = next((r for r in self.rules if _matches(r, system, user)), self.default)
        with self._lock:
            count = self._seen.get(id(rule), 0)
            self._seen[id(rule)] = count + 1
        return rule, "times" not in rule or count < rule["times"]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._log(None, None)
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            model = {"id": self.server.cassette.model, "object": "model", "created": 0, "owned_by": "recorded"}
            self._json(200, {"object": "list", "data": [model]})
        elif self.path in ("/health", "/v1/health"):
            self._json(200, {"status": "ok"})
        else:
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
            self._log(body, None)
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return
        rule, error_applies = self.server.cassette.choose(body.get("messages", []))
        self._log(body, rule["name"] if "name" in rule else None)
        error = self.headers.get("X-Recorded-Error") or os.environ.get("RECORDED_SERVER_ERROR")
        if error is None and error_applies:
            error = rule.get("error")
        delay = self.headers.get("X-Recorded-Delay") or os.environ.get("RECORDED_SERVER_DELAY") or rule.get("delay")
        if delay:
            time.sleep(float(delay))
        if error == "500":
            self._json(500, {"error": {"message": "recorded server error", "type": "server_error"}})
        elif error == "429":
            retry = str(rule.get("retry_after", 1))
            self._json(429, {"error": {"message": "rate limited", "type": "rate_limit"}}, {"Retry-After": retry})
        elif body.get("stream"):
            self._stream(body, rule.get("response", ""), error, rule.get("finish_reason", "stop"))
        else:
            self._complete(body, rule.get("response", ""), error, rule.get("finish_reason", "stop"))

    def _log(self, body: dict[str, Any] | None, rule: str | None) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.record({"method": self.command, "path": self.path, "headers": headers, "body": body, "rule": rule})

    def _send_head(self, status: int, content_type: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Connection", "close")
        for key, value in headers.items():
            self.send_header(key, value)
        self.close_connection = True

    def _json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self._send_head(status, "application/json", {"Content-Length": str(len(data)), **(headers or {})})
        self.end_headers()
        self.wfile.write(data)

    def _complete(self, body: dict[str, Any], text: str, error: str | None, finish_reason: str) -> None:
        payload = {
            "id": "chatcmpl-recorded",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.server.cassette.model),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish_reason}],
            "usage": _usage(body, text),
        }
        data = sent = json.dumps(payload, ensure_ascii=False).encode()
        if error == "malformed":
            data = sent = data[: len(data) // 2]
        elif error == "truncated":  # announce the full length, send half, close
            sent = data[: len(data) // 2]
        self._send_head(200, "application/json", {"Content-Length": str(len(data))})
        self.end_headers()
        self.wfile.write(sent)

    def _stream(self, body: dict[str, Any], text: str, error: str | None, finish_reason: str) -> None:
        self._send_head(200, "text/event-stream", {"Transfer-Encoding": "chunked", "Cache-Control": "no-cache"})
        self.end_headers()
        base = {
            "id": "chatcmpl-recorded",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model", self.server.cassette.model),
        }
        size = self.server.cassette.chunk_chars
        pieces = [text[i : i + size] for i in range(0, len(text), size)] or [""]
        events = [
            {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": p}, "finish_reason": None}]}
            for p in pieces
        ]
        events.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": finish_reason}]})
        if (body.get("stream_options") or {}).get("include_usage"):
            events.append({**base, "choices": [], "usage": _usage(body, text)})
        lines = [f"data: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events] + ["data: [DONE]\n\n"]
        if error == "malformed":
            lines.insert(1, 'data: {"choices": [{"delta": \n\n')
        if error in ("truncated", "cut"):
            lines = lines[: max(1, len(pieces) // 2)]
        for line in lines:
            self._chunk(line.encode())
        if error != "truncated":
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


def _usage(body: dict[str, Any], text: str) -> dict[str, int]:
    prompt = sum(len(_text(m.get("content"))) for m in body.get("messages", []))
    return {"prompt_tokens": prompt, "completion_tokens": len(text), "total_tokens": prompt + len(text)}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, cassette: Cassette, log_path: Path | None) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.cassette = cassette
        self.log_path = log_path
        self._log_lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # clients that gave up are expected
            super().handle_error(request, client_address)

    def record(self, record: dict[str, Any]) -> None:
        if self.log_path is None:
            return
        with self._log_lock, self.log_path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


@dataclass
class RecordedServer:
    """A running recorded-response server: its ``base_url`` and the requests it has received."""

    base_url: str
    log_path: Path

    def requests(self) -> list[dict[str, Any]]:
        """Every request received so far (method, path, headers with lower-case names, body, rule), oldest first."""
        if not self.log_path.exists():
            return []
        return [json.loads(line) for line in self.log_path.read_text(encoding="utf-8").splitlines()]

    def chat_requests(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests() if r["method"] == "POST"]


@contextmanager
def serve(
    cassette: Path, log_path: Path, env: dict[str, str] | None = None, timeout: float = 15.0
) -> Iterator[RecordedServer]:
    """Run the server in a subprocess on a free port; yield it once ready; terminate it afterwards."""
    command = [sys.executable, "-m", "tests.support.recorded_server", "--cassette", str(cassette), "--port", "0"]
    command += ["--log", str(log_path)]
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_REPO_ROOT), full_env.get("PYTHONPATH")]))
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=full_env, cwd=_REPO_ROOT)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # the server prints READY or dies (EOF)
        if not line.startswith(_READY):
            raise RuntimeError(f"recorded server did not start (exit code {proc.wait(timeout)})")
        yield RecordedServer(line[len(_READY) :].strip(), log_path)
    finally:
        stop_process(proc, timeout)
        if proc.stdout is not None:
            proc.stdout.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cassette", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--log", type=Path, help="JSONL file receiving every request")
    args = parser.parse_args(argv)
    cassette = Cassette(json.loads(args.cassette.read_text(encoding="utf-8")))
    server = _Server(args.port, cassette, args.log)
    print(f"{_READY}http://127.0.0.1:{server.server_address[1]}/v1", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
