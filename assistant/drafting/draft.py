"""The entry point: :func:`draft_section` — one section of the year's report from notes."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .notes import load_table, read_notes
from .provenance import account_update, account_write, model_provenance, section_provenance
from .result import MODES, DraftDeps, DraftResult
from .update import update
from .write import write


def _deps(deps: Any) -> DraftDeps:
    if isinstance(deps, DraftDeps):
        return deps
    if hasattr(deps, "draft_deps"):  # the application's services wire drafting's dependencies
        return deps.draft_deps()
    raise TypeError(f"draft_section needs DraftDeps, not {type(deps).__name__}")


def draft_section(deps: DraftDeps | Any, section: str, year: int, notes: str, *, mode: str = "notes",
                  table: str | Path | None = None, on_text: Callable[[str], None] | None = None,
                  **options: Any) -> DraftResult:
    """Draft ``section`` (one of :data:`SECTIONS` or a free title) of the ``year`` report from
    ``notes`` (and ``table``: Markdown/CSV text or a .md/.csv/.xlsx path).

    ``mode="notes"`` (default) updates last year's section with the notes' figures and writes one
    new sentence per note that updated no figure (the model, one short prompt per note);
    ``mode="update"`` only updates (no model); ``mode="write"`` asks the chat model for the whole
    section (options: ``max_exemplar_chars``, ``max_passage_chars``, ``regulations_k``,
    ``max_tokens``). ``on_text`` receives the text so far while the model writes. Write-mode model
    failures raise ``ModelUnavailable``; notes mode without a model lists the notes it could not
    place, with the reason."""
    deps = _deps(deps)
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    section = section.strip()
    started = time.perf_counter()
    table_md = load_table(table) if table is not None else None
    note_list = read_notes(notes, table_md)
    facts = [f for n in note_list for f in n.facts]
    chunks = deps.all_chunks()
    thresholds = deps.option("check", None)
    if mode == "write":
        try:
            result = write(deps, chunks, section, year, notes, table_md, facts, on_text=on_text, **options)
        except Exception as exc:
            from assistant.llm.errors import ModelUnavailable, model_unavailable

            if isinstance(exc, (ModelUnavailable, ValueError, FileNotFoundError)):
                raise
            raise model_unavailable(exc) from exc
        from assistant.chains.verify import contains_figure, values_in

        from .guard import masked

        written = values_in(masked(result.text))
        result.notes = account_write(note_list, [f.raw for f in facts if contains_figure(f.raw, f.value, written)])
        result.provenance = model_provenance(result.text)
    else:
        result, trace = update(chunks, section, year, facts, thresholds)
        if mode == "notes":
            from .compose import compose

            result = compose(deps, chunks, result, trace, note_list, on_text=on_text, **options)
        else:
            result.notes = account_update(note_list, trace, result.text)
            result.unused_notes = [n["text"] for n in result.notes if n["status"] == "unused"]  # qualitative ones too
            result.provenance, result.carried_over = section_provenance(result.text, result.citations, trace, note_list)
    result.seconds = time.perf_counter() - started
    return result
