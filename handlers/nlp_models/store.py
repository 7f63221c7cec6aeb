"""Where model files are: the shipped version in the package, trained ones in a directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nlp import corpus, registry

SHIPPED, TRAINED = "shipped", "trained"


@dataclass(frozen=True)
class ModelStore:
    """Directories of one deployment (the trained one comes from the NLP_MODEL_DIR setting)."""

    trained_dir: Path
    package_dir: Path = registry.PACKAGE_MODELS
    data_dir: Path = corpus.DATA_DIR  # the team corpus

    def directory(self, origin: str) -> Path:
        """The directory holding a version of that origin."""
        return self.package_dir if origin == SHIPPED else self.trained_dir
