"""The built wheel carries every data file the code reads (prompts, the domain vocabulary).

A wheel used to contain none of them: the prompts lived in ``prompts/`` beside the package and the
glossary (now ``assistant/domain/terms.toml``) was not declared as package data, so an installed
``python -m assistant ask`` had neither. The wheel is built here with the
setuptools backend itself (what ``pip wheel`` calls), from a copy of the sources, offline.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "assistant"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wheel")
    src = root / "src"
    shutil.copytree(PACKAGE, src / "assistant", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    out = root / "dist"
    build = ("import sys\nfrom setuptools import build_meta\n"
             "print(build_meta.build_wheel(sys.argv[1]))")
    done = subprocess.run([sys.executable, "-c", build, str(out)], cwd=src, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return out / done.stdout.strip().splitlines()[-1]


def _data_files() -> list[str]:
    """Every file of the package that is not Python source, as a path inside the wheel."""
    return sorted(p.relative_to(REPO).as_posix() for p in PACKAGE.rglob("*")
                  if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts)


def test_wheel_contains_every_prompt(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    prompts = sorted(p.name for p in (PACKAGE / "prompts").iterdir() if p.suffix in (".md", ".txt"))
    assert {"system.md", "answer.md", "answer_strict.md", "condense.md", "draft.md"} <= set(prompts)
    missing = [name for name in prompts if f"assistant/prompts/{name}" not in names]
    assert missing == []


def test_wheel_contains_every_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data = _data_files()
    assert "assistant/domain/terms.toml" in data
    assert [name for name in data if name not in names] == []


def test_prompts_load_from_the_unpacked_wheel(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import json\nfrom assistant.prompts import load_prompt, prompts_dir\n"
            "print(json.dumps([str(prompts_dir()), load_prompt('system')]))")
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_PROMPTS_DIR"}
    env["PYTHONPATH"] = str(site)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    folder, system = json.loads(done.stdout)
    assert Path(folder) == site / "assistant" / "prompts"
    assert system == (PACKAGE / "prompts" / "system.md").read_text(encoding="utf-8").strip()
