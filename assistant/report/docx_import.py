"""A reviewed Word file back into the workspace.

* Sections are matched by their top-level heading (``Heading 1`` style, or — in a file without
  heading styles — a short line numbered ``一、``/``一.``), numbering ignored.
* Each section is rebuilt as Markdown: sub-headings, paragraphs, tables; footnote references become
  ``[n]`` again (the stored citation whose text the footnote still has, else a new one from the
  footnote text); a yellow-highlighted run stays marked ``==…==`` only while it is still the figure
  that was not updated (a reviewer who typed a new figure has updated it); tracked insertions are
  taken, tracked deletions dropped.
* Only the paragraphs that changed are re-checked (:func:`assistant.report.review.recheck`);
  unchanged paragraphs keep their findings and acknowledgements.
* Comments are read back with python-docx 1.2 (``document.comments``); replies and "resolved" live
  in ``word/commentsExtended.xml`` (``w15:commentEx`` ``paraId`` / ``paraIdParent`` / ``done``),
  read where present. A comment of ours (it ends with ``编号 key：…``) that a reviewer resolved or
  answered acknowledges that finding (reason: the reply, or "resolved in Word") or, for a figure not
  updated, confirms the figure (its highlight is removed). Reviewers' own comments are kept on the
  section with their anchor text.

Bad input — a file over the upload limit, not a .docx, corrupt, another year's report, no
headings, sections renamed or missing — raises :class:`ImportRejected` with the reason in Chinese
and English; the workspace is changed only after the whole file was read and matched.
"""

from __future__ import annotations

import copy
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

from assistant.text.numbering import style_of
from assistant.text.years import ABOUT_YEAR

from .blocks import comparable
from .docx_export import AUTHOR, KEY_LABEL, MARKER_KEYWORDS, citation_text
from .drafter import HIGHLIGHT, PLACEHOLDER
from .outline import match_title
from .review import ReportEnv, apply_cross, recheck
from .workspace import Workspace

__all__ = ["ImportRejected", "import_docx", "read_docx"]

W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
RT_COMMENTS_EXTENDED = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
_KEY = re.compile(re.escape(KEY_LABEL) + r"\s*([0-9a-f]{12})")


class ImportRejected(ValueError):
    """The file was not imported; ``str(error)`` says why (中文 + English)."""


@dataclass
class _Comment:
    id: int
    author: str
    text: str
    para_id: str | None = None
    parent: int | None = None
    done: bool = False
    section: str | None = None
    anchor: str = ""
    replies: list[dict] = field(default_factory=list)


@dataclass
class ParsedReport:
    year: int | None
    scope: str | None
    declared: list[str]
    sections: list[tuple[str, list]]  # (heading, blocks: ("heading", md) / ("paragraph", _Paragraph) / ("table", rows))
    comments: dict[int, _Comment]
    footnotes: dict[int, str]
    modified_by: str = ""


# ---- reading -------------------------------------------------------------------------------------


def _footnotes(document: Any) -> dict[int, str]:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            element = parse_xml(rel.target_part.blob)
            return {int(n.get(qn("w:id"))): "".join(t.text or "" for t in n.iter(qn("w:t"))).strip()
                    for n in element.findall(qn("w:footnote")) if n.get(qn("w:type")) is None}
    return {}


def _comments(document: Any) -> dict[int, _Comment]:
    from docx.oxml import parse_xml

    out: dict[int, _Comment] = {}
    try:
        comments = list(document.comments)
    except Exception:  # noqa: BLE001 - a file without a comments part
        comments = []
    for c in comments:
        paras = c._comment_elm.findall(qn("w:p"))
        para_id = paras[-1].get(f"{{{W14}}}paraId") if paras else None
        out[c.comment_id] = _Comment(c.comment_id, c.author or "", (c.text or "").strip(), para_id)
    extended = next((r.target_part for r in document.part.rels.values() if r.reltype == RT_COMMENTS_EXTENDED), None)
    if extended is not None and out:
        by_para = {c.para_id: c for c in out.values() if c.para_id}
        for ex in parse_xml(extended.blob).iter(f"{{{W15}}}commentEx"):
            c = by_para.get(ex.get(f"{{{W15}}}paraId"))
            if c is None:
                continue
            c.done = ex.get(f"{{{W15}}}done") in ("1", "true")
            parent = by_para.get(ex.get(f"{{{W15}}}paraIdParent"))
            if parent is not None:
                c.parent = parent.id
    return out


class _Paragraph:
    """One paragraph's Markdown: text, highlighted spans, footnote markers, comment anchors."""

    def __init__(self, element: Any, comments: dict[int, _Comment], section: str | None) -> None:
        self.parts: list[tuple[str, str]] = []  # (kind, text): text / mark / footnote id
        self.open: dict[int, int] = {}
        self.comments, self.section = comments, section
        self._walk(element)

    def _walk(self, element: Any) -> None:
        for child in element:
            tag = child.tag
            if tag == qn("w:r"):
                self._run(child)
            elif tag in (qn("w:ins"), qn("w:hyperlink"), qn("w:smartTag"), qn("w:sdt"), qn("w:sdtContent"),
                         qn("w:customXml")):
                self._walk(child)
            elif tag == qn("w:commentRangeStart"):
                self.open[int(child.get(qn("w:id")))] = len(self.text)
            elif tag == qn("w:commentRangeEnd"):
                cid = int(child.get(qn("w:id")))
                c = self.comments.get(cid)
                if c is not None:
                    c.section = self.section
                    c.anchor = self.text[self.open.get(cid, 0):]

    def _run(self, run: Any) -> None:
        highlight = run.find(f"{qn('w:rPr')}/{qn('w:highlight')}")
        marked = highlight is not None and highlight.get(qn("w:val")) not in (None, "none")
        for child in run:
            if child.tag == qn("w:t"):
                self.parts.append(("mark" if marked else "text", child.text or ""))
            elif child.tag == qn("w:tab"):
                self.parts.append(("text", " "))
            elif child.tag in (qn("w:br"), qn("w:cr")):
                self.parts.append(("text", " "))
            elif child.tag == qn("w:footnoteReference"):
                self.parts.append(("footnote", child.get(qn("w:id"))))

    @property
    def text(self) -> str:
        return "".join(t for k, t in self.parts if k != "footnote")

    def markdown(self, markers: dict[str, int], raws: set[str]) -> str:
        out, merged = [], []
        for kind, text in self.parts:  # adjacent highlighted runs are one mark
            if merged and kind == "mark" and merged[-1][0] == "mark":
                merged[-1] = ("mark", merged[-1][1] + text)
            else:
                merged.append((kind, text))
        for kind, text in merged:
            if kind == "footnote":
                out.append(f"[{markers[text]}]" if text in markers else "")
            elif kind == "mark" and text.strip() in raws:
                lead = text[:len(text) - len(text.lstrip())]
                out.append(f"{lead}=={text.strip()}==" + text[len(text.rstrip()):])
            else:
                out.append(text)
        return "".join(out).strip()


def _top_numbered(text: str) -> bool:
    """``一、办学基本情况``: a top-level section heading written as a plain paragraph."""
    found = style_of(text.strip())
    return found is not None and found[0].key == "cn" and bool(text.strip()[found[1].end():].strip())


def _check_file(path: Path, max_mb: float) -> None:
    from assistant.ingest.decode import check_zip
    from assistant.types import LoadError

    name = path.name
    if path.suffix.lower() != ".docx":
        raise ImportRejected(f"{name}：只能导入 Word .docx 文件 (only .docx files can be imported)")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRejected(f"{name}：无法读取文件 (cannot read the file): {exc}") from exc
    if size > max_mb * 1024 * 1024:
        raise ImportRejected(f"{name}：文件过大（{size / 1024 / 1024:.1f} MB，上限 {max_mb:g} MB）"
                             f"(file too large: {size / 1024 / 1024:.1f} MB, limit {max_mb:g} MB)")
    if size == 0:
        raise ImportRejected(f"{name}：文件为空 (empty file)")
    try:
        check_zip(path, "word/document.xml", "Word 文档", "DOCX")
    except LoadError as exc:
        raise ImportRejected(f"{name}：{exc}") from exc


def read_docx(path: Path, max_mb: float = 50) -> ParsedReport:
    """The file's sections as Markdown lines (footnotes as ``[fid]`` placeholders resolved later)."""
    import docx
    from docx.table import Table

    from assistant.ingest.loaders import heading_level

    path = Path(path)
    _check_file(path, max_mb)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for bad packages
        raise ImportRejected(f"{path.name}：Word 文件已损坏，无法打开 (corrupt .docx, cannot be opened): {exc}") from exc
    props = document.core_properties
    meta = dict(p.split("=", 1) for p in (props.keywords or "").split(";") if "=" in p) \
        if MARKER_KEYWORDS in (props.keywords or "") else {}
    comments = _comments(document)
    footnotes = _footnotes(document)
    items = list(document.iter_inner_content())
    styled = any(heading_level(i) == 1 for i in items if not isinstance(i, Table))
    title_year = None
    sections: list[tuple[str, list]] = []
    for item in items:
        current = sections[-1][0] if sections else None
        if isinstance(item, Table):
            if not sections:
                continue
            rows = []
            for row in item.rows:
                cells = []
                for cell in row.cells:
                    texts = [_Paragraph(p._p, comments, current) for p in cell.paragraphs]
                    cells.append(texts)
                rows.append(cells)
            sections[-1][1].append(("table", rows))
            continue
        style = (item.style.name if item.style is not None else "") or ""
        text = item.text.strip()
        level = heading_level(item)
        if style == "Title" or (level is None and not sections and ABOUT_YEAR.search(text) and len(text) <= 30):
            m = ABOUT_YEAR.search(text)
            title_year = title_year or (int(m.group(1)) if m else None)
            continue
        if not styled and level is None and _top_numbered(text) and len(text) <= 30 and text[-1] not in "。；;，,":
            level = 1
        if level == 1 and text:
            sections.append((text, []))
            continue
        if not sections:
            continue  # the cover before the first section
        if level and text:
            sections[-1][1].append(("heading", "#" * min(level + 1, 6) + " " + text))
            continue
        paragraph = _Paragraph(item._p, comments, current)
        if paragraph.parts:
            sections[-1][1].append(("paragraph", paragraph))
    year = int(meta["year"]) if meta.get("year", "").isdigit() else title_year
    if year is None:
        m = ABOUT_YEAR.search(props.title or "")
        year = int(m.group(1)) if m else None
    declared = [s for s in meta.get("sections", "").split("|") if s]
    return ParsedReport(year, meta.get("scope"), declared, sections, comments, footnotes, props.last_modified_by or "")


# ---- into the workspace ---------------------------------------------------------------------------


def _section_markdown(heading: str, blocks: list, stored: Any, notes: dict[int, str]) -> tuple[str, list[dict]]:
    """Markdown of one imported section and its citations (renumbered in order of appearance)."""
    by_text: dict[str, list[dict]] = {}  # several passages of one section share a footnote text: in order
    for c in sorted(stored.citations, key=lambda c: int(c.get("n", 0))):
        by_text.setdefault(citation_text(c), []).append(c)
    raws = {n.get("raw", "") for n in stored.not_updated}
    citations: list[dict] = []
    markers: dict[str, int] = {}

    def register(paragraph: _Paragraph) -> None:
        for kind, fid in paragraph.parts:
            if kind == "footnote" and fid not in markers:
                note = notes.get(int(fid), "")
                n = len(citations) + 1
                queue = by_text.get(note)
                base = queue.pop(0) if queue else None
                citations.append(dict(base, n=n) if base else {"n": n, "source": note.removeprefix("来源："), "section": "",
                                                              "year": None, "page": None, "quote": note})
                markers[fid] = n

    lines = [f"## {heading}", ""]
    for kind, content in blocks:
        if kind == "heading":
            lines += [content, ""]
        elif kind == "paragraph":
            register(content)
            text = content.markdown(markers, raws)
            if text:
                lines += [text, ""]
        else:
            rows = []
            for row in content:
                cells = []
                for paragraphs in row:
                    for p in paragraphs:
                        register(p)
                    cells.append(" ".join(p.markdown(markers, raws) for p in paragraphs).replace("|", "｜").strip())
                rows.append("| " + " | ".join(cells) + " |")
            if rows:
                width = rows[0].count("|") - 1
                lines += [rows[0], "|" + " --- |" * width, *rows[1:], ""]
    return "\n".join(lines).strip() + "\n", citations


def _marks(text: str) -> list[str]:
    return HIGHLIGHT.findall(text) + PLACEHOLDER.findall(text)


def import_docx(workspace: Workspace, path: Path, env: ReportEnv, *, user: str = "local",
                max_mb: float = 50) -> tuple[Workspace, dict]:
    """Read the reviewed file into a copy of ``workspace``; returns ``(updated copy, report)``.
    The caller saves the copy; on :class:`ImportRejected` nothing changed."""
    path = Path(path)
    parsed = read_docx(path, max_mb)
    name = path.name
    if parsed.year is not None and parsed.year != workspace.year:
        raise ImportRejected(f"{name}：这是 {parsed.year} 年度的报告，当前工作区是 {workspace.year} 年度 "
                             f"(this file is the {parsed.year} report, the workspace is {workspace.year})")
    if not parsed.sections:
        raise ImportRejected(f"{name}：没有找到章节标题，不像是一份自评报告 (no section headings: not a report)")
    matched: dict[str, tuple[str, list]] = {}
    unknown = []
    for heading, blocks in parsed.sections:
        title = match_title(heading, workspace.titles)
        if title is None or title in matched:
            unknown.append(heading)
        else:
            matched[title] = (heading, blocks)
    if unknown:
        raise ImportRejected(f"{name}：章节“{'”“'.join(unknown)}”与工作区的章节都不对应（被改名或重复？）"
                             f"(sections renamed or repeated: {', '.join(unknown)}); 工作区章节 workspace sections: "
                             f"{'、'.join(workspace.titles)}")
    expected = [t for t in parsed.declared if t in workspace.titles] if parsed.scope == "sections" else workspace.titles
    missing = [t for t in expected if t not in matched]
    if missing:
        raise ImportRejected(f"{name}：缺少章节“{'”“'.join(missing)}” (sections missing: {', '.join(missing)})")

    updated = copy.deepcopy(workspace)
    history = env.history(updated.year)
    report: dict[str, Any] = {"file": name, "year": updated.year, "sections": [], "acknowledged": [], "verified": [],
                              "reviewer_comments": 0}
    touched = False
    for title, (heading, blocks) in matched.items():
        section = updated.section(title)
        text, citations = _section_markdown(heading, blocks, section, parsed.footnotes)
        previous = section.text
        if comparable(text) == comparable(previous) and _marks(text) == _marks(previous):
            report["sections"].append({"title": title, "changed_blocks": [], "rechecked": 0})
            continue
        section.touch(text, "imported")
        touched = True
        section.citations = citations
        result = recheck(section, previous or None, updated.year, history, env.acks, env.thresholds)
        report["sections"].append({"title": title, "changed_blocks": result["changed"], "rechecked": result["checked"]})
    if touched:  # an edit in one section can make another disagree with it
        apply_cross(updated, env, history)
    _apply_comments(updated, parsed, env, user, report)
    updated.imports.append({"file": name, "at": time.time(),
                            "changed": sum(len(s["changed_blocks"]) for s in report["sections"]),
                            "comments": len(parsed.comments)})
    return updated, report


def _apply_comments(workspace: Workspace, parsed: ParsedReport, env: ReportEnv, user: str, report: dict) -> None:
    from .actions import verify_figure

    comments = parsed.comments
    for c in comments.values():
        if c.parent is not None and c.parent in comments:
            comments[c.parent].replies.append({"author": c.author, "text": c.text})
    reviewer = parsed.modified_by or user
    for section in workspace.sections:
        section.comments = []
    for c in comments.values():
        if c.parent is not None:
            continue
        m = _KEY.search(c.text)
        ours = m is not None and (c.author == AUTHOR or KEY_LABEL in c.text)
        if ours and (c.done or c.replies):
            reply = c.replies[-1] if c.replies else None
            reason = reply["text"] if reply and reply["text"] else "在 Word 中标记为已解决 (resolved in Word)"
            who = reply["author"] if reply and reply["author"] else reviewer
            _acknowledge_key(workspace, m.group(1), reason, who, env, report, verify_figure)
            continue
        if ours:
            continue
        title = match_title(c.section, workspace.titles) if c.section else None
        target = workspace.section(title) if title else None
        if target is not None:
            target.comments.append({"id": c.id, "author": c.author, "text": c.text, "anchor": c.anchor[-40:],
                                    "resolved": c.done, "replies": list(c.replies)})
            report["reviewer_comments"] += 1


def _acknowledge_key(workspace: Workspace, key: str, reason: str, who: str, env: ReportEnv, report: dict,
                     verify_figure: Any) -> None:
    for section in workspace.sections:
        for f in section.findings:
            if f.get("key") == key:
                entry = env.acks.acknowledge(key, reason, who, f)
                f["acknowledged"] = True
                f["acknowledgement"] = {k: entry.get(k) for k in ("reason", "user", "at")}
                report["acknowledged"].append({"key": key, "section": section.title, "reason": reason, "user": who})
                return
        for n in section.not_updated:
            if n.get("key") == key:
                verify_figure(workspace, section, n)
                report["verified"].append({"key": key, "section": section.title, "raw": n.get("raw"), "user": who})
                return

