"""Inline marks the product writes into text: citation markers ``[n]``, highlights ``==x==`` (a figure
not updated), placeholders ``【待补充：…】`` — one pattern each, shared by chains, drafting, the UI and
the Word export.
"""

from __future__ import annotations

import re

MARKER = re.compile(r"\[(\d{1,3})\]")
"""A citation marker ``[n]`` (1–999)."""

_MARKER_VARIANT = re.compile(r"[\[【]\s*(\d{1,3}(?:\s*(?:[,，、;；\-–~]|and|&)\s*\d{1,3})*)\s*[\]】]")
HIGHLIGHT = re.compile(r"==(.+?)==")
"""A figure (or year) carried over without an update, shown highlighted."""
PLACEHOLDER = re.compile(r"【待补充[：:]([^】]*)】")
"""Something the author must still supply; the group is what is missing."""
INLINE = re.compile(r"==(?P<mark>.+?)==|(?P<ph>【待补充[：:][^】]*】)|\[(?P<n>\d{1,3})\]")
"""Any of the three marks, for renderers that turn each into a styled run."""


def placeholder(what: str) -> str:
    """``【待补充：what】``."""
    return f"【待补充：{what}】"


def strip_highlights(text: str) -> str:
    """``text`` without ``==…==`` marks."""
    return HIGHLIGHT.sub(r"\1", text)


def strip_markers(text: str) -> str:
    """``text`` without citation markers."""
    return MARKER.sub("", text)


def normalise_markers(text: str) -> str:
    """``【1】`` → ``[1]``, ``[1, 2]`` / ``[1、2]`` → ``[1][2]``, ``[1-3]`` → ``[1][2][3]``."""

    def expand(m: re.Match) -> str:
        numbers: list[int] = []
        for part in re.split(r"\s*(?:[,，、;；]|and|&)\s*", m.group(1)):
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
    return [int(m.group(1)) for m in MARKER.finditer(text)]


def mask(text: str, pattern: re.Pattern) -> str:
    """``text`` with every match of ``pattern`` blanked by spaces (offsets stay valid)."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)
