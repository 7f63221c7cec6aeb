"""The webhook MAC: `X-ZEvent-Signature: mac=<sha256 hex>` over the raw body, in constant time.

Zalo's formula is plain SHA-256 of a concatenation (not HMAC). Sources disagree on the parts,
so the concatenation is a named variant chosen in configuration
(`WEBHOOK_SIGNATURE_VARIANTS`, comma-separated, tried in order); the one that matched is
stored with the event and logged. A custom order can be given as parts joined by `+`,
e.g. `oa_id+body+timestamp+oa_secret_key`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: Named variants → the parts hashed, in order.
VARIANTS: dict[str, tuple[str, ...]] = {
    # Zalo's documented formula: sha256(app_id + raw body + timestamp + OA secret key).
    "app_body_ts_oakey": ("app_id", "body", "timestamp", "oa_secret_key"),
    # One source: the app secret instead of the OA secret key.
    "app_body_ts_appsecret": ("app_id", "body", "timestamp", "app_secret"),
    # Community code: the OA id in place of the app id.
    "oaid_body_ts_oakey": ("oa_id", "body", "timestamp", "oa_secret_key"),
}
DEFAULT_VARIANT = "app_body_ts_oakey"
PARTS = frozenset({"app_id", "oa_id", "body", "timestamp", "oa_secret_key", "app_secret"})
HEADER = "X-ZEvent-Signature"


class SignatureConfigError(ValueError):
    """A configured variant names parts that do not exist."""


@dataclass(frozen=True)
class Secrets:
    """The values a variant may hash besides the body and the timestamp."""

    app_id: str
    oa_secret_key: str
    app_secret: str
    oa_id: str = ""


def parts_of(variant: str) -> tuple[str, ...]:
    """The parts a variant hashes (a known name or a `+`-joined custom order)."""
    if variant in VARIANTS:
        return VARIANTS[variant]
    parts = tuple(p.strip() for p in variant.split("+") if p.strip())
    if "body" not in parts or not set(parts) <= PARTS:
        raise SignatureConfigError(f"unknown signature variant {variant!r}")
    return parts


def compute(
    variant: str, body: bytes, *, timestamp: str, secrets: Secrets, app_id: str, oa_id: str = ""
) -> str:
    """The lowercase hex digest a variant gives for this body."""
    values = {
        "app_id": app_id.encode(),
        "oa_id": (oa_id or secrets.oa_id).encode(),
        "body": body,
        "timestamp": timestamp.encode(),
        "oa_secret_key": secrets.oa_secret_key.encode(),
        "app_secret": secrets.app_secret.encode(),
    }
    digest = hashlib.sha256()
    for part in parts_of(variant):
        digest.update(values[part])
    return digest.hexdigest()


def header_value(digest: str) -> str:
    """The header as Zalo sends it."""
    return f"mac={digest}"


def received_mac(header: str | None) -> str | None:
    """The hex digest of a header (`mac=<hex>`; a bare digest is accepted too)."""
    if not header:
        return None
    value = header.strip()
    if value.lower().startswith("mac="):
        value = value[4:]
    value = value.strip().lower()
    return value or None


def verify(
    header: str | None,
    body: bytes,
    *,
    payload: Mapping[str, object],
    secrets: Secrets,
    variants: Iterable[str],
) -> str | None:
    """The name of the variant that matches, or None. Every comparison is constant-time."""
    mac = received_mac(header)
    if mac is None:
        return None
    app_id = _text(payload.get("app_id")) or secrets.app_id
    timestamp = _text(payload.get("timestamp"))
    oa_id = oa_id_of(payload) or secrets.oa_id
    matched = None
    for variant in variants:
        expected = compute(
            variant, body, timestamp=timestamp, secrets=secrets, app_id=app_id, oa_id=oa_id
        )
        if hmac.compare_digest(expected.encode(), mac.encode()) and matched is None:
            matched = variant
    return matched


def sign(
    body: bytes,
    *,
    secrets: Secrets,
    timestamp: str,
    app_id: str | None = None,
    oa_id: str = "",
    variant: str = DEFAULT_VARIANT,
) -> str:
    """The header value Zalo would send (tests, the stand-in, the simulator)."""
    digest = compute(
        variant,
        body,
        timestamp=timestamp,
        secrets=secrets,
        app_id=app_id or secrets.app_id,
        oa_id=oa_id,
    )
    return header_value(digest)


def oa_id_of(payload: Mapping[str, object]) -> str:
    """The OA's id in an event: `oa_id`, the recipient of user events, the sender of OA's."""
    if payload.get("oa_id"):
        return _text(payload.get("oa_id"))
    name = _text(payload.get("event_name"))
    side = (
        "sender"
        if name.startswith("oa_send")
        or name.startswith("user_received")
        or (name.startswith("user_seen"))
        else "recipient"
    )
    party = payload.get(side)
    if isinstance(party, Mapping):
        return _text(party.get("id"))
    return ""


def _text(value: object) -> str:
    """A string field (ints accepted: some senders do not quote them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""
