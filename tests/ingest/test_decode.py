"""Text or binary, decided on the bytes and the decoded characters (not one NUL byte or a PNG
signature): random bytes of several kinds are refused, real text in UTF-8, GBK, GB18030, Big5,
UTF-16 and cp1252 is decoded."""

from __future__ import annotations

import os
import random

import pytest

from assistant.ingest.decode import BINARY, decode_text
from assistant.types import LoadError
from tests.conftest import REAL_REPORT

_RNG = random.Random(14)


def _gbk_pairs(n: int) -> bytes:
    """Random *valid* GBK double-byte codes: decodes cleanly into random Han characters."""
    out = bytearray()
    while len(out) < n:
        pair = bytes([_RNG.randrange(0xB0, 0xF8), _RNG.randrange(0xA1, 0xFF)])
        try:
            pair.decode("gbk")
        except UnicodeDecodeError:
            continue
        out += pair
    return bytes(out)


GARBAGE = {
    "os.urandom": lambda: os.urandom(8000),
    "high bytes only (no controls, no NUL)": lambda: bytes(_RNG.randrange(0x80, 0x100) for _ in range(8000)),
    "valid GBK pairs of random characters": lambda: _gbk_pairs(8000),
    "random printable ASCII with control bytes": lambda: bytes(_RNG.choice([*range(32, 127), 1, 2, 3, 27, 127])
                                                              for _ in range(8000)),
    "PNG signature": lambda: b"\x89PNG\r\n\x1a\n" + b"IHDR" + b"a" * 200,
    "PDF renamed": lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    "UTF-16 BOM followed by random bytes": lambda: b"\xff\xfe" + bytes(_RNG.randrange(0xD8, 0xE0) for _ in range(400)),
}


@pytest.mark.parametrize("make", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_is_binary(make) -> None:
    with pytest.raises(LoadError) as error:
        decode_text(make())
    assert str(error.value) == BINARY == "文件不是文本（二进制内容） (binary file, not text)"


REAL = REAL_REPORT.read_text(encoding="utf-8")[:3000]
TEXTS = {
    "utf-8 report": REAL.encode("utf-8"),
    "utf-8 with BOM": "\ufeff".encode() + REAL.encode("utf-8"),
    "gbk": REAL.replace("·", "").encode("gbk", errors="ignore"),
    "gb18030 with a 4-byte character": ("学院生僻字𠀾的记录。" + REAL).encode("gb18030"),
    "big5 traditional": "中外合作辦學機構年度自評報告。學院現有專任教師一百一十三人，學生培養成績突出，國際化辦學特色鮮明。".encode("big5"),
    "utf-16 with BOM": REAL.encode("utf-16"),
    "cp1252 western": "Café résumé: the college's naïve coöperation, 113 staff – 96.81% employed.\n".encode("cp1252"),
    "text that starts like a bitmap": b"BMI and MZ are abbreviations, not file signatures.\n",
    "DOS end-of-file marker": "学院共有教师113人。\r\n".encode() + b"\x1a",
}


@pytest.mark.parametrize("data", TEXTS.values(), ids=TEXTS.keys())
def test_real_text_is_decoded(data: bytes) -> None:
    text = decode_text(data)
    assert "\ufffd" not in text
    assert any(word in text for word in ("学院", "學院", "college", "abbreviations"))


def test_empty() -> None:
    with pytest.raises(LoadError, match="empty file"):
        decode_text(b" \n\t ")
