"""Chinese word tokens (jieba) and a BM25 index over chunks.

Tokens are jieba's search-mode words plus character bigrams of every CJK run, so
a question word that jieba segments differently from the source ("老龄化率" vs
"老龄化"+"率") still matches.  Figures are kept whole ("51397", "23.6").  Quoted
terms found in the documents (“六控”, “四大结构调整”) are added to jieba's
dictionary so they stay one token.

Scoring runs on ``bm25s`` (a sparse score matrix, built once per index build and saved
with it); the scores are those of rank_bm25's Okapi BM25, which the project used before
(see :class:`BM25Index`; docs/DESIGN.md, section on bm25s, has the measurements).
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import jieba
import numpy as np

jieba.setLogLevel(logging.WARNING)


_CJK = re.compile(r"[\u4e00-\u9fff]+")
_NUM = re.compile(r"\d+(?:\.\d+)?")
_QUOTED = re.compile(r"[“《「]([^”》」]{2,12})[”》」]")
_PUNCT = re.compile(r"^[\W_]+$")

# Words that carry no topic in a question about the speech.
QUESTION_STOPWORDS = set(
    """讲话 讲 说 提出 提到 指出 强调 要求 认为 主要 什么 哪些 哪个 哪几 哪 几个 几 多少 怎么 怎样 如何 为什么 为何
    是 的 了 吗 呢 么 呀 要 有 在 和 与 及 对 把 被 将 这 那 其 其中 请 问 我 你 我们 告诉 一下 方面 内容 具体
    是否 有没有 关于 用 什么样 形容 里 中 上 下 又 还 就 都 也 该 这个 那个 之 以
    哪一年 哪年 哪一天 哪天 何时 几时 哪里 哪儿 哪一级 哪级 谁 多久 多长 多长时间
    本区 我区 本地 本地人 辖区 开头 开篇 开场 结尾 末尾 收尾""".split()  # the district itself: every passage is about it (and names are masked **)
)


@lru_cache(maxsize=4096)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(jieba.lcut_for_search(text))


def add_user_words(texts: list[str]) -> list[str]:
    """Teach jieba the quoted terms of the documents (and only these); returns them in first-seen order."""
    words = list(dict.fromkeys(m.group(1) for text in texts for m in _QUOTED.finditer(text)
                               if _CJK.fullmatch(m.group(1))))
    use_words(words)
    return words


# jieba's dictionary is one per process.  The words an index taught it are exactly that
# index's quoted terms: opening or building another index replaces them (their dictionary
# frequencies restored), so a document removed, or another index opened in the same
# process, leaves no trace in how text is cut.
USER_WORD_FREQ = 2000
_tokenizing = threading.Lock()
_taught: dict[str, int | None] = {}  # word -> its frequency before it was taught (None: not a word)
_base_total: list[float] = []


def use_words(words) -> None:
    """Make `words` the set of document terms jieba knows (idempotent, cheap when unchanged)."""
    want = dict.fromkeys(words)
    if want.keys() == _taught.keys():
        return
    jieba.dt.check_initialized()
    freq = jieba.dt.FREQ
    if not _base_total:
        _base_total.append(jieba.dt.total)
    for w in [w for w in _taught if w not in want]:
        before = _taught.pop(w)
        freq[w] = 0 if before is None else before  # 0: jieba's own del_word
    for w in want:
        if w not in _taught:
            _taught[w] = freq.get(w) or None
            jieba.add_word(w, freq=USER_WORD_FREQ)
    jieba.dt.total = _base_total[0] + USER_WORD_FREQ * len(_taught)
    _cut.cache_clear()


def tokenize(text: str, query: bool = False) -> list[str]:
    """Tokens for BM25: words, CJK bigrams and whole figures.

    Documents get every bigram of every CJK run; a query gets question stop words
    removed and only the bigrams inside its remaining words, so "户数是多少" does
    not turn into noise bigrams such as "数是".
    """
    text = text.lower()
    tokens = []
    words = []
    for w in _cut(text):
        w = w.strip()
        if not w or _PUNCT.match(w):
            continue
        if query and w in QUESTION_STOPWORDS:
            continue
        tokens.append(w)
        words.append(w)
    runs = _CJK.findall(text) if not query else [w for w in words if _CJK.fullmatch(w)]
    for run in runs:
        for i in range(len(run) - 1):
            tokens.append("§" + run[i : i + 2])
    tokens.extend(_NUM.findall(text))
    return tokens


LEXICAL_VERSION = 1  # bump when tokenize() or the scoring changes: persisted indexes are then rebuilt
K1, B, EPSILON = 1.5, 0.75, 0.25  # Okapi BM25 as rank_bm25's BM25Okapi had it (the rankings tuned on the dev sets)
FILES = ("data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy", "vocab.index.json",
         "params.index.json", "idf.npy", "okapi_idf.npy", "lexical.json")


class LexicalMismatch(ValueError):
    """A persisted lexical index that does not belong to these chunks (or this code)."""


def chunk_digest(ids: list[str]) -> str:
    """Identity of an ordered list of chunk ids (a persisted index is only valid for exactly these)."""
    return hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()


class _Idf(Mapping):
    """Read-only ``{token: idf}`` over the index's vocabulary, without building a dict of it."""

    def __init__(self, vocab: dict[str, int], values: np.ndarray):
        self._vocab = vocab
        self._values = values

    def __getitem__(self, token: str) -> float:
        tid = self._vocab[token]
        if tid >= len(self._values):
            raise KeyError(token)
        return float(self._values[tid])

    def get(self, token, default=None):
        tid = self._vocab.get(token)
        return default if tid is None or tid >= len(self._values) else float(self._values[tid])

    def __iter__(self):
        return (t for t, i in self._vocab.items() if i < len(self._values))

    def __len__(self) -> int:
        return len(self._values)

    def values(self):
        return self._values.tolist()


def _bm25s():
    """The bm25s module, its logger kept quiet (it sets itself to DEBUG on import)."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


class BM25Index:
    """Okapi BM25 over a fixed list of texts on a ``bm25s`` sparse score matrix.

    ``bm25s`` precomputes, for every (token, text) pair, the term's score in that text; a
    query is then the sum of a few matrix columns (microseconds to milliseconds at 46,000
    chunks, where rank_bm25 re-scored every text per token: ~200 ms).  The scores are
    rank_bm25's ``BM25Okapi`` (k1 1.5, b 0.75, negative idf floored at 0.25 × mean idf):
    the matrix stores ATIRE term frequency × Lucene idf (always positive) and each query
    token's weight carries the factor Okapi idf / Lucene idf.  ``idf`` is the Lucene idf,
    ``log(1 + (N - df + 0.5) / (df + 0.5))``, which the answerer and the outline use as a
    term-specificity weight.

    ``save``/``load`` persist it (inside each index build, see :mod:`assistant.index`), so
    opening a build does not re-tokenize every chunk.
    """

    def __init__(self, texts: list[str] | None = None, *, ids: list[str] | None = None,
                 tokens: list[list[str]] | None = None):
        self.n = 0
        self.user_words: list[str] = []
        self.digest = chunk_digest(ids) if ids is not None else ""
        self.vocab: dict[str, int] = {}
        self.data = np.zeros(0)
        self.indices = np.zeros(0, dtype=np.int32)
        self.indptr = np.zeros(1, dtype=np.int64)
        self._lucene = np.zeros(0)
        self._ratio = np.zeros(0)
        if texts:
            self._build(texts, tokens)
        self.idf = _Idf(self.vocab, self._lucene)

    # -- building ------------------------------------------------------------
    def _build(self, texts: list[str], tokens: list[list[str]] | None = None) -> None:
        bm25s = _bm25s()

        with _tokenizing:  # a question meanwhile does not switch jieba back to the old index's terms
            self.user_words = add_user_words(texts)
            docs = tokens if tokens is not None else [tokenize(t) for t in texts]
        self.n = len(docs)
        if not any(docs):
            return
        model = bm25s.BM25(k1=K1, b=B, method="atire", idf_method="lucene", dtype="float64", int_dtype="int32")
        model.index(docs, show_progress=False)
        self._adopt(model)

    def _adopt(self, model) -> None:
        self.model = model
        self.vocab = model.vocab_dict
        self.data = model.scores["data"]
        self.indices = model.scores["indices"]
        self.indptr = model.scores["indptr"]
        n_vocab = len(self.indptr) - 1
        df = np.diff(self.indptr).astype(np.float64)
        n = self.n
        self._lucene = np.array([math.log(1 + (n - c + 0.5) / (c + 0.5)) for c in df.tolist()], dtype=np.float64)
        okapi = np.array([math.log(n - c + 0.5) - math.log(c + 0.5) for c in df.tolist()], dtype=np.float64)
        if n_vocab:
            eps = EPSILON * (math.fsum(okapi.tolist()) / n_vocab)
            okapi[okapi < 0] = eps
        self._ratio = np.divide(okapi, self._lucene, out=np.zeros_like(okapi), where=self._lucene != 0)
        self.idf = _Idf(self.vocab, self._lucene)

    # -- persistence ----------------------------------------------------------
    def activate(self) -> None:
        """Make jieba cut text as it did when this index was built (its documents' terms).

        While another index is being tokenized (a document added in the page), the terms stay
        as they are: that build's terms are a superset of this one's in practice."""
        if _tokenizing.acquire(blocking=False):
            try:
                use_words(self.user_words)
            finally:
                _tokenizing.release()

    def save(self, folder: Path) -> dict:
        """Write the index into `folder` (created); returns its manifest entry."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        if getattr(self, "model", None) is not None:
            self.model.save(str(folder), show_progress=False)
        meta = {"version": LEXICAL_VERSION, "engine": "bm25s", "bm25s": _bm25s_version(), "texts": self.n,
                "chunks": self.digest, "user_words": self.user_words, "empty": getattr(self, "model", None) is None}
        (folder / "lexical.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        if not meta["empty"]:
            np.save(folder / "idf.npy", self._lucene)
        files = {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.is_file()}
        return {"engine": "bm25s", "bm25s": meta["bm25s"], "version": LEXICAL_VERSION, "path": folder.name,
                "texts": self.n, "chunks": self.digest, "files": files}

    @classmethod
    def load(cls, folder: Path, ids: list[str], entry: dict | None = None) -> BM25Index:
        """Open a saved index; raises LexicalMismatch when it is not the index of `ids` (then rebuild)."""
        folder = Path(folder)
        try:
            meta = json.loads((folder / "lexical.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LexicalMismatch(f"no lexical index in {folder}: {exc}") from exc
        if meta.get("version") != LEXICAL_VERSION or meta.get("texts") != len(ids) or meta.get("chunks") != chunk_digest(ids):
            raise LexicalMismatch("lexical index is for other chunks or an older tokenizer")
        if entry is not None:
            for name, size in (entry.get("files") or {}).items():
                p = folder / name
                if not p.is_file() or p.stat().st_size != size:
                    raise LexicalMismatch(f"lexical index file {name} missing or truncated")
        self = cls()
        self.n = len(ids)
        self.digest = meta["chunks"]
        self.user_words = list(meta.get("user_words", []))
        use_words(self.user_words)
        if meta.get("empty"):
            return self
        bm25s = _bm25s()

        try:
            model = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        except Exception as exc:  # damaged files: the caller rebuilds
            raise LexicalMismatch(f"lexical index unreadable: {exc}") from exc
        model.scores["num_docs"] = self.n
        self._adopt(model)
        return self

    # -- scoring --------------------------------------------------------------
    def scores(self, query_tokens: list[str], weights: dict[str, float] | None = None) -> np.ndarray:
        """BM25 score of every text; `weights` scales the contribution of individual query tokens."""
        out = np.zeros(self.n)
        if not self.vocab or not query_tokens:
            return out
        n_vocab = len(self._ratio)
        for tok, count in Counter(query_tokens).items():
            tid = self.vocab.get(tok)
            if tid is None or tid >= n_vocab:
                continue
            f = count * (weights.get(tok, 1.0) if weights else 1.0) * self._ratio[tid]
            lo, hi = self.indptr[tid], self.indptr[tid + 1]
            out[self.indices[lo:hi]] += f * self.data[lo:hi]
        return out

    def postings(self, token: str) -> np.ndarray:
        """Indices (ascending) of the texts that contain `token`."""
        tid = self.vocab.get(token)
        if tid is None or tid >= len(self.indptr) - 1:
            return np.zeros(0, dtype=np.int64)
        return np.asarray(self.indices[self.indptr[tid]:self.indptr[tid + 1]], dtype=np.int64)

    def may_contain(self, term: str) -> np.ndarray | None:
        """Indices of the texts that can contain `term` as a substring (a superset, from the
        postings of its CJK bigrams or of the figures it is part of), or None when the tokens
        cannot tell (then every text may)."""
        runs = [r for r in _CJK.findall(term) if len(r) >= 2]
        if runs:
            grams = sorted({"§" + r[i:i + 2] for r in runs for i in range(len(r) - 1)},
                           key=lambda g: len(self.postings(g)))
            found = self.postings(grams[0])
            for g in grams[1:]:
                if not len(found):
                    break
                found = np.intersect1d(found, self.postings(g), assume_unique=True)
            return found
        if term.isascii() and term.isdigit():
            numbers = [t for t in self._numbers() if term in t]
            if not numbers:
                return np.zeros(0, dtype=np.int64)
            return np.unique(np.concatenate([self.postings(t) for t in numbers]))
        return None

    def _numbers(self) -> list[str]:
        if not hasattr(self, "_number_tokens"):
            self._number_tokens = [t for t in self.vocab if t and t[0].isdigit() and _NUM.fullmatch(t)]
        return self._number_tokens


def ranked(scores: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Indices with a positive score, best first (ties: lower index first)."""
    pos = np.flatnonzero(scores > 0 if mask is None else (scores > 0) & mask)
    return pos[np.argsort(-scores[pos], kind="stable")]


def _bm25s_version() -> str:
    from importlib.metadata import version

    return version("bm25s")
