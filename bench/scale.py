"""Scale bench: index a generated corpus of ≥1,000 documents / ≥5M characters and compare query
latency with the speech alone.

    .venv/bin/python bench/scale.py [--docs 1000] [--chars 5000000] [--budget 3600] [--queries 40]
    .venv/bin/python bench/scale.py --lexical-only [--queries 60]

The corpus is made in a temp folder by recombining the sentences of the documents in docs/ and of
../shared/corpus/related/*.txt (deterministic seed; 5M characters ≈ 46,000 chunks).

``--lexical-only`` embeds nothing: it chunks the corpus, builds the bm25s index and rank_bm25's
``BM25Okapi`` on the same tokens, and times the lexical channel as retrieval runs it (question
tokens, per-token weights, ranking of the positive scores) with both engines in the same run:
p50/p95 of each, their ratio, and a last line ``ratio=<x> p95_ms=<y>`` (ratio = the smaller of the
p50 and p95 ratios; p95_ms = bm25s).  It also reports the build, save and load times of the index.

The full mode:

1. embed a sample of the corpus's chunks to measure the embedding rate (chars/s);
2. build the index over the whole corpus when the estimate fits into ``--budget`` seconds, else over
   as many documents as fit (reported as such, with the estimate for the whole corpus);
3. query p50/p95 (hybrid retrieval and full extractive answers) on that index and on an index of the
   speech alone.

Prints one JSON object; nothing is written outside the temp folder.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUESTIONS = ["老旧小区改造涉及多少户？", "讲话提出了哪几个方面的要求？", "如何推进城市更新？", "对领导干部作风有什么要求？",
             "2022年的主要目标是什么？", "怎样优化营商环境？", "民生实事有哪些？", "如何抓好安全生产？",
             "生态环境保护有什么任务？", "怎样推进乡村振兴？"]


RELATED = ROOT.parent / "shared" / "corpus" / "related"


def sentences_of(*folders: Path) -> list[str]:
    from assistant.documents import load_corpus

    out = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for doc in load_corpus(folder):
            out += [s.strip() for s in re.findall(r"[^。！？\n]+[。！？]?", doc.text) if len(s.strip()) >= 8]
    return out


def pct(v, p):
    v = sorted(v)
    return round(v[min(len(v) - 1, max(0, round(p / 100 * len(v)) - 1))] * 1000, 3)


def make_corpus(folder: Path, n_docs: int, total_chars: int, seed: int = 7) -> tuple[int, int]:
    """Write n_docs text files of recombined sentences (≈ total_chars in all); returns (docs, chars)."""
    rng = random.Random(seed)
    sents = sentences_of(ROOT / "docs", RELATED)
    per_doc = total_chars // n_docs + 1
    chars = 0
    for i in range(n_docs):
        paras, size = [f"第{i + 1}号学习材料：{rng.choice(sents)[:20]}"], 0
        while size < per_doc:
            para = "".join(rng.sample(sents, rng.randint(2, 5)))
            paras.append(para)
            size += len(para) + 1
        text = "\n".join(paras) + "\n"
        (folder / f"material-{i + 1:04d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return n_docs, chars


def latency(assistant, queries: int) -> dict:
    from assistant.answer import answer_question

    search, answer = [], []
    for i in range(queries):
        q = QUESTIONS[i % len(QUESTIONS)]
        t0 = time.perf_counter()
        assistant.retriever.search(q, k=5)
        search.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        answer_question(assistant, q, k=5)
        answer.append(time.perf_counter() - t0)

    return {"search_p50_ms": pct(search, 50), "search_p95_ms": pct(search, 95),
            "answer_p50_ms": pct(answer, 50), "answer_p95_ms": pct(answer, 95)}


class RandomVectors:
    """Unit vectors in place of document embeddings (--random-vectors)."""

    def __init__(self, dim: int = 384):
        import numpy as np

        self.rng, self.dim = np.random.default_rng(0), dim

    def embed_documents(self, texts):
        import numpy as np

        v = self.rng.standard_normal((len(texts), self.dim)).astype(np.float32)
        return (v / np.linalg.norm(v, axis=1, keepdims=True)).tolist()


def lexical_only(args) -> int:
    from collections import Counter

    import numpy as np
    from rank_bm25 import BM25Okapi

    from assistant.chunking import chunk_corpus
    from assistant.documents import load_corpus
    from assistant.lexical import BM25Index, add_user_words, ranked, tokenize
    from assistant.query import analyse

    out: dict = {"mode": "lexical-only"}
    with tempfile.TemporaryDirectory(prefix="scale-lexical-") as tmp:
        tmp = Path(tmp)
        corpus = tmp / "docs"
        corpus.mkdir()
        out["corpus_docs"], out["corpus_chars"] = make_corpus(corpus, args.docs, args.chars)
        chunks = sorted(chunk_corpus(load_corpus(corpus)), key=lambda c: (c.doc_id, c.start))
        texts, ids = [c.text for c in chunks], [c.id for c in chunks]
        out["corpus_chunks"] = len(chunks)
        t0 = time.perf_counter()
        add_user_words(texts)
        tokens = [tokenize(t) for t in texts]
        out["tokenize_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        new = BM25Index(texts, ids=ids, tokens=tokens)
        out["bm25s_build_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        old = BM25Okapi(tokens)
        out["rank_bm25_build_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        entry = new.save(tmp / "lexical")
        out["bm25s_save_s"] = round(time.perf_counter() - t0, 2)
        out["bm25s_bytes"] = sum(entry["files"].values())
        t0 = time.perf_counter()
        new = BM25Index.load(tmp / "lexical", ids, entry)
        out["bm25s_load_s"] = round(time.perf_counter() - t0, 2)

        def old_scores(toks, weights):  # what retrieval did with rank_bm25: one get_scores per token
            total = np.zeros(len(texts))
            for tok, w in Counter(toks).items():
                total += w * weights.get(tok, 1.0) * old.get_scores([tok])
            return total

        times = {"bm25s": [], "rank_bm25": []}
        same_top5 = 0
        questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(args.queries)]
        for question in questions:
            q = analyse(question)
            t0 = time.perf_counter()
            toks = tokenize(question, query=True)
            a = ranked(new.scores(toks, q.weights))
            times["bm25s"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            toks = tokenize(question, query=True)
            s = old_scores(toks, q.weights)
            b = sorted((i for i in range(len(s)) if s[i] > 0), key=lambda i: -s[i])
            times["rank_bm25"].append(time.perf_counter() - t0)
            same_top5 += a[:5].tolist() == b[:5]
        for name, v in times.items():
            out[f"{name}_p50_ms"], out[f"{name}_p95_ms"] = pct(v, 50), pct(v, 95)
        out["queries"] = len(questions)
        out["same_top5"] = f"{same_top5}/{len(questions)}"
        r50 = out["rank_bm25_p50_ms"] / out["bm25s_p50_ms"]
        r95 = out["rank_bm25_p95_ms"] / out["bm25s_p95_ms"]
        out["ratio_p50"], out["ratio_p95"] = round(r50, 1), round(r95, 1)
    print(json.dumps(out, ensure_ascii=False))
    print(f"ratio={min(r50, r95):.1f} p95_ms={out['bm25s_p95_ms']}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="scale bench")
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--chars", type=int, default=5_500_000, help="≈46,000 chunks at the default")
    ap.add_argument("--budget", type=float, default=3600.0, help="seconds allowed for the big build")
    ap.add_argument("--queries", type=int, default=40)
    ap.add_argument("--sample", type=int, default=256, help="chunks embedded to measure the rate")
    ap.add_argument("--lexical-only", action="store_true", help="no embeddings: bm25s vs rank_bm25 only")
    ap.add_argument("--random-vectors", action="store_true",
                    help="big index with random unit vectors instead of embeddings (questions are still embedded "
                         "by the real model): open time and latency at full size without the hour of embedding; "
                         "indexing chars/s is then estimated from the sample rate plus the measured rest of the build")
    args = ap.parse_args(argv)
    if args.lexical_only:
        return lexical_only(args)

    from assistant.chunking import chunk_corpus
    from assistant.config import Settings
    from assistant.documents import load_corpus
    from assistant.embeddings import get_embeddings, resolve_model
    from assistant.index import build_index
    from assistant.service import Assistant

    out: dict = {"model": resolve_model("auto").name}
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
        tmp = Path(tmp)
        corpus = tmp / "docs"
        corpus.mkdir()
        t0 = time.perf_counter()
        out["corpus_docs"], out["corpus_chars"] = make_corpus(corpus, args.docs, args.chars)
        out["generate_s"] = round(time.perf_counter() - t0, 1)
        docs = load_corpus(corpus)
        chunks = chunk_corpus(docs)
        out["corpus_chunks"] = len(chunks)
        emb = get_embeddings("auto")

        # 1. embedding rate on a sample
        rng = random.Random(1)
        sample = rng.sample(chunks, min(args.sample, len(chunks)))
        from assistant.index import BATCH

        # warm-up, untimed: the first batches of a build go to the C engine while torch loads
        # (embeddings.TORCH_AFTER_CHARS); the sample measures the rate the rest of a big build gets
        warm = [c.index_text() for c in rng.sample(chunks, min(4 * BATCH, len(chunks)))]
        for i in range(0, len(warm), BATCH):
            emb.embed_documents(warm[i:i + BATCH])
        t0 = time.perf_counter()

        for i in range(0, len(sample), BATCH):  # the batches the index build uses
            emb.embed_documents([c.index_text() for c in sample[i:i + BATCH]])
        dt = time.perf_counter() - t0
        rate = sum(len(c.index_text()) for c in sample) / dt
        out["embed_rate_chars_s"] = round(rate)
        out["estimated_full_build_s"] = round(out["corpus_chars"] / rate)

        # 2. the big build (all of it when it fits the budget)
        fit = docs
        if out["estimated_full_build_s"] > args.budget:
            keep, total = [], 0
            for d in docs:
                if (total + len(d.text)) / rate > args.budget:
                    break
                keep.append(d)
                total += len(d.text)
            fit = keep
        if args.random_vectors:
            fit = docs
        big = Settings(docs_dir=corpus, index_dir=tmp / "index-big", llm="none")
        t0 = time.perf_counter()
        report = build_index(big, docs=fit, progress=False, embeddings=RandomVectors() if args.random_vectors else emb)
        build_s = time.perf_counter() - t0
        built_chars = sum(len(d.text) for d in fit)
        out.update({"built_docs": len(fit), "built_chars": built_chars, "built_chunks": report.total,
                    "build_s": round(build_s, 1), "whole_corpus_built": len(fit) == len(docs)})
        if args.random_vectors:
            out["vectors"] = "random (questions embedded by the real model)"
            embed_chars = sum(len(c.index_text()) for c in chunks)
            out["index_rate_chars_s_estimated"] = round(built_chars / (build_s + embed_chars / rate))
        else:
            out["index_rate_chars_s"] = round(built_chars / build_s)
        t0 = time.perf_counter()
        a = Assistant(big)
        a.retriever  # open index: chunks file, lexical index, retriever arrays
        out["open_s"] = round(time.perf_counter() - t0, 2)
        from assistant.answer import answer_question

        t0 = time.perf_counter()
        answer_question(a, QUESTIONS[0])
        out["first_answer_s"] = round(time.perf_counter() - t0, 2)  # model load, jieba, structures
        out["big"] = latency(a, args.queries)
        a.index.close()

        # 3. the speech alone
        small = Settings(docs_dir=ROOT / "docs", index_dir=tmp / "index-speech", llm="none")
        build_index(small, progress=False, embeddings=emb)
        s = Assistant(small)
        out["speech"] = latency(s, args.queries)
        s.index.close()
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
