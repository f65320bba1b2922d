"""Drafting a section of the year's report from notes.

* :mod:`.notes` — notes and tables → notes with their facts, bound to the vocabulary's concepts;
* :mod:`.sections` — prior sections rebuilt from the indexed chunks;
* :mod:`.update` — update mode: last year's text with this year's figures (deterministic);
* :mod:`.compose` — notes mode (the default): update, then one new sentence per unplaced note;
* :mod:`.write` — write mode: the model writes the whole section;
* :mod:`.guard` — the figures of generated text verified by meaning;
* :mod:`.provenance` — where each sentence came from, where each note went;
* :mod:`.draft` — :func:`draft_section`, the entry point.

Public API::

    deps = DraftDeps(chunks=..., chat_model=..., retriever=..., embed=..., options=settings.draft)
    result = draft_section(deps, "师资建设", 2021, notes)              # mode="notes"
    result.to_json()  # section, year, mode, text, citations, placeholders, not_updated, findings,
                      # unused_notes, notes, provenance, carried_over, notice

Conventions of ``text`` (Markdown): ``## 三. 师资建设`` then ``###`` sub-headings and paragraphs;
``[n]`` cites ``citations[n-1]`` (the prior-year passage a paragraph was built from, or a
regulation); ``==x==`` a figure not updated (listed in ``not_updated``); ``【待补充：…】`` a figure
the author must supply (listed in ``placeholders`` with its reason: missing · stale · unsupported ·
mismatch). Facts from the notes are not marked: they are the author's own material.
"""

from .draft import draft_section
from .guard import verify_written
from .notes import Note, NoteFact, load_table, parse_notes, read_notes
from .result import MODES, DraftDeps, DraftResult
from .sections import SECTIONS, section_chunks, section_markdown
from .write import TRUNCATED

from assistant.text.markup import strip_highlights

__all__ = ["MODES", "SECTIONS", "TRUNCATED", "DraftDeps", "DraftResult", "Note", "NoteFact", "draft_section",
           "load_table", "parse_notes", "read_notes", "section_chunks", "section_markdown", "strip_highlights",
           "verify_written"]
