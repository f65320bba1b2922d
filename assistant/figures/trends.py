"""The year-over-year table (CLI ``figures``, the check page's chart) read from the figure ledger.

One row per *fact key* — concept of the vocabulary, scope, unit family, share or count, running total
or not — so 生师比 and 在校生与任课教师之比（生师比） are one row, and 任课教师 · 外方 is not 任课教师.
Facts the vocabulary does not name are left out (their labels are free text: two of them cannot be
told to be the same metric). Within a year the first statement in document order is the row's value.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.domain import unit_family, vocabulary

from .align import MetricRow, YearValue
from .facts import Fact


def _key(f: Fact) -> tuple:
    return (f.metric, f.scope, unit_family(f.unit), f.kind, f.cumulative)


def metric_table(facts: Iterable[Fact], metric: str | None = None) -> list[MetricRow]:
    """Rows of the facts' metrics over the years (``metric``: only rows whose name contains it or
    whose concept it names); rows seen in more years first."""
    rows: dict[tuple, MetricRow] = {}
    for f in facts:
        if not f.metric or f.delta or f.year is None or f.table_row is not None and not f.metric:
            continue
        row = rows.get(_key(f))
        if row is None:
            row = rows[_key(f)] = MetricRow(f.name, unit_family(f.unit) if f.kind != "share" else "%", f.section)
        row.values.setdefault(f.year, YearValue(f.value, f.raw, f.source, f.quote))
    result = list(rows.values())
    if metric:
        found = vocabulary().concept_in(metric)
        wanted = vocabulary().label_of(found[0].id) if found else None
        result = [r for r in result if metric in r.metric or (wanted and r.metric.startswith(wanted))]
    return sorted(result, key=lambda r: (-len(r.values), r.metric))
