"""The report package's only door into section drafting.

Every call the workspace makes into :mod:`assistant.drafting` goes through :func:`draft`; the
markup conventions are :mod:`assistant.text.markup`'s, re-exported for the report modules.

Update mode needs no model (≈0.05 s per section on the real 2020 report), so "draft every
section" uses it; notes mode (a new sentence per note by the chat model, seconds per note) and
write mode (minutes per section on a CPU) are per section.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.drafting import SECTIONS, DraftDeps, draft_section
from assistant.text.markup import HIGHLIGHT, MARKER, PLACEHOLDER, strip_highlights
from assistant.text.markup import strip_markers as _strip_markers

__all__ = ["DraftDeps", "HIGHLIGHT", "MARKER", "PLACEHOLDER", "STANDARD_SECTIONS", "draft", "plain", "strip_markers"]

STANDARD_SECTIONS = SECTIONS
"""The nine sections a self-assessment report has (the outline when no prior report is indexed)."""


def draft(deps: Any, section: str, year: int, notes: str, *, mode: str = "update",
          on_text: Callable[[str], None] | None = None) -> dict:
    """One section drafted: the draft's JSON (``text``, ``citations``, ``placeholders``,
    ``not_updated``, ``findings``, ``unused_notes``, ``mode``, ``notes``, ``provenance`` …). ``deps``
    is a ``DraftDeps`` or anything ``draft_section`` accepts."""
    result = draft_section(deps, section, year, notes, mode=mode, on_text=on_text)
    out = result.to_json()
    out.setdefault("mode", mode)
    return out


def plain(text: str) -> str:
    """Draft text without the ``==…==`` marks (finding quotes are substrings of it)."""
    return strip_highlights(text)


def strip_markers(text: str) -> str:
    """Text without ``[n]`` citation markers and ``==`` marks: what a reader sees, for comparisons."""
    return _strip_markers(plain(text))
