"""Figure extraction from report text: numbers with unit, qualifier and the metric they describe.

What counts as a *metric figure* (``extract_figures``):

* Arabic or Chinese numerals followed by a counting unit (人, 名, %, 门, 篇, 元/生·年, 级 …), ranges
  (``4-6 年``), fractions (``三分之一``) and unitless ratios after 为/达/比/是 (``生师比为 6.91``).
* Not figures: years (``2020 年``, ``2019 级``, ``2017-2020年``), dates (``4 月 20 日``), document
  numbers and codes (``【2016】756号``, ``MOE51GBA02…``), ordinals (``第三级``), rankings used as names
  (``QS 前 100 名校``), ``4+X``, list numbering (``3.``, ``（1）``), numbers inside 《》 titles,
  bare numbers that label something (``2 区论文``, ``35 岁以下`` — the age is part of the metric
  label), a lone ``一`` (idiomatic: 一流, 一对一, 一系列) and ``近三年``-style time spans.

The prefix qualifier (约, 近, 超过 …) is recorded in ``qualifier`` but is not part of ``raw``; suffix
qualifiers (余, 多, 以上 …) are part of ``raw``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from assistant.text.numbering import headings, section_at

from assistant.domain import vocabulary

from .binding import bind_all, is_delta
from assistant.text.numbers import (FULLWIDTH, NUMBER_RE, PREFIX_QUALIFIERS, UNITS, cn_integer, decimals_of, is_fraction,
                                    is_percent_word, parse_number)
from assistant.text.sentences import paragraph_bounds, sentence_bounds
from assistant.text.tables import read_tables
from assistant.text.years import is_year

_CN_BIG = {"万": 10_000, "亿": 100_000_000}

_DELIMS = "，。；：,;:！？!?\n"
_LEAD_WORDS = ("此外还有", "本年度", "本年", "今年", "当年", "其中", "包含", "包括", "此外", "还有", "另有", "以及", "同时", "目前", "并且", "共有",
               "学院", "我院", "学校", "我校", "全院", "全年", "并", "且", "和", "及")
_TRAIL_WORDS = ("增长到", "增长至", "增加到", "增加至", "提升到", "提升至", "提高到", "提高至", "上升到", "上升至",
                "下降到", "下降至", "降低到", "降低至", "不低于", "不少于", "达到", "共计", "累计", "总计", "合计",
                "增至", "降至", "超过", "大于", "高于", "将近", "接近", "分别", "为", "达", "是", "占", "约", "共",
                "计", "有", "逾", "近", "均", "已", "超", "的")
_RIGHT_STOP = re.compile(r"^(?:获|被|为|在|赴|前往|参加|参与|受益|担任|来自|进行|开展|通过|达|占|分别|均|共|已|计$|计算|"
                         r"[多少](?:出|了|于|$)|增加|增长|减少|下降|提高|降低|上升|比)")
# 比上年末的 856 人多出 53 人: what follows compares, it does not name the 856 (多媒体教室 does)
_RIGHT_CUT = re.compile(r"(?<=..)(?:在|赴|前往|参加|参与|受益|担任|来自|进行|开展|通过|为|被)")
_UNITLESS_LEAD = re.compile(r"(?:为|是|达|达到|约|比|:|=)[ \t]*$")
_BASE_RE = re.compile(r"对[ \t]*(?P<n>\d+)[ \t]*(?:名|位|个|人)[ \t]*(?P<noun>[\u4e00-\u9fffA-Za-z]{1,12}?)(?:的|进行|开展|做)")
_TRIGGER_RE = re.compile(r"其中|包含|包括")
_PART_STOP_RE = re.compile(r"[；;。！？\n]|此外|另有|还有|另外")


@dataclass
class Figure:
    """One numeric fact in a text.

    ``raw`` is the exact span ``text[start:end]``; ``value`` is normalised (万 multiplied out, 三分之一 →
    0.3333). ``paired`` is the index, in the same ``extract_figures`` result, of the partner of a
    ``P%（N 人）`` pair. ``context`` is the population a share refers to (``对 113 名任课教师的统计`` →
    任课教师) or, for a part listed after 其中/包含, the metric of its total.
    """

    value: float
    raw: str
    unit: str
    qualifier: str = ""
    range_to: float | None = None
    metric: str = ""
    sentence: str = ""
    start: int = 0
    end: int = 0
    source: str = ""
    year: int | None = None
    section: str = ""
    table_row: str | None = None
    table_col: str | None = None
    paired: int | None = None
    context: str = ""
    concept: str = ""  # the vocabulary concept it is about ("" when none), see assistant.figures.binding
    scope: tuple = ()  # sorted (dimension, value) qualifiers: (("side", "外方"),)

    @property
    def decimals(self) -> int:
        """Number of decimal places written in ``raw``."""
        return decimals_of(self.raw)

    def to_json(self) -> dict:
        """Plain-dict form."""
        return asdict(self)


def _spans(text: str, open_ch: str, close_ch: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(open_ch) + r"[^" + re.escape(close_ch) + r"\n]*" + re.escape(close_ch), text)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < pos < b for a, b in spans)


def _strip_words(s: str, words: tuple[str, ...], *, lead: bool) -> str:
    changed = True
    while changed and s:
        changed = False
        for w in words:
            if lead and s.startswith(w) and len(s) > len(w):
                s, changed = s[len(w):].lstrip(" 、"), True
            elif not lead and s.endswith(w):
                s, changed = s[: -len(w)].rstrip(), True
    return s


def _left_clause_start(text: str, pos: int, floor: int) -> int:
    """Start of the clause ending at ``pos``: skips balanced （…）, stops at a delimiter or an open （."""
    depth, i = 0, pos - 1
    while i >= floor:
        ch = text[i]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            if depth == 0:
                return i + 1
            depth -= 1
        elif depth == 0 and ch in _DELIMS:
            return i + 1
        i -= 1
    return floor


def _clip(s: str, n: int = 24) -> str:
    return s if len(s) <= n else s[:n]


def _metric(text: str, start: int, end: int, unit: str, floor: int) -> str:
    """Noun phrase a figure describes: the clause before it, or the noun phrase after a counting unit."""
    a = _left_clause_start(text, start, floor)
    left = _strip_words(_strip_words(text[a:start].strip(" 、\t"), _TRAIL_WORDS, lead=False), _LEAD_WORDS, lead=True)
    for q in PREFIX_QUALIFIERS:
        left = left.removesuffix(q).rstrip()
    if left in _LEAD_WORDS:
        left = ""
    b = end
    while b < len(text) and text[b] not in _DELIMS and text[b] not in "（()）、" and not text[b].isdigit():
        b += 1
    right = text[end:b].strip().removeprefix("的")
    if re.match(r"中(?![方外国心层期级文学小高医药])", right):
        right = ""  # 92人次中线下项目78人次: among the 92, not what they are
    noun_follows = bool(right) and not _RIGHT_STOP.match(right) and not re.match(r"[\d一二两三四五六七八九十]", right)
    if unit and unit not in ("%", "‰") and noun_follows:
        right = right.split("的")[0]
        head = _RIGHT_CUT.split(right, maxsplit=1)[0]
        return _clip(head if len(head) >= 3 else right)
    if left:
        return left[-24:]
    if right:
        return _clip(right)
    return _subject(text, start)


def _subject(text: str, pos: int) -> str:
    """Leading noun phrase of the sentence holding ``pos`` (``目前学院教师主要分为…`` → 教师)."""
    a, _ = sentence_bounds(text, pos)
    m = re.match(r"[^，,；;：:]*?(?=主要|分为|包括|包含|共有|共计|总计|合计|为|是|有|达)", text[a:pos])
    return _strip_words(m.group().strip(), _LEAD_WORDS, lead=True) if m else ""


def _year_like(num: str, unit: str, after: str, num2: str | None) -> bool:
    if not is_year(num):
        return False
    return unit in ("年", "级", "届") or after.startswith(("年", "级", "届", "学年")) or num2 is not None or not unit


def _excluded(t: str, m: re.Match, unit: str, in_table: bool, line_start: int) -> bool:
    """Whether a number match is a year, date, code, ordinal, label or numbering rather than a figure."""
    num, s, e = m.group("num"), m.start("num"), m.end()
    before = t[:s].rstrip(" \t")
    after = t[e:].lstrip(" \t")
    prev = before[-1:] if before else ""
    if is_fraction(num) or is_percent_word(num):
        if parse_number(num) is None:
            return True
    elif num[0].isdigit():
        if (s and t[s - 1].isascii() and t[s - 1].isalnum()) or (m.end("num") < len(t) and t[m.end("num")].isascii() and t[m.end("num")].isalpha()):
            return True
        if _year_like(num, unit, after, m.group("num2")):
            return True
        if prev == ":" and re.search(r"\d[ \t]*$", before[:-1]):
            return True  # the 1 of 生师比 11.4:1 (or a time's minutes): the ratio is the figure before it
        if not unit and t[line_start:s].strip() == "" and after[:1] in ".．、)）":
            return True
    elif num == "一" or num[0] in "百千万亿" or not unit or cn_integer(num) is None:
        return True
    if prev in ("第", "前", "+", "【", "〔", "[") or t[e:e + 1] in ("+", "】", "〕", "]") or t[m.end("num"):m.end("num") + 1] == "+":
        return True
    if prev in "（(" and after[:1] in ")）" and not unit:
        return True
    if not unit and after[:1] in ("月", "日", "号", "时", "点", "岁", "/", "+"):
        return True
    if unit == "周" and after.startswith("年"):
        return True  # an anniversary (建党一百周年, 建校 60 周年), not a count of weeks
    if unit == "日" and re.search(r"月[ \t]*$", before):
        return True  # a date (4 月 30 日), not a day count (三十日内)
    if unit == "年" and (after.startswith("级") or re.search(r"(?:近|前|后|这|每|连续)$", before)):
        return True
    if not unit and not m.group("mid") and not m.group("mult") and not is_fraction(num) and not is_percent_word(num):
        if in_table:
            return False
        nxt = after[:1]
        return not (nxt == "" or nxt in _DELIMS or nxt in "）)") or not _UNITLESS_LEAD.search(before)
    return False


def _make_figure(text: str, t: str, m: re.Match, unit: str) -> Figure | None:
    value = parse_number(m.group("num"))
    if value is None:
        return None
    num2 = m.group("num2")
    range_to = parse_number(num2) if num2 else None
    if m.group("sep") and range_to is None:
        return None
    mult = m.group("mult") or (unit[0] if unit.startswith(("万", "亿")) else "")
    norm_unit, mid = unit, m.group("mid") or ""
    if mult:
        value *= _CN_BIG[mult]
        range_to = range_to * _CN_BIG[mult] if range_to is not None else None
        norm_unit = unit.removeprefix(mult)
    if norm_unit.startswith("余"):
        norm_unit, mid = norm_unit[1:], "余"
    norm_unit = "元/生·年" if norm_unit == "元/生/年" else norm_unit
    if is_percent_word(m.group("num")):
        norm_unit = "%"
    before = t[:m.start()].rstrip(" \t")
    prefix = next((q for q in PREFIX_QUALIFIERS if before.endswith(q)), "")
    qualifier = mid or m.group("post") or prefix
    end = m.start() + len(t[m.start():m.end()].rstrip(" \t"))
    return Figure(value=round(value, 4), raw=text[m.start():end].strip(), unit=norm_unit, qualifier=qualifier,
                  range_to=range_to, start=m.start(), end=end)


def extract_figures(text: str, *, source: str = "", year: int | None = None, section: str = "") -> list[Figure]:
    """All metric figures in ``text`` in document order (see module docstring for what is excluded).

    ``section`` is used for every figure when given; otherwise each figure gets the heading path
    (一、/1./# headings) in force at its position."""
    t = text.translate(FULLWIDTH)
    tables = read_tables(t)
    table_spans = [(tb.start, tb.end) for tb in tables]
    skip_spans = _spans(t, "《", "》") + _spans(t, "【", "】")
    heads = [] if section else headings(t)
    figures: list[Figure] = []

    for m in NUMBER_RE.finditer(t):
        if any(a <= m.start() < b for a, b in table_spans) or _inside(m.start(), skip_spans):
            continue
        unit = m.group("unit") or ""
        line_start, _ = paragraph_bounds(t, m.start())
        if _excluded(t, m, unit, False, line_start):
            continue
        fig = _make_figure(text, t, m, unit)
        if fig is None:
            continue
        floor = max(line_start, figures[-1].end if figures else 0)
        fig.metric = _metric(t, fig.start, fig.end, fig.unit, floor)
        figures.append(fig)

    for table in tables:
        for row in table.rows:
            off, line, row_label = row.start, row.line, row.label
            for ci, cell in enumerate(row.cells[1:], start=1):
                a, b, col_label = cell.start, cell.end, table.column(ci)
                for m in NUMBER_RE.finditer(t, a, b):
                    if m.end() > b:
                        continue
                    unit = m.group("unit") or ""
                    if _excluded(t, m, unit, True, off) or (is_year(m.group("num")) and "年" in col_label + row_label):
                        continue
                    if not unit:
                        unit = header_unit(col_label)
                    fig = _make_figure(text, t, m, unit)
                    if fig is None:
                        continue
                    fig.metric, fig.table_row, fig.table_col = row_label, row_label, col_label
                    fig.sentence = line.strip()
                    figures.append(fig)

    figures.sort(key=lambda f: f.start)
    for f in figures:
        f.source, f.year = source, year
        f.section = section or section_at(heads, f.start)
        if not f.sentence:
            a, b = sentence_bounds(t, f.start)
            f.sentence = text[a:b].strip()
    _pair(t, figures)
    _respectively(t, figures)
    for total, parts in enumerations(text, figures):
        for i in parts:
            figures[i].context = figures[i].context or figures[total].metric
    bind_all(t, figures)
    return figures


_HEADER_COUNT = re.compile(r"(人次|人数|篇数|门数|项数|个数|次数|场次|学时数|份数)\s*$")


def header_unit(header: str) -> str:
    """The unit a table header gives its cells: written in brackets (``金额（万元）``) or named by the
    header's last word (``获奖人次`` → 人次, ``毕业生人数`` → 人, ``论文篇数`` → 篇)."""
    hu = re.search(r"[（(]([^）)]+)[）)]\s*$", header)
    if hu:
        return hu.group(1) if hu.group(1) in UNITS else ""
    m = _HEADER_COUNT.search(header)
    if not m:
        return ""
    word = m.group(1)
    return word if word in UNITS else word[:-1] if word.endswith("数") and word[:-1] in UNITS else ""


_SHARE_AFTER = re.compile(r"(?:[^，,。；;：:\n]{0,30}?[，,])?[ \t]*[，,]?[ \t]*占(?P<base>[^，,。；;\d]{0,12}?)(?:的)?[ \t]*$")
"""``47 人，占 36.4%`` · ``有 101 人进入 QS 排名前 100 高校，占 64.7%`` (the rest of the count's clause, then 占)."""


def _pair(t: str, figures: list[Figure]) -> None:
    """Link a count and its share: ``P%（N 人）`` / ``N 万元（P%）`` (the figure in parentheses takes the
    metric of the one outside; both get the population stated earlier in the paragraph) and
    ``N 人，占（全部课程的）P%`` (the share takes the count's metric; the words after 占 name the base)."""
    for i, (f, g) in enumerate(zip(figures, figures[1:])):
        gap = t[f.end:g.start].strip(" \t")
        after = _SHARE_AFTER.fullmatch(t[f.end:g.start])
        if (after and g.unit == "%" and f.unit not in ("%", "") and f.table_row is None and g.table_row is None
                and f.paired is None and not is_delta(f)):
            f.paired, g.paired = i + 1, i
            base = after.group("base").strip()
            g.metric = f.metric
            g.context = base or f.context
            continue
        if gap not in ("（", "(", "（占", "(占") or t[g.end:g.end + 1] not in ("）", ")"):
            continue
        if (f.unit == "%") == (g.unit == "%") or f.table_row is not None:
            continue
        f.paired, g.paired = i + 1, i
        g.metric = f.metric
        para_start, _ = paragraph_bounds(t, f.start)
        bases = list(_BASE_RE.finditer(t, para_start, f.start))
        f.context = g.context = bases[-1].group("noun") if bases else ""


_EACH = re.compile(r"分别(?:占(?P<base>[^，,。；;\d]{0,12}?)的?|为|是|有|达到?|约为?|计|(?P<verb>[\u4e00-\u9fff]{2}))?[ \t]*$")
"""分别为 · 分别占…的 · 分别录取 (a verb naming what each value counts: 护理学、药学分别录取 150 人、65 人)."""
_LIST_GAP = re.compile(r"[ \t]*(?:、|和|与|及|以及|，|,)[ \t]*")
_NAME_SPLIT = re.compile(r"[ \t]*(?:、|和|与|及|以及)[ \t]*")


def chinese_scope_words() -> tuple[str, ...]:
    """The vocabulary's Chinese scope words (国家级, 中方 …), longest first."""
    words = {w for values in vocabulary().scopes.values() for ws in values.values() for w in ws
             if re.fullmatch(r"[\u4e00-\u9fff]+", w)}
    return tuple(sorted(words, key=len, reverse=True))


def _respectively(t: str, figures: list[Figure]) -> None:
    """Lists read one to one after 分别 (respectively):

    * counts, then their shares: ``出境深造 118 人、国内读研 34 人，分别占毕业生的 47.6% 和 13.7%`` — each
      share is paired with the count in its place (its metric, the base named after 占);
    * names, then values: ``中方教师和外方教师分别为 57 人和 31 人`` · ``国家级、省级项目分别有 8 项和 23 项``
      — each value is labelled with the name in its place (a name that is only a level or side word
      takes the last name's noun: 国家级 → 国家级项目).

    Nothing changes unless the two lists have the same length."""
    i = 0
    while i < len(figures):
        g = figures[i]
        a, _ = sentence_bounds(t, g.start)
        floor = figures[i - 1].end if i and figures[i - 1].end > a else a
        m = _EACH.search(t, floor, g.start)
        if g.table_row is not None or not m:
            i += 1
            continue
        j = i
        while (j + 1 < len(figures) and figures[j + 1].table_row is None
               and _LIST_GAP.fullmatch(t[figures[j].end:figures[j + 1].start])):
            j += 1
        values, i = list(range(i, j + 1)), j + 1
        if len(values) < 2:
            continue
        before = [x for x in range(values[0] - len(values), values[0]) if x >= 0 and figures[x].start >= a]
        lead = t[floor:m.start()]
        if (len(before) == len(values) and not lead.strip(" \t，,")
                and not re.search(r"[；;：:]", t[figures[before[0]].end:figures[before[-1]].start])):
            for x, y in zip(before, values):
                f, v = figures[x], figures[y]
                if f.table_row is None and f.paired is None and v.paired is None and (f.unit == "%") != (v.unit == "%"):
                    f.paired, v.paired = y, x
                    v.metric, v.context = f.metric, (m.group("base") or "").strip() or f.context
            continue
        if m.group("base") is not None:
            continue
        names = [n for n in _NAME_SPLIT.split(t[_left_clause_start(t, m.start(), floor):m.start()].strip(" \t")) if n]
        if len(names) != len(values) or any(len(n) > 24 for n in names):
            continue
        last = names[-1]
        scope_words = chinese_scope_words()
        noun = next((last[len(w):] for w in scope_words if last.startswith(w) and len(last) > len(w)), "")
        tail = _LIST_TAIL.search(last)  # 护理学、康复治疗学和药学专业毕业实习时长: every name's 专业毕业实习时长
        verb = m.group("verb") or ""
        for name, y in zip(names, values):
            if name in scope_words and noun:
                figures[y].metric = name + noun + verb
            elif tail and name is not last and not _LIST_TAIL.search(name):
                figures[y].metric = name + last[tail.start():] + verb
            else:
                figures[y].metric = name + verb


_LIST_TAIL = re.compile(r"(?<=[\u4e00-\u9fff])(?:专业|学科|课程|项目|基地|医院|学院)")
"""Where the shared noun of a list of names begins, in its last name (药学|专业毕业实习时长)."""


def enumerations(text: str, figures: list[Figure]) -> list[tuple[int, list[int]]]:
    """``(total, parts)`` index lists for ``总数…其中/包含/包括 部分1、部分2`` in prose.

    The total is the last non-delta figure before the trigger in its sentence (or in the previous
    sentence when the trigger opens one); parts run to the next trigger, ；, 此外/另有 or the sentence
    end, skipping figures in parentheses. Units are not compared here."""
    t = text.translate(FULLWIDTH)
    prose = [i for i, f in enumerate(figures) if f.table_row is None]
    out = []
    for m in _TRIGGER_RE.finditer(t):
        sent_start, sent_end = sentence_bounds(t, m.start())
        para_start, _ = paragraph_bounds(t, m.start())
        before = [i for i in prose if sent_start <= figures[i].end <= m.start() and not is_delta(figures[i])]
        if not before and sent_start > para_start and not t[sent_start:m.start()].strip(" \t，,："):
            prev_start, _ = sentence_bounds(t, sent_start - 1)
            before = [i for i in prose if prev_start <= figures[i].start and figures[i].end <= sent_start
                      and not is_delta(figures[i])]
        if not before:
            continue
        stop = _PART_STOP_RE.search(t, m.end(), sent_end)
        nxt = _TRIGGER_RE.search(t, m.end(), sent_end)
        end = min(stop.start() if stop else sent_end, nxt.start() if nxt else sent_end)
        parts = [i for i in prose if m.end() <= figures[i].start < end
                 and t[m.end():figures[i].start].count("（") <= t[m.end():figures[i].start].count("）")]
        if parts:
            out.append((before[-1], parts))
    listed = {i for _, parts in out for i in parts} | {t for t, _ in out}
    out += [(total, parts) for total, parts in _listed_after(t, figures, prose)
            if total not in listed and not listed & set(parts)]
    return sorted(out, key=lambda e: figures[e[0]].start)


_LIST_LEAD_RE = re.compile(r"^[ \t]*(?:[\u4e00-\u9fff]{1,8}(?<!其)中)?[ \t]*[，,：:][ \t]*"
                           r"(?:[^，,。；;：:\d]{0,8}?(?:看|计|统计|分别为|分别是|为)[ \t]*[，,：:]?)?[ \t]*$")
"""What stands between a total and its 、-joined parts: a comma (``118 人，外方教师…``), after ``…中``
(``310 名新生中，海洋科学专业 180 人、…``), or a ``按…统计，`` lead."""
_LEAD_SENTENCE_RE = re.compile(r"^[ \t]*(?:按[^，,。]{1,8}(?:统计|划分|分)|分[^，,。]{1,6}看|从[^，,。]{1,6}看)[ \t]*[，,：:]")


def _listed_after(t: str, figures: list[Figure], prose: list[int]) -> list[tuple[int, list[int]]]:
    """Lists without 其中: a total, then parts joined by 、 in the same sentence (``任课教师共计 118 人，外方
    教师 44 人、中方教师 74 人``, ``毕业生193人，海洋科学专业116人、环境工程专业77人``), or in the next sentence
    when it opens with 按…统计 / 分…看 (``获奖206人次。按级别统计，国际级奖项14人次、国家级37人次…``). A
    run needs 、 between every two parts: a comma between figures more often separates metrics. Only
    whole runs count: a run starts at a figure not joined by 、 to the one before it."""

    def joined(a: int, b: int) -> bool:
        gap = t[figures[a].end:figures[b].start]
        return "、" in gap and not re.search(r"[，,。；;！？\n（(]", gap) and len(gap) <= 20

    out = []
    for k in range(1, len(prose)):
        if joined(prose[k - 1], prose[k]):
            continue  # inside a run, not its start
        run = [prose[k]]
        for j in prose[k + 1:]:
            if not joined(run[-1], j):
                break
            run.append(j)
        if len(run) < 2:
            continue
        total, first = prose[k - 1], figures[run[0]]
        between = t[figures[total].end:first.start]
        head = re.search(r"[^，,。；;：:]*$", between).group()  # the first part's own words
        lead = between[:len(between) - len(head)]
        sent_a, _ = sentence_bounds(t, first.start)
        if figures[total].end > sent_a:  # the total in the same sentence, the list right after it
            among = not lead.strip() and head.lstrip().startswith("中")  # 92人次中线下项目78人次、线上项目14人次
            if not (_LIST_LEAD_RE.match(lead) or among) or is_delta(figures[total]):
                continue
        elif not (_LEAD_SENTENCE_RE.match(t[sent_a:first.start]) and t[figures[total].end:sent_a].strip(" \t。") == ""):
            continue
        out.append((total, run))
    return out


def explicit_base(text: str, pos: int) -> tuple[float, str] | None:
    """The population stated before ``pos`` in its paragraph (``对 113 名任课教师的统计`` → (113, 任课教师))."""
    t = text.translate(FULLWIDTH)
    para_start, _ = paragraph_bounds(t, pos)
    bases = list(_BASE_RE.finditer(t, para_start, pos))
    return (float(bases[-1].group("n")), bases[-1].group("noun")) if bases else None
