import pytest

from assistant.index.catalog import Catalog
from assistant.index.sync import Indexer
from assistant.retrieval import Retriever


def _consistent(indexer: Indexer) -> None:
    assert indexer.vectors.ids() == indexer.catalog.chunk_ids()


def test_first_run_indexes_everything_with_metadata(corpus, settings_factory):
    indexer = Indexer(settings_factory(corpus))
    report = indexer.sync()
    assert sorted(report.added) == ["regulations/管理办法.md", "reports/2021_report.md", "reports/2022_report.md"]
    assert report.failed == {}
    docs = {d.source: d for d in indexer.catalog.documents()}
    assert docs["reports/2021_report.md"].year == 2021
    assert docs["reports/2021_report.md"].doc_type == "report"
    assert docs["regulations/管理办法.md"].doc_type == "regulation"
    chunk = next(c for c in indexer.catalog.chunks() if "就业率" in c.text and c.year == 2022)
    assert "学生培养" in chunk.section and chunk.source == "reports/2022_report.md"
    _consistent(indexer)


def test_rerun_skips_unchanged_replaces_changed_removes_deleted(corpus, settings_factory):
    indexer = Indexer(settings_factory(corpus))
    indexer.sync()
    old_ids = {c.id for c in indexer.catalog.chunks(["reports/2021_report.md"])}

    again = indexer.sync()
    assert len(again.unchanged) == 3 and again.chunks == 0

    path = corpus / "reports" / "2021_report.md"
    path.write_text(path.read_text(encoding="utf-8").replace("95.62", "97.01"), encoding="utf-8")
    (corpus / "reports" / "2022_report.md").unlink()
    report = indexer.sync()
    assert report.updated == ["reports/2021_report.md"]
    assert report.removed == ["reports/2022_report.md"]
    texts = " ".join(c.text for c in indexer.catalog.chunks())
    assert "97.01" in texts and "95.62" not in texts and "96.15" not in texts
    assert not old_ids & indexer.vectors.ids()
    _consistent(indexer)


def test_bad_files_are_reported_by_name_and_the_rest_continues(corpus, settings_factory):
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (corpus / "notes.xyz").write_text("hello", encoding="utf-8")
    (corpus / "empty.md").write_bytes(b"")
    report = Indexer(settings_factory(corpus)).sync()
    assert set(report.failed) == {"broken.pdf", "notes.xyz", "empty.md"}
    assert "unsupported" in report.failed["notes.xyz"]
    assert all(reason for reason in report.failed.values())
    assert len(report.added) == 3


def test_a_broken_new_version_keeps_the_indexed_one(corpus, settings_factory):
    indexer = Indexer(settings_factory(corpus))
    indexer.sync()
    before = indexer.catalog.chunks(["reports/2021_report.md"])
    (corpus / "reports" / "2021_report.md").write_bytes(b"\x00\xff\x00binary\x00" * 50)
    report = indexer.sync()
    assert "reports/2021_report.md" in report.failed
    assert indexer.catalog.chunks(["reports/2021_report.md"]) == before
    record = indexer.catalog.document("reports/2021_report.md")
    assert record.status == "indexed" and record.error
    _consistent(indexer)


def test_crash_between_vector_write_and_commit_leaves_old_state_then_recovers(corpus, settings_factory, monkeypatch):
    settings = settings_factory(corpus)
    indexer = Indexer(settings)
    indexer.sync()
    committed = indexer.catalog.chunk_ids()
    path = corpus / "reports" / "2022_report.md"
    path.write_text(path.read_text(encoding="utf-8").replace("96.15", "98.88"), encoding="utf-8")

    def killed(*args, **kwargs):
        raise KeyboardInterrupt("simulated kill")

    monkeypatch.setattr(Catalog, "commit_document", killed)
    with pytest.raises(KeyboardInterrupt):
        indexer.sync()
    monkeypatch.undo()

    # New vectors were written but never committed: invisible to retrieval, catalog unchanged.
    assert indexer.catalog.chunk_ids() == committed
    assert indexer.vectors.ids() > committed
    hits = Retriever(settings).search("2022年就业率", k=10)
    assert hits and not any("98.88" in h.chunk.text for h in hits)

    fresh = Indexer(settings)
    report = fresh.sync()
    assert report.updated == ["reports/2022_report.md"]
    _consistent(fresh)
    assert any("98.88" in c.text for c in fresh.catalog.chunks())


def test_rebuild_starts_over(corpus, settings_factory):
    indexer = Indexer(settings_factory(corpus))
    indexer.sync()
    report = indexer.sync(rebuild=True)
    assert len(report.added) == 3
    _consistent(indexer)


def test_progress_is_reported_per_file(corpus, settings_factory):
    calls = []
    Indexer(settings_factory(corpus)).sync(progress=lambda source, done, total: calls.append((source, done, total)))
    assert calls[-1] == ("", 3, 3)
    assert [c[1] for c in calls[:-1]] == [0, 1, 2]
