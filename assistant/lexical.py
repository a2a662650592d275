"""Chinese word tokens (jieba) and a BM25 index over chunks.

Tokens are jieba's search-mode words plus character bigrams of every CJK run, so
a question word that jieba segments differently from the source ("老龄化率" vs
"老龄化"+"率") still matches.  Figures are kept whole ("51397", "23.6").  Quoted
terms found in the documents (“六控”, “四大结构调整”) are added to jieba's
dictionary so they stay one token.
"""
from __future__ import annotations

import logging
import math
import re
from collections import Counter
from functools import lru_cache

import jieba
from rank_bm25 import BM25Okapi

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
    本区 我区 本地 本地人 辖区 开头 开篇 开场 结尾 末尾 收尾""".split()  # the district itself: every passage is about it (and names are masked **)
)


@lru_cache(maxsize=4096)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(jieba.lcut_for_search(text))


def add_user_words(texts: list[str]) -> None:
    """Teach jieba the quoted terms of the documents."""
    for text in texts:
        for m in _QUOTED.finditer(text):
            term = m.group(1)
            if _CJK.fullmatch(term):
                jieba.add_word(term, freq=2000)
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


class BM25Index:
    """BM25 over a fixed list of texts; `scores(query)` gives one score per text."""

    def __init__(self, texts: list[str]):
        add_user_words(texts)
        self.docs = [tokenize(t) for t in texts]
        self.bm25 = BM25Okapi(self.docs) if texts else None
        df = Counter(tok for d in self.docs for tok in set(d))
        n = max(len(self.docs), 1)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}

    def scores(self, query_tokens: list[str], weights: dict[str, float] | None = None) -> list[float]:
        """BM25 score of every text; `weights` scales the contribution of individual query tokens."""
        if self.bm25 is None or not query_tokens:
            return [0.0] * len(self.docs)
        if not weights:
            return list(self.bm25.get_scores(query_tokens))
        total = [0.0] * len(self.docs)
        for tok, w in Counter(query_tokens).items():
            s = self.bm25.get_scores([tok])
            f = w * weights.get(tok, 1.0)
            for i, v in enumerate(s):
                total[i] += f * v
        return total
