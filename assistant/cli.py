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
def _answer_one(assistant, question: str, history, k: int, llm: str | None = None):
    from .answer import answer_question

    return answer_question(assistant, question, history=history, k=k)


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


def _print_answer(ans) -> None:
    print(ans.answer)
    if ans.notice:
        print(f"\n提示：{ans.notice}")
    if ans.citations:
        print("\n引文：")
        for i, c in enumerate(ans.citations, 1):
            print(f"[{i}] 《{c.title}》第{c.paragraph}段 {c.start}-{c.end}｜{c.section}\n    “{c.quote}”")
    elif ans.abstained and ans.retrieved:
        print("\n相关段落：")
        for c in ans.retrieved[:3]:
            print(f"- 第{c.paragraph}段：{c.quote[:80]}…")
    for flag in ans.flags:
        print(f"⚠ {flag}")
    if ans.unverified_numbers:
        print(f"⚠ 未经核实的数字：{', '.join(ans.unverified_numbers)}")


def cmd_ask(args) -> int:
    from .answer import QuestionError
    from .service import get_assistant

    k = args.k or get_settings().top_k
    if args.batch:
        try:
            items = _read_jsonl(args.batch)
        except ValueError as exc:
            return _fail(str(exc))
        assistant = get_assistant()
        for item in items:
            _print_json(_result(assistant, item, k, args.llm))
        return 0
    if not args.question:
        return _fail("请提供问题，例如：python -m assistant ask \"老旧小区改造涉及多少户？\"")
    assistant = get_assistant()
    try:
        ans = _answer_one(assistant, args.question, [], k, args.llm)
    except QuestionError as exc:
        if args.json:
            _print_json({"error": str(exc)})
        return _fail(str(exc))
    if args.json:
        _print_json(ans.to_dict())
    else:
        _print_answer(ans)
    return 0


# --- eval -------------------------------------------------------------------
def cmd_eval(args) -> int:
    from .evaluation import format_report, run_eval

    try:
        items = _read_jsonl(args.file)
    except ValueError as exc:
        return _fail(str(exc))
    report = run_eval(items, k=args.k, baselines=not args.no_baselines, llm=args.llm)
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
    s.add_argument("--k", type=int, default=None, help="检索段落数（默认 5）")
    s.add_argument("--batch", metavar="FILE.jsonl", help="批量：每行 {id, question} 或 {id, turns}")
    s.add_argument("--llm", choices=["none", "openai", "local"], default=None, help="覆盖 ASSISTANT_LLM")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("eval", help="在评测集上计算指标（含两个基线）")
    s.add_argument("file", help="评测集 JSONL")
    s.add_argument("--json", action="store_true")
    s.add_argument("--k", type=int, default=5)
    s.add_argument("--no-baselines", action="store_true", help="只评测本系统")
    s.add_argument("--llm", choices=["none", "openai", "local"], default=None)
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("serve", help="启动网页（默认 http://127.0.0.1:7860）")
    s.add_argument("--host", default=None)
    s.add_argument("--port", type=int, default=None)
    s.set_defaults(func=cmd_serve)

    # --- check (quote check) ---
    # --- notes (study notes) ---
    # --- docs (document management) ---
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
