"""Bad input: every bad file gets a named reason and leaves the index exactly as it was; bad upload
names and sizes are refused before anything is parsed or written; huge or empty questions and huge
notes are handled without a crash."""

from __future__ import annotations

import os
import random
import time
import zipfile
from pathlib import Path

import pytest

from tests.reliability.conftest import assert_consistent, fake_chat_model, index_state, load_uploads


def _pdf_canvas(path: Path, **options):
    from reportlab.pdfgen import canvas

    return canvas.Canvas(str(path), **options)


def corrupt_pdf(path: Path) -> None:
    rng = random.Random(3)
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n" + bytes(rng.randrange(256) for _ in range(4000)))


def encrypted_pdf(path: Path) -> None:
    pdf = _pdf_canvas(path, encrypt="secret")
    pdf.drawString(72, 720, "confidential 2021")
    pdf.showPage()
    pdf.save()


def scanned_pdf(path: Path) -> None:
    pdf = _pdf_canvas(path)
    pdf.rect(72, 72, 400, 600, fill=1)  # an "image" of a page: shapes only, no text layer
    pdf.showPage()
    pdf.save()


def zip_bomb_docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b" " * (40 * 1024 * 1024))  # ~40 KB packed, 40 MB unpacked


def not_a_zip_docx(path: Path) -> None:
    path.write_text("这是一个改了扩展名的文本文件。", encoding="utf-8")


def empty_md(path: Path) -> None:
    path.write_bytes(b"")


def binary_txt(path: Path) -> None:
    rng = random.Random(5)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(8000)))


def random_txt(path: Path) -> None:
    path.write_bytes(os.urandom(16_000))


def high_bytes_md(path: Path) -> None:
    """No NUL, no control byte: decodes in GB18030 to *some* text, refused on its characters."""
    rng = random.Random(6)
    path.write_bytes(bytes(rng.randrange(0x80, 0x100) for _ in range(16_000)))


def blank_png(path: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 900), "white")
    ImageDraw.Draw(image).rectangle((100, 100, 700, 500), outline="gray", width=6)  # a frame, no text
    image.save(path)


def headerless_xlsx(path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    for row in [(1, 2, 3), (4, 5, 6), (7, 8, 9)]:
        sheet.append(row)
    workbook.save(path)


def encrypted_xlsx(path: Path) -> None:
    import io

    import openpyxl
    from msoffcrypto.format.ooxml import OOXMLFile

    workbook = openpyxl.Workbook()
    workbook.active.append(["指标", "数值"])
    workbook.active.append(["专任教师", 113])
    plain = io.BytesIO()
    workbook.save(plain)
    plain.seek(0)
    with path.open("wb") as out:
        OOXMLFile(plain).encrypt("secret", out)


def corrupt_xlsx(path: Path) -> None:
    headerless_xlsx(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


BAD_FILES = [
    ("corrupt.pdf", corrupt_pdf, "corrupt or unreadable PDF"),
    ("encrypted.pdf", encrypted_pdf, "encrypted PDF"),
    ("scanned.pdf", scanned_pdf, "scanned PDF: OCR found no text"),
    ("bomb.docx", zip_bomb_docx, "zip bomb"),
    ("not_a_zip.docx", not_a_zip_docx, "not a zip"),
    ("empty.md", empty_md, "empty file"),
    ("image.txt", binary_txt, "binary file"),
    ("random.txt", random_txt, "文件不是文本（二进制内容） (binary file, not text)"),
    ("high_bytes.md", high_bytes_md, "binary file, not text"),
    ("blank.png", blank_png, "图片中没有识别到文字 (no text found in image)"),
    ("no_header.xlsx", headerless_xlsx, "表格缺少表头 (no header row found in sheet 数据)"),
    ("locked.xlsx", encrypted_xlsx, "加密的 Excel 文件，需要密码 (encrypted spreadsheet: password required)"),
    ("truncated.xlsx", corrupt_xlsx, "XLSX"),
]


@pytest.mark.parametrize(("name", "make", "reason"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_named_with_reason_and_index_is_unchanged(baseline, name, make, reason):
    indexer, knowledge = baseline
    before = index_state(indexer)
    path = knowledge / name
    make(path)
    try:
        started = time.perf_counter()
        report = indexer.sync()
        assert time.perf_counter() - started < 60
        assert report.failed.keys() == {name}, report.failed
        assert reason in report.failed[name]
        record = indexer.catalog.document(name)
        assert record is not None and record.status == "failed" and reason in (record.error or "")
        assert index_state(indexer) == before  # chunk ids, vector ids, indexed documents
        assert_consistent(indexer)
        again = indexer.sync()  # remembered: not parsed again, still reported
        assert again.failed == {name: report.failed[name]} and not again.added
    finally:
        path.unlink()
        indexer.sync()
    assert indexer.catalog.document(name) is None and index_state(indexer) == before


def test_a_bad_new_version_keeps_the_old_one(baseline):
    indexer, knowledge = baseline
    before = index_state(indexer)
    path = knowledge / "reports" / "2021_self_assessment_report.md"
    original = path.read_bytes()
    try:
        binary_txt(path)
        report = indexer.sync()
        assert "binary file" in report.failed["reports/2021_self_assessment_report.md"]
        assert index_state(indexer) == before
        assert indexer.catalog.document("reports/2021_self_assessment_report.md").error
    finally:
        path.write_bytes(original)
        indexer.sync()
    assert index_state(indexer) == before


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_chinese_legacy_encodings_are_decoded_and_indexed(baseline, encoding):
    from assistant.retrieval import Retriever

    indexer, knowledge = baseline
    before = index_state(indexer)
    extra = "（生僻字𠀾）" if encoding == "gb18030" else ""  # 4-byte GB18030, not in GBK
    text = ("一、基本情况\n\n2023年，学院开设中外合作课程共计一百二十门，其中引进外方课程四十八门，"
            f"外方课程占比为百分之四十。学院图书馆馆藏图书七万册{extra}。\n\n"
            "二、学生发展\n\n2023届毕业生就业去向落实率为百分之九十六点五，升学出国比例持续提高。\n")
    path = knowledge / f"legacy_{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    try:
        report = indexer.sync()
        assert report.added == [path.name] and not report.failed
        chunks = indexer.catalog.chunks([path.name])
        joined = "".join(c.text for c in chunks)
        assert "引进外方课程四十八门" in joined and "就业去向落实率" in joined and "\ufffd" not in joined
        if extra:
            assert "𠀾" in joined
        hits = Retriever(indexer.settings, indexer.catalog, indexer.vectors).search("外方课程占比", k=3)
        assert hits and hits[0].chunk.source == path.name
        assert_consistent(indexer)
    finally:
        path.unlink()
        indexer.sync()
    assert index_state(indexer) == before


def test_markdown_of_only_a_giant_table(baseline):
    indexer, knowledge = baseline
    before = index_state(indexer)
    rows = ["| 序号 | 课程名称 | 学分 | 外方课程 |", "|---|---|---|---|"]
    rows += [f"| {i} | 课程{i:04d} | {i % 6 + 1} | {'是' if i % 3 == 0 else '否'} |" for i in range(1500)]
    path = knowledge / "giant_table.md"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    try:
        started = time.perf_counter()
        report = indexer.sync()
        elapsed = time.perf_counter() - started
        assert report.added == ["giant_table.md"] and not report.failed
        chunks = indexer.catalog.chunks(["giant_table.md"])
        assert len(chunks) > 1  # split by rows, header repeated
        assert all(c.text.startswith("| 序号 | 课程名称") for c in chunks)
        assert "课程1499" in "".join(c.text for c in chunks)
        assert elapsed < 120
        assert_consistent(indexer)
    finally:
        path.unlink()
        indexer.sync()
    assert index_state(indexer) == before


# ---- uploads (validation before anything is parsed or written) ------------------------------------

def test_a_200_mb_upload_is_rejected_by_size_before_parsing(tmp_path, monkeypatch):
    uploads = load_uploads()
    big = tmp_path / "big.pdf"
    with big.open("wb") as fh:  # sparse: no 200 MB of real data is written
        fh.truncate(200 * 1024 * 1024)
    assert big.stat().st_size == 200 * 1024 * 1024

    def no_parsing(*args, **kwargs):
        raise AssertionError("the upload was parsed before its size was checked")

    monkeypatch.setattr("assistant.ingest.loaders.load_document", no_parsing)
    monkeypatch.setattr(uploads.shutil, "copyfile", no_parsing)
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    started = time.perf_counter()
    with pytest.raises(uploads.UploadRejected, match="file too large"):
        uploads.save_upload(big, "big.pdf", knowledge, "", 50)
    assert time.perf_counter() - started < 1
    assert list(knowledge.rglob("*")) == []


BAD_NAMES = [
    ("../evil.md", "“..”"),
    ("reports/../../evil.md", "“..”"),
    ("..\\..\\evil.md", "“..”"),
    ("/etc/cron.d/evil.md", "absolute paths"),
    ("C:\\Windows\\evil.md", "absolute paths"),
    ("\\\\server\\share\\evil.md", "absolute paths"),
    ("evil\x00.md", "control characters"),
    ("evil\n.md", "control characters"),
    ("长" * 200 + ".md", "file name too long"),
    ("a" * 250 + ".md", "file name too long"),
    (".hidden.md", "invalid file name"),
    ("", "empty file name"),
    ("report.exe", "unsupported file type"),
]


@pytest.mark.parametrize(("name", "reason"), BAD_NAMES, ids=[repr(n[0])[:30] for n in BAD_NAMES])
def test_bad_upload_names_are_rejected_and_nothing_escapes(tmp_path, name, reason):
    uploads = load_uploads()
    UploadRejected, save_upload = uploads.UploadRejected, uploads.save_upload
    root = tmp_path / "area"
    knowledge = root / "knowledge"
    knowledge.mkdir(parents=True)
    upload = tmp_path / "upload.bin"
    upload.write_text("# 报告\n\n内容。\n", encoding="utf-8")
    with pytest.raises(UploadRejected, match=reason):
        save_upload(upload, name, knowledge, "", 50)
    assert sorted(p for p in root.rglob("*")) == [knowledge]


@pytest.mark.parametrize("folder", ["..", "../..", "/tmp", "reports/../..", "missing"])
def test_bad_upload_folders_are_rejected(tmp_path, folder):
    uploads = load_uploads()
    UploadRejected, save_upload = uploads.UploadRejected, uploads.save_upload
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    upload = tmp_path / "a.md"
    upload.write_text("内容。", encoding="utf-8")
    with pytest.raises(UploadRejected):
        save_upload(upload, "a.md", knowledge, folder, 50)
    assert list(knowledge.rglob("*")) == []


def test_directory_parts_of_an_upload_name_are_stripped(tmp_path):
    save_upload = load_uploads().save_upload
    knowledge = tmp_path / "knowledge"
    upload = tmp_path / "x.md"
    upload.write_text("# 报告\n\n内容。\n", encoding="utf-8")
    assert save_upload(upload, "docs/sub/a.md", knowledge, "reports", 50) == "reports/a.md"


def test_duplicate_uploads_replace_and_never_double_index(baseline, tmp_path):
    save_upload = load_uploads().save_upload
    indexer, knowledge = baseline
    before = index_state(indexer)
    upload = tmp_path / "dup.md"
    upload.write_text("# 2020 年度自评报告\n\n## 一、概况\n\n2020 年学院在校生 3210 人。\n", encoding="utf-8")
    try:
        assert save_upload(upload, "dup.md", knowledge, "reports", 50) == "reports/dup.md"
        first = indexer.sync()
        assert first.added == ["reports/dup.md"]
        ids = {c.id for c in indexer.catalog.chunks(["reports/dup.md"])}
        save_upload(upload, "dup.md", knowledge, "reports", 50)  # same file again
        again = indexer.sync()
        assert "reports/dup.md" in again.unchanged and again.chunks == 0
        assert {c.id for c in indexer.catalog.chunks(["reports/dup.md"])} == ids
        upload.write_text("# 2020 年度自评报告\n\n## 一、概况\n\n2020 年学院在校生 3999 人。\n", encoding="utf-8")
        save_upload(upload, "dup.md", knowledge, "reports", 50)  # same name, new content: replaced
        third = indexer.sync()
        assert third.updated == ["reports/dup.md"]
        texts = " ".join(c.text for c in indexer.catalog.chunks(["reports/dup.md"]))
        assert "3999" in texts and "3210" not in texts
        assert not list((knowledge / "reports").glob(".*.part"))
        assert_consistent(indexer)
    finally:
        (knowledge / "reports" / "dup.md").unlink(missing_ok=True)
        indexer.sync()
    assert index_state(indexer) == before


# ---- questions and notes -------------------------------------------------------------------------

MAX_QUESTION_CHARS = 2000
"""Proposed limit: a report question is a sentence or two; 2,000 characters leave room for pasted
paragraphs while bounding retrieval (jieba, embedding) and prompt cost."""


def _retriever(indexer):
    from assistant.retrieval import Retriever

    return Retriever(indexer.settings, indexer.catalog, indexer.vectors)


def test_a_100k_character_question_is_refused_clearly(baseline):
    from assistant.chains.answer import AnswerChain

    indexer, _ = baseline
    before = index_state(indexer)
    question = ("2022年的生师比是多少？" + "请详细说明各项指标。" * 10_000)[:100_000]
    model = fake_chat_model(["2022年生师比为11.21[1]。"] * 4)
    started = time.perf_counter()
    events = list(AnswerChain(model, _retriever(indexer)).stream(question))
    assert [e.kind for e in events] == ["error"]
    assert "too long" in events[0].error and "100000" in events[0].error and "2000" in events[0].error
    assert time.perf_counter() - started < 5 and type(model).seen == []
    with pytest.raises(ValueError, match="too long"):
        AnswerChain(model, _retriever(indexer)).invoke(question)
    assert index_state(indexer) == before


def test_retrieval_embeds_a_bounded_prefix_of_a_huge_query(baseline):
    """The retriever is also used directly (CLI ``search``): the vector side embeds at most 2,000
    characters (embedding 100k characters takes ~30 s of CPU); the keyword side sees everything."""
    indexer, _ = baseline
    retriever = _retriever(indexer)
    embedded: list[int] = []
    search = retriever.vectors.store.similarity_search_with_score
    retriever.vectors.store = type("Spy", (), {"similarity_search_with_score": staticmethod(
        lambda query, **kw: embedded.append(len(query)) or search(query, **kw))})()
    started = time.perf_counter()
    results = retriever.search(("2022年的生师比是多少？" + "请详细说明各项指标。" * 10_000)[:100_000], k=3)
    assert results and embedded and max(embedded) <= 2000
    assert time.perf_counter() - started < 20


def test_an_overlong_question_is_refused_with_a_clear_message(baseline):
    from assistant.chains.answer import AnswerChain

    indexer, _ = baseline
    model = fake_chat_model()
    passages = _retriever(indexer).search("生师比", k=3)
    stub = type("Stub", (), {"search": lambda self, query, **kw: passages})()
    chain = AnswerChain(model, stub)
    events = list(chain.stream("生师比" * 40_000))
    assert [e.kind for e in events] == ["error"]
    assert "too long" in events[0].error and str(MAX_QUESTION_CHARS) in events[0].error
    assert type(model).seen == []  # the model is never called


@pytest.mark.parametrize("question", ["", "   ", "\n\t "])
def test_an_empty_question_never_reaches_the_model(baseline, question):
    from assistant.chains.answer import AnswerChain

    indexer, _ = baseline
    model = fake_chat_model()
    events = list(AnswerChain(model, _retriever(indexer)).stream(question))
    assert events[-1].kind in ("final", "error")
    if events[-1].kind == "final":
        assert events[-1].answer.not_found
    assert type(model).seen == []


NOTES_10K = "\n".join(f"- 指标{i}：任课教师 {100 + i % 50} 人，生师比 {10 + (i % 90) / 10:.1f}" for i in range(10_000))


def _draft_deps(indexer):
    from assistant.drafting import DraftDeps

    return DraftDeps(chunks=indexer.catalog.chunks, retriever=_retriever(indexer),
                     chat_model=fake_chat_model(["## 三、师资建设\n\n2023年，任课教师120人。"] * 3))


def test_notes_with_10000_bullet_points(baseline):
    """Update mode (no model) handles them; write mode refuses them with a clear message before the
    model (they would be ~290,000 characters of prompt)."""
    from assistant.drafting import draft_section

    indexer, _ = baseline
    before = index_state(indexer)
    deps = _draft_deps(indexer)
    started = time.perf_counter()
    update = draft_section(deps, "师资建设", 2023, NOTES_10K, mode="update")
    assert update.text.strip() and time.perf_counter() - started < 60
    with pytest.raises(ValueError, match="notes too long"):
        draft_section(deps, "师资建设", 2023, NOTES_10K, mode="write")
    assert type(deps.chat_model).seen == []
    short = "\n".join(NOTES_10K.splitlines()[:20])
    written = draft_section(deps, "师资建设", 2023, short, mode="write")
    assert written.text.strip() and type(deps.chat_model).seen
    assert index_state(indexer) == before
