from pathlib import Path

import pytest

REPORT = """# {year} 年度自评报告

## 一、办学基本情况

学院于 2016 年获批设立，现有在校生 {students} 人。

## 二、学生培养

{year} 届毕业生就业率为 {employment}%，深造率为 {further}%。学生党员 {members} 人。

## 七、财务状况

本科生学费标准为 60000 元/生·年，收取的学费全部用于教学。
"""

REGULATION = """# 合作办学管理办法（示例）

第一条 为规范办学行为，制定本办法。

第二条 机构应当于每年 4 月 30 日前提交上一年度的年度自评报告。

第三条 外方课程门数应当不少于全部课程门数的三分之一。
"""


def write_corpus(root: Path) -> Path:
    (root / "reports").mkdir(parents=True, exist_ok=True)
    (root / "regulations").mkdir(parents=True, exist_ok=True)
    for year, students, employment, further, members in ((2021, 1210, 95.62, 88.4, 120), (2022, 1302, 96.15, 89.1, 131)):
        (root / "reports" / f"{year}_report.md").write_text(
            REPORT.format(year=year, students=students, employment=employment, further=further, members=members),
            encoding="utf-8")
    (root / "regulations" / "管理办法.md").write_text(REGULATION, encoding="utf-8")
    return root


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "knowledge")


def resync_as_older_index(indexer, settings, monkeypatch):
    """Reopen an index as one written before today's vector layout (its layout record removed) and sync
    it while loading any document fails the test: what the index gains, it gains from its own catalog."""
    from assistant.index.sync import Indexer

    indexer.catalog._db.execute("DELETE FROM meta WHERE key = 'vector_layout'")
    indexer.close()

    def no_loading(*args, **kwargs):
        raise AssertionError("documents are not loaded again")

    monkeypatch.setattr("assistant.index.sync.load_document", no_loading)
    again = Indexer(settings)
    return again, again.sync()
