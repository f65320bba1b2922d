"""Arithmetic check of the held-out corpus: parts add up to totals, shares are count ÷ base.

Usage: .venv/bin/python bench/unseen/check_figures.py   (exit status 1 on any inconsistency)

Why: the benchmark scores answers against these figures, so one wrong total in the data would
mark a correct answer wrong. Two independent sources are checked:

* ``facts.csv`` (by its ``key`` column): each year's totals, shares (rounded as the report rounds:
  percentages of graduates to 2 decimals, of teachers and courses to 1, ‰ to 1, 生师比 to 2),
  cumulative counts (this year's = last year's + this year's), stated differences (个百分点,
  比上年增加) and year-on-year changes (within ±25% unless listed with the reason the report gives);
* every table of every report that has a 合计 row: the numeric column(s) of the rows above it (back to
  the previous 合计 row) add up to it.
"""

from __future__ import annotations

import csv
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from assistant.ingest import load_document  # noqa: E402

KNOWLEDGE = HERE / "knowledge"
YEARS = (2019, 2020, 2021)
# year-on-year changes over 25% that the reports explain (metric key -> reason given in the text)
EXPLAINED_JUMPS = {
    "enroll.master": "硕士项目 2020 年首次招生",
    "income.school": "2021 年新专业建设专项",
    "expense.labs": "2020 年新增智能产线联合实验室，2021 年储能与光伏实验平台",
    "students.abroad.year": "疫情：2020 年仅 43 人出境，2021 年恢复",
    "teacher.abroad.year": "疫情：2020 年仅 4 人赴德",
    "awards.intl": "2020 年国际赛事取消或改为线上",
    "expense.other": "2020 年防疫和线上教学平台支出",
    "expense.students": "2020 年学生交流受疫情影响",
    "patents": "小基数（15 → 21 → 26 项）",
    "patents.invention": "小基数（6 → 9 → 11 项）",
    "zhibo.count": "小基数（6 → 9 → 11 人）",
    "committee.meetings": "2020 年以视频方式加开 1 次",
    "dropout.count": "小基数（5 → 6 → 5 人）",
    "dropout.rate": "小基数（5 → 6 → 5 人）",
    "zhibo.rate": "小基数",
    "hotline": "只有 2020 年",
    "consult": "2020 年转入线上服务",
    "further.domestic.count": "2020 年国外高校推迟入学，国内深造率提高 7.36 个百分点",
    "further.domestic.rate": "同上",
    "papers.sci": "小基数（14 → 18 → 22 篇）",
    "party.branches": "2020 年按年级拆分，2021 年新设研究生党支部",
    "students.master": "2021 年硕士项目第二届入学",
    "supervisors": "2021 年硕士项目第二届入学",
}

errors: list[str] = []
checks = 0


def load_facts() -> dict[int, dict[str, str]]:
    facts: dict[int, dict[str, str]] = {y: {} for y in YEARS}
    with open(HERE / "facts.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            facts[int(row["year"])][row["key"]] = row["value"]
    return facts


def num(facts: dict[int, dict[str, str]], year: int, key: str) -> Decimal:
    try:
        return Decimal(facts[year][key])
    except KeyError:
        errors.append(f"{year}: facts.csv has no key {key}")
        return Decimal(0)


def rounded(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def expect(cond: bool, message: str) -> None:
    global checks
    checks += 1
    if not cond:
        errors.append(message)


def check_year(facts: dict[int, dict[str, str]], y: int) -> None:
    def v(key: str) -> Decimal:
        return num(facts, y, key)

    def total(key: str, parts: list[str]) -> None:
        expect(v(key) == sum(v(p) for p in parts), f"{y}: {key} {v(key)} != {' + '.join(parts)} "
                                                   f"({sum(v(p) for p in parts)})")

    def share(key: str, count: str, base: str, places: int, per: int = 100) -> None:
        want = rounded(v(count) / v(base) * per, places)
        expect(v(key) == want, f"{y}: {key} {v(key)} != {count}/{base} = {want}")

    programmes = ["enroll.mech", "enroll.auto"] + (["enroll.energy"] if y == 2021 else [])
    total("enroll.total", programmes)
    ug = ["students.mech", "students.auto"] + (["students.energy"] if y == 2021 else [])
    if y == 2019:
        total("students.total", ug)
    else:
        total("students.ug", ug)
        total("students.total", ["students.ug", "students.master"])
    if y == 2021:
        total("students.master", ["students.master.first", "students.master.second"])
        total("students.master.first", ["master.practice.de", "master.practice.cn"])
        expect(v("enroll.change") == v("enroll.total") - num(facts, 2020, "enroll.total"), f"{y}: enroll.change")
        expect(v("students.master.first") <= num(facts, 2020, "enroll.master"), f"{y}: first master cohort grew")
        expect(v("students.master.second") == v("enroll.master"), f"{y}: second master cohort != enrolment")
        expect(v("income.school.prev") == num(facts, 2020, "income.school"), f"{y}: 上年学校拨款")
        expect(v("income.total.table") == v("income.total"), f"{y}: income table total")
        expect(v("expense.total.table") == v("expense.total"), f"{y}: expense table total")
        for lvl in ("intl", "nat", "prov", "school"):
            share(f"awards.{lvl}.share", f"awards.{lvl}", "awards.total", 1)
        expect(v("unplaced") == v("grads") - v("placement.count"), f"{y}: unplaced")
        expect(v("unplaced.later") <= v("unplaced"), f"{y}: unplaced.later")
    if y == 2019:
        expect(v("unplaced") == v("grads") - v("placement.count"), f"{y}: unplaced")
    share("placement.rate", "placement.count", "grads", 2)
    total("placement.count", ["further.count", "employed"])
    total("further.count", ["further.abroad.count", "further.domestic.count"])
    share("further.rate", "further.count", "grads", 2)
    share("further.abroad.rate", "further.abroad.count", "grads", 2)
    share("further.domestic.rate", "further.domestic.count", "grads", 2)
    expect(v("further.rate") == v("further.abroad.rate") + v("further.domestic.rate"),
           f"{y}: 深造率 {v('further.rate')} != 海外 + 国内 rates")
    share("zhibo.rate", "zhibo.count", "grads", 1)
    share("dropout.rate", "dropout.count", "students.total", 1, per=1000)
    total("awards.total", ["awards.intl", "awards.nat", "awards.prov", "awards.school"])
    expect(v("papers.sci") <= v("papers"), f"{y}: SCI/EI subset larger than papers")
    expect(v("patents.invention") <= v("patents"), f"{y}: invention patents > patents")
    expect(v("warnings.lifted") <= v("warnings"), f"{y}: lifted warnings > warnings")
    total("teachers", ["teachers.cn", "teachers.de"])
    total("teachers.all", ["teachers", "teachers.thesis", "teachers.advisor"])
    if y != 2019:
        share("teachers.de.share", "teachers.de", "teachers", 1)
        expect(v("supervisors.de") <= v("supervisors"), f"{y}: supervisors")
    if y == 2021:
        share("teachers.cn.share", "teachers.cn", "teachers", 1)
    if y == 2020:
        total("new.teachers", ["new.teachers.cn", "new.teachers.de"])
        expect(v("teachers.de") - num(facts, 2019, "teachers.de") <= v("new.teachers.de"), f"{y}: 德方 growth")
        total("courses", ["online.courses", "lab.courses.makeup"])
        def last(key: str) -> Decimal:
            return num(facts, 2019, key)

        expect(v("placement.change") == v("placement.rate") - last("placement.rate"), f"{y}: 落实率变化")
        expect(v("further.abroad.change") == last("further.abroad.rate") - v("further.abroad.rate"),
               f"{y}: 出国深造比例变化")
        expect(v("further.domestic.change") == v("further.domestic.rate") - last("further.domestic.rate"),
               f"{y}: 国内深造率变化")
    ratio = rounded(v("students.total") / v("teachers"), 2)
    expect(v("ratio") == ratio, f"{y}: 生师比 {v('ratio')} != students.total/teachers = {ratio}")
    total("teachers", ["age.u35.count", "age.36_45.count", "age.46.count"])
    for band in ("u35", "36_45", "46"):
        share(f"age.{band}.share", f"age.{band}.count", "teachers", 1)
    share("phd.share", "phd.count", "teachers", 1)
    share("senior.share", "senior.count", "teachers", 1)
    share("courses.de.share", "courses.de", "courses", 1)
    share("core.de.share", "core.de", "core", 1)
    # the regulation's floors (第二十一条, 第三十二条) hold every year
    expect(v("courses.de.share") * 3 >= 100, f"{y}: 外方课程 below 1/3")
    expect(v("core.de") * 3 >= v("core"), f"{y}: 外方核心课程 below 1/3")
    expect(v("ratio") <= 18, f"{y}: 生师比 above 18")
    total("income.total", ["income.tuition", "income.school", "income.partner", "income.other"])
    total("expense.total", ["expense.teaching", "expense.foreign", "expense.students", "expense.labs",
                            "expense.admin", "expense.other"])


def check_cumulative(facts: dict[int, dict[str, str]]) -> None:
    for prev, y in zip(YEARS, YEARS[1:]):
        for cum, step in (("grads.cum", "grads"), ("students.abroad.cum", "students.abroad.year"),
                          ("teacher.abroad.cum", "teacher.abroad.year")):
            got, want = num(facts, y, cum), num(facts, prev, cum) + num(facts, y, step)
            expect(got == want, f"{y}: {cum} {got} != {prev} {cum} + {y} {step} = {want}")
        for cum in ("edupapers.cum", "internship.cum"):
            expect(num(facts, y, cum) > num(facts, prev, cum), f"{y}: {cum} did not grow")
    expect(num(facts, 2019, "grads.cum") - num(facts, 2019, "grads") == 172, "2019: 首届 (2018) 毕业生 172")


def check_changes(facts: dict[int, dict[str, str]]) -> None:
    for prev, y in zip(YEARS, YEARS[1:]):
        for key in sorted(set(facts[prev]) & set(facts[y])):
            try:
                a, b = Decimal(facts[prev][key]), Decimal(facts[y][key])
            except ArithmeticError:
                continue
            if a == 0 or key.endswith(".cum") or key in EXPLAINED_JUMPS:
                continue
            change = (b - a) / a
            expect(abs(change) <= Decimal("0.25"), f"{prev}->{y}: {key} {a} -> {b} ({change:+.0%}) "
                                                   "over ±25% without a stated reason")


def _cell_number(cell: str) -> Decimal | None:
    match = re.search(r"\d+(?:\.\d+)?", cell)
    if match is None:
        return None
    value = Decimal(match.group(0))
    return -value if "减少" in cell else value


def tables(path: Path) -> list[list[list[str]]]:
    """Pipe tables of a report: from the raw file for .md/.txt (the .txt loader runs rows together),
    from the loader's table blocks for .docx."""
    if path.suffix == ".docx":
        lines = [ln for b in load_document(path).blocks if b.kind == "table" for ln in [*b.text.split("\n"), ""]]
    else:
        lines = path.read_text(encoding="utf-8").splitlines()
    found, current = [], []
    for line in [*lines, ""]:
        s = line.strip()
        if s.startswith("|") and s.endswith("|"):
            cells = [c.strip() for c in s.strip("|").split("|")]
            if not all(c and set(c) <= set("-: ") for c in cells):
                current.append(cells)
        elif current:
            found.append(current)
            current = []
    return found


def check_tables() -> None:
    for path in sorted((KNOWLEDGE / "reports").iterdir()):
        for table in tables(path):
            parts: list[list[str]] = []  # rows since the top or the previous 合计 row
            for row in table[1:]:
                if "合计" not in row[0]:
                    parts.append(row)
                    continue
                for col in range(1, len(table[0])):
                    want = _cell_number(row[col]) if col < len(row) else None
                    values = [_cell_number(r[col]) for r in parts if col < len(r)]
                    if want is None or not values or any(x is None for x in values):
                        continue
                    got = sum(values)
                    if "%" in row[col]:
                        expect(abs(got - want) <= Decimal("0.2"), f"{path.name}: {table[0][col]} shares sum {got}")
                    else:
                        expect(got == want, f"{path.name}: table '{table[0][0]}' column {table[0][col]}: "
                                            f"rows sum {got} != 合计 {want}")
                parts = []


def main() -> int:
    facts = load_facts()
    for y in YEARS:
        check_year(facts, y)
    check_cumulative(facts)
    check_changes(facts)
    check_tables()
    for e in errors:
        print("ERROR:", e)
    print(f"{checks} checks, " + ("OK" if not errors else f"{len(errors)} error(s)"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
