"""Checks run on a generated answer, in code, before it reaches the user.

1. Citation markers.  Variants the small models write (``【1】``, ``[1,2]``, ``[1-3]``, ``[ 2 ]``) are
   first rewritten to ``[1][2]``.  A marker must name a passage that was shown to the model
   (1..len(passages)); others are removed from the text and reported in ``invalid_markers``.
2. Figures.  Every number in the answer (found by :func:`assistant.figures.extract.numbers_in`, so
   ``96.81%`` ≈ ``96.81 %``, ``6万`` ≈ ``60000``, Chinese numerals are understood) must occur in a
   cited passage.  Not figures: the marker numbers themselves, list numbering at the start of a line
   (``1.``, ``（2）``, ``三、``) and numbers the question itself contains (years such as 2020).
   A figure that is in no cited passage but is in another retrieved passage gets that passage
   attached as a citation (a marker is inserted at the end of its sentence): the small local model
   often forgets markers, and a figure that can be traced is better cited than rejected.  A figure in
   no retrieved passage at all is *unsupported*; the answer chain retries once, then flags it.
3. "Not found" answers.  If the answer says the material does not contain the answer and holds no
   figures, it is kept (any markers removed), with no citations.
4. Citations are renumbered 1..m in order of first use in the text; the markers are rewritten to
   match and each citation's ``quote`` is the exact chunk text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from assistant.figures.align import unit_family
from assistant.figures.extract import numbers_in
from assistant.types import SearchResult
from assistant.years import years_in

NOT_FOUND_ZH = "知识库中未找到相关内容。"
NOT_FOUND_EN = "The knowledge base does not contain this."

# --------------------------------------------------------------------------------------------------
# markers

_MARKER = re.compile(r"\[(\d{1,3})\]")
_MARKER_VARIANT = re.compile(r"[\[【]\s*(\d{1,3}(?:\s*(?:[,，、;；\-–~]|and|&)\s*\d{1,3})*)\s*[\]】]")


def normalise_markers(text: str) -> str:
    """``【1】`` → ``[1]``, ``[1, 2]`` / ``[1、2]`` → ``[1][2]``, ``[1-3]`` → ``[1][2][3]``."""

    def expand(m: re.Match) -> str:
        body = m.group(1)
        numbers: list[int] = []
        for part in re.split(r"\s*(?:[,，、;；]|and|&)\s*", body):
            rng = re.fullmatch(r"(\d{1,3})\s*[\-–~]\s*(\d{1,3})", part)
            if rng:
                lo, hi = int(rng.group(1)), int(rng.group(2))
                if lo <= hi and hi - lo < 10:
                    numbers.extend(range(lo, hi + 1))
                    continue
            if part.strip().isdigit():
                numbers.append(int(part))
        return "".join(f"[{n}]" for n in numbers)

    return _MARKER_VARIANT.sub(expand, text)


def markers_in(text: str) -> list[int]:
    """Marker numbers in order of appearance (after :func:`normalise_markers`)."""
    return [int(m.group(1)) for m in _MARKER.finditer(text)]


# --------------------------------------------------------------------------------------------------
# figures

_LIST_NUMBER = re.compile(
    r"(?m)^[ \t>*\-•]*(?:\d{1,2}[.、)）](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])"
)


def _mask(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def figures_in(text: str) -> list[tuple[str, float, int, int]]:
    """Figures in an answer: (raw, value, start, end), markers and list numbering excluded.

    Positions refer to ``text`` itself (masked spans keep their length).
    """
    masked = _mask(_mask(text, _MARKER), _LIST_NUMBER)
    found: list[tuple[str, float, int, int]] = []
    cursor = 0
    for raw, value in numbers_in(masked):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        pos = masked.find(raw, cursor)
        if pos < 0:
            pos = masked.find(raw)
        start = max(pos, 0)
        end = start + len(raw)
        if pos >= 0:
            cursor = end
        found.append((raw, float(value), start, end))
    return found


def values_in(text: str) -> list[tuple[str, float]]:
    """Every numeric mention of a passage or question as (raw, value)."""
    return [(raw, float(v)) for raw, v in numbers_in(text) if v is not None]


def _is_percent(raw: str) -> bool:
    return "%" in raw or "％" in raw or "百分" in raw or "percent" in raw.lower()


def same_figure(raw_a: str, a: float, raw_b: str, b: float) -> bool:
    """Equal values; a percentage also matches its fraction (96.81% ≈ 0.9681) if only one side says %."""
    if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
        return True
    if _is_percent(raw_a) != _is_percent(raw_b):
        return math.isclose(a * 100, b, rel_tol=1e-9, abs_tol=1e-9) or math.isclose(a, b * 100, rel_tol=1e-9, abs_tol=1e-9)
    return False


def contains_figure(raw: str, value: float, candidates: Iterable[tuple[str, float]]) -> bool:
    return any(same_figure(raw, value, r, v) for r, v in candidates)


_NUMBER_HEAD = re.compile(r"^[\d.,，\s+\-−]+|^[零〇一二两三四五六七八九十百千]+")


def unit_of(raw: str) -> str:
    """The counting unit written after a figure (``315 人次`` → ``人次``; 人/名/位 → ``人``; ``6万元`` →
    ``元``: multipliers are part of the value), empty when none is written."""
    unit = _NUMBER_HEAD.sub("", raw.strip()).lstrip("余多约近万亿 ")
    return unit_family(re.split(r"[/／·\s]", unit)[0]) if unit else ""


def _supports(raw: str, value: float, candidates: Iterable[tuple[str, float]]) -> bool:
    """A passage supports an answer figure when it holds the same value counted in the same unit
    where both write one (1496 人 does not support "1496 人次")."""
    unit = unit_of(raw)
    return any(same_figure(raw, value, r, v) and (not unit or not unit_of(r) or unit == unit_of(r)) for r, v in candidates)


# --------------------------------------------------------------------------------------------------
# "not found"

_NOT_FOUND_PATTERNS = re.compile(
    r"知识库中?(?:未|没有)找到|未找到相关|(?:资料|材料|知识库|段落)中?(?:没有|未|并未|并没有)(?:提供|提及|提到|包含|找到|涉及|给出|说明|记载|列出|相关)"
    r"|(?:没有|无)相关(?:信息|内容|资料|数据)|无法(?:从资料中)?(?:回答|找到|确定)"
    r"|does not contain|doesn't contain|do not contain|no (?:relevant )?information|not (?:mentioned|provided|found|stated)"
    r"|cannot be found|can't be found|unable to find|not contain",
    re.IGNORECASE,
)


def says_not_found(text: str) -> bool:
    """True if the answer states that the material does not contain the answer."""
    return bool(_NOT_FOUND_PATTERNS.search(text))


# --------------------------------------------------------------------------------------------------
# verification


@dataclass
class Verification:
    """Outcome of :func:`verify_answer`: the cleaned text plus what was found."""

    text: str  # markers renumbered 1..m, invalid ones removed, auto-citations inserted
    citations: list[dict] = field(default_factory=list)
    cited: list[int] = field(default_factory=list)  # 0-based passage indices, citation order
    invalid_markers: list[int] = field(default_factory=list)  # as the model wrote them
    unsupported_numbers: list[str] = field(default_factory=list)  # raw, as written in the answer
    auto_cited: list[int] = field(default_factory=list)  # 0-based passage indices attached by code
    not_found: bool = False
    retried: bool = False  # set by the answer chain: this text came from the stricter second attempt

    @property
    def ok(self) -> bool:
        return not self.unsupported_numbers


def citation(n: int, result: SearchResult) -> dict:
    c = result.chunk
    return {"n": n, "source": c.source, "section": c.section, "year": c.year, "page": c.page, "quote": c.text,
            "ocr_confidence": c.ocr_confidence}


_SENTENCE_END = re.compile(r"[。！？；;!?\n]|\.(?=\s|$)")


def _insert_point(text: str, end: int) -> int:
    """Where to put a marker for a figure ending at ``end``: just before the end of its sentence
    (so after any markers already there)."""
    m = _SENTENCE_END.search(text, end)
    return m.start() if m else len(text.rstrip())


def _renumber(text: str, n_passages: int) -> tuple[str, list[int], list[int]]:
    """Drop invalid markers, renumber valid ones by first use; returns (text, order, invalid)."""
    order: list[int] = []
    invalid: list[int] = []

    def sub(m: re.Match) -> str:
        n = int(m.group(1))
        if not 1 <= n <= n_passages:
            invalid.append(n)
            return ""
        if n - 1 not in order:
            order.append(n - 1)
        return f"[{order.index(n - 1) + 1}]"

    text = _MARKER.sub(sub, text)
    text = re.sub(r"(\[\d+\])(?:\1)+", r"\1", text)  # [1][1] -> [1]
    text = re.sub(r"[ \t]+([。，；！？,.;!?])", r"\1", text)  # space left where a marker was removed
    return text.strip(), order, invalid


_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])")


def _source_number_forms(text: str, passages: Sequence[SearchResult]) -> str:
    """``60,000`` → ``60000`` when the passages write the figure without thousands separators (the
    model re-formats figures in English answers; the report's own form is the one to copy)."""
    sources = " ".join(p.chunk.text for p in passages)

    def plain(m: re.Match) -> str:
        bare = m.group(0).replace(",", "")
        return bare if m.group(0) not in sources and re.search(rf"(?<![\d.]){re.escape(bare)}(?![\d])", sources) else m.group(0)

    return _GROUPED.sub(plain, text)


def verify_answer(
    text: str,
    passages: Sequence[SearchResult],
    *,
    question: str = "",
) -> Verification:
    """Check ``text`` (a model answer over the numbered ``passages``, 1-based markers).

    ``question`` may hold the original and the standalone question joined: numbers it mentions
    (years, thresholds the user gave) are not treated as figures needing a source.
    """
    text = _source_number_forms(normalise_markers(text.strip()), passages)
    question_values = values_in(question) + [(str(y), float(y)) for y in years_in(question)]

    figures = [f for f in figures_in(text) if not contains_figure(f[0], f[1], question_values)]
    raw_markers = markers_in(text)

    if says_not_found(text) and not figures:
        # the model says the material lacks the answer: keep its words, cite nothing
        return Verification(text=_renumber(text, 0)[0], not_found=True, invalid_markers=[])

    valid_cited = {n - 1 for n in raw_markers if 1 <= n <= len(passages)}
    passage_values = [values_in(p.chunk.text) + ([(str(p.chunk.year), float(p.chunk.year))] if p.chunk.year else [])
                      for p in passages]

    unsupported: list[str] = []
    insertions: list[tuple[int, int, int]] = []  # (position, figure end, 0-based passage)
    auto: list[int] = []
    for raw, value, _start, end in figures:
        if any(_supports(raw, value, passage_values[i]) for i in valid_cited):
            continue
        holder = next((i for i in range(len(passages)) if _supports(raw, value, passage_values[i])), None)
        if holder is None:
            if raw.strip() not in unsupported:
                unsupported.append(raw.strip())
            continue
        insertions.append((_insert_point(text, end), end, holder))
        if holder not in auto:
            auto.append(holder)
        valid_cited.add(holder)

    done: set[tuple[int, int]] = set()
    for pos, end, idx in sorted(insertions, key=lambda t: t[0], reverse=True):
        marker = f"[{idx + 1}]"
        if (pos, idx) in done or marker in text[end:pos]:
            continue
        done.add((pos, idx))
        text = text[:pos] + marker + text[pos:]

    text, order, invalid = _renumber(text, len(passages))
    citations = [citation(i + 1, passages[idx]) for i, idx in enumerate(order)]
    return Verification(
        text=text,
        citations=citations,
        cited=order,
        invalid_markers=invalid,
        unsupported_numbers=unsupported,
        auto_cited=auto,
        not_found=False,
    )


def merge_verifications(parts: Sequence[Verification]) -> Verification:
    """One answer from verified parts (one per year of a multi-year question): texts joined line by
    line, citations renumbered 1..m across parts, a passage cited by several parts listed once."""
    if len(parts) == 1:
        return parts[0]
    texts: list[str] = []
    citations: list[dict] = []
    number: dict[tuple[str, str], int] = {}
    unsupported: list[str] = []
    for part in parts:
        mapping: dict[int, int] = {}
        for c in part.citations:
            key = (c["source"], c["quote"])
            if key not in number:
                number[key] = len(citations) + 1
                citations.append({**c, "n": number[key]})
            mapping[c["n"]] = number[key]
        texts.append(_MARKER.sub(lambda m: f"[{mapping.get(int(m.group(1)), int(m.group(1)))}]", part.text))
        unsupported += [raw for raw in part.unsupported_numbers if raw not in unsupported]
    return Verification(
        text="\n".join(texts),
        citations=citations,
        invalid_markers=[n for part in parts for n in part.invalid_markers],
        unsupported_numbers=unsupported,
        not_found=all(part.not_found for part in parts),
    )
