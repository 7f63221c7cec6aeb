"""Strict reading of an attachment link before anything is fetched.

Parsers disagree on odd links: `http://127.0.0.1:8000\\@zalo.me/x.jpg` reads as host zalo.me
to one and as 127.0.0.1 to another. So only plain links pass: http(s), ASCII without
backslashes, spaces or control characters, no user part, the default port (another only for
an allowed private network), and a host that the checker and the HTTP client read alike and
that is on the media allow-list. The address behind the name is checked on connect
(bot.zalo.guarded_http).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from bot.zalo.guarded_http import AddressPolicy

_DEFAULT_PORTS = {"http": 80, "https": 443}


def refuse_link(url: str, hosts: Sequence[str], policy: AddressPolicy) -> str | None:
    """Why `url` must not be fetched, or None when it may be."""
    if not url.isascii() or any(c == "\\" or ord(c) <= 32 or ord(c) == 127 for c in url):
        return "link not allowed: odd characters"
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return "link not allowed: not http(s)"
    if "@" in parts.netloc:
        return "link not allowed: user part"
    host = parts.hostname.lower()
    if _client_host(url) != host:
        return "link not allowed: ambiguous host"
    if not any(host == h or host.endswith("." + h) for h in hosts):
        return f"host not allowed: {host}"
    try:
        port = parts.port
    except ValueError:
        return "link not allowed: bad port"
    if port not in (None, _DEFAULT_PORTS[parts.scheme]) and not policy.is_allowed_private(host):
        return f"link not allowed: port {port}"
    return None


def _client_host(url: str) -> str | None:
    """The host the HTTP client (urllib3) would connect to."""
    try:
        host = parse_url(url).host
    except LocationParseError:
        return None
    return host.lower().strip("[]") if host else None
