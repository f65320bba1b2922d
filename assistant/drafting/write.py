"""Write mode: the chat model writes the whole section, for users with a large model behind an
OpenAI-compatible endpoint.

The prompt (``prompts/draft.md``) holds the latest prior report's section as exemplar (its figures
marked as last year's), the regulation articles the notes are about, the prior section's
sub-heading outline and the notes — English notes preceded by their facts in Chinese, since small
models copy the exemplar rather than translate (2 of 8 note figures placed otherwise). On the
offline 1.5B model this takes 74–160 s per section (~2,200 prompt tokens); notes mode is the
default for that reason. The text is streamed (the request timeout applies between tokens), then
cleaned (code fences, echoed instructions) and verified by meaning (:mod:`.guard`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from langchain_core.messages import BaseMessage, HumanMessage
from langchain_core.runnables import RunnableLambda

from assistant.chains.verify import contains_figure, values_in
from assistant.figures import check_draft
from assistant.prompts import load_prompt, render
from assistant.text.markup import placeholder
from assistant.text.numbering import BULLET
from assistant.types import Chunk, SearchResult

from .guard import masked, verify_written
from .notes import NoteFact
from .result import DraftDeps, DraftResult
from .sections import heading_for, history, prior_heading, prior_years, section_chunks, section_index

_CJK = re.compile(r"[\u4e00-\u9fff]")
_FENCE = re.compile(r"^```[a-zA-Z]*\s*\n|\n```\s*$")

TRUNCATED = placeholder("草稿在此达到模型输出长度上限，以下内容未生成")

MAX_NOTES_CHARS = 6000
"""Notes (with their table) that write mode may put into one prompt; longer notes are refused with a
clear message (update mode has no model and no limit)."""


def keyword_regulations(chunks: list[Chunk], query: str, k: int) -> list[Chunk]:
    """The ``k`` regulation chunks BM25 ranks best for ``query`` (no retriever at hand)."""
    from assistant.index.keyword import KeywordIndex

    regs = [c for c in chunks if c.doc_type == "regulation"]
    if not regs:
        return []
    scores = KeywordIndex([f"{c.section}\n{c.text}" for c in regs]).scores(query)
    order = sorted(range(len(regs)), key=lambda i: -scores[i])
    return [regs[i] for i in order[:k] if scores[i] > 0]


def _passages(deps: DraftDeps, chunks: list[Chunk], section: str, year: int, notes_text: str, *,
              max_exemplar_chars: int, regulations_k: int) -> tuple[list[SearchResult], list[str], int | None]:
    """Exemplar passages (the section of the latest prior report), regulation articles and the
    sub-heading outline of the exemplar."""
    years = prior_years(chunks, section, year)
    exemplars: list[Chunk] = []
    outline: list[str] = []
    prior = years[0] if years else None
    if prior is not None:
        found = section_chunks(chunks, section, prior)
        found = [c for c in found if c.source == found[0].source]
        for c in found:
            i = section_index(c.section, section) or 0
            sub = " > ".join(c.section.split(" > ")[i + 1:])
            if sub and sub not in outline:
                outline.append(sub)
        used = 0
        for c in found:
            if used >= max_exemplar_chars:
                break
            exemplars.append(c)
            used += len(c.text)
    elif deps.retriever is not None:
        exemplars = [r.chunk for r in deps.retriever.search(section, k=3, doc_type="report")
                     if r.chunk.year is None or r.chunk.year < year]
    query = f"{section} " + " ".join(re.sub(r"[\d.%]+", " ", notes_text).split())[:200]
    regulations: list[Chunk] = []
    if regulations_k:
        if deps.retriever is not None:
            regulations = [r.chunk for r in deps.retriever.search(query, k=regulations_k, doc_type="regulation")]
        else:
            regulations = keyword_regulations(chunks, query, regulations_k)
    results = [SearchResult(c, 1.0) for c in exemplars + regulations]
    return results, outline, prior


def _context(results: list[SearchResult], max_chars: int) -> str:
    blocks = []
    for n, r in enumerate(results, 1):
        c = r.chunk
        kind = (f"{c.year} 年度报告范例（往年数据，数字不得沿用）" if c.doc_type == "report" else "规定")
        meta = [f"来源: {c.source}", f"章节: {c.section}", kind]
        text = c.text.strip()
        if len(text) > max_chars:
            text = text[:max_chars] + "…"
        blocks.append(f"[{n}] " + " | ".join(meta) + "\n" + text)
    return "\n\n".join(blocks)


def _drop_prompt_echo(text: str, instructions: str) -> str:
    """Lines repeating the prompt's own instructions (small models echo them at the end), and a
    heading left with nothing under it, are removed."""
    rules = [r for r in (BULLET.sub("", line).strip() for line in instructions.splitlines()) if len(r) >= 10]
    kept: list[str] = []
    for line in text.splitlines():
        body = BULLET.sub("", line).strip()
        if len(body) >= 10 and any(body in r or r in body for r in rules):
            continue
        kept.append(line)
    out: list[str] = []
    for i, line in enumerate(kept):
        if line.startswith("#"):
            rest = next((x for x in kept[i + 1:] if x.strip()), "")
            if not rest or (rest.startswith("#") and rest.count("#") <= line.count("#") and line.count("#") > 2):
                continue
        out.append(line)
    return "\n".join(out)


def _clean_output(raw: str, heading: str, instructions: str = "") -> str:
    text = _FENCE.sub("", raw.strip()).strip()
    text = re.sub(r"^(?:以下是|下面是)[^\n]*\n+", "", text)
    if not re.match(r"#{1,2}\s", text):
        text = f"## {heading}\n\n" + text
    if instructions:
        text = _drop_prompt_echo(text, instructions)
    lines = [re.sub(r"[ \t]+$", "", line) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def write(deps: DraftDeps, chunks: list[Chunk], section: str, year: int, notes_text: str, table: str | None,
          notes: list[NoteFact], *, max_exemplar_chars: int = 1600, max_passage_chars: int = 500,
          regulations_k: int = 2, max_tokens: int | None = 900, max_notes_chars: int = MAX_NOTES_CHARS,
          on_text: Callable[[str], None] | None = None) -> DraftResult:
    """Write mode (module docstring)."""
    results, outline, prior = _passages(deps, chunks, section, year, notes_text, max_exemplar_chars=max_exemplar_chars,
                                        regulations_k=regulations_k)
    written_as = prior_heading(chunks, section, year)
    heading = re.sub(r"^[一二三四五六七八九十]+[.．]\s*", lambda m: m.group(0)[:-1].rstrip(".．") + "、", written_as) \
        if written_as else heading_for(section)
    english = not _CJK.search(notes_text or "") and bool((notes_text or "").strip())
    notes_block = (notes_text or "").strip() + ("\n\n" + table.strip() if table else "")
    labelled = [n for n in notes if _CJK.search(n.label)]
    if english and labelled:  # the small models copy the exemplar rather than translate: the facts in Chinese first
        notes_block = "\n".join(f"- {n.label}：{n.raw}{' ' + n.unit if n.unit and n.unit not in n.raw else ''}"
                                for n in labelled) + "\n\n（英文原文）\n" + notes_block
    if len(notes_block) > max_notes_chars:
        raise ValueError(f"本年度材料过长：{len(notes_block)} 字符，撰写模式最多 {max_notes_chars} 字符；请拆分章节或使用更新模式 "
                         f"(notes too long for write mode: {len(notes_block)} > {max_notes_chars} characters; "
                         "split them or use update mode)")
    inputs = {
        "section": section, "heading": heading, "year": year, "prior_year": prior or year - 1,
        "context": _context(results, max_passage_chars) or "（无）",
        "outline": "\n".join(f"- {o}" for o in outline) or "（自行组织，2-4 个小节）",
        "notes": notes_block or "（无）",
        "language": "中文" + ("（本年度材料为英文，请译成中文后写入，数字照抄）" if english else ""),
    }

    def messages(values: dict) -> list[BaseMessage]:
        return [HumanMessage(content=render(load_prompt("draft"), **values))]

    model = deps.model()
    if max_tokens:
        try:
            model = model.bind(max_tokens=max_tokens)
        except Exception:  # fake models without bind support
            pass
    raw, finish = "", None
    for chunk in (RunnableLambda(messages) | model).stream(inputs):  # streamed: the timeout applies between tokens
        piece = chunk.content if isinstance(chunk.content, str) else ""
        finish = (chunk.response_metadata or {}).get("finish_reason") or finish
        raw += piece
        if on_text is not None and piece:
            on_text(raw)
    if finish == "length":  # cut at the output-token limit: say so where the text stops
        raw = raw.rstrip() + f"\n\n{TRUNCATED}"
    instructions = render(load_prompt("draft"), **{**inputs, "context": "", "outline": "", "notes": ""})
    text = _clean_output(raw, heading, instructions)
    prior_texts = [c.text for c in section_chunks(chunks, section) if c.year is not None and c.year < year]
    text, citations, placeholders = verify_written(text, results, notes, notes_block, prior_texts, year)
    findings = check_draft(text, year, history(chunks, year))
    used = [n.line for n in notes if not contains_figure(n.raw, n.value, values_in(masked(text)))]
    return DraftResult(section, year, "write", text, citations=citations, placeholders=placeholders,
                       findings=[f.to_json() for f in findings], unused_notes=list(dict.fromkeys(used)))
