"""Build the held-out 2021 report (.docx) from its Markdown source.

Usage: .venv/bin/python bench/unseen/make_docx.py [SRC.md] [OUT.docx]

Defaults: bench/unseen/src/2021_self_assessment_report.md ->
bench/unseen/knowledge/reports/2021_self_assessment_report.docx

Why a generator: the question sets quote the .docx word for word, so the text must come from a
reviewable source file, and a rebuild from an unchanged source must give the same bytes. The source
lives outside ``knowledge/`` so that an index built over ``bench/unseen/knowledge`` does not see the
report twice. The Markdown subset and the pinned properties are those of ``tools/make_sample_docx.py``,
whose builder this calls.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tools"))

from make_sample_docx import build as build_docx  # noqa: E402

DEFAULT_SRC = HERE / "src" / "2021_self_assessment_report.md"
DEFAULT_OUT = HERE / "knowledge" / "reports" / "2021_self_assessment_report.docx"
FIXED_TIME = (2022, 4, 25, 9, 30, 0)


def build(src: Path, out: Path) -> Path:
    return build_docx(src, out, title="2021 年度自评报告", author="unseen corpus", fixed_time=FIXED_TIME)


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_SRC
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    if not src.is_file():
        print(f"找不到源文件 / source not found: {src}", file=sys.stderr)
        return 1
    print(f"wrote {build(src, out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
