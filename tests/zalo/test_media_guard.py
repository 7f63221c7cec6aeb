"""Attachment links cannot reach inside: odd links, redirects and names that resolve inward.

Real servers on loopback: an "allowed media host" on 127.0.0.2 (the one private address the
settings let through, as the stand-in is in tests) and an "internal service" on 127.0.0.1
that no link may reach. Each trick is refused, logged, and leaves the internal server unhit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.zalo.guarded_http import AddressPolicy, AddressRefused
from bot.zalo.media import Downloader
from handlers.events import Media
from tests.zalo.media_server import JPEG, MediaServer, media_server

HOSTS = ("zalo.me", "127.0.0.2", "localhost")


@pytest.fixture
def media() -> Iterator[MediaServer]:
    with media_server("127.0.0.2") as server:
        yield server


@pytest.fixture
def internal() -> Iterator[MediaServer]:
    with media_server("127.0.0.1") as server:
        yield server


def downloader(folder: Path, deadline: float = 10) -> Downloader:
    return Downloader(
        folder,
        max_bytes=1 << 20,
        allowed_types=("image/",),
        allowed_hosts=HOSTS,
        timeout=(2, 5),
        deadline=deadline,
        private_networks=("127.0.0.2/32",),
    )


def fetch(folder: Path, url: str, deadline: float = 10) -> str | None:
    """Fetch `url`; the error, or None when stored."""
    stored = downloader(folder, deadline).fetch(Media(kind="image", url=url))
    return stored.error


def test_a_good_link_still_downloads(tmp_path: Path, media: MediaServer) -> None:
    stored = downloader(tmp_path).fetch(Media(kind="image", url=f"{media.base_url}/file/a.jpg"))
    assert stored.error is None and stored.path
    assert (tmp_path / stored.path).read_bytes() == JPEG


def test_a_redirect_between_allowed_hosts_is_followed(tmp_path: Path, media: MediaServer) -> None:
    url = f"{media.base_url}/redirect?to={media.base_url}/file/b.jpg"
    assert fetch(tmp_path, url) is None
    assert media.hits["/redirect"] == 1 and media.hits["/file/b.jpg"] == 1


@pytest.mark.parametrize(
    ("trick", "error"),
    [
        # Read as host zalo.me by the checker, connected to 127.0.0.1 by the client.
        ("http://127.0.0.1:{port}\\@zalo.me/x.jpg", "link not allowed: odd characters"),
        ("http://zalo.me:80@127.0.0.1:{port}/x.jpg", "link not allowed: user part"),
        ("http://zalo.me@127.0.0.2:{port}/x.jpg", "link not allowed: user part"),
        ("http://127.0.0.1:{port}/x.jpg", "host not allowed: 127.0.0.1"),
        ("http://zalo.me:{port}/x.jpg", "link not allowed: port"),
        ("ftp://zalo.me/x.jpg", "link not allowed: not http(s)"),
        ("http://zalo.me /x.jpg", "link not allowed: odd characters"),
    ],
)
def test_odd_links_are_refused_and_logged(
    trick: str,
    error: str,
    tmp_path: Path,
    internal: MediaServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = trick.format(port=internal.server_address[1])
    with caplog.at_level(logging.WARNING, logger="bot.zalo.media"):
        assert (fetch(tmp_path, url) or "").startswith(error)
    assert internal.hits.total() == 0
    assert "attachment link refused" in caplog.text


def test_a_redirect_to_an_unchecked_host_is_refused(
    tmp_path: Path, media: MediaServer, internal: MediaServer, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"{media.base_url}/redirect?to={internal.base_url}/secret"
    with caplog.at_level(logging.WARNING, logger="bot.zalo.media"):
        assert fetch(tmp_path, url) == "host not allowed: 127.0.0.1"
    assert media.hits["/redirect"] == 1 and internal.hits.total() == 0
    assert "attachment link refused" in caplog.text


def test_an_allowed_name_resolving_to_loopback_is_refused(
    tmp_path: Path, media: MediaServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.zalo.media"):
        direct = fetch(tmp_path, "http://localhost/x.jpg")
        redirected = fetch(tmp_path, f"{media.base_url}/redirect?to=http://localhost/x.jpg")
    assert (direct or "").startswith("address not allowed: localhost -> 127.0.0.1")
    assert (redirected or "").startswith("address not allowed: localhost")
    assert caplog.text.count("attachment link refused") == 2


def test_redirect_loops_stop(tmp_path: Path, media: MediaServer) -> None:
    assert fetch(tmp_path, f"{media.base_url}/loop") == "too many redirects"
    assert media.hits["/loop"] == 4


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "224.0.0.1", "::1", "::ffff:10.0.0.1"]
)
def test_private_addresses_are_not_allowed(address: str) -> None:
    assert not AddressPolicy().allows(address)
    assert AddressPolicy(["0.0.0.0/0", "::/0"]).allows(address)


def test_public_addresses_are_allowed() -> None:
    assert AddressPolicy().allows("203.162.4.191")
    with pytest.raises(AddressRefused):
        AddressPolicy(["127.0.0.2/32"]).resolve("localhost", 80)


def test_a_slow_server_gets_one_deadline_in_all(tmp_path: Path) -> None:
    with media_server("127.0.0.2", drip=0.2) as slow:
        started = time.monotonic()
        error = fetch(tmp_path, f"{slow.base_url}/slow/s.jpg", deadline=1.5)
        took = time.monotonic() - started
    assert error == "too slow: over 1.5 s"
    assert took < 4, took
    assert not list(tmp_path.rglob("*.jpg"))  # a cut-short body is never stored
