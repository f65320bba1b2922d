"""Chunks of the real 2020 report and of the sample corpus, built by the project's own ingest (no
index, no embeddings), shared by the drafting tests; a fake chat model that records its prompts."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest import load_document
from assistant.ingest.chunking import chunk_document
from assistant.ingest.metadata import describe
from assistant.settings import Settings
from assistant.types import Chunk
from tests.conftest import REAL_REPORT, SAMPLE_KNOWLEDGE

REAL_SOURCE = "reports/2020_self_assessment_report.txt"


def chunks_of(path: Path, source: str) -> list[Chunk]:
    s = Settings()
    document = load_document(path)
    doc_type, year, _ = describe(source, document)
    chunks = chunk_document(document, source=source, doc_type=doc_type, year=year, max_tokens=s.chunk_tokens,
                            overlap_tokens=s.chunk_overlap_tokens, tokenizer=s.tokenizer)
    for c in chunks:
        c.id = f"{source}-{c.ordinal}"
    return chunks


@pytest.fixture(scope="session")
def real_chunks() -> list[Chunk]:
    return chunks_of(REAL_REPORT, REAL_SOURCE)


@pytest.fixture(scope="session")
def sample_chunks() -> list[Chunk]:
    out: list[Chunk] = []
    for path in sorted(SAMPLE_KNOWLEDGE.rglob("*.*")):
        if path.name != "README.md":
            out += chunks_of(path, path.relative_to(SAMPLE_KNOWLEDGE).as_posix())
    return out


class ScriptedModel:
    """A chat model answering from a list, recording (system, user) of every call; ``error`` raises
    instead of answering (the endpoint down)."""

    def __init__(self, replies: list[str], error: Exception | None = None) -> None:
        self.replies = list(replies)
        self.calls: list[tuple[str, str]] = []
        self.error = error

    def bind(self, **kwargs):
        return self

    def invoke(self, messages):
        from langchain_core.messages import AIMessage

        system = next((m.content for m in messages if m.type == "system"), "")
        user = next((m.content for m in reversed(messages) if m.type == "human"), "")
        self.calls.append((system, user))
        if self.error is not None:
            raise self.error
        return AIMessage(content=self.replies.pop(0) if self.replies else "")
