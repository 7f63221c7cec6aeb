"""Model versions in the database: the shipped one first, installing, rolling back."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers.nlp_models.store import SHIPPED, ModelStore
from nlp import registry
from storage.models import ActiveModel, ModelVersion

logger = logging.getLogger(__name__)
ACTIVE_ID = 1


class ModelError(Exception):
    """A version cannot be installed (unknown, never installed, files missing)."""


def version_figures(manifest: dict[str, Any]) -> dict[str, Any]:
    """The figures a manifest carries, in the shape the model page reads."""
    return {
        "team": manifest.get("figures") or {},
        "cv": (manifest.get("metrics") or {}).get("category", {}),
    }


def ensure_shipped(session: Session, store: ModelStore, now: datetime) -> ModelVersion | None:
    """Record the package's model as a version; install it when nothing else is."""
    manifest = registry.read_manifest(store.package_dir)
    if not manifest:
        return None
    row = session.scalar(select(ModelVersion).where(ModelVersion.version == manifest["version"]))
    if row is None:
        row = ModelVersion(
            version=manifest["version"],
            origin=SHIPPED,
            status="kept",
            n_train=int(manifest.get("n_petitions", 0)),
            n_staff_labels=int(manifest.get("n_staff_labels", 0)),
            n_eval=int(manifest.get("n_eval", 0)),
            figures=version_figures(manifest),
            created_at=now,
        )
        session.add(row)
        session.flush()
    current = active(session)
    if current is None or current.origin == SHIPPED and current.id != row.id:
        install(session, row, now, None, "Phiên bản đi kèm phần mềm")
    return row


def active(session: Session) -> ModelVersion | None:
    """The version in service, if the loop has recorded one."""
    return session.scalar(
        select(ModelVersion).join(ActiveModel, ActiveModel.model_version_id == ModelVersion.id)
    )


def active_row(session: Session) -> ActiveModel | None:
    """Who installed the version in service, when, and why."""
    return session.get(ActiveModel, ACTIVE_ID)


def install(
    session: Session, row: ModelVersion, now: datetime, staff_id: int | None, reason: str
) -> None:
    """Make ``row`` the version every process uses (they notice within seconds)."""
    for other in session.scalars(select(ModelVersion).where(ModelVersion.status == "installed")):
        other.status = "kept"
    row.status, row.installed_at = "installed", now
    current = session.get(ActiveModel, ACTIVE_ID)
    if current is None:
        current = ActiveModel(id=ACTIVE_ID, model_version_id=row.id)
        session.add(current)
    current.model_version_id, current.changed_at = row.id, now
    current.changed_by, current.reason = staff_id, reason[:500]
    session.flush()


def rollback(
    session: Session, store: ModelStore, version_id: int, now: datetime, staff_id: int | None
) -> ModelVersion:
    """Install an earlier version again; only versions once installed and still on disk."""
    row = session.get(ModelVersion, version_id)
    if row is None or row.installed_at is None:
        raise ModelError("Phiên bản này chưa từng được đưa vào sử dụng.")
    if not registry.read_version_manifest(store.directory(row.origin), row.version):
        raise ModelError("Không tìm thấy tệp mô hình của phiên bản này.")
    install(session, row, now, staff_id, f"Quay lại phiên bản {row.version}")
    return row


def listing(session: Session) -> list[ModelVersion]:
    """Every version, newest first."""
    return list(session.scalars(select(ModelVersion).order_by(ModelVersion.id.desc())))


def selection(session: Session, store: ModelStore) -> registry.Selection | None:
    """(version, directory) of the version in service: one small query."""
    found = session.execute(
        select(ModelVersion.version, ModelVersion.origin)
        .join(ActiveModel, ActiveModel.model_version_id == ModelVersion.id)
        .where(ActiveModel.id == ACTIVE_ID)
    ).first()
    return (found[0], store.directory(found[1])) if found else None


def database_source(sessions: sessionmaker[Session], store: ModelStore) -> registry.Source:
    """What ``nlp.registry.follow`` asks: the active version, read in a session of its own."""

    def source() -> registry.Selection | None:
        with sessions() as session:
            return selection(session, store)

    return source
