"""Heading numbering in Chinese documents — one definition for chunking, figure sections, drafting
and answer checking.

Families, highest first: ``第X编/部分`` · ``第X章`` · ``第X节`` · ``第X条`` · ``一、`` / ``一.`` ·
``（一）`` · ``1.1`` (nested by depth) · ``1.`` / ``1、`` · ``（1）``. Markdown ``#`` headings carry their
level themselves. A numbered line is a *heading* only when it is heading-shaped (short, one phrase);
``1.`` and ``（1）`` lines are list items unless body text follows them (the chunker decides that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

CN_NUMERALS = "一二三四五六七八九十百千零〇两"
_NUM = rf"[{CN_NUMERALS}\d]+"
HEADING_MAX_CHARS = 40
_TERMINALS = "。！？；!?"


@dataclass(frozen=True)
class Style:
    """A numbering family of headings written in the text itself."""

    key: str
    rank: int  # smaller is higher in the hierarchy
    pattern: re.Pattern[str]
    inline: bool = False  # a long paragraph opening with it has its lead phrase as heading ("（一）加强领导。各单位…")
    needs_body: bool = False  # a heading only when body text follows (else a list item)


STYLES: tuple[Style, ...] = (
    Style("part", 10, re.compile(rf"^第\s*{_NUM}\s*(?:编|部分)")),
    Style("chapter", 20, re.compile(rf"^第\s*{_NUM}\s*章")),
    Style("section", 30, re.compile(rf"^第\s*{_NUM}\s*节")),
    Style("article", 40, re.compile(rf"^第\s*{_NUM}\s*条(?!件)")),
    Style("cn", 50, re.compile(rf"^[{CN_NUMERALS}]+\s*[、.．]"), inline=True),
    Style("paren", 60, re.compile(rf"^[（(]\s*[{CN_NUMERALS}]+\s*[)）]"), inline=True),
    Style("decimal", 70, re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}(?=\s+[^\s\d%])")),
    Style("arabic", 70, re.compile(r"^\d{1,2}\s*[、.．](?!\d)"), needs_body=True),
    Style("paren_arabic", 80, re.compile(r"^[（(]\s*\d{1,2}\s*[)）]"), needs_body=True),
)

STYLES_BY_KEY = {s.key: s for s in STYLES}

NUMBERING = re.compile(
    rf"^[#\s]*(?:第\s*{_NUM}\s*(?:编|部分|章|节|条)|[{CN_NUMERALS}]+\s*[、.．]|[（(]\s*[{CN_NUMERALS}]+\s*[)）]"
    r"|\d{1,2}(?:\.\d{1,2})+\s*[.．、]?(?=\s)|\d{1,2}\s*[.．、](?!\d)|[（(]\s*\d{1,2}\s*[)）])\s*")
"""The numbering at the start of a heading or list line (with any ``#`` marks before it)."""

LIST_NUMBER = re.compile(
    r"(?m)^[ \t>*\-•]*(?:\d{1,2}[.、)）](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])"
)
"""List numbering at the start of a line (``1.``, ``（2）``, ``三、``): numbers that are not figures."""

BULLET = re.compile(r"^\s*(?:[-*•·]+|\d{1,2}[.、)）](?!\d)|[（(]\d{1,2}[)）])\s*")
"""A bullet or list number opening a notes line."""


ARTICLE_REF = re.compile(rf"第\s*({_NUM})\s*条(?!件)|\barticles?\s+(\d{{1,3}})\b", re.IGNORECASE)
"""A reference to an article anywhere in a text: ``第二十一条``, ``第 21 条``, ``Article 21``."""


def _article_value(numeral: str) -> int | None:
    from assistant.text.numbers import cn_integer

    return int(numeral) if numeral.isdigit() else cn_integer(numeral)


def article_refs(text: str) -> tuple[int, ...]:
    """Article numbers ``text`` refers to, in order, Chinese and Arabic numerals alike
    (``第二十一条`` and ``第21条`` are both 21)."""
    found = (_article_value(m.group(1) or m.group(2)) for m in ARTICLE_REF.finditer(text))
    return tuple(dict.fromkeys(n for n in found if n))


def article_of_section(section: str, separator: str = " > ") -> int | None:
    """The number of the deepest article in a section path (``第二章 设立 > 第十二条`` → 12)."""
    for label in reversed(section.split(separator)):
        m = STYLES_BY_KEY["article"].pattern.match(label.strip())
        if m:
            return _article_value(re.sub(r"^第|条$", "", re.sub(r"\s+", "", m.group(0))))
    return None


def style_of(text: str) -> tuple[Style, re.Match[str]] | None:
    """The numbering family ``text`` opens with, and the match of its numbering."""
    for style in STYLES:
        match = style.pattern.match(text)
        if match:
            if style.key == "decimal":  # 1.1 nests under 1. and 1.1.1 under 1.1
                depth = match.group(0).count(".")
                style = replace(style, key=f"decimal{depth}", rank=style.rank + depth)
            return style, match
    return None


def short_form(text: str) -> bool:
    """Heading-shaped: short, one phrase, not ending like a clause (a final 。 is allowed)."""
    if not text or len(text) > HEADING_MAX_CHARS or "\n" in text:
        return False
    if any(ch in _TERMINALS for ch in text[:-1]):
        return False
    return text[-1] not in "，,；;：:、"


def numbered_start(text: str) -> bool:
    """Whether ``text`` opens with a heading numbering (一、 （一） 1. 第X条 …)."""
    return style_of(text.strip()) is not None


def heading_like(text: str) -> bool:
    """Whether ``text`` on its own reads as a numbered heading line: numbered, short, one phrase."""
    text = text.strip()
    return style_of(text) is not None and short_form(text)


def strip_numbering(title: str) -> str:
    """A heading without its numbering and ``#`` marks: ``三. 师资建设`` → ``师资建设``."""
    return NUMBERING.sub("", title).strip()


def headings(text: str) -> list[tuple[int, int, str]]:
    """``(offset, level, title)`` of the heading lines of a Markdown or plain-text draft: ``#`` lines,
    and numbered lines of at most 40 characters that do not end like a sentence. Levels: ``#`` count;
    第X章 and 一、 1; （一） 2; 1. and 1.1 3; 第X条 and （1） 4."""
    out = []
    for m in re.finditer(r"^[ \t]*(.+?)[ \t]*$", text, re.M):
        line = m.group(1)
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            title = line.lstrip("#").strip()
            if title:
                out.append((m.start(1), level, title))
            continue
        if len(line) > HEADING_MAX_CHARS or line[-1] in "。；;，," or line.startswith("|"):
            continue
        found = style_of(line)
        if found is None or len(line) == len(found[1].group(0).strip()):
            continue
        key = found[0].key
        level = {"part": 1, "chapter": 1, "section": 2, "cn": 1, "paren": 2, "article": 4, "paren_arabic": 4}.get(key, 3)
        out.append((m.start(1), level, line.strip()))
    return out


def section_at(heads: list[tuple[int, int, str]], pos: int) -> str:
    """Heading path (" > " joined) in force at ``pos``, given ``headings(text)``."""
    path: list[tuple[int, str]] = []
    for off, level, title in heads:
        if off > pos:
            break
        path = [p for p in path if p[0] < level] + [(level, title)]
    return " > ".join(t for _, t in path)


def mask_heading_numbering(text: str) -> str:
    """``text`` with the numbering of its Markdown heading lines (``## 3.1 …``) blanked by spaces, so the
    digits are not read as figures (offsets stay valid)."""

    def blank(m: re.Match) -> str:
        line = m.group(0)
        n = NUMBERING.match(line)
        if n is None:
            return line
        marks = len(line) - len(line.lstrip("# \t"))
        return line[:marks] + " " * (n.end() - marks) + line[n.end():]

    return re.sub(r"(?m)^#+[^\n]*", blank, text)
