"""The figure ledger: every figure of every indexed passage and table as a :class:`Fact`, built at
ingest and stored in the catalog beside its chunk (same SQLite transaction, so a document's facts
are never out of step with its text).

``LEDGER_VERSION`` names the fact extraction the stored rows came from; when the code changes it,
the catalog recomputes the facts of the stored chunks on open (no re-parsing or re-embedding:
~2 ms per chunk).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from assistant.figures.facts import Fact, facts_from_text
from assistant.types import Chunk

LEDGER_VERSION = "1"


def facts_for_chunk(chunk: Chunk) -> list[Fact]:
    """The facts of one chunk, with the chunk's source, year, section, page and id."""
    return facts_from_text(chunk.text, source=chunk.source, year=chunk.year, section=chunk.section or "",
                           page=chunk.page, chunk_id=chunk.id)


def rows(chunks: Iterable[Chunk]) -> list[tuple]:
    """``facts`` table rows for ``chunks``: (chunk_id, source, position, metric, year, json)."""
    out = []
    for chunk in chunks:
        for n, fact in enumerate(facts_for_chunk(chunk)):
            out.append((chunk.id, chunk.source, n, fact.metric, fact.year, json.dumps(fact.to_json(), ensure_ascii=False)))
    return out


def from_row(data: str) -> Fact:
    return Fact.from_json(json.loads(data))
