"""Sentence-window vectors: every chunk also has a vector per window of its sentences, owned by the
chunk (deleted, swept and rebuilt with it), and a chunk scores on the vector side as its best vector."""

from pathlib import Path

import numpy as np
import pytest

from assistant.index.embeddings import get_embeddings
from assistant.index.sync import Indexer, chunk_windows
from assistant.index.vector_store import VectorStore, is_window, owner_of, window_id
from assistant.retrieval import Retriever
from tests.index.conftest import resync_as_older_index

LONG = """# 2022 年度自评报告

## 六、办学条件

学院现有教学行政用房 5.2 万平方米，实验室 46 间，其中专业实验室 31 间。图书馆藏书 12 万册，电子期刊 3.4 万种。
学院与举办高校共享体育场馆，室内体育馆面积 8000 平方米。校园网络实现全覆盖，出口带宽 10G。
学生公寓为四人间，配有独立卫生间和空调。学生食堂每天供应清真餐和素食，并设有夜宵窗口。
校医院提供二十四小时急诊服务，心理健康中心配备专职咨询师 4 名。

## 七、财务状况

本科生学费标准为 60000 元/生·年，收取的学费全部用于教学。
"""

QUESTION = "学生食堂有没有清真餐？"


def _raw_ids(indexer: Indexer) -> list[str]:
    return indexer.vectors.collection.get(include=[])["ids"]


def _owners_committed(indexer: Indexer) -> None:
    committed = indexer.catalog.chunk_ids()
    assert {owner_of(i) for i in _raw_ids(indexer)} == committed
    assert indexer.vectors.ids() == indexer.vectors.chunk_ids() == committed


@pytest.fixture
def long_corpus(corpus: Path) -> Path:
    (corpus / "reports" / "2022_conditions.md").write_text(LONG, encoding="utf-8")
    return corpus


def test_window_ids_name_their_chunk():
    assert owner_of(window_id("abc-3", 0)) == "abc-3" and is_window(window_id("abc-3", 12))
    assert owner_of("abc-3") == "abc-3" and not is_window("abc-3")
    assert owner_of("odd#wx") == "odd#wx"  # only a number after #w makes a window id


def test_a_chunk_has_a_vector_per_sentence_window(long_corpus, settings_factory):
    indexer = Indexer(settings_factory(long_corpus))
    indexer.sync()
    chunk = next(c for c in indexer.catalog.chunks() if "清真餐" in c.text)
    windows = chunk_windows(chunk.text)
    assert len(windows) >= 4 and any("清真餐" in w for w in windows)
    got = indexer.vectors.collection.get(where={"owner": chunk.id}, include=["documents", "metadatas"])
    assert sorted(got["ids"]) == sorted(window_id(chunk.id, n) for n in range(len(windows)))
    assert sorted(got["documents"]) == sorted(windows)
    assert all(m["source"] == chunk.source and m["section"] == chunk.section for m in got["metadatas"])
    short = next(c for c in indexer.catalog.chunks() if "60000" in c.text and c.year == 2021)
    assert chunk_windows(short.text) == []  # one window: the chunk's own vector is that window
    _owners_committed(indexer)


def test_a_question_about_one_sentence_scores_the_chunk_by_that_sentences_window(long_corpus, settings_factory):
    settings = settings_factory(long_corpus)
    indexer = Indexer(settings)
    indexer.sync()
    chunk = next(c for c in indexer.catalog.chunks() if "清真餐" in c.text)
    query = np.asarray(get_embeddings(settings).embed_query(QUESTION))
    own = np.asarray(indexer.vectors.collection.get(ids=[chunk.id], include=["embeddings"])["embeddings"][0])
    windows = indexer.vectors.collection.get(where={"owner": chunk.id}, include=["embeddings", "documents"])
    by_window = dict(zip(windows["documents"], np.asarray(windows["embeddings"]) @ query))
    best_window = max(by_window, key=by_window.get)
    assert "清真餐" in best_window and by_window[best_window] > float(own @ query) + 0.05

    hits = Retriever(settings, indexer.catalog, indexer.vectors).search(QUESTION, k=3, mode="vector")
    assert hits[0].chunk.id == chunk.id
    assert hits[0].score == pytest.approx(by_window[best_window], abs=1e-3)  # the best window, not the blend
    assert dict(indexer.vectors.search(QUESTION, k=100))[chunk.id] == pytest.approx(hits[0].score)
    top = Retriever(settings, indexer.catalog, indexer.vectors).search(QUESTION, k=1)[0]
    assert top.chunk.id == chunk.id


def test_window_vectors_go_with_their_document(long_corpus, settings_factory):
    indexer = Indexer(settings_factory(long_corpus))
    indexer.sync()
    ids = {c.id for c in indexer.catalog.chunks(["reports/2022_conditions.md"])}
    assert any(is_window(i) and owner_of(i) in ids for i in _raw_ids(indexer))

    path = long_corpus / "reports" / "2022_conditions.md"
    path.write_text(LONG.replace("四人间", "六人间"), encoding="utf-8")
    indexer.sync()  # a changed document: the old version's windows go with its chunks
    assert not {owner_of(i) for i in _raw_ids(indexer)} & ids
    _owners_committed(indexer)

    new_ids = {c.id for c in indexer.catalog.chunks(["reports/2022_conditions.md"])}
    path.unlink()
    report = indexer.sync()
    assert report.removed == ["reports/2022_conditions.md"]
    assert not {owner_of(i) for i in _raw_ids(indexer)} & new_ids
    _owners_committed(indexer)


def test_windows_written_before_an_interrupted_ingest_are_swept(long_corpus, settings_factory, monkeypatch):
    settings = settings_factory(long_corpus)
    indexer = Indexer(settings)
    indexer.sync()
    committed = indexer.catalog.chunk_ids()
    path = long_corpus / "reports" / "2022_conditions.md"
    path.write_text(LONG.replace("夜宵窗口", "早餐窗口"), encoding="utf-8")

    upsert = VectorStore._upsert
    calls = []

    def killed_after_the_windows(self, ids, *args):
        calls.append(ids)
        if len(calls) > 1:  # the windows are written, the chunk vectors are not
            raise KeyboardInterrupt("simulated kill")
        return upsert(self, ids, *args)

    monkeypatch.setattr(VectorStore, "_upsert", killed_after_the_windows)
    with pytest.raises(KeyboardInterrupt):
        indexer.sync()
    monkeypatch.undo()
    assert calls and all(is_window(i) for i in calls[0])
    orphans = {owner_of(i) for i in _raw_ids(indexer)} - committed
    assert orphans and indexer.vectors.ids() - committed == orphans  # window orphans are listed as theirs
    assert indexer.vectors.chunk_ids() == committed  # no chunk vector of the new version was written
    assert {r.chunk.id for r in Retriever(settings).search(QUESTION, k=10)} <= committed

    fresh = Indexer(settings)
    report = fresh.sync()
    assert report.updated == ["reports/2022_conditions.md"]
    _owners_committed(fresh)
    assert any("早餐窗口" in c.text for c in fresh.catalog.chunks())


def test_an_index_without_windows_gains_them_without_loading_documents(long_corpus, settings_factory, monkeypatch):
    settings = settings_factory(long_corpus)
    indexer = Indexer(settings)
    indexer.sync()
    windows = sorted(i for i in _raw_ids(indexer) if is_window(i))
    indexer.vectors.collection.delete(ids=windows)  # as written before chunks had windows
    again, report = resync_as_older_index(indexer, settings, monkeypatch)
    assert len(report.unchanged) == 4 and report.chunks == 0
    assert sorted(i for i in _raw_ids(again) if is_window(i)) == windows
    _owners_committed(again)


def test_rebuild_keeps_windows_owned(long_corpus, settings_factory):
    indexer = Indexer(settings_factory(long_corpus))
    indexer.sync()
    indexer.sync(rebuild=True)
    assert any(is_window(i) for i in _raw_ids(indexer))
    _owners_committed(indexer)
