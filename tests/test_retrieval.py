import re
from dataclasses import replace

import pytest

from assistant.index.sync import Indexer
from assistant.retrieval import Retriever, parse_query
from tests.index.conftest import write_corpus


@pytest.mark.parametrize("query, years", [
    ("2020届毕业生就业率是多少？", (2020,)),
    ("2020 年度的生师比", (2020,)),
    ("2019—2021年学生党员人数", (2019, 2020, 2021)),
    ("2019-2021 年学费", (2019, 2020, 2021)),
    ("2019年和2020年的就业率", (2019, 2020)),
    ("What was the employment rate in 2022?", (2022,)),
    ("就业率达 96.81%以上吗", ()),
    ("学费是 60000 元吗", ()),
])
def test_parse_query_years(query, years):
    assert parse_query(query).years == years


def test_parse_query_rule_intent():
    assert parse_query("年度自评报告应当何时提交？").about_rules
    assert parse_query("What does the regulation require?").about_rules
    assert not parse_query("2022年的就业率是多少").about_rules


@pytest.fixture
def retriever(tmp_path, settings_factory):
    settings = settings_factory(write_corpus(tmp_path / "knowledge"))
    Indexer(settings).sync()
    return Retriever(settings)


def test_year_in_question_selects_that_years_report(retriever):
    for year, figure in ((2021, "95.62"), (2022, "96.15")):
        top = retriever.search(f"{year}年的就业率是多少？", k=3)[0]
        assert top.chunk.year == year and figure in top.chunk.text


def test_several_years_return_each_years_passage(retriever):
    results = retriever.search("2021年和2022年的就业率分别是多少？", k=2)
    assert {r.chunk.year for r in results} == {2021, 2022}
    assert all("就业率" in r.chunk.text for r in results)


def test_rule_questions_prefer_regulations(retriever):
    top = retriever.search("年度自评报告应当在什么时候提交？", k=3)[0]
    assert top.chunk.doc_type == "regulation" and "4 月 30 日" in top.chunk.text


def test_english_question_finds_chinese_passage(retriever):
    results = retriever.search("What is the tuition fee for undergraduates?", k=3)
    assert any("60000" in r.chunk.text for r in results)


def test_hard_filters(retriever):
    assert {r.chunk.year for r in retriever.search("就业率", k=10, year=2021)} == {2021}
    assert {r.chunk.doc_type for r in retriever.search("报告", k=10, doc_type="regulation")} == {"regulation"}
    assert retriever.search("就业率", k=5, year=1999) == []


def test_results_carry_citation_metadata_and_scores(retriever):
    results = retriever.search("学生党员", k=4)
    assert results == sorted(results, key=lambda r: -r.score)
    first = results[0].as_json()
    assert set(first) >= {"text", "source", "section", "year", "page", "score"}
    assert first["source"].startswith("reports/")


def test_retriever_sees_new_commits_without_restart(tmp_path, settings_factory, retriever):
    settings = retriever.settings
    (settings.knowledge_dir / "reports" / "2023_report.md").write_text(
        "# 2023 年度自评报告\n\n## 二、学生培养\n\n2023 届毕业生就业率为 97.30%。\n", encoding="utf-8")
    Indexer(settings).sync()
    top = retriever.search("2023年的就业率", k=1)[0]
    assert top.chunk.year == 2023 and "97.30" in top.chunk.text


def test_when_questions_prefer_the_passage_with_a_date(tmp_path, settings_factory):
    knowledge = write_corpus(tmp_path / "knowledge")
    (knowledge / "regulations" / "公开办法.md").write_text(
        "# 信息公开办法（示例）\n\n第一条 年度自评报告提交后三十日内，应当在网站公开年度自评报告和收费标准。\n\n"
        "第二条 年度自评报告应当真实、准确，提交前由举办高校审核。\n", encoding="utf-8")
    settings = settings_factory(knowledge)
    Indexer(settings).sync()
    top = Retriever(settings).search("年度自评报告应在什么时候之前提交？", k=3)[0]
    assert "4 月 30 日前" in top.chunk.text
    assert parse_query("When is the deadline?").about_dates and not parse_query("2022年的就业率").about_dates


def test_single_signal_modes_for_baselines(retriever):
    keyword = retriever.search("学生党员", k=10, mode="keyword")
    assert keyword and all("学生党员" in r.chunk.text or "党员" in r.chunk.text for r in keyword)
    assert [r.score for r in keyword] == sorted((r.score for r in keyword), reverse=True)
    vector = retriever.search("学生党员", k=3, mode="vector", year=2022)
    assert len(vector) == 3 and {r.chunk.year for r in vector} == {2022}
    assert [r.score for r in vector] == sorted((r.score for r in vector), reverse=True)


def test_concurrent_searches_during_a_commit_share_one_consistent_snapshot(tmp_path, settings_factory, retriever, monkeypatch):
    import threading
    import time

    from assistant import retrieval

    retriever.search("就业率", k=1)
    (retriever.settings.knowledge_dir / "reports" / "2023_report.md").write_text(
        "# 2023 年度自评报告\n\n## 二、学生培养\n\n2023 届毕业生就业率为 97.30%。\n", encoding="utf-8")
    Indexer(retriever.settings).sync()  # a new generation: the next searches must rebuild
    builds = []
    original = retrieval._Snapshot.build.__func__

    def slow_build(cls, generation, chunks, *rest):
        builds.append(generation)
        time.sleep(0.3)  # a search arriving meanwhile must wait, not read half-built state
        return original(cls, generation, chunks, *rest)

    monkeypatch.setattr(retrieval._Snapshot, "build", classmethod(slow_build))
    results, errors = [], []

    def search() -> None:
        try:
            results.append(retriever.search("2023年的就业率", k=1)[0].chunk.year)
        except Exception as exc:  # pragma: no cover - the failure being tested
            errors.append(exc)

    threads = [threading.Thread(target=search) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and results == [2023] * 4
    assert len(builds) == 1


def test_rule_questions_prefer_every_registered_rule_type(tmp_path, settings_factory, monkeypatch):
    from assistant.domain import doctypes

    knowledge = tmp_path / "knowledge"
    (knowledge / "通知").mkdir(parents=True)
    (knowledge / "misc").mkdir(parents=True)
    text = "学院各部门应当于每年 3 月 15 日前报送教学工作总结和下一年度教学计划。\n"
    (knowledge / "通知" / "a.md").write_text("# 安排\n\n" + text, encoding="utf-8")
    (knowledge / "misc" / "b.md").write_text("# 安排\n\n" + text, encoding="utf-8")
    notice = doctypes.DocType("notice", "通知", "notice", folder_words=("通知",), boost_for_rules=True)
    *known, other = doctypes.DOC_TYPES
    monkeypatch.setattr(doctypes, "DOC_TYPES", (*known, notice, other))
    settings = settings_factory(knowledge)
    Indexer(settings).sync()
    retriever = Retriever(settings)
    top = retriever.search("各部门应当什么时候报送教学计划？", k=2)  # equal passages: the type decides
    assert [r.chunk.doc_type for r in top] == ["notice", "other"]


def test_english_question_counts_its_expansion_as_its_own_words(tmp_path, settings_factory):
    """An English question matches Chinese passages only through the vocabulary: its years must not
    outweigh that (the 2020 report mentions 2020 in many passages)."""
    from assistant.index.keyword import KeywordIndex

    texts = ["2020 年学院组织教师培训 4 次，2020 年新进教师 9 人。", "学院任课教师 113 人，生师比为 6.91。",
             "2020 年评教优良率 95%。", "学院开设课程 52 门。", "2020 年招生 360 人。", "学院图书馆藏书 12 万册。"]
    scores = KeywordIndex(texts).scores("What was the student-teacher ratio in 2020?")
    assert int(scores.argmax()) == 1


# --- law texts: article numbers and titles -----------------------------------------------------

def _law(title: str, articles: int, topic: str) -> str:
    import cn2an

    body = "\n\n".join(f"第{cn2an.an2cn(n)}条 {topic}第{n}款事项由省教育行政部门负责，期限为{cn2an.an2cn(n)}日。"
                       for n in range(1, articles + 1))
    return f"# {title}\n\n## 第一章 总则\n\n{body}\n"


@pytest.fixture
def laws(tmp_path, settings_factory):
    knowledge = write_corpus(tmp_path / "knowledge")  # 合作办学管理办法（示例）: 第一条 to 第三条
    (knowledge / "regulations" / "示例省合作办学条例.md").write_text(
        _law("示例省合作办学条例（示例）", 25, "合作办学"), encoding="utf-8")
    settings = settings_factory(knowledge)
    Indexer(settings).sync()
    return Retriever(settings)


@pytest.mark.parametrize("question", ["第二十一条规定了什么？", "第21条的内容是什么？", "第 21 条是怎么规定的", "What does Article 21 say?"])
def test_article_number_questions_find_that_article_in_either_numerals(laws, question):
    top = laws.search(question, k=3)[0]
    assert top.chunk.section.endswith("> 第二十一条") and top.chunk.text.startswith("第二十一条")


def test_an_article_several_regulations_have_is_decided_by_the_title(laws):
    both = laws.search("第二条规定了什么？", k=3)
    assert {r.chunk.source for r in both[:2]} == {"regulations/管理办法.md", "regulations/示例省合作办学条例.md"}
    assert all(r.chunk.section.endswith("第二条") for r in both[:2])
    for question, source in (("合作办学管理办法第二条规定了什么？", "regulations/管理办法.md"),
                             ("《示例省合作办学条例》第2条的内容", "regulations/示例省合作办学条例.md"),
                             ("示例省合作办学条例（示例）第二条", "regulations/示例省合作办学条例.md"),
                             ("条例第二条是怎么规定的？", "regulations/示例省合作办学条例.md"),  # by the title's ending
                             ("本办法第2条规定了什么？", "regulations/管理办法.md")):
        top = laws.search(question, k=3)[0]
        assert (top.chunk.source, top.chunk.section.rsplit(" > ", 1)[-1]) == (source, "第二条"), question


def test_a_named_title_narrows_content_questions_too(laws):
    top = laws.search("合作办学管理办法对外方课程门数有什么要求？", k=3)[0]
    assert top.chunk.source == "regulations/管理办法.md" and "三分之一" in top.chunk.text


def test_parse_query_articles_and_named_titles():
    from assistant.retrieval import named_titles, title_key

    assert parse_query("第二十一条和第21条、第三十五条").articles == (21, 35)
    assert parse_query("条件是什么？").articles == ()
    keys = {"a.md": title_key("中华人民共和国教育法（2021年修正）"), "b.md": title_key("中华人民共和国高等教育法"),
            "c.md": title_key("章程")}
    assert keys["a.md"] == "教育法"
    assert named_titles("高等教育法第十条", keys) == {"b.md"}
    assert named_titles("《教育法》第十条和高等教育法第五条", keys) == {"a.md", "b.md"}
    assert named_titles("学院章程有哪些规定", keys) == set()  # too short to be told from ordinary words …
    assert named_titles("学院章程第三条", keys) == {"c.md"}  # … but it ends the words before an article
    assert named_titles("高等教育法第十条", {"a.md": "教育法", "x.md": "示例省合作办学条例"}) == {"a.md"}
    assert named_titles("条例第十条和办法", {"a.md": "教育法", "x.md": "示例省合作办学条例"}) == {"x.md"}
    assert named_titles("学院办法第十条", {"a.md": "教育法"}) == set()  # only 法 in common


# --- several years --------------------------------------------------------------------------------

FOUR_YEARS = """# {y} 年度自评报告

## 一、办学基本情况

截至 {y} 年 12 月 31 日，学院在校生 {n} 人。

## 二、学生培养

{y} 届毕业生 {g} 人，毕业去向落实率为 {r}%，学生党员 {m} 人。

## 七、财务状况

自 {y} 级起学费标准调整为 {fee} 元，{p1} 级、{p2} 级学生继续执行原标准。
"""


@pytest.fixture
def four_years(tmp_path, settings_factory):
    knowledge = tmp_path / "knowledge"
    (knowledge / "reports").mkdir(parents=True)
    for y, n, g, r, m, fee in ((2020, 1100, 250, 94.1, 88, 56000), (2021, 1200, 260, 95.5, 96, 58000),
                               (2022, 1300, 270, 96.4, 118, 60000), (2023, 1400, 280, 96.9, 131, 62000)):
        (knowledge / "reports" / f"{y}_report.md").write_text(
            FOUR_YEARS.format(y=y, n=n, g=g, r=r, m=m, fee=fee, p1=y - 2, p2=y - 1), encoding="utf-8")
    settings = settings_factory(knowledge)
    Indexer(settings).sync()
    return settings


@pytest.mark.parametrize("question, years", [
    ("2020年到2023年毕业去向落实率如何变化？", {2020, 2021, 2022, 2023}),
    ("2021、2022年学生党员分别多少？", {2021, 2022}),
    ("How did the graduate employment rate change from 2021 to 2023?", {2021, 2022, 2023}),
])
def test_range_questions_hold_every_years_passage_in_the_top_five(four_years, question, years):
    results = Retriever(four_years).search(question, k=5)
    firsts = results[:len(years)]
    assert {r.chunk.year for r in firsts} == years  # each year's best passage first
    assert all("毕业去向落实率" in r.chunk.text for r in firsts)
    assert [r.score for r in firsts] == sorted((r.score for r in firsts), reverse=True)
    second = results[len(years):2 * len(years)]  # then every year's second passage, while k lasts
    assert len({r.chunk.year for r in second}) == len(second)


def test_recent_years_are_the_latest_reports(four_years):
    retriever = Retriever(four_years)
    assert retriever.report_years == [2020, 2021, 2022, 2023]
    results = retriever.search("近三年毕业去向落实率如何变化？", k=5)
    assert {r.chunk.year for r in results[:3]} == {2021, 2022, 2023}
    assert all("毕业去向落实率" in r.chunk.text for r in results[:3])


def test_cli_search_returns_every_year_of_a_range(four_years, capsys):
    import json

    from assistant.cli import main

    args = ["--knowledge", str(four_years.knowledge_dir), "--data", str(four_years.data_dir)]
    assert main([*args, "search", "2020—2023年毕业去向落实率分别是多少？", "--k", "5", "--json"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert len(results) == 5
    assert {r["year"] for r in results[:4]} == {2020, 2021, 2022, 2023}
    assert all("毕业去向落实率" in r["text"] for r in results[:4])


def test_character_pairs_find_a_phrase_jieba_cuts_differently(monkeypatch):
    from assistant.index import keyword

    texts = ["2020 届毕业生就业率达 96.81%以上。国内外读研深造率达 90.7%，海外深造率达 66.4%。",
             "合作办学人才培养质量获得认可。深造率90.7%，出国（境）深造率66.4%，国内深造率24.3%。",
             "学院任课教师 113 人，生师比为 6.91。", "学院开设课程 52 门，其中外方课程 19 门。"]
    assert int(keyword.KeywordIndex(texts).scores("国内深造率是多少？").argmax()) == 1
    monkeypatch.setattr(keyword, "bigrams", lambda text: [])
    assert int(keyword.KeywordIndex(texts).scores("国内深造率是多少？").argmax()) == 0  # words alone: the other


def test_list_items_are_scored_with_the_sentence_that_introduces_them():
    from assistant.index.keyword import sentence_windows

    article = ("第七条 申请设立合作办学单位，应当提交下列材料：\n\n（一）申请书；\n\n（二）资格证明文件；\n\n"
               "（三）合作协议，载明合作期限和争议解决办法；\n\n（四）其他材料。\n\n申请人对材料的真实性负责。")
    windows = sentence_windows(article)
    assert all(w.startswith("第七条 申请设立") for w in windows if w.lstrip().startswith("（"))
    assert not any(w.startswith("第七条") for w in windows if w.startswith("申请人"))
    assert any("（三）合作协议" in w for w in windows if w.startswith("第七条 申请设立"))
    assert sentence_windows("机构名称：示例学院\n\n办学单位：示例大学\n\n批准书编号：MOE") == [
        "机构名称：示例学院\n\n办学单位：示例大学\n\n", "办学单位：示例大学\n\n批准书编号：MOE"]  # not a list


def test_table_rows_are_scored_with_the_table_header():
    from assistant.index import keyword

    table = ("| 专业 | 招生（人） | 在校生（人） |\n| --- | --- | --- |\n| 机械设计 | 170 | 651 |\n"
             "| 工业设计 | 90 | 347 |\n| 物流管理 | 60 | 60 |\n| 合计 | 320 | 1058 |")
    windows = keyword.sentence_windows(table)
    assert all(w.startswith("| 专业 | 招生") for w in windows)
    assert any("物流管理" in w for w in windows)
    prose = "物流管理专业建设进展顺利，新建物流实训室一个，物流管理教师三名，学生参与物流竞赛。"
    index = keyword.KeywordIndex([prose, table])
    assert int(index.scores("物流管理专业招生多少人？").argmax()) == 1
    # a window after the table is prose again: no header
    assert keyword.sentence_windows(table + "\n说明：合计含全部专业。下一步扩大招生。")[-1] == "说明：合计含全部专业。下一步扩大招生。"


ENGLISH_TEXTS = ["学院组织学生座谈会8次，收集意见建议57条，年内已落实52条，未落实的5条主要涉及实验室开放时间。",
                 "学院与企业共建实习基地22个，聘请企业导师35人。",
                 "学院对在英学生实行每周联络制度，学生社团增至16个。"]


def test_an_english_question_reads_the_dictionary_words_of_its_own_words(monkeypatch):
    from assistant.index import keyword

    index = keyword.KeywordIndex(ENGLISH_TEXTS)
    question = "How did the college keep in touch with students studying abroad?"  # 联络 · 学生 · 学院
    scores = index.scores(question)
    assert int(scores.argmax()) == 2 and scores[2] > scores[0] > 0
    monkeypatch.setattr(keyword.glossary, "translations", lambda text: [])
    assert not index.scores(question).any()  # no vocabulary concept, no dictionary: nothing to match


def test_the_dictionary_words_of_one_english_word_count_once():
    from assistant.index import keyword

    # "keep" has a dozen Chinese words; a passage writing three of them is not three matches
    texts = ["保持、保留、维持都写在这里。", "学院对在英学生实行每周联络制度。"]
    index = keyword.KeywordIndex(texts)
    single = keyword.KeywordIndex(["保持写在这里。", "学院对在英学生实行每周联络制度。"])
    assert index.scores("keep")[0] == pytest.approx(single.scores("keep")[0], rel=0.35)


def test_words_the_vocabulary_names_are_not_read_from_the_dictionary():
    from assistant.index.keyword import _unnamed

    assert "suggestions" not in _unnamed("student suggestions that were not implemented")  # 意见建议
    assert "implemented" in _unnamed("student suggestions that were not implemented")


def test_the_gloss_of_an_english_question_is_the_wording_the_passages_use():
    from assistant.index.keyword import KeywordIndex
    from assistant.retrieval import vector_query

    index = KeywordIndex(ENGLISH_TEXTS)
    gloss = index.gloss("How did the college keep in touch with students?")
    assert "学生" in gloss and "学院" in gloss
    assert all(w in "".join(ENGLISH_TEXTS) for w in gloss)  # only words the index holds
    assert index.gloss("学院如何联系学生？") == []
    assert vector_query("How many students?", ["学生"]).endswith("学生")
    assert vector_query("学生有多少？", ["学生"]) == "学生有多少？"


def test_a_year_without_its_report_keeps_the_passages_that_mention_it(four_years):
    (four_years.knowledge_dir / "reports" / "2021_report.md").write_text(
        FOUR_YEARS.format(y=2021, n=1200, g=260, r=95.5, m=96, fee=58000, p1=2019, p2=2020)
        + "\n## 九、历年对比\n\n2019 届毕业生毕业去向落实率为 93.2%，此后逐年提高。\n", encoding="utf-8")
    (four_years.knowledge_dir / "reports" / "2023_report.md").unlink()
    Indexer(four_years).sync()  # reports of 2020–2022: none about 2019
    results = Retriever(four_years).search("2019年和2020年的毕业去向落实率分别是多少？", k=5)
    assert {r.chunk.year for r in results[:2]} == {2020, 2021}
    assert any("93.2%" in r.chunk.text for r in results[:2]) and any("94.1%" in r.chunk.text for r in results[:2])


def test_a_regulation_every_year_shares_does_not_crowd_out_a_years_report(four_years):
    (four_years.knowledge_dir / "regulations").mkdir()
    (four_years.knowledge_dir / "regulations" / "就业办法.md").write_text(
        "# 毕业生就业工作办法\n\n第二条 合作办学单位毕业生的毕业去向落实率应当不低于 90%，未达到要求的应当限期整改。\n",
        encoding="utf-8")
    Indexer(four_years).sync()
    results = Retriever(four_years).search("2021—2023年的毕业去向落实率是否达到规定要求？", k=4)
    assert {r.chunk.year for r in results} == {None, 2021, 2022, 2023}
    assert all("毕业去向落实率" in r.chunk.text for r in results)


def test_cli_ask_prints_a_ledger_answer_once(four_years, capsys, monkeypatch):
    from assistant.cli import main

    # a figure the ledger answers: no model call (the endpoint below does not exist)
    monkeypatch.setenv("ASSISTANT_PROVIDER", "compatible")
    monkeypatch.setenv("ASSISTANT_BASE_URL", "http://127.0.0.1:9/v1")
    args = ["--knowledge", str(four_years.knowledge_dir), "--data", str(four_years.data_dir)]
    assert main([*args, "ask", "2022年毕业去向落实率是多少？"]) == 0
    out = capsys.readouterr().out
    answer = out.strip().splitlines()[0]
    assert "2022" in answer and "%" in answer and out.count(answer) == 1, out


def test_an_english_question_embeds_the_chinese_wording_of_its_concepts(retriever, monkeypatch):
    from assistant.retrieval import vector_query

    assert vector_query("2022年的生师比是多少？") == "2022年的生师比是多少？"  # Chinese: as asked
    english = vector_query("What was the student-teacher ratio in 2022?")
    assert english.startswith("What was the student-teacher ratio in 2022?\n") and "生师比" in english
    assert vector_query("Hello there") == "Hello there"  # no concept named: nothing added

    embedded = []
    search = retriever.vectors.search
    monkeypatch.setattr(retriever.vectors, "search", lambda query, k, where=None: embedded.append(query) or search(query, k))
    retriever.search("What was the student-teacher ratio in 2022?", k=3)
    assert embedded and all("生师比" in q for q in embedded)


# --- figure questions: passages holding a ledger fact of what is asked ---------------------------

_FIGURES_2022 = """# 2022 年度自评报告

## 一、师资队伍

2022 年，学院任课教师 122 人，其中外方教师 43 人，青年任课教师培养计划覆盖全体任课教师。

## 二、年龄结构

| 年龄段 | 人数 |
| --- | --- |
| 35岁及以下 | 36 |
| 36–45岁 | 55 |
| 46岁及以上 | 31 |

## 三、学生竞赛

2022 年学生在国际级竞赛中获奖 21 人次，国际级竞赛获奖数量创历年新高，竞赛获奖学生覆盖两个专业。

## 四、竞赛总体

学生参加各类学科竞赛，共获奖 286 人次，其中国家级 55 人次。
"""


@pytest.fixture
def figures_2022(tmp_path, settings_factory):
    knowledge = tmp_path / "knowledge"
    (knowledge / "reports").mkdir(parents=True)
    (knowledge / "reports" / "2022_report.md").write_text(_FIGURES_2022, encoding="utf-8")
    settings = settings_factory(knowledge)
    Indexer(settings).sync()
    return Retriever(settings)


def test_a_figure_questions_passage_holding_its_fact_ranks_first(figures_2022, monkeypatch):
    """国家级 asked: the passage stating the 国家级 figure goes before the one that says 国际级 竞赛获奖 twice
    (ranked first by the two scores alone), and that one gets no boost: its scope contradicts the question."""
    from assistant import retrieval

    question = "2022年国家级竞赛获奖多少人次？"
    boosted = figures_2022.search(question, k=2)
    monkeypatch.setattr(retrieval, "_FACT_BOOST", 1.0)
    plain = figures_2022.search(question, k=2)
    assert "国际级竞赛中获奖 21 人次" in plain[0].chunk.text and "国家级 55 人次" in plain[1].chunk.text
    assert "国家级 55 人次" in boosted[0].chunk.text
    assert boosted[0].score > plain[1].score
    international = next(r for r in boosted if "国际级" in r.chunk.text)
    assert international.score == pytest.approx(plain[0].score)  # contradicted scope: no boost


def test_a_chunk_holds_a_figure_question_only_with_the_scope_it_states(figures_2022):
    """35岁及以下 asked: the 任课教师 total (no age) is not held; the table row of that age, whose label
    holds the question's own words, is; other questions hold nothing."""
    from assistant.retrieval import _holding

    snap = figures_2022._snapshot()
    held = _holding(snap, "2022年35岁及以下的任课教师有多少人？")
    assert len(snap.chunks) == 4
    assert {next(h for c, h in zip(snap.chunks, held) if text in c.text) for text in ("任课教师 122 人", "国际级", "共获奖")} == {0}
    assert next(h for c, h in zip(snap.chunks, held) if "| 35岁及以下 | 36 |" in c.text) == 1
    assert _holding(snap, "2021年35岁及以下的任课教师有多少人？").sum() == 0  # another year
    assert _holding(snap, "学院如何组织学生参加竞赛？") is None  # not a figure question


def test_holds_matches_concept_scope_unit_year_and_change():
    from assistant.chains.lookup import asks, holds
    from assistant.figures.facts import Fact

    ask, = asks("2022年国家级竞赛获奖多少人次？")
    fact = Fact(metric="竞赛获奖", label="国家级", value=55, raw="55 人次", unit="人次", year=2022,
                scope=(("level", "国家级"),))
    assert holds(ask, fact)
    assert not holds(ask, replace(fact, scope=(("level", "国际级"),)))  # contradicted scope
    assert not holds(ask, replace(fact, scope=()))  # the scope asked is not the fact's
    assert not holds(ask, replace(fact, year=2021))
    assert not holds(ask, replace(fact, year=None))  # an undated rule's figure is no year's figure
    assert not holds(ask, replace(fact, unit="%", raw="55%"))  # a share is not a count
    assert not holds(ask, replace(fact, delta=True))  # 较上年增加 is not the level
    assert not holds(ask, replace(fact, metric="学生论文"))
    share, = asks("2022年国家级竞赛获奖占比是多少？")
    assert holds(share, replace(fact, unit="%", raw="19.2%", value=19.2)) and not holds(share, fact)
    total, = asks("2022年竞赛获奖多少人次？")
    assert holds(total, replace(fact, scope=(), label="获奖"))
    assert not holds(total, fact)  # a level the question does not state is a part, not the total
    assert not holds(total, replace(fact, scope=(), cumulative=True))  # a running total is not the year's


def test_the_year_a_search_is_filtered_by_is_no_keyword(tmp_path, settings_factory):
    """Under the year filter every candidate is that year's: a passage sharing only the year with the
    question ("2023年，录取新生…") earns no keyword score from it, one sharing the question's words does (and ranks first)."""
    reports = tmp_path / "knowledge" / "reports"
    reports.mkdir(parents=True)
    for year, intake in ((2022, 245), (2023, 255)):
        (reports / f"{year}_report.md").write_text(
            f"# {year} 年度自评报告\n\n## 一、招生\n\n{year}年，录取新生{intake}名。\n\n"
            "## 八、学生工作\n\n学院对在英学生实行每周联络制度，辅导员每月家访。\n", encoding="utf-8")
    settings = settings_factory(tmp_path / "knowledge")
    Indexer(settings).sync()
    retriever = Retriever(settings)
    for question in ("2023年学院怎样联系学生？", "2022年和2023年学院怎样联系学生？"):
        results = retriever.search(question, k=4)
        intake = [r for r in results if "录取新生" in r.chunk.text]
        contact = [r for r in results if "联络" in r.chunk.text]
        assert contact and {r.chunk.year for r in contact} >= {2023}
        assert all(r.chunk.extra["bm25"] == 0 for r in intake)  # (or not returned at all: nothing matched)
        assert all(r.chunk.extra["bm25"] > 0 for r in contact)
        assert results[0].chunk.text.startswith("学院对在英学生")


def test_a_spoken_verb_names_the_concept_a_table_holds(tmp_path, settings_factory, monkeypatch):
    """物流管理专业第一年招了多少学生: 招了 names no concept as written; read as 招生 it asks for the 招生
    figure, and the table row stating it (| 物流管理 | 60 | under 招生（人）) holds the question."""
    from assistant.domain import vocabulary
    from assistant.retrieval import _holding

    reports = tmp_path / "knowledge" / "reports"
    reports.mkdir(parents=True)
    (reports / "2024_report.md").write_text(
        "# 2024 年度自评报告\n\n## 一、招生\n\n2024年新增物流管理专业，学院由两个专业扩展为三个专业。\n\n"
        "| 专业 | 招生（人） | 在校生（人） |\n| --- | --- | --- |\n| 机械设计 | 170 | 651 |\n"
        "| 物流管理 | 60 | 60 |\n| 合计 | 230 | 711 |\n", encoding="utf-8")
    settings = settings_factory(tmp_path / "knowledge")
    Indexer(settings).sync()
    snap = Retriever(settings)._snapshot()
    question = "物流管理专业第一年招了多少学生？"
    held = _holding(snap, question)
    assert next(h for c, h in zip(snap.chunks, held) if "| 物流管理 | 60 |" in c.text) == 1
    assert next(h for c, h in zip(snap.chunks, held) if "新增物流管理专业" in c.text) == 0
    monkeypatch.setattr(type(vocabulary()), "read_question", lambda self, q: q)
    assert _holding(snap, question).sum() == 0  # as written: no concept, and 第一年 is in no fact's words


def test_an_english_questions_chinese_wordings_are_read_as_character_pairs_too(monkeypatch):
    """The pair channel of an English question reads the Chinese wordings it is expanded to (the
    vocabulary's and the dictionary's): without them it had no Chinese characters to pair."""
    from assistant.index import keyword

    texts = ["审批机关每两年组织一次办学质量评估。", "学院与省内企业共建实习基地。"]
    question = "How often is the quality of a joint programme evaluated?"
    index = keyword.KeywordIndex(texts)
    read = index.scores(question)
    monkeypatch.setattr(keyword, "bigrams", lambda text: [])
    words_only = keyword.KeywordIndex(texts).scores(question)
    assert read[0] > words_only[0] > 0 and read[1] == words_only[1] == 0


def test_a_which_year_question_prefers_the_passage_stating_a_year(tmp_path, settings_factory, monkeypatch):
    """学院哪一年开始招收物流管理专业学生 is answered by the passage stating the year (2024年…首次招生), not by
    the one that names the programme more often but no year."""
    from assistant import retrieval

    reports = tmp_path / "knowledge" / "reports"
    reports.mkdir(parents=True)
    (reports / "2024_report.md").write_text(
        "# 2024 年度自评报告\n\n## 一、专业建设\n\n学院招收的物流管理专业学生参加课程实习，满意度较高。\n\n"
        "## 二、办学概况\n\n2024年经教育部备案，学院物流管理专业首次招生，专业由两个扩展为三个。\n\n"
        "## 三、党建\n\n学院党委下设党支部7个，党员139名。\n", encoding="utf-8")
    settings = settings_factory(tmp_path / "knowledge")
    Indexer(settings).sync()
    question = "学院哪一年开始招收物流管理专业学生？"
    assert retrieval.parse_query(question).about_year and not retrieval.parse_query("物流管理专业有多少学生").about_year
    assert retrieval.parse_query("In which year did the college first enrol logistics students?").about_year
    top = Retriever(settings).search(question, k=2)
    assert "首次招生" in top[0].chunk.text
    monkeypatch.setattr(retrieval, "_YEAR_WORDS", re.compile(r"(?!)"))  # the question not read as asking a year
    assert "首次招生" not in Retriever(settings).search(question, k=2)[0].chunk.text


def test_a_figure_question_naming_a_table_row_is_held_by_that_rows_figure(tmp_path, settings_factory):
    """物流管理专业招生多少人 names the row | 物流管理 | 60 |: the 招生 figure of the whole (共录取新生230人)
    no longer holds it, while a question naming no row is held by both."""
    from assistant.retrieval import _holding

    reports = tmp_path / "knowledge" / "reports"
    reports.mkdir(parents=True)
    (reports / "2024_report.md").write_text(
        "# 2024 年度自评报告\n\n## 一、招生\n\n2024年共录取新生230人，较上年增长12.0%。\n\n## 二、专业\n\n"
        "各专业招生情况见下表。\n\n| 专业 | 招生（人） | 在校生（人） |\n| --- | --- | --- |\n| 机械设计 | 170 | 651 |\n"
        "| 物流管理 | 60 | 60 |\n", encoding="utf-8")
    settings = settings_factory(tmp_path / "knowledge")
    Indexer(settings).sync()
    snap = Retriever(settings)._snapshot()

    def held(question: str, text: str) -> float:
        return next(h for c, h in zip(snap.chunks, _holding(snap, question)) if text in c.text)

    assert held("2024年物流管理专业招生多少人？", "| 物流管理 | 60 |") == 1
    assert held("2024年物流管理专业招生多少人？", "共录取新生230人") == 0
    assert held("2024年招生多少人？", "共录取新生230人") == 1


def test_a_total_up_to_a_date_finds_the_running_total(tmp_path, settings_factory):
    """截至2023年学院一共培养了多少本科毕业生 asks for the running total (累计培养…996人), not the year's
    graduates (2023届本科毕业生262人): read as 累计, its words match the total's."""
    reports = tmp_path / "knowledge" / "reports"
    reports.mkdir(parents=True)
    (reports / "2023_report.md").write_text(
        "# 2023 年度自评报告\n\n## 七、毕业生\n\n2023届本科毕业生262人，毕业去向落实率96.6%。\n\n## 八、成果\n\n"
        "深造人数171人，出境深造的占一半。学院累计培养本科毕业生996人，接近千人。\n\n## 九、党建\n\n学院党委下设党支部7个。\n",
        encoding="utf-8")
    settings = settings_factory(tmp_path / "knowledge")
    Indexer(settings).sync()
    top = Retriever(settings).search("截至2023年学院一共培养了多少本科毕业生？", k=2)
    assert "累计培养" in top[0].chunk.text


def test_a_question_asking_each_side_is_held_by_the_sides_figures(tmp_path, settings_factory, monkeypatch):
    """2023年中外教师各有多少 asks for each side (中方59人、外方33人): read as 中方和外方 it has one ask per
    side, both held by the sentence stating them; as written (中外 and 各有 as words a fact must hold) none is."""
    from assistant.domain import vocabulary
    from assistant.retrieval import _holding

    reports = tmp_path / "knowledge" / "reports"
    reports.mkdir(parents=True)
    (reports / "2023_report.md").write_text(
        "# 2023 年度自评报告\n\n## 三、师资\n\n学院共有任课教师92人，中方59人、外方33人。\n\n"
        "## 四、党建\n\n学院党委下设党支部7个。\n", encoding="utf-8")
    settings = settings_factory(tmp_path / "knowledge")
    Indexer(settings).sync()
    snap = Retriever(settings)._snapshot()
    question = "2023年中外教师各有多少？"
    assert next(h for c, h in zip(snap.chunks, _holding(snap, question)) if "中方59人" in c.text) == 1
    monkeypatch.setattr(type(vocabulary()), "read_question", lambda self, q: q)
    assert next(h for c, h in zip(snap.chunks, _holding(snap, question)) if "中方59人" in c.text) == 0


def test_questions_spanning_years_they_do_not_write_hold_every_such_year(four_years):
    """历年 / 各年 / over the years span every report year, a trend over N years (两年来的走势) the latest N;
    每年 and each year say how often as well (每年报送一次, 截至每年年底) and span nothing by themselves."""
    from assistant.text.years import spanned_years

    years = [2020, 2021, 2022, 2023]
    assert spanned_years("历年毕业去向落实率是多少？", years) == (2020, 2021, 2022, 2023)
    assert spanned_years("How did the employment rate change over the years?", years) == (2020, 2021, 2022, 2023)
    assert spanned_years("学生满意率三年走势如何？", years) == (2021, 2022, 2023)
    assert spanned_years("近两年招生多少？", years) == (2022, 2023)
    assert spanned_years("年度报告每年报送一次吗？", years) == ()
    assert spanned_years("项目三年里在校学习和企业实习怎么安排？", years) == ()  # a programme's three years
    assert spanned_years("2021年以来的走势如何？", years) == ()  # a year written: the question's own
    retriever = Retriever(four_years)
    results = retriever.search("历年毕业去向落实率是多少？", k=5)
    assert {r.chunk.year for r in results[:4]} == set(years)
    assert all("毕业去向落实率" in r.chunk.text for r in results[:4])
    results = retriever.search("毕业去向落实率两年来的走势如何？", k=5)
    assert {r.chunk.year for r in results[:2]} == {2022, 2023}


def test_a_counting_question_is_held_by_the_count_not_by_a_share(tmp_path, settings_factory):
    """How many foreign teachers … asks a count: 外方教师 44 人 holds it, 外方教师占任课教师的 37.3% does not."""
    from assistant.retrieval import _COUNT_WORDS, _holding

    reports = tmp_path / "knowledge" / "reports"
    reports.mkdir(parents=True)
    (reports / "2022_report.md").write_text(
        "# 2022 年度自评报告\n\n## 一、师资\n\n学院任课教师共计 118 人，外方教师 44 人、中方教师 74 人。\n\n"
        "## 二、特色\n\n外方教师占任课教师的 37.3%，荷方教师参与培养方案修订。\n", encoding="utf-8")
    settings = settings_factory(tmp_path / "knowledge")
    Indexer(settings).sync()
    snap = Retriever(settings)._snapshot()
    held = _holding(snap, "How many foreign teachers did the college have in 2022?")
    assert next(h for c, h in zip(snap.chunks, held) if "44 人" in c.text) == 1
    assert next(h for c, h in zip(snap.chunks, held) if "37.3%" in c.text) == 0
    assert _COUNT_WORDS.search("外方教师有多少人") and not _COUNT_WORDS.search("外方教师占比是多少")


def test_the_dictionary_words_are_read_as_the_passages_are_indexed():
    """employer → 雇主, which the index reads as 用人单位 ([search] equivalents): the English question meets
    the passages through 用人单位, on the keyword side and in the gloss the vector side embeds."""
    from assistant.index import keyword

    index = keyword.KeywordIndex(["回访用人单位56家，满意53家。", "学生问卷有效回收865份，满意808份。",
                                  "雇主普遍认为学生动手能力强。"])
    assert "用人单位" in index.gloss("What did employers say?")
    assert "雇主" not in index.gloss("What did employers say?")
    scores = index.scores("What did employers say?")
    assert scores[0] > 0 and scores[2] > 0 and scores[1] == 0
