"""Speed and outcome of the offline LLM backend (ASSISTANT_LLM=local, Gemma 3 270M via llama-cpp-python).

    .venv/bin/python bench/llm_local.py [--n 10] [--threads 1]

Prints JSON: server start time, time to first piece and total per answer (median / max),
generation speed (tokens/s from the server's usage), and how often the model's answer
survived the gate (mode=local) vs fell back to the extractive answer (and why).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10, help="dev-set questions to ask")
    ap.add_argument("--threads", type=int, default=1, help="generation threads of the llama.cpp server")
    ap.add_argument("--dev", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    args = ap.parse_args()

    from assistant import llm as llm_mod
    from assistant.answer import Answer
    from assistant.chain import stream_answer
    from assistant.config import get_settings
    from assistant.service import get_assistant

    settings = get_settings().model_copy(update={"llm": "local", "llm_timeout": 120.0, "llm_retries": 0})
    assistant = get_assistant(settings)
    t0 = time.perf_counter()
    server = llm_mod.LocalServer(llm_mod.gguf_path(settings), threads=args.threads).start()
    llm_mod._local = server
    start_s = time.perf_counter() - t0

    # raw generation speed on a fixed prompt
    model = llm_mod.get_chat_model(settings)
    t = time.perf_counter()
    msg = model.invoke("请介绍一下城市更新。")
    gen_s = time.perf_counter() - t
    tokens = (msg.usage_metadata or {}).get("output_tokens", 0)

    questions = [json.loads(line) for line in Path(args.dev).read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [q["question"] for q in questions if q.get("kind", "qa") == "qa" and "question" in q][: args.n]
    firsts, totals, modes, notices = [], [], Counter(), Counter()
    for q in questions:
        t = time.perf_counter()
        first = None
        for item in stream_answer(assistant, q):
            if first is None:
                first = time.perf_counter() - t
            if isinstance(item, Answer):
                modes[item.mode] += 1
                if item.notice:
                    notices[item.notice] += 1
        totals.append(time.perf_counter() - t)
        firsts.append(first)
    llm_mod.stop_local_server()
    print(json.dumps({
        "threads": args.threads, "server_start_s": round(start_s, 2),
        "generation_tokens_per_s": round(tokens / gen_s, 1) if gen_s and tokens else None,
        "questions": len(questions),
        "first_piece_s_median": round(statistics.median(firsts), 2),
        "answer_s_median": round(statistics.median(totals), 2), "answer_s_max": round(max(totals), 2),
        "modes": dict(modes), "fallback_notices": dict(notices),
    }, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
