"""A real file server on loopback for the download tests: files, redirects, a slow drip.

`/file/<name>` answers a small JPEG, `/redirect?to=<url>` a 302 to that URL, `/loop` a 302
to itself, `/slow/<name>` headers at once and then one byte every `drip` seconds until the
client goes away (or `drip_for` seconds pass). Every request is counted by path, so a test
can say how often a link was fetched.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

JPEG = b"\xff\xd8\xff\xe0" + b"evidence" * 64


class MediaServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, *, drip: float = 0.3, drip_for: float = 20.0) -> None:
        super().__init__((host, 0), _Handler)
        self.hits: Counter[str] = Counter()
        self.drip = drip
        self.drip_for = drip_for

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: MediaServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        """Quiet: the test counts the hits instead."""

    def do_GET(self) -> None:  # noqa: N802 - the base's name
        parts = urlsplit(self.path)
        self.server.hits[parts.path] += 1
        if parts.path.startswith("/file/"):
            self._answer(200, JPEG)
        elif parts.path == "/redirect":
            self._redirect(parse_qs(parts.query)["to"][0])
        elif parts.path == "/loop":
            self._redirect("/loop")
        elif parts.path.startswith("/slow/"):
            self._drip()
        else:
            self._answer(404, b"")

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.end_headers()
        until = time.monotonic() + self.server.drip_for
        try:
            while time.monotonic() < until:
                self.wfile.write(b"\xff")
                self.wfile.flush()
                time.sleep(self.server.drip)
        except OSError:
            return  # the client hung up: what a deadline does
        self.close_connection = True


@contextmanager
def media_server(host: str = "127.0.0.1", **options: float) -> Iterator[MediaServer]:
    """A MediaServer on `host` and a free port, serving in a thread until the block ends."""
    server = MediaServer(host, **options)
    thread = threading.Thread(target=server.serve_forever, name="media-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
