"""数据核对 Check: figures of a draft against last year's report, and any metric year by year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from assistant.ui import backend
from assistant.ui.common import UIContext, report_years, year_value
from assistant.ui.i18n import t

KIND_TEXT = {
    "arithmetic": ("百分比与人数不符", "share ≠ count"),
    "sum": ("分项之和不符", "parts ≠ total"),
    "yoy_jump": ("同比变化异常", "year-over-year jump"),
    "unchanged": ("累计数未更新", "cumulative not updated"),
}


def kind_text(kind: str, lang: str) -> str:
    zh, en = KIND_TEXT.get(kind, (kind, kind))
    return f"{zh if lang != 'en' else en} ({kind})"


def findings_frame(findings: list[dict], lang: str) -> pd.DataFrame:
    en = lang == "en"
    columns = (["Kind", "Draft quote", "Value", "Message", "Last year", "Source"] if en
               else ["类型", "草稿原文", "数值", "说明", "上年数值", "上年来源"])
    rows = []
    for f in findings:
        ref = f.get("reference") or {}
        last = "" if not ref else f"{ref.get('value', ''):g}（{ref.get('year', '')}）" if isinstance(ref.get("value"), (int, float)) else str(ref.get("value", ""))
        source = "" if not ref else f"{ref.get('source', '')}：{ref.get('quote', '')}"
        rows.append([kind_text(f["kind"], lang), f["quote"], f"{f['value']:g}", f["message"], last, source])
    return pd.DataFrame(rows, columns=columns)


def series_frame(series: list[dict], lang: str) -> pd.DataFrame:
    """Long table for a LinePlot: one row per (metric, year)."""
    cols = ("metric", "year", "value")
    frame = pd.DataFrame([(s["metric"], int(y), float(v)) for s in series for y, v in s["values"].items()], columns=cols)
    frame = frame.sort_values(["metric", "year"]).reset_index(drop=True)
    frame["year"] = frame["year"].astype(str)  # whole years on the axis, not 2,021.5
    return frame


def metric_frame(rows: list[dict], lang: str) -> pd.DataFrame:
    years = sorted({int(y) for r in rows for y in r["values"]})
    head = ["Metric", "Unit", "Section"] if lang == "en" else ["指标", "单位", "章节"]
    data = [[r["metric"], r["unit"], r["section"], *[(r["values"].get(str(y)) or {}).get("raw", "") for y in years]]
            for r in rows]
    return pd.DataFrame(data, columns=head + [str(y) for y in years])


def _plot(frame: pd.DataFrame, label: str) -> Any:
    return gr.update(value=frame, label=label, visible=not frame.empty)


def build(ctx: UIContext, lang_state: gr.State) -> dict[str, Any]:
    L = ctx.labels
    with gr.Row(equal_height=False):
        with gr.Column(scale=2):
            upload = L(gr.File(label=t("check.upload"), file_types=[".md", ".txt", ".docx"], type="filepath",
                               elem_id="check-upload"), label="check.upload")
            text = L(gr.Textbox(label=t("check.text"), placeholder=t("check.placeholder"), lines=14, max_lines=30,
                                elem_id="check-text"), label="check.text", placeholder="check.placeholder")
            with gr.Row():
                year = L(gr.Number(label=t("check.year"), value=dt.date.today().year - 1, precision=0, minimum=2000,
                                   maximum=2100, elem_id="check-year"), label="check.year")
                run = L(gr.Button(t("check.run"), variant="primary", elem_id="check-run"), value="check.run")
        with gr.Column(scale=3):
            summary = gr.Markdown(elem_id="check-summary")
            findings = L(gr.Dataframe(label=t("check.findings"), interactive=False, wrap=True, elem_id="check-findings",
                                      value=findings_frame([], "zh"), column_widths=["12%", "22%", "8%", "30%", "10%", "18%"]),
                         label="check.findings")
            chart = L(gr.LinePlot(x="year", y="value", color="metric", label=t("check.chart"), elem_id="check-chart",
                                  x_title="年份 year", y_title="数值 value", color_title="指标 metric",
                                  visible=False), label="check.chart")
    with L(gr.Accordion(t("check.figures"), open=False, elem_id="figures-view"), label="check.figures"):
        with gr.Row():
            metric = L(gr.Textbox(label=t("check.metric"), placeholder=t("check.metric_placeholder"), scale=4,
                                  elem_id="metric"), label="check.metric", placeholder="check.metric_placeholder")
            show = L(gr.Button(t("check.show"), scale=1, elem_id="metric-show"), value="check.show")
        metric_table = L(gr.Dataframe(label=t("check.table"), interactive=False, wrap=True, elem_id="metric-table"),
                         label="check.table")
        metric_chart = L(gr.LinePlot(x="year", y="value", color="metric", label=t("check.metric_chart"),
                                     elem_id="metric-chart", x_title="年份 year", y_title="数值 value", color_title="指标 metric",
                                     visible=False), label="check.metric_chart")

    def load_file(path: str | None) -> Any:
        if not path:
            return gr.skip()
        try:
            return backend.load_draft_text(Path(path))
        except Exception as exc:  # LoadError carries a readable reason
            raise gr.Error(str(exc)) from None

    upload.upload(load_file, [upload], [text], api_visibility="private")

    def check(draft: str, draft_year: float | None, lang: str) -> tuple:
        if not (draft or "").strip():
            raise gr.Error(t("check.empty", lang))
        y = year_value(draft_year) or dt.date.today().year
        result = backend.check(ctx.services, draft, y)
        n = len(result["findings"])
        summary_text = t("check.summary", lang, n=n) if n else t("check.none", lang)
        frame = series_frame(result["series"], lang)
        return summary_text, findings_frame(result["findings"], lang), _plot(frame, t("check.chart", lang))

    run.click(check, [text, year, lang_state], [summary, findings, chart], api_visibility="private",
              concurrency_id="check")

    def figures(name: str, lang: str) -> tuple:
        rows = backend.figures(ctx.services, (name or "").strip() or None)["metrics"]
        shown = rows if (name or "").strip() else [r for r in rows if len(r["values"]) > 1][:12]
        series = [{"metric": r["metric"], "values": {y: v["value"] for y, v in r["values"].items()}} for r in shown[:8]]
        return metric_frame(rows if (name or "").strip() else shown, lang), _plot(series_frame(series, lang), t("check.metric_chart", lang))

    for trigger in (show.click, metric.submit):
        trigger(figures, [metric, lang_state], [metric_table, metric_chart], api_visibility="private",
                concurrency_id="check")

    def on_load() -> Any:
        years = report_years(ctx.services)
        return gr.update(value=years[0] + 1) if years else gr.skip()

    return {"load": (on_load, [], [year])}
