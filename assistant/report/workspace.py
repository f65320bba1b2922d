"""The year's report workspace: every section's notes, draft, marks, findings and review state.

Stored as ``<data_dir>/reports/<owner>/<year>.json`` (owner = the user name, or ``shared`` for the
workspace a role shares), written atomically (temporary file in the same folder + ``os.replace``),
so a crash mid-write leaves the previous version, and a new process reads the drafts back.

Status of a section, at a glance (derived, never stored):

* ``empty`` — no text yet;
* ``drafted`` — text that has not been checked since it last changed;
* ``needs_figures`` — checked, but 【待补充】 placeholders, figures not updated (``==…==``) or open
  findings remain;
* ``checked`` — checked, nothing open;
* ``done`` — marked done by a person while ``checked`` (any later edit clears it).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .outline import Outline, match_title

__all__ = ["STATUSES", "SHARED", "Section", "Workspace", "WorkspaceError", "WorkspaceStore", "owner_dir"]

SHARED = "shared"
STATUSES = ("empty", "drafted", "needs_figures", "checked", "done")
STATUS_TEXT = {"empty": ("未起草", "empty"), "drafted": ("已起草", "drafted"), "needs_figures": ("待补数据", "needs figures"),
               "checked": ("已核对", "checked"), "done": ("已完成", "done")}
_OWNER = re.compile(r"^[\w.@\-\u4e00-\u9fff]{1,64}$")
_LOCKS: dict[Path, threading.Lock] = {}
_GUARD = threading.Lock()


class WorkspaceError(ValueError):
    """A request the workspace refuses; ``str(error)`` says why in Chinese and English."""


@dataclass
class Section:
    title: str
    heading: str
    notes: str = ""
    text: str = ""  # Markdown: ## heading, paragraphs, [n] markers, ==not updated==, 【待补充：…】
    mode: str | None = None  # update / write / edited / imported
    citations: list[dict] = field(default_factory=list)
    placeholders: list[dict] = field(default_factory=list)
    not_updated: list[dict] = field(default_factory=list)
    unused_notes: list[str] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)  # figure findings (+ key, acknowledged, block)
    comments: list[dict] = field(default_factory=list)  # reviewers' Word comments read back
    drafted_at: float | None = None
    edited_at: float | None = None
    checked_at: float | None = None
    done: bool = False

    @property
    def open_findings(self) -> list[dict]:
        return [f for f in self.findings if not f.get("acknowledged")]

    @property
    def status(self) -> str:
        if not self.text.strip():
            return "empty"
        changed = max(self.drafted_at or 0, self.edited_at or 0)
        if self.checked_at is None or self.checked_at < changed:
            return "drafted"
        if self.placeholders or self.not_updated or self.open_findings:
            return "needs_figures"
        return "done" if self.done else "checked"

    def touch(self, text: str, mode: str) -> None:
        """New text by hand or from Word: the check is out of date and ``done`` no longer holds."""
        self.text = text
        self.mode = mode
        self.edited_at = time.time()
        self.done = False

    def to_json(self) -> dict:
        out = asdict(self)
        out["status"] = self.status
        return out

    @classmethod
    def from_json(cls, data: dict) -> Section:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Workspace:
    year: int
    owner: str
    sections: list[Section]
    outline_source: str = ""
    outline_year: int | None = None
    created_at: float = field(default_factory=time.time)
    updated_at: float = field(default_factory=time.time)
    report_checked_at: float | None = None
    imports: list[dict] = field(default_factory=list)  # {"file", "at", "changed", "rechecked", "comments"}

    @classmethod
    def from_outline(cls, year: int, owner: str, outline: Outline) -> Workspace:
        return cls(year, owner, [Section(s.title, s.heading) for s in outline.sections], outline.source, outline.year)

    @property
    def titles(self) -> list[str]:
        return [s.title for s in self.sections]

    def section(self, title: str) -> Section:
        """The section named ``title`` (numbering ignored); ``WorkspaceError`` when none."""
        found = match_title(title, self.titles)
        if found is None:
            raise WorkspaceError(f"工作区中没有章节“{title}” (no section {title!r}); 章节 sections: {'、'.join(self.titles)}")
        return next(s for s in self.sections if s.title == found)

    def markdown(self) -> str:
        """The assembled report (marks included)."""
        parts = [f"# {self.year} 年度自评报告"]
        for s in self.sections:
            parts.append(s.text.strip() or f"## {s.heading}\n\n【待补充：{s.title}】")
        return "\n\n".join(parts) + "\n"

    def to_json(self) -> dict:
        return {"version": 1, "year": self.year, "owner": self.owner, "outline_source": self.outline_source,
                "outline_year": self.outline_year, "created_at": self.created_at, "updated_at": self.updated_at,
                "report_checked_at": self.report_checked_at, "imports": list(self.imports),
                "sections": [s.to_json() for s in self.sections]}

    @classmethod
    def from_json(cls, data: dict) -> Workspace:
        return cls(int(data["year"]), str(data["owner"]), [Section.from_json(s) for s in data.get("sections", [])],
                   data.get("outline_source") or "", data.get("outline_year"), data.get("created_at") or time.time(),
                   data.get("updated_at") or time.time(), data.get("report_checked_at"), list(data.get("imports") or []))


def owner_dir(owner: str) -> str:
    """The folder name of an owner: the user name as given (user names are already safe), checked."""
    owner = (owner or "").strip()
    if not _OWNER.match(owner) or owner.startswith("."):
        raise WorkspaceError(f"无效的工作区所有者 {owner!r} (invalid workspace owner)")
    return owner


def _lock(path: Path) -> threading.Lock:
    with _GUARD:
        return _LOCKS.setdefault(path.resolve(), threading.Lock())


class WorkspaceStore:
    """Workspaces of one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "reports"

    def path(self, owner: str, year: int) -> Path:
        year = int(year)
        if not 1990 <= year <= 2100:
            raise WorkspaceError(f"报告年份 {year} 无效 (invalid report year)")
        return self.root / owner_dir(owner) / f"{year}.json"

    def exists(self, owner: str, year: int) -> bool:
        return self.path(owner, year).exists()

    def load(self, owner: str, year: int) -> Workspace | None:
        path = self.path(owner, year)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise WorkspaceError(f"工作区文件 {path} 无法读取（损坏）(workspace file unreadable): {exc}") from exc
        return Workspace.from_json(data)

    def open(self, owner: str, year: int, outline: Outline) -> Workspace:
        """The stored workspace, or a new one with ``outline`` (not saved until :meth:`save`)."""
        return self.load(owner, year) or Workspace.from_outline(int(year), owner, outline)

    def save(self, workspace: Workspace) -> Path:
        path = self.path(workspace.owner, workspace.year)
        path.parent.mkdir(parents=True, exist_ok=True)
        workspace.updated_at = time.time()
        data = json.dumps(workspace.to_json(), ensure_ascii=False, indent=1)
        with _lock(path):
            fd, tmp = tempfile.mkstemp(prefix=f".{workspace.year}-", suffix=".json", dir=path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return path

    def list(self, owner: str) -> list[int]:
        folder = self.root / owner_dir(owner)
        return sorted((int(p.stem) for p in folder.glob("*.json") if p.stem.isdigit()), reverse=True)

    def delete(self, owner: str, year: int) -> bool:
        path = self.path(owner, year)
        with _lock(path):
            if not path.exists():
                return False
            path.unlink()
        return True


def status_text(status: str, lang: str = "zh") -> str:
    zh, en = STATUS_TEXT.get(status, (status, status))
    return en if lang == "en" else zh


def section_summary(section: Section) -> dict[str, Any]:
    """One row of the section list."""
    return {"title": section.title, "heading": section.heading, "status": section.status, "mode": section.mode,
            "placeholders": len(section.placeholders), "not_updated": len(section.not_updated),
            "findings_open": len(section.open_findings),
            "findings_acknowledged": sum(1 for f in section.findings if f.get("acknowledged")),
            "comments": len(section.comments), "checked_at": section.checked_at}
