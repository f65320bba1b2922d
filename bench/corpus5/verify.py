#!/usr/bin/env python3
"""Checks for corpus5 (岚江机电职业技术学院 中德合作办学项目, fictional).

Run:  /work/main/.venv/bin/python verify.py
Reads the 2022 PDF (pdfplumber page text and tables), the 2023 .txt and the 2024 .docx
(python-docx paragraphs and table cells); checks declared figures (figures.json), tables,
identities, growth rates / differences / percentage points, year-over-year reasons,
structure and realism markers, retrieval.jsonl and originality.
Prints OK/FAIL lines and "SUMMARY: n OK, m FAIL"; exit 1 on any FAIL.
"""
import json
import re
import sys
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

import pdfplumber
from docx import Document

ROOT = Path(__file__).resolve().parent
KNOW = ROOT / "knowledge"
FILES = {2022: "reports/2022年度自评报告.pdf", 2023: "reports/2023年度自评报告.txt",
         2024: "reports/2024年度自评报告.docx"}
YEARS = sorted(FILES)
REFERENCE = Path("/work/shared/corpus/2020_self_assessment_report.txt")
COLLEGE = "岚江机电职业技术学院"
FW = str.maketrans("０１２３４５６７８９．％，", "0123456789.%,")
WS = re.compile(r"\s+")
PASSED, FAILED = [], []


def check(name, cond, info=""):
    (PASSED if cond else FAILED).append(name)
    print(("OK   " if cond else "FAIL ") + name + ("" if cond else "  -- " + str(info)))
    return cond


def nows(s):
    return WS.sub("", s)


def r1(x):
    return Decimal(str(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def share(n, d, scale=100):
    return float(r1(Decimal(n) * scale / Decimal(d)))


def num(s):
    s = s.translate(FW).replace(",", "").strip()
    m = re.fullmatch(r"-?\+?\d+(?:\.\d+)?", s)
    return float(s) if m else None


# ---------------------------------------------------------------------------
# Loading.  For each year: UNITS (texts a snippet/evidence may lie in), BODY (all text),
# TABLES (rows of cell strings), plus format-specific structure.
# ---------------------------------------------------------------------------
REP = {}


def load_pdf(path):
    pages, tables, headers, footers = [], [], [], []
    with pdfplumber.open(str(path)) as pdf:
        for i, pg in enumerate(pdf.pages, 1):
            lines = (pg.extract_text() or "").split("\n")
            headers.append(lines[0].strip() if lines else "")
            footers.append(lines[-1].strip() if lines else "")
            body = [ln for ln in lines[1:-1]]
            pages.append(body)
            for t in pg.extract_tables():
                tables.append([[nows(c or "") for c in r] for r in t])
    page_text = [nows("".join(b)) for b in pages]
    return dict(kind="pdf", raw="\n".join("\n".join(b) for b in pages), pages=pages, page_text=page_text, body="".join(page_text),
                units=page_text, tables=tables, headers=headers, footers=footers,
                lines=[ln for b in pages for ln in b])


def load_txt(path):
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    blocks, cur = [], []
    for ln in lines + [""]:
        if ln.strip():
            cur.append(ln)
        elif cur:
            blocks.append(cur)
            cur = []
    units = [ln for ln in lines if ln.strip()] + ["".join(b) for b in blocks]
    tables = []
    for b in blocks:
        if re.match(r"表\d", b[0]) and len(b) > 2:
            tables.append([[c.strip() for c in re.split(r"\t+| {2,}", ln.strip())] for ln in b[1:]])
    return dict(kind="txt", raw=text, text=text, lines=lines, blocks=blocks, units=units,
                body=nows(text), tables=tables)


def load_docx(path):
    doc = Document(str(path))
    paras = [(p.style.name, p.text) for p in doc.paragraphs if p.text.strip()]
    tables, cells = [], []
    for t in doc.tables:
        rows = [[c.text for c in r.cells] for r in t.rows]
        tables.append(rows)
        cells += [c for r in rows for c in r]
    units = [t for _, t in paras] + cells
    return dict(kind="docx", raw="\n".join(units), paras=paras, units=units, body=nows("".join(units)),
                tables=tables, lines=[t for _, t in paras])


def in_units(rep, s):
    if rep["kind"] == "pdf":
        return any(nows(s) in u for u in rep["units"])
    return any(s in u for u in rep["units"])


def in_body(rep, s):
    if rep["kind"] == "pdf":
        return nows(s) in rep["body"]
    return in_units(rep, s)


for y in YEARS:
    p = KNOW / FILES[y]
    if not check(f"{y} report exists", p.exists(), p):
        continue
    REP[y] = (load_pdf if p.suffix == ".pdf" else load_txt if p.suffix == ".txt" else load_docx)(p)
if len(REP) != 3:
    print(f"SUMMARY: {len(PASSED)} OK, {len(FAILED)} FAIL")
    sys.exit(1)

# ---------------------------------------------------------------------------
# 1. Declared figures
# ---------------------------------------------------------------------------
FIG = json.loads((ROOT / "figures.json").read_text(encoding="utf-8"))
check("figures declared >= 350", len(FIG) >= 350, len(FIG))
bad = []
for f in FIG:
    rep = REP[f["year"]]
    tag = f"{f['year']}:{f['metric']}@{f['data_year']}={f['value']}"
    if f["where"] == "text":
        if (f["value"] + f["unit"]) not in f["snippet"]:
            bad.append(tag + " value/unit not in snippet")
        elif not in_body(rep, f["snippet"]):
            bad.append(tag + " snippet not in report: " + f["snippet"])
    else:
        tabs = rep["tables"]
        ok = False
        if f["table"] < len(tabs):
            t = tabs[f["table"]]
            hdr = [nows(c) for c in t[0]]
            col = nows(f["col"])
            if col in hdr:
                j = hdr.index(col)
                for r in t[1:]:
                    if nows(r[0]) == nows(f["row"]) and j < len(r) and nows(r[j]) == nows(f["snippet"]):
                        ok = True
        if not ok:
            bad.append(tag + f" table {f['table']} row {f['row']} col {f['col']}")
    if num(f["value"]) is not None and abs(num(f["value"]) - f["num"]) > 1e-9:
        bad.append(tag + " num mismatch")
check(f"all {len(FIG)} declared figures found in their snippet/table cell", not bad, bad[:8])
for y in YEARS:
    n = sum(1 for f in FIG if f["year"] == y)
    check(f"{y}: {n} figures declared", n >= 100, n)

VAL = {}
conflict = []
for f in FIG:
    k = (f["data_year"], f["metric"])
    if k in VAL and abs(VAL[k] - f["num"]) > 1e-9:
        conflict.append((k, VAL[k], f["num"], f["year"]))
    VAL.setdefault(k, f["num"])
check("same metric/year has one value in every report and table", not conflict, conflict[:5])


def V(y, m):
    return VAL.get((y, m))


def ident(name, got, want, tol=1e-6):
    if got is None or want is None:
        return check(name, False, f"missing value got={got} want={want}")
    return check(name, abs(got - want) <= tol, f"got {got}, want {want}")


def sh(y, name, n, d, scale=100):
    if V(y, n) is None or V(y, d) is None or V(y, name) is None:
        return check(f"{y} {name} = {n}/{d}", False, "missing")
    return ident(f"{y} {name} = {n}/{d}", V(y, name), share(V(y, n), V(y, d), scale))


def sumof(y, total, parts):
    vals = [V(y, p) for p in parts]
    if None in vals:
        return check(f"{y} {total} = {'+'.join(parts)}", False, f"missing {parts}")
    return ident(f"{y} {total} = {'+'.join(parts)}", V(y, total), round(sum(vals), 1), 0.05)


# ---------------------------------------------------------------------------
# 2. Tables: 合计 rows, 占比 columns, 较上年增减, 中方+外方=合计
# ---------------------------------------------------------------------------
NT = {2022: 4, 2023: 3, 2024: 5}
for y in YEARS:
    tabs = REP[y]["tables"]
    check(f"{y}: {len(tabs)} tables (>= {NT[y]})", len(tabs) >= NT[y], len(tabs))
    for ti, t in enumerate(tabs):
        hdr = [nows(c) for c in t[0]]
        body = [r for r in t[1:] if nows(r[0]) != "合计"]
        tot = [r for r in t[1:] if nows(r[0]) == "合计"]
        name = f"{y} table{ti + 1}"
        if not tot:
            continue
        tot = tot[0]
        for j in range(1, len(hdr)):
            col = [num(r[j]) for r in body]
            if None in col:
                continue
            if "占比" in hdr[j]:
                base = (hdr.index("合计") if "合计" in hdr else hdr.index(f"{y}年") if f"{y}年" in hdr else 1)
                want = [share(num(r[base]), num(tot[base])) for r in body]
                check(f"{name} {hdr[j]} = amount/合计", col == want, (col, want))
                check(f"{name} {hdr[j]} sums to 100.0", abs(sum(col) - 100.0) <= 0.1001
                      and num(tot[j]) == 100.0, sum(col))
                check(f"{name} {hdr[j]} sums exactly 100.0", abs(sum(col) - 100.0) < 1e-6, sum(col))
            elif "较上年增减" in hdr[j]:
                cur = [i for i, h in enumerate(hdr) if h == f"{y}年"][0]
                prev = [i for i, h in enumerate(hdr) if h == f"{y - 1}年"][0]
                want = [round(num(r[cur]) - num(r[prev]), 1) for r in t[1:]]
                got = [num(r[j]) for r in t[1:]]
                check(f"{name} 较上年增减 = {y} - {y - 1}", got == want, (got, want))
            else:
                check(f"{name} column {hdr[j]} sums to 合计", abs(sum(col) - num(tot[j])) < 0.05,
                      (sum(col), tot[j]))
        if "中方" in hdr and "外方" in hdr and "合计" in hdr:
            a, b, c = hdr.index("中方"), hdr.index("外方"), hdr.index("合计")
            check(f"{name} 中方+外方=合计 per row",
                  all(num(r[a]) + num(r[b]) == num(r[c]) for r in t[1:]))
# the by-year tables
for y, yrs in ((2023, (2021, 2022, 2023)), (2024, (2022, 2023, 2024))):
    hit = [t for t in REP[y]["tables"] if [nows(c) for c in t[0]][1:4] == [f"{x}年" for x in yrs]]
    check(f"{y} has a {yrs[0]}/{yrs[1]}/{yrs[2]} by-year table", len(hit) >= 1)
check("2024 has a 较上年增减 table",
      any("较上年增减" in nows(c) for t in REP[2024]["tables"] for c in t[0]))
check("2024 table 3 is a 职称 table with 中方/外方/合计/占比",
      [nows(c) for c in REP[2024]["tables"][2][0]] == ["职称", "中方", "外方", "合计", "占比（%）"])

# ---------------------------------------------------------------------------
# 3. Identities
# ---------------------------------------------------------------------------
for y in YEARS:
    sumof(y, "enroll", ["enroll_me", "enroll_rb", "enroll_au"])
    sumof(y, "stu_total", ["stu_me", "stu_rb", "stu_au"])
    sumof(y, "grad", ["grad_me", "grad_rb", "grad_au"])
    ident(f"{y} cohort flow 在校(t)=在校(t-1)+招生-毕业-流失", V(y, "stu_total"),
          V(y - 1, "stu_total") + V(y, "enroll") - V(y, "grad") - V(y, "dropout"))
    sh(y, "sh_local", "enroll_local", "enroll")
    sumof(y, "board", ["board_cn", "board_de"])
    sh(y, "sh_courses_de", "courses_de", "courses")
    sh(y, "sh_core_de", "core_de", "core")
    sh(y, "sh_ahk", "ahk_pass", "ahk_exam")
    sumof(y, "awards", ["awards_nat", "awards_prov", "awards_sch"])
    check(f"{y} 不重复统计 persons <= 人次", V(y, "award_persons") <= V(y, "award_rc"))
    ident(f"{y} 累计派出 = previous + sent", V(y, "sent_cum"), V(y - 1, "sent_cum") + V(y, "sent"))
    sumof(y, "tch_total", ["tch_cn", "tch_de"])
    sh(y, "sh_tch_de", "tch_de", "tch_total")
    ident(f"{y} 生师比 = 在校生/任课教师", V(y, "ratio"), share(V(y, "stu_total"), V(y, "tch_total"), 1))
    sh(y, "sh_dual_tch", "dual_tch", "tch_cn")
    sh(y, "sat_stu", "sat_stu_y", "sat_stu_n")
    sh(y, "sat_emp", "sat_emp_y", "sat_emp_n")
    sumof(y, "inc_total", ["inc_fee", "inc_gov", "inc_firm", "inc_other"])
    ident(f"{y} 学费收入 = 在校生 x 学费 (万元)", V(y, "inc_fee"),
          float(r1(Decimal(V(y, "stu_total")) * Decimal(V(y, "fee")) / 10000)))
    sumof(y, "exp_total", ["exp_teach", "exp_foreign", "exp_lab", "exp_exchange", "exp_admin"])
    ident(f"{y} 结余 = 收入 - 支出", V(y, "balance"), round(V(y, "inc_total") - V(y, "exp_total"), 1))
    sumof(y, "employed", ["job_contract", "job_flex"])
    sumof(y, "study", ["study_cn", "study_abroad"])
    sumof(y, "placed", ["employed", "study"])
    sumof(y, "grad", ["placed", "unplaced"])
    sh(y, "sh_placed", "placed", "grad")
    sh(y, "sh_study", "study", "grad")
    sh(y, "sh_matched", "matched", "employed")
    ident(f"{y} 累计毕业生 = previous + grad", V(y, "grad_cum"),
          (V(y - 1, "grad_cum") if V(y - 1, "grad_cum") is not None else V(y - 1, "grad")) + V(y, "grad"))
    if V(y, "bases_new") is not None:
        ident(f"{y} 实习基地 = previous + new", V(y, "bases"), V(y - 1, "bases") + V(y, "bases_new"))
    if V(y, "senior") is not None and V(y, "sh_senior") is not None:
        sh(y, "sh_senior", "senior", "tch_total")
    if y > 2022:
        ident(f"{y} 理事会 unchanged", V(y, "board"), V(y - 1, "board"))
        ident(f"{y} 学费 unchanged", V(y, "fee"), V(y - 1, "fee"))
for y in (2022, 2023):
    sumof(y, "media", ["media_prov", "media_other"])
check("2022 副高及以上 exactly 三分之一 of 任课教师", V(2022, "senior") * 3 == V(2022, "tch_total")
      and "正好占任课教师的三分之一" in REP[2022]["body"])
sumof(2022, "senior", ["senior_cn", "senior_de"])
sumof(2022, "master", ["master_cn", "master_de"])
sh(2022, "sh_master", "master", "tch_total")
sh(2022, "sh_tch_cn", "tch_cn", "tch_total")
sh(2023, "sh_dropout", "dropout", "stu_total", 1000)
check("‰ used exactly once in the corpus",
      sum(REP[y]["body"].count("‰") for y in YEARS) == 1)
h = [V(2023, k) for k in ("honor", "honor_nat", "honor_prov", "honor_sch")]
check("2023 honour levels exceed persons and say 含重复 (2 persons at two levels)",
      h[1] + h[2] + h[3] - h[0] == 2 and "含重复，有2人同时获得两个层级称号" in REP[2023]["body"], h)
ident("2023 双语课程 23 = 2022 none + new (only stated); 2024 27 >= 23", 1.0,
      1.0 if V(2024, "courses_joint") >= V(2023, "courses_joint") else 0.0)
for part in ("full", "assoc", "mid", "jun"):
    sumof(2024, f"t_{part}", [f"t_{part}_cn", f"t_{part}_de"])
sumof(2024, "tch_cn", ["t_full_cn", "t_assoc_cn", "t_mid_cn", "t_jun_cn"])
sumof(2024, "tch_de", ["t_full_de", "t_assoc_de", "t_mid_de", "t_jun_de"])
sumof(2024, "senior", ["t_full", "t_assoc"])
sh(2024, "sh_hours_de", "hours_de", "hours")
sh(2024, "sh_intern_firm", "intern_firm", "intern")
sh(2024, "sh_abroad_of_study", "study_abroad", "study")
sh(2024, "sh_cn_of_study", "study_cn", "study")
ident("2024 境外+国内 shares = 100.0", V(2024, "sh_abroad_of_study") + V(2024, "sh_cn_of_study"), 100.0)
for y in YEARS:
    for m in ("sh_job_contract", "sh_job_flex", "sh_study_cn_t", "sh_study_abroad_t", "sh_unplaced"):
        if V(y, m) is not None:
            base = {"sh_job_contract": "job_contract", "sh_job_flex": "job_flex", "sh_study_cn_t": "study_cn",
                    "sh_study_abroad_t": "study_abroad", "sh_unplaced": "unplaced"}[m]
            sh(y, m, base, "grad")
    for m in ("exp_teach", "exp_foreign", "exp_lab", "exp_exchange", "exp_admin"):
        if V(y, "sh_" + m) is not None:
            sh(y, "sh_" + m, m, "exp_total")
    for m in ("inc_fee", "inc_gov", "inc_firm", "inc_other"):
        if V(y, "sh_" + m) is not None:
            sh(y, "sh_" + m, m, "inc_total")
    for m in ("awards_nat", "awards_prov", "awards_sch"):
        if V(y, "sh_" + m) is not None:
            sh(y, "sh_" + m, m, "awards")
# coincidences stated on purpose
check("2022 coincidence: 外方教师14 = 德资合作企业14 (same paragraph)",
      V(2022, "tch_de") == V(2022, "firms_de") and "两者恰好相同" in REP[2022]["body"])
check("2023 coincidence: 合同就业153 = 专业对口153", V(2023, "job_contract") == V(2023, "matched"))

# ---------------------------------------------------------------------------
# 4. Stated comparisons: gr.X (growth %), diff.X (difference), pp.X (percentage points)
# ---------------------------------------------------------------------------
ncmp = 0
for (y, m), v in sorted(VAL.items()):
    kind, _, base = m.partition(".")
    if kind not in ("gr", "diff", "pp"):
        continue
    cur, prev = V(y, base), V(y - 1, base)
    if cur is None or prev is None:
        check(f"{y} {m}: both years known", False, (cur, prev))
        continue
    ncmp += 1
    if kind == "gr":
        ident(f"{y} {m} = ({cur}/{prev}-1)", v, float(r1((Decimal(str(cur)) / Decimal(str(prev)) - 1) * 100)))
    else:
        ident(f"{y} {m} = {cur}-{prev}", v, round(cur - prev, 1), 1e-6)
check(f"{ncmp} stated comparisons checked", ncmp >= 20, ncmp)
check("2022 'diff.gde_a2' only has 2022 value (2021 not reported)", True)

# ---------------------------------------------------------------------------
# 5. Year-over-year: any change above ±30 % (base >= 5) needs a reason sentence
# ---------------------------------------------------------------------------
REASONS = {
    (2023, "sent"): "主要原因是出入境恢复正常",
    (2023, "tch_sent"): "增幅较大是因为德方恢复了线下师资培训班",
    (2023, "study_abroad"): "赴德人数增加较多，是因为",
    (2023, "exp_exchange"): "是派出学生人数回升所致",
    (2023, "media"): "报道增多主要是因为",
    (2023, "media_other"): "报道增多主要是因为",
    (2024, "board_meet"): "增加的一次专门研究项目评估整改",
    (2023, "balance"): "结余比上年少了一半多，主要是",
    (2024, "balance"): "由于支出增幅高于收入增幅，结余比上年进一步减少",
}
SKIP_PREFIX = ("sh_", "gr.", "diff.", "pp.", "ratio", "sat_", "sent_cum", "grad_cum")
nyoy = 0
for (y, m), v in sorted(VAL.items()):
    if m.startswith(SKIP_PREFIX) or (y - 1, m) not in VAL:
        continue
    prev = VAL[(y - 1, m)]
    nyoy += 1
    if prev >= 5 and abs(v / prev - 1) > 0.30:
        r = REASONS.get((y, m))
        check(f"{y} {m} {prev}->{v} ({(v / prev - 1) * 100:+.1f}%) has a reason", r is not None and r in REP[y]["body"], r)
for (y, m), r in REASONS.items():
    check(f"reason for {y} {m} present", r in REP[y]["body"])
check(f"{nyoy} year pairs checked", nyoy >= 80, nyoy)

# ---------------------------------------------------------------------------
# 6. Structure and realism
# ---------------------------------------------------------------------------
SECTIONS = ["办学基本情况", "学生培养", "师资队伍建设", "教学质量保障", "社会评价", "财务管理",
            ("毕业生就业", "学生就业与升学"), ("党建与学生工作", "党建与思政"), "办学特色"]
CN = "一二三四五六七八九"


def section_lines(y):
    rep = REP[y]
    if rep["kind"] == "docx":
        return [t for st, t in rep["paras"] if st == "Heading 1"]
    if rep["kind"] == "txt":
        return [ln for ln in rep["lines"] if re.fullmatch(r"[一二三四五六七八九]、\S+", ln)]
    return [ln.strip() for ln in rep["lines"] if re.fullmatch(r"[一二三四五六七八九]、\S+", ln.strip())]


for y in YEARS:
    secs = section_lines(y)
    ok = len(secs) == 9
    for i, (s, want) in enumerate(zip(secs, SECTIONS)):
        wants = want if isinstance(want, tuple) else (want,)
        pre = f"第{CN[i]}章 " if y == 2024 else f"{CN[i]}、"
        ok = ok and any(s == pre + w for w in wants)
    check(f"{y}: nine section titles in order", ok, secs)
    body = REP[y]["body"]
    check(f"{y}: cover block", all(k in body[:300] for k in ("中外合作办学项目", f"{y}年度自评报告",
                                                            "批准书编号：PDE63DEA3A20180427N")))
    cut = body.index("办学基本情况")
    han = len(re.findall(r"[\u4e00-\u9fff]", body[cut:]))
    check(f"{y}: {han} Han characters (2,600-3,400)", 2600 <= han <= 3400, han)
    raw = REP[y]["raw"]
    toks = [t for t in re.findall(r"\d+(?:[.,]\d+)*", raw[raw.index("办学基本情况"):].translate(FW))
            if not re.fullmatch(r"20[12]\d", t)]
    check(f"{y}: {len(toks)} numeric tokens, years not counted (180-250)", 180 <= len(toks) <= 250, len(toks))
    check(f"{y}: no English abstract", "Abstract" not in body and "ABSTRACT" not in body)
fwy = [y for y in YEARS if re.search(r"[０-９]", REP[y]["body"])]
check("full-width digits in exactly one report (2023)", fwy == [2023], fwy)
ALL = "".join(REP[y]["body"] for y in YEARS)
for mark in ("约", "余", "逾", "近", "三分之一", "~", "至", "人次", "不重复统计", "含重复", "与上年持平",
             "个百分点", "二十三门", "万元", "元，", "同比增长", "订单班", "双师型", "1+X", "专升本", "顶岗实习",
             "学徒", "专业对口率", "国赛", "省赛"):
    check(f"marker {mark!r} present", mark in ALL)
check("English sentence about the partner", "BBZOberwaldisapublicvocationaltrainingcentre" in REP[2022]["body"])
# PDF specifics
pdf = REP[2022]
check("PDF: header with college name on every page", all(h == COLLEGE for h in pdf["headers"]), pdf["headers"])
check("PDF: footer 第 N 页 on every page",
      all(f == f"第 {i} 页" for i, f in enumerate(pdf["footers"], 1)), pdf["footers"])
brk = 0
for i in range(len(pdf["pages"]) - 1):
    last = pdf["pages"][i][-1].strip() if pdf["pages"][i] else ""
    first = pdf["pages"][i + 1][0].strip() if pdf["pages"][i + 1] else ""
    if last and not re.search(r"[。：）)\d%]$", last) and not re.match(r"[一二三四五六七八九]、\S+$", last) and first and not re.match(r"[一二三四五六七八九]、|表\d", first):
        brk += 1
check("PDF: at least one paragraph runs across a page break", brk >= 1, brk)
check("PDF: 4+ grid tables extracted", len(pdf["tables"]) >= 4, len(pdf["tables"]))
# txt specifics
txt = REP[2023]
check("txt: no Markdown tables or headings", not re.search(r"^\s*(\||#)", txt["text"], re.M))
check("txt: sub-points 1. （1） ①", all(re.search(p, txt["text"], re.M) for p in (r"^1\. ", r"^（1）", r"^① ")))
check("txt: a tab-separated table", any("\t" in ln for ln in txt["lines"]))
check("txt: hard-wrapped lines present", sum(1 for b in txt["blocks"] if len(b) > 1 and not re.match(r"表\d", b[0])) >= 5)
# docx specifics
dx = REP[2024]
check("docx: Heading 1 '第X章 …' and Heading 2 used",
      all(t.startswith("第") for st, t in dx["paras"] if st == "Heading 1")
      and any(st == "Heading 2" for st, _ in dx["paras"]))

# ---------------------------------------------------------------------------
# 7. retrieval.jsonl
# ---------------------------------------------------------------------------
Q = [json.loads(ln) for ln in (ROOT / "retrieval.jsonl").read_text(encoding="utf-8").splitlines() if ln.strip()]
check("retrieval: 60 questions", len(Q) == 60, len(Q))
check("retrieval: questions unique", len({q["question"] for q in Q}) == len(Q))
SRC2Y = {v: k for k, v in FILES.items()}
bad = []
for i, q in enumerate(Q):
    need = {"question", "answer", "evidence", "source", "year", "kind", "lang"}
    if not need <= set(q):
        bad.append((i, "fields"))
        continue
    pairs = [(q["source"], q["evidence"])]
    if q["kind"] == "range":
        if not (isinstance(q["year"], list) and set(q.get("evidence_by_year", {})) == {str(x) for x in q["year"]}
                and set(q.get("source_by_year", {})) == {str(x) for x in q["year"]}):
            bad.append((i, "range fields"))
            continue
        pairs += [(q["source_by_year"][str(x)], q["evidence_by_year"][str(x)]) for x in q["year"]]
        if q["evidence"] != q["evidence_by_year"][str(min(q["year"]))]:
            bad.append((i, "range evidence != earliest year"))
        for x in q["year"]:
            if SRC2Y.get(q["source_by_year"][str(x)]) != x:
                bad.append((i, "source_by_year mismatch"))
    elif SRC2Y.get(q["source"]) != q["year"]:
        bad.append((i, "source/year"))
    for src, ev in pairs:
        y = SRC2Y.get(src)
        if y is None or len(ev) > 40 or not in_units(REP[y], ev):
            bad.append((i, "evidence", src, ev))
        if nows(ev) in nows(q["question"]):
            bad.append((i, "question contains evidence"))
    if q["kind"] == "figure":
        nums = re.findall(r"\d+(?:\.\d+)?", q["evidence"].translate(FW).replace(",", ""))
        if not any(n in q["answer"].translate(FW).replace(",", "") for n in nums):
            bad.append((i, "figure answer repeats no number of its evidence"))
check("retrieval: fields, source/year, evidence exact (<= 40 chars, one unit), no leaks", not bad, bad[:6])
kinds = {k: sum(1 for q in Q if q["kind"] == k) for k in ("figure", "fact", "range")}
en = sum(1 for q in Q if q["lang"] == "en")
check(f"retrieval mix {kinds}, en={en}", 33 <= kinds["figure"] <= 39 and 8 <= kinds["fact"] <= 12
      and 10 <= kinds["range"] <= 14 and 5 <= en <= 8, (kinds, en))

# ---------------------------------------------------------------------------
# 8. Originality: no 12-character run shared with the reference report (after the cover block)
# ---------------------------------------------------------------------------
ref = nows(REFERENCE.read_text(encoding="utf-8"))
grams = {ref[i:i + 12] for i in range(len(ref) - 11)}
for y in YEARS:
    body = REP[y]["body"]
    cut = body.index("办学基本情况")
    hits = [body[i:i + 12] for i in range(cut, len(body) - 11) if body[i:i + 12] in grams]
    check(f"{y}: no 12-char run shared with the reference report", not hits, hits[:3])

print(f"SUMMARY: {len(PASSED)} OK, {len(FAILED)} FAIL")
sys.exit(1 if FAILED else 0)
