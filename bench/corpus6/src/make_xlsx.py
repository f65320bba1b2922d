# -*- coding: utf-8 -*-
"""Build knowledge/reports/2024年度数据附表.xlsx (appendix workbook, 2 sheets).

Values are taken from the declared figures of the three reports (src/manifest_*.json),
so the 2024 column equals the 2024 report.
"""
import datetime
import json

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from common import OUT, REPORTS_DIR

M = {y: {f["metric"]: f["value"] for f in json.loads((OUT / "src" / f"manifest_{y}.json").read_text("utf-8"))["figures"]}
     for y in (2022, 2023, 2024)}

BASIC = [("本科招生", "本科招生", "人", ""),
         ("研究生招生", "研究生招生", "人", ""),
         ("本科在校生", "本科在校生", "人", "年末数"),
         ("研究生在校生", "研究生在校生", "人", "年末数"),
         ("在校生合计", "在校生", "人", "本科+研究生"),
         ("任课教师", "任课教师", "人", ""),
         ("其中：外方教师", "外方教师", "人", ""),
         ("生师比", "生师比", "", "在校生/任课教师"),
         ("临床实习基地", "实习基地", "家", "2024年新增颐康养老中心、沅州市药品检验所"),
         ("带教教师", "带教教师", "人", ""),
         ("本科毕业生", "本科毕业生", "人", ""),
         ("研究生毕业生", "研究生毕业生", "人", ""),
         ("本科毕业去向落实率", "本科落实率", "%", ""),
         ("本科深造率", "深造率", "%", "含境外与国内深造"),
         ("护士执业资格考试通过率", "护考通过率", "%", "护理学专业毕业生"),
         ("学生满意度", "学生满意度", "%", "在校生问卷"),
         ("用人单位满意度", "用人单位满意度", "%", "回访用人单位"),
         ("派出交换生", "派出交换生", "人", "赴卡罗莫尔大学"),
         ("累计派出交换生", "累计派出", "人", "自建院起累计"),
         ("志愿服务时长", "志愿服务时长", "小时", "")]
FIN = [("学费收入", "t{y}_income|学费收入|金额（万元）", "万元", ""),
       ("学校配套经费", "t{y}_income|学校配套经费|金额（万元）", "万元", ""),
       ("科研及社会服务收入", "t{y}_income|科研及社会服务收入|金额（万元）", "万元", ""),
       ("其他收入", "t{y}_income|其他收入|金额（万元）", "万元", ""),
       ("收入合计", "总收入", "万元", ""),
       ("教职工薪酬", "t{y}_exp|教职工薪酬|金额（万元）", "万元", ""),
       ("外方教师聘请及差旅", "t{y}_exp|外方教师聘请及差旅|金额（万元）", "万元", ""),
       ("教学运行", "t{y}_exp|教学运行|金额（万元）", "万元", ""),
       ("临床实践教学", "t{y}_exp|临床实践教学|金额（万元）", "万元", ""),
       ("学生资助与交流", "t{y}_exp|学生资助与交流|金额（万元）", "万元", ""),
       ("设备购置", "t{y}_exp|设备购置|金额（万元）", "万元", "2024年建设智慧护理实训中心"),
       ("行政管理及其他", "t{y}_exp|行政管理及其他|金额（万元）", "万元", ""),
       ("支出合计", "总支出", "万元", ""),
       ("收支结余", "结余", "万元", ""),
       ("本科学费标准", "本科学费", "元/生·年", "三年未调整"),
       ("研究生学费标准", "研究生学费", "元/生·年", "三年未调整"),
       ("奖助学金", "奖助学金", "万元", "")]


def val(y, key):
    k = key.format(y=str(y)[2:])
    if k in M[y]:
        return M[y][k]
    raise KeyError((y, k))


def sheet(ws, rows, money=False):
    ws.append(["指标", "2022年", "2023年", "2024年", "单位", "备注"])
    for c in ws[1]:
        c.font = Font(bold=True)
        c.alignment = Alignment(horizontal="center")
    for name, key, unit, note in rows:
        vals = []
        for y in (2022, 2023, 2024):
            v = val(y, key)
            vals.append(int(v) if float(v).is_integer() and not money else v)
        ws.append([name] + vals + [unit, note])
    for r in ws.iter_rows(min_row=2, min_col=2, max_col=4):
        for c in r:
            c.number_format = "#,##0.0" if (money or isinstance(c.value, float)) else "#,##0"
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["F"].width = 40


def build():
    wb = Workbook()
    ws = wb.active
    ws.title = "基本数据"
    sheet(ws, BASIC)
    sheet(wb.create_sheet("财务数据"), FIN, money=True)
    for r in wb["财务数据"].iter_rows(min_row=16, max_row=17, min_col=2, max_col=4):
        for c in r:
            c.value = int(c.value)
            c.number_format = "#,##0"
    wb.properties.creator = "卡罗莫尔健康学院综合办公室"
    wb.properties.created = wb.properties.modified = datetime.datetime(2025, 3, 25, 9, 0, 0)
    wb.save(REPORTS_DIR / "2024年度数据附表.xlsx")
    print("xlsx ok")


if __name__ == "__main__":
    build()
