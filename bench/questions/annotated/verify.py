"""Check the hand-made figure annotations against the documents, as the project's loader reads them.

Usage: .venv/bin/python bench/questions/annotated/verify.py [--uncovered]   (exit status 1 on any error)

Why this exists: ``sample_facts.csv`` (the three reports in ``knowledge/reports/``) and
``real_facts.csv`` (the real 2020 report, ``/work/shared/corpus`` or ``$REAL_CORPUS``) were written by
hand, without looking at how the project's code labels figures, so they can serve as an independent
answer key. The annotation is only worth that if every row points at a place in the document that
really states the figure; this script checks exactly that, nothing about the code's own output.

Each document is read with ``assistant.ingest.load_document`` and its blocks joined with newlines
(the same text ``bench/unseen/verify.py`` checks against). For every row:

* the header is ``year, metric, value, unit, scope, source, quote, key`` and metric, value, source,
  quote and key are not empty; ``source`` is ``reports/<file>`` and the file's name starts with the
  row's year (years, dates and document numbers are not annotated as figures);
* ``quote`` is at most 40 characters, has no line break, occurs in the loaded text exactly once (so
  it locates one statement), and for .md/.txt also in the raw file (a quote may not span a wrapped
  line or a page break of the extracted 2020 text);
* ``value`` is a number (``58000``, ``10.90``, ``+5``) or a range (``4-6``, ``3-5``) and occurs in the
  quote with whitespace removed, either as written or, for whole numbers up to 99, in Chinese
  numerals (``三道程序`` is 3, ``两个层次`` is 2, ``十余支`` is 10, ``第三年`` is 3);
* ``unit`` is empty only for ratios (生师比);
* ``(year, key)`` is unique, and one ``(year, metric, scope)`` never carries two different values.

Then the arithmetic between rows, by key (a wrong value or a swapped key shows up here): parts add
up to their totals (在校生, 招生, 深造 = 出国 + 国内, award levels, expenditure items, age bands, the
2020 教师共计 = 任课 + 毕设指导 + 学术指导), each share is its count ÷ its base rounded to the
decimals written (占比 of 外方教师, 博士, 正高, age bands, courses, 查重, 落实, 满意度, expenditure,
生师比 = 在校生 ÷ 任课教师), and across years cumulative counts grow by the year's figure (累计毕业生,
教研论文, 海外交流) and stated changes (较上年增加 22 人, 提高 0.92 个百分点, table 较上年增减) equal
the difference to the previous report. The sample corpus was written to be consistent, so there a
mismatch is an error; the real 2020 report is not (324 名 vs 32+69+54+168 = 323 人次, 35/113 is
31.0% but it writes 30.9%), so there mismatches are printed as notes about the document.

``--uncovered`` also lists every Arabic number in each document that no quote covers, with its
context, so a reviewer can see what the annotation left out on purpose (years, dates, heading and
table numbers, 4+0, QS 前 100 …).
"""

from __future__ import annotations

import csv
import os
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from assistant.ingest import load_document

HEADER = ["year", "metric", "value", "unit", "scope", "source", "quote", "key"]
MAX_QUOTE = 40
SETS = {
    "sample_facts.csv": ROOT / "knowledge",
    "real_facts.csv": Path(os.environ.get("REAL_CORPUS", "/work/shared/corpus")),
}
VALUE = re.compile(r"^[+-]?\d+(?:\.\d+)?$|^\d+(?:\.\d+)?[-–]\d+(?:\.\d+)?$")
DIGITS = "零一二三四五六七八九"

errors: list[str] = []
notes: list[str] = []
VALUES: dict[str, dict[str, dict[str, str]]] = {}
_texts: dict[Path, str] = {}


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def text_of(path: Path) -> str:
    if path not in _texts:
        _texts[path] = "\n".join(b.text for b in load_document(path).blocks)
    return _texts[path]


def chinese(n: int) -> list[str]:
    """Chinese-numeral spellings of 1..99 (2 also as 两)."""
    if not 0 < n < 100:
        return []
    tens, ones = divmod(n, 10)
    word = ("" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")) + (DIGITS[ones] if ones else "")
    return [word, "两"] if n == 2 else [word]


def value_in_quote(value: str, quote: str) -> bool:
    q = squash(quote)
    if squash(value) in q:
        return True
    return value.isdigit() and any(w in q for w in chinese(int(value)))


def document(base: Path, source: str) -> Path:
    """``reports/<name>`` under the set's base; the real corpus keeps its files flat."""
    path = base / source
    if not path.is_file() and source.startswith("reports/"):
        path = base / source.split("/", 1)[1]
    return path


def check(name: str, base: Path) -> tuple[int, Counter, dict[Path, list[str]]]:
    """Row checks of one file; also fills ``VALUES[name][year][key]`` for the arithmetic."""
    with open(HERE / name, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    if header != HEADER:
        errors.append(f"{name}: header {header} is not {HEADER}")
        return 0, Counter(), {}
    keys: set[tuple[str, str]] = set()
    values: dict[tuple[str, str, str], str] = {}
    per_year: Counter = Counter()
    quotes: dict[Path, list[str]] = {}
    for n, cells in enumerate(rows, 2):
        tag = f"{name}:{n}"
        if len(cells) != len(HEADER):
            errors.append(f"{tag}: {len(cells)} columns, expected {len(HEADER)}")
            continue
        row = dict(zip(HEADER, cells))
        year, value, unit, source, quote, key = (row[k] for k in ("year", "value", "unit", "source", "quote", "key"))
        if not all(row[k] for k in ("year", "metric", "value", "source", "quote", "key")):
            errors.append(f"{tag}: empty field in {cells}")
            continue
        if not year.isdigit():
            errors.append(f"{tag}: year {year!r} is not a year")
            continue
        per_year[year] += 1
        VALUES.setdefault(name, {}).setdefault(year, {})[key] = value
        if (year, key) in keys:
            errors.append(f"{tag}: duplicate key {key} for {year}")
        keys.add((year, key))
        concept = (year, row["metric"], row["scope"])
        if values.setdefault(concept, value) != value:
            errors.append(f"{tag}: {concept} has two values {values[concept]} and {value}")
        if not VALUE.match(value):
            errors.append(f"{tag}: value {value!r} is not a number or a range")
        if not unit and "比" not in row["metric"]:
            errors.append(f"{tag}: empty unit for {row['metric']}")
        path = document(base, source)
        if not source.startswith("reports/") or not path.is_file():
            errors.append(f"{tag}: no document {source} under {base}")
            continue
        if not path.name.startswith(year):
            errors.append(f"{tag}: source {source} is not the {year} report")
        if len(quote) > MAX_QUOTE:
            errors.append(f"{tag}: quote longer than {MAX_QUOTE} chars ({len(quote)}): {quote}")
        if "\n" in quote or "\r" in quote:
            errors.append(f"{tag}: quote spans a line break: {quote!r}")
        text = text_of(path)
        count = text.count(quote)
        if count == 0:
            errors.append(f"{tag}: quote not in loaded {source}: {quote}")
        elif count > 1:
            errors.append(f"{tag}: quote occurs {count} times in {source}: {quote}")
        if path.suffix in (".md", ".txt") and quote not in path.read_text(encoding="utf-8"):
            errors.append(f"{tag}: quote not in raw {source} (spans a wrapped line?): {quote}")
        if not value_in_quote(value, quote):
            errors.append(f"{tag}: value {value} not in quote {quote}")
        quotes.setdefault(path, []).append(quote)
    return len(rows), per_year, quotes


def uncovered(path: Path, quotes: list[str]) -> list[str]:
    """Arabic numbers of the document outside every quote's span, with 12 characters of context."""
    text = text_of(path)
    covered = [False] * len(text)
    for q in quotes:
        start = text.find(q)
        while start >= 0:
            covered[start:start + len(q)] = [True] * len(q)
            start = text.find(q, start + 1)
    out = []
    for m in re.finditer(r"\d+(?:\.\d+)?", text):
        if not any(covered[m.start():m.end()]):
            context = text[max(0, m.start() - 12):m.end() + 12].replace("\n", "⏎")
            out.append(f"{m.group()}\t{context}")
    return out


# (total, parts, years or None for every year where all keys are present)
SUMS = [
    ("students.total", ["students.ee", "students.cs"], {"2021", "2022"}),
    ("students.total", ["students.undergrad", "students.master"], None),
    ("students.undergrad", ["students.ee", "students.cs", "students.ai"], None),
    ("enroll.total", ["enroll.ee", "enroll.cs"], {"2021", "2022"}),
    ("enroll.total", ["enroll.ee", "enroll.cs", "enroll.ai"], {"2023"}),
    ("further.count", ["further.abroad.count", "further.domestic.count"], None),
    ("awards.total", ["awards.intl", "awards.nat", "awards.prov", "awards.school"], None),
    ("awards.students", ["awards.intl", "awards.nat", "awards.prov", "awards.school"], None),
    ("awards.change.row", ["awards.intl.change", "awards.nat.change", "awards.prov.change",
                           "awards.school.change"], None),
    ("expense.total", ["expense.teaching", "expense.staff", "expense.students", "expense.facilities"], None),
    ("teachers", ["age.u35.count", "age.36_45.count", "age.46plus.count"], None),
    ("teachers.all", ["teachers", "teachers.thesis", "teachers.academic"], None),
]
# (share, count, base, factor): share = count / base * factor, rounded to the share's decimals
SHARES = [
    ("further.rate", "further.count", "grads", 100),
    ("further.abroad.rate", "further.abroad.count", "grads", 100),
    ("further.domestic.rate", "further.domestic.count", "grads", 100),
    ("further.qs100.share", "further.qs100.count", "further.abroad.count", 100),
    ("teachers.foreign.share", "teachers.foreign", "teachers", 100),
    ("phd.share", "phd.count", "teachers", 100),
    ("senior.share", "senior.count", "teachers", 100),
    ("age.u35.share", "age.u35.count", "teachers", 100),
    ("age.36_45.share", "age.36_45.count", "teachers", 100),
    ("age.46plus.share", "age.46plus.count", "teachers", 100),
    ("courses.foreign.share", "courses.foreign", "courses", 100),
    ("core.foreign.share", "core.foreign", "core", 100),
    ("thesis.pass.rate", "thesis.pass.count", "grads", 100),
    ("feedback.rate", "feedback.done", "feedback.count", 100),
    ("survey.rate", "survey.satisfied", "survey.n", 100),
    ("expense.teaching.share", "expense.teaching", "expense.total", 100),
    ("expense.staff.share", "expense.staff", "expense.total", 100),
    ("expense.students.share", "expense.students", "expense.total", 100),
    ("expense.facilities.share", "expense.facilities", "expense.total", 100),
    ("ratio", "students.total", "teachers", 1),
]
# cumulative[y] = cumulative[y-1] + yearly[y]
CUMULATIVE = [("grads.cum", "grads"), ("edupapers.cum", "edupapers.year"), ("exchange.cum", "exchange.year")]
# change[y] = level[y] - level[y-1]   (and a stated previous level equals last year's level)
CHANGES = [
    ("party.members.change", "party.members"), ("awards.change", "awards.total"),
    ("awards.intl.change", "awards.intl"), ("awards.nat.change", "awards.nat"),
    ("awards.prov.change", "awards.prov"), ("awards.school.change", "awards.school"),
    ("enroll.score.change", "enroll.score"), ("placement.rate.change", "placement.rate"),
]
PREVIOUS = [("party.branches.prev", "party.branches")]


def number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def arithmetic(by_year: dict[str, dict[str, str]]) -> list[str]:
    """Mismatches between rows (see the module docstring), as messages."""
    out = []
    for year, v in sorted(by_year.items()):
        n = {k: number(x) for k, x in v.items()}
        for total, parts, years in SUMS:
            if (years is None or year in years) and total in n and all(p in n for p in parts):
                got = sum(n[p] for p in parts)
                if abs(got - n[total]) > 1e-6:
                    out.append(f"{year}: {total} {v[total]} != {' + '.join(parts)} = {got:g}")
        for share, count, base, factor in SHARES:
            if share in n and count in n and base in n and n[base]:
                decimals = len(v[share].split(".")[1]) if "." in v[share] else 0
                expected = round(n[count] / n[base] * factor + 1e-9, decimals)
                if abs(expected - n[share]) > 10 ** -decimals / 2:
                    out.append(f"{year}: {share} {v[share]} but {count} {v[count]} / {base} {v[base]}"
                               f" gives {expected:.{decimals}f}")
        prev = by_year.get(str(int(year) - 1))
        if not prev:
            continue
        p = {k: number(x) for k, x in prev.items()}
        for cum, yearly in CUMULATIVE:
            if cum in n and cum in p and yearly in n and abs(p[cum] + n[yearly] - n[cum]) > 1e-6:
                out.append(f"{year}: {cum} {v[cum]} != last year's {prev[cum]} + {yearly} {v[yearly]}")
        for change, level in CHANGES:
            if change in n and level in n and level in p and abs(n[level] - p[level] - n[change]) > 1e-6:
                out.append(f"{year}: {change} {v[change]} != {level} {v[level]} - last year's {prev[level]}")
        for stated, level in PREVIOUS:
            if stated in n and level in p and n[stated] != p[level]:
                out.append(f"{year}: {stated} {v[stated]} != last year's {level} {prev[level]}")
    return out


def main(argv: list[str]) -> int:
    report = []
    all_quotes: dict[Path, list[str]] = {}
    for name, base in SETS.items():
        n, per_year, quotes = check(name, base)
        all_quotes.update(quotes)
        report.append(f"{name}: {n} rows (" + ", ".join(f"{y}: {c}" for y, c in sorted(per_year.items())) + ")")
        mismatches = arithmetic(VALUES.get(name, {}))
        if name == "real_facts.csv":
            notes.extend(f"{name}: the document's own arithmetic: {m}" for m in mismatches)
        else:
            errors.extend(f"{name}: arithmetic: {m}" for m in mismatches)
    if "--uncovered" in argv:
        for path, quotes in all_quotes.items():
            rest = uncovered(path, quotes)
            print(f"== {path.name}: {len(rest)} numbers outside every quote")
            for line in rest:
                print("  ", line)
    for line in report:
        print(line)
    for note in notes:
        print("note:", note)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
