"""HTTP for links that come from outside: only public addresses, within a total deadline.

A citizen's message carries the attachment links, so a link can name any host. The host
name is checked elsewhere (bot.zalo.media_links); here the address actually connected to is:
each connection resolves the name itself, refuses private, loopback, link-local, multicast
and reserved addresses (unless a network is allowed in ATTACHMENT_PRIVATE_NETWORKS, for the
local stand-in and tests) and connects to the address it checked, so a name that resolves
differently a second time cannot slip through. A timer shuts the sockets of one fetch down
at its deadline: a server sending a byte every few seconds never trips a per-read timeout.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class AddressRefused(Exception):
    """The link's host resolves to an address this service must not call."""


class AddressPolicy:
    """Which addresses may be connected to: public ones, and any network allowed by name."""

    def __init__(self, allowed_networks: Iterable[str] = ()) -> None:
        self.allowed: tuple[Network, ...] = tuple(
            ipaddress.ip_network(n.strip(), strict=False) for n in allowed_networks if n.strip()
        )

    def allows(self, address: str) -> bool:
        """Whether `address` (an IP literal) may be connected to."""
        ip = _unmapped(ipaddress.ip_address(address.split("%")[0]))
        if any(ip in net for net in self.allowed):
            return True
        return ip.is_global and not (ip.is_multicast or ip.is_reserved)

    def is_allowed_private(self, host: str) -> bool:
        """Whether `host` is an IP literal inside an explicitly allowed network."""
        try:
            ip = _unmapped(ipaddress.ip_address(host.strip("[]")))
        except ValueError:
            return False
        return any(ip in net for net in self.allowed)

    def resolve(self, host: str, port: int) -> str:
        """The address to connect to for `host`; AddressRefused if any of its addresses is
        not allowed (a name pointing both outside and inside is refused outright)."""
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = [str(info[4][0]) for info in infos]
        refused = [a for a in addresses if not self.allows(a)]
        if refused or not addresses:
            raise AddressRefused(f"address not allowed: {host} -> {', '.join(refused)}")
        return addresses[0]


def _unmapped(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


class Guard:
    """One fetch: the address policy and a deadline that shuts its sockets down."""

    def __init__(self, policy: AddressPolicy, seconds: float) -> None:
        self.policy = policy
        self.seconds = seconds
        self.expired = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Guard:
        self._timer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        """Shut `sock` down at the deadline (at once if it has passed)."""
        with self._lock:
            self._sockets.append(sock)
        if self.expired.is_set():
            _shut(sock)

    def _expire(self) -> None:
        self.expired.set()
        with self._lock:
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked recv; close() would not
    except OSError:
        pass


class _GuardedConnection(HTTPConnection):
    """Connects only to an address its guard checked, and puts the socket under its watch."""

    guard: Guard

    def _new_conn(self) -> socket.socket:
        if self.guard.expired.is_set():
            raise ConnectTimeoutError(self, "deadline passed")
        try:
            address = self.guard.policy.resolve(self.host, self.port)
        except socket.gaierror as exc:  # DNS may be back later: a network error, not a refusal
            raise NameResolutionError(self.host, self, exc) from exc
        try:
            sock = connection.create_connection(
                (address, self.port),
                self.timeout,
                source_address=self.source_address,
                socket_options=self.socket_options,
            )
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"connection to {self.host} timed out") from exc
        except OSError as exc:
            raise NewConnectionError(self, f"failed to connect: {exc}") from exc
        self.guard.watch(sock)
        return sock


class _GuardedHTTPSConnection(_GuardedConnection, HTTPSConnection):
    """The same for https: TLS still verifies the certificate against the host name."""


class GuardedAdapter(HTTPAdapter):
    """A transport adapter whose pools use the guarded connections of one Guard."""

    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        bound = {"guard": self.guard}
        plain = type("Conn", (_GuardedConnection,), bound)
        tls = type("TLSConn", (_GuardedHTTPSConnection,), bound)
        self.poolmanager.pool_classes_by_scheme = {
            "http": type("Pool", (HTTPConnectionPool,), {"ConnectionCls": plain}),
            "https": type("TLSPool", (HTTPSConnectionPool,), {"ConnectionCls": tls}),
        }


def guarded_session(guard: Guard) -> requests.Session:
    """A session for one fetch: no proxies from the environment, every connection guarded."""
    http = requests.Session()
    http.trust_env = False  # a proxy would connect on our behalf, unchecked
    adapter = GuardedAdapter(guard)
    http.mount("http://", adapter)
    http.mount("https://", adapter)
    return http
