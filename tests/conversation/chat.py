"""An in-process chat driver: typed events through the real router, replies from the outbox.

The end-to-end tests go through the signed webhook and the stand-in; this driver keeps the
many small state-machine tests fast (same handlers, same database, no HTTP).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import handlers.conversation.dispatch  # noqa: F401 - puts `converse` on the router
from handlers.conversation.config import ConversationConfig
from handlers.conversation.tick import due_conversations, flush_one
from handlers.events import (
    ClickChatNow,
    Follow,
    ImageMessage,
    Location,
    LocationMessage,
    Media,
    StickerMessage,
    TextMessage,
)
from handlers.inbound import HandlerContext, router
from handlers.services import Services
from storage.models import Citizen, Conversation, OutboxMessage

_ids = itertools.count(1)


@dataclass
class Reply:
    text: str
    buttons: list[dict[str, str]]

    @property
    def titles(self) -> list[str]:
        return [b["title"] for b in self.buttons]

    def payload(self, title: str) -> str:
        for b in self.buttons:
            if b["title"] == title:
                return b["payload"]
        raise AssertionError(f"no button {title!r} in {self.titles}")


@dataclass
class Chat:
    session: Session
    user_id: str
    now: datetime
    config: ConversationConfig
    seen: int = 0
    log: list[tuple[str, str]] = field(default_factory=list)

    def _ctx(self) -> HandlerContext:
        return HandlerContext(now=self.now, services=Services(conversation=self.config))

    def _base(self, name: str) -> dict[str, Any]:
        return {
            "event_name": name,
            "user_id": self.user_id,
            "timestamp": self.now,
            "msg_id": f"m{next(_ids)}",
        }

    def dispatch(self, event: Any) -> list[Reply]:
        with self.session.begin_nested():
            router.dispatch(self.session, event, self._ctx())
        self.session.flush()
        return self.replies()

    def say(self, text: str) -> list[Reply]:
        self.log.append(("citizen", text))
        return self.dispatch(TextMessage(**self._base("user_send_text"), text=text))

    def tap(self, reply: Reply, title: str) -> list[Reply]:
        self.log.append(("citizen", f"[{title}]"))
        return self.dispatch(TextMessage(**self._base("user_send_text"), text=reply.payload(title)))

    def photo(self, caption: str = "", url: str = "https://example.invalid/p.jpg") -> list[Reply]:
        media = (Media(kind="image", url=url),)
        return self.dispatch(
            ImageMessage(**self._base("user_send_image"), text=caption, attachments=media)
        )

    def location(self, lat: float = 15.5736, lng: float = 108.4740) -> list[Reply]:
        return self.dispatch(
            LocationMessage(**self._base("user_send_location"), location=Location(lat, lng))
        )

    def sticker(self) -> list[Reply]:
        media = (Media(kind="sticker", url="https://example.invalid/s"),)
        return self.dispatch(StickerMessage(**self._base("user_send_sticker"), attachments=media))

    def follow(self) -> list[Reply]:
        base = self._base("follow")
        base["msg_id"] = None
        return self.dispatch(Follow(**base))

    def chat_now(self) -> list[Reply]:
        base = self._base("user_click_chatnow")
        base["msg_id"] = None
        return self.dispatch(ClickChatNow(**base))

    def wait(self, seconds: float = 30) -> list[Reply]:
        """Let the quiet window pass and run the flush, as the tick would."""
        self.now += timedelta(seconds=seconds)
        for cid in due_conversations(self.session, self.now):
            with self.session.begin_nested():
                flush_one(self.session, cid, self.now, self.config)
        self.session.flush()
        return self.replies()

    @property
    def citizen(self) -> Citizen:
        citizen = self.session.scalar(select(Citizen).where(Citizen.zalo_user_id == self.user_id))
        assert citizen is not None
        return citizen

    @property
    def conversation(self) -> Conversation:
        conv = self.session.scalar(
            select(Conversation).where(Conversation.citizen_id == self.citizen.id)
        )
        assert conv is not None
        return conv

    def replies(self) -> list[Reply]:
        rows = self.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == self.user_id, OutboxMessage.id > self.seen)
            .order_by(OutboxMessage.id)
        ).all()
        if rows:
            self.seen = rows[-1].id
        out = [Reply(r.payload.get("text", ""), r.payload.get("buttons", [])) for r in rows]
        for r in out:
            self.log.append(("bot", r.text + (f"  {r.titles}" if r.buttons else "")))
        return out

    def consent(self) -> None:
        first = self.say("xin chào")
        self.tap(first[-1], "Đồng ý")
