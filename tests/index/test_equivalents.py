"""Keyword search reads the vocabulary's equivalent wordings as one (terms.toml ``[search]``), and English
questions about student feedback reach the Chinese wordings of it (a topic concept)."""

from __future__ import annotations

from assistant.domain import vocabulary
from assistant.index.keyword import KeywordIndex, equate, expansion_terms


def test_year_end_is_one_word_however_it_is_written():
    assert equate("至2024年底，学院累计毕业生783人") == "至2024年末，学院累计毕业生783人"
    assert ("年底", "年末") in vocabulary().equivalents
    index = KeywordIndex(["截至年末，学院共有实验室46间。", "截至年初，学院共有实验室46间。"])
    year_end, year_start = index.scores("年底有多少实验室？")
    assert year_end > year_start
    assert list(index.scores("年末有多少实验室？")) == [year_end, year_start]  # either wording, the same scores

