"""Deterministic training of the category model: SGD logistic regression + temperature.

Everything random (example order, fold assignment) comes from one seeded
``random.Random``, and examples are sorted before use, so the same corpus
always gives the same model file.  The softmax temperature is fitted on
out-of-fold predictions of a k-fold cross-validation, which also yields the
cross-validated metrics written to the manifest.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.features import FeatureConfig, idf_table, vectorize
from nlp.model import LinearModel, softmax

Doc = Sequence[str]  # extracted feature names


@dataclass(frozen=True, slots=True)
class TrainConfig:
    """Hyper-parameters; part of the model version hash."""

    epochs: int = 30
    learning_rate: float = 2.0
    l2: float = 1e-3
    min_docs: int = 2  # a feature seen in fewer training documents is dropped
    folds: int = 5
    seed: int = 2025

    def as_dict(self) -> dict[str, float]:
        return {
            "epochs": self.epochs,
            "learning_rate": self.learning_rate,
            "l2": self.l2,
            "min_docs": self.min_docs,
            "folds": self.folds,
            "seed": self.seed,
        }


@dataclass(frozen=True, slots=True)
class Fitted:
    """What one training run produces."""

    weights: dict[str, tuple[float, ...]]
    idf: dict[str, float]
    bias: tuple[float, ...]


def fit(docs: Sequence[Doc], ys: Sequence[int], n_classes: int, config: TrainConfig) -> Fitted:
    """Fit weights and biases by SGD on the softmax cross-entropy, L2 on touched rows."""
    idf = idf_table(docs, config.min_docs)
    rows: dict[str, list[float]] = {name: [0.0] * n_classes for name in idf}
    bias = [0.0] * n_classes
    vectors = [sorted(vectorize(doc, idf).items()) for doc in docs]
    prepared = [[(rows[name], value) for name, value in vec] for vec in vectors]
    rng = random.Random(config.seed)  # noqa: S311 - reproducible order, not security
    order = list(range(len(prepared)))
    step = 0
    for _ in range(config.epochs):
        rng.shuffle(order)
        for i in order:
            step += 1
            rate = config.learning_rate / (1.0 + step / max(len(prepared), 1))
            _sgd_step(prepared[i], ys[i], bias, rate, config.l2)
    weights = {name: tuple(row) for name, row in rows.items()}
    return Fitted(weights, idf, tuple(bias))


def _sgd_step(
    doc: list[tuple[list[float], float]], label: int, bias: list[float], rate: float, l2: float
) -> None:
    scores = list(bias)
    n = len(scores)
    for row, value in doc:
        for k in range(n):
            scores[k] += row[k] * value
    grad = softmax(scores)
    grad[label] -= 1.0
    for k in range(n):
        bias[k] -= rate * grad[k]
    decay = 1.0 - rate * l2
    for row, value in doc:
        for k in range(n):
            row[k] = row[k] * decay - rate * grad[k] * value


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
    labels = tuple(map(str, range(n_classes)))
    for fold in range(config.folds):
        train = [i for i, f in enumerate(fold_ids) if f != fold]
        fitted = fit([docs[i] for i in train], [ys[i] for i in train], n_classes, config)
        model = LinearModel.from_rows(labels, fitted.weights, fitted.idf, fitted.bias)
        for i, f in enumerate(fold_ids):
            if f == fold:
                result[i] = model.logits(model.vector(docs[i]))
    return result


def fit_temperature(logits: Sequence[Sequence[float]], ys: Sequence[int]) -> float:
    """Temperature minimising the negative log-likelihood (golden-section search)."""

    def nll(t: float) -> float:
        return -sum(math.log(max(softmax(s, t)[y], 1e-12)) for s, y in zip(logits, ys, strict=True))

    low, high = 0.05, 10.0
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(60):
        a = high - ratio * (high - low)
        b = low + ratio * (high - low)
        if nll(a) < nll(b):
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
    return LinearModel.from_rows(
        classes,
        fitted.weights,
        fitted.idf,
        fitted.bias,
        temperature=temperature,
        config=features,
        version=version,
    )
