"""Deterministic training of the linear heads: L2 logistic regression by L-BFGS + temperature.

The whole training set is one sparse TF-IDF matrix (scipy CSR); the softmax
cross-entropy and its gradient are two sparse-dense products, and L-BFGS
reaches the optimum in a few hundred of them: seconds where the former
per-example SGD in Python loops took minutes.  There is nothing random in the
optimiser (the start is zero, the data order is sorted), the sparse products
run on one thread, so the same corpus gives the same weights byte for byte.
The folds of the cross-validation come from a seeded ``random.Random``.
The softmax temperature is fitted on the out-of-fold logits of that
cross-validation, which also yields the cross-validated metrics of the manifest.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy import optimize, sparse
from threadpoolctl import threadpool_limits

from nlp.features import FeatureConfig
from nlp.model import LinearModel

Doc = Sequence[str]  # extracted feature names
Array = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class TrainConfig:
    """Hyper-parameters; part of the model version hash."""

    l2: float = 3e-6  # on the mean loss; chosen by cross-validation on the corpus
    max_iter: int = 300
    min_docs: int = 2  # a feature seen in fewer training documents is dropped
    folds: int = 5
    seed: int = 2025

    def as_dict(self) -> dict[str, float]:
        return {
            "learner": "lbfgs",  # type: ignore[dict-item]
            "l2": self.l2,
            "max_iter": self.max_iter,
            "min_docs": self.min_docs,
            "folds": self.folds,
            "seed": self.seed,
        }


@dataclass(frozen=True, slots=True)
class Fitted:
    """What one training run produces: a weight row per feature name, biases, IDF."""

    names: tuple[str, ...]
    matrix: Array = field(repr=False)
    idf: dict[str, float]
    bias: tuple[float, ...]

    def model(self, classes: Sequence[str], **settings: object) -> LinearModel:
        """Wrap as a servable model."""
        index = {name: i for i, name in enumerate(self.names)}
        return LinearModel(tuple(classes), index, self.matrix, self.idf, self.bias, **settings)  # type: ignore[arg-type]

    def scores(self, counts: Counts) -> Array:
        """Logits of counted documents (their columns include every feature of this fit)."""
        columns = np.searchsorted(np.array(counts.names), np.array(self.names))
        idf = np.array([self.idf[name] for name in self.names])
        return np.asarray(tfidf(counts.matrix[:, columns], idf) @ self.matrix) + np.array(self.bias)


@dataclass(frozen=True, slots=True)
class Counts:
    """How often each feature occurs in each document, over all the documents' features.

    Built once per head: every fold's TF-IDF is a slice of it, so the documents are read
    once and the weighting is array arithmetic rather than a Python loop per fold.
    """

    names: tuple[str, ...]  # sorted; column j counts names[j]
    matrix: sparse.csr_matrix

    @classmethod
    def of(cls, docs: Sequence[Doc]) -> Counts:
        names = tuple(sorted({name for doc in docs for name in doc}))
        column = {name: j for j, name in enumerate(names)}
        indptr, indices = [0], list[int]()
        for doc in docs:
            indices.extend(column[name] for name in doc)
            indptr.append(len(indices))
        ones = np.ones(len(indices))
        shape = (len(docs), len(names))
        matrix = sparse.csr_matrix((ones, np.array(indices, dtype=np.int64), indptr), shape)
        matrix.sum_duplicates()  # one entry per (document, feature): its count, columns sorted
        return cls(names, matrix)

    def rows(self, chosen: Sequence[int]) -> Counts:
        return Counts(self.names, self.matrix[np.asarray(chosen, dtype=np.int64)])


def tfidf(counts: sparse.csr_matrix, idf: Array) -> sparse.csr_matrix:
    """Sublinear TF-IDF rows, L2-normalised: what ``features.vectorize`` gives one document."""
    x = counts.astype(np.float64)
    x.data = (1.0 + np.log(x.data)) * idf[x.indices]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sparse.csr_matrix(sparse.diags(scale) @ x)


def _objective(x: sparse.csr_matrix, xt: sparse.csr_matrix, onehot: Array, l2: float) -> object:
    """Mean softmax cross-entropy + L2 on the weights (not the biases), with its gradient."""
    n, k = onehot.shape
    v = x.shape[1]

    def f(theta: Array) -> tuple[float, Array]:
        w = theta[: v * k].reshape(v, k)
        b = theta[v * k :]
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        exp = np.exp(z)
        total = exp.sum(axis=1, keepdims=True)
        loss = float(np.log(total).sum() - (z * onehot).sum()) / n + 0.5 * l2 * float(
            np.dot(theta[: v * k], theta[: v * k])
        )
        delta = (exp / total - onehot) / n
        grad_w = xt @ delta + l2 * w
        return loss, np.concatenate([np.asarray(grad_w).ravel(), delta.sum(axis=0)])

    return f


def fit(docs: Sequence[Doc], ys: Sequence[int], n_classes: int, config: TrainConfig) -> Fitted:
    """Fit weights and biases minimising the regularised cross-entropy (L-BFGS)."""
    return fit_counts(Counts.of(docs), ys, n_classes, config)


def fit_counts(counts: Counts, ys: Sequence[int], n_classes: int, config: TrainConfig) -> Fitted:
    """``fit`` on documents already counted; features in fewer than ``min_docs`` are dropped.

    BLAS runs on one thread: L-BFGS's vector updates are too small to gain from more (two
    threads took three times the CPU for a slower run), and one thread sums in the same
    order on every machine.
    """
    n = counts.matrix.shape[0]
    frequency = np.bincount(counts.matrix.indices, minlength=len(counts.names))
    kept = np.flatnonzero(frequency >= config.min_docs)
    idf = np.log((1 + n) / (1 + frequency[kept])) + 1.0
    x = tfidf(counts.matrix[:, kept], idf)
    onehot = np.zeros((n, n_classes))
    onehot[np.arange(n), np.asarray(ys, dtype=np.int64)] = 1.0
    v = x.shape[1]
    with threadpool_limits(limits=1, user_api="blas"):
        result = optimize.minimize(
            _objective(x, x.T.tocsr(), onehot, config.l2),
            np.zeros(v * n_classes + n_classes),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": config.max_iter, "gtol": 1e-6},
        )
    theta = np.asarray(result.x, dtype=np.float64)
    matrix = theta[: v * n_classes].reshape(v, n_classes)
    bias = tuple(float(b) for b in theta[v * n_classes :])
    names = tuple(counts.names[j] for j in kept)
    return Fitted(names, matrix, dict(zip(names, idf.tolist(), strict=True)), bias)


def folds_of(n: int, k: int, seed: int) -> list[int]:
    """Assign each of ``n`` examples to one of ``k`` folds, reproducibly."""
    order = list(range(n))
    random.Random(seed).shuffle(order)  # noqa: S311 - reproducible folds, not security
    assignment = [0] * n
    for position, index in enumerate(order):
        assignment[index] = position % k
    return assignment


def out_of_fold_logits(
    counts: Counts, ys: Sequence[int], n_classes: int, config: TrainConfig
) -> list[list[float]]:
    """Logits of every example from a model that did not see it (k-fold)."""
    fold_ids = folds_of(len(ys), config.folds, config.seed)
    result: list[list[float]] = [[] for _ in ys]
    for fold in range(config.folds):
        train = [i for i, f in enumerate(fold_ids) if f != fold]
        held = [i for i, f in enumerate(fold_ids) if f == fold]
        fitted = fit_counts(counts.rows(train), [ys[i] for i in train], n_classes, config)
        scores = fitted.scores(counts.rows(held))
        for i, row in zip(held, scores.tolist(), strict=True):
            result[i] = row
    return result


def log_likelihood(logits: Array, ys: npt.NDArray[np.int64], temperature: float) -> float:
    """Mean log-probability of the true class under ``softmax(logits / temperature)``."""
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(z).sum(axis=1))
    return float((z[np.arange(len(ys)), ys] - lse).mean())


def fit_temperature(logits: Sequence[Sequence[float]], ys: Sequence[int]) -> float:
    """Temperature minimising the negative log-likelihood (golden-section search)."""
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(ys, dtype=np.int64)
    low, high = 0.05, 10.0
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(60):
        a = high - ratio * (high - low)
        b = low + ratio * (high - low)
        if log_likelihood(z, y, a) > log_likelihood(z, y, b):
            high = b
        else:
            low = a
    return round((low + high) / 2, 4)


def build_model(
    counts: Counts,
    labels: Sequence[str],
    classes: Sequence[str],
    temperature: float,
    config: TrainConfig,
    features: FeatureConfig,
    version: str,
) -> LinearModel:
    """Fit on all examples and wrap the result with its temperature and version."""
    index = {c: i for i, c in enumerate(classes)}
    fitted = fit_counts(counts, [index[label] for label in labels], len(classes), config)
    return fitted.model(classes, temperature=temperature, config=features, version=version)
