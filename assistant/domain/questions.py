"""Reading a question as reports write it (:func:`read_question`): the spoken forms staff type (招了,
满意吗, 一共培养了, 中外…各) become the words the vocabulary and the reports use (招生, 满意度, 累计, 中方和外方)
before retrieval matches its words and the answer chain reads its asks. Kept apart from
:mod:`.vocabulary` (which binds labels and clauses to concepts) because it reads whole questions with
jieba's part-of-speech tags, not substrings; :meth:`.vocabulary.Vocabulary.read_question` calls it.

A question's short spoken forms are read as the words reports write, so that it names the concept:
a one-character verb before 了/过 (物流管理专业第一年招了多少学生 → 招生; 录了 → 录取; 获了 → 获奖)
becomes the vocabulary's two-character verb beginning with it when every such verb names one
concept (学了 stays: 学费 is no verb); a yes/no question about a word the vocabulary measures as a
degree or rate (用人单位对毕业生满意吗 → 满意度; 是否就业 → 就业率) becomes that measure, as does its
程度 (满意程度 → 满意度: 度 is 程度). A question
already naming the concept (一共招了多少新生: 新生 is 招生) is left as written. A total of things done
up to a date (截至2023年学院一共培养了多少本科毕业生: 截至 · 一共 · a verb with 了) is a running total,
which reports write 累计 (学院累计培养本科毕业生996人), not that year's count (2023届本科毕业生262人);
a total of what there is (截至年底一共有多少在校生) stays as written (bench/retrieval.py fourth corpus
tuned hit@1 0.821 → 0.846, every other split unchanged). 中外 before a noun in a question asking
each (各, 分别: 2023年中外教师各有多少) asks each side, as reports write it (中方59人、外方33人): read as
中方和外方, its asks are one per side (fourth corpus tuned hit@1 0.846 → 0.872), and so does 中外方 (各几位);
a total of both (中外教师共有多少) stays as written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .vocabulary import _CJK, _add_terms_to_jieba

if TYPE_CHECKING:
    from .vocabulary import Vocabulary

_UP_TO = ("截至", "截止", "为止")
_BY_YEAR_END = re.compile(r"到\s*(?:19|20)\d\d\s*年\s*(?:底|末)")
"""到2024年底 is 截至2024年底: an up-to date (到2024年底项目一共培养了多少毕业生 asks the running total)."""
_TOTALS = frozenset({"一共", "总共", "共计", "总计"})
_BEING = frozenset({"有", "是", "为", "达", "达到", "共有"})


def read_question(vocab: Vocabulary, question: str) -> str:
    """``question`` with its spoken forms read as the words reports write (see the module docstring)."""
    import jieba.posseg

    _add_terms_to_jieba()
    tokens = [(t.word, t.flag) for t in jieba.posseg.cut(question)]
    named = {c.id for _, _, c in vocab.mentions(question, topics=True)}
    up_to = any(word in question for word in _UP_TO) or bool(_BY_YEAR_END.search(question))
    each = "各" in question or "分别" in question
    out = []
    skip = False
    for i, (token, flag) in enumerate(tokens):
        if skip:
            skip = False
            continue
        after = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        before = tokens[i - 1][0] if i else ""
        done = i + 2 < len(tokens) and tokens[i + 1][1] == "v" and tokens[i + 1][0] not in _BEING and tokens[i + 2][0] == "了"
        if up_to and token in _TOTALS and done:
            token = "累计"
        elif token == "中外" and each and i + 1 < len(tokens) and tokens[i + 1][1].startswith("n"):
            token = "中方和外方"
        elif token == "中" and after == "外方" and each:  # 中外方各几位: jieba cuts 中 | 外方
            token = "中方和"
        elif len(token) == 2 and after == "程度" and (words := _measures(vocab).get(token, {})) and len(words) == 1 \
                and not set(words) & named:  # 满意程度 is 满意度
            token, skip = next(iter(words.values())), True
        elif len(token) == 1 and flag == "v" and after[:1] in ("了", "过"):
            words = _verbs(vocab).get(token, {})
            token = next(iter(words.values())) if len(words) == 1 and not set(words) & named else token
        elif len(token) == 2 and (after[:1] == "吗" or before == "是否" or after.startswith("与否")):
            words = _measures(vocab).get(token, {})
            token = next(iter(words.values())) if len(words) == 1 and not set(words) & named else token
        out.append(token)
    return "".join(out)


def _verbs(vocab: Vocabulary) -> dict[str, dict[str, str]]:
    """First character → {concept id: its first two-character wording beginning with it that jieba
    tags as a verb (招生, 录取, 获奖; not 学费)}."""
    if vocab._verb_map is None:
        import jieba.posseg

        _add_terms_to_jieba()
        verbs: dict[str, dict[str, str]] = {}
        for c in vocab.concepts.values():
            for word in (c.id, *c.synonyms):
                if len(word) == 2 and _CJK.fullmatch(word[0]) and _CJK.fullmatch(word[1]):
                    tags = [t.flag for t in jieba.posseg.cut(word)]
                    if tags == ["v"]:
                        verbs.setdefault(word[0], {}).setdefault(c.id, word)
        vocab._verb_map = verbs
    return vocab._verb_map


def _measures(vocab: Vocabulary) -> dict[str, dict[str, str]]:
    """Two-character word that is no wording itself → {concept id: its wording ``word`` + 度/率}
    (满意 → 满意度)."""
    if vocab._measure_map is None:
        words = {w for c in vocab.concepts.values() for w in (c.id, *c.synonyms)}
        found: dict[str, dict[str, str]] = {}
        for c in vocab.concepts.values():
            for word in (c.id, *c.synonyms):
                if len(word) == 3 and word[2] in "度率" and _CJK.fullmatch(word[0]) and word[:2] not in words:
                    found.setdefault(word[:2], {}).setdefault(c.id, word)
        vocab._measure_map = found
    return vocab._measure_map
