"""The calls the pages make: Services methods when the facade has them, else the figures / draft modules.

Kept in one place so the pages hold no business logic and switch to the facade transparently.
"""

from __future__ import annotations

import importlib
import io
import re
from pathlib import Path
from typing import Any

from assistant.services import Services


def load_draft_text(path: Path) -> str:
    from assistant.figures.check import load_draft_text as load

    return load(path)


def _findings_json(result: Any) -> list[dict]:
    if isinstance(result, dict):
        return list(result.get("findings", []))
    return [f.to_json() if hasattr(f, "to_json") else dict(f) for f in result or []]


def check(services: Services, draft_text: str, year: int) -> dict:
    """``{"findings": [...], "series": [{"metric", "values": {year: value}}]}``: the findings of the
    figure check and, for each flagged figure, its metric over the years (draft year included)."""
    from assistant.figures.align import metric_table, records_from_text
    from assistant.figures.check import check_draft

    history = services.report_records(before_year=year)
    if hasattr(services, "check"):
        findings = _findings_json(services.check(draft_text, year))
    else:
        findings = _findings_json(check_draft(draft_text, year, history))
    if not findings:
        return {"findings": [], "series": []}
    rows = metric_table([*history, *records_from_text(draft_text, year, "draft")])
    series, seen = [], set()
    for f in findings:
        for row in rows:
            mine = row.values.get(year)
            if mine is None or len(row.values) < 2 or abs(mine.value - float(f["value"])) > 1e-9:
                continue
            if mine.raw not in f["quote"] and f["quote"] not in mine.quote and mine.quote not in f["quote"]:
                continue
            if id(row) not in seen:
                seen.add(id(row))
                series.append({"metric": row.metric, "values": {y: v.value for y, v in sorted(row.values.items())}})
            break
    return {"findings": findings, "series": series}


def figures(services: Services, metric: str | None) -> dict:
    """``{"metrics": [row.to_json()]}`` over every indexed report."""
    if hasattr(services, "figures"):
        result = services.figures(metric)
        if isinstance(result, dict):
            return result
        return {"metrics": [r.to_json() if hasattr(r, "to_json") else dict(r) for r in result]}
    from assistant.figures.align import metric_table, metric_table_to_json

    return metric_table_to_json(metric_table(services.report_records(), metric))


def draft_module() -> Any | None:
    """``assistant.chains.draft`` once it exists, else None."""
    try:
        return importlib.import_module("assistant.chains.draft")
    except ImportError:
        return None


class DraftUnavailable(RuntimeError):
    """Drafting is not installed (``assistant.chains.draft`` missing)."""


def describe_item(item: Any) -> str:
    if isinstance(item, dict):
        if item.get("text"):
            return str(item["text"])
        if item.get("raw"):
            return f"{item.get('metric') or ''} {item['raw']}".strip()
        return str(item.get("quote") or item.get("message") or item)
    return str(item)


def draft(services: Services, section: str, year: int, notes: str, mode: str, table: Path | None) -> dict:
    """``{"section","year","mode","text","citations","placeholders","not_updated","findings"}`` plus
    ``"docx"``: the section as a Word file (bytes)."""
    module = draft_module()
    if hasattr(services, "draft"):
        result = services.draft(section, year, notes, mode=mode, table=table)
    elif module is not None:
        result = module.draft_section(services, section, year, notes, mode=mode, table=table)
    else:
        raise DraftUnavailable("起草功能尚未安装 (drafting is not installed yet)")
    out = result.to_json() if hasattr(result, "to_json") else dict(result)
    out["docx"] = docx_bytes(result, out)
    return out


def docx_bytes(result: Any, out: dict) -> bytes:
    """The drafting module's Word export when it has one, else a plain export of the Markdown text
    (headings, paragraphs, ``==…==`` highlighted, placeholders highlighted)."""
    module = draft_module()
    for name in ("to_docx_bytes", "docx_bytes", "export_docx", "to_docx", "draft_to_docx"):
        export = getattr(module, name, None) if module is not None else None
        if export is None:
            continue
        value = export(result)
        if isinstance(value, bytes | bytearray):
            return bytes(value)
        if hasattr(value, "save"):
            buffer = io.BytesIO()
            value.save(buffer)
            return buffer.getvalue()
    return _plain_docx(out.get("text", ""))


_MARKS = re.compile(r"(==.+?==|【待补充[：:][^】]*】)")


def _plain_docx(text: str) -> bytes:
    import docx
    from docx.enum.text import WD_COLOR_INDEX

    document = docx.Document()
    for line in text.splitlines():
        line = line.rstrip()
        if not line.strip():
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            document.add_heading(heading.group(2).strip(), level=min(len(heading.group(1)), 4))
            continue
        paragraph = document.add_paragraph()
        for part in _MARKS.split(line):
            if not part:
                continue
            if part.startswith("==") and part.endswith("=="):
                paragraph.add_run(part[2:-2]).font.highlight_color = WD_COLOR_INDEX.YELLOW
            elif part.startswith("【待补充"):
                paragraph.add_run(part).font.highlight_color = WD_COLOR_INDEX.YELLOW
            else:
                paragraph.add_run(part)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
