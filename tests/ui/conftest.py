"""Real parts for the UI tests: the app in a subprocess over a temporary copy of the sample
knowledge folder, answering through the recorded-response server, driven by Debian's Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE_KNOWLEDGE
from tests.support.app_process import RunningApp, app_env, start_app, stop_app

CASSETTE = Path(__file__).parent / "cassettes" / "ui.json"
SCREENSHOTS = REPO / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
ADMIN = ("wang", "wang-password-1")
STAFF = ("li", "li-password-22")


def ui_env(data_dir: Path, knowledge_dir: Path, base_url: str) -> dict[str, str]:
    return app_env(data_dir, knowledge_dir, base_url, ASSISTANT_REQUEST_TIMEOUT="20", ASSISTANT_MAX_RETRIES="0",
                   ASSISTANT_MAX_UPLOAD_MB="1")


def start_ui_app(data_dir: Path, knowledge_dir: Path, base_url: str, log: Path) -> RunningApp:
    return start_app(ui_env(data_dir, knowledge_dir, base_url), log, timeout=120)


@pytest.fixture(scope="session")
def recorded(tmp_path_factory: pytest.TempPathFactory):
    from tests.support.recorded_server import serve

    with serve(CASSETTE, tmp_path_factory.mktemp("recorded") / "requests.jsonl") as server:
        yield server


@pytest.fixture(scope="session")
def indexed(tmp_path_factory: pytest.TempPathFactory, recorded) -> tuple[Path, Path]:
    """A knowledge folder (copy of the sample) and a data folder with its index built."""
    root = tmp_path_factory.mktemp("ui-app")
    knowledge, data = root / "knowledge", root / "data"
    shutil.copytree(SAMPLE_KNOWLEDGE, knowledge)
    subprocess.run([sys.executable, "-m", "assistant", "ingest"], cwd=REPO, check=True, capture_output=True,
                   env=ui_env(data, knowledge, recorded.base_url), timeout=300)
    return knowledge, data


@pytest.fixture(scope="session")
def app(indexed, recorded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """The app with login on: an admin and a staff user."""
    from assistant.users import add_user

    knowledge, data = indexed
    add_user(data / "users.json", *ADMIN, admin=True)
    add_user(data / "users.json", *STAFF)
    running = start_ui_app(data, knowledge, recorded.base_url, tmp_path_factory.mktemp("logs") / "app.log")
    yield running
    stop_app(running)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is not installed: run the tests with ./dev.sh test (it installs chromium and fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def login(page, app: RunningApp, user: tuple[str, str] = ADMIN) -> None:
    page.goto(app.url, wait_until="load")
    page.wait_for_selector("input[type=password]")
    page.locator("input:not([type=password])").first.fill(user[0])
    page.locator("input[type=password]").first.fill(user[1])
    page.get_by_role("button", name=re.compile("^(Login|登录)$")).click()
    page.wait_for_selector("#tab-chat, #chatbot", state="attached", timeout=60_000)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
