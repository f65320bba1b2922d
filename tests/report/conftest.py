"""Report workspace fixtures: chunks of the real 2020 report and of the sample corpus (no index, no
embeddings), a report environment over them, and a 2021 workspace drafted from the 2020 report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.drafting import DraftDeps
from assistant.figures.acknowledgements import AcknowledgementStore
from assistant.report import (
    ReportEnv,
    Workspace,
    WorkspaceStore,
    draft_all,
    outline_for,
)
from assistant.types import Chunk

# This year's figures for 三. 师资建设 (invented for the tests).
TEACHER_NOTES = """- 教师共计 308 人（不重复统计）
- 任课教师 120 人，其中英方任课教师 35 人，英语课程教师 27 人
- 毕设指导教师 130 人，学术指导教师 58 人
- 生师比：7.05
- 35岁以下任课教师 38 人；36-45岁任课教师 55 人
- 获得博士学位的教师 90 人；正高级职称教师 25 人
"""




@pytest.fixture
def make_env(tmp_path: Path) -> Callable[[list[Chunk]], ReportEnv]:
    def make(chunks: list[Chunk], search=None) -> ReportEnv:
        return ReportEnv(chunks=lambda: chunks, draft_deps=DraftDeps(chunks=chunks),
                         acks=AcknowledgementStore.for_data_dir(tmp_path / "data"), search=search)
    return make


@pytest.fixture
def store(tmp_path: Path) -> WorkspaceStore:
    return WorkspaceStore(tmp_path / "data")


@pytest.fixture
def real_env(make_env, real_chunks) -> ReportEnv:
    return make_env(real_chunks)


@pytest.fixture
def drafted(real_env: ReportEnv, real_chunks, store: WorkspaceStore) -> Workspace:
    """The 2021 workspace, every section drafted in update mode, notes for 师资建设."""
    workspace = store.open("local", 2021, outline_for(real_chunks, 2021))
    draft_all(workspace, real_env, notes={"师资建设": TEACHER_NOTES})
    return workspace
