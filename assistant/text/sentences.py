"""Sentences and paragraphs of Chinese (and English) report text — one splitter for every stage.

A sentence ends at 。！？!? (and …), with any closing quote or bracket after it, or at an English
``.`` followed by a space that is not an abbreviation, initial or list number (``e.g.``, ``3.``), or
at a line break. ``clauses=True`` also ends one at ；/; — the unit the keyword index scores and the
answer prompt trims by, and where a citation marker goes. Decimal points never end a sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

TERMINALS = "。！？!?"
CLAUSE_TERMINALS = "；;"
CLOSERS = "”’\"'）)」』】》"
FINAL_PUNCTUATION = "。！？；：.!?;:…"
"""Punctuation a paragraph can end with (a line without it continues after a wrap or page break)."""

_ABBREVIATIONS = {"e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "no", "vs", "fig", "al", "prof", "st", "approx"}
_END = re.compile(rf"[{TERMINALS}…]+[{CLOSERS}]*[ \t\u3000]*\n*|\.(?=\s|$)[{CLOSERS}]*[ \t\u3000]*\n*|\n+")
_END_CLAUSE = re.compile(rf"[{TERMINALS}{CLAUSE_TERMINALS}…]+[{CLOSERS}]*[ \t\u3000]*\n*"
                         rf"|\.(?=\s|$)[{CLOSERS}]*[ \t\u3000]*\n*|\n+")


def _english_stop(text: str, dot: int) -> bool:
    """A ``.`` at ``dot`` ends a sentence unless it closes a list number, an initial or an abbreviation."""
    word = re.search(r"(\S+)$", text[:dot])
    if word is None:
        return False
    token = word.group(1)
    return not (len(token) == 1 or re.fullmatch(r"\d{1,3}", token) or token.lower() in _ABBREVIATIONS)


def cut(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Pieces of ``text`` each ending after a match of ``pattern`` (English dots checked); they
    concatenate back to ``text``."""
    pieces, start = [], 0
    for match in pattern.finditer(text):
        if match.group(0).startswith(".") and not _english_stop(text, match.start()):
            continue
        if match.end() > start:
            pieces.append(text[start:match.end()])
            start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def split_sentences(text: str, *, clauses: bool = False) -> list[str]:
    """Sentences of ``text``, whitespace kept, so ``"".join(split_sentences(t)) == t``."""
    return cut(text, _END_CLAUSE if clauses else _END)


@lru_cache(maxsize=64)
def _starts(text: str, clauses: bool) -> tuple[int, ...]:
    starts, pos = [0], 0
    for piece in split_sentences(text, clauses=clauses):
        pos += len(piece)
        starts.append(pos)
    return tuple(starts)


def sentence_bounds(text: str, pos: int, *, clauses: bool = False) -> tuple[int, int]:
    """``(start, end)`` of the sentence holding offset ``pos``; ``end`` is just after its final
    punctuation (trailing whitespace and line breaks excluded)."""
    starts = _starts(text, clauses)
    lo, hi = 0, len(starts) - 1
    while lo < hi - 1:  # the last start <= pos
        mid = (lo + hi) // 2
        if starts[mid] <= pos:
            lo = mid
        else:
            hi = mid
    a, b = starts[lo], starts[min(lo + 1, len(starts) - 1)]
    if b <= a:
        b = len(text)
    while b > a and text[b - 1] in " \t\u3000\n":
        b -= 1
    return a, b


def sentence_end(text: str, pos: int, *, clauses: bool = True) -> int:
    """Where a mark belongs at the end of the sentence (clause) holding ``pos``: just before its final
    punctuation, or at its end when it has none."""
    _, b = sentence_bounds(text, pos, clauses=clauses)
    i = b
    while i > pos and text[i - 1] in CLOSERS:
        i -= 1
    j = i
    while j > pos and text[j - 1] in TERMINALS + CLAUSE_TERMINALS + "….":
        j -= 1
    return j if j < i else b


def sentences_with_spans(text: str, *, clauses: bool = False) -> list[tuple[int, int, str]]:
    """``(start, end, sentence)`` for every non-blank sentence, stripped."""
    out, pos = [], 0
    for piece in split_sentences(text, clauses=clauses):
        stripped = piece.strip()
        if stripped:
            a = pos + (len(piece) - len(piece.lstrip()))
            out.append((a, a + len(stripped), stripped))
        pos += len(piece)
    return out


def paragraph_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start/end offsets of the line (paragraph) holding ``pos``."""
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return a, (b if b != -1 else len(text))


def _is_cjk(ch: str) -> bool:
    import unicodedata

    return ord(ch) > 0x2E7F or unicodedata.east_asian_width(ch) in ("W", "F")


def join_wrapped(left: str, right: str) -> str:
    """Join a wrapped line: Chinese text without a space, Latin words with one."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left + right
    if _is_cjk(left[-1]) or _is_cjk(right[0]):
        return left + right
    if _split_number(left, right):
        return left + right
    return f"{left} {right}"


_NUMBER_TAIL = re.compile(r"(?:^|(?<=[^\x00-\x7f]))\d+\.?$")
_NUMBER_HEAD = re.compile(r"^\.?\d*[\d%‰]")


def _split_number(left: str, right: str) -> bool:
    """A number broken by the wrap inside Chinese text (``专业1`` / ``65名``, ``占93`` / ``.3%``): its left
    part follows a Chinese character directly. After a space (``教师 12`` / ``35 岁``) the break is a word
    boundary and keeps its space."""
    return bool(_NUMBER_TAIL.search(left)) and bool(_NUMBER_HEAD.match(right)) and not (
        left.endswith(".") and right.startswith("."))


def join_lines(text: str) -> str:
    """All lines of ``text`` joined as wrapped lines."""
    joined = ""
    for line in str(text).splitlines():
        joined = join_wrapped(joined, line.strip())
    return joined
