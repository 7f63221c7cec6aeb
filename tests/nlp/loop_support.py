"""Learning-loop test helpers: a store over the tiny corpus, staff labels in the database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from handlers.nlp_models import ModelStore
from nlp import registry
from storage.models import ClassificationLabel, Petition
from tests.workflow import helpers as h

from .conftest import write_tiny_corpus

THEFT = [
    "Kẻ trộm cắp xe máy ở hẻm {k} khối phố {m} ban đêm, đề nghị công an phường tuần tra",
    "Nhà tôi ở tổ {k} bị trộm đột nhập lấy cắp tài sản lần thứ {m}, mong công an vào cuộc",
    "Nhóm thanh niên tụ tập đánh bạc, trộm cắp vặt ở khu {k}, an ninh trật tự phức tạp {m}",
    "Trộm chó và trộm cắp xe đạp xảy ra liên tục tại thôn {k}, xóm {m}, người dân rất lo",
]
ROAD = [  # no word of the labelling rules: a wrong label here is not held for review
    "Đường ở khối phố {k} hư hỏng nặng, mặt đường bong tróc đoạn số {m}",
    "Mặt đường bê tông thôn {k} bong tróc, xe máy đi qua dễ ngã lần {m}",
]


def store_over_tiny(tiny_models: Path, tmp_path: Path) -> ModelStore:
    """Shipped = the tiny models; trained versions under tmp; the tiny corpus as team data."""
    package = tmp_path / "package"
    shutil.copytree(tiny_models, package)
    return ModelStore(
        trained_dir=tmp_path / "trained",
        package_dir=package,
        data_dir=write_tiny_corpus(tmp_path / "corpus"),
    )


def labelled(
    session: Session, text: str, value: str, predicted: str | None, at: datetime
) -> ClassificationLabel:
    """A petition and the category staff gave it."""
    petition: Petition = h.draft(session, text=text, category_code=value)
    label = ClassificationLabel(
        petition_id=petition.id, field="category", value=value, predicted=predicted, created_at=at
    )
    session.add(label)
    session.flush()
    return label


def texts(templates: list[str], n: int) -> list[str]:
    return [templates[i % len(templates)].format(k=i + 1, m=(i * 7) % 11 + 1) for i in range(n)]


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def following() -> Iterator[None]:
    """Stop following a database after the test, and forget the loaded models."""
    yield
    registry.follow(None)
    registry.BUNDLE.reset()
