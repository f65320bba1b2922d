"""Figures in report text: extraction, facts, year-over-year alignment and draft checks."""

from .align import MetricRow, YearValue, metric_table_to_json, records_from_text
from .check import CheckThresholds, check_draft, load_draft_text
from .extract import Figure, extract_figures
from .findings import Finding, check_to_json
from .trends import metric_table

__all__ = ["CheckThresholds", "Figure", "Finding", "MetricRow", "YearValue", "check_draft", "check_to_json",
           "extract_figures", "load_draft_text", "metric_table", "metric_table_to_json", "records_from_text"]
