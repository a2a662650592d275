#!/usr/bin/env python3
"""Benchmark the quote checker (核对引文): claims checked per second, warm.

Usage (from the project root, index built):

    .venv/bin/python bench/claims.py [--dev /work/shared/eval/dev.jsonl] [--rounds 3]

Claims: the dev set's ``kind == "claim"`` rows.  One warm-up pass (loads the
embedding model, jieba, the parsed structure), then ``--rounds`` timed passes;
prints claims/second and mean / p95 latency (most of a check is the dense query
embedding of the retriever; alignment and figure comparison take a few ms).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    from assistant.claims import check_claim
    from assistant.service import get_assistant

    items = [json.loads(line) for line in Path(args.dev).read_text(encoding="utf-8").splitlines() if line.strip()]
    claims = [it["claim"] for it in items if it.get("kind") == "claim"]
    if not claims:
        print("no claims in", args.dev)
        return 1
    assistant = get_assistant()
    for c in claims:  # warm-up
        check_claim(assistant, c)

    lat = []
    t0 = time.perf_counter()
    for _ in range(args.rounds):
        for c in claims:
            t = time.perf_counter()
            check_claim(assistant, c)
            lat.append(time.perf_counter() - t)
    total = time.perf_counter() - t0
    n = len(lat)
    lat.sort()
    print(f"claims checked: {n} ({len(claims)} claims × {args.rounds} rounds, warm)")
    print(f"claims per second: {n / total:.1f}")
    print(f"latency mean {1000 * statistics.mean(lat):.0f} ms, p95 {1000 * lat[int(0.95 * (n - 1))]:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
