"""Fixtures: a clean environment for Settings, and the recorded-response server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.recorded_server import RecordedServer, serve

CASSETTES = Path(__file__).resolve().parents[1] / "support" / "cassettes"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No OpenAI or ASSISTANT_* variables and no config file leak into Settings."""
    for name in list(os.environ):
        if name.startswith(("ASSISTANT_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "absent.toml"))


@pytest.fixture
def recorded(tmp_path: Path) -> Iterator[RecordedServer]:
    with serve(CASSETTES / "llm_basic.json", tmp_path / "requests.jsonl") as server:
        yield server
