"""What a person does to the year's workspace: draft (one section or all), edit, acknowledge.

Every action leaves the section checked (only the blocks it changed are re-checked) and the
sections checked against each other; saving is the caller's job (:class:`WorkspaceStore.save`), so
a failure mid-way leaves the stored workspace as it was.

"Draft every section" uses update mode (no model, ≈0.1 s for all nine sections of the real 2020
report) and leaves alone sections someone wrote by hand, imported from Word or wrote with the model,
unless ``overwrite`` is set: re-running it with new notes must not lose a reviewer's work.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from . import drafter
from .blocks import normalise_marks, replace_block_text, split_blocks
from .outline import match_title
from .review import ReportEnv, apply_cross, recheck, refresh_marks
from .workspace import Section, Workspace, WorkspaceError

__all__ = ["acknowledge", "draft_all", "draft_one", "edit_section", "find_item", "notes_from_dir", "verify_figure"]

NOTES_SUFFIXES = (".md", ".txt", ".markdown")
MAX_NOTES_BYTES = 1_000_000


def draft_one(workspace: Workspace, title: str, env: ReportEnv, *, mode: str = "update", notes: str | None = None,
              on_text: Callable[[str], None] | None = None) -> Section:
    """(Re)draft one section from its notes (``notes`` replaces them when given)."""
    section = workspace.section(title)
    if notes is not None:
        section.notes = notes
    out = drafter.draft(env.draft_deps, section.title, workspace.year, section.notes, mode=mode, on_text=on_text)
    section.text = normalise_marks(out["text"])
    section.mode = mode
    section.citations = out.get("citations") or []
    section.placeholders = out.get("placeholders") or []  # refresh_marks keeps their reasons
    section.unused_notes = out.get("unused_notes") or []
    section.findings = []
    section.drafted_at = time.time()
    section.done = False
    recheck(section, None, workspace.year, env.history(workspace.year), env.acks, env.thresholds)
    apply_cross(workspace, env)
    return section


def draft_all(workspace: Workspace, env: ReportEnv, *, notes: dict[str, str] | None = None, overwrite: bool = False,
              progress: Callable[[int, int, str], None] | None = None) -> dict[str, list[str]]:
    """Update mode for every section; ``{"drafted": [...], "skipped": [...]}``. ``progress(done,
    total, title)`` is called before each section and once at the end."""
    notes = notes or {}
    drafted, skipped = [], []
    history = env.history(workspace.year)
    total = len(workspace.sections)
    for n, section in enumerate(workspace.sections):
        if progress:
            progress(n, total, section.title)
        if section.title in notes:
            section.notes = notes[section.title]
        if section.text.strip() and section.mode not in (None, "update") and not overwrite:
            skipped.append(section.title)
            continue
        out = drafter.draft(env.draft_deps, section.title, workspace.year, section.notes, mode="update")
        section.text, section.mode = normalise_marks(out["text"]), "update"
        section.citations = out.get("citations") or []
        section.placeholders = out.get("placeholders") or []
        section.unused_notes = out.get("unused_notes") or []
        section.findings = []
        section.drafted_at = time.time()
        section.done = False
        recheck(section, None, workspace.year, history, env.acks, env.thresholds)
        drafted.append(section.title)
    apply_cross(workspace, env)
    if progress:
        progress(total, total, "")
    return {"drafted": drafted, "skipped": skipped}


def edit_section(workspace: Workspace, title: str, text: str, env: ReportEnv, *, notes: str | None = None,
                 mode: str = "edited") -> dict:
    """Replace a section's text (by hand); the changed blocks are re-checked. Returns
    ``{"changed": [block numbers], "checked": n}``."""
    section = workspace.section(title)
    if notes is not None:
        section.notes = notes
    text = normalise_marks((text or "").strip())
    if text and not text.startswith("#"):
        text = f"## {section.heading}\n\n{text}"
    previous = section.text
    if text == previous.strip():
        return {"changed": [], "checked": 0}
    section.touch(text + "\n" if text else "", mode)
    result = recheck(section, previous or None, workspace.year, env.history(workspace.year), env.acks, env.thresholds)
    apply_cross(workspace, env)
    return result


def find_item(workspace: Workspace, key: str) -> tuple[Section, dict, str]:
    """The section and finding (``"finding"``) or figure not updated (``"not_updated"``) of ``key``."""
    for section in workspace.sections:
        for f in section.findings:
            if f.get("key") == key:
                return section, f, "finding"
        for n in section.not_updated:
            if n.get("key") == key:
                return section, n, "not_updated"
    raise WorkspaceError(f"工作区中没有编号为 {key} 的核对结果 (no finding with key {key} in the workspace)")


def verify_figure(workspace: Workspace, section: Section, item: dict) -> None:
    """A figure not updated is confirmed: its ``==…==`` highlight is removed (the words stay)."""
    blocks = split_blocks(section.text)
    index = item.get("block")
    if isinstance(index, int) and index < len(blocks):
        section.text = replace_block_text(section.text, blocks[index], f"=={item['raw']}==", item["raw"])
        refresh_marks(section, workspace.year)


def acknowledge(workspace: Workspace, key: str, reason: str, user: str, env: ReportEnv) -> dict:
    """Acknowledge a finding (kept in the store, not raised again) or confirm a figure not updated
    (its highlight removed). Returns the item."""
    section, item, kind = find_item(workspace, key)
    if not (reason or "").strip():
        raise WorkspaceError("请说明确认理由 (a reason is required)")
    if kind == "not_updated":
        verify_figure(workspace, section, item)
        item = dict(item, verified={"reason": reason.strip(), "user": user, "at": time.time()})
        return item
    entry = env.acks.acknowledge(key, reason, user, item)
    for f in section.findings:
        if f.get("key") == key:
            f["acknowledged"] = True
            f["acknowledgement"] = {k: entry.get(k) for k in ("reason", "user", "at")}
    return item


def notes_from_dir(folder: Path, titles: list[str]) -> tuple[dict[str, str], list[str]]:
    """Notes files named after sections (``师资建设.md``, ``三、师资建设.txt``) → ``({title: text},
    [warnings])``; files that name no section, are too large or not UTF-8 are reported, not read."""
    folder = Path(folder)
    if not folder.is_dir():
        raise WorkspaceError(f"要点目录不存在 {folder} (notes folder not found)")
    notes: dict[str, str] = {}
    warnings: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower() not in NOTES_SUFFIXES:
            warnings.append(f"{path.name}: 不是 .md/.txt 要点文件，已忽略 (not a notes file, ignored)")
            continue
        title = match_title(path.stem, titles)
        if title is None:
            warnings.append(f"{path.name}: 与任何章节名称都不对应，已忽略 (matches no section: {'、'.join(titles)})")
            continue
        if path.stat().st_size > MAX_NOTES_BYTES:
            warnings.append(f"{path.name}: 文件过大（超过 1 MB），已忽略 (notes file too large, ignored)")
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            warnings.append(f"{path.name}: 不是 UTF-8 文本，已忽略 (not UTF-8 text, ignored)")
            continue
        if title in notes:
            warnings.append(f"{path.name}: “{title}”已有要点文件，已合并 (second notes file for this section, appended)")
            notes[title] += "\n" + text
        else:
            notes[title] = text
    return notes, warnings
