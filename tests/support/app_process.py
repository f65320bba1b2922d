"""The web app in a subprocess for tests and benchmarks: environment, start, stop, memory."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import REPO, free_port, wait_for_port
from tests.support.processes import stop_process


@dataclass
class RunningApp:
    url: str
    data_dir: Path
    knowledge_dir: Path
    log: Path
    process: subprocess.Popen
    recorded: Any = None

    def peak_rss_kb(self) -> int:
        return proc_memory(self.process.pid)[1]


def proc_memory(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in kB, from /proc."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def app_env(data_dir: Path, knowledge_dir: Path, base_url: str, **extra: str) -> dict[str, str]:
    """The app's environment: our folders, the recorded-response model, nothing inherited from the
    developer's ASSISTANT_*/OPENAI_* settings; ``extra`` overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "OPENAI_"))}
    env.update(ASSISTANT_DATA_DIR=str(data_dir), ASSISTANT_KNOWLEDGE_DIR=str(knowledge_dir),
               ASSISTANT_PROVIDER="compatible", ASSISTANT_BASE_URL=base_url, ASSISTANT_MODEL="recorded-model",
               GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
               PYTHONPATH=str(REPO), NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost",
               PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def start_app(env: dict[str, str], log: Path, *, verbose: bool = False, timeout: float = 180) -> RunningApp:
    """``python app.py`` on a free loopback port, output to ``log``; waits until it listens."""
    port = free_port()
    args = [sys.executable, str(REPO / "app.py"), "--port", str(port)] + (["-v"] if verbose else [])
    with log.open("w") as fh:
        process = subprocess.Popen(args, cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, timeout=timeout)
    except Exception:
        process.kill()
        raise RuntimeError(log.read_text(errors="replace")) from None
    return RunningApp(f"http://127.0.0.1:{port}", Path(env["ASSISTANT_DATA_DIR"]),
                      Path(env["ASSISTANT_KNOWLEDGE_DIR"]), log, process)


def stop_app(app: RunningApp) -> None:
    stop_process(app.process)
