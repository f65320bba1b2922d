"""Build knowledge/reports/2023年度自评报告.txt from src/2023.md: plain text as pasted from e-mail.
Tables become space-aligned columns (表2 uses tabs); paragraphs marked ~ are hard-wrapped."""
import unicodedata

from common import SRC, parse, plain

OUT = SRC.parent / "knowledge" / "reports" / "2023年度自评报告.txt"
WRAP = 70  # display columns


def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def wrap(text):
    lines, cur = [], ""
    for i, ch in enumerate(text):
        nxt = text[i + 1] if i + 1 < len(text) else ""
        cur += ch
        # never break inside a run of ASCII letters/digits/punctuation, nor before CJK punctuation
        if width(cur) >= WRAP and nxt and not (ch.isascii() and nxt.isascii()) and nxt not in "，。、；：）%％":
            lines.append(cur)
            cur = ""
    if cur:
        lines.append(cur)
    return lines


def table(rows, tabs):
    data = [[plain(c) for c in r] for r in rows]
    if tabs:
        return ["\t".join(r) for r in data]
    ws = [max(width(r[j]) for r in data) for j in range(len(data[0]))]
    out = []
    for r in data:
        cells = [c + " " * (ws[j] - width(c)) for j, c in enumerate(r)]
        out.append("    ".join(cells).rstrip())
    return out


def main():
    out, ntab = [], 0
    blocks = parse(2023)
    for i, b in enumerate(blocks):
        kind = b[0]
        if kind == "cover":
            out.append(plain(b[1]))
            if i + 1 < len(blocks) and blocks[i + 1][0] != "cover":
                out.append("")
        elif kind in ("h1", "h2"):
            out += ["", plain(b[1])]
        elif kind == "caption":
            out += ["", plain(b[1])]
        elif kind == "table":
            ntab += 1
            out += table(b[1], tabs=(ntab == 2)) + [""]
        else:
            text = plain(b[1])
            out += (wrap(text) if b[2] else [text])
            if b[2]:
                out.append("")
    txt = "\n".join(out)
    while "\n\n\n" in txt:
        txt = txt.replace("\n\n\n", "\n\n")
    OUT.write_text(txt.strip() + "\n", encoding="utf-8")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
