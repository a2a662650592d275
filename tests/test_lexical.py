"""The bm25s lexical index: same rankings as the rank_bm25 path it replaced, persisted in each build.

The reference is rank_bm25's ``BM25Okapi`` (kept as a test-only dependency) scored the way
retrieval used it (per-token weights), and the dict-of-scores fusion that
``Retriever.search_query`` had before it ran on arrays.  Both are compared on every
question of the dev set and of ``bench/data`` (multi-turn questions with their history),
against the real session index (real Chroma, real embedding model).
"""
from __future__ import annotations

import json
import shutil
from collections import Counter

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from assistant.lexical import BM25Index, LEXICAL_VERSION, ranked, tokenize
from assistant.query import analyse
from assistant.retrieval import (DENSE_CANDIDATES, FIGURE_BONUS, RRF_K, _YEAR_ONLY, _figure_near)

from .conftest import DEV_SET, DOCS, ROOT

SETS = [DEV_SET, *sorted((ROOT / "bench" / "data").glob("*.jsonl"))]


def _questions() -> list[tuple[str, list[str]]]:
    """(question, history) for every question of the sets."""
    out = []
    for path in SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            it = json.loads(line)
            if "turns" in it:
                hist: list[str] = []
                for t in it["turns"]:
                    out.append((t["question"], list(hist)))
                    hist.append(t["question"])
            elif it.get("question"):
                out.append((it["question"], []))
    return out


QUESTIONS = _questions()


class ReferenceBM25:
    """What assistant.lexical.BM25Index was: rank_bm25 with per-token weights."""

    def __init__(self, texts):
        self.bm25 = BM25Okapi([tokenize(t) for t in texts])
        self.n = len(texts)

    def scores(self, tokens, weights):
        total = np.zeros(self.n)
        for tok, w in Counter(tokens).items():
            total += w * weights.get(tok, 1.0) * self.bm25.get_scores([tok])
        return total


def _old_search(r, ref: ReferenceBM25, q, k=5, doc_ids=None):
    """Retriever.search_query as it was (dict of scores, loops over every chunk), on rank_bm25."""
    allowed = set(doc_ids) if doc_ids else None
    if allowed is not None:
        allowed &= {c.doc_id for c in r.chunks}
    eligible = [i for i, c in enumerate(r.chunks) if allowed is None or c.doc_id in allowed]
    doc_order = list(dict.fromkeys(r.chunks[i].doc_id for i in eligible))
    scores: dict[int, float] = {}
    lex = ref.scores(q.tokens, q.weights)
    for rank, i in enumerate(sorted((i for i in eligible if lex[i] > 0), key=lambda i: -lex[i])):
        scores[i] = scores.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
    if q.wants_figure:
        near = q.words()
        for i in eligible:
            if _figure_near(r.chunks[i].text, near):
                scores[i] = scores.get(i, 0.0) + FIGURE_BONUS / (RRF_K + 1)
    where = {"doc_id": {"$in": sorted(allowed)}} if allowed else None
    vector = q.vector(q.dense_text, r.index.embeddings)
    for rank, (cid, _s) in enumerate(r.index.dense_search_vector(vector, DENSE_CANDIDATES, where)):
        i = r.by_id[cid]
        scores[i] = scores.get(i, 0.0) + r.dense_weight / (RRF_K + rank + 1)
    exact = [t for t in q.figures + q.quoted if (len(t) >= 2 or t.isdigit()) and not _YEAR_ONLY.fullmatch(t)]
    for i in eligible:
        if exact and any(t in r.chunks[i].text for t in exact):
            scores[i] = scores.get(i, 0.0) + 1.0 / (RRF_K + 1)
        if q.position and r.at_position(r.chunks[i], q.position):
            scores[i] = scores.get(i, 0.0) + 1.0 / (RRF_K + 1)
    first, favour = r.outline_targets(q, doc_order)
    for c in favour:
        i = r.by_id[c.id]
        scores[i] = scores.get(i, 0.0) + 1.0 / (RRF_K + 1)
    ids = list(dict.fromkeys([c.id for c in first] + [r.chunks[i].id for i in sorted(scores, key=lambda i: -scores[i])]))
    return ids[: max(k, len(first))]


@pytest.fixture(scope="module")
def reference(assistant):
    assistant.retriever.bm25.activate()  # jieba cuts as it did when the session index was built
    return ReferenceBM25([c.text for c in assistant.retriever.chunks])


def test_scores_equal_rank_bm25_on_every_question(assistant, reference):
    r = assistant.retriever
    assert len(QUESTIONS) > 120
    for question, history in QUESTIONS:
        q = r.analyse(question, history)
        new, old = r.bm25.scores(q.tokens, q.weights), reference.scores(q.tokens, q.weights)
        np.testing.assert_allclose(new, old, rtol=1e-9, atol=1e-12, err_msg=question)
        want = sorted((i for i in range(len(old)) if old[i] > 0), key=lambda i: -old[i])
        assert ranked(new).tolist()[:10] == want[:10], question


def test_retrieval_top5_equals_the_rank_bm25_path(assistant, reference, monkeypatch):
    """Same top-5 chunks, in the same order, as the old retrieval on every dev/bench question."""
    r = assistant.retriever
    # both paths fuse the same dense candidates: embed (Query.vector) and search Chroma once per question
    dense, seen = r.index.dense_search_vector, {}

    def once(vector, n, where=None):
        key = (tuple(vector), n, repr(where))
        if key not in seen:
            seen[key] = dense(vector, n, where)
        return seen[key]

    monkeypatch.setattr(r.index, "dense_search_vector", once)
    for question, history in QUESTIONS:
        q = r.analyse(question, history)
        got = [h.chunk.id for h in r.search_query(q, 5)]
        assert got == _old_search(r, reference, q, 5), question
    doc = next(iter(r.doc_range))
    q = r.analyse("老旧小区改造涉及多少户？")
    assert [h.chunk.id for h in r.search_query(q, 5, [doc])] == _old_search(r, reference, q, 5, [doc])
    assert r.search_query(q, 5, ["no-such-document"]) == []


def test_may_contain_is_a_superset(assistant):
    r = assistant.retriever
    for term in ["老旧小区", "六控", "51397", "228", "2021", "大气污染防治", "不存在的词语组合"]:
        found = r.bm25.may_contain(term)
        truth = [i for i, c in enumerate(r.chunks) if term in c.text]
        assert found is not None and set(truth) <= set(found.tolist()), term
    assert r.bm25.may_contain("gdp") is None  # cannot tell: every chunk is tested


def test_lexical_index_is_persisted_in_the_build(assistant, settings, monkeypatch):
    from assistant.index import open_index

    index = assistant.index
    entry = index.manifest["lexical"]
    assert entry["engine"] == "bm25s" and entry["version"] == LEXICAL_VERSION and entry["texts"] == len(index.chunks)
    folder = index.path / entry["path"]
    assert {"data.csc.index.npy", "vocab.index.json", "lexical.json"} <= set(entry["files"])
    for name, size in entry["files"].items():
        assert (folder / name).stat().st_size == size
    # opening the build loads the index: no chunk is tokenized again
    monkeypatch.setattr(BM25Index, "_build", lambda self, texts, tokens=None: pytest.fail("re-tokenized the chunks"))
    other = open_index(settings)
    try:
        lex = other.lexical()
        q = analyse("大气污染防治要抓哪些重点？", [], None)
        np.testing.assert_array_equal(lex.scores(q.tokens, q.weights), assistant.retriever.bm25.scores(q.tokens, q.weights))
        assert lex.idf.get("§老旧") == assistant.retriever.bm25.idf.get("§老旧")
    finally:
        other.close()


def test_damaged_or_old_lexical_index(tmp_path):
    """A truncated file is rebuilt from the chunks; a build without one is stale and rebuilt
    once, reusing every embedding."""
    from assistant.config import Settings
    from assistant.index import build_index, index_status, open_index

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(DOCS / "speech-2022-district-cadre-conference.txt", docs)
    s = Settings(docs_dir=docs, index_dir=tmp_path / "index", llm="none")
    first = build_index(s, progress=False)
    index = open_index(s)
    ids = [c.id for c in index.chunks]
    good = index.lexical().scores(tokenize("老旧小区", query=True))
    data = index.path / "lexical" / "data.csc.index.npy"
    index.close()
    data.write_bytes(data.read_bytes()[:100])
    index = open_index(s)
    np.testing.assert_array_equal(index.lexical().scores(tokenize("老旧小区", query=True)), good)
    manifest_path = index.path / "manifest.json"
    index.close()
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["lexical"]  # a build made before the lexical index was persisted
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    assert index_status(s) == "stale"
    again = build_index(s, progress=False)
    assert again.changed and again.added == 0 and again.reused == first.total
    index = open_index(s)
    assert [c.id for c in index.chunks] == ids and index.manifest["lexical"]["texts"] == len(ids)
    index.close()


def test_chunk_order_mismatch_is_detected(assistant, tmp_path):
    from assistant.lexical import LexicalMismatch

    ids = [c.id for c in assistant.index.chunks]
    lex = BM25Index([c.text for c in assistant.index.chunks], ids=ids)
    lex.save(tmp_path / "lex")
    assert BM25Index.load(tmp_path / "lex", ids).n == len(ids)
    with pytest.raises(LexicalMismatch):
        BM25Index.load(tmp_path / "lex", list(reversed(ids)))
    empty = BM25Index([], ids=[])
    empty.save(tmp_path / "empty")
    assert BM25Index.load(tmp_path / "empty", []).scores(["老旧"]).tolist() == []


def test_an_index_teaches_jieba_only_its_own_terms():
    """Opening or building another index replaces the terms the last one taught jieba."""
    import jieba

    from assistant.lexical import _cut, use_words

    jieba.dt.check_initialized()
    text = "推进霞光绿廊工程"
    use_words([])
    plain, total, freq = list(_cut(text)), jieba.dt.total, jieba.dt.FREQ.get("工程")
    use_words(["霞光绿廊", "工程"])
    assert "霞光绿廊" in _cut(text) and jieba.dt.FREQ["工程"] == 2000
    use_words(["霞光绿廊", "工程"])  # unchanged: nothing to do
    use_words([])
    assert list(_cut(text)) == plain and jieba.dt.total == total and jieba.dt.FREQ.get("工程") == freq
