"""Stopping the server processes the tests start (importable from the standalone test servers too)."""

from __future__ import annotations

import subprocess


def stop_process(process: subprocess.Popen, timeout: float = 20) -> None:
    """Terminate, wait up to ``timeout`` seconds, then kill."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
