"""What the index holds for a document (``python -m assistant chunks``), spreadsheets indexed and
searched as ``data``, and the catalog migration that adds the OCR confidence column to an old index."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl

from assistant.cli import main


def _statistics_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2022年"
    ws.append(["国际交流情况统计"])
    ws.append(["单位：人"])
    ws.append(["项目", "本科生", "研究生"])
    ws.append(["赴外方交流", 58, 7])
    ws.append(["外方来访", 31, 2])
    wb.save(path)
    return path


def test_chunks_command_lists_what_the_index_holds(corpus: Path, tmp_path: Path, capsys) -> None:
    _statistics_workbook(corpus / "statistics.xlsx")
    args = ["--knowledge", str(corpus), "--data", str(tmp_path / "data")]
    assert main([*args, "ingest", "--json"]) == 0
    ingest = json.loads(capsys.readouterr().out)
    assert "statistics.xlsx" in ingest["added"] and not ingest["failed"]

    assert main([*args, "chunks", "reports/2022_report.md", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing["source"] == "reports/2022_report.md" and listing["status"] == "indexed"
    chunks = listing["chunks"]
    assert [c["ordinal"] for c in chunks] == list(range(len(chunks)))
    employment = next(c for c in chunks if "96.15%" in c["text"])
    assert employment["section"].endswith("二、学生培养") and employment["year"] == 2022
    assert employment["doc_type"] == "report" and employment["ocr_confidence"] is None

    assert main([*args, "chunks", "statistics.xlsx"]) == 0
    shown = capsys.readouterr().out
    assert "# statistics.xlsx · data · 2022" in shown
    assert "工作表 2022年：国际交流情况统计 · 单位：人" in shown and "| 赴外方交流 | 58 | 7 |" in shown

    assert main([*args, "search", "2022年赴外方交流的本科生有多少人", "--type", "data", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)["results"]
    assert hits and hits[0]["source"] == "statistics.xlsx" and hits[0]["doc_type"] == "data"

    assert main([*args, "chunks", "2022_report.md"]) == 1  # not the relative path: named, with a hint
    error = capsys.readouterr().err
    assert "no such document" in error and "reports/2022_report.md" in error


def test_old_catalog_gains_the_new_columns(tmp_path: Path) -> None:
    from assistant.index.catalog import Catalog

    path = tmp_path / "index.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE documents (source TEXT PRIMARY KEY, sha256 TEXT, size INTEGER, doc_type TEXT, year INTEGER,
            title TEXT, status TEXT NOT NULL, error TEXT, chunk_count INTEGER NOT NULL DEFAULT 0, updated_at REAL NOT NULL);
        CREATE TABLE chunks (id TEXT PRIMARY KEY, source TEXT NOT NULL, ordinal INTEGER NOT NULL, text TEXT NOT NULL,
            section TEXT NOT NULL, year INTEGER, doc_type TEXT NOT NULL, page INTEGER);
        INSERT INTO documents VALUES ('a.md', 'x', 1, 'report', 2020, 't', 'indexed', NULL, 1, 0);
        INSERT INTO chunks VALUES ('a-0', 'a.md', 0, '就业率 96.81%', '二、学生培养', 2020, 'report', 3);
    """)
    db.commit()
    db.close()
    catalog = Catalog(path)
    [chunk] = catalog.chunks()
    assert chunk.text == "就业率 96.81%" and chunk.page == 3 and chunk.ocr_confidence is None
    assert catalog.documents()[0].warnings is None
    chunk.id, chunk.ocr_confidence = "a-1", 0.74
    catalog.commit_document("a.md", "y", 1, "report", 2020, "t", [chunk], "第 2 页 OCR 超时")
    assert catalog.chunks()[0].ocr_confidence == 0.74 and catalog.document("a.md").warnings == "第 2 页 OCR 超时"
    catalog.close()
    Catalog(path).close()  # a second open finds the columns present and changes nothing
