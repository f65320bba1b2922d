"""``python -m assistant report`` end to end on the real 2020 report: draft every section for 2021
with notes for one section, the checklist, the .docx; then the reviewed file back in."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from tests.conftest import REAL_REPORT, REPO
from tests.report.conftest import TEACHER_NOTES
from tests.support import word_review


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory) -> tuple[dict, Path]:
    root = tmp_path_factory.mktemp("report-cli")
    knowledge = root / "knowledge" / "reports"
    knowledge.mkdir(parents=True)
    shutil.copy(REAL_REPORT, knowledge / REAL_REPORT.name)
    import os

    env = {**os.environ, "ASSISTANT_KNOWLEDGE_DIR": str(root / "knowledge"), "ASSISTANT_DATA_DIR": str(root / "data"),
           "ASSISTANT_PROVIDER": "compatible", "ASSISTANT_BASE_URL": "http://127.0.0.1:9/v1", "ASSISTANT_MAX_UPLOAD_MB": "5"}
    done = _run(env, "ingest")
    assert done.returncode == 0, done.stderr
    return env, root


def test_report_draft_all_checklist_docx_and_import(indexed) -> None:
    env, root = indexed
    notes = root / "notes"
    notes.mkdir()
    (notes / "师资建设.md").write_text(TEACHER_NOTES, encoding="utf-8")
    out = root / "2021.docx"
    done = _run(env, "report", "--year", "2021", "--notes", str(notes), "--draft-all", "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"year", "sections", "checklist", "docx"} and data["year"] == 2021
    assert [s["title"] for s in data["sections"]] == ["办学基本情况", "学生培养", "师资建设", "教学组织", "教学质量监控",
                                                     "项目管理", "财务状况", "社会评价", "办学特色"]
    assert all(set(s) == {"title", "status", "placeholders", "findings"} for s in data["sections"])
    assert all(s["status"] == "needs_figures" for s in data["sections"])
    kinds = {f["kind"] for s in data["sections"] for f in s["findings"]}
    assert {"unchanged", "not_updated"} <= kinds and all(f["key"] for s in data["sections"] for f in s["findings"])
    assert all(set(c) == {"item", "status", "where", "quote"} for c in data["checklist"])
    checklist = {c["item"]: c for c in data["checklist"]}
    assert checklist["生师比"]["status"] == "ok" and "7.05" in checklist["生师比"]["quote"]
    assert checklist["生师比"]["where"] == "师资建设"
    assert checklist["在校生规模"]["status"] == "missing"  # the 2020 report never states it
    assert checklist["毕业生就业与深造"]["status"] == "stale"  # 96.81% is last year's, highlighted
    assert data["docx"] == str(out) and out.exists()
    document = docx.Document(str(out))
    open_items = sum(1 for s in data["sections"] for f in s["findings"] if not f.get("acknowledged"))
    assert len(list(document.comments)) == open_items
    stored = root / "data" / "reports" / "local" / "2021.json"
    assert stored.exists()

    # acknowledge one finding from the command line
    finding = next(f for s in data["sections"] for f in s["findings"] if f["kind"] == "unchanged")
    done = _run(env, "report", "--year", "2021", "--ack", finding["key"], "--reason", "累计数本年无新增", "--json")
    assert done.returncode == 0, done.stderr
    again = {f["key"]: f for s in json.loads(done.stdout)["sections"] for f in s["findings"]}
    assert again[finding["key"]]["acknowledged"]

    # a reviewer changes one figure: one paragraph changes and is re-checked
    assert word_review.replace_in_runs(document, "生师比为 7.05", "生师比为 7.50") == 1
    edited = root / "2021-reviewed.docx"
    document.save(str(edited))
    done = _run(env, "report", "import", str(edited), "--year", "2021", "--json")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert [(s["title"], len(s["changed_blocks"]), s["rechecked"]) for s in info["sections"] if s["changed_blocks"]] \
        == [("师资建设", 1, 1)]
    saved = json.loads(stored.read_text(encoding="utf-8"))
    teachers = next(s for s in saved["sections"] if s["title"] == "师资建设")
    assert "生师比为 7.50" in teachers["text"] and teachers["mode"] == "imported"


def test_report_import_refuses_bad_files_and_keeps_the_workspace(indexed) -> None:
    env, root = indexed
    stored = root / "data" / "reports" / "local" / "2021.json"
    if not stored.exists():
        assert _run(env, "report", "--year", "2021", "--draft-all").returncode == 0
    before = stored.read_bytes()
    minutes = root / "minutes.docx"
    d = docx.Document()
    d.add_paragraph("会议纪要。")
    d.save(str(minutes))
    done = _run(env, "report", "import", str(minutes), "--year", "2021")
    assert done.returncode == 2 and "not a report" in done.stderr and "Traceback" not in done.stderr
    big = root / "big.docx"
    with big.open("wb") as f:
        f.truncate(6 * 1024 * 1024)
    done = _run(env, "report", "import", str(big), "--year", "2021")
    assert done.returncode == 2 and "file too large" in done.stderr and "上限 5 MB" in done.stderr
    assert stored.read_bytes() == before
    done = _run(env, "report", "--year", "2021", "--notes", str(root / "missing"))
    assert done.returncode == 2 and "notes folder not found" in done.stderr
    assert stored.read_bytes() == before
