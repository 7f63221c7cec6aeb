"""Time a whole training run (three heads with their cross-validation) beside a baseline.

    python bench/training.py [--baseline-only | --shipped-only]

Each configuration runs in its own process, one after the other, so both see the same
machine: the shipped one (BLAS on one thread, ``nlp/training.py``) and the baseline, the
same code with BLAS free to use every core as numpy does by default (what training did
before the limit). Prints wall and CPU seconds of each and their ratios; the target is a
whole run in 60 s of one core.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_CPU_S = 60.0


def run_once(unlimited: bool) -> dict[str, float]:
    """Train on the team corpus in this process (nothing is written) and time it."""
    from nlp import corpus, trainer, training

    if unlimited:
        training.threadpool_limits = lambda **_: contextlib.nullcontext()  # type: ignore[assignment]
    petitions = corpus.training_petitions(corpus.DATA_DIR / "petitions")
    messages = corpus.read_messages(corpus.DIALOGUE_FILE)
    wall, cpu = time.perf_counter(), time.process_time()
    trained = trainer.fit_version(petitions, messages)
    return {
        "wall_s": round(time.perf_counter() - wall, 1),
        "cpu_s": round(time.process_time() - cpu, 1),
        "macro_f1_team": trained.manifest["figures"]["category_macro_f1"],
    }


def measure(unlimited: bool) -> dict[str, float]:
    """``run_once`` in a fresh process, so imports and caches start cold for each."""
    flag = "--baseline-only" if unlimited else "--shipped-only"
    out = subprocess.run(
        [sys.executable, __file__, flag], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline-only", action="store_true")
    parser.add_argument("--shipped-only", action="store_true")
    args = parser.parse_args()
    if args.baseline_only or args.shipped_only:
        print(json.dumps(run_once(unlimited=args.baseline_only)))
        return 0
    shipped, baseline = measure(unlimited=False), measure(unlimited=True)
    print(f"{'':28}{'wall s':>10}{'CPU s':>10}{'team F1':>10}")
    rows = (("shipped (BLAS on 1 thread)", shipped), ("baseline (BLAS threads)", baseline))
    for name, row in rows:
        print(f"{name:28}{row['wall_s']:>10}{row['cpu_s']:>10}{row['macro_f1_team']:>10}")
    verdict = "met" if shipped["cpu_s"] <= TARGET_CPU_S else "MISSED"
    print(
        f"ratio shipped/baseline: wall {shipped['wall_s'] / baseline['wall_s']:.2f}, "
        f"CPU {shipped['cpu_s'] / baseline['cpu_s']:.2f}; "
        f"target ≤ {TARGET_CPU_S:.0f} s of CPU: {verdict}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
