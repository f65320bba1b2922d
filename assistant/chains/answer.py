"""Question answering over the knowledge base: condense → retrieve → answer → verify.

The flow, for ``AnswerChain.stream(question, history, year, doc_type)``:

1. **Relative years** (去年, 前年, 上一年度, 今年, 本年度, last year, …) are replaced by absolute years
   in code (:func:`resolve_relative_years`), relative to the year being discussed
   (:func:`reference_year`: a year written in the question, else the explicit ``year`` argument, else
   the latest year in the conversation, else the current calendar year).
2. **Condense**: with a conversation history, the model rewrites the follow-up into a standalone
   question (``assistant/prompts/condense.md``); its output is cleaned and checked (it must keep the absolute
   years).  Without history no model call is made.
3. **Split by year**: a question about several years (``2021年和2022年的生师比``) becomes one
   single-year question per year (:func:`assistant.text.years.split_by_year`), answered one after the other
   with that year as a hard filter; the parts are merged into one answer with one citation list.
   Small models otherwise answer for the first year only.  Questions about rules are not split.
4. **Retrieve**: ``retriever.search(question, k=k, year=year, doc_type=doc_type)``; for a question
   naming one year, passages of other years are dropped unless they mention that year (the 2020
   figure must never answer for 2019), and so are passages scoring below ``min_score_ratio`` × the
   best (a shorter prompt is a faster first token).
5. **Relevance gate** (:func:`is_relevant`): no results → not found.  Otherwise the question's key
   terms (jieba search-mode tokens, minus stopwords, single CJK characters and bare numbers) must
   occur in at least one passage (text or section).  Questions written without CJK characters
   (English) cannot be matched literally against Chinese reports, so for them the gate falls back to
   a vector similarity if the retriever reports one in ``chunk.extra`` (``cosine``, ``vector_score``
   or ``similarity``; the best must be ≥ ``min_vector_score``), else lets the results through.
   Chinese questions with no literal term match also pass on that similarity (synonyms).
   Calibration (multilingual USE over the real 2020 report): on-topic English questions scored
   0.32-0.46 against their passage, off-topic questions 0.13-0.28; hence 0.25.  The gate is a cheap
   pre-filter tuned for recall; the model's own "not found" answer is the second line.  When the gate closes,
   the answer is the fixed "not found" sentence and the model is not called.
6. **Answer** from a compact numbered context block (:func:`format_context`: at most k passages,
   each trimmed to the sentences that contain query terms), streamed token by token.
7. **Verify** in code (:mod:`assistant.chains.verify`).  If a figure is unsupported, one retry with
   ``assistant/prompts/answer_strict.md`` (the stream emits a ``reset`` event first); if it still fails, the
   figures are flagged in ``unsupported_numbers``.

Model errors (connection refused, timeout, HTTP errors, ``ModelUnavailable``) end the stream with an
``error`` event carrying the message of :func:`assistant.llm.errors.model_unavailable` (the one
translator, shared with the provider and drafting); :meth:`AnswerChain.invoke` raises that
``ModelUnavailable``.

Size: ~540 lines, one module on purpose: the steps above are one streamed generator whose events
(``token``, ``reset``, ``answer``, ``error``) must stay in order across retries and year parts; the
helpers it owns (gate, context, merge) are the steps' bodies, the shared rules live in
:mod:`assistant.chains.context`, :mod:`~assistant.chains.lookup` and :mod:`~assistant.chains.verify`.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable, RunnableLambda

from assistant.chains.verify import (
    Verification,
    merge_verifications,
    passage_key,
    verify_answer,
)
from assistant.chains import lookup
from assistant.chains.context import (for_year, history_messages, format_context, is_relevant, not_found_text,
                                      question_language, reference_year, resolve_relative_years)
from assistant.chains.lookup import key_terms
from assistant.figures.facts import Fact
from assistant.index.ledger import facts_for_chunk
from assistant.llm.errors import ModelUnavailable, model_unavailable
from assistant.prompts import load_prompt, render
from assistant.retrieval import parse_query
from assistant.types import Chunk, SearchResult
from assistant.text.markup import MARKER
from assistant.text.years import named_years, split_by_year, years_in

__all__ = [
    "Answer",
    "AnswerChain",
    "AnswerEvent",
    "ModelUnavailable",
    "format_context",
    "is_relevant",
    "key_terms",
    "question_language",
    "reference_year",
    "resolve_relative_years",
]


MAX_QUESTION_CHARS = 2000
"""Longer questions are refused with a clear message before retrieval or any model call."""


class SupportsSearch(Protocol):
    def search(self, query: str, *, k: int = 5, year: int | None = None,
               doc_type: str | None = None) -> list[SearchResult]: ...


# --------------------------------------------------------------------------------------------------
# results


@dataclass
class Answer:
    """A verified answer.  ``citations`` are numbered 1..m in order of first use in ``answer``."""

    question: str
    standalone_question: str
    answer: str
    citations: list[dict] = field(default_factory=list)  # {"n","source","section","year","page","quote","ocr_confidence"}
    unsupported_numbers: list[str] = field(default_factory=list)
    not_found: bool = False
    invalid_markers: list[int] = field(default_factory=list)
    retried: bool = False
    mode: str = "model"  # facts (composed from the figure ledger), quote (the passages' sentences), model, not_found
    notice: str = ""  # why the passages' own sentences are shown instead of the model's wording
    mismatches: list[dict] = field(default_factory=list)  # figures the model attached to another metric

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "citations": [dict(c) for c in self.citations],
            "unsupported_numbers": list(self.unsupported_numbers),
            "standalone_question": self.standalone_question,
            "not_found": self.not_found,
        }


@dataclass
class AnswerEvent:
    """One item of :meth:`AnswerChain.stream`.

    ``token``: ``text`` is the next piece of the answer being generated.
    ``reset``: discard the text streamed so far (a stricter retry follows).
    ``final``: ``answer`` is the verified :class:`Answer` (its text may differ from the streamed one:
    markers renumbered, invalid ones removed).  ``error``: ``error`` is a user-readable message.
    Every stream ends with exactly one ``final`` or ``error`` event.
    """

    kind: Literal["token", "reset", "final", "error"]
    text: str = ""
    answer: Answer | None = None
    error: str | None = None


# --------------------------------------------------------------------------------------------------
# the chain


def _clean_condensed(text: str) -> str:
    text = text.strip()
    text = re.sub(r"^(?:独立问题|改写后的问题|改写|问题|standalone question|question|rewritten question)\s*[:：]\s*",
                  "", text, flags=re.IGNORECASE)
    text = text.strip().splitlines()[0].strip() if text.strip() else ""
    return text.strip(" \"'“”‘’「」")


_FIGURE_SLOT = re.compile(r"(?<![\[\d])(?:\d[\d,.]*|[零〇一二两三四五六七八九十百千]+分之[零〇一二两三四五六七八九十百千]+|百分之[零〇一二两三四五六七八九十百点]+)"
                          r"(?:[ \t]*[-–~至到][ \t]*\d[\d,.]*)?(?:[ \t]*(?:万|亿))?(?:[ \t]*(?:余|多))?"
                          r"(?:[ \t]*(?:元/生·年|万元|人次|个百分点|%|‰|人|名|位|门|篇|项|个|次|元|年|日|天|所|支|部))?(?:以上|以下|左右)?")
_SLOT = re.compile(r"⟦(\d+)⟧")


def _facts_of_chunks(chunks: Sequence[Chunk]) -> dict[str, list[Fact]]:
    """Ledger facts computed from the passages themselves (retrievers without a catalog)."""
    return {c.id: facts_for_chunk(c) for c in chunks if c.id}


def _keyed_facts(results: Sequence[SearchResult], stored: dict[str, list[Fact]]) -> dict[str, list[Fact]]:
    """Facts per passage key (:func:`assistant.chains.verify.passage_key`); passages the ledger does not
    hold get theirs computed from their text."""
    out: dict[str, list[Fact]] = {}
    for n, r in enumerate(results):
        key = passage_key(n, r)
        found = stored.get(r.chunk.id) if r.chunk.id else None
        out[key] = found if found is not None else [replace(f, chunk_id=key) for f in facts_for_chunk(r.chunk)]
    return out


class AnswerChain:
    """Answers questions from the knowledge base with verified citations.

    ``chat_model``: any LangChain chat model (``ChatOpenAI`` from the provider module, or a fake one
    in tests).  ``retriever``: anything with ``search(query, *, k, year, doc_type)``.
    """

    def __init__(
        self,
        chat_model: BaseChatModel,
        retriever: SupportsSearch,
        *,
        k: int = 5,
        max_passage_chars: int = 260,
        max_context_chars: int = 1200,
        max_history_messages: int = 6,
        min_vector_score: float = 0.25,
        min_score_ratio: float = 0.0,
        today: _dt.date | None = None,
        facts_first: bool = True,
        phrase_facts: bool = False,
        facts_of: Callable[[Sequence[Chunk]], dict[str, list[Fact]]] | None = None,
    ) -> None:
        self.chat_model = chat_model
        self.retriever = retriever
        self.k = k
        self.max_passage_chars = max_passage_chars
        self.max_context_chars = max_context_chars
        self.max_history_messages = max_history_messages
        self.min_vector_score = min_vector_score
        self.min_score_ratio = min_score_ratio
        self.today = today
        self.facts_first = facts_first
        self.phrase_facts = phrase_facts
        self.facts_of = facts_of or _facts_of_chunks
        self.condense_chain: Runnable = RunnableLambda(self._condense_messages) | chat_model | StrOutputParser()
        self.phrase_chain: Runnable = RunnableLambda(self._phrase_messages) | chat_model | StrOutputParser()
        self.answer_chain: Runnable = RunnableLambda(self._answer_messages) | chat_model | StrOutputParser()

    @classmethod
    def from_settings(cls, settings: Any, retriever: SupportsSearch, *,
                      chat_model: BaseChatModel | None = None,
                      facts_of: Callable[[Sequence[Chunk]], dict[str, list[Fact]]] | None = None) -> AnswerChain:
        """The chain with the settings' ``answer`` group (``passages``, ``passage_chars``,
        ``context_chars``, ``min_score_ratio``, ``min_vector_score``, ``history_messages``, ``from_facts``,
        ``phrase_facts``). ``chat_model``: the application's one model (``Services.chat_model``); without it
        (scripts, tests) one is made for these settings. ``facts_of``: the ledger facts of chunks."""
        if chat_model is None:
            from assistant.llm.provider import chat_model as make_chat_model

            chat_model = make_chat_model(settings, streaming=True)
        answer = settings.answer
        return cls(chat_model, retriever, k=answer.passages, max_passage_chars=answer.passage_chars,
                   max_context_chars=answer.context_chars, max_history_messages=answer.history_messages,
                   min_vector_score=answer.min_vector_score, min_score_ratio=answer.min_score_ratio,
                   facts_first=answer.from_facts, phrase_facts=answer.phrase_facts, facts_of=facts_of)

    # ---- prompts ---------------------------------------------------------------------------------

    def _condense_messages(self, inputs: dict) -> list[BaseMessage]:
        lines = []
        for role, text in inputs["history"][-self.max_history_messages:]:
            text = " ".join(text.split())
            if len(text) > 200:
                text = text[:200] + "…"
            lines.append(("用户" if role == "user" else "助手") + "：" + text)
        prompt = render(load_prompt("condense"), history="\n".join(lines), question=inputs["question"])
        return [HumanMessage(content=prompt)]

    def _phrase_messages(self, inputs: dict) -> list[BaseMessage]:
        language = "中文" if inputs["language"] == "zh" else "English"
        prompt = render(load_prompt("phrase"), sentence=inputs["sentence"], question=inputs["question"],
                        language=language)
        return [HumanMessage(content=prompt)]

    def _answer_messages(self, inputs: dict) -> list[BaseMessage]:
        language = "中文" if inputs["language"] == "zh" else "English (answer in English)"
        name = "answer_strict" if inputs.get("strict") else "answer"
        prompt = render(
            load_prompt(name),
            context=inputs["context"],
            question=inputs["question"],
            language=language,
            numbers="、".join(inputs.get("numbers") or []),
            not_found=not_found_text(inputs["question"]),
        )
        return [SystemMessage(content=load_prompt("system")), HumanMessage(content=prompt)]

    # ---- steps -----------------------------------------------------------------------------------

    def condense(self, question: str, history: Sequence[Any] | None = None, year: int | None = None) -> str:
        """The standalone question: relative years resolved in code; with history, rewritten by the
        model (its output must keep the absolute years, else they are appended).  May raise model
        errors."""
        question = question.strip()
        ref = reference_year(question, history, year, today=self.today)
        resolved = resolve_relative_years(question, ref)
        messages = history_messages(history)
        if not messages:
            return resolved
        raw = self.condense_chain.invoke({"history": messages, "question": resolved})
        condensed = resolve_relative_years(_clean_condensed(raw), ref)
        if not condensed or len(condensed) > 3 * len(resolved) + 120 or "[" in condensed:
            return resolved
        if question_language(condensed) != question_language(resolved):
            return resolved
        missing = [y for y in dict.fromkeys(years_in(resolved)) if str(y) not in condensed]
        if missing:
            sep = "、" if question_language(resolved) == "zh" else ", "
            condensed = condensed.rstrip("？?。. ") + (
                f"（{sep.join(f'{y}年' for y in missing)}）？" if question_language(resolved) == "zh"
                else f" ({sep.join(str(y) for y in missing)})?")
        return condensed

    def parts(self, standalone: str, year: int | None = None) -> list[tuple[int | None, str]]:
        """(year filter, question) pairs answered one after the other: one per year for a question
        about several years (the small models answer only the first year otherwise), else the
        question itself.  Questions about rules and an explicit ``year`` filter are not split."""
        available = getattr(self.retriever, "report_years", ())  # 近三年: the latest years of the reports
        split = [] if year is not None or parse_query(standalone).about_rules else split_by_year(standalone, available)
        return [(y, q) for y, q in split] or [(year, standalone)]

    def retrieve(self, standalone: str, *, year: int | None = None, doc_type: str | None = None) -> list[SearchResult]:
        """At most ``k`` passages: for a question naming one year, only passages of that year, undated
        ones and those mentioning the year; those scoring below ``min_score_ratio`` × the best are
        dropped (a shorter prompt is a faster first token on a CPU model)."""
        results = list(self.retriever.search(standalone, k=self.k, year=year, doc_type=doc_type) or [])[: self.k]
        named = named_years(standalone)
        if len(named) == 1:  # another year's passage must not answer for this year (2019 ≠ 2020 figures)
            results = [r for r in results if r.chunk.year in (None, named[0]) or str(named[0]) in r.chunk.text]
        if results and results[0].score > 0:
            results = [r for r in results if r.score >= self.min_score_ratio * results[0].score]
        return results

    # ---- public API ------------------------------------------------------------------------------

    def stream(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        year: int | None = None,
        doc_type: str | None = None,
    ) -> Iterator[AnswerEvent]:
        """Token events, possibly a ``reset`` and more tokens, then one ``final`` (or ``error``) event."""
        return self._events(question, history, year, doc_type, raise_errors=False)

    def _failure(self, exc: Exception, raise_errors: bool) -> AnswerEvent:
        error = self._unavailable(exc)
        if raise_errors:
            if error is exc:
                raise exc
            raise error from exc
        return AnswerEvent("error", error=str(error))

    def _events(self, question: str, history: Sequence[Any] | None, year: int | None, doc_type: str | None,
                *, raise_errors: bool) -> Iterator[AnswerEvent]:
        if len(question) > MAX_QUESTION_CHARS:
            message = (f"问题过长（{len(question)} 字符，最多 {MAX_QUESTION_CHARS} 字符），请精简后再问。"
                       f"The question is too long ({len(question)} characters; at most {MAX_QUESTION_CHARS}).")
            if raise_errors:
                raise ValueError(message)
            yield AnswerEvent("error", error=message)
            return
        try:
            standalone = self.condense(question, history, year)
        except Exception as exc:  # the condense model call failed
            yield self._failure(exc, raise_errors)
            return

        parts: list[Verification] = []
        plan = self.parts(standalone, year)
        for n, (part_year, part_question) in enumerate(plan):
            if n:
                yield AnswerEvent("token", text="\n")
            verification = yield from self._answer_part(
                question, part_question, part_year, doc_type, parts, label_year=part_year if len(plan) > 1 else None,
                raise_errors=raise_errors)
            if verification is None:  # an error event was sent
                return
            parts.append(verification)

        merged = merge_verifications(parts)
        answer = Answer(
            question=question,
            standalone_question=standalone,
            answer=merged.text,
            citations=merged.citations,
            unsupported_numbers=merged.unsupported_numbers,
            not_found=merged.not_found,
            invalid_markers=merged.invalid_markers,
            retried=any(p.retried for p in parts),
            mode=merged.mode,
            notice=merged.notice,
            mismatches=merged.mismatches,
        )
        yield AnswerEvent("final", answer=answer)

    def _answer_part(self, question: str, part_question: str, part_year: int | None, doc_type: str | None,
                     earlier: list[Verification], *, label_year: int | None,
                     raise_errors: bool) -> Generator[AnswerEvent, None, Verification | None]:
        """Retrieve, gate, answer and verify one (single-year) question; events out, the verified
        part returned (``None`` after an ``error`` event).  ``earlier``: parts already answered."""
        language = question_language(question)
        try:
            results = self.retrieve(part_question, year=part_year, doc_type=doc_type)
        except (RuntimeError, OSError) as exc:  # vector store down, disk errors: the message names the cause
            if raise_errors:
                raise
            yield AnswerEvent("error", error=str(exc))
            return None
        if not is_relevant(part_question, results, min_vector_score=self.min_vector_score):
            verification = Verification(text=for_year(not_found_text(question), label_year, language), not_found=True)
            yield AnswerEvent("token", text=verification.text)
            return verification
        facts = _keyed_facts(results, self.facts_of([r.chunk for r in results if r.chunk.id]))
        if self.facts_first:  # extract, then phrase: a figure question answered from the ledger at once
            looked_up = self._from_facts(question, part_question, part_year, results, facts, language)
            if looked_up is not None:
                yield AnswerEvent("token", text=looked_up.text)
                if self.phrase_facts and looked_up.mode == "facts":
                    looked_up = yield from self._phrase(looked_up, part_question, results, facts, language, earlier)
                return looked_up
        context = format_context(results, part_question, max_chars=self.max_passage_chars,
                                 max_total_chars=self.max_context_chars)
        inputs: dict[str, Any] = {"context": context, "question": part_question, "language": language}
        verification: Verification | None = None
        for attempt in range(2):
            if attempt == 1:
                assert verification is not None
                inputs = {**inputs, "strict": True,
                          "numbers": verification.unsupported_numbers + [m["raw"] for m in verification.mismatches]}
                yield AnswerEvent("reset")
                if earlier:  # the parts already answered stay on screen
                    yield AnswerEvent("token", text=merge_verifications(earlier).text + "\n")
            pieces: list[str] = []
            try:
                for piece in self.answer_chain.stream(inputs):
                    if piece:
                        pieces.append(piece)
                        yield AnswerEvent("token", text=piece)
            except Exception as exc:  # the answer model call failed
                yield self._failure(exc, raise_errors)
                return None
            verification = verify_answer("".join(pieces), results, question=f"{question}\n{part_question}", facts=facts)
            verification.retried = attempt == 1
            if verification.ok:
                break
        assert verification is not None
        if not verification.ok:  # the model's wording failed twice: its figures are never what the user reads
            fallback = self._quoted(question, part_question, part_year, results, facts, verification, language)
            yield AnswerEvent("reset")
            if earlier:
                yield AnswerEvent("token", text=merge_verifications(earlier).text + "\n")
            yield AnswerEvent("token", text=fallback.text)
            verification = fallback
        if not verification.text.strip():
            verification = Verification(text=not_found_text(question), not_found=True, retried=verification.retried,
                                        mode="not_found")
        if verification.not_found:
            verification.text = for_year(verification.text, label_year, language)
        return verification

    # ---- extract, then phrase --------------------------------------------------------------------

    def _from_facts(self, question: str, part_question: str, part_year: int | None, results: Sequence[SearchResult],
                    facts: dict[str, list[Fact]], language: str) -> Verification | None:
        """The answer composed from the ledger facts of the retrieved passages, verified; None when the
        question is not a figure question or the facts do not answer it unambiguously."""
        markers = {passage_key(n, r): n + 1 for n, r in enumerate(results)}
        pool = [f for n, r in enumerate(results) for f in facts.get(passage_key(n, r), [])]
        years = named_years(part_question)
        year = part_year if part_year is not None else (years[0] if len(years) == 1 else None)
        rules = frozenset(passage_key(n, r) for n, r in enumerate(results) if r.chunk.doc_type == "regulation")
        looked_up = lookup.from_facts(part_question, pool, markers, year=year, language=language, quote_keys=rules)
        if looked_up is None:
            return None
        verification = verify_answer(looked_up.text, results, question=f"{question}\n{part_question}", facts=facts,
                                     quoted=looked_up.mode == "quote")
        if not verification.ok:  # composed from facts it cannot fail; if it does, the model path decides
            return None
        verification.mode = looked_up.mode
        return verification

    def _quoted(self, question: str, part_question: str, part_year: int | None, results: Sequence[SearchResult],
                facts: dict[str, list[Fact]], rejected: Verification, language: str) -> Verification:
        """The passages' own sentences for the question (the facts of its metric, else the sentence with
        the most question terms), quoted and cited, with a notice that the model's wording failed."""
        markers = {passage_key(n, r): n + 1 for n, r in enumerate(results)}
        pool = [f for n, r in enumerate(results) for f in facts.get(passage_key(n, r), [])]
        chosen: list[Fact] = []
        for ask in lookup.asks(part_question, part_year):
            chosen += lookup.select(ask, pool).facts
        if chosen:
            text = lookup.quote_answer(chosen, markers, language)
        else:
            text = lookup.quote_sentences(part_question, results, language)
        if not text:
            return Verification(text=not_found_text(question), not_found=True, retried=True, mode="not_found",
                                unsupported_numbers=rejected.unsupported_numbers, mismatches=rejected.mismatches)
        verification = verify_answer(text, results, question=f"{question}\n{part_question}", facts=facts, quoted=True)
        notice = ("模型的表述未能通过数字核对，以上为资料原文。" if language == "zh"
                  else "The model's wording could not be verified; the source's own sentences are shown.")
        verification.text = f"{verification.text}\n（{notice}）" if language == "zh" else f"{verification.text}\n({notice})"
        verification.retried, verification.mode, verification.notice = True, "quote", notice
        verification.unsupported_numbers = rejected.unsupported_numbers
        verification.mismatches = rejected.mismatches
        return verification

    def _phrase(self, composed: Verification, part_question: str, results: Sequence[SearchResult],
                facts: dict[str, list[Fact]], language: str,
                earlier: list[Verification]) -> Generator[AnswerEvent, None, Verification]:
        """Let the model reword a composed answer around fixed figure slots; kept only when every slot
        comes back once and no other figure appears."""
        slots: list[str] = []

        def slot(m: re.Match) -> str:
            slots.append(m.group(0))
            return f"⟦{len(slots)}⟧"

        template = _FIGURE_SLOT.sub(slot, composed.text)
        try:
            raw = self.phrase_chain.invoke({"sentence": template, "question": part_question, "language": language})
        except Exception:  # phrasing is optional: the composed sentence stands
            return composed
        unslotted = MARKER.sub("", _SLOT.sub("", raw))
        if any(raw.count(f"⟦{i}⟧") != 1 for i in range(1, len(slots) + 1)) or re.search(r"\d", unslotted):
            return composed
        text = _SLOT.sub(lambda m: slots[int(m.group(1)) - 1], raw.strip())
        checked = verify_answer(text, results, question=part_question, facts=facts)
        if not checked.ok or checked.cited != composed.cited:
            return composed
        checked.mode = "facts"
        yield AnswerEvent("reset")
        if earlier:
            yield AnswerEvent("token", text=merge_verifications(earlier).text + "\n")
        yield AnswerEvent("token", text=checked.text)
        return checked

    def invoke(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        year: int | None = None,
        doc_type: str | None = None,
    ) -> Answer:
        """The verified answer; raises ``ModelUnavailable`` (readable message) if the model fails."""
        for event in self._events(question, history, year, doc_type, raise_errors=True):
            if event.kind == "final" and event.answer is not None:
                return event.answer
        raise self._unavailable("broken")  # pragma: no cover

    def _unavailable(self, exc: BaseException | str) -> ModelUnavailable:
        """The error for a failed model call, naming this chain's model and endpoint."""
        model = self.chat_model
        provider = str(getattr(model, "provider_name", "") or getattr(model, "_llm_type", "") or type(model).__name__)
        name = getattr(model, "model_name", None) or getattr(model, "model", None)
        return model_unavailable(exc, provider=provider, model=name if isinstance(name, str) else None,
                                 base_url=getattr(model, "openai_api_base", None))
