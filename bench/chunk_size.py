#!/usr/bin/env python3
"""Which chunk size retrieves best?  Prints recall@1/5, MRR and cited-span length per size.

    .venv/bin/python bench/chunk_size.py [DEV.jsonl] [--sizes 60,90,120,150,200,300]

For each target size the speech is chunked by the structure-aware chunker and
searched by the real hybrid retriever (BM25 + the default embedding model +
outline); dense search is exact cosine in memory (the same ranking Chroma's HNSW
gives on a hundred chunks).  Smaller chunks cite more precisely; too small and a
question's words spread over several chunks.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.chunking import chunk_corpus  # noqa: E402
from assistant.config import get_settings  # noqa: E402
from assistant.crosslingual import Translator  # noqa: E402
from assistant.documents import load_corpus  # noqa: E402
from assistant.embeddings import get_embeddings  # noqa: E402
from assistant.evaluation import cases_from, gold_spans  # noqa: E402
from assistant.retrieval import Retriever  # noqa: E402


class MemoryIndex:
    """The part of assistant.index.Index the retriever uses, held in memory."""

    def __init__(self, docs, target, embeddings):
        self.docs = {d.id: d for d in docs}
        self.chunks = chunk_corpus(docs, target)
        self.embeddings = embeddings
        self.vectors = np.array(embeddings.embed_documents([c.index_text() for c in self.chunks]))

    def document(self, doc_id):
        return self.docs[doc_id]

    def dense_search(self, query, k, where=None):
        sims = self.vectors @ np.array(self.embeddings.embed_query(query))
        order = np.argsort(-sims)[:k]
        return [(self.chunks[i].id, float(sims[i])) for i in order]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dev", nargs="?", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    ap.add_argument("--sizes", default="60,90,120,150,200,300")
    args = ap.parse_args()
    settings = get_settings()
    docs = load_corpus(settings.docs_dir)
    text = docs[0].text
    cases = [c for c in cases_from([json.loads(x) for x in open(args.dev, encoding="utf-8") if x.strip()]) if c.answerable]
    emb = get_embeddings(settings.embed_model)
    print(f"{'target':>6} {'chunks':>6} {'median':>6} {'R@1':>5} {'R@5':>5} {'MRR':>5}  (n={len(cases)} answerable dev questions)")
    for size in [int(s) for s in args.sizes.split(",")]:
        ix = MemoryIndex(docs, size, emb)
        r = Retriever(ix, settings.dense_weight, translate=Translator(text))
        ranks = []
        for c in cases:
            spans = gold_spans(text, c.gold_quotes)
            hits = r.search(c.question, 5, history=c.history)
            ranks.append(next((i for i, h in enumerate(hits) if any(h.chunk.start < e and s < h.chunk.end for s, e in spans)), None))
        n = len(ranks)
        med = statistics.median(len(c.text) for c in ix.chunks)
        print(f"{size:>6} {len(ix.chunks):>6} {med:>6.0f} {sum(x == 0 for x in ranks) / n:>5.2f} "
              f"{sum(x is not None for x in ranks) / n:>5.2f} {sum(1 / (x + 1) for x in ranks if x is not None) / n:>5.2f}")


if __name__ == "__main__":
    main()
