"""app.py without users: refused on a non-loopback address; single-user on 127.0.0.1 with a notice."""

from __future__ import annotations

import shutil
import subprocess
import sys

from playwright.sync_api import expect

from tests.conftest import REPO
from tests.support.app_process import stop_app
from tests.ui.conftest import start_ui_app, ui_env


def test_refuses_public_address_without_users(tmp_path):
    env = ui_env(tmp_path / "data", tmp_path / "knowledge", "http://127.0.0.1:9/v1")
    done = subprocess.run([sys.executable, str(REPO / "app.py"), "--host", "0.0.0.0", "--port", "1"], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "拒绝" in done.stderr and "Refusing to listen on 0.0.0.0" in done.stderr
    assert "python -m assistant user add" in done.stderr


def test_single_user_mode(indexed, recorded, tmp_path, browser):
    knowledge, data = indexed
    own = tmp_path / "data"
    shutil.copytree(data, own, ignore=shutil.ignore_patterns("users.json", "history.sqlite3*"))
    app = start_ui_app(own, knowledge, recorded.base_url, tmp_path / "app.log")
    try:
        page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
        page.goto(app.url, wait_until="load")
        notice = page.locator("#single-user-notice")
        expect(notice).to_be_visible(timeout=60_000)
        expect(notice).to_contain_text("单用户模式")
        expect(notice).to_contain_text("127.0.0.1")
        expect(page.get_by_role("tab", name="知识库")).to_be_visible()  # the local user manages the knowledge base
        page.context.close()
    finally:
        stop_app(app)


def test_gradio_server_name_is_honoured_without_host(tmp_path):
    env = {**ui_env(tmp_path / "data", tmp_path / "knowledge", "http://127.0.0.1:9/v1"), "GRADIO_SERVER_NAME": "0.0.0.0"}
    done = subprocess.run([sys.executable, str(REPO / "app.py"), "--port", "1"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Refusing to listen on 0.0.0.0" in done.stderr


def test_gradio_server_port_is_honoured_and_host_option_wins(tmp_path):
    from tests.conftest import free_port, wait_for_port
    from tests.support.processes import stop_process

    port = free_port()
    env = {**ui_env(tmp_path / "data", tmp_path / "knowledge", "http://127.0.0.1:9/v1"), "GRADIO_SERVER_NAME": "0.0.0.0",
           "GRADIO_SERVER_PORT": str(port)}
    log = (tmp_path / "app.log").open("w")
    process = subprocess.Popen([sys.executable, str(REPO / "app.py"), "--host", "127.0.0.1"], cwd=REPO, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, timeout=180)  # --host beat GRADIO_SERVER_NAME (else: refused, exit 2)
        assert f"http://127.0.0.1:{port}" in (tmp_path / "app.log").read_text()
    finally:
        stop_process(process)
        log.close()


def test_bad_gradio_server_port(tmp_path):
    env = {**ui_env(tmp_path / "data", tmp_path / "knowledge", "http://127.0.0.1:9/v1"), "GRADIO_SERVER_PORT": "eighty"}
    done = subprocess.run([sys.executable, str(REPO / "app.py")], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "GRADIO_SERVER_PORT" in done.stderr and "'eighty'" in done.stderr
