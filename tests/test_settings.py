"""One settings object with nested groups; the flat names from before the groups still work."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.figures.align import records_from_text
from assistant.figures.check import CheckThresholds
from assistant.services import Services
from assistant.settings import FLAT_NAMES, Settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "absent.toml"))


def test_defaults_are_the_documented_ones() -> None:
    s = Settings()
    assert (s.retrieval.top_k, s.retrieval.bm25_weight, s.retrieval.vector_weight) == (5, 1.0, 1.5)
    assert (s.answer.passages, s.answer.passage_chars, s.answer.context_chars, s.answer.min_score_ratio) == (3, 200, 600, 0.7)
    assert (s.local.model, s.local.threads, s.local.context, s.local.model_dir) == ("qwen2.5-coder-1.5b", 2, 8192, None)
    assert s.check == CheckThresholds() and s.check.notice_change == 0.3 and "由于" in s.check.reason_words


def test_nested_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_RETRIEVAL__TOP_K", "8")
    monkeypatch.setenv("ASSISTANT_ANSWER__PASSAGES", "2")
    monkeypatch.setenv("ASSISTANT_CHECK__NOTICE_CHANGE", "0.4")
    monkeypatch.setenv("ASSISTANT_CHECK__REASON_WORDS", '["新设"]')
    monkeypatch.setenv("ASSISTANT_LOCAL__THREADS", "1")
    s = Settings()
    assert s.retrieval.top_k == 8 and s.answer.passages == 2 and s.local.threads == 1
    assert s.check.notice_change == 0.4 and s.check.reason_words == ("新设",)


@pytest.mark.parametrize("flat", sorted(FLAT_NAMES))
def test_every_flat_environment_name_still_works(flat: str, monkeypatch: pytest.MonkeyPatch) -> None:
    group, name = FLAT_NAMES[flat]
    value = {"local_model": "qwen2.5-coder-0.5b", "model_dir": "/srv/models"}.get(flat, "7")
    monkeypatch.setenv(f"ASSISTANT_{flat.upper()}", value)
    s = Settings()
    got = getattr(getattr(s, group), name)
    assert str(got) == value or got == float(value)
    assert getattr(s, flat) == got  # the flat attribute reads the group's field


def test_nested_name_wins_over_flat_and_arguments_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_TOP_K", "7")
    monkeypatch.setenv("ASSISTANT_RETRIEVAL__TOP_K", "9")
    assert Settings().retrieval.top_k == 9
    assert Settings(top_k=3).retrieval.top_k == 3
    assert Settings(retrieval={"top_k": 4}).retrieval.top_k == 4
    monkeypatch.setenv("ASSISTANT_BM25_WEIGHT", "2")
    s = Settings(retrieval={"top_k": 4})
    assert s.retrieval.top_k == 4 and s.retrieval.bm25_weight == 2.0  # groups merge across sources


def test_flat_keyword_arguments(tmp_path: Path) -> None:
    s = Settings(local_model="qwen2.5-coder-0.5b", local_context=2048, model_dir=tmp_path, answer_passages=5,
                 min_score_ratio=0.5, data_dir=tmp_path / "d")
    assert s.local.model == "qwen2.5-coder-0.5b" and s.local.context == 2048 and s.models_dir == tmp_path
    assert s.answer.passages == 5 and s.answer.min_score_ratio == 0.5
    assert Settings(data_dir=tmp_path / "d").models_dir == tmp_path / "d" / "models"


def test_config_file_flat_keys_and_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "assistant.toml"
    config.write_text("top_k = 4\nlocal_threads = 3\n[answer]\npassages = 5\n[check]\nnotice_change = 0.4\n",
                      encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_CONFIG", str(config))
    s = Settings()
    assert (s.retrieval.top_k, s.local.threads, s.answer.passages, s.check.notice_change) == (4, 3, 5, 0.4)
    monkeypatch.setenv("ASSISTANT_LOCAL_THREADS", "1")
    assert Settings().local.threads == 1  # environment over the config file


def test_services_check_uses_the_check_settings(settings_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    history = records_from_text("二. 学生培养\n\n学生党员增长到 138 人。", 2020, "reports/2020.md")
    monkeypatch.setattr(Services, "report_records", lambda self, before_year=None: history)
    draft = "学生党员共 190 人。"  # +38%: above the default 30%, below 40%
    assert [(f.kind, f.grade) for f in Services(settings_factory()).check(draft, 2021)] == [("yoy_jump", "notice")]
    lenient = Services(settings_factory(check={"notice_change": 0.4}))
    assert lenient.check(draft, 2021) == []
