"""Everything that is not a petition: greetings, thanks, stickers, abuse, floods."""

from __future__ import annotations

import logging
from datetime import timedelta

from handlers.conversation import alerts
from handlers.conversation.replies import say
from handlers.conversation.state import Turn
from handlers.messages import render
from nlp.everyday import insults

logger = logging.getLogger(__name__)

#: Intents answered with one catalogue message.
SIMPLE_REPLIES = {
    "greeting": "bot.greeting",
    "thanks": "bot.thanks",
    "bot_question": "bot.bot_question",
    "smalltalk": "bot.smalltalk",
}
STICKER_QUIET = timedelta(minutes=10)


def admit(turn: Turn) -> None:
    """Per-citizen rate limit: past the limit the bot records but stays quiet (one notice)."""
    window = turn.config.rate_limit_seconds
    now = turn.now.timestamp()
    recent = [t for t in turn.state.recent if now - t < window]
    recent.append(now)
    turn.state.recent = recent[-(turn.config.rate_limit_messages + 1) :]
    if len(recent) <= turn.config.rate_limit_messages:
        return
    noticed = turn.state.flood_at
    if noticed is None or now - noticed >= window:
        say(turn, "bot.flood")
        turn.state.flood_at = now
        logger.info("citizen %s is flooding: replies paused", turn.citizen.id)
    turn.quiet = True


def reply_to_intent(turn: Turn, intent: str, words: str) -> bool:
    """Answer a non-petition message; False when the message should be taken as a petition."""
    if intent in SIMPLE_REPLIES:
        say(turn, SIMPLE_REPLIES[intent])
        return True
    if intent == "abuse":
        abuse(turn)
        return True
    if intent == "spam":
        turn.state.spam += 1
        return True  # no answer: answering spam invites more
    return False


def sticker(turn: Turn) -> None:
    """A sticker or a gif: one friendly nudge now and then, never a storm."""
    last = turn.state.sticker_at
    if last is not None and turn.now - last < STICKER_QUIET:
        return
    turn.state.sticker_at = turn.now
    say(turn, "bot.sticker")


def unsupported(turn: Turn) -> None:
    say(turn, "bot.unsupported")


def count_insults(turn: Turn, words: str) -> None:
    """Insults inside a real petition stay its text, but are counted (and flag when many)."""
    found = insults(words)
    if not found:
        return
    turn.citizen.abuse_count = (turn.citizen.abuse_count or 0) + found
    if turn.citizen.flagged_at is None and turn.citizen.abuse_count >= turn.config.abuse_flag_after:
        _flag(turn)


def _flag(turn: Turn) -> None:
    citizen = turn.citizen
    citizen.flagged_at = turn.now
    alerts.notify_staff(
        turn,
        "abuse",
        render(turn.session, "staff.abuse_title"),
        render(turn.session, "staff.abuse_body", citizen_id=citizen.id, count=citizen.abuse_count),
    )
    logger.info("citizen %s flagged after repeated abuse", citizen.id)


def abuse(turn: Turn) -> None:
    """A calm answer; repeated abuse flags the citizen for staff, then the bot stays calm."""
    citizen = turn.citizen
    citizen.abuse_count = (citizen.abuse_count or 0) + 1
    if citizen.flagged_at is not None:
        return
    if citizen.abuse_count >= turn.config.abuse_flag_after:
        _flag(turn)
        say(turn, "bot.abuse_flagged")
        return
    say(turn, "bot.abuse")
