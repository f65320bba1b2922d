"""报告 Report page in Chromium: draft every section, open a finding, acknowledge it, download the
.docx (with a comment per open finding); and the chat page's conversation export.

Screenshots: docs/screenshots/report.png (the workspace) and report-docx.png (a page of the
exported .docx as LibreOffice renders it, its comments in the margin).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import docx
from playwright.sync_api import expect

from tests.ui.conftest import SCREENSHOTS, STAFF, login, screenshot


def _open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    time.sleep(0.5)


def test_workspace_draft_all_acknowledge_download(app, page, browser, tmp_path: Path) -> None:
    login(page, app)
    _open_tab(page, "报告")
    page.locator("#report-year input").fill("2024")
    page.locator("#report-open").click()
    sections = page.locator("#report-sections")
    expect(sections).to_contain_text("一、办学基本情况", timeout=60_000)  # the outline of the 2023 report
    expect(sections).to_contain_text("未起草")
    page.locator("#report-draft-all").click()
    expect(sections).to_contain_text("待补数据", timeout=120_000)
    expect(sections).not_to_contain_text("未起草")
    expect(page.locator("#report-status")).to_contain_text("已起草 9 节")
    findings = page.locator("#report-findings")
    expect(findings).to_contain_text("未随年度更新")
    expect(page.locator("#report-checklist")).to_contain_text("生师比")
    expect(page.locator("#report-preview mark.stale").first).to_be_visible()

    # open a finding
    page.locator("#report-finding input").click()
    page.keyboard.type("1496 人次")  # the dropdown filters as one types: 累计派出学生海外交流 1496 人次
    option = page.get_by_role("option").filter(has_text="未随年度更新").filter(has_text="1496").first
    expect(option).to_be_visible()
    label = option.inner_text()
    key = re.search(r"\[([0-9a-f]{12})\]", label).group(1)
    option.click()
    details = page.locator("#report-finding-details")
    expect(details).to_contain_text(key, timeout=30_000)
    expect(details).to_contain_text("2023")  # the prior year it is compared with

    # acknowledge it with a reason
    page.locator("#report-reason textarea, #report-reason input").first.fill("本年度该累计数已核实无误")
    page.locator("#report-ack").click()
    expect(page.locator("#report-status")).to_contain_text(f"已确认：{key}", timeout=60_000)
    expect(findings).to_contain_text(re.compile(key + r"\s+已确认（wang：本年度该累计数已核实无误）"))
    page.locator("#report-finding input").click()
    expect(page.get_by_role("option").filter(has_text=key)).to_have_count(0)  # not raised again
    page.keyboard.press("Escape")

    # download the .docx: every open finding and figure not updated is a comment
    download = page.locator("#report-download")
    expect(download).to_be_visible()
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename.endswith(".docx")
    saved = tmp_path / "report.docx"
    info.value.save_as(str(saved))
    document = docx.Document(str(saved))
    texts = [c.text for c in document.comments]
    assert texts and not any(key in t for t in texts)
    assert sum("未随年度更新" in t for t in texts) == 2  # three findings, one acknowledged
    page.locator("#report-sections").scroll_into_view_if_needed()
    time.sleep(1)
    screenshot(page, "report")
    _docx_screenshot(saved, tmp_path)
    assert (app.data_dir / "reports" / "wang" / "2024.json").exists()

    # another user's "mine" is their own workspace; "shared" is the team's
    other = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    try:
        login(other, app, STAFF)
        _open_tab(other, "报告")
        other.locator("#report-year input").fill("2024")
        other.locator("#report-open").click()
        expect(other.locator("#report-sections")).to_contain_text("未起草", timeout=60_000)
        expect(other.locator("#report-sections")).not_to_contain_text("待补数据")
    finally:
        other.context.close()


def _docx_screenshot(saved: Path, tmp_path: Path) -> None:
    """Page 1 of the downloaded report as LibreOffice renders it, its comments drawn in the margin
    (see tests/support/docx_render.py for why the picture is composed)."""
    from tests.support.docx_render import annotations, footnotes_top, ink, page_png, to_pdf, with_margin_comments

    with_notes = to_pdf(saved, tmp_path / "pdf")
    assert any("未随年度更新" in text for _, _, text in annotations(with_notes, 1))
    clean = tmp_path / "clean.docx"
    _strip_comments(saved, clean)
    clean_pdf = to_pdf(clean, tmp_path / "clean-pdf")
    png = page_png(clean_pdf, 1, tmp_path / "page.png", dpi=80)
    assert ink(png) > 0.01
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with_margin_comments(png, with_notes, 1, SCREENSHOTS / "report-docx.png", dpi=80, below=footnotes_top(clean_pdf, 1))


def _strip_comments(source: Path, target: Path) -> None:
    """``source`` without its comment anchors and references."""
    from docx.oxml.ns import qn

    document = docx.Document(str(source))
    body = document.element.body
    for tag in ("w:commentRangeStart", "w:commentRangeEnd"):
        for el in list(body.iter(qn(tag))):
            el.getparent().remove(el)
    for ref in list(body.iter(qn("w:commentReference"))):
        run = ref.getparent()
        run.getparent().remove(run)
    document.save(str(target))


def test_chat_conversation_export(app, page, tmp_path: Path) -> None:
    from assistant.report.docx_export import footnotes_of

    login(page, app)
    box = page.locator("#question textarea")
    box.fill("2022年的生师比是多少？")
    box.press("Enter")
    expect(page.locator("#chatbot a.cite-ref").first).to_be_visible(timeout=60_000)
    button = page.locator("#export-docx")
    expect(button).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        button.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(str(saved))
    assert saved.suffix == ".docx" and saved.name.startswith("对话_")
    text = "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)
    assert "问：2022年的生师比是多少？" in text and "11.21" in text
    notes = footnotes_of(saved)
    assert notes and "reports/2022_self_assessment_report.md" in notes[0] and "2022 年" in notes[0]
    with page.expect_download() as info:
        page.locator("#export-md").click()
    markdown = Path(info.value.path()).read_text(encoding="utf-8")
    assert "**问 Question**" in markdown and "[^1]: 来源：reports/2022_self_assessment_report.md" in markdown


def test_check_page_acknowledge(app, page) -> None:
    login(page, app)
    _open_tab(page, "数据核对")
    page.locator("#check-text textarea").fill("## 一、办学基本情况\n\n截至 2024 年 12 月 31 日，学院在校生 9000 人。\n")
    page.locator("#check-year input").fill("2024")
    page.locator("#check-run").click()
    findings = page.locator("#check-findings")
    expect(findings).to_contain_text("yoy_jump", timeout=60_000)
    expect(findings).to_contain_text("待核对")
    page.locator("#check-pick input").click()
    option = page.get_by_role("option").filter(has_text="9000").first
    expect(option).to_be_visible()
    key = re.search(r"\[([0-9a-f]{12})\]", option.inner_text()).group(1)
    option.click()
    page.locator("#check-ack").click()
    expect(page.locator(".toast-wrap").first).to_contain_text("请填写确认理由", timeout=30_000)  # no reason given
    page.locator("#check-reason input, #check-reason textarea").first.fill("新校区投入使用，招生规模扩大")
    page.locator("#check-ack").click()
    expect(page.locator("#check-summary")).to_contain_text(f"已确认：{key}", timeout=30_000)
    expect(findings).to_contain_text("已确认（wang：新校区投入使用，招生规模扩大）")
    # checked again: still acknowledged, nothing open
    page.locator("#check-run").click()
    expect(page.locator("#check-summary")).to_contain_text("未发现可疑数字", timeout=30_000)
    expect(findings).to_contain_text(key)
