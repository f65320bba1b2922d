"""知识库 Knowledge: upload files, ingest with progress, list, delete and re-index documents (admins);
preview the chunks the index holds for a document (admins and staff: why an answer cites what it cites)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from assistant.ui.common import UIContext
from assistant.ui.i18n import TYPE_KEY, t
from assistant.ui.uploads import SUPPORTED_SUFFIXES, UploadRejected, save_upload

FOLDER_CHOICES = [("kb.folder_auto", ""), ("kb.folder_reports", "reports"), ("kb.folder_regulations", "regulations")]
_STATUS = {"indexed": ("已索引", "indexed"), "failed": ("失败", "failed")}


def documents_frame(documents: list, lang: str) -> pd.DataFrame:
    en = lang == "en"
    cols = (["File", "Type", "Year", "Chunks", "Status", "Reason", "Updated"] if en
            else ["文件", "类型", "年份", "片段数", "状态", "失败原因", "更新时间"])
    rows = []
    for d in documents:
        kind = t(TYPE_KEY + (d.doc_type or ""), lang) if d.doc_type else ""
        status = _STATUS.get(d.status, (d.status, d.status))[1 if en else 0]
        when = dt.datetime.fromtimestamp(d.updated_at).strftime("%Y-%m-%d %H:%M") if d.updated_at else ""
        reason = "；".join(x for x in (d.error, f"⚠ {d.warnings}" if d.warnings else None) if x)
        rows.append([d.source, kind, "" if d.year is None else str(d.year), d.chunk_count, status, reason, when])
    return pd.DataFrame(rows, columns=cols)


def chunks_frame(chunks: list, lang: str, min_confidence: float = 0.8) -> pd.DataFrame:
    """One row per chunk: ordinal, section path, page, type, year, OCR confidence, text."""
    en = lang == "en"
    cols = (["#", "Section", "Page", "Type", "Year", "OCR confidence", "Text"] if en
            else ["序号", "章节", "页", "类型", "年份", "OCR 置信度", "内容"])
    rows = []
    for c in chunks:
        kind = t(TYPE_KEY + c.doc_type, lang) if c.doc_type else ""
        score = "" if c.ocr_confidence is None else f"{c.ocr_confidence:.2f}" + (
            " ⚠" if c.ocr_confidence < min_confidence else "")
        rows.append([c.ordinal, c.section, "" if c.page is None else str(c.page), kind,
                     "" if c.year is None else str(c.year), score, c.text])
    return pd.DataFrame(rows, columns=cols)


def report_text(report: Any, saved: list[str], rejected: list[str], lang: str) -> str:
    en = lang == "en"
    lines = []
    if saved:
        lines.append(("Saved: " if en else "已保存：") + "、".join(saved))
    lines += [("Rejected " if en else "已拒绝 ") + r for r in rejected]
    if report is not None:
        warnings = getattr(report, "warnings", {}) or {}
        lines.append((f"Added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
                      f"removed {len(report.removed)}, failed {len(report.failed)}; {report.chunks} chunks in "
                      f"{report.seconds:.1f}s") if en else
                     (f"新增 {len(report.added)}，更新 {len(report.updated)}，未变 {len(report.unchanged)}，"
                      f"删除 {len(report.removed)}，失败 {len(report.failed)}；索引 {report.chunks} 个片段，"
                      f"用时 {report.seconds:.1f} 秒"))
        lines += [("Failed " if en else "失败 ") + f"{s}: {r}" for s, r in report.failed.items()]
        lines += [("Partly indexed " if en else "部分未索引 ") + f"{s}: {'；'.join(r)}" for s, r in warnings.items()]
    return "\n\n".join(lines)


def build(ctx: UIContext, lang_state: gr.State) -> dict[str, Any]:
    L = ctx.labels
    settings = ctx.services.settings
    admin_area = gr.Column(visible=True, elem_id="kb-admin")
    with admin_area, gr.Row(equal_height=False):
        with gr.Column(scale=2):
            files = L(gr.File(label=t("kb.upload"), file_count="multiple", type="filepath", elem_id="kb-upload",
                              file_types=list(SUPPORTED_SUFFIXES)), label="kb.upload")
            limits = gr.Markdown(t("kb.limits", types=" ".join(SUPPORTED_SUFFIXES), mb=settings.max_upload_mb))
            folder = L(gr.Radio(choices=[(t(k), v) for k, v in FOLDER_CHOICES], value="", label=t("kb.folder"),
                                elem_id="kb-folder"), label="kb.folder", choices=FOLDER_CHOICES)
            save = L(gr.Button(t("kb.save"), variant="primary", elem_id="kb-save"), value="kb.save")
            with gr.Row():
                sync = L(gr.Button(t("kb.ingest"), size="sm", elem_id="kb-sync"), value="kb.ingest")
                rebuild = L(gr.Button(t("kb.rebuild"), size="sm", variant="stop", elem_id="kb-rebuild"), value="kb.rebuild")
            log = gr.Markdown(elem_id="kb-log")
        with gr.Column(scale=3):
            table = L(gr.Dataframe(value=documents_frame([], "zh"), label=t("kb.documents"), interactive=False,
                                   wrap=True, elem_id="kb-documents",
                                   column_widths=["34%", "10%", "7%", "8%", "9%", "18%", "14%"]), label="kb.documents")
            with gr.Row():
                selected = L(gr.Dropdown(choices=[], label=t("kb.selected"), scale=3, elem_id="kb-selected"),
                             label="kb.selected")
                refresh = L(gr.Button(t("kb.refresh"), size="sm", scale=1, elem_id="kb-refresh"), value="kb.refresh")
            with gr.Row():
                reindex = L(gr.Button(t("kb.reindex"), size="sm", elem_id="kb-reindex"), value="kb.reindex")
                delete = L(gr.Button(t("kb.delete"), size="sm", variant="stop", elem_id="kb-delete"), value="kb.delete")

    events: list[Any] = []

    def listing(lang: str) -> tuple:
        documents = ctx.services.indexer.catalog.documents()
        return documents_frame(documents, lang), gr.update(choices=[d.source for d in documents], value=None)

    L(gr.Markdown("### " + t("kb.preview")), value=("### ", "kb.preview"))
    preview_doc = L(gr.Dropdown(choices=[], label=t("kb.preview_doc"), elem_id="kb-preview-doc"), label="kb.preview_doc")
    preview = gr.Dataframe(value=chunks_frame([], "zh"), interactive=False, wrap=True, elem_id="kb-chunks",
                           column_widths=["6%", "22%", "5%", "8%", "6%", "9%", "44%"])

    def run_ingest(rebuild_all: bool, progress: gr.Progress) -> Any:
        progress(0, desc="…")
        state = {"done": 0, "total": 0}

        def step(source: str, done: int, total: int) -> None:
            state.update(done=done, total=total)
            progress((done, total) if total else 0, desc=source, unit="files")

        def page_step(source: str, page: int, pages: int) -> None:  # OCR makes one file's pages slow
            done, total = state["done"], state["total"]
            share = (done + page / max(1, pages)) / total if total else 0
            progress(share, desc=f"{source} · 第 {page}/{pages} 页 (page {page}/{pages})")

        return ctx.services.ingest(rebuild=rebuild_all, progress=step, page_progress=page_step)

    def upload(paths: list[str] | None, where: str, lang: str, request: gr.Request,
               progress: gr.Progress = gr.Progress()) -> tuple:
        ctx.require_admin(request)
        saved, rejected = [], []
        for p in paths or []:
            name = Path(p).name
            try:
                saved.append(save_upload(Path(p), name, settings.knowledge_dir, where or "", settings.max_upload_mb))
            except (UploadRejected, OSError) as exc:
                rejected.append(f"{name}: {exc}")
        report = run_ingest(False, progress) if saved else None
        return (report_text(report, saved, rejected, lang), *listing(lang), None)

    events.append(save.click(upload, [files, folder, lang_state], [log, table, selected, files], api_visibility="private",
               concurrency_id="ingest", concurrency_limit=1))

    def sync_all(lang: str, request: gr.Request, progress: gr.Progress = gr.Progress()) -> tuple:
        ctx.require_admin(request)
        return (report_text(run_ingest(False, progress), [], [], lang), *listing(lang))

    def rebuild_all(lang: str, request: gr.Request, progress: gr.Progress = gr.Progress()) -> tuple:
        ctx.require_admin(request)
        return (report_text(run_ingest(True, progress), [], [], lang), *listing(lang))

    events.append(sync.click(sync_all, [lang_state], [log, table, selected], api_visibility="private", concurrency_id="ingest",
               concurrency_limit=1))
    events.append(rebuild.click(rebuild_all, [lang_state], [log, table, selected], api_visibility="private",
                  concurrency_id="ingest", concurrency_limit=1))

    def remove(source: str | None, lang: str, request: gr.Request) -> tuple:
        ctx.require_admin(request)
        if not source:
            return gr.skip(), gr.skip(), gr.skip()
        try:
            ctx.services.remove_document(source)
        except ValueError as exc:
            raise gr.Error(str(exc)) from None
        return (("Deleted: " if lang == "en" else "已删除：") + source, *listing(lang))

    events.append(delete.click(remove, [selected, lang_state], [log, table, selected], api_visibility="private",
                 concurrency_id="ingest", concurrency_limit=1))

    def reindex_one(source: str | None, lang: str, request: gr.Request, progress: gr.Progress = gr.Progress()) -> tuple:
        ctx.require_admin(request)
        if not source:
            return gr.skip(), gr.skip(), gr.skip()
        report = ctx.services.reindex_document(source)
        return (report_text(report, [], [], lang), *listing(lang))

    events.append(reindex.click(reindex_one, [selected, lang_state], [log, table, selected], api_visibility="private",
                  concurrency_id="ingest", concurrency_limit=1))

    def on_refresh(lang: str, request: gr.Request) -> tuple:
        ctx.require_admin(request)
        return listing(lang)

    refresh.click(on_refresh, [lang_state], [table, selected], api_visibility="private")
    def relabel(lang: str, request: gr.Request) -> Any:
        return listing(lang)[0] if ctx.is_admin(request) else gr.skip()

    lang_state.change(relabel, [lang_state], [table], api_visibility="private", queue=False)

    def on_load(request: gr.Request) -> tuple:
        if not ctx.is_admin(request):
            return gr.skip(), gr.skip()
        return listing("zh")

    def preview_documents(request: gr.Request) -> Any:
        ctx.user(request)  # signed in (or single-user mode): staff may look, not change
        indexed = [d.source for d in ctx.services.indexer.catalog.documents() if d.status == "indexed"]
        return gr.update(choices=indexed, value=None)

    def show_chunks(source: str | None, lang: str, request: gr.Request) -> Any:
        ctx.user(request)
        if not source:
            return chunks_frame([], lang)
        return chunks_frame(ctx.services.chunks(source), lang, settings.ocr_min_confidence)

    preview_doc.change(show_chunks, [preview_doc, lang_state], [preview], api_visibility="private")
    for event in events:  # after an upload, sync, rebuild, delete or re-index the picker lists what is indexed
        event.then(preview_documents, [], [preview_doc], api_visibility="private")
    lang_state.change(show_chunks, [preview_doc, lang_state], [preview], api_visibility="private")
    return {"load": (on_load, [], [table, selected]), "preview_load": (preview_documents, [], [preview_doc]),
            "limits": limits, "admin_area": admin_area}
