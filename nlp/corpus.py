"""Read labelled petitions and dialogue messages (JSONL), and fingerprint them.

Bad lines are reported with their line number and skipped, so one broken
export from the database does not stop training; unknown categories are
skipped the same way.  Texts are NFC-normalised on the way in.
"""

from __future__ import annotations

import hashlib
import json
import logging
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from nlp.keywords import CATEGORIES

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
PETITIONS_DIR = DATA_DIR / "petitions"
DIALOGUE_FILE = DATA_DIR / "dialogue.jsonl"


@dataclass(frozen=True, slots=True)
class Petition:
    """One labelled petition (the evaluation format, plus legal_type when known)."""

    text: str
    category: str
    urgent: bool = False
    ward: str | None = None
    legal_type: str | None = None


@dataclass(frozen=True, slots=True)
class Message:
    """One labelled dialogue message."""

    text: str
    intent: str


def _records(path: Path) -> Iterable[tuple[int, dict[str, object]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                logger.warning("%s:%d: not JSON, skipped", path, number)
                continue
            if isinstance(record, dict) and isinstance(record.get("text"), str):
                yield number, record
            else:
                logger.warning("%s:%d: no text, skipped", path, number)


def _nfc(text: object) -> str:
    return unicodedata.normalize("NFC", str(text)).strip()


def read_petitions(path: Path) -> list[Petition]:
    """Petitions of one JSONL file; records with an unknown category are skipped."""
    result = []
    for number, rec in _records(path):
        category = rec.get("category")
        if category not in CATEGORIES:
            logger.warning("%s:%d: unknown category %r, skipped", path, number, category)
            continue
        ward = rec.get("ward")
        legal = rec.get("legal_type")
        result.append(
            Petition(
                text=_nfc(rec["text"]),
                category=str(category),
                urgent=bool(rec.get("urgent", False)),
                ward=_nfc(ward) if isinstance(ward, str) and ward.strip() else None,
                legal_type=str(legal) if isinstance(legal, str) else None,
            )
        )
    return result


def read_messages(path: Path) -> list[Message]:
    """Dialogue messages of one JSONL file."""
    return [
        Message(_nfc(rec["text"]), str(rec["intent"]))
        for _, rec in _records(path)
        if isinstance(rec.get("intent"), str)
    ]


def training_petitions(directory: Path = PETITIONS_DIR) -> list[Petition]:
    """All petitions under ``directory``, files in name order."""
    return [p for path in sorted(directory.glob("*.jsonl")) for p in read_petitions(path)]


def fingerprint(items: Sequence[object]) -> str:
    """SHA-256 of the items' repr, order-independent: the data part of a model version."""
    digest = hashlib.sha256()
    for line in sorted(repr(item) for item in items):
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def deduplicate(petitions: Sequence[Petition]) -> list[Petition]:
    """Keep the last label given to each text (a staff correction beats the corpus)."""
    by_text: dict[str, Petition] = {}
    for petition in petitions:
        by_text[petition.text] = petition
    return sorted(by_text.values(), key=lambda p: (p.category, p.text))
