"""Per-item diagnosis of an evaluation set: question, abstained?, cited gold?, the answer's first lines.

    python bench/diagnose.py SET.jsonl [--only-misses]

Uses the configured index (ASSISTANT_DOCS_DIR / ASSISTANT_INDEX_DIR).
"""
import argparse
import json
import sys

from assistant.answer import answer_question
from assistant.evaluation import _overlaps, cases_from, gold_spans
from assistant.service import get_assistant


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--only-misses", action="store_true")
    args = ap.parse_args()
    items = [json.loads(line) for line in open(args.file, encoding="utf-8") if line.strip()]
    assistant = get_assistant()
    docs = {d.id: d for d in assistant.index.all_documents()}
    misses = 0
    for case in cases_from(items):
        a = answer_question(assistant, case.question, case.history)
        hit = any(_overlaps((c.start, c.end), gold_spans(docs[c.doc].text, case.gold_quotes))
                  for c in a.citations if not case.doc or docs[c.doc].source == case.doc)
        ok = (a.abstained and not case.answerable) or (hit and not a.abstained)
        misses += not ok
        if args.only_misses and ok:
            continue
        mark = "OK " if ok else "XX "
        print(f"{mark}{case.id} [{case.lang}] {case.question}")
        print(f"     gold: {case.gold_quotes[:2]}")
        print("     " + a.answer.replace("\n", "\n     ")[:400])
    print(f"misses: {misses}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
