"""Drafting fixtures: the chunks of the real 2020 report and of the sample corpus come from the root
index, no embeddings), shared by the drafting tests; a fake chat model that records its prompts."""

from __future__ import annotations


class ScriptedModel:
    """A chat model answering from a list, recording (system, user) of every call; ``error`` raises
    instead of answering (the endpoint down)."""

    def __init__(self, replies: list[str], error: Exception | None = None) -> None:
        self.replies = list(replies)
        self.calls: list[tuple[str, str]] = []
        self.error = error

    def bind(self, **kwargs):
        return self

    def invoke(self, messages):
        from langchain_core.messages import AIMessage

        system = next((m.content for m in messages if m.type == "system"), "")
        user = next((m.content for m in reversed(messages) if m.type == "human"), "")
        self.calls.append((system, user))
        if self.error is not None:
            raise self.error
        return AIMessage(content=self.replies.pop(0) if self.replies else "")
