"""Which concept and scope a figure is about — the binding every stage shares (the ledger, answer
verification, the draft check, note matching).

Binding a figure (:func:`bind_figure`) reads, in order, until one names a concept that accepts the
figure's unit: the extractor's label (for a table cell: row label, then column header), the clause
before the figure with the noun after its unit, the population it is a part or share of
(``其中``/``对 113 名任课教师``); a label naming the *parent* of the population's concept takes the
population (``任课教师 122 人，其中外方教师 43 人`` → 任课教师 · 外方). A figure no text binds takes the
concept of the previous figure of its sentence in the same unit (``专业核心课程 21 门，外方教师承担 13 门`` →
核心课程 · 外方), and a share paired with its count (``47 人，占 36.4%``) takes the count's binding.
Scope qualifiers are read from the label and the clause (local: 国内/海外, 中方/外方, levels, ages); a
doctoral or master's programme also from the sentence subject, the section title, or — for ``该项目`` —
the sentence before. Words of the bound concept are removed before scope words are read, so 博士生导师
and 博士学位 are not 博士-programme scopes.
"""

from __future__ import annotations

import re
from typing import Protocol

from assistant.domain import Binding, vocabulary
from assistant.text.sentences import paragraph_bounds, sentence_bounds
from assistant.text.years import without_leading_years


class Bindable(Protocol):
    metric: str
    context: str
    unit: str
    start: int
    end: int
    table_row: str | None
    table_col: str | None


_DELTA_RE = re.compile(r"较(?:上|去|前|往|同期|\d{4})|比上|比去|比\d{4}|同比|环比|增幅|降幅|涨幅|"
                       r"(?:增长|增加|减少|下降|提高|提升|上升|降低)了?$|^[多少][出了]?$")
# a label ending in a change verb: 增长 27.4%; 比 2020 年的 57 人少 15 人 (a label of 少 alone)


_DELTA_COLUMN = re.compile(r"增减|增长|增幅|降幅|变化|变动|较上年|比上年|同比|环比")


def is_delta(f: Bindable) -> bool:
    """Whether a figure states a change rather than a level (较上年增加 28 人次, a table's 增减（%） column)."""
    return bool(_DELTA_RE.search(f.metric)) or bool(f.table_col and _DELTA_COLUMN.search(f.table_col))


_SENDING = "选派|派出|派遣|选送|推荐|安排|资助"
_SENT_DISPATCH = re.compile(rf"({_SENDING}|组织|支持|鼓励)\s*$")  # 选派 3 名…: the verb right before the count
_DISPATCH_LEAD = re.compile(rf"(?:本年度|今年|全年|当年|年内|共|另)?\s*({_SENDING})")  # 选派中方教师 8 人: the clause's lead
_DOING = re.compile(r"(?:赴|到|前往|参加|参与|利用|完成|攻读|开展|进行|接受).*")
_CHOSEN_FROM = re.compile(r"(?:从|面向)[^，。；;]{1,24}?中?\s*(?:二次|再次|择优)?(选拔|选出|遴选|挑选)")
_AMONG = re.compile(r"[\u4e00-\u9fff]中(?:有|共有)\s*$")
"""``在校生中有 161 名四年级学生``: the figure counts some of the population named before 中."""
_AMONG_BEFORE = re.compile(r"\d[ \t]*[人名位个项][^，,。；;：:]{0,12}中[，,][ \t]*$")
"""The clause before names a population by its count and 中 (就业的 98 名毕业生中，…): what follows counts some of it."""
_AMONG_IN_CLAUSE = re.compile(r"(?<![\d.,])\d[\d,.]*[ \t]*[人名位个项]中(?=[\u4e00-\u9fff])")
"""``研究生毕业生 12 人中落实去向 11 人``: a count and 中 earlier in the figure's own clause."""
_CLAUSE_DELIMS = "，。；：,;:！？!?\n（）()"
_ANAPHORA = re.compile(r"该项目|本项目|该专业|本专业|该机构")
INHERITED_PROGRAMMES = ("博士", "硕士")  # 本科 is the default programme of these reports: never inherited


def clause_start(text: str, pos: int, floor: int) -> int:
    i = pos - 1
    while i >= floor and text[i] not in _CLAUSE_DELIMS:
        i -= 1
    return max(i + 1, floor)


def _right_noun(text: str, end: int) -> str:
    """The words after a figure up to the next clause, list item (、) or number: its own noun — none
    after 中 (研究生毕业生 15 人中落实去向 14 人: what follows names some of them, the next figure)."""
    if text[end:end + 1] == "中" and vocabulary().stands_alone("中", text[end:end + 8]):
        return ""  # (中方教师 after 3 名 is its noun: 中 is no word of its own there)
    b = end
    while b < len(text) and text[b] not in _CLAUSE_DELIMS + "、" and not text[b].isdigit() and b - end < 16:
        b += 1
    return text[end:b]


def _subject(text: str, pos: int) -> str:
    """The lead of the sentence holding ``pos``: its text before the first comma or colon."""
    a, _ = sentence_bounds(text, pos)
    head = text[a:pos]
    m = re.match(r"[^，,；;：:]*", head)
    return m.group(0) if m else ""


def bind(candidates: list[str], unit: str, context: str = "", subject: str = "") -> Binding:
    """The concept and scope of a figure in ``unit`` given its describing texts, most specific first;
    the sentence ``subject`` names the concept only when none of them does (``收取学费：本科生 68000 元``)."""
    vocab = vocabulary()
    concept, own = None, False
    for n, text in enumerate(candidates):
        found = vocab.concept_in(text, unit) if text else None
        if found:
            concept, own = found[0], True
            for later in candidates[n + 1:]:  # 对未落实去向的 8 名毕业生: a kind of 毕业生 named before them
                narrower = vocab.concept_in(later, unit) if later else None
                if narrower and vocab.is_part_of(narrower[0].id, concept.id):
                    concept = narrower[0]
                    break
            break
    if context:
        ctx = vocab.concept_in(context, unit)
        if ctx and (concept is None or vocab.is_part_of(ctx[0].id, concept.id)):
            concept, own = ctx[0], False
    if concept is None and subject:
        found = vocab.concept_in(subject, unit)
        concept = found[0] if found else None
    scope: dict[str, str] = {}
    for text in candidates:
        exclude = [(a, b) for a, b, c in vocab.mentions(text) if concept is not None and c.id == concept.id]
        for dim, value in vocab.scope_in(text, exclude).items():
            scope.setdefault(dim, value)
    label = candidates[0] if candidates else ""
    if "programme" not in scope and label:
        programme = vocab.scope_in(_DEGREES.sub("", label), []).get("programme")
        if programme:  # 在校本科生 1,050 人: a synonym of 在校生 that also says whose (not 具有博士学位的教师)
            scope["programme"] = programme
    part = part_label(label, concept.id) if concept is not None and not own else ""
    if part and "part" not in scope and not (set(scope) - {"side", "region"}):
        scope["part"] = part  # 支出合计…，其中师资建设 1590.4 万元: a part of 经费支出, not the total
    return Binding(concept.id if concept else None, tuple(sorted(scope.items())), label)


_DEGREES = re.compile(r"(?:博士|硕士|学士|本科)(?:学位|学历)|(?:博士|硕士)生?导师")
_CHANGE_WORDS = re.compile(r"(?:较|比|与)(?:上|去|前)一?(?:年度?|届|学年)(?:同期)?的?|同比|环比|增长|增加|减少|下降|提高|提升|"
                           r"上升|降低|增幅|降幅|涨幅|了")


def part_label(label: str, concept: str | None = None) -> str:
    """The words that name a part of a total (``师资建设``), or "" when the label says nothing of its own
    beyond the concept (and the concepts it is a kind of) and scope words (外方教师 of 任课教师 says 外方)."""
    vocab = vocabulary()
    text = without_leading_years(re.sub(r"\s+", "", label or ""))
    explained = [c for c in vocab.concepts.values() if c.id == concept or vocab.is_part_of(concept, c.id)]
    rest = text
    for word in sorted({w for c in explained for w in (c.id, c.label, *c.synonyms)}, key=len, reverse=True):
        rest = rest.replace(word, "")
    rest = re.sub("|".join(re.escape(w) for values in vocab.scopes.values() for ws in values.values() for w in ws
                           if re.search(r"[\u4e00-\u9fff]", w)), "", rest)
    rest = _CHANGE_WORDS.sub("", rest)  # 比上年增加 18 人 is a change of the concept, not a part of it
    if len(re.findall(r"[\u4e00-\u9fff]", rest)) < 2:
        return ""
    fillers = "|".join(re.escape(w) for w in vocab.label_fillers)
    text = re.sub(rf"^(?:{fillers})+|(?:{fillers})+$", "", text) if fillers else text
    return text if len(re.findall(r"[\u4e00-\u9fff]", text)) >= 2 else ""


def bind_figure(text: str, f: Bindable, previous_end: int = 0, section: str = "") -> Binding:
    """The concept and scope of figure ``f`` of ``text`` (see module docstring)."""
    if f.table_row is not None:
        candidates = [f.table_row or "", f.table_col or ""]
        binding = bind(candidates, f.unit, f.context)
    else:
        para_start, _ = paragraph_bounds(text, f.start)
        clause = text[clause_start(text, f.start, max(para_start, previous_end)):f.start] + _right_noun(text, f.end)
        # a growth rate is a change of any concept (录取新生增长 27.4%), whatever units its levels have
        unit = None if f.unit == "%" and is_delta(f) else f.unit
        binding = bind([f.metric, clause], unit, f.context, _subject(text, f.start))
    scope = dict(binding.scope)
    vocab = vocabulary()
    if f.table_row is None and "part" not in scope and _AMONG.search(text[max(0, f.start - 4):f.start]):
        right = _right_noun(text, f.end)
        noun = re.match(r"[\u4e00-\u9fff]{2,12}?(?=在|赴|参加|参与|为|是|获|已|，|。|；|$)", right)
        if noun and not vocab.concept_in(noun.group(0), f.unit):
            scope["part"] = noun.group(0)  # 在校生中有161名四年级学生: some of the 在校生, not all of them
        elif not noun and re.match(r"[\u4e00-\u9fff]{2,}", right):
            scope["part"] = right[:12]  # 硕士生中有16人赴法完成研究实习: those who did it, not the 硕士生
    a, _ = sentence_bounds(text, f.start)
    start = clause_start(text, f.start, a)
    if f.table_row is None and "part" not in scope:
        inside = _AMONG_IN_CLAUSE.search(text[start:f.start]) if binding.concept else None
        if _AMONG_BEFORE.search(text[a:start]):  # 就业的 98 名毕业生中，在沅州省内就业 64 人: some of the 98
            part = part_label(text[start:f.start], binding.concept)
            if part and not (set(scope) - {"side", "region"}):  # (海洋科学专业 180 人: a major, one of a partition)
                scope["part"] = part
        elif inside and not (set(scope) - {"side", "region"}):  # 研究生毕业生 12 人中落实去向 11 人: of the 12
            population = without_leading_years(text[start:start + inside.start()].strip())
            part = part_label(text[start + inside.end():f.start], binding.concept)
            if part or len(re.findall(r"[\u4e00-\u9fff]", population)) >= 2:
                scope["part"] = part or population + "中"
    if f.table_row is None and "part" not in scope and f.unit in ("人", "名", "位"):
        clause = text[start:f.start]
        sent = _SENT_DISPATCH.search(text[max(a, f.start - 6):f.start]) or _DISPATCH_LEAD.match(clause)
        doing = _DOING.search(_right_noun(text, f.end)) if sent else None
        chosen = _CHOSEN_FROM.search(text[a:f.start])
        stock = binding.concept is not None and any(binding.concept == c or vocab.is_part_of(binding.concept, c)
                                                    for c in vocab.populations)
        if doing and stock:  # 选派 3 名中方教师赴德参加师资培训: those sent, not the 中方教师 (派出学生 is 海外交流 itself)
            scope["part"] = sent.group(1) + doing.group(0)[:4]  # where to: wordings of the activity vary across years
        elif chosen:  # 从机电一体化技术新生中选拔，录取 30 人: a selection from the 新生, not all of them
            scope["part"] = chosen.group(1)
    if "programme" not in scope:
        sources = [_subject(text, f.start), section]
        a, _ = sentence_bounds(text, f.start)
        if _ANAPHORA.search(text[a:f.start]) and a > 0:
            pa, _ = sentence_bounds(text, a - 1)
            sources.append(text[pa:a])
        for source in sources:
            found = vocab.concept_in(source) if source else None
            value = vocab.scope_in(source, [found[1]] if found else []).get("programme") if source else None
            if value in INHERITED_PROGRAMMES:
                scope["programme"] = value
                break
    return Binding(binding.concept, tuple(sorted(scope.items())), binding.label)




class _Figure(Bindable, Protocol):
    paired: int | None
    section: str
    concept: str
    scope: tuple


def _rate_of(f: _Figure, g: _Figure) -> str | None:
    """The concept of ``X率`` for a share labelled only by the end of the count before it (落实率 after
    毕业去向落实 236 人 → 毕业去向落实率); None unless the vocabulary names that rate."""
    label, before = re.sub(r"\s+", "", f.metric), re.sub(r"\s+", "", g.metric)
    if f.unit not in ("%", "‰") or g.unit in ("%", "‰") or not label.endswith("率") or len(label) < 3:
        return None
    stem = label[:-1]
    if stem not in before or before.endswith(label):
        return None
    found = vocabulary().concept_in(before[:before.rindex(stem) + len(stem)] + "率", f.unit)
    return found[0].id if found else None


def bind_all(text: str, figures: list[_Figure]) -> None:
    """Set ``concept`` and ``scope`` on every figure of ``text`` (document order), see module docstring."""
    vocab = vocabulary()
    previous_end = 0
    for i, f in enumerate(figures):
        if f.paired is not None and f.paired < i and figures[f.paired].concept:
            partner = figures[f.paired]  # a count and its share are one binding: 47 人，占 36.4% · 占 28.0%（33 人）
            f.concept, f.scope = partner.concept, partner.scope
            previous_end = f.end
            continue
        binding = bind_figure(text, f, previous_end, f.section)
        concept = binding.concept or ""
        if not concept and f.table_row is None:
            a, _ = sentence_bounds(text, f.start)
            for g in reversed(figures[:i]):
                if g.start < a:
                    break
                rate = _rate_of(f, g)
                if rate is not None:  # 毕业去向落实 236 人，落实率 95.2%: the rate of the count before it
                    concept, binding = rate, Binding(None, g.scope, binding.label)
                    break
                c = vocab.concept(g.concept)
                if c is not None and g.table_row is None and is_delta(f):
                    concept = g.concept  # 录取新生 395 人，较上年增长 27.4%: a change of the figure before
                    binding = Binding(None, g.scope, binding.label)
                    break
                if c is not None and g.table_row is None and c.accepts(f.unit) and g.unit == f.unit:
                    concept = g.concept  # 专业核心课程 21 门，外方教师承担 13 门: a part of the figure before
                    if not binding.scope and part_label(f.metric, concept):
                        binding = Binding(None, (("part", part_label(f.metric, concept)),), binding.label)
                    break
        scope = binding.scope
        if i and f.paired is None and f.table_row is None:
            g = figures[i - 1]
            opening = text.rfind("（", g.end, f.start)
            inside = opening != -1 and "）" not in text[opening:f.start] and not text[g.end:opening].strip()
            if inside and g.concept and vocab.concept(g.concept).accepts(f.unit) \
                    and not (concept and vocab.is_part_of(concept, g.concept)):  # 党支部 7 个（学生党支部 5 个…）: its own kind
                # 论文 34 篇（2 区论文 9 篇）: a part of the figure before the parenthesis
                concept = g.concept
                scope = tuple(sorted({**dict(g.scope), **dict(scope), "part": f.metric or "部分"}.items()))
        f.concept, f.scope = concept, scope
        previous_end = f.end
