"""Export a drafted section (:class:`assistant.chains.draft.DraftResult`) to Word.

* Headings (``##``/``###`` lines) in 黑体, body paragraphs in 宋体 小四 with a first-line indent of two
  characters and 1.5 line spacing, like the reports.
* Citation markers ``[n]`` become real Word footnotes (a ``word/footnotes.xml`` part built with OXML,
  since python-docx has no footnote API); each footnote names the source file, section and year
  (:meth:`assistant.citations.Citation.footnote`).
* ``【待补充：…】`` placeholders and ``==…==`` figures that were not updated are highlighted yellow
  (the ``==`` marks are removed).
* Markdown pipe tables become Word tables.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

from assistant.citations import Citation
from assistant.text.markup import INLINE
from assistant.text.tables import is_table_line, rows_of

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.text.paragraph import Paragraph

    from assistant.chains.draft import DraftResult

__all__ = ["BODY_FONT", "HEADING_FONT", "export_docx", "footnotes_of"]

BODY_FONT = ("SimSun", "宋体")
HEADING_FONT = ("SimHei", "黑体")
BODY_SIZE = Pt(12)
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def _fonts(run_or_style, font: tuple[str, str], size: Pt | None = None, bold: bool | None = None) -> None:
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


class _Footnotes:
    """A ``word/footnotes.xml`` part attached to the document, filled as references are added."""

    def __init__(self, document: DocumentObject) -> None:
        self.document = document
        xml = (f"<w:footnotes {nsdecls('w')}>"
               '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
               "<w:r><w:separator/></w:r></w:p></w:footnote>"
               '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
               "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
               "</w:footnotes>")
        package = document.part.package
        self.part = XmlPart(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, parse_xml(xml), package)
        document.part.relate_to(self.part, RT.FOOTNOTES)
        self.next_id = 1

    def add(self, paragraph: Paragraph, text: str) -> int:
        """Append a footnote reference run to ``paragraph`` and the footnote ``text``; returns its id."""
        fid = self.next_id
        self.next_id += 1
        run = paragraph.add_run()
        _fonts(run, BODY_FONT, BODY_SIZE)
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


def _body_format(paragraph: Paragraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(24)
    fmt.line_spacing = 1.5
    ppr = paragraph._p.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), "200")


def _add_runs(paragraph: Paragraph, text: str, citations: dict[int, dict], footnotes: _Footnotes) -> None:
    pos = 0
    for m in INLINE.finditer(text):
        if m.start() > pos:
            _fonts(paragraph.add_run(text[pos:m.start()]), BODY_FONT, BODY_SIZE)
        if m.group("n"):
            c = citations.get(int(m.group("n")))
            if c is not None:
                footnotes.add(paragraph, Citation.from_dict(c).footnote())
            else:
                _fonts(paragraph.add_run(m.group(0)), BODY_FONT, BODY_SIZE)
        else:
            run = paragraph.add_run(m.group("mark") or m.group("ph"))
            _fonts(run, BODY_FONT, BODY_SIZE)
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        pos = m.end()
    if pos < len(text):
        _fonts(paragraph.add_run(text[pos:]), BODY_FONT, BODY_SIZE)


def _add_table(document: DocumentObject, lines: list[str], citations: dict[int, dict], footnotes: _Footnotes) -> None:
    rows = rows_of("\n".join(lines))
    if not rows:
        return
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j in range(width):
            cell = table.cell(i, j)
            paragraph = cell.paragraphs[0]
            _add_runs(paragraph, row[j] if j < len(row) else "", citations, footnotes)


def export_docx(result: DraftResult, path: Path | str) -> Path:
    """Write ``result`` as a Word document at ``path`` (parent folders created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document = Document()
    normal = document.styles["Normal"]
    _fonts(normal, BODY_FONT, BODY_SIZE)
    for level in (1, 2, 3):
        style = document.styles[f"Heading {level}"]
        _fonts(style, HEADING_FONT, Pt({1: 16, 2: 14, 3: 12}[level]), bold=True)
        style.font.color.rgb = RGBColor(0, 0, 0)
    document.core_properties.title = f"{result.year} 年度自评报告 {result.section}"
    footnotes = _Footnotes(document)
    citations = {int(c["n"]): c for c in result.citations}

    lines = result.text.splitlines()
    if not any(line.startswith("#") for line in lines[:1]):
        heading = document.add_heading(level=1)
        _fonts(heading.add_run(result.section), HEADING_FONT, Pt(16), bold=True)
    table_lines: list[str] = []
    for line in lines + [""]:
        if is_table_line(line):
            table_lines.append(line)
            continue
        if table_lines:
            _add_table(document, table_lines, citations, footnotes)
            table_lines = []
        stripped = line.strip()
        if not stripped:
            continue
        m = re.match(r"^(#{1,6})\s*(.*)$", stripped)
        if m:
            level = max(1, min(len(m.group(1)) - 1, 3))
            heading = document.add_heading(level=level)
            _add_runs(heading, m.group(2), citations, footnotes)
            for run in heading.runs:
                _fonts(run, HEADING_FONT, None, bold=True)
            continue
        paragraph = document.add_paragraph()
        _body_format(paragraph)
        _add_runs(paragraph, stripped, citations, footnotes)
    document.save(str(path))
    return path


def footnotes_of(path: Path | str) -> list[str]:
    """Texts of the footnotes of a .docx (separators excluded), in id order — for tests and checks."""
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

