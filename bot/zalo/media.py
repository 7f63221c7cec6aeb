"""Evidence downloads: Zalo's media links expire, so files are fetched when the event arrives.

Only http(s) links on Zalo's media hosts (`ZALO_MEDIA_HOSTS`) are fetched, within
`ATTACHMENT_MAX_BYTES` and `ATTACHMENT_ALLOWED_TYPES`, and stored under ATTACHMENT_DIR by
content hash (`ab/abcdef….jpg`, the path relative to that folder), so a repeat download or
the same photo sent twice keeps one file. Failures never fail the event: the attachment row
keeps the error, and transient ones are tried again by the inbound job while the link lives.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import requests

from handlers.events import Media
from handlers.inbound import StoredFile

logger = logging.getLogger(__name__)

_CHUNK = 64 * 1024
#: download_error prefixes worth another try (the link may still work later).
TRANSIENT = ("network", "http 5", "http 429")


class Downloader:
    """Fetch evidence files into a content-addressed folder."""

    def __init__(
        self,
        directory: str | Path,
        *,
        max_bytes: int,
        allowed_types: Sequence[str],
        allowed_hosts: Sequence[str],
        timeout: tuple[float, float] = (3, 20),
    ) -> None:
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self.allowed_types = tuple(t.lower() for t in allowed_types)
        self.allowed_hosts = tuple(h.lower().lstrip(".") for h in allowed_hosts)
        self.timeout = timeout
        self.http = requests.Session()

    def fetch(self, media: Media) -> StoredFile:
        """Download one file; the result says where it is, or why it is not."""
        problem = self._refuse_url(media.url)
        if problem:
            return StoredFile(None, None, media.size, media.mime, error=problem)
        try:
            with self.http.get(media.url, stream=True, timeout=self.timeout) as resp:
                if resp.status_code != 200:
                    return _failed(media, f"http {resp.status_code}")
                mime = _mime(resp.headers.get("Content-Type"), media)
                if not mime.startswith(self.allowed_types):
                    return _failed(media, f"type not allowed: {mime}")
                declared = resp.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    return _failed(media, "too large")
                return self._store(resp, mime, media)
        except requests.RequestException as exc:
            return _failed(media, f"network: {type(exc).__name__}")

    def path_of(self, stored_path: str) -> Path:
        """The absolute path of a stored attachment."""
        return self.directory / stored_path

    def _refuse_url(self, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            return "not an http(s) link"
        host = parts.hostname.lower()
        if not any(host == h or host.endswith("." + h) for h in self.allowed_hosts):
            return f"host not allowed: {host}"
        return None

    def _store(self, resp: requests.Response, mime: str, media: Media) -> StoredFile:
        self.directory.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.directory, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in resp.iter_content(_CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        return _failed(media, "too large")
                    digest.update(chunk)
                    out.write(chunk)
            sha = digest.hexdigest()
            relative = f"{sha[:2]}/{sha}{_extension(mime, media)}"
            final = self.directory / relative
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists():
                os.unlink(tmp_name)
            else:
                os.replace(tmp_name, final)
            return StoredFile(sha, relative, size, mime)
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)


def _failed(media: Media, error: str) -> StoredFile:
    logger.info("attachment not downloaded (%s): %s", media.kind, error)
    return StoredFile(None, None, media.size, media.mime, error=error)


def _mime(header: str | None, media: Media) -> str:
    mime = (header or "").split(";")[0].strip().lower()
    if not mime or mime == "application/octet-stream":
        guessed = mimetypes.guess_type(media.name or urlsplit(media.url).path)[0]
        mime = (guessed or media.mime or mime or "application/octet-stream").lower()
    return mime


def _extension(mime: str, media: Media) -> str:
    suffix = Path(media.name or "").suffix.lower()
    if suffix and len(suffix) <= 6 and suffix[1:].isalnum():
        return suffix
    return mimetypes.guess_extension(mime) or ".bin"
