"""The application's services, built once per process and shared by the CLI and the web app.

Everything the UI can do goes through here, so the CLI can do it too. This is the only place that
wires components together: the index, the retriever over it, the one chat model (answering and
drafting share it, and it is built on first use, so update-mode drafting and ``search`` never start
a model), the answer chain and drafting's dependencies. The layers below (chains, drafting,
figures) receive what they need as arguments and never import this module.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.chains.answer import AnswerChain
    from assistant.drafting import DraftDeps, DraftResult
    from assistant.figures import Finding, MetricRow
    from assistant.figures.acknowledgements import AcknowledgementStore
    from assistant.index.sync import Indexer, PageProgress, Progress, SyncReport
    from assistant.report import ReportEnv, Workspace, WorkspaceStore
    from assistant.retrieval import Retriever

Record = tuple[str, int, str, str]
"""(passage text, year, source, section) of an indexed report passage: the figures module's input."""


class Services:
    """Lazily built, thread-safe accessors over one configuration."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._ingest_lock = threading.Lock()

    @cached_property
    def indexer(self) -> Indexer:
        from assistant.index.sync import Indexer

        return Indexer(self.settings)

    @cached_property
    def retriever(self) -> Retriever:
        from assistant.retrieval import Retriever

        return Retriever(self.settings, self.indexer.catalog, self.indexer.vectors)

    @cached_property
    def chat_model(self) -> BaseChatModel:
        """The chat model of the configured provider (the local llama.cpp server starts here)."""
        from assistant.llm.provider import chat_model

        return chat_model(self.settings, streaming=True)

    @cached_property
    def answer_chain(self) -> AnswerChain:
        from assistant.chains.answer import AnswerChain

        return AnswerChain.from_settings(self.settings, self.retriever, chat_model=self.chat_model,
                                         facts_of=self.facts_of)

    def facts_of(self, chunks: list) -> dict[str, list]:
        """Ledger facts of some indexed chunks, by chunk id (chunks the catalog does not hold have none)."""
        ids = [c.id for c in chunks]
        out: dict[str, list] = {i: [] for i in ids}
        for fact in self.indexer.catalog.facts(ids):
            out.setdefault(fact.chunk_id, []).append(fact)
        return out

    def draft_deps(self) -> DraftDeps:
        """What drafting needs: the indexed chunks (read at each draft), the chat model (built only
        when a mode asks for it: update mode never starts one), the retriever, the embedding that
        places a note in its paragraph, and the ``draft`` settings."""
        from assistant.drafting import DraftDeps

        return DraftDeps(chunks=lambda: self.indexer.catalog.chunks(), chat_model=lambda: self.chat_model,
                         retriever=self.retriever, embed=self.embed_texts, options=self.settings.draft)

    def embed_texts(self, texts: list[str]) -> list[list[float]]:
        """Vectors of ``texts`` by the index's embedding model (normalised)."""
        from assistant.index.embeddings import get_embeddings

        return get_embeddings(self.settings).embed_documents(texts)

    def ingest(self, *, rebuild: bool = False, progress: Progress | None = None,
               page_progress: PageProgress | None = None) -> SyncReport:
        """Sync the knowledge folder; one ingest at a time per process."""
        with self._ingest_lock:
            return self.indexer.sync(rebuild=rebuild, progress=progress, page_progress=page_progress)

    def remove_document(self, source: str) -> None:
        """Delete a document from the knowledge folder and the index."""
        root = self.settings.knowledge_dir.resolve()
        path = (root / source).resolve()
        if not path.is_relative_to(root):
            raise ValueError(f"路径不在知识库内 (outside the knowledge folder): {source}")
        with self._ingest_lock:
            path.unlink(missing_ok=True)
            self.indexer.remove(source)

    def reindex_document(self, source: str) -> SyncReport:
        """Forget one document and index it afresh (with the rest of the folder's pending changes)."""
        with self._ingest_lock:
            self.indexer.remove(source)
            return self.indexer.sync()

    def chunks(self, source: str) -> list:
        """The committed chunks of one document in order (what a citation of it can point at)."""
        return self.indexer.catalog.chunks([source])

    def report_records(self, before_year: int | None = None) -> list[Record]:
        """Indexed report passages (optionally only those of years before ``before_year``)."""
        return [(c.text, c.year, c.source, c.section) for c in self.indexer.catalog.chunks()
                if c.doc_type == "report" and c.year is not None and (before_year is None or c.year < before_year)]

    def check(self, draft_text: str, year: int) -> list[Finding]:
        """Figure findings of a draft for ``year`` against the indexed reports of earlier years, with
        the thresholds of the ``check`` settings group."""
        from assistant.figures import check_draft

        return check_draft(draft_text, year, self.report_records(before_year=year), thresholds=self.settings.check)

    def check_acknowledged(self, draft_text: str, year: int) -> list[dict]:
        """The findings of :meth:`check` as dicts with their stable ``key`` and, when a reviewer
        accepted them, ``acknowledged`` + ``acknowledgement`` (reason, who, when)."""
        return self.acknowledgements.apply(self.check(draft_text, year), draft_text, year)

    @cached_property
    def acknowledgements(self) -> AcknowledgementStore:
        from assistant.figures.acknowledgements import AcknowledgementStore

        return AcknowledgementStore.for_data_dir(self.settings.data_dir)

    @cached_property
    def workspaces(self) -> WorkspaceStore:
        from assistant.report import WorkspaceStore

        return WorkspaceStore(self.settings.data_dir)

    def report_env(self) -> ReportEnv:
        from assistant.report import ReportEnv

        return ReportEnv.from_services(self)

    def workspace(self, owner: str, year: int) -> Workspace:
        """The stored workspace of ``owner`` for ``year``, or a new one whose outline is the latest
        prior report's (not saved until ``workspaces.save``)."""
        from assistant.report import outline_for

        return self.workspaces.open(owner, year, outline_for(self.indexer.catalog.chunks(), year))

    def figures(self, metric: str | None = None) -> list[MetricRow]:
        """Year-over-year table of the metrics in the figure ledger of the indexed reports and statistics
        tables (optionally one metric)."""
        from assistant.figures.trends import metric_table

        return metric_table(self.report_facts(), metric)

    def report_facts(self, before_year: int | None = None) -> list:
        """Ledger facts of the indexed reports and statistics tables (optionally of years before ``before_year``)."""
        types = {d.source: d.doc_type for d in self.indexer.catalog.documents()}
        return [f for f in self.indexer.catalog.facts() if types.get(f.source) in ("report", "data")
                and f.year is not None and (before_year is None or f.year < before_year)]

    def draft(self, section: str, year: int, notes: str, *, mode: str = "notes",
              table: str | Path | None = None, on_text: Callable[[str], None] | None = None) -> DraftResult:
        """Draft a report section from notes: ``notes`` (last year's text updated, a new sentence per
        other note, by the chat model), ``update`` (no model), ``write`` (the model writes it all);
        ``on_text`` receives the text so far while the model writes."""
        from assistant.drafting import draft_section

        return draft_section(self.draft_deps(), section, year, notes, mode=mode, table=table, on_text=on_text)

    def documents(self) -> list:
        """The catalog's documents (indexed and failed), in source order."""
        return self.indexer.catalog.documents()

    def status(self) -> dict:
        from assistant.llm.provider import describe

        documents = self.indexer.catalog.documents()
        return {"model": describe(self.settings), "vector_store": self.indexer.vectors.location,
                "embedding": self.settings.embedding, "documents": len(documents),
                "chunks": sum(d.chunk_count for d in documents),
                "knowledge_dir": str(Path(self.settings.knowledge_dir).resolve())}
