"""Compliance checklist: what the year's report must state, and whether the draft states it.

The items are an editable data file (``checklist.toml`` beside this module, or the file named by
``ASSISTANT_CHECKLIST_FILE``); see its header for the fields. For each item, every sentence of the
assembled report (and every table row) that names one of its keywords — and states a figure, when
the item asks for one — is a candidate, and the item's status is the best candidate's:

* ``ok`` — a candidate with nothing open: ``where`` is its section, ``quote`` the sentence;
* otherwise the first candidate's problem (sentences of the item's ``section`` first):
  ``placeholder`` — it holds 【待补充：…】 (or, without candidates, a placeholder names the item);
  ``stale`` — it states a figure not updated (``==…==``) or equal to last year's figure of the same
  metric (alignment score ≥ 0.6 with one unambiguous prior value, as the figure check does, or the
  figure right after the item's keyword in both years); only items that ask for a figure are
  compared (联合管理委员会 meeting twice in two years is no stale copy), and ``stale = false`` turns
  the comparison off (fee standards rarely change);
* ``missing`` — no candidate at all.

An item's ``article`` (``第九条``) is looked up in the knowledge base when the checklist runs: the
indexed regulation passage holding it, ranked by the knowledge base's search when several
regulations have that article; the item then quotes what the regulation requires.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.figures.align import match_score, sourced_figures, unit_family
from assistant.figures.extract import extract_figures
from assistant.text.sentences import sentence_bounds
from assistant.types import Chunk

from .blocks import split_blocks, unmark
from .drafter import PLACEHOLDER
from .workspace import Workspace

__all__ = ["CHECKLIST_FILE", "ChecklistItem", "checklist_json", "load_checklist", "run_checklist"]

CHECKLIST_FILE = Path(__file__).with_name("checklist.toml")
STATUS_TEXT = {"ok": ("已写明", "ok"), "placeholder": ("待补充", "placeholder"), "stale": ("数字未更新", "stale"),
               "missing": ("缺失", "missing")}
STALE_MIN_MATCH = 0.6
Record = tuple[str, int, str, str]


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    title: str
    keywords: tuple[str, ...]
    title_en: str = ""
    figure: bool = False
    with_: tuple[str, ...] = ()
    section: str = ""
    stale: bool = True
    article: str = ""
    strict: bool = False


@dataclass
class ItemResult:
    item: ChecklistItem
    status: str
    where: str = ""
    quote: str = ""
    message: str = ""
    regulation: dict | None = None
    candidates: int = 0

    def to_json(self, full: bool = True) -> dict:
        out = {"item": self.item.title, "status": self.status, "where": self.where, "quote": self.quote}
        if full:
            out.update({"id": self.item.id, "title_en": self.item.title_en, "message": self.message,
                        "article": self.item.article, "regulation": self.regulation})
        return out


def load_checklist(path: Path | None = None) -> list[ChecklistItem]:
    """The checklist items of ``path`` (default: ``ASSISTANT_CHECKLIST_FILE`` or the shipped file)."""
    path = Path(path or os.environ.get("ASSISTANT_CHECKLIST_FILE") or CHECKLIST_FILE)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"无法读取检查清单 {path} (cannot read the checklist): {exc}") from exc
    items = []
    for n, raw in enumerate(data.get("item") or [], 1):
        if not isinstance(raw, dict) or not raw.get("id") or not raw.get("title") or not raw.get("keywords"):
            raise ValueError(f"检查清单 {path} 第 {n} 项缺少 id、title 或 keywords (checklist item {n} needs id, title, keywords)")
        items.append(ChecklistItem(id=str(raw["id"]), title=str(raw["title"]), keywords=tuple(map(str, raw["keywords"])),
                                   title_en=str(raw.get("title_en") or ""), figure=bool(raw.get("figure", False)),
                                   with_=tuple(map(str, raw.get("with") or ())), section=str(raw.get("section") or ""),
                                   stale=bool(raw.get("stale", True)), article=str(raw.get("article") or ""),
                                   strict=bool(raw.get("strict", False))))
    return items


# ---- the report as sentences --------------------------------------------------------------------


@dataclass
class _Sentence:
    section: str
    plain: str
    marked: bool  # holds a figure highlighted as not updated
    figures: list = field(default_factory=list)


def _sentences(workspace: Workspace) -> tuple[list[_Sentence], dict[str, str]]:
    out: list[_Sentence] = []
    section_text: dict[str, str] = {}
    for section in workspace.sections:
        texts = []
        for block in split_blocks(section.text):
            if block.kind == "heading":
                continue
            plain, spans = unmark(block.text)
            texts.append(plain)
            if block.kind == "table":
                pieces = []
                offset = 0
                for line in plain.split("\n"):
                    pieces.append((offset, offset + len(line)))
                    offset += len(line) + 1
            else:
                pieces, pos = [], 0
                while pos < len(plain):
                    a, b = sentence_bounds(plain, pos)
                    pieces.append((a, b))
                    pos = max(b, pos + 1)
            for a, b in pieces:
                sentence = plain[a:b].strip()
                if not sentence or re.fullmatch(r"[|\s:\-]+", sentence):
                    continue
                marked = any(a <= s < b for s, _ in spans)
                out.append(_Sentence(section.title, sentence, marked, extract_figures(sentence)))
        section_text[section.title] = "\n".join(texts)
    return out, section_text


def _after_keyword(text: str, figures: list, keyword: str):
    """The first figure after ``keyword`` in a sentence (the figure the keyword names)."""
    pos = text.find(keyword)
    return next((f for f in figures if pos >= 0 and f.start >= pos + len(keyword)), None)


class _Prior:
    """Last year's figures: aligned by metric label, and by the checklist keyword they follow."""

    def __init__(self, records: list[Record]) -> None:
        self.records = records
        self.figures = sourced_figures(records) if records else []
        self._by_keyword: dict[str, list] = {}

    def after(self, keyword: str) -> list:
        if keyword not in self._by_keyword:
            found = []
            for text, year, _, _ in self.records:
                for m in re.finditer(re.escape(keyword), text):
                    a, b = sentence_bounds(text, m.start())
                    sentence = text[a:b]
                    f = _after_keyword(sentence, extract_figures(sentence), keyword)
                    if f is not None:
                        f.year = year
                        found.append(f)
            self._by_keyword[keyword] = found
        return self._by_keyword[keyword]


def _stale_figure(sentence: _Sentence, prior: _Prior, keywords: tuple[str, ...]) -> str | None:
    def stale(f, old) -> str:
        return f"{f.raw} 与 {old.year} 年报告相同，可能未更新 (same figure as last year's report)"

    for f in sentence.figures:
        scored = sorted(((match_score(f, sf.figure), k) for k, sf in enumerate(prior.figures)), reverse=True)
        if not scored or scored[0][0] < STALE_MIN_MATCH:
            continue
        best_score, best = scored[0]
        values = {prior.figures[k].figure.value for s, k in scored if s >= best_score - 0.05}
        if len(values) == 1 and abs(prior.figures[best].figure.value - f.value) < 1e-9:
            return stale(f, prior.figures[best].figure)
    # Labels written differently (在校生与任课教师之比（生师比） vs 生师比) do not align: the figure that
    # follows the item's keyword in both years is the same fact.
    for keyword in keywords:
        f = _after_keyword(sentence.plain, sentence.figures, keyword)
        if f is None:
            continue
        olds = [o for o in prior.after(keyword) if unit_family(o.unit) == unit_family(f.unit)]
        if olds and {o.value for o in olds} == {f.value}:
            return stale(f, olds[0])
    return None


def _regulation(item: ChecklistItem, chunks: Sequence[Chunk], search: Callable[..., list] | None) -> dict | None:
    """The regulation passage of the item's article. One regulation holding it: that passage. Several
    (each regulation has its own 第十四条): the one the knowledge base's search ranks first for
    "article + title". Searching only then keeps the checklist free of the embedding model (≈5 s to
    load in a fresh CLI process) when the answer is certain."""
    if not item.article:
        return None
    regs = [c for c in chunks if c.doc_type == "regulation" and item.article in c.text]
    regs.sort(key=lambda c: (not c.section.endswith(item.article), c.source, c.ordinal))
    hit: Chunk | None = regs[0] if regs else None
    if search is not None and len({c.source for c in regs}) > 1:
        try:
            for result in search(f"{item.article} {item.title}", k=8, doc_type="regulation"):
                chunk = getattr(result, "chunk", result)
                if item.article in chunk.text:
                    hit = chunk
                    break
        except Exception:  # noqa: BLE001 - the search only ranks; the catalog's first passage stands
            pass
    if hit is None:
        return {"article": item.article, "source": None, "section": None, "quote": None}
    text = hit.text.strip()
    start = text.find(item.article)
    return {"article": item.article, "source": hit.source, "section": hit.section, "page": hit.page,
            "quote": text[start:start + 240]}


def run_checklist(workspace: Workspace, items: Iterable[ChecklistItem] | None = None, *,
                  history: Iterable[Record] = (), chunks: Sequence[Chunk] = (),
                  search: Callable[..., list] | None = None) -> list[ItemResult]:
    """The status of every checklist item in the workspace's report."""
    items = list(items) if items is not None else load_checklist()
    sentences, section_text = _sentences(workspace)
    records = [r for r in history if r[1] is not None and r[1] < workspace.year]
    prior_year = max((r[1] for r in records), default=None)
    prior = _Prior([r for r in records if r[1] == prior_year])
    placeholders = [(s.title, m.group(0)) for s in workspace.sections for m in PLACEHOLDER.finditer(s.text)]
    results = []
    for item in items:
        found: dict[str, tuple[_Sentence, str]] = {}
        order: list[str] = []
        count = 0
        ordered = sorted(sentences, key=lambda s: s.section != item.section)  # the expected section first
        if item.strict and item.section in workspace.titles:
            ordered = [s for s in ordered if s.section == item.section]
        for sentence in ordered:
            if not any(k in sentence.plain for k in item.keywords):
                continue
            has_placeholder = bool(PLACEHOLDER.search(sentence.plain))
            if item.figure and not sentence.figures and not has_placeholder:
                continue
            if item.with_ and not any(w in section_text.get(sentence.section, "") for w in item.with_):
                continue
            count += 1
            before = set(found)
            if has_placeholder:
                found.setdefault("placeholder", (sentence, "句中有待补充内容 (placeholder in the sentence)"))
            elif sentence.marked:
                found.setdefault("stale", (sentence, "句中有未更新的数字 (a figure is not updated)"))
            elif item.figure and item.stale and prior.records and (why := _stale_figure(sentence, prior, item.keywords)):
                found.setdefault("stale", (sentence, why))
            else:
                found.setdefault("ok", (sentence, ""))
                break
            order += [k for k in found if k not in before]
        if not found:
            named = next(((t, p) for t, p in placeholders if any(k in p for k in item.keywords)), None)
            if named:
                result = ItemResult(item, "placeholder", named[0], named[1], "待补充 (to be completed)")
            else:
                where = item.section if item.section in workspace.titles else ""
                result = ItemResult(item, "missing", "", "", f"报告中未写明 (not stated){'；应在“' + where + '”' if where else ''}")
        else:  # ok if any candidate is; else the first candidate's problem (the expected section first)
            status = "ok" if "ok" in found else min(found, key=lambda k: order.index(k))
            sentence, message = found[status]
            result = ItemResult(item, status, sentence.section, sentence.plain, message)
        result.candidates = count
        result.regulation = _regulation(item, chunks, search)
        results.append(result)
    return results


def checklist_json(results: Iterable[ItemResult], full: bool = False) -> list[dict[str, Any]]:
    """``[{"item", "status", "where", "quote"}]`` (``full`` adds id, message, article, regulation)."""
    return [r.to_json(full) for r in results]


def status_text(status: str, lang: str = "zh") -> str:
    zh, en = STATUS_TEXT.get(status, (status, status))
    return en if lang == "en" else zh
