"""Services is the only wiring: one chat model for answering and drafting, the CLI through it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import cli
from assistant.index.sync import SyncReport
from assistant.services import Services
from tests.conftest import SAMPLE_KNOWLEDGE


@pytest.fixture
def services(settings_factory) -> Services:
    return Services(settings_factory(provider="compatible", base_url="http://127.0.0.1:9/v1", model="recorded"))


def test_answer_chain_and_drafting_share_the_one_chat_model(services: Services) -> None:
    model = services.chat_model
    assert services.chat_model is model
    assert services.answer_chain.chat_model is model
    deps = services.draft_deps()
    assert deps.retriever is services.retriever and deps.model() is model


def test_update_mode_drafting_builds_no_chat_model(settings_factory) -> None:
    services = Services(settings_factory(SAMPLE_KNOWLEDGE, provider="compatible", base_url="http://127.0.0.1:9/v1"))
    services.ingest()
    result = services.draft("师资建设", 2024, "- 任课教师 135 人", mode="update")
    assert "135" in result.text
    assert "chat_model" not in services.__dict__  # the cached property was never computed


def test_cli_ingest_search_and_status_go_through_services(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[tuple[str, object]] = []

    def ingest(self: Services, *, rebuild: bool = False, progress=None, page_progress=None) -> SyncReport:
        calls.append(("ingest", rebuild))
        return SyncReport(added=["reports/a.md"], chunks=3)

    monkeypatch.setattr(Services, "ingest", ingest)
    args = ["--knowledge", str(tmp_path / "k"), "--data", str(tmp_path / "d")]
    (tmp_path / "k").mkdir()
    assert cli.main([*args, "ingest", "--rebuild", "--json"]) == 0
    assert calls == [("ingest", True)]
    assert json.loads(capsys.readouterr().out)["added"] == ["reports/a.md"]

    searched: list[str] = []
    original = Services.retriever.func  # the cached_property's function

    def retriever(self: Services):
        searched.append("retriever")
        return original(self)

    monkeypatch.setattr(Services, "retriever", property(retriever))
    assert cli.main([*args, "search", "生师比", "--json"]) == 0
    assert searched == ["retriever"] and json.loads(capsys.readouterr().out)["results"] == []

    listed: list[str] = []
    documents = Services.documents

    def recorded_documents(self: Services) -> list:
        listed.append("documents")
        return documents(self)

    monkeypatch.setattr(Services, "documents", recorded_documents)
    assert cli.main([*args, "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert listed == ["documents"] and status["documents"] == [] and status["chunks"] == 0
