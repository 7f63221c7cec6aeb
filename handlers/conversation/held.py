"""Messages sent before consent: held for a short time, offered after consent, else deleted.

Without consent nothing may be kept for long; yet the citizen who describes a flood in
three messages and then taps «Đồng ý» should not have to type it again. So their messages
stay, for `hold_minutes` at most, and after consent the bot asks: "Ông/Bà đã nhắn: «…».
Dùng làm nội dung phản ánh?". Refusing consent, answering no, or the time running out
deletes them (text, place and files), except an emergency kept for its vital interest.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import timedelta

from sqlalchemy import select

from handlers.conversation import drafts, emergency
from handlers.conversation.replies import button, say, short
from handlers.conversation.state import Step, Turn
from nlp.normalize import fold
from storage.models import Attachment, PetitionMessage

logger = logging.getLogger(__name__)

# "e nhắn ở trên rồi mà", "như trên", "dùng cái đó": the citizen points back at what was held.
_POINTS_BACK = re.compile(
    r"\b(?:(?:nhan|gui|noi|ghi|viet|ke)(?: \w+){0,2} (?:o )?tren(?: roi)?|nhu tren|o tren|"
    r"dung (?:noi dung )?(?:do|nay|tren)|lay (?:noi dung )?(?:do|tren)|noi roi ma|nhan roi ma)\b"
)
# A refusal anywhere in the reply. Folded, "đừng" (don't) and "dừng" (stop) read "dung", as
# "dùng" (use) does: they count only as typed with their marks; "không", "ko" in any form.
_REFUSES_MARKED = re.compile(r"(?<!\w)(?:đừng|dừng|bỏ|khỏi|xóa|xoá|hủy|huỷ)(?!\w)")
_REFUSES = re.compile(r"\b(?:khong|ko|k|xoa|huy)\b")
# The whole reply says yes to the offer: "dung" (dùng, or đúng), "dùng luôn đi", "lấy", "oki".
_ACCEPTS = re.compile(
    r"(?:(?:oki?e?|ok|vang|da|u|uh) )?(?:dung|lay|gui|oki?e?|okay|uk|uh|um|chuan|phai)"
    r"(?: (?:roi|luon|di|nhe|nha|a|ak|vay|nay|do|tren|giup|gium|em|e|toi|minh|ad|"
    r"noi dung|het|tat ca|ca))*"
)


def hold(turn: Turn, message: PetitionMessage | None) -> None:
    """Keep a message until consent, or until the hold expires."""
    if message is None or message.id in turn.state.held:
        return
    message.data = {**(message.data or {}), "held": True}
    turn.state.held = [*turn.state.held, message.id]
    turn.state.held_until = turn.now + timedelta(minutes=turn.config.hold_minutes)
    turn.go(turn.step)  # keeps expires_at on the hold's deadline


def _messages(turn: Turn) -> list[PetitionMessage]:
    if not turn.state.held:
        return []
    return list(
        turn.session.scalars(
            select(PetitionMessage)
            .where(PetitionMessage.id.in_(turn.state.held))
            .order_by(PetitionMessage.id)
        )
    )


def offer(turn: Turn) -> bool:
    """After consent: offer what was held as the petition's text; False when nothing was."""
    messages = _messages(turn)
    words = " ".join(m.text.strip() for m in messages if m.text and m.text.strip())
    files = turn.session.scalar(
        select(Attachment.id).where(Attachment.message_id.in_([m.id for m in messages])).limit(1)
    )
    place = any(_place_of(m) for m in messages)
    if not words and files is None and not place:
        drop(turn)
        return False
    turn.go(Step.HELD)
    say(
        turn,
        "bot.held_offer",
        text=short(words, 300) if words else "(ảnh, tệp)" if files is not None else "(vị trí)",
        buttons=[
            button(turn, "button.use_held", "#held:use"),
            button(turn, "button.drop_held", "#held:drop"),
        ],
    )
    return True


def _place_of(message: PetitionMessage) -> tuple[float, float] | None:
    """The coordinates of a shared location (kept on the message by record_event)."""
    spot = (message.data or {}).get("location") or {}
    if spot.get("lat") is None or spot.get("lng") is None:
        return None
    return float(spot["lat"]), float(spot["lng"])


def points_back(words: str) -> bool:
    """Whether a reply refers to the messages above ("e nhắn ở trên rồi mà"); ask `refuses`
    first ("không dùng nội dung đó" points back too)."""
    return bool(_POINTS_BACK.search(fold(words)))


def accepts(words: str) -> bool:
    """Whether a short reply takes the offer: "dung", "đúng rồi", "dùng luôn đi", "oki"."""
    folded = re.sub(r"[^\w\s]", " ", fold(words))
    return bool(_ACCEPTS.fullmatch(" ".join(folded.split())))


def refuses(words: str) -> bool:
    """Whether a reply says no: "đừng", "dừng nhé", "không dùng", "ko lấy", "xoá đi"."""
    text = unicodedata.normalize("NFC", words).lower()
    return bool(_REFUSES_MARKED.search(text) or _REFUSES.search(fold(text)))


def use(turn: Turn) -> None:
    """The held messages become the draft petition; then the usual questions."""
    from handlers.conversation import intake  # intake imports this module's callers

    messages = _messages(turn)
    turn.state.held, turn.state.held_until = [], None
    if not messages:
        turn.go(Step.IDLE)
        say(turn, "bot.petition_go_ahead")
        return
    draft = drafts.ensure_draft(turn)
    for message in messages:
        message.data = {k: v for k, v in (message.data or {}).items() if k != "held"}
        drafts.link_message(turn.session, message, draft)
        if message.text and message.text.strip():
            draft.text = f"{draft.text}\n{message.text.strip()}".strip()
        if (place := _place_of(message)) and draft.latitude is None:
            draft.latitude, draft.longitude = place  # the ward is then read from it
    if turn.state.urgent_alerted == "pre":
        emergency.raise_urgent(turn, draft, ())  # the alert sent before consent: this petition
    intake.advance(turn)


def drop(turn: Turn, *, tell: bool = False) -> None:
    """Delete what was held (an emergency kept for its vital interest stays)."""
    from handlers.conversation.privacy import scrub

    for message in _messages(turn):
        if not (message.data or {}).get("vital_interest"):
            scrub(turn, message)
    turn.state.held, turn.state.held_until = [], None
    if turn.state.urgent_alerted == "pre":
        turn.state.urgent_alerted = None  # its alert stays with staff; a new danger alerts anew
    if turn.step == Step.HELD:
        turn.go(Step.IDLE)
    else:
        turn.go(turn.step)
    if tell:
        say(turn, "bot.held_dropped")
