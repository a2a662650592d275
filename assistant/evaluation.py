"""Evaluation on a JSONL set: retrieval and answer metrics, ours vs two baselines.

Item kinds (see ``shared/README.md``): ``qa`` (question, gold_quotes, must_contain;
no gold = must abstain), ``multiturn`` (turns, each like a qa item, asked with the
earlier turns as history) and ``claim`` (handled by the quote checker when present).

A retrieved or cited span is a *hit* when it overlaps the span of a gold quote in
the document.  Baselines, run in the same process on the same documents:

* ``naive`` — LangChain ``RecursiveCharacterTextSplitter`` (500/50), dense only
  (same embedding model), top chunk as the answer;
* ``bm25`` — BM25 over jieba words on our chunks, no dense/outline/figure
  channels, top chunk as the answer.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .numbers import extract_quantities, unverified_numbers

_MARK = re.compile(r"\[\d+\]")


@dataclass
class Case:
    """One question to evaluate (a qa item or one turn of a conversation)."""

    id: str
    question: str
    lang: str
    history: list[str]
    gold_quotes: list[str]
    must_contain: list[str]
    doc: str = ""  # file name of the document the gold quotes are in ("" = any document)

    @property
    def answerable(self) -> bool:
        return bool(self.gold_quotes)


def cases_from(items: list[dict]) -> list[Case]:
    out = []
    for it in items:
        if it.get("kind", "qa") == "qa" and "question" in it:
            out.append(Case(it.get("id", ""), it["question"], it.get("lang", "zh"), [], it.get("gold_quotes", []),
                            it.get("must_contain", []), it.get("doc", "")))
        elif it.get("kind") == "multiturn" or "turns" in it:
            hist: list[str] = []
            for n, t in enumerate(it["turns"], 1):
                q = t["question"] if isinstance(t, dict) else t
                gold = t.get("gold_quotes", []) if isinstance(t, dict) else []
                must = t.get("must_contain", []) if isinstance(t, dict) else []
                out.append(Case(f"{it.get('id', '')}#{n}", q, t.get("lang", "zh") if isinstance(t, dict) else "zh",
                                list(hist), gold, must, it.get("doc", "")))
                hist.append(q)
    return out


def gold_spans(text: str, quotes: list[str]) -> list[tuple[int, int]]:
    spans = []
    for q in quotes:
        start = text.find(q)
        while start >= 0:
            spans.append((start, start + len(q)))
            start = text.find(q, start + 1)
    return spans


def _overlaps(span, spans) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


@dataclass
class Outcome:
    """What a system produced for one case."""

    retrieved: list[tuple[str, int, int]]  # (doc id, start, end) in rank order
    cited: list[tuple[str, int, int]]
    answer: str
    abstained: bool
    evidence: list[str]  # cited quotes (for figure tracing)
    titles: list[str] = field(default_factory=list)  # titles of the cited documents
    flags: int = 0


def hits_gold(case: Case, span: tuple[str, int, int], texts: dict[str, str], sources: dict[str, str]) -> bool:
    """Does `span` (doc id, start, end) overlap a gold quote of `case`?  A gold quote counts in the
    document the item names (any document when it names none)."""
    doc_id, start, end = span
    if case.doc and sources.get(doc_id, case.doc) != case.doc:
        return False
    return _overlaps((start, end), gold_spans(texts.get(doc_id, ""), case.gold_quotes))


def _metrics(cases: list[Case], outcomes: list[Outcome], texts: dict[str, str], k: int,
             sources: dict[str, str] | None = None) -> dict:
    sources = sources or {}

    res = {"n": len(cases)}
    groups = {"all": [], "zh": [], "en": []}
    cite_hits = must_hits = answerable = en_hits = en_answerable = 0
    abst_ok = unans = unans_ok = ans_abstained = 0
    fig_total = fig_traced = flagged = 0
    cited_chars: list[int] = []
    for case, out in zip(cases, outcomes):
        flagged += out.flags > 0
        if case.answerable:
            answerable += 1
            rank = next((r for r, span in enumerate(out.retrieved[:k]) if hits_gold(case, span, texts, sources)), None)
            for g in ("all", case.lang):
                groups.setdefault(g, []).append(rank)
            if any(hits_gold(case, span, texts, sources) for span in out.cited):
                cite_hits += 1
                en_hits += case.lang == "en"
            en_answerable += case.lang == "en"
            if all(m in out.answer for m in case.must_contain):
                must_hits += 1
            ans_abstained += out.abstained
            abst_ok += not out.abstained
        else:
            unans += 1
            unans_ok += out.abstained
            abst_ok += out.abstained
        if not out.abstained:
            cited_chars.append(sum(e - s for _d, s, e in out.cited))
            body = _MARK.sub("", out.answer)
            figs = [qn for qn in extract_quantities(body) if qn.kind != "ordinal"]
            # a figure must trace to a cited span (the lead line may name the cited document's title)
            bad = unverified_numbers(body, out.evidence + out.titles)
            fig_total += len(figs)
            fig_traced += len(figs) - len(bad)
    for g, ranks in groups.items():
        if not ranks:
            continue
        n = len(ranks)
        res[g] = {
            "n": n,
            "recall@1": sum(r is not None and r < 1 for r in ranks) / n,
            "recall@3": sum(r is not None and r < 3 for r in ranks) / n,
            "recall@5": sum(r is not None and r < 5 for r in ranks) / n,
            "mrr": sum(1 / (r + 1) for r in ranks if r is not None) / n,
        }
    res["citation_hit_rate"] = cite_hits / answerable if answerable else None
    res["must_contain_rate"] = must_hits / answerable if answerable else None
    res["en_citation_hit_rate"] = en_hits / en_answerable if en_answerable else None
    res["abstention_accuracy"] = abst_ok / len(cases) if cases else None
    res["unanswerable_abstained"] = f"{unans_ok}/{unans}"
    res["answerable_abstained"] = f"{ans_abstained}/{answerable}"
    res["figures_traced"] = fig_traced / fig_total if fig_total else 1.0
    res["figures_in_answers"] = fig_total
    res["flag_rate"] = flagged / len(cases) if cases else 0.0
    res["cited_chars_per_answer"] = round(sum(cited_chars) / len(cited_chars), 1) if cited_chars else 0.0
    return res


def _ours(assistant, cases: list[Case], k: int, llm: str | None) -> list[Outcome]:
    from .answer import answer_question

    outs = []
    for c in cases:
        if llm and llm != "none":
            from .chain import answer_with_llm  # LLM backend (optional module)

            a = answer_with_llm(assistant, c.question, c.history, k=k, backend=llm)
        else:
            a = answer_question(assistant, c.question, c.history, k=k)
        outs.append(Outcome(
            retrieved=[(r.doc, r.start, r.end) for r in a.retrieved],
            cited=[(r.doc, r.start, r.end) for r in a.citations],
            answer=a.answer, abstained=a.abstained, evidence=[r.quote for r in a.citations],
            titles=list(dict.fromkeys(r.title for r in a.citations)),
            flags=len(a.flags) + len(a.unverified_numbers),
        ))
    return outs


def _top_chunk_outcome(ranked: list[tuple[str, int, int, str]], k: int) -> Outcome:
    top = ranked[:1]
    return Outcome(
        retrieved=[(d, s, e) for d, s, e, _ in ranked[:k]],
        cited=[(d, s, e) for d, s, e, _ in top],
        answer="\n".join(t for *_, t in top), abstained=False, evidence=[t for *_, t in top],
    )


def _bm25_baseline(assistant, cases: list[Case], k: int) -> list[Outcome]:
    from .lexical import BM25Index, tokenize

    chunks = assistant.index.chunks
    bm25 = BM25Index([c.text for c in chunks])
    outs = []
    for case in cases:
        scores = bm25.scores(tokenize(case.question, query=True))
        order = sorted(range(len(chunks)), key=lambda i: -scores[i])[:k]
        outs.append(_top_chunk_outcome([(chunks[i].doc_id, chunks[i].start, chunks[i].end, chunks[i].text) for i in order], k))
    return outs


def _naive_baseline(assistant, cases: list[Case], k: int) -> list[Outcome]:
    import chromadb
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50, add_start_index=True)
    docs = assistant.index.all_documents()
    texts, metas = [], []
    for d in docs:
        for piece in splitter.create_documents([d.text], metadatas=[{"doc_id": d.id}]):
            start = piece.metadata["start_index"]
            texts.append(piece.page_content)
            metas.append({"doc_id": d.id, "start": start, "end": start + len(piece.page_content)})
    client = chromadb.EphemeralClient()
    store = Chroma(client=client, collection_name=f"naive{int(time.time() * 1000)}",
                   embedding_function=assistant.index.embeddings, collection_metadata={"hnsw:space": "cosine"})
    store.add_texts(texts, metadatas=metas)
    outs = []
    for case in cases:
        found = store.similarity_search(case.question, k=k)
        outs.append(_top_chunk_outcome([(m.metadata["doc_id"], m.metadata["start"], m.metadata["end"], m.page_content) for m in found], k))
    store.delete_collection()
    return outs


def copy_documents(folders, dest: Path) -> Path:
    """Copy the documents of `folders` (with their ``.meta.json`` sidecars) into a new folder `dest`."""
    from .documents import iter_document_files, sidecar_path

    dest.mkdir()
    for folder in folders:
        for f in iter_document_files(Path(folder)):
            shutil.copy2(f, dest / f.name)
            if sidecar_path(f).exists():
                shutil.copy2(sidecar_path(f), dest / sidecar_path(f).name)
    return dest


@contextmanager
def temporary_assistant(extra_dirs: list[str], settings=None):
    """An assistant over a temporary index holding the docs folder plus the files of `extra_dirs`
    (documents and their ``.meta.json`` sidecars); removed afterwards."""
    from .config import get_settings
    from .index import build_index
    from .service import Assistant

    base = settings or get_settings()
    with tempfile.TemporaryDirectory(prefix="assistant-eval-") as tmp:
        docs = copy_documents([base.docs_dir, *extra_dirs], Path(tmp) / "docs")
        s = base.model_copy(update={"docs_dir": docs, "index_dir": Path(tmp) / "index", "chroma_url": ""})
        build_index(s, progress=False)
        assistant = Assistant(s)
        try:
            yield assistant
        finally:
            assistant.index.close()


def _by_document(cases: list[Case], outcomes: list[Outcome], texts, k, sources, default_doc: str) -> dict:
    """Metrics per document named by the items (items naming none belong to `default_doc`)."""
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(cases):
        groups.setdefault(c.doc or default_doc, []).append(i)
    return {d: _metrics([cases[i] for i in idx], [outcomes[i] for i in idx], texts, k, sources)
            for d, idx in sorted(groups.items())}


def run_eval(items: list[dict], k: int = 5, baselines: bool = True, llm: str | None = None, assistant=None,
             docs_dirs: list[str] | None = None) -> dict:
    """Metrics for our system (and the baselines) over `items`, overall and per document.

    With `docs_dirs`, the items are evaluated in a temporary index holding the docs folder
    plus those folders' documents (see :func:`temporary_assistant`)."""
    if docs_dirs:
        with temporary_assistant(docs_dirs, assistant.settings if assistant else None) as tmp:
            return run_eval(items, k, baselines, llm, tmp)
    from .service import get_assistant

    assistant = assistant or get_assistant()
    cases = cases_from(items)
    all_docs = assistant.index.all_documents()
    texts = {d.id: d.text for d in all_docs}
    sources = {d.id: d.source for d in all_docs}
    # items that name no document are about the only document, else they are reported together
    default_doc = all_docs[0].source if len(all_docs) == 1 else "(items without doc)"
    report: dict = {"k": k, "cases": len(cases), "systems": {}, "documents": {}}
    runs = {}
    t0 = time.perf_counter()
    runs["ours"] = _ours(assistant, cases, k, llm)
    seconds = round(time.perf_counter() - t0, 2)
    if baselines:
        runs["bm25"] = _bm25_baseline(assistant, cases, k)
        runs["naive"] = _naive_baseline(assistant, cases, k)
    for name, outs in runs.items():
        report["systems"][name] = _metrics(cases, outs, texts, k, sources)
        if len({c.doc for c in cases}) > 1 or docs_dirs or len(all_docs) > 1:
            for d, m in _by_document(cases, outs, texts, k, sources, default_doc).items():
                report["documents"].setdefault(d, {})[name] = m
    report["systems"]["ours"]["seconds"] = seconds
    claims = [it for it in items if it.get("kind") == "claim"]
    if claims:
        from .claims import evaluate_claims

        report["claims"] = evaluate_claims(assistant, claims)
    return report


def format_report(report: dict) -> str:
    """A plain-text table of the report (overall, then one compact table per document)."""
    out = _format_systems(report["systems"], report["k"])
    for doc, systems in report.get("documents", {}).items():
        out += f"\n\n== {doc} ==\n" + _format_systems(systems, report["k"], compact=True)
    if "claims" in report:
        c = report["claims"]
        out += "\n\nclaims: " + ", ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in c.items()
                                          if not isinstance(v, (list, dict)))
        if c.get("errors"):
            out += "\nclaim errors: " + " ".join(map(str, c["errors"]))
    return out


def _format_systems(systems: dict, k: int, compact: bool = False) -> str:
    names = list(systems)
    rows = []

    def row(label, getter):
        vals = []
        for n in names:
            try:
                v = getter(systems[n])
            except (KeyError, TypeError):
                v = None
            vals.append("-" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v)))
        rows.append(f"{label:<28}" + "".join(f"{v:>12}" for v in vals))

    rows.append(f"{'metric (k=' + str(k) + ')':<28}" + "".join(f"{n:>12}" for n in names))
    for g in ("zh", "en", "all"):
        if any(g in systems[n] for n in names):
            for m in (("recall@5", "mrr") if compact else ("recall@1", "recall@3", "recall@5", "mrr")):
                row(f"{g} {m}", lambda s, g=g, m=m: s[g][m])
            row(f"{g} n", lambda s, g=g: s[g]["n"])
    for m in ("citation_hit_rate", "must_contain_rate", "en_citation_hit_rate", "abstention_accuracy",
              "unanswerable_abstained", "answerable_abstained", "figures_traced", "figures_in_answers", "flag_rate",
              "cited_chars_per_answer"):
        if compact and m in ("abstention_accuracy", "figures_in_answers", "flag_rate", "cited_chars_per_answer"):
            continue
        row(m, lambda s, m=m: s[m])
    out = "\n".join(rows)
    if not compact and "ours" in systems and "bm25" in systems and "naive" in systems:
        o, b, nv = systems["ours"], systems["bm25"], systems["naive"]
        parts = []
        for g in ("zh", "en"):
            if g in o and g in b and g in nv:
                for m in ("recall@5", "mrr"):
                    parts.append(f"{g} {m}: ours/bm25 = {_ratio(o[g][m], b[g][m])}, ours/naive = {_ratio(o[g][m], nv[g][m])}")
        out += "\n\n" + "\n".join(parts)
    return out


def _ratio(a: float, b: float) -> str:
    return "∞" if b == 0 else f"{a / b:.2f}×"
