"""Prompt files, loaded by name.

Every prompt is one text file in this package's folder, ``assistant/prompts/`` (``<name>.md`` or
``<name>.txt``).  The files are package data (``[tool.setuptools.package-data]`` in pyproject.toml),
so a wheel install carries them (they used to live in a ``prompts/`` folder beside the package,
which no wheel contains: an installed ``python -m assistant ask`` could not find its prompts).
``ASSISTANT_PROMPTS_DIR`` points the loader at another folder (to try wording without touching the
code or reinstalling).

Placeholders are written ``{name}``; :func:`render` replaces only the names it is given, so other
braces in a prompt (examples, JSON) need no escaping.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_SUFFIXES = (".md", ".txt")
_NAME = re.compile(r"^[A-Za-z0-9_\-]+$")


def prompts_dir() -> Path:
    """The folder prompts are read from: ``$ASSISTANT_PROMPTS_DIR`` or this package's folder."""
    configured = os.environ.get("ASSISTANT_PROMPTS_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent


def load_prompt(name: str) -> str:
    """Text of prompt ``name`` (``<name>.md`` or ``.txt`` in :func:`prompts_dir`), without trailing whitespace.

    Raises ``FileNotFoundError`` naming the prompt and the folder searched.
    """
    if not _NAME.match(name):
        raise ValueError(f"invalid prompt name: {name!r}")
    folder = prompts_dir()
    for suffix in _SUFFIXES:
        path = folder / f"{name}{suffix}"
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    raise FileNotFoundError(f"prompt '{name}' not found in {folder} (looked for {name}.md, {name}.txt)")


def render(template: str, **values: object) -> str:
    """Replace ``{key}`` for each given key; leave every other brace alone."""
    if not values:
        return template
    pattern = re.compile(r"\{(" + "|".join(re.escape(k) for k in values) + r")\}")
    return pattern.sub(lambda m: str(values[m.group(1)]), template)
