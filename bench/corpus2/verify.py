#!/usr/bin/env python3
"""Consistency checks for the fictional corpus2 reports and retrieval.jsonl.

Every figure used in an identity is bound to the report text through a snippet
that must occur verbatim in the report and must contain the figure as written.
The script then checks
  * part sums (parts add up exactly to their totals), prose and tables;
  * shares (count / base, rounded half-up to the written number of decimals);
  * ratios (生师比), stated differences and stated growth rates;
  * equal values repeated in different places (prose vs. table, 新生 vs. 心理普查 …);
  * cumulative counts (previous + this year = new cumulative, never shrinking);
  * cohort flow plausibility (在校生_t ≈ 在校生_{t-1} + 招生_t − 毕业_t, attrition 0–2 %);
  * year-over-year changes: |change| ≤ 30 % or a reason snippet present in the text;
  * every Markdown pipe table with a 合计 row (column sums, share columns);
  * retrieval.jsonl format, evidence ≤ 40 chars and an exact substring of its source;
  * (optional) no 12+ character run shared with the two reference reports inside a line.
Prints OK/FAIL per identity, exits 1 on any failure.
"""
import json
import re
import sys
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

HERE = Path(__file__).resolve().parent
KB = HERE / "knowledge"
SRC = {
    2021: "reports/2021_self_assessment_report.md",
    2022: "reports/2022_self_assessment_report.txt",
    2023: "reports/2023_self_assessment_report.md",
}
TEXT = {y: (KB / p).read_text(encoding="utf-8") for y, p in SRC.items()}
YEARS = sorted(SRC)

RESULTS = []


def check(name, ok, detail=""):
    RESULTS.append((name, bool(ok), detail))
    return ok


CN = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
NUM_RE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")

# ---------------------------------------------------------------------------
# Facts: key -> (value as written, snippet that must occur in that year's text)
# ---------------------------------------------------------------------------
F = {
    2021: {
        "enrol_ocean": ("170", "海洋科学专业170人、环境工程专业125人"),
        "enrol_env": ("125", "海洋科学专业170人、环境工程专业125人"),
        "enrol_total": ("295", "录取新生295人"),
        "provinces": ("18", "2021年学院在18个省份投放招生计划"),
        "score_above": ("58", "控制线58分"),
        "insch_total": ("1071", "全院在校本科生1071人"),
        "insch_ocean": ("622", "海洋科学专业622人"),
        "insch_env": ("449", "环境工程专业449人"),
        "committee": ("9", "委员会由9名成员组成，中方5名、外方4名"),
        "committee_cn": ("5", "委员会由9名成员组成，中方5名、外方4名"),
        "committee_for": ("4", "委员会由9名成员组成，中方5名、外方4名"),
        "meetings": ("两", "2021年委员会召开两次会议"),
        "agenda": ("11", "等议题11项"),
        "admin_staff": ("24", "专职管理人员24人"),
        "space": ("16800", "教学科研用房16800平方米"),
        "labs": ("13", "建有专业实验室13个"),
        "aw_intl": ("14", "国际级奖项14人次"),
        "aw_nat": ("37", "国家级37人次"),
        "aw_prov": ("58", "省级58人次"),
        "aw_sch": ("97", "校级97人次"),
        "aw_total": ("206", "各类竞赛中获奖206人次"),
        "dc_nat": ("6", "国家级大学生创新创业训练计划项目6项"),
        "dc_prov": ("14", "省级项目14项，合计20项"),
        "dc_total": ("20", "省级项目14项，合计20项"),
        "stu_papers": ("33", "发表论文33篇"),
        "stu_sci": ("12", "被SCI、EI收录12篇"),
        "patents": ("9", "申请国家专利9项"),
        "patents_granted": ("4", "已获授权4项"),
        "ielts_n": ("241", "有241人参加雅思考试"),
        "ielts_pass": ("197", "6.0及以上的197人"),
        "ielts_rate": ("81.7", "达标比例为81.7%"),
        "exch": ("38", "全年参加海外交流项目38人次"),
        "exch_offline": ("11", "线下赴荷兰交换11人次"),
        "exch_online": ("27", "线上课程与科研项目27人次"),
        "exch_cum": ("550", "累计派出学生海外交流550人次"),
        "counsel": ("520", "个体咨询520余次"),
        "lectures": ("64", "工作坊64场"),
        "t_total": ("112", "共有任课教师112人"),
        "t_foreign": ("41", "外方教师41人，占36.6%"),
        "t_foreign_share": ("36.6", "外方教师41人，占36.6%"),
        "t_cn": ("71", "中方教师71人"),
        "age1": ("30", "35岁及以下30人，占26.8%"),
        "age1_s": ("26.8", "35岁及以下30人，占26.8%"),
        "age2": ("44", "36—45岁44人，占39.3%"),
        "age2_s": ("39.3", "36—45岁44人，占39.3%"),
        "age3": ("27", "46—55岁27人，占24.1%"),
        "age3_s": ("24.1", "46—55岁27人，占24.1%"),
        "age4": ("11", "56岁及以上11人，占9.8%"),
        "age4_s": ("9.8", "56岁及以上11人，占9.8%"),
        "phd": ("89", "具有博士学位的教师89人，占任课教师总数的79.5%"),
        "phd_s": ("79.5", "具有博士学位的教师89人，占任课教师总数的79.5%"),
        "full_prof": ("26", "正高级职称的26人，占23.2%"),
        "full_prof_s": ("23.2", "正高级职称的26人，占23.2%"),
        "assoc_prof": ("39", "副高级职称39人，占34.8%"),
        "assoc_prof_s": ("34.8", "副高级职称39人，占34.8%"),
        "st_ratio": ("9.6", "生师比为9.6:1"),
        "new_hires": ("7", "2021年新聘中方教师7人"),
        "training": ("186", "教师参训186人次"),
        "t_sci": ("68", "发表SCI、EI收录论文68篇"),
        "nsfc": ("7", "新获国家自然科学基金项目7项"),
        "courses": ("148", "开设课程共148门"),
        "imported": ("56", "引进维斯特霍恩大学课程56门，占课程总数的37.8%"),
        "imported_s": ("37.8", "引进维斯特霍恩大学课程56门，占课程总数的37.8%"),
        "core": ("62", "全院专业核心课程62门"),
        "core_foreign": ("43", "由外方教师承担的有43门，占69.4%"),
        "core_foreign_s": ("69.4", "由外方教师承担的有43门，占69.4%"),
        "core_hours": ("3720", "核心课程合计3720学时"),
        "core_hours_f": ("2180", "外方教师讲授2180学时，占58.6%"),
        "core_hours_f_s": ("58.6", "外方教师讲授2180学时，占58.6%"),
        "supervision": ("286", "随堂听课286学时"),
        "eval_courses": ("148", "学生网上评教覆盖全部148门课程"),
        "eval_score": ("93.2", "平均得分93.2分"),
        "sugg": ("126", "收到意见建议126条，已落实117条，落实率为92.9%"),
        "sugg_done": ("117", "收到意见建议126条，已落实117条，落实率为92.9%"),
        "sugg_rate": ("92.9", "收到意见建议126条，已落实117条，落实率为92.9%"),
        "emp_q": ("84", "回收有效问卷84份"),
        "emp_sat_n": ("79", "其中79家单位"),
        "emp_sat": ("94.0", "满意度为94.0%"),
        "stu_q": ("865", "回收有效问卷865份，793名学生"),
        "stu_sat_n": ("793", "回收有效问卷865份，793名学生"),
        "stu_sat": ("91.7", "满意度为91.7%"),
        "media": ("27", "报道学院办学情况27篇"),
        "consult": ("2600", "咨询约2600人次"),
        "grad_cum": ("339", "学院已累计毕业生339人"),
        "grad_cum_again": ("339", "学院毕业生总数已达到339人"),
        "grad_prev": ("146", "2020届首届毕业生146人"),
        "tuition": ("62000", "为62000元/生·年，2021年未作调整"),
        "inc_total": ("7188", "2021年学院总收入7188万元"),
        "inc_fee": ("6582", "学费收入6582万元，占91.6%"),
        "inc_fee_s": ("91.6", "学费收入6582万元，占91.6%"),
        "inc_gov": ("420", "专项补助420万元，占5.8%"),
        "inc_gov_s": ("5.8", "专项补助420万元，占5.8%"),
        "inc_other": ("186", "其他收入186万元，占2.6%"),
        "inc_other_s": ("2.6", "其他收入186万元，占2.6%"),
        "exp_total": ("6940", "全年总支出6940万元"),
        "balance": ("248", "收支结余248万元"),
        "aid": ("412", "奖助学金412万元，覆盖学生356人次"),
        "aid_n": ("356", "奖助学金412万元，覆盖学生356人次"),
        "grads": ("193", "2021届毕业生共193人"),
        "grads_ocean": ("116", "海洋科学专业116人、环境工程专业77人"),
        "grads_env": ("77", "海洋科学专业116人、环境工程专业77人"),
        "placed": ("184", "已落实毕业去向184人，毕业去向落实率为95.34%"),
        "placed_rate": ("95.34", "已落实毕业去向184人，毕业去向落实率为95.34%"),
        "study": ("128", "有128人继续深造，深造率66.32%"),
        "study_rate": ("66.32", "有128人继续深造，深造率66.32%"),
        "abroad": ("86", "出国（境）深造86人，占毕业生总数的44.56%"),
        "abroad_s": ("44.56", "出国（境）深造86人，占毕业生总数的44.56%"),
        "domestic": ("42", "国内读研42人，占21.76%"),
        "domestic_s": ("21.76", "国内读研42人，占21.76%"),
        "qs100": ("52", "录取的52人，占出国（境）深造人数的60.5%"),
        "qs100_s": ("60.5", "录取的52人，占出国（境）深造人数的60.5%"),
        "partner_master": ("29", "另有29人选择留在维斯特霍恩大学"),
        "employed": ("56", "直接就业的56人"),
        "deg_cn": ("190", "本届190人获得晟州海洋大学学士学位"),
        "deg_nl": ("181", "181人同时获得维斯特霍恩大学理学学士学位"),
        "br_stu": ("3", "学生党支部3个、教工党支部1个，共4个党支部"),
        "br_staff": ("1", "学生党支部3个、教工党支部1个，共4个党支部"),
        "br_total": ("4", "学生党支部3个、教工党支部1个，共4个党支部"),
        "party_stu": ("71", "学生党员71人"),
        "activists": ("164", "入党积极分子164人"),
        "party_staff": ("38", "教职工党员38人"),
        "counselors": ("6", "专职辅导员6名"),
        "talks": ("1300", "谈心谈话1300余人次"),
        "psych": ("295", "覆盖2021级新生295人"),
        "clubs": ("12", "学生会和12个学生社团"),
        "sea_days": ("12", "在近海连续出海12天"),
        "sea_students": ("152", "参加出海实习的学生152人"),
        "joint_labs": ("两", "海岸带生态与水环境两个联合实验室"),
        "bases": ("14", "共建实践基地14个"),
    },
    2022: {
        "enrol_ocean": ("180", "海洋科学专业 180 人，环境工程专业 130 人"),
        "enrol_env": ("130", "海洋科学专业 180 人，环境工程专业 130 人"),
        "enrol_total": ("310", "实际录取 310 人"),
        "enrol_total_again": ("310", "2022 年录取的 310 名新生中"),
        "provinces": ("19", "新生来自 19 个省份"),
        "score_above": ("61", "控制线 61 分，较上年提高 3 分"),
        "score_diff": ("3", "控制线 61 分，较上年提高 3 分"),
        "insch_total": ("1129", "全院在校生总数为 1129 人"),
        "insch_ocean": ("651", "海洋科学专业在校生 651 人"),
        "insch_env": ("478", "环境工程专业在校生 478 人"),
        "committee": ("9", "联合管理委员会仍由 9 名委员组成"),
        "meetings": ("2", "2022 年共召开会议 2 次"),
        "agenda": ("13", "等议题 13 项"),
        "admin_staff": ("25", "专职管理人员增至 25 人"),
        "space": ("16800", "教学科研用房面积 16800 平方米"),
        "labs": ("13", "专业实验室 13 个，与上年持平"),
        "aw_intl": ("17", "国际级获奖 17 人次"),
        "aw_nat": ("42", "国家级 42 人次"),
        "aw_prov": ("66", "省级 66 人次"),
        "aw_sch": ("109", "校级 109 人次"),
        "aw_total": ("234", "共计 234 人次，比上年增加 28 人次"),
        "aw_diff": ("28", "共计 234 人次，比上年增加 28 人次"),
        "dc_nat": ("7", "获批国家级项目 7 项"),
        "dc_prov": ("16", "省级项目 16 项，总数 23 项"),
        "dc_total": ("23", "省级项目 16 项，总数 23 项"),
        "stu_papers": ("39", "学生全年发表论文 39 篇"),
        "stu_sci": ("15", "SCI、EI 收录 15 篇"),
        "patents": ("11", "申请专利 11 项"),
        "patents_granted": ("5", "获授权 5 项"),
        "ielts_n": ("262", "2020 级共有 262 名学生参加雅思考试"),
        "ielts_pass": ("218", "其中 218 人总分达到 6.0 分及以上"),
        "ielts_rate": ("83.2", "达标率 83.2%，较 2019 级提高 1.5 个百分点"),
        "ielts_diff": ("1.5", "达标率 83.2%，较 2019 级提高 1.5 个百分点"),
        "exch": ("57", "全年参加海外交流项目 57 人次，比上年的 38 人次增长 50%"),
        "exch_prev": ("38", "全年参加海外交流项目 57 人次，比上年的 38 人次增长 50%"),
        "exch_growth": ("50", "全年参加海外交流项目 57 人次，比上年的 38 人次增长 50%"),
        "exch_offline": ("35", "线下交换与短期访学 35 人次"),
        "exch_online": ("22", "线上项目 22 人次"),
        "exch_cum": ("607", "累计派出学生海外交流 607 人次"),
        "grads": ("243", "2022 届毕业生 243 人"),
        "grads_again": ("243", "2022 届 243 名毕业生中"),
        "grads_ocean": ("146", "海洋科学专业 146 人、环境工程专业 97 人"),
        "grads_env": ("97", "海洋科学专业 146 人、环境工程专业 97 人"),
        "grads_diff": ("50", "毕业人数比上届多 50 人，增幅 25.9%"),
        "grads_growth": ("25.9", "毕业人数比上届多 50 人，增幅 25.9%"),
        "counsel": ("590", "个体咨询 590 余次"),
        "lectures": ("71", "工作坊 71 场"),
        "t_total": ("118", "学院任课教师共计 118 人"),
        "t_foreign": ("44", "外方教师 44 人、中方教师 74 人"),
        "t_cn": ("74", "外方教师 44 人、中方教师 74 人"),
        "t_foreign_share": ("37.3", "外方教师占任课教师的 37.3%"),
        "age1": ("33", "35 岁及以下 33 人，占 28.0%"),
        "age1_s": ("28.0", "35 岁及以下 33 人，占 28.0%"),
        "age2": ("46", "36—45 岁 46 人，占 39.0%"),
        "age2_s": ("39.0", "36—45 岁 46 人，占 39.0%"),
        "age3": ("28", "46—55 岁 28 人，占 23.7%"),
        "age3_s": ("23.7", "46—55 岁 28 人，占 23.7%"),
        "age4": ("11", "56 岁及以上 11 人，占 9.3%"),
        "age4_s": ("9.3", "56 岁及以上 11 人，占 9.3%"),
        "phd": ("96", "96 名教师拥有博士学位，比例为 81.4%"),
        "phd_s": ("81.4", "96 名教师拥有博士学位，比例为 81.4%"),
        "full_prof": ("28", "正高级职称教师 28 人，占 23.7%"),
        "full_prof_s": ("23.7", "正高级职称教师 28 人，占 23.7%"),
        "assoc_prof": ("41", "副高级职称教师 41 人，占 34.7%"),
        "assoc_prof_s": ("34.7", "副高级职称教师 41 人，占 34.7%"),
        "st_ratio": ("9.6", "全院生师比 9.6:1，与上年基本持平"),
        "new_hires": ("8", "2022 年新聘中方教师 8 人"),
        "training": ("203", "各类培训 203 人次"),
        "t_sci": ("74", "任课教师发表 SCI、EI 收录论文 74 篇"),
        "nsfc": ("8", "国家自然科学基金项目 8 项"),
        "provincial_proj": ("15", "另承担省部级项目 15 项"),
        "courses": ("154", "本年度共开设课程 154 门"),
        "imported": ("59", "引进维斯特霍恩大学课程 59 门，占 38.3%"),
        "imported_s": ("38.3", "引进维斯特霍恩大学课程 59 门，占 38.3%"),
        "core": ("64", "学院专业核心课程 64 门"),
        "core_foreign": ("45", "外方教师承担其中 45 门，比例为 70.3%"),
        "core_foreign_s": ("70.3", "外方教师承担其中 45 门，比例为 70.3%"),
        "core_hours": ("3840", "核心课程总学时 3840"),
        "core_hours_f": ("2270", "外方教师承担 2270 学时，占 59.1%"),
        "core_hours_f_s": ("59.1", "外方教师承担 2270 学时，占 59.1%"),
        "supervision": ("312", "全年听课 312 学时"),
        "eval_score": ("93.6", "学生评教平均分 93.6 分，较上年提高 0.4 分"),
        "eval_diff": ("0.4", "学生评教平均分 93.6 分，较上年提高 0.4 分"),
        "sugg": ("141", "共收到师生意见建议 141 条，已落实 133 条，落实率 94.3%"),
        "sugg_done": ("133", "共收到师生意见建议 141 条，已落实 133 条，落实率 94.3%"),
        "sugg_rate": ("94.3", "共收到师生意见建议 141 条，已落实 133 条，落实率 94.3%"),
        "emp_q": ("97", "共收回有效问卷 97 份，其中 92 家单位表示满意，满意度 94.8%"),
        "emp_sat_n": ("92", "共收回有效问卷 97 份，其中 92 家单位表示满意，满意度 94.8%"),
        "emp_sat": ("94.8", "共收回有效问卷 97 份，其中 92 家单位表示满意，满意度 94.8%"),
        "stu_q": ("918", "收回有效问卷 918 份，满意人数 851 人，满意度为 92.7%"),
        "stu_sat_n": ("851", "收回有效问卷 918 份，满意人数 851 人，满意度为 92.7%"),
        "stu_sat": ("92.7", "收回有效问卷 918 份，满意人数 851 人，满意度为 92.7%"),
        "media": ("31", "各级媒体报道学院 31 篇次"),
        "consult": ("2800", "招生咨询约 2800 人次"),
        "grad_cum": ("582", "学院办学以来累计毕业生 582 人"),
        "tuition": ("62000", "学费标准为 62000 元/生·年，与上年持平"),
        "inc_total": ("7628", "2022 年学院总收入 7628 万元"),
        "inc_fee": ("6978", "学费收入 6978 万元，占 91.5%"),
        "inc_fee_s": ("91.5", "学费收入 6978 万元，占 91.5%"),
        "inc_gov": ("446", "专项补助 446 万元，占 5.8%"),
        "inc_gov_s": ("5.8", "专项补助 446 万元，占 5.8%"),
        "inc_other": ("204", "其他收入 204 万元，占 2.7%"),
        "inc_other_s": ("2.7", "其他收入 204 万元，占 2.7%"),
        "exp_total": ("7403", "2022 年学院支出合计 7403 万元"),
        "balance": ("225", "收支结余 225 万元"),
        "exp_exch": ("236", "国际交流支出 236 万元，比上年的 178 万元增长 32.6%"),
        "exp_exch_prev": ("178", "国际交流支出 236 万元，比上年的 178 万元增长 32.6%"),
        "exp_exch_growth": ("32.6", "国际交流支出 236 万元，比上年的 178 万元增长 32.6%"),
        "aid": ("438", "奖助学金共发放 438 万元，覆盖学生 381 人次"),
        "aid_n": ("381", "奖助学金共发放 438 万元，覆盖学生 381 人次"),
        "placed": ("229", "已落实毕业去向 229 人，毕业去向落实率 94.24%"),
        "placed_rate": ("94.24", "已落实毕业去向 229 人，毕业去向落实率 94.24%"),
        "study": ("161", "继续深造的 161 人，深造率 66.26%"),
        "study_rate": ("66.26", "继续深造的 161 人，深造率 66.26%"),
        "domestic": ("53", "国内读研 53 人，占毕业生的 21.81%"),
        "domestic_s": ("21.81", "国内读研 53 人，占毕业生的 21.81%"),
        "abroad": ("108", "出国（境）深造 108 人，占 44.44%"),
        "abroad_s": ("44.44", "出国（境）深造 108 人，占 44.44%"),
        "qs100": ("66", "66 人获得 QS 世界排名前 100 名高校录取，占 61.1%"),
        "qs100_s": ("61.1", "66 人获得 QS 世界排名前 100 名高校录取，占 61.1%"),
        "partner_master": ("35", "35 人进入维斯特霍恩大学硕士项目"),
        "employed": ("68", "直接就业 68 人"),
        "civil": ("6", "另有 6 人考取公务员或事业单位"),
        "deg_cn": ("239", "本届共有 239 人获得晟州海洋大学学士学位"),
        "deg_nl": ("228", "228 人获得维斯特霍恩大学理学学士学位"),
        "br_stu": ("3", "学院党总支下设 3 个学生党支部和 1 个教工党支部，共 4 个党支部"),
        "br_staff": ("1", "学院党总支下设 3 个学生党支部和 1 个教工党支部，共 4 个党支部"),
        "br_total": ("4", "学院党总支下设 3 个学生党支部和 1 个教工党支部，共 4 个党支部"),
        "party_stu": ("79", "2022 年底学生党员 79 人"),
        "activists": ("181", "入党积极分子 181 人"),
        "party_staff": ("41", "教职工党员 41 人"),
        "counselors": ("7", "专职辅导员 7 名"),
        "talks": ("1400", "谈心谈话 1400 余人次"),
        "psych": ("310", "2022 级新生 310 人全部参加心理健康普查"),
        "clubs": ("13", "学院现有学生社团 13 个"),
        "sea_days": ("14", "实习时长延长至 14 天"),
        "sea_students": ("168", "参加学生 168 人"),
        "joint_labs": ("两", "两个中荷联合实验室"),
        "bases": ("16", "校外实践基地增至 16 个"),
    },
    2023: {
        "enrol_total": ("395", "2023年学院录取新生395人，较上年的310人增长27.4%"),
        "enrol_prev": ("310", "2023年学院录取新生395人，较上年的310人增长27.4%"),
        "enrol_growth": ("27.4", "2023年学院录取新生395人，较上年的310人增长27.4%"),
        "enrol_ocean": ("175", "海洋科学175人，环境工程130人，数据科学与大数据技术90人"),
        "enrol_env": ("130", "海洋科学175人，环境工程130人，数据科学与大数据技术90人"),
        "enrol_data": ("90", "海洋科学175人，环境工程130人，数据科学与大数据技术90人"),
        "enrol_data_again": ("90", "新增专业首年招生90人"),
        "majors": ("三", "专业总数由两个增加到三个"),
        "provinces": ("21", "生源覆盖21个省份"),
        "score_above": ("63", "控制线63分"),
        "insch_ocean": ("676", "海洋科学专业在校生676人"),
        "insch_env": ("497", "环境工程专业497人"),
        "insch_data": ("90", "数据科学与大数据技术专业90人"),
        "insch_total": ("1263", "全院在校生合计1263人"),
        "committee": ("9", "联合管理委员会9名委员"),
        "meetings": ("3", "全年召开会议3次，比上年多1次"),
        "meetings_diff": ("1", "全年召开会议3次，比上年多1次"),
        "agenda": ("17", "全年审议议题17项，较上年增加4项"),
        "agenda_diff": ("4", "全年审议议题17项，较上年增加4项"),
        "admin_staff": ("28", "学院专职管理人员28人"),
        "space": ("19400", "教学科研用房增加到19400平方米"),
        "labs_new": ("3", "新建3个数据科学实验室后"),
        "labs": ("16", "专业实验室达到16个"),
        "aw_total": ("266", "2023年学生竞赛获奖合计266人次"),
        "aw_intl": ("21", "其中国际级21人次"),
        "aw_nat": ("48", "国家级48人次"),
        "aw_prov": ("75", "省级和校级分别为75人次和122人次"),
        "aw_sch": ("122", "省级和校级分别为75人次和122人次"),
        "dc_total": ("27", "创新创业训练计划项目27项，包括国家级8项、省级19项"),
        "dc_nat": ("8", "创新创业训练计划项目27项，包括国家级8项、省级19项"),
        "dc_prov": ("19", "创新创业训练计划项目27项，包括国家级8项、省级19项"),
        "stu_papers": ("46", "学生发表学术论文46篇"),
        "stu_sci": ("19", "其中SCI、EI收录19篇"),
        "patents": ("14", "申请专利14项"),
        "patents_granted": ("6", "获得授权6项"),
        "ielts_n": ("279", "2021级学生参加雅思考试279人"),
        "ielts_pass": ("236", "总分6.0及以上236人"),
        "ielts_rate": ("84.6", "达标比例为84.6%，连续三年提升"),
        "exch": ("92", "全年参加各类交流项目92人次，比上年增长61.4%"),
        "exch_growth": ("61.4", "全年参加各类交流项目92人次，比上年增长61.4%"),
        "exch_offline": ("78", "线下项目78人次"),
        "exch_online": ("14", "线上项目14人次"),
        "exch_cum": ("699", "累计派出学生海外交流达到699人次"),
        "counsel": ("680", "个体咨询680余次"),
        "lectures": ("83", "工作坊83场"),
        "new_hires": ("14", "2023年新聘中方教师14人"),
        "new_hires_data": ("9", "其中9人充实到数据科学与大数据技术专业"),
        "new_hires_prev": ("8", "新聘人数较上年的8人明显增加"),
        "t_total": ("136", "目前学院共有任课教师136人，比上年增加18人，增幅15.3%"),
        "t_diff": ("18", "目前学院共有任课教师136人，比上年增加18人，增幅15.3%"),
        "t_growth": ("15.3", "目前学院共有任课教师136人，比上年增加18人，增幅15.3%"),
        "t_foreign": ("51", "外方教师51人，占任课教师总数的37.5%"),
        "t_foreign_share": ("37.5", "外方教师51人，占任课教师总数的37.5%"),
        "t_cn": ("85", "中方教师85人"),
        "age1": ("39", "35岁及以下39人，占28.7%"),
        "age1_s": ("28.7", "35岁及以下39人，占28.7%"),
        "age2": ("54", "36—45岁54人，占39.7%"),
        "age2_s": ("39.7", "36—45岁54人，占39.7%"),
        "age3": ("31", "46—55岁31人，占22.8%"),
        "age3_s": ("22.8", "46—55岁31人，占22.8%"),
        "age4": ("12", "56岁及以上12人，占8.8%"),
        "age4_s": ("8.8", "56岁及以上12人，占8.8%"),
        "phd": ("113", "具有博士学位者113人，占83.1%"),
        "phd_s": ("83.1", "具有博士学位者113人，占83.1%"),
        "full_prof": ("33", "正高级职称33人，占24.3%"),
        "full_prof_s": ("24.3", "正高级职称33人，占24.3%"),
        "assoc_prof": ("47", "副高级职称47人，占34.6%"),
        "assoc_prof_s": ("34.6", "副高级职称47人，占34.6%"),
        "st_ratio": ("9.3", "生师比为9.3:1，较上年有所下降"),
        "training": ("236", "教学能力培训236人次"),
        "t_sci": ("83", "发表SCI、EI收录论文83篇"),
        "nsfc": ("10", "国家自然科学基金项目10项"),
        "provincial_proj": ("17", "省部级项目17项"),
        "courses": ("181", "2023年全院开设课程181门，比上年增加27门"),
        "courses_diff": ("27", "2023年全院开设课程181门，比上年增加27门"),
        "imported": ("70", "引进外方课程70门，占38.7%"),
        "imported_s": ("38.7", "引进外方课程70门，占38.7%"),
        "core": ("78", "专业核心课程78门"),
        "core_foreign": ("55", "外方教师承担55门，占70.5%"),
        "core_foreign_s": ("70.5", "外方教师承担55门，占70.5%"),
        "core_hours": ("4680", "核心课程共4680学时"),
        "core_hours_f": ("2790", "外方教师讲授2790学时，占59.6%"),
        "core_hours_f_s": ("59.6", "外方教师讲授2790学时，占59.6%"),
        "supervision": ("364", "督导组全年听课364学时，比上年增加16.7%"),
        "supervision_growth": ("16.7", "督导组全年听课364学时，比上年增加16.7%"),
        "eval_score": ("93.9", "学生评教平均得分93.9分"),
        "sugg": ("158", "学院全年收集意见建议158条，其中151条已落实，落实率95.6%"),
        "sugg_done": ("151", "学院全年收集意见建议158条，其中151条已落实，落实率95.6%"),
        "sugg_rate": ("95.6", "学院全年收集意见建议158条，其中151条已落实，落实率95.6%"),
        "sugg_open": ("7", "未落实的7条"),
        "emp_q": ("108", "收到有效问卷108份，满意单位104家，满意度96.3%，比上年提高1.5个百分点"),
        "emp_sat_n": ("104", "收到有效问卷108份，满意单位104家，满意度96.3%，比上年提高1.5个百分点"),
        "emp_sat": ("96.3", "收到有效问卷108份，满意单位104家，满意度96.3%，比上年提高1.5个百分点"),
        "emp_sat_diff": ("1.5", "收到有效问卷108份，满意单位104家，满意度96.3%，比上年提高1.5个百分点"),
        "stu_q": ("1032", "在校生满意度调查回收有效问卷1032份，满意人数965人，满意度93.5%"),
        "stu_sat_n": ("965", "在校生满意度调查回收有效问卷1032份，满意人数965人，满意度93.5%"),
        "stu_sat": ("93.5", "在校生满意度调查回收有效问卷1032份，满意人数965人，满意度93.5%"),
        "media": ("36", "各类媒体报道36篇"),
        "consult": ("3400", "招生期间接待咨询约3400人次"),
        "grad_cum": ("835", "学院累计毕业生835人"),
        "tuition_new": ("66000", "自2023级起学费调整为66000元/生·年"),
        "tuition": ("62000", "2022级及以前各年级仍执行62000元/生·年的原标准"),
        "inc_total": ("8696", "全年收入8696万元，较上年增长14.0%"),
        "inc_growth": ("14.0", "全年收入8696万元，较上年增长14.0%"),
        "inc_fee": ("7946", "学费收入7946万元，占91.4%"),
        "inc_fee_s": ("91.4", "学费收入7946万元，占91.4%"),
        "inc_gov": ("512", "专项补助512万元，占5.9%"),
        "inc_gov_s": ("5.9", "专项补助512万元，占5.9%"),
        "inc_other": ("238", "其他收入238万元，占2.7%"),
        "inc_other_s": ("2.7", "其他收入238万元，占2.7%"),
        "exp_total": ("8590", "全年支出8590万元，结余106万元"),
        "balance": ("106", "全年支出8590万元，结余106万元"),
        "exp_exch": ("338", "国际交流支出338万元，较上年增长43.2%"),
        "exp_exch_growth": ("43.2", "国际交流支出338万元，较上年增长43.2%"),
        "exp_equip": ("842", "仪器设备与信息化支出842万元，增长29.3%"),
        "exp_equip_growth": ("29.3", "仪器设备与信息化支出842万元，增长29.3%"),
        "aid": ("486", "全年发放奖助学金486万元，受益学生437人次"),
        "aid_n": ("437", "全年发放奖助学金486万元，受益学生437人次"),
        "grads": ("253", "2023届毕业生253人，其中海洋科学147人、环境工程106人"),
        "grads_ocean": ("147", "2023届毕业生253人，其中海洋科学147人、环境工程106人"),
        "grads_env": ("106", "2023届毕业生253人，其中海洋科学147人、环境工程106人"),
        "placed": ("242", "毕业去向落实242人，落实率95.65%"),
        "placed_rate": ("95.65", "毕业去向落实242人，落实率95.65%"),
        "study": ("176", "深造人数176人，深造率69.57%"),
        "study_rate": ("69.57", "深造人数176人，深造率69.57%"),
        "abroad": ("118", "出国（境）深造118人，占毕业生的46.64%"),
        "abroad_s": ("46.64", "出国（境）深造118人，占毕业生的46.64%"),
        "domestic": ("58", "国内读研58人，占22.92%"),
        "domestic_s": ("22.92", "国内读研58人，占22.92%"),
        "qs100": ("75", "有75人进入QS世界大学排名前100的高校，占63.6%"),
        "qs100_s": ("63.6", "有75人进入QS世界大学排名前100的高校，占63.6%"),
        "partner_master": ("38", "38人继续攻读维斯特霍恩大学硕士学位"),
        "employed": ("66", "直接就业66人"),
        "deg_cn": ("250", "本届250人获得晟州海洋大学学士学位"),
        "deg_nl": ("241", "241人获得维斯特霍恩大学理学学士学位"),
        "party_stu": ("88", "学生党员发展到88人"),
        "activists": ("203", "入党积极分子203人"),
        "party_staff": ("46", "教职工党员46人"),
        "br_stu_prev": ("3", "学生党支部由3个增加到4个"),
        "br_stu": ("4", "学生党支部由3个增加到4个"),
        "br_total": ("5", "学院共有党支部5个"),
        "counselors": ("8", "专职辅导员8名"),
        "talks": ("1600", "谈心谈话1600余人次"),
        "psych": ("395", "2023级395名新生全部完成心理健康普查"),
        "clubs": ("15", "学生社团增至15个"),
        "sea_days": ("14", "海洋综合实习保持14天的出海时长"),
        "sea_students": ("183", "2023年参加学生183人"),
        "joint_labs_prev": ("两", "中荷联合实验室由两个增加到3个"),
        "joint_labs": ("3", "中荷联合实验室由两个增加到3个"),
        "bases": ("19", "校外实践基地达到19个"),
    },
}


def bind_all():
    for y, facts in F.items():
        for k, (v, snip) in facts.items():
            ok = snip in TEXT[y]
            if ok:
                if v in CN:
                    ok = v in snip
                else:
                    ok = v in NUM_RE.findall(snip)
            check(f"{y} bind {k}={v}", ok, "" if ok else f"snippet/value not found: {snip!r}")


def V(y, k):
    v = F[y][k][0]
    return Decimal(CN[v]) if v in CN else Decimal(v)


def rnd(x, written):
    d = len(written.split(".")[1]) if "." in written else 0
    q = Decimal(1).scaleb(-d)
    return x.quantize(q, rounding=ROUND_HALF_UP)


def SUM(y, parts, total):
    s = sum(V(y, p) for p in parts)
    check(f"{y} sum {'+'.join(parts)} = {total}", s == V(y, total), f"{s} vs {V(y, total)}")


def SHARE(y, part, base, share, by=None):
    yb = by or y
    written = F[y][share][0]
    calc = rnd(V(y, part) / V(yb, base) * 100, written)
    check(f"{y} share {part}/{base} = {written}%", calc == Decimal(written), f"calc {calc}")


def RATIO(y, a, b, r):
    written = F[y][r][0]
    calc = rnd(V(y, a) / V(y, b), written)
    check(f"{y} ratio {a}/{b} = {written}", calc == Decimal(written), f"calc {calc}")


def EQ(y1, k1, y2, k2):
    check(f"equal {y1}.{k1} == {y2}.{k2}", V(y1, k1) == V(y2, k2), f"{V(y1, k1)} vs {V(y2, k2)}")


def LE(y, a, b):
    check(f"{y} {a} <= {b}", V(y, a) <= V(y, b), f"{V(y, a)} vs {V(y, b)}")


def LT(y1, k1, y2, k2):
    check(f"{y1}.{k1} < {y2}.{k2}", V(y1, k1) < V(y2, k2), f"{V(y1, k1)} vs {V(y2, k2)}")


def DIFF(y, k, yp, kp, dkey):
    calc = V(y, k) - V(yp, kp)
    check(f"{y} stated diff {dkey}: {y}.{k} - {yp}.{kp} = {F[y][dkey][0]}", calc == V(y, dkey), f"calc {calc}")


def GROWTH(y, k, yp, kp, gkey):
    written = F[y][gkey][0]
    calc = rnd((V(y, k) - V(yp, kp)) / V(yp, kp) * 100, written)
    check(f"{y} stated growth {gkey} ({yp}.{kp}->{y}.{k}) = {written}%", calc == Decimal(written), f"calc {calc}")


def CUM(y, cum, inc):
    calc = V(y - 1, cum) + V(y, inc)
    check(f"{y} cumulative {cum}: {y - 1} + {inc} = {F[y][cum][0]}", calc == V(y, cum), f"calc {calc}")


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------
def tables(text):
    out, cur, title = [], [], ""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith("|"):
            if not cur:
                j = i - 1
                while j >= 0 and not lines[j].strip():
                    j -= 1
                title = lines[j].strip() if j >= 0 else ""
            cur.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif cur:
            out.append((title, cur))
            cur = []
    if cur:
        out.append((title, cur))
    return out


def table_checks():
    found = {y: {"awards": None, "expense": None} for y in YEARS}
    for y in YEARS:
        for title, rows in tables(TEXT[y]):
            header, body = rows[0], [r for r in rows[2:]]
            tot = [r for r in body if r[0] == "合计"]
            if not tot:
                continue
            tot = tot[0]
            items = [r for r in body if r[0] != "合计"]
            kind = "awards" if "获奖" in title else ("expense" if "支出" in title else title)
            found[y][kind] = (header, items, tot)
            amount_col = None
            for c, h in enumerate(header):
                if c == 0 or not all(re.fullmatch(r"\d+(\.\d+)?", r[c]) for r in items):
                    continue
                if "占比" in h:
                    continue
                s = sum(Decimal(r[c]) for r in items)
                check(f"{y} table '{title}' column '{h}' sums to 合计 {tot[c]}", s == Decimal(tot[c]), f"sum {s}")
                amount_col = c
            for c, h in enumerate(header):
                if "占比" in h and amount_col is not None:
                    total = Decimal(tot[amount_col])
                    for r in items:
                        calc = rnd(Decimal(r[amount_col]) / total * 100, r[c])
                        check(f"{y} table '{title}' share {r[0]} {r[amount_col]}/{total} = {r[c]}%",
                              calc == Decimal(r[c]), f"calc {calc}")
                    check(f"{y} table '{title}' 合计 share is 100.0", tot[c] == "100.0", tot[c])
        for kind in ("awards", "expense"):
            check(f"{y} has {kind} table with 合计 row", found[y][kind] is not None)
    # cross-check tables against prose
    level_key = {"国际级": "aw_intl", "国家级": "aw_nat", "省级": "aw_prov", "校级": "aw_sch", "合计": "aw_total"}
    exp_rows = {}
    for y in YEARS:
        if found[y]["awards"]:
            header, items, tot = found[y]["awards"]
            c = next(i for i, h in enumerate(header) if "人次" in h)
            for r in items + [tot]:
                k = level_key[r[0]]
                check(f"{y} awards table {r[0]} {r[c]} == prose {F[y][k][0]}", Decimal(r[c]) == V(y, k))
        if found[y]["expense"]:
            header, items, tot = found[y]["expense"]
            c = next(i for i, h in enumerate(header) if "金额" in h)
            check(f"{y} expense table 合计 {tot[c]} == prose exp_total {F[y]['exp_total'][0]}",
                  Decimal(tot[c]) == V(y, "exp_total"))
            rows = {r[0]: Decimal(r[c]) for r in items}
            exp_rows[y] = rows
            check(f"{y} expense table 学生资助与奖励 == 奖助学金 {F[y]['aid'][0]}", rows.get("学生资助与奖励") == V(y, "aid"))
            check(f"{y} expense table 国际交流 present", "国际交流" in rows)
    if 2022 in exp_rows:
        check("2022 expense table 国际交流 == prose 236", exp_rows[2022]["国际交流"] == V(2022, "exp_exch"))
        check("2022 prose prev-year 国际交流 178 == 2021 table", exp_rows[2021]["国际交流"] == V(2022, "exp_exch_prev"))
    if 2023 in exp_rows:
        check("2023 expense table 国际交流 == prose 338", exp_rows[2023]["国际交流"] == V(2023, "exp_exch"))
        check("2023 expense table 仪器设备与信息化 == prose 842", exp_rows[2023]["仪器设备与信息化"] == V(2023, "exp_equip"))
        g = rnd((exp_rows[2023]["仪器设备与信息化"] - exp_rows[2022]["仪器设备与信息化"]) / exp_rows[2022]["仪器设备与信息化"] * 100, "0.0")
        check(f"2023 equipment growth vs 2022 table = {F[2023]['exp_equip_growth'][0]}%", g == V(2023, "exp_equip_growth"), str(g))
    return exp_rows


# ---------------------------------------------------------------------------
# Year-over-year plausibility: |change| <= 30 % unless a reason is in the text
# ---------------------------------------------------------------------------
YOY_KEYS = [
    "enrol_total", "enrol_ocean", "enrol_env", "insch_total", "insch_ocean", "insch_env", "grads", "grads_ocean",
    "grads_env", "placed", "study", "abroad", "domestic", "qs100", "partner_master", "employed", "deg_cn", "deg_nl",
    "provinces", "score_above", "meetings", "agenda", "admin_staff", "space", "labs", "aw_intl", "aw_nat",
    "aw_prov", "aw_sch", "aw_total", "dc_nat", "dc_prov", "dc_total", "stu_papers", "stu_sci", "patents",
    "patents_granted", "ielts_n", "ielts_pass", "exch", "exch_offline", "exch_online", "counsel", "lectures",
    "t_total", "t_foreign", "t_cn", "age1", "age2", "age3", "age4", "phd", "full_prof", "assoc_prof", "new_hires",
    "training", "t_sci", "nsfc", "courses", "imported", "core", "core_foreign", "core_hours", "core_hours_f",
    "supervision", "sugg", "sugg_done", "emp_q", "emp_sat_n", "stu_q", "stu_sat_n", "media", "consult",
    "tuition", "inc_total", "inc_fee", "inc_gov", "inc_other", "exp_total", "balance", "aid", "aid_n", "party_stu",
    "activists", "party_staff", "br_stu", "br_total", "counselors", "talks", "psych", "clubs", "sea_days",
    "sea_students", "joint_labs", "bases",
]
# (key, year) -> reason snippet that must be in that year's text
REASONS = {
    ("exch", 2022): "主要原因是荷兰校区交换学期恢复线下派出",
    ("exch_offline", 2022): "随着赴荷签证和航班逐步恢复，学生线下交流明显回暖",
    ("exch", 2023): "增长较快的原因一是赴荷交换学期恢复到疫情前规模",
    ("exch_offline", 2023): "增长较快的原因一是赴荷交换学期恢复到疫情前规模",
    ("exch_online", 2023): "2023年学生海外交流全面恢复线下",
    ("meetings", 2023): "增加的1次为新专业课程体系专题会议",
    ("agenda", 2023): "新增议题主要涉及新专业的课程引进和师资配备",
    ("new_hires", 2023): "为满足新专业开课需要",
    ("br_stu", 2023): "因学生党员人数增加、新专业学生入校，学院新设数据科学学生党支部",
    ("joint_labs", 2023): "新增的海洋数据联合实验室专门服务新专业",
    ("balance", 2023): "主要是新专业实验室建设和线下交流支出集中增加",
}
TABLE_YOY_REASONS = {
    ("国际交流", 2022): "主要是线下派出学生和外方教师来华授课的差旅费用增加",
    ("国际交流", 2023): "原因是线下交流人次大幅增加",
}


def yoy_checks(exp_rows):
    for k in YOY_KEYS:
        for y in YEARS[1:]:
            if k not in F[y] or k not in F[y - 1]:
                continue
            a, b = V(y - 1, k), V(y, k)
            chg = (b - a) / a * 100
            if abs(chg) <= 30:
                check(f"yoy {k} {y - 1}->{y}: {a}->{b} ({chg:+.1f}%) within ±30%", True)
            else:
                reason = REASONS.get((k, y))
                ok = reason is not None and reason in TEXT[y]
                check(f"yoy {k} {y - 1}->{y}: {a}->{b} ({chg:+.1f}%) has stated reason", ok, reason or "no reason")
    for y in YEARS[1:]:
        if y in exp_rows and y - 1 in exp_rows:
            for item, b in exp_rows[y].items():
                a = exp_rows[y - 1][item]
                chg = (b - a) / a * 100
                if abs(chg) <= 30:
                    check(f"yoy expense '{item}' {y - 1}->{y}: {a}->{b} ({chg:+.1f}%) within ±30%", True)
                else:
                    reason = TABLE_YOY_REASONS.get((item, y))
                    check(f"yoy expense '{item}' {y - 1}->{y}: {a}->{b} ({chg:+.1f}%) has stated reason",
                          reason is not None and reason in TEXT[y], reason or "no reason")


# ---------------------------------------------------------------------------
def identities():
    for y in YEARS:
        majors = ["ocean", "env"] + (["data"] if y == 2023 else [])
        SUM(y, [f"enrol_{m}" for m in majors], "enrol_total")
        SUM(y, [f"insch_{m}" for m in majors], "insch_total")
        SUM(y, ["grads_ocean", "grads_env"], "grads")
        SUM(y, ["aw_intl", "aw_nat", "aw_prov", "aw_sch"], "aw_total")
        SUM(y, ["dc_nat", "dc_prov"], "dc_total")
        SUM(y, ["exch_offline", "exch_online"], "exch")
        SUM(y, ["t_foreign", "t_cn"], "t_total")
        SUM(y, ["age1", "age2", "age3", "age4"], "t_total")
        SUM(y, ["abroad", "domestic"], "study")
        SUM(y, ["study", "employed"], "placed")
        SUM(y, ["inc_fee", "inc_gov", "inc_other"], "inc_total")
        check(f"{y} balance = income - expenditure", V(y, "inc_total") - V(y, "exp_total") == V(y, "balance"))
        if "br_staff" in F[y]:
            SUM(y, ["br_stu", "br_staff"], "br_total")
        for part, share in [("t_foreign", "t_foreign_share"), ("age1", "age1_s"), ("age2", "age2_s"),
                            ("age3", "age3_s"), ("age4", "age4_s"), ("phd", "phd_s"), ("full_prof", "full_prof_s"),
                            ("assoc_prof", "assoc_prof_s")]:
            SHARE(y, part, "t_total", share)
        for part, share in [("placed", "placed_rate"), ("study", "study_rate"), ("abroad", "abroad_s"),
                            ("domestic", "domestic_s")]:
            SHARE(y, part, "grads", share)
        SHARE(y, "qs100", "abroad", "qs100_s")
        SHARE(y, "imported", "courses", "imported_s")
        SHARE(y, "core_foreign", "core", "core_foreign_s")
        SHARE(y, "core_hours_f", "core_hours", "core_hours_f_s")
        SHARE(y, "sugg_done", "sugg", "sugg_rate")
        SHARE(y, "emp_sat_n", "emp_q", "emp_sat")
        SHARE(y, "stu_sat_n", "stu_q", "stu_sat")
        SHARE(y, "ielts_pass", "ielts_n", "ielts_rate")
        for part, share in [("inc_fee", "inc_fee_s"), ("inc_gov", "inc_gov_s"), ("inc_other", "inc_other_s")]:
            SHARE(y, part, "inc_total", share)
        RATIO(y, "insch_total", "t_total", "st_ratio")
        # one-third rule of Sino-foreign cooperation
        for a, b in [("imported", "courses"), ("core_foreign", "core"), ("core_hours_f", "core_hours"),
                     ("t_foreign", "t_total")]:
            check(f"{y} {a}/{b} >= 1/3", V(y, a) * 3 >= V(y, b))
        for a, b in [("stu_sci", "stu_papers"), ("patents_granted", "patents"), ("qs100", "abroad"),
                     ("partner_master", "abroad"), ("placed", "grads"), ("deg_cn", "grads"), ("deg_nl", "deg_cn"),
                     ("phd", "t_total"), ("full_prof", "t_total")]:
            LE(y, a, b)
        EQ(y, "psych", y, "enrol_total")
    # repeated figures
    EQ(2021, "eval_courses", 2021, "courses")
    EQ(2021, "grad_cum_again", 2021, "grad_cum")
    EQ(2022, "enrol_total_again", 2022, "enrol_total")
    EQ(2022, "grads_again", 2022, "grads")
    EQ(2023, "enrol_data_again", 2023, "enrol_data")
    EQ(2023, "insch_data", 2023, "enrol_data")
    EQ(2021, "committee", 2022, "committee")
    EQ(2022, "committee", 2023, "committee")
    EQ(2021, "tuition", 2022, "tuition")
    EQ(2022, "tuition", 2023, "tuition")
    EQ(2022, "exch_prev", 2021, "exch")
    EQ(2023, "enrol_prev", 2022, "enrol_total")
    EQ(2023, "new_hires_prev", 2022, "new_hires")
    EQ(2023, "br_stu_prev", 2022, "br_stu")
    EQ(2023, "joint_labs_prev", 2022, "joint_labs")
    EQ(2021, "labs", 2022, "labs")          # “与上年持平”
    EQ(2021, "space", 2022, "space")
    EQ(2021, "st_ratio", 2022, "st_ratio")  # “与上年基本持平”
    EQ(2022, "sea_days", 2023, "sea_days")  # “保持14天”
    check("2023 labs = 2022 labs + 3 new", V(2022, "labs") + V(2023, "labs_new") == V(2023, "labs"))
    check("2023 新聘 9 for new major <= 14", V(2023, "new_hires_data") <= V(2023, "new_hires"))
    check("2023 未落实 7 = 158 - 151", V(2023, "sugg") - V(2023, "sugg_done") == V(2023, "sugg_open"))
    # stated differences / growth rates
    DIFF(2022, "score_above", 2021, "score_above", "score_diff")
    DIFF(2022, "aw_total", 2021, "aw_total", "aw_diff")
    DIFF(2022, "ielts_rate", 2021, "ielts_rate", "ielts_diff")
    DIFF(2022, "grads", 2021, "grads", "grads_diff")
    DIFF(2022, "eval_score", 2021, "eval_score", "eval_diff")
    DIFF(2023, "meetings", 2022, "meetings", "meetings_diff")
    DIFF(2023, "agenda", 2022, "agenda", "agenda_diff")
    DIFF(2023, "t_total", 2022, "t_total", "t_diff")
    DIFF(2023, "courses", 2022, "courses", "courses_diff")
    DIFF(2023, "emp_sat", 2022, "emp_sat", "emp_sat_diff")
    GROWTH(2022, "exch", 2021, "exch", "exch_growth")
    GROWTH(2022, "grads", 2021, "grads", "grads_growth")
    GROWTH(2022, "exp_exch", 2022, "exp_exch_prev", "exp_exch_growth")
    GROWTH(2023, "enrol_total", 2022, "enrol_total", "enrol_growth")
    GROWTH(2023, "exch", 2022, "exch", "exch_growth")
    GROWTH(2023, "t_total", 2022, "t_total", "t_growth")
    GROWTH(2023, "supervision", 2022, "supervision", "supervision_growth")
    GROWTH(2023, "inc_total", 2022, "inc_total", "inc_growth")
    GROWTH(2023, "exp_exch", 2022, "exp_exch", "exp_exch_growth")
    # qualitative comparative claims
    LT(2022, "ielts_rate", 2023, "ielts_rate")   # 连续三年提升
    LT(2021, "ielts_rate", 2022, "ielts_rate")
    check("2023 落实率为近三年最高", V(2023, "placed_rate") > max(V(2021, "placed_rate"), V(2022, "placed_rate")))
    LT(2023, "st_ratio", 2022, "st_ratio")       # 较上年有所下降
    LT(2022, "aw_total", 2023, "aw_total")       # 再创新高
    LT(2021, "aw_total", 2022, "aw_total")
    LT(2023, "balance", 2022, "balance")         # 结余较上年明显减少
    for k in ("admin_staff", "sea_days", "bases", "clubs"):   # 2022 “增至/延长至”
        LT(2021, k, 2022, k)
    LT(2022, "clubs", 2023, "clubs")
    # cumulative counts
    CUM(2022, "grad_cum", "grads")
    CUM(2023, "grad_cum", "grads")
    check("2021 cumulative graduates = 2020届 + 2021届", V(2021, "grad_prev") + V(2021, "grads") == V(2021, "grad_cum"))
    CUM(2022, "exch_cum", "exch")
    CUM(2023, "exch_cum", "exch")
    for k in ("grad_cum", "exch_cum"):
        check(f"cumulative {k} never shrinks", all(V(y, k) <= V(y + 1, k) for y in YEARS[:-1]))
    # cohort flow: in-school_t = in-school_{t-1} + enrol_t - grads_t - attrition, attrition 0..2 %
    for y in YEARS[1:]:
        for m in ("ocean", "env"):
            exp = V(y - 1, f"insch_{m}") + V(y, f"enrol_{m}") - V(y, f"grads_{m}")
            att = exp - V(y, f"insch_{m}")
            check(f"{y} cohort flow insch_{m}: expected {exp}, reported {V(y, f'insch_{m}')} (attrition {att})",
                  0 <= att <= exp * Decimal("0.02"))
    check("2023 new major in school = first intake", V(2023, "insch_data") == V(2023, "enrol_data"))


# ---------------------------------------------------------------------------
def retrieval_checks():
    path = HERE / "retrieval.jsonl"
    if not path.exists():
        check("retrieval.jsonl exists", False)
        return
    texts = {p: (KB / p).read_text(encoding="utf-8") for p in SRC.values()}
    kinds, langs, n = {}, {}, 0
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        n += 1
        try:
            q = json.loads(line)
        except json.JSONDecodeError as e:
            check(f"retrieval line {i} is JSON", False, str(e))
            continue
        need = {"question", "answer", "evidence", "source", "year", "kind", "lang"}
        check(f"retrieval line {i} has fields", need <= set(q), str(need - set(q)))
        kinds[q.get("kind")] = kinds.get(q.get("kind"), 0) + 1
        langs[q.get("lang")] = langs.get(q.get("lang"), 0) + 1
        pairs = [(q.get("evidence", ""), q.get("source", ""))]
        if q.get("kind") == "range":
            eby, sby = q.get("evidence_by_year", {}), q.get("source_by_year", {})
            yrs = q.get("year")
            ok = isinstance(yrs, list) and len(yrs) >= 2 and sorted(map(str, yrs)) == sorted(eby) == sorted(sby)
            check(f"retrieval line {i} range years/evidence_by_year/source_by_year agree", ok)
            if ok:
                first = str(min(yrs))
                check(f"retrieval line {i} evidence/source repeat earliest year", q["evidence"] == eby[first]
                      and q["source"] == sby[first])
                for yy in eby:
                    check(f"retrieval line {i} source_by_year[{yy}] matches year", sby[yy] == SRC[int(yy)])
                    pairs.append((eby[yy], sby[yy]))
        else:
            check(f"retrieval line {i} source matches year", SRC.get(q.get("year")) == q.get("source"))
        for ev, src in pairs:
            ok = (src in texts and ev and len(ev) <= 40 and "\n" not in ev and ev in texts[src])
            check(f"retrieval line {i} evidence in {src}: {ev!r}", ok)
    check(f"retrieval.jsonl has ~60 questions ({n})", 50 <= n <= 70)
    print(f"INFO retrieval: {n} questions, kinds={kinds}, langs={langs}")


# ---------------------------------------------------------------------------
def originality_checks():
    refs = [Path("/work/shared/corpus/2020_self_assessment_report.txt"),
            HERE.parent.parent / "knowledge/reports/2021_self_assessment_report.md"]
    if not all(p.exists() for p in refs):
        print("INFO originality check skipped (reference reports not found)")
        return
    ref_text = [p.read_text(encoding="utf-8") for p in refs]
    grams = set()
    for r in ref_text:
        for line in r.splitlines():
            for i in range(len(line) - 11):
                grams.add(line[i:i + 12])
    for y in YEARS:
        bad = []
        for line in TEXT[y].splitlines():
            if line.startswith("#") or re.fullmatch(r"[一二三四五六七八九十]+[.、].*|\d+\.\s.*", line.strip()):
                continue   # section headings may coincide
            for i in range(len(line) - 11):
                if line[i:i + 12] in grams:
                    bad.append(line[i:i + 12])
        check(f"{y} no 12-char run shared with reference reports (within a prose line)", not bad, str(bad[:5]))


SECTIONS = ["办学基本情况", "学生培养", "师资建设", "教学质量保障", "社会评价", "财务管理", "学生就业与深造",
            "党建与学生工作", "办学特色"]


def structure_checks():
    nums = "一二三四五六七八九"
    for y in YEARS:
        t = TEXT[y]
        heads = re.findall(r"^(?:## )?([一二三四五六七八九])[.、] ?(\S+)", t, flags=re.M)
        order = [h[0] for h in heads]
        check(f"{y} nine sections 一…九 in order", "".join(order) == nums, "".join(order))
        for (n, title), want in zip(heads, SECTIONS):
            check(f"{y} section {n} is {want}", title.startswith(want), title)
        cover = t[:400]
        for w in ("中外合作办学机构", f"{y} 年度自评报告", "机构名称：", "办学单位：", "批准书编号：MOE43NLA02DNR20160428N"):
            check(f"{y} cover block has {w!r}", w in cover)
    check("2023 states the new major", "学院新增“数据科学与大数据技术”本科专业" in TEXT[2023])
    check("2021/2022 have two majors, 2023 three", "两个本科专业" in TEXT[2021] and "2 个本科专业" in TEXT[2022]
          and "由两个增加到三个" in TEXT[2023])


def figure_counts():
    for y in YEARS:
        t = TEXT[y]
        han = len(re.findall(r"[\u4e00-\u9fff]", t))
        nums = NUM_RE.findall(t)
        check(f"{y} report has 3000-4000 Chinese characters ({han})", 3000 <= han <= 4000)
        check(f"{y} report has >= 100 numeric figures ({len(nums)})", len(nums) >= 100)
        print(f"INFO {y}: {len(t)} chars, {han} Han characters, {len(nums)} numeric tokens")


def main():
    bind_all()
    identities()
    exp_rows = table_checks()
    yoy_checks(exp_rows)
    retrieval_checks()
    originality_checks()
    structure_checks()
    figure_counts()
    fails = 0
    for name, ok, detail in RESULTS:
        print(("OK   " if ok else "FAIL ") + name + ("" if ok or not detail else f"  [{detail}]"))
        fails += not ok
    print(f"\n{len(RESULTS) - fails} OK, {fails} FAIL")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
