"""Acknowledged findings: a reviewer says "this figure is right" once, and the check stops raising it.

A finding is identified by a **stable key** built from what makes it the same finding on the next
check, and nothing else:

* the report year (a cumulative count accepted as unchanged in 2021 must be raised again in 2022),
* the rule (``kind``) and the metric (``finding["metric"]`` when the check gives one, else the
  label :func:`extract_figures` reads for that figure),
* the figure **as written** (``30.9%``), so changing this figure drops the acknowledgement,
* the sentence holding it with every *other* figure replaced by ``#`` (and ``[n]`` markers, ``==``
  marks and spaces removed), so editing another paragraph — or another figure of the same sentence,
  or re-numbering the citations — keeps it.

The key is the first 12 hex digits of a SHA-256 of those parts (48 bits: a collision among the few
hundred findings of a report is ~1e-10 likely).

The store is one JSON file in the data folder (``acknowledgements.json``), written atomically
(temporary file + ``os.replace``) under a lock, and re-read on every call so the CLI and the web app
see each other's acknowledgements. Each entry keeps the reason, who, when, and the finding as it was
(kind, quote, message) for the record.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from assistant.text.sentences import sentence_bounds

from .extract import extract_figures

__all__ = ["ACK_FILE", "AcknowledgementStore", "finding_key", "open_findings", "sentence_of"]

ACK_FILE = "acknowledgements.json"
_MARKS = re.compile(r"==|\[\d{1,3}\]|\s+")
_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _as_dict(finding: Any) -> dict:
    if isinstance(finding, Mapping):
        return dict(finding)
    if hasattr(finding, "to_json"):
        return dict(finding.to_json())
    raise TypeError(f"not a finding: {finding!r}")


def sentence_of(finding: Mapping | Any, text: str | None) -> tuple[str, int, int]:
    """The sentence of ``text`` holding the finding's quote, and the quote's span inside that
    sentence; the quote itself when ``text`` is None or does not contain it."""
    f = _as_dict(finding)
    quote = str(f.get("quote") or "")
    if text:
        plain = text.replace("==", "")
        pos = plain.find(quote) if quote else -1
        if pos >= 0:
            a, b = sentence_bounds(plain, pos + max(len(quote) - 1, 0))
            a = min(a, pos)
            b = max(b, pos + len(quote))
            return plain[a:b], pos - a, pos - a + len(quote)
    return quote, 0, len(quote)


def _figure(f: dict, sentence: str, q_start: int, q_end: int):
    """The flagged figure in the sentence: inside the quote, with the finding's value."""
    figures = extract_figures(sentence)
    inside = [g for g in figures if g.start < q_end and g.end > q_start]
    value = f.get("value")
    for g in reversed(inside):  # quotes end at the flagged figure (or its （N 人）partner)
        if value is not None and abs(g.value - float(value)) < 1e-9:
            return g, figures
    return (inside[-1] if inside else None), figures


def finding_key(finding: Mapping | Any, text: str | None = None, year: int | None = None) -> str:
    """The stable key of a finding of a draft ``text`` of report ``year`` (see the module doc)."""
    f = _as_dict(finding)
    sentence, q_start, q_end = sentence_of(f, text)
    fig, figures = _figure(f, sentence, q_start, q_end)
    raw = fig.raw if fig is not None else str(f.get("value", ""))
    metric = str(f.get("metric") or (fig.metric if fig is not None else "") or "")
    skeleton, pos = [], 0
    for g in figures:
        if fig is not None and g.start == fig.start:
            continue
        skeleton.append(sentence[pos:g.start] + "#")
        pos = g.end
    skeleton.append(sentence[pos:])
    parts = [str(year or ""), str(f.get("kind", "")), metric, raw, _MARKS.sub("", "".join(skeleton))]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def _lock(path: Path) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(path.resolve(), threading.Lock())


class AcknowledgementStore:
    """``acknowledgements.json`` in a data folder: ``{"version": 1, "items": {key: entry}}``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> AcknowledgementStore:
        return cls(Path(data_dir) / ACK_FILE)

    # ---- file ------------------------------------------------------------------------------------

    def _read(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise ValueError(f"无法读取已确认的核对结果 {self.path}（文件损坏）(acknowledgements file unreadable): {exc}") from exc
        items = data.get("items") if isinstance(data, dict) else None
        return dict(items) if isinstance(items, dict) else {}

    def _write(self, items: dict[str, dict]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".ack-", suffix=".json", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"version": 1, "items": items}, out, ensure_ascii=False, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # ---- API -------------------------------------------------------------------------------------

    def all(self) -> dict[str, dict]:
        """Every acknowledgement, by key."""
        return self._read()

    def get(self, key: str) -> dict | None:
        return self._read().get(key)

    def acknowledge(self, key: str, reason: str, user: str, finding: Mapping | Any | None = None) -> dict:
        """Record that ``user`` accepts the finding ``key`` for ``reason``; returns the entry."""
        key, reason = (key or "").strip(), (reason or "").strip()
        if not re.fullmatch(r"[0-9a-f]{12}", key):
            raise ValueError(f"无效的核对编号 {key!r}（应为 12 位十六进制）(invalid finding key)")
        if not reason:
            raise ValueError("请说明确认理由 (a reason is required to acknowledge a finding)")
        entry: dict[str, Any] = {"reason": reason[:500], "user": user or "local", "at": time.time()}
        if finding is not None:
            f = _as_dict(finding)
            entry.update({k: f.get(k) for k in ("kind", "quote", "message") if f.get(k) is not None})
        with _lock(self.path):
            items = self._read()
            items[key] = entry
            self._write(items)
        return entry

    def withdraw(self, key: str) -> bool:
        """Forget an acknowledgement (the finding is raised again); False when there was none."""
        with _lock(self.path):
            items = self._read()
            if items.pop(key, None) is None:
                return False
            self._write(items)
        return True

    def apply(self, findings: Iterable[Mapping | Any], text: str | None = None, year: int | None = None) -> list[dict]:
        """The findings as dicts with ``key``, ``acknowledged`` and, when acknowledged,
        ``acknowledgement`` (``{"reason", "user", "at"}``); keys already set are kept."""
        items = self._read()
        out = []
        for finding in findings:
            f = _as_dict(finding)
            key = f.get("key") or finding_key(f, text, year)
            entry = items.get(key)
            f["key"] = key
            f["acknowledged"] = entry is not None
            if entry is not None:
                f["acknowledgement"] = {k: entry.get(k) for k in ("reason", "user", "at")}
            else:
                f.pop("acknowledgement", None)
            out.append(f)
        return out


def open_findings(findings: Iterable[Mapping]) -> list[dict]:
    """The findings that are not acknowledged."""
    return [dict(f) for f in findings if not f.get("acknowledged")]
