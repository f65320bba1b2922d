"""The calls the pages make into the services, shaped for display (kept out of the page modules)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.services import Services


def load_draft_text(path: Path) -> str:
    from assistant.figures.check import load_draft_text as load

    return load(path)


def check(services: Services, draft_text: str, year: int) -> dict:
    """``{"findings": [...], "series": [{"metric", "values": {year: value}}]}``: the findings of the
    figure check and, for each flagged figure, its metric over the years (draft year included)."""
    from assistant.figures.facts import facts_from_text
    from assistant.figures.trends import metric_table

    findings = services.check_acknowledged(draft_text, year)
    if not findings:
        return {"findings": [], "series": []}
    rows = metric_table([*services.report_facts(before_year=year), *facts_from_text(draft_text, year=year, source="draft")])
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
                series.append({"metric": row.metric, "values": {str(y): v.value for y, v in sorted(row.values.items())}})
            break
    return {"findings": findings, "series": series}


def acknowledge(services: Services, draft_text: str, year: int, key: str, reason: str, user: str) -> dict:
    """Acknowledge the finding ``key`` of this draft (it must be one of its findings)."""
    finding = next((f for f in services.check_acknowledged(draft_text, year) if f["key"] == key), None)
    if finding is None:
        raise ValueError(f"草稿中没有编号为 {key} 的核对结果 (no finding with this key in the draft)")
    return services.acknowledgements.acknowledge(key, reason, user, finding)


def figures(services: Services, metric: str | None) -> dict:
    """``{"metrics": [row.to_json()]}`` over every indexed report."""
    from assistant.figures import metric_table_to_json

    return metric_table_to_json(services.figures(metric))


def describe_item(item: Any) -> str:
    if isinstance(item, dict):
        if item.get("text"):
            return str(item["text"])
        if item.get("raw"):
            return f"{item.get('metric') or ''} {item['raw']}".strip()
        return str(item.get("quote") or item.get("message") or item)
    return str(item)


def draft(services: Services, section: str, year: int, notes: str, mode: str, table: Path | None,
          on_text: Callable[[str], None] | None = None) -> dict:
    """The draft's JSON plus ``"docx"``: the section as a Word file (bytes, with footnotes)."""
    from assistant.export_docx import export_docx

    result = services.draft(section, year, notes, mode=mode, table=table, on_text=on_text)
    out = result.to_json()
    with tempfile.TemporaryDirectory() as folder:
        out["docx"] = export_docx(result, Path(folder) / "draft.docx").read_bytes()
    return out
