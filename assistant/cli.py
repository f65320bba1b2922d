"""Command line: a thin shell over the services. Every command can print JSON (``--json``)."""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from assistant.domain import doctypes
from assistant.cli_report import add_parser as add_report_parser
from assistant.cli_report import cmd_report
from assistant.settings import Settings



def _print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _lines(path: Path) -> Iterator[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield line.strip()


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from assistant.services import Services

    services = Services(settings)
    with tqdm(total=0, unit="file", desc="ingest", file=sys.stderr, disable=args.json or None) as bar:
        def progress(source: str, done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.set_postfix_str(source[-40:], refresh=True)

        def page_progress(source: str, page: int, pages: int) -> None:
            bar.set_postfix_str(f"{source[-32:]} 第 {page}/{pages} 页 (page {page}/{pages})", refresh=True)

        report = services.ingest(rebuild=args.rebuild, progress=progress, page_progress=page_progress)
    if args.json:
        _print_json(report.as_json())
    else:
        print(f"新增 {len(report.added)}，更新 {len(report.updated)}，未变 {len(report.unchanged)}，"
              f"删除 {len(report.removed)}，失败 {len(report.failed)}；索引 {report.chunks} 个片段，"
              f"用时 {report.seconds:.1f} 秒")
        for source, reason in report.failed.items():
            print(f"  失败 {source}: {reason}", file=sys.stderr)
        for source, reasons in report.warnings.items():
            print(f"  部分未索引 (partly indexed) {source}: {'；'.join(reasons)}", file=sys.stderr)
    return 0


def cmd_search(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.ingest.ocr import low_confidence_note
    from assistant.services import Services

    retriever = Services(settings).retriever
    queries = list(_lines(Path(args.queries))) if args.queries else [args.question]
    for query in queries:
        results = retriever.search(query, k=args.k, year=args.year, doc_type=args.type)
        if args.json:
            _print_json({"query": query, "results": [r.as_json() for r in results]})
            continue
        print(f"# {query}")
        for n, r in enumerate(results, 1):
            c = r.chunk
            note = low_confidence_note(c.ocr_confidence, settings.ocr_min_confidence)
            print(f"[{n}] {c.source} · {c.section or '—'} · {c.year or '—'}"
                  f"{f' · p.{c.page}' if c.page else ''} · {r.score:.4f}{f' · {note}' if note else ''}"
                  f"\n    {c.text[:160]}")
    return 0


def cmd_status(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.services import Services

    services = Services(settings)
    documents = [d.__dict__ for d in services.documents()]
    status = {"knowledge_dir": str(settings.knowledge_dir), "data_dir": str(settings.data_dir),
              "vector_store": services.indexer.vectors.location, "embedding": settings.embedding,
              "chunks": sum(d["chunk_count"] for d in documents), "documents": documents}
    if args.json:
        _print_json(status)
    else:
        print(f"向量库 {status['vector_store']}，嵌入模型 {status['embedding']}，共 {status['chunks']} 个片段")
        for d in documents:
            print(f"  {d['status']:8} {d['source']}  {d['doc_type'] or '-'}  {d['year'] or '-'}  "
                  f"{d['chunk_count']} 片段  {d['error'] or ''}")
    return 0


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.citations import Citation
    from assistant.ingest.ocr import low_confidence_note
    from assistant.llm.provider import ModelUnavailable
    from assistant.services import Services

    chain = Services(settings).answer_chain
    questions = list(_lines(Path(args.questions))) if args.questions else [args.question]
    status = 0
    for question in questions:
        if args.json:
            try:
                _print_json(chain.invoke(question, year=args.year, doc_type=args.type).to_json())
            except (ModelUnavailable, ValueError) as exc:
                _print_json({"question": question, "error": str(exc)})
                status = 3
            continue
        streamed = ""
        for event in chain.stream(question, year=args.year, doc_type=args.type):
            if event.kind == "token":
                streamed += event.text
                print(event.text, end="", flush=True)
            elif event.kind == "reset":
                streamed = ""
                print("\n[重新生成 / retrying with a stricter instruction]", flush=True)
            elif event.kind == "error":
                print(f"\n{event.error}", file=sys.stderr)
                status = 3
            elif event.answer is not None:
                answer = event.answer
                # the verified answer again only when verification changed what was streamed
                print("\n" if answer.answer.strip() == streamed.strip() else f"\n\n{answer.answer}\n")
                for c in answer.citations:
                    note = low_confidence_note(c.get("ocr_confidence"), settings.ocr_min_confidence)
                    print(Citation.from_dict({**c, **({"note": note} if note else {})}).to_text())
                if answer.unsupported_numbers:
                    print(f"⚠ 未在引用中找到的数字 (unsupported): {', '.join(answer.unsupported_numbers)}")
    return status


def cmd_chunks(settings: Settings, args: argparse.Namespace) -> int:
    """What the index holds for one document: the chunks a citation can point at."""
    from assistant.services import Services

    services = Services(settings)
    source = args.source.replace("\\", "/").removeprefix("./")
    root = str(settings.knowledge_dir).replace("\\", "/").rstrip("/") + "/"
    source = source.removeprefix(root)
    record = services.indexer.catalog.document(source)
    if record is None:
        known = [d.source for d in services.indexer.catalog.documents()]
        close = [k for k in known if Path(k).name == Path(source).name]
        hint = f"；是否指 (did you mean) {', '.join(close)}" if close else ""
        print(f"知识库中没有该文档 (no such document in the index): {source}{hint}", file=sys.stderr)
        return 1
    chunks = services.chunks(source)
    if args.json:
        _print_json({"source": source, "status": record.status, "error": record.error, "warnings": record.warnings,
                     "chunks": [chunk_json(c) for c in chunks]})
        return 0
    if record.status != "indexed":
        print(f"{source}: 未索引 (not indexed): {record.error}", file=sys.stderr)
        return 1
    print(f"# {source} · {record.doc_type} · {record.year or '—'} · {len(chunks)} 个片段 (chunks)")
    for c in chunks:
        ocr = f" · OCR {c.ocr_confidence:.2f}" if c.ocr_confidence is not None else ""
        print(f"\n[{c.ordinal}] {c.section or '—'} · p.{c.page or '—'} · {c.doc_type} · {c.year or '—'}{ocr}")
        print("    " + c.text.replace("\n", "\n    "))
    return 0


def chunk_json(c: object) -> dict:
    return {"ordinal": c.ordinal, "id": c.id, "section": c.section, "page": c.page, "doc_type": c.doc_type,
            "year": c.year, "ocr_confidence": c.ocr_confidence, "text": c.text}


def cmd_figures(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.figures import metric_table_to_json
    from assistant.services import Services

    rows = Services(settings).figures(args.metric)
    if args.json:
        _print_json(metric_table_to_json(rows))
        return 0
    years = sorted({y for row in rows for y in row.values})
    print("指标 (metric) | 单位 | " + " | ".join(map(str, years)))
    for row in rows:
        cells = [row.values[y].raw if y in row.values else "—" for y in years]
        print(f"{row.metric} | {row.unit or '—'} | " + " | ".join(cells))
    if not rows:
        print("未找到匹配的指标 (no matching metric)")
    return 0


def cmd_check(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.figures import load_draft_text
    from assistant.services import Services
    from assistant.types import LoadError

    try:
        text = load_draft_text(args.draft)
    except (LoadError, OSError, ValueError) as exc:
        print(f"无法读取草稿 {args.draft}: {exc}", file=sys.stderr)
        return 2
    services = Services(settings)
    findings = services.check_acknowledged(text, args.year)
    if args.ack:
        found = next((f for f in findings if f["key"] == args.ack), None)
        if found is None:
            print(f"草稿中没有编号为 {args.ack} 的核对结果 (no finding with this key in the draft)", file=sys.stderr)
            return 2
        try:
            services.acknowledgements.acknowledge(args.ack, args.reason or "", args.user or "local", found)
        except ValueError as exc:
            print(f"错误 (error): {exc}", file=sys.stderr)
            return 2
        findings = services.acknowledgements.apply(findings, text, args.year)
    if args.json:
        _print_json({"findings": findings})
        return 0
    from assistant.figures.findings import finding_lines

    open_count = 0
    for f in findings:
        if f["acknowledged"]:
            ack = f["acknowledgement"]
            print(f"[{f['kind']}] {f['key']} 已确认 (acknowledged by {ack['user']}: {ack['reason']}) 「{f['quote']}」")
            continue
        open_count += 1
        lines = finding_lines(f)
        print("\n".join([f"{lines[0]}  #{f['key']}", *lines[1:]]))
    print(f"共 {open_count} 处需核对 (open findings)，{len(findings) - open_count} 处已确认 (acknowledged)；"
          f"确认：check … --ack 编号 --reason 理由")
    return 0


def cmd_draft(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.export_docx import export_docx
    from assistant.llm.provider import ModelUnavailable
    from assistant.services import Services

    from tqdm import tqdm

    try:
        notes = args.notes.read_text(encoding="utf-8") if args.notes else ""
        with tqdm(unit="字", desc="draft", file=sys.stderr, disable=args.json or None) as bar:
            def progress(text: str) -> None:
                bar.update(len(text) - bar.n)

            result = Services(settings).draft(args.section, args.year, notes, mode=args.mode, table=args.table,
                                              on_text=progress)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"无法起草 (cannot draft): {exc}", file=sys.stderr)
        return 2
    except ModelUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return 3
    if args.out:
        export_docx(result, args.out)
    if args.json:
        _print_json(result.to_json())
        return 0
    print(result.text)
    from assistant.drafting.provenance import describe_note

    if result.notice:
        print(f"\n{result.notice}")
    if result.notes:
        print(f"\n材料去向 notes: {len(result.notes)}")
        for entry in result.notes:
            print(f"  - {describe_note(entry)} 「{entry['text'][:40]}」")
    if result.carried_over:
        print(f"\n沿用往年的一次性内容，请确认保留或删除 (carried over, keep or drop): {len(result.carried_over)}")
        for item in result.carried_over:
            print(f"  - 第 {item['paragraph']} 段：{item['sentence']}")
    for kind, items in (("待补充 placeholders", result.placeholders), ("未更新 not updated", result.not_updated),
                        ("核对 findings", result.findings)):
        if items:
            print(f"\n{kind}: {len(items)}")
            for item in items:
                print("  - " + "；".join(f"{k}={v}" for k, v in item.items() if v not in (None, "")))
    if args.out:
        print(f"\n已导出 (exported) {args.out}")
    return 0


def cmd_user(settings: Settings, args: argparse.Namespace) -> int:
    import getpass

    from assistant.users import add_user, list_users, remove_user, users_path

    path = users_path(settings)
    if args.action == "list":
        for user in list_users(path):
            print(f"{user['name']}{'  admin' if user['admin'] else ''}")
        return 0
    if args.action == "remove":
        if not remove_user(path, args.name):
            print(f"没有该用户 (no such user): {args.name}", file=sys.stderr)
            return 1
        print(f"已删除 (removed) {args.name}")
        return 0
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("密码 password: ")
        if password != getpass.getpass("再次输入 again: "):
            print("两次输入的密码不一致 (passwords differ)", file=sys.stderr)
            return 1
    try:
        add_user(path, args.name, password, admin=args.admin)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"已保存用户 (saved) {args.name}{' (admin)' if args.admin else ''} → {path}")
    return 0


COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], int]] = {
    "ingest": cmd_ingest, "search": cmd_search, "status": cmd_status, "ask": cmd_ask,
    "figures": cmd_figures, "check": cmd_check, "draft": cmd_draft, "chunks": cmd_chunks,
    "user": cmd_user, "report": cmd_report,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="年度自评报告写作助手 / report assistant")
    parser.add_argument("--knowledge", type=Path, help="knowledge folder (default knowledge/, env ASSISTANT_KNOWLEDGE_DIR)")
    parser.add_argument("--data", type=Path, help="data folder (default data/, env ASSISTANT_DATA_DIR)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index the knowledge folder (incremental)")
    p.add_argument("--rebuild", action="store_true", help="start the index over")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", help="hybrid search of the knowledge base")
    p.add_argument("question", nargs="?")
    p.add_argument("--queries", type=Path, help="file with one question per line")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--year", type=int)
    p.add_argument("--type", choices=doctypes.ids(), help="document type (assistant/domain/doctypes.py)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("ask", help="answer a question with citations")
    p.add_argument("question", nargs="?")
    p.add_argument("--questions", type=Path, help="file with one question per line")
    p.add_argument("--year", type=int)
    p.add_argument("--type", choices=doctypes.ids(), help="document type (assistant/domain/doctypes.py)")
    p.add_argument("--json", action="store_true")
    _model_options(p)

    p = sub.add_parser("chunks", help="what the index holds for one document (section, page, type, year, text)")
    p.add_argument("source", help="path relative to the knowledge folder, e.g. reports/2022_self_assessment_report.md")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("figures", help="year-over-year table of the figures in the indexed reports")
    p.add_argument("--metric", help="only metrics matching this text, e.g. 就业率")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("check", help="check every figure of a draft against prior years and itself")
    p.add_argument("draft", type=Path, help="draft file (.md, .txt or .docx)")
    p.add_argument("--year", type=int, required=True, help="the year the draft reports on")
    p.add_argument("--ack", metavar="KEY", help="acknowledge the finding with this key (shown by check)")
    p.add_argument("--reason", help="why the finding is acceptable (required with --ack)")
    p.add_argument("--user", default="", help="who acknowledges (default: local)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("draft", help="draft a report section from notes")
    p.add_argument("--section", required=True, help="e.g. 师资建设, or a free title")
    p.add_argument("--year", type=int, required=True, help="the year the report is about")
    p.add_argument("--notes", type=Path, help="notes file (bullet points, Chinese or English)")
    p.add_argument("--table", type=Path, help="figures table (.md, .csv or .xlsx)")
    p.add_argument("--mode", choices=["notes", "update", "write"], default="notes",
                   help="notes (default): last year's text updated + a new sentence per other note (chat model); "
                        "update: no model; write: the model writes the whole section")
    p.add_argument("--out", type=Path, help="also export a .docx here")
    p.add_argument("--json", action="store_true")
    _model_options(p)

    add_report_parser(sub)

    p = sub.add_parser("user", help="web app users (login is on once a user exists)")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("add", help="add a user or reset a password")
    a.add_argument("name")
    a.add_argument("--admin", action="store_true", help="may manage the knowledge base")
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    actions.add_parser("list", help="list users")
    a = actions.add_parser("remove", help="remove a user")
    a.add_argument("name")

    p = sub.add_parser("status", help="indexed documents and configuration")
    p.add_argument("--json", action="store_true")
    return parser


def _model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--provider", choices=["auto", "local", "openai", "compatible"])
    parser.add_argument("--model", help="chat model name (local: qwen2.5-coder-1.5b or qwen2.5-coder-0.5b)")
    parser.add_argument("--base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1")


def settings_from_args(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    for option in ("provider", "model", "base_url"):
        if getattr(args, option, None):
            overrides[option] = getattr(args, option)
    if overrides.get("model", "").startswith("qwen2.5-coder-"):  # a bundled offline model
        overrides["local"] = {"model": overrides.pop("model")}
    if args.knowledge:
        overrides["knowledge_dir"] = args.knowledge
    if args.data:
        overrides["data_dir"] = args.data
    return Settings(**overrides)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in ("search", "ask") and not (args.question or getattr(args, "queries", None)
                                                  or getattr(args, "questions", None)):
        parser.error(f"{args.command} needs a QUESTION or a file of questions")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from assistant.index.embeddings import EmbeddingUnavailable
    from assistant.index.vector_store import VectorStoreUnavailable

    try:
        return COMMANDS[args.command](settings_from_args(args), args)
    except (VectorStoreUnavailable, EmbeddingUnavailable) as exc:
        print(f"错误 (error): {exc}", file=sys.stderr)
        return 4
    except (sqlite3.OperationalError, OSError) as exc:  # disk full, permissions, a locked index
        print(f"错误 (error): 数据目录 {args.data or 'data/'} 无法写入或读取 (data folder unusable): {exc}", file=sys.stderr)
        return 4
