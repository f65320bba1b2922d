"""Shared parser for the corpus5 sources (src/2022.md, 2023.md, 2024.md).

Source dialect:
  =line            cover block line
  ## title         section (level 1);  ### title  sub-section (level 2)
  #caption         table caption (PDF/DOCX);  a non-pipe line directly before pipe rows in 2023
  | a | b |        table row
  ~text            paragraph that is hard-wrapped in the .txt output
  other lines      paragraphs
Inline figure markup: [[metric:display]], [[metric@2021:display]] (figure about another year),
[[metric:display|23]] (numeric value when display is not plain digits).
"""
import re
from pathlib import Path

SRC = Path(__file__).resolve().parent
MARK = re.compile(r"\[\[([^:\]]+):([^\]|]*)(?:\|([^\]]*))?\]\]")
COLLEGE = "岚江机电职业技术学院"


def render(text):
    """Return (plain text, [(metric, data_year or None, display, override, start, end)])."""
    out, figs, pos = [], [], 0
    plain_len = 0
    for m in MARK.finditer(text):
        out.append(text[pos:m.start()])
        plain_len += m.start() - pos
        metric, disp, over = m.group(1), m.group(2), m.group(3)
        dy = None
        if "@" in metric:
            metric, dy = metric.split("@")
            dy = int(dy)
        figs.append((metric, dy, disp, over, plain_len, plain_len + len(disp)))
        out.append(disp)
        plain_len += len(disp)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), figs


def parse(year):
    """Blocks: ('cover', text) ('h1', text) ('h2', text) ('p', text, wrap) ('caption', text)
    ('table', rows) where text keeps the markup."""
    blocks = []
    lines = (SRC / f"{year}.md").read_text(encoding="utf-8").split("\n")
    for ln in lines:
        s = ln.rstrip()
        if not s:
            continue
        if s.startswith("|"):
            row = [c.strip() for c in s.strip("|").split("|")]
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(row)
            else:
                blocks.append(("table", [row]))
        elif s.startswith("="):
            blocks.append(("cover", s[1:]))
        elif s.startswith("### "):
            blocks.append(("h2", s[4:]))
        elif s.startswith("## "):
            blocks.append(("h1", s[3:]))
        elif s.startswith("#"):
            blocks.append(("caption", s[1:]))
        elif s.startswith("~"):
            blocks.append(("p", s[1:], True))
        else:
            blocks.append(("p", s, False))
    # in 2023 a caption is a plain line starting with 表N directly before a table
    for i, b in enumerate(blocks):
        if b[0] == "p" and i + 1 < len(blocks) and blocks[i + 1][0] == "table":
            blocks[i] = ("caption", b[1])
    return blocks


def plain(text):
    return render(text)[0]
