"""Render a .docx the way a reviewer sees it, with LibreOffice and poppler (Debian packages).

LibreOffice 7.4 (Debian 12) has no "comments in margin" PDF option (``ExportNotesInMargin`` came
later: the filter ignores it), and its DOCX import drops the *text* of every footnote when a comment
sits between two footnotes (reproduced with a file LibreOffice itself saved; Word shows both). So
the picture of a page with its comments is composed: the page of the export *without* comments
(footnotes intact), and, in a margin beside it, each comment of the export *with* comments, placed
at the height of its anchor as LibreOffice exported it (a PDF text annotation). The two layouts
agree from the top of the first page down to where the clean page's footnotes begin (the empty
footnotes of the other file let more lines onto its page), so only page 1 is composed and only
comments anchored above the clean page's first footnote are drawn. LibreOffice runs with a private
profile folder so parallel conversions do not collide.
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"


def to_pdf(docx: Path, out_dir: Path, *, timeout: float = 180) -> Path:
    """The PDF of ``docx`` (comments exported as PDF text annotations: ``ExportNotes``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / ".lo-profile"
    target = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
    done = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                           "--outdir", str(out_dir), str(docx)], capture_output=True, text=True, timeout=timeout)
    pdf = out_dir / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"LibreOffice could not convert {docx.name}: {done.stdout} {done.stderr}")
    return pdf


def page_png(pdf: Path, page: int, out: Path, dpi: int = 60) -> Path:
    """``pdftoppm -png -r DPI -f N -l N``: one page as PNG at ``out``."""
    subprocess.run([PDFTOPPM, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(out.with_suffix(""))], check=True, capture_output=True, timeout=120)
    return out.with_suffix(".png")


def ink(png: Path) -> float:
    """Share of pixels that are not near-white (0 for a blank page)."""
    from PIL import Image

    image = Image.open(png).convert("L")
    histogram = image.histogram()
    return sum(histogram[:200]) / (image.width * image.height)


def annotations(pdf: Path, page: int) -> list[tuple[float, float, str]]:
    """``(top, left, text)`` (points from the page's top left) of the comment annotations on a page (1-based)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    p = reader.pages[page - 1]
    height = float(p.mediabox.height)
    out = []
    for a in p.get("/Annots") or []:
        a = a.get_object()
        if a.get("/Subtype") == "/Text" and "/Rect" in a:
            out.append((height - float(a["/Rect"][3]), float(a["/Rect"][0]), str(a.get("/Contents") or "")))
    return sorted(out)


def footnotes_top(pdf: Path, page: int) -> float:
    """Top (points) of the first footnote line ("1 来源：…") on a page, else the page height."""
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        p = doc.pages[page - 1]
        tops = [w["top"] for w in p.extract_words() if w["text"].startswith("来源")]
        return min(tops) if tops else float(p.height)


def with_margin_comments(page_image: Path, pdf_with_comments: Path, page: int, out: Path, dpi: int,
                         below: float | None = None) -> Path:
    """The page image with a right margin holding each comment at its anchor's height (comments
    anchored at or below ``below`` points are left out)."""
    from PIL import Image, ImageDraw, ImageFont

    base = Image.open(page_image).convert("RGB")
    scale = dpi / 72
    margin = int(base.width * 0.75)
    canvas = Image.new("RGB", (base.width + margin, base.height), "white")
    canvas.paste(base, (0, 0))
    draw = ImageDraw.Draw(canvas)
    font_path = next((p for p in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                                  "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc") if Path(p).exists()), None)
    size = max(9, int(8 * scale * 1.4))
    font = ImageFont.truetype(font_path, size) if font_path else ImageFont.load_default()
    y_free = 4
    for top, left, text in annotations(pdf_with_comments, page):
        if below is not None and top >= below - 12:
            continue
        anchor_y, anchor_x = int(top * scale), int(left * scale)
        first = text.split("\n")[0]
        lines = textwrap.wrap(first, width=max(10, int(margin / (size * 1.05))))[:3]
        box_h = len(lines) * (size + 2) + 6
        y = max(anchor_y - 4, y_free)
        if y + box_h > canvas.height:
            break
        x0 = base.width + 8
        draw.rectangle([x0, y, canvas.width - 6, y + box_h], fill="#fff7d6", outline="#d4a017")
        for i, line in enumerate(lines):
            draw.text((x0 + 4, y + 3 + i * (size + 2)), line, fill="#5c4400", font=font)
        draw.line([(anchor_x, anchor_y + 2), (base.width - 4, anchor_y + 2), (x0, y + 6)], fill="#d4a017", width=1)
        y_free = y + box_h + 4
    canvas.save(out)
    return out


def comment_anchors(path: Path) -> dict[str, str]:
    """comment id → the text between its commentRangeStart and commentRangeEnd."""
    import docx
    from docx.oxml.ns import qn

    body = docx.Document(str(path)).element.body
    open_ids: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    for el in body.iter():
        if el.tag == qn("w:commentRangeStart"):
            open_ids[el.get(qn("w:id"))] = []
        elif el.tag == qn("w:commentRangeEnd"):
            done[el.get(qn("w:id"))] = "".join(open_ids.pop(el.get(qn("w:id")), []))
        elif el.tag == qn("w:t"):
            for parts in open_ids.values():
                parts.append(el.text or "")
    return done
