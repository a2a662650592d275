"""对照学习 bench: fit the score model on other pairs, then measure on the blind gold set.

    python bench/compare.py            # measure (uses assistant/data/compare_model.json)
    python bench/compare.py --fit      # refit the model first (never on the gold pair)

A temporary index holds docs/*, the 20th Congress report (test data, never shipped
under docs/) and bench/data/docs/*; it is kept in --workdir between runs.

Fitting data (no gold item is used):
* bench/data/compare_fit_speech_vs_work2024.jsonl — the speech's nodes against the
  2024 government work report: top candidates judged relevant / not by hand;
  plus, per node, sampled sentences of the work report ranked below the judged
  ones (negatives, negative sampling);
* the speech against 《政府信息公开条例》 (a document on another subject): its best
  candidates per node are negatives (null calibration).

Measured on bench/data/compare_speech_vs_cpc20.jsonl (20 nodes, written blind) and
the figure files: precision@1 (span overlap with a gold quote / same paragraph as a
gold passage), the share of "none" nodes left empty, mis-paired figure rows, and
cold/warm time of a whole-speech comparison.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPORT = ROOT.parent / "shared" / "corpus" / "related" / "cpc-20th-congress-report-2022.txt"
DATA = ROOT / "bench" / "data"
SPEECH = "speech-2022-district-cadre-conference"
FIT_PAIR = "gov-work-report-2024"
NULL_DOC = "gov-info-disclosure-2019"
GOLD_B = "cpc-20th-congress-report-2022"


def build(workdir: Path):
    from assistant.config import Settings
    from assistant.index import build_index
    from assistant.service import Assistant

    docs = workdir / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for f in list((ROOT / "docs").glob("*.txt")) + list((ROOT / "docs").glob("*.json")) + \
            list((DATA / "docs").iterdir()) + [REPORT]:
        if f.is_file() and not (docs / f.name).exists():
            shutil.copy(f, docs / f.name)
    s = Settings(docs_dir=docs, index_dir=workdir / "index", llm="none")
    build_index(s, progress=True)
    return Assistant(s)


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


def fit(assistant, seed: int = 0):
    from sklearn.linear_model import LogisticRegression

    from assistant.compare import FEATURES, ScoreModel, candidate_signals

    X, y = [], []
    labels = _jsonl(DATA / "compare_fit_speech_vs_work2024.jsonl")
    judged: dict[int, dict[int, bool]] = {}
    for r in labels:
        judged.setdefault(r["node_start"], {})[r["b_start"]] = r["relevant"]
    rng = random.Random(seed)
    for nc, x, cands in candidate_signals(assistant, SPEECH, FIT_PAIR):
        mine = judged.get(nc.start, {})
        starts = [c.start for c in cands]
        for b_start, rel in mine.items():
            if b_start in starts:  # judged headings are no longer candidates
                X.append(x[starts.index(b_start)]), y.append(int(rel))
        # negative sampling: sentences ranked below the judged ones by every signal sum
        order = np.argsort(-(x[:, 1] + 3 * x[:, 2] + 2 * x[:, 3]))
        rest = [int(i) for i in order[12:]]
        for i in rng.sample(rest, min(8, len(rest))):
            X.append(x[i]), y.append(0)
    for nc, x, cands in candidate_signals(assistant, SPEECH, NULL_DOC):
        order = np.argsort(-(x[:, 1] + 3 * x[:, 2] + 2 * x[:, 3]))
        for i in order[:3]:
            X.append(x[int(i)]), y.append(0)
    X, y = np.asarray(X), np.asarray(y)
    clf = LogisticRegression(C=1.0, max_iter=1000).fit(X, y)
    model = ScoreModel([float(w) for w in clf.coef_[0]], float(clf.intercept_[0]), 0.5,
                       f"logistic regression on {len(y)} examples ({int(y.sum())} relevant): speech vs "
                       f"{FIT_PAIR} (hand-judged top candidates + sampled negatives) and speech vs {NULL_DOC} "
                       f"(null calibration); features {list(FEATURES)}")
    model.save()
    acc = float(((model.prob(X) >= 0.5) == y).mean())
    print(f"fitted: weights {np.round(model.weights, 3).tolist()} bias {model.bias:.3f}; "
          f"training accuracy {acc:.3f} on {len(y)} examples ({int(y.sum())} relevant)")
    return model


def _span(doc, paragraph: int, quote: str) -> tuple[int, int] | None:
    p = doc.paragraphs[paragraph - 1]
    i = doc.text.find(quote, p.start, p.end)
    return None if i < 0 else (i, i + len(quote))


def _norm_label(s: str) -> str:
    return s.strip().rstrip("。！？!?；;：:，,")


def evaluate(assistant):
    from assistant.compare import _data, compare_documents, same_indicator

    gold = _jsonl(DATA / "compare_speech_vs_cpc20.jsonl")
    t0 = time.perf_counter()
    cmp = compare_documents(assistant, SPEECH, GOLD_B)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(3):
        t0 = time.perf_counter()
        cmp = compare_documents(assistant, SPEECH, GOLD_B)
        warm.append(time.perf_counter() - t0)
    a = assistant.index.document(cmp.doc_a)
    b = assistant.index.document(cmp.doc_b)
    hits_span = hits_para = pos = none_ok = none_n = 0
    any_hit_span = 0
    rows = []
    for g in gold:
        qa = _span(a, g["node_paragraph"], g["node_quote"])
        assert qa, g["id"]
        label = _norm_label(g["node_heading"])
        node = next((n for n in cmp.nodes if _norm_label(n.node) == label), None)
        if node is None:  # map by the node quote: the innermost node holding it
            inside = [n for n in cmp.nodes if n.start <= qa[0] < n.end]
            node = min(inside, key=lambda n: n.end - n.start)
        spans = []
        for c in g["counterparts"]:
            sp = _span(b, c["paragraph"], c["quote"])
            assert sp, (g["id"], c["quote"])
            spans.append(sp)
        paras = {c["paragraph"] for c in g["counterparts"]}
        top = node.counterparts[0].citation if node.counterparts else None
        if not spans:
            none_n += 1
            none_ok += not node.counterparts
            verdict = "none ok" if not node.counterparts else "padded"
        else:
            pos += 1
            hs = bool(top) and any(top.start < e and s < top.end for s, e in spans)
            hp = bool(top) and top.paragraph in paras
            hits_span += hs
            hits_para += hp
            any_hit_span += any(any(c.citation.start < e and s < c.citation.end for s, e in spans)
                                for c in node.counterparts)
            verdict = ("hit" if hs else "para" if hp else "miss") if top else "empty"
        rows.append((g["id"], node.node[:22], verdict,
                     f"p{top.paragraph} {top.quote[:28]} ({node.counterparts[0].score:.2f})" if top else "—"))
    # figures
    gold_fig = _jsonl(DATA / "compare_figures_speech_vs_cpc20.jsonl")
    gold_pairs = {(f["a_quote"], f["b_quote"]) for f in gold_fig}
    fig_rows = [(n, f) for n in cmp.nodes for f in n.figures]
    mispaired = [f for _n, f in fig_rows if not any(ga in f.a.quote and gb in f.b.quote for ga, gb in gold_pairs)]
    negatives = _jsonl(DATA / "compare_figures_negative.jsonl")
    neg_rows = neg_rule = 0
    da, db = _data(assistant, a.id), _data(assistant, b.id)
    for ng in negatives:
        sa, sb = _span(a, ng["a_paragraph"], ng["a_quote"]), _span(b, ng["b_paragraph"], ng["b_quote"])
        neg_rows += any(f.a.start <= sa[0] < f.a.end and f.b.start <= sb[0] < f.b.end for _n, f in fig_rows)
        # the pairing rule itself, on the figures as extracted from their sentences
        from assistant.compare import _figures
        qa = [q for q, _s in _figures(a, da.structure, [sa])]
        qb = [q for q, _s in _figures(b, db.structure, [sb])]
        qa = [q for q in qa if sa[0] <= q.start < sa[1]] or qa
        qb = [q for q in qb if sb[0] <= q.start < sb[1]] or qb
        neg_rule += any(same_indicator(x, z) for x in qa for z in qb)
    for r in rows:
        print("  ".join(r))
    n_nodes = len(cmp.nodes)
    found = sum(1 for n in cmp.nodes if n.found)
    print()
    print(f"nodes compared: {n_nodes} (found {found}, {n_nodes - found} marked 未找到对应表述); "
          f"threshold P >= {cmp.threshold}")
    print(f"precision@1 (top passage overlaps a gold quote span): {hits_span}/{pos} = {hits_span / pos:.2f}")
    print(f"precision@1 (top passage in a gold paragraph):        {hits_para}/{pos} = {hits_para / pos:.2f}")
    print(f"any of the 1–3 passages overlaps a gold quote:        {any_hit_span}/{pos} = {any_hit_span / pos:.2f}")
    print(f"'none' nodes left empty:                              {none_ok}/{none_n} = {none_ok / none_n:.2f}")
    print(f"figure rows: {len(fig_rows)}; mis-paired (not in the gold figure file, which is empty): {len(mispaired)}")
    print(f"tempting wrong pairs (negative file) shown as rows: {neg_rows}/{len(negatives)}; "
          f"accepted by the pairing rule: {neg_rule}/{len(negatives)}")
    print(f"time, whole speech ({n_nodes} nodes) vs report: cold {cold:.2f} s, warm {min(warm):.2f} s "
          f"(best of 3; median {sorted(warm)[1]:.2f} s)")
    return {"p1_span": hits_span / pos, "p1_para": hits_para / pos, "none": none_ok / none_n,
            "mispaired": len(mispaired), "warm": min(warm)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fit", action="store_true", help="refit the score model on the non-gold pairs first")
    ap.add_argument("--workdir", default="/tmp/assistant-bench-compare", help="temporary docs + index folder")
    args = ap.parse_args()
    assistant = build(Path(args.workdir))
    if args.fit:
        fit(assistant)
    evaluate(assistant)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
