"""Measure the emergency detector on the team's emergency corpus, beside the old rules.

The corpus (nlp/data/emergency/) holds files written by the team: ``tune*.jsonl``, written
to tune the rules on, and ``heldout*.jsonl``, each written and committed before the round of
tuning it was measured after. Each line: ``{"text", "urgent", "hazard"?, "kind"?}``. The
honest figure for unseen text is a file's first measurement (``first_look`` in
``baseline.json``); once measured, a file's failures were studied and it joined the tuning
data. The files of ``FRESH`` (heldout7) are never studied nor trained on: their figures are
the unseen-text figures. The honest estimate for a new
file is the leave-one-file-out replay of bench/emergency_loo.py. ``detector`` is what ships
(the rules, or the model when the rules find nothing), ``rules`` and ``model`` each alone,
``baseline`` the old rules. ``baseline.json`` also holds the figures the tests hold it to.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp import emergency_model, urgency, urgency_baseline

CORPUS_DIR = Path(__file__).parent / "data" / "emergency"
TUNING = ("tune", "tune2", "tune3", "tune4", "tune5")
HELD_OUT = ("heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6")
# Never trained on, never studied: heldout7 was written without sight of the detector or the
# corpus, committed after round 5 was frozen, and measured on it once (baseline.json).
FRESH: tuple[str, ...] = ("heldout7",)
STUDIED = TUNING + HELD_OUT
SPLITS = STUDIED + FRESH
BASELINE_FILE = CORPUS_DIR / "baseline.json"


@dataclass(frozen=True, slots=True)
class Sample:
    """One labelled message of the corpus."""

    text: str
    urgent: bool
    hazard: str | None = None
    kind: str | None = None


def read(path: Path) -> list[Sample]:
    """The samples of one JSONL file (blank lines skipped)."""
    samples: list[Sample] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                samples.append(
                    Sample(row["text"], bool(row["urgent"]), row.get("hazard"), row.get("kind"))
                )
    return samples


def figures(samples: Sequence[Sample], detect: Callable[[str], bool]) -> dict[str, Any]:
    """Recall and precision of ``detect`` on the samples, with the misses named."""
    tp = fp = fn = 0
    missed: list[str] = []
    false_alarms: list[str] = []
    for s in samples:
        said = detect(s.text)
        if said and s.urgent:
            tp += 1
        elif said:
            fp += 1
            false_alarms.append(s.text)
        elif s.urgent:
            fn += 1
            missed.append(s.text)
    return {
        "n": len(samples),
        "urgent": tp + fn,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 0.0,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
        "missed": missed,
        "false_alarms": false_alarms,
    }


def current(text: str) -> bool:
    return urgency.detect(text).urgent


def rules(text: str) -> bool:
    return urgency.rules(text).urgent


def learned(text: str) -> bool:
    return emergency_model.urgent(urgency.view(text))


def baseline(text: str) -> bool:
    return urgency_baseline.detect(text).urgent


def evaluate(paths: Iterable[Path] | None = None, *, details: bool = False) -> dict[str, Any]:
    """Figures per file for the detector and the old rules (the names of misses on request)."""
    chosen = list(paths) if paths else [CORPUS_DIR / f"{s}.jsonl" for s in SPLITS]
    report: dict[str, Any] = {}
    for path in chosen:
        samples = read(path)
        row = {
            "detector": figures(samples, current),
            "rules": figures(samples, rules),
            "model": figures(samples, learned),
            "baseline": figures(samples, baseline),
        }
        if not details:
            for part in row.values():
                part.pop("missed")
                part.pop("false_alarms")
        report[path.stem] = row
    return report
