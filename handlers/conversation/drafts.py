"""A draft petition: what a burst of messages adds to it, and forgetting it.

A draft is a Petition in state draft owned by the citizen; the messages record_event kept
are linked to it (petition_id) together with their attachments, so staff later see the
citizen's own words and photos as they arrived.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta

from sqlalchemy import delete, event, func, select, update
from sqlalchemy.orm import Session

from handlers.conversation.memory import forget_draft
from handlers.conversation.state import DRAFT_STEPS, Step, Turn
from handlers.conversation.understand import phone_in
from handlers.events import BusinessCardMessage, LinkMessage, LocationMessage, MessageEvent
from storage.models import Attachment, OutboxMessage, Petition, PetitionMessage, StaffNotification
from storage.models.enums import Channel, PetitionState

logger = logging.getLogger(__name__)


def ensure_draft(turn: Turn) -> Petition:
    """The conversation's draft, created on the first message of a petition."""
    draft = turn.draft()
    if draft is not None and draft.state == PetitionState.DRAFT:
        return draft
    draft = Petition(
        state=PetitionState.DRAFT,
        channel=Channel.ZALO,
        citizen_id=turn.citizen.id,
        ward_id=None,
        text="",
        created_at=turn.now,
    )
    turn.session.add(draft)
    turn.session.flush()
    turn.conversation.draft_petition_id = draft.id
    forget_draft(turn.state)
    if turn.state.urgent_alerted != "pre":
        turn.state.urgent_alerted = None
    return draft


def absorb(turn: Turn, event: MessageEvent, message: PetitionMessage | None) -> Petition:
    """Add one message (text, photo, file, location, link, card) to the draft."""
    draft = ensure_draft(turn)
    if turn.step == Step.EDIT_TEXT:
        draft.text = ""  # the first text after "Sửa nội dung" replaces the old one
        draft.category_id = None
        draft.legal_type = None
        turn.state.analysed = None
    link_message(turn.session, message, draft)
    words = _words_of(event)
    if words:
        draft.text = f"{draft.text}\n{words}".strip() if draft.text else words
        if draft.callback_phone is None and (phone := phone_in(words)):
            draft.callback_phone = phone
    if isinstance(event, LocationMessage) and event.location is not None:
        draft.latitude = event.location.latitude
        draft.longitude = event.location.longitude
        if event.location.address and not draft.place:
            draft.place = event.location.address[:300]
    if isinstance(event, BusinessCardMessage) and event.card and event.card.phone:
        draft.callback_phone = event.card.phone[:32]
    gather(turn)
    return draft


def _words_of(event: MessageEvent) -> str:
    """The citizen's words in a message (a caption, a link's address)."""
    text = (event.text or "").strip()
    if isinstance(event, LinkMessage) and event.link is not None:
        text = f"{text} {event.link.url}".strip()
    if isinstance(event, BusinessCardMessage):
        return ""
    return text


def gather(turn: Turn) -> None:
    """Wait for a quiet moment before answering: one reply for a burst of messages."""
    first = turn.state.burst_started or turn.now
    turn.state.burst_started = first
    turn.go(Step.GATHERING)
    turn.conversation.due_at = min(
        turn.now + timedelta(seconds=turn.config.gather_seconds),
        first + timedelta(seconds=turn.config.gather_max_seconds),
    )


def link_message(session: Session, message: PetitionMessage | None, petition: Petition) -> None:
    """Put a recorded message and its attachments into a petition's thread."""
    if message is None:
        return
    message.petition_id = petition.id
    session.execute(
        update(Attachment)
        .where(Attachment.message_id == message.id)
        .values(petition_id=petition.id)
        .execution_options(synchronize_session="fetch")
    )


def move_thread(session: Session, source: Petition, target: Petition) -> int:
    """Move a draft's messages and files to another petition; return how many messages."""
    moved = session.execute(
        update(PetitionMessage)
        .where(PetitionMessage.petition_id == source.id)
        .values(petition_id=target.id)
        .execution_options(synchronize_session="fetch")
    )
    session.execute(
        update(Attachment)
        .where(Attachment.petition_id == source.id)
        .values(petition_id=target.id)
        .execution_options(synchronize_session="fetch")
    )
    for model in (StaffNotification, OutboxMessage):  # an alert, a reply not yet sent
        session.execute(
            update(model)
            .where(model.petition_id == source.id)
            .values(petition_id=target.id)
            .execution_options(synchronize_session="fetch")
        )
    return int(getattr(moved, "rowcount", 0) or 0)


def attachment_count(session: Session, petition: Petition) -> int:
    return int(
        session.scalar(select(func.count()).where(Attachment.petition_id == petition.id)) or 0
    )


def discard(turn: Turn) -> None:
    """Forget the draft: its messages, files and the petition row; back to idle."""
    draft = turn.draft()
    second = turn.session.get(Petition, turn.state.split_next) if turn.state.split_next else None
    turn.conversation.draft_petition_id = None
    turn.state.split_next = None
    forget_draft(turn.state)
    turn.go(Step.IDLE)
    for row in (draft, second):  # the second petition of a split message goes with it
        if row is not None and row.state == PetitionState.DRAFT:
            forget(turn.session, row, turn.config.attachment_dir)


def forget(session: Session, draft: Petition, root: str = "") -> None:
    """Delete a draft petition with its thread and the files only it used."""
    files = session.scalars(select(Attachment).where(Attachment.petition_id == draft.id)).all()
    paths = {(a.sha256, a.storage_path) for a in files if a.storage_path}
    # An urgent alert raised on the draft outlives it (the FK would cascade it away).
    session.execute(
        update(StaffNotification)
        .where(StaffNotification.petition_id == draft.id)
        .values(petition_id=None)
        .execution_options(synchronize_session="fetch")
    )
    session.execute(delete(PetitionMessage).where(PetitionMessage.petition_id == draft.id))
    session.delete(draft)
    session.flush()
    for sha, path in paths:
        remove_file_if_unused(session, sha, path, root)


def remove_file_if_unused(
    session: Session, sha: str | None, path: str | None, root: str = ""
) -> None:
    """Files are stored by content hash: remove one only when no other row uses it."""
    if not path:
        return
    used = session.scalar(select(func.count()).where(Attachment.storage_path == path))
    if not used and sha:
        used = session.scalar(select(func.count()).where(Attachment.sha256 == sha))
    if used:
        return
    full = os.path.join(root, path) if root and not os.path.isabs(path) else path
    session.info.setdefault(_REMOVE_AFTER_COMMIT, []).append(full)


_REMOVE_AFTER_COMMIT = "pakn.conversation.remove_files"


@event.listens_for(Session, "after_commit")
def _remove_files(session: Session) -> None:
    """Files go only once the rows that named them are gone for good."""
    for full in session.info.pop(_REMOVE_AFTER_COMMIT, []):
        try:
            os.remove(full)
        except FileNotFoundError:
            pass
        except OSError:
            logger.warning("could not remove a discarded file")


@event.listens_for(Session, "after_rollback")
def _keep_files(session: Session) -> None:
    session.info.pop(_REMOVE_AFTER_COMMIT, None)


def in_draft(turn: Turn) -> bool:
    return turn.step in DRAFT_STEPS and turn.conversation.draft_petition_id is not None
