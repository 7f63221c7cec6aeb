"""Where the trained models live, and loading them once per process.

``nlp/models/manifest.json`` names the current version and its files
(``category-<version>.bin``, ``legal_type-<version>.bin``,
``intent-<version>.bin``) with the data hash and metrics of the run that
produced them.  ``NLP_MODELS_DIR`` points elsewhere (tests, a deployment that
trains on staff labels); it is read when the models are first needed, never
at import.  A missing model is not an error: callers fall back to rules.

A process can also *follow* an installed version kept elsewhere (the service's
learning loop keeps the active version in its database): ``follow(source)``
registers a function naming the (version, directory) to use, asked at most
every ``every`` seconds from ``bundle()``; when its answer differs from the
loaded version, that version's heads are loaded and swapped in, so web
workers, the inbound worker and the scheduler change model without a restart.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp import model as model_io
from nlp._lazy import Lazy
from nlp.model import LinearModel

logger = logging.getLogger(__name__)

PACKAGE_MODELS = Path(__file__).resolve().parent / "models"
MANIFEST = "manifest.json"
HEADS = ("category", "legal_type", "intent")


@dataclass(frozen=True)
class Bundle:
    """The models of one training run; any head may be missing."""

    category: LinearModel | None = None
    legal_type: LinearModel | None = None
    intent: LinearModel | None = None
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", "none"))


def models_dir() -> Path:
    """The directory holding manifest.json (``NLP_MODELS_DIR`` or the package's)."""
    override = os.environ.get("NLP_MODELS_DIR")
    return Path(override) if override else PACKAGE_MODELS


def read_manifest(directory: Path, name: str = MANIFEST) -> dict[str, Any]:
    """The manifest in ``directory``, or {} when there is none."""
    path = directory / name
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def read_version_manifest(directory: Path, version: str) -> dict[str, Any]:
    """The manifest of one version (``manifest-<version>.json``), or {} when absent."""
    return read_manifest(directory, f"manifest-{version}.json")


def load_bundle(directory: Path | None = None, version: str | None = None) -> Bundle:
    """Load every head the manifest names; log and skip what cannot be read."""
    directory = directory or models_dir()
    manifest = read_version_manifest(directory, version) if version else read_manifest(directory)
    heads: dict[str, LinearModel] = {}
    for head, name in manifest.get("files", {}).items():
        if head not in HEADS:
            continue
        try:
            heads[head] = model_io.load(directory / name)
        except (OSError, ValueError, KeyError) as exc:
            logger.error("cannot load %s model %s: %s", head, name, exc)
    if not manifest:
        logger.warning("no trained model in %s; using keyword and rule fallbacks", directory)
    return Bundle(manifest=manifest, **heads)


BUNDLE: Lazy[Bundle] = Lazy(load_bundle)

Selection = tuple[str, Path]  # (version, directory holding manifest-<version>.json)
Source = Callable[[], Selection | None]


@dataclass
class _Follower:
    source: Source | None = None
    every: float = 15.0
    next_check: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


_FOLLOW = _Follower()


def follow(source: Source | None, every: float = 15.0) -> None:
    """Ask ``source`` (at most every ``every`` s) which version to use; None stops following."""
    with _FOLLOW.lock:
        _FOLLOW.source, _FOLLOW.every, _FOLLOW.next_check = source, every, 0.0


def _check_source() -> None:
    if _FOLLOW.source is None or time.monotonic() < _FOLLOW.next_check:
        return
    if not _FOLLOW.lock.acquire(blocking=False):
        return  # another thread is checking; use what is loaded meanwhile
    try:
        _FOLLOW.next_check = time.monotonic() + _FOLLOW.every
        source = _FOLLOW.source
        selection = source() if source is not None else None
        if selection is not None and (not BUNDLE.loaded or BUNDLE.get().version != selection[0]):
            switch(*selection)
    except Exception:  # a database hiccup must not stop classification
        logger.exception("cannot check the installed model version; keeping the loaded one")
    finally:
        _FOLLOW.lock.release()


def switch(version: str, directory: Path) -> Bundle:
    """Load ``version`` from ``directory`` and make it the process-wide models."""
    loaded = load_bundle(directory, version)
    if loaded.category is None:
        raise ValueError(f"model version {version} has no category head in {directory}")
    BUNDLE.set(loaded)
    logger.info("nlp models: version %s in use", version)
    return loaded


def bundle() -> Bundle:
    """The process-wide models, loaded on first use (thread-safe)."""
    _check_source()
    return BUNDLE.get()


def reload() -> Bundle:
    """Drop the loaded models and load again (after ``python -m nlp train``)."""
    BUNDLE.reset()
    return BUNDLE.get()
