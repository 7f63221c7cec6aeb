"""nlp stays pure: no web or database imports, no I/O at import, models loaded once."""

import subprocess
import sys
import threading
from pathlib import Path

from nlp import registry
from nlp._lazy import Lazy

ROOT = Path(__file__).resolve().parents[2]


def test_import_loads_nothing_heavy():
    code = (
        "import sys, nlp.pipeline, nlp.cli;"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'sqlalchemy', 'underthesea', 'storage', 'bot', 'handlers')];"
        "from nlp import registry, gazetteer;"
        "assert not registry.BUNDLE.loaded and not gazetteer.GAZETTEER.loaded;"
        "print(bad)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"


def test_lazy_builds_once_across_threads():
    calls = []
    barrier = threading.Barrier(8)

    def factory():
        calls.append(1)
        return object()

    lazy = Lazy(factory)
    results = []

    def worker():
        barrier.wait()
        results.append(lazy.get())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len({id(r) for r in results}) == 1


def test_reload_picks_up_a_new_directory(use_tiny_models, tmp_path, monkeypatch):
    assert registry.bundle().category is not None
    monkeypatch.setenv("NLP_MODELS_DIR", str(tmp_path))
    assert registry.reload().category is None
