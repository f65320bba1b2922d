"""Word overlap of Chinese text by character pairs: the cheap similarity that placement (drafting),
verification (does an answer's clause name the fact's words) and the drafting benchmark share.

A pair is two adjacent Han characters inside one run of Han characters, so punctuation, digits and
Latin words never form pairs ("生师比为6.91" → 生师, 师比, 比为)."""

from __future__ import annotations

import re

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def cjk_bigrams(text: str) -> set[str]:
    """The character pairs of the Han runs of ``text``."""
    return {run[i:i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)}


def containment(part: str, whole: str) -> float:
    """Share of ``part``'s character pairs found in ``whole`` (0 when ``part`` has none)."""
    grams = cjk_bigrams(part)
    return len(grams & cjk_bigrams(whole)) / len(grams) if grams else 0.0
