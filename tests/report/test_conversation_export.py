"""A chat conversation to Word and Markdown with its citations."""

from __future__ import annotations

from pathlib import Path

import docx

from assistant.history import ConversationStore
from assistant.report.conversation_export import conversation_docx, conversation_markdown, export_name
from assistant.report.docx_export import footnotes_of

CITATION = {"n": 1, "source": "reports/2022_self_assessment_report.md", "section": "三、师资建设 > （二）队伍数量与结构",
            "year": 2022, "page": 3, "quote": "在校生与任课教师之比（生师比）为11.21。" + "从结构看" * 80}


def _conversation(tmp_path: Path):
    store = ConversationStore(tmp_path / "history.sqlite3")
    cid = store.create("wang", "2022年的生师比是多少？")
    store.append("wang", cid, "user", "2022年的生师比是多少？")
    store.append("wang", cid, "assistant", "2022 年的生师比为 11.21[1]。", {"citations": [CITATION], "unsupported_numbers": []})
    store.append("wang", cid, "user", "学生党员有多少人？")
    store.append("wang", cid, "assistant", "学生党员 999 人[1][2]。",
                 {"citations": [dict(CITATION, n=1, quote="学生党员 118 人。", page=None)], "unsupported_numbers": ["999"]})
    store.append("wang", cid, "user", "那2019年呢？")
    store.append("wang", cid, "assistant", "语言模型不可用", {"error": True})
    return store.load("wang", cid)


def test_markdown_keeps_questions_answers_and_citations(tmp_path: Path) -> None:
    md = conversation_markdown(_conversation(tmp_path))
    assert md.startswith("# 2022年的生师比是多少？")
    assert "**问 Question**" in md and "2022 年的生师比为 11.21[^1]。" in md
    assert ("[^1]: 来源：reports/2022_self_assessment_report.md · 三、师资建设 > （二）队伍数量与结构 · 2022 年 · 第 3 页。"
            "在校生与任课教师之比（生师比）为11.21。") in md
    assert "学生党员 999 人[^2][2]。" in md  # [2] cites nothing: left as written
    assert "[^2]: 来源：reports/2022_self_assessment_report.md" in md and "学生党员 118 人。" in md
    assert "(unverified figures)：999" in md
    assert "出错 (error)：语言模型不可用" in md
    long_quote = next(line for line in md.splitlines() if line.startswith("[^1]:"))
    assert long_quote.endswith("…") and len(long_quote) < 320


def test_docx_has_real_footnotes(tmp_path: Path) -> None:
    conversation = _conversation(tmp_path)
    path = conversation_docx(conversation, tmp_path / export_name(conversation, "docx"))
    assert path.name.startswith("对话_2022年的生师比是多少") and path.suffix == ".docx"
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "问：2022年的生师比是多少？" in text and "答：2022 年的生师比为 11.21。" in text
    assert "[1]" not in text and "999" in text and "unverified figures" in text and "出错 (error)" in text
    notes = footnotes_of(path)
    assert len(notes) == 2 and notes[0].startswith("来源：reports/2022_self_assessment_report.md · ")
    assert "第 3 页" in notes[0] and "生师比）为11.21" in notes[0] and "学生党员 118 人" in notes[1]
