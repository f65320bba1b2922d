"""Document types — one registry that metadata detection, retrieval, the CLI ``--type`` choices and the
UI labels all read, so a new type is one entry here.

Detection order (``assistant.ingest.metadata``): folder words, then a title ending with a type word,
then title words, then the file name. ``boost_for_rules`` marks the type that questions about rules
(规定, 应当, must …) prefer in retrieval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class DocType:
    id: str
    zh: str
    en: str
    folder_words: tuple[str, ...] = ()
    title_words: tuple[str, ...] = ()
    title_suffixes: tuple[str, ...] = ()
    filename: re.Pattern[str] | None = None
    suffixes: tuple[str, ...] = ()  # file types that are this type whatever their name (spreadsheets)
    boost_for_rules: bool = False
    dated_by_year: bool = False  # about the year before it is signed: a date line is not its year


DOC_TYPES: tuple[DocType, ...] = (
    DocType("report", "自评报告", "report", folder_words=("report", "报告", "年报", "自评"),
            title_words=("自评报告", "年度报告", "质量报告", "评估报告", "工作报告", "报告"),
            filename=re.compile(r"report|self[_\- ]?assessment|报告", re.IGNORECASE), dated_by_year=True),
    DocType("regulation", "规章制度", "regulation",
            folder_words=("regulation", "rule", "policy", "policies", "law", "制度", "法规", "规章", "政策", "文件", "法律"),
            title_words=("条例", "办法", "规定", "细则", "章程", "通知", "制度", "规范", "意见", "规程", "准则", "法"),
            title_suffixes=("条例", "办法", "规定", "细则", "章程", "通知", "制度", "规范", "意见", "规程", "准则", "法"),
            filename=re.compile(r"regulation|rules?\b|polic|measures|law|条例|办法|规定|细则|章程|通知|制度", re.IGNORECASE),
            boost_for_rules=True),
    DocType("other", "其他", "other"),
)
BY_ID = {t.id: t for t in DOC_TYPES}
IDS: tuple[str, ...] = tuple(t.id for t in DOC_TYPES)
DEFAULT = "other"


def label(type_id: str | None, language: str = "zh") -> str:
    """The type's name in the user's language (the id itself when unknown)."""
    t = BY_ID.get(type_id or "")
    if t is None:
        return type_id or ""
    return t.en if language == "en" else t.zh


def rule_types() -> tuple[str, ...]:
    """Types preferred for questions about rules."""
    return tuple(t.id for t in DOC_TYPES if t.boost_for_rules)
