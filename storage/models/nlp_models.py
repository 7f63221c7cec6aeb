"""Classifier versions, the one in service, training runs and the review of staff labels."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class ModelVersion(Base):
    """A trained classifier with its figures; files live in the package or the models dir."""

    __tablename__ = "model_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    origin: Mapped[str] = mapped_column(String(16))  # shipped | trained
    status: Mapped[str] = mapped_column(String(16))  # installed | kept | rejected
    n_train: Mapped[int] = mapped_column(Integer, default=0)
    n_staff_labels: Mapped[int] = mapped_column(Integer, default=0)
    n_eval: Mapped[int] = mapped_column(Integer, default=0)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    installed_at: Mapped[datetime | None]


class ActiveModel(Base):
    """The one version in service (a single row, id 1): every process checks it cheaply."""

    __tablename__ = "active_model"

    id: Mapped[int] = mapped_column(primary_key=True)
    model_version_id: Mapped[int] = mapped_column(ForeignKey("model_versions.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text, default="")


class TrainingRun(Base):
    """One run of the learning loop, from the monthly job or an admin's button."""

    __tablename__ = "training_runs"
    __table_args__ = (Index("ix_training_runs_status_started", "status", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trigger: Mapped[str] = mapped_column(String(16))  # job | admin | cli
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16))  # queued | running | installed | kept | failed
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    candidate: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class LabelReview(Base):
    """A staff label that contradicts the labelling rules, held back until reviewed."""

    __tablename__ = "label_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    label_id: Mapped[int] = mapped_column(
        ForeignKey("classification_labels.id", ondelete="CASCADE"), unique=True
    )
    rule_category: Mapped[str] = mapped_column(String(40))  # what the rules say
    rule: Mapped[str] = mapped_column(String(200))  # the words that invoked the rule
    status: Mapped[str] = mapped_column(String(16), default="pending")  # | accepted | excluded
    reviewed_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
