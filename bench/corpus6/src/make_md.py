# -*- coding: utf-8 -*-
"""Build knowledge/reports/2022年度自评报告.md (online-editor style Markdown export)."""
from common import REPORTS_DIR, prose_figures, table_figures, save_manifest
from content import REPORTS

YEAR = 2022


def md_table(t):
    lines = []
    head = t["head"][0]
    lines.append("| " + " | ".join(head) + " |")
    al = [":---"] + ["---:" for _ in head[1:]]
    if t["id"] in ("t22_students", "t22_bases"):
        al = [":---", ":---"] + ["---:" for _ in head[2:]]
    lines.append("| " + " | ".join(al) + " |")
    for r in t["rows"]:
        lines.append("| " + " | ".join(r) + " |")
    return lines


def build():
    out, figs, tables = [], [], []
    for b in REPORTS[YEAR]:
        kind = b[0]
        if kind == "cover":
            l = b[1]
            out += [f"# {l[0]}", "", f"**{l[1]}**", ""]
            out += [x + "  " for x in l[2:]]
            out += ["", "---", ""]
        elif kind == "h":
            out += ["#" * (b[1] + 1) + " " + b[2], ""]
        elif kind == "p":
            plain, f = prose_figures(YEAR, b[1], strip_bold=False)
            figs += f
            out += [plain, ""]
        elif kind == "bul":
            for it in b[1]:
                plain, f = prose_figures(YEAR, it, strip_bold=False)
                figs += f
                out.append("- " + plain)
            out.append("")
        elif kind == "table":
            t = b[1]
            out += md_table(t)
            if t.get("note"):
                out += ["", t["note"]]
            out.append("")
            figs += table_figures(YEAR, t)
            tables.append(t)
    text = "\n".join(out).rstrip() + "\n"
    (REPORTS_DIR / f"{YEAR}年度自评报告.md").write_text(text, encoding="utf-8")
    save_manifest(YEAR, figs, tables)
    print("md ok", len(figs), "figures")


if __name__ == "__main__":
    build()
