"""Which sentence answers a question, and whether any does: general features, two small fitted models.

Every candidate sentence (a sentence, or its best clause window, of a retrieved chunk) is
described by features that say nothing about any one document:

* lexical coverage of the question's topic words, with and without the headings above
  the sentence, and of all its content words (idf-weighted, see :func:`answer.coverage`);
* the dense similarity of the sentence's chunk to the question, and its dense and
  lexical ranks;
* answer-type match: a figure asked for and stated, a figure that counts what was asked
  (:func:`answer.counts_asked`), a list asked for and enumerated, a quoted term found;
* shape: a bare heading, the sentence length, an English question.

(The share of the question's concepts the documents name is the same for every candidate of a
question; in the sentence model its fitted weight is negative — it shifts all of them up for a
question about unknown things — so :mod:`assistant.answer` does not answer a Chinese question
none of whose concepts the documents name, whatever the models say.  Without the feature the
held-out sets fared worse: see docs/DESIGN.md, 第十轮.)

A logistic regression over them gives each sentence the probability that it answers
(:data:`FEATURES`).  A second one decides, per question, whether the documents answer
it at all (:data:`QUESTION_FEATURES`: the best sentence's probability, the hand-written
coverage rule, the share of the question's concepts the documents name, the best
coverage and dense similarity).  Both are fitted by ``bench/fit_selector.py`` on the
dev sets of several documents and checked on documents they never saw; the
coefficients ship as ``selector.json``.  The hard figure guards of :mod:`assistant.answer`
apply whatever the models say.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_FILE = Path(__file__).resolve().parent / "selector.json"

FEATURES = (
    "coverage", "coverage_sentence", "coverage_all", "history", "dense_sim", "dense_rank", "lexical_rank",
    "rank", "figure_stated", "figure_missing", "counts_asked", "list_enumerated", "exact_term", "heading",
    "length", "english", "semantic", "known_concepts", "hand_score",
)
QUESTION_FEATURES = ("best_prob", "hand_ok", "known_concepts", "best_coverage", "best_dense_zh", "best_dense_en",
                     "english", "wants_figure", "followup")


def dense_by_language(best_dense: float, lang: str) -> dict[str, float]:
    """The best dense similarity as one feature per language (cross-lingual cosines are lower)."""
    return {"best_dense_zh": best_dense if lang != "en" else 0.0, "best_dense_en": best_dense if lang == "en" else 0.0}


@dataclass
class Linear:
    """A standardised logistic regression: ``sigmoid(intercept + coef · (x - mean) / scale)``."""

    names: tuple[str, ...]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept
        for name, m, s, c in zip(self.names, self.mean, self.scale, self.coef):
            z += c * (features.get(name, 0.0) - m) / (s or 1.0)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict:
        return {"features": list(self.names), "mean": self.mean, "scale": self.scale, "coef": self.coef,
                "intercept": self.intercept}

    @classmethod
    def from_dict(cls, d: dict) -> "Linear":
        return cls(tuple(d["features"]), d["mean"], d["scale"], d["coef"], d["intercept"])


@dataclass
class Selector:
    """The sentence model and the answerability model."""

    sentence: Linear
    question: Linear
    fitted_on: list[str]

    def probability(self, features: dict[str, float]) -> float:
        """Probability that a candidate sentence answers its question."""
        return self.sentence.probability(features)

    def answerable(self, features: dict[str, float]) -> bool:
        """Do the documents answer the question (question-level features)?"""
        return self.question.probability(features) >= 0.5

    def to_dict(self) -> dict:
        return {"sentence": self.sentence.to_dict(), "question": self.question.to_dict(), "fitted_on": self.fitted_on}


@lru_cache(maxsize=1)
def load_selector(path: str | None = None) -> Selector | None:
    """The shipped models (None when not fitted, or fitted on other features: the hand rules decide)."""
    p = Path(path) if path else MODEL_FILE
    if not p.is_file():
        return None
    d = json.loads(p.read_text(encoding="utf-8"))
    try:
        sel = Selector(Linear.from_dict(d["sentence"]), Linear.from_dict(d["question"]), d.get("fitted_on", []))
    except (KeyError, TypeError):
        return None
    if sel.sentence.names != FEATURES or sel.question.names != QUESTION_FEATURES:
        return None  # refit with bench/fit_selector.py
    return sel


def _fit_linear(names, rows: list[dict[str, float]], labels: list[int], c: float) -> Linear:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = np.array([[r.get(f, 0.0) for f in names] for r in rows], dtype=float)
    scaler = StandardScaler().fit(x)
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(scaler.transform(x), np.array(labels))
    return Linear(tuple(names), [float(v) for v in scaler.mean_], [float(v) for v in scaler.scale_],
                  [float(v) for v in lr.coef_[0]], float(lr.intercept_[0]))


def fit(rows: list[dict[str, float]], labels: list[int], question_rows: list[dict[str, float]],
        question_labels: list[int], fitted_on: list[str],
        best_of: list[list[int]]) -> Selector:
    """Fit both models.  `rows`/`labels`: candidate features, 1 when the sentence overlaps a gold
    quote; `question_rows`/`question_labels`: per question, its features (``best_prob`` is filled
    in here from the fitted sentence model over the question's candidates `best_of[i]`) and 1 when
    it is answerable."""
    sentence = _fit_linear(FEATURES, rows, labels, 0.5)
    for qr, idx in zip(question_rows, best_of):
        qr["best_prob"] = max((sentence.probability(rows[i]) for i in idx), default=0.0)
    question = _fit_linear(QUESTION_FEATURES, question_rows, question_labels, 1.0)
    return Selector(sentence, question, fitted_on)


def save(selector: Selector, path: Path = MODEL_FILE) -> None:
    """Write the models atomically (aside, then swap)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(selector.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    load_selector.cache_clear()
