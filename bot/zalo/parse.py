"""Raw webhook payloads → typed events (handlers.events), and the de-duplication key.

Every shape the shared doc lists is accepted, including the alternatives (location under
`message.location`, file sizes as strings, the two `user_submit_info` shapes, seen receipts
with `msg_ids`). A payload that lacks what its event needs raises ParseError; the inbound
processor parks such an event for staff instead of retrying it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.zalo.signature import oa_id_of
from handlers import events as ev

USER_MESSAGES: dict[str, type[ev.MessageEvent]] = {
    "user_send_text": ev.TextMessage,
    "user_send_image": ev.ImageMessage,
    "user_send_file": ev.FileMessage,
    "user_send_location": ev.LocationMessage,
    "user_send_sticker": ev.StickerMessage,
    "user_send_link": ev.LinkMessage,
    "user_send_audio": ev.AudioMessage,
    "user_send_video": ev.VideoMessage,
    "user_send_gif": ev.GifMessage,
    "user_send_business_card": ev.BusinessCardMessage,
}
#: Events whose `message.msg_id` identifies them (with the OA id) for de-duplication.
_BY_MSG_ID = ("user_send_", "oa_send_", "anonymous_send_", "user_received_message")
_MAX_KEY = 200


class ParseError(ValueError):
    """The payload does not carry what its event needs."""


def load(raw: bytes) -> dict[str, Any]:
    """Decode a webhook body: UTF-8 JSON whose top level is an object, else ParseError."""
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ParseError(type(exc).__name__) from None
    if not isinstance(payload, dict):
        raise ParseError("top level is not an object")
    return payload


def parse_event(payload: Mapping[str, Any], *, inbound_event_id: int | None = None) -> ev.Event:
    """The typed event of a payload."""
    name = payload.get("event_name")
    if not isinstance(name, str) or not name:
        raise ParseError("no event_name")
    base: dict[str, Any] = {
        "event_name": name,
        "timestamp": parse_timestamp(payload.get("timestamp")),
        "inbound_event_id": inbound_event_id,
        "app_id": _str(payload.get("app_id")) or None,
        "oa_id": oa_id_of(payload) or None,
        "user_id_by_app": _str(payload.get("user_id_by_app")) or None,
    }
    message = _obj(payload.get("message"))
    if name in USER_MESSAGES:
        return _user_message(USER_MESSAGES[name], payload, message, base)
    if name in ("follow", "unfollow"):
        cls = ev.Follow if name == "follow" else ev.Unfollow
        user = _id(_obj(payload.get("follower"))) or _str(payload.get("user_id"))
        return cls(
            user_id=_required(user, "follower.id"),
            source=_str(payload.get("source")) or None,
            **base,
        )
    if name == "user_submit_info":
        user = _required(_id(_obj(payload.get("sender"))), "sender.id")
        return ev.SubmitInfo(user_id=user, info=_submitted_info(payload), **base)
    if name == "user_click_chatnow":
        user = _str(payload.get("user_id")) or _id(_obj(payload.get("sender")))
        return ev.ClickChatNow(user_id=_required(user, "user_id"), **base)
    if name in ("user_received_message", "user_seen_message"):
        return _receipt(name, payload, message, base)
    if name == "user_reacted_message":
        user = _required(_id(_obj(payload.get("sender"))), "sender.id")
        return ev.Reaction(
            user_id=user,
            msg_id=_str(message.get("msg_id")) or None,
            react_icon=_str(message.get("react_icon")),
            **base,
        )
    if name.startswith("oa_send_"):
        return _echo(name, payload, message, base)
    if name.startswith("anonymous_send_"):
        return _anonymous(name, payload, message, base)
    user = _id(_obj(payload.get("sender"))) or _str(payload.get("user_id"))
    return ev.UnknownEvent(user_id=user, keys=tuple(sorted(payload)), **base)


def parse_timestamp(value: Any) -> datetime:
    """Epoch milliseconds (a string, sometimes a number) → aware UTC datetime."""
    text = _str(value)
    if not text.isdigit():
        raise ParseError("timestamp is not epoch milliseconds")
    try:
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise ParseError("timestamp out of range") from None


def dedup_key(payload: Mapping[str, Any], raw: bytes) -> str:
    """OA id + msg_id for messages; (event, subject, timestamp) otherwise; body hash at last."""
    name = _str(payload.get("event_name"))
    msg_id = _str(_obj(payload.get("message")).get("msg_id"))
    if msg_id and name.startswith(_BY_MSG_ID):
        key = f"{name}|{oa_id_of(payload)}|{msg_id}"
    else:
        subject = subject_of(payload)
        timestamp = _str(payload.get("timestamp"))
        if not (subject or timestamp):
            return "raw|" + hashlib.sha256(raw).hexdigest()
        key = f"{name}|{subject}|{timestamp}|{msg_id}"
    if len(key) > _MAX_KEY:
        key = key[:120] + "|" + hashlib.sha256(key.encode()).hexdigest()[:64]
    return key


def subject_of(payload: Mapping[str, Any]) -> str:
    for side in ("follower", "sender"):
        found = _id(_obj(payload.get(side)))
        if found:
            return found
    return _str(payload.get("user_id")) or _str(payload.get("anonymous_id"))


# --- shapes -------------------------------------------------------------------------------


def _user_message(
    cls: type[ev.MessageEvent], payload: Mapping[str, Any], message: dict[str, Any], base: dict
) -> ev.MessageEvent:
    user = _required(_id(_obj(payload.get("sender"))), "sender.id")
    attachments = [_obj(a) for a in _list(message.get("attachments"))]
    fields: dict[str, Any] = {
        "user_id": user,
        "msg_id": _str(message.get("msg_id")) or None,
        "text": _str(message.get("text")),
        "quote_msg_id": _str(message.get("quote_msg_id")) or None,
        "attachments": tuple(m for m in (_media(a) for a in attachments) if m is not None),
    }
    if cls is ev.LocationMessage:
        fields["location"] = _location(message, attachments)
    elif cls is ev.LinkMessage:
        fields["link"] = _link(attachments)
    elif cls is ev.BusinessCardMessage:
        fields["card"] = _card(message, attachments)
    return cls(**fields, **base)


def _media(attachment: dict[str, Any]) -> ev.Media | None:
    kind = _str(attachment.get("type"))
    if kind not in {"image", "file", "audio", "video", "gif", "sticker"}:
        return None
    p = _obj(attachment.get("payload"))
    return ev.Media(
        kind=kind,
        url=_str(p.get("url")),
        thumbnail=_str(p.get("thumbnail")) or None,
        name=_str(p.get("name")) or None,
        size=_int(p.get("size")),
        mime=_str(p.get("type")) or None if kind == "file" else None,
        media_id=_str(p.get("id")) or None,
    )


def _location(message: dict[str, Any], attachments: list[dict[str, Any]]) -> ev.Location:
    coords: dict[str, Any] = {}
    for a in attachments:
        if _str(a.get("type")) == "location":
            coords = _obj(_obj(a.get("payload")).get("coordinates"))
    if not coords:
        coords = _obj(message.get("location"))  # the alternative shape
    lat, lng = _float(coords.get("latitude")), _float(coords.get("longitude"))
    if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ParseError("location without valid coordinates")
    return ev.Location(latitude=lat, longitude=lng, address=_str(coords.get("address")) or None)


def _link(attachments: list[dict[str, Any]]) -> ev.Link | None:
    for a in attachments:
        p = _obj(a.get("payload"))
        if _str(a.get("type")) == "link" and _str(p.get("url")):
            return ev.Link(
                url=_str(p.get("url")),
                title=_str(p.get("title")) or None,
                description=_str(p.get("description")) or None,
                thumbnail=_str(p.get("thumbnail")) or None,
            )
    return None


def _card(message: dict[str, Any], attachments: list[dict[str, Any]]) -> ev.BusinessCard:
    phone = user_id = None
    for a in attachments:
        description = _obj(a.get("payload")).get("description")
        details: Any = description
        if isinstance(description, str):
            try:
                details = json.loads(description)
            except ValueError:
                details = {}
        details = _obj(details)
        phone = _str(details.get("phone")) or phone
        user_id = _str(details.get("userId")) or _str(details.get("user_id")) or user_id
    return ev.BusinessCard(
        name=_str(message.get("text")), phone=phone or None, user_id=user_id or None
    )


def _submitted_info(payload: Mapping[str, Any]) -> ev.SubmittedInfo:
    info = _obj(payload.get("info")) or dict(payload)  # nested, or flat at the top level
    full = _obj(info.get("full_address"))
    return ev.SubmittedInfo(
        name=_str(info.get("name")) or None,
        phone=_str(info.get("phone")) or None,
        address=_str(full.get("user_address")) or _str(info.get("address")) or None,
        ward=_str(full.get("user_ward")) or _str(info.get("ward")) or None,
        district=_str(full.get("user_district")) or _str(info.get("district")) or None,
        city=_str(full.get("user_city")) or _str(info.get("city")) or None,
        dob=_str(info.get("user_dob")) or None,
        gender=_str(info.get("gender")) or None,
    )


def _receipt(
    name: str, payload: Mapping[str, Any], message: dict[str, Any], base: dict
) -> ev.Receipt:
    cls = ev.MessageSeen if name == "user_seen_message" else ev.MessageReceived
    user = _id(_obj(payload.get("recipient")))
    msg_ids = tuple(s for s in (_str(i) for i in _list(message.get("msg_ids"))) if s)
    return cls(
        user_id=_required(user, "recipient.id"),
        msg_id=_str(message.get("msg_id")) or None,
        msg_ids=msg_ids,
        **base,
    )


def _echo(name: str, payload: Mapping[str, Any], message: dict[str, Any], base: dict) -> ev.OaEcho:
    sender = _obj(payload.get("sender"))
    attachments = [_obj(a) for a in _list(message.get("attachments"))]
    return ev.OaEcho(
        user_id=_id(_obj(payload.get("recipient"))),
        msg_id=_str(message.get("msg_id")) or None,
        admin_id=_str(sender.get("admin_id")) or None,
        message_kind=name.removeprefix("oa_send_") or "text",
        text=_str(message.get("text")),
        attachments=tuple(m for m in (_media(a) for a in attachments) if m is not None),
        **base,
    )


def _anonymous(
    name: str, payload: Mapping[str, Any], message: dict[str, Any], base: dict
) -> ev.AnonymousMessage:
    sender = _obj(payload.get("sender"))
    attachments = [_obj(a) for a in _list(message.get("attachments"))]
    return ev.AnonymousMessage(
        user_id="",
        msg_id=_str(message.get("msg_id")) or None,
        anonymous_id=_str(payload.get("anonymous_id")) or _str(sender.get("id")),
        conversation_id=_str(payload.get("conversation_id"))
        or _str(message.get("conversation_id")),
        message_kind=name.removeprefix("anonymous_send_") or "text",
        text=_str(message.get("text")),
        attachments=tuple(m for m in (_media(a) for a in attachments) if m is not None),
        **base,
    )


# --- typed reads that never trust the payload --------------------------------------------


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _id(party: dict[str, Any]) -> str:
    return _str(party.get("id"))


def _int(value: Any) -> int | None:
    text = _str(value).strip()
    return int(text) if text.isdigit() else None


def _float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if result == result else None  # NaN


def _required(value: str, what: str) -> str:
    if not value:
        raise ParseError(f"missing {what}")
    return value
