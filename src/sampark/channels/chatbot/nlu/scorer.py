"""The fitted pipeline's arithmetic for one message, without scikit-learn's per-call overhead.

`pipeline.predict_proba([text])` spends most of its ~5 ms validating inputs and building sparse
matrices for 1 row, then running 5 calibrated SVMs one after another. `LinearScorer` reads the
fitted pieces once (vocabularies, idf weights, the 5 SVMs' coefficients stacked into one matrix,
the sigmoid calibrators) and does the same sums with a few numpy operations on the message's own
n-grams: TF-IDF with sublinear tf and L2 norm per vectorizer, one matrix product for all SVMs,
sigmoid per class, normalise per SVM, average. The model checks it against predict_proba on
probe texts when it is built and falls back to the pipeline if they ever disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline


class UnsupportedPipeline(ValueError):
    """The pipeline is not TF-IDF features + sigmoid-calibrated linear models."""


class LinearScorer:
    def __init__(self, pipeline: Pipeline) -> None:
        features = pipeline.named_steps["features"]
        classifier = pipeline.named_steps["classifier"]
        if not isinstance(classifier, CalibratedClassifierCV) or classifier.method != "sigmoid":
            raise UnsupportedPipeline("the classifier is not sigmoid-calibrated")
        classes = list(classifier.classes_)
        members = classifier.calibrated_classifiers_
        coefficients, intercepts, slopes, offsets = [], [], [], []
        for member in members:
            estimator = member.estimator
            if list(estimator.classes_) != classes or not hasattr(estimator, "coef_"):
                raise UnsupportedPipeline("a calibrated member is not linear over every class")
            coefficients.append(np.asarray(estimator.coef_, dtype=np.float64))
            intercepts.append(np.asarray(estimator.intercept_, dtype=np.float64))
            slopes.append([float(calibrator.a_) for calibrator in member.calibrators])
            offsets.append([float(calibrator.b_) for calibrator in member.calibrators])
        stacked = np.vstack(coefficients)  # (members * classes, features)
        weights = features.transformer_weights or {}
        self._vectorizers: list[tuple[Callable[[str], list[str]], dict[str, int], Any, Any]] = []
        start = 0
        for name, vectorizer in features.transformer_list:
            if not (
                isinstance(vectorizer, TfidfVectorizer)
                and vectorizer.norm == "l2"
                and vectorizer.use_idf
                and vectorizer.sublinear_tf
                and not vectorizer.binary
            ):
                raise UnsupportedPipeline(f"{name} is not a sublinear, l2-normed TF-IDF")
            size = len(vectorizer.vocabulary_)
            block = np.ascontiguousarray(stacked[:, start : start + size].T)  # (terms, scores)
            block *= weights.get(name, 1.0)
            idf = np.asarray(vectorizer.idf_, dtype=np.float64)
            self._vectorizers.append(
                (vectorizer.build_analyzer(), vectorizer.vocabulary_, idf, block)
            )
            start += size
        if start != stacked.shape[1]:
            raise UnsupportedPipeline("feature count mismatch")
        self._intercept = np.concatenate(intercepts)
        self._slope = np.asarray(slopes, dtype=np.float64).ravel()
        self._offset = np.asarray(offsets, dtype=np.float64).ravel()
        self._shape = (len(members), len(classes))

    def probabilities(self, text: str) -> np.ndarray:
        """Class probabilities of one text, as pipeline.predict_proba([text])[0]."""
        scores = self._intercept.copy()
        for analyze, vocabulary, idf, block in self._vectorizers:
            counts = Counter(
                column for term in analyze(text) if (column := vocabulary.get(term)) is not None
            )
            if not counts:
                continue
            columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            values = np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
            values += 1.0
            values *= idf[columns]
            values /= np.sqrt(values @ values)
            scores += values @ block[columns]
        members, classes = self._shape
        probabilities = expit(-(self._slope * scores + self._offset)).reshape(members, classes)
        totals = probabilities.sum(axis=1, keepdims=True)
        uniform = np.full_like(probabilities, 1.0 / classes)
        probabilities = np.divide(probabilities, totals, out=uniform, where=totals != 0)
        return np.asarray(probabilities.mean(axis=0))
