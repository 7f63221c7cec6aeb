"""Queueing: what callers use, in the same transaction as the change that caused the message."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Citizen, OutboxMessage, Petition
from storage.models.enums import OutboxChannel, OutboxState
from storage.wake import wake_after_commit

MAX_BUTTONS = 5
MAX_BUTTON_TITLE = 20
BUTTON_TYPES = frozenset({"oa.query.hide", "oa.query.show", "oa.open.url", "oa.open.phone"})
ZALO_KINDS = frozenset({"text", "image", "request_user_info"})

#: Reasons stored in last_error for held rows (shown to staff).
HELD_WINDOW = "window"
HELD_UNREACHABLE = "unreachable"


class OutboxError(ValueError):
    """The message cannot be queued as asked (fix the caller, not the network)."""


@dataclass(frozen=True)
class Button:
    """A button under a Zalo message; `payload` comes back as the user's text when tapped."""

    title: str
    payload: str
    type: str = "oa.query.hide"


def queue_zalo(
    session: Session,
    *,
    citizen: Citizen,
    text: str | None = None,
    buttons: Sequence[Button] = (),
    image_url: str | None = None,
    kind: str = "text",
    petition: Petition | None = None,
    dedup_key: str | None = None,
    subtitle: str | None = None,
    quote_msg_id: str | None = None,
) -> OutboxMessage:
    """Queue a Zalo message; a repeated dedup_key returns the row already queued.

    kind "text": text (any length; split at 2000 characters when sent) with optional buttons;
    "image": image_url with an optional caption; "request_user_info": the consent/contact card
    with text as its title, subtitle and image_url.
    """
    if not citizen.zalo_user_id:
        raise OutboxError("citizen has no Zalo id")
    payload = zalo_payload(kind, text, tuple(buttons), image_url, subtitle, quote_msg_id)
    row = OutboxMessage(
        channel=OutboxChannel.ZALO,
        recipient=citizen.zalo_user_id,
        citizen_id=citizen.id,
        petition_id=petition.id if petition is not None else None,
        kind=kind,
        payload=payload,
        dedup_key=dedup_key,
    )
    if citizen.unreachable_at is not None:
        # Blocked or unfollowed: keep it for staff and send if the citizen comes back.
        row.state = OutboxState.HELD
        row.last_error = HELD_UNREACHABLE
    return _insert(session, row)


def queue_email(
    session: Session,
    *,
    to: str | Iterable[str],
    subject: str,
    body: str,
    petition: Petition | None = None,
    dedup_key: str | None = None,
    attachments: Sequence[str] = (),
) -> OutboxMessage:
    """Queue an email (agencies, staff digests); attachments are file paths."""
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients or not all(r and "@" in r for r in recipients):
        raise OutboxError("email needs at least one address")
    row = OutboxMessage(
        channel=OutboxChannel.EMAIL,
        recipient=", ".join(recipients)[:200],
        petition_id=petition.id if petition is not None else None,
        kind="email",
        payload={
            "to": recipients,
            "subject": subject,
            "body": body,
            "attachments": [str(a) for a in attachments],
        },
        dedup_key=dedup_key,
    )
    return _insert(session, row)


def zalo_payload(
    kind: str,
    text: str | None,
    buttons: tuple[Button, ...],
    image_url: str | None,
    subtitle: str | None,
    quote_msg_id: str | None,
) -> dict[str, Any]:
    """The stored payload of a Zalo message, checked against what Zalo accepts."""
    if kind not in ZALO_KINDS:
        raise OutboxError(f"unknown Zalo message kind {kind!r}")
    if kind == "text" and not (text and text.strip()):
        raise OutboxError("a text message needs text")
    if kind in {"image", "request_user_info"} and not image_url:
        raise OutboxError(f"a {kind} message needs image_url")
    if kind == "request_user_info" and not text:
        raise OutboxError("a request_user_info card needs a title (text)")
    _check_buttons(buttons)
    payload: dict[str, Any] = {"text": unicodedata.normalize("NFC", text or "")}
    if buttons:
        payload["buttons"] = [asdict(b) for b in buttons]
    if image_url:
        payload["image_url"] = image_url
    if subtitle:
        payload["subtitle"] = subtitle
    if quote_msg_id:
        payload["quote_msg_id"] = quote_msg_id
    return payload


def _check_buttons(buttons: tuple[Button, ...]) -> None:
    if len(buttons) > MAX_BUTTONS:
        raise OutboxError(f"at most {MAX_BUTTONS} buttons")
    for b in buttons:
        if not b.title or len(unicodedata.normalize("NFC", b.title)) > MAX_BUTTON_TITLE:
            raise OutboxError(f"button titles need 1–{MAX_BUTTON_TITLE} characters")
        if b.type not in BUTTON_TYPES:
            raise OutboxError(f"unknown button type {b.type!r}")


def _insert(session: Session, row: OutboxMessage) -> OutboxMessage:
    """Add the row; with a dedup_key already used, return the existing row instead."""
    if row.dedup_key is not None:
        existing = session.scalar(
            select(OutboxMessage).where(OutboxMessage.dedup_key == row.dedup_key)
        )
        if existing is not None:
            return existing
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # Another transaction queued the same key between our check and our insert.
        existing = session.scalar(
            select(OutboxMessage).where(OutboxMessage.dedup_key == row.dedup_key)
        )
        if existing is None:
            raise
        return existing
    wake_after_commit(session)
    return row
