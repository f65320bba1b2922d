"""报告 Report: the year's workspace — sections with status, draft every section, edit and re-check,
the whole-report findings (acknowledge with a reason), the compliance checklist, Word out and back in.

Every handler reads the workspace from the data folder, acts, saves and re-renders, so two browser
tabs (or the CLI) never work on stale copies for longer than one action.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from assistant.report import SHARED, WorkspaceError, acknowledge, check_report, draft_all, draft_one, edit_section
from assistant.report.checklist import run_checklist
from assistant.report.checklist import status_text as item_status
from assistant.report.workspace import Workspace, section_summary, status_text
from assistant.ui.check import ack_text, kind_text
from assistant.ui.common import UIContext, esc, report_years, year_value
from assistant.ui.draft import citations_html, highlight
from assistant.ui.i18n import t

OWNERS = [("report.mine", "mine"), ("report.shared", "shared")]


# ---- rendering -----------------------------------------------------------------------------------


def sections_frame(workspace: Workspace, lang: str) -> pd.DataFrame:
    en = lang == "en"
    columns = (["Section", "Status", "Placeholders", "Not updated", "Open findings", "Acknowledged", "Mode"] if en
               else ["章节", "状态", "待补充", "未更新", "待核对", "已确认", "方式"])
    rows = []
    for s in workspace.sections:
        row = section_summary(s)
        rows.append([s.heading, f"{status_text(row['status'], lang)} ({row['status']})", row["placeholders"],
                     row["not_updated"], row["findings_open"], row["findings_acknowledged"], row["mode"] or ""])
    return pd.DataFrame(rows, columns=columns)


def report_items(workspace: Workspace) -> list[dict]:
    """Every finding (in section order), then every figure not updated, each with ``section``: the
    findings are few and need a decision, the figures not updated are many and need a number."""
    findings = [dict(f, section=s.title) for s in workspace.sections for f in s.findings]
    return findings + [dict(n, section=s.title) for s in workspace.sections for n in s.not_updated]


def findings_frame(workspace: Workspace, lang: str) -> pd.DataFrame:
    en = lang == "en"
    columns = (["Section", "Kind", "Quote", "Message", "Key", "Status"] if en
               else ["章节", "类型", "原文", "说明", "编号", "状态"])
    rows = []
    for f in report_items(workspace):
        message = f.get("message", "")
        if f.get("grade"):
            message = f"[{f['grade']}] {message}"
        if f.get("arithmetic"):
            message += f"（{f['arithmetic']}）"
        rows.append([f["section"], kind_text(f.get("kind", ""), lang), f.get("quote", ""), message, f.get("key", ""),
                     ack_text(f, lang)])
    return pd.DataFrame(rows, columns=columns)


def finding_choices(workspace: Workspace, lang: str) -> list[tuple[str, str]]:
    out = []
    for f in report_items(workspace):
        if f.get("key") and not f.get("acknowledged"):
            out.append((f"{f['section']} · {kind_text(f.get('kind', ''), lang)}：{f.get('quote', '')} [{f['key']}]", f["key"]))
    return out


def finding_details(workspace: Workspace, key: str | None, lang: str) -> str:
    if not key:
        return ""
    item = next((f for f in report_items(workspace) if f.get("key") == key), None)
    if item is None:
        return ""
    lines = [f"**{esc(item['section'])} · {esc(kind_text(item.get('kind', ''), lang))}** `{esc(key)}`",
             f"> {esc(item.get('sentence') or item.get('quote', ''))}", "", esc(item.get("message", ""))]
    for extra in ("grade", "arithmetic"):
        if item.get(extra):
            lines.append(f"- {extra}: {esc(item[extra])}")
    ref = item.get("reference") or {}
    if ref:
        lines.append(f"- {'Reference' if lang == 'en' else '对照'}：{esc(ref.get('year'))} · {esc(ref.get('value'))} · "
                     f"{esc(ref.get('source'))}：{esc(ref.get('quote'))}")
    return "\n".join(lines)


def checklist_frame(results: list, lang: str) -> pd.DataFrame:
    en = lang == "en"
    columns = ["Item", "Status", "Where", "Quote", "Article"] if en else ["项目", "状态", "位置", "原文", "依据条款"]
    rows = []
    for r in results:
        reg = r.regulation or {}
        article = ""
        if r.item.article:
            article = r.item.article + (f"（{reg['source']}）：{reg['quote']}" if reg.get("quote") else "")
        rows.append([r.item.title_en if en and r.item.title_en else r.item.title,
                     f"{item_status(r.status, lang)} ({r.status})", r.where, r.quote or r.message, article])
    return pd.DataFrame(rows, columns=columns)


def comments_markdown(workspace: Workspace) -> str:
    lines = []
    for s in workspace.sections:
        for c in s.comments:
            state = "✓ " if c.get("resolved") else ""
            replies = "".join(f"<br>↳ {esc(r.get('author'))}：{esc(r.get('text'))}" for r in c.get("replies") or [])
            lines.append(f"- {state}**{esc(s.title)}** · {esc(c.get('author'))}：{esc(c.get('text'))} "
                         f"（「{esc(c.get('anchor'))}」）{replies}")
    return "\n".join(lines)


# ---- page ----------------------------------------------------------------------------------------


def build(ctx: UIContext, lang_state: gr.State) -> dict[str, Any]:
    L = ctx.labels
    services = ctx.services
    with gr.Row():
        year = L(gr.Number(label=t("report.year"), value=dt.date.today().year - 1, precision=0, minimum=2000, maximum=2100,
                           elem_id="report-year", scale=1), label="report.year")
        owner = L(gr.Radio(choices=[(t(k), v) for k, v in OWNERS], value="mine", label=t("report.owner"),
                           elem_id="report-owner", scale=1), label="report.owner", choices=OWNERS)
        open_btn = L(gr.Button(t("report.open"), elem_id="report-open", scale=1), value="report.open")
        draft_btn = L(gr.Button(t("report.draft_all"), variant="primary", elem_id="report-draft-all", scale=2),
                      value="report.draft_all")
        overwrite = L(gr.Checkbox(label=t("report.overwrite"), value=False, elem_id="report-overwrite", scale=1),
                      label="report.overwrite")
        check_btn = L(gr.Button(t("report.check"), elem_id="report-check", scale=1), value="report.check")
    summary = gr.Markdown(elem_id="report-summary")
    L(gr.Markdown(t("report.legend")), value="report.legend")
    sections = L(gr.Dataframe(label=t("report.sections"), interactive=False, wrap=True, elem_id="report-sections"),
                 label="report.sections")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            section = L(gr.Dropdown(choices=[], label=t("report.section"), elem_id="report-section"), label="report.section")
            preview = gr.Markdown(elem_id="report-preview", sanitize_html=True)
            text = L(gr.Textbox(label=t("report.text"), lines=10, max_lines=30, elem_id="report-text"), label="report.text")
            notes = L(gr.Textbox(label=t("report.notes"), lines=4, elem_id="report-notes"), label="report.notes")
            with gr.Row():
                save_btn = L(gr.Button(t("report.save"), elem_id="report-save"), value="report.save")
                update_btn = L(gr.Button(t("report.update"), elem_id="report-update"), value="report.update")
                notes_btn = L(gr.Button(t("report.notes_mode"), elem_id="report-notes-mode"), value="report.notes_mode")
                write_btn = L(gr.Button(t("report.write"), elem_id="report-write"), value="report.write")
                done_btn = L(gr.Button(t("report.done"), elem_id="report-done"), value="report.done")
            citations = gr.HTML(elem_id="report-citations")
        with gr.Column(scale=2):
            download = L(gr.DownloadButton(t("report.download"), visible=False, elem_id="report-download"),
                         label="report.download")
            upload = L(gr.File(label=t("report.import"), file_types=[".docx"], type="filepath", elem_id="report-import"),
                       label="report.import")
            status = gr.Markdown(elem_id="report-status")
            finding = L(gr.Dropdown(choices=[], label=t("report.finding"), elem_id="report-finding"), label="report.finding")
            details = gr.Markdown(elem_id="report-finding-details")
            with gr.Row():
                reason = L(gr.Textbox(label=t("report.reason"), scale=3, elem_id="report-reason"), label="report.reason")
                ack_btn = L(gr.Button(t("report.ack"), scale=1, elem_id="report-ack"), value="report.ack")
            L(gr.Markdown("#### " + t("report.comments")), value=("#### ", "report.comments"))
            comments = gr.Markdown(elem_id="report-comments")
    findings = L(gr.Dataframe(label=t("report.findings"), interactive=False, wrap=True, elem_id="report-findings"),
                 label="report.findings")
    checklist = L(gr.Dataframe(label=t("report.checklist"), interactive=False, wrap=True, elem_id="report-checklist"),
                  label="report.checklist")

    def owner_of(choice: str, request: gr.Request | None) -> str:
        return SHARED if choice == "shared" else ctx.user(request)

    def load(y: float | None, choice: str, request: gr.Request | None) -> Workspace:
        report_year = year_value(y) or dt.date.today().year
        try:
            return services.workspace(owner_of(choice, request), report_year)
        except WorkspaceError as exc:
            raise gr.Error(str(exc)) from None

    def docx_update(workspace: Workspace) -> Any:
        if not any(s.text.strip() for s in workspace.sections):
            return gr.update(visible=False)
        from assistant.report.docx_export import export_report

        folder = Path(tempfile.mkdtemp(prefix="report-"))
        path = export_report(workspace, folder / f"{workspace.year}_年度自评报告.docx")["path"]
        return gr.update(value=path, visible=True)

    def section_view(workspace: Workspace, title: str | None) -> tuple:
        if not title:
            return "", "", "", ""
        s = workspace.section(title)
        return highlight(s.text, s.citations), s.text, s.notes, citations_html(s.citations, "zh")

    def render(workspace: Workspace, title: str | None, lang: str, message: str = "") -> tuple:
        env = services.report_env()
        results = run_checklist(workspace, history=env.history(workspace.year), chunks=env.chunks(), search=env.search)
        items = report_items(workspace)
        source = workspace.outline_source or t("report.standard", lang)
        head = t("report.summary", lang, year=workspace.year, source=source, n=len(workspace.sections),
                 open=sum(1 for f in items if f.get("kind") != "not_updated" and not f.get("acknowledged")),
                 ph=sum(len(s.placeholders) for s in workspace.sections),
                 nu=sum(len(s.not_updated) for s in workspace.sections))
        titles = [(s.heading, s.title) for s in workspace.sections]
        title = title if title in workspace.titles else (workspace.titles[0] if workspace.titles else None)
        return (head, sections_frame(workspace, lang), gr.update(choices=titles, value=title),
                *section_view(workspace, title), findings_frame(workspace, lang),
                gr.update(choices=finding_choices(workspace, lang), value=None), "",
                checklist_frame(results, lang), comments_markdown(workspace), docx_update(workspace), message)

    outputs = [summary, sections, section, preview, text, notes, citations, findings, finding, details, checklist,
               comments, download, status]

    def save(workspace: Workspace) -> None:
        services.workspaces.save(workspace)

    def do_open(y, choice, title, lang, request: gr.Request):
        return render(load(y, choice, request), title, lang)

    def do_draft_all(y, choice, title, force, lang, request: gr.Request, progress=gr.Progress()):
        workspace = load(y, choice, request)
        env = services.report_env()

        def step(done: int, total: int, name: str) -> None:
            progress((done, total), desc=name or "")

        result = draft_all(workspace, env, overwrite=bool(force), progress=step)
        save(workspace)
        return render(workspace, title, lang, t("report.drafted", lang, n=len(result["drafted"]), k=len(result["skipped"])))

    def do_check(y, choice, title, lang, request: gr.Request):
        workspace = load(y, choice, request)
        check_report(workspace, services.report_env())
        save(workspace)
        return render(workspace, title, lang)

    def do_save(y, choice, title, body, note_text, lang, request: gr.Request):
        if not title:
            raise gr.Error(t("report.no_section", lang))
        workspace = load(y, choice, request)
        result = edit_section(workspace, title, body or "", services.report_env(), notes=note_text or "")
        save(workspace)
        return render(workspace, title, lang, t("report.saved", lang, n=result["checked"]))

    def do_redraft(mode: str):
        def handler(y, choice, title, note_text, lang, request: gr.Request):
            if not title:
                raise gr.Error(t("report.no_section", lang))
            workspace = load(y, choice, request)
            try:
                draft_one(workspace, title, services.report_env(), mode=mode, notes=note_text or "")
            except Exception as exc:  # ModelUnavailable, notes too long: readable messages
                raise gr.Error(str(exc)) from None
            save(workspace)
            return render(workspace, title, lang)
        return handler

    def do_done(y, choice, title, lang, request: gr.Request):
        workspace = load(y, choice, request)
        s = workspace.section(title) if title else None
        if s is None:
            raise gr.Error(t("report.no_section", lang))
        if s.status != "checked":
            raise gr.Error(t("report.not_checked", lang))
        s.done = True
        save(workspace)
        return render(workspace, title, lang)

    def do_ack(y, choice, title, key, why, lang, request: gr.Request):
        workspace = load(y, choice, request)
        try:
            acknowledge(workspace, key or "", why or "", ctx.user(request), services.report_env())
        except (WorkspaceError, ValueError) as exc:
            raise gr.Error(str(exc)) from None
        save(workspace)
        return render(workspace, title, lang, t("check.acked", lang, finding=key))

    def do_import(y, choice, title, path, lang, request: gr.Request):
        from assistant.report.docx_import import ImportRejected, import_docx

        if not path:
            return gr.skip()
        workspace = load(y, choice, request)
        try:
            updated, info = import_docx(workspace, Path(path), services.report_env(), user=ctx.user(request),
                                        max_mb=services.settings.max_upload_mb)
        except ImportRejected as exc:
            raise gr.Error(str(exc)) from None
        save(updated)
        message = t("report.imported", lang, file=info["file"], n=sum(len(s["changed_blocks"]) for s in info["sections"]),
                    a=len(info["acknowledged"]), v=len(info["verified"]), c=info["reviewer_comments"])
        return render(updated, title, lang, message)

    common = dict(api_visibility="private", concurrency_id="report")
    open_btn.click(do_open, [year, owner, section, lang_state], outputs, **common)
    draft_btn.click(do_draft_all, [year, owner, section, overwrite, lang_state], outputs, **common)
    check_btn.click(do_check, [year, owner, section, lang_state], outputs, **common)
    save_btn.click(do_save, [year, owner, section, text, notes, lang_state], outputs, **common)
    update_btn.click(do_redraft("update"), [year, owner, section, notes, lang_state], outputs, **common)
    notes_btn.click(do_redraft("notes"), [year, owner, section, notes, lang_state], outputs,
                    **{**common, "concurrency_id": "draft", "concurrency_limit": 2})
    write_btn.click(do_redraft("write"), [year, owner, section, notes, lang_state], outputs,
                    api_visibility="private", concurrency_id="draft", concurrency_limit=2)
    done_btn.click(do_done, [year, owner, section, lang_state], outputs, **common)
    ack_btn.click(do_ack, [year, owner, section, finding, reason, lang_state], outputs, **common)
    upload.upload(do_import, [year, owner, section, upload, lang_state], outputs, **common)

    def pick_section(y, choice, title, request: gr.Request):
        return section_view(load(y, choice, request), title)

    section.input(pick_section, [year, owner, section], [preview, text, notes, citations], api_visibility="private")

    def pick_finding(y, choice, key, lang, request: gr.Request):
        return finding_details(load(y, choice, request), key, lang)

    finding.input(pick_finding, [year, owner, finding, lang_state], [details], api_visibility="private")

    def on_load() -> Any:
        years = report_years(services)
        return gr.update(value=years[0] + 1) if years else gr.skip()

    return {"load": (on_load, [], [year])}
