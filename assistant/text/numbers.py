"""Numbers as Chinese reports write them: Arabic (``1,600``, ``96.81``), Chinese numerals (``一百二十``,
``两``), fractions (``三分之一``, ``2/3``), percentages written out (``百分之十五``), ranges (``4-6 年``,
``四至五年``), multipliers (``6万``) and the counting unit that follows (人, 人次, %, 元/生·年 …).

One pattern (:data:`NUMBER_RE`) finds a written quantity with its unit and qualifiers; one parser
(:func:`parse_number`) gives its value. Chinese integers are parsed by ``cn2an`` (a maintained library)
instead of hand-written code; fractions and 百分之 are split here and each side parsed the same way.
"""

from __future__ import annotations

import re

import cn2an

FULLWIDTH = str.maketrans("０１２３４５６７８９％．，＋－～：／∶︰", "0123456789%.,+-~:/::")
"""Full-width digits and signs → ASCII, length-preserving (offsets stay valid); the ratio sign of
``15.6∶1`` reads as a colon."""

CN_DIGITS = "零〇一二两三四五六七八九"
ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CN_NUM = r"[零〇一二两三四五六七八九十百千万亿]+"
CN_FRACTION = r"[一二两三四五六七八九十百]+分之[一二两三四五六七八九十百]+"
CN_PERCENT = r"百分之[零〇一二两三四五六七八九十百点]+"
ARABIC_FRACTION = r"(?<![\d/])\d{1,2}/\d{1,2}(?![\d/])"

# Longest first so that 人次 wins over 人, 万元 over 万 …
UNITS: tuple[str, ...] = tuple(sorted(
    ["元/生·年", "元/生/年", "元/人·年", "元/年", "万人次", "万余人", "万人", "万元", "亿元", "个百分点", "百分点",
     "个工作日", "工作日", "人次", "个月", "学分", "学时", "课时", "小时", "门次", "节次", "%", "‰", "人", "名", "位", "门", "篇",
     "项", "个", "次", "元", "年", "所", "支", "部", "轮", "级", "种", "批", "家", "本", "场", "期", "届", "周", "天",
     "日", "倍", "分", "册", "套", "间", "台", "件", "组", "队", "条", "类", "份", "节", "座", "幅", "首"],
    key=len, reverse=True,
))
UNIT_RE = "|".join(re.escape(u) for u in UNITS)
PREFIX_QUALIFIERS: tuple[str, ...] = ("不低于", "不少于", "不超过", "不得少于", "不得低于", "不得超过", "将近", "接近",
                                      "超过", "大于", "高于", "多于", "低于", "少于", "约", "近", "逾", "超")
SUFFIX_QUALIFIERS = "及以上|及以下|以上|以下|以内|左右|余|多(?=[的来，。；、,.;:：）)\\s]|$)"
BOUND_QUALIFIERS = ("及以上", "及以下", "不低于", "不少于", "不超过", "不得少于", "不得低于", "不得超过")
"""Qualifiers that make a figure a bound — a standard or threshold (6.0 分及以上, 不少于 48 周), not a level
(就业率达 96.81% 以上 is a level stated as a lower bound: 以上 alone is not here)."""
# 多 after a unit says "more than" only at the end of the quantity (一年多，一年多来); else it compares
# (比上年末的 856 人多出 53 人, 多 18 人) or starts a word (20 间多媒体教室) and is not part of the figure

NUMBER_RE = re.compile(
    rf"(?P<num>{ARABIC_FRACTION}|{ARABIC}|{CN_PERCENT}|{CN_FRACTION}|{CN_NUM})"
    rf"(?:[ \t]*(?P<sep>[-–—~至到])[ \t]*(?P<num2>{ARABIC}|{CN_NUM}))?"
    rf"(?:[ \t]*(?P<mult>万|亿)(?!元|人))?"
    rf"[ \t]*(?P<mid>余|多)?"
    rf"[ \t]*(?P<unit>{UNIT_RE})?"
    rf"(?P<post>{SUFFIX_QUALIFIERS})?"
)
"""A written quantity: number, optional range end, multiplier, 余/多, unit and suffix qualifier."""

_BIG = {"万": 10_000, "亿": 100_000_000}
_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_integer(s: str) -> int | None:
    """A well-formed Chinese integer numeral (``一百二十`` → 120, ``两`` → 2, ``十`` → 10), else None
    (``一二``, ``百``, ``万`` alone are not numbers)."""
    if not s or s[0] in "百千万亿":
        return None
    try:  # strict: digit runs (一二, 二〇二〇) are not quantities; 两 is 二 in a quantity (两万五千)
        value = cn2an.cn2an(s.replace("两", "二").replace("〇", "零"), "strict")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value)


def parse_number(num: str) -> float | None:
    """Value of a bare numeral without unit: Arabic (``1,600``), Chinese (``一百二十``), fraction
    (``三分之一`` → 0.3333, ``2/3`` → 0.6667) or 百分之 (``百分之十五`` → 15.0, a percentage)."""
    num = num.translate(FULLWIDTH).strip()
    if re.fullmatch(ARABIC, num):
        return float(num.replace(",", ""))
    if re.fullmatch(r"\d{1,2}/\d{1,2}", num):
        n, d = (int(x) for x in num.split("/"))
        return round(n / d, 4) if d else None
    if num.startswith("百分之"):
        body = num[3:]
        if "点" in body:
            whole, _, frac = body.partition("点")
            w = cn_integer(whole)
            digits = [_DIGIT.get(c) for c in frac]
            if w is None or not digits or None in digits:
                return None
            return float(f"{w}." + "".join(str(d) for d in digits))
        v = cn_integer(body)
        return float(v) if v is not None else None
    if "分之" in num:
        den, nom = num.split("分之", 1)
        d, n = cn_integer(den), cn_integer(nom)
        return round(n / d, 4) if d and n is not None else None
    v = cn_integer(num)
    return float(v) if v is not None else None


def is_fraction(num: str) -> bool:
    """Whether a numeral is written as a fraction (三分之一, 2/3): its value is a ratio, not a count."""
    return "分之" in num and not num.startswith("百分之") or bool(re.fullmatch(r"\d{1,2}/\d{1,2}", num.strip()))


def is_percent_word(num: str) -> bool:
    """``百分之十五`` states a percentage in words."""
    return num.startswith("百分之")


def scaled_value(match: re.Match) -> float | None:
    """Value of a :data:`NUMBER_RE` match with 万/亿 multiplied out."""
    value = parse_number(match.group("num"))
    if value is None:
        return None
    unit = match.group("unit") or ""
    if match.group("mult") or unit.startswith(("万", "亿")):
        value *= _BIG[(match.group("mult") or unit)[0]]
    return round(value, 4)


def normalise_number(raw: str) -> float | None:
    """Numeric value of a written number: ``"96.81 %"`` → 96.81, ``"6万"`` → 60000.0, ``"六万"`` → 60000.0,
    ``"三分之一"`` → 0.3333, ``"1,600"`` → 1600.0, ``"百分之十五"`` → 15.0. Units and qualifiers around the
    number are ignored; returns None when ``raw`` holds no number."""
    text = raw.translate(FULLWIDTH).strip()
    for q in PREFIX_QUALIFIERS:
        if text.startswith(q):
            text = text[len(q):].lstrip()
            break
    m = NUMBER_RE.match(text)
    return scaled_value(m) if m else None


def numbers_in(text: str) -> list[tuple[str, float]]:
    """Every numeric mention in ``text`` (years and dates included) as ``(raw, value)``.

    Digits that belong to codes (``MOE51GBA02…``), ordinals (第十二条, 第 3 名) and Chinese numerals
    that are not quantities (一流, 四川, 百分制) are skipped."""
    t = text.translate(FULLWIDTH)
    out: list[tuple[str, float]] = []
    for m in NUMBER_RE.finditer(t):
        num = m.group("num")
        s, e = m.start("num"), m.end("num")
        if t[:s].rstrip(" \t").endswith("第"):
            continue
        if num[0].isdigit():
            if (s and t[s - 1].isascii() and t[s - 1].isalnum()) or (e < len(t) and t[e].isascii() and t[e].isalpha()):
                continue
        elif num.startswith("百分之"):
            pass
        elif num == "一" or num[0] in "百千万亿" or (len(num) == 1 and not m.group("unit") and not m.group("mid")):
            continue
        value = normalise_number(t[m.start():m.end()])
        if value is not None:
            out.append((text[m.start():m.end()].strip(), value))
    return out


def format_number(value: float, decimals: int = 0) -> str:
    """``value`` with ``decimals`` places (an integer without a decimal point when ``decimals`` is 0)."""
    return f"{value:.{decimals}f}" if decimals else str(int(round(value)))


def decimals_of(raw: str) -> int:
    """Number of decimal places written in ``raw`` (``96.81%`` → 2)."""
    m = re.search(r"\d\.(\d+)", raw)
    return len(m.group(1)) if m else 0


_EN_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
             "sixteen seventeen eighteen nineteen").split()
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ENGLISH_NUMBER = re.compile(
    r"(?<![\w-])(?:(?P<tens>" + "|".join(_EN_TENS) + r")(?:[- ](?P<unit>" + "|".join(_EN_UNITS[1:10]) + r"))?"
    r"|(?P<small>" + "|".join(_EN_UNITS) + r")|(?P<dozen>a dozen|dozen))(?![\w-])", re.IGNORECASE)
"""A cardinal written in English words (``two``, ``thirty-five``, ``a dozen``): notes say "Two staff
won …" as often as "2 staff"."""


def english_numbers_in(text: str) -> list[tuple[int, int, float]]:
    """``(start, end, value)`` of every English number word in ``text`` (one to ninety-nine)."""
    out = []
    for m in ENGLISH_NUMBER.finditer(text):
        if m.group("dozen"):
            value = 12
        elif m.group("small"):
            value = _EN_UNITS.index(m.group("small").lower())
        else:
            value = _EN_TENS[m.group("tens").lower()] + (_EN_UNITS.index(m.group("unit").lower()) if m.group("unit") else 0)
        out.append((m.start(), m.end(), float(value)))
    return out
