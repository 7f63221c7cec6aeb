"""Scheduled work of the conversation: answer quiet bursts, expire forgotten drafts."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from handlers.conversation import drafts
from handlers.conversation.config import ConversationConfig
from handlers.conversation.replies import clock, say
from handlers.conversation.state import DRAFT_STEPS, Step, Turn
from handlers.conversation.tick import due_conversations, flush_one
from handlers.jobs import JobContext, JobFn
from storage.db import transaction
from storage.models import Citizen, Conversation

logger = logging.getLogger(__name__)


def flush(ctx: JobContext) -> int:
    """Answer every burst that has gone quiet; one transaction per conversation."""
    config = ctx.services.conversation
    with transaction(ctx.sessions) as session:
        due = due_conversations(session, ctx.now)
    answered = 0
    for conversation_id in due:
        try:
            with transaction(ctx.sessions) as session:
                answered += flush_one(session, conversation_id, ctx.now, config)
        except Exception:  # one bad draft must not block the others; retried next tick
            logger.exception("answering conversation %s failed", conversation_id)
    return answered


def conversation_flush(ctx: JobContext) -> Mapping[str, Any]:
    """Answer bursts of messages whose quiet window has passed (run every few seconds)."""
    return {"answered": flush(ctx)}


def drafts_expire(ctx: JobContext) -> Mapping[str, Any]:
    """Delete drafts left unsent past their lifetime, telling the citizen politely."""
    config = ctx.services.conversation
    with transaction(ctx.sessions) as session:
        ids = session.scalars(
            select(Conversation.id).where(
                Conversation.expires_at.is_not(None), Conversation.expires_at <= ctx.now
            )
        ).all()
    expired = 0
    for conversation_id in ids:
        with transaction(ctx.sessions) as session:
            expired += _expire(session, conversation_id, ctx, config)
    return {"expired": expired}


def _expire(session: Any, conversation_id: int, ctx: JobContext, config: ConversationConfig) -> int:
    conv = session.scalar(
        select(Conversation)
        .where(Conversation.id == conversation_id, Conversation.expires_at <= ctx.now)
        .with_for_update(skip_locked=True)
    )
    if conv is None:
        return 0
    citizen = session.get(Citizen, conv.citizen_id)
    turn = Turn(session, citizen, conv, ctx.now, config)
    turn.next_turn_id()
    draft = turn.draft()
    if conv.step not in DRAFT_STEPS or draft is None:
        turn.go(Step.IDLE)
        return 0
    started = draft.created_at
    drafts.discard(turn)
    if citizen is not None and citizen.zalo_user_id:
        say(turn, "bot.draft_expired", time=clock(started))
    logger.info("draft of conversation %s expired", conversation_id)
    return 1


JOBS: Mapping[str, JobFn] = {
    "conversation-flush": conversation_flush,
    "drafts-expire": drafts_expire,
}
