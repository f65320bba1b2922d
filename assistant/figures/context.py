"""The draft as the check reads it: every figure with its fact, section, paragraph and sentence.

``Ledger`` pairs each extracted :class:`Figure` with its :class:`Fact` (same order) and answers the
questions every rule asks: which figures share a paragraph or section, which facts name the same
metric, and whether a figure's label says more than its metric.

A label is **pure** when nothing is left of it once the fact's concept (or an ancestor of it), its
scope words, years and filler words (学院, 本年度, 共, 达 …) are taken out: ``国内外读研深造率达`` is
exactly 深造 over the whole region, ``接待外方教师来院集中授课`` is not just 外方教师. Only pure facts
are compared as *the same metric* across sentences and sections (duplicates, partitions), because an
impure label narrows its population in ways the vocabulary does not record (派出, 新进, 接待 …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property

from assistant.domain import vocabulary
from assistant.text.numbering import headings
from assistant.text.sentences import paragraph_bounds, sentence_bounds
from assistant.text.years import YEAR_NIAN

from .align import unit_family
from .extract import Figure, extract_figures
from .binding import bind_figure
from .facts import Fact, facts_from_figures

# Words that add nothing to what a label names (they frame the sentence, not the population).
_FILLERS = ("发展到", "增长到", "增长至", "增加到", "增加至", "提升到", "提升至", "提高到", "提高至", "上升到", "上升至",
            "下降到", "下降至", "降低到", "降低至", "减少到", "减少至", "增至", "降至", "达到", "截至", "截止", "年末", "年底", "年初", "本年度", "本年", "今年", "当年", "全年", "年度", "学院", "我院", "全院", "学校", "其中",
            "目前", "现有", "共有", "共计", "总计", "合计", "总数", "总体", "整体", "共", "计", "有", "达到", "达", "为",
            "是", "约", "近", "占", "已", "均", "人数", "数量", "比例", "比率", "的", "中", "届", "级", "及", "和", "与", "、")
_NOISE = re.compile(r"[\s\d.%（）()“”\"'：:，,；;#·|/\-–—~]+")


@dataclass
class Item:
    """One figure of the draft with its fact and where it stands."""

    index: int
    figure: Figure
    fact: Fact
    section: int  # index of the top-level section (0 before the first heading)
    paragraph: tuple[int, int]
    sentence: tuple[int, int]

    @property
    def unit(self) -> str:
        return unit_family(self.figure.unit)

    @property
    def share(self) -> bool:
        return self.figure.unit in ("%", "‰")

    @property
    def in_table(self) -> bool:
        return self.figure.table_row is not None


class Ledger:
    """The figures of one draft (see module docstring)."""

    def __init__(self, text: str, year: int) -> None:
        self.text = text
        self.year = year
        self.figures = extract_figures(text)
        facts = facts_from_figures(text, self.figures, year=year)
        tops = _top_headings(text)
        self.items = [Item(i, f, fact, sum(1 for off in tops if off <= f.start), paragraph_bounds(text, f.start),
                           sentence_bounds(text, f.start)) for i, (f, fact) in enumerate(zip(self.figures, facts))]
        self._by_figure = {id(item.figure): item for item in self.items}

    def item_of(self, f: Figure) -> Item:
        return self._by_figure[id(f)]

    def prose(self) -> list[Item]:
        return [i for i in self.items if not i.in_table]

    @cached_property
    def pure(self) -> set[int]:
        """Indices of items whose label is pure (module docstring). A label read after the figure
        (``派出 8 名中方教师``) is pure only when the clause before the figure adds nothing either."""
        out = set()
        for i in self.items:
            if not is_pure(i.fact):
                continue
            f = i.figure
            a = max(self.text.rfind(ch, 0, f.start) for ch in "，,。；;：:！？!?\n")
            left = self.text[a + 1:f.start]
            after = f.metric and f.metric in self.text[f.end:f.end + len(f.metric) + 4] and f.metric not in left
            if after and core_label(left):
                continue
            out.add(i.index)
        return out

    def same_metric(self, a: Item, b: Item) -> bool:
        """Whether two items state the same metric: equal unit, year and kind of count, and the same
        concept and scope with both labels pure or word for word the same (without a concept: the
        same label word for word)."""
        fa, fb = a.fact, b.fact
        if a.unit != b.unit or fa.year != fb.year or fa.cumulative != fb.cumulative or fa.delta or fb.delta:
            return False
        label_a, label_b = core_label(fa.label), core_label(fb.label)
        same_words = len(label_a) >= 3 and label_a == label_b
        if fa.metric and fb.metric:
            if fa.metric != fb.metric and same_words and fa.scope == fb.scope:
                # 外方教师 28 人 read as 任课教师 in its list and as 教师 alone: the same words, a concept and its parent
                vocab = vocabulary()
                return vocab.is_part_of(fa.metric, fb.metric) or vocab.is_part_of(fb.metric, fa.metric)
            return fa.metric == fb.metric and fa.scope == fb.scope and (
                same_words or (a.index in self.pure and b.index in self.pure))
        # a concept read from the sentence around one statement only (其中电子信息工程专业 232 人 of 在校生):
        # the same words and scope still state the same metric
        return same_words and len(label_a) >= 4 and fa.scope == fb.scope

    def restates(self, a: Item, b: Item) -> bool:
        """Whether one item restates the other out of its context, in another section (a summary restating
        a figure; within one section the same words more often name parts of two lists): only one of them is bound to a concept
        (by the list or sentence it stands in: 支出…其中教学运行及外方教学费用 3905.3 万元), their labels are
        the same words (four characters or more) and their scopes agree once a part the label itself
        names is set aside. :func:`assistant.figures.consistency.duplicate_findings` uses it only when
        every bound statement with those words gives one value."""
        fa, fb = a.fact, b.fact
        if bool(fa.metric) == bool(fb.metric) or a.unit != b.unit or fa.year != fb.year or a.section == b.section:
            return False
        if fa.cumulative != fb.cumulative or fa.delta or fb.delta:
            return False
        label = core_label(fa.label)
        bound = fa if fa.metric else fb
        if any(d in ("part", "major") and re.sub(r"\s+", "", v) == label for d, v in bound.scope):
            return False  # a bare category (海洋科学 175 人) names a part of many lists: 招生, 在校生, 毕业生
        return len(label) >= 4 and label == core_label(fb.label) and _own_scope(fa, label) == _own_scope(fb, label)


def rebound(text: str, f: Figure, unit: str, year: int) -> tuple[Figure, Fact]:
    """``f`` read in another unit (a slip: 人次 for 人, ‰ for %), bound afresh: what it would be about."""
    g = replace(f, unit=unit, concept="", scope=())
    binding = bind_figure(text, g, 0, g.section)
    g.concept, g.scope = binding.concept or "", binding.scope
    return g, facts_from_figures(text, [g], year=year)[0]


def _top_headings(text: str) -> list[int]:
    heads = headings(text)
    numbered = [off for off, _, title in heads if re.match(r"[一二三四五六七八九十]+[、.．]", title)]
    if numbered:
        return numbered
    top = min((level for _, level, _ in heads), default=1)
    return [off for off, level, _ in heads if level == top]


def _own_scope(fact: Fact, label: str) -> tuple:
    """A fact's scope without the part its label names (教学运行及外方教学费用 as a part of 支出)."""
    return tuple((d, v) for d, v in fact.scope if not (d == "part" and re.sub(r"\s+", "", v) in label))


def core_label(label: str) -> str:
    """A label without years, numbers, punctuation and filler words (for comparing labels as words)."""
    label = YEAR_NIAN.sub("", label)
    label = _NOISE.sub("", label)
    for w in sorted(_FILLERS, key=len, reverse=True):
        if len(w) > 1:
            label = label.replace(w, "")
    return label.strip("的中共有为达及和与、届级按计")  # 按在校生 959 名计: the 在校生


def is_pure(fact: Fact) -> bool:
    """Whether ``fact.label`` names nothing but the fact's concept and scope (module docstring)."""
    if not fact.metric or fact.table_row is not None:
        return False
    return residual(fact) == "" and names_concept(fact)


def names_concept(fact: Fact) -> bool:
    """Whether the label itself names the fact's concept (or an ancestor), rather than inheriting it."""
    vocab = vocabulary()
    return any(concept.id in _ancestors(fact.metric) for _, _, concept in vocab.mentions(YEAR_NIAN.sub("", fact.label)))


def _ancestors(metric: str) -> set[str]:
    vocab = vocabulary()
    out = {metric}
    c = vocab.concept(metric)
    while c is not None and c.parent and c.parent not in out:
        out.add(c.parent)
        c = vocab.concept(c.parent)
    return out


def residual(fact: Fact) -> str:
    """What ``fact.label`` says beyond its concept, scope, years and filler words (``另聘``, ``新进``)."""
    vocab = vocabulary()
    label = YEAR_NIAN.sub("", fact.label)
    ancestors = _ancestors(fact.metric) if fact.metric else set()
    # the concept itself, and the population of a rate (2021 届毕业生 of a 深造率 in %): a concept
    # counted in other units than the fact, so it cannot be a rival reading of the same figure
    spans = [(a, b) for a, b, concept in vocab.mentions(label)
             if concept.id in ancestors or (fact.unit in ("%", "‰") and concept.units and not concept.accepts(fact.unit))]
    kept = "".join(ch if not any(a <= k < b for a, b in spans) else " " for k, ch in enumerate(label))
    for dim_words in vocab.wholes.values():
        for w in dim_words:
            kept = kept.replace(w, " ")
    for values in vocab.scopes.values():
        for words in values.values():
            for w in sorted(words, key=len, reverse=True):
                if re.search(r"[\u4e00-\u9fff]", w):
                    kept = kept.replace(w, " ")
    kept = re.sub(r"\d{2}\s*岁\s*(?:及|或)?\s*(?:以下|以上)|\d{2}\s*[-–—~至到]\s*\d{2}\s*岁", " ", kept)
    return core_label(kept)
