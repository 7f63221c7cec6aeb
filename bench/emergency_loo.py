"""Leave one emergency file out: the honest unseen-text estimate, old detector beside new.

Every file of the emergency corpus has been studied, so today's figures on it say little
about text nobody has written yet. Here each file in turn is left out, the model is trained
on the other files (and the petitions its training code uses) and measured on the left-out
file. Two detectors are compared: the one of ``--old`` (default: the commit before this
work), rebuilt from git in a temporary copy, and the working tree's.

The rules have seen every file, so "rules OR model" with today's rules is optimistic. Five
files were each measured once with the rules of their day before any rule was tuned on them
(``FIRST_LOOK_RULES``); for those the detector is also replayed as "rules of the first look OR
the left-out model", which is the figure that estimates a new file. Printed per file:
model alone, that replay, and today's rules OR model; then the pooled figures and the false
alarms each full model adds on the team petitions no version trains on (share 2).

    .venv/bin/python bench/emergency_loo.py            # about 4 minutes on one CPU
    .venv/bin/python bench/emergency_loo.py --without tune4
    .venv/bin/python bench/emergency_loo.py --cache /tmp/loo --threshold 0.6  # replay, no training

A cached output replays the code as it was when cached, its threshold included.

``--without`` leaves files out of the new detector's training entirely: ``tune4`` was written
after the misses of all files were studied, so it leaks wording into every left-out file.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OLD = "d9cfa8f"
# file -> commit whose nlp/urgency.py gave the file's first look (nlp/data/README.md)
FIRST_LOOK_RULES = {
    "tune2": "ac5cff2",
    "tune3": "11de7c8",
    "heldout4": "92de639",
    "heldout5": "0efadc4",
    "heldout6": "7e9ad48",
}
# The nine files both detectors can be measured on (tune4 is new and was written to fill gaps).
FILES = ("tune", "tune2", "tune3", "heldout", "heldout2", "heldout3", "heldout4", "heldout5",
         "heldout6")  # fmt: skip
HELD_SHARE = 2  # the share of the team's petitions neither version trains on


def worker(files: Sequence[str], without: Sequence[str]) -> dict[str, Any]:
    """Run inside one version's tree: left-out model probabilities and its own rules' verdicts."""
    from nlp import emergency_model as em
    from nlp import emergency_training as et
    from nlp import urgency

    corpus_dir = Path(et.__file__).parent / "data" / "emergency"
    names = sorted(p.stem for p in corpus_dir.glob("*.jsonl") if p.stem not in without)
    print(f"worker {et.__file__} trains on {names}", file=sys.stderr)
    out: dict[str, Any] = {"threshold": em.THRESHOLD, "files": {}}
    for name in files:
        others = [n for n in names if n != name]
        model = et.train(*et.training_set(others))
        rows = [json.loads(line) for line in (corpus_dir / f"{name}.jsonl").open() if line.strip()]
        out["files"][name] = [
            [
                bool(r["urgent"]),
                em.probability(urgency.view(r["text"]), model),
                urgency.rules(r["text"]).urgent,
            ]
            for r in rows
        ]
    full = et.train(*et.training_set(names))
    calm = [t for t, u in zip(*et.read_petitions(HELD_SHARE), strict=True) if not u]
    out["petitions"] = [
        [em.probability(urgency.view(t), full), urgency.rules(t).urgent] for t in calm
    ]
    return out


def run_worker(
    tree: Path, files: Sequence[str], without: Sequence[str], cache: Path | None
) -> dict[str, Any]:
    """One version's worker output, kept in ``cache`` (keyed by version and files left out)."""
    name = f"{'old' if tree != ROOT else 'new'}-{'-'.join(without) or 'all'}.json"
    key = cache / name if cache else None
    if key and key.exists():
        return json.loads(key.read_text(encoding="utf-8"))
    env = {**os.environ, "PYTHONPATH": str(tree)}
    argv = [sys.executable, "-P", __file__, "--worker", "--files", *files, "--without", *without]
    done = subprocess.run(argv, env=env, cwd=tree, check=True, capture_output=True, text=True)  # noqa: S603
    sys.stderr.write(done.stderr)
    if key:
        key.parent.mkdir(parents=True, exist_ok=True)
        key.write_text(done.stdout, encoding="utf-8")
    return json.loads(done.stdout)


def old_tree(commit: str) -> Path:
    """The ``nlp`` package of ``commit`` in a temporary directory."""
    archive = subprocess.run(  # noqa: S603
        ["git", "archive", commit, "nlp"],  # noqa: S607
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    tree = Path(tempfile.mkdtemp(prefix="emergency_old_"))
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    return tree


def rules_of(commit: str) -> Callable[[str], bool]:
    """The rules of nlp/urgency.py at ``commit`` (before the model existed: rules only)."""
    source = subprocess.run(  # noqa: S603
        ["git", "show", f"{commit}:nlp/urgency.py"],  # noqa: S607
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / f"urgency_{commit}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return lambda text: bool(module.detect(text).urgent)


def score(rows: Sequence[tuple[bool, bool]]) -> tuple[float, float]:
    """(recall, precision) of (said, gold) pairs."""
    tp = sum(1 for said, gold in rows if said and gold)
    fp = sum(1 for said, gold in rows if said and not gold)
    fn = sum(1 for said, gold in rows if gold and not said)
    return tp / max(tp + fn, 1), tp / max(tp + fp, 1)


def cell(rows: Sequence[tuple[bool, bool]]) -> str:
    r, p = score(rows)
    return f"{r:.3f}/{p:.3f}" if rows else "    -      "


def main(argv: Sequence[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args.add_argument("--files", nargs="*", default=list(FILES))
    args.add_argument("--without", nargs="*", default=[])
    args.add_argument("--old", default=OLD)
    args.add_argument("--cache", type=Path, help="keep worker outputs here (replay a threshold)")
    args.add_argument("--threshold", type=float, help="replace the new detector's threshold")
    opts = args.parse_args(argv)
    if opts.worker:
        sys.stdout.write(json.dumps(worker(opts.files, opts.without)))
        return 0
    sys.path.insert(0, str(ROOT))
    from nlp.emergency_eval import read

    cache = opts.cache / opts.old if opts.cache else None
    results = {
        "old": run_worker(old_tree(opts.old), opts.files, [], cache),
        "new": run_worker(ROOT, opts.files, opts.without, cache),
    }
    if opts.threshold is not None:
        results["new"]["threshold"] = opts.threshold
    first = {name: rules_of(c) for name, c in FIRST_LOOK_RULES.items() if name in opts.files}
    cols = ("model", "first-look rules OR model", "today's rules OR model")
    head = f"{'file':9} {'n':>4} " + " ".join(f"{c + ' old | new':^27}" for c in cols)
    print(f"recall/precision, left-out file; threshold old {results['old']['threshold']}, "
          f"new {results['new']['threshold']}")  # fmt: skip
    print(head)
    pooled: dict[tuple[str, str], list[tuple[bool, bool]]] = {}
    for name in opts.files:
        texts = [s.text for s in read(ROOT / "nlp" / "data" / "emergency" / f"{name}.jsonl")]
        said_first = [first[name](t) for t in texts] if name in first else None
        parts = []
        for col in cols:
            for version in ("old", "new"):
                res = results[version]
                t = res["threshold"]
                rows = res["files"][name]
                if col == "model":
                    pairs = [(p >= t, g) for g, p, _ in rows]
                elif col == "today's rules OR model":
                    pairs = [(p >= t or r, g) for g, p, r in rows]
                elif said_first is not None:
                    pairs = [
                        (p >= t or f, g) for (g, p, _), f in zip(rows, said_first, strict=True)
                    ]
                else:
                    pairs = []
                pooled.setdefault((col, version), []).extend(pairs)
                parts.append(cell(pairs))
        print(f"{name:9} {len(texts):>4} " + " ".join(
            f"{parts[i]} | {parts[i + 1]}" for i in range(0, len(parts), 2)))  # fmt: skip
    print(f"{'pooled':9} {'':>4} " + " ".join(
        f"{cell(pooled[(c, 'old')])} | {cell(pooled[(c, 'new')])}" for c in cols))  # fmt: skip
    for version in ("old", "new"):
        res = results[version]
        calm = res["petitions"]
        added = sum(1 for p, r in calm if p >= res["threshold"] and not r)
        rules = sum(1 for _, r in calm if r)
        print(f"{version}: team petitions share {HELD_SHARE} ({len(calm)} calm, never trained on):"
              f" rules alarm on {rules}, the model adds {added}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
