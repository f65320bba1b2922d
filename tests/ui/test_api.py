"""Named API endpoints through gradio_client against the running app (login on)."""

from __future__ import annotations

import os

import pytest

from tests.ui.conftest import ADMIN

os.environ.setdefault("HF_HUB_OFFLINE", "1")

DRAFT = "截至 2023 年 12 月 31 日，学院在校生 4474 人。办学以来累计培养本科毕业生 549 人。"


@pytest.fixture(scope="module")
def client(app):
    from gradio_client import Client

    return Client(app.url, auth=ADMIN, verbose=False)


def test_requires_login(app):
    from gradio_client import Client

    with pytest.raises(Exception):
        Client(app.url, auth=("wang", "not-the-password"), verbose=False).predict("问题", api_name="/ask")


def test_ask(client):
    result = client.predict("2022年的生师比是多少？", None, None, api_name="/ask")
    assert "11.21" in result["answer"] and not result["not_found"]
    citation = result["citations"][0]
    assert citation["n"] == 1 and citation["source"] == "reports/2022_self_assessment_report.md"
    assert citation["year"] == 2022 and "11.21" in citation["quote"]


def test_ask_with_filters_finds_nothing_outside_them(client):
    result = client.predict("2022年的生师比是多少？", 2022, "regulation", api_name="/ask")
    assert result["not_found"] and result["citations"] == []


def test_check(client):
    result = client.predict(DRAFT, 2023, api_name="/check")
    kinds = {f["kind"] for f in result["findings"]}
    assert kinds == {"yoy_jump", "unchanged"}
    jump = next(f for f in result["findings"] if f["kind"] == "yoy_jump")
    assert jump["value"] == 4474 and jump["reference"]["value"] == 1368 and jump["reference"]["year"] == 2022
    series = {s["metric"]: s["values"] for s in result["series"]}
    assert series["在校生"] == {"2021": 1286.0, "2022": 1368.0, "2023": 4474.0}


def test_figures(client):
    metrics = client.predict("在校生", api_name="/figures")["metrics"]
    row = next(m for m in metrics if m["metric"] == "在校生")
    assert row["values"]["2022"]["value"] == 1368 and row["values"]["2022"]["source"].endswith("2022_self_assessment_report.md")


def test_documents_and_status(client):
    documents = {d["source"]: d for d in client.predict(api_name="/documents")}
    report = documents["reports/2022_self_assessment_report.md"]
    assert report["doc_type"] == "report" and report["year"] == 2022 and report["status"] == "indexed"
    assert report["chunk_count"] > 0
    status = client.predict(api_name="/status")
    assert status["model"]["provider"] == "compatible" and status["model"]["model"] == "recorded-model"
    assert status["documents"] >= 4 and status["chunks"] > 0
    assert "key" not in str(status).lower()


def test_draft_write_and_update(client):
    written = client.predict("师资建设", 2024, "- 任课教师 135 人", "write", api_name="/draft")
    assert written["mode"] == "write" and "135" in written["text"]
    assert any("外方教师人数" in p["text"] for p in written["placeholders"])
    updated = client.predict("师资建设", 2024, "- 任课教师 135 人\n- 生师比：11.6", "update", api_name="/draft")
    assert updated["mode"] == "update" and "11.6" in updated["text"] and updated["not_updated"]
    notes = client.predict("师资建设", 2024, "- 任课教师 135 人\n- 新组建人工智能课程教学团队，由中外教师共同授课",
                           api_name="/draft")  # the default mode: notes
    assert notes["mode"] == "notes" and [n["status"] for n in notes["notes"]] == ["figures", "sentence"]
    (written,) = [p for p in notes["provenance"] if p["kind"] == "written"]
    assert written["notes"] == [2] and "人工智能课程教学团队" in written["sentence"] in notes["text"]
