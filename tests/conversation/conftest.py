"""Fixtures of the conversation tests."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from handlers.conversation.config import ConversationConfig
from tests import dates
from tests.conversation.chat import Chat
from tests.workflow.helpers import MONDAY

_users = itertools.count(7_000_000_000_000_000_001)

#: A Tuesday of an ordinary week (see tests/dates.py), 09:00 in Tam Kỳ: office hours.
OFFICE_DAY = MONDAY + timedelta(days=1)
OFFICE_TIME = dates.at(OFFICE_DAY, 9)


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
