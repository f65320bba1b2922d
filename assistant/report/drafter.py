"""The report package's only door into section drafting.

Drafting is moving from ``assistant.chains.draft`` to an ``assistant.drafting`` package (with a new
default "notes" mode); every call the workspace makes goes through :func:`draft` and the markup
helpers below, so that move changes one import here and nothing else in ``assistant/report``.

Update mode needs no model (≈0.05 s per section on the real 2020 report), so "draft every
section" uses it; write mode (the chat model, minutes per section on a CPU) is per section.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from assistant.chains.draft import DraftDeps, draft_section

__all__ = ["DraftDeps", "HIGHLIGHT", "MARKER", "PLACEHOLDER", "STANDARD_SECTIONS", "draft", "plain", "strip_markers"]

STANDARD_SECTIONS = ("办学基本情况", "学生培养", "师资建设", "教学组织", "教学质量监控", "项目管理", "财务状况",
                     "社会评价", "办学特色")
"""The nine sections a self-assessment report has (the outline when no prior report is indexed)."""

HIGHLIGHT = re.compile(r"==(.+?)==")
PLACEHOLDER = re.compile(r"【待补充[：:]([^】]*)】")
MARKER = re.compile(r"\[(\d{1,3})\]")


def draft(deps: Any, section: str, year: int, notes: str, *, mode: str = "update",
          on_text: Callable[[str], None] | None = None) -> dict:
    """One section drafted: the draft's JSON (``text``, ``citations``, ``placeholders``,
    ``not_updated``, ``findings``, ``unused_notes``, ``mode``). ``deps`` is a ``DraftDeps`` or
    anything ``draft_section`` accepts."""
    result = draft_section(deps, section, year, notes, mode=mode, on_text=on_text)
    out = result.to_json()
    out.setdefault("mode", mode)
    return out


def plain(text: str) -> str:
    """Draft text without the ``==…==`` marks (finding quotes are substrings of it)."""
    return HIGHLIGHT.sub(r"\1", text)


def strip_markers(text: str) -> str:
    """Text without ``[n]`` citation markers and ``==`` marks: what a reader sees, for comparisons."""
    return MARKER.sub("", plain(text))
