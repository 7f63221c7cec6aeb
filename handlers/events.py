"""Typed, frozen Zalo OA events: what a webhook delivery means, without HTTP or JSON.

The parser that builds these from raw payloads lives in `bot.zalo.parse` (handlers never
import bot); handlers receive them through `handlers.inbound.router`. Ids stay `str` (they
exceed 2^53) and every timestamp is an aware UTC datetime.

`counts_as_interaction` tells whether Zalo opens the 7-day window for the event: messages,
follows, taps and form answers do; receipts, echoes, unfollows and unknown events do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

# --- attachments -------------------------------------------------------------------------


@dataclass(frozen=True)
class Media:
    """An image, file, audio, video, gif or sticker the user sent (URLs expire in ~7 days)."""

    kind: str  # image, file, audio, video, gif, sticker
    url: str = ""
    thumbnail: str | None = None
    name: str | None = None
    size: int | None = None
    mime: str | None = None
    media_id: str | None = None

    @property
    def is_evidence(self) -> bool:
        """Whether the file is kept as evidence (downloaded before the link expires)."""
        return self.kind in EVIDENCE_KINDS and bool(self.url)


#: Media kinds downloaded and kept; stickers and gifs are decoration.
EVIDENCE_KINDS = frozenset({"image", "file", "audio", "video"})


@dataclass(frozen=True)
class Location:
    """A shared position (Zalo sends the coordinates as strings)."""

    latitude: float
    longitude: float
    address: str | None = None


@dataclass(frozen=True)
class Link:
    """A link the user shared."""

    url: str
    title: str | None = None
    description: str | None = None
    thumbnail: str | None = None


@dataclass(frozen=True)
class BusinessCard:
    """A contact card: its name and the phone Zalo puts in a JSON-encoded description."""

    name: str
    phone: str | None = None
    user_id: str | None = None


@dataclass(frozen=True)
class SubmittedInfo:
    """The answer to a request-user-info card (either of the two reported shapes)."""

    name: str | None = None
    phone: str | None = None
    address: str | None = None
    ward: str | None = None
    district: str | None = None
    city: str | None = None
    dob: str | None = None
    gender: str | None = None


# --- events ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Event:
    """What every event carries. `user_id` is the citizen's OA-scoped id ('' if none)."""

    event_name: str
    user_id: str
    timestamp: datetime
    msg_id: str | None = None
    inbound_event_id: int | None = None
    app_id: str | None = None
    oa_id: str | None = None
    user_id_by_app: str | None = None

    counts_as_interaction: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True)
class MessageEvent(Event):
    """A message from the citizen to the OA; `text` is the text or the caption."""

    text: str = ""
    attachments: tuple[Media, ...] = ()
    quote_msg_id: str | None = None

    kind: ClassVar[str] = "message"


@dataclass(frozen=True, kw_only=True)
class TextMessage(MessageEvent):
    kind: ClassVar[str] = "text"


@dataclass(frozen=True, kw_only=True)
class ImageMessage(MessageEvent):
    kind: ClassVar[str] = "image"


@dataclass(frozen=True, kw_only=True)
class FileMessage(MessageEvent):
    kind: ClassVar[str] = "file"


@dataclass(frozen=True, kw_only=True)
class AudioMessage(MessageEvent):
    kind: ClassVar[str] = "audio"


@dataclass(frozen=True, kw_only=True)
class VideoMessage(MessageEvent):
    kind: ClassVar[str] = "video"


@dataclass(frozen=True, kw_only=True)
class GifMessage(MessageEvent):
    kind: ClassVar[str] = "gif"


@dataclass(frozen=True, kw_only=True)
class StickerMessage(MessageEvent):
    kind: ClassVar[str] = "sticker"


@dataclass(frozen=True, kw_only=True)
class LocationMessage(MessageEvent):
    location: Location | None = None

    kind: ClassVar[str] = "location"


@dataclass(frozen=True, kw_only=True)
class LinkMessage(MessageEvent):
    link: Link | None = None

    kind: ClassVar[str] = "link"


@dataclass(frozen=True, kw_only=True)
class BusinessCardMessage(MessageEvent):
    card: BusinessCard | None = None

    kind: ClassVar[str] = "business_card"


@dataclass(frozen=True, kw_only=True)
class Follow(Event):
    source: str | None = None


@dataclass(frozen=True, kw_only=True)
class Unfollow(Event):
    source: str | None = None

    counts_as_interaction: ClassVar[bool] = False


@dataclass(frozen=True, kw_only=True)
class SubmitInfo(Event):
    info: SubmittedInfo = SubmittedInfo()


@dataclass(frozen=True, kw_only=True)
class ClickChatNow(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class Reaction(Event):
    """The user reacted to a message (`msg_id` is the message reacted to)."""

    react_icon: str = ""


@dataclass(frozen=True, kw_only=True)
class Receipt(Event):
    """Delivery state of messages the OA sent; carries no content."""

    msg_ids: tuple[str, ...] = ()

    counts_as_interaction: ClassVar[bool] = False


@dataclass(frozen=True, kw_only=True)
class MessageReceived(Receipt):
    pass


@dataclass(frozen=True, kw_only=True)
class MessageSeen(Receipt):
    pass


@dataclass(frozen=True, kw_only=True)
class OaEcho(Event):
    """A message the OA sent (the bot's own, or a human's in Zalo's chat tool if admin_id)."""

    admin_id: str | None = None
    message_kind: str = "text"
    text: str = ""
    attachments: tuple[Media, ...] = ()

    counts_as_interaction: ClassVar[bool] = False

    @property
    def by_staff(self) -> bool:
        """Whether a person wrote it in Zalo's own OA tool (to record in the thread)."""
        return bool(self.admin_id)


@dataclass(frozen=True, kw_only=True)
class AnonymousMessage(Event):
    """A message from an anonymous chat: no citizen id, only the anonymous pair."""

    anonymous_id: str = ""
    conversation_id: str = ""
    message_kind: str = "text"
    text: str = ""
    attachments: tuple[Media, ...] = ()

    counts_as_interaction: ClassVar[bool] = False


@dataclass(frozen=True, kw_only=True)
class UnknownEvent(Event):
    """An event this product does not know; kept in the inbound table, acknowledged."""

    keys: tuple[str, ...] = ()

    counts_as_interaction: ClassVar[bool] = False


__all__ = [
    "EVIDENCE_KINDS",
    "AnonymousMessage",
    "AudioMessage",
    "BusinessCard",
    "BusinessCardMessage",
    "ClickChatNow",
    "Event",
    "FileMessage",
    "Follow",
    "GifMessage",
    "ImageMessage",
    "Link",
    "LinkMessage",
    "Location",
    "LocationMessage",
    "Media",
    "MessageEvent",
    "MessageReceived",
    "MessageSeen",
    "OaEcho",
    "Reaction",
    "Receipt",
    "StickerMessage",
    "SubmitInfo",
    "SubmittedInfo",
    "TextMessage",
    "Unfollow",
    "UnknownEvent",
    "VideoMessage",
]
