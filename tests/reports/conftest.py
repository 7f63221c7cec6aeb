"""The hand-computed month (tests/reports/month.py) as a fixture."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from handlers.reports.periods import Period
from tests.reports.month import build_month


@pytest.fixture
def month(db_session: Session) -> tuple[Period, datetime]:
    """The month before last, built as month.py describes."""
    return build_month(db_session)
