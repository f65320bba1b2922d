# -*- coding: utf-8 -*-
"""Shared helpers: marker parsing and figure declaration."""
import json
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent
REPORTS_DIR = OUT / "knowledge" / "reports"
MARK = re.compile(r"«([^|»]+)\|([^»]+)»")
CN = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_num(s):
    """二十三 -> 23 (up to 99)."""
    if "十" in s:
        a, _, b = s.partition("十")
        return (CN[a] if a else 1) * 10 + (CN[b] if b else 0)
    return CN[s]


def parse_shown(shown):
    """'1,035人' -> ('1,035', 1035.0, '人'); '二十三门' -> ('二十三', 23, '门')."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", shown)
    if m:
        written = m.group(0)
        val = float(written.replace(",", ""))
        unit = shown[m.end():].strip()
        return written, val, unit
    if shown == "三分之一":
        return "三分之一", 1 / 3, ""
    m = re.match(r"[一二三四五六七八九十]+", shown)
    written = m.group(0)
    return written, cn_num(written), shown[m.end():]


def strip_marks(text):
    return MARK.sub(lambda m: m.group(2), text)


def marks(text):
    """Yield (key, shown, start, end) in the stripped text."""
    out, pos, shift = [], 0, 0
    plain = []
    last = 0
    for m in MARK.finditer(text):
        plain.append(text[last:m.start()])
        start = sum(len(x) for x in plain)
        plain.append(m.group(2))
        out.append((m.group(1), m.group(2), start, start + len(m.group(2))))
        last = m.end()
    plain.append(text[last:])
    return "".join(plain), out


DELIM = "，。；：！？"


def snippet(plain, start, end, minlen=10):
    a = start
    while a > 0 and plain[a - 1] not in DELIM:
        a -= 1
    b = end
    while b < len(plain) and plain[b] not in DELIM:
        b += 1
    # too short: extend to the previous clause
    while b - a < minlen and a > 0:
        a -= 1
        while a > 0 and plain[a - 1] not in DELIM:
            a -= 1
    s = plain[a:b].strip()
    return s


def nospace(s):
    return re.sub(r"\s+", "", s)


def prose_figures(year, text, strip_bold=True):
    """Declarations for one paragraph.  The snippet is taken from the text as it is
    printed in the given format (with '**' for the Markdown report)."""
    plain, ms = marks(text if not strip_bold else text.replace("**", ""))
    figs = []
    for key, shown, s, e in ms:
        written, val, unit = parse_shown(shown)
        figs.append(dict(year=year, metric=key, value=val, written=written, unit=unit,
                         shown=shown, snippet=snippet(plain, s, e), kind="prose"))
    return plain, figs


def table_figures(year, t):
    figs = []
    head = t["head"][-1]
    top = t["head"][0]
    for row in t["rows"]:
        label = row[0] or row[1]
        for j, cell in enumerate(row):
            if j == 0 or not re.fullmatch(r"-?[\d,]+(?:\.\d+)?", cell):
                continue
            colname = head[j] or top[j]
            if len(t["head"]) > 1 and top[j] == "" and j > 0:
                # two-row header: the group is to the left
                k = j
                while k > 0 and top[k] == "":
                    k -= 1
                colname = top[k] + head[j]
            elif len(t["head"]) > 1:
                colname = top[j] + head[j]
            m = re.search(r"（(.+?)）", colname)
            unit = m.group(1) if m else ("人" if "人数" in colname else "")
            figs.append(dict(year=year, metric=f"{t['id']}|{label}|{colname}",
                             value=float(cell.replace(",", "")), written=cell, unit=unit,
                             shown=cell, snippet="".join(nospace(c) for c in row), kind="table"))
    return figs


def save_manifest(year, figs, tables, extra=None):
    path = OUT / "src" / f"manifest_{year}.json"
    data = dict(year=year, figures=figs, tables=tables)
    if extra:
        data.update(extra)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
