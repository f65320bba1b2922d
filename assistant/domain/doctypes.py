"""Document types — one registry that metadata detection, retrieval, the CLI ``--type`` choices and the
UI labels all read, so a new type is one entry here.

Detection order (``assistant.ingest.metadata``): file suffix, folder words, then a title ending with a
type word, then title words, then the file name; the first type (in registry order) that matches wins.
``boost_for_rules`` marks the types that questions about rules (规定, 应当, must …) prefer in retrieval.

Readers look the registry up at call time (:func:`ids`, :func:`get`, :func:`label`), never copy it at
import, so one more entry in :data:`DOC_TYPES` (or a test that monkeypatches it) reaches metadata
detection, retrieval, the CLI ``--type`` choices and the UI filter and labels alike.

``法`` ends a law's title (中华人民共和国教育法) but is not a title *word*: inside a title it is as often
方法 or 法语 as a law.
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
            title_words=("条例", "办法", "规定", "细则", "章程", "通知", "制度", "规范", "意见", "规程", "准则"),
            title_suffixes=("条例", "办法", "规定", "细则", "章程", "通知", "制度", "规范", "意见", "规程", "准则", "法"),
            filename=re.compile(r"regulation|rules?\b|polic|measures|law|条例|办法|规定|细则|章程|通知|制度", re.IGNORECASE),
            boost_for_rules=True),
    DocType("data", "统计数据", "statistics", suffixes=(".xlsx", ".csv")),  # cells to look up, not prose to cite
    DocType("other", "其他", "other"),
)
DEFAULT = "other"


def ids() -> tuple[str, ...]:
    """Ids of the registered types, in detection order."""
    return tuple(t.id for t in DOC_TYPES)


def get(type_id: str | None) -> DocType | None:
    """The registered type with this id, else None."""
    return next((t for t in DOC_TYPES if t.id == type_id), None)


def label(type_id: str | None, language: str = "zh") -> str:
    """The type's name in the user's language (the id itself when unknown)."""
    t = get(type_id)
    if t is None:
        return type_id or ""
    return t.en if language == "en" else t.zh


def dated_types() -> tuple[str, ...]:
    """Types dated by the year they report on (reports): the years a range question spans."""
    return tuple(t.id for t in DOC_TYPES if t.dated_by_year)


def rule_types() -> tuple[str, ...]:
    """Types preferred for questions about rules."""
    return tuple(t.id for t in DOC_TYPES if t.boost_for_rules)
