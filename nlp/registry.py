"""Where the trained models live, and loading them once per process.

``nlp/models/manifest.json`` names the current version and its files
(``category-<version>.bin``, ``legal_type-<version>.bin``,
``intent-<version>.bin``) with the data hash and metrics of the run that
produced them.  ``NLP_MODELS_DIR`` points elsewhere (tests, a deployment that
trains on staff labels); it is read when the models are first needed, never
at import.  A missing model is not an error: callers fall back to rules.
"""

from __future__ import annotations

import json
import logging
import os
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


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest in ``directory``, or {} when there is none."""
    path = directory / MANIFEST
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def load_bundle(directory: Path | None = None) -> Bundle:
    """Load every head the manifest names; log and skip what cannot be read."""
    directory = directory or models_dir()
    manifest = read_manifest(directory)
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


def bundle() -> Bundle:
    """The process-wide models, loaded on first use (thread-safe)."""
    return BUNDLE.get()


def reload() -> Bundle:
    """Drop the loaded models and load again (after ``python -m nlp train``)."""
    BUNDLE.reset()
    return BUNDLE.get()
