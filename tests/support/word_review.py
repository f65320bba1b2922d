"""What a reviewer does to the exported .docx in Word, done on the file: edit a figure, reply to a
comment, resolve it, add a comment of one's own.

Replies and "resolved" are written the way Word writes them: each comment's last paragraph carries
a ``w14:paraId``, and ``word/commentsExtended.xml`` has one ``w15:commentEx`` per comment with
``w15:done="1"`` for resolved ones and ``w15:paraIdParent`` pointing a reply at its comment.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
RT_EXTENDED = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
CT_EXTENDED = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
_ids = itertools.count(0x10000001)


def comment_with(document: Any, text: str) -> Any:
    """The comment whose text contains ``text`` (e.g. a finding's key)."""
    return next(c for c in document.comments if text in c.text)


def _para_id(comment: Any) -> str:
    p = comment._comment_elm.findall(qn("w:p"))[-1]
    value = p.get(f"{{{W14}}}paraId")
    if not value:
        value = f"{next(_ids):08X}"
        p.set(f"{{{W14}}}paraId", value)
    return value


def _extended(document: Any) -> Any:
    part = next((r.target_part for r in document.part.rels.values() if r.reltype == RT_EXTENDED), None)
    if part is None:
        element = parse_xml(f'<w15:commentsEx xmlns:w15="{W15}"/>')
        part = XmlPart(PackURI("/word/commentsExtended.xml"), CT_EXTENDED, element, document.part.package)
        document.part.relate_to(part, RT_EXTENDED)
    return part.element


def _entry(document: Any, comment: Any) -> Any:
    root = _extended(document)
    pid = _para_id(comment)
    for ex in root:
        if ex.get(f"{{{W15}}}paraId") == pid:
            return ex
    ex = parse_xml(f'<w15:commentEx xmlns:w15="{W15}" w15:paraId="{pid}" w15:done="0"/>')
    root.append(ex)
    return ex


def resolve(document: Any, comment: Any) -> None:
    _entry(document, comment).set(f"{{{W15}}}done", "1")


def reply(document: Any, parent: Any, text: str, author: str) -> Any:
    """A reply anchored on the parent's range, linked to it in commentsExtended."""
    _entry(document, parent)
    child = document.comments.add_comment(text=text, author=author, initials=author[:2])
    body = document.element.body
    pid, cid = str(parent.comment_id), str(child.comment_id)
    start = next(e for e in body.iter(qn("w:commentRangeStart")) if e.get(qn("w:id")) == pid)
    end = next(e for e in body.iter(qn("w:commentRangeEnd")) if e.get(qn("w:id")) == pid)
    start.addnext(parse_xml(f'<w:commentRangeStart {nsdecls("w")} w:id="{cid}"/>'))
    ref = parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
                    f'<w:commentReference w:id="{cid}"/></w:r>')
    end.addnext(parse_xml(f'<w:commentRangeEnd {nsdecls("w")} w:id="{cid}"/>'))
    end.getnext().addnext(ref)
    _entry(document, child).set(f"{{{W15}}}paraIdParent", _para_id(parent))
    return child


def replace_in_runs(document: Any, old: str, new: str, *, contains: str = "") -> int:
    """Replace ``old`` by ``new`` in the runs of body paragraphs holding ``contains``; the count."""
    n = 0
    for p in document.paragraphs:
        if contains and contains not in p.text:
            continue
        for r in p.runs:
            if old in r.text:
                r.text = r.text.replace(old, new)
                n += 1
    return n


def comment_on(document: Any, contains: str, text: str, author: str) -> Any:
    """A reviewer's own comment on the first run of the paragraph holding ``contains``."""
    p = next(p for p in document.paragraphs if contains in p.text)
    run = next(r for r in p.runs if r.text.strip())
    return document.add_comment([run], text=text, author=author, initials=author[:2])


def keys_in(text: str) -> list[str]:
    return re.findall(r"编号 key：([0-9a-f]{12})", text)
