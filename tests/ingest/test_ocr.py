"""OCR: scanned PDFs and images made here (PIL + Noto CJK, no text layer) are indexed with page
numbers and OCR confidence, found by a figure question, and a page over the time limit is skipped
with its reason while the rest is indexed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from assistant.ingest import load_document
from assistant.ingest.ocr import OcrBox, OcrOptions, lines_from_boxes, model_paths, ocr_options
from assistant.types import LoadError

FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
DPI = 200

PAGE_ONE = ["一、办学基本情况", "  学院设有两个本科专业，面向全国招生，实行全英文授课与双导师制度，",
            "注重学生的国际视野与实践能力培养。"]
PAGE_TWO = ["二、学生发展", "  2020届毕业生就业率达96.81%，国内外深造率为72.5%，其中",
            "出国深造学生186人。学院现有专任教师113人，生师比为6.91。"]


def render_page(lines: list[str], dpi: int = DPI) -> Image.Image:
    """An A4 page at ``dpi`` with 12-pt Noto Serif CJK lines ("  " = first-line indent)."""
    page = Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(page)
    size = round(12 * dpi / 72)
    font = ImageFont.truetype(str(FONT), size)
    for n, line in enumerate(lines):
        x = dpi + (2 * size if line.startswith("  ") else 0)
        draw.text((x, dpi + n * 1.6 * size), line.strip(), font=font, fill=0)
    return page.convert("RGB")


def scanned_pdf(path: Path, pages: list[list[str]]) -> Path:
    """Pages as images wrapped in a PDF (PIL writes no text layer)."""
    images = [render_page(lines) for lines in pages]
    images[0].save(path, "PDF", resolution=DPI, save_all=True, append_images=images[1:])
    return path


def test_reading_order_lines_and_joins() -> None:
    boxes = [OcrBox("Glasgow College", 0.9, 420, 100, 700, 130), OcrBox("英文名称为", 0.8, 100, 102, 400, 128),
             OcrBox("学院现有专任教师", 0.99, 100, 40, 380, 70), OcrBox("113人。", 0.97, 385, 42, 480, 69),
             OcrBox("UESTC", 0.95, 710, 101, 820, 131)]
    lines = lines_from_boxes(list(reversed(boxes)), scale=0.5)
    assert [ln.text for ln in lines] == ["学院现有专任教师113人。", "英文名称为Glasgow College UESTC"]
    assert lines[0].top == 20 and lines[0].x0 == 50  # scaled to points
    assert lines[1].confidence == pytest.approx((0.9 + 0.8 + 0.95) / 3)


def test_models_are_the_bundled_files() -> None:
    import rapidocr

    paths = model_paths()
    package = Path(rapidocr.__file__).parent
    assert all(p.is_file() and p.parent == package / "models" for p in paths.values())
    assert {p.name for p in paths.values()} == {"PP-OCRv6_det_small.onnx", "PP-OCRv6_rec_small.onnx",
                                                "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}


def test_scanned_pdf_pages_confidence_and_progress(tmp_path: Path) -> None:
    path = scanned_pdf(tmp_path / "scan.pdf", [PAGE_ONE, PAGE_TWO])
    seen: list[tuple[int, int]] = []
    with ocr_options(OcrOptions(progress=lambda k, n: seen.append((k, n)))):
        doc = load_document(path)
    assert seen == [(1, 2), (2, 2)] and doc.pages == 2 and not doc.warnings
    by_text = {b.text: b for b in doc.blocks}
    figure = next(b for b in doc.blocks if "96.81%" in b.text)
    assert figure.page == 2 and "就业率达96.81%" in figure.text and "生师比为6.91" in figure.text
    assert figure.confidence is not None and 0.8 < figure.confidence <= 1.0
    assert by_text["一、办学基本情况"].page == 1
    assert " " not in figure.text  # CJK lines joined without spaces


def test_scanned_pdf_is_found_by_a_figure_question(settings_factory, tmp_path: Path) -> None:
    from assistant.index.sync import Indexer
    from assistant.retrieval import Retriever

    settings = settings_factory()
    scanned_pdf(settings.knowledge_dir / "2020_scanned_report.pdf", [PAGE_ONE, PAGE_TWO])
    (settings.knowledge_dir / "other.md").write_text("# 其他\n\n学院图书馆藏书七万册，阅览座位五百个。\n", encoding="utf-8")
    indexer = Indexer(settings)
    pages: list[tuple[str, int, int]] = []
    report = indexer.sync(page_progress=lambda source, k, n: pages.append((source, k, n)))
    assert not report.failed and report.added == ["2020_scanned_report.pdf", "other.md"]
    assert pages == [("2020_scanned_report.pdf", 1, 2), ("2020_scanned_report.pdf", 2, 2)]
    hits = Retriever(settings, indexer.catalog, indexer.vectors).search("2020届毕业生就业率是多少？", k=3)
    top = hits[0]
    assert top.chunk.source == "2020_scanned_report.pdf" and "96.81%" in top.chunk.text
    assert top.chunk.page == 2 and top.chunk.section.startswith("二、学生发展")
    assert top.chunk.ocr_confidence is not None and 0.8 < top.chunk.ocr_confidence <= 1.0
    assert top.as_json()["ocr_confidence"] == top.chunk.ocr_confidence
    stored = {c.id: c for c in indexer.catalog.chunks(["other.md"])}
    assert all(c.ocr_confidence is None for c in stored.values())  # text from the file is not OCR


def test_cli_marks_ocr_text_below_the_threshold(settings_factory, monkeypatch, capsys) -> None:
    from assistant.cli import main

    settings = settings_factory()
    scanned_pdf(settings.knowledge_dir / "scan.pdf", [PAGE_TWO])
    args = ["--knowledge", str(settings.knowledge_dir), "--data", str(settings.data_dir)]
    assert main([*args, "ingest"]) == 0
    capsys.readouterr()
    assert main([*args, "search", "毕业生就业率", "--k", "1"]) == 0
    assert "OCR 识别文本" not in capsys.readouterr().out  # ~0.99 is above the default 0.8
    monkeypatch.setenv("ASSISTANT_OCR_MIN_CONFIDENCE", "0.9999")
    assert main([*args, "search", "毕业生就业率", "--k", "1"]) == 0
    line = capsys.readouterr().out.splitlines()[1]
    assert line.startswith("[1] scan.pdf · 二、学生发展") and " · p.1 · " in line
    assert re.search(r" · OCR 识别文本，置信度 0\.9\d \(OCR text, confidence 0\.9\d\)$", line), line


def test_page_over_the_time_limit_is_skipped_and_the_rest_indexed(settings_factory) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from assistant.index.sync import Indexer

    settings = settings_factory(ocr_page_timeout=0.01)  # no page can be OCRed in 10 ms
    path = settings.knowledge_dir / "mixed.pdf"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    scan = settings.knowledge_dir.parent / "scan.png"
    render_page(PAGE_TWO).save(scan)
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 12)
    pdf.drawString(72, 760, "一、办学基本情况")
    pdf.drawString(72, 740, "学院设有两个本科专业，实行双导师制度。")
    pdf.showPage()
    pdf.drawImage(str(scan), 0, 0, width=595, height=842)
    pdf.showPage()
    pdf.save()
    indexer = Indexer(settings)
    report = indexer.sync()
    assert report.added == ["mixed.pdf"] and not report.failed
    assert report.warnings["mixed.pdf"] == ["第 2 页 OCR 超时（超过 0.01 秒），已跳过 "
                                            "(page 2 skipped: OCR took longer than 0.01 s)"]
    chunks = indexer.catalog.chunks(["mixed.pdf"])
    assert chunks and {c.page for c in chunks} == {1} and "双导师制度" in chunks[0].text
    assert "page 2 skipped" in (indexer.catalog.document("mixed.pdf").warnings or "")


def test_image_is_ocred_and_an_empty_image_refused(tmp_path: Path) -> None:
    png = tmp_path / "notice.png"
    render_page(PAGE_TWO).crop((0, 0, 1654, 700)).save(png)
    jpg = tmp_path / "notice.jpg"
    render_page(PAGE_TWO).crop((0, 0, 1654, 700)).save(jpg, quality=80)
    for path in (png, jpg):
        doc = load_document(path)
        text = "".join(b.text for b in doc.blocks)
        assert "96.81%" in text and "113人" in text and all(b.page is None for b in doc.blocks)
    blank = tmp_path / "blank.png"
    Image.new("RGB", (800, 600), "white").save(blank)
    with pytest.raises(LoadError, match=r"图片中没有识别到文字 \(no text found in image\)"):
        load_document(blank)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00garbage" * 50)
    with pytest.raises(LoadError, match="corrupt or unreadable image"):
        load_document(broken)


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
def test_ocr_runs_with_the_network_removed(tmp_path: Path) -> None:
    """In a network namespace of its own (no interface but a down loopback) OCR still works: the
    worker process loads the bundled models and downloads nothing."""
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"no network namespaces here: {probe.stderr.decode().strip()}")
    png = tmp_path / "page.png"
    render_page(PAGE_TWO).crop((0, 0, 1654, 700)).save(png)
    code = ("import sys; from pathlib import Path; from assistant.ingest import load_document; "
            "print(''.join(b.text for b in load_document(Path(sys.argv[1])).blocks))")
    done = subprocess.run(["unshare", "-n", sys.executable, "-c", code, str(png)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "96.81%" in done.stdout
