"""Fixtures of the conversation tests."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from handlers.conversation.config import ConversationConfig
from tests.conversation.chat import Chat

_users = itertools.count(7_000_000_000_000_000_001)

#: A Tuesday, 09:00 in Tam Kỳ: office hours.
OFFICE_TIME = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)


@pytest.fixture
def config() -> ConversationConfig:
    return ConversationConfig(gather_seconds=8, rate_limit_messages=20)


@pytest.fixture
def new_chat(db_session: Session, config: ConversationConfig) -> Callable[..., Chat]:
    def make(now: datetime = OFFICE_TIME) -> Chat:
        return Chat(db_session, str(next(_users)), now, config)

    return make


@pytest.fixture
def chat(new_chat: Callable[..., Chat]) -> Chat:
    return new_chat()
