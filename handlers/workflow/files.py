"""Files staff upload (agency answers, redacted images, scanned letters): checked by content,
bounded in size, stored under their content hash outside any web root."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.orm import Session

from handlers.workflow.errors import InvalidInput
from storage.models import Attachment, Petition

#: Types accepted from staff, recognised by their first bytes (never by name or header).
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (
        b"PK\x03\x04",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
)
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"})


def sniff(data: bytes) -> tuple[str, str] | None:
    """(mime type, extension) from the content, or None if the type is not accepted."""
    for magic, mime, ext in _SIGNATURES:
        if data.startswith(magic):
            if (
                ext == ".docx"
                and b"word/" not in data[:4096]
                and b"[Content_Types]" not in data[:4096]
            ):
                return None
            return mime, ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def store_upload(
    session: Session,
    *,
    data: bytes,
    filename: str,
    base_dir: Path,
    max_bytes: int,
    petition: Petition,
    kind: str = "file",
    redacted_from: Attachment | None = None,
    images_only: bool = False,
) -> Attachment:
    """Check and store an upload; return its (flushed) Attachment row."""
    if not data:
        raise InvalidInput("Tệp rỗng.")
    if len(data) > max_bytes:
        raise InvalidInput(f"Tệp quá lớn (tối đa {max_bytes // (1024 * 1024)} MB).")
    found = sniff(data)
    if found is None or images_only and found[0] not in IMAGE_TYPES:
        raise InvalidInput("Loại tệp không được chấp nhận (PDF, DOCX, PNG, JPEG, WEBP).")
    mime, ext = found
    digest = hashlib.sha256(data).hexdigest()
    relative = Path(digest[:2]) / f"{digest}{ext}"
    target = base_dir / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(target)
    row = Attachment(
        petition_id=petition.id,
        kind=kind if kind != "file" else ("image" if mime in IMAGE_TYPES else "file"),
        sha256=digest,
        storage_path=str(relative),
        mime_type=mime,
        size=len(data),
        original_name=clean_name(filename),
        redacted_from_id=redacted_from.id if redacted_from is not None else None,
    )
    session.add(row)
    session.flush()
    return row


def clean_name(filename: str) -> str:
    """A display name without paths or control characters (still escaped when shown)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return name.strip()[:200] or "tep"


def resolve(base_dir: Path, storage_path: str | None) -> Path | None:
    """The file of an attachment, only if it lies inside the attachment folder."""
    if not storage_path:
        return None
    root = base_dir.resolve()
    path = (root / storage_path).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path
