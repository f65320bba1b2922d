"""What the answering model is given: the question's language and years, the conversation, and the
passages — relative years resolved in code (去年 → 2019年), the relevance gate, and the compact numbered
context block. Split from :mod:`assistant.chains.answer` so the chain reads top-down.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any, Literal

from langchain_core.messages import BaseMessage

from assistant.chains.lookup import key_terms
from assistant.chains.verify import NOT_FOUND_EN, NOT_FOUND_ZH
from assistant.text.sentences import split_sentences
from assistant.text.years import years_in
from assistant.types import Chunk, SearchResult

# --------------------------------------------------------------------------------------------------
# language and years

_CJK = re.compile(r"[\u4e00-\u9fff]")


def question_language(question: str) -> Literal["zh", "en"]:
    """``zh`` if the question contains Chinese characters, else ``en``."""
    return "zh" if _CJK.search(question) else "en"


def not_found_text(question: str) -> str:
    return NOT_FOUND_ZH if question_language(question) == "zh" else NOT_FOUND_EN


def for_year(text: str, year: int | None, language: str) -> str:
    """``2020年：知识库中未找到相关内容。`` for one year of a multi-year answer."""
    if year is None:
        return text
    return f"{year}年：{text}" if language == "zh" else f"{year}: {text}"


# Chinese relative-year words → offset, longest first so 大前年 wins over 前年.
_ZH_RELATIVE = [
    ("大前年", -3, "年"), ("上一年度", -1, "年度"), ("上个年度", -1, "年度"), ("上年度", -1, "年度"),
    ("上一年", -1, "年"), ("前一年", -1, "年"), ("去年度", -1, "年度"), ("去年", -1, "年"),
    ("前年度", -2, "年度"), ("前年", -2, "年"), ("今年度", 0, "年度"), ("本年度", 0, "年度"),
    ("今年", 0, "年"), ("本年", 0, "年"), ("下一年度", 1, "年度"), ("下一年", 1, "年"), ("明年", 1, "年"),
]
_ZH_N_YEARS_AGO = re.compile(r"([两二三四五1-5])年前")
_ZH_DIGIT = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5}
_ZH_PATTERN = re.compile("|".join(re.escape(w) for w, _, _ in _ZH_RELATIVE))
_ZH_TABLE = {w: (off, suffix) for w, off, suffix in _ZH_RELATIVE}

_EN_RELATIVE = [
    ("the year before last", -2), ("the previous year", -1), ("the prior year", -1), ("the year before", -1),
    ("last year", -1), ("previous year", -1), ("this year", 0), ("the current year", 0), ("current year", 0),
    ("next year", 1),
]
_EN_PATTERN = re.compile(
    r"\b(?:(in|for|during|of|from|to|than|with|and|vs\.?|versus)\s+)?(" + "|".join(re.escape(w) for w, _ in _EN_RELATIVE)
    + r")('s)?\b",
    re.IGNORECASE,
)
_EN_TABLE = {w: off for w, off in _EN_RELATIVE}


def resolve_relative_years(text: str, ref_year: int) -> str:
    """Replace relative-year words by absolute years counted from ``ref_year``.

    ``去年的生师比`` with 2020 → ``2019年的生师比``; ``上一年度`` → ``2019年度``; ``两年前`` → ``2018年``;
    ``last year's ratio`` → ``2019's ratio``; ``the fee last year`` → ``the fee in 2019``.
    """

    def zh(m: re.Match) -> str:
        off, suffix = _ZH_TABLE[m.group(0)]
        return f"{ref_year + off}{suffix}"

    def zh_ago(m: re.Match) -> str:
        n = _ZH_DIGIT.get(m.group(1)) or int(m.group(1))
        return f"{ref_year - n}年"

    def en(m: re.Match) -> str:
        prep, phrase, poss = m.group(1), m.group(2), m.group(3)
        year = ref_year + _EN_TABLE[phrase.lower()]
        if poss:
            return (f"{prep} " if prep else "") + f"{year}'s"
        if prep:
            return f"{prep} {year}"
        return f"in {year}"

    text = _ZH_PATTERN.sub(zh, text)
    text = _ZH_N_YEARS_AGO.sub(zh_ago, text)
    text = _EN_PATTERN.sub(en, text)
    return text


def history_messages(history: Sequence[Any] | None) -> list[tuple[str, str]]:
    """Normalise a conversation to [(role, text)] with role ``user`` / ``assistant``.

    Accepts LangChain messages, ``{"role","content"}`` dicts (Gradio "messages"), ``(role, text)``
    tuples and ``(user_text, assistant_text)`` pairs (Gradio "tuples").
    """
    out: list[tuple[str, str]] = []
    for item in history or ():
        if isinstance(item, BaseMessage):
            role = "user" if item.type == "human" else "assistant" if item.type == "ai" else item.type
            out.append((role, _content_text(item.content)))
        elif isinstance(item, dict):
            role = str(item.get("role", "user"))
            role = "user" if role in ("user", "human") else "assistant" if role in ("assistant", "ai", "bot") else role
            out.append((role, _content_text(item.get("content", ""))))
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            first, second = item
            if isinstance(first, str) and first.lower() in ("user", "human", "assistant", "ai", "system"):
                role = "user" if first.lower() in ("user", "human") else first.lower().replace("ai", "assistant")
                out.append((role, _content_text(second)))
            else:
                if first:
                    out.append(("user", _content_text(first)))
                if second:
                    out.append(("assistant", _content_text(second)))
    return [(r, t) for r, t in out if r in ("user", "assistant") and t.strip()]


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(c if isinstance(c, str) else str(c.get("text", "")) for c in content if c)
    if isinstance(content, dict):
        return str(content.get("text", ""))
    return "" if content is None else str(content)


def reference_year(question: str, history: Sequence[Any] | None = None, year: int | None = None,
                   *, today: _dt.date | None = None) -> int:
    """The year relative words count from.

    A year written in the question (the latest one) wins, then the explicit ``year`` argument, then
    the latest year mentioned in the conversation (user turns first, newest first), then the
    current calendar year.
    """
    years = years_in(question)
    if years:
        return max(years)
    if year is not None:
        return int(year)
    messages = history_messages(history)
    for wanted in ("user", "assistant"):
        for role, text in reversed(messages):
            if role == wanted and years_in(text):
                return max(years_in(text))
    return (today or _dt.date.today()).year


# --------------------------------------------------------------------------------------------------
# relevance and context

def _vector_score(result: SearchResult) -> float | None:
    extra = getattr(result.chunk, "extra", None) or {}
    for key in ("vector_score", "similarity", "cosine"):
        if isinstance(extra.get(key), (int, float)):
            return float(extra[key])
    return None


def is_relevant(question: str, results: Sequence[SearchResult], *, min_vector_score: float = 0.25) -> bool:
    """The relevance gate (see module docstring)."""
    if not results:
        return False
    terms = key_terms(question)
    haystacks = [(r.chunk.text + " " + (r.chunk.section or "")).lower() for r in results]
    if any(t in h for t in terms for h in haystacks):
        return True
    vector_scores = [s for s in (_vector_score(r) for r in results) if s is not None]
    if vector_scores:
        return max(vector_scores) >= min_vector_score
    if not terms:
        return True  # nothing distinctive to check against
    # English questions over Chinese passages cannot match literally; without a similarity score
    # we trust the retriever.
    return question_language(question) == "en"


def _trim(text: str, terms: Sequence[str], limit: int) -> str:
    """At most ``limit`` characters of a passage for the prompt: the sentences containing query terms
    (most hits first, shown in document order, gaps marked ``…``); with no hit, the passage's head."""
    text = re.sub(r"[ \t]*\n[ \t]*\n+", "\n", text.strip())
    if len(text) <= limit:
        return text
    sentences = [s.strip() for s in split_sentences(text, clauses=True) if s.strip()]
    hits = [sum(t in s.lower() for t in terms) for s in sentences]
    if any(hits):
        ranked = sorted((i for i in range(len(sentences)) if hits[i]), key=lambda i: (-hits[i], i))
    else:
        ranked = list(range(len(sentences)))
    chosen: list[int] = []
    used = 0
    for i in ranked:
        if used + len(sentences[i]) > limit and chosen:
            if any(hits):
                continue  # a shorter matching sentence may still fit
            break
        chosen.append(i)
        used += len(sentences[i])
    chosen.sort()
    out = ""
    for j, i in enumerate(chosen):
        if (j == 0 and i != 0) or (j and i != chosen[j - 1] + 1):
            out += "…"
        out += sentences[i]
    if len(out) > limit:  # a single sentence longer than the budget
        out = out[:limit]
    if chosen and chosen[-1] != len(sentences) - 1 or len(out) < len("".join(sentences[i] for i in chosen)):
        out += "…"
    return out


def _passage_label(chunk: Chunk) -> str:
    """A short label for the model: the year and the last two levels of the section path (the
    file name is for the citation, not for the model)."""
    parts = [p.strip() for p in (chunk.section or "").split(">") if p.strip()]
    where = " > ".join(parts[-2:])
    if chunk.doc_type == "report" and chunk.year is not None:
        head = f"{chunk.year}年度报告"
    else:
        head = PurePosixPath(chunk.source).stem
    return " · ".join(x for x in (head, where) if x)


def format_context(results: Sequence[SearchResult], question: str, *, max_chars: int = 300,
                   max_total_chars: int = 1500) -> str:
    """The numbered context block: ``[n] label`` then the passage trimmed to the sentences that
    matter for the question."""
    if not results:
        return ""
    terms = key_terms(question)
    per = max(120, min(max_chars, max_total_chars // len(results)))
    return "\n".join(f"[{n}] {_passage_label(r.chunk)}\n{_trim(r.chunk.text, terms, per)}"
                     for n, r in enumerate(results, 1))
