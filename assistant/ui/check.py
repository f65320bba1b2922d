"""数据核对 Check: figures of a draft against last year's report, and any metric year by year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from assistant.figures.findings import KIND_TEXT, grade_text, related_text
from assistant.ui import backend
from assistant.ui.common import UIContext, report_years, year_value
from assistant.ui.i18n import t



def kind_text(kind: str, lang: str) -> str:
    zh, en = KIND_TEXT.get(kind, (kind, kind))
    return f"{zh if lang != 'en' else en} ({kind})"


def ack_text(f: dict, lang: str) -> str:
    """待核对 / 已确认（who：reason） of a finding with acknowledgement fields."""
    if not f.get("acknowledged"):
        return "Open" if lang == "en" else "待核对"
    ack = f.get("acknowledgement") or {}
    return f"{'Acknowledged' if lang == 'en' else '已确认'}（{ack.get('user', '')}：{ack.get('reason', '')}）"


def _num(value: object) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else str(value or "")


def findings_frame(findings: list[dict], lang: str) -> pd.DataFrame:
    """One row per finding: grade, kind and rule; the draft's quote; the arithmetic; every related
    figure (the other figures of the sum or share, last year's figure) with its cited quote and source;
    the message; ``key`` and the acknowledgement status last when present."""
    en = lang == "en"
    columns = (["Grade", "Kind · rule", "Draft quote", "Arithmetic", "Related figures (quote, source)", "Message"] if en
               else ["等级", "类型 · 规则", "草稿原文", "计算", "相关数字（原文、出处）", "说明"])
    keyed = any("key" in f for f in findings)
    if keyed:
        columns += ["Key", "Status"] if en else ["编号", "状态"]
    rows = []
    for f in findings:
        related = f.get("related") or []
        if not related and f.get("reference"):  # findings without related figures: last year's figure only
            ref = f["reference"]
            related = [{"role": "last_year", "raw": _num(ref.get("value")), "year": ref.get("year"),
                        "quote": ref.get("quote", ""), "source": ref.get("source", "")}]
        rule = f.get("rule") or ""
        row = [grade_text(f.get("grade", ""), lang) if f.get("grade") else "",
               kind_text(f["kind"], lang) + (f" · {rule}" if rule else ""), f.get("quote", ""), f.get("arithmetic", ""),
               "\n".join(related_text(r, lang) for r in related), f.get("message", "")]
        if keyed:
            row += [f.get("key", ""), ack_text(f, lang)]
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def finding_choices(findings: list[dict], lang: str) -> list[tuple[str, str]]:
    """Dropdown choices (label, key) of the findings that can be acknowledged."""
    out = []
    for f in findings:
        if f.get("key"):
            mark = "✓ " if f.get("acknowledged") else ""
            out.append((f"{mark}{kind_text(f['kind'], lang)}：{f.get('quote', '')} [{f['key']}]", f["key"]))
    return out


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
            upload = L(gr.File(label=t("check.upload"), file_types=[".md", ".txt", ".docx", ".pdf"], type="filepath",
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
                                      value=findings_frame([], "zh"), column_widths=["8%", "14%", "18%", "18%", "24%", "18%"]),
                         label="check.findings")
            with gr.Row():
                pick = L(gr.Dropdown(choices=[], label=t("check.pick"), scale=3, elem_id="check-pick"), label="check.pick")
                reason = L(gr.Textbox(label=t("check.reason"), scale=3, elem_id="check-reason"), label="check.reason")
                ack = L(gr.Button(t("check.ack"), scale=1, elem_id="check-ack"), value="check.ack")
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
        n = sum(1 for f in result["findings"] if not f.get("acknowledged"))
        summary_text = t("check.summary", lang, n=n) if n else t("check.none", lang)
        frame = series_frame(result["series"], lang)
        return (summary_text, findings_frame(result["findings"], lang), _plot(frame, t("check.chart", lang)),
                gr.update(choices=finding_choices(result["findings"], lang), value=None))

    run.click(check, [text, year, lang_state], [summary, findings, chart, pick], api_visibility="private",
              concurrency_id="check")

    def acknowledge(draft: str, draft_year: float | None, key: str | None, why: str, lang: str,
                    request: gr.Request) -> tuple:
        if not key:
            raise gr.Error(t("check.no_pick", lang))
        if not (why or "").strip():
            raise gr.Error(t("check.need_reason", lang))
        y = year_value(draft_year) or dt.date.today().year
        try:
            backend.acknowledge(ctx.services, draft, y, key, why, ctx.user(request))
        except ValueError as exc:
            raise gr.Error(str(exc)) from None
        summary_text, frame, plot, choices = check(draft, draft_year, lang)
        return t("check.acked", lang, finding=key) + " " + summary_text, frame, plot, choices, ""

    ack.click(acknowledge, [text, year, pick, reason, lang_state], [summary, findings, chart, pick, reason],
              api_visibility="private", concurrency_id="check")

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
