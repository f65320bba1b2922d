"""Years written in text — one definition for questions, answers and drafts.

A year is a four-digit 19xx/20xx not glued to other digits, letters or a decimal part, and not
followed by a unit that makes it an amount (``2020万元``, ``2020%``).  A range (``2019—2021年``,
``2019-2021``, ``2019年到2021年``, ``from 2019 to 2021``) names every year in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_Y = r"((?:19|20)\d{2})"
YEAR = re.compile(r"(?<![\dA-Za-z.])((?:19|20)\d\d)(?![\dA-Za-z%％万亿元]|\.\d)")
_SUFFIX = r"(?:年度|年|届|级|学年)"
# "2019—2021年", "2019届至2021届", "2019年度到2021年度", "from 2019 to 2021"
_RANGE = re.compile(rf"(?<![\d.])((?:19|20)\d\d)\s*{_SUFFIX}?\s*(?:-|—|–|~|～|至|到|－|\b(?:to|through|until|till)\b)"
                    rf"\s*((?:19|20)\d\d)(?![\d.])"
    r"|\bbetween\s+((?:19|20)\d\d)\s+and\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_JOIN = r"(?:和|与|及|以及|、|,|，|/|\band\b|&|-|—|–|~|～|至|到|－|\bto\b|\bthrough\b)"
# A run of years joined by list or range words: "2021年和2022年", "2021—2023年", "2021、2022届", "2021 and 2022".
_YEAR_RUN = re.compile(
    rf"(?<![\d.])(?:19|20)\d\d(?:\s*{_SUFFIX}?\s*{_JOIN}\s*(?:19|20)\d\d)+(?P<suffix>\s*{_SUFFIX})?(?![\d.])"
)
ABOUT_YEAR = re.compile(rf"{_Y}\s*(?:[-—–~至到]\s*(?:19|20)?\d{{2}}\s*)?(?:年度|学年)")
"""The year a document is about: ``2020 年度``, ``2019-20 学年``."""
YEAR_NIAN = re.compile(rf"{_Y}\s*年")
"""A year written with 年."""
DATE_LINE = re.compile(rf"^{_Y}\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?$")
"""A line that is only a date (``2021 年 4 月 20 日``): the date a report was signed."""
LOOSE_YEAR = re.compile(rf"(?<!\d){_Y}(?!\d)")
"""A year anywhere, letters allowed around it (file names: ``report2021.md``)."""
DATE = re.compile(r"(?<![\d.])(?:(?P<year>(?:19|20)\d\d)[ \t]*年[ \t]*)?(?P<month>\d{1,2})[ \t]*月"
                  r"(?:[ \t]*(?P<day>\d{1,2})[ \t]*[日号])?")
"""A calendar date or month: ``2021 年 4 月 20 日``, ``2019年12月``, ``4 月 30 日`` (year and day optional)."""
YEAR_SPAN = re.compile(r"((?:19|20)\d\d)[ \t]*[-–—至~][ \t]*((?:19|20)\d\d)[ \t]*年")
"""A closed period ``2017-2020年``; group 2 is its last year."""
_LAST = r"(?:(?:上|去|前)一?(?:年度?|学年|届))"
PRIOR_LEVEL = re.compile(
    rf"(?:(?:较|比|与|相比|同)(?:{_LAST}|(?P<year>(?:19|20)\d{{2}})\s*年度?)(?:同期|末|底)?的?"
    rf"|(?:^|(?<=[，,；;。：:（(\s而但]))(?:而|但)?{_LAST}(?:同期|末|底)?(?:为|是|仅|仅为|只有|仅有|有|共|共有|达|达到)?)\s*$")
"""Words right before a figure that make it last year's level (or a written year's), not the report
year's: ``较上年的 310 人增长 27.4%`` · ``较上年末 1,030 人增加 20 人`` · ``比 2020 年的 57 人少 15 人`` (group
``year`` = 2020) · ``本年招生 8 人，上年仅 3 人`` · ``去年同期为 42 人``. ``比上年增加 3 人`` is none: the 3 is a change."""
LAST_YEAR_SUBJECT = re.compile(rf"^\s*(?:而|其中|另外)?\s*{_LAST}(?:同期|末|底)?(?![较比])")
"""A clause about last year (``上年招生 100 人``, ``去年毕业生中 …``): its figures are last year's levels."""


def prior_level(text: str, start: int) -> re.Match[str] | None:
    """The :data:`PRIOR_LEVEL` words right before ``text[start]`` (a figure), if any."""
    return PRIOR_LEVEL.search(("x" if start > 12 else "\n") + text[max(0, start - 12):start])  # x: not a clause start


_EACH = re.compile(r"分别|各自|各是|respectively|\beach\b", re.IGNORECASE)


_LEADING_YEARS = re.compile(r"^(?:(?:19|20)\d\d(?:年度|年|届)?)+")


def without_leading_years(text: str) -> str:
    """``text`` without the years it opens with (``2024届本科毕业生`` → ``本科毕业生``)."""
    return _LEADING_YEARS.sub("", text)


def is_year(num: str) -> bool:
    """Whether a bare four-digit numeral can be a year (1900–2100)."""
    return bool(re.fullmatch(r"\d{4}", num)) and 1900 <= int(num) <= 2100


def years_in(text: str) -> list[int]:
    """Years mentioned in ``text``, in order, repeats kept."""
    return [int(y) for y in YEAR.findall(text)]


def named_years(text: str) -> tuple[int, ...]:
    """Distinct years ``text`` names, in order, ranges of up to 20 years expanded."""
    years: list[int] = []
    consumed: list[tuple[int, int]] = []
    for m in _RANGE.finditer(text):
        lo, hi = sorted((int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))))
        if hi - lo <= 20:
            years.extend(range(lo, hi + 1))
            consumed.append(m.span())
    for m in YEAR.finditer(text):
        if not any(a <= m.start() < b for a, b in consumed):
            years.append(int(m.group(1)))
    return tuple(dict.fromkeys(years))


_RECENT = re.compile(r"(?:近|最近|过去)\s*([一二两三四五六七八九十\d]{1,2})\s*(?:个)?\s*(?:年度|年|学年)(?!级)"
                     r"|\b(?:last|past|previous)\s+(two|three|four|five|\d)\s+years\b", re.IGNORECASE)
_EN_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5}


def recent_span(text: str) -> int | None:
    """How many latest years a question names without writing them: ``近三年`` / ``最近 3 年`` /
    ``过去两年`` / ``last three years`` → 3 / 3 / 2 / 3, else None (the caller knows which years are
    the latest: those of its documents)."""
    from assistant.text.numbers import cn_integer

    m = _RECENT.search(text)
    if not m:
        return None
    raw = m.group(1) or m.group(2)
    n = int(raw) if raw.isdigit() else _EN_COUNT.get(raw.lower()) or cn_integer(raw)
    return n if n and 1 < n <= 20 else None


def latest_years(question: str, available: Iterable[int]) -> tuple[int, ...]:
    """The years ``近三年`` / ``last three years`` stands for: the latest of ``available`` (the years
    of the documents), when the question writes no year itself."""
    span = recent_span(question)
    if span is None or named_years(question):
        return ()
    return tuple(sorted(set(available))[-span:])


_EVERY_YEAR = re.compile(r"历年|历届|各年|逐年|\bover the years\b|\byear (?:by|after) year\b", re.IGNORECASE)
"""Words spanning every year. Not 每年 / each year: they also say how often (每年报送一次, 截至每年年底)."""
_TREND = re.compile(r"(?:([一二两三四五六七八九十\d]{1,2})\s*(?:个)?\s*(?:年度|年|学年)(?:来|以来|间|里|中)?(?:的)?\s*)?"
                    r"(?:走势|趋势)|\btrends?\b", re.IGNORECASE)


def spanned_years(question: str, available: Iterable[int]) -> tuple[int, ...]:
    """The years a question asks about without writing them: :func:`latest_years` (近三年), every year
    of ``available`` for 历年 / 各年 / over the years and for a trend (走势, 趋势, trend),
    the latest N for a trend over N years (三年走势); () when it writes a year itself."""
    if named_years(question):
        return ()
    recent = latest_years(question, available)
    if recent:
        return recent
    years = sorted(set(available))
    trend = _TREND.search(question)
    if trend and trend.group(1):
        from assistant.text.numbers import cn_integer

        raw = trend.group(1)
        n = int(raw) if raw.isdigit() else cn_integer(raw)
        return tuple(years[-n:]) if n and 1 < n <= 20 else ()
    return tuple(years) if (trend or _EVERY_YEAR.search(question)) and len(years) > 1 else ()


def split_by_year(question: str, available: Iterable[int] = ()) -> list[tuple[int, str]]:
    """One single-year question per year a question names: ``2021年和2022年的生师比分别是多少？`` →
    ``[(2021, "2021年的生师比是多少？"), (2022, "2022年的生师比是多少？")]``.

    Years written as one run (a list or range) are replaced by each year in turn; years written
    apart (``2021年的生师比和2020年相比``) keep the question and add which year to answer for.
    ``近三年`` (``last three years``) stands for the three latest years of ``available`` and is
    replaced the same way. A question naming fewer than two years gives ``[]``.
    """
    recent = latest_years(question, available)
    if len(recent) >= 2:
        zh = bool(re.search(r"[\u4e00-\u9fff]", question))
        return [(y, re.sub(r"\s{2,}", " ", _EACH.sub("", _RECENT.sub(f"{y}年" if zh else f"in {y}", question, count=1))).strip())
                for y in recent]
    years = named_years(question)
    if len(years) < 2:
        return []
    runs = list(_YEAR_RUN.finditer(question))
    zh = bool(re.search(r"[\u4e00-\u9fff]", question))
    out: list[tuple[int, str]] = []
    for year in sorted(years):
        if len(runs) == 1 and set(named_years(runs[0].group(0))) == set(years):
            run = runs[0]
            suffix = (run.group("suffix") or "").strip()
            text = question[: run.start()] + f"{year}{suffix}" + question[run.end() :]
        else:
            text = question.rstrip() + (f"（只回答{year}年的情况）" if zh else f" (answer for {year} only)")
        text = re.sub(r"\s+([?？。.,，])", r"\1", re.sub(r"\s{2,}", " ", _EACH.sub("", text)))
        out.append((year, text.strip()))
    return out
