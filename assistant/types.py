"""Records that flow between the layers: ingest -> index -> retrieval -> chains -> ui/cli."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "table"]
DocType = str  # an id of assistant.domain.doctypes (report, regulation, other, …)


class LoadError(Exception):
    """A file could not be parsed. ``str(error)`` is the reason shown to the user (names no path)."""


@dataclass
class Block:
    """One structural unit of a parsed document, in document order.

    ``level`` is set for headings whose level the format states (Markdown ``#``, DOCX ``Heading n``);
    headings recognised from their numbering (一、 （一） 1. 第X条) are found by the chunker.
    Tables are Markdown text (header row, separator, rows).
    """

    text: str
    kind: BlockKind = "paragraph"
    page: int | None = None
    level: int | None = None
    confidence: float | None = None  # mean OCR score of the text; None when the file held the text
    year: int | None = None  # the year this block is about when the loader knows it (a spreadsheet's sheet)


@dataclass
class ParsedDocument:
    """A loaded file: its blocks plus what the loader learnt about it."""

    blocks: list[Block]
    title: str = ""
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)  # parts not indexed (a page whose OCR timed out …)


@dataclass
class Chunk:
    """A retrievable passage with the metadata needed to cite it."""

    text: str
    source: str  # path relative to the knowledge folder, POSIX separators
    section: str  # section path, " > " separated, e.g. "三. 师资建设 > 3. 教师队伍数量与结构满足本科教学需求"
    year: int | None
    doc_type: DocType
    page: int | None = None
    ordinal: int = 0  # position of the chunk in its document
    id: str = ""
    ocr_confidence: float | None = None  # mean OCR score of the chunk's text; None for text read from the file
    extra: dict = field(default_factory=dict)

    def metadata(self) -> dict:
        """Chroma-compatible metadata (no None values)."""
        meta = {k: v for k, v in asdict(self).items() if k not in ("text", "extra", "id") and v is not None}
        return meta


@dataclass
class SearchResult:
    """A retrieved chunk with its fused relevance score (higher is better)."""

    chunk: Chunk
    score: float

    def as_json(self) -> dict:
        c = self.chunk
        return {"text": c.text, "source": c.source, "section": c.section, "year": c.year,
                "page": c.page, "doc_type": c.doc_type, "ocr_confidence": c.ocr_confidence,
                "score": round(self.score, 6)}
