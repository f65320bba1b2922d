"""OCR comparison on scanned-looking pages of the real 2020 report: prints a Markdown table.

    .venv/bin/python bench/ocr.py [--pages 6] [--dpi 150,200] [--engines v4,v6] [--save DIR]

Pages: the report's paragraphs typeset on A4 in Noto Serif CJK at 12 pt (2.5 cm margins, 1.5 line
spacing, first-line indent of two characters), rendered at each ``--dpi`` in grey, then degraded like
a scan: rotated by a seeded angle in ±0.8°, Gaussian noise (σ = 10 grey levels), a 0.6 px blur and JPEG
quality 70. ``--pages`` pages spread evenly over the report are used.

Scores: character accuracy = 1 − (Levenshtein distance / reference length) over the whole set,
whitespace removed on both sides; figure accuracy = share of the page's Arabic-numeral figures
(``assistant.figures.extract_figures``: 96.81%, 113 人, 6.91 …) found exactly in the OCR text
(full-width digits, ％ and ． counted as their ASCII forms); s/page = median wall time of one page's
OCR (model loading excluded), lines assembled in reading order by ``assistant.ingest.ocr``;
heading numbers kept = share of the report's numbered headings — as written (一. / 1.) and restyled
as 一、 and （一） — whose number still starts the OCR line holding their title (extra pages, not
counted in the other columns), on scan-like pages and on clean renders (a born-digital image).
``rapidocr`` runs through ``assistant.ingest.ocr.run_engine``, i.e. with its faint dither.

Both engines are given the model files inside their wheels by path; run it inside ``unshare -n`` to
see that nothing is downloaded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.figures.extract import extract_figures  # noqa: E402
from assistant.ingest import load_document  # noqa: E402
from assistant.ingest.chunking import heading_like  # noqa: E402
from assistant.ingest.ocr import OcrBox, build_engine, lines_from_boxes, run_engine  # noqa: E402

REAL_REPORT = REPO.parent / "shared" / "corpus" / "2020_self_assessment_report.txt"
FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 0.98
POINT_SIZE = 12
_HALF = str.maketrans("０１２３４５６７８９％．（）", "0123456789%.()")


# --- pages ------------------------------------------------------------------------------------


def typeset(paragraphs: list[str], dpi: int = 600) -> list[list[str]]:
    """Paragraphs wrapped to A4 lines (measured at ``dpi``, so every scan resolution gets the same pages):
    a list of pages, each a list of lines ("  " = indent)."""
    font = ImageFont.truetype(str(FONT), round(POINT_SIZE * dpi / 72))
    width = (A4_INCHES[0] - 2 * MARGIN_INCHES) * dpi
    per_page = int((A4_INCHES[1] - 2 * MARGIN_INCHES) * 72 / (POINT_SIZE * 1.5))
    indent = font.getlength("中中")
    lines: list[str] = []
    for text in paragraphs:
        prefix, available, current = "  ", width - indent, ""
        for ch in text:
            if font.getlength(current + ch) > available:
                lines.append(prefix + current)
                prefix, available, current = "", width, ""
            current += ch
        lines.append(prefix + current)
    return [lines[i:i + per_page] for i in range(0, len(lines), per_page)]


def render(lines: list[str], dpi: int, rng: random.Random, scan: bool = True) -> Image.Image:
    size = (round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi))
    font = ImageFont.truetype(str(FONT), round(POINT_SIZE * dpi / 72))
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    left = top = MARGIN_INCHES * dpi
    step = POINT_SIZE * 1.5 * dpi / 72
    indent = font.getlength("中中")
    for n, line in enumerate(lines):
        draw.text((left + (indent if line.startswith("  ") else 0), top + n * step), line.strip(), font=font, fill=20)
    if not scan:  # a born-digital image: no rotation, noise or compression
        return page.convert("RGB")
    page = page.rotate(rng.uniform(-0.8, 0.8), resample=Image.BICUBIC, fillcolor=255)
    noisy = np.asarray(page, dtype=np.float32) + np.random.default_rng(rng.randrange(1 << 30)).normal(0, 10, page.size[::-1])
    page = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    buffer = io.BytesIO()
    page.save(buffer, "JPEG", quality=70)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


# --- scores -----------------------------------------------------------------------------------


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．])")


def heading_lines(paragraphs: list[str]) -> list[str]:
    """The report's numbered headings as written (一. / 1.) and restyled as 一、 and （一）, each line
    followed by a body line: the numbers carry the section structure and must survive OCR."""
    heads = [h for h in paragraphs if heading_like(h)]
    out = []
    for n, head in enumerate(heads):
        title = _NUMBERING.sub("", head).strip()
        cn = "一二三四五六七八九十"[n % 10]
        for styled in (head, f"{cn}、{title}", f"（{cn}）{title}"):
            out += [styled, "  " + paragraphs[(n * 7) % len(paragraphs)][:30]]
    return out


def numbers_kept(lines: list[str], read: list[str]) -> tuple[int, int]:
    """(headings whose number starts the OCR line holding their title, headings)."""
    kept = total = position = 0
    for line in lines:
        match = _NUMBERING.match(line.strip())
        if line.startswith("  ") or not match:
            continue
        total += 1
        title = squeeze(line.strip()[match.end():])[:6]
        found = next((i for i in range(position, len(read)) if title and title in squeeze(read[i])), None)
        if found is None:  # the title itself was misread: the number counts as lost
            continue
        position = found + 1
        kept += squeeze(read[found]).translate(_HALF).startswith(squeeze(match.group(0)).translate(_HALF))
    return kept, total


def squeeze(text: str) -> str:
    return "".join(text.split())


def figures_of(text: str) -> list[str]:
    return [squeeze(f.raw) for f in extract_figures(text) if any(ch.isdigit() for ch in f.raw)]


# --- engines ----------------------------------------------------------------------------------


class V4:
    name = "rapidocr-onnxruntime 1.4.4 (PP-OCRv4)"

    def __init__(self, threads: int) -> None:
        from rapidocr_onnxruntime import RapidOCR

        folder = Path(sys.modules["rapidocr_onnxruntime"].__file__).parent / "models"
        self.engine = RapidOCR(det_model_path=str(folder / "ch_PP-OCRv4_det_infer.onnx"),
                               rec_model_path=str(folder / "ch_PP-OCRv4_rec_infer.onnx"),
                               cls_model_path=str(folder / "ch_ppocr_mobile_v2.0_cls_infer.onnx"),
                               intra_op_num_threads=threads, inter_op_num_threads=1)

    def boxes(self, image: np.ndarray) -> list[OcrBox]:
        result, _ = self.engine(image)
        out = []
        for points, text, score in result or []:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            out.append(OcrBox(text, float(score), min(xs), min(ys), max(xs), max(ys)))
        return out


class V6:
    name = "rapidocr 3.10 (PP-OCRv6 small)"

    def __init__(self, threads: int) -> None:
        self.engine = build_engine(threads)

    def boxes(self, image: np.ndarray) -> list[OcrBox]:
        return run_engine(self.engine, image)


ENGINES = {"v4": V4, "v6": V6}


def commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=9, help="report pages (the report fills 9)")
    parser.add_argument("--dpi", default="150,200")
    parser.add_argument("--engines", default="v4,v6")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--save", type=Path, help="write the rendered pages here as PNG")
    parser.add_argument("--misses", action="store_true", help="print figures each engine misread")
    args = parser.parse_args()

    paragraphs = [b.text for b in load_document(REAL_REPORT).blocks if b.kind != "table"]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    rows = []
    pages = typeset(paragraphs)
    for dpi in (int(d) for d in args.dpi.split(",")):
        picked = [pages[round(i * (len(pages) - 1) / max(1, args.pages - 1))] for i in range(min(args.pages, len(pages)))]
        rng = random.Random(args.seed)
        images = [np.asarray(render(lines, dpi, rng)) for lines in picked]
        truths = [squeeze("".join(line.strip() for line in lines)) for lines in picked]
        per_page = len(pages[0])
        heads = heading_lines(paragraphs)
        head_pages = [heads[i:i + per_page] for i in range(0, len(heads), per_page)]
        head_images = [np.asarray(render(lines, dpi, rng)) for lines in head_pages]
        clean_images = [np.asarray(render(lines, dpi, rng, scan=False)) for lines in head_pages]
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            for n, image in enumerate(images, 1):
                Image.fromarray(image).save(args.save / f"page-{dpi}-{n}.png")
        for key in args.engines.split(","):
            try:
                engine = ENGINES[key](args.threads)
            except ImportError as error:  # rapidocr-onnxruntime is not a dependency: pip install it to compare
                print(f"skipping {key}: {error}", file=sys.stderr)
                continue
            engine.boxes(images[0][:200])  # warm-up
            distance = length = found = figures = 0
            seconds = []
            for image, truth in zip(images, truths, strict=True):
                started = time.perf_counter()
                text = squeeze("".join(ln.text for ln in lines_from_boxes(engine.boxes(image))))
                seconds.append(time.perf_counter() - started)
                distance += levenshtein(text, truth)
                length += len(truth)
                wanted = figures_of(truth)
                read = text.translate(_HALF)
                hits = [f for f in wanted if f in read]
                found += len(hits)
                figures += len(wanted)
                if args.misses:
                    missed = [f for f in wanted if f not in read]
                    if missed:
                        print(f"{engine.name} @ {dpi} dpi missed: {' '.join(missed)}", file=sys.stderr)
            kept = {}
            for kind, pictures in (("scan", head_images), ("clean", clean_images)):
                k = t = 0
                for image, lines in zip(pictures, head_pages, strict=True):
                    a, b = numbers_kept(lines, [ln.text for ln in lines_from_boxes(engine.boxes(image))])
                    k, t = k + a, t + b
                kept[kind] = (k / max(1, t), t)
            rows.append((engine.name, f"{dpi} dpi", len(images), 1 - distance / length, found / max(1, figures),
                         figures, kept["scan"], kept["clean"], statistics.median(seconds)))
    print("| package | scan | pages | char accuracy | figure accuracy (figures) | heading numbers kept: scan / clean "
          "image (headings) | s/page (median) | machine | date | commit |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    today, head = dt.date.today().isoformat(), commit()
    for name, scan, n, chars, figs, count, (on_scan, heads), (on_clean, _), secs in rows:
        print(f"| {name} | {scan} | {n} | {chars:.3f} | {figs:.3f} ({count}) | {on_scan:.3f} / {on_clean:.3f} ({heads}) "
              f"| {secs:.2f} | {machine} | {today} | {head} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
