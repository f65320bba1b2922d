"""What every page needs: the services, the conversation store, who is asking, and the labels."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr

from assistant import users
from assistant.history import ConversationStore
from assistant.services import Services
from assistant.ui.i18n import Labels, t

LOCAL_USER = "local"
"""The user name of single-user mode (no login)."""


@dataclass
class UIContext:
    services: Services
    store: ConversationStore
    users_file: Path
    login: bool
    labels: Labels = field(default_factory=Labels)

    def user(self, request: gr.Request | None) -> str:
        """The signed-in user, or the single local user when login is off."""
        if not self.login:
            return LOCAL_USER
        name = getattr(request, "username", None) if request is not None else None
        if not name:
            raise gr.Error("请先登录 (please log in)")
        return name

    def is_admin(self, request: gr.Request | None) -> bool:
        """Everyone is admin in single-user mode; with login, only users marked admin."""
        if not self.login:
            return True
        name = getattr(request, "username", None) if request is not None else None
        return bool(name) and users.is_admin(self.users_file, name)

    def require_admin(self, request: gr.Request | None) -> None:
        if not self.is_admin(request):
            raise gr.Error("只有管理员可以管理知识库 (administrators only)")


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def citation_labels(lang: str) -> dict[str, str]:
    """The field labels of a citation panel entry (:meth:`assistant.citations.Citation.to_html`)."""
    return {key: t(f"chat.{key}", lang) for key in ("file", "section", "year", "page", "note")}


def report_years(services: Services) -> list[int]:
    """Years of the indexed documents, newest first."""
    return sorted({d.year for d in services.indexer.catalog.documents() if d.year is not None}, reverse=True)


def year_value(value: object) -> int | None:
    """A year from a dropdown / number input ("all", "", None → None)."""
    if value in (None, "", "all"):
        return None
    try:
        return int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
