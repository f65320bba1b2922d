"""The web interface (Gradio): one module per page, all calls through :class:`assistant.services.Services`.

``build_app(services)`` returns the ``gr.Blocks``; ``launch_options()`` the CSS/JS/head to pass to
``launch`` (Gradio 6 takes them there). ``app.py`` is the entry point.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from assistant import users
from assistant.history import ConversationStore
from assistant.services import Services
from assistant.ui import backend, chat, check, draft, knowledge, report, settings_page
from assistant.ui.common import UIContext
from assistant.ui.i18n import LANGUAGES, t

__all__ = ["build_app", "launch_options"]

CSS = """
#citations .citation, #draft-citations .citation { border: 1px solid var(--border-color-primary); border-radius: 6px;
  padding: 4px 8px; margin: 4px 0; }
#citations .citation[open], .citation.flash { background: var(--color-accent-soft); }
#citations blockquote, #draft-citations blockquote { margin: 6px 0; padding-left: 8px;
  border-left: 3px solid var(--color-accent); white-space: pre-wrap; }
#citations dl, #draft-citations dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 8px; margin: 4px 0;
  font-size: 0.9em; }
#citations dt, #draft-citations dt { font-weight: 600; }
#citations dd, #draft-citations dd { margin: 0; }
#citations h4 { margin: 8px 0 2px; }
a.cite-ref { text-decoration: none; font-weight: 600; cursor: pointer; }
mark.placeholder, span.placeholder { background: #fde68a; color: #78350f; }
mark.stale, span.stale { background: #fecaca; color: #7f1d1d; }
.draft-text { line-height: 1.8; }
.prov-written { background: #dbeafe; border-bottom: 2px solid #2563eb; }
.prov-carried_over { background: #f3e8ff; border-bottom: 2px dashed #7e22ce; }
.prov-updated { border-bottom: 1px dotted #15803d; }
sup.prov-tag { font-size: 0.75em; color: #1e3a8a; margin-left: 2px; white-space: nowrap; }
sup.prov-tag.prov-carried_over { color: #6b21a8; background: none; border: none; }
sup.prov-tag.prov-written, sup.prov-tag.prov-updated { background: none; border: none; }
#app-header { align-items: center; }
#user-line { text-align: right; }
.ocr-note { color: #92400e; background: #fef3c7; border-radius: 4px; padding: 2px 6px; margin: 4px 0; font-size: 0.9em; }
"""

# Clicking a [n] marker in an answer opens that passage in the citations panel (no navigation).
JS = """
() => {
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a.cite-ref, a[href^="#cite-"], a[href^="#draft-cite-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const id = link.dataset.cite || link.getAttribute('href').slice(1);
    const target = document.getElementById(id);
    if (!target) return;
    const panel = target.parentElement;
    panel.querySelectorAll('details.citation[open]').forEach((d) => { if (d !== target) d.open = false; });
    target.open = true;
    target.classList.add('flash');
    setTimeout(() => target.classList.remove('flash'), 1500);
    target.scrollIntoView({behavior: 'smooth', block: 'nearest'});
  }, true);
}
"""


def launch_options() -> dict[str, Any]:
    return {"css": CSS, "js": JS, "theme": gr.themes.Soft()}


def _register_api(ctx: UIContext) -> None:
    services = ctx.services

    def ask(question: str, year: int | None = None, doc_type: str | None = None) -> dict:
        """Answer a question from the knowledge base: answer, citations, unsupported_numbers, not_found."""
        final: dict = {}
        for event in services.answer_chain.stream(question, [], year, doc_type or None):
            if event.kind == "final" and event.answer is not None:
                final = event.answer.to_json()
            elif event.kind == "error":
                final = {"question": question, "error": event.error}
        return final

    def check_figures(draft_text: str, year: int) -> dict:
        """Figure check of a draft of report ``year``: findings and the flagged metrics over the years."""
        return backend.check(services, draft_text, int(year))

    def figures(metric: str = "") -> dict:
        """Year-over-year values of the metrics whose name contains or resembles ``metric``."""
        return backend.figures(services, metric or None)

    def documents() -> list[dict]:
        """The indexed documents with type, year, chunk count and status."""
        return [{"source": d.source, "doc_type": d.doc_type, "year": d.year, "title": d.title, "status": d.status,
                 "error": d.error, "chunk_count": d.chunk_count} for d in services.indexer.catalog.documents()]

    def status() -> dict:
        """Active model (never the key), vector store and index size."""
        return services.status()

    def draft_section(section: str, year: int, notes: str = "", mode: str = "notes") -> dict:
        """Draft one report section: text, citations, placeholders, not_updated, findings, notes,
        provenance."""
        out = backend.draft(services, section, int(year), notes, mode, None)
        out.pop("docx", None)
        return out

    gr.api(ask, api_name="ask", concurrency_id="chat")
    gr.api(draft_section, api_name="draft", concurrency_id="draft", concurrency_limit=2)
    gr.api(check_figures, api_name="check", concurrency_id="check")
    gr.api(figures, api_name="figures", concurrency_id="check")
    gr.api(documents, api_name="documents", queue=False)
    gr.api(status, api_name="status", queue=False)


def build_app(services: Services, *, login: bool | None = None, users_file: Path | None = None) -> gr.Blocks:
    """The whole interface. ``login`` defaults to "a users file with at least one user exists"."""
    users_file = users_file or users.users_path(services.settings)
    if login is None:
        login = users.login_enabled(users_file)
    ctx = UIContext(services, ConversationStore.for_data_dir(services.settings.data_dir), users_file, login)
    L = ctx.labels

    with gr.Blocks(title=t("app.title")) as demo:
        _register_api(ctx)  # first, so the named endpoints keep their plain names (/ask, /check, …)
        lang = gr.State("zh")
        with gr.Row(elem_id="app-header"):
            L(gr.Markdown("## " + t("app.title")), value=("## ", "app.title"))
            user_line = gr.Markdown(elem_id="user-line")
            language = L(gr.Radio(LANGUAGES, value="zh", label=t("app.language"), elem_id="language", scale=0,
                                  min_width=200), label="app.language")
        L(gr.Markdown(t("app.single_user"), visible=not login, elem_id="single-user-notice"),
                   value="app.single_user")
        loads = []
        with gr.Tabs(elem_id="pages"):
            with L(gr.Tab(t("tab.chat"), id="chat", elem_id="tab-chat"), label="tab.chat"):
                loads.append(chat.build(ctx, lang)["load"])
            with L(gr.Tab(t("tab.draft"), id="draft", elem_id="tab-draft"), label="tab.draft"):
                loads.append(draft.build(ctx, lang)["load"])
            with L(gr.Tab(t("tab.report"), id="report", elem_id="tab-report"), label="tab.report"):
                loads.append(report.build(ctx, lang)["load"])
            with L(gr.Tab(t("tab.check"), id="check", elem_id="tab-check"), label="tab.check"):
                loads.append(check.build(ctx, lang)["load"])
            with L(gr.Tab(t("tab.knowledge"), id="knowledge", elem_id="tab-knowledge"), label="tab.knowledge"):
                kb = knowledge.build(ctx, lang)
                loads += [kb["load"], kb["preview_load"]]
            with L(gr.Tab(t("tab.settings"), id="settings", elem_id="tab-settings"), label="tab.settings"):
                loads.append(settings_page.build(ctx, lang)["load"])

        def switch(choice: str) -> tuple:
            return (choice, *L.updates(choice))

        language.change(switch, [language], [lang, *L.components], api_visibility="private", queue=False)

        def header(request: gr.Request) -> tuple:
            if not login:
                return "", gr.skip()
            name = ctx.user(request)
            admin = ctx.is_admin(request)
            line = (f"{t('app.signed_in')}**{name}**{' (admin)' if admin else ''} · "
                    f"[{t('app.logout')} / {t('app.logout', 'en')}](/logout)")
            # Staff see the knowledge page's chunk preview only; the handlers check the role anyway.
            return line, gr.skip() if admin else gr.Column(visible=False)

        demo.load(header, None, [user_line, kb["admin_area"]], api_visibility="private")
        for fn, inputs, outputs in loads:
            demo.load(fn, inputs, outputs, api_visibility="private")

    demo.queue(default_concurrency_limit=4, max_size=256)
    return demo
