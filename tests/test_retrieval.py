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

    def slow_build(cls, generation, chunks):
        builds.append(generation)
        time.sleep(0.3)  # a search arriving meanwhile must wait, not read half-built state
        return original(cls, generation, chunks)

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
