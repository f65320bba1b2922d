"""``python -m assistant report …``: the year's whole report from the command line.

    report --year Y [--owner NAME | --shared] [--notes DIR] [--draft-all [--overwrite]]
           [--section TITLE --mode update|notes|write] [--ack KEY --reason TEXT] [--out FILE.docx] [--json]
    report import FILE.docx --year Y [--owner NAME | --shared] [--json]

The workspace of the CLI is the single-user web app's (owner ``local``) unless ``--owner`` or
``--shared`` says otherwise. Every run re-checks the whole report and the checklist and saves the
workspace; ``--json`` prints ``{"year", "sections": [{"title", "status", "placeholders",
"findings"}], "checklist": [{"item", "status", "where", "quote"}], "docx"}`` (import: the import
report). Exit codes: 2 bad input (nothing saved), 3 chat model unavailable (write mode).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.settings import Settings

__all__ = ["add_parser", "cmd_report"]

LOCAL_OWNER = "local"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="the year's whole report: draft all, check, checklist, Word export/import")
    p.add_argument("action", nargs="?", choices=["import"], help="import FILE.docx: read a reviewed Word file back")
    p.add_argument("file", nargs="?", type=Path, help="the .docx to import")
    p.add_argument("--year", type=int, required=True, help="the year the report is about")
    owner = p.add_mutually_exclusive_group()
    owner.add_argument("--owner", default=LOCAL_OWNER, help="whose workspace (default: local, the single-user app's)")
    owner.add_argument("--shared", action="store_true", help="the workspace shared by the team")
    p.add_argument("--notes", type=Path, help="folder with one notes file per section, e.g. 师资建设.md")
    p.add_argument("--draft-all", action="store_true", help="draft every section in update mode (no model)")
    p.add_argument("--overwrite", action="store_true", help="with --draft-all: also redraft edited/imported sections")
    p.add_argument("--section", help="draft only this section (with --mode)")
    p.add_argument("--mode", choices=["update", "notes", "write"], default="update",
                   help="update (no model); notes: + a new sentence per other note (chat model); write: the model writes it")
    p.add_argument("--ack", metavar="KEY", help="acknowledge a finding (or confirm a figure not updated)")
    p.add_argument("--reason", help="why the finding is acceptable (required with --ack)")
    p.add_argument("--user", default="", help="who acknowledges (default: the owner)")
    p.add_argument("--out", type=Path, help="export the report to this .docx")
    p.add_argument("--json", action="store_true")


def _print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def report_json(workspace, checklist, docx: str | None) -> dict:
    """The JSON of ``report``: sections with status, placeholders and findings (figure findings,
    then figures not updated as kind ``not_updated``), the checklist, the .docx written."""
    from assistant.report.checklist import checklist_json

    sections = [{"title": s.title, "status": s.status, "placeholders": [dict(p) for p in s.placeholders],
                 "findings": [dict(f) for f in s.findings] + [dict(n) for n in s.not_updated]}
                for s in workspace.sections]
    return {"year": workspace.year, "sections": sections, "checklist": checklist_json(checklist), "docx": docx}


def _print_text(workspace, checklist, docx: str | None, notes_warnings: list[str]) -> None:
    from assistant.report.checklist import status_text as item_status
    from assistant.report.workspace import status_text

    print(f"{workspace.year} 年度自评报告（{workspace.owner}）· 提纲来自 {workspace.outline_source or '标准九节'}")
    for w in notes_warnings:
        print(f"  ⚠ {w}", file=sys.stderr)
    for s in workspace.sections:
        open_findings = [f for f in s.findings if not f.get("acknowledged")]
        print(f"\n## {s.heading}  [{status_text(s.status)} {s.status}]  待补充 {len(s.placeholders)} · "
              f"未更新 {len(s.not_updated)} · 待核对 {len(open_findings)} · 已确认 {len(s.findings) - len(open_findings)}")
        for f in open_findings:
            print(f"  [{f['kind']}] {f['key']} 「{f['quote']}」 {f['message']}")
        for p in s.placeholders:
            print(f"  [placeholder] {p['text']}")
    print("\n检查清单 checklist:")
    for r in checklist:
        where = f" — {r.where}：{r.quote[:60]}" if r.where else ""
        article = f"（{r.item.article}）" if r.item.article else ""
        print(f"  {item_status(r.status)} {r.status:11} {r.item.title}{article}{where}")
    if docx:
        print(f"\n已导出 (exported) {docx}")


def cmd_report(settings: Settings, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from assistant.llm.provider import ModelUnavailable
    from assistant.report import SHARED, WorkspaceError, acknowledge, check_report, draft_all, draft_one, notes_from_dir
    from assistant.report.checklist import run_checklist
    from assistant.report.docx_export import export_report
    from assistant.report.docx_import import ImportRejected, import_docx
    from assistant.services import Services

    services = Services(settings)
    owner = SHARED if args.shared else args.owner
    try:
        workspace = services.workspace(owner, args.year)
        env = services.report_env()
        if args.action == "import":
            if not args.file:
                print("report import 需要 .docx 文件 (needs FILE.docx)", file=sys.stderr)
                return 2
            updated, info = import_docx(workspace, args.file, env, user=args.user or owner,
                                        max_mb=settings.max_upload_mb)
            services.workspaces.save(updated)
            if args.json:
                _print_json(info)
            else:
                changed = [(s["title"], len(s["changed_blocks"])) for s in info["sections"] if s["changed_blocks"]]
                print(f"已导入 (imported) {info['file']}：{len(changed)} 节有改动，重新核对 "
                      f"{sum(n for _, n in changed)} 段 (paragraphs re-checked)")
                for title, n in changed:
                    print(f"  {title}: {n}")
                print(f"  已确认 acknowledged {len(info['acknowledged'])} · 已核实数字 verified {len(info['verified'])} · "
                      f"审阅意见 reviewer comments {info['reviewer_comments']}")
            return 0
        notes_warnings: list[str] = []
        if args.notes:
            notes, notes_warnings = notes_from_dir(args.notes, workspace.titles)
            for title, text in notes.items():
                workspace.section(title).notes = text
        if args.draft_all:
            with tqdm(total=len(workspace.sections), unit="节", desc="draft", file=sys.stderr,
                      disable=args.json or None) as bar:
                def progress(done: int, total: int, title: str) -> None:
                    bar.n = done
                    bar.set_postfix_str(title, refresh=True)

                result = draft_all(workspace, env, overwrite=args.overwrite, progress=progress)
            for title in result["skipped"]:
                notes_warnings.append(f"{title}: 已手工修改或导入，未重新起草（--overwrite 覆盖）(kept, edited by hand)")
        if args.section:
            with tqdm(unit="字", desc=f"draft {args.section}", file=sys.stderr,
                      disable=args.json or args.mode == "update" or None) as bar:
                def written(text: str) -> None:
                    bar.update(len(text) - bar.n)

                draft_one(workspace, args.section, env, mode=args.mode, on_text=written)
        if args.ack:
            acknowledge(workspace, args.ack, args.reason or "", args.user or owner, env)
        check_report(workspace, env)
        checklist = run_checklist(workspace, history=env.history(workspace.year), chunks=env.chunks(),
                                  search=env.search)
        docx = export_report(workspace, args.out)["path"] if args.out else None
        services.workspaces.save(workspace)
    except (WorkspaceError, ImportRejected, ValueError, UnicodeDecodeError) as exc:
        print(f"错误 (error): {exc}", file=sys.stderr)
        return 2
    except ModelUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return 3
    if args.json:
        for w in notes_warnings:
            print(f"⚠ {w}", file=sys.stderr)
        _print_json(report_json(workspace, checklist, docx))
    else:
        _print_text(workspace, checklist, docx, notes_warnings)
    return 0
