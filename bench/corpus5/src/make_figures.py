"""Write figures.json: every [[metric:display]] of the three sources, with a snippet of its context.
Prose figures get a snippet from their paragraph; table figures record table number, row label and column."""
import json
import re

from common import SRC, parse, render

FILES = {2022: "reports/2022年度自评报告.pdf", 2023: "reports/2023年度自评报告.txt",
         2024: "reports/2024年度自评报告.docx"}
FW = str.maketrans("０１２３４５６７８９．％，", "0123456789.%,")
NUM = re.compile(r"[0-9０-９][0-9０-９,.．]*")


def split(disp, over):
    m = NUM.search(disp)
    if over is not None:
        num = float(over)
        if m:  # full-width digits
            return disp[:m.end()], disp[m.end():], num
        # Chinese numeral: whole display minus trailing unit char
        return disp[:-1], disp[-1:], num
    value = disp[:m.end()]
    unit = disp[m.end():]
    num = float(value.translate(FW).replace(",", ""))
    return value, unit, num


def main():
    out = []
    for year, src in FILES.items():
        ntab = -1
        for b in parse(year):
            if b[0] in ("p", "caption", "h1", "h2"):
                text, figs = render(b[1])
                for metric, dy, disp, over, s, e in figs:
                    value, unit, num = split(disp, over)
                    a = max(0, s - 8)
                    z = min(len(text), e + 3)
                    snip = text[a:z]
                    out.append(dict(year=year, data_year=dy or year, metric=metric, value=value,
                                    unit=unit, num=num, snippet=snip, source=src, where="text"))
            elif b[0] == "table":
                ntab += 1
                header = [render(c)[0] for c in b[1][0]]
                for row in b[1][1:]:
                    label = render(row[0])[0]
                    for j, cell in enumerate(row[1:], 1):
                        text, figs = render(cell)
                        for metric, dy, disp, over, s, e in figs:
                            value, unit, num = split(disp, over)
                            out.append(dict(year=year, data_year=dy or year, metric=metric,
                                            value=value, unit=unit or header[j], num=num,
                                            snippet=text, source=src, where="table", table=ntab,
                                            row=label, col=header[j]))
    path = SRC.parent / "figures.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    print(len(out), "figures ->", path)
    for y in FILES:
        print(y, sum(1 for f in out if f["year"] == y))


if __name__ == "__main__":
    main()
