"""设置 Settings: the active model and vector store, index size (never an API key)."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.ui.common import UIContext
from assistant.ui.i18n import t

_PROVIDERS = {
    "local": ("本地离线模型", "offline local model"),
    "openai": ("OpenAI", "OpenAI"),
    "compatible": ("OpenAI 兼容接口", "OpenAI-compatible endpoint"),
}


def status_markdown(status: dict, login: bool, user: str, lang: str) -> str:
    en = lang == "en"
    model = status.get("model") or {}
    provider = model.get("provider") or ""
    provider_text = _PROVIDERS.get(provider, (provider, provider))[1 if en else 0]
    store = str(status.get("vector_store", ""))
    store_kind = ("Chroma server" if en else "Chroma 服务器") if store.startswith("chroma server") else \
        ("embedded Chroma" if en else "内嵌 Chroma")
    base_url = model.get("base_url") or ("—" if provider != "local" else ("not started yet" if en else "尚未启动"))
    rows = [
        ("Model provider" if en else "模型来源", f"{provider_text} (`{provider}`)"),
        ("Model" if en else "模型", f"`{model.get('model') or '—'}`"),
        ("Endpoint" if en else "接口地址", f"`{base_url}`"),
        ("Vector store" if en else "向量库", f"{store_kind}: `{store}`"),
        ("Embedding model" if en else "嵌入模型", f"`{status.get('embedding', '')}`"),
        ("Documents" if en else "文档数", str(status.get("documents", 0))),
        ("Chunks in the index" if en else "索引片段数", str(status.get("chunks", 0))),
        ("Knowledge folder" if en else "知识库目录", f"`{status.get('knowledge_dir', '')}`"),
        ("Login" if en else "登录", ("on, signed in as " if en else "已启用，当前用户 ") + f"`{user}`" if login
         else ("off (single user, 127.0.0.1 only)" if en else "未启用（单用户，仅限本机）")),
    ]
    head = ("| Item | Value |" if en else "| 项目 | 当前值 |") + "\n|---|---|\n"
    return head + "\n".join(f"| {k} | {v} |" for k, v in rows)


def build(ctx: UIContext, lang_state: gr.State) -> dict[str, Any]:
    L = ctx.labels
    status = gr.Markdown(elem_id="status")
    refresh = L(gr.Button(t("settings.refresh"), size="sm", elem_id="status-refresh"), value="settings.refresh")

    def show(lang: str, request: gr.Request) -> str:
        return status_markdown(ctx.services.status(), ctx.login, ctx.user(request), lang)

    refresh.click(show, [lang_state], [status], api_visibility="private")
    lang_state.change(show, [lang_state], [status], api_visibility="private", queue=False)
    def on_load(request: gr.Request) -> str:
        return show("zh", request)

    return {"load": (on_load, [], [status])}
