"""Fit all heads into a model version, measure it, and (``python -m nlp train``) install it
in a models directory when it is at least as good as the current one.

The version is a hash of the training data, the hyper-parameters and the
feature settings, so retraining on the same data reproduces the same files
byte for byte.  Every version trains without the team's evaluation set
(nlp/figures.py) and is measured on it.  The command's gate compares the old
and new category models on ``--eval PATH`` when given, else on the team's
evaluation set, else (a corpus too small to spare one) by cross-validated
macro-F1 from the two manifests.  The service's learning loop has its own,
stricter gate (handlers/nlp_models).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp import corpus, figures, metrics
from nlp import model as model_io
from nlp.features import FeatureConfig, extract
from nlp.keywords import CATEGORIES, LEXICON
from nlp.legal_type import LEGAL_TYPES
from nlp.model import LinearModel, softmax
from nlp.registry import MANIFEST, models_dir, read_manifest
from nlp.training import (
    Counts,
    Doc,
    TrainConfig,
    build_model,
    fit_temperature,
    out_of_fold_logits,
)

logger = logging.getLogger(__name__)

CODE_VERSION = "4"  # bump when features or training change meaning
# The smaller heads get a stronger prior: their biases then still decide, as they did under
# SGD, what a message with no known word is (the conversation relies on it).
AUX_CONFIG = TrainConfig(folds=3, l2=1e-4)
PETITION_STRIDE = 6  # the intent head sees every 6th petition
MIN_CALIBRATION = 200  # staff labels needed to calibrate on them


@dataclass(frozen=True, slots=True)
class Head:
    """One trained head and its cross-validated figures."""

    name: str
    model: LinearModel
    cv: dict[str, float]


@dataclass(frozen=True, slots=True)
class TrainResult:
    """What ``train`` did."""

    version: str
    replaced: bool
    reason: str
    manifest: dict[str, Any]


def _argmax(scores: Sequence[float], classes: Sequence[str]) -> str:
    return classes[max(range(len(scores)), key=scores.__getitem__)]


def _head(
    name: str,
    docs: Sequence[Doc],
    labels: Sequence[str],
    classes: Sequence[str],
    config: TrainConfig,
    version: str,
    calibrate_on: Sequence[bool] | None = None,
) -> Head:
    """Cross-validate (for metrics and temperature), then fit on everything.

    The temperature is fitted on the out-of-fold logits of all examples, or of those
    ``calibrate_on`` marks when there are at least ``MIN_CALIBRATION`` of them.
    """
    counts = Counts.of(docs)
    index = {c: i for i, c in enumerate(classes)}
    ys = [index[label] for label in labels]
    logits = out_of_fold_logits(counts, ys, len(classes), config)
    chosen = [k for k, on in enumerate(calibrate_on or ()) if on]
    if len(chosen) < MIN_CALIBRATION:
        chosen = list(range(len(ys)))
    temperature = fit_temperature([logits[k] for k in chosen], [ys[k] for k in chosen])
    predicted = [_argmax(s, classes) for s in logits]
    right = [p == g for p, g in zip(predicted, labels, strict=True)]
    confidences = [max(softmax(s, temperature)) for s in logits]
    cv = {
        "cv_accuracy": metrics.accuracy(labels, predicted),
        "cv_macro_f1": metrics.macro_f1(labels, predicted, classes),
        "cv_ece": metrics.expected_calibration_error(list(zip(confidences, right, strict=True))),
        "temperature": temperature,
        "calibrated_on": len(chosen),
    }
    logger.info("%s: %s", name, cv)
    model = build_model(counts, labels, classes, temperature, config, FeatureConfig(), version)
    return Head(name, model, cv)


def _version(petitions: Sequence[corpus.Petition], messages: Sequence[corpus.Message]) -> str:
    data = corpus.fingerprint([*petitions, *messages])
    settings = json.dumps(
        [CODE_VERSION, TrainConfig().as_dict(), AUX_CONFIG.as_dict(), FeatureConfig().as_dict(),
         PETITION_STRIDE, LEXICON],  # the lexicon feeds the k= features
        ensure_ascii=False, sort_keys=True,
    )  # fmt: skip
    return hashlib.sha256((data + settings).encode()).hexdigest()[:12]


def fit_heads(
    petitions: Sequence[corpus.Petition],
    messages: Sequence[corpus.Message],
    version: str,
    staff_texts: frozenset[str] = frozenset(),
) -> list[Head]:
    """Train category, legal-type and (when there is dialogue data) intent heads.

    Once enough staff labels exist, the category head's confidence is calibrated on
    them (real petitions) rather than on the team's texts, which it reads more surely.
    """
    texts = [p.text for p in petitions]
    docs = {t: extract(t, FeatureConfig()) for t in [*texts, *(m.text for m in messages)]}
    categories = [p.category for p in petitions]
    real = [t in staff_texts for t in texts]
    petition_docs = [docs[t] for t in texts]
    heads = [_head("category", petition_docs, categories, CATEGORIES, TrainConfig(), version, real)]
    typed = [p for p in petitions if p.legal_type in LEGAL_TYPES]
    if typed:
        legal = [str(p.legal_type) for p in typed]
        typed_docs = [docs[p.text] for p in typed]
        heads.append(_head("legal_type", typed_docs, legal, LEGAL_TYPES, AUX_CONFIG, version))
    if messages:
        intents = sorted({m.intent for m in messages} | {"petition"})
        # Every 6th petition (sorted by category): hundreds, not thousands, so the ~65
        # examples of each dialogue intent are not drowned. Fewer costs petitions: with
        # ~500 of 5,908, a follow-up naming its code ("Bổ sung cho hồ sơ TK-…: …") was
        # taken for a status look-up (docs/benchmarks.md, NLP).
        sample = texts[::PETITION_STRIDE]
        all_docs = [docs[t] for t in [*sample, *(m.text for m in messages)]]
        labels = ["petition"] * len(sample) + [m.intent for m in messages]
        heads.append(_head("intent", all_docs, labels, intents, AUX_CONFIG, version))
    return heads


@dataclass(frozen=True, slots=True)
class Trained:
    """A fitted version: its heads and its manifest (figures included), not yet written."""

    version: str
    heads: tuple[Head, ...]
    manifest: dict[str, Any]

    @property
    def category(self) -> LinearModel:
        return self.heads[0].model


def fit_version(
    team: Sequence[corpus.Petition],
    messages: Sequence[corpus.Message],
    staff: Sequence[corpus.Petition] = (),
) -> Trained:
    """Train on the team corpus (less its evaluation set) plus staff labels; measure."""
    train_part, eval_part = figures.split(team)
    petitions = corpus.deduplicate([*train_part, *staff])  # a staff label beats the corpus
    version = _version(petitions, messages)
    heads = tuple(fit_heads(petitions, messages, version, frozenset(p.text for p in staff)))
    manifest: dict[str, Any] = {
        "version": version,
        "data_hash": corpus.fingerprint([*petitions, *messages]),
        "n_petitions": len(petitions),
        "n_staff_labels": len(staff),
        "n_messages": len(messages),
        "n_eval": len(eval_part),
        "files": {h.name: f"{h.name}-{version}.bin" for h in heads},
        "metrics": {h.name: h.cv for h in heads},
        "train_config": TrainConfig().as_dict(),
    }
    if eval_part:
        manifest["figures"] = figures.figures(heads[0].model, eval_part)
    return Trained(version, heads, manifest)


def write(trained: Trained, directory: Path) -> None:
    """Write the version's model files and its ``manifest-<version>.json`` into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for head in trained.heads:
        model_io.save(head.model, directory / trained.manifest["files"][head.name])
    (directory / f"manifest-{trained.version}.json").write_text(
        _dump(trained.manifest), encoding="utf-8"
    )


def _dump(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _gate(
    new: Trained, directory: Path, old_manifest: dict[str, Any], eval_records: list[Any]
) -> tuple[bool, str, dict[str, Any]]:
    """Decide whether the new category model replaces the current one."""
    if not old_manifest:
        return True, "no current model", {}
    try:
        old = model_io.load(directory / old_manifest["files"]["category"])
    except (OSError, ValueError, KeyError):
        return True, "the current model cannot be read", {}
    if eval_records:
        new_f1 = figures.figures(new.category, eval_records)["category_macro_f1"]
        old_f1 = figures.figures(old, eval_records)["category_macro_f1"]
        gate = {"eval_n": len(eval_records), "new_macro_f1": new_f1, "old_macro_f1": old_f1}
    else:
        new_f1 = new.heads[0].cv["cv_macro_f1"]
        old_f1 = float(old_manifest.get("metrics", {}).get("category", {}).get("cv_macro_f1", 0))
        gate = {"new_cv_macro_f1": new_f1, "old_cv_macro_f1": old_f1}
    better = new_f1 >= old_f1
    verdict = "new model is at least as good" if better else "new model is worse"
    return better, f"{verdict}: {new_f1} vs {old_f1}", gate


_VERSIONED = re.compile(r"^(?:category|legal_type|intent|manifest)-([0-9a-f]{12})\.(?:bin|json)$")


def _prune(directory: Path, keep: set[str]) -> None:
    """Delete model files of versions other than the current and the previous one."""
    for path in directory.iterdir():
        match = _VERSIONED.match(path.name)
        if match and match.group(1) not in keep:
            path.unlink()


def read_team(
    data_dir: Path = corpus.DATA_DIR,
) -> tuple[list[corpus.Petition], list[corpus.Message]]:
    """The team corpus: petitions and dialogue messages."""
    dialogue = data_dir / "dialogue.jsonl"
    messages = corpus.read_messages(dialogue) if dialogue.is_file() else []
    return corpus.training_petitions(data_dir / "petitions"), messages


def train(
    extra: Sequence[Path] = (),
    out: Path | None = None,
    force: bool = False,
    eval_path: Path | None = None,
    data_dir: Path = corpus.DATA_DIR,
) -> TrainResult:
    """Train on the corpus plus ``extra`` staff labels; install if the gate allows."""
    directory = out or models_dir()
    staff = [p for path in extra for p in corpus.read_petitions(path)]
    team, messages = read_team(data_dir)
    trained = fit_version(team, messages, staff)
    old_manifest = read_manifest(directory)
    records = corpus.read_petitions(eval_path) if eval_path else figures.split(team)[1]
    replace, reason, gate = _gate(trained, directory, old_manifest, records)
    if eval_path is not None:
        gate["eval_path"] = str(eval_path)
    manifest = {**trained.manifest, "gate": gate, "previous": old_manifest.get("version")}
    trained = Trained(trained.version, trained.heads, manifest)
    write(trained, directory)
    if replace or force:
        (directory / MANIFEST).write_text(_dump(manifest), encoding="utf-8")
        _prune(directory, {trained.version, str(old_manifest.get("version"))})
    version = trained.version
    return TrainResult(version, replace or force, reason + (" (forced)" if force else ""), manifest)
