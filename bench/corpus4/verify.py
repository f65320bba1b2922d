#!/usr/bin/env python3
"""Checks for corpus4 (濛江大学瓦尔蒙工程师学院, fictional).

Run:  /work/main/.venv/bin/python verify.py
Reads the 2021/2022 .docx reports (python-docx: paragraphs and table cells) and the
2023 .md report, then checks declared figures, tables, identities, year-over-year
changes, structure, retrieval.jsonl and originality.  Prints OK/FAIL lines and
"SUMMARY: n OK, m FAIL"; exit status 1 on any FAIL.  stdlib + python-docx only.
"""
import json
import re
import sys
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

from docx import Document

ROOT = Path(__file__).resolve().parent
KNOW = ROOT / "knowledge"
FILES = {2021: "reports/2021年度自评报告.docx",
         2022: "reports/2022年度自评报告.docx",
         2023: "reports/2023年度自评报告.md"}
YEARS = sorted(FILES)
REFERENCE = Path("/work/shared/corpus/2020_self_assessment_report.txt")
FW = str.maketrans("０１２３４５６７８９．％", "0123456789.%")

PASSED, FAILED = [], []


def check(name, cond, info=""):
    (PASSED if cond else FAILED).append(name)
    print(("OK   " if cond else "FAIL ") + name + ("" if cond else "  -- " + str(info)))
    return cond


# ---------------------------------------------------------------------------
# Loading: UNITS[y] = list of text units (a paragraph, a table cell, a md line,
# a md table row); TABLES[y] = list of tables (rows of cell strings);
# PARAS[y] = prose paragraphs (non-table) with their style ("H1", "H2", "P").
# ---------------------------------------------------------------------------
def load_docx(path):
    doc = Document(str(path))
    paras = []
    for p in doc.paragraphs:
        if not p.text.strip():
            continue
        st = p.style.name
        paras.append(("H1" if st == "Heading 1" else "H2" if st == "Heading 2" else "P", p.text))
    tables, cells = [], []
    for t in doc.tables:
        rows = []
        for r in t.rows:
            seen, row = set(), []
            for c in r.cells:          # merged cells repeat: keep each once per row
                if id(c._tc) in seen:
                    continue
                seen.add(id(c._tc))
                row.append(c.text)
                cells.append(c.text)
            rows.append(row)
        tables.append(rows)
    return paras, tables, cells


def load_md(path):
    text = path.read_text(encoding="utf-8")
    paras, tables, rowtexts, cur = [], [], [], None
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("|"):
            if re.fullmatch(r"\|[\s\-|:]+\|", s):
                continue
            if cur is None:
                cur = []
                tables.append(cur)
            cur.append([c.strip() for c in s.strip("|").split("|")])
            rowtexts.append(s)
            continue
        cur = None
        if not s:
            continue
        if s.startswith("## "):
            paras.append(("H1", s[3:]))
        elif s.startswith("### "):
            paras.append(("H2", s[4:]))
        elif s.startswith("# "):
            paras.append(("P", s[2:]))
        else:
            paras.append(("P", s))
    cells = [c for t in tables for r in t for c in r]
    return paras, tables, cells + rowtexts


PARAS, TABLES, UNITS, FULL = {}, {}, {}, {}
for y, rel in FILES.items():
    p = KNOW / rel
    paras, tables, cells = (load_docx if rel.endswith(".docx") else load_md)(p)
    PARAS[y], TABLES[y] = paras, tables
    UNITS[y] = [t for _, t in paras] + cells
    FULL[y] = "\n".join(UNITS[y])


def num(s):
    s = str(s).translate(FW).replace(",", "").replace("+", "").strip()
    return Decimal(s)


def D(x):
    return Decimal(str(x))


def rnd(x, places):
    return D(x).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decs(s):
    s = str(s).translate(FW)
    return len(s.split(".")[1]) if "." in s else 0


def share_ok(part, base, written, per=100):
    return rnd(D(part) * per / D(base), decs(written)) == num(written)


def growth_ok(new, old, written):
    return rnd((D(new) - D(old)) * 100 / D(old), decs(written)) == num(written)


CN = {"二十三": 23, "三分之一": None}

# ---------------------------------------------------------------------------
# 1. Declared prose figures: (metric, written, unit, snippet)
#    The snippet must lie inside one text unit (paragraph / cell / md line) of
#    the report; written+unit must occur inside the snippet.
# ---------------------------------------------------------------------------
DECL = {
2021: [
    ("approval_year", "2016", "年", "学院于2016年4月取得教育部批复"),
    ("master_len", "2", "年", "学制2年，2020年秋季录取首届硕士生12人"),
    ("master_first_intake", "12", "人", "2020年秋季录取首届硕士生12人"),
    ("intern_months", "3~4", "个月", "完成3~4个月的研究实习"),
    ("board", "11", "人", "理事会共11人"),
    ("board_cn", "6", "人", "中方6人、外方5人"),
    ("board_fr", "5", "人", "中方6人、外方5人"),
    ("board_meet", "2", "次", "本年度理事会开会2次"),
    ("board_items", "9", "项", "外方教师聘任计划等9项议题"),
    ("enr", "270", "人", "2021年学院招收本科新生270人"),
    ("enr_che", "120", "人", "其中化学工程与工艺120人"),
    ("enr_mat", "90", "人", "材料科学与工程90人"),
    ("enr_env", "60", "人", "环境工程60人"),
    ("first", "251", "人", "第一志愿录取251人"),
    ("first_rate", "93.0", "%", "一志愿率93.0%"),
    ("local", "162", "人", "来自濛江省内的新生162人"),
    ("local_rate", "60.0", "%", "新生162人，占60.0%"),
    ("m_enr", "15", "人", "硕士项目当年录取15人"),
    ("ug", "1,030", "人", "在校本科生1,030人"),
    ("ug_prev", "1,012", "人", "比上年末的1,012人多18人"),
    ("ug_diff", "18", "人", "比上年末的1,012人多18人"),
    ("m_in", "27", "人", "在读硕士生27人"),
    ("students", "1,057", "人", "全院在校生共1,057人"),
    ("grad", "248", "人", "年内本科毕业248人"),
    ("loss", "4", "人", "另有4人因退学或转学离开"),
    ("loss_rate", "3.9", "‰", "流失率3.9‰"),
    ("core", "64", "门", "共设专业核心课程64门"),
    ("imported", "二十三", "门", "引进瓦尔蒙大学课程二十三门"),
    ("imported_rate", "35.9", "%", "课程二十三门，占35.9%"),
    ("fr_hours", "1,380", "学时", "专业核心课程为1,380学时"),
    ("core_hours", "3,960", "学时", "专业核心课程总学时3,960学时的34.8%"),
    ("fr_hours_rate", "34.8", "%", "专业核心课程总学时3,960学时的34.8%"),
    ("french_hours", "480", "学时", "修读法语约480学时"),
    ("class_cap", "25", "人", "每班人数控制在25人以内"),
    ("delf", "97", "人", "通过法语DELF B1考试的有97人"),
    ("ielts", "171", "人", "6.0分及以上的有171人"),
    ("tutoring", "640", "小时", "全年累计辅导约640小时"),
    ("awards", "161", "人次", "获奖161人次"),
    ("aw_nat", "18", "人次", "国家级18人次"),
    ("aw_prov", "47", "人次", "省级47人次"),
    ("aw_school", "96", "人次", "校级96人次"),
    ("aw_persons", "132", "人", "获奖学生共132人（不重复统计）"),
    ("dc", "31", "项", "大学生创新创业训练计划立项31项"),
    ("dc_nat", "8", "项", "国家级8项、省级23项"),
    ("dc_prov", "23", "项", "国家级8项、省级23项"),
    ("papers", "19", "篇", "学生以第一作者发表论文19篇"),
    ("sci", "7", "篇", "其中被SCI收录7篇"),
    ("exch", "42", "人", "交换学习的学生为42人"),
    ("exch_prev", "57", "人", "比2020年的57人少15人"),
    ("exch_diff", "15", "人", "比2020年的57人少15人"),
    ("online_summer", "210", "人次", "另有约210人次参加外方开设的线上暑期课程"),
    ("exch_cum", "428", "人", "学院累计派出交换生428人"),
    ("teachers", "84", "人", "2021年全院任课教师84人"),
    ("t_cn", "56", "人", "其中中方教师56人"),
    ("t_fr", "28", "人", "外方教师28人，外方教师恰好占三分之一"),
    ("phd", "62", "人", "具有博士学位的62人，占73.8%"),
    ("phd_rate", "73.8", "%", "具有博士学位的62人，占73.8%"),
    ("prof", "22", "人", "具有正高级职称的22人，占26.2%"),
    ("prof_rate", "26.2", "%", "具有正高级职称的22人，占26.2%"),
    ("st_ratio", "12.6", ":1", "生师比为12.6:1"),
    ("fly_weeks", "3至5", "周", "时间一般为3至5周"),
    ("remote_t", "11", "名", "有11名外方教师改为远程讲授"),
    ("assistants", "14", "人", "配备中方助教14人"),
    ("t_train", "6", "人", "选派中方青年教师6人"),
    ("salon", "10", "场", "组织教学沙龙10场"),
    ("honor_t", "12", "人", "获得教学表彰的教师共12人"),
    ("honor_nat", "2", "人", "其中国家级2人、省级5人、校级8人（含重复"),
    ("honor_prov", "5", "人", "其中国家级2人、省级5人、校级8人（含重复"),
    ("honor_school", "8", "人", "其中国家级2人、省级5人、校级8人（含重复"),
    ("qc_members", "4", "人", "双方各派4人"),
    ("exam_review", "100", "%", "审阅比例为100%"),
    ("eval_courses", "217", "门次", "学生评教覆盖课程217门次"),
    ("eval_good", "96.3", "%", "评价结果为优良的占96.3%"),
    ("visits", "186", "节次", "听课共186节次"),
    ("issues", "23", "个", "发现的23个问题已全部反馈"),
    ("aar_courses", "12", "门", "抽查课程12门"),
    ("forums", "4", "场", "学院召开学生座谈会4场"),
    ("sv_n", "916", "份", "回收有效问卷916份"),
    ("sv_sat", "867", "份", "“非常满意”的867份"),
    ("stud_sat", "94.7", "%", "学生满意度为94.7%"),
    ("emp_n", "64", "家", "录用2021届毕业生的64家用人单位"),
    ("emp_ok", "62", "家", "62家表示满意"),
    ("emp_sat", "96.9", "%", "用人单位满意度为96.9%"),
    ("lab_hour", "22", "点", "晚间开放延长至22点"),
    ("media", "5", "次", "报道学院办学情况5次"),
    ("fee_ug", "58,000", "元", "本科生每生每年58,000元"),
    ("fee_m", "68,000", "元", "硕士生每生每年68,000元"),
    ("income", "7,500.0", "万元", "2021年学院总收入7,500.0万元"),
    ("expense", "7,200.0", "万元", "总支出7,200.0万元"),
    ("balance", "300.0", "万元", "当年结余300.0万元"),
    ("intl_exp_text", "96.2", "万元", "国际交流支出仅96.2万元"),
    ("placed", "236", "人", "毕业去向落实236人"),
    ("placed_rate", "95.2", "%", "落实率95.2%"),
    ("grad_text", "248", "人", "2021届本科毕业生248人"),
    ("study", "152", "人", "继续深造的152人"),
    ("study_rate", "61.3", "%", "深造率61.3%"),
    ("abroad", "118", "人", "出境深造118人"),
    ("domestic", "34", "人", "国内读研34人"),
    ("abroad_rate", "47.6", "%", "分别占毕业生的47.6%和13.7%"),
    ("domestic_rate", "13.7", "%", "分别占毕业生的47.6%和13.7%"),
    ("to_valmont", "63", "人", "攻读工程师文凭或硕士学位的63人"),
    ("employed", "84", "人", "直接就业84人"),
    ("salary", "7,800", "元", "平均月薪约7,800元"),
    ("grad_cum", "479", "人", "累计培养本科毕业生479人"),
    ("branches", "6", "个", "学院党总支下设党支部6个"),
    ("br_staff", "2", "个", "其中教工党支部2个"),
    ("br_stud", "4", "个", "学生党支部4个"),
    ("members", "127", "人", "现有党员127人"),
    ("mem_staff", "41", "人", "其中教工党员41人"),
    ("mem_stud", "86", "人", "学生党员86人"),
    ("new_mem", "23", "人", "本年度发展学生党员23人"),
    ("counsellors", "7", "人", "学院配备专职辅导员7人"),
    ("couns_ratio", "151", "", "辅导员与学生之比约为1:151"),
    ("psy", "100", "%", "新生入学心理普查覆盖率100%"),
    ("clubs", "12", "个", "学院现有学生社团12个"),
    ("t_fr_industry", "9", "人", "外方教师28人中有9人具有十年以上企业工作经历"),
    ("t_fr_again", "28", "人", "外方教师28人中有9人"),
    ("bases", "28", "个", "实习基地也达到28个"),
    ("base_take", "3至5", "人", "每个基地每年接收学生3至5人"),
],
2022: [
    ("board", "11", "人", "理事会成员仍为11人（中方6人、外方5人），人数与上年持平"),
    ("board_cn", "6", "人", "中方6人、外方5人"),
    ("board_fr", "5", "人", "中方6人、外方5人"),
    ("board_meet", "3", "次", "2022年理事会召开会议3次"),
    ("enr_plan", "280", "人", "2022年本科计划招生280人"),
    ("enr", "280", "人", "实际录取280人"),
    ("enr_che", "120", "人", "其中化学工程与工艺120人"),
    ("enr_mat", "95", "人", "材料科学与工程95人"),
    ("enr_env", "65", "人", "环境工程65人"),
    ("first", "263", "人", "第一志愿录取263人"),
    ("first_rate", "９３．９", "％", "一志愿率达到９３．９％"),
    ("local", "170", "人", "濛江省内考生170人"),
    ("local_rate", "60.7", "%", "占录取总数的60.7%"),
    ("provinces", "11", "个", "其余来自11个省份"),
    ("m_apply", "3", "倍", "报名人数为录取名额的近3倍"),
    ("m_enr", "18", "人", "最终录取18人，比上年多3人"),
    ("m_enr_diff", "3", "人", "最终录取18人，比上年多3人"),
    ("ug", "1,050", "人", "在校本科生1,050人"),
    ("ug_prev", "1,030", "人", "较上年末1,030人增加20人"),
    ("ug_diff", "20", "人", "较上年末1,030人增加20人"),
    ("m_in", "33", "人", "在读硕士生33人"),
    ("students", "1,083", "人", "全院在校生合计1,083人"),
    ("grad", "255", "人", "本年度本科毕业255人"),
    ("m_grad", "12", "人", "首届硕士毕业12人"),
    ("loss", "5", "名", "另有5名本科生退学或转出"),
    ("core", "64", "门", "共开设专业核心课程64门"),
    ("imported", "24", "门", "引进课程24门，占37.5%"),
    ("imported_rate", "37.5", "%", "引进课程24门，占37.5%"),
    ("fr_hours", "1,452", "学时", "外方教师讲授专业核心课程1,452学时"),
    ("core_hours", "3,960", "学时", "占总学时3,960学时的36.7%"),
    ("fr_hours_rate", "36.7", "%", "占总学时3,960学时的36.7%"),
    ("t_fr_onsite", "24", "名", "来华讲授课程的外方教师有24名"),
    ("t_fr_remote", "7", "名", "仍以远程方式授课的有7名"),
    ("coursework", "40%~60", "%", "平时成绩占比一般为40%~60%"),
    ("awards", "177", "人次", "获得各级竞赛奖励177人次"),
    ("awards_growth", "9.9", "%", "同比增长9.9%"),
    ("aw_nat", "21", "人次", "国家级21人次"),
    ("aw_prov", "52", "人次", "省级52人次"),
    ("aw_school", "104", "人次", "校级104人次"),
    ("aw_persons", "141", "人", "获奖学生共141人（不重复统计）"),
    ("dc", "34", "项", "立项34项"),
    ("dc_nat", "9", "项", "其中国家级9项、省级25项"),
    ("dc_prov", "25", "项", "其中国家级9项、省级25项"),
    ("research_st", "206", "人", "学生参与教师科研课题的有206人"),
    ("papers", "22", "篇", "以第一作者发表论文22篇"),
    ("exch", "68", "人", "交换学习的本科生为68人"),
    ("exch_prev", "42", "人", "较上年的42人增长61.9%"),
    ("exch_growth", "61.9", "%", "较上年的42人增长61.9%"),
    ("exch_cum", "496", "人", "学院累计派出交换生496人"),
    ("m_intern", "16", "人", "硕士生中有16人赴法完成研究实习"),
    ("intern_months", "3至4", "个月", "实习时间为3至4个月"),
    ("teachers", "88", "人", "2022年学院有任课教师88人"),
    ("t_cn", "57", "人", "其中中方教师57人"),
    ("t_fr", "31", "人", "外方教师31人"),
    ("t_fr_rate", "35.2", "%", "外方教师占35.2%"),
    ("phd", "67", "人", "具有博士学位的67人"),
    ("phd_rate", "76.1", "%", "占76.1%，比上年提高2.3个百分点"),
    ("phd_pp", "2.3", "个百分点", "占76.1%，比上年提高2.3个百分点"),
    ("students_again", "1,083", "人", "全院在校生1,083人，生师比为12.3:1"),
    ("st_ratio", "12.3", ":1", "生师比为12.3:1"),
    ("new_prof", "3", "名", "瓦尔蒙大学新派3名教授"),
    ("new_phd", "4", "人", "学院新引进博士4人"),
    ("t_abroad", "5", "名", "选派5名青年教师赴瓦尔蒙大学进修"),
    ("t_abroad_len", "3~6", "个月", "每人时长3~6个月"),
    ("t_train", "8", "场", "全年开展教学技能培训8场"),
    ("t_train_n", "260", "人次", "参加教师约260人次"),
    ("qc_meet", "3", "次", "联合质量委员会本年度召开会议3次"),
    ("rules", "5", "项", "等制度5项"),
    ("eval_courses", "224", "门次", "全年评教覆盖课程224门次"),
    ("eval_good", "96.8", "%", "优良率为96.8%"),
    ("visits", "192", "节次", "共听课192节次"),
    ("suggestions", "31", "条", "提出改进意见31条"),
    ("transcripts", "238", "份", "本年度审定课程成绩单共计238份"),
    ("sv_n", "948", "份", "收回有效问卷948份"),
    ("sv_sat", "903", "份", "满意及非常满意的有903份"),
    ("stud_sat", "９５．３", "％", "满意度为９５．３％"),
    ("stud_sat_pp", "0.6", "个百分点", "比上年提高0.6个百分点"),
    ("emp_n", "71", "家", "录用2022届毕业生的71家用人单位"),
    ("emp_ok", "69", "家", "其中69家表示满意"),
    ("emp_sat", "97.2", "%", "用人单位满意度为97.2%"),
    ("forum", "180", "人", "企业代表约180人参会"),
    ("media", "7", "次", "被省级以上媒体报道7次"),
    ("media_diff", "2", "次", "报道7次，比上年多2次"),
    ("fee_ug", "58,000", "元", "本科生每生每年仍为58,000元"),
    ("fee_m", "68,000", "元", "硕士生每生每年68,000元，与上年持平"),
    ("income", "7,750.0", "万元", "2022年学院收入7,750.0万元"),
    ("inc_tuition", "6,314.4", "万元", "其中学费收入6,314.4万元，占81.5%"),
    ("inc_tuition_sh", "81.5", "%", "其中学费收入6,314.4万元，占81.5%"),
    ("inc_match", "880.0", "万元", "学校配套经费880.0万元，占11.4%"),
    ("inc_match_sh", "11.4", "%", "学校配套经费880.0万元，占11.4%"),
    ("inc_research", "351.5", "万元", "科研及社会服务收入351.5万元，占4.5%"),
    ("inc_research_sh", "4.5", "%", "科研及社会服务收入351.5万元，占4.5%"),
    ("inc_research_growth", "12.5", "%", "占4.5%，同比增长12.5%"),
    ("inc_other", "204.1", "万元", "外方资助及其他204.1万元，占2.6%"),
    ("inc_other_sh", "2.6", "%", "外方资助及其他204.1万元，占2.6%"),
    ("expense", "7,500.0", "万元", "全年支出7,500.0万元"),
    ("balance", "250.0", "万元", "结余250.0万元"),
    ("intl_diff", "65.8", "万元", "国际交流支出增加65.8万元"),
    ("intl_growth", "68.4", "%", "增幅68.4%"),
    ("grad_text", "255", "人", "2022届本科毕业生共255人"),
    ("placed", "244", "人", "已落实毕业去向的244人"),
    ("placed_rate", "95.7", "%", "毕业去向落实率95.7%"),
    ("study", "163", "人", "升学人数合计163人"),
    ("study_rate", "63.9", "%", "深造率63.9%，比上年提高2.6个百分点"),
    ("study_pp", "2.6", "个百分点", "深造率63.9%，比上年提高2.6个百分点"),
    ("to_valmont", "70", "人", "赴瓦尔蒙大学继续学习的有70人"),
    ("grad_cum", "734", "人", "学院累计已培养本科毕业生734人"),
    ("m_grad_text", "12", "名", "首届12名硕士生全部按期毕业"),
    ("m_phd", "3", "人", "其中3人继续攻读博士学位"),
    ("m_phd_fr", "2", "人", "赴法2人、国内1人"),
    ("m_phd_cn", "1", "人", "赴法2人、国内1人"),
    ("m_job", "9", "人", "9人进入企业和科研院所工作"),
    ("m_placed_rate", "100", "%", "毕业去向落实率100%"),
    ("branches", "7", "个", "学院党总支下设7个党支部"),
    ("members", "136", "人", "党员总数136人"),
    ("mem_staff", "43", "人", "其中教工党员43人"),
    ("mem_stud", "93", "人", "学生党员93人"),
    ("new_mem", "25", "人", "全年发展学生党员25人"),
    ("ideo_courses", "10", "门", "学院遴选中方课程10门"),
    ("counsellors", "8", "人", "专职辅导员增至8人"),
    ("couns_ratio", "135", "", "与在校生之比约为1:135"),
    ("psy", "100", "%", "新生心理普查覆盖率继续保持100%"),
    ("counselling", "320", "人次", "全年开展个体咨询约320人次"),
    ("projects", "6", "个", "到四年级共完成6个项目"),
    ("bases_new", "4", "个", "2022年学院新增实习基地4个"),
    ("bases", "32", "个", "总数达到32个"),
],
2023: [
    ("abs_enr", "300", "", "admitted 300 first-year bachelor's students"),
    ("abs_m_enr", "20", "", "and 20 master's students"),
    ("abs_students", "1,123", "", "had 1,123 students on roll"),
    ("abs_grad", "262", "", "Of the 262 graduates of the class of 2023"),
    ("abs_study", "171", "", "171 went on to postgraduate study"),
    ("abs_placed_rate", "96.6", "%", "the placement rate reached 96.6%"),
    ("master_len", "2", "年", "硕士层次举办化学工程领域合作项目，学制2年"),
    ("board", "11", "人", "理事会成员11人，构成与往年相同"),
    ("board_meet", "2", "次", "2023年理事会召开会议2次"),
    ("enr", "300", "人", "学院录取本科新生300人"),
    ("enr_growth", "7.1", "%", "同比增长7.1%"),
    ("enr_che", "125", "人", "其中化学工程与工艺125人"),
    ("enr_mat", "100", "人", "材料科学与工程100人"),
    ("enr_env", "75", "人", "环境工程75人"),
    ("first", "284", "人", "第一志愿录取284人"),
    ("first_rate", "94.7", "%", "一志愿率94.7%"),
    ("local", "174", "人", "省内生源174人，占58.0%"),
    ("local_rate", "58.0", "%", "省内生源174人，占58.0%"),
    ("m_enr", "20", "人", "硕士项目录取20人"),
    ("ug", "1,085", "人", "年末在校本科生1,085人"),
    ("m_in", "38", "人", "硕士生38人，合计1,123人"),
    ("students", "1,123", "人", "硕士生38人，合计1,123人"),
    ("grad", "262", "人", "全年毕业本科生262人"),
    ("m_grad", "15", "人", "硕士生15人，退学转出本科生3人"),
    ("loss", "3", "人", "退学转出本科生3人"),
    ("core", "66", "门", "修订后专业核心课程为66门"),
    ("imported", "26", "门", "其中引进课程26门，占39.4%"),
    ("imported_rate", "39.4", "%", "其中引进课程26门，占39.4%"),
    ("awards", "194", "人次", "全年学生获各级竞赛奖励194人次"),
    ("awards_growth", "9.6", "%", "同比增长9.6%"),
    ("aw_nat", "26", "人次", "其中国家级26人次"),
    ("aw_prov", "58", "人次", "省级58人次"),
    ("aw_school", "110", "人次", "校级110人次"),
    ("aw_persons", "152", "人", "获奖学生152人（不重复统计）"),
    ("dc", "36", "项", "大创项目立项36项"),
    ("dc_nat", "10", "项", "国家级10项、省级26项"),
    ("dc_prov", "26", "项", "国家级10项、省级26项"),
    ("papers", "26", "篇", "学生以第一作者发表论文26篇"),
    ("patents", "5", "项", "申请发明专利5项"),
    ("exch", "135", "人", "赴瓦尔蒙大学交换的本科生达135人"),
    ("exch_prev", "68", "人", "比上年的68人增长98.5%"),
    ("exch_growth", "98.5", "%", "比上年的68人增长98.5%"),
    ("exch_cum", "631", "人", "学院累计派出交换生631人"),
    ("m_intern", "19", "人", "另有硕士生19人赴法完成研究实习"),
    ("teachers", "92", "人", "学院共有任课教师92人"),
    ("t_cn", "59", "人", "中方59人、外方33人"),
    ("t_fr", "33", "人", "中方59人、外方33人"),
    ("t_fr_rate", "35.9", "%", "外方教师占35.9%"),
    ("phd", "72", "人", "博士学位教师72人，占78.3%"),
    ("phd_rate", "78.3", "%", "博士学位教师72人，占78.3%"),
    ("phd_pp", "2.2", "个百分点", "较上年提高2.2个百分点"),
    ("st_ratio", "12.2", ":1", "生师比为12.2:1"),
    ("assoc_prof_text", "33", "人", "副高级职称教师33人，与外方教师人数恰好相同"),
    ("fly_weeks", "3~5", "周", "每门课程在华集中教学时间为3~5周"),
    ("t_abroad", "7", "人", "学院选派中方教师7人赴法进修"),
    ("t_abroad_diff", "2", "人", "赴法进修，比上年多2人"),
    ("new_sup", "6", "人", "新聘硕士生导师6人"),
    ("sup", "21", "人", "硕士导师总数增至21人"),
    ("workshops", "9", "场", "学院组织双语教学工作坊9场"),
    ("workshop_n", "300", "人次", "约300人次参加"),
    ("eval_courses", "231", "门次", "学生评教覆盖课程231门次"),
    ("eval_good", "97.1", "%", "优良率97.1%"),
    ("visits", "205", "节次", "督导听课205节次"),
    ("transcripts", "246", "份", "联合考试委员会审定成绩单246份"),
    ("sv_n", "1,002", "份", "共回收有效问卷1,002份"),
    ("sv_sat", "963", "份", "满意和非常满意的963份"),
    ("stud_sat", "96.1", "%", "学生满意度96.1%"),
    ("stud_sat_pp", "0.8", "个百分点", "比上年提高0.8个百分点，已连续两年上升"),
    ("emp_n", "78", "家", "学院回访78家接收毕业生的用人单位"),
    ("emp_ok", "77", "家", "77家表示满意"),
    ("emp_sat", "98.7", "%", "用人单位满意度98.7%"),
    ("media", "11", "次", "全年被报道11次"),
    ("forum", "200", "名", "吸引了逾200名代表参加"),
    ("fee_ug", "58,000", "元", "本科生每生每年58,000元"),
    ("fee_m", "68,000", "元", "硕士生每生每年68,000元"),
    ("income", "8,400.0", "万元", "2023年总收入8,400.0万元"),
    ("income_growth", "8.4", "%", "比上年增长8.4%"),
    ("expense", "8,200.0", "万元", "总支出8,200.0万元"),
    ("expense_growth", "9.3", "%", "比上年增长9.3%"),
    ("balance", "200.0", "万元", "结余200.0万元"),
    ("match_diff", "320.0", "万元", "学校配套经费增加320.0万元"),
    ("match_growth", "36.4", "%", "增加320.0万元，增长36.4%"),
    ("lab_diff", "300.0", "万元", "实验室建设与设备购置支出增加300.0万元"),
    ("lab_growth", "41.7", "%", "增长41.7%，用于中试实验平台"),
    ("intl_growth", "75.9", "%", "国际交流支出增长75.9%"),
    ("grad_text", "262", "人", "2023届本科毕业生262人"),
    ("placed_rate", "96.6", "%", "毕业去向落实率96.6%"),
    ("study", "171", "人", "深造人数171人"),
    ("study_rate", "65.3", "%", "深造率65.3%"),
    ("grad_cum", "996", "人", "学院累计培养本科毕业生996人"),
    ("m_grad_text", "15", "人", "第二届硕士毕业生15人"),
    ("m_phd", "4", "人", "其中4人读博"),
    ("m_job", "10", "人", "10人就业"),
    ("m_wait", "1", "人", "1人待就业"),
    ("m_placed_rate", "93.3", "%", "落实率93.3%"),
    ("m_cum", "27", "人", "两届合计培养硕士27人"),
    ("branches", "7", "个", "学院党总支有党支部7个"),
    ("members", "146", "人", "党员146人"),
    ("mem_staff", "45", "人", "教工党员45人"),
    ("mem_stud", "101", "人", "学生党员101人"),
    ("new_mem", "27", "人", "本年度发展学生党员27人"),
    ("counsellors", "8", "人", "专职辅导员仍为8人"),
    ("psy", "100", "%", "新生心理普查覆盖率100%"),
    ("clubs", "14", "个", "学生社团增至14个"),
    ("bases_new", "3", "个", "学院新增实习基地3个"),
    ("bases", "35", "个", "总数达35个"),
    ("m_plan", "25", "人", "将硕士招生增至25人左右"),
],
}

# ---------------------------------------------------------------------------
# 2. Expected tables.  Each: (year, header keyword, {row label: [cells...]}).
#    Every cell is a declared figure; the row text is its snippet.
# ---------------------------------------------------------------------------
MAJORS = ["化学工程与工艺", "材料科学与工程", "环境工程"]
TAB = {
 (2021, "majors"): ("毕业生", {"化学工程与工艺": ["120", "470", "118"], "材料科学与工程": ["90", "350", "86"],
                     "环境工程": ["60", "210", "44"], "合计": ["270", "1,030", "248"]}),
 (2021, "awards"): ("获奖人次", {"国家级": ["18", "11.2"], "省级": ["47", "29.2"], "校级": ["96", "59.6"],
                     "合计": ["161", "100.0"]}),
 (2021, "titles"): ("中方", {"正高级": ["14", "8", "22", "26.2"], "副高级": ["19", "11", "30", "35.7"],
                     "中级": ["20", "7", "27", "32.1"], "初级及其他": ["3", "2", "5", "6.0"],
                     "合计": ["56", "28", "84", "100.0"]}),
 (2021, "income"): ("学费收入", {"学费收入": ["6,157.6", "82.1"], "学校配套经费": ["850.0", "11.3"],
                     "科研及社会服务收入": ["312.4", "4.2"], "外方资助及其他": ["180.0", "2.4"],
                     "合计": ["7,500.0", "100.0"]}),
 (2021, "expense"): ("教职工薪酬", {"教职工薪酬": ["2,610.5", "36.3"], "外方教师授课及服务费": ["1,980.0", "27.5"],
                     "教学运行与教学资源": ["980.3", "13.6"], "实验室建设与设备购置": ["760.0", "10.6"],
                     "学生资助与奖励": ["420.0", "5.8"], "国际交流": ["96.2", "1.3"],
                     "行政管理及其他": ["353.0", "4.9"], "合计": ["7,200.0", "100.0"]}),
 (2022, "majors"): ("毕业生", {"化学工程与工艺": ["120", "472", "116"], "材料科学与工程": ["95", "356", "88"],
                     "环境工程": ["65", "222", "51"], "合计": ["280", "1,050", "255"]}),
 (2022, "age"): ("年龄段", {"35岁及以下": ["23", "26.1"], "36~45岁": ["39", "44.3"], "46~55岁": ["19", "21.6"],
                  "56岁及以上": ["7", "8.0"], "合计": ["88", "100.0"]}),
 (2022, "expense"): ("较上年增减", {"教职工薪酬": ["2,745.0", "+134.5", "36.6"],
                     "外方教师授课及服务费": ["2,050.0", "+70.0", "27.3"],
                     "教学运行与教学资源": ["1,012.0", "+31.7", "13.5"],
                     "实验室建设与设备购置": ["720.0", "-40.0", "9.6"], "学生资助与奖励": ["446.0", "+26.0", "5.9"],
                     "国际交流": ["162.0", "+65.8", "2.2"], "行政管理及其他": ["365.0", "+12.0", "4.9"],
                     "合计": ["7,500.0", "+300.0", "100.0"]}),
 (2022, "dest"): ("去向", {"境外深造": ["124", "48.6"], "国内深造": ["39", "15.3"], "直接就业": ["81", "31.8"],
                  "待就业": ["11", "4.3"], "合计": ["255", "100.0"]}),
 (2023, "majors"): ("毕业生（人）", {"化学工程与工艺": ["125", "481", "114"], "材料科学与工程": ["100", "368", "87"],
                     "环境工程": ["75", "236", "61"], "合计": ["300", "1,085", "262"]}),
 (2023, "titles"): ("中方", {"正高级": ["16", "9", "25", "27.2"], "副高级": ["21", "12", "33", "35.9"],
                     "中级": ["19", "10", "29", "31.5"], "初级及其他": ["3", "2", "5", "5.4"],
                     "合计": ["59", "33", "92", "100.0"]}),
 (2023, "income"): ("收入项目", {"学费收入": ["6,551.4", "78.0"], "学校配套经费": ["1,200.0", "14.3"],
                     "科研及社会服务收入": ["398.6", "4.7"], "外方资助及其他": ["250.0", "3.0"],
                     "合计": ["8,400.0", "100.0"]}),
 (2023, "expense"): ("支出项目", {"教职工薪酬": ["2,880.0", "35.1"], "外方教师授课及服务费": ["2,130.0", "26.0"],
                     "教学运行与教学资源": ["1,050.0", "12.8"], "实验室建设与设备购置": ["1,020.0", "12.4"],
                     "学生资助与奖励": ["470.0", "5.7"], "国际交流": ["285.0", "3.5"],
                     "行政管理及其他": ["365.0", "4.5"], "合计": ["8,200.0", "100.0"]}),
 (2023, "dest"): ("毕业去向", {"境外深造": ["131", "50.0"], "国内深造": ["40", "15.3"], "直接就业": ["82", "31.3"],
                   "待就业": ["9", "3.4"], "合计": ["262", "100.0"]}),
 (2023, "multi"): ("2021年", {"本科招生（人）": ["270", "280", "300"], "在校生（人）": ["1,057", "1,083", "1,123"],
                   "任课教师（人）": ["84", "88", "92"], "外方教师（人）": ["28", "31", "33"],
                   "生师比": ["12.6", "12.3", "12.2"], "深造率（%）": ["61.3", "63.9", "65.3"],
                   "毕业去向落实率（%）": ["95.2", "95.7", "96.6"], "学生满意度（%）": ["94.7", "95.3", "96.1"],
                   "总收入（万元）": ["7,500.0", "7,750.0", "8,400.0"]}),
}

F = {}        # (year, metric) -> Decimal


def cn_or_num(w):
    if w in CN:
        return D(CN[w])
    w2 = w.split("~")[0].split("至")[0].split("%")[0]
    return num(w2)


print("== 1. declared prose figures")
ndecl = 0
for y in YEARS:
    for metric, written, unit, snip in DECL[y]:
        ndecl += 1
        inunit = any(snip in u for u in UNITS[y])
        form = written + unit if unit not in ("", ":1") else written
        check(f"{y} {metric}={written}{unit} in snippet and snippet in report",
              inunit and form in snip, f"snippet found={inunit}; {form!r} in {snip!r}")
        F[(y, metric)] = cn_or_num(written)

print("== 2. tables")


def find_table(y, kw):
    for t in TABLES[y]:
        if any(kw == c or (kw in c and len(kw) > 3) for r in t[:2] for c in r):
            return t
    return None


for (y, name), (kw, rows) in TAB.items():
    t = find_table(y, kw)
    if not check(f"{y} table {name} present", t is not None, kw):
        continue
    got = {r[0]: r[1:] for r in t}
    for label, cells in rows.items():
        ndecl += len(cells)
        check(f"{y} table {name} row {label} = {cells}", got.get(label) == cells, got.get(label))
        for j, c in enumerate(cells):
            F[(y, f"T{name}:{label}:{j}")] = num(c)
    # sums, shares
    header = t[0] if name != "titles" or y != 2021 else t[1]
    if y == 2021 and name == "titles":
        header = t[1]
    hdr = header[1:]
    data = [r for r in rows if r != "合计"]
    tot = rows.get("合计")
    if tot:
        share_cols = [j for j, h in enumerate(hdr) if "占比" in h]
        amt_col = next((j for j, h in enumerate(hdr) if h == "合计"), 0)
        for j, h in enumerate(hdr):
            if j in share_cols:
                s = sum(num(rows[l][j]) for l in data)
                check(f"{y} table {name} {h} sums to 100.0 (±0.1)", abs(s - 100) <= D("0.1"), s)
                for l in data:
                    check(f"{y} table {name} {l} {h} = amount/合计",
                          share_ok(num(rows[l][amt_col]), num(tot[amt_col]), rows[l][j]),
                          (rows[l][amt_col], tot[amt_col], rows[l][j]))
            else:
                s = sum(num(rows[l][j]) for l in data)
                check(f"{y} table {name} column {h} sums to 合计", s == num(tot[j]), (s, tot[j]))
        if amt_col and name == "titles":
            for l in rows:
                check(f"{y} table {name} {l} 中方+外方=合计",
                      num(rows[l][0]) + num(rows[l][1]) == num(rows[l][2]), rows[l])


def g(y, k):
    return F[(y, k)]


def T(y, name, label, j):
    return F[(y, f"T{name}:{label}:{j}")]


print("== 3. identities")
for y in YEARS:
    check(f"{y} majors' intake = enrolment", sum(T(y, "majors", m, 0) for m in MAJORS) == g(y, "enr"))
    check(f"{y} majors' intake in text", [T(y, "majors", m, 0) for m in MAJORS]
          == [g(y, "enr_che"), g(y, "enr_mat"), g(y, "enr_env")])
    check(f"{y} table undergrads = text", T(y, "majors", "合计", 1) == g(y, "ug"))
    check(f"{y} table graduates = text", T(y, "majors", "合计", 2) == g(y, "grad") == g(y, "grad_text"))
    check(f"{y} 本科+硕士 = 在校生", g(y, "ug") + g(y, "m_in") == g(y, "students"))
    check(f"{y} 中方+外方 = 任课教师", g(y, "t_cn") + g(y, "t_fr") == g(y, "teachers"))
    check(f"{y} 生师比 = 在校生/任课教师", share_ok(g(y, "students"), g(y, "teachers"), g(y, "st_ratio"), per=1))
    check(f"{y} 一志愿率", share_ok(g(y, "first"), g(y, "enr"), g(y, "first_rate")))
    check(f"{y} 省内生源占比", share_ok(g(y, "local"), g(y, "enr"), g(y, "local_rate")))
    check(f"{y} 博士占比", share_ok(g(y, "phd"), g(y, "teachers"), g(y, "phd_rate")))
    check(f"{y} 引进课程占比", share_ok(g(y, "imported"), g(y, "core"), g(y, "imported_rate")))
    check(f"{y} 引进课程超过三分之一", 3 * g(y, "imported") > g(y, "core"))
    check(f"{y} 学生满意度 = 满意份数/有效问卷", share_ok(g(y, "sv_sat"), g(y, "sv_n"), g(y, "stud_sat")))
    check(f"{y} 用人单位满意度", share_ok(g(y, "emp_ok"), g(y, "emp_n"), g(y, "emp_sat")))
    check(f"{y} 获奖 国家+省+校 = 合计", g(y, "aw_nat") + g(y, "aw_prov") + g(y, "aw_school") == g(y, "awards"))
    check(f"{y} 获奖学生(不重复) ≤ 获奖人次", g(y, "aw_persons") <= g(y, "awards"))
    check(f"{y} 大创 国家+省 = 立项", g(y, "dc_nat") + g(y, "dc_prov") == g(y, "dc"))
    check(f"{y} 党员 教工+学生 = 合计", g(y, "mem_staff") + g(y, "mem_stud") == g(y, "members"))
    check(f"{y} 收入 - 支出 = 结余", g(y, "income") - g(y, "expense") == g(y, "balance"))
    check(f"{y} 学费收入 = 本科生×学费 + 硕士生×学费",
          T(y, "income", "学费收入", 0) == (g(y, "ug") * g(y, "fee_ug") + g(y, "m_in") * g(y, "fee_m")) / 10000
          if (y, "Tincome:学费收入:0") in F else g(y, "inc_tuition") ==
          (g(y, "ug") * g(y, "fee_ug") + g(y, "m_in") * g(y, "fee_m")) / 10000)
    check(f"{y} 深造率", share_ok(g(y, "study"), g(y, "grad"), g(y, "study_rate")))
    if y != 2021:
        check(f"{y} 外方教师占比", share_ok(g(y, "t_fr"), g(y, "teachers"), g(y, "t_fr_rate")))
        check(f"{y} 支出表合计 = 总支出", T(y, "expense", "合计", 0) == g(y, "expense"))
        check(f"{y} 去向表 境外+国内 = 深造", T(y, "dest", "境外深造", 0) + T(y, "dest", "国内深造", 0) == g(y, "study"))
        placed = g(y, "grad") - T(y, "dest", "待就业", 0)
        check(f"{y} 去向表 落实率 = (毕业-待就业)/毕业", share_ok(placed, g(y, "grad"), g(y, "placed_rate")))
        check(f"{y} 去向表合计 = 毕业生", T(y, "dest", "合计", 0) == g(y, "grad"))
# 2021-specific
y = 2021
check("2021 外方教师恰好占三分之一", 3 * g(y, "t_fr") == g(y, "teachers"))
check("2021 境外+国内 = 深造", g(y, "abroad") + g(y, "domestic") == g(y, "study"))
check("2021 深造+就业 = 落实", g(y, "study") + g(y, "employed") == g(y, "placed"))
check("2021 落实率", share_ok(g(y, "placed"), g(y, "grad"), g(y, "placed_rate")))
check("2021 境外深造占比", share_ok(g(y, "abroad"), g(y, "grad"), g(y, "abroad_rate")))
check("2021 国内深造占比", share_ok(g(y, "domestic"), g(y, "grad"), g(y, "domestic_rate")))
check("2021 赴瓦尔蒙 ≤ 境外深造", g(y, "to_valmont") <= g(y, "abroad"))
check("2021 外方学时占比", share_ok(g(y, "fr_hours"), g(y, "core_hours"), g(y, "fr_hours_rate")))
check("2021 正高占比", share_ok(g(y, "prof"), g(y, "teachers"), g(y, "prof_rate")))
check("2021 职称表 = 正高/任课/中方/外方", (T(y, "titles", "正高级", 2), T(y, "titles", "合计", 2),
      T(y, "titles", "合计", 0), T(y, "titles", "合计", 1)) == (g(y, "prof"), g(y, "teachers"), g(y, "t_cn"), g(y, "t_fr")))
check("2021 获奖表 = 正文", [T(y, "awards", l, 0) for l in ("国家级", "省级", "校级", "合计")]
      == [g(y, "aw_nat"), g(y, "aw_prov"), g(y, "aw_school"), g(y, "awards")])
check("2021 收入表合计 = 总收入", T(y, "income", "合计", 0) == g(y, "income"))
check("2021 支出表合计 = 总支出", T(y, "expense", "合计", 0) == g(y, "expense"))
check("2021 国际交流 正文 = 表", T(y, "expense", "国际交流", 0) == g(y, "intl_exp_text"))
check("2021 流失率‰", share_ok(g(y, "loss"), g(y, "ug"), g(y, "loss_rate"), per=1000))
check("2021 在校本科 = 上年末+招生-毕业-流失", g(y, "ug_prev") + g(y, "enr") - g(y, "grad") - g(y, "loss") == g(y, "ug"))
check("2021 较上年末多18人", g(y, "ug") - g(y, "ug_prev") == g(y, "ug_diff"))
check("2021 交换生 比2020年少15人", g(y, "exch_prev") - g(y, "exch") == g(y, "exch_diff"))
check("2021 硕士在读 = 首届12 + 本年15", g(y, "master_first_intake") + g(y, "m_enr") == g(y, "m_in"))
check("2021 理事会 中方+外方", g(y, "board_cn") + g(y, "board_fr") == g(y, "board"))
check("2021 党支部 教工+学生", g(y, "br_staff") + g(y, "br_stud") == g(y, "branches"))
check("2021 教学表彰 含重复: 级别之和 > 人数", g(y, "honor_nat") + g(y, "honor_prov") + g(y, "honor_school") > g(y, "honor_t"))
check("2021 辅导员比 1:151", round(g(y, "students") / g(y, "counsellors")) == g(y, "couns_ratio"))
check("2021 外方教师28 = 实习基地28 (巧合)", g(y, "t_fr_again") == g(y, "bases") == g(y, "t_fr"))
check("2021 SCI ≤ 论文; DELF, 雅思 ≤ 毕业生", g(y, "sci") <= g(y, "papers") and max(g(y, "delf"), g(y, "ielts")) <= g(y, "grad"))
# 2022-specific
y = 2022
check("2022 理事会 中方+外方", g(y, "board_cn") + g(y, "board_fr") == g(y, "board"))
check("2022 在校本科 = 上年末+招生-毕业-流失", g(y, "ug_prev") + g(y, "enr") - g(y, "grad") - g(y, "loss") == g(y, "ug"))
check("2022 较上年末增加20人", g(y, "ug") - g(y, "ug_prev") == g(y, "ug_diff"))
check("2022 硕士在读 = 上年+招生-毕业", g(2021, "m_in") + g(y, "m_enr") - g(y, "m_grad") == g(y, "m_in"))
check("2022 首届硕士毕业 = 首届招生", g(y, "m_grad") == g(2021, "master_first_intake") == g(y, "m_grad_text"))
check("2022 硕士 读博+就业 = 毕业 (落实率100%)", g(y, "m_phd") + g(y, "m_job") == g(y, "m_grad")
      and share_ok(g(y, "m_phd") + g(y, "m_job"), g(y, "m_grad"), g(y, "m_placed_rate")))
check("2022 硕士读博 赴法+国内", g(y, "m_phd_fr") + g(y, "m_phd_cn") == g(y, "m_phd"))
check("2022 外方来华+远程 = 外方教师", g(y, "t_fr_onsite") + g(y, "t_fr_remote") == g(y, "t_fr"))
check("2022 外方学时占比", share_ok(g(y, "fr_hours"), g(y, "core_hours"), g(y, "fr_hours_rate")))
check("2022 外方学时比上年有所增加", g(y, "fr_hours") > g(2021, "fr_hours"))
check("2022 年龄表合计 = 任课教师", T(y, "age", "合计", 0) == g(y, "teachers"))
check("2022 落实 = 表中深造+就业", T(y, "dest", "境外深造", 0) + T(y, "dest", "国内深造", 0)
      + T(y, "dest", "直接就业", 0) == g(y, "placed"))
check("2022 收入四项之和 = 收入", g(y, "inc_tuition") + g(y, "inc_match") + g(y, "inc_research") + g(y, "inc_other") == g(y, "income"))
for k in ("inc_tuition", "inc_match", "inc_research", "inc_other"):
    check(f"2022 {k} 占比", share_ok(g(y, k), g(y, "income"), g(y, k + "_sh")))
check("2022 占比四项之和 100.0", sum(g(y, k + "_sh") for k in ("inc_tuition", "inc_match", "inc_research", "inc_other")) == 100)
check("2022 硕士赴法实习 ≤ 在读", g(y, "m_intern") <= g(y, "m_in"))
check("2022 国际交流 正文增加 = 表增减", g(y, "intl_diff") == T(y, "expense", "国际交流", 1))
check("2022 辅导员比 1:135", round(g(y, "students") / g(y, "counsellors")) == g(y, "couns_ratio"))
check("2022 赴瓦尔蒙 ≤ 境外深造", g(y, "to_valmont") <= T(y, "dest", "境外深造", 0))
check("2022 计划=录取", g(y, "enr_plan") == g(y, "enr"))
# 2023-specific
y = 2023
check("2023 在校本科 = 上年末+招生-毕业-流失", g(2022, "ug") + g(y, "enr") - g(y, "grad") - g(y, "loss") == g(y, "ug"))
check("2023 硕士在读 = 上年+招生-毕业", g(2022, "m_in") + g(y, "m_enr") - g(y, "m_grad") == g(y, "m_in"))
check("2023 硕士 读博+就业+待就业 = 毕业", g(y, "m_phd") + g(y, "m_job") + g(y, "m_wait") == g(y, "m_grad") == g(y, "m_grad_text"))
check("2023 硕士落实率", share_ok(g(y, "m_phd") + g(y, "m_job"), g(y, "m_grad"), g(y, "m_placed_rate")))
check("2023 职称表 = 任课/中方/外方", (T(y, "titles", "合计", 2), T(y, "titles", "合计", 0), T(y, "titles", "合计", 1))
      == (g(y, "teachers"), g(y, "t_cn"), g(y, "t_fr")))
check("2023 副高33 = 外方33 (恰好相同)", T(y, "titles", "副高级", 2) == g(y, "t_fr") == g(y, "assoc_prof_text"))
check("2023 境外深造恰好占一半", 2 * T(y, "dest", "境外深造", 0) == g(y, "grad"))
check("2023 收入表合计 = 总收入", T(y, "income", "合计", 0) == g(y, "income"))
check("2023 累计996 近千", D(950) <= g(y, "grad_cum") < 1000)
check("2023 英文摘要数字 = 正文", (g(y, "abs_enr"), g(y, "abs_m_enr"), g(y, "abs_students"), g(y, "abs_grad"),
      g(y, "abs_study"), g(y, "abs_placed_rate")) == (g(y, "enr"), g(y, "m_enr"), g(y, "students"), g(y, "grad"),
                                                    g(y, "study"), g(y, "placed_rate")))
check("2023 硕士导师 新聘 ≤ 总数", g(y, "new_sup") <= g(y, "sup"))
check("2023 赴法实习 ≤ 在读硕士", g(y, "m_intern") <= g(y, "m_in"))
check("2023 硕士规划 增至25 > 本年20", g(y, "m_plan") > g(y, "m_enr"))
for l, k in (("本科招生（人）", "enr"), ("在校生（人）", "students"), ("任课教师（人）", "teachers"),
             ("外方教师（人）", "t_fr"), ("生师比", "st_ratio"), ("深造率（%）", "study_rate"),
             ("毕业去向落实率（%）", "placed_rate"), ("学生满意度（%）", "stud_sat"), ("总收入（万元）", "income")):
    for j, yy in enumerate(YEARS):
        check(f"2023 三年指标表 {l} {yy} = {yy} 报告", T(2023, "multi", l, j) == g(yy, k), (T(2023, "multi", l, j), g(yy, k)))

print("== 4. cumulative series, stated comparisons")
check("累计毕业生 2022 = 2021 + 2022届", g(2021, "grad_cum") + g(2022, "grad") == g(2022, "grad_cum"))
check("累计毕业生 2023 = 2022 + 2023届", g(2022, "grad_cum") + g(2023, "grad") == g(2023, "grad_cum"))
check("累计派出 2022 = 2021 + 2022", g(2021, "exch_cum") + g(2022, "exch") == g(2022, "exch_cum"))
check("累计派出 2023 = 2022 + 2023", g(2022, "exch_cum") + g(2023, "exch") == g(2023, "exch_cum"))
check("累计硕士 2023 = 12 + 15", g(2022, "m_grad") + g(2023, "m_grad") == g(2023, "m_cum"))
check("实习基地 2022 = 28 + 4", g(2021, "bases") + g(2022, "bases_new") == g(2022, "bases"))
check("实习基地 2023 = 32 + 3", g(2022, "bases") + g(2023, "bases_new") == g(2023, "bases"))
check("2022 在校本科上年末 = 2021", g(2022, "ug_prev") == g(2021, "ug"))
check("2022 交换生上年 = 2021", g(2022, "exch_prev") == g(2021, "exch"))
check("2023 交换生上年 = 2022", g(2023, "exch_prev") == g(2022, "exch"))
check("2022 媒体报道比上年多2次", g(2022, "media") - g(2021, "media") == g(2022, "media_diff"))
check("2023 赴法进修教师比上年多2人", g(2023, "t_abroad") - g(2022, "t_abroad") == g(2023, "t_abroad_diff"))
check("2022 硕士比上年多3人", g(2022, "m_enr") - g(2021, "m_enr") == g(2022, "m_enr_diff"))
check("2022 获奖同比增长9.9%", growth_ok(g(2022, "awards"), g(2021, "awards"), g(2022, "awards_growth")))
check("2023 获奖同比增长9.6%", growth_ok(g(2023, "awards"), g(2022, "awards"), g(2023, "awards_growth")))
check("2022 交换生增长61.9%", growth_ok(g(2022, "exch"), g(2021, "exch"), g(2022, "exch_growth")))
check("2023 交换生增长98.5%", growth_ok(g(2023, "exch"), g(2022, "exch"), g(2023, "exch_growth")))
check("2023 招生同比增长7.1%", growth_ok(g(2023, "enr"), g(2022, "enr"), g(2023, "enr_growth")))
check("2022 科研收入同比增长12.5%", growth_ok(g(2022, "inc_research"), T(2021, "income", "科研及社会服务收入", 0),
                                        g(2022, "inc_research_growth")))
check("2023 总收入增长8.4%", growth_ok(g(2023, "income"), g(2022, "income"), g(2023, "income_growth")))
check("2023 总支出增长9.3%", growth_ok(g(2023, "expense"), g(2022, "expense"), g(2023, "expense_growth")))
check("2022 国际交流增幅68.4%", growth_ok(T(2022, "expense", "国际交流", 0), T(2021, "expense", "国际交流", 0),
                                      g(2022, "intl_growth")))
check("2023 国际交流增长75.9%", growth_ok(T(2023, "expense", "国际交流", 0), T(2022, "expense", "国际交流", 0),
                                      g(2023, "intl_growth")))
check("2023 配套经费增加320.0 / 36.4%", T(2023, "income", "学校配套经费", 0) - g(2022, "inc_match") == g(2023, "match_diff")
      and growth_ok(T(2023, "income", "学校配套经费", 0), g(2022, "inc_match"), g(2023, "match_growth")))
check("2023 实验室支出增加300.0 / 41.7%",
      T(2023, "expense", "实验室建设与设备购置", 0) - T(2022, "expense", "实验室建设与设备购置", 0) == g(2023, "lab_diff")
      and growth_ok(T(2023, "expense", "实验室建设与设备购置", 0), T(2022, "expense", "实验室建设与设备购置", 0),
                    g(2023, "lab_growth")))
check("2023 行政管理及其他 与上年持平", T(2023, "expense", "行政管理及其他", 0) == T(2022, "expense", "行政管理及其他", 0))
for lab in TAB[(2022, "expense")][1]:
    cur, prev = T(2022, "expense", lab, 0), T(2021, "expense", lab, 0)
    check(f"2022 支出表 较上年增减 {lab}", cur - prev == T(2022, "expense", lab, 1), (cur, prev))
check("2022 博士占比提高2.3个百分点", g(2022, "phd_rate") - g(2021, "phd_rate") == g(2022, "phd_pp"))
check("2023 博士占比提高2.2个百分点", g(2023, "phd_rate") - g(2022, "phd_rate") == g(2023, "phd_pp"))
check("2022 深造率提高2.6个百分点", g(2022, "study_rate") - g(2021, "study_rate") == g(2022, "study_pp"))
check("2022 学生满意度提高0.6个百分点", g(2022, "stud_sat") - g(2021, "stud_sat") == g(2022, "stud_sat_pp"))
check("2023 学生满意度提高0.8个百分点, 连续两年上升", g(2023, "stud_sat") - g(2022, "stud_sat") == g(2023, "stud_sat_pp")
      and g(2021, "stud_sat") < g(2022, "stud_sat") < g(2023, "stud_sat"))
for k in ("fee_ug", "fee_m", "board"):
    check(f"{k} 三年不变 (与上年持平/构成相同)", g(2021, k) == g(2022, k) == g(2023, k))
check("2022 辅导员增至8 / 2023 仍为8", g(2021, "counsellors") < g(2022, "counsellors") == g(2023, "counsellors"))
check("2023 社团增至14", g(2023, "clubs") > g(2021, "clubs"))
check("2022 党支部新增1个", g(2022, "branches") == g(2021, "branches") + 1 == g(2023, "branches"))

print("== 5. year-over-year changes above ±30% need a reason sentence")
REASONS = {
    ("exch", 2022): "主要是法方自本年起恢复接收线下交换生",
    ("exch", 2023): "主要原因是法方新增暑期学期",
    ("Texpense:国际交流:0", 2022): "原因是外方教师恢复来华、学生交换人数回升",
    ("Texpense:国际交流:0", 2023): "原因是交换生人数成倍增加、外方教师全部来华",
    ("Texpense:实验室建设与设备购置:0", 2023): "用于中试实验平台的反应、分离设备购置",
    ("inc_match", 2023): "新增部分是学校为绿色化工中试实验平台拨付的建设配套资金",
    ("media", 2023): "CTI认证结果公布后，学院受到省内外媒体关注",
    ("media", 2022): "增加的报道主要围绕这次论坛",
    ("t_abroad", 2023): "原因是瓦尔蒙大学恢复接待访问学者",
}
SERIES = ["enr", "students", "ug", "teachers", "t_fr", "t_cn", "phd", "awards", "aw_nat", "aw_prov", "aw_school",
          "aw_persons", "dc", "papers", "exch", "eval_courses", "visits", "members", "mem_stud", "mem_staff",
          "new_mem", "bases", "sv_n", "emp_n", "grad", "study", "first", "local", "core", "imported",
          "income", "expense", "inc_match", "media", "m_enr", "m_in",
          "m_intern", "clubs", "counsellors", "forum", "new_sup", "board_meet", "transcripts", "emp_ok", "sv_sat",
          "t_abroad", "branches", "dc_nat", "dc_prov", "to_valmont", "m_grad", "honor_t"]
SERIES += [f"Texpense:{l}:0" for l in TAB[(2021, "expense")][1]]
SERIES += [f"Tincome:{l}:0" for l in TAB[(2021, "income")][1]]
ALIAS = {(2022, "inc_match"): "inc_match", (2022, "Tincome:学校配套经费:0"): "inc_match",
         (2022, "Tincome:学费收入:0"): "inc_tuition", (2022, "Tincome:科研及社会服务收入:0"): "inc_research",
         (2022, "Tincome:外方资助及其他:0"): "inc_other", (2022, "Tincome:合计:0"): "income",
         (2023, "inc_match"): "Tincome:学校配套经费:0"}


def val(y, k):
    if (y, k) in F:
        return F[(y, k)]
    if (y, k) in ALIAS and (y, ALIAS[(y, k)]) in F:
        return F[(y, ALIAS[(y, k)])]
    return None


for k in SERIES:
    for y in YEARS[1:]:
        a, b = val(y - 1, k), val(y, k)
        if a is None or b is None or a < 5:
            continue
        ch = (b - a) * 100 / a
        if abs(ch) > 30:
            key = (k.replace("Tincome:学校配套经费:0", "inc_match"), y)
            r = REASONS.get(key)
            check(f"{y} {k} change {ch:+.1f}% has a reason sentence", r is not None and r in FULL[y], r)
        else:
            check(f"{y} {k} change {ch:+.1f}% within ±30%", True)
for (k, y), r in REASONS.items():
    check(f"{y} reason for {k} present in report", r in FULL[y], r)

print("== 6. structure and realism")
SECTIONS = {
    2021: ["一、办学基本情况", "二、学生培养", "三、师资队伍建设", "四、教学质量保障", "五、社会评价",
           "六、财务管理", "七、学生就业与深造", "八、党建与学生工作", "九、办学特色"],
    2022: ["第一部分 办学基本情况", "第二部分 学生培养", "第三部分 师资队伍建设", "第四部分 教学质量保障",
           "第五部分 社会评价", "第六部分 财务管理", "第七部分 毕业生就业", "第八部分 党建与思政", "第九部分 办学特色"],
    2023: ["一、办学基本情况", "二、学生培养", "三、师资队伍建设", "四、教学质量保障", "五、社会评价",
           "六、财务管理", "七、毕业生就业", "八、党建与学生工作", "九、办学特色"],
}
for y in YEARS:
    h1 = [t for s, t in PARAS[y] if s == "H1"]
    check(f"{y} nine sections in order", h1 == SECTIONS[y], h1)
    h2 = [t for s, t in PARAS[y] if s == "H2"]
    pat = {2021: r"（[一二三四五]）", 2022: r"\d\. ", 2023: r"（[一二三四五]）"}[y]
    check(f"{y} sub-headings styled {pat}", h2 and all(re.match(pat, t) for t in h2), h2[:3])
    han = len(re.findall(r"[\u4e00-\u9fff]", FULL[y] if y != 2023 else (KNOW / FILES[y]).read_text(encoding="utf-8")))
    check(f"{y} Han characters about 3,000 ({han})", 2700 <= han <= 3400, han)
    src = (KNOW / FILES[y]).read_text(encoding="utf-8") if y == 2023 else \
        "\n".join([t for _, t in PARAS[y]] + [c for t in TABLES[y] for r in t for c in r])
    toks = [t for t in re.findall(r"[0-9０-９][0-9０-９,.．]*", src) if not re.fullmatch(r"20\d\d", t)
            and "MOE" not in t]
    toks = [t for t in toks if t not in ("20160418",)]
    check(f"{y} numeric tokens 180–250 ({len(toks)})", 180 <= len(toks) <= 250, len(toks))
    cover = [t for _, t in PARAS[y][:7]]
    check(f"{y} cover block", any("中外合作办学机构" == c for c in cover) and any(f"{y}年度自评报告" == c for c in cover)
          and any("MOE47FRA02DNR20160418N" in c for c in cover) and any(c.startswith("机构名称") for c in cover), cover)
    check(f"{y} tables: {len(TABLES[y])}", len(TABLES[y]) >= (5 if y == 2023 else 4))
    check(f"{y} mentions partner Université de Valmont / 瓦尔蒙大学", "瓦尔蒙大学" in FULL[y])
fw = [y for y in YEARS if re.search(r"[０-９]", FULL[y])]
check("full-width digits in exactly one report (2022)", fw == [2022], fw)
check("‰ used (2021)", "‰" in FULL[2021])
check("English abstract only in 2023", "Abstract:" in FULL[2023] and not any("Abstract:" in FULL[y] for y in (2021, 2022)))
allt = "".join(FULL.values())
for mark in ("约", "余", "逾", "近", "三分之一", "~", "至", "人次", "万元", "个百分点", "不重复统计", "含重复", "与上年持平",
             "二十三门", "同比增长", "Université de Valmont"):
    check(f"realism marker {mark!r} present", mark in allt)
check("thousands separators used", all(re.search(r"\d,\d{3}", FULL[y]) for y in YEARS))
docx21 = Document(str(KNOW / FILES[2021]))
t = docx21.tables[2]
check("2021 title table has merged header cells", t.rows[0].cells[1]._tc is t.rows[0].cells[3]._tc
      and t.rows[0].cells[0]._tc is t.rows[1].cells[0]._tc)

print("== 7. retrieval.jsonl")
items = [json.loads(l) for l in (ROOT / "retrieval.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
check(f"retrieval has 60 items ({len(items)})", len(items) == 60)
SRC = {rel: y for y, rel in FILES.items()}
kinds = {}
for i, it in enumerate(items):
    need = {"question", "answer", "evidence", "source", "year", "kind", "lang"}
    ok = need <= set(it)
    check(f"q{i + 1} fields", ok, set(it))
    if not ok:
        continue
    kinds[(it["kind"], it["lang"])] = kinds.get((it["kind"], it["lang"]), 0) + 1
    pairs = [(it["source"], it["evidence"])]
    if it["kind"] == "range":
        ok = isinstance(it["year"], list) and set(map(str, it["year"])) == set(it["evidence_by_year"]) \
            == set(it["source_by_year"]) and it["evidence"] == it["evidence_by_year"][str(min(it["year"]))]
        check(f"q{i + 1} range fields consistent", ok)
        pairs += [(it["source_by_year"][k], v) for k, v in it["evidence_by_year"].items()]
        for k, s in it["source_by_year"].items():
            check(f"q{i + 1} source for {k} matches year", SRC.get(s.replace("reports/", "reports/")) == int(k), s)
    else:
        check(f"q{i + 1} source matches year", SRC.get(it["source"]) == it["year"], it["source"])
    for s, ev in pairs:
        y = SRC.get(s)
        check(f"q{i + 1} evidence ≤40 chars, inside one unit of {s}: {ev}",
              y is not None and len(ev) <= 40 and any(ev in u for u in UNITS[y]), ev)
        check(f"q{i + 1} question does not contain its evidence", ev not in it["question"])
    if it["kind"] == "figure":
        nums = re.findall(r"\d[\d,.]*", it["evidence"].translate(FW))
        check(f"q{i + 1} figure answer repeats a number of its evidence",
              any(n.rstrip(".") in it["answer"].translate(FW) for n in nums), (nums, it["answer"]))
qs = [it["question"] for it in items]
check("questions unique", len(set(qs)) == len(qs))
nk = {k: sum(v for (kk, _), v in kinds.items() if kk == k) for k in ("figure", "fact", "range")}
nen = sum(v for (_, l), v in kinds.items() if l == "en")
check(f"kind mix figure/fact/range = {nk}, en = {nen}", 33 <= nk["figure"] <= 39 and 8 <= nk["fact"] <= 12
      and 10 <= nk["range"] <= 14 and 5 <= nen <= 8, kinds)

print("== 8. originality (no 12-char run shared with the reference report)")
if REFERENCE.exists():
    ref = re.sub(r"\s", "", REFERENCE.read_text(encoding="utf-8"))
    grams = {ref[i:i + 12] for i in range(len(ref) - 11)}
    for y in YEARS:
        units = [t for _, t in PARAS[y][7 if y != 2023 else 8:]] + [c for tb in TABLES[y] for r in tb for c in r]
        hits = []
        for u in units:
            s = re.sub(r"\s", "", u)
            hits += [s[i:i + 12] for i in range(len(s) - 11) if s[i:i + 12] in grams]
        check(f"{y} shares no 12-char run with the 2020 reference", not hits, hits[:5])
else:
    check("reference report present", False, str(REFERENCE))

print(f"declared figures: {ndecl}")
check(f"at least 350 declared figures ({ndecl})", ndecl >= 350)
print(f"SUMMARY: {len(PASSED)} OK, {len(FAILED)} FAIL")
sys.exit(1 if FAILED else 0)
