"""The running app in Chromium: login, chat with citations, figure check, drafting, uploads.

Each page is saved to docs/screenshots/<page>.png on the way.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.ui.conftest import ADMIN, STAFF, login, screenshot

DRAFT_2023 = """# 2023年度自评报告

## 一、办学基本情况

截至 2023 年 12 月 31 日，学院在校生 4474 人，其中本科生 1462 人。办学以来累计培养本科毕业生 549 人。

## 三、师资建设

2023 年学院任课教师共 129 人，其中外方教师 47 人，占 36.4%。全院生师比为 11.43。
"""


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    time.sleep(0.5)


def ask(page, question: str) -> None:
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")


def test_login_chat_and_citation(app, page):
    page.goto(app.url, wait_until="load")
    page.wait_for_selector("input[type=password]")
    screenshot(page, "login")
    login(page, app)
    expect(page.locator("#user-line")).to_contain_text("wang")
    expect(page.locator("#single-user-notice")).to_be_hidden()

    ask(page, "2022年的生师比是多少？")
    link = page.locator("#chatbot a.cite-ref").first
    expect(link).to_be_visible(timeout=60_000)
    expect(page.locator("#chatbot")).to_contain_text("11.21")
    link.click()
    opened = page.locator("#citations details.citation[open]")
    expect(opened).to_have_count(1)
    expect(opened).to_contain_text("reports/2022_self_assessment_report.md")
    expect(opened).to_contain_text("队伍数量与结构")
    expect(opened).to_contain_text("在校生与任课教师之比（生师比）为11.21")

    # a follow-up keeps the context: the recorded model rewrites it into a 2021 question
    ask(page, "那2021年呢？")
    expect(page.locator("#chatbot")).to_contain_text("10.90", timeout=60_000)
    expect(page.locator("#chatbot a.cite-ref")).to_have_count(2)
    page.locator("#chatbot a.cite-ref").nth(1).click()
    expect(page.locator("#citations details.citation[open]")).to_contain_text("2021_self_assessment_report.md")
    expect(page.locator("#conversations")).to_contain_text("2022年的生师比是多少")
    screenshot(page, "chat")

    # a model figure the passages do not support is never the answer: the passage is quoted, the figure flagged
    page.locator("#new-conversation").click()
    expect(page.locator("#chatbot")).not_to_contain_text("11.21")
    ask(page, "学生党员的发展情况如何？")
    expect(page.locator("#chatbot")).to_contain_text("未能在引用资料中核实", timeout=60_000)
    expect(page.locator("#chatbot")).to_contain_text("999")
    expect(page.locator("#chatbot")).to_contain_text("资料原文")


def test_history_is_per_user_and_restored(app, page, browser):
    login(page, app)
    conversations = page.locator("#conversations")
    expect(conversations).to_contain_text("2022年的生师比是多少", timeout=30_000)  # from the previous test
    conversations.get_by_text(re.compile("2022年的生师比是多少")).click()
    expect(page.locator("#chatbot")).to_contain_text("10.90")
    page.locator("#chatbot a.cite-ref").first.click()
    expect(page.locator("#citations details.citation[open]")).to_contain_text("2022_self_assessment_report.md")

    other = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    try:
        login(other, app, STAFF)
        time.sleep(2)
        expect(other.locator("#conversations")).not_to_contain_text("生师比")
        other.get_by_role("tab", name="知识库").click()  # staff see the chunk preview, not the management
        expect(other.locator("#kb-chunks")).to_be_visible()
        expect(other.locator("#kb-save")).to_be_hidden()
        expect(other.locator("#kb-documents")).to_be_hidden()
        expect(other.locator("#user-line")).to_contain_text("li")
    finally:
        other.context.close()


def test_language_switch(app, page):
    login(page, app)
    page.locator("#language").get_by_text("English").click()
    expect(page.get_by_role("tab", name="Chat")).to_be_visible()
    expect(page.get_by_role("tab", name="Knowledge")).to_be_visible()
    expect(page.locator("#send")).to_have_text("Send")
    expect(page.locator("#question textarea")).to_have_attribute("placeholder", re.compile("student-teacher"))
    page.locator("#language").get_by_text("中文").click()
    expect(page.get_by_role("tab", name="对话")).to_be_visible()
    expect(page.locator("#send")).to_have_text("发送")


def test_figure_check(app, page):
    login(page, app)
    open_tab(page, "数据核对")
    page.locator("#check-text textarea").fill(DRAFT_2023)
    page.locator("#check-year input").fill("2023")
    page.locator("#check-run").click()
    findings = page.locator("#check-findings")
    expect(findings).to_contain_text("4474", timeout=60_000)
    expect(findings).to_contain_text("yoy_jump")
    expect(findings).to_contain_text("unchanged")
    expect(findings).to_contain_text("1368")
    expect(page.locator("#check-summary")).to_contain_text("2")
    expect(page.locator("#check-chart")).to_be_visible()
    expect(page.locator("#check-chart canvas, #check-chart svg").first).to_be_visible(timeout=30_000)
    time.sleep(1)
    screenshot(page, "check")

    page.locator("#figures-view").get_by_text("指标历年对比").click()
    page.locator("#metric input, #metric textarea").first.fill("在校生")
    page.locator("#metric-show").click()
    table = page.locator("#metric-table")
    expect(table).to_contain_text("1368", timeout=30_000)
    expect(table).to_contain_text("2021")
    expect(page.locator("#metric-chart")).to_be_visible()
    time.sleep(1)
    page.locator("#figures-view").scroll_into_view_if_needed()
    screenshot(page, "figures")


def test_draft_update(app, page):
    login(page, app)
    open_tab(page, "起草")
    section = page.locator("#draft-section input")
    section.fill("师资建设")
    section.press("Enter")
    page.locator("#draft-year input").fill("2024")
    page.locator("#draft-mode").get_by_text("在去年基础上更新").click()
    page.locator("#draft-notes textarea").fill("- 任课教师 135 人\n- 生师比：11.6\n- 外方教师 50 人")
    page.locator("#draft-run").click()
    result = page.locator("#draft-result")
    expect(result).to_contain_text("135", timeout=90_000)
    expect(result.locator("mark.stale").first).to_be_visible()
    expect(page.locator("#draft-status")).to_contain_text("未更新的数字")
    expect(page.locator("#draft-findings")).to_contain_text("arithmetic")
    download = page.locator("#draft-download")
    expect(download).to_be_visible()
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename.endswith(".docx")
    screenshot(page, "draft")


def test_draft_notes_mode_shows_where_each_sentence_came_from(app, page):
    """The default mode: figures updated, a new sentence written from the qualitative note (recorded
    model), and the new sentence shows its provenance (tag and tooltip), as do the updated ones."""
    login(page, app)
    open_tab(page, "起草")
    section = page.locator("#draft-section input")
    section.fill("师资建设")
    section.press("Enter")
    page.locator("#draft-year input").fill("2024")
    expect(page.locator("#draft-mode input[value=notes]")).to_be_checked()  # notes mode is the default
    page.locator("#draft-notes textarea").fill("- 任课教师 135 人\n- 生师比：11.6\n- 新组建人工智能课程教学团队，由中外教师共同授课")
    page.locator("#draft-run").click()
    result = page.locator("#draft-result")
    written = result.locator("span.prov-written")
    expect(written).to_contain_text("新组建人工智能课程教学团队，由中外教师共同授课", timeout=90_000)
    assert "written from note 3" in written.get_attribute("title")
    expect(result.locator("sup.prov-tag.prov-written")).to_have_text("新写·材料3")
    updated = result.locator("span.prov-updated").first
    expect(updated).to_contain_text("135")
    assert "figure updated from note 1" in updated.get_attribute("title")
    status = page.locator("#draft-status")
    expect(status).to_contain_text("材料 3：新句子")
    expect(status).to_contain_text("材料 1：数字已更新")
    written.scroll_into_view_if_needed()
    screenshot(page, "draft-notes")


def test_upload_document(app, page, tmp_path):
    login(page, app)
    open_tab(page, "知识库")
    table = page.locator("#kb-documents")
    expect(table).to_contain_text("2023_self_assessment_report.docx", timeout=30_000)
    new_doc = tmp_path / "2024_self_assessment_report.md"
    new_doc.write_text("# 2024年度自评报告\n\n## 一、办学基本情况\n\n2024年学院在校生1520人，任课教师135人。\n",
                       encoding="utf-8")
    page.locator("#kb-upload input[type=file]").set_input_files([str(new_doc)])
    time.sleep(1.5)
    page.locator("#kb-folder").get_by_text("reports/").click()
    page.locator("#kb-save").click()
    expect(page.locator("#kb-log")).to_contain_text("reports/2024_self_assessment_report.md", timeout=120_000)
    expect(table).to_contain_text("reports/2024_self_assessment_report.md")
    expect(table).not_to_contain_text("%", timeout=30_000)  # the progress overlay is gone
    expect(table.get_by_text("reports/2024_self_assessment_report.md")).to_be_visible()
    text = table.inner_text()
    after = text[text.rindex("reports/2024_self_assessment_report.md"):]
    assert re.match(r"reports/2024_self_assessment_report\.md\s+自评报告\s+2024\s+1\s+已索引", after), after[:200]
    assert (app.knowledge_dir / "reports" / "2024_self_assessment_report.md").exists()
    screenshot(page, "knowledge")


def test_chunk_preview(app, page):
    login(page, app)
    open_tab(page, "知识库")
    picker = page.locator("#kb-preview-doc")
    picker.locator("input").click()
    page.get_by_role("option", name="reports/2022_self_assessment_report.md").click()
    chunks = page.locator("#kb-chunks")
    expect(chunks).to_contain_text("在校生与任课教师之比（生师比）为11.21", timeout=30_000)
    expect(chunks).to_contain_text("队伍数量与结构")
    text = chunks.inner_text()
    assert "序号" in text and "章节" in text and "OCR 置信度" in text
    assert "2022" in text and "自评报告" in text
    chunks.scroll_into_view_if_needed()
    screenshot(page, "knowledge-chunks")


def test_settings_page(app, page):
    login(page, app)
    open_tab(page, "设置")
    status = page.locator("#status")
    expect(status).to_contain_text("compatible", timeout=30_000)
    expect(status).to_contain_text("recorded-model")
    expect(status).to_contain_text("内嵌 Chroma")
    text = status.inner_text()
    assert "api_key" not in text.lower() and "sk-" not in text
    screenshot(page, "settings")


@pytest.mark.parametrize("password", ["wrong-password", ""])
def test_wrong_password_rejected(app, page, password):
    page.goto(app.url, wait_until="load")
    page.locator("input").first.fill(ADMIN[0])
    page.locator("input[type=password]").fill(password)
    page.get_by_role("button", name=re.compile("^(Login|登录)$")).click()
    time.sleep(1.5)
    expect(page.locator("#chatbot")).to_have_count(0)
