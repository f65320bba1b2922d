"""One citation type with its three renderings: the UI panel (HTML), the CLI line, the .docx footnote.

A citation is the passage behind a ``[n]`` marker: ``n``, ``source`` (file relative to the knowledge
folder), ``section`` (path, `` > `` separated), ``year``, ``page``, ``quote`` (the passage text), and
optionally a ``note`` shown with it everywhere (e.g. ``OCR 识别文本，置信度 0.74`` for a passage read
by OCR). Answers, drafts, JSON output and stored conversations carry citations as plain dicts of
exactly these keys (:meth:`Citation.to_dict`); any other key (another stage may add
``ocr_confidence``) is kept in ``extra`` and written back unchanged, so a dict survives
``from_dict`` → ``to_dict`` as it was.

There were four renderers of those dicts (chat panel, draft panel, CLI, .docx) that disagreed on
which fields they showed; each now calls one method here. The HTML keeps the markup the UI's
script and the browser tests rely on: ``<details class="citation" id=…>`` (the id is the anchor a
``[n]`` link points at), the ``[n]`` in ``<summary>``, the quote in ``<blockquote>``, the fields in
a ``<dl>`` whose labels the caller passes in the user's language (this module knows no UI).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.types import Chunk

__all__ = ["FIELDS", "Citation"]

FIELDS = ("n", "source", "section", "year", "page", "quote")
"""The keys every citation dict has, in this order."""

_OPTIONAL = ("note",)


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _given(value: object) -> bool:
    return value not in (None, "")


@dataclass
class Citation:
    """The passage behind marker ``[n]``."""

    n: int
    source: str = ""
    section: str = ""
    year: int | None = None
    page: int | None = None
    quote: str = ""
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # other keys of the dict form, kept as they are

    # ---- dict form -------------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Citation:
        """A citation from its dict form (missing fields empty; unknown keys kept in ``extra``)."""
        known = set(FIELDS) | set(_OPTIONAL)
        n = data.get("n")
        return cls(n=int(n) if str(n).strip().isdigit() else 0, source=str(data.get("source") or ""),
                   section=str(data.get("section") or ""), year=data.get("year"), page=data.get("page"),
                   quote=str(data.get("quote") or ""), note=data.get("note"),
                   extra={k: v for k, v in data.items() if k not in known})

    @classmethod
    def from_chunk(cls, n: int, chunk: Chunk, *, note: str | None = None) -> Citation:
        """Marker ``n`` citing ``chunk`` (the quote is the whole passage)."""
        confidence = getattr(chunk, "ocr_confidence", None)  # None: the file held the text
        extra = {"ocr_confidence": confidence} if confidence is not None else {}
        return cls(n=n, source=chunk.source, section=chunk.section, year=chunk.year, page=chunk.page,
                   quote=chunk.text, note=note, extra=extra)

    def to_dict(self) -> dict[str, Any]:
        """``{"n","source","section","year","page","quote"}``, then ``note`` if set, then ``extra``."""
        out: dict[str, Any] = {"n": self.n, "source": self.source, "section": self.section, "year": self.year,
                               "page": self.page, "quote": self.quote}
        if self.note is not None:
            out["note"] = self.note
        out.update(self.extra)
        return out

    # ---- renderings ------------------------------------------------------------------------------

    def to_text(self) -> str:
        """One line for the CLI: ``[1] reports/a.md · 三、师资建设 · 2020 · p.3 · note``."""
        page = f" · p.{self.page}" if _given(self.page) else ""
        note = f" · {self.note}" if _given(self.note) else ""
        return f"[{self.n}] {self.source} · {self.section or '—'} · {self.year or '—'}{page}{note}"

    def footnote(self) -> str:
        """The .docx footnote: ``来源：reports/a.md · 三、师资建设 · 2020 年 · 第 3 页 · note`` (file · section ·
        year · page, the parts that are known)."""
        parts = [self.source]
        if _given(self.section):
            parts.append(self.section)
        if _given(self.year):
            parts.append(f"{self.year} 年")
        if _given(self.page):
            parts.append(f"第 {self.page} 页")
        if _given(self.note):
            parts.append(str(self.note))
        return "来源：" + " · ".join(p for p in parts if p)

    def to_html(self, anchor: str, labels: Mapping[str, str]) -> str:
        """The panel entry, ``id=anchor``; ``labels``: ``file``, ``section``, ``year``, ``page``, ``note``
        in the user's language. Page and note rows only when given; every value escaped."""
        where = " · ".join(_esc(x) for x in (self.source, self.year) if _given(x))
        rows = [("file", self.source), ("section", self.section), ("year", self.year)]
        rows += [(key, value) for key, value in (("page", self.page), ("note", self.note)) if _given(value)]
        fields = "".join(f"<dt>{_esc(labels[key])}</dt><dd>{_esc(value)}</dd>" for key, value in rows)
        marked = f'<div class="ocr-note">⚠ {_esc(self.note)}</div>' if _given(self.note) else ""
        return (f'<details class="citation" id="{_esc(anchor)}"><summary><b>[{_esc(self.n)}]</b> {where}</summary>'
                f"{marked}<blockquote>{_esc(self.quote)}</blockquote><dl>{fields}</dl></details>")
