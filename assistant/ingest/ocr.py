"""OCR for pages without a text layer (scanned PDFs) and for images, with the models inside a wheel.

Engine: ``rapidocr`` 3.10 with its bundled PP-OCRv6 *small* detection and recognition models (and the
PP-OCR mobile direction classifier), run by onnxruntime. ``bench/ocr.py`` compared it with
``rapidocr-onnxruntime`` 1.4.4 (PP-OCRv4) on pages of the real 2020 report rendered at scan
resolution with noise and a slight rotation: see the README table (character accuracy, figure
accuracy, seconds per page). The model files are passed by path, so the engine never looks for a
download (checked with the network namespace removed, ``unshare -n``).

Why a worker process: onnxruntime cannot be interrupted from Python, and one pathological page must
not hold an ingest hostage. Each page is sent to one child process that lives for the ingest (the
models load once: 3–10 s on the shared 2-core machine; ~330 MB resident, so ``Indexer.sync`` stops it
at the end); a page that takes longer than ``ocr_page_timeout`` seconds is skipped — the child is
killed, the reason recorded, the next page gets a fresh child — and the rest of the document is
indexed. Model loading does not count against a page's limit.

Reading order: boxes are sorted into lines by their vertical centres (a box joins a line when its
centre lies inside the line's band), each line left to right; CJK neighbours are joined without a
space, Latin words with one. Coordinates are returned in PDF points (1/72 inch) so that the PDF
loader's paragraph geometry treats OCR pages and text pages alike. A line's confidence is the mean
score of its boxes.
"""

from __future__ import annotations

import atexit
import math
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from importlib.util import find_spec
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from assistant.types import LoadError

ENGINE = "rapidocr"
MODEL_FILES = {"det": "PP-OCRv6_det_small.onnx", "rec": "PP-OCRv6_rec_small.onnx",
               "cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}
READY_TIMEOUT = 120.0  # model loading on a busy 2-core machine
MAX_IMAGE_SIDE = 4000  # pixels; larger photos are scaled down before OCR (detection sees ≤ 2000 anyway)


class PageTimeout(Exception):
    """OCR of one page took longer than the limit."""


class OcrUnavailable(LoadError):
    """The OCR engine could not be started (package or model files missing): the file is not indexed."""


@dataclass(frozen=True)
class OcrBox:
    """One recognised text box: its text, score (0–1) and bounding box in pixels."""

    text: str
    score: float
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class OcrLine:
    """A line of text in reading order, in the caller's units (PDF points for pages)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float

    def as_pdf_line(self) -> dict:
        """The shape of a ``pdfplumber`` text line, plus ``confidence``."""
        return {"text": self.text, "x0": self.x0, "x1": self.x1, "top": self.top, "bottom": self.bottom,
                "confidence": self.confidence}


@dataclass
class OcrOptions:
    """How OCR runs during one ``load_document`` call (set by the indexer, read by the loaders)."""

    page_timeout: float = 60.0
    dpi: int = 200
    threads: int = 2
    progress: Callable[[int, int], None] | None = None  # (page done, pages) for every OCRed page
    skipped: list[str] = field(default_factory=list)  # reasons of pages that were skipped


OPTIONS: ContextVar[OcrOptions | None] = ContextVar("ocr_options", default=None)


@contextmanager
def ocr_options(options: OcrOptions) -> Iterator[OcrOptions]:
    token = OPTIONS.set(options)
    try:
        yield options
    finally:
        OPTIONS.reset(token)


def current_options() -> OcrOptions:
    return OPTIONS.get() or OcrOptions()


# --- reading order ----------------------------------------------------------------------------


def lines_from_boxes(boxes: list[OcrBox], scale: float = 1.0) -> list[OcrLine]:
    """Boxes grouped into lines top to bottom, each left to right; coordinates multiplied by ``scale``."""
    from assistant.text.sentences import join_wrapped

    groups: list[list[OcrBox]] = []
    for box in sorted((b for b in boxes if b.text.strip()), key=lambda b: (b.top + b.bottom) / 2):
        centre = (box.top + box.bottom) / 2
        if groups:
            line = groups[-1]
            top = min(b.top for b in line)
            bottom = max(b.bottom for b in line)
            if top <= centre <= bottom or abs(centre - (top + bottom) / 2) < 0.35 * (box.bottom - box.top):
                line.append(box)
                continue
        groups.append([box])
    lines = []
    for group in groups:
        group.sort(key=lambda b: b.x0)
        text = ""
        for box in group:
            text = join_wrapped(text, box.text.strip())
        lines.append(OcrLine(text, min(b.x0 for b in group) * scale, min(b.top for b in group) * scale,
                             max(b.x1 for b in group) * scale, max(b.bottom for b in group) * scale,
                             sum(b.score for b in group) / len(group)))
    return lines


# --- engine -----------------------------------------------------------------------------------


def model_paths() -> dict[str, Path]:
    """The model files inside the installed ``rapidocr`` wheel; :class:`OcrUnavailable` if absent."""
    spec = find_spec(ENGINE)
    if spec is None or spec.origin is None:
        raise OcrUnavailable("未安装 OCR 组件 rapidocr (OCR package rapidocr is not installed)")
    folder = Path(spec.origin).parent / "models"
    paths = {task: folder / name for task, name in MODEL_FILES.items()}
    missing = [p.name for p in paths.values() if not p.is_file()]
    if missing:
        raise OcrUnavailable(f"OCR 模型文件缺失 (OCR model files missing): {', '.join(missing)}")
    return paths


def build_engine(threads: int = 2):  # noqa: ANN201 - the engine type lives in an optional package
    """A RapidOCR engine on the bundled model files (no download can happen: every path is given)."""
    from rapidocr import RapidOCR

    paths = model_paths()
    params = {"Global.log_level": "error", "Det.model_path": str(paths["det"]),
              "Rec.model_path": str(paths["rec"]), "Cls.model_path": str(paths["cls"]),
              "EngineConfig.onnxruntime.intra_op_num_threads": threads,
              "EngineConfig.onnxruntime.inter_op_num_threads": 1}
    return RapidOCR(params=params)


DITHER_SIGMA = 4.0


def dither(image: np.ndarray) -> np.ndarray:
    """Faint seeded grey noise (σ = 4 levels). The PP-OCRv6 small detector misses thin leading
    characters on perfectly clean renders — the 一、/ 二、 of 7 of 7 test headings (born-digital
    images, PDF pages drawn without a scanner) — and finds all 7 once σ ≥ 4; body text read the same."""
    noise = np.random.default_rng(0).normal(0, DITHER_SIGMA, image.shape[:2]).astype(np.float32)
    return np.clip(image.astype(np.float32) + noise[..., None], 0, 255).astype(np.uint8)


def run_engine(engine, image: np.ndarray) -> list[OcrBox]:  # noqa: ANN001
    output = engine(dither(image))
    if output.boxes is None or output.txts is None:
        return []
    boxes = []
    for points, text, score in zip(output.boxes, output.txts, output.scores, strict=True):
        xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
        boxes.append(OcrBox(str(text), float(score), min(xs), min(ys), max(xs), max(ys)))
    return boxes


class _Worker:
    """One child process holding the engine; restarted after a timeout or a crash.

    Started as ``python -m assistant.ingest.ocr_worker`` rather than through ``multiprocessing``: a spawned
    child re-runs the parent's main script, which breaks any caller without a ``__main__`` guard.
    """

    def __init__(self, threads: int) -> None:
        self.threads = threads
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).resolve().parents[2]), *filter(None, [os.environ.get("PYTHONPATH")])])}
        self.process = subprocess.Popen([sys.executable, "-m", "assistant.ingest.ocr_worker", str(threads)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.send = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.receive = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        if not self.receive.poll(READY_TIMEOUT):
            self.close()
            raise OcrUnavailable(f"OCR 引擎启动超时 (OCR engine did not start within {READY_TIMEOUT:.0f} s)")
        status, detail = self._receive()
        if status != "ready":
            self.close()
            raise OcrUnavailable(f"OCR 引擎无法启动 (OCR engine failed to start): {detail}")

    def _receive(self) -> tuple[str, object]:
        try:
            return self.receive.recv()
        except Exception as error:  # noqa: BLE001 - EOF, a broken pipe or a garbled message: the child is unusable
            return "error", f"OCR 进程意外退出 (OCR process died): {error or type(error).__name__}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def recognise(self, image: np.ndarray, timeout: float) -> list[OcrBox]:
        try:
            self.send.send(image)
        except OSError as error:
            self.close()
            raise RuntimeError(f"OCR 进程意外退出 (OCR process died): {error}") from None
        if not self.receive.poll(timeout):
            self.close()
            raise PageTimeout(timeout)
        status, detail = self._receive()
        if status != "ok":
            self.close()
            raise RuntimeError(str(detail))
        return [OcrBox(*fields) for fields in detail]  # type: ignore[union-attr]

    def stop(self) -> None:
        try:
            self.send.send(None)
        except OSError:
            pass
        self.close()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)
        for conn in (self.send, self.receive):
            conn.close()


_worker: _Worker | None = None
_lock = threading.Lock()


def recognise(image: np.ndarray, *, timeout: float, threads: int = 2) -> list[OcrBox]:
    """Boxes of ``image`` (H×W×3 uint8) from the shared worker; :class:`PageTimeout` past ``timeout``."""
    global _worker
    with _lock:
        if _worker is None or not _worker.alive() or _worker.threads != threads:
            if _worker is not None:
                _worker.close()
            _worker = _Worker(threads)
        worker = _worker
        try:
            return worker.recognise(image, timeout)
        except (PageTimeout, RuntimeError):
            _worker = None
            raise


@atexit.register
def shutdown() -> None:
    """Stop the worker process (also called at interpreter exit)."""
    global _worker
    with _lock:
        if _worker is not None:
            _worker.stop()
            _worker = None


def as_rgb_array(image) -> np.ndarray:  # noqa: ANN001 - a PIL image
    """A PIL image as H×W×3 uint8, scaled down to :data:`MAX_IMAGE_SIDE`."""
    image = image.convert("RGB")
    longest = max(image.size)
    if longest > MAX_IMAGE_SIDE:
        factor = MAX_IMAGE_SIDE / longest
        image = image.resize((max(1, round(image.width * factor)), max(1, round(image.height * factor))))
    return np.asarray(image)


# --- images -----------------------------------------------------------------------------------


def load_image(path: Path):  # noqa: ANN201 - ParsedDocument (imported lazily: loaders import this module)
    """A .png/.jpg/.jpeg file OCRed as one page (no page number: an image has none)."""
    from PIL import Image, UnidentifiedImageError

    from assistant.ingest.layout import blocks_from_lines
    from assistant.types import ParsedDocument

    options = current_options()
    try:
        with Image.open(path) as image:
            image.load()
            array = as_rgb_array(image)
    except Image.DecompressionBombError as error:
        raise LoadError("图片像素过多，疑似解压炸弹 (image rejected: too many pixels)") from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise LoadError("图片已损坏或无法识别 (corrupt or unreadable image)") from error
    scale = 72 / options.dpi
    try:
        boxes = recognise(array, timeout=options.page_timeout, threads=options.threads)
    except PageTimeout:
        raise LoadError(f"图片 OCR 超时（超过 {options.page_timeout:g} 秒）"
                        f"(image skipped: OCR took longer than {options.page_timeout:g} s)") from None
    except RuntimeError as error:
        raise LoadError(f"图片 OCR 失败 (OCR failed): {error}") from None
    if options.progress:
        options.progress(1, 1)
    blocks = blocks_from_lines([[ln.as_pdf_line() for ln in lines_from_boxes(boxes, scale=scale)]])
    for block in blocks:
        block.page = None
    if not any(b.text.strip() for b in blocks):
        raise LoadError("图片中没有识别到文字 (no text found in image)")
    return ParsedDocument(blocks)



def low_confidence_note(confidence: float | None, threshold: float) -> str | None:
    """The mark a citation of OCR text below ``threshold`` carries (CLI and UI show the same words)."""
    if confidence is None or confidence >= threshold:
        return None
    shown = f"{math.floor(confidence * 100 + 1e-9) / 100:.2f}"  # rounded down: 0.99995 is not shown as 1.00
    return f"OCR 识别文本，置信度 {shown} (OCR text, confidence {shown})"
