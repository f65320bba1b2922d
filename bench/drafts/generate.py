"""Notes generated from a pair of consecutive reports: what a colleague would write down for year N+1,
derived from year N+1's own section (no hand-picking).

For every sentence (and table row) of year N+1's section, under its sub-heading:

* a sentence that is **new against year N** — no sentence of year N's same section holds half of its
  character pairs — becomes a *new* note: the sentence shortened the way notes are (a leading 本年度 /
  2022年 / 同时 dropped, cut to 60 characters at a clause end), its figures as written;
* any other sentence with figures becomes a *figure* note: ``label raw；label raw`` for each figure
  the extractor labels (the year and 学院 dropped from the label);
* a table row becomes a figure note ``row column：value`` per numeric cell.

A new note is *expressed* by a draft when 60% of its key terms (:func:`assistant.chains.lookup.key_terms`,
figures excluded) are in one paragraph of the right place: under the draft sub-heading that matches
its N+1 sub-heading (character-pair similarity ≥ 0.5), or anywhere in the section when none matches
or the section has no sub-headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.chains.lookup import key_terms
from assistant.figures import extract_figures
from assistant.text.markup import MARKER, strip_highlights
from assistant.text.numbering import strip_numbering
from assistant.text.sentences import sentences_with_spans
from assistant.text.similarity import containment

_LEAD = re.compile(r"^(?:(?:19|20)\d\d\s*(?:年度|年)\s*[，,]?|本年度[，,]?|本年[，,]?|今年[，,]?|全年[，,]?|同时[，,]|此外[，,]|另外[，,]|另有)+")


@dataclass
class GenNote:
    text: str
    kind: str  # figure | new
    heading: str = ""  # the N+1 sub-heading it stands under ("" when the section has none)
    source: str = ""  # the N+1 sentence or table row it was derived from
    terms: list[str] = field(default_factory=list)




def _sentences(markdown: str) -> list[tuple[str, str, bool]]:
    """(sub-heading, sentence or table row, is_table_row) of a section's Markdown, in order."""
    out, heading = [], ""
    for line in markdown.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            if stripped.startswith("###"):
                heading = strip_numbering(stripped.lstrip("#").strip())
            continue
        if stripped.startswith("|"):
            if not re.fullmatch(r"\|?[\s:|-]+\|?", stripped):
                out.append((heading, stripped, True))
            continue
        out.extend((heading, s, False) for _, _, s in sentences_with_spans(MARKER.sub("", strip_highlights(stripped))))
    return out


def _shorten(sentence: str, limit: int = 60) -> str:
    text = _LEAD.sub("", sentence.strip()).rstrip("。；;")
    if len(text) <= limit:
        return text
    cut = max(text.rfind(ch, 0, limit) for ch in "，；,;")
    return text[:cut] if cut > 15 else text[:limit]


def _label(metric: str) -> str:
    return re.sub(r"^(?:(?:19|20)\d\d\s*(?:年度|年|届|级)?\s*[，,]?|学院|本年度|全院)+", "", metric).strip() or metric


def derive_notes(prev_markdown: str, next_markdown: str) -> list[GenNote]:
    """The notes of year N+1's section against year N's (module docstring)."""
    prior = [s for _, s, table in _sentences(prev_markdown) if not table]
    notes: list[GenNote] = []
    header: list[str] = []
    for heading, sentence, table in _sentences(next_markdown):
        if table:
            cells = [c.strip() for c in sentence.strip("|").split("|")]
            if not header or not any(re.search(r"\d", c) for c in cells[1:]):
                header = cells
                continue
            parts = [f"{cells[0]}{header[i] if i < len(header) else ''}：{c}" for i, c in enumerate(cells[1:], 1)
                     if re.fullmatch(r"[+\-]?\d+(?:\.\d+)?%?", c)]
            if parts:
                notes.append(GenNote("；".join(parts), "figure", heading, sentence))
            continue
        header = []
        new = not prior or max(containment(sentence, p) for p in prior) < 0.5
        figures = [f for f in extract_figures(sentence) if f.metric]
        if new:
            text = _shorten(sentence)
            notes.append(GenNote(text, "new", heading, sentence,
                                 [t for t in key_terms(text) if not re.search(r"\d", t)]))
        elif figures:
            text = "；".join(f"{_label(f.metric)} {f.raw}" for f in figures)
            notes.append(GenNote(text, "figure", heading, sentence))
    return notes


def notes_text(notes: list[GenNote]) -> str:
    return "\n".join(f"- {n.text}" for n in notes)


def _draft_paragraphs(text: str) -> list[tuple[str, str]]:
    """(sub-heading, paragraph) of a draft."""
    out, heading = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("###"):
            heading = strip_numbering(stripped.lstrip("#").strip())
        elif stripped and not stripped.startswith(("#", "|")):
            out.append((heading, MARKER.sub("", strip_highlights(stripped))))
    return out


def expressed(note: GenNote, draft_text: str, *, expect: list[str] | None = None, written: list[str] = ()) -> bool:
    """Whether 60% of the note's key terms are in one paragraph of the right place (module
    docstring); ``expect``: substrings, one of which the paragraph (without the ``written``
    sentences) or its heading must hold (the handwritten cases say where a note belongs)."""
    terms = note.terms or [t for t in key_terms(note.text) if not re.search(r"\d", t)]
    if not terms:
        return False
    paragraphs = _draft_paragraphs(draft_text)
    if expect:
        def own(p: str) -> str:
            for w in written:
                p = p.replace(MARKER.sub("", strip_highlights(w)), "")
            return p

        right = [(h, p) for h, p in paragraphs if any(e in h or e in own(p) for e in expect)]
    else:
        headings = {h for h, _ in paragraphs if h}
        match = {h for h in headings if note.heading and containment(note.heading, h) >= 0.5}
        right = [(h, p) for h, p in paragraphs if h in match] if match else paragraphs
    return any(sum(t in p for t in terms) >= 0.6 * len(terms) for _, p in right)
