"""Command line: ``python -m assistant COMMAND``.  Thin: parsing and printing only.

Results go to stdout (JSON lines with ``--json``); logs and progress to stderr.
Exit status: 0 ok, 1 a per-item problem was reported, 2 bad usage or input.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from .config import get_settings

log = logging.getLogger("assistant")


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _fail(message: str, code: int = 2) -> int:
    sys.stderr.write(f"错误：{message}\n")
    return code


def _run_batch(path: str, handle) -> int:
    """One JSON line per input line of `path`; `handle(assistant, item)` → (result, status)."""
    from .service import get_assistant

    try:
        items = _read_jsonl(path)
    except ValueError as exc:
        return _fail(str(exc))
    assistant = get_assistant()
    status = 0
    for item in items:
        result, bad = handle(assistant, item)
        _print_json(result)
        status = max(status, bad)
    return status


def _top_k(value: str) -> int:
    """argparse type for --k: a whole number from 1 to 50."""
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--k 需要 1 到 50 的整数，收到：{value}") from None
    if not 1 <= k <= 50:
        raise argparse.ArgumentTypeError(f"--k 需要 1 到 50 的整数，收到：{value}")
    return k


def _read_jsonl(path: str) -> list[dict]:
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"文件不存在：{path}")
    rows = []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except ValueError as exc:
            raise ValueError(f"{path} 第 {n} 行不是合法 JSON：{exc}") from exc
    return rows


# --- config -----------------------------------------------------------------
def cmd_config(args) -> int:
    settings = get_settings()
    data = settings.model_dump(mode="json")
    if data.get("llm_api_key"):
        data["llm_api_key"] = "***"
    if data.get("auth"):
        data["auth"] = data["auth"].split(":", 1)[0] + ":***"
    if args.json:
        _print_json(data)
    else:
        for key, value in data.items():
            print(f"ASSISTANT_{key.upper()}={value}")
    return 0


# --- index ------------------------------------------------------------------
def cmd_index(args) -> int:
    from .index import build_index

    report = build_index(get_settings(), rebuild=args.rebuild, progress=not args.quiet)
    msg = (
        f"索引{'已更新' if report.changed else '已是最新'}：新增 {report.added} 块，复用 {report.reused} 块，"
        f"删除 {report.removed} 块，共 {report.total} 块，用时 {report.seconds:.1f} 秒"
    )
    print(msg)
    return 0


# --- ask --------------------------------------------------------------------
def _answer_one(assistant, question: str, history, k: int, llm: str | None = None, doc_ids=None):
    """One answer. `--llm none|openai` overrides ASSISTANT_LLM for this call; with a model the
    answer goes through assistant.chain (gate + number guard; extractive fallback with a notice)."""
    from .answer import answer_question
    from .llm import LLMUnavailable, backend_of

    try:
        backend = backend_of(assistant.settings, llm)
    except LLMUnavailable:  # unknown ASSISTANT_LLM: the chain answers extractively with a notice
        backend = llm
    from .chain import answer_with_llm

    if backend == "none":
        return answer_question(assistant, question, history=history, k=k, doc_ids=doc_ids)
    return answer_with_llm(assistant, question, history=history, k=k, backend=backend, doc_ids=doc_ids)


def _result(assistant, item: dict, k: int, llm: str | None) -> dict:
    from .answer import QuestionError

    out: dict = {"id": item.get("id")}
    if "turns" in item:
        turns, history = [], []
        for q in item["turns"]:
            q = q["question"] if isinstance(q, dict) else q
            try:
                turns.append(_answer_one(assistant, q, history, k, llm).to_dict())
            except QuestionError as exc:
                turns.append({"error": str(exc)})
            history.append(q)
        out["turns"] = turns
        return out
    try:
        out.update(_answer_one(assistant, item.get("question", ""), [], k, llm).to_dict())
    except QuestionError as exc:
        out["error"] = str(exc)
    return out


def _print_citations(citations) -> None:
    for i, c in enumerate(citations, 1):
        print(f"[{i}] 《{c.title}》第{c.paragraph}段 {c.start}-{c.end}｜{c.section}\n    “{c.quote}”")


def _print_answer(ans) -> None:
    print(ans.answer)
    if ans.notice:
        print(f"\n提示：{ans.notice}")
    if ans.citations:
        print("\n引文：")
        _print_citations(ans.citations)
    elif ans.abstained and ans.retrieved:
        print("\n相关段落：")
        for c in ans.retrieved[:3]:
            print(f"- 第{c.paragraph}段：{c.quote[:80]}…")
    for flag in ans.flags:
        print(f"⚠ {flag}")
    if ans.unverified_numbers:
        print(f"⚠ 未经核实的数字：{', '.join(ans.unverified_numbers)}")


def cmd_ask(args) -> int:
    from .service import get_assistant

    k = args.k or get_settings().top_k
    if args.batch:
        return _run_batch(args.batch, lambda assistant, item: (_result(assistant, item, k, args.llm), 0))
    if not args.question:
        return _fail("请提供问题，例如：python -m assistant ask \"老旧小区改造涉及多少户？\"")
    assistant = get_assistant()
    return _report(args, lambda: _answer_one(assistant, args.question, [], k, args.llm, doc_ids=args.doc or None),
                   _print_answer)


def _report(args, produce, show) -> int:
    """Print `produce()` as JSON (``--json``) or with `show`; a bad question becomes a clear message."""
    from .answer import QuestionError

    try:
        result = produce()
    except QuestionError as exc:
        if args.json:
            _print_json({"error": str(exc)})
        return _fail(str(exc))
    if args.json:
        _print_json(result.to_dict())
    else:
        show(result)
    return 0


# --- eval -------------------------------------------------------------------
def cmd_eval(args) -> int:
    from .evaluation import format_report, run_eval

    try:
        items = _read_jsonl(args.file)
    except ValueError as exc:
        return _fail(str(exc))
    for d in args.docs or []:
        if not Path(d).is_dir():
            return _fail(f"文档目录不存在：{d}")
    report = run_eval(items, k=args.k, baselines=not args.no_baselines, llm=args.llm or get_settings().llm,
                      docs_dirs=args.docs)
    if args.json:
        _print_json(report)
    else:
        print(format_report(report))
    return 0


# --- serve ------------------------------------------------------------------
def cmd_serve(args) -> int:
    from .ui import serve

    try:
        serve(host=args.host, port=args.port)
    except PermissionError as exc:
        return _fail(str(exc))
    return 0


# --- docs -------------------------------------------------------------------
def cmd_docs(args) -> int:
    from .library import LibraryError, add_files, list_documents, remove_document, restore_document, trash_entries

    settings = get_settings()
    if args.docs_command == "list":
        docs = list_documents(settings)
        if args.json:
            for d in docs:
                _print_json(d.to_dict())
        elif not docs:
            print("还没有文档：python -m assistant docs add 文件…")
        for d in ([] if args.json else docs):
            state = "已索引" if d.indexed and d.in_folder else ("仅在索引中" if d.indexed else "未索引")
            pages = f"，{d.pages} 页" if d.pages else ""
            print(f"{d.id}  《{d.title}》  {d.source}  {d.chars} 字{pages}，{d.chunks} 块  [{state}]")
        return 0
    if args.docs_command == "trash":
        entries = trash_entries(settings)
        for e in entries:
            _print_json(e.to_dict()) if args.json else print(f"{e.doc_id}  《{e.title}》  {e.name}  删除于 {e.removed_at}")
        if not entries and not args.json:
            print("回收站是空的。")
        return 0
    try:
        if args.docs_command == "add":
            report = add_files(settings, args.files, progress=not args.quiet)
        elif args.docs_command == "restore":
            report = restore_document(settings, args.id, progress=not args.quiet)
        else:
            report = remove_document(settings, args.id, progress=not args.quiet)
    except LibraryError as exc:
        return _fail(str(exc))
    if args.json:
        _print_json(report.to_dict())
    else:
        marks = {"added": "✓", "updated": "✓", "removed": "✓", "restored": "✓", "duplicate": "=", "error": "✗"}
        for r in report.results:
            line = f"{marks.get(r.status, '-')} {r.message}"
            (sys.stderr if r.status == "error" else sys.stdout).write(line + "\n")
        b = report.build
        if b is not None and b.changed:
            print(f"索引已更新：新增 {b.added} 块，复用 {b.reused} 块，删除 {b.removed} 块，共 {b.total} 块")
        if report.index_error:
            sys.stderr.write(f"错误：{report.index_error}\n")
    if report.index_error:
        return 2
    return 0 if report.ok else 1


# --- check (quote check) -----------------------------------------------------
def _print_verdict(v) -> None:
    from .claims import LABELS

    print(f"结论：{LABELS[v.verdict]}")
    if v.claimed_value or v.source_value:
        print(f"说法：{v.claimed_value or '—'}　｜　原文：{v.source_value or '—'}")
    print(v.explanation)
    _print_citations(v.citations)


def cmd_check(args) -> int:
    from .answer import QuestionError
    from .claims import check_claim
    from .service import get_assistant

    def one(assistant, item) -> tuple[dict, int]:
        out: dict = {"id": item.get("id") if isinstance(item, dict) else None}
        claim = item.get("claim", "") if isinstance(item, dict) else ""
        try:
            d = check_claim(assistant, claim if isinstance(claim, str) else "").to_dict()
        except QuestionError as exc:
            return {**out, "error": str(exc)}, 1
        d.pop("claim", None)
        return {**out, **d}, 0

    if args.batch:
        return _run_batch(args.batch, one)
    if args.claim is None:
        return _fail("请提供要核对的说法，例如：python -m assistant check \"讲话说轴承企业2021年营业收入52.3亿元\"")
    from .claims import validate_claim

    def produce():
        validate_claim(args.claim, get_settings().max_question_chars)
        return check_claim(get_assistant(), args.claim)

    return _report(args, produce, _print_verdict)


# --- notes -----------------------------------------------------------------
def cmd_notes(args) -> int:
    from .notes import NotesError, build_notes
    from .service import get_assistant

    if args.format == "docx" and not args.output:
        return _fail("导出 Word 需要用 -o 指定文件，例如：python -m assistant notes --format docx -o 学习笔记.docx")
    comparison = None
    try:
        notes = build_notes(get_assistant(), doc_id=args.doc, section=args.section)
        if getattr(args, "with_doc", None):  # 对照学习 section
            from .compare import CompareError, compare_documents

            try:
                comparison = compare_documents(get_assistant(), notes.doc_id, args.with_doc, section=args.section)
            except CompareError as exc:
                return _fail(str(exc))
    except NotesError as exc:
        return _fail(str(exc))
    try:
        if args.format == "docx":
            from .export import to_docx

            print(f"已导出：{to_docx(notes, args.output, comparison=comparison)}")
            return 0
        if args.format == "json":
            data = notes.to_dict()
            if comparison is not None:
                data["comparison"] = comparison.to_dict()
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        else:
            from .export import to_markdown

            text = to_markdown(notes, comparison=comparison)
        if args.output:
            out = Path(args.output)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            print(f"已导出：{out}")
        else:
            sys.stdout.write(text)
    except OSError as exc:
        return _fail(f"无法写入文件 {args.output}：{exc.strerror or exc}")
    return 0


# --- compare (对照学习) ---------------------------------------------------------
def cmd_compare(args) -> int:
    from .compare import CompareError, compare_documents, format_text
    from .service import get_assistant

    try:
        result = compare_documents(get_assistant(), args.doc, args.with_doc, section=args.section)
    except CompareError as exc:
        return _fail(str(exc))
    if args.json:
        _print_json(result.rows())
    else:
        sys.stdout.write(format_text(result))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m assistant", description="讲话学习助手：问答、核对引文、学习笔记")
    p.add_argument("-v", "--verbose", action="store_true", help="更详细的日志（stderr）")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("config", help="显示生效的配置")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_config)

    s = sub.add_parser("index", help="建立或更新索引（幂等、原子）")
    s.add_argument("--rebuild", action="store_true", help="丢弃现有索引，全部重建")
    s.add_argument("--quiet", action="store_true", help="不显示进度条")
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("ask", help="提问")
    s.add_argument("question", nargs="?", help="问题")
    s.add_argument("--json", action="store_true", help="输出 JSON")
    s.add_argument("--k", type=_top_k, default=None, help="检索段落数（1–50，默认 5）")
    s.add_argument("--batch", metavar="FILE.jsonl", help="批量：每行 {id, question} 或 {id, turns}")
    s.add_argument("--llm", choices=["none", "openai"], default=None, help="覆盖 ASSISTANT_LLM")
    s.add_argument("--doc", action="append", metavar="ID", help="只在指定文档中检索（可重复；ID 见 docs list）")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("eval", help="在评测集上计算指标（含两个基线）")
    s.add_argument("file", help="评测集 JSONL")
    s.add_argument("--json", action="store_true")
    s.add_argument("--k", type=_top_k, default=5)
    s.add_argument("--no-baselines", action="store_true", help="只评测本系统")
    s.add_argument("--docs", action="append", metavar="DIR",
                   help="在临时索引中评测：docs/ 加上此目录的文档（可重复）；逐文档给出指标")
    s.add_argument("--llm", choices=["none", "openai"], default=None)
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("serve", help="启动网页（默认 http://127.0.0.1:7860）")
    s.add_argument("--host", default=None)
    s.add_argument("--port", type=int, default=None)
    s.set_defaults(func=cmd_serve)

    # --- check (quote check) ---
    s = sub.add_parser("check", help="核对引文：说法或数字是否符合讲话原文")
    s.add_argument("claim", nargs="?", help="要核对的说法，例如“讲话说轴承企业2021年营业收入52.3亿元”")
    s.add_argument("--json", action="store_true", help="输出 JSON")
    s.add_argument("--batch", metavar="FILE.jsonl", help="批量：每行 {id, claim}，每行输出一个 JSON 结果")
    s.set_defaults(func=cmd_check)
    # --- notes (study notes) ---
    s = sub.add_parser("notes", help="生成学习笔记（提纲、重要数据、金句），导出 Markdown / Word / JSON")
    s.add_argument("--doc", default=None, help="文档 ID 或文件名（默认：讲话）")
    s.add_argument("--section", default=None, metavar="PATH", help="只整理某一部分，如 “（五）”“三（一）”或“生态环境”")
    s.add_argument("--format", choices=["md", "docx", "json"], default="md", help="输出格式（默认 md）")
    s.add_argument("-o", "--output", default=None, metavar="FILE", help="输出文件（md/json 默认输出到屏幕；docx 必须指定）")
    s.add_argument("--with", dest="with_doc", default=None, metavar="DOC",
                   help="加一节“对照学习”：逐条对照另一篇文档（ID、文件名或标题，如 二十大报告）")
    s.set_defaults(func=cmd_notes)
    # --- compare (对照学习) ---
    s = sub.add_parser("compare", help="对照学习：把一篇文档的提纲逐条对照另一篇文档（如讲话对照二十大报告）")
    s.add_argument("--doc", required=True, help="要学习的文档 A（ID、文件名或标题，如 讲话）")
    s.add_argument("--with", dest="with_doc", required=True, help="对照的文档 B（ID、文件名或标题，如 二十大报告）")
    s.add_argument("--section", default=None, metavar="PATH", help="只对照 A 的某一部分，如 “（五）”“二（一）”或“生态环境”")
    s.add_argument("--json", action="store_true", help="输出 JSON：每个提纲节点一个对象")
    s.set_defaults(func=cmd_compare)
    # --- docs (document management) ---
    s = sub.add_parser("docs", help="文档管理：添加、列出、移除相关文档")
    dsub = s.add_subparsers(dest="docs_command", required=True)
    d = dsub.add_parser("add", help="添加文档（.txt/.md/.docx/.pdf，可多个或文件夹）")
    d.add_argument("files", nargs="+", metavar="FILE")
    d.add_argument("--json", action="store_true")
    d.add_argument("--quiet", action="store_true", help="不显示进度条")
    d.set_defaults(func=cmd_docs)
    d = dsub.add_parser("list", help="列出文档")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=cmd_docs)
    d = dsub.add_parser("remove", help="移除文档（原文件移入 docs/.trash）")
    d.add_argument("id", metavar="ID")
    d.add_argument("--json", action="store_true")
    d.add_argument("--quiet", action="store_true")
    d.set_defaults(func=cmd_docs)
    d = dsub.add_parser("trash", help="列出已移除、可以恢复的文档")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=cmd_docs)
    d = dsub.add_parser("restore", help="从 docs/.trash 恢复已移除的文档（ID 前缀或 docs trash 中的文件名）")
    d.add_argument("id", metavar="ID")
    d.add_argument("--json", action="store_true")
    d.add_argument("--quiet", action="store_true")
    d.set_defaults(func=cmd_docs)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    from .embeddings import EmbeddingModelError
    from .index import IndexError_

    try:
        return args.func(args)
    except (IndexError_, EmbeddingModelError, FileNotFoundError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
