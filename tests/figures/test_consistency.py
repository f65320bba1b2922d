"""Whole-draft consistency: shares, parts and totals, duplicates, domain and unit rules — each with a
case that must be found and one that must not."""

from __future__ import annotations

from assistant.figures import check_draft
from assistant.figures.align import records_from_text


def _rules(text: str, year: int = 2021, history=()) -> list[str]:
    findings = check_draft(text, year, list(history))
    for f in findings:
        assert f.quote in text and text[f.span[0]:f.span[1]] in f.quote or f.kind == "domain"
    return [f.rule for f in findings]


def test_share_base_from_siblings_in_the_paragraph():
    text = ("任课教师 118 人，其中外方教师 40 人，占 33.9%。任课教师中，具有博士学位的占 72.0%（85 人），"
            "具有正高级职称的占 21.2%（25 人）；35 岁及以下教师占 28.0%（33 人）。")
    assert _rules(text) == []
    (f,) = check_draft(text.replace("21.2%", "25.0%"), 2021, [])
    assert f.rule == "share.count_base" and f.arithmetic == "25/118 = 21.2%，草稿写 25.0%"
    assert [r["raw"] for r in f.related] == ["25 人", "118 人"]


def test_share_of_a_named_population():
    text = "出国（境）深造 168 人，占毕业生的 57.34%。赴 QS 前 100 高校深造的 112 人，占出国（境）深造人数的 66.7%。"
    assert _rules(text) == []  # 66.7% is of 168, not of the graduates
    assert _rules(text.replace("66.7%", "60.7%")) == ["share.count_base"]


def test_rate_after_its_base_is_not_its_count():
    assert _rules("学院在校生 1474 人。2023 届毕业生共 293 人，毕业去向落实率为 96.93%。") == []


def test_count_larger_than_its_base_in_the_same_sentence():
    assert _rules("收集意见建议 61 条，落实 57 条，落实率 93.4%。") == []
    assert _rules("收集意见建议 46 条，落实 57 条，落实率 93.4%。") == ["share.count_base"]


def test_permille_share_right_or_slipped():
    assert _rules("抽查试卷 2000 份，不合格 3 份，不合格率 1.5‰。") == []
    assert _rules("任课教师 113 人，35 岁以下占 30.9‰（35 人）。") == ["unit.share_scale"]
    assert _rules("2021 届毕业生就业率达 96.8‰，深造率 90.7%，满意度 97.3%。") == ["unit.permille"]


def test_table_total_rows_and_columns():
    table = ("| 年龄段 | 人数 | 占比 |\n| --- | --- | --- |\n| 35岁及以下 | 36 | 29.5% |\n| 36–45岁 | 55 | 45.1% |\n"
             "| 46岁及以上 | 31 | 25.4% |\n| 合计 | 122 | 100.0% |\n")
    assert _rules(table) == []
    assert _rules(table.replace("| 55 |", "| 57 |")) == ["share.count_base", "sum.table"]  # 57/122 ≠ 45.1%
    assert _rules(table.replace("45.1%", "47.1%")) == ["share.count_base", "sum.table"]


def test_a_cell_written_as_none_adds_nothing_to_its_total():
    table = ("| 专业 | 招生（人） | 在校生（人） | 毕业生（人） |\n| --- | --- | --- | --- |\n"
             "| 机械工程 | 170 | 651 | 145 |\n| 工业设计 | 90 | 347 | 72 |\n| 物流管理 | 60 | 60 | — |\n"
             "| 合计 | 320 | 1058 | 217 |\n")
    assert _rules(table) == []
    assert _rules(table.replace("| 217 |", "| 235 |")) == ["sum.table"]  # 145 + 72, the new major has none
    assert _rules(table.replace("| 72 |", "| 67 |")) == ["sum.table"]
    assert _rules(table.replace("| 60 | 60 | — |", "| 60 | 60 | 5 |")) == ["sum.table"]


def test_table_learns_which_columns_a_total_sums():
    table = ("| 类别 | 男 | 女 | 其中博士 | 合计 |\n|---|---|---|---|---|\n| 任课教师 | 60 | 40 | 70 | 100 |\n"
             "| 管理人员 | 10 | 15 | 2 | 25 |\n| 辅导员 | 4 | 6 | 1 | 10 |\n")
    assert _rules(table) == []
    table2 = ("| 类别 | 男 | 女 | 平均年龄 | 合计 |\n|---|---|---|---|---|\n| 任课教师 | 60 | 40 | 41 | 100 |\n"
              "| 管理人员 | 10 | 15 | 38 | 25 |\n| 辅导员 | 4 | 6 | 30 | 10 |\n")
    assert _rules(table2) == []
    assert _rules(table2.replace("| 15 | 38 | 25 |", "| 17 | 38 | 25 |")) == ["sum.table"]


def test_compositions_remainders_and_disjoint_lists():
    assert _rules("学院在校生 1474 人，其中本科生 1462 人（电子信息工程 909 人、计算机科学与技术 493 人、人工智能 60 人），硕士研究生 12 人。") == []
    assert _rules("学院本科生 1462 人（电子信息工程 909 人、计算机科学与技术 493 人、人工智能 70 人）。") == ["sum.composition"]
    assert _rules("43名外方教师中有29人来院现场授课，其余14人继续采用线上方式授课。") == []
    assert _rules("43名外方教师中有29人来院现场授课，其余17人继续采用线上方式授课。") == ["sum.remainder"]
    assert _rules("在校生 1474 人，其中本科生 1480 人，硕士研究生 12 人。") == ["sum.exceeds"]


def test_mixed_units_in_a_list():
    assert _rules("竞赛获奖 286 人次，其中国际级 21 人次、国家级 55 人次、省级 70 人次、校级 140 人次。") == []
    assert _rules("竞赛获奖 286 人次，其中国际级 21 人、国家级 55 人次、省级 70 人次、校级 140 人次。") == ["unit.mixed"]
    # persons against person-times throughout is not a slip
    assert _rules("324 名同学获得奖励，其中国际级奖项 32 人次，国家级奖项 69 人次，省级奖项 54 人次，校级奖励 168 人次。") == []


def test_same_metric_stated_twice():
    text = "二、学生培养\n\n2021 届毕业生就业率为 96.81%。\n\n八、社会评价\n\n毕业生就业率为 96.5%，用人单位满意。"
    (f,) = check_draft(text, 2021, [])
    assert (f.kind, f.rule, f.grade) == ("duplicate", "duplicate.value", "error") and "96.5%" in f.quote
    assert f.related[0]["raw"] == "96.81%" and f.related[0]["role"] == "restated"
    assert _rules(text.replace("96.5%", "96.8%")) == []  # the same value, less precise
    assert _rules("就业率达 96.81%以上。\n\n就业率为 97.2%。") == []  # 以上 admits more
    # labels that narrow the population are other metrics
    assert _rules("学院任课教师 120 人。\n\n新进任课教师 9 人。") == []
    # two bounds the same way restate one measured value: they must agree
    assert _rules("二、学生培养\n\n2020 届毕业生就业率达 96.81%以上。\n\n三、师资建设\n\n就业率达92.07%以上。") \
        == ["duplicate.value"]
    assert _rules("就业率达 96.81%以上。\n\n就业率达 96.81%以上，位居前列。") == []


def test_a_part_restated_out_of_its_list_in_another_section():
    spending = ("六、经费\n\n2021 年学院支出 7126.4 万元，其中教学运行及外方教学费用 3905.3 万元，师资建设 1461.0 万元。\n\n"
                "九、办学特色\n\n学院持续加大投入，教学运行及外方教学费用{} 万元。")
    (f,) = check_draft(spending.format("4217.4"), 2021, [])
    assert f.rule == "duplicate.value" and "4217.4" in f.quote and f.related[0]["raw"] == "3905.3 万元"
    assert _rules(spending.format("3905.3")) == []  # restated with its value
    # the same words in two lists of one section name two populations: no finding
    lists = ("一、办学基本情况\n\n2021 年共招收本科生 360 人，其中计算机科学与技术 120 人、电子信息工程 240 人。"
             "在校生 1286 人，其中计算机科学与技术 238 人、电子信息工程 1048 人。\n\n九、办学特色\n\n计算机科学与技术 238 人。")
    assert "duplicate.value" not in _rules(lists)


def test_a_figure_restated_alone_in_another_section():
    text = ("四、质量保障\n\n召开师生联席会 10 次，学生提出意见建议 58 条，已落实 55 条，落实率 94.8%。\n\n"
            "九、办学特色\n\n学院坚持以学生为中心。已落实 60 条。")
    assert _rules(text) == ["duplicate.value"]
    assert _rules(text.replace("已落实 60 条", "已落实 55 条")) == []
    # the end of a label restated alone (EI 收录 of SCI、EI 收录), same scope
    papers = "二、学生培养\n\n学生发表论文 41 篇，其中 SCI、EI 收录 27 篇。\n\n九、办学特色\n\n成果丰硕。EI 收录 25 篇。"
    assert _rules(papers) == ["duplicate.value"]
    # words two statements use for different values are not one metric: nothing restated
    two = ("二、学生培养\n\n意见建议 58 条，已落实 55 条。整改问题 20 个，已落实 18 条。\n\n九、办学特色\n\n已落实 60 条。")
    assert _rules(two) == []


def test_domain_rules():
    assert _rules("学生科创覆盖率 120%。") == ["domain.share_over_100"]
    assert _rules("经费较上年增长 120%。") == []
    assert _rules("全院生师比为 0.00。") == ["domain.zero_ratio"]
    assert _rules("全院生师比为 0∶1。") == ["domain.zero_ratio"]  # the ratio sign reads as a colon
    assert _rules("2021 年 4 月 31 日召开大会。") == ["domain.invalid_date"]
    assert _rules("2020 年 2 月 29 日召开大会。", 2020) == []
    assert _rules("2024 年学院招收本科生 300 人。") == ["domain.future_date"]
    assert _rules("2022 年 4 月 20 日提交本报告。") == []  # a 2021 report is signed in 2022
    assert _rules("学院计划于 2025 年开设新专业。") == []
    assert _rules("学院将师德考核作为首要条件，2025 年完成认证。") == ["domain.future_date"]
    assert _rules("理事会审议通过了学院 2022—2026 年发展规划。") == []  # a plan's period
    assert _rules("学院于 2022—2026 年完成认证。") == ["domain.future_date"]
    assert _rules("两校续签合作办学协议，合作期延长至2033年。") == []  # the end of a term
    assert _rules("办学许可证有效期至 2028 年。") == []
    assert _rules("学院至 2033 年招收本科生 300 人。") == ["domain.future_date"]


def test_findings_are_reproducible():
    text = ("二、学生培养\n\n学生党员 95 人。深造率 92.0%，其中出国 67.1%、国内 23.9%。\n\n"
            "三、师资建设\n\n任课教师 120 人，其中英方任课教师 35 人、中方任课教师 90 人。学生科创覆盖率 120%。")
    history = records_from_text("学生党员增长到 138 人。任课教师 113 人。", 2020, "r.md")
    first = [f.to_json() for f in check_draft(text, 2021, history)]
    assert len(first) >= 4
    assert all([f.to_json() for f in check_draft(text, 2021, history)] == first for _ in range(3))
    assert [f["span"][0] for f in first] == sorted(f["span"][0] for f in first)


def test_a_share_is_flagged_only_when_no_base_the_draft_states_gives_it():
    # 42/193 = 21.76 %: the graduates stated in another paragraph are the base, not the 128 beside it
    text = ("七、就业\n\n2021届毕业生193人。\n\n全届有128人继续深造，其中出国（境）深造86人，占44.56%，国内读研42人，占21.76%。")
    assert _rules(text) == []
    assert _rules(text.replace("21.76%", "23.76%")) == ["share.count_base"]  # no count of the draft gives 23.76 %


def test_a_bare_category_in_another_section_does_not_restate_another_lists_part():
    text = ("一、办学基本情况\n\n2023年学院录取新生395人。分专业看，海洋科学175人，环境工程130人，数据科学90人。\n\n"
            "七、就业\n\n2023届毕业生253人，其中海洋科学147人、环境工程106人。")
    assert _rules(text, 2023) == []


def test_a_share_after_its_counts_own_words_and_a_base_stated_in_the_sections_earlier_paragraph():
    text = ("三、师资建设\n\n学院任课教师共计 118 人，外方教师 44 人。\n\n"
            "学历与职称方面，96 名教师拥有博士学位，比例为 81.4%；正高级职称教师 28 人，占 23.7%；副高级职称教师 41 人，占 34.7%。")
    assert _rules(text) == []  # 96, 28 and 41 of the 118 stated a paragraph before
    assert _rules(text.replace("81.4%", "83.6%")) == ["share.count_base"]


def test_lists_without_a_trigger_word():
    # a total, then its parts joined by 、 — no 其中
    assert _rules("三、师资建设\n\n学院任课教师共计 118 人，外方教师 44 人、中方教师 74 人。") == []
    assert _rules("三、师资建设\n\n学院任课教师共计 118 人，外方教师 44 人、中方教师 79 人。") == ["sum.partition"]
    # …中，then the parts: the majors of 310 名新生 (a student is in one major: they may not exceed it)
    admitted = "一、办学基本情况\n\n2022 年录取的 310 名新生中，海洋科学专业 180 人、环境工程专业 130 人。"
    assert _rules(admitted) == []
    assert _rules(admitted.replace("180 人", "210 人")) == ["sum.exceeds"]
    # the next sentence opening with 按…统计 lists the parts of the sentence before
    text = "二、学生培养\n\n全年在学科竞赛中获奖206人次。按级别统计，国际级奖项14人次、国家级37人次、省级58人次、校级97人次。"
    assert _rules(text) == []
    # 按级别统计 breaks the whole down: the parts must add up to it, in either direction
    assert _rules(text.replace("省级58人次", "省级158人次")) == ["sum.breakdown"]
    assert _rules(text.replace("国际级奖项14人次", "国际级奖项4人次")) == ["sum.breakdown"]
    # figures separated by commas are several metrics, not a list
    assert _rules("一、基本情况\n\n学院在校生 1263 人，毕业生 253 人，录取新生 395 人。") == []


def test_one_concept_measured_for_two_named_populations_is_not_a_duplicate():
    text = ("五、社会评价\n\n学院对录用本院毕业生的用人单位进行跟踪调查，回收有效问卷84份，满意度为94.0%。\n\n"
            "在面向在校生的年度满意度调查中，学院回收有效问卷865份，满意度为91.7%。")
    assert _rules(text) == []
    # the same population twice (or one statement naming none) is one metric with two values
    assert _rules(text.replace("在面向在校生的年度满意度调查中", "在用人单位年度回访中")) == ["duplicate.value", "duplicate.value"]


def test_a_share_column_total_must_be_100() -> None:
    table = ("三、师资建设\n\n| 年龄段 | 人数（名） | 占比（%） |\n| --- | --- | --- |\n| 35岁及以下 | 22 | 25.6 |\n"
             "| 36—45岁 | 34 | 39.5 |\n| 46岁以上 | 30 | 34.9 |\n| 合计 | 86 | 100.0 |")
    assert _rules(table) == []
    assert _rules(table.replace("| 86 | 100.0 |", "| 86 | 96.4 |")) == ["sum.table"]


def test_a_figure_restated_in_parentheses_is_the_same_figure() -> None:
    text = ("一、办学基本情况\n\n年末在校生959名，比上年增加50名。\n\n三、师资队伍建设\n\n"
            "2023年任课教师86名，全院生师比为11.2:1（按在校生959名计）。")
    assert _rules(text, 2023) == []
    assert _rules(text.replace("按在校生959名计", "按在校生1082名计"), 2023) == ["duplicate.value"]


def test_parts_named_as_complements() -> None:
    among = "五、国际交流\n\n全年参加各类交流项目92人次。92人次中线下项目78人次、线上项目14人次。"
    assert _rules(among, 2023) == []
    assert _rules(among.replace("78人次", "75人次"), 2023) == ["sum.partition"]  # among the 92: 线下 + 线上
    party = "八、党建\n\n学院党委下设6个党支部，党员127名，其中学生党员94名、教职工党员33名。"
    assert _rules(party, 2023) == []
    assert _rules(party.replace("94名", "84名"), 2023) == ["sum.partition"]  # 学生 + 教职工


def test_a_table_cell_restated_in_the_text() -> None:
    text = ("六、财务管理\n\n全年支出7752万元。国际交流支出236万元，主要用于学生交流。"
            "大创项目立项23项（国家级8项，省级15项）。\n\n"
            "| 支出项目 | 金额（万元） | 占比（%） |\n| --- | --- | --- |\n| 教学运行 | 7516 | 97.0 |\n"
            "| 国际交流 | 236 | 3.0 |\n| 合计 | 7752 | 100.0 |\n\n"
            "| 级别 | 获奖项目（项） |\n| --- | --- |\n| 国家级 | 14 |\n| 省级 | 29 |\n| 合计 | 43 |")
    assert _rules(text, 2022) == []  # 国家级 8 项 of 大创 is not the table's 国家级 14 项 of awards
    assert _rules(text.replace("国际交流支出236", "国际交流支出228"), 2022) == ["duplicate.table"]


def test_a_masters_figure_is_not_the_undergraduate_tables_row() -> None:
    table = ("| 去向 | 人数 | 占比（%） |\n| --- | --- | --- |\n| 深造 | 150 | 57.3 |\n| 就业 | 103 | 39.3 |\n"
             "| 待就业 | 9 | 3.4 |\n| 合计 | 262 | 100.0 |\n\n")
    text = table + "第二届硕士毕业生15人，其中4人读博、10人就业、1人待就业。"
    assert "duplicate.table" not in _rules(text, 2023)
    assert "duplicate.table" in _rules(table + "全年待就业毕业生7人。", 2023)


def test_a_lone_restatement_before_the_statement_it_restates() -> None:
    text = ("四、教学质量保障\n\n学院已完成自评材料框架。落实率93.2%。\n\n"
            "七、学生就业与深造\n\n2021届毕业生248人，毕业去向落实236人，落实率95.2%。")
    assert _rules(text) == ["duplicate.value"]
    assert _rules(text.replace("落实率93.2%", "落实率95.2%")) == []


def test_the_same_words_read_as_a_concept_and_as_its_parent_state_one_metric() -> None:
    text = ("三、师资队伍建设\n\n2021年全院任课教师84人，其中中方教师56人，外方教师28人。\n\n"
            "九、办学特色\n\n外方教师28人中有9人具有十年以上企业工作经历。")
    assert _rules(text) == []
    assert _rules(text.replace("外方教师28人中", "外方教师26人中")) == ["duplicate.value"]


def test_a_share_named_by_its_own_words_and_a_satisfaction_rate_of_a_listed_part() -> None:
    text = "学院共有任课教师92人，中方59人、外方33人，外方教师占35.9%。"
    assert _rules(text) == [] and _rules(text.replace("35.9%", "42.4%")) == ["share.count_base"]
    assert _rules("任课教师92人，外方教师占35.9%。在校生1,085人。") == []  # 92 is not the 外方 count
    text = "回收有效问卷916份，其中选择满意的867份，学生满意度为94.7%。"
    assert _rules(text) == [] and _rules(text.replace("94.7%", "91.2%")) == ["share.count_base"]
    text = "学院回访71家用人单位，其中69家表示满意，用人单位满意度为97.2%。"
    assert _rules(text) == [] and _rules(text.replace("97.2%", "99.0%")) == ["share.count_base"]


def test_a_share_column_named_for_one_count_column() -> None:
    """人数占比 is the share of the 人数 column, not of the last count column before it."""
    table = ("三、师资队伍建设\n\n| 类别 | 人数 | 副高级及以上 | 硕士及以上学位 | 人数占比（%） |\n| --- | --- | --- | --- | --- |\n"
             "| 中方教师 | 52 | 19 | 41 | 78.8 |\n| 外方教师 | 14 | 3 | 9 | 21.2 |\n| 合计 | 66 | 22 | 50 | 100.0 |")
    assert _rules(table) == []
    assert "share.count_base" in _rules(table.replace("| 52 | 19 | 41 | 78.8 |", "| 52 | 19 | 41 | 72.8 |")
                                        .replace("| 14 | 3 | 9 | 21.2 |", "| 14 | 3 | 9 | 27.2 |"))


def test_shares_of_the_rates_own_group_are_not_its_parts() -> None:
    text = "七、毕业生就业\n\n升学86人，深造率30.6%；其中境外15人，占升学人数的17.4%，国内专升本71人，占82.6%。"
    assert _rules(text) == []
    assert _rules("七、毕业生就业\n\n深造率30.6%，其中境外深造率17.4%、国内深造率12.6%。") == ["sum.partition"]


def test_those_sent_or_selected_are_not_the_whole_population() -> None:
    text = ("三、师资队伍建设\n\n项目任课教师66人，其中中方教师52人、外方教师14人。\n\n"
            "本年度选派3名中方教师赴德参加师资培训；选派中方教师8人赴德进修。\n\n"
            "二、学生培养\n\n2023年录取新生320人。双元制班从机电一体化技术新生中选拔，录取30人。")
    assert _rules(text, 2023) == []
    assert "duplicate.value" in _rules(text.replace("录取30人。", "录取30人。全年录取新生300人。"), 2023)


def test_a_rate_named_by_its_count_is_checked_with_it() -> None:
    """毕业去向落实 238 人，毕业去向落实率 96.0%: the rate and its count hold together (96.0 of 248 graduates),
    so a rate equal to last year's is not taken for a stale copy; a broken rate is found."""
    prior = records_from_text("七、毕业生就业\n\n2021届毕业生共240人，毕业去向落实230人，毕业去向落实率96.0%。", 2021,
                              "reports/2021.md")
    text = "七、毕业生就业\n\n2022届毕业生共248人。截至8月31日，毕业去向落实238人，毕业去向落实率96.0%。"
    assert _rules(text, 2022, prior) == []
    assert "share.count_base" in _rules(text.replace("落实238人", "落实228人"), 2022, prior)


def test_student_and_employer_satisfaction_are_two_measurements() -> None:
    text = ("四、教学质量保障\n\n学生满意度调查回收有效问卷910份，满意861份，满意度94.6%。\n\n"
            "五、社会评价\n\n回访用人单位68家，满意65家，满意度95.6%。")
    assert _rules(text) == []


def test_a_unit_slip_among_siblings_of_one_sentence() -> None:
    assert _rules("三、师资队伍建设\n\n任课教师共71人，中方55人，外方16人次。") == ["unit.sibling"]
    assert _rules("七、毕业生就业\n\n三个专业的毕业生分别为132人、84人和65人次。") == ["unit.sibling"]
    assert _rules("三、师资队伍建设\n\n任课教师共71人，中方55人，外方16人。") == []
    # two ways of counting, or a count of times of those sent, is no slip
    assert _rules("二、学生培养\n\n获奖学生共41人次，按人数不重复统计为35人。") == []
    assert _rules("三、师资队伍建设\n\n本年度选派3名中方教师赴德参加师资培训，组织中方教师参加线上研修26人次；"
                  "安排11名专业教师到合作企业实践。") == []


def test_some_of_a_table_row_by_words_of_their_own_is_not_the_row():
    table = ("七、毕业生就业\n\n就业的98名毕业生中，在沅州省内就业64人，占65.3%。\n\n| 毕业去向 | 人数 | 占比（%） |\n"
             "| --- | --- | --- |\n| 就业 | 98 | 87.5 |\n| 未落实 | 14 | 12.5 |\n| 合计 | 112 | 100.0 |\n")
    assert _rules(table, 2022) == []
    assert _rules(table.replace("就业的98名毕业生中，在沅州省内就业64人", "就业毕业生94人"), 2022) == ["duplicate.table"]


def test_a_total_after_a_list_that_follows_qizhong_sums_the_list_only():
    text = "三、师资队伍建设\n\n获得教学表彰的教师9人，其中国家级1人次、省级4人次、校级7人次（含重复），共计12人次。"
    assert _rules(text, 2024) == []
    assert _rules(text.replace("共计12人次", "共计13人次"), 2024) == ["sum.summed"]


def test_a_rate_named_by_its_counts_words_is_checked_with_it():
    survey = "五、社会评价\n\n在校生满意度调查回收有效问卷945份，满意893份，满意度94.5%。"
    assert _rules(survey, 2023) == []
    assert _rules(survey.replace("94.5%", "91.3%"), 2023) == ["share.count_base"]
