"""Checks on uploaded files before they are saved into the knowledge folder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

try:
    from assistant.ingest import SUPPORTED_SUFFIXES
except ImportError:  # pragma: no cover - ingest package not importable
    SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".docx", ".pdf", ".xlsx", ".csv", ".png", ".jpg", ".jpeg")

MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 240
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
FOLDERS = ("", "reports", "regulations")


class UploadRejected(ValueError):
    """``str(error)`` says why (中文 / English)."""


def safe_filename(name: str) -> str:
    """The bare file name to store an upload under.

    Directories are stripped (``docs/a.md`` → ``a.md``); ``..`` components, NUL and control
    characters, absolute paths (``/x``, ``C:\\x``, ``\\\\server\\x``), hidden names and overly long
    names are rejected.
    """
    if not name or not name.strip():
        raise UploadRejected("文件名为空 (empty file name)")
    if "\x00" in name or _CONTROL.search(name):
        raise UploadRejected("文件名含有控制字符 (control characters in the file name)")
    unified = name.replace("\\", "/")
    if unified.startswith("/") or _WINDOWS_DRIVE.match(unified):
        raise UploadRejected("不接受绝对路径 (absolute paths are not accepted)")
    parts = unified.split("/")
    if any(part.strip() == ".." for part in parts):
        raise UploadRejected("文件名不能包含 “..” (“..” is not allowed)")
    base = parts[-1].strip()
    if not base or base in (".",) or base.startswith("."):
        raise UploadRejected("文件名无效 (invalid file name)")
    if len(base) > MAX_NAME_CHARS or len(base.encode("utf-8")) > MAX_NAME_BYTES:
        raise UploadRejected(f"文件名过长（最多 {MAX_NAME_CHARS} 个字符）(file name too long)")
    return base


def check_upload(path: Path, name: str, max_upload_mb: int) -> str:
    """The safe name of an acceptable upload; ``UploadRejected`` for a bad name, type or size."""
    safe = safe_filename(name)
    suffix = Path(safe).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UploadRejected(f"不支持的文件类型 {suffix or '(无)'}，支持 {' '.join(SUPPORTED_SUFFIXES)} "
                             f"(unsupported file type)")
    size = Path(path).stat().st_size
    if size > max_upload_mb * 1024 * 1024:
        raise UploadRejected(f"文件过大：{size / 1024 / 1024:.1f} MB，上限 {max_upload_mb} MB (file too large)")
    if size == 0:
        raise UploadRejected("文件为空 (empty file)")
    return safe


def save_upload(path: Path, name: str, knowledge_dir: Path, folder: str, max_upload_mb: int) -> str:
    """Check an upload and copy it into ``knowledge_dir/folder``; returns its source path (POSIX,
    relative to the knowledge folder). An existing file of that name is replaced."""
    if folder not in FOLDERS:
        raise UploadRejected(f"无效的目录 (invalid folder): {folder}")
    safe = check_upload(path, name, max_upload_mb)
    root = Path(knowledge_dir).resolve()
    target = (root / folder / safe).resolve()
    if not target.is_relative_to(root):  # belt and braces
        raise UploadRejected("路径不在知识库内 (outside the knowledge folder)")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    shutil.copyfile(path, tmp)
    tmp.replace(target)
    return target.relative_to(root).as_posix()
