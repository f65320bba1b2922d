"""Conversation history per user, in SQLite (``data_dir/history.sqlite3``).

Every method takes the user name and only touches that user's conversations: a conversation of
another user is reported as missing (``KeyError``), never shown.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

HISTORY_DB = "history.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_user ON conversations(user, updated_at);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_conversation ON messages(conversation_id, id);
"""


@dataclass
class Message:
    role: str  # "user" or "assistant"
    content: str
    meta: dict = field(default_factory=dict)  # e.g. citations, unsupported_numbers, error
    created_at: float = 0.0


@dataclass
class Conversation:
    id: str
    user: str
    title: str
    created_at: float
    updated_at: float
    messages: list[Message] = field(default_factory=list)


def _title(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


class ConversationStore:
    """Thread-safe store of conversations; one SQLite connection per store."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self._db.row_factory = sqlite3.Row
        with self._lock:
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.executescript(_SCHEMA)
            self._db.commit()

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> ConversationStore:
        return cls(Path(data_dir) / HISTORY_DB)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _owned(self, user: str, conversation_id: str) -> sqlite3.Row:
        row = self._db.execute("SELECT * FROM conversations WHERE id = ? AND user = ?",
                               (conversation_id, user)).fetchone()
        if row is None:
            raise KeyError(conversation_id)
        return row

    def create(self, user: str, title: str = "") -> str:
        """A new, empty conversation of ``user``; returns its id."""
        now = time.time()
        conversation_id = uuid.uuid4().hex
        with self._lock:
            self._db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?, ?)",
                             (conversation_id, user, _title(title) or "新对话", now, now))
            self._db.commit()
        return conversation_id

    def list(self, user: str) -> list[Conversation]:
        """The user's conversations, most recently updated first (without messages)."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM conversations WHERE user = ? ORDER BY updated_at DESC, rowid DESC",
                                    (user,)).fetchall()
        return [Conversation(r["id"], r["user"], r["title"], r["created_at"], r["updated_at"]) for r in rows]

    def load(self, user: str, conversation_id: str) -> Conversation:
        """A conversation with its messages; ``KeyError`` if the user has none of that id."""
        with self._lock:
            row = self._owned(user, conversation_id)
            messages = self._db.execute(
                "SELECT role, content, meta, created_at FROM messages WHERE conversation_id = ? ORDER BY id",
                (conversation_id,)).fetchall()
        return Conversation(row["id"], row["user"], row["title"], row["created_at"], row["updated_at"],
                            [Message(m["role"], m["content"], json.loads(m["meta"] or "{}"), m["created_at"])
                             for m in messages])

    def append(self, user: str, conversation_id: str, role: str, content: str, meta: dict | None = None) -> None:
        """Add a message; the first user message becomes the title of an untitled conversation."""
        if role not in ("user", "assistant"):
            raise ValueError(f"role must be user or assistant, not {role!r}")
        now = time.time()
        with self._lock:
            row = self._owned(user, conversation_id)
            self._db.execute("INSERT INTO messages (conversation_id, role, content, meta, created_at) VALUES (?, ?, ?, ?, ?)",
                             (conversation_id, role, content, json.dumps(meta or {}, ensure_ascii=False), now))
            title = row["title"]
            if role == "user" and title == "新对话" and content.strip():
                title = _title(content)
            self._db.execute("UPDATE conversations SET updated_at = ?, title = ? WHERE id = ?",
                             (now, title, conversation_id))
            self._db.commit()

    def rename(self, user: str, conversation_id: str, title: str) -> None:
        with self._lock:
            self._owned(user, conversation_id)
            self._db.execute("UPDATE conversations SET title = ? WHERE id = ?", (_title(title, 60), conversation_id))
            self._db.commit()

    def delete(self, user: str, conversation_id: str) -> None:
        """Delete one of the user's conversations; ``KeyError`` if the user has none of that id."""
        with self._lock:
            self._owned(user, conversation_id)
            self._db.execute("DELETE FROM messages WHERE conversation_id = ?", (conversation_id,))
            self._db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
            self._db.commit()
