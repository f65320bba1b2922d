"""Acknowledged findings: stable keys, the store, and the CLI ``check --ack``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.figures import check_draft
from assistant.figures.acknowledgements import AcknowledgementStore, finding_key

HISTORY = [("2022年，学院任课教师122人，其中外方教师43人，占35.2%。累计派出交换生500人。", 2022, "r.md", "三、师资建设")]
DRAFT = ("## 三、师资建设\n\n2023年，学院任课教师129人，其中外方教师占30.0%（47人）。全院生师比为11.43。[1]\n\n"
         "累计派出交换生500人。[2]\n")


def _keys(text: str, year: int = 2023) -> dict[str, str]:
    return {f.kind: finding_key(f, text, year) for f in check_draft(text, year, HISTORY)}


def test_key_survives_edits_elsewhere_and_changes_with_the_figure() -> None:
    keys = _keys(DRAFT)
    assert set(keys) == {"arithmetic", "unchanged"}
    # another paragraph, another figure of the same sentence, spaces, citation numbers: same keys
    assert _keys(DRAFT.replace("11.43", "11.5")) == keys
    assert _keys(DRAFT.replace("129人", "130人"))["arithmetic"] == keys["arithmetic"]
    assert _keys(DRAFT.replace("2023年，", "2023 年，").replace("[2]", "[3]")) == keys
    assert _keys(DRAFT.replace("交换生500人。[2]", "交换生500人。"))["arithmetic"] == keys["arithmetic"]
    # this figure changed: a different finding
    assert _keys(DRAFT.replace("30.0%", "30.1%"))["arithmetic"] != keys["arithmetic"]
    # the same sentence in another year's report is another finding
    assert finding_key(check_draft(DRAFT, 2023, HISTORY)[1], DRAFT, 2024) != keys["unchanged"]
    assert all(len(k) == 12 for k in keys.values())


def test_store_acknowledge_apply_withdraw(tmp_path: Path) -> None:
    store = AcknowledgementStore.for_data_dir(tmp_path)
    findings = check_draft(DRAFT, 2023, HISTORY)
    applied = store.apply(findings, DRAFT, 2023)
    assert [f["acknowledged"] for f in applied] == [False, False]
    key = applied[1]["key"]
    store.acknowledge(key, "本年度无新增派出，数字属实", "wang", applied[1])
    # another store object over the same folder (the CLI and the app) sees it
    again = AcknowledgementStore(tmp_path / "acknowledgements.json").apply(findings, DRAFT, 2023)
    assert [f["acknowledged"] for f in again] == [False, True]
    assert again[1]["acknowledgement"]["reason"] == "本年度无新增派出，数字属实"
    assert again[1]["acknowledgement"]["user"] == "wang" and again[1]["acknowledgement"]["at"] > 0
    data = json.loads((tmp_path / "acknowledgements.json").read_text(encoding="utf-8"))
    assert data["items"][key]["kind"] == "unchanged" and data["items"][key]["quote"] == applied[1]["quote"]
    assert [p.name for p in tmp_path.iterdir()] == ["acknowledgements.json"]  # no temporary file left
    assert store.withdraw(key) and not store.withdraw(key)
    assert not store.apply(findings, DRAFT, 2023)[1]["acknowledged"]


def test_store_rejects_bad_input(tmp_path: Path) -> None:
    store = AcknowledgementStore.for_data_dir(tmp_path)
    with pytest.raises(ValueError, match="reason"):
        store.acknowledge("0123456789ab", "  ", "wang")
    with pytest.raises(ValueError, match="invalid finding key"):
        store.acknowledge("../../etc", "理由", "wang")
    (tmp_path / "acknowledgements.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="acknowledgements file unreadable"):
        store.all()


def test_failed_write_keeps_the_previous_file(tmp_path: Path, monkeypatch) -> None:
    store = AcknowledgementStore.for_data_dir(tmp_path)
    store.acknowledge("0123456789ab", "first", "wang")
    before = (tmp_path / "acknowledgements.json").read_bytes()

    def boom(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        store.acknowledge("ba9876543210", "second", "wang")
    assert (tmp_path / "acknowledgements.json").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["acknowledgements.json"]


def test_cli_check_ack(tmp_path: Path, capsys, real_chunks) -> None:
    from assistant.cli import main
    from assistant.index.catalog import Catalog
    from tests.conftest import REAL_REPORT

    data, knowledge = tmp_path / "data", tmp_path / "knowledge"
    knowledge.mkdir()
    catalog = Catalog(data / "index.sqlite3")
    catalog.commit_document("reports/2020_self_assessment_report.txt", "sha", REAL_REPORT.stat().st_size, "report",
                            2020, "2020", real_chunks)
    catalog.close()
    draft = tmp_path / "draft.md"
    draft.write_text("2021 年，学院学生累计发表论文 75 篇，生师比为 6.85。\n", encoding="utf-8")  # 6.91 again would be stale
    base = ["--knowledge", str(knowledge), "--data", str(data), "check", str(draft), "--year", "2021"]
    assert main([*base, "--json"]) == 0
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["kind"] == "unchanged" and not finding["acknowledged"]
    assert main([*base, "--ack", "ffffffffffff", "--reason", "x"]) == 2
    assert "no finding with this key" in capsys.readouterr().err
    assert main([*base, "--ack", finding["key"]]) == 2
    assert "reason" in capsys.readouterr().err
    assert main([*base, "--ack", finding["key"], "--reason", "论文统计口径为累计，本年无新增", "--user", "li"]) == 0
    out = capsys.readouterr().out
    assert "已确认" in out and "共 0 处需核对" in out
    # another figure of the sentence changed and a paragraph added: still acknowledged
    draft.write_text("2021 年，学院学生累计发表论文 75 篇，生师比为 7.05。\n另有新内容。\n", encoding="utf-8")
    assert main([*base, "--json"]) == 0
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["acknowledged"] and finding["acknowledgement"]["user"] == "li"
