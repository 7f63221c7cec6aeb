"""Benchmark the nlp pipeline against the keyword baseline, in one process, one core.

    python bench/nlp.py [--data PATH.jsonl] [--repeat N] [--json] [--segmentation]

On a shared machine, wall-clock figures include waiting for the CPU; the CPU
time figures (``thread_time``) are what one message costs one core.

Reports model load time, per-message latency p50/p99 and throughput of the full
pipeline (normalise + classify + ward + urgency + PII + legal type + intent)
and of the same pipeline with the keyword baseline as classifier, and the
process's memory growth.  Messages come from ``--data`` (any JSONL with a
"text" field) or, by default, from the training corpus in nlp/data.
``--segmentation`` also times underthesea's word_tokenize, the cost that kept
word segmentation out of the features.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp import classifier, intent, legal_type, pii, registry, urgency, wards  # noqa: E402
from nlp.features import _extract  # noqa: E402
from nlp.gazetteer import GAZETTEER  # noqa: E402
from nlp.normalize import _normalize_cached, normalize  # noqa: E402
from nlp.pipeline import analyse  # noqa: E402

TARGETS = {"p99_ms": 10.0, "throughput": 300.0, "load_s": 1.0, "memory_mb": 150.0}


def rss_mb() -> float:
    """Resident set size of this process in MB (Linux /proc, else peak RSS)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        import os

        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def load_texts(path: Path | None, limit: int) -> list[str]:
    """Message texts from a JSONL file or from the training corpus."""
    files = [path] if path else sorted((ROOT / "nlp" / "data" / "petitions").glob("*.jsonl"))
    texts: list[str] = []
    for file in files:
        with file.open(encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle if line.strip())
    return texts[:limit]


def forget_message_caches() -> None:
    """Clear the per-message caches (normalised text, features); word caches stay."""
    _normalize_cached.cache_clear()
    _extract.cache_clear()


def baseline_pipeline(text: str) -> object:
    """The same work as ``analyse`` with the keyword baseline as category classifier."""
    normalize(text)
    return (
        classifier.baseline(text),
        wards.resolve(text),
        urgency.detect(text),
        pii.find(text),
        legal_type.suggest(text),
        intent.detect(text),
    )


def measure(
    funcs: Sequence[Callable[[str], object]], texts: Sequence[str], repeat: int
) -> list[dict[str, float]]:
    """Latency percentiles (ms) and sequential throughput (messages/s) of each function.

    The functions take turns on every message (in alternating order), so a slow spell of
    this shared machine costs them alike and their ratio stays meaningful.
    """
    timings: list[list[float]] = [[] for _ in funcs]
    cpu: list[list[float]] = [[] for _ in funcs]
    for round_ in range(repeat):
        for n, text in enumerate(texts):
            order = range(len(funcs)) if (n + round_) % 2 == 0 else reversed(range(len(funcs)))
            for k in order:
                forget_message_caches()  # a repeated message must not come from a cache
                t0, c0 = time.perf_counter(), time.thread_time()
                funcs[k](text)
                cpu[k].append((time.thread_time() - c0) * 1000)
                timings[k].append((time.perf_counter() - t0) * 1000)
    return [_summary(t, c) for t, c in zip(timings, cpu, strict=True)]


def _summary(timings: list[float], cpu: list[float]) -> dict[str, float]:
    elapsed = sum(timings) / 1000
    timings, cpu = sorted(timings), sorted(cpu)
    return {
        "p50_ms": round(statistics.median(timings), 3),
        "p99_ms": round(timings[int(len(timings) * 0.99) - 1], 3),
        "max_ms": round(timings[-1], 3),
        "p99_cpu_ms": round(cpu[int(len(cpu) * 0.99) - 1], 3),  # immune to other processes
        "throughput": round(len(timings) / elapsed, 1),  # one core, back to back
        "throughput_cpu": round(len(cpu) / (sum(cpu) / 1000), 1),
        "messages": len(timings),
    }


def segmentation_cost(texts: Sequence[str]) -> dict[str, float]:
    """What underthesea word_tokenize would add per message."""
    from underthesea import word_tokenize

    word_tokenize("khởi động")
    return measure((lambda t: word_tokenize(normalize(t)),), texts[:300], 1)[0]


def run(texts: Sequence[str], repeat: int, segmentation: bool) -> dict[str, object]:
    """Load, warm up, measure both pipelines; returns the report."""
    before = rss_mb()
    t0, c0 = time.perf_counter(), time.thread_time()
    registry.bundle()
    GAZETTEER.get()
    analyse("khởi động")
    load_s = round(time.perf_counter() - t0, 3)
    load_cpu_s = round(time.thread_time() - c0, 3)
    pair = measure((analyse, baseline_pipeline), texts, repeat)
    report: dict[str, object] = {
        "model_version": registry.bundle().version,
        "load_s": load_s,
        "load_cpu_s": load_cpu_s,
        **dict(zip(("model", "baseline"), pair, strict=True)),
        "memory_growth_mb": round(rss_mb() - before, 1),
        "targets": TARGETS,
    }
    if segmentation:
        report["word_tokenize"] = segmentation_cost(texts)
    return report


def table(report: dict[str, object]) -> str:
    """Human-readable side-by-side table."""
    model, base = report["model"], report["baseline"]
    assert isinstance(model, dict) and isinstance(base, dict)
    rows = [
        f"model version {report['model_version']}, {model['messages']} messages",
        f"{'':22}{'model':>12}{'keywords':>12}{'target':>10}",
        f"{'p50 latency (ms)':22}{model['p50_ms']:>12}{base['p50_ms']:>12}{'':>10}",
        f"{'p99 latency (ms)':22}{model['p99_ms']:>12}{base['p99_ms']:>12}{'<= 10':>10}",
        f"{'max latency (ms)':22}{model['max_ms']:>12}{base['max_ms']:>12}{'':>10}",
        f"{'p99 CPU time (ms)':22}{model['p99_cpu_ms']:>12}{base['p99_cpu_ms']:>12}{'':>10}",
        f"{'throughput (msg/s)':22}{model['throughput']:>12}{base['throughput']:>12}{'>= 300':>10}",
        f"{'  by CPU time (msg/s)':22}{model['throughput_cpu']:>12}{base['throughput_cpu']:>12}",
        f"{'  model / keywords':22}{round(model['throughput'] / base['throughput'], 2):>12}",
        f"{'load time (s)':22}{report['load_s']:>12}{'':>12}{'<= 1':>10}",
        f"{'load CPU time (s)':22}{report['load_cpu_s']:>12}{'':>12}{'':>10}",
        f"{'memory growth (MB)':22}{report['memory_growth_mb']:>12}{'':>12}{'<= 150':>10}",
    ]
    seg = report.get("word_tokenize")
    if isinstance(seg, dict):
        rows.append(f"word_tokenize alone: p50 {seg['p50_ms']} ms, p99 {seg['p99_ms']} ms")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, help="JSONL file with a text field")
    parser.add_argument("--limit", type=int, default=3000, help="messages to use")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the messages")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--segmentation", action="store_true", help="also time word_tokenize")
    args = parser.parse_args(argv)
    report = run(load_texts(args.data, args.limit), args.repeat, args.segmentation)
    print(json.dumps(report, ensure_ascii=False) if args.json else table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
