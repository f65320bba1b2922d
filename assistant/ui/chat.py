"""对话 Chat: streamed answers with clickable [n] citations, filters, and per-user conversation history."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.citations import Citation
from assistant.domain import doctypes
from assistant.ingest.ocr import low_confidence_note
from assistant.text.markup import MARKER
from assistant.ui.common import UIContext, citation_labels, esc, report_years, year_value
from assistant.ui.i18n import TYPE_KEY, t


def doc_type_choices() -> list[tuple[str, str]]:
    """(text key, value) of the document-type filter: all, then every registered type."""
    return [("chat.all", "all"), *((TYPE_KEY + type_id, type_id) for type_id in doctypes.ids())]


# ---- rendering -------------------------------------------------------------------------------------


def cite_id(turn: int, n: int) -> str:
    return f"cite-{turn}-{n}"


def render_answer(text: str, meta: dict, turn: int, lang: str) -> str:
    """An assistant message for the chat: [n] markers become links to the citations panel, unverified
    figures a warning line under the answer."""
    if meta.get("error"):
        return t("chat.error", lang) + text
    numbers = {int(c["n"]) for c in meta.get("citations") or [] if "n" in c}

    def link(m: re.Match) -> str:
        n = int(m.group(1))
        if n not in numbers:
            return m.group(0)
        return f'<a href="#{cite_id(turn, n)}" class="cite-ref" data-cite="{cite_id(turn, n)}">[{n}]</a>'

    out = MARKER.sub(link, text)
    if meta.get("unsupported_numbers"):
        out += "\n\n> " + t("chat.unsupported", lang) + "、".join(esc(x) for x in meta["unsupported_numbers"])
    return out


def render_messages(raw: list[dict], lang: str) -> list[dict]:
    """Chatbot messages (Gradio "messages" format) from the stored ones."""
    out, turn = [], 0
    for m in raw:
        if m["role"] == "assistant":
            turn += 1
            out.append({"role": "assistant", "content": render_answer(m["content"], m.get("meta") or {}, turn, lang)})
        else:
            out.append({"role": "user", "content": m["content"]})
    return out


def render_citations(raw: list[dict], lang: str, min_confidence: float = 0.8) -> str:
    """The citations panel: every cited passage of the conversation, newest answer first; OCR text
    scoring below ``min_confidence`` is marked as such."""
    blocks, turn = [], 0
    for m in raw:
        if m["role"] != "assistant":
            continue
        turn += 1
        citations = (m.get("meta") or {}).get("citations") or []
        if not citations:
            continue
        labels = citation_labels(lang)
        items = []
        for c in citations:
            note = c.get("note") or low_confidence_note(c.get("ocr_confidence"), min_confidence)
            items.append(Citation.from_dict({**c, **({"note": note} if note else {})}).to_html(cite_id(turn, int(c["n"])),
                                                                                              labels))
        blocks.append(f'<div class="citation-turn"><h4>{t("chat.answer_n", lang, n=turn)}</h4>{"".join(items)}</div>')
    if not blocks:
        return f'<div class="citations-empty">{t("chat.citations_empty", lang)}</div>'
    return "".join(reversed(blocks))


def _conversation_choices(ctx: UIContext, user: str) -> list[tuple[str, str]]:
    out = []
    for c in ctx.store.list(user):
        when = dt.datetime.fromtimestamp(c.updated_at).strftime("%m-%d %H:%M")
        out.append((f"{c.title}  ·  {when}", c.id))
    return out


def _chain_history(raw: list[dict]) -> list[dict]:
    return [{"role": m["role"], "content": m["content"]} for m in raw if not (m.get("meta") or {}).get("error")]


# ---- page --------------------------------------------------------------------------------------


def build(ctx: UIContext, lang_state: gr.State) -> dict[str, Any]:
    L = ctx.labels
    threshold = ctx.services.settings.ocr_min_confidence
    conv_id = gr.State(None)
    raw = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=1, min_width=200):
            new_btn = L(gr.Button(t("chat.new"), variant="secondary", elem_id="new-conversation"), value="chat.new")
            conversations = L(gr.Radio(choices=[], label=t("chat.conversations"), elem_id="conversations"),
                              label="chat.conversations")
            delete_btn = L(gr.Button(t("chat.delete"), size="sm", variant="stop", elem_id="delete-conversation"),
                           value="chat.delete")
            export_docx = L(gr.DownloadButton(t("chat.export_docx"), size="sm", visible=False, elem_id="export-docx"),
                            label="chat.export_docx")
            export_md = L(gr.DownloadButton(t("chat.export_md"), size="sm", visible=False, elem_id="export-md"),
                          label="chat.export_md")
        with gr.Column(scale=3, min_width=360):
            with gr.Row():
                year = L(gr.Dropdown(choices=[("全部 All", "all")], value="all", label=t("chat.year"),
                                     elem_id="chat-year"), label="chat.year")
                type_choices = doc_type_choices()
                doc_type = L(gr.Dropdown(choices=[(t(k), v) for k, v in type_choices], value="all",
                                         label=t("chat.doc_type"), elem_id="chat-doc-type"),
                             label="chat.doc_type", choices=type_choices)
            chatbot = L(gr.Chatbot(label=t("chat.chatbot"), elem_id="chatbot", height=460, buttons=["copy"],
                                   feedback_options=None), label="chat.chatbot")
            with gr.Row():
                question = L(gr.Textbox(label=t("chat.question"), placeholder=t("chat.placeholder"), lines=1,
                                        scale=5, elem_id="question", autofocus=True),
                             label="chat.question", placeholder="chat.placeholder")
                send = L(gr.Button(t("chat.send"), variant="primary", scale=1, elem_id="send"), value="chat.send")
        with gr.Column(scale=2, min_width=280):
            L(gr.Markdown("### " + t("chat.citations")), value=("### ", "chat.citations"))
            citations = gr.HTML(render_citations([], "zh"), elem_id="citations")

    def ask(text: str, messages: list[dict], current: str | None, year_choice: str, type_choice: str, lang: str,
            request: gr.Request) -> Iterator[tuple]:
        text = (text or "").strip()
        user = ctx.user(request)
        if not text:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        new = current is None
        if new:
            current = ctx.store.create(user, text)
        history = _chain_history(messages)
        ctx.store.append(user, current, "user", text)
        messages = [*messages, {"role": "user", "content": text, "meta": {}}]
        shown = render_messages(messages, lang)
        listing = gr.update(choices=_conversation_choices(ctx, user), value=current) if new else gr.skip()
        yield shown + [{"role": "assistant", "content": t("chat.thinking", lang)}], "", current, messages, gr.skip(), listing

        streamed, content, meta = "", "", {}
        try:
            for event in ctx.services.answer_chain.stream(text, history, year_value(year_choice),
                                                          None if type_choice in (None, "", "all") else type_choice):
                if event.kind == "token":
                    streamed += event.text
                elif event.kind == "reset":
                    streamed = ""
                elif event.kind == "final" and event.answer is not None:
                    a = event.answer
                    content = a.answer
                    meta = {"citations": a.citations, "unsupported_numbers": a.unsupported_numbers,
                            "not_found": a.not_found, "standalone_question": a.standalone_question}
                    break
                elif event.kind == "error":
                    content, meta = event.error or "error", {"error": True}
                    break
                else:
                    continue
                yield (shown + [{"role": "assistant", "content": streamed or t("chat.thinking", lang)}],
                       gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip())
        except Exception as exc:  # retrieval or model failure not turned into an error event
            content, meta = f"{type(exc).__name__}: {exc}", {"error": True}
        if not content and not meta:
            content, meta = streamed, {}
        ctx.store.append(user, current, "assistant", content, meta)
        messages = [*messages, {"role": "assistant", "content": content, "meta": meta}]
        yield (render_messages(messages, lang), gr.skip(), current, messages, render_citations(messages, lang, threshold),
               gr.update(choices=_conversation_choices(ctx, user), value=current))

    def exports(current: str | None, request: gr.Request) -> tuple:
        """The conversation as .docx and .md downloads (hidden without a conversation)."""
        if not current:
            return gr.update(visible=False), gr.update(visible=False)
        try:
            conv = ctx.store.load(ctx.user(request), current)
        except KeyError:
            return gr.update(visible=False), gr.update(visible=False)
        from assistant.report.conversation_export import conversation_docx, conversation_markdown, export_name

        folder = Path(tempfile.mkdtemp(prefix="conversation-"))
        docx_path = conversation_docx(conv, folder / export_name(conv, "docx"))
        md_path = folder / export_name(conv, "md")
        md_path.write_text(conversation_markdown(conv), encoding="utf-8")
        return gr.update(value=str(docx_path), visible=True), gr.update(value=str(md_path), visible=True)

    outputs = [chatbot, question, conv_id, raw, citations, conversations]
    inputs = [question, raw, conv_id, year, doc_type, lang_state]
    for trigger in (question.submit, send.click):
        trigger(ask, inputs, outputs, api_visibility="private", concurrency_id="chat", show_progress="minimal").then(
            exports, [conv_id], [export_docx, export_md], api_visibility="private")

    def new_conversation(lang: str) -> tuple:
        return [], None, [], render_citations([], lang, threshold), gr.update(value=None), ""

    new_btn.click(new_conversation, [lang_state], [chatbot, conv_id, raw, citations, conversations, question],
                  api_visibility="private", queue=False).then(exports, [conv_id], [export_docx, export_md],
                                                              api_visibility="private")

    def open_conversation(selected: str | None, lang: str, request: gr.Request) -> tuple:
        if not selected:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        try:
            conv = ctx.store.load(ctx.user(request), selected)
        except KeyError:
            raise gr.Error("对话不存在 (no such conversation)") from None
        messages = [{"role": m.role, "content": m.content, "meta": m.meta} for m in conv.messages]
        return render_messages(messages, lang), conv.id, messages, render_citations(messages, lang, threshold)

    conversations.input(open_conversation, [conversations, lang_state], [chatbot, conv_id, raw, citations],
                        api_visibility="private").then(exports, [conv_id], [export_docx, export_md],
                                                       api_visibility="private")

    def delete_conversation(current: str | None, lang: str, request: gr.Request) -> tuple:
        user = ctx.user(request)
        if current:
            try:
                ctx.store.delete(user, current)
            except KeyError:
                pass
        return ([], None, [], render_citations([], lang, threshold),
                gr.update(choices=_conversation_choices(ctx, user), value=None))

    delete_btn.click(delete_conversation, [conv_id, lang_state], [chatbot, conv_id, raw, citations, conversations],
                     api_visibility="private").then(exports, [conv_id], [export_docx, export_md], api_visibility="private")

    def rerender(messages: list[dict], lang: str) -> tuple:
        return render_messages(messages, lang), render_citations(messages, lang, threshold)

    lang_state.change(rerender, [raw, lang_state], [chatbot, citations], api_visibility="private", queue=False)

    def on_load(request: gr.Request) -> tuple:
        user = ctx.user(request)
        years = [("全部 All", "all")] + [(str(y), str(y)) for y in report_years(ctx.services)]
        return gr.update(choices=_conversation_choices(ctx, user), value=None), gr.update(choices=years)

    return {"load": (on_load, [], [conversations, year])}
