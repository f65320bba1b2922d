"""Turn a file into a :class:`ParsedDocument` of blocks in document order: one loader per format
(``Path -> ParsedDocument``) registered by suffix in ``_LOADERS`` — .md .txt .docx .pdf here, .xlsx
.csv in ``sheets``, images (and the OCR of PDF pages without a text layer) in ``ocr``.

Every failure a user can cause (wrong type, empty, binary, corrupt, encrypted, scanned without text,
zip bomb) raises :class:`LoadError` with a reason in Chinese and English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pdfplumber
from docx import Document as open_docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from assistant.ingest.decode import check_zip, decode_text
from assistant.ingest.layout import Break, Line, PdfItem, assemble, blocks_of_pages, line_items
from assistant.text.sentences import join_lines
from assistant.text.tables import is_table_line, write_table
from assistant.types import Block, LoadError, ParsedDocument






def load_document(path: Path) -> ParsedDocument:
    """Parse ``path`` by its suffix; raise :class:`LoadError` with a human reason if it cannot be read."""
    path = Path(path)
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        shown = path.suffix or "（无后缀 no suffix）"
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise LoadError(f"不支持的文件类型 {shown} (unsupported file type); 支持 supported: {supported}")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise LoadError(f"无法读取文件 (cannot read file): {error.strerror}") from error
    if size == 0:
        raise LoadError("文件为空 (empty file)")
    doc = loader(path)
    if not any(b.text.strip() for b in doc.blocks):
        raise LoadError("文件没有可读取的文字 (no readable text)")
    return doc


# --- plain text -------------------------------------------------------------------------------


def _text_lines(text: str) -> list[Line]:
    """Lines of plain text with their breaks; form feeds are page breaks and number the pages.

    With blank lines between paragraphs a single newline is a wrap (text extracted from PDF);
    without any, every line is its own paragraph unless it visibly continues.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    blank_separated = re.search(r"\S[ \t\u3000]*\n[ \t\u3000]*\n", text) is not None
    lines: list[Line] = []
    for number, page in enumerate(pages, start=1):
        brk: Break = "soft"
        for raw in page.split("\n"):
            stripped = raw.strip()
            if not stripped:
                brk = "soft"
                continue
            lines.append(Line(stripped, number if len(pages) > 1 else None, brk))
            brk = "wrap" if blank_separated else "soft"
    return lines


# stricter than a PDF page's margin lines (layout._PAGE_NUMBER takes a bare number): in plain text a
# line holding only "12" may be a table cell or a list value, so a footer needs its dashes or 第…页
_TEXT_FOOTER = re.compile(r"^[-—–]+\s*(\d{1,4})\s*[-—–]+$|^第\s*(\d{1,4})\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$")
"""A page footer of text extracted from a PDF (``— 3 —``, ``第 3 页``): not text; the page it closes."""


def _paged(lines: list[Line]) -> list[Line]:
    """Footer lines dropped. With footers (and no form feeds) every line takes the page its next footer
    closes, the lines after the last footer the page after it; the line after a footer follows a page
    break (``实验开出情况和— 3 —试卷归档`` is one sentence across it)."""
    out: list[Line] = []
    unpaged: list[Line] = []  # lines since the last footer
    after_footer = False
    last = None
    for line in lines:
        m = _TEXT_FOOTER.match(line.text)
        if m:
            last = int(m.group(1) or m.group(2))
            for ln in unpaged:
                if ln.page is None:
                    ln.page = last
            unpaged, after_footer = [], True
            continue
        if after_footer and line.brk in ("wrap", "soft"):
            line.brk = "page"
        after_footer = False
        out.append(line)
        unpaged.append(line)
    if last is not None:
        for ln in unpaged:
            if ln.page is None:
                ln.page = last + 1
    return out


def _load_text(path: Path) -> ParsedDocument:
    return ParsedDocument(text_blocks(decode_text(path.read_bytes())))


_COLUMN_GAP = re.compile(r"\t+|[ \u3000]{2,}")
ALIGNED_MIN_ROWS = 3
"""Consecutive lines of one column count (≥ 2 cells) that make a table: a header and two rows."""


def _aligned_cells(text: str) -> list[str]:
    """Cells of a line laid out in columns (tab-separated, or two or more spaces between cells)."""
    return [c for c in _COLUMN_GAP.split(text.strip()) if c]


def aligned_tables(lines: list[Line]) -> list[Line]:
    """``lines`` with each run of column-aligned lines (an e-mailed table: ``专业    2023年招生    年末在校生``
    then rows of as many cells, space-aligned or tab-separated) rewritten as one pipe table, the first line
    its header: otherwise the rows are wrapped lines joined into one paragraph with the prose after them,
    no cell telling its row or column (bench/corpus5's 2023 .txt). A run needs :data:`ALIGNED_MIN_ROWS`
    lines of one column count of at least 2; a caption with two spaces (``表1  2023年各专业学生数``)
    above a four-column header is no row of it."""
    cells = [_aligned_cells(ln.text) if not is_table_line(ln.text) else [] for ln in lines]
    out: list[Line] = []
    i = 0
    while i < len(lines):
        n = len(cells[i])
        j = i
        while n >= 2 and j < len(lines) and len(cells[j]) == n:
            j += 1
        if j - i >= ALIGNED_MIN_ROWS:
            table = write_table(cells[i:j])
            out += [Line(row, lines[i].page, "hard") for row in table.split("\n")]
            i = j
            continue
        out.append(lines[i])
        i += 1
    return out


def text_blocks(text: str) -> list[Block]:
    """Plain text as blocks: paragraphs from its lines (see :func:`_text_lines`), page footers dropped
    (their numbers page the lines), column-aligned lines read as tables (:func:`aligned_tables`) and
    runs of ``| … |`` lines kept as tables."""
    blocks: list[Block] = []
    pending: list[Line] = []
    table: list[Line] = []
    for line in aligned_tables(_paged(_text_lines(text))) + [Line("", None, "hard")]:
        if is_table_line(line.text):
            table.append(line)
            continue
        if table:
            blocks += assemble(pending)
            pending = []
            blocks.append(Block("\n".join(t.text for t in table), kind="table", page=table[0].page))
            table = []
            line.brk = "hard"
        if line.text:
            pending.append(line)
    return blocks + assemble(pending)


_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _inline_text(inline: Token) -> str:
    """The text of an inline token without emphasis marks or link targets: ``**第一条** 为了…`` reads
    ``第一条 为了…``, so numbering at the start of a paragraph is seen whatever its emphasis."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts) if inline.children else inline.content


def _load_markdown(path: Path) -> ParsedDocument:
    text = decode_text(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    source = text.split("\n")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)

    def lines_of(token_map: list[int] | None) -> list[str]:
        start, end = token_map or (0, 0)
        return [line.strip() for line in source[start:end] if line.strip()]

    blocks: list[Block] = []
    title = ""
    for i, token in enumerate(tokens):
        if token.nesting == -1:
            continue
        if token.level == 0 and token.type == "heading_open":
            content = _inline_text(tokens[i + 1]).strip()
            level = int(token.tag[1:])
            blocks.append(Block(content, kind="heading", level=level))
            if level == 1 and not title:
                title = content
        elif token.level == 0 and token.type == "table_open":
            blocks.append(Block("\n".join(lines_of(token.map)), kind="table"))
        elif token.level == 0 and token.type == "paragraph_open":
            blocks.append(Block(join_lines(_inline_text(tokens[i + 1]))))
        elif token.level == 0 and token.type == "html_block" and _HTML_COMMENT.fullmatch(token.content.strip()):
            continue  # <!-- INFO END --> of published law collections: not text
        elif (token.level == 1 and token.type == "list_item_open") or (
                token.level == 0 and token.type in ("fence", "code_block", "html_block", "blockquote_open")):
            blocks.append(Block("\n".join(lines_of(token.map))))
    return ParsedDocument([b for b in blocks if b.text], title=title)


# --- DOCX -------------------------------------------------------------------------------------


def heading_level(paragraph: Paragraph) -> int | None:
    """Level from a ``Heading n`` / ``标题 n`` style or an outline level on the paragraph or its style."""
    style = paragraph.style
    name = (style.name or "") if style is not None else ""
    match = re.fullmatch(r"(?:heading|标题)\s*(\d)", name.strip(), flags=re.IGNORECASE)
    if match:
        return int(match.group(1))
    for element in (paragraph._p, style.element if style is not None else None):
        if element is None:
            continue
        values = element.xpath("./w:pPr/w:outlineLvl/@w:val")
        if values and values[0].isdigit() and int(values[0]) < 9:
            return int(values[0]) + 1
    return None


def _load_docx(path: Path) -> ParsedDocument:
    check_zip(path, "word/document.xml", "Word 文档", "DOCX")
    try:
        document = open_docx(str(path))
    except Exception as error:  # python-docx raises many types for malformed packages
        raise LoadError(f"无法解析 Word 文档 (cannot parse DOCX): {error}") from error
    blocks: list[Block] = []
    title = ""  # the first Title-styled paragraph, else the file's title property
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = [[cell.text for cell in row.cells] for row in item.rows]
            rows = [r for r in rows if any(c.strip() for c in r)]
            if rows:
                blocks.append(Block(write_table(rows), kind="table"))
            continue
        text = item.text.strip()
        if not text:
            continue
        if item.style is not None and item.style.name == "Title":
            title = title or text
            blocks.append(Block(text))
            continue
        level = heading_level(item)
        blocks.append(Block(text, kind="heading", level=level) if level else Block(text))
    return ParsedDocument(blocks, title=title or (document.core_properties.title or "").strip())


# --- PDF --------------------------------------------------------------------------------------


def _pdf_error(error: Exception) -> LoadError:
    causes = [error, *error.args, error.__cause__, error.__context__]
    if any(isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) for c in causes):
        return LoadError("PDF 已加密，需要密码 (encrypted PDF: password required)")
    return LoadError("PDF 文件已损坏或无法解析 (corrupt or unreadable PDF)")


def _page_items(page: pdfplumber.page.Page) -> list[PdfItem]:
    """Text lines outside tables and the tables themselves, top to bottom."""
    tables = page.find_tables()
    items = [PdfItem(t.bbox[1], table=write_table(rows)) for t in tables if (rows := t.extract())]

    def outside(obj: dict) -> bool:
        return not any(t.bbox[0] <= obj["x0"] and obj["x1"] <= t.bbox[2] and t.bbox[1] <= obj["top"]
                       and obj["bottom"] <= t.bbox[3] for t in tables)

    text_page = page.filter(outside) if tables else page
    items += line_items(text_page.extract_text_lines())
    return sorted(items, key=lambda it: it.top)


def _load_pdf(path: Path) -> ParsedDocument:
    """Text pages through pdfplumber; a page without any character (a scan) is rasterised and OCRed."""
    from assistant.ingest import ocr

    options = ocr.current_options()
    warnings: list[str] = []
    pages: list[list[PdfItem]] = []
    scanned = 0
    try:
        with pdfplumber.open(path) as pdf:
            total = len(pdf.pages)
            for number, page in enumerate(pdf.pages, start=1):
                if page.chars:
                    pages.append(_page_items(page))
                else:
                    scanned += 1
                    pages.append(line_items(_ocr_pdf_page(path, number, options, warnings)))
                if options.progress:
                    options.progress(number, total)
    except LoadError:  # OcrUnavailable included
        raise
    except Exception as error:  # pdfminer signals damage with many exception types
        raise _pdf_error(error) from error
    if not any(it.line or it.table for items in pages for it in items):
        if scanned:
            detail = "；".join(warnings)
            raise LoadError("扫描版 PDF：OCR 未识别到文字 (scanned PDF: OCR found no text)"
                            + (f"：{detail}" if detail else ""))
        raise LoadError("PDF 中没有文字 (no text in PDF)")
    return ParsedDocument(blocks_of_pages(pages), pages=len(pages), warnings=warnings)


def _ocr_pdf_page(path: Path, number: int, options: object, warnings: list[str]) -> list[dict]:
    """OCR lines of one PDF page (in points), or none with a reason in ``warnings``."""
    import pypdfium2

    from assistant.ingest import ocr

    document = pypdfium2.PdfDocument(str(path))
    try:
        image = document[number - 1].render(scale=options.dpi / 72).to_pil()
    finally:
        document.close()
    try:
        boxes = ocr.recognise(ocr.as_rgb_array(image), timeout=options.page_timeout, threads=options.threads)
    except ocr.PageTimeout:
        warnings.append(f"第 {number} 页 OCR 超时（超过 {options.page_timeout:g} 秒），已跳过 "
                        f"(page {number} skipped: OCR took longer than {options.page_timeout:g} s)")
        return []
    except RuntimeError as error:
        warnings.append(f"第 {number} 页 OCR 失败，已跳过 (page {number} skipped: OCR failed: {error})")
        return []
    return [line.as_pdf_line() for line in ocr.lines_from_boxes(boxes, scale=72 / options.dpi)]


# Loaders of other modules are imported here, after this module's helpers they use are defined.
from assistant.ingest.ocr import load_image  # noqa: E402
from assistant.ingest.sheets import load_csv, load_xlsx  # noqa: E402

_LOADERS: dict[str, Callable[[Path], ParsedDocument]] = {
    ".md": _load_markdown,
    ".markdown": _load_markdown,
    ".txt": _load_text,
    ".docx": _load_docx,
    ".pdf": _load_pdf,
    ".xlsx": load_xlsx,
    ".csv": load_csv,
    ".png": load_image,
    ".jpg": load_image,
    ".jpeg": load_image,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_LOADERS)
