"""Notes mode (the default): last year's section updated with the notes' figures, then every note
that placed nothing — a thing that happened ("引进格拉斯哥大学全职教授 1 名"), or a figure last year's
text has no place for — becomes one new sentence.

Why one sentence per note: a 1.5B model on 2 CPU cores rewrites a whole section badly and slowly
(74–160 s, 2 of 8 English note figures placed, bench/drafts) but writes one sentence from one note
well, in 5–15 s (a ~250-token prompt whose fixed rules are the system message, so llama.cpp reuses
their cache between notes: the first token comes after ~1.5 s instead of ~10 s).

For each such note, in order:

1. **Place** it: the body paragraph it fits best — the vocabulary's concepts (and topics) the note
   and the paragraph (with its sub-heading) share, the note's key terms found there, and, when an
   embedding is at hand (multilingual: English notes too), the cosine of note and paragraph. Below
   ``min_fit`` the note gets a new paragraph at the end of the sub-section whose heading fits best.
2. **Write** it: the model gets the sub-heading, the end of that paragraph (not to be repeated), one
   or two prior-year sentences like it for style (searched in the earlier reports) and the note;
   English notes are written in Chinese. The section, year and rules are the system message, the
   same for every note. The answer is cleaned: one or two sentences, clauses copied from the
   paragraph, the heading or the style sentences dropped (the 1.5B model tends to append them).
3. **Guard** it (:mod:`.guard`): every figure must be a fact of *that note* (metric, value, unit),
   a year the report's or the note's; otherwise the sentence is retried once with the problem named,
   then kept with the figure as ``【待补充：…】``. It must also *say the note*: a third of the note's
   key terms (English notes: its concepts) in the sentence, else it is retried; a Chinese note whose
   every attempt wrote about something else gets no sentence — it is listed, with that reason (the
   1.5B model, given "一名青年教师入选省级人才计划", once wrote about teachers publishing papers).
   English notes keep their best attempt: their concepts are too coarse a test.
4. **Insert** it at the end of its paragraph (after the paragraph's citation marker: the marker
   keeps covering last year's sentences), or as the new paragraph.

Without a model (``DraftDeps.chat_model`` None) or when it cannot be reached, the notes are listed
with the reason, as update mode does, and the text is update mode's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.domain import vocabulary
from assistant.figures import check_draft
from assistant.prompts import load_prompt, render
from assistant.text.markup import MARKER, PLACEHOLDER, strip_highlights
from assistant.text.numbering import strip_numbering
from assistant.text.sentences import sentences_with_spans
from assistant.text.similarity import cjk_bigrams, containment
from assistant.types import Chunk

from .guard import check_figures, note_facts, placeholders_of, replace_problems
from .notes import Note
from .provenance import REASONS, account_update, paragraph_of, paragraphs, section_provenance
from .result import DraftDeps, DraftResult
from .sections import history
from .update import UpdateTrace, apply_tracked

_CJK = re.compile(r"[\u4e00-\u9fff]")
_CLAUSE = re.compile(r"[^，,；;。！？!?]+[，,；;。！？!?]?")


@dataclass
class Spot:
    """Where a new sentence goes: after ``pos`` in the text; ``new_paragraph`` starts its own line."""

    pos: int
    paragraph: str
    heading: str
    new_paragraph: bool
    score: float


# ---- similarity ------------------------------------------------------------------------------------




def _concepts(text: str) -> set[str]:
    return {c.id for _, _, c in vocabulary().mentions(text, topics=True)}


def note_terms(note: Note) -> list[str]:
    """The note's key terms (its words that are not stop words, years or figures)."""
    from assistant.chains.lookup import key_terms

    return key_terms(note.text)


def _note_concepts(note: Note) -> set[str]:
    return _concepts(note.text) | {f.concept for f in note.facts if f.concept}


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


# ---- placement -------------------------------------------------------------------------------------


def _headings(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.startswith("#"):
            out.append((pos, strip_numbering(line.lstrip("#").strip())))
        pos += len(line) + 1
    return out


def _heading_at(heads: list[tuple[int, str]], pos: int) -> str:
    title = ""
    for at, t in heads[1:]:  # heads[0] is the section's own heading
        if at > pos:
            break
        title = t
    return title


def _weights(items: Sequence[str], targets: Sequence[set[str] | str]) -> dict[str, float]:
    """Inverse document frequency of each item over the candidate paragraphs: a word every paragraph
    has (教师 in 师资建设) says nothing about where a note goes."""
    n = len(targets)
    return {i: math.log(1 + (n + 1) / (1 + sum(i in t for t in targets))) for i in items}


def _fit(terms: dict[str, float], concepts: dict[str, float], target: str, target_concepts: set[str],
         vector: float | None, heading: str = "") -> float:
    """How well a note fits a paragraph (``target``: its sub-heading and text), in [0, 1]: the shares
    of the note's concepts and key terms (IDF-weighted) found there — a term in the sub-heading
    counts twice, the heading names what the sub-section is about — and the embedding cosine."""
    concept_share = (sum(w for c, w in concepts.items() if c in target_concepts) / sum(concepts.values())
                     if concepts else 0.0)
    total = sum(terms.values())
    lexical = (sum(w for t, w in terms.items() if t in target) + sum(w for t, w in terms.items() if t in heading)) \
        / (2 * total) if total else 0.0
    if vector is not None:
        return 0.5 * max(vector, 0.0) + 0.25 * concept_share + 0.25 * lexical
    return 0.5 * concept_share + 0.5 * lexical


def place(note: Note, text: str, *, embed: Callable[[list[str]], list[list[float]]] | None = None,
          min_fit: float = 0.15, query: str | None = None) -> Spot:
    """The paragraph of ``text`` that ``note`` fits best, or a new paragraph (module docstring).
    ``query``: text to place instead of the note's own (a Chinese sentence written from an English
    note)."""
    body = query or note.text
    probe = Note(note.n, body, note.facts, "zh" if _CJK.search(body) else note.language)
    heads = _headings(text)
    paras = [(a, b) for a, b in paragraphs(text) if PLACEHOLDER.sub("", text[a:b]).strip()]  # not a bare 【待补充】
    targets = [_heading_at(heads, a) + " " + strip_highlights(MARKER.sub("", text[a:b])) for a, b in paras]
    target_concepts = [_concepts(t) for t in targets]
    cjk_terms = [t for t in note_terms(probe) if _CJK.search(t)]
    terms = _weights(cjk_terms, targets)
    concepts = _weights(sorted(_note_concepts(probe) | _note_concepts(note)), target_concepts)
    vectors: list[float | None] = [None] * len(paras)
    if embed is not None and paras:
        try:
            embedded = embed([body] + [_heading_at(heads, a) + " " + text[a:b] for a, b in paras])
            vectors = [_cosine(embedded[0], v) for v in embedded[1:]]
        except Exception:  # placement still works lexically
            vectors = [None] * len(paras)
    scored = [(_fit(terms, concepts, targets[i], target_concepts[i], vectors[i], _heading_at(heads, paras[i][0])), i)
              for i in range(len(paras))]
    best = max(scored, default=(0.0, -1))
    if best[1] >= 0 and best[0] >= min_fit:
        a, b = paras[best[1]]
        return Spot(b, text[a:b], _heading_at(heads, a), False, best[0])
    # a new paragraph: after the last paragraph of the sub-section whose heading fits best
    sections = []
    for i, (at, title) in enumerate(heads[1:], 1):
        inside = [(a, b) for a, b in paras if a > at and (i + 1 >= len(heads) or a < heads[i + 1][0])]
        if inside:
            score = _fit(terms, concepts, title, _concepts(title), None, title)
            sections.append((score, inside[-1][1], title))
    score, pos, title = max(sections, default=(0.0, len(text.rstrip("\n")), ""))
    if score <= 0:
        pos, title = len(text.rstrip("\n")), _heading_at(heads, len(text))
    return Spot(pos, "", title, True, best[0])


# ---- style -----------------------------------------------------------------------------------------


def style_sentences(note: Note, chunks: Sequence[Chunk], year: int, *, retriever=None, k: int = 2,
                    max_chars: int = 90, index: dict | None = None) -> list[str]:
    """One or two sentences of earlier reports written about what ``note`` is about (their figures
    are last year's: the prompt says to learn the wording only)."""
    vocab = vocabulary()
    query = note.text if _CJK.search(note.text) else " ".join(
        [vocab.label_of(c) for c in _note_concepts(note)] + [note.text])
    candidates: list[Chunk] = []
    if retriever is not None:
        try:
            candidates = [r.chunk for r in retriever.search(query, k=4, doc_type="report")
                          if r.chunk.year is not None and r.chunk.year < year]
        except Exception:
            candidates = []
    if not candidates:
        reports = [c for c in chunks if c.doc_type == "report" and c.year is not None and c.year < year]
        if reports:
            from assistant.index.keyword import KeywordIndex

            cache = index if index is not None else {}
            if "bm25" not in cache:
                cache["bm25"] = (KeywordIndex([c.text for c in reports]), reports)
            bm25, reports = cache["bm25"]
            scores = bm25.scores(query)
            candidates = [reports[i] for i in sorted(range(len(reports)), key=lambda i: -scores[i])[:4] if scores[i] > 0]
    terms = note_terms(Note(note.n, query, note.facts))
    concepts = _note_concepts(note)
    ranked = []
    for chunk in candidates:
        for _, _, sentence in sentences_with_spans(chunk.text):
            if not 12 <= len(sentence) <= 60 or sentence.startswith(("|", "#")):
                continue
            hits = sum(t in sentence for t in terms) + 2 * len(concepts & _concepts(sentence))
            figures = len(re.findall(r"\d+(?:\.\d+)?", sentence))
            ranked.append((hits - 0.5 * figures, -len(sentence), sentence))
    out, used = [], 0
    for _, _, sentence in sorted(ranked, reverse=True):
        if sentence in out or used + len(sentence) > max_chars:
            continue
        out.append(sentence)
        used += len(sentence)
        if len(out) >= k:
            break
    return out


# ---- writing one sentence --------------------------------------------------------------------------


def _excerpt(paragraph: str, max_chars: int) -> str:
    """The end of the paragraph the new sentence follows: its last sentence, at most ``max_chars``."""
    plain = strip_highlights(MARKER.sub("", paragraph)).strip()
    if not plain:
        return "（新段落）"
    sentences = [s for _, _, s in sentences_with_spans(plain)] or [plain]
    last = sentences[-1]
    return last if len(last) <= max_chars else "…" + last[-max_chars:]


def clean_sentence(raw: str, avoid: Sequence[str], note: str = "") -> str:
    """The model's answer as one or two report sentences: quotes, labels, markers and bullets removed;
    clauses mostly copied from ``avoid`` (the paragraph, its heading, the style sentences: ≥ 60% of
    their character pairs) dropped unless they say what the ``note`` says."""
    text = re.sub(r"```[a-z]*|```", "", raw or "").strip()
    text = text.split("\n")[0] if text else ""
    text = re.sub(r"^(?:输出|句子|答|回答|改写|新句子)[：:]\s*", "", text)
    text = re.sub(r"^[\s\-*•·\d.、]+(?=[\u4e00-\u9fff])", "", text)
    text = MARKER.sub("", text).strip().strip("“”\"'「」")
    whole = text
    kept = []
    for clause in _CLAUSE.findall(text):
        body = clause.strip()
        if not body:
            continue
        says_note = containment(body, note) >= 0.5 or containment(note, body) >= 0.5
        if len(cjk_bigrams(body)) >= 4 and any(containment(body, a) >= 0.6 for a in avoid if a) and not says_note:
            continue
        kept.append(body)
    text = "".join(kept).strip()
    if len(_CJK.findall(re.sub(r"^(?:本年度|今年|本年)[，,]?", "", text))) < 8:  # nothing left: keep what it wrote
        text = whole
    text = re.sub(r"^[，,；;、]+|^(?:同时|此外|另外)[，,]", "", text).strip()
    sentences = [s for _, _, s in sentences_with_spans(text)][:2]
    text = "".join(sentences).strip()
    if text and text[-1] in "，,；;、":
        text = text[:-1]
    if text and text[-1] not in "。！？":
        text += "。"
    return text if _CJK.search(text) else ""


def _user_prompt(note: Note, spot: Spot, style: list[str], section: str, year: int, excerpt_chars: int,
                 feedback: str = "") -> str:
    body = note.text + ("（英文材料，请写成中文）" if note.language == "en" else "")
    values = {"heading": spot.heading or section,
              "paragraph": _excerpt(spot.paragraph, excerpt_chars), "style": "；".join(style) or "（无）",
              "note": body}
    prompt = render(load_prompt("sentence_input"), **values)
    if feedback:
        prompt += "\n" + render(load_prompt("sentence_retry"), problems=feedback)
    return prompt


def _ask(model, system: str, user: str, max_tokens: int) -> str:
    from langchain_core.messages import HumanMessage, SystemMessage

    bound = model
    if max_tokens:
        try:
            bound = model.bind(max_tokens=max_tokens)
        except Exception:  # fake models without bind support
            pass
    reply = bound.invoke([SystemMessage(content=system), HumanMessage(content=user)])
    return reply.content if isinstance(reply.content, str) else ""


def _coverage(sentence: str, note: Note) -> float:
    """How much of the note the sentence says: its key terms (Chinese notes) or concepts (English)."""
    if note.language == "en":
        concepts = _note_concepts(note)
        return len(concepts & _concepts(sentence)) / len(concepts) if concepts else 1.0
    terms = note_terms(note)
    return sum(t in sentence for t in terms) / len(terms) if terms else 1.0


@dataclass
class Written:
    note: Note
    spot: Spot
    sentence: str
    placeholders: dict
    attempts: int
    reason: str = ""  # why there is no sentence: a key of provenance.REASONS


def write_sentence(model, note: Note, spot: Spot, style: list[str], *, section: str, year: int, retries: int = 1,
                   max_tokens: int = 120, excerpt_chars: int = 60) -> Written:
    """One new sentence for ``note`` at ``spot``, guarded (module docstring)."""
    system = render(load_prompt("sentence"), year=year, section=section)  # the same for every note: cached
    facts = note_facts(note.facts, year, note.text)
    avoid = [strip_highlights(MARKER.sub("", spot.paragraph)), spot.heading] + list(style)
    best: tuple[float, str, list] | None = None
    feedback = ""
    for attempt in range(1 + max(retries, 0)):
        raw = _ask(model, system, _user_prompt(note, spot, style, section, year, excerpt_chars, feedback), max_tokens)
        sentence = clean_sentence(raw, avoid, note.text)
        if not sentence:
            feedback = "上一稿没有写出中文句子。"
            continue
        problems, _ = check_figures(sentence, year=year, facts=facts, notes_text=note.text, years_allowed=(year,),
                                    loose=True)
        coverage = _coverage(sentence, note)
        rank = (-len(problems), coverage)
        if best is None or rank > best[0]:
            best = (rank, sentence, problems)
        if not problems and coverage >= 0.34:
            break
        feedback = "；".join(p.message or f"材料中没有数字“{p.raw}”" for p in problems) or "上一稿没有写出这条材料的内容。"
    if best is None:
        return Written(note, spot, "", {}, attempt + 1, "empty")
    (_, coverage), sentence, problems = best
    if coverage < 0.34 and note.language != "en":  # every attempt wrote about something else: not shown
        # (an English note's words cannot be looked for in a Chinese sentence; its concepts are too coarse to tell)
        return Written(note, spot, "", {}, attempt + 1, "off_note")
    sentence, info = replace_problems(sentence, problems)
    return Written(note, spot, sentence, info, attempt + 1)


def _remaining(note: Note, placed: list[str]) -> Note:
    """The part of a note whose figures update mode did not place (clauses holding only placed
    figures are dropped), as a note of its own."""
    if not placed or note.from_table:
        return note
    clauses = re.split(r"(?<=[，,；;])", note.text)
    kept = [c for c in clauses if not any(raw in c for raw in placed) or any(f.raw in c for f in note.facts if f.raw not in placed)]
    facts = [f for f in note.facts if f.raw not in placed]
    return Note(note.n, "".join(kept).strip("，,；; ") or note.text, facts, note.language, note.from_table)


# ---- the mode --------------------------------------------------------------------------------------


def compose(deps: DraftDeps, chunks: list[Chunk], base: DraftResult, trace: UpdateTrace, notes: list[Note], *,
            on_text: Callable[[str], None] | None = None, **options) -> DraftResult:
    """Notes mode over update mode's ``base`` result (module docstring)."""
    opt = lambda name, default: options.get(name, deps.option(name, default))  # noqa: E731
    result = base
    result.mode = "notes"
    accounting = {entry["n"]: entry for entry in account_update(notes, trace, result.text)}
    pending = [n for n in notes if accounting[n.n]["unplaced"] or not accounting[n.n]["figures"]]
    pending = [n for n in pending if not n.from_table or not accounting[n.n]["figures"]]
    text = result.text
    written: list[Written] = []
    if pending and not deps.has_model:
        for n in pending:
            accounting[n.n]["reason"] = REASONS["no_model"] if not accounting[n.n]["figures"] else accounting[n.n]["reason"]
        result.notice = REASONS["no_model"]
    elif pending:
        from assistant.llm.errors import ModelUnavailable, model_unavailable

        limit = int(opt("max_sentences", 20))
        cache: dict = {}
        year = result.year
        try:
            model = deps.model()
            for count, note in enumerate(pending):
                if count >= limit:
                    accounting[note.n]["reason"] = REASONS["too_many"]
                    continue
                part = _remaining(note, accounting[note.n]["figures"])
                spot = place(part, text, embed=deps.embed, min_fit=float(opt("min_fit", 0.15)))
                style = style_sentences(part, chunks, year, retriever=deps.retriever, k=int(opt("style_sentences", 2)),
                                        index=cache)
                done = write_sentence(model, part, spot, style, section=result.section, year=year,
                                      retries=int(opt("retries", 1)), max_tokens=int(opt("sentence_tokens", 120)),
                                      excerpt_chars=int(opt("paragraph_chars", 60)))
                if not done.sentence:
                    accounting[note.n]["reason"] = REASONS[done.reason or "empty"]
                    continue
                if part.language == "en":  # placed again by its Chinese wording, if that fits better
                    again = place(part, text, embed=deps.embed, min_fit=float(opt("min_fit", 0.15)), query=done.sentence)
                    if again.score > done.spot.score:
                        done.spot = again
                written.append(done)
                if on_text is not None:
                    on_text(_insert(text, written)[0])
        except ModelUnavailable as exc:
            result.notice = f"{REASONS['model_unavailable']}：{exc}"
            for note in pending:
                if not any(w.note.n == note.n for w in written) and not accounting[note.n]["reason"] in (REASONS["too_many"],):
                    accounting[note.n]["reason"] = REASONS["model_unavailable"]
        except Exception as exc:  # a model failure of another kind: reported the same way
            error = model_unavailable(exc)
            result.notice = f"{REASONS['model_unavailable']}：{error}"
            for note in pending:
                if not any(w.note.n == note.n for w in written):
                    accounting[note.n]["reason"] = REASONS["model_unavailable"]
    text, spans = _insert(text, written)
    trace = _shifted(trace, text, result.text, written, spans)
    info: dict = {}
    for w, (a, b) in zip(written, spans):
        info.update(w.placeholders)
        entry = accounting[w.note.n]
        entry.update(status="sentence" if not entry["figures"] else "figures+sentence", reason=None)
        entry["paragraph"] = paragraph_of(text, a)
    placeholders = [p for p in result.placeholders if p["text"] in text]
    known = {p["text"] for p in placeholders}
    placeholders += [p for p in placeholders_of(text, info) if p["text"] not in known]
    result.text = text
    result.placeholders = placeholders
    result.notes = [accounting[n.n] for n in notes]
    result.unused_notes = [accounting[n.n]["text"] for n in notes if accounting[n.n]["status"] == "unused"]
    result.provenance, result.carried_over = section_provenance(
        text, result.citations, trace, notes, [(a, b, w.note.n) for w, (a, b) in zip(written, spans)])
    if written:  # the new sentences are checked with the rest
        result.findings = [f.to_json() for f in check_draft(strip_highlights(text), result.year, history(chunks, result.year))]
    return result


def _insert(text: str, written: Sequence[Written]) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with the new sentences inserted; the span of each sentence in the result."""
    ops = []
    for w in written:
        prefix = "\n\n" if w.spot.new_paragraph else ""
        ops.append((w.spot.pos, w.spot.pos, prefix + w.sentence))
    out, spans = apply_tracked(text, ops)
    return out, [(a + (2 if w.spot.new_paragraph else 0), b) for w, (a, b) in zip(written, spans)]


def _shifted(trace: UpdateTrace, new: str, old: str, written: Sequence[Written], spans) -> UpdateTrace:
    """``trace`` with its offsets moved past the inserted sentences."""
    inserted = sorted((w.spot.pos, len(w.sentence) + (2 if w.spot.new_paragraph else 0)) for w in written)

    def move(pos: int, inclusive: bool) -> int:
        return pos + sum(n for at, n in inserted if at < pos or (inclusive and at == pos))

    return UpdateTrace(prior=trace.prior, placed=trace.placed,
                       edits=[(move(a, True), move(b, False), n) for a, b, n in trace.edits],
                       passages=[(move(a, True), move(b, False), n) for a, b, n in trace.passages],
                       moved_years=[(move(a, True), move(b, False)) for a, b in trace.moved_years])
