"""起草 Draft: one report section from notes — last year's text updated and a new sentence per other
note (the default), last year's text updated only, or written whole by the model. Each sentence of
the result shows where it came from (a tag and a tooltip: carried from the prior report, figure
updated from note n, written from note n, carried over from last year)."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.text.markup import HIGHLIGHT, MARKER, PLACEHOLDER
from assistant.ui import backend
from assistant.ui.check import findings_frame
from assistant.citations import Citation
from assistant.drafting.provenance import describe_note
from assistant.ui.common import UIContext, citation_labels, esc, report_years, year_value
from assistant.ui.i18n import t

SECTIONS = ["办学基本情况", "学生培养", "师资建设", "教学组织", "教学质量监控", "项目管理", "财务状况", "社会评价", "办学特色"]
"""The nine standard sections (the same list as ``assistant.drafting.SECTIONS``)."""
MODES = [("draft.mode_notes", "notes"), ("draft.update", "update"), ("draft.write", "write")]
TAGS = {"written": "新写·材料{notes}", "updated": "更新·材料{notes}", "carried_over": "沿用{year}·请确认"}
"""The visible tag after a sentence of each provenance kind (carried sentences have their [n])."""


def _marks(text: str, numbers: set[int]) -> str:
    out = esc(text)
    out = HIGHLIGHT.sub(lambda m: f'<mark class="stale">{m.group(1)}</mark>', out)
    out = PLACEHOLDER.sub(lambda m: f'<mark class="placeholder">{m.group(0)}</mark>', out)
    return MARKER.sub(lambda m: (f'<a href="#draft-cite-{m.group(1)}" class="cite-ref">[{m.group(1)}]</a>'
                                 if int(m.group(1)) in numbers else m.group(0)), out)


def _sentence_spans(text: str, provenance: list[dict]) -> list[tuple[int, int, dict]]:
    """Where each provenance entry's sentence lies in ``text`` (in order; entries not found skipped)."""
    spans, cursor = [], 0
    for entry in provenance or []:
        sentence = entry.get("sentence") or ""
        at = text.find(sentence, cursor) if sentence else -1
        if at < 0:
            continue
        spans.append((at, at + len(sentence), entry))
        cursor = at + len(sentence)
    return spans


def highlight(text: str, citations: list[dict], provenance: list[dict] | None = None) -> str:
    """The draft (Markdown) for display: figures not updated since last year (``==…==``) and
    placeholders (【待补充：…】) marked, [n] markers linked to the citations below, and each sentence
    of ``provenance`` in a span whose tooltip says where it came from (new, updated and carried-over
    sentences also get a visible tag)."""
    numbers = {int(c["n"]) for c in citations or [] if str(c.get("n", "")).isdigit()}
    out, pos = [], 0
    for a, b, entry in _sentence_spans(text, provenance or []):
        kind = re.sub(r"[^a-z_]", "", str(entry.get("kind", "")))
        title = esc(str(entry.get("label", "")))
        out.append(_marks(text[pos:a], numbers))
        out.append(f'<span class="prov prov-{kind}" title="{title}">{_marks(text[a:b], numbers)}</span>')
        if kind in TAGS:
            tag = TAGS[kind].format(notes="、".join(str(n) for n in entry.get("notes") or []),
                                    year=entry.get("year") or "往年")
            out.append(f'<sup class="prov-tag prov-{kind}" title="{title}">{esc(tag)}</sup>')
        pos = b
    out.append(_marks(text[pos:], numbers))
    return "".join(out)


def citations_html(citations: list[dict], lang: str) -> str:
    """The draft's citations panel: the same entries as the chat's, anchored ``draft-cite-<n>``."""
    labels = citation_labels(lang)
    return "".join(Citation.from_dict(c).to_html(f"draft-cite-{c.get('n')}", labels) for c in citations or [])


def build(ctx: UIContext, lang_state: gr.State) -> dict[str, Any]:
    L = ctx.labels
    with gr.Row(equal_height=False):
        with gr.Column(scale=2):
            section = L(gr.Dropdown(choices=SECTIONS, value=SECTIONS[0], allow_custom_value=True, label=t("draft.section"),
                                    info=t("draft.section_info"), elem_id="draft-section"),
                        label="draft.section", info="draft.section_info")
            with gr.Row():
                year = L(gr.Number(label=t("draft.year"), value=dt.date.today().year - 1, precision=0, minimum=2000,
                                   maximum=2100, elem_id="draft-year"), label="draft.year")
                mode = L(gr.Radio(choices=[(t(k), v) for k, v in MODES], value="notes", label=t("draft.mode"),
                                  elem_id="draft-mode"), label="draft.mode", choices=MODES)
            notes = L(gr.Textbox(label=t("draft.notes"), placeholder=t("draft.notes_placeholder"), lines=8,
                                 elem_id="draft-notes"), label="draft.notes", placeholder="draft.notes_placeholder")
            table = L(gr.File(label=t("draft.table"), file_types=[".md", ".csv", ".xlsx"], type="filepath",
                              elem_id="draft-table"), label="draft.table")
            run = L(gr.Button(t("draft.run"), variant="primary", elem_id="draft-run"),
                    value="draft.run")
        with gr.Column(scale=3):
            L(gr.Markdown(t("draft.legend"), elem_id="draft-legend"), value="draft.legend")
            result = gr.Markdown(elem_id="draft-result", sanitize_html=True)
            status = gr.Markdown(elem_id="draft-status")
            download = L(gr.DownloadButton(t("draft.download"), visible=False, elem_id="draft-download"), label="draft.download")
            L(gr.Markdown("#### " + t("draft.citations")), value=("#### ", "draft.citations"))
            citations = gr.HTML(elem_id="draft-citations")
            findings = L(gr.Dataframe(label=t("draft.findings"), interactive=False, wrap=True,
                                      value=findings_frame([], "zh"), elem_id="draft-findings"), label="draft.findings")

    def write(section_name: str, report_year: float | None, how: str, note_text: str, table_path: str | None,
              lang: str) -> Iterator[tuple]:
        if not (section_name or "").strip():
            raise gr.Error("请选择或输入章节 (pick a section)")
        y = year_value(report_year) or dt.date.today().year
        progress: dict[str, Any] = {"text": ""}

        def run_draft() -> None:
            try:
                progress["out"] = backend.draft(ctx.services, section_name.strip(), y, note_text or "", how or "notes",
                                                Path(table_path) if table_path else None,
                                                on_text=lambda text: progress.__setitem__("text", text))
            except Exception as exc:  # ModelUnavailable, bad tables: readable messages
                progress["error"] = str(exc)

        worker = threading.Thread(target=run_draft, daemon=True)
        worker.start()
        shown = ""
        while worker.is_alive():  # the model's text as it writes (write mode on a CPU model takes minutes)
            worker.join(0.5)
            if progress["text"] != shown:
                shown = progress["text"]
                yield (esc(shown), t("draft.writing", lang), gr.skip(), gr.skip(), gr.skip())
        if "error" in progress:
            raise gr.Error(progress["error"])
        out = progress["out"]
        lines = []
        if out.get("notice"):
            lines.append(esc(out["notice"]))
        if out.get("notes"):
            lines.append(t("draft.notes_used", lang) + "<br>" + "<br>".join(
                esc(describe_note(n)) + f" 「{esc(n['text'][:40])}」" for n in out["notes"]))
        if out.get("carried_over"):
            lines.append(t("draft.carried_over", lang) + "；".join(
                f'<span class="prov prov-carried_over">{esc(c["sentence"][:60])}</span>' for c in out["carried_over"]))
        if out["placeholders"]:
            lines.append(t("draft.placeholders", lang) + "；".join(
                f'<mark class="placeholder">{esc(backend.describe_item(p))}</mark>' for p in out["placeholders"]))
        if out["not_updated"]:
            lines.append(t("draft.not_updated", lang) + "；".join(
                f'<mark class="stale">{esc(backend.describe_item(x))}</mark>' for x in out["not_updated"]))
        docx_path = None
        if out.get("docx"):
            folder = Path(tempfile.mkdtemp(prefix="draft-"))
            stem = re.sub(r"[^\w\u4e00-\u9fff]+", "_", section_name)[:40]
            docx_path = folder / f"{y}_{stem}.docx"
            docx_path.write_bytes(out["docx"])
        yield (highlight(out["text"], out["citations"], out.get("provenance")), "\n\n".join(lines),
               citations_html(out["citations"], lang),
               findings_frame(out["findings"], lang),
               gr.update(value=str(docx_path), visible=True) if docx_path else gr.update(visible=False))

    run.click(write, [section, year, mode, notes, table, lang_state], [result, status, citations, findings, download],
              api_visibility="private", concurrency_id="draft", concurrency_limit=2)

    def on_load() -> Any:
        years = report_years(ctx.services)
        return gr.update(value=years[0] + 1) if years else gr.skip()

    return {"load": (on_load, [], [year])}
