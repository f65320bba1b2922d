"""Interface texts in Chinese (default) and English, and the registry that relabels components when
the language switch changes."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.domain import doctypes

LANGUAGES = [("中文", "zh"), ("English", "en")]
TYPE_KEY = "type."

TEXT: dict[str, tuple[str, str]] = {
    # shell
    "app.title": ("中外合作办学年度自评报告助手", "Annual Self-Assessment Report Assistant"),
    "app.language": ("语言", "Language"),
    "app.single_user": ("**单用户模式**：未配置用户，应用只在本机 127.0.0.1 上运行，无需登录。"
                        "如需多人使用，请先用 `python -m assistant user add 用户名 --admin` 创建用户。",
                        "**Single-user mode**: no users are configured, so the app only runs on this computer "
                        "(127.0.0.1) without login. For several staff, create users first with "
                        "`python -m assistant user add NAME --admin`."),
    "app.signed_in": ("当前用户：", "Signed in as: "),
    "app.logout": ("退出登录", "Log out"),
    "tab.chat": ("对话", "Chat"),
    "tab.draft": ("起草", "Draft"),
    "tab.check": ("数据核对", "Check"),
    "tab.report": ("报告", "Report"),
    "tab.knowledge": ("知识库", "Knowledge"),
    "tab.settings": ("设置", "Settings"),
    # chat
    "chat.new": ("＋ 新对话", "+ New conversation"),
    "chat.conversations": ("历史对话", "Conversations"),
    "chat.delete": ("删除此对话", "Delete conversation"),
    "chat.export_docx": ("导出对话 Word（含引用）", "Export as .docx (with citations)"),
    "chat.export_md": ("导出对话 Markdown", "Export as Markdown"),
    "chat.year": ("年份", "Year"),
    "chat.doc_type": ("文档类型", "Document type"),
    "chat.all": ("全部", "All"),
    "chat.chatbot": ("对话", "Conversation"),
    "chat.question": ("问题", "Question"),
    "chat.placeholder": ("例如：2022年的生师比是多少？（回车发送）", "e.g. What was the student-teacher ratio in 2022? (Enter to send)"),
    "chat.send": ("发送", "Send"),
    "chat.citations": ("引用来源", "Citations"),
    "chat.citations_empty": ("点击回答中的 [n] 查看引用原文。", "Click a [n] marker in an answer to see the quoted passage."),
    "chat.answer_n": ("第 {n} 个回答", "Answer {n}"),
    "chat.file": ("文件", "File"),
    "chat.section": ("章节", "Section"),
    "chat.page": ("页", "Page"),
    "chat.note": ("说明", "Note"),
    "chat.quote": ("原文", "Quote"),
    "chat.unsupported": ("注意：以下数字未能在引用资料中核实，请人工核对：", "Warning: these figures could not be verified against the cited passages; check them: "),
    "chat.error": ("出错：", "Error: "),
    "chat.thinking": ("…", "…"),
    # draft
    "draft.section": ("章节", "Section"),
    "draft.section_info": ("可选择九个标准章节之一，也可以输入自定义标题", "Pick one of the nine standard sections or type a title"),
    "draft.year": ("报告年份", "Report year"),
    "draft.mode": ("方式", "Mode"),
    "draft.mode_notes": ("更新数字并逐条补写新句（推荐）", "Update figures + a sentence per note (recommended)"),
    "draft.write": ("撰写新稿", "Write"),
    "draft.update": ("在去年基础上更新", "Update last year's text"),
    "draft.notes": ("素材与要点", "Notes"),
    "draft.notes_placeholder": ("本年度的新情况、数据和要点，每行一条", "This year's facts, figures and points, one per line"),
    "draft.table": ("或上传数据表（.md/.csv/.xlsx）", "Or upload a figures table (.md/.csv/.xlsx)"),
    "draft.run": ("生成草稿", "Draft"),
    "draft.writing": ("正在撰写……（逐条材料写新句，本地模型每条约需十秒；撰写新稿模式每节需数分钟；草稿将在核对后显示引用与提示）",
                      "Writing… (a new sentence per note, ~10 s each on the local model; write mode needs minutes per section; "
                      "citations and findings follow the check)"),
    "draft.result": ("草稿", "Draft"),
    "draft.legend": ("<span class='placeholder'>【待补充：…】</span> 需要补充的内容　"
                     "<span class='stale'>未更新的数字</span> 仍是去年的数字　"
                     "<span class='prov prov-written'>新写的句子</span> 根据材料撰写（悬停查看来源）　"
                     "<span class='prov prov-carried_over'>一次性内容</span> 沿用往年，请确认保留或删除",
                     "<span class='placeholder'>【待补充：…】</span> to be completed　"
                     "<span class='stale'>not updated</span> still last year's figure　"
                     "<span class='prov prov-written'>new sentence</span> written from a note (hover for its source)　"
                     "<span class='prov prov-carried_over'>one-off</span> carried over from last year: keep or drop"),
    "draft.citations": ("引用来源", "Citations"),
    "draft.findings": ("数据核对结果", "Figure check"),
    "draft.download": ("下载 Word (.docx)", "Download .docx"),
    "draft.no_findings": ("未发现可疑数字。", "No suspicious figures."),
    "draft.placeholders": ("待补充：", "To complete: "),
    "draft.not_updated": ("未更新的数字：", "Figures not updated: "),
    "draft.notes_used": ("材料去向：", "Where each note went: "),
    "draft.carried_over": ("沿用往年的一次性内容（请确认保留或删除）：", "Carried over from last year (keep or drop): "),
    # check
    "check.upload": ("上传草稿（.md/.txt/.docx）", "Upload a draft (.md/.txt/.docx)"),
    "check.text": ("草稿内容", "Draft text"),
    "check.placeholder": ("粘贴草稿全文或某一章节", "Paste the draft or one section"),
    "check.year": ("草稿年份", "Draft year"),
    "check.run": ("核对数据", "Check figures"),
    "check.findings": ("核对结果", "Findings"),
    "check.chart": ("被标记指标的历年数值", "Flagged metrics over the years"),
    "check.figures": ("指标历年对比", "Figures by year"),
    "check.metric": ("指标", "Metric"),
    "check.metric_placeholder": ("例如：生师比、在校生、深造率（留空显示全部）", "e.g. 生师比, 在校生, 深造率 (empty = all)"),
    "check.show": ("查询", "Show"),
    "check.table": ("历年数值", "Values by year"),
    "check.metric_chart": ("历年变化", "Over the years"),
    "check.summary": ("共 {n} 处可疑数字。", "{n} suspicious figure(s)."),
    "check.none": ("未发现可疑数字。", "No suspicious figures found."),
    "check.empty": ("请先粘贴或上传草稿。", "Paste or upload a draft first."),
    "check.pick": ("选择一条核对结果", "Pick a finding"),
    "check.reason": ("确认理由（例如：口径不同、已核实）", "Reason (e.g. different scope, verified)"),
    "check.ack": ("确认无误，不再提示", "Acknowledge (do not raise again)"),
    "check.acked": ("已确认：{finding}", "Acknowledged: {finding}"),
    "check.no_pick": ("请先选择一条核对结果。", "Pick a finding first."),
    "check.need_reason": ("请填写确认理由。", "Give a reason."),
    # report workspace
    "report.year": ("报告年份", "Report year"),
    "report.owner": ("工作区", "Workspace"),
    "report.mine": ("我的", "Mine"),
    "report.shared": ("共享", "Shared"),
    "report.open": ("打开", "Open"),
    "report.draft_all": ("全部起草（在去年基础上更新）", "Draft every section (update last year's)"),
    "report.overwrite": ("覆盖手工修改过的章节", "Also redraft edited sections"),
    "report.check": ("核对全文", "Check the whole report"),
    "report.download": ("下载 Word (.docx，含批注)", "Download .docx (with comments)"),
    "report.import": ("导入审阅后的 Word 文件", "Import the reviewed .docx"),
    "report.sections": ("章节", "Sections"),
    "report.section": ("选择章节", "Section"),
    "report.notes": ("本节素材与要点", "Notes for this section"),
    "report.text": ("本节草稿（Markdown，可直接修改）", "This section's draft (Markdown, editable)"),
    "report.save": ("保存并重新核对", "Save and re-check"),
    "report.update": ("按要点更新本节", "Update this section from the notes"),
    "report.notes_mode": ("更新并逐条补写新句", "Update + a new sentence per other note"),
    "report.write": ("用模型撰写本节", "Write this section with the model"),
    "report.done": ("标记本节完成", "Mark this section done"),
    "report.findings": ("全文核对结果（按章节）", "Findings of the whole report (by section)"),
    "report.finding": ("查看核对结果", "Open a finding"),
    "report.reason": ("确认理由", "Reason"),
    "report.ack": ("确认", "Acknowledge"),
    "report.checklist": ("合规检查清单", "Compliance checklist"),
    "report.comments": ("审阅意见", "Reviewers' comments"),
    "report.legend": ("状态：未起草 · 已起草 · 待补数据 · 已核对 · 已完成。<span class='placeholder'>【待补充】</span> "
                      "需要补充，<span class='stale'>未更新的数字</span> 仍是去年的数字。",
                      "Status: empty · drafted · needs figures · checked · done. <span class='placeholder'>【待补充】</span> "
                      "to complete, <span class='stale'>not updated</span> still last year's figure."),
    "report.summary": ("{year} 年度报告 · 提纲来自 {source} · {n} 节 · 待核对 {open} · 待补充 {ph} · 未更新 {nu}",
                       "{year} report · outline from {source} · {n} sections · {open} open findings · "
                       "{ph} placeholders · {nu} not updated"),
    "report.standard": ("标准九节（知识库中没有往年报告）", "the nine standard sections (no prior report indexed)"),
    "report.drafted": ("已起草 {n} 节；保留手工修改的 {k} 节。", "Drafted {n} sections; kept {k} edited by hand."),
    "report.imported": ("已导入 {file}：{n} 段有改动并已重新核对；确认 {a} 条，核实数字 {v} 个，审阅意见 {c} 条。",
                        "Imported {file}: {n} changed paragraphs re-checked; {a} acknowledged, {v} figures verified, "
                        "{c} reviewer comments."),
    "report.saved": ("已保存：{n} 段有改动并已重新核对。", "Saved: {n} changed paragraphs re-checked."),
    "report.no_section": ("请先选择章节。", "Pick a section first."),
    "report.not_checked": ("本节还有未完成的内容，不能标记完成。", "This section still has open items."),
    # knowledge
    "kb.upload": ("上传文件", "Upload files"),
    "kb.folder": ("保存到", "Save to"),
    "kb.folder_auto": ("自动判断（根目录）", "Auto (top folder)"),
    "kb.folder_reports": ("reports/ 自评报告", "reports/ (reports)"),
    "kb.folder_regulations": ("regulations/ 规章制度", "regulations/ (regulations)"),
    "kb.save": ("上传并索引", "Upload and index"),
    "kb.ingest": ("同步整个知识库", "Sync the whole knowledge base"),
    "kb.rebuild": ("全部重建索引", "Rebuild the index"),
    "kb.log": ("结果", "Result"),
    "kb.documents": ("已索引文档", "Indexed documents"),
    "kb.refresh": ("刷新", "Refresh"),
    "kb.selected": ("选择文档", "Document"),
    "kb.delete": ("删除文档", "Delete document"),
    "kb.reindex": ("重新索引", "Re-index"),
    "kb.admin_only": ("只有管理员可以管理知识库。", "Only administrators can manage the knowledge base."),
    "kb.limits": ("支持 {types}，单个文件不超过 {mb} MB。", "Supported: {types}; at most {mb} MB per file."),
    "kb.preview": ("片段预览：索引中保存的内容", "Chunk preview: what the index holds"),
    "kb.preview_doc": ("选择文档查看其片段", "Pick a document to see its chunks"),
    "kb.preview_none": ("该文档没有已索引的片段。", "This document has no indexed chunks."),
    # settings
    "settings.refresh": ("刷新", "Refresh"),
}


def t(key: str, lang: str = "zh", **fields: Any) -> str:
    """The text of ``key`` in ``lang`` (zh/en), formatted with ``fields``. ``type.<id>`` keys are the
    document types' names from the registry (:mod:`assistant.domain.doctypes`), not copies here."""
    if key.startswith(TYPE_KEY):
        name = doctypes.label(key[len(TYPE_KEY):], lang)
        return name[:1].upper() + name[1:] if lang == "en" else name
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**fields) if fields else text


class Labels:
    """Components whose texts follow the language switch.

    ``labels(component, label="key", placeholder="key", value="key", info="key", choices=[("key", value)])``
    (a text may be ``("prefix", "key")``) registers a component and returns it; :meth:`updates` gives one ``gr.update`` per component.
    """

    def __init__(self) -> None:
        self._items: list[tuple[Any, dict[str, Any]]] = []

    def __call__(self, component: Any, **attrs: Any) -> Any:
        for existing, known in self._items:
            if existing is component:
                known.update(attrs)
                return component
        self._items.append((component, dict(attrs)))
        return component

    @property
    def components(self) -> list[Any]:
        return [c for c, _ in self._items]

    def updates(self, lang: str) -> list[Any]:
        out = []
        for _, attrs in self._items:
            values: dict[str, Any] = {}
            for attr, key in attrs.items():
                if attr == "choices":
                    values["choices"] = [(t(k, lang), v) for k, v in key]
                elif isinstance(key, tuple):  # (prefix, key), e.g. ("### ", "chat.citations")
                    values[attr] = key[0] + t(key[1], lang)
                else:
                    values[attr] = t(key, lang)
            out.append(gr.update(**values))
        return out
