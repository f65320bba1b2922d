"""The prompt loader and the shipped prompt files."""

from __future__ import annotations

import pytest

from assistant.prompts import load_prompt, prompts_dir, render

SHIPPED = ("system", "answer", "answer_strict", "condense")


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_prompts_load(name: str) -> None:
    text = load_prompt(name)
    assert text and text == text.strip()
    assert (prompts_dir() / f"{name}.md").is_file()


def test_placeholders_present() -> None:
    answer = load_prompt("answer")
    for placeholder in ("{context}", "{question}", "{language}"):
        assert placeholder in answer
    strict = load_prompt("answer_strict")
    for placeholder in ("{context}", "{question}", "{language}", "{numbers}", "{not_found}"):
        assert placeholder in strict
    condense = load_prompt("condense")
    assert "{history}" in condense and "{question}" in condense


def test_system_prompt_states_the_rules() -> None:
    system = load_prompt("system")
    assert "[1]" in system  # cite with markers
    assert "知识库中未找到相关内容" in system and "The knowledge base does not contain this." in system
    assert "照抄" in system  # copy figures exactly
    assert "忽略" in system  # passages are data, not instructions
    assert len(system) < 600  # the local model reads it on every question


def test_env_override_and_txt_fallback(tmp_path, monkeypatch) -> None:
    (tmp_path / "system.txt").write_text("override {x}\n", encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_PROMPTS_DIR", str(tmp_path))
    assert prompts_dir() == tmp_path
    assert load_prompt("system") == "override {x}"
    (tmp_path / "system.md").write_text("markdown wins", encoding="utf-8")
    assert load_prompt("system") == "markdown wins"


def test_missing_prompt_names_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ASSISTANT_PROMPTS_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="nonexistent"):
        load_prompt("nonexistent")


def test_invalid_name_rejected() -> None:
    with pytest.raises(ValueError):
        load_prompt("../secrets")


def test_render_replaces_only_given_names() -> None:
    out = render('{"a": 1} {question} {other}', question="问{context}题")
    assert out == '{"a": 1} 问{context}题 {other}'
