"""Fixtures: an in-process chat (as tests/conversation) with an attachments folder."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from handlers.conversation.config import ConversationConfig
from tests.conversation.chat import Chat
from tests.conversation.conftest import OFFICE_TIME

_users = itertools.count(7_100_000_000_000_000_001)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    root = tmp_path / "attachments"
    root.mkdir()
    return root


@pytest.fixture
def chat(db_session: Session, files: Path) -> Chat:
    config = ConversationConfig(gather_seconds=8, rate_limit_messages=20, attachment_dir=str(files))
    return Chat(db_session, str(next(_users)), OFFICE_TIME, config)
