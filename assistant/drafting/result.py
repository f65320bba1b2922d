"""What drafting returns (:class:`DraftResult`) and what it needs (:class:`DraftDeps`).

``DraftResult.to_json()`` keys are a contract (the CLI's ``--json``, the UI, the report workspace):
keys are added, never renamed. The original nine — ``section, year, mode, text, citations,
placeholders, not_updated, findings, unused_notes`` — are always present; notes mode and the
provenance added ``notes`` (every note: where it went or why not), ``provenance`` (every sentence:
where it came from), ``carried_over`` (prior-year one-off sentences no note refreshes) and
``notice`` (e.g. "the model was not reachable: no new sentences").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from assistant.text.markup import strip_highlights
from assistant.types import Chunk, SearchResult

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

MODES = ("notes", "update", "write")
"""``notes`` (default): last year's text updated, then one new sentence per note that updated no
figure; ``update``: no model at all; ``write``: the model writes the whole section."""

BASE_KEYS = ("section", "year", "mode", "text", "citations", "placeholders", "not_updated", "findings",
             "unused_notes")


class SupportsSearch(Protocol):
    def search(self, query: str, *, k: int = 5, year: int | None = None,
               doc_type: str | None = None) -> list[SearchResult]: ...


@dataclass
class DraftResult:
    """A drafted section. ``to_json`` has the documented keys; ``seconds`` is for the benchmarks."""

    section: str
    year: int
    mode: str
    text: str
    citations: list[dict] = field(default_factory=list)
    placeholders: list[dict] = field(default_factory=list)
    not_updated: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    unused_notes: list[str] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    provenance: list[dict] = field(default_factory=list)
    carried_over: list[dict] = field(default_factory=list)
    notice: str = ""
    seconds: float = 0.0

    @property
    def plain_text(self) -> str:
        """``text`` without the ``==…==`` highlight marks (finding quotes are substrings of it)."""
        return strip_highlights(self.text)

    def to_json(self) -> dict:
        return {"section": self.section, "year": self.year, "mode": self.mode, "text": self.text,
                "citations": [dict(c) for c in self.citations], "placeholders": [dict(p) for p in self.placeholders],
                "not_updated": [dict(n) for n in self.not_updated], "findings": [dict(f) for f in self.findings],
                "unused_notes": list(self.unused_notes), "notes": [dict(n) for n in self.notes],
                "provenance": [dict(p) for p in self.provenance],
                "carried_over": [dict(c) for c in self.carried_over], "notice": self.notice}


@dataclass
class DraftDeps:
    """What drafting needs. ``chunks``: the indexed chunks (a list or a callable returning them, e.g.
    ``catalog.chunks``). ``chat_model``: a LangChain chat model or a zero-argument factory (called
    only when a mode needs the model, so update mode never starts one). ``retriever``: anything
    with ``search(query, *, k, year, doc_type)``; without one, regulation articles and style
    sentences are ranked by BM25 over the chunks. ``embed``: optional ``texts -> vectors``
    (normalised) used to place a note in the paragraph it fits best — the multilingual embedding
    places English notes too; without it placement is lexical. ``options``: drafting settings
    (:class:`assistant.settings.DraftSettings` or a dict of its fields)."""

    chunks: Sequence[Chunk] | Callable[[], Sequence[Chunk]]
    chat_model: Any = None
    retriever: SupportsSearch | None = None
    embed: Callable[[list[str]], list[list[float]]] | None = None
    options: Any = None

    def all_chunks(self) -> list[Chunk]:
        return list(self.chunks() if callable(self.chunks) else self.chunks)

    @property
    def has_model(self) -> bool:
        return self.chat_model is not None

    def model(self) -> BaseChatModel:
        if self.chat_model is None:
            raise ValueError("this mode needs a chat model (DraftDeps.chat_model)")
        if callable(self.chat_model) and not hasattr(self.chat_model, "invoke"):
            self.chat_model = self.chat_model()
        return self.chat_model

    def option(self, name: str, default: Any) -> Any:
        """A drafting setting by name (``options`` as settings object or dict), else ``default``."""
        if self.options is None:
            return default
        if isinstance(self.options, dict):
            return self.options.get(name, default)
        return getattr(self.options, name, default)
