"""Evidence downloads: Zalo's media links expire, so files are fetched when the event arrives.

Only plain http(s) links on Zalo's media hosts (`ZALO_MEDIA_HOSTS`, bot.zalo.media_links)
whose addresses are public (bot.zalo.guarded_http) are fetched; a redirect is followed by
hand, at most MAX_REDIRECTS times, each hop checked like the first link. A download gets
ATTACHMENT_DOWNLOAD_DEADLINE_SECONDS in all, within
`ATTACHMENT_MAX_BYTES` and `ATTACHMENT_ALLOWED_TYPES`, and is stored under ATTACHMENT_DIR by
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
from urllib.parse import urljoin, urlsplit

import requests

from bot.zalo.guarded_http import AddressPolicy, AddressRefused, Guard, guarded_session
from bot.zalo.media_links import refuse_link
from handlers.events import Media
from handlers.inbound import StoredFile

logger = logging.getLogger(__name__)

_CHUNK = 64 * 1024
#: download_error prefixes worth another try (the link may still work later).
TRANSIENT = ("network", "http 5", "http 429")
#: Redirects followed for one download (each one checked like the link itself).
MAX_REDIRECTS = 3
_REDIRECTS = {301, 302, 303, 307, 308}


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
        deadline: float = 60,
        private_networks: Sequence[str] = (),
    ) -> None:
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self.allowed_types = tuple(t.lower() for t in allowed_types)
        self.allowed_hosts = tuple(h.lower().lstrip(".") for h in allowed_hosts)
        self.timeout = timeout
        self.deadline = deadline
        self.policy = AddressPolicy(private_networks)

    def fetch(self, media: Media) -> StoredFile:
        """Download one file; the result says where it is, or why it is not."""
        guard = Guard(self.policy, self.deadline)
        try:
            with guard, guarded_session(guard) as http:
                return self._follow(http, media, guard)
        except AddressRefused as exc:
            return _refused(media, str(exc))
        except requests.RequestException as exc:
            if guard.expired.is_set():
                return _failed(media, self._too_slow)
            return _failed(media, f"network: {type(exc).__name__}")

    @property
    def _too_slow(self) -> str:
        return f"too slow: over {self.deadline:g} s"

    def path_of(self, stored_path: str) -> Path:
        """The absolute path of a stored attachment."""
        return self.directory / stored_path

    def _follow(self, http: requests.Session, media: Media, guard: Guard) -> StoredFile:
        """GET the link, following redirects by hand so that every hop is checked."""
        url = media.url
        for _hop in range(MAX_REDIRECTS + 1):
            problem = refuse_link(url, self.allowed_hosts, self.policy)
            if problem:
                return _refused(media, problem)
            with http.get(url, stream=True, timeout=self.timeout, allow_redirects=False) as resp:
                if resp.status_code in _REDIRECTS and resp.headers.get("Location"):
                    url = urljoin(url, resp.headers["Location"])
                    continue
                return self._receive(resp, media, guard)
        return _refused(media, "too many redirects")

    def _receive(self, resp: requests.Response, media: Media, guard: Guard) -> StoredFile:
        if resp.status_code != 200:
            return _failed(media, f"http {resp.status_code}")
        mime = _mime(resp.headers.get("Content-Type"), media)
        if not mime.startswith(self.allowed_types):
            return _failed(media, f"type not allowed: {mime}")
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return _failed(media, "too large")
        return self._store(resp, mime, media, guard)

    def _store(self, resp: requests.Response, mime: str, media: Media, guard: Guard) -> StoredFile:
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
            if guard.expired.is_set():  # the body may have been cut short, not ended
                return _failed(media, self._too_slow)
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


def _refused(media: Media, reason: str) -> StoredFile:
    """A link this service must not follow: said loudly, it may be an attack."""
    logger.warning("attachment link refused (%s): %s", media.kind, reason)
    return StoredFile(None, None, media.size, media.mime, error=reason)


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
