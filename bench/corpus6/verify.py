#!/usr/bin/env python3
"""Checks for corpus6 (沅州医科大学卡罗莫尔健康学院, fictional).

Run:  /work/main/.venv/bin/python verify.py
Reads the four files in knowledge/reports/ (2022 .md as text, 2023 .docx with python-docx,
2024 .pdf with pdfplumber, 2024 .xlsx with openpyxl) and checks the declared figures
(src/manifest_<year>.json), tables, identities, cumulative series, stated comparisons,
year-over-year changes, structure, retrieval.jsonl and originality.
Prints OK/FAIL lines and "SUMMARY: n OK, m FAIL"; exit status 1 on any FAIL.
"""
import json
import re
import sys
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

import openpyxl
import pdfplumber
from docx import Document

ROOT = Path(__file__).resolve().parent
KNOW = ROOT / "knowledge"
FILES = {2022: "reports/2022年度自评报告.md",
         2023: "reports/2023年度自评报告.docx",
         2024: "reports/2024年度自评报告.pdf"}
XLSX = "reports/2024年度数据附表.xlsx"
YEARS = (2022, 2023, 2024)
REFERENCE = Path("/work/shared/corpus/2020_self_assessment_report.txt")
PASSED, FAILED = [], []
RAW = {2022: [], 2023: []}     # md lines/cells and docx paragraphs/cells, whitespace kept


def check(name, cond, info=""):
    (PASSED if cond else FAILED).append(name)
    print(("OK   " if cond else "FAIL ") + name + ("" if cond else "  -- " + str(info)))
    return cond


def ns(s):
    return re.sub(r"\s+", "", s)


def r1(x, q="0.1"):
    return float(Decimal(str(x)).quantize(Decimal(q), ROUND_HALF_UP))


def num(s):
    return float(s.replace(",", ""))


# ---------------------------------------------------------------------------
# Loading.  UNITS[y]: the text units a snippet/evidence must lie in (whitespace
# removed): md lines and md table rows (cells joined), docx paragraphs, cells and
# rows (cells joined), PDF page texts.  TABLES[y]: tables read from the file
# (md, docx); for the PDF the declared rows are checked against the page text.
# ---------------------------------------------------------------------------
def load_md(path):
    text = path.read_text(encoding="utf-8")
    units, tables, cur, lines = [], [], None, text.split("\n")
    for line in lines:
        s = line.strip()
        if s.startswith("|"):
            if re.fullmatch(r"\|[\s\-|:]+\|", s):
                continue
            cells = [c.strip() for c in s.strip("|").split("|")]
            if cur is None:
                cur = []
                tables.append(cur)
            cur.append(cells)
            units += [ns(s), ns("".join(cells))] + [ns(c) for c in cells]
            RAW[2022] += [s] + cells
            continue
        cur = None
        if s:
            units.append(ns(s))
            RAW[2022].append(s)
    return text, units, tables


def load_docx(path):
    doc = Document(str(path))
    units, tables, paras = [], [], []
    for p in doc.paragraphs:
        if p.text.strip():
            units.append(ns(p.text))
            RAW[2023].append(p.text)
            paras.append(p)
    for t in doc.tables:
        rows = []
        for r in t.rows:
            seen, row = set(), []
            for c in r.cells:
                if id(c._tc) in seen:
                    continue
                seen.add(id(c._tc))
                row.append(c.text)
                units.append(ns(c.text))
                RAW[2023].append(c.text)
            rows.append(row)
            units.append(ns("".join(row)))
        tables.append(rows)
    text = "\n".join(p.text for p in doc.paragraphs) + "\n" + "\n".join(
        "\n".join("".join(r) for r in t) for t in tables)
    return text, units, tables, doc, paras


def load_pdf(path):
    with pdfplumber.open(str(path)) as pdf:
        raw = [p.extract_text() or "" for p in pdf.pages]
        info = []
        for p in pdf.pages:
            info.append(dict(lines=len(p.lines), vlines=sum(1 for l in p.lines if abs(l["x0"] - l["x1"]) < 1),
                             rects=len(p.rects),
                             small=[c for c in p.chars if c["size"] < 9],
                             height=p.height, fonts={c["fontname"] for c in p.chars}))
    return raw, [ns(t) for t in raw], info


MAN = {y: json.loads((ROOT / "src" / f"manifest_{y}.json").read_text("utf-8")) for y in YEARS}
md_text, md_units, md_tables = load_md(KNOW / FILES[2022])
dx_text, dx_units, dx_tables, dx_doc, dx_paras = load_docx(KNOW / FILES[2023])
pdf_raw, pdf_pages, pdf_info = load_pdf(KNOW / FILES[2024])
UNITS = {2022: md_units, 2023: dx_units, 2024: pdf_pages}
TEXT = {2022: md_text, 2023: dx_text, 2024: "\n".join(pdf_raw)}
FTABLES = {2022: md_tables, 2023: dx_tables}


def in_unit(y, s):
    s = ns(s)
    return any(s in u for u in UNITS[y])


# ---------------------------------------------------------------------------
# 1. Declared figures
# ---------------------------------------------------------------------------
F = {}          # F[y][metric] = value
for y in YEARS:
    F[y] = {}
    figs = MAN[y]["figures"]
    bad_snip, bad_val = [], []
    for f in figs:
        if not in_unit(y, f["snippet"]):
            bad_snip.append(f["snippet"])
        w, u = re.escape(f["written"]), re.escape(f["unit"])
        if f["kind"] == "table":          # the unit is in the column header
            u = ""
        if not re.search(w + (r"\s?" + u if u else ""), f["snippet"]):
            bad_val.append((f["metric"], f["written"], f["unit"], f["snippet"]))
        wv = f["written"]
        if re.fullmatch(r"[\d,]+(\.\d+)?", wv) and abs(num(wv) - f["value"]) > 1e-9:
            bad_val.append((f["metric"], "value mismatch"))
        if f["metric"] in F[y] and F[y][f["metric"]] != f["value"]:
            bad_val.append((f["metric"], "declared twice with different values"))
        F[y][f["metric"]] = f["value"]
    check(f"{y} figures: {len(figs)} declared snippets lie in one unit of the report", not bad_snip, bad_snip[:5])
    check(f"{y} figures: value+unit lie in the snippet", not bad_val, bad_val[:5])
total_figs = sum(len(MAN[y]["figures"]) for y in YEARS)
check(f"figures: {total_figs} declared in all (>= 350)", total_figs >= 350)
check("figures: >= 300 prose figures", sum(1 for y in YEARS for f in MAN[y]["figures"] if f["kind"] == "prose") >= 300)

# ---------------------------------------------------------------------------
# 2. Tables: presence, 合计, 占比
# ---------------------------------------------------------------------------
T = {}          # T[y][id] = rows (strings) as read from the file
for y in YEARS:
    T[y] = {}
    decl = MAN[y]["tables"]
    if y in FTABLES:
        ft = FTABLES[y]
        check(f"{y} tables: {len(ft)} tables in the file = {len(decl)} declared", len(ft) == len(decl))
        for t, rows in zip(decl, ft):
            nh = len(t["head"])
            if t.get("merge"):            # merged header cells are read once per row
                want, got = t["rows"], rows[nh:]
                hdr = [[c for c in t["head"][0] if c]] + [[r[0] or t["head"][0][0]] + [c for c in r[1:] if c] for r in t["head"][1:]]
                check(f"{y} table {t['id']}: merged header rows read as declared", rows[:nh] == hdr, (rows[:nh], hdr))
            else:
                want, got = t["head"] + t["rows"], rows
            check(f"{y} table {t['id']}: file rows equal the declared rows", got == want, (got[:2], want[:2]))
            T[y][t["id"]] = rows[len(t["head"]):]
    else:
        for t in decl:
            miss = [r for r in t["head"][:1] + t["rows"] if not in_unit(y, "".join(r))]
            check(f"{y} table {t['id']}: every row is in the PDF page text", not miss, miss[:3])
            T[y][t["id"]] = t["rows"]
    for t in decl:
        rows = T[y][t["id"]]
        body = [r for r in rows if not r[0].endswith("合计")]
        tot = [r for r in rows if r[0].endswith("合计")]
        for c in t.get("sum_cols", []):
            s = sum(num(r[c]) for r in body)
            check(f"{y} table {t['id']} col {c}: parts sum to 合计", tot and abs(s - num(tot[0][c])) < 1e-6,
                  (s, tot[0][c] if tot else None))
        shares = t.get("share")
        if shares:
            shares = [shares] if isinstance(shares[0], int) else shares
            for sc, ac in shares:
                total = num(tot[0][ac])
                wrong = [(r[0] or r[1], r[sc]) for r in body if r1(num(r[ac]) * 100 / total) != num(r[sc])]
                check(f"{y} table {t['id']} 占比 col {sc} = amount/合计", not wrong, wrong)
                ssum = sum(num(r[sc]) for r in body)
                check(f"{y} table {t['id']} 占比 col {sc} sums to 100.0", abs(ssum - 100) <= 0.1001 and num(tot[0][sc]) == 100.0, ssum)
        if t.get("rowsum"):
            c, parts = t["rowsum"]
            wrong = [r[0] for r in rows if abs(num(r[c]) - sum(num(r[p]) for p in parts)) > 1e-6]
            check(f"{y} table {t['id']}: 中方 + 外方 = 合计 in every row", not wrong, wrong)


def cell(y, tid, label, col):
    for r in T[y][tid]:
        if label in (r[0], r[1] if len(r) > 1 else None):
            return num(r[col]) if re.fullmatch(r"[\d,.]+", r[col]) else r[col]
    raise KeyError((y, tid, label))


# ---------------------------------------------------------------------------
# 3. Identities within each year
# ---------------------------------------------------------------------------
def eq(name, a, b, tol=1e-6):
    check(name, abs(a - b) <= tol, (a, b))


def share(name, pct, part, base, scale=100):
    check(name, r1(part * scale / base) == pct, (pct, part, base, r1(part * scale / base)))


for y in YEARS:
    G = F[y]
    yy = str(y)[2:]
    eq(f"{y} 在校生 = 本科 + 研究生", G["在校生"], G["本科在校生"] + G["研究生在校生"])
    eq(f"{y} 任课教师 = 中方 + 外方", G["任课教师"], G["中方教师"] + G["外方教师"])
    share(f"{y} 外方教师占比", G["外方教师占比"], G["外方教师"], G["任课教师"])
    share(f"{y} 博士占比", G["博士占比"], G["博士教师"], G["任课教师"])
    check(f"{y} 生师比 = 在校生/任课教师", r1(G["在校生"] / G["任课教师"]) == G["生师比"], (G["生师比"], G["在校生"] / G["任课教师"]))
    eq(f"{y} 研究生导师 = 中方 + 外方", G["研究生导师"], G["中方导师"] + G["外方导师"])
    eq(f"{y} 深造 = 境外 + 国内", G["深造人数"], G["境外深造"] + G["国内深造"])
    share(f"{y} 深造率 = 深造/本科毕业生", G["深造率"], G["深造人数"], G["本科毕业生"])
    share(f"{y} 本科毕业去向落实率", G["本科落实率"], G["本科落实人数"], G["本科毕业生"])
    dest = f"t{yy}_dest"
    eq(f"{y} 落实 = 就业 + 深造 (去向表)", G["本科落实人数"], cell(y, dest, "就业", 1) + G["深造人数"])
    eq(f"{y} 去向表 合计 = 本科毕业生", cell(y, dest, "合计", 1), G["本科毕业生"])
    eq(f"{y} 去向表 境外/国内 = 正文", cell(y, dest, "境外深造", 1) + cell(y, dest, "国内深造", 1) * 1000,
       G["境外深造"] + G["国内深造"] * 1000)
    eq(f"{y} 未落实 = 毕业 − 落实", cell(y, dest, "未落实", 1), G["本科毕业生"] - G["本科落实人数"])
    share(f"{y} 本科学位授予率", G["本科学位授予率"], G["本科学位"], G["本科毕业生"])
    share(f"{y} 护考通过率", G["护考通过率"], G["护考通过"], G["护考参考"])
    share(f"{y} 学生满意度 = 满意份数/有效问卷", G["学生满意度"], G["学生满意份数"], G["学生有效问卷"])
    share(f"{y} 用人单位满意度 = 满意家数/回访家数", G["用人单位满意度"], G["满意单位"], G["回访单位"])
    share(f"{y} 雅思达标率", G["雅思达标率"], G["雅思达标"], G["雅思参考"])
    eq(f"{y} 大创立项 = 国家级 + 省级 + 校级", G["大创立项"], G["大创国家级"] + G["大创省级"] + G["大创校级"])
    share(f"{y} 省内就业占比 (base 就业人数)", G["省内就业占比"], G["省内就业"], cell(y, dest, "就业", 1))
    inc, exp = f"t{yy}_income", f"t{yy}_exp"
    eq(f"{y} 收入表合计 = 总收入", cell(y, inc, "合计", 1), G["总收入"])
    eq(f"{y} 支出表合计 = 总支出", cell(y, exp, "合计", 1), G["总支出"])
    eq(f"{y} 结余 = 收入 − 支出", G["结余"], G["总收入"] - G["总支出"])
    eq(f"{y} 学费收入 = 本科在校生×学费 + 研究生在校生×学费 (万元)", cell(y, inc, "学费收入", 1),
       round((G["本科在校生"] * G["本科学费"] + G["研究生在校生"] * G["研究生学费"]) / 10000, 1), 0.05)
    eq(f"{y} 理事会 9 人", G["理事会"], 9)
    eq(f"{y} 本科学费 68,000元 unchanged", G["本科学费"], 68000)
    eq(f"{y} 研究生学费 78,000元 unchanged", G["研究生学费"], 78000)
    if "研究生落实人数" in G:
        share(f"{y} 研究生落实率", G["研究生落实率"], G["研究生落实人数"], G["研究生毕业生"])
    if "学费收入占比" in G:
        eq(f"{y} 学费收入占比 (prose) = 收入表", G["学费收入占比"], cell(y, inc, "学费收入", 2))

# 2022-specific
G = F[2022]
eq("2022 理事会 = 中方 + 外方", G["理事会"], G["理事会中方"] + G["理事会外方"])
share("2022 省内生源占比", G["省内生源占比"], G["省内生源"], G["本科招生"])
check("2022 引进课程 = 专业课程的三分之一 (exact)", G["引进课程"] * 3 == G["专业课程"] and abs(G["引进课程占比"] - 1 / 3) < 1e-9)
eq("2022 学生表 招生合计 = 本科招生 + 研究生招生", cell(2022, "t22_students", "合计", 2), G["本科招生"] + G["研究生招生"])
eq("2022 学生表 在校生合计 = 在校生", cell(2022, "t22_students", "合计", 3), G["在校生"])
eq("2022 学生表 研究生 = 研究生在校生", cell(2022, "t22_students", "护理硕士", 3), G["研究生在校生"])
eq("2022 学生表 本科三专业招生 = 本科招生", sum(cell(2022, "t22_students", m, 2) for m in ("护理学", "康复治疗学", "药学")), G["本科招生"])
eq("2022 基地表 带教合计 = 带教教师", cell(2022, "t22_bases", "合计", 3), G["带教教师"])
eq("2022 基地表 接收实习生 = 本科毕业生", cell(2022, "t22_bases", "合计", 2), G["本科毕业生"])
check("2022 基地表 12家 = 实习基地", cell(2022, "t22_bases", "合计", 1) == f"{int(G['实习基地'])}家")
check("2022 基地表 家数 3+1+5+3 = 12", 3 + 1 + 5 + 3 == G["实习基地"] and "其他教学医院（5家）" in md_text and "社区卫生服务中心等（3家）" in md_text)
eq("2022 学生党员 = 本科 + 研究生", G["学生党员"], G["本科党员"] + G["研究生党员"])
share("2022 整改率", G["整改率"], G["已整改意见"], G["收集意见"])
share("2022 研究生学位授予率 100%", G["研究生学位授予率"], G["研究生毕业生"], G["研究生毕业生"])
check("2022 人均志愿时长约10小时", abs(G["志愿服务时长"] / G["志愿服务人次"] - 10) < 0.5)
check("2022 附属医院留用 ≤ 三级医院 ≤ 就业", G["附属医院留用"] <= G["三级医院就业"] <= cell(2022, "t22_dest", "就业", 1))
check("2022 卡大录取 ≤ 境外深造", G["卡大录取"] <= G["境外深造"])
eq("2022 研究生去向 8 + 2 = 10", G["研究生三级医院"] + G["研究生读博"], G["研究生毕业生"])
eq("2022 累计毕业生 = 本科 + 研究生", G["累计毕业生"], G["本科毕业生"] + G["研究生毕业生"])

# 2023-specific
G = F[2023]
eq("2023 本科三专业招生 = 本科招生", G["护理招生"] + G["康复招生"] + G["药学招生"], G["本科招生"])
eq("2023 竞赛获奖 = 国家级 + 省级 + 校级", G["竞赛获奖"], G["国家级获奖"] + G["省级获奖"] + G["校级获奖"])
eq("2023 年龄表合计 = 任课教师", cell(2023, "t23_age", "合计", 1), G["任课教师"])
eq("2023 专业表 2023 本科合计 = 本科在校生", cell(2023, "t23_major", "本科合计", 3), G["本科在校生"])
for m in ("护理学", "康复治疗学", "药学"):
    eq(f"2023 专业表 2022列 {m} = 2022 学生表", cell(2023, "t23_major", m, 1), cell(2022, "t22_students", m, 3))
eq("2023 专业表 2022 本科合计 = 2022 本科在校生", cell(2023, "t23_major", "本科合计", 1), F[2022]["本科在校生"])
trend = {"本科招生（人）": "本科招生", "研究生招生（人）": "研究生招生", "本科在校生（人）": "本科在校生",
         "研究生在校生（人）": "研究生在校生", "任课教师（人）": "任课教师", "临床实习基地（家）": "实习基地"}
for lab, key in trend.items():
    eq(f"2023 三年指标表 {lab} 2022列 = 2022 报告", cell(2023, "t23_trend", lab, 2), F[2022][key])
    eq(f"2023 三年指标表 {lab} 2023列 = 2023 报告", cell(2023, "t23_trend", lab, 3), F[2023][key])
for r in T[2023]["t23_exp"]:
    lab = r[0]
    prev = cell(2022, "t22_exp", lab, 1)
    eq(f"2023 支出表 较上年增减 {lab} = 2023 − 2022", num(r[2]), round(num(r[1]) - prev, 1))
check("2023 行政管理及其他 与上年持平", cell(2023, "t23_exp", "行政管理及其他", 1) == cell(2022, "t22_exp", "行政管理及其他", 1)
      and "行政管理及其他支出610.0万元，与上年持平" in dx_text)
eq("2023 累计毕业生 = 累计本科 + 累计研究生", G["累计毕业生"], G["累计本科毕业"] + G["累计研究生毕业"])
check("2023 外方核心课程 二十六门 = 二十三门 + 三门", "二十六门，比上年增加三门" in dx_text and F[2022]["外方核心课程"] + 3 == 26)

# 2024-specific
G = F[2024]
eq("2024 专业表 录取合计 = 本科招生 + 研究生招生", cell(2024, "t24_major", "合计", 1), G["本科招生"] + G["研究生招生"])
eq("2024 专业表 在校生合计 = 在校生", cell(2024, "t24_major", "合计", 2), G["在校生"])
eq("2024 专业表 护理硕士在校 = 研究生在校生", cell(2024, "t24_major", "护理硕士", 2), G["研究生在校生"])
eq("2024 专业表 本科三专业在校 = 本科在校生", sum(cell(2024, "t24_major", m, 2) for m in ("护理学", "康复治疗学", "药学")), G["本科在校生"])
share("2024 流失率 (‰) = 流失/本科在校生", G["流失率"], G["本科流失"], G["本科在校生"], 1000)
share("2024 OSCE一次通过率", G["OSCE通过率"], G["OSCE通过"], G["OSCE参考"])
eq("2024 职称表 中方合计 = 中方教师", cell(2024, "t24_title", "合计", 1), G["中方教师"])
eq("2024 职称表 外方合计 = 外方教师", cell(2024, "t24_title", "合计", 2), G["外方教师"])
eq("2024 职称表 合计 = 任课教师", cell(2024, "t24_title", "合计", 3), G["任课教师"])
eq("2024 基地表 带教合计 = 带教教师", cell(2024, "t24_bases", "合计", 2), G["带教教师"])
check("2024 基地表 17家 = 实习基地 (17 rows)", cell(2024, "t24_bases", "合计", 1) == f"{int(G['实习基地'])}家"
      and len(T[2024]["t24_bases"]) - 1 == G["实习基地"])
check("2024 附属医院基地 3家 = 基地表附属医院行数", G["附属医院基地"] == 3 == sum(1 for r in T[2024]["t24_bases"][:3] if "附属" in r[1]))
eq("2024 表彰人次 = 国家级 + 省级 + 校级 (含重复)", G["表彰人次"], G["国家级表彰"] + G["省级表彰"] + G["校级表彰"])
check("2024 表彰教师 9人 < 12人次, marked 含重复", G["教学表彰教师"] < G["表彰人次"] and "（含重复）" in TEXT[2024])
check("2024 志愿者(不重复统计) ≤ 志愿服务人次", G["志愿者人数"] <= G["志愿服务人次"] and "不重复统计" in TEXT[2024])
share("2024 研究生学位授予率", G["研究生学位授予率"], G["研究生学位"], G["研究生毕业生"])
check("2024 coincidence: 研究生学位授予率 = 研究生落实率 = 93.3", G["研究生学位授予率"] == G["研究生落实率"] == 93.3)
eq("2024 新增用房 = 8,000 − 6,800", G["新增用房"], G["教学用房"] - F[2022]["教学用房"])
check("2023 教学用房 与上年持平 6,800", "与上年持平，仍为6,800平方米" in dx_text)
check("2024 海外实习 ≤ 派出交换生; 卡大录取 ≤ 境外深造", G["海外实习"] <= G["派出交换生"] and G["卡大录取"] <= G["境外深造"])
eq("2024 累计毕业生 = 累计本科 + 累计研究生", G["累计毕业生"], G["累计本科毕业"] + G["累计研究生毕业"])
check("2024 近七百 (累计毕业生 669)", 650 <= G["累计毕业生"] < 700 and "近七百" in TEXT[2024])
check("2024 外方教师占比 stated with count （30人）", "外方教师占任课教师的34.1%（30人）" in ns(TEXT[2024]))

# ---------------------------------------------------------------------------
# 4. Across years: flows, cumulative series, growth, differences, percentage points
# ---------------------------------------------------------------------------
Y21 = {"本科招生": cell(2023, "t23_trend", "本科招生（人）", 1), "研究生招生": cell(2023, "t23_trend", "研究生招生（人）", 1),
       "本科在校生": cell(2023, "t23_trend", "本科在校生（人）", 1), "研究生在校生": cell(2023, "t23_trend", "研究生在校生（人）", 1)}
P = {2022: Y21, 2023: F[2022], 2024: F[2023]}
for y in YEARS:
    G, Q = F[y], P[y]
    eq(f"{y} 本科在校生 = 上年 + 招生 − 毕业 − 流失", G["本科在校生"], Q["本科在校生"] + G["本科招生"] - G["本科毕业生"] - G["本科流失"])
    eq(f"{y} 研究生在校生 = 上年 + 招生 − 毕业", G["研究生在校生"], Q["研究生在校生"] + G["研究生招生"] - G["研究生毕业生"])
    if "本科招生增长" in G:
        eq(f"{y} 本科招生增长率", G["本科招生增长"], r1((G["本科招生"] / Q["本科招生"] - 1) * 100))
    if "研究生招生增加" in G:
        eq(f"{y} 研究生招生增加人数", G["研究生招生增加"], G["研究生招生"] - Q["研究生招生"])
    if "研究生招生增长" in G:
        eq(f"{y} 研究生招生增长率", G["研究生招生增长"], r1((G["研究生招生"] / Q["研究生招生"] - 1) * 100))
for y in (2023, 2024):
    G, Q = F[y], F[y - 1]
    eq(f"{y} 累计派出 = 上年累计 + 本年派出", G["累计派出"], Q["累计派出"] + G["派出交换生"])
    eq(f"{y} 累计本科毕业 = 上年 + 本年", G["累计本科毕业"], Q.get("累计本科毕业", Q["本科毕业生"]) + G["本科毕业生"])
    eq(f"{y} 累计研究生毕业 = 上年 + 本年", G["累计研究生毕业"], Q.get("累计研究生毕业", Q["研究生毕业生"]) + G["研究生毕业生"])
    eq(f"{y} 累计毕业生 = 上年 + 本年本科 + 本年研究生", G["累计毕业生"], Q["累计毕业生"] + G["本科毕业生"] + G["研究生毕业生"])
    eq(f"{y} 设备总值 = 上年 + 本年设备购置支出", G["设备总值"], round(Q["设备总值"] + cell(y, f"t{str(y)[2:]}_exp", "设备购置", 1), 1))
    eq(f"{y} 理事会 unchanged", G["理事会"], Q["理事会"])
    eq(f"{y} 学费 unchanged", G["本科学费"] + G["研究生学费"], Q["本科学费"] + Q["研究生学费"])
    eq(f"{y} 收入增长率", G["收入增长"], r1((G["总收入"] / Q["总收入"] - 1) * 100))
    eq(f"{y} 派出增长率", G["派出增长"], r1((G["派出交换生"] / Q["派出交换生"] - 1) * 100))
    eq(f"{y} 志愿服务时长增长率", G["志愿增长"], r1((G["志愿服务时长"] / Q["志愿服务时长"] - 1) * 100))
check("2022 累计派出 102 = 2021年前 64 + 38 (stated only as cumulative)", F[2022]["累计派出"] - F[2022]["派出交换生"] == 64)
G, Q = F[2023], F[2022]
eq("2023 媒体报道增长率", G["媒体增长"], r1((G["媒体报道"] / Q["媒体报道"] - 1) * 100))
eq("2023 奖助学金增长率", G["奖助增长"], r1((G["奖助学金"] / Q["奖助学金"] - 1) * 100))
eq("2023 一志愿率 提高 (个百分点)", G["一志愿率提高"], round(G["一志愿率"] - Q["一志愿率"], 1))
eq("2023 学生满意度 提高 (个百分点)", G["学生满意度提高"], round(G["学生满意度"] - Q["学生满意度"], 1))
eq("2023 护考通过率 提高 (个百分点)", G["护考提高"], round(G["护考通过率"] - Q["护考通过率"], 1))
eq("2023 雅思达标率 提高 (个百分点)", G["雅思提高"], round(G["雅思达标率"] - Q["雅思达标率"], 1))
eq("2023 学生资助与交流 增幅41.1%", 41.1, r1((cell(2023, "t23_exp", "学生资助与交流", 1) / cell(2022, "t22_exp", "学生资助与交流", 1) - 1) * 100))
check("2023 引进课程 仍为48门", "引进外方课程仍为48门" in dx_text and F[2022]["引进课程"] == 48)
check("2023 实习时长 仍为40周", "实习时长仍为40周" in dx_text and F[2022]["护理实习周"] == 40)
check("2023 研究生 全部获得学位 (12 of 12)", "全部获得学位" in dx_text)
G, Q = F[2024], F[2023]
eq("2024 支出增长率", G["支出增长"], r1((G["总支出"] / Q["总支出"] - 1) * 100))
eq("2024 用人单位满意度 提高 (个百分点)", G["用人单位满意度提高"], round(G["用人单位满意度"] - Q["用人单位满意度"], 1))
eq("2024 深造率 提高 (个百分点)", G["深造率提高"], round(G["深造率"] - Q["深造率"], 1))
eq("2024 博士占比 提高 (个百分点)", G["博士占比提高"], round(G["博士占比"] - Q["博士占比"], 1))
eq("2024 设备购置 增长41.3%", 41.3, r1((cell(2024, "t24_exp", "设备购置", 1) / cell(2023, "t23_exp", "设备购置", 1) - 1) * 100))
eq("2024 设备总值 较上年增加650.0万元", round(G["设备总值"] - Q["设备总值"], 1), 650.0)
check("2024 学分互认 保持68学分", "保持68学分不变" in ns(TEXT[2024]) and Q["互认学分"] == 68)
check("2024 研究生临床实践 仍为48周", G["研究生临床实践"] == Q["研究生临床实践"] == F[2022]["研究生临床实践"])

# ---------------------------------------------------------------------------
# 5. Year-over-year: every change above ±30 % (base ≥ 5) has a reason sentence
# ---------------------------------------------------------------------------
REASONS = {(2023, "派出交换生"): "主要原因是爱尔兰方新增两家合作医院的实习岗位",
           (2023, "媒体报道"): "借建院五周年契机",
           (2023, "exp|学生资助与交流|金额（万元）"): "学生资助与交流支出增长较多",
           (2023, "income|其他收入|金额（万元）"): "其他收入增长较多",
           (2024, "exp|设备购置|金额（万元）"): "设备购置支出增长41.3%",
           (2024, "理事会会议"): "增加的一次会议专题审议国际认证申报工作"}
SKIP = re.compile(r"累计|增长|提高|增加|占比|率|学费")


def yoy_values(y):
    out = {}
    for f in MAN[y]["figures"]:
        m = f["metric"]
        if f["unit"] in ("%", "‰", "个百分点") or SKIP.search(m.split("|")[0]):
            continue
        if f["kind"] == "table":
            if not re.match(r"t\d\d_(income|exp|dest)\|", m) or "占比" in m or "增减" in m:
                continue
            m = m[4:]
        out[m] = f["value"]
    return out


npairs = 0
for y in (2023, 2024):
    a, b = yoy_values(y - 1), yoy_values(y)
    for k in sorted(set(a) & set(b)):
        if a[k] < 5 and (y, k) not in REASONS:
            continue
        npairs += 1
        ch = (b[k] - a[k]) / a[k]
        if abs(ch) > 0.30:
            reason = REASONS.get((y, k))
            check(f"{y} YoY {k} {a[k]:g}→{b[k]:g} ({ch:+.1%}) has a reason sentence",
                  reason is not None and reason in ns(TEXT[y]), reason)
check(f"YoY: {npairs} year pairs compared", npairs >= 60, npairs)
for (y, k), reason in REASONS.items():
    check(f"{y} reason sentence present: {reason}", reason in ns(TEXT[y]))

# ---------------------------------------------------------------------------
# 6. Structure and realism
# ---------------------------------------------------------------------------
SECTIONS = [("办学基本情况",), ("学生培养",), ("师资队伍建设",), ("教学质量保障",), ("社会评价",), ("财务管理",),
            ("毕业生就业", "学生就业与升学"), ("党建与学生工作", "党建与思政"), ("办学特色",)]


def section_lines(y):
    if y == 2022:
        return [l[3:].strip() for l in md_text.split("\n") if l.startswith("## ")]
    if y == 2023:
        return [p.text for p in dx_paras if re.match(r"^[一二三四五六七八九]、", p.text)]
    return [l.strip() for l in pdf_raw_lines if re.match(r"^[一二三四五六七八九]、", l.strip()) and len(l.strip()) < 12]


pdf_raw_lines = "\n".join(pdf_raw).split("\n")
for y in YEARS:
    sl = section_lines(y)
    ok = len(sl) == 9 and all(any(s.endswith(n) for n in names) for s, names in zip(sl, SECTIONS))
    check(f"{y} nine section titles in order", ok, sl)
    body = TEXT[y]
    if y == 2024:
        body = "\n".join(pdf_raw[1:])
    han = len(re.findall(r"[\u4e00-\u9fff]", body))
    check(f"{y} Han characters 2,700–3,400 ({han})", 2700 <= han <= 3400, han)
    toks = [t for t in re.findall(r"\d[\d,]*(?:\.\d+)?", body) if not re.fullmatch(r"20\d\d", t)
            and not re.fullmatch(r"\d{11}", t)]
    check(f"{y} numeric tokens 180–250 ({len(toks)})", 180 <= len(toks) <= 250, len(toks))
    for w in ("中外合作办学机构", f"{y}年度自评报告", "机构名称：沅州医科大学卡罗莫尔健康学院", "办学单位：沅州医科大学",
              "批准书编号：MOE46IEA02DNR20180526N", f"报告年度：{y}年", "报送日期："):
        check(f"{y} cover has {w}", ns(w) in ns(TEXT[y][:600]))
    check(f"{y} no English abstract", not re.search(r"(?i)abstract|摘要", TEXT[y]))

# Markdown specifics
md_h = [l for l in md_text.split("\n") if l.startswith("#")]
check("2022 md: mixed heading styles (第…部分, （一）, 1.)", any(l.startswith("## 第") for l in md_h)
      and any(l.startswith("### （") for l in md_h) and any(re.match(r"#### \d\. ", l) for l in md_h)
      and not all(re.match(r"#+ [一二三四五六七八九]、", l) for l in md_h[1:]))
check("2022 md: pipe tables with alignment rows", len(re.findall(r"^\| :?-{3,}", md_text, re.M)) >= 4)
check("2022 md: a grouped table (empty first cell on continuation rows)", any(r[0] == "" for t in md_tables for r in t[1:]))
check("2022 md: bold figures", re.search(r"\*\*\d[\d.,]*%\*\*", md_text) is not None)
check("2022 md: 注： note under a table", re.search(r"\|\n\n注：", md_text) is not None)
check("2022 md: a bullet list of figures", len(re.findall(r"^- .*\d", md_text, re.M)) >= 3)
sp = {y: len(re.findall(r"\d (?:%|人)(?![\u4e00-\u9fff]{0,0}\w)", TEXT[y].replace("- ", ""))) for y in YEARS}
check("number-space-unit (92.9 %, 18 人) only in the 2022 report", sp[2022] >= 3 and sp[2023] == 0 and sp[2024] == 0, sp)

# docx specifics
styles = {p.style.name for p in dx_doc.paragraphs}
check("2023 docx: no Heading styles", not any(s.startswith("Heading") for s in styles), styles)
secp = [p for p in dx_paras if re.match(r"^[一二三四五六七八九]、", p.text)]
check("2023 docx: section titles are bold, larger runs", all(p.runs and p.runs[0].bold and p.runs[0].font.size
                                                            and p.runs[0].font.size.pt >= 14 for p in secp))
check("2023 docx: hand-typed sub-points （一） and 1.", any(p.text.startswith("（一）") for p in dx_paras)
      and any(p.text.startswith("1. ") for p in dx_paras))
check("2023 docx: >= 4 tables", len(dx_doc.tables) >= 4)
t0 = dx_doc.tables[0]
check("2023 docx: two-row header with merged cell (2022年 spans 人数/占比)",
      t0.cell(0, 1)._tc is t0.cell(0, 2)._tc and t0.cell(0, 1).text == "2022年" and t0.cell(1, 1).text == "人数")
check("2023 docx: a 较上年增减 column", any("较上年增减" in c.text for t in dx_doc.tables for c in t.rows[0].cells))
check("2023 docx: a 2021/2022/2023 table", any([c.text for c in t.rows[0].cells][1:4] == ["2021年", "2022年", "2023年"] for t in dx_doc.tables))
body = dx_doc.element.body
brk = body.xpath(".//w:br[@w:type='page']")
check("2023 docx: cover page (college, 报告年度, 报送日期) then a page break",
      brk and "报送日期" in "".join(p.text for p in dx_doc.paragraphs[:15]))

# PDF specifics
check("2024 pdf: page numbers '- N -' centred at the foot", all(pdf_raw[i].strip().endswith(f"- {i} -") for i in range(1, len(pdf_raw))))
check("2024 pdf: no vertical grid lines, only header rules", sum(i["vlines"] for i in pdf_info) == 0 and sum(i["rects"] for i in pdf_info) == 0)
heads = ["".join(ns(c) for c in t["head"][0]) for t in MAN[2024]["tables"]]
rep = [h for h in heads if sum(1 for p in pdf_pages if h in p) == 2]
check("2024 pdf: one table continues on the next page with its header repeated", len(rep) >= 1, rep)
small = [c for i in pdf_info for c in i["small"] if c["top"] > i["height"] - 120]
check("2024 pdf: footnotes in small type at a page bottom", "".join(c["text"] for c in small).count("①") >= 1
      and "".join(c["text"] for c in small).count("②") >= 1)
flow = ns("".join(l for l in pdf_raw_lines if not re.match(r"^\s*(- \d+ -|[①②③] )", l)))
across = [p for p in MAN[2024]["pdf_paragraphs"] if not in_unit(2024, p) and ns(p) in flow]
check("2024 pdf: a paragraph runs across a page break", len(across) >= 1)
check("2024 pdf: >= 4 tables", len(MAN[2024]["tables"]) >= 4)
check("2024 pdf: CID font STSong-Light", all(any("STSong" in f and "Light" in f for f in i["fonts"]) for i in pdf_info))

# realism tokens
alltext = "".join(TEXT.values())
for w in ("约", "余人次", "逾", "近七百", "三分之一", "~", "至5人", "人次", "‰", "不重复统计", "含重复", "与上年持平",
          "个百分点", "万元", "元", "二十三门", "同比增长"):
    check(f"realism: '{w}' occurs", w in alltext)
check("realism: thousands separators", re.search(r"\d,\d{3}(?:\.\d)?万元", alltext) and re.search(r"\d,\d{3}人", alltext))
check("realism: one English sentence about the partner", "The University of Carrowmore is a public university" in dx_text)

# xlsx
wb = openpyxl.load_workbook(KNOW / XLSX)
check("xlsx: sheets 基本数据 and 财务数据", wb.sheetnames == ["基本数据", "财务数据"], wb.sheetnames)
XMAP = {"本科招生": "本科招生", "研究生招生": "研究生招生", "本科在校生": "本科在校生", "研究生在校生": "研究生在校生",
        "在校生合计": "在校生", "任课教师": "任课教师", "其中：外方教师": "外方教师", "生师比": "生师比",
        "临床实习基地": "实习基地", "带教教师": "带教教师", "本科毕业生": "本科毕业生", "研究生毕业生": "研究生毕业生",
        "本科毕业去向落实率": "本科落实率", "本科深造率": "深造率", "护士执业资格考试通过率": "护考通过率",
        "学生满意度": "学生满意度", "用人单位满意度": "用人单位满意度", "派出交换生": "派出交换生",
        "累计派出交换生": "累计派出", "志愿服务时长": "志愿服务时长", "收入合计": "总收入", "支出合计": "总支出",
        "收支结余": "结余", "本科学费标准": "本科学费", "研究生学费标准": "研究生学费", "奖助学金": "奖助学金"}
xcells = []
nx = 0
for ws in wb.worksheets:
    rows = list(ws.iter_rows(values_only=True))
    check(f"xlsx {ws.title}: header row 指标/2022年/2023年/2024年/单位", list(rows[0][:5]) == ["指标", "2022年", "2023年", "2024年", "单位"])
    for r in rows[1:]:
        xcells += [str(v) for v in r if v is not None]
        name = r[0]
        for j, y in enumerate(YEARS):
            if name in XMAP:
                want = F[y][XMAP[name]]
            else:
                yy = str(y)[2:]
                tid = f"t{yy}_exp" if ws.title == "财务数据" and any(name == x[0] for x in T[y][f"t{yy}_exp"]) else f"t{yy}_income"
                want = cell(y, tid, name, 1)
            nx += 1
            if abs(float(r[1 + j]) - want) > 1e-6:
                check(f"xlsx {ws.title} {name} {y} = report", False, (r[1 + j], want))
check(f"xlsx: {nx} values equal the reports (2024 column = 2024 report)", not any("xlsx " in f and "= report" in f for f in FAILED))

# ---------------------------------------------------------------------------
# 7. retrieval.jsonl
# ---------------------------------------------------------------------------
SRC = {y: FILES[y] for y in YEARS}
qs = [json.loads(l) for l in (ROOT / "retrieval.jsonl").read_text("utf-8").splitlines() if l.strip()]
check(f"retrieval: 60 questions ({len(qs)})", len(qs) == 60)
check("retrieval: questions unique", len({q["question"] for q in qs}) == len(qs))
kinds = {k: sum(1 for q in qs if q["kind"] == k) for k in ("figure", "fact", "range")}
check(f"retrieval: mix figure≈36 fact≈10 range≈12 {kinds}", 33 <= kinds["figure"] <= 39 and 8 <= kinds["fact"] <= 12
      and 10 <= kinds["range"] <= 14 and sum(kinds.values()) == len(qs))
en = sum(1 for q in qs if q["lang"] == "en")
check(f"retrieval: ~6 English questions ({en})", 5 <= en <= 8)
nxl = sum(1 for q in qs if q["source"] == XLSX or XLSX in q.get("source_by_year", {}).values())
check(f"retrieval: xlsx used by at most 4 questions ({nxl})", 1 <= nxl <= 4)


def ev_ok(src, ev):
    if src == XLSX:
        return any(ev in c for c in xcells)
    y = [k for k, v in FILES.items() if v == src][0]
    if y in RAW:                  # md and docx: exact substring of one paragraph, line or cell
        return any(ev in u for u in RAW[y])
    return in_unit(y, ev)         # PDF: one page's text, whitespace removed


bad = []
for q in qs:
    need = {"question", "answer", "evidence", "source", "year", "kind", "lang"}
    if not need <= set(q):
        bad.append((q.get("question"), "fields"))
        continue
    if q["kind"] == "range":
        ys = q["year"]
        if not (isinstance(ys, list) and set(map(str, ys)) == set(q["evidence_by_year"]) == set(q["source_by_year"])):
            bad.append((q["question"], "range fields"))
            continue
        if q["evidence"] != q["evidence_by_year"][str(min(ys))] or q["source"] != q["source_by_year"][str(min(ys))]:
            bad.append((q["question"], "range evidence/source must repeat the earliest year"))
        pairs = [(int(y), q["source_by_year"][y], q["evidence_by_year"][y]) for y in q["evidence_by_year"]]
    else:
        pairs = [(q["year"], q["source"], q["evidence"])]
    for y, src, ev in pairs:
        if src != XLSX and src != SRC.get(y):
            bad.append((q["question"], "source/year mismatch", y, src))
        if src == XLSX and y != 2024:
            bad.append((q["question"], "xlsx is the 2024 appendix"))
        if len(ev) > 40:
            bad.append((q["question"], "evidence > 40 chars", ev))
        if not ev_ok(src, ev):
            bad.append((q["question"], "evidence not in one unit of the source", ev))
        if ns(ev) in ns(q["question"]):
            bad.append((q["question"], "question contains its evidence"))
    if q["kind"] == "figure":
        en_nums = set(re.findall(r"\d[\d,]*(?:\.\d+)?", q["evidence"]))
        if not any(n in q["answer"] for n in en_nums):
            bad.append((q["question"], "figure answer repeats no number of its evidence"))
check("retrieval: fields, sources, years, exact evidence ≤ 40 chars in one unit, question ≠ evidence", not bad, bad[:6])

# ---------------------------------------------------------------------------
# 8. Originality against the real report
# ---------------------------------------------------------------------------
ref = ns(REFERENCE.read_text(encoding="utf-8"))
grams = {ref[i:i + 12] for i in range(len(ref) - 11)}
for y in YEARS:
    t = ns(TEXT[y])
    cut = t.find("办学基本情况")          # after the standard cover block
    t = t[cut:]
    hits = sorted({t[i:i + 12] for i in range(len(t) - 11) if t[i:i + 12] in grams})
    check(f"{y} originality: no 12-character run shared with the reference report", not hits, hits[:5])
xt = ns("".join(xcells))
check("xlsx originality", not any(xt[i:i + 12] in grams for i in range(len(xt) - 11)))

print(f"SUMMARY: {len(PASSED)} OK, {len(FAILED)} FAIL")
sys.exit(1 if FAILED else 0)
