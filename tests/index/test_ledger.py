"""The figure ledger is built at ingest, replaced with its document and rebuilt when outdated."""

from __future__ import annotations

from assistant.index import ledger
from assistant.index.catalog import Catalog
from assistant.types import Chunk


def _chunk(text: str, cid: str, source: str = "reports/2022.md") -> Chunk:
    return Chunk(text=text, source=source, section="三、师资建设", year=2022, doc_type="report", ordinal=0, id=cid)


def test_facts_follow_their_document(tmp_path) -> None:
    catalog = Catalog(tmp_path / "index.sqlite3")
    catalog.commit_document("reports/2022.md", "a", 1, "report", 2022, "t", [_chunk("任课教师 122 人，生师比为 11.21。", "c1")])
    facts = catalog.facts()
    assert [(f.metric, f.value, f.chunk_id) for f in facts] == [("任课教师", 122, "c1"), ("生师比", 11.21, "c1")]
    assert [f.value for f in catalog.facts(metric="生师比")] == [11.21]
    catalog.commit_document("reports/2022.md", "b", 1, "report", 2022, "t", [_chunk("生师比为 11.43。", "c2")])
    assert [(f.value, f.chunk_id) for f in catalog.facts()] == [(11.43, "c2")]
    catalog.remove_document("reports/2022.md")
    assert catalog.facts() == []


def test_outdated_ledger_is_rebuilt_on_open(tmp_path, monkeypatch) -> None:
    path = tmp_path / "index.sqlite3"
    catalog = Catalog(path)
    catalog.commit_document("reports/2022.md", "a", 1, "report", 2022, "t", [_chunk("学生党员 118 人。", "c1")])
    catalog._db.execute("DELETE FROM facts")
    catalog.close()
    assert Catalog(path).facts() == []  # same version: nothing recomputed
    monkeypatch.setattr(ledger, "LEDGER_VERSION", "next")
    assert [f.value for f in Catalog(path).facts()] == [118]


def test_spreadsheet_rows_become_facts_of_their_year(settings_factory, tmp_path) -> None:
    import openpyxl

    from assistant.services import Services

    settings = settings_factory()
    (settings.knowledge_dir / "stats").mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "招生与师资"
    sheet.append(["年份", "在校生（人）", "任课教师（人）", "生师比"])
    sheet.append([2021, 1286, 118, 10.90])
    sheet.append([2022, 1368, 122, 11.21])
    book.save(settings.knowledge_dir / "stats" / "统计.xlsx")
    services = Services(settings)
    services.ingest()
    got = {(f.metric, f.year): f.value for f in services.indexer.catalog.facts()}
    assert got == {("在校生", 2021): 1286, ("任课教师", 2021): 118, ("生师比", 2021): 10.9,
                   ("在校生", 2022): 1368, ("任课教师", 2022): 122, ("生师比", 2022): 11.21}
    rows = {r.metric: {y: v.value for y, v in r.values.items()} for r in services.figures()}
    assert rows["生师比"] == {2021: 10.9, 2022: 11.21}  # the year-over-year table reads the ledger
