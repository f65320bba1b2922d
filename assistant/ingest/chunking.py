"""Split a parsed document into citable chunks along its section structure.

Headings come from the format (Markdown ``#``, DOCX heading styles) or from the numbering Chinese
documents use in plain paragraphs (``一、`` ``（一）`` ``1.`` ``第X章`` ``第X条`` …). Paragraphs of one
section are packed whole up to a token budget; a paragraph over the budget is split at sentence ends
(then commas), never inside a number. Tables stay whole.

Law texts (条例, 办法, 法) are cited by article, so an article (第X条) is the unit: each article is its
own chunk under its chapter (``第二章 设立 > 第十二条``), however short (merging 第五条 and 第六条 would
make "第六条规定了什么？" cite a passage that opens with 第五条). Inside an article, ``（一）`` ``一、``
``1.`` lines are its items (项), not sub-headings. An article over the budget is split by its
paragraphs (款: a paragraph with the items that follow it), then by items, then by sentences; every
part after the first opens with ``第十二条（续）`` so the article number is in the text of each part
(keyword and vector search see the text, and a citation shows where the part belongs), and in its
section path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.text.numbering import STYLES, heading_like, short_form, style_of
from assistant.text.sentences import cut, split_sentences
from assistant.tokens import count_tokens
from assistant.types import Block, Chunk, DocType, ParsedDocument

SECTION_SEPARATOR = " > "
TABLE_SPLIT_FACTOR = 8  # tables over this many times the budget are split by rows

_INLINE_LEAD_MAX_CHARS = 30
_NUMERIC = set("0123456789.%,")
_ARTICLE_RANK = next(s.rank for s in STYLES if s.key == "article")
CONTINUED = "（续）"
"""Appended to the article number that opens every part of a split article after the first."""


@dataclass(frozen=True)
class _Heading:
    styles: frozenset[str]
    rank: int
    label: str
    inline: bool  # the block's text is also body text of the new section


def _numbered_heading(text: str, next_block: Block | None) -> _Heading | None:
    found = style_of(text)
    if found is None:
        return None
    style, match = found
    styles = frozenset({style.key})
    if style.key == "article":
        label = re.sub(r"\s+", "", match.group(0))
        return _Heading(styles, style.rank, label, inline=bool(text[match.end():].strip()))
    if short_form(text):
        if style.needs_body or text[-1] == "。":
            follows_body = next_block is not None and (
                next_block.kind == "table" or (next_block.kind == "paragraph" and not heading_like(next_block.text))
            )
            if not follows_body:
                return None
        return _Heading(styles, style.rank, _label(text), inline=False)
    if style.inline:
        lead = re.match(rf"^(.{{2,{_INLINE_LEAD_MAX_CHARS}}}?)[。：:]\s*\S", text)
        if lead and "\n" not in lead.group(1):
            return _Heading(styles, style.rank, _label(lead.group(1)), inline=True)
    return None


def _label(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip("。．")


def _heading(block: Block, next_block: Block | None) -> _Heading | None:
    text = block.text.strip()
    if block.kind == "heading":
        found = style_of(text)
        styles = {found[0].key} if found else set()
        if block.level is not None:
            styles.add(f"h{block.level}")
            rank = block.level
        else:
            rank = found[0].rank if found else 1
        return _Heading(frozenset(styles or {"h1"}), rank, _label(text), inline=False)
    if block.kind == "paragraph":
        return _numbered_heading(text, next_block)
    return None


def _enter(stack: list[_Heading], heading: _Heading) -> None:
    """Put ``heading`` on the section stack: it replaces its sibling and resets deeper levels."""
    for i, entry in enumerate(stack):
        if entry.styles & heading.styles:
            del stack[i:]
            break
    else:
        while stack and stack[-1].rank >= heading.rank:
            stack.pop()
    stack.append(heading)


@dataclass
class _Body:
    serial: int  # increases with every heading, so equal sections never merge across a heading
    section: str
    block: Block
    article: str | None = None  # "第十二条" when the innermost heading is an article


def _article_number(label: str) -> str:
    found = style_of(label)
    return re.sub(r"\s+", "", found[1].group(0)) if found else label


def is_item(text: str) -> bool:
    """Whether a paragraph opens with numbering below an article's (（一） 一、 1. （1）): an item (项)."""
    found = style_of(text.strip())
    return found is not None and found[0].rank > _ARTICLE_RANK


def _sectioned(blocks: list[Block]) -> list[_Body]:
    present = [b for b in blocks if b.text.strip()]
    stack: list[_Heading] = []
    serial = 0
    out: list[_Body] = []
    for i, block in enumerate(present):
        heading = _heading(block, present[i + 1] if i + 1 < len(present) else None)
        in_article = bool(stack) and "article" in stack[-1].styles
        if heading is not None and in_article and block.kind == "paragraph" and heading.rank > _ARTICLE_RANK:
            heading = None  # an item (项) of the article
        if heading is not None:
            _enter(stack, heading)
            serial += 1
            if not heading.inline:
                continue
        section = SECTION_SEPARATOR.join(h.label for h in stack)
        kind = "table" if block.kind == "table" else "paragraph"
        article = _article_number(stack[-1].label) if stack and "article" in stack[-1].styles else None
        out.append(_Body(serial, section, Block(block.text.strip(), kind=kind, page=block.page,
                                                confidence=block.confidence, year=block.year), article))
    return out


# --- splitting --------------------------------------------------------------------------------

_COMMA = re.compile(r"[，、]\s*|(?<!\d),\s*|,(?!\d)\s*")


_Count = Callable[[str], int]


def _counter(tokenizer: str) -> _Count:
    @lru_cache(maxsize=8192)
    def count(text: str) -> int:
        return count_tokens(text, tokenizer)

    return count


def _hard_split(text: str, max_tokens: int, count: _Count) -> list[str]:
    """Last resort for a run without punctuation: longest prefixes within budget, not inside a number."""
    pieces = []
    while text:
        lo, hi = 1, len(text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if count(text[:mid]) <= max_tokens:
                lo = mid
            else:
                hi = mid - 1
        cut = lo
        while 1 < cut < len(text) and text[cut - 1] in _NUMERIC and text[cut] in _NUMERIC:
            cut -= 1
        if cut == 1:  # one number longer than the budget: nowhere better to cut
            cut = lo
        pieces.append(text[:cut])
        text = text[cut:]
    return pieces


def _split_to_fit(text: str, max_tokens: int, count: _Count) -> list[str]:
    pieces: list[str] = []
    for sentence in split_sentences(text):
        if count(sentence) <= max_tokens:
            pieces.append(sentence)
            continue
        for clause in cut(sentence, _COMMA):
            if count(clause) <= max_tokens:
                pieces.append(clause)
            else:
                pieces.extend(_hard_split(clause, max_tokens, count))
    return pieces


# --- packing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    para: int  # units of one paragraph are concatenated, paragraphs are joined by a blank line
    text: str
    page: int | None
    confidence: float | None = None
    year: int | None = None


def _render(units: list[_Unit]) -> str:
    parts: list[str] = []
    last = None
    for unit in units:
        if unit.para == last:
            parts[-1] += unit.text
        else:
            parts.append(unit.text)
            last = unit.para
    return "\n\n".join(p.strip() for p in parts)


def _overlap(previous: list[_Unit], following: _Unit, overlap_tokens: int, max_tokens: int,
             count: _Count) -> list[_Unit]:
    """Trailing sentences of the previous chunk, within the overlap and leaving room for ``following``."""
    if overlap_tokens <= 0:
        return []
    sentences = [replace(u, text=s) for u in previous for s in split_sentences(u.text)]
    tail: list[_Unit] = []
    for unit in reversed(sentences):
        candidate = [unit, *tail]
        if count(_render(candidate)) > overlap_tokens or count(
                _render([*candidate, following])) > max_tokens:
            break
        tail = candidate
    return tail


def _pack(paragraphs: list[Block], max_tokens: int, overlap_tokens: int, count: _Count) -> list[list[_Unit]]:
    units: list[_Unit] = []
    for i, para in enumerate(paragraphs):
        if count(para.text) <= max_tokens:
            units.append(_Unit(i, para.text, para.page, para.confidence, para.year))
        else:
            units.extend(_Unit(i, piece, para.page, para.confidence, para.year)
                         for piece in _split_to_fit(para.text, max_tokens, count))
    packed: list[list[_Unit]] = []
    current: list[_Unit] = []
    for unit in units:
        if current and count(_render([*current, unit])) > max_tokens:
            packed.append(current)
            current = _overlap(current, unit, overlap_tokens, max_tokens, count)
        current.append(unit)
    if current:
        packed.append(current)
    return packed


_ITEM_START = re.compile(r"(?=[（(]\s*[一二三四五六七八九十]+\s*[)）])")


def _article_parts(paragraphs: list[Block], number: str, max_tokens: int, count: _Count) -> list[str]:
    """An article's text in parts within ``max_tokens``: whole if it fits, else 款 (a paragraph and the
    items after it) packed whole, a 款 too long for one part split into its paragraphs, a paragraph
    too long split at its items (（一）…), then sentences. Parts after the first open with
    ``第十二条（续）``; a first part not opening with the number (a heading-only article line) gets it."""
    units = [_Unit(i, p.text, p.page) for i, p in enumerate(paragraphs)]

    def numbered(text: str, lead: str) -> str:
        return text if re.sub(r"\s+", "", text).startswith(number) and lead == number else f"{lead} {text}"

    whole = _render(units)
    if count(numbered(whole, number)) <= max_tokens:
        return [numbered(whole, number)]
    budget = max_tokens - count(number + CONTINUED + " ")
    clauses: list[list[_Unit]] = []
    for unit in units:
        if clauses and is_item(unit.text):
            clauses[-1].append(unit)
        else:
            clauses.append([unit])
    pieces: list[list[_Unit]] = []  # kept together in one part
    for clause in clauses:
        if count(_render(clause)) <= budget:
            pieces.append(clause)
            continue
        for unit in clause:
            if count(unit.text) <= budget:
                pieces.append([unit])
                continue
            for item in cut(unit.text, _ITEM_START):
                texts = [item] if count(item) <= budget else _split_to_fit(item, budget, count)
                pieces.extend([_Unit(unit.para, t, unit.page)] for t in texts)
    parts: list[list[_Unit]] = []
    current: list[_Unit] = []
    for piece in pieces:
        if current and count(_render([*current, *piece])) > budget:
            parts.append(current)
            current = []
        current.extend(piece)
    if current:
        parts.append(current)
    return [numbered(_render(part), number if n == 0 else number + CONTINUED) for n, part in enumerate(parts)]


def _table_pieces(text: str, max_tokens: int, count: _Count) -> list[str]:
    """The table whole, or for an absurdly large one, row groups each repeating the header rows."""
    if count(text) <= TABLE_SPLIT_FACTOR * max_tokens:
        return [text]
    lines = text.split("\n")
    header, rows = lines[:2], lines[2:]
    pieces: list[str] = []
    current: list[str] = []
    for row in rows:
        if current and count("\n".join([*header, *current, row])) > max_tokens:
            pieces.append("\n".join([*header, *current]))
            current = []
        current.append(row)
    if current:
        pieces.append("\n".join([*header, *current]))
    return pieces


def chunk_document(
    doc: ParsedDocument,
    *,
    source: str,
    doc_type: DocType,
    year: int | None,
    max_tokens: int = 400,
    overlap_tokens: int = 0,
    tokenizer: str = "cl100k_base",
) -> list[Chunk]:
    """Chunks of ``doc`` in document order, each within one section and ``max_tokens`` (tables excepted).

    ``overlap_tokens`` > 0 repeats up to that many tokens of trailing sentences from the previous chunk
    of the same section. ``id`` is left empty for the index to set.
    """
    if max_tokens <= 0:
        raise ValueError("max_tokens must be positive")
    count = _counter(tokenizer)
    pieces: list[tuple[str, str, int | None, float | None, int | None]] = []  # section, text, page, OCR score, year
    bodies = _sectioned(doc.blocks)
    i = 0
    while i < len(bodies):
        body = bodies[i]
        if body.block.kind == "table":
            b = body.block
            pieces.extend((body.section, t, b.page, b.confidence, b.year)
                          for t in _table_pieces(b.text, max_tokens, count))
            i += 1
            continue
        j = i
        while j < len(bodies) and bodies[j].serial == body.serial and bodies[j].block.kind == "paragraph":
            j += 1
        paragraphs = [b.block for b in bodies[i:j]]
        if body.article:
            confidence = _confidence([_Unit(n, p.text, p.page, p.confidence) for n, p in enumerate(paragraphs)])
            pieces.extend((body.section, text, body.block.page, confidence, body.block.year)
                          for text in _article_parts(paragraphs, body.article, max_tokens, count))
        else:
            for units in _pack(paragraphs, max_tokens, overlap_tokens, count):
                pieces.append((body.section, _render(units), units[0].page, _confidence(units), units[0].year))
        i = j
    return [
        Chunk(text=text, source=source, section=section, year=own_year if own_year is not None else year,
              doc_type=doc_type, page=page, ordinal=n, ocr_confidence=None if score is None else round(score, 4))
        for n, (section, text, page, score, own_year) in enumerate(pieces)
    ]


def _confidence(units: list[_Unit]) -> float | None:
    """Character-weighted mean OCR score of a chunk; text read from the file counts as certain (1.0)."""
    if all(u.confidence is None for u in units):
        return None
    total = sum(len(u.text) for u in units)
    return sum((1.0 if u.confidence is None else u.confidence) * len(u.text) for u in units) / max(1, total)
