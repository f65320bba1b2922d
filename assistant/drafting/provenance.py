"""Where every sentence of a draft came from, and where every note went.

Sentence provenance (``DraftResult.provenance``, one entry per sentence of a body paragraph, in text
order): ``kind`` is

* ``carried`` — last year's sentence, unchanged (``citation``: the marker of its prior passage);
* ``updated`` — last year's sentence with figures updated from notes (``notes``: their numbers);
* ``carried_over`` — a carried sentence about a one-off event of the prior year (an event verb of
  ``terms.toml [events]`` at a time of that year — 本年度, a month, the year itself, or 首次/首届)
  that no note refreshes: "carried over from 2020", for a person to keep or drop (also listed in
  ``carried_over``);
* ``written`` — a new sentence the model wrote from one note (``notes``: [n]; model wording);
* ``model`` — write mode: the model's wording of the whole section (a write-mode note's ``status``
  is ``model``, with the figures the text holds and those it does not).

Each entry has ``paragraph`` (1-based among the section's body paragraphs), ``sentence`` (as in
``text``, marks included, markers excluded), ``year`` (of the prior report it came from) and
``label`` (Chinese and English). Tables are not
sentences: their figures are highlighted or updated like the rest.

Note accounting (``DraftResult.notes``): per note ``n``, ``text``, ``status`` — ``figures`` (its
figures replaced last year's), ``sentence`` (a new sentence in ``paragraph``), ``figures+sentence``
(some figures replaced, the rest written as a new sentence), ``unused`` — with the
``figures`` it placed, the ``unplaced`` ones and a ``reason`` (Chinese and English) when something
was not used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.domain import vocabulary
from assistant.text.markup import MARKER, strip_highlights
from assistant.text.sentences import sentences_with_spans

from .notes import Note
from .update import UpdateTrace

REASONS = {
    "qualitative": "没有数字可更新，更新模式不写新句子 (no figure to update; update mode writes no new sentences)",
    "no_figure": "往年本节没有同一指标的数字，更新模式不写新句子 (no figure of last year's section has this metric; "
                 "update mode writes no new sentences)",
    "no_model": "没有可用的语言模型，未写新句子 (no language model available: no new sentence written)",
    "model_unavailable": "语言模型不可用，未写新句子 (the language model was not reachable: no new sentence written)",
    "too_many": "本节材料过多，超出一次起草可写的新句子数 (more notes than one draft writes new sentences for)",
    "empty": "模型没有写出可用的句子 (the model wrote no usable sentence)",
    "off_note": "模型写的句子没有说出这条材料的内容，未采用 (the model's sentence did not say what the note says: not used)",
}
_ANCHOR_TIME = re.compile(r"\d{1,2}\s*月")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every body paragraph line of a draft (not headings, not table rows)."""
    out, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "|")):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def paragraph_of(text: str, pos: int) -> int | None:
    """1-based number of the body paragraph holding ``pos``."""
    for k, (a, b) in enumerate(paragraphs(text), 1):
        if a <= pos <= b:
            return k
    return None


def sentence_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph) of every sentence of the body paragraphs; citation markers that end a
    paragraph belong to the sentence before them, not to the sentence after."""
    out = []
    for k, (a, b) in enumerate(paragraphs(text), 1):
        line = text[a:b]
        for s, e, _ in sentences_with_spans(line):
            m = re.match(r"(?:\s*\[\d{1,3}\])+\s*", line[s:e])
            if m:
                if out and out[-1][2] == k:
                    out[-1] = (out[-1][0], a + s + len(m.group(0).rstrip()), k)
                s += len(m.group(0))
            if s < e:
                out.append((a + s, a + e, k))
    return out


def _clean(sentence: str) -> str:
    return MARKER.sub("", sentence).strip()


def _key_terms(text: str) -> list[str]:
    from assistant.chains.lookup import key_terms

    return key_terms(text)


def refreshed_by(sentence: str, notes: Sequence[Note]) -> bool:
    """Whether a note is about this sentence: half of its key terms are in it."""
    plain = strip_highlights(sentence)
    for note in notes:
        terms = _key_terms(note.text)
        if terms and sum(t in plain for t in terms) >= max(2, len(terms) / 2):
            return True
    return False


def one_off(sentence: str, prior: int | None) -> bool:
    """A sentence about an event of the prior year (module docstring)."""
    vocab = vocabulary()
    plain = strip_highlights(sentence)
    if not any(v in plain for v in vocab.event_verbs):
        return False
    if any(a in plain for a in ("首次", "首届")):
        return True
    anchored = any(a in plain for a in vocab.event_anchors) or bool(_ANCHOR_TIME.search(plain))
    return anchored or (prior is not None and str(prior) in plain)


def _inside(spans: Sequence[tuple[int, int, int]], a: int, b: int) -> list[int]:
    return [n for s, e, n in spans if a <= s and e <= b and e > s]


def _owner(spans: Sequence[tuple[int, int, int]], a: int, b: int) -> int | None:
    for s, e, n in spans:
        if s <= a and b <= e:
            return n
    return None


def label(kind: str, notes: Sequence[int] = (), citation: int | None = None, prior: int | None = None) -> str:
    """The provenance of a sentence as people read it (Chinese and English)."""
    joined = "、".join(str(n) for n in notes)
    year = f"{prior} 年" if prior else "往年"
    year_en = str(prior) if prior else "the prior"
    cite = f" [{citation}]" if citation else ""
    return {
        "carried": f"沿用{year}报告{cite} (carried from the {year_en} report{cite})",
        "updated": f"数字据材料第 {joined} 条更新{cite} (figure updated from note {joined}{cite})",
        "carried_over": f"沿用{year}的一次性内容，请确认保留或删除{cite} (carried over from {year_en}: keep or drop)",
        "written": f"根据材料第 {joined} 条新写，模型措辞 (written from note {joined}, model wording)",
        "model": "模型撰写 (model wording)",
    }[kind]


def section_provenance(text: str, citations: Sequence[dict], trace: UpdateTrace, notes: Sequence[Note],
                       written: Sequence[tuple[int, int, int]] = ()) -> tuple[list[dict], list[dict]]:
    """(provenance, carried_over) of a draft built by update mode (``trace``) plus the new sentences
    at ``written`` spans ((start, end, note n) in ``text``)."""
    out, carried_over = [], []
    for a, b, k in sentence_spans(text):
        sentence = _clean(text[a:b])
        if not sentence:
            continue
        note = _owner(written, a, b)
        if note is not None:
            out.append({"kind": "written", "paragraph": k, "sentence": sentence, "notes": [note], "citation": None,
                        "year": None, "label": label("written", [note])})
            continue
        citation = _owner(trace.passages, a, b)
        updated = sorted(set(_inside(trace.edits, a, b)))
        if updated:
            kind = "updated"
        elif trace.prior is not None and one_off(sentence, trace.prior) and not refreshed_by(sentence, notes):
            kind = "carried_over"
            carried_over.append({"paragraph": k, "sentence": sentence, "year": trace.prior, "citation": citation})
        else:
            kind = "carried" if citation is not None else "model"
        out.append({"kind": kind, "paragraph": k, "sentence": sentence, "notes": updated, "citation": citation,
                    "year": trace.prior, "label": label(kind, updated, citation, trace.prior)})
    return out, carried_over


def account_update(notes: Sequence[Note], trace: UpdateTrace, text: str = "") -> list[dict]:
    """Per note: which of its figures update mode placed (``trace.placed`` holds indices into the
    notes' facts in order) and why the rest were not used."""
    out, index = [], 0
    for note in notes:
        placed, unplaced = [], []
        for fact in note.facts:
            (placed if index in trace.placed else unplaced).append(fact.raw)
            index += 1
        entry: dict = {"n": note.n, "text": note.text, "status": "figures" if placed else "unused",
                       "figures": placed, "unplaced": unplaced, "paragraph": None, "reason": None}
        if placed and text:
            spots = [a for a, _, n in trace.edits if n == note.n]
            entry["paragraph"] = paragraph_of(text, spots[0]) if spots else None
        if not placed:
            entry["reason"] = REASONS["qualitative" if note.qualitative else "no_figure"]
        out.append(entry)
    return out


def describe_note(entry: dict) -> str:
    """Where a note went, for people: ``材料 2：新句子，第 4 段 (new sentence in paragraph 4)``."""
    n, k = entry.get("n"), entry.get("paragraph")
    where = f"，第 {k} 段" if k else ""
    where_en = f" in paragraph {k}" if k else ""
    status = entry.get("status")
    if status == "figures":
        text = f"数字已更新{where} (figures updated{where_en})"
    elif status == "sentence":
        text = f"新句子{where} (new sentence{where_en})"
    elif status == "figures+sentence":
        text = f"数字已更新，其余写成新句子{where} (figures updated, the rest a new sentence{where_en})"
    else:
        text = f"未使用：{entry.get('reason') or ''} (not used)"
    return f"材料 {n}：{text}"


def model_provenance(text: str) -> list[dict]:
    """Write mode: every sentence is the model's wording."""
    return [{"kind": "model", "paragraph": k, "sentence": _clean(text[a:b]), "notes": [], "citation": None, "year": None,
             "label": label("model")} for a, b, k in sentence_spans(text) if _clean(text[a:b])]


def account_write(notes: Sequence[Note], found: Sequence[str]) -> list[dict]:
    """Write mode: a note's figures the model wrote (``found``: raws present in the text) and why
    the others are missing."""
    out = []
    for note in notes:
        placed = [f.raw for f in note.facts if f.raw in found]
        unplaced = [f.raw for f in note.facts if f.raw not in found]
        entry = {"n": note.n, "text": note.text, "status": "model", "figures": placed, "unplaced": unplaced,
                 "paragraph": None, "reason": None}
        if unplaced:
            entry["reason"] = "模型没有写入这些数字，或已改为待补充 (the model did not write these figures, or they became placeholders)"
        out.append(entry)
    return out
