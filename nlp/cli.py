"""Command line: ``python -m nlp train | classify | evaluate | emergency | reliability | overlap``.

Each command prints exactly one JSON object on stdout (logs go to stderr), so
scripts and the Makefile can parse the output.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from nlp import (
    corpus,
    emergency_eval,
    emergency_model,
    emergency_training,
    evaluation,
    leakage,
    pipeline,
    registry,
    trainer,
)
from nlp.corpus import read_petitions


def _print(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _train(args: argparse.Namespace) -> int:
    result = trainer.train(
        extra=[Path(p) for p in args.extra],
        out=Path(args.out) if args.out else None,
        force=args.force,
        eval_path=Path(args.eval) if args.eval else None,
        data_dir=Path(args.data) if args.data else corpus.DATA_DIR,
    )
    _print({"version": result.version, "replaced": result.replaced, "reason": result.reason,
            "metrics": result.manifest["metrics"], "files": result.manifest["files"]})  # fmt: skip
    return 0


def classify_json(text: str) -> dict[str, Any]:
    """The ``classify`` output for one text."""
    result = pipeline.analyse(text)
    return {
        "category": result.category,
        "confidence": result.confidence,
        "top3": [list(pair) for pair in result.top3],
        "needs_manual": result.needs_manual,
        "ward": asdict(result.ward) if result.ward else None,
        "urgent": result.urgent,
        "urgency_reasons": list(result.urgency_reasons),
        "legal_type": result.legal_type,
        "pii": [asdict(span) for span in result.pii],
        "intent": result.intent,
        "model_version": result.model_version,
        "second": list(result.second) if result.second else None,
    }


def _classify(args: argparse.Namespace) -> int:
    text = args.text if args.text is not None else sys.stdin.read()
    _print(classify_json(text))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    _print(evaluation.evaluate(Path(args.path), strip_diacritics=args.strip_diacritics))
    return 0


def _emergency(args: argparse.Namespace) -> int:
    if args.train:
        model = emergency_training.build()
        _print({"model": str(emergency_model.MODEL_FILE), "features": len(model.index)})
        return 0
    paths = [Path(p) for p in args.paths]
    _print(emergency_eval.evaluate(paths or None, details=args.details))
    return 0


def _reliability(args: argparse.Namespace) -> int:
    records = read_petitions(Path(args.path))
    _print({"n": len(records), "model_version": registry.bundle().version,
            "thresholds": evaluation.reliability(records),
            "calibration": evaluation.calibration(records)})  # fmt: skip
    return 0


def _overlap(args: argparse.Namespace) -> int:
    data = Path(args.data) if args.data else corpus.DATA_DIR
    texts = [p.text for p in corpus.training_petitions(data / "petitions")]
    found = leakage.overlap(texts, [r.text for r in read_petitions(Path(args.path))], args.ngram)
    _print({"corpus_petitions": len(texts), **found.as_dict()})
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests)."""
    root = argparse.ArgumentParser(prog="python -m nlp", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train the models (deterministic)")
    train.add_argument("--extra", action="append", default=[], metavar="LABELS.jsonl",
                       help="staff-confirmed petitions in the evaluation format")  # fmt: skip
    train.add_argument("--out", metavar="DIR", help="models directory (default nlp/models)")
    train.add_argument("--eval", metavar="PATH.jsonl", help="held-out set for the replace gate")
    train.add_argument("--force", action="store_true", help="install even if not better")
    train.add_argument("--data", metavar="DIR", help="corpus directory (default nlp/data)")
    train.set_defaults(func=_train)
    classify = sub.add_parser("classify", help="analyse one text (stdin when omitted)")
    classify.add_argument("text", nargs="?")
    classify.set_defaults(func=_classify)
    evaluate = sub.add_parser("evaluate", help="evaluate on a labelled JSONL file")
    evaluate.add_argument("path")
    evaluate.add_argument("--strip-diacritics", action="store_true")
    evaluate.set_defaults(func=_evaluate)
    emergency = sub.add_parser(
        "emergency", help="emergency detector vs the old rules (default: the team's corpus)"
    )
    emergency.add_argument("paths", nargs="*", metavar="PATH.jsonl")
    emergency.add_argument("--details", action="store_true", help="list misses and false alarms")
    emergency.add_argument("--train", action="store_true", help="rebuild nlp/models/emergency.bin")
    emergency.set_defaults(func=_emergency)
    rel = sub.add_parser("reliability", help="accuracy above each confidence threshold")
    rel.add_argument("path")
    rel.set_defaults(func=_reliability)
    over = sub.add_parser("overlap", help="wording an evaluation file shares with the corpus")
    over.add_argument("path")
    over.add_argument("--ngram", type=int, default=leakage.NGRAM, help="syllables per n-gram")
    over.add_argument("--data", metavar="DIR", help="corpus directory (default nlp/data)")
    over.set_defaults(func=_overlap)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit status."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(message)s")
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (OSError, ValueError) as exc:
        logging.getLogger("nlp").error("%s", exc)
        return 1
