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

from nlp.features import FeatureConfig, idf_table, vectorize
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


def design_matrix(docs: Sequence[Doc], idf: dict[str, float]) -> sparse.csr_matrix:
    """Rows of sublinear, L2-normalised TF-IDF over the sorted vocabulary of ``idf``."""
    column = {name: i for i, name in enumerate(sorted(idf))}
    indptr, indices, values = [0], [], []
    for doc in docs:
        for name, value in sorted(vectorize(doc, idf).items()):
            indices.append(column[name])
            values.append(value)
        indptr.append(len(indices))
    shape = (len(docs), len(column))
    return sparse.csr_matrix((np.array(values), np.array(indices, dtype=np.int64), indptr), shape)


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
    idf = idf_table(docs, config.min_docs)
    x = design_matrix(docs, idf)
    onehot = np.zeros((len(docs), n_classes))
    onehot[np.arange(len(docs)), np.asarray(ys, dtype=np.int64)] = 1.0
    v = x.shape[1]
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
    return Fitted(tuple(sorted(idf)), matrix, idf, bias)


def folds_of(n: int, k: int, seed: int) -> list[int]:
    """Assign each of ``n`` examples to one of ``k`` folds, reproducibly."""
    order = list(range(n))
    random.Random(seed).shuffle(order)  # noqa: S311 - reproducible folds, not security
    assignment = [0] * n
    for position, index in enumerate(order):
        assignment[index] = position % k
    return assignment


def out_of_fold_logits(
    docs: Sequence[Doc], ys: Sequence[int], n_classes: int, config: TrainConfig
) -> list[list[float]]:
    """Logits of every example from a model that did not see it (k-fold)."""
    fold_ids = folds_of(len(docs), config.folds, config.seed)
    result: list[list[float]] = [[] for _ in docs]
    for fold in range(config.folds):
        train = [i for i, f in enumerate(fold_ids) if f != fold]
        held = [i for i, f in enumerate(fold_ids) if f == fold]
        fitted = fit([docs[i] for i in train], [ys[i] for i in train], n_classes, config)
        scores = design_matrix([docs[i] for i in held], fitted.idf) @ fitted.matrix
        scores = np.asarray(scores) + np.asarray(fitted.bias)
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
    docs: Sequence[Doc],
    labels: Sequence[str],
    classes: Sequence[str],
    temperature: float,
    config: TrainConfig,
    features: FeatureConfig,
    version: str,
) -> LinearModel:
    """Fit on all examples and wrap the result with its temperature and version."""
    index = {c: i for i, c in enumerate(classes)}
    fitted = fit(docs, [index[label] for label in labels], len(classes), config)
    return fitted.model(classes, temperature=temperature, config=features, version=version)
