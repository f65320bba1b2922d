"""Update mode: last year's section with this year's figures, deterministic, no model.

1. **Note → figure, by meaning.** Every figure of last year's section and every note fact is bound
   to a concept and scope of the vocabulary (:mod:`assistant.figures.binding`); a note replaces a
   figure bound the same way (任课教师 120 人 → the 任课教师 figure; 其中英方 35 人 → 任课教师·外方,
   never the total). A note less specific than the figure (博士生导师 11 人 vs the doctoral
   programme's 博士生导师) still matches, below an exact binding (0.75 vs 1.0); a note naming the
   broader concept with a scope (Staff aged under 35 → 教师·≤35) matches the narrower one with the
   same scope (任课教师·≤35, 0.9). A Chinese note's own qualifier that the vocabulary does not explain
   (新进**人工智能方向**教师 6 人, 办学条件改善 1037.8 万元) must be in the figure's label, else the
   score halves — so it does not replace the 教师 total or the 支出合计; equal bindings are ordered
   by label similarity. When either side has no concept, label similarity decides
   (:func:`assistant.figures.align.label_similarity` ≥ 0.55), as before the vocabulary existed. Best
   pairs first; a note takes the figures of one old value only (113 人 and 对 113 名 both move).
2. **Derived shares** are recomputed when both their count and base were updated, with the
   report's own rounding convention (truncated or rounded, read from the shares it states).
3. **Years**: mentions of the prior report year that denote the report year move to the new year
   (``2020 年，…``, ``2020 届``, ``截至 2020 年``); other mentions may name an event of that year and
   are highlighted and listed.
4. Every figure not updated is highlighted ``==…==`` and listed in ``not_updated``; each paragraph
   ends with the marker of the prior-year passage it was built from.

:func:`update` also returns an :class:`UpdateTrace` (which note moved which figure, where each edit
and each cited passage lies in the final text) for provenance and notes mode.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from assistant.chains.verify import citation
from assistant.domain import unit_family, vocabulary
from assistant.figures import Figure, check_draft, extract_figures
from assistant.figures.align import MIN_LABEL_SIMILARITY, label_similarity
from assistant.figures.extract import explicit_base
from assistant.text.markup import PLACEHOLDER, placeholder
from assistant.text.numbers import format_number
from assistant.text.sentences import paragraph_bounds, sentence_bounds
from assistant.text.years import YEAR
from assistant.types import Chunk, SearchResult

from .notes import NoteFact
from .result import DraftResult
from .sections import heading_for, history, latest_prior, section_markdown

EXACT, BROADER, LESS_SPECIFIC = 1.0, 0.9, 0.75
"""Scores of a note bound like the figure, naming its broader concept with the same scope, and
naming the figure's concept with fewer scope qualifiers."""


@dataclass
class UpdateTrace:
    """What update mode did, in offsets of the final (marked) text."""

    prior: int | None = None
    edits: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, note n) of updated figures
    passages: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, citation n)
    placed: set[int] = field(default_factory=set)  # indices of note facts that replaced a figure
    moved_years: list[tuple[int, int]] = field(default_factory=list)


# ---- note ↔ figure -----------------------------------------------------------------------------------


def _norm_label(label: str) -> str:
    label = re.sub(r"\s+", "", label)
    label = re.sub(r"^(?:(?:19|20)\d\d(?:年度|年|届|级)?|本年度|本年|今年|全年|学院|我院|全院|学校|我校|，|,)+", "", label) or label
    return vocabulary().normalise_label(label)


def _units_compatible(note: NoteFact, fig: Figure) -> bool:
    if note.unit == "%" or fig.unit == "%":
        return note.unit == fig.unit
    if not note.unit or not fig.unit:
        return True
    return unit_family(note.unit) == unit_family(fig.unit)


def _scope(scope: tuple | dict) -> dict[str, str]:
    """A binding's scope for comparison: parts of an enumeration and the default 本科 programme dropped."""
    return {d: v for d, v in dict(scope).items() if d != "part" and not (d == "programme" and v == "本科")}


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def own_qualifier(label: str) -> str:
    """The words of a Chinese label the vocabulary does not explain (新进人工智能方向教师 → 人工智能方向),
    stop words dropped."""
    vocab = vocabulary()
    spans = vocab.qualifier_spans(label)
    chars = [ch if not any(a <= i < b for a, b in spans) else " " for i, ch in enumerate(label)]
    rest = re.sub(r"(?:19|20)\d\d\s*(?:年度|年)?|[\d.%]+", " ", "".join(chars))
    for word in sorted(vocab.question_stopwords, key=len, reverse=True):
        if len(word) >= 2 or word in "的共有为":
            rest = rest.replace(word, " ")
    return " ".join(run for run in re.findall(r"[\u4e00-\u9fff]{2,}", rest))


def _qualifier_kept(note: NoteFact, fig: Figure) -> bool:
    """The note's own qualifier is in the figure's label (not merely its sentence: a sentence listing
    支出合计 and its parts names every part)."""
    extra = own_qualifier(note.label)
    grams = {g for run in extra.split() for g in _bigrams(run)}
    if not grams:
        return True
    label = re.sub(r"\s+", "", fig.metric + fig.context)
    return sum(g in label for g in grams) / len(grams) >= 0.6


def _bound_score(note: NoteFact, fig: Figure) -> float:
    vocab = vocabulary()
    ns, fs = _scope(note.scope), _scope(fig.scope)
    if note.concept == fig.concept:
        base = EXACT
    elif (vocab.is_part_of(fig.concept, note.concept) and ns) or (vocab.is_part_of(note.concept, fig.concept) and fs):
        base = BROADER
    else:
        return 0.0
    if ns == fs:
        score = base
    elif all(fs.get(d) == v for d, v in ns.items()):
        score = base * LESS_SPECIFIC
    else:
        return 0.0
    if note.context != "en" and not _qualifier_kept(note, fig):
        score *= 0.5
    return score + 0.01 * label_similarity(_norm_label(note.label), _norm_label(fig.metric))  # ties: the closer label


def _label_score(note: NoteFact, fig: Figure) -> float:
    """Label similarity (one side has no concept). A note label that adds a qualifier in front of the
    figure's label (博士项目任课教师 vs 任课教师) still matches when the figure's sentence holds it."""
    if not fig.metric:
        return 0.0
    a, b = _norm_label(note.label), _norm_label(fig.metric)
    score = label_similarity(a, b)
    if fig.context and note.context and note.context != "en" and label_similarity(_norm_label(note.context), _norm_label(fig.context)) < MIN_LABEL_SIMILARITY:
        score *= 0.5
    if note.context == "en" and a != b and b.endswith(a) and len(a) >= 2:
        score = max(score, MIN_LABEL_SIMILARITY + 0.05)  # the concept's head noun: 论文 → 学生发表论文
    if a != b and a.endswith(b) and len(b) >= 2:
        extra = a[: len(a) - len(b)]
        sentence = _norm_label(fig.sentence)
        grams = [extra[i:i + 2] for i in range(len(extra) - 1)] or [extra]
        if grams and sum(g in sentence for g in grams) / len(grams) >= 0.75:
            score = max(score, 0.9)
    return score


def note_score(note: NoteFact, fig: Figure) -> float:
    """How well a note fact names the metric of a section figure (0 when units disagree)."""
    if not _units_compatible(note, fig) or not (fig.metric or fig.concept):
        return 0.0
    if note.concept and fig.concept:
        return _bound_score(note, fig)
    return _label_score(note, fig)


# ---- writing the new figure ----------------------------------------------------------------------


def _new_raw(old: Figure, number: str, qualifier: str = "") -> str:
    """``old.raw`` with its number replaced (spacing and unit kept, 余/多 only if the new value has it)."""
    m = re.match(r"^([\d.,]+|[零〇一二两三四五六七八九十百千万亿分之]+)((?:\s*[-–—~至]\s*(?:[\d.,]+|[零〇一二两三四五六七八九十百千万亿]+))?)(.*)$",
                 old.raw)
    if not m:
        return number
    rest = m.group(3)  # a range (4-6 年) collapses to the note's single value
    rest_wo = re.sub(r"^(\s*)(余|多)", r"\1", rest)
    rest_wo = re.sub(r"(以上|以下|左右|余|多)$", "", rest_wo) if old.qualifier in ("以上", "以下", "左右") else rest_wo
    return number + (qualifier if qualifier in ("余", "多") else "") + rest_wo


def _note_number(note: NoteFact, old: Figure) -> str:
    """The note's value written the way the old figure was written (decimals of the note, 万 scale)."""
    value = note.value
    if old.raw and re.search(r"\d\s*万", old.raw) and value >= 10_000:
        value = value / 10_000
        return f"{value:.2f}".rstrip("0").rstrip(".")
    m = re.match(r"\s*([\d.,]+)", note.raw)
    if m and not note.from_table:
        return m.group(1).replace(",", "")
    if float(value).is_integer() and not (old.unit == "%" and old.decimals):
        return str(int(value))
    decimals = max(old.decimals, len(str(value).split(".")[1]) if "." in str(value) else 0)
    return format_number(value, decimals)


def share_pairs(text: str, figs: list[Figure]) -> dict[int, int]:
    """pct index → count index: ``P%（N 人）`` pairs (extractor) and ``N 人，占 P%`` (占 after a count)."""
    pairs = {i: f.paired for i, f in enumerate(figs) if f.unit == "%" and f.paired is not None}
    for i in range(1, len(figs)):
        f, g = figs[i - 1], figs[i]
        if g.unit == "%" and f.unit != "%" and i not in pairs and f.table_row is None:
            gap = text[f.end:g.start]
            if re.fullmatch(r"\s*[，,]?\s*占[^，,。；;\d]{0,12}", gap):
                pairs[i] = i - 1
    return pairs


def _base_index(text: str, figs: list[Figure], pct: int, count: int) -> int | None:
    """The figure a share is computed on: the stated population (``对 113 名任课教师``) or the nearest
    earlier head count of the paragraph that reproduces the old share."""
    p, c = figs[pct], figs[count]
    para_start, _ = paragraph_bounds(text, p.start)
    stated = explicit_base(text, p.start)
    earlier = [j for j in range(min(pct, count)) if figs[j].start >= para_start and figs[j].unit != "%"
               and figs[j].table_row is None and unit_family(figs[j].unit) == unit_family(c.unit)]
    if stated:
        for j in reversed(earlier):
            if figs[j].value == stated[0]:
                return j
    for j in reversed(earlier):
        if figs[j].value > c.value and convention(p.value, p.decimals, c.value, figs[j].value) is not None:
            return j
    return None


def convention(p: float, decimals: int, n: float, base: float) -> str | None:
    """``round``/``trunc``/``both`` when n/base written with ``decimals`` places gives p, else None."""
    true = n / base * 100
    scale = 10 ** decimals
    rounded = math.floor(true * scale + 0.5 + 1e-9) / scale
    truncated = math.floor(true * scale + 1e-9) / scale
    r, t = math.isclose(rounded, p, abs_tol=1e-9), math.isclose(truncated, p, abs_tol=1e-9)
    return "both" if r and t else "round" if r else "trunc" if t else None


def _share(n: float, base: float, decimals: int, conv: str) -> str:
    true = n / base * 100
    scale = 10 ** decimals
    value = math.floor(true * scale + 1e-9) / scale if conv == "trunc" else math.floor(true * scale + 0.5 + 1e-9) / scale
    return format_number(value, decimals)


_SIGNED_CELL = re.compile(r"(?m)(?<=\|)[ \t]*(?P<num>[+\-−－][ \t]*\d+(?:\.\d+)?[ \t]*%?)[ \t]*(?=\|)")


def _year_edits(text: str, prior: int, year: int, figs: list[Figure]) -> tuple[list[tuple[int, int, str]], list[dict]]:
    """Moves mentions of the prior report year to ``year`` where they denote the report year; other
    mentions of the prior year are left and reported (they may name an event of that year)."""
    edits, flagged = [], []
    spans = [(f.start, f.end) for f in figs]
    for m in YEAR.finditer(text):
        if int(m.group(1)) != prior or any(a <= m.start() < b for a, b in spans):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[line_start:line_start + 1] == "#":
            edits.append((m.start(1), m.end(1), str(year)))
            continue
        before = text[:m.start()].rstrip(" \t")
        after = text[m.end():].lstrip(" \t")
        sent_start, _ = sentence_bounds(text, m.start())
        clause_start = before[-1:] in "，,；;。：:\n" or not before or len(before) < sent_start + 1 or before.endswith(("截至", "截止", "至", "到", "在", "于", "是", "-", "–", "—"))
        report_year = (after.startswith(("届", "级", "年度", "学年")) or re.match(r"年\s*(?:[，,]|底|末|全年|\d{1,2}\s*月|学院|我院|共|以来|内|度)", after)
                       or (after.startswith("年") and clause_start))
        if report_year:
            edits.append((m.start(1), m.end(1), str(year)))
        else:
            a, b = sentence_bounds(text, m.start())
            raw = m.group(1) + ("年" if after.startswith("年") else "")
            flagged.append({"raw": raw, "metric": "年份", "sentence": text[a:b].strip(), "_span": (m.start(1), m.end(1) + (1 if raw.endswith("年") and text[m.end()] == "年" else 0))})
    return edits, flagged


# ---- the mode ------------------------------------------------------------------------------------------


def apply_ops(text: str, ops: list[tuple[int, int, str]]) -> str:
    """Apply (start, end, replacement) edits; insertions at the same point keep their order."""
    return apply_tracked(text, ops)[0]


def apply_tracked(text: str, ops: list[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """:func:`apply_ops` plus where each op's replacement lies in the result (in ``ops`` order)."""
    order = sorted(range(len(ops)), key=lambda i: (ops[i][0], ops[i][1], i))
    out, pos, spans = [], 0, [(0, 0)] * len(ops)
    length = 0
    for i in order:
        a, b, s = ops[i]
        if a < pos:  # overlapping edit: skipped (never produced by update mode)
            spans[i] = (length, length)
            continue
        out.append(text[pos:a])
        length += a - pos
        spans[i] = (length, length + len(s))
        out.append(s)
        length += len(s)
        pos = b
    out.append(text[pos:])
    return "".join(out), spans


def _updated_sentence(sentence: str, text: str, ops: list[tuple[int, int, str]]) -> str:
    pos = text.find(sentence)
    if pos < 0:
        return sentence
    inner = [(a - pos, b - pos, s) for a, b, s in ops if pos <= a and b <= pos + len(sentence) and not re.fullmatch(r"\[\d+\]", s)]
    return apply_ops(sentence, inner)


def _no_prior(section: str, year: int, notes: list[NoteFact]) -> tuple[DraftResult, UpdateTrace]:
    text = f"## {heading_for(section)}\n\n{placeholder(f'{section}（知识库中没有往年同节报告可供更新）')}\n"
    result = DraftResult(section, year, "update", text,
                         placeholders=[{"text": PLACEHOLDER.search(text).group(0), "metric": section,
                                        "reason": "missing", "replaced": None}],
                         unused_notes=list(dict.fromkeys(n.line for n in notes)))
    return result, UpdateTrace()


def assign(notes: list[NoteFact], figs: list[Figure]) -> dict[int, int]:
    """figure index → note fact index: best pairs first, a note takes the figures of one old value."""
    pairs = sorted(((note_score(n, f), -j, k, j) for k, n in enumerate(notes) for j, f in enumerate(figs)), reverse=True)
    assigned: dict[int, int] = {}
    note_value: dict[int, float] = {}
    for score, _, k, j in pairs:
        if score < MIN_LABEL_SIMILARITY:
            break
        if j in assigned or (k in note_value and note_value[k] != figs[j].value):
            continue
        assigned[j] = k
        note_value[k] = figs[j].value
    return assigned


def update(chunks_all: list[Chunk], section: str, year: int, notes: list[NoteFact],
           check_thresholds: object | None = None) -> tuple[DraftResult, UpdateTrace]:
    """Update mode (module docstring); ``notes`` are the facts of every note."""
    found = latest_prior(chunks_all, section, year)
    if found is None:
        return _no_prior(section, year, notes)
    prior, chunks = found
    text, pieces = section_markdown(chunks, section)
    figs = extract_figures(text)

    assigned = assign(notes, figs)
    edits: dict[int, str] = {}
    for j, k in assigned.items():
        edits[j] = _new_raw(figs[j], _note_number(notes[k], figs[j]), notes[k].raw[-1] if notes[k].raw[-1:] in "余多" else "")

    # derived shares: recomputed when count and base were both updated
    pct_pairs = share_pairs(text, figs)
    conventions, bases = [], {}
    for p, c in pct_pairs.items():
        b = _base_index(text, figs, p, c)
        if b is not None:
            bases[p] = b
            conv = convention(figs[p].value, figs[p].decimals, figs[c].value, figs[b].value)
            if conv in ("round", "trunc"):
                conventions.append(conv)
    default = "trunc" if conventions.count("trunc") > conventions.count("round") else "round"
    derived: dict[int, int] = {}  # share index → note fact that drove it (the count's)
    for p, c in pct_pairs.items():
        b = bases.get(p)
        if p in assigned or b is None or c not in assigned or b not in assigned:
            continue
        conv = convention(figs[p].value, figs[p].decimals, figs[c].value, figs[b].value)
        conv = conv if conv in ("round", "trunc") else default
        new_n, new_base = notes[assigned[c]].value, notes[assigned[b]].value
        if new_base > 0:
            edits[p] = _new_raw(figs[p], _share(new_n, new_base, figs[p].decimals, conv))
            derived[p] = assigned[c]

    # years, highlights, markers
    year_edits, year_flags = _year_edits(text, prior, year, figs)
    figure_ops = [(figs[j].start, figs[j].end, new) for j, new in edits.items()]
    plain_ops: list[tuple[int, int, str]] = figure_ops + year_edits
    mark_ops = list(plain_ops)
    not_updated: list[dict] = []
    for j, f in enumerate(figs):
        if j in edits:
            continue
        mark_ops.append((f.start, f.end, f"=={f.raw}=="))
        not_updated.append({"raw": f.raw, "metric": f.metric, "sentence": f.sentence, "_pos": f.start})
    for m in _SIGNED_CELL.finditer(text):
        a, b = m.span("num")
        mark_ops.append((a, b, f"=={m.group('num')}=="))
        line = text[text.rfind("\n", 0, a) + 1:text.find("\n", b) if text.find("\n", b) != -1 else len(text)]
        not_updated.append({"raw": m.group("num"), "metric": "较上年增减", "sentence": line.strip(), "_pos": a})
    for flag in year_flags:
        a, b = flag.pop("_span")
        mark_ops.append((a, b, f"=={text[a:b]}=="))
        not_updated.append({**flag, "_pos": a})
    not_updated.sort(key=lambda d: d.pop("_pos"))
    passage_ops = []
    for n, piece in enumerate(pieces, 1):
        mark_ops.append((piece.end, piece.end, f"[{n}]"))
        plain_ops.append((piece.end, piece.end, f"[{n}]"))
        passage_ops.append((piece.start, piece.start, ""))
    markdown, spans = apply_tracked(text, mark_ops + passage_ops)
    plain = apply_ops(text, plain_ops)

    trace = UpdateTrace(prior=prior, placed=set(assigned.values()))
    drivers = {**{j: k for j, k in assigned.items()}, **derived}
    for i, (j, _) in enumerate(edits.items()):
        trace.edits.append((*spans[i], notes[drivers[j]].note))
    trace.moved_years = [spans[len(figure_ops) + i] for i in range(len(year_edits))]
    starts = spans[len(mark_ops):]
    ends = [spans[i] for i, op in enumerate(mark_ops) if re.fullmatch(r"\[\d+\]", op[2])]
    trace.passages = [(starts[n][0], ends[n][1], n + 1) for n in range(len(pieces))]

    citations = [citation(n, SearchResult(piece.chunk, 1.0)) for n, piece in enumerate(pieces, 1)]
    unused = [notes[k].line for k in range(len(notes)) if k not in trace.placed]
    for item in not_updated:
        item["sentence"] = _updated_sentence(item["sentence"], text, plain_ops)
    findings = check_draft(plain, year, history(chunks_all, year), **({"thresholds": check_thresholds} if check_thresholds else {}))
    result = DraftResult(section, year, "update", markdown, citations=citations, not_updated=not_updated,
                         unused_notes=list(dict.fromkeys(unused)), findings=[f.to_json() for f in findings])
    return result, trace
