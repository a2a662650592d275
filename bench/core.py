#!/usr/bin/env python3
"""Core speed figures: index build of the speech, query embedding, warm `ask` latency.

    .venv/bin/python bench/core.py [--repeat 30] [--docs DIR ...]

With ``--docs``, the warm figures are taken in an index of docs/ plus those folders
(e.g. ``--docs ../shared/corpus/related --docs bench/data/docs``: several documents loaded).

Prints: cold build time of the speech's index (fresh temp folder, model load
included) and a rebuild with nothing changed; p50/p95 of embedding one query;
p50/p95 of a warm extractive answer (retrieval + answer, same questions); their ratio.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer import answer_question  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.evaluation import copy_documents  # noqa: E402
from assistant.index import build_index  # noqa: E402
from assistant.service import Assistant  # noqa: E402

QUESTIONS = [
    "老旧小区改造涉及多少户？", "大气污染防治要抓哪些重点？", "轴承企业2021年营业收入是多少？",
    "文旅融合发展有哪些要求？", "how many old residential compounds will be renovated?", "营商环境为什么重要？",
]


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--docs", action="append", default=[], help="more document folders in the index")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        docs = copy_documents([ROOT / "docs", *args.docs], Path(tmp) / "docs") if args.docs else ROOT / "docs"
        settings = Settings(index_dir=Path(tmp) / "index", docs_dir=docs)
        t0 = time.perf_counter()
        report = build_index(settings, progress=False)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = build_index(settings, progress=False)
        noop = time.perf_counter() - t0
        print(f"index build ({len(report.documents)} documents, {report.total} chunks, cold incl. model load): {cold:.2f} s")
        print(f"index build again (nothing changed, {again.added} added): {noop * 1000:.1f} ms")

        assistant = Assistant(settings)
        emb = assistant.index.embeddings
        for q in QUESTIONS:  # warm up: model, BM25, structures, translator
            answer_question(assistant, q)
            emb.embed_query(q)
        embed_ms, ask_ms = [], []
        for _ in range(args.repeat):
            for q in QUESTIONS:
                t0 = time.perf_counter()
                emb.embed_query(q)
                embed_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                answer_question(assistant, q)
                ask_ms.append((time.perf_counter() - t0) * 1000)
        e50, a50 = statistics.median(embed_ms), statistics.median(ask_ms)
        print(f"embed one query: p50 {e50:.1f} ms, p95 {pct(embed_ms, 95):.1f} ms (n={len(embed_ms)})")
        print(f"warm ask (retrieve + answer): p50 {a50:.1f} ms, p95 {pct(ask_ms, 95):.1f} ms")
        print(f"ask p50 / embed p50 = {a50 / e50:.2f}×  (target ≤ 1.5× for the speech alone, ≤ 2× with several documents)")


if __name__ == "__main__":
    main()
