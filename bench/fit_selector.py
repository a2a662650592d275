"""Fit the answer-sentence model (assistant/selector.json) and report it on documents it never saw.

    python bench/fit_selector.py --docs DIR [--train SET ...] [--heldout SET ...] [--no-save]

Builds a temporary index of docs/ plus DIR (all documents the sets refer to), collects the
candidate sentences of every question of the training sets with their features
(:mod:`assistant.selection`), labels a candidate 1 when it overlaps a gold quote of the
item's document, fits a logistic regression and its answerability threshold, and prints,
for the training and the held-out sets: candidate AUC, and answer-level citation hit
rate / false abstentions / unanswerable abstained with the model.
Defaults: train on the speech's and the 20th-congress report's sets and on the sets of four
other documents (:data:`TRAIN`); held-out: every other bench/data/heldout_* set.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluation import _overlaps, cases_from, gold_spans, temporary_assistant  # noqa: E402
from assistant import selection  # noqa: E402

SHARED = ROOT.parent / "shared"
DATA = ROOT / "bench" / "data"
TRAIN = [SHARED / "eval" / "dev.jsonl", SHARED / "eval" / "related-dev.jsonl",
         DATA / "unseen_mixed.jsonl", DATA / "unseen_mixed_2.jsonl",
         DATA / "english_rewrites.jsonl", DATA / "unanswerable.jsonl",
         # four documents of other kinds: a national work report, a 条例, an 意见, a State Council plan
         DATA / "heldout_gov-work-report-2024.jsonl", DATA / "heldout_gov-info-disclosure-2019.jsonl",
         DATA / "heldout_gov-new-media-opinion-2018.jsonl", DATA / "heldout_digital-economy-plan-2021.jsonl"]
# the documents the models never see: two provincial reports, a municipal 条例 and 实施意见, the
# 2023 中央一号文件, and new questions on the speech
HELDOUT = sorted(p for p in DATA.glob("heldout_*.jsonl") if p not in TRAIN)


def collect(assistant, path: Path):
    """Candidate rows, labels and per-question groups of one set."""
    from assistant.answer import Answerer

    answerer = Answerer(assistant)
    docs = {d.id: d for d in assistant.index.all_documents()}
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows, labels, questions, qrows = [], [], [], []
    for case in cases_from(items):
        ev = answerer.evidence(case.question, case.history)
        idx = []
        for c in ev.candidates:
            d = docs[c.chunk.doc_id]
            gold = gold_spans(d.text, case.gold_quotes) if (not case.doc or d.source == case.doc) else []
            idx.append(len(rows))
            rows.append(c.features)
            labels.append(int(_overlaps((c.start, c.end), gold)))
        if any(h.outline for h in ev.hits) or not ev.candidates:
            continue  # answered from the outline, not by sentence selection
        questions.append((idx, case.answerable))
        qrows.append(dict(ev.question_features))
    return rows, labels, questions, qrows


def report(name: str, sel, rows, labels, questions, qrows) -> None:
    from sklearn.metrics import roc_auc_score

    probs = [sel.probability(r) for r in rows]
    auc = roc_auc_score(labels, probs) if 0 < sum(labels) < len(labels) else float("nan")
    hit = ans = fa = un = un_ok = 0
    for (idx, answerable), qr in zip(questions, qrows):
        best = max(idx, key=lambda i: probs[i], default=None)
        says = best is not None and sel.answerable({**qr, "best_prob": probs[best]})
        if answerable:
            ans += 1
            fa += not says
            hit += says and labels[best] == 1
        else:
            un += 1
            un_ok += not says
    print(f"{name:<44} auc={auc:.3f}  top1_gold={hit / ans if ans else 0:.2f}  "
          f"false_abstain={fa}/{ans}  unanswerable_abstained={un_ok}/{un}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", action="append", default=[], help="folders with the documents the sets refer to")
    ap.add_argument("--train", action="append", type=Path)
    ap.add_argument("--heldout", action="append", type=Path)
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument("--cache", help="pickle of the collected candidates (written once, then reused to refit)")
    ap.add_argument("--configured-index", action="store_true",
                    help="use the index of ASSISTANT_DOCS_DIR/ASSISTANT_INDEX_DIR instead of a temporary one")
    args = ap.parse_args()
    train = args.train or [p for p in TRAIN if p.exists()]
    heldout = args.heldout or HELDOUT
    docs = args.docs or [str(SHARED / "corpus" / "related"), str(ROOT / "bench" / "data" / "docs")]
    # candidates are collected without a model: this process looks for it where there is none, and
    # the shipped file stays in place for every other process (an app or an eval running meanwhile)
    shipped = selection.MODEL_FILE
    with tempfile.TemporaryDirectory() as nowhere:
        selection.MODEL_FILE = Path(nowhere) / "no-model.json"
        selection.load_selector.cache_clear()
        try:
            return _fit(args, train, heldout, docs, shipped)
        finally:
            selection.MODEL_FILE = shipped
            selection.load_selector.cache_clear()


def _fit(args, train, heldout, docs, target: Path) -> int:
    cache = Path(args.cache) if args.cache else None
    if cache and cache.exists():
        import pickle

        data = pickle.loads(cache.read_bytes())
    elif args.configured_index:
        from assistant.service import get_assistant

        assistant = get_assistant()
        data = {p: collect(assistant, p) for p in [*train, *heldout]}
    else:
        with temporary_assistant(docs) as assistant:
            data = {p: collect(assistant, p) for p in [*train, *heldout]}
    if cache and not cache.exists():
        import pickle

        cache.write_bytes(pickle.dumps(data))
    rows, labels, questions, qrows = [], [], [], []
    for p in train:
        r, lab, qs, qr = data[p]
        off = len(rows)
        rows += r
        labels += lab
        questions += [([i + off for i in idx], a) for idx, a in qs]
        qrows += [dict(x) for x in qr]
    sel = selection.fit(rows, labels, qrows, [int(a) for _i, a in questions], [p.name for p in train],
                        [idx for idx, _a in questions])
    print(f"fitted on {len(rows)} candidates of {len(questions)} questions")
    for model in (sel.sentence, sel.question):
        for f, c in sorted(zip(model.names, model.coef), key=lambda t: -abs(t[1])):
            print(f"  {f:<20} {c:+.3f}")
        print("  --")
    for p in train:
        report("train " + p.name, sel, *data[p])
    for p in heldout:
        report("HELD-OUT " + p.name, sel, *data[p])
    if not args.no_save:
        selection.save(sel, target)  # (aside, then swapped in)
        print(f"saved {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
