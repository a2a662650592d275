"""Which sentence answers a question, and whether any does: general features, one small fitted model.

Every candidate sentence (a sentence, or its best clause window, of a retrieved chunk) is
described by features that say nothing about any one document:

* lexical coverage of the question's topic words, with and without the headings above
  the sentence, and of all its content words (idf-weighted, see :func:`answer.coverage`);
* the dense similarity of the sentence's chunk to the question, and its dense and
  lexical ranks;
* answer-type match: a figure asked for and stated, a figure that counts what was asked
  (:func:`answer.counts_asked`), a list asked for and enumerated, a quoted term found;
* shape: a bare heading, the sentence length, an English question.

A logistic regression combines them (fitted by ``bench/fit_selector.py`` on the dev sets
of several documents and checked on documents it never saw; the coefficients ship as
``selector.json``).  The sentence with the highest probability answers; the question
is answerable when that probability reaches the fitted threshold.
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


@dataclass
class Selector:
    """Logistic regression over :data:`FEATURES` with a standardisation and an answerability threshold."""

    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    threshold: float
    fitted_on: list[str]

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept
        for name, m, s, c in zip(FEATURES, self.mean, self.scale, self.coef):
            z += c * (features.get(name, 0.0) - m) / (s or 1.0)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict:
        return {"features": list(FEATURES), "mean": self.mean, "scale": self.scale, "coef": self.coef,
                "intercept": self.intercept, "threshold": self.threshold, "fitted_on": self.fitted_on}


@lru_cache(maxsize=1)
def load_selector(path: str | None = None) -> Selector | None:
    """The shipped model (None when it has not been fitted yet: the hand score decides)."""
    p = Path(path) if path else MODEL_FILE
    if not p.is_file():
        return None
    d = json.loads(p.read_text(encoding="utf-8"))
    if list(d.get("features", [])) != list(FEATURES):
        return None  # fitted on another feature set: refit with bench/fit_selector.py
    return Selector(d["mean"], d["scale"], d["coef"], d["intercept"], d["threshold"], d.get("fitted_on", []))


def fit(rows: list[dict[str, float]], labels: list[int], questions: list[tuple[list[int], bool]],
        fitted_on: list[str]) -> Selector:
    """Fit the model on candidate rows (label 1: the sentence overlaps a gold quote) and choose the
    threshold that best separates answerable questions (their best candidate) from unanswerable
    ones.  `questions` gives, per question, the indices of its rows and whether it is answerable."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = np.array([[r.get(f, 0.0) for f in FEATURES] for r in rows], dtype=float)
    y = np.array(labels)
    scaler = StandardScaler().fit(x)
    lr = LogisticRegression(C=0.5, class_weight="balanced", max_iter=2000).fit(scaler.transform(x), y)
    sel = Selector([float(v) for v in scaler.mean_], [float(v) for v in scaler.scale_],
                   [float(v) for v in lr.coef_[0]], float(lr.intercept_[0]), 0.5, fitted_on)
    best = [(max(sel.probability(rows[i]) for i in idx) if idx else 0.0, answerable) for idx, answerable in questions]
    candidates = sorted({round(p, 3) for p, _ in best})
    n_ans = sum(a for _p, a in best) or 1
    n_un = sum(not a for _p, a in best) or 1
    scored = []
    for t in candidates:
        # balanced: answering what the sources say counts as much as abstaining on what they do not
        answered = sum(p >= t for p, a in best if a) / n_ans
        abstained = sum(p < t for p, a in best if not a) / n_un
        scored.append((round(answered + abstained, 4), -abs(t - 0.5), t))
    if scored:
        sel.threshold = max(scored)[2]
    return sel


def save(selector: Selector, path: Path = MODEL_FILE) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(selector.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    load_selector.cache_clear()
