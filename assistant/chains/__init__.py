"""Chains: question answering (condense → retrieve → answer → verify)."""

from assistant.chains.answer import Answer, AnswerChain, AnswerEvent, ModelUnavailable

__all__ = ["Answer", "AnswerChain", "AnswerEvent", "ModelUnavailable"]
