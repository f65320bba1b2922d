"""The year's whole report: a workspace per year, the whole-report check, the compliance checklist,
the Word round trip (export with footnotes and comments, import of the reviewed file) and the
export of chat conversations.

Modules, one concern each: ``workspace`` (state and storage), ``outline`` (sections from the
latest prior report), ``drafter`` (the one door into drafting), ``blocks`` (paragraphs and
tables), ``review`` (checks), ``actions`` (draft, edit, acknowledge), ``checklist`` (required
contents), ``docx_export`` / ``docx_import`` (Word), ``conversation_export`` (chats).
"""

from .actions import acknowledge, draft_all, draft_one, edit_section, notes_from_dir
from .outline import Outline, outline_for
from .review import ReportEnv, check_report, report_findings
from .workspace import SHARED, Section, Workspace, WorkspaceError, WorkspaceStore

__all__ = ["SHARED", "Outline", "ReportEnv", "Section", "Workspace", "WorkspaceError", "WorkspaceStore",
           "acknowledge", "check_report", "draft_all", "draft_one", "edit_section", "notes_from_dir", "outline_for",
           "report_findings"]
