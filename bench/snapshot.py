"""Per-item snapshots of every evaluation set, and their differences between two versions of the code.

    python bench/snapshot.py run OUT.json SET.jsonl [SET.jsonl ...]   # answer and check every item
    python bench/snapshot.py diff NEW.json [BASE.json]                # per-set figures, items that changed
    python bench/snapshot.py misses NEW.json [SET-NAME-PART]          # the items still wrong

Uses the configured index (ASSISTANT_DOCS_DIR / ASSISTANT_INDEX_DIR): build one that holds every
document the sets are about (docs/, ../shared/corpus/related, bench/data/docs), then run the sets
against it before and after a change (a base checkout of the code: ``PYTHONPATH=<worktree>``).
Per set it prints citing gold, must_contain, English citing gold, answerable abstained,
unanswerable abstained and claim accuracy (with contradicted claims called supported).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def run(out_path: str, sets: list[str]) -> None:
    from assistant.claims import check_claim
    from assistant.evaluation import _ours, cases_from, hits_gold
    from assistant.service import get_assistant

    a = get_assistant()
    docs = a.index.all_documents()
    texts = {d.id: d.text for d in docs}
    sources = {d.id: d.source for d in docs}
    res, t0 = {}, time.time()
    for path in sets:
        items = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
        rows = []
        cases = cases_from(items)
        # answered as the eval answers them, and scored by its rule (a cited span overlapping a gold quote)
        for c, out in zip(cases, _ours(a, cases, 5, None)):
            hit = any(hits_gold(c, span, texts, sources) for span in out.cited)
            rows.append({"id": c.id, "q": c.question, "lang": c.lang, "ans": c.answerable, "abst": out.abstained,
                         "cite": hit if c.answerable else None,
                         "must": all(m in out.answer for m in c.must_contain) if c.answerable else None,
                         "text": out.answer[:300]})
        for it in items:
            if it.get("kind") == "claim":
                v = check_claim(a, it["claim"]).verdict
                rows.append({"id": it.get("id"), "claim": it["claim"], "gold": it["verdict"], "got": v, "ok": v == it["verdict"]})
        res[Path(path).stem] = rows
        print(f"{Path(path).stem}: {time.time() - t0:.0f} s", file=sys.stderr)
    Path(out_path).write_text(json.dumps(res, ensure_ascii=False, indent=0), encoding="utf-8")


def _summary(rows: list[dict]) -> str:
    qs = [r for r in rows if "q" in r]
    ans = [r for r in qs if r["ans"]]
    un = [r for r in qs if not r["ans"]]
    en = [r for r in ans if r["lang"] == "en"]
    cl = [r for r in rows if "claim" in r]

    def share(xs, key):
        return f"{sum(bool(x[key]) for x in xs) / len(xs):.2f}" if xs else "-"

    worst = sum(r["gold"] == "contradicted" and r["got"] == "supported" for r in cl)
    return (f"cite {share(ans, 'cite')}  must {share(ans, 'must')}  en {share(en, 'cite')}  "
            f"answerable abstained {sum(r['abst'] for r in ans)}/{len(ans)}  unanswerable abstained "
            f"{sum(r['abst'] for r in un)}/{len(un)}  claims {share(cl, 'ok')} ({worst} contradicted→supported)")


def _key(r: dict) -> tuple:
    return r.get("cite"), r.get("must"), r.get("abst"), r.get("ok")


def diff(new_path: str, base_path: str | None) -> None:
    new = json.loads(Path(new_path).read_text(encoding="utf-8"))
    base = json.loads(Path(base_path).read_text(encoding="utf-8")) if base_path else {}
    for name, rows in new.items():
        print(f"{name}\n  now   {_summary(rows)}")
        if name not in base:
            continue
        print(f"  base  {_summary(base[name])}")
        old = {r["id"]: r for r in base[name]}
        for r in rows:
            if r["id"] in old and _key(r) != _key(old[r["id"]]):
                print(f"    {r['id']}: {_key(old[r['id']])} -> {_key(r)}  {r.get('q', r.get('claim'))[:60]}")


def misses(new_path: str, part: str = "") -> None:
    new = json.loads(Path(new_path).read_text(encoding="utf-8"))
    for name, rows in new.items():
        if part not in name:
            continue
        for r in rows:
            if "q" in r and ((r["ans"] and not (r["cite"] and r["must"])) or (not r["ans"] and not r["abst"])):
                print(f"[{name}] {r['id']} {r['lang']} cite={r['cite']} must={r['must']} abstained={r['abst']}\n"
                      f"    Q: {r['q']}\n    A: {r['text'][:200]!r}")
            elif "claim" in r and not r["ok"]:
                print(f"[{name}] {r['id']} claim gold={r['gold']} got={r['got']}: {r['claim']}")


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "run":
        run(argv[1], argv[2:])
    elif len(argv) in (2, 3) and argv[0] == "diff":
        diff(argv[1], argv[2] if len(argv) == 3 else None)
    elif len(argv) in (2, 3) and argv[0] == "misses":
        misses(argv[1], argv[2] if len(argv) == 3 else "")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
