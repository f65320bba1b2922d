"""Figures of generated text, verified by meaning before anyone reads them.

Every figure the model wrote (a whole section in write mode, one sentence in notes mode) is bound to
the metric its own sentence states — the same binding and the same judge as answer verification
(:func:`assistant.chains.verify.judge`) — and must be

* a **fact of the notes**: same value and unit, same concept (or its broader word with the scope),
  same scope, same year — "35 Glasgow staff" is 任课教师·外方, so a "35 岁以下 … 35 人" or a share
  "35 岁以下占 29.2%" (35/120) written from it is a *mismatch*, not passed because 35 is in the notes.
  A sentence written from one note may name its fact with a word of the same concept family
  ("two teachers" → 两名教师) as long as it claims no scope the fact lacks;
* a **share derived** from two note facts (count ÷ base, written with the report's decimals), bound
  like the count it is a share of;
* or a **fact of a cited passage** (a regulation article) for that metric; an uncited regulation
  figure gets its marker.

Figures bound to no metric (a bare number) are checked by value, as answer verification does. A
figure that fails is replaced by ``【待补充：<指标>】`` and listed in ``placeholders`` with its
reason: ``mismatch`` (the notes give this value for another metric: ``message`` says which),
``stale`` (a prior-year figure the model copied) or ``unsupported`` (found nowhere); notes mode
retries the sentence once before that. Not figures: years (a year must be the report's own or in
the notes when notes mode checks one sentence), dates (4 月 30 日), numbers inside 《titles》,
heading numbering, age bands (35 岁以下 is a scope, not a count), citation markers, placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.chains.verify import (binding_name, citation, claims_in, contains_figure, figures_in, judge, renumber,
                                     supports, unit_of, values_in)
from assistant.domain import vocabulary
from assistant.domain.vocabulary import AGE_BAND
from assistant.figures import extract_figures
from assistant.figures.facts import Fact
from assistant.index.ledger import facts_for_chunk
from assistant.text.markup import PLACEHOLDER, markers_in, normalise_markers, placeholder
from assistant.text.numbering import mask_heading_numbering
from assistant.text.sentences import sentence_bounds, sentence_end
from assistant.text.tables import cell_at
from assistant.types import SearchResult

from .notes import NoteFact
from .update import apply_ops, convention

_CJK = re.compile(r"[\u4e00-\u9fff]")
_TITLE_SPAN = re.compile(r"《[^》\n]*》")
_DATE_PART = re.compile(r"(?<![\d.])\d{1,2}\s*[月日号](?!\d)")  # 4 月 30 日: parts of a date, not figures of a draft


def year_like(raw: str, value: float) -> bool:
    return value.is_integer() and 1900 <= value <= 2100 and re.fullmatch(r"\d{4}\s*(?:年|级|届)?", raw.strip()) is not None


def masked(text: str) -> str:
    """Numbers that are not figures masked out: placeholders, 《titles》, dates, heading numbering,
    age bands (offsets stay valid)."""
    blank = lambda m: " " * len(m.group(0))  # noqa: E731
    text = PLACEHOLDER.sub(blank, text)
    text = _TITLE_SPAN.sub(blank, text)
    text = _DATE_PART.sub(blank, text)
    text = AGE_BAND.sub(lambda m: re.sub(r"\d", " ", m.group(0)), text)
    return mask_heading_numbering(text)


def derived_share(raw: str, value: float, note_values: list[float]) -> bool:
    """A share equal to n/base of two note values, written with ``raw``'s decimals (by value only)."""
    if "%" not in raw and "％" not in raw:
        return False
    decimals = len(raw.split(".")[1].rstrip("%％ ")) if "." in raw else 0
    return any(0 < n < b and convention(value, decimals, n, b) is not None for n in note_values for b in note_values)


def metric_at(text: str, start: int, end: int) -> str:
    """The metric a figure describes, for its placeholder: the figure extraction's label, the row
    (and column) of a table cell, else the clause before the figure."""
    for f in extract_figures(text):
        if f.start <= start < f.end or start <= f.start < end:
            return f.metric or "数据"
    cell = cell_at(text, start)
    if cell is not None:
        row, column = cell
        return (row + column if column and column != row else row) or "数据"
    a, _ = sentence_bounds(text, start)
    clause = re.split(r"[，,；;：:]", text[a:start])[-1]
    clause = re.sub(r"(?:为|达到|达|共|约|占|有|是)$", "", clause.strip())
    return clause[-12:] or "数据"


def note_facts(notes: Sequence[NoteFact], year: int | None, notes_text: str = "") -> list[Fact]:
    """The notes as ledger facts of ``year``; numbers of ``notes_text`` no note fact holds are added
    as facts without a concept (label = the words before them), checked by their words."""
    facts = [Fact(metric=n.concept, label=n.label, value=n.value, raw=n.raw, unit=n.unit, year=year,
                  scope=tuple(n.scope), quote=n.line, decimals=len(n.raw.split(".")[1].rstrip("%")) if "." in n.raw else 0)
             for n in notes]
    for line in notes_text.splitlines():
        for raw, value in values_in(line):
            if year_like(raw, value) or any(abs(f.value - value) < 1e-9 for f in facts):
                continue
            at = line.find(raw)
            facts.append(Fact(metric="", label=re.split(r"[，,；;：:]", line[:max(at, 0)])[-1][-12:], value=value, raw=raw,
                              unit=unit_of(raw), year=year, quote=line))
    return facts


@dataclass
class Problem:
    """A figure of generated text that no note or cited passage supports."""

    raw: str
    start: int
    end: int
    reason: str  # mismatch | stale | unsupported
    metric: str
    message: str = ""

    def to_placeholder(self) -> dict:
        out = {"metric": self.metric, "reason": self.reason, "replaced": self.raw}
        if self.message:
            out["message"] = self.message
        return out


def _within_note(claim, fact: Fact) -> bool:
    """A sentence written from one note may name the note's fact more loosely than an answer may:
    the same value and unit, a concept of the same family (两名教师 for "two teachers" = 任课教师) or
    none, and no scope the fact does not have (35 岁以下 … 35 人 is not the 外方 35)."""
    why = judge(claim, fact)
    if why is None:
        return True
    if why not in ("metric", "scope"):
        return False
    vocab = vocabulary()
    a, b = claim.concept, fact.metric
    if a and b and a != b and not (vocab.is_part_of(a, b) or vocab.is_part_of(b, a)):
        return False
    scope = fact.scope_dict
    return all(scope.get(d) == v for d, v in claim.scope.items() if d != "part")


def _supported(claim, facts: Sequence[Fact], values: list[tuple[str, float]], loose: bool = False) -> bool:
    if loose and any(_within_note(claim, f) for f in facts):
        return True
    verdicts = [judge(claim, f) for f in facts]
    if any(v is None for v in verdicts):
        return True
    if claim.concept is None and all(v == "value" for v in verdicts):
        return supports(claim.raw, claim.value, values)  # a figure bound to no metric: by value
    return False


def _share_of_notes(claim, facts: Sequence[Fact]) -> bool:
    """The claim is a share n/base of two note facts, about what the count ``n`` is about."""
    if "%" not in claim.raw and "％" not in claim.raw:
        return False
    decimals = len(claim.raw.split(".")[1].rstrip("%％ ")) if "." in claim.raw else 0
    for n in facts:
        for b in facts:
            if not (0 < n.value < b.value) or n.unit == "%" or convention(claim.value, decimals, n.value, b.value) is None:
                continue
            share = Fact(metric=n.metric, label=n.label, value=claim.value, raw=claim.raw, unit="%", year=n.year,
                         scope=n.scope, quote=n.quote)
            if judge(claim, share) is None:
                return True
    return False


def _mismatch(claim, facts: Sequence[Fact]) -> str | None:
    """How the notes' fact with this value differs from what the text says, else None."""
    for f in facts:
        why = judge(claim, f)
        if why not in (None, "value"):
            claimed = binding_name(claim.concept, claim.scope)
            stated = binding_name(f.metric or None, f.scope_dict) if f.metric else (f.label or "材料")
            return (f"材料中的 {f.raw} 是“{stated}”的数字，不是“{claimed}” "
                    f"(the notes give {f.raw} for “{stated}”, not for “{claimed}”)")
    return None


def check_figures(text: str, *, year: int | None, facts: Sequence[Fact], notes_text: str = "",
                  passages: Sequence[SearchResult] = (), cited: set[int] | None = None,
                  prior_values: Sequence[list[tuple[str, float]]] = (), years_allowed: Sequence[int] | None = None,
                  loose: bool = False) -> tuple[list[Problem], list[tuple[int, int]]]:
    """Problems of ``text``'s figures and (position, passage index) marker insertions for regulation
    figures written without their marker. ``years_allowed``: when given, a year not in it is a
    problem (notes mode checks a sentence's years; a whole section's are left to the check).
    ``loose``: ``text`` is one sentence written from the notes ``facts`` (:func:`_within_note`)."""
    view = masked(text)
    note_values = values_in(notes_text) + [(f.raw, f.value) for f in facts]
    passage_values = [values_in(_DATE_PART.sub(" ", r.chunk.text)) for r in passages]
    passage_facts = [facts_for_chunk(r.chunk) if r.chunk.doc_type != "report" else [] for r in passages]
    cited = set(cited or ())
    figures = []
    problems: list[Problem] = []
    for raw, value, start, end in figures_in(view):
        if year_like(raw, value):
            if years_allowed is not None and int(value) not in years_allowed and not contains_figure(raw, value, note_values):
                problems.append(Problem(raw, start, end, "unsupported", "年份"))
            continue
        figures.append((raw, value, start, end))
    claims = claims_in(text, figures, [], (year,) if year else (), "")  # bound on the text: 35 岁以下 is scope
    insertions: list[tuple[int, int]] = []
    for claim in claims:
        if _supported(claim, facts, note_values, loose) or _share_of_notes(claim, facts):
            continue
        regs = [i for i, r in enumerate(passages) if r.chunk.doc_type != "report"
                and _supported(claim, passage_facts[i], passage_values[i])]
        if any(i in cited for i in regs):
            continue
        if regs:  # a regulation figure without its marker: cite it
            insertions.append((sentence_end(text, claim.end), regs[0]))
            cited.add(regs[0])
            continue
        start, end = claim.start, claim.end
        metric = metric_at(text, start, end)
        message = _mismatch(claim, facts)
        if message:
            reason = "mismatch"
        else:
            holders = [i for i in range(len(passages)) if contains_figure(claim.raw, claim.value, passage_values[i])]
            reason = "stale" if holders or any(contains_figure(claim.raw, claim.value, v) for v in prior_values) else "unsupported"
        problems.append(Problem(claim.raw, start, end, reason, metric, message or ""))
    return problems, insertions


def problem_ops(text: str, problems: Sequence[Problem]) -> tuple[list[tuple[int, int, str]], dict[str, dict]]:
    """Edits replacing each problem figure by its placeholder, and placeholder text → details."""
    ops, info = [], {}
    for p in problems:
        start = p.start
        if start > 1 and text[start - 1] in " \t" and _CJK.match(text[start - 2]):
            start -= 1  # "英语课程教师 24 人" -> "英语课程教师【待补充：…】"
        elif start and text[start - 1] in "+-−＋":
            start -= 1  # a signed change "| +12 |" is replaced whole
        mark = placeholder(p.metric)
        ops.append((start, p.end, mark))
        info[mark] = p.to_placeholder()
    return ops, info


def replace_problems(text: str, problems: Sequence[Problem]) -> tuple[str, dict[str, dict]]:
    """``text`` with each problem figure replaced by its placeholder; placeholder text → details."""
    ops, info = problem_ops(text, problems)
    return apply_ops(text, ops), info


def placeholders_of(text: str, info: dict[str, dict]) -> list[dict]:
    """Every placeholder of ``text`` with what is known about it (``missing``: the model left it)."""
    return [{"text": m.group(0), **info.get(m.group(0), {"metric": m.group(1).strip(), "reason": "missing", "replaced": None})}
            for m in PLACEHOLDER.finditer(text)]


def verify_written(text: str, results: list[SearchResult], notes: list[NoteFact], notes_text: str,
                   prior_texts: Sequence[str] = (), year: int | None = None) -> tuple[str, list[dict], list[dict]]:
    """A whole written section: markers checked, figures verified (module docstring); returns
    (text, citations, placeholders). ``prior_texts``: the same section of earlier reports (a figure
    they hold is *stale*)."""
    text = normalise_markers(text)
    cited = {n - 1 for n in markers_in(text) if 1 <= n <= len(results)}
    problems, insertions = check_figures(text, year=year, facts=note_facts(notes, year, notes_text), notes_text=notes_text,
                                         passages=results, cited=cited, prior_values=[values_in(t) for t in prior_texts])
    ops, info = problem_ops(text, problems)
    done = set()
    for pos, idx in insertions:
        if (pos, idx) not in done and f"[{idx + 1}]" not in text[max(0, pos - 8):pos]:
            ops.append((pos, pos, f"[{idx + 1}]"))
            done.add((pos, idx))
    text = apply_ops(text, ops)
    text, order, _invalid = renumber(text, len(results))
    citations = [citation(i + 1, results[idx]) for i, idx in enumerate(order)]
    return text, citations, placeholders_of(text, info)
