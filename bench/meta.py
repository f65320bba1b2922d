"""The line every benchmark prints first: which machine, when, which commit (and whether the tree had
uncommitted changes), so a README table can say where its figures come from."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def header() -> str:
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    commit = git("rev-parse", "--short", "HEAD") or "?"
    dirty = " (uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""
    return (f"machine: {platform.node()} ({os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}), "
            f"date: {dt.datetime.now():%Y-%m-%d %H:%M}, commit: {commit}{dirty}")
