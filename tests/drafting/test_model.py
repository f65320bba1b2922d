"""Notes mode with a real model: the offline 0.5B GGUF through llama.cpp (the fastest to load), on the
real 2020 report's 师资建设 with six notes (two with figures, four without).

Whatever the small model writes, the invariants hold: every note is placed or listed with a reason,
every figure of a new sentence is a fact of its note (else it became a placeholder), no prior-year
figure is left unmarked, and each new sentence says where it came from.
"""

from __future__ import annotations

import re

import pytest

from assistant.drafting import DraftDeps, draft_section, read_notes
from assistant.drafting.guard import check_figures, note_facts
from assistant.llm.model_files import ensure_model_file
from assistant.settings import Settings
from assistant.text.markup import PLACEHOLDER
from tests.conftest import REPO

pytestmark = pytest.mark.model
MODEL = "qwen2.5-coder-0.5b"
NOTES = """- 任课教师 120 人，其中英方任课教师 35 人
- 生师比：7.05
- 从格拉斯哥大学引进全职教授 1 名
- 新组建人工智能课程教学团队，由中外教师共同授课
- 一名青年教师入选四川省“天府青城计划”
- 组织中外教师联合教学研讨会 2 次"""


def test_notes_mode_with_the_offline_model(real_chunks, tmp_path) -> None:
    from assistant.llm.provider import chat_model

    models = REPO / "data" / "models"
    ensure_model_file(MODEL, models)
    settings = Settings(provider="local", local_model=MODEL, model_dir=models, data_dir=tmp_path / "data",
                        local_context=4096, max_retries=0)
    deps = DraftDeps(chunks=real_chunks, chat_model=lambda: chat_model(settings, streaming=True))
    result = draft_section(deps, "师资建设", 2021, NOTES)
    assert result.mode == "notes" and not result.notice
    notes = {n.n: n for n in read_notes(NOTES)}
    assert [n["status"] for n in result.notes][:2] == ["figures", "figures"]
    for entry in result.notes[2:]:
        assert entry["status"] == "sentence" or entry["reason"], entry
    written = [p for p in result.provenance if p["kind"] == "written"]
    assert written and all("written from note" in p["label"] for p in written)
    for p in written:
        (n,) = p["notes"]
        sentence = PLACEHOLDER.sub("", p["sentence"])
        assert re.search(r"[\u4e00-\u9fff]{4}", sentence) and p["sentence"] in result.text
        problems, _ = check_figures(sentence, year=2021, facts=note_facts(notes[n].facts, 2021, notes[n].text),
                                    notes_text=notes[n].text, years_allowed=(2021,), loose=True)
        assert problems == [], (p["sentence"], problems)
    # the prior year's figures the notes do not update are still highlighted, none left bare
    for figure in ("295 人", "127 人", "6.91"):
        assert figure not in result.text.replace(f"=={figure}==", "")
