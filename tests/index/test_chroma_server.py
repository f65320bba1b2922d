"""The Chroma server path, against a real ``chroma run`` process started by the test session."""

import json
import subprocess
import sys

from assistant.index.sync import Indexer
from assistant.retrieval import Retriever


def test_ingest_and_search_through_a_chroma_server(corpus, settings_factory, chroma_server):
    host, port = chroma_server
    settings = settings_factory(corpus, chroma_host=host, chroma_port=port, collection="server-test")
    indexer = Indexer(settings)
    assert indexer.vectors.location == f"chroma server {host}:{port}"
    report = indexer.sync(rebuild=True)
    assert len(report.added) == 3
    assert indexer.vectors.count() == len(indexer.catalog.chunk_ids())
    assert not (settings.data_dir / "chroma").exists()  # nothing embedded

    top = Retriever(settings).search("2022年就业率是多少", k=3)[0]
    assert top.chunk.year == 2022 and "96.15" in top.chunk.text


def test_server_collection_reopens_in_a_new_process_with_the_registered_embedding(corpus, settings_factory,
                                                                                  chroma_server):
    host, port = chroma_server
    settings = settings_factory(corpus, chroma_host=host, chroma_port=port, collection="reopen-test")
    Indexer(settings).sync(rebuild=True)
    code = ("import json, sys, chromadb\n"
            "import assistant.index.embeddings  # registers the embedding function\n"
            f"client = chromadb.HttpClient(host={host!r}, port={port})\n"
            "col = client.get_collection('reopen-test-use')\n"
            "res = col.query(query_texts=['学费标准'], n_results=1)\n"
            "print(json.dumps(res['documents'][0][0], ensure_ascii=False))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "60000" in json.loads(out.stdout)


def test_window_vectors_live_and_go_with_their_chunks_on_a_chroma_server(corpus, settings_factory, chroma_server):
    from assistant.index.vector_store import is_window, owner_of
    from tests.index.test_windows import LONG, QUESTION

    host, port = chroma_server
    (corpus / "reports" / "2022_conditions.md").write_text(LONG, encoding="utf-8")
    settings = settings_factory(corpus, chroma_host=host, chroma_port=port, collection="windows-test")
    indexer = Indexer(settings)
    indexer.sync(rebuild=True)
    raw = indexer.vectors.collection.get(include=[])["ids"]
    owned = {c.id for c in indexer.catalog.chunks(["reports/2022_conditions.md"])}
    assert any(is_window(i) and owner_of(i) in owned for i in raw)
    assert indexer.vectors.ids() == indexer.catalog.chunk_ids()
    assert "清真餐" in Retriever(settings).search(QUESTION, k=1)[0].chunk.text

    (corpus / "reports" / "2022_conditions.md").unlink()
    indexer.sync()
    assert not {owner_of(i) for i in indexer.vectors.collection.get(include=[])["ids"]} & owned
    assert indexer.vectors.ids() == indexer.catalog.chunk_ids()
