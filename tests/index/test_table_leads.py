"""A table chunk is read with the sentence introducing it (年龄分布如下表所示，…) when the chunker left that
sentence in the chunk before: on the vector side (its own vector and its windows') and as the concept of
its cells that name none (retrieval's fact boost)."""

from __future__ import annotations

import numpy as np

from assistant.figures.facts import Fact
from assistant.index.embeddings import get_embeddings
from assistant.index.keyword import table_lead, table_leads
from assistant.index.sync import Indexer, vector_heads
from assistant.retrieval import Retriever, _holding, _led
from assistant.types import Chunk
from tests.index.conftest import resync_as_older_index

AGE_TABLE = "| 年龄段 | 人数（名） | 占比（%） |\n| --- | --- | --- |\n| 35岁及以下 | 22 | 25.6 |\n| 36—45岁 | 34 | 39.5 |"
LEAD = "年龄分布如下表所示，36至45岁的中青年教师是教学主力。"
PARAGRAPH = f"（2）职称与年龄结构。正高级职称20名、副高级27名。{LEAD}与上年相比，青年教师比重有所上升。"


def _chunk(text: str, ordinal: int, section: str = "三、师资队伍建设", source: str = "reports/2023.md") -> Chunk:
    return Chunk(id=f"{source}-{ordinal}", source=source, ordinal=ordinal, text=text, section=section, year=2023,
                 doc_type="annual_report")


def test_a_table_is_led_by_the_sentence_introducing_it():
    assert table_lead(PARAGRAPH, AGE_TABLE) == LEAD  # 如下表 mid-paragraph: the sentence naming 下表
    assert table_lead("学生获奖101人次，按级别统计如下：", AGE_TABLE) == "学生获奖101人次，按级别统计如下："
    assert table_lead("全年支出4500万元。支出构成见下表。", AGE_TABLE) == "支出构成见下表。"
    assert table_lead(PARAGRAPH, "正文段落，不是表格。") == ""  # no table, no lead-in
    assert table_lead("本年新引进博士5名。教师发表论文83篇。", AGE_TABLE) == ""  # nothing introduces it
    # a numbered caption is a title, not a lead-in
    assert table_lead("全年获奖 258 人次（见表 1）。\n\n表 1  2021 年学生学科竞赛获奖情况", AGE_TABLE) == ""


def test_only_the_chunk_before_in_the_same_section_leads_a_table():
    chunks = [_chunk(PARAGRAPH, 0), _chunk(AGE_TABLE, 1), _chunk("按专业统计如下：", 2, section="一、招生"),
              _chunk(AGE_TABLE, 3, section="二、培养"), _chunk(AGE_TABLE, 4, source="reports/2024.md")]
    assert table_leads(chunks) == ["", LEAD, "", "", ""]
    heads = vector_heads(chunks)
    assert heads[1] == f"三、师资队伍建设\n{LEAD}" and heads[0] == "三、师资队伍建设" and heads[3] == "二、培养"


def _fact(label: str, unit: str, scope: tuple = (), metric: str = "") -> Fact:
    return Fact(metric=metric, label=label, value=22.0, raw="22", unit=unit, year=2023, scope=scope, qualifier="",
                range_to=None, cumulative=False, delta=False, source="reports/2023.md", section="三、师资队伍建设",
                page=None, quote="| 35岁及以下 | 22 | 25.6 |", start=0, end=2, chunk_id="c")


def test_a_table_cell_of_no_concept_takes_the_concept_of_its_lead_in_when_its_row_is_a_part():
    part = _fact("35岁及以下·人数（名）", "名", (("age", "≤35"),))
    assert _led(part, LEAD).metric == "教师"
    assert _led(part, "").metric == ""  # no lead-in
    assert _led(_fact("35岁及以下·人数（名）", "名", (("age", "≤35"),), metric="任课教师"), LEAD).metric == "任课教师"
    item = _fact("外方教学服务费·金额（万元）", "万元")  # a row naming an item of its own, not a part of 支出
    assert _led(item, "各项支出与上年对比如下。").metric == ""
    assert _led(part, "教师与学生的年龄分布如下：在校生年龄见下表。").metric == ""  # two concepts: none taken


AGE_REPORT = f"""# 2023年度自评报告

## 三、师资队伍建设

（1）总体规模。2023年任课教师86名，中方教师55名、外方教师31名。具有博士学位的教师60名，占69.8%。

{PARAGRAPH}

{AGE_TABLE}
| 46—55岁 | 20 | 23.3 |
| 合计 | 76 | 100.0 |
"""


def _indexed(tmp_path, settings_factory):
    knowledge = tmp_path / "knowledge"
    (knowledge / "reports").mkdir(parents=True)
    (knowledge / "reports" / "2023_report.md").write_text(AGE_REPORT, encoding="utf-8")
    settings = settings_factory(knowledge)
    indexer = Indexer(settings)
    indexer.sync()
    return settings, indexer


def _table(indexer: Indexer) -> Chunk:
    tables = [c for c in indexer.catalog.chunks() if c.text.startswith("| 年龄段")]
    assert len(tables) == 1
    return tables[0]


def _stored(indexer: Indexer, chunk_id: str) -> np.ndarray:
    return np.asarray(indexer.vectors.collection.get(ids=[chunk_id], include=["embeddings"])["embeddings"][0])


def _cos(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_a_led_table_is_embedded_after_its_lead_in_and_holds_the_age_question(tmp_path, settings_factory):
    settings, indexer = _indexed(tmp_path, settings_factory)
    table = _table(indexer)
    expected = get_embeddings(settings).embed_documents([f"{table.section}\n{LEAD}\n{table.text}"])[0]
    plain = get_embeddings(settings).embed_documents([f"{table.section}\n{table.text}"])[0]
    stored = _stored(indexer, table.id)
    assert _cos(stored, expected) > 0.999 > _cos(stored, plain)
    snap = Retriever(settings)._snapshot()
    held = _holding(snap, "2023年35岁以下的年轻教师有多少？")
    assert held is not None
    assert {c.id for c, h in zip(snap.chunks, held) if h > 0} == {table.id}


def test_an_index_embedded_without_lead_ins_gains_them_without_loading_documents(tmp_path, settings_factory,
                                                                                  monkeypatch):
    settings, indexer = _indexed(tmp_path, settings_factory)
    table = _table(indexer)
    plain = get_embeddings(settings).embed_documents([f"{table.section}\n{table.text}"])[0]
    indexer.vectors.add([table], [plain])  # as written before tables had lead-ins
    again, report = resync_as_older_index(indexer, settings, monkeypatch)
    assert report.unchanged == ["reports/2023_report.md"] and report.chunks == 0
    expected = get_embeddings(settings).embed_documents([f"{table.section}\n{LEAD}\n{table.text}"])[0]
    assert _cos(_stored(again, table.id), expected) > 0.999 > _cos(_stored(again, table.id), plain)
