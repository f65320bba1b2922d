#!/usr/bin/env python3
"""Checks for corpus3 (岱川理工大学-罗斯克莱大学联合学院, fictional).

Run from this folder:  python verify.py
Prints one OK/FAIL line per check and a summary; exit status 1 if anything fails.
Standard library only.
"""
import json
import re
import sys
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

ROOT = Path(__file__).resolve().parent
KNOW = ROOT / "knowledge"
FILES = {
    2022: "reports/2022年度自评报告.md",
    2023: "reports/2023年度自评报告.txt",
    2024: "reports/2024年度自评报告.md",
}
YEARS = sorted(FILES)
RAW = {y: (KNOW / p).read_text(encoding="utf-8") for y, p in FILES.items()}
FOOTER = re.compile(r"^— \d+ —$")


def flatten(text):
    """Join hard-wrapped lines (2023 PDF layout) and drop page footers."""
    keep = [l for l in text.split("\n") if l.strip() and not FOOTER.match(l.strip())]
    return "".join(keep)


FLAT = {y: flatten(t) for y, t in RAW.items()}

PASSED, FAILED = [], []


def check(name, cond, info=""):
    (PASSED if cond else FAILED).append(name)
    print(("OK   " if cond else "FAIL ") + name + ("" if cond else "  -- " + str(info)))
    return cond


def D(x):
    return Decimal(str(x))


def rnd(x, places):
    return D(x).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decimals_of(s):
    s = str(s)
    return len(s.split(".")[1]) if "." in s else 0


def share_ok(part, base, written, per=100):
    """written == round_half_up(part/base*per) at the written number of decimals."""
    w = str(written)
    return rnd(D(part) * per / D(base), decimals_of(w)) == D(w)


# ---------------------------------------------------------------------------
# 1. Declared figures.  (key, written form, snippet[, numeric value])
#    The snippet must occur in the report (for 2023 after joining the wrapped
#    lines) and the written form must occur inside the snippet.
# ---------------------------------------------------------------------------
DECL = {
    2022: [
        ("enr", "245", "共录取新生245人"),
        ("enr_mech", "160", "其中机械设计制造及其自动化专业160人"),
        ("enr_id", "85", "工业设计专业85人"),
        ("provinces", "16", "招生计划覆盖16个省份"),
        ("first", "224", "第一志愿录取224人"),
        ("first_rate", "91.4", "一志愿率为91.4%"),
        ("local_enr", "138", "滇江省内考生138人"),
        ("local_enr_rate", "56.3", "占新生的56.3%"),
        ("nonlocal_enr", "107", "省外考生107人"),
        ("ins", "909", "全院在校本科生共909人"),
        ("ins_prev", "856", "比上年末的856人多出53人"),
        ("ins_diff", "53", "比上年末的856人多出53人"),
        ("ins_abroad", "148", "四年级学生148人也计入在校生"),
        ("t_mech", "601", "| 机械设计制造及其自动化 | 160 | 601 | 126 |"),
        ("t_id", "308", "| 工业设计 | 85 | 308 | 63 |"),
        ("grad_mech", "126", "其中机械设计制造及其自动化专业126人"),
        ("grad_id", "63", "工业设计专业63人"),
        ("labs", "9", "产品造型等实验室9个"),
        ("equip", "6320", "教学科研仪器设备总值达6320万元"),
        ("equip_new", "540", "其中本年新增540万元"),
        ("credits_mech", "168", "毕业要求168学分"),
        ("credits_id", "164", "工业设计专业要求164学分"),
        ("core", "42", "全院开设专业核心课程42门"),
        ("imp", "16", "从罗斯克莱大学引进16门"),
        ("imp_rate", "38.1", "引进课程占比38.1%"),
        ("core_h", "2688", "核心课程合计2688学时"),
        ("for_h", "1056", "由外方教师讲授1056学时"),
        ("for_h_rate", "39.3", "由外方教师讲授1056学时，占39.3%"),
        ("ielts_n", "206", "参加雅思考试的有206人"),
        ("ielts_pass", "163", "总分6.0及以上的163人"),
        ("ielts_rate", "79.1", "达标率79.1%"),
        ("sent", "148", "共派出148名四年级学生赴英学习"),
        ("visa", "9", "另有9名学生因签证办理延误"),
        ("cum_sent", "560", "累计赴英学生已达560人"),
        ("exch", "48", "全年参与48人次"),
        ("exch_on", "36", "其中线上项目36人次"),
        ("exch_off", "12", "线下项目12人次"),
        ("exch_people", "45", "涉及学生45人（不重复统计）"),
        ("dc", "23", "大创项目立项23项"),
        ("dc_nat", "8", "（国家级8项，省级15项）"),
        ("dc_prov", "15", "（国家级8项，省级15项）"),
        ("aw", "101", "等赛事中获奖101人次"),
        ("stu_pap", "12", "学生以第一作者发表论文12篇"),
        ("stu_pat", "19", "申请专利19项"),
        ("tch", "80", "承担教学任务的教师共80人"),
        ("cn", "52", "中方教师52人"),
        ("fn", "28", "外方教师28人"),
        ("fn_rate", "35.0", "外方教师占35.0%"),
        ("phd", "54", "具有博士学位的54人"),
        ("phd_rate", "67.5", "博士学位教师占比67.5%"),
        ("ratio", "11.4", "生师比为11.4:1"),
        ("new_phd", "6", "学院本年新引进博士6人"),
        ("train", "14", "共14人次"),
        ("fn_resident", "7", "外方教师中有7人全程在岱川校区授课"),
        ("pap", "68", "教师全年发表论文68篇"),
        ("sci", "41", "被SCI、EI收录41篇"),
        ("pat", "15", "获授权专利15项"),
        ("jg", "3", "新立项省级教改项目3项"),
        ("cmte_each", "4", "中英双方各4名"),
        ("meet", "4", "本年召开会议4次"),
        ("sup", "212", "随堂听课212学时"),
        ("moder", "16", "对16门引进课程的试卷"),
        ("moder_pass", "16", "16门课程全部通过"),
        ("ev", "186", "学生评教覆盖186门次课程"),
        ("ev_good", "179", "评价为优良的179门次"),
        ("ev_rate", "96.2", "优良率96.2%"),
        ("forum", "8", "学院组织学生座谈会8次"),
        ("fb", "57", "收集意见建议57条"),
        ("fb_done", "52", "年内已落实52条"),
        ("fb_rate", "91.2", "落实率91.2%"),
        ("fb_left", "5", "未落实的5条"),
        ("first_grads", "175", "学院首届毕业生175人离校"),
        ("cum_grad", "364", "学院累计毕业生达364人"),
        ("sat_n", "842", "有效问卷842份"),
        ("sat_k", "781", "表示满意的781人"),
        ("sat", "92.8", "满意度92.8%"),
        ("emp_n", "76", "回收有效问卷76份"),
        ("emp_k", "71", "其中71家表示满意"),
        ("emp_sat", "93.4", "用人单位满意度93.4%"),
        ("media", "23", "被省级以上媒体报道23篇次"),
        ("fee", "55000", "学费标准为每生每学年55000元"),
        ("inc", "4685", "2022年收入合计4685万元"),
        ("inc_fee", "4210", "其中学费收入4210万元"),
        ("inc_sp", "380", "学校专项拨款380万元"),
        ("inc_oth", "95", "其他收入95万元"),
        ("inc_fee_rate", "89.9", "学费收入占总收入的89.9%"),
        ("exp", "4500", "全年支出4500万元"),
        ("surplus", "185", "收支结余185万元"),
        ("schol", "290", "全年发放各类奖助学金290万元"),
        ("schol_n", "312", "惠及学生312人次"),
        ("grads", "189", "2022届毕业生189人"),
        ("placed", "178", "已落实毕业去向178人"),
        ("placed_rate", "94.18", "落实率94.18%"),
        ("fur", "117", "选择继续深造的117人"),
        ("fur_rate", "61.90", "深造率61.90%"),
        ("abr", "96", "境外深造96人"),
        ("abr_rate", "50.79", "占毕业生的50.79%"),
        ("dom", "21", "国内深造21人"),
        ("dom_rate", "11.11", "国内深造21人，占11.11%"),
        ("qs", "58", "QS世界排名前100高校的58人"),
        ("qs_rate", "60.4", "的58人，占60.4%"),
        ("job", "61", "直接就业61人"),
        ("job_local", "34", "在滇江省内就业34人"),
        ("job_local_rate", "55.7", "占就业人数的55.7%"),
        ("deg_cn", "186", "获岱川理工大学学士学位186人"),
        ("deg_uk", "171", "获罗斯克莱大学学士学位171人"),
        ("br", "6", "学院党委下设党支部6个"),
        ("br_stu", "4", "学生党支部4个"),
        ("br_staff", "2", "教工党支部2个"),
        ("mem", "117", "现有党员117名"),
        ("mem_stu", "86", "包括学生党员86名"),
        ("mem_staff", "31", "教职工党员31名"),
        ("dev", "21", "本年发展学生党员21名"),
        ("couns", "6", "学院配备专职辅导员6名"),
        ("psych", "245", "对245名新生完成心理健康普查"),
        ("clubs", "14", "学生社团14个"),
        ("vol", "6200", "全年志愿服务时长约6200小时"),
        ("bases", "22", "共建实习基地22个"),
        ("mentors", "35", "聘请企业导师35人"),
        ("topics", "22", "本年有22个毕业设计题目"),
        ("majors", "两", "工业设计两个本科专业", 2),
    ],
    2023: [
        ("enr", "255", "2023年学院录取新生255名"),
        ("enr_mech", "165", "机械设计制造及其自动化专业165名"),
        ("enr_id", "90", "工业设计专业90名"),
        ("enr_diff", "10", "比上年多录取10名"),
        ("first", "238", "第一志愿录取238名"),
        ("first_rate", "93.3", "第一志愿录取238名，占93.3%"),
        ("local_enr", "141", "滇江省生源141名"),
        ("local_enr_rate", "55.3", "滇江省生源141名，占55.3%"),
        ("ins", "959", "年末在校生959名"),
        ("ins_diff", "50", "比上年增加50名"),
        ("ins_mech", "629", "其中机械设计制造及其自动化专业629名"),
        ("ins_id", "330", "工业设计专业330名"),
        ("ins_abroad", "161", "在校生中有161名四年级学生"),
        ("equip_new", "560", "本年新增仪器设备560万元"),
        ("equip", "6880", "仪器设备总值增至6880万元"),
        ("labs_new", "1", "新建增材制造实验室1个"),
        ("labs", "10", "实验室总数达到10个"),
        ("core", "44", "全院专业核心课程44门"),
        ("imp", "17", "引进罗斯克莱大学课程17门"),
        ("imp_rate", "38.6", "课程17门，占38.6%"),
        ("core_h", "2816", "核心课程总学时2816学时"),
        ("for_h", "1120", "外方教师授课1120学时"),
        ("for_h_rate", "39.8", "外方教师授课1120学时，占39.8%"),
        ("eng_new", "12", "本年新开设全英文课程12门"),
        ("fn_prof", "12", "外方教师中具有教授职称的12人"),
        ("ielts_n", "214", "参加雅思考试214名"),
        ("ielts_pass", "176", "成绩达到总分6.0的176名"),
        ("ielts_rate", "82.2", "达标率82.2%"),
        ("ielts_pp", "3.1", "比上年提高3.1个百分点"),
        ("sent", "161", "秋季学期派出161名学生赴英"),
        ("cum_sent", "721", "累计派出人数达到721名"),
        ("exch", "65", "参与学生65人次"),
        ("exch_prev", "48", "比上年的48人次增长35.4%"),
        ("exch_g", "35.4", "比上年的48人次增长35.4%"),
        ("dc", "26", "大创项目立项26项"),
        ("dc_nat", "9", "其中国家级9项、省级17项"),
        ("dc_prov", "17", "其中国家级9项、省级17项"),
        ("aw", "117", "学生学科竞赛获奖117人次"),
        ("aw_diff", "16", "比上年增加16人次，增长15.8%"),
        ("aw_g", "15.8", "比上年增加16人次，增长15.8%"),
        ("joint_topics", "38", "全年完成校企联合课题38个"),
        ("stu_pap", "15", "学生以第一作者发表论文15篇"),
        ("stu_pat", "23", "申请专利23项"),
        ("tch", "86", "2023年任课教师86名"),
        ("cn", "55", "中方教师55名"),
        ("fn", "31", "外方教师31名"),
        ("fn_rate", "36.0", "外方教师所占比例为36.0%"),
        ("fn_pp", "1.0", "较上年提高1.0个百分点"),
        ("phd", "60", "具有博士学位的教师60名"),
        ("phd_rate", "69.8", "具有博士学位的教师60名，占69.8%"),
        ("ratio", "11.2", "全院生师比为11.2:1"),
        ("ratio_base", "959", "（按在校生959名计）"),
        ("t_prof", "20", "正高级职称20名"),
        ("t_assoc", "27", "副高级27名"),
        ("t_mid", "31", "中级31名"),
        ("t_jun", "8", "初级及其他8名"),
        ("train", "23", "赴罗斯克莱大学线下研修23人次"),
        ("train_prev", "14", "比上年的14人次增长64.3%"),
        ("train_g", "64.3", "比上年的14人次增长64.3%"),
        ("new_phd", "5", "本年新引进博士5名"),
        ("pap", "74", "教师发表论文74篇"),
        ("sci", "45", "SCI和EI检索论文45篇"),
        ("pat", "18", "获授权专利18项"),
        ("jg", "4", "新获省级教改项目4项"),
        ("books", "2", "出版双语教材2部"),
        ("meet", "5", "联合教学管理委员会本年召开会议5次"),
        ("moder", "17", "对全部17门引进课程开展外部审核"),
        ("peer", "27", "另对27门中方课程进行同行评议"),
        ("sup", "236", "督导组全年听课236学时"),
        ("ev", "198", "学生评教覆盖198门次"),
        ("ev_good", "192", "评价优良192门次"),
        ("ev_rate", "97.0", "优良率97.0%"),
        ("forum", "9", "本年召开学生座谈会9次"),
        ("fb", "63", "征集意见建议63条"),
        ("fb_done", "58", "已落实58条"),
        ("fb_rate", "92.1", "已落实58条，落实率92.1%"),
        ("lab_hours", "70", "将开放时间延长至每周70小时"),
        ("sat_n", "901", "收回有效答卷901份"),
        ("sat_k", "842", "满意842名"),
        ("sat", "93.5", "满意度93.5%"),
        ("sat_pp", "0.7", "比上年提高0.7个百分点"),
        ("emp_n", "88", "收回有效问卷88份"),
        ("emp_k", "83", "83家给出满意评价"),
        ("emp_sat", "94.3", "满意度94.3%"),
        ("cum_grad", "566", "学院累计毕业生566名"),
        ("media", "27", "被省级以上媒体报道27篇次"),
        ("inc", "5000", "2023年收入合计5000万元"),
        ("exp", "4790", "本年支出4790万元"),
        ("exp_g", "6.4", "比上年增长6.4%"),
        ("surplus", "210", "收支结余210万元"),
        ("schol", "310", "全年发放奖助学金310万元"),
        ("schol_n", "335", "资助学生335人次"),
        ("grads", "202", "2023届毕业生202名"),
        ("grad_mech", "135", "其中机械设计制造及其自动化专业135名"),
        ("grad_id", "67", "工业设计专业67名"),
        ("placed", "193", "毕业去向落实193名"),
        ("placed_rate", "95.54", "落实率95.54%"),
        ("placed_pp", "1.36", "比上年提高1.36个百分点"),
        ("fur", "131", "深造131名"),
        ("fur_rate", "64.85", "深造率64.85%"),
        ("abr", "104", "其中境外深造104名"),
        ("qs", "66", "进入QS世界排名前100高校的66名"),
        ("qs_rate", "63.5", "占境外深造人数的63.5%"),
        ("dom", "27", "国内深造27名"),
        ("job", "62", "直接就业62名"),
        ("job_local", "35", "在滇江省内就业35名"),
        ("job_local_rate", "56.5", "在滇江省内就业35名，占56.5%"),
        ("deg_cn", "199", "获岱川理工大学学士学位199名"),
        ("deg_uk", "183", "获罗斯克莱大学学士学位183名"),
        ("fairs", "4", "线上线下结合的双选会4场"),
        ("fair_units", "83", "邀请用人单位83家"),
        ("br", "6", "学院党委下设6个党支部"),
        ("br_stu", "4", "（学生党支部4个、教工党支部2个）"),
        ("br_staff", "2", "（学生党支部4个、教工党支部2个）"),
        ("mem", "127", "党员127名"),
        ("mem_stu", "94", "其中学生党员94名"),
        ("mem_staff", "33", "教职工党员33名"),
        ("dev", "24", "本年发展学生党员24名"),
        ("psych", "255", "完成255名新生心理普查"),
        ("events", "12", "系列活动12场"),
        ("clubs", "16", "学生社团增至16个"),
        ("couns", "6", "学院配备专职辅导员6名"),
        ("warn", "31", "本年共发出学业预警通知31份"),
        ("studios", "8", "两个专业共建项目工作室8个"),
        ("intl_aw_text", "9", "在国际级竞赛中获奖9人次"),
        ("bases", "26", "校企实习基地增至26个"),
        ("mentors", "41", "企业导师41人"),
        ("majors", "两", "工业设计两个本科专业", 2),
    ],
    2024: [
        ("enr", "320", "2024年共录取新生320人"),
        ("enr_prev", "255", "较上年的255人增长25.5%"),
        ("enr_g", "25.5", "较上年的255人增长25.5%"),
        ("enr_new", "60", "新增物流管理专业带来60个招生计划"),
        ("first", "301", "第一志愿录取301人"),
        ("first_rate", "94.1", "一志愿率94.1%"),
        ("local_enr", "176", "滇江省内生源176人"),
        ("local_enr_rate", "55.0", "占比55.0%"),
        ("ins", "1058", "年末在校生1058人"),
        ("ins_diff", "99", "比上年增加99人，增幅10.3%"),
        ("ins_g", "10.3", "比上年增加99人，增幅10.3%"),
        ("ins_abroad", "170", "四年级在英学习的学生共170人"),
        ("attr", "4", "全年退学、休学学生4人"),
        ("attr_pm", "3.8", "占在校生的3.8‰"),
        ("t_mech", "651", "| 机械设计制造及其自动化 | 170 | 651 | 145 |"),
        ("t_id", "347", "| 工业设计 | 90 | 347 | 72 |"),
        ("t_log", "60", "| 物流管理 | 60 | 60 | — |"),
        ("grads_t", "217", "| 合计 | 320 | 1058 | 217 |"),
        ("equip_new", "850", "全年新增仪器设备850万元"),
        ("equip", "7730", "仪器设备总值达到7730万元"),
        ("labs", "11", "实验室增至11个"),
        ("majors", "三", "扩展为三个专业", 3),
        ("core", "52", "专业核心课程增至52门"),
        ("imp", "20", "其中引进课程20门"),
        ("imp_rate", "38.5", "引进课程占比38.5%"),
        ("core_h", "3328", "核心课程总学时3328学时"),
        ("for_h", "1312", "外方教师承担1312学时"),
        ("for_h_rate", "39.4", "外方教师承担1312学时，占39.4%"),
        ("imp_log", "6", "物流管理专业的6门引进课程"),
        ("ielts_n", "226", "| 参加雅思考试人数（人） | 214 | 226 |"),
        ("ielts_pass", "191", "| 6.0分及以上人数（人） | 176 | 191 |"),
        ("ielts_rate", "84.5", "| 达标率（%） | 82.2 | 84.5 |"),
        ("sent", "170", "| 当年派出赴英学习（人） | 161 | 170 |"),
        ("cum_sent", "891", "| 累计派出（人） | 721 | 891 |"),
        ("p_ielts_n", "214", "| 参加雅思考试人数（人） | 214 | 226 |"),
        ("p_ielts_pass", "176", "| 6.0分及以上人数（人） | 176 | 191 |"),
        ("p_ielts_rate", "82.2", "| 达标率（%） | 82.2 | 84.5 |"),
        ("p_sent", "161", "| 当年派出赴英学习（人） | 161 | 170 |"),
        ("p_cum_sent", "721", "| 累计派出（人） | 721 | 891 |"),
        ("exch", "78", "短期交流项目参与78人次"),
        ("exch_g", "20.0", "比上年增长20.0%"),
        ("dc", "30", "大创项目共立项30项"),
        ("dc_nat", "11", "国家级11项、省级19项"),
        ("dc_prov", "19", "国家级11项、省级19项"),
        ("aw", "136", "学科竞赛获奖136人次"),
        ("aw_g", "16.2", "比上年增长16.2%"),
        ("aw_people", "97", "获奖学生97人（不重复统计）"),
        ("tch", "九十六", "学院任课教师九十六人", 96),
        ("cn", "62", "中方教师62人"),
        ("fn", "34", "外方教师34人"),
        ("fn_rate", "35.4", "外方教师比例35.4%"),
        ("phd", "68", "具有博士学位的教师68人"),
        ("phd_rate", "70.8", "具有博士学位的教师68人，占70.8%"),
        ("ratio", "11.0", "生师比为11.0:1"),
        ("ratio_base", "1058", "在校生1058人，生师比为11.0:1"),
        ("new_phd", "8", "本年新引进博士8人"),
        ("new_phd_log", "3", "其中3人充实物流管理专业"),
        ("train", "27", "中方教师赴英研修27人次"),
        ("train_diff", "4", "比上年增加4人次"),
        ("pap", "83", "教师发表论文83篇"),
        ("sci", "52", "SCI、EI收录52篇"),
        ("pat", "22", "获授权专利22项"),
        ("jg", "5", "新立项省级教改项目5项"),
        ("meet", "5", "| 联合教学管理委员会会议 | 5次 |"),
        ("sup", "268", "| 督导听课 | 268学时 |"),
        ("ev", "224", "| 学生评教 | 224门次 |"),
        ("ev_good", "219", "优良219门次，优良率97.8%"),
        ("ev_rate", "97.8", "优良219门次，优良率97.8%"),
        ("fb", "71", "| 学生意见建议 | 71条 |"),
        ("fb_done", "66", "已落实66条，落实率93.0%"),
        ("fb_rate", "93.0", "已落实66条，落实率93.0%"),
        ("moder", "20", "外方对全部20门引进课程实施外部审核"),
        ("sat_n", "986", "在校生满意度调查有效问卷986份"),
        ("sat_k", "932", "满意932人"),
        ("sat", "94.5", "满意度94.5%"),
        ("emp_n", "105", "回收有效问卷105份"),
        ("emp_k", "100", "100家单位表示满意"),
        ("emp_sat", "百分之九十五点二", "满意度为百分之九十五点二", Decimal("95.2")),
        ("cum_grad", "783", "学院累计毕业生783人"),
        ("fee", "55000", "学费标准保持每生每学年55000元不变"),
        ("sp_g", "45.2", "学校专项拨款比上年增长45.2%"),
        ("exp", "5480", "全年支出5480万元"),
        ("surplus", "285", "收支结余285万元"),
        ("lab_diff", "290", "实验室建设与设备支出增加290万元"),
        ("schol", "350", "全年发放奖助学金350万元"),
        ("schol_n", "368", "资助学生368人次"),
        ("grads", "217", "2024届毕业生217人"),
        ("placed", "209", "毕业去向落实209人"),
        ("placed_rate", "96.31", "落实率96.31%，连续三年提升"),
        ("fur", "145", "升学人数合计145人"),
        ("fur_rate", "66.82", "深造率66.82%"),
        ("qs", "74", "QS世界排名前100高校的74人"),
        ("qs_rate", "66.1", "高校的74人，占66.1%"),
        ("job", "64", "直接就业64人中"),
        ("job_local", "37", "在滇江省内就业37人"),
        ("job_local_rate", "57.8", "在滇江省内就业37人，占57.8%"),
        ("deg_cn", "214", "获岱川理工大学学士学位214人"),
        ("deg_uk", "196", "获罗斯克莱大学学士学位196人"),
        ("fairs", "5", "本年举办专场招聘会5场"),
        ("fair_units", "96", "邀请用人单位96家"),
        ("unplaced_help", "8", "对未落实去向的8名毕业生"),
        ("signed_later", "3", "已有3人签约"),
        ("br", "7", "学院党委下设党支部7个"),
        ("br_stu", "5", "（学生党支部5个、教工党支部2个）"),
        ("br_staff", "2", "（学生党支部5个、教工党支部2个）"),
        ("mem", "139", "党员139名"),
        ("mem_stu", "103", "其中学生党员103名"),
        ("mem_staff", "36", "教职工党员36名"),
        ("dev", "27", "本年发展学生党员27名"),
        ("apply", "一百二十六", "递交入党申请书的学生一百二十六人", 126),
        ("couns", "8", "专职辅导员增至8名"),
        ("couns_log", "2", "其中2名专门负责物流管理专业新生"),
        ("psych", "320", "完成320名新生的心理健康普查"),
        ("xproj", "19", "本年共完成此类项目19个"),
        ("bases", "31", "实习基地31个"),
        ("mentors", "48", "企业导师48人"),
    ],
}

V = {y: {} for y in YEARS}
for y in YEARS:
    bad = []
    for item in DECL[y]:
        key, written, snip = item[0], item[1], item[2]
        val = D(item[3]) if len(item) > 3 else D(written)
        if snip not in FLAT[y] or written not in snip:
            bad.append((key, snip))
        if key in V[y]:
            bad.append((key, "duplicate key"))
        V[y][key] = val
    check(f"{y} binding: {len(DECL[y])} declared snippets occur verbatim and contain their figure",
          not bad, bad[:5])

# ---------------------------------------------------------------------------
# 2. Tables
# ---------------------------------------------------------------------------
NUMCELL = re.compile(r"^-?\d+(?:\.\d+)?$")


def tables(text):
    out, cur = [], []
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("|") and s.endswith("|"):
            cur.append([c.strip() for c in s.strip("|").split("|")])
        else:
            if cur:
                out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    res = []
    for t in out:
        head, body = t[0], [r for r in t[1:] if not set("".join(r)) <= set("-: ")]
        res.append((head, body))
    return res


def num(cell):
    cell = cell.replace(",", "")
    return D(cell) if NUMCELL.match(cell) else None


TBL = {}  # (year, first header cell, row label) -> {header: Decimal}
for y in YEARS:
    n_total_tables = 0
    for head, body in tables(RAW[y]):
        for r in body:
            TBL.setdefault(y, {})[(head[0], r[0])] = dict(zip(head, r))
        total = [r for r in body if r[0] == "合计"]
        if not total:
            continue
        n_total_tables += 1
        total = total[0]
        parts = [r for r in body if r[0] != "合计"]
        title = f"{y} table [{head[0]} …]"
        for ci, h in enumerate(head[1:], start=1):
            if "增减（%）" in h:
                # growth column: (current - previous) / previous, columns 1 and 2
                errs = []
                for r in parts + [total]:
                    cur, prev, g = num(r[1]), num(r[2]), r[ci]
                    if not share_ok(cur - prev, prev, g):
                        errs.append(r[0])
                check(f"{title} column {h}: growth = (col1-col2)/col2", not errs, errs)
            elif "占比" in h or "比例" in h:
                errs = []
                ai = next((j for j, hh in enumerate(head) if hh.startswith("合计")), 1)
                base = num(total[ai])
                for r in parts:
                    if not share_ok(num(r[ai]), base, r[ci]):
                        errs.append((r[0], r[ci]))
                s = sum(num(r[ci]) for r in parts)
                check(f"{title} column {h}: each share = amount/合计, 合计 100.0, shares sum to 100.0",
                      not errs and total[ci] == "100.0" and s == D("100.0"), (errs, total[ci], s))
            else:
                vals = [num(r[ci]) if r[ci] not in ("—", "-") else D(0) for r in parts]
                if any(v is None for v in vals) or num(total[ci]) is None:
                    continue
                check(f"{title} column {h}: parts sum to 合计 {total[ci]}",
                      sum(vals) == num(total[ci]), (sum(vals), total[ci]))
    check(f"{y} has at least three pipe tables with a 合计 row (found {n_total_tables})", n_total_tables >= 3)


def cell(y, first_head, row, col):
    return num(TBL[y][(first_head, row)][col])


# ---------------------------------------------------------------------------
# 3. Identities within each year
# ---------------------------------------------------------------------------
def eq(name, a, b):
    check(name, D(a) == D(b), f"{a} != {b}")


def sh(name, part, base, written, per=100):
    check(name, share_ok(part, base, written, per), f"{part}/{base} -> {written}")


EXP_ITEMS = ["外方教学服务费", "教职工薪酬", "教学运行", "实验室建设与设备", "学生资助与奖励", "国际交流", "行政管理及其他"]
EXP_COL = {2022: "金额（万元）", 2023: "2023年（万元）", 2024: "金额（万元）"}
AW_HEAD = "级别"

for y in YEARS:
    v = V[y]
    p = f"{y} "
    # enrolment / students / graduates
    if y == 2024:
        eq(p + "enrolment table: 机械+工业设计+物流 = 320", cell(y, "专业", "机械设计制造及其自动化", "招生（人）")
           + cell(y, "专业", "工业设计", "招生（人）") + cell(y, "专业", "物流管理", "招生（人）"), v["enr"])
        eq(p + "new major intake (prose) = table 物流管理 招生", v["enr_new"], cell(y, "专业", "物流管理", "招生（人）"))
        eq(p + "new major: 招生 = 在校生 (first cohort)", cell(y, "专业", "物流管理", "招生（人）"),
           cell(y, "专业", "物流管理", "在校生（人）"))
        eq(p + "在校生 table total = prose", cell(y, "专业", "合计", "在校生（人）"), v["ins"])
        eq(p + "毕业生 table total = prose 2024届", cell(y, "专业", "合计", "毕业生（人）"), v["grads"])
        eq(p + "enr_prev (stated) = 2023 enrolment", v["enr_prev"], V[2023]["enr"])
        sh(p + "招生 growth 25.5% = (320-255)/255", v["enr"] - V[2023]["enr"], V[2023]["enr"], "25.5")
        eq(p + "在校生 increase 99 = 1058 - 959", v["ins"] - V[2023]["ins"], v["ins_diff"])
        sh(p + "在校生 growth 10.3%", v["ins_diff"], V[2023]["ins"], "10.3")
        sh(p + "退学休学 3.8‰ = 4/1058", v["attr"], v["ins"], "3.8", per=1000)
    else:
        eq(p + "enrolment: 机械 + 工业设计 = total", v["enr_mech"] + v["enr_id"], v["enr"])
        eq(p + "graduates: 机械 + 工业设计 = total", v["grad_mech"] + v["grad_id"], v["grads"])
    if y == 2022:
        eq(p + "enrolment table total = prose", cell(y, "专业", "合计", "2022年招生（人）"), v["enr"])
        eq(p + "在校生: 机械 601 + 工业设计 308 = 909", v["t_mech"] + v["t_id"], v["ins"])
        eq(p + "table 毕业生 机械 = prose", cell(y, "专业", "机械设计制造及其自动化", "2022届毕业生（人）"), v["grad_mech"])
        eq(p + "在校生 909 - 856 = 53", v["ins"] - v["ins_prev"], v["ins_diff"])
        eq(p + "省内 + 省外 = 新生", v["local_enr"] + v["nonlocal_enr"], v["enr"])
    if y == 2023:
        eq(p + "在校生: 机械 + 工业设计 = total", v["ins_mech"] + v["ins_id"], v["ins"])
        eq(p + "比上年多录取10名", v["enr"] - V[2022]["enr"], v["enr_diff"])
        eq(p + "在校生比上年增加50名", v["ins"] - V[2022]["ins"], v["ins_diff"])
    sh(p + "一志愿率", v["first"], v["enr"], v["first_rate"])
    sh(p + "省内生源占比", v["local_enr"], v["enr"], v["local_enr_rate"])
    eq(p + "四年级在英学生 = 当年派出", v["ins_abroad"], v["sent"])
    eq(p + "心理普查人数 = 新生人数", v["psych"], v["enr"])
    # courses
    sh(p + "引进课程占比", v["imp"], v["core"], v["imp_rate"])
    check(p + "引进课程 ≥ 1/3 of core courses", 3 * v["imp"] >= v["core"])
    sh(p + "外方教师讲授学时占比", v["for_h"], v["core_h"], v["for_h_rate"])
    check(p + "外方学时 ≥ 1/3 of core hours", 3 * v["for_h"] >= v["core_h"])
    eq(p + "外部审核课程数 = 引进课程数", v["moder"], v["imp"])
    # language and mobility
    sh(p + "雅思达标率", v["ielts_pass"], v["ielts_n"], v["ielts_rate"])
    # innovation, awards
    eq(p + "大创 国家级 + 省级 = 合计", v["dc_nat"] + v["dc_prov"], v["dc"])
    aw_col = "获奖人次"
    aw_sum = sum(cell(y, AW_HEAD, lv, aw_col) for lv in ("国际级", "国家级", "省级"))
    eq(p + "awards: 国际级+国家级+省级 = prose total", aw_sum, v["aw"])
    eq(p + "awards table 合计 = prose total", cell(y, AW_HEAD, "合计", aw_col), v["aw"])
    # teachers
    eq(p + "中方 + 外方 = 任课教师", v["cn"] + v["fn"], v["tch"])
    sh(p + "外方教师占比", v["fn"], v["tch"], v["fn_rate"])
    check(p + "外方教师 ≥ 1/3", 3 * v["fn"] >= v["tch"])
    sh(p + "博士学位教师占比", v["phd"], v["tch"], v["phd_rate"])
    check(p + f"生师比 {v['ratio']} = 在校生/任课教师 rounded",
          rnd(v["ins"] / v["tch"], 1) == v["ratio"], v["ins"] / v["tch"])
    check(p + "SCI/EI ≤ papers", v["sci"] <= v["pap"])
    # quality
    sh(p + "评教优良率", v["ev_good"], v["ev"], v["ev_rate"])
    sh(p + "意见建议落实率", v["fb_done"], v["fb"], v["fb_rate"])
    # satisfaction
    sh(p + "在校生满意度", v["sat_k"], v["sat_n"], v["sat"])
    sh(p + "用人单位满意度", v["emp_k"], v["emp_n"], v["emp_sat"])
    # finance
    ecol = EXP_COL[y]
    exp_items = {it: cell(y, "支出项目", it, ecol) for it in EXP_ITEMS}
    eq(p + "expenditure table 合计 = prose 总支出", cell(y, "支出项目", "合计", ecol), v["exp"])
    eq(p + "奖助学金 = table 学生资助与奖励", v["schol"], exp_items["学生资助与奖励"])
    eq(p + "新增仪器设备 = table 实验室建设与设备", v["equip_new"], exp_items["实验室建设与设备"])
    if y == 2022:
        eq(p + "收入: 学费 + 专项 + 其他 = 收入合计", v["inc_fee"] + v["inc_sp"] + v["inc_oth"], v["inc"])
        sh(p + "学费收入占比", v["inc_fee"], v["inc"], v["inc_fee_rate"])
        inc = v["inc"]
    else:
        inc = cell(y, "收入项目", "合计", "金额（万元）")
        if y == 2023:
            eq(p + "income table 合计 = prose 收入合计", inc, v["inc"])
    eq(p + "收入 - 支出 = 结余", inc - v["exp"], v["surplus"])
    # graduates
    sh(p + "毕业去向落实率", v["placed"], v["grads"], v["placed_rate"])
    sh(p + "深造率", v["fur"], v["grads"], v["fur_rate"])
    if y == 2024:
        gt = lambda r: cell(y, "毕业去向", r, "人数（人）")
        v["abr"], v["dom"] = gt("境外深造"), gt("国内深造")
        eq(p + "table 直接就业 = prose", gt("直接就业"), v["job"])
        eq(p + "table 未落实 = 毕业生 - 落实", gt("未落实"), v["grads"] - v["placed"])
        eq(p + "未落实帮扶人数 = 未落实", v["unplaced_help"], v["grads"] - v["placed"])
        check(p + "later signings ≤ unplaced", v["signed_later"] <= v["unplaced_help"])
    eq(p + "境外深造 + 国内深造 = 深造", v["abr"] + v["dom"], v["fur"])
    eq(p + "深造 + 直接就业 = 落实", v["fur"] + v["job"], v["placed"])
    sh(p + "QS前100占境外深造", v["qs"], v["abr"], v["qs_rate"])
    sh(p + "省内就业占直接就业", v["job_local"], v["job"], v["job_local_rate"])
    check(p + "degrees ≤ graduates", v["deg_cn"] <= v["grads"] and v["deg_uk"] <= v["grads"])
    # party
    eq(p + "学生党支部 + 教工党支部 = 党支部", v["br_stu"] + v["br_staff"], v["br"])
    eq(p + "学生党员 + 教职工党员 = 党员", v["mem_stu"] + v["mem_staff"], v["mem"])
    check(p + "发展党员 ≤ 学生党员", v["dev"] <= v["mem_stu"])

# year-specific extras
v = V[2022]
eq("2022 exchange: 线上 36 + 线下 12 = 48", v["exch_on"] + v["exch_off"], v["exch"])
sh("2022 境外深造占毕业生", v["abr"], v["grads"], v["abr_rate"])
sh("2022 国内深造占毕业生", v["dom"], v["grads"], v["dom_rate"])
eq("2022 未落实意见 = 57 - 52", v["fb"] - v["fb_done"], v["fb_left"])
eq("2022 审核通过 = 审核课程", v["moder_pass"], v["moder"])
eq("2022 title table 合计 = 任课教师", cell(2022, "职称", "合计", "合计（人）"), v["tch"])
eq("2022 title table 中方 合计 = 中方教师", cell(2022, "职称", "合计", "中方（人）"), v["cn"])
eq("2022 title table 外方 合计 = 外方教师", cell(2022, "职称", "合计", "外方（人）"), v["fn"])
for r in ("正高级", "副高级", "中级", "初级及其他", "合计"):
    eq(f"2022 title table row {r}: 中方 + 外方 = 合计", cell(2022, "职称", r, "中方（人）")
       + cell(2022, "职称", r, "外方（人）"), cell(2022, "职称", r, "合计（人）"))
eq("2022 award 项目 合计 = 46", cell(2022, "级别", "合计", "获奖项目（项）"), 46)
check("2022 外方驻校 ≤ 外方教师", v["fn_resident"] <= v["fn"])
check("2022 distinct exchange students (不重复统计) ≤ 人次", v["exch_people"] <= v["exch"])
check("2022 毕设企业题目 ≤ 毕业生", v["topics"] <= v["grads"])

v = V[2023]
eq("2023 title counts 20+27+31+8 = 任课教师", v["t_prof"] + v["t_assoc"] + v["t_mid"] + v["t_jun"], v["tch"])
eq("2023 age table 合计 = 任课教师", cell(2023, "年龄段", "合计", "人数（名）"), v["tch"])
eq("2023 ratio base = 在校生", v["ratio_base"], v["ins"])
check("2023 外方教授 ≤ 正高级", v["fn_prof"] <= v["t_prof"])
eq("2023 同行评议中方课程 = 核心 - 引进", v["peer"], v["core"] - v["imp"])
eq("2023 labs 9 + 1 new = 10", V[2022]["labs"] + v["labs_new"], v["labs"])
eq("2023 国际级 (九 section) = award table", v["intl_aw_text"], cell(2023, "级别", "国际级", "获奖人次"))
eq("2023 雅思达标率 +3.1 pp", v["ielts_rate"] - V[2022]["ielts_rate"], v["ielts_pp"])
eq("2023 exchange prev = 2022 exchange", v["exch_prev"], V[2022]["exch"])
sh("2023 exchange growth 35.4%", v["exch"] - v["exch_prev"], v["exch_prev"], v["exch_g"])
eq("2023 awards +16 人次", v["aw"] - V[2022]["aw"], v["aw_diff"])
sh("2023 awards growth 15.8%", v["aw_diff"], V[2022]["aw"], v["aw_g"])
for lv in ("国际级", "国家级", "省级", "合计"):
    eq(f"2023 award table 较上年 {lv} = 2023 - 2022", cell(2023, "级别", lv, "获奖人次")
       - cell(2022, "级别", lv, "获奖人次"), cell(2023, "级别", lv, "较上年增减（人次）"))
eq("2023 外方比例 +1.0 pp", v["fn_rate"] - V[2022]["fn_rate"], v["fn_pp"])
eq("2023 training prev = 2022", v["train_prev"], V[2022]["train"])
sh("2023 training growth 64.3%", v["train"] - v["train_prev"], v["train_prev"], v["train_g"])
eq("2023 满意度 +0.7 pp", v["sat"] - V[2022]["sat"], v["sat_pp"])
eq("2023 落实率 +1.36 pp", v["placed_rate"] - V[2022]["placed_rate"], v["placed_pp"])
sh("2023 expenditure growth 6.4%", v["exp"] - V[2022]["exp"], V[2022]["exp"], v["exp_g"])
for it in EXP_ITEMS:
    eq(f"2023 expenditure table 2022 column {it} = 2022 table", cell(2023, "支出项目", it, "2022年（万元）"),
       cell(2022, "支出项目", it, "金额（万元）"))
check("2023 lab opening hours plausible (≤ 168 per week)", v["lab_hours"] <= 168)

v = V[2024]
for r in ("正高级", "副高级", "中级", "初级及其他", "合计"):
    eq(f"2024 title table row {r}: 中方 + 外方 = 合计", cell(2024, "职称", r, "中方（人）")
       + cell(2024, "职称", r, "外方（人）"), cell(2024, "职称", r, "合计（人）"))
eq("2024 title table 合计 = 任课教师", cell(2024, "职称", "合计", "合计（人）"), v["tch"])
eq("2024 title table 中方 = 中方教师", cell(2024, "职称", "合计", "中方（人）"), v["cn"])
eq("2024 ratio base = 在校生", v["ratio_base"], v["ins"])
for k in ("ielts_n", "ielts_pass", "ielts_rate", "sent", "cum_sent"):
    eq(f"2024 table 2023 column {k} = 2023 report", v["p_" + k], V[2023][k])
sh("2024 exchange growth 20.0%", v["exch"] - V[2023]["exch"], V[2023]["exch"], v["exch_g"])
sh("2024 awards growth 16.2%", v["aw"] - V[2023]["aw"], V[2023]["aw"], v["aw_g"])
eq("2024 training +4 人次", v["train"] - V[2023]["train"], v["train_diff"])
inc24 = {it: cell(2024, "收入项目", it, "金额（万元）") for it in ("学费收入", "学校专项拨款", "其他收入")}
inc23 = {it: cell(2023, "收入项目", it, "金额（万元）") for it in inc24}
sh("2024 专项拨款 growth 45.2%", inc24["学校专项拨款"] - inc23["学校专项拨款"], inc23["学校专项拨款"], v["sp_g"])
check("2024 学费收入占比较上年有所下降",
      cell(2024, "收入项目", "学费收入", "占比（%）") < cell(2023, "收入项目", "学费收入", "占比（%）"))
eq("2024 fee unchanged (保持不变)", v["fee"], V[2022]["fee"])
for it in EXP_ITEMS + ["合计"]:
    eq(f"2024 expenditure 较上年增减 {it} = 2024 - 2023", cell(2024, "支出项目", it, "金额（万元）")
       - cell(2023, "支出项目", it, "2023年（万元）"), cell(2024, "支出项目", it, "较上年增减（万元）"))
eq("2024 实验室 +290 (prose) = table", v["lab_diff"], cell(2024, "支出项目", "实验室建设与设备", "较上年增减（万元）"))
check("2024 教职工薪酬首次超过外方教学服务费",
      cell(2024, "支出项目", "教职工薪酬", "金额（万元）") > cell(2024, "支出项目", "外方教学服务费", "金额（万元）")
      and all(cell(y, "支出项目", "教职工薪酬", EXP_COL[y]) < cell(y, "支出项目", "外方教学服务费", EXP_COL[y])
              for y in (2022, 2023)))
check("2024 new-major sub-counts ≤ totals", v["imp_log"] <= v["imp"] and v["new_phd_log"] <= v["new_phd"]
      and v["couns_log"] <= v["couns"])
eq("2024 counsellors 6 + 2 new-major = 8", V[2023]["couns"] + v["couns_log"], v["couns"])
check("2024 入党申请 ≥ 发展党员", v["apply"] >= v["dev"])
check("2024 distinct award winners (不重复统计) ≤ 获奖人次", v["aw_people"] <= v["aw"])
check("2024 labs grew by the one new 实训室 (10 → 11)", v["labs"] == V[2023]["labs"] + 1)
# 连续三年提升 claims
for key, label in (("ielts_rate", "雅思达标率"), ("phd_rate", "博士学位教师比例"),
                   ("placed_rate", "落实率"), ("fur_rate", "深造率")):
    s = [V[y][key] for y in YEARS]
    check(f"2024 claim '{label}连续三年提升' holds {s}", s[0] < s[1] < s[2])
check("2024 'N增至' claims: 辅导员, 实验室 grew", V[2024]["couns"] > V[2023]["couns"])
check("2023 '增至' claims: 社团 14→16, 基地 22→26, 设备总值 grew",
      V[2023]["clubs"] > V[2022]["clubs"] and V[2023]["bases"] > V[2022]["bases"] and V[2023]["equip"] > V[2022]["equip"])

# ---------------------------------------------------------------------------
# 4. Cumulative series and cohort flow
# ---------------------------------------------------------------------------
eq("cumulative graduates 2022 = 2021届 175 + 2022届 189", V[2022]["first_grads"] + V[2022]["grads"], V[2022]["cum_grad"])
for y in (2023, 2024):
    eq(f"cumulative graduates {y} = {y-1} cumulative + {y}届", V[y - 1]["cum_grad"] + V[y]["grads"], V[y]["cum_grad"])
    eq(f"cumulative 派出 {y} = {y-1} cumulative + {y} 派出", V[y - 1]["cum_sent"] + V[y]["sent"], V[y]["cum_sent"])
    eq(f"仪器设备总值 {y} = {y-1} 总值 + {y} 新增", V[y - 1]["equip"] + V[y]["equip_new"], V[y]["equip"])
check("cumulative 派出 2022 ≥ 2022 派出", V[2022]["cum_sent"] >= V[2022]["sent"])

MAJ = {
    2022: {"mech": (V[2022]["enr_mech"], V[2022]["t_mech"], V[2022]["grad_mech"]),
           "id": (V[2022]["enr_id"], V[2022]["t_id"], V[2022]["grad_id"])},
    2023: {"mech": (V[2023]["enr_mech"], V[2023]["ins_mech"], V[2023]["grad_mech"]),
           "id": (V[2023]["enr_id"], V[2023]["ins_id"], V[2023]["grad_id"])},
    2024: {"mech": (cell(2024, "专业", "机械设计制造及其自动化", "招生（人）"), V[2024]["t_mech"],
                    cell(2024, "专业", "机械设计制造及其自动化", "毕业生（人）")),
           "id": (cell(2024, "专业", "工业设计", "招生（人）"), V[2024]["t_id"],
                  cell(2024, "专业", "工业设计", "毕业生（人）"))},
}
chk = V[2022]["ins_prev"] + V[2022]["enr"] - V[2022]["grads"] - V[2022]["ins"]
check(f"cohort flow 2022 total: 856 + 245 - 189 - 909 = {chk} lost (0–2 %)",
      0 <= chk <= D("0.02") * (V[2022]["ins_prev"] + V[2022]["enr"]))
attr24 = D(0)
for y in (2023, 2024):
    for m in ("mech", "id"):
        enr, ins, grad = MAJ[y][m]
        prev = MAJ[y - 1][m][1]
        lost = prev + enr - grad - ins
        if y == 2024:
            attr24 += lost
        check(f"cohort flow {y} {m}: {prev} + {enr} - {grad} - {ins} = {lost} lost (0–2 %)",
              0 <= lost <= D("0.02") * (prev + enr))
eq("2024 attrition in cohort flow = stated 退学、休学 4人", attr24, V[2024]["attr"])

# ---------------------------------------------------------------------------
# 5. Year-over-year changes: within ±30 % or a reason sentence in the report.
#    Series whose base is below 10 are exempt (small counts jump easily).
# ---------------------------------------------------------------------------
REASONS = {
    ("exch", 2023): "增幅较大的原因是疫情结束后境外线下交流全面恢复",
    ("train", 2023): "主要因为疫情后出入境恢复",
    ("国际交流", 2023): "国际交流支出增幅较大，原因是中英线下交流恢复后",
    ("inc_sp", 2024): "主要用于物流管理专业建设和智能物流实训室",
    ("实验室建设与设备", 2024): "原因是新建智能物流实训室",
    ("equip_new", 2024): "为配合新专业建设，学院新建智能物流实训室",
}
SERIES = ["enr", "ins", "grads", "tch", "cn", "fn", "phd", "core", "imp", "core_h", "for_h", "ielts_n",
          "ielts_pass", "sent", "exch", "dc", "aw", "pap", "sci", "pat", "train", "sup", "ev", "fb", "sat_n",
          "emp_n", "exp", "schol", "schol_n", "placed", "fur", "abr", "dom", "job", "job_local", "mem",
          "mem_stu", "mem_staff", "dev", "bases", "mentors", "media", "psych", "clubs", "equip", "equip_new",
          "deg_cn", "deg_uk", "qs", "first", "local_enr", "forum", "stu_pap", "stu_pat"]
for y in YEARS:
    if "aw" in V[y]:
        for lv in ("国际级", "国家级", "省级"):
            V[y]["aw_" + lv] = cell(y, "级别", lv, "获奖人次")
    for it in EXP_ITEMS:
        V[y][it] = cell(y, "支出项目", it, EXP_COL[y])
    for it, k in (("学费收入", "inc_fee"), ("学校专项拨款", "inc_sp"), ("其他收入", "inc_oth")):
        if y > 2022:
            V[y][k] = cell(y, "收入项目", it, "金额（万元）")
    if y > 2022:
        V[y]["inc"] = cell(y, "收入项目", "合计", "金额（万元）")
SERIES += ["aw_国际级", "aw_国家级", "aw_省级", "inc", "inc_fee", "inc_sp", "inc_oth"] + EXP_ITEMS
n_series = 0
for key in SERIES:
    for y in (2023, 2024):
        a, b = V[y - 1].get(key), V[y].get(key)
        if a is None or b is None:
            continue
        n_series += 1
        if a < 10:
            continue
        ch = (b - a) / a
        if abs(ch) <= D("0.30"):
            continue
        reason = REASONS.get((key, y))
        check(f"YoY {key} {y-1}→{y} {a}→{b} ({ch:+.1%}) has reason sentence",
              reason is not None and reason in FLAT[y], "no reason recorded/found")
check(f"YoY: {n_series} year pairs examined, every change > ±30 % explained", True)
for (key, y), reason in REASONS.items():
    check(f"reason sentence for {key} {y} is present in the {y} report", reason in FLAT[y])

# new major
check("two majors in 2022–2023, new 物流管理 only from 2024",
      "物流管理" not in re.sub(r"物流管理专业的申报|物流管理专业申报", "", FLAT[2022])
      and "物流管理专业首次招生" in FLAT[2024])

# ---------------------------------------------------------------------------
# 6. Structure: cover, nine sections, size
# ---------------------------------------------------------------------------
SECTIONS = [
    ("一", ["办学基本情况"]), ("二", ["学生培养"]), ("三", ["师资队伍建设", "师资建设"]),
    ("四", ["教学质量保障"]), ("五", ["社会评价"]), ("六", ["财务管理"]),
    ("七", ["学生就业与深造"]), ("八", ["党建与学生工作"]), ("九", ["办学特色"]),
]
HEAD_RE = {2022: re.compile(r"^## ([一二三四五六七八九])、(.+)$"), 2024: re.compile(r"^## ([一二三四五六七八九])、(.+)$"),
           2023: re.compile(r"^([一二三四五六七八九])、(.{2,12})$")}
YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?=年|届|级)")
for y in YEARS:
    heads = [m.groups() for m in (HEAD_RE[y].match(l.strip()) for l in RAW[y].split("\n")) if m]
    ok = len(heads) == 9 and all(h[0] == s[0] and h[1].strip() in s[1] for h, s in zip(heads, SECTIONS))
    check(f"{y} nine sections 一…九 in order with expected titles", ok, heads)
    cover = RAW[y][:400]
    ok = all(w in cover for w in ("中外合作办学机构", f"{y}年度自评报告", "机构名称", "岱川理工大学-罗斯克莱大学联合学院",
                                  "办学单位", "批准书编号", "MOE53GBA02DNR20170512N")) \
        and re.search(rf"{y + 1}年\d{{1,2}}月\d{{1,2}}日", cover)
    check(f"{y} cover block complete (name, unit, approval number, date)", ok)
    han = len(re.findall(r"[\u4e00-\u9fff]", RAW[y]))
    check(f"{y} Han characters 3000–4000 (found {han})", 3000 <= han <= 4000)
    body = RAW[y].replace("MOE53GBA02DNR20170512N", "")
    body = YEAR_RE.sub("", body)
    figs = len(re.findall(r"\d+(?:\.\d+)?", body))
    check(f"{y} numeric figures (years and approval number excluded) ≥ 150 (found {figs})", figs >= 150)
# 2023 layout: hard breaks, footers
lines = [l for l in RAW[2023].split("\n") if l.strip() and not l.startswith("|")]
long_lines = [l for l in lines if len(l) > 40]
footers = [l for l in RAW[2023].split("\n") if FOOTER.match(l.strip())]
check(f"2023 PDF-like layout: no prose line > 40 chars, {len(footers)} page footers", not long_lines and len(footers) >= 3,
      long_lines[:3])
check("2023 numbered sub-points （1） used", RAW[2023].count("（1）") >= 9)
check("2024 uses Chinese numerals, 百分之, 万元 and ‰", all(s in RAW[2024] for s in ("九十六人", "百分之", "万元", "‰")))

# ---------------------------------------------------------------------------
# 7. Retrieval file
# ---------------------------------------------------------------------------
REQ = {"question", "answer", "evidence", "source", "year", "kind", "lang"}
SRC_OF = {y: p for y, p in FILES.items()}
items, errs = [], []
for i, line in enumerate((ROOT / "retrieval.jsonl").read_text(encoding="utf-8").splitlines(), 1):
    if not line.strip():
        continue
    try:
        q = json.loads(line)
    except json.JSONDecodeError as e:
        errs.append((i, "json", str(e)))
        continue
    items.append(q)
    if not REQ <= set(q):
        errs.append((i, "fields", REQ - set(q)))
        continue
    if q["kind"] not in ("figure", "fact", "range") or q["lang"] not in ("zh", "en"):
        errs.append((i, "kind/lang"))
    pairs = []
    if q["kind"] == "range":
        yl = q["year"]
        if not (isinstance(yl, list) and len(yl) >= 2 and yl == sorted(yl)):
            errs.append((i, "range year list"))
            continue
        eby, sby = q.get("evidence_by_year", {}), q.get("source_by_year", {})
        if sorted(eby) != [str(y) for y in yl] or sorted(sby) != [str(y) for y in yl]:
            errs.append((i, "by_year keys"))
            continue
        if q["evidence"] != eby[str(yl[0])] or q["source"] != sby[str(yl[0])]:
            errs.append((i, "evidence/source must repeat earliest year"))
        pairs = [(int(k), eby[k], sby[k]) for k in eby]
    else:
        if not isinstance(q["year"], int):
            errs.append((i, "year must be int"))
            continue
        pairs = [(q["year"], q["evidence"], q["source"])]
    for y, ev, src in pairs:
        if src != SRC_OF.get(y):
            errs.append((i, "source/year mismatch", y, src))
            continue
        lines_y = RAW[y].split("\n")
        if not ev or len(ev) > 40 or "\n" in ev:
            errs.append((i, "evidence length/newline", ev))
        elif not any(ev in l for l in lines_y):
            errs.append((i, "evidence not within one line of source", ev))
    if not q["question"].strip() or not q["answer"].strip():
        errs.append((i, "empty question/answer"))
check(f"retrieval.jsonl: {len(items)} valid items, evidence exact, ≤ 40 chars, within one line", not errs, errs[:6])
kinds = {}
for q in items:
    kinds[(q["kind"], q["lang"])] = kinds.get((q["kind"], q["lang"]), 0) + 1
fig = kinds.get(("figure", "zh"), 0) + kinds.get(("figure", "en"), 0)
fact = kinds.get(("fact", "zh"), 0) + kinds.get(("fact", "en"), 0)
rng = kinds.get(("range", "zh"), 0) + kinds.get(("range", "en"), 0)
check(f"retrieval mix: 60 items, figure {fig} (en {kinds.get(('figure', 'en'), 0)}), fact {fact} "
      f"(en {kinds.get(('fact', 'en'), 0)}), range {rng}",
      len(items) == 60 and 36 <= fig <= 40 and kinds.get(("figure", "en"), 0) == 4 and 9 <= fact <= 11
      and kinds.get(("fact", "en"), 0) == 2 and rng == 12)
check("retrieval questions unique", len({q["question"] for q in items}) == len(items))
NUMS = re.compile(r"\d+(?:\.\d+)?")
no_num = [q["question"] for q in items if q["kind"] == "figure" and NUMS.findall(q["evidence"])
          and not set(NUMS.findall(q["evidence"])) & set(NUMS.findall(q["answer"].replace(",", "")))]
check("figure answers repeat at least one number of their evidence", not no_num, no_num[:3])
ev_copy = [q["question"] for q in items if q["kind"] != "range" and q["evidence"] in q["question"]]
check("no question simply contains its evidence string", not ev_copy, ev_copy[:3])

# ---------------------------------------------------------------------------
# 8. Originality: no 12-character run shared with the reference reports
# ---------------------------------------------------------------------------
REFS = [Path("/work/shared/corpus/2020_self_assessment_report.txt")]
REFS += sorted(Path("/work/main/knowledge/reports").glob("*.md"))
REFS += sorted(p for p in Path("/work/main/bench/corpus2/knowledge/reports").glob("*") if p.is_file())
REFS = [p for p in REFS if p.exists()]
WS = re.compile(r"\s+")
N = 12
grams = set()
for p in REFS:
    try:
        t = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        continue
    for l in t.split("\n"):
        l = WS.sub("", l)
        grams.update(l[i:i + N] for i in range(len(l) - N + 1))


def prose_units(y):
    """Prose lines; for the wrapped 2023 text, whole paragraphs re-joined."""
    units, cur = [], ""
    for l in RAW[y].split("\n"):
        s = l.strip()
        if not s or s.startswith("|") or FOOTER.match(s):
            if y != 2023 or s.startswith("|") or not s:
                if cur:
                    units.append(cur)
                cur = ""
            continue
        if y == 2023 and (s.startswith("（") or re.match(r"^[一二三四五六七八九]、", s)):
            if cur:
                units.append(cur)
            cur = s
        elif y == 2023:
            cur += s
        else:
            units.append(s)
    if cur:
        units.append(cur)
    return units


if not REFS:
    check("originality: reference files missing, check skipped", True)
else:
    for y in YEARS:
        hits = []
        for u in prose_units(y):
            u = WS.sub("", u)
            for i in range(len(u) - N + 1):
                if u[i:i + N] in grams:
                    hits.append(u[i:i + N])
        check(f"{y} originality: no {N}-char run shared with {len(REFS)} reference files", not hits, sorted(set(hits))[:40])

print()
print(f"SUMMARY: {len(PASSED)} OK, {len(FAILED)} FAIL")
sys.exit(1 if FAILED else 0)
