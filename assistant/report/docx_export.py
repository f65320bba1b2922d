"""The report (or one section) as a Word file a colleague can review.

* Headings in 黑体, body in 宋体 小四 with a two-character first-line indent and 1.5 line spacing,
  like the reports; Markdown pipe tables become Word tables.
* ``[n]`` markers become real footnotes (a ``word/footnotes.xml`` part built with OXML: python-docx
  1.2 has no footnote API), each naming file · section · year · page.
* 【待补充：…】 placeholders and figures not updated (``==…==``) are highlighted yellow.
* Every open finding and every figure not updated is a **Word comment anchored on the run that holds
  the figure** (python-docx 1.2 ``Document.add_comment(runs, text, author, initials)``): runs are cut
  at the figure's boundaries so the comment marks exactly the figure. The comment ends with the
  finding's key (``编号 key：…``) so a reviewer's reply or "resolved" can be read back on import.
* The core properties say what the file holds (``keywords``: ``report-assistant;year=2021;
  scope=all;sections=…``), so an import can tell a whole report from one section and from another
  year's file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from assistant.figures.findings import KIND_TEXT
from assistant.text.markup import INLINE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from .blocks import split_blocks, unmark

__all__ = ["AUTHOR", "BODY_FONT", "HEADING_FONT", "KEY_LABEL", "DocSection", "Footnotes", "body_format", "citation_text",
           "comment_text", "export_report", "figure_span", "footnotes_of", "new_document", "set_fonts", "write_sections"]

BODY_FONT = ("SimSun", "宋体")
HEADING_FONT = ("SimHei", "黑体")
BODY_SIZE = Pt(12)
AUTHOR, INITIALS = "报告助手 Report Assistant", "RA"
KEY_LABEL = "编号 key："
MARKER_KEYWORDS = "report-assistant"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_TOKEN = re.compile(r"==(?P<mark>.+?)==|(?P<ph>【待补充[：:][^】]*】)|\[(?P<n>\d{1,3})\]")


@dataclass
class DocSection:
    """What the writer needs of a section: Markdown text, citations by ``n``, and the items to
    comment on (findings and figures not updated, each with ``block`` and ``span`` in that block's
    plain text)."""

    title: str
    text: str
    citations: list[dict] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)


# ---- formatting ----------------------------------------------------------------------------------


def set_fonts(run_or_style: Any, font: tuple[str, str], size: Pt | None = None, bold: bool | None = None) -> None:
    f = run_or_style.font
    f.name = font[0]
    if size is not None:
        f.size = size
    if bold is not None:
        f.bold = bold
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi"):
        rfonts.set(qn(attr), font[0])
    rfonts.set(qn("w:eastAsia"), font[1])
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(attr), None)


def new_document(title: str) -> Any:
    """An empty document with the report's fonts on Normal and Heading 1–3, titled ``title``."""
    document = Document()
    set_fonts(document.styles["Normal"], BODY_FONT, BODY_SIZE)
    for level in (1, 2, 3):
        style = document.styles[f"Heading {level}"]
        set_fonts(style, HEADING_FONT, Pt({1: 16, 2: 14, 3: 12}[level]), bold=True)
        style.font.color.rgb = RGBColor(0, 0, 0)
    title_style = document.styles["Title"]
    set_fonts(title_style, HEADING_FONT, Pt(20), bold=True)
    title_style.font.color.rgb = RGBColor(0, 0, 0)
    page = document.sections[0]
    page.page_width, page.page_height = Cm(21), Cm(29.7)  # A4, as the reports are printed
    page.left_margin = page.right_margin = Cm(3.17)
    page.top_margin = page.bottom_margin = Cm(2.54)
    document.core_properties.title = title
    return document


class Footnotes:
    """A ``word/footnotes.xml`` part attached to the document, filled as references are added."""

    def __init__(self, document: Any) -> None:
        xml = (f"<w:footnotes {nsdecls('w')}>"
               '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
               "<w:r><w:separator/></w:r></w:p></w:footnote>"
               '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
               "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
               "</w:footnotes>")
        self.part = XmlPart(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, parse_xml(xml), document.part.package)
        document.part.relate_to(self.part, RT.FOOTNOTES)
        self.next_id = 1

    def add(self, paragraph: Any, text: str) -> int:
        """Append a footnote reference run to ``paragraph`` and the footnote ``text``; returns its id."""
        fid = self.next_id
        self.next_id += 1
        run = paragraph.add_run()
        set_fonts(run, BODY_FONT, BODY_SIZE)
        run.font.superscript = True
        run._element.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{fid}"/>'))
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{fid}"><w:p>'
            '<w:pPr><w:spacing w:after="0"/></w:pPr>'
            '<w:r><w:rPr><w:sz w:val="18"/><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
            '<w:r><w:rPr><w:rFonts w:ascii="SimSun" w:hAnsi="SimSun" w:eastAsia="宋体"/><w:sz w:val="18"/></w:rPr>'
            '<w:t xml:space="preserve"></w:t></w:r></w:p></w:footnote>')
        note.findall(".//" + qn("w:t"))[-1].text = " " + text
        self.part.element.append(note)
        return fid


def citation_text(c: dict) -> str:
    """The footnote of a citation dict: :meth:`assistant.citations.Citation.footnote`."""
    from assistant.citations import Citation

    return Citation.from_dict(c).footnote()


def comment_text(item: dict) -> str:
    """The comment of a finding or of a figure not updated, ending with its key."""
    kind = item.get("kind", "")
    lines = [f"【{KIND_TEXT.get(kind, (kind,))[0]}】{item.get('message', '')}"]
    if item.get("grade"):
        lines.append(f"等级 grade：{item['grade']}")
    if item.get("arithmetic"):
        lines.append(f"计算 arithmetic：{item['arithmetic']}")
    ref = item.get("reference") or {}
    if ref:
        lines.append(f"对照 reference：{ref.get('year', '')} 年 {ref.get('value', '')}（{ref.get('source', '')}）"
                     f"{'：' + str(ref['quote']) if ref.get('quote') else ''}")
    if item.get("key"):
        lines.append(KEY_LABEL + str(item["key"]))
    return "\n".join(lines)


def body_format(paragraph: Any) -> None:
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(24)
    fmt.line_spacing = 1.5
    ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), "200")


# ---- anchors -------------------------------------------------------------------------------------


def figure_span(plain: str, quote: str, value: Any) -> tuple[int, int] | None:
    """Where the flagged figure lies in ``plain``: inside the first occurrence of ``quote``, the
    figure with ``value`` (the last such; quotes end at the figure), else the whole quote."""
    from assistant.figures.extract import extract_figures

    pos = plain.find(quote) if quote else -1
    if pos < 0:
        return None
    end = pos + len(quote)
    inside = [f for f in extract_figures(plain) if f.start < end and f.end > pos]
    try:
        wanted = float(value)
    except (TypeError, ValueError):
        wanted = None
    for f in reversed(inside):
        if wanted is not None and abs(f.value - wanted) < 1e-9:
            return f.start, f.end
    return (inside[-1].start, inside[-1].end) if inside else (pos, end)


class _Writer:
    """Writes blocks; runs are cut at comment anchors and remembered by their plain-text span."""

    def __init__(self, document: Any, footnotes: Footnotes) -> None:
        self.document = document
        self.footnotes = footnotes
        self.comments = 0

    def runs(self, paragraph: Any, text: str, citations: dict[int, dict], offset: int, cuts: set[int],
             spans: list[tuple[int, int, Any]]) -> int:
        """Add ``text`` (Markdown of one paragraph or cell, starting at plain offset ``offset``);
        returns the plain offset after it."""
        pos, plain = 0, offset

        def emit(s: str, highlight: bool) -> None:
            nonlocal plain
            points = sorted(c - plain for c in cuts if plain < c < plain + len(s))
            start = 0
            for cut in points + [len(s)]:
                piece = s[start:cut]
                if piece:
                    run = paragraph.add_run(piece)
                    set_fonts(run, BODY_FONT, BODY_SIZE)
                    if highlight:
                        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
                    spans.append((plain + start, plain + cut, run))
                start = cut
            plain += len(s)

        for m in INLINE.finditer(text):
            emit(text[pos:m.start()], False)
            if m.group("n"):
                c = citations.get(int(m.group("n")))
                if c is not None:
                    self.footnotes.add(paragraph, citation_text(c))
                    plain += len(m.group(0))
                else:
                    emit(m.group(0), False)
            else:
                emit(m.group("mark") or m.group("ph"), True)
            pos = m.end()
        emit(text[pos:], False)
        return plain

    def comment(self, spans: list[tuple[int, int, Any]], a: int, b: int, text: str) -> bool:
        runs = [run for s, e, run in spans if s < b and e > a]
        if not runs:
            return False
        self.document.add_comment(runs, text=text, author=AUTHOR, initials=INITIALS)
        self.comments += 1
        return True

    def block(self, kind: str, text: str, citations: dict[int, dict], items: list[dict]) -> None:
        plain_all, _ = unmark(text)
        anchors = [(int(i["span"][0]), int(i["span"][1]), comment_text(i)) for i in items if i.get("span")]
        cuts = {a for a, _, _ in anchors} | {b for _, b, _ in anchors}
        spans: list[tuple[int, int, Any]] = []
        if kind == "heading":
            m = re.match(r"^(#{1,6})\s*(.*)$", text)
            level = max(1, min(len(m.group(1)) - 1, 3))
            heading = self.document.add_heading(level=level)
            self.runs(heading, m.group(2), citations, 0, set(), spans)
            for run in heading.runs:
                set_fonts(run, HEADING_FONT, None, bold=True)
            return
        if kind == "table":
            self._table(text, citations, cuts, spans)
        else:
            paragraph = self.document.add_paragraph()
            body_format(paragraph)
            self.runs(paragraph, text, citations, 0, cuts, spans)
        for a, b, note in anchors:
            if b <= len(plain_all):
                self.comment(spans, a, b, note)

    def _table(self, text: str, citations: dict[int, dict], cuts: set[int], spans: list) -> None:
        lines = text.split("\n")
        rows: list[list[tuple[str, int]]] = []
        line_start = 0  # plain offset of the line
        for line in lines:
            line_plain = unmark(line)[0]
            if not re.fullmatch(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*", line.strip()):
                cells, pos = [], 0
                inner = line.strip()
                lead = len(line) - len(line.lstrip())
                parts = inner.strip("|").split("|")
                pos = lead + (1 if inner.startswith("|") else 0)
                for part in parts:
                    cell = part.strip()
                    cell_at = pos + (len(part) - len(part.lstrip()))
                    cells.append((cell, line_start + len(unmark(line[:cell_at])[0])))
                    pos += len(part) + 1
                if len(cells) > 1 and re.fullmatch(r"(?:\[\d{1,3}\])+", cells[-1][0]):
                    # "| 合计 | 315 |[5]": the citation of the table goes into its last cell
                    marker = cells.pop()[0]
                    cells[-1] = (cells[-1][0] + marker, cells[-1][1])
                rows.append(cells)
            line_start += len(line_plain) + 1
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for i, row in enumerate(rows):
            for j in range(width):
                cell, offset = row[j] if j < len(row) else ("", 0)
                self.runs(table.cell(i, j).paragraphs[0], cell, citations, offset, cuts, spans)


def write_sections(document: Any, sections: Iterable[DocSection], footnotes: Footnotes | None = None) -> int:
    """Write the sections into ``document``; returns the number of comments added."""
    writer = _Writer(document, footnotes or Footnotes(document))
    for section in sections:
        citations = {int(c["n"]): c for c in section.citations if str(c.get("n", "")).isdigit()}
        blocks = split_blocks(section.text)
        if not blocks or blocks[0].kind != "heading":
            heading = document.add_heading(level=1)
            set_fonts(heading.add_run(section.title), HEADING_FONT, Pt(16), bold=True)
        for i, block in enumerate(blocks):
            items = [c for c in section.comments if c.get("block") == i]
            writer.block(block.kind, block.text, citations, items)
    return writer.comments


def _comment_items(section: Any) -> list[dict]:
    """Open findings and figures not updated, each with a ``span`` in its block's plain text."""
    blocks = split_blocks(section.text)
    out = []
    for item in [f for f in section.findings if not f.get("acknowledged")] + list(section.not_updated):
        i = item.get("block")
        if not isinstance(i, int) or i >= len(blocks):
            continue
        span = item.get("span") or figure_span(blocks[i].plain, str(item.get("quote") or ""), item.get("value"))
        if span:
            out.append(dict(item, span=list(span)))
    return out


def export_report(workspace: Any, path: Path | str, sections: Sequence[str] | None = None, *,
                  comments: bool = True) -> dict:
    """Write the workspace's report (or the ``sections`` named) to ``path``; ``comments=False``
    leaves the review comments out (a clean copy). Returns ``{"path", "sections", "footnotes",
    "comments"}``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    chosen = [workspace.section(t) for t in sections] if sections else list(workspace.sections)
    scope = "all" if not sections else "sections"
    document = new_document(f"{workspace.year} 年度自评报告")
    props = document.core_properties
    props.subject = f"{workspace.year} 年度自评报告"
    props.keywords = (f"{MARKER_KEYWORDS};year={workspace.year};scope={scope};"
                      f"sections={'|'.join(s.title for s in chosen)}")
    props.author = workspace.owner
    document.add_heading(f"{workspace.year} 年度自评报告", level=0)
    footnotes = Footnotes(document)
    docs = [DocSection(s.title, s.text or f"## {s.heading}\n\n【待补充：{s.title}】", s.citations,
                       _comment_items(s) if comments else []) for s in chosen]
    added = write_sections(document, docs, footnotes)
    document.save(str(path))
    return {"path": str(path), "sections": [s.title for s in chosen], "footnotes": footnotes.next_id - 1,
            "comments": added}


def footnotes_of(path: Path | str) -> list[str]:
    """Texts of the footnotes of a .docx (separators excluded), in id order."""
    document = Document(str(path))
    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            element = parse_xml(rel.target_part.blob)
            notes = []
            for note in element.findall(qn("w:footnote")):
                if note.get(qn("w:type")) in ("separator", "continuationSeparator"):
                    continue
                notes.append("".join(t.text or "" for t in note.iter(qn("w:t"))).strip())
            return notes
    return []
