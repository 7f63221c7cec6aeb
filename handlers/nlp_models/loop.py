"""One run of the learning loop: train a candidate, measure it beside the installed version,
install it only when it is better.

"Better" (``judge``): on the held-out staff labels the candidate is at least as
accurate, on the team's evaluation set its macro-F1 drops by no more than
``TEAM_TOLERANCE`` (about one petition in a few hundred flipping), and on one of
the two it gains at least ``MARGIN``.  With no held-out staff labels yet, the
team set alone decides, with the same margin.  A candidate equal to the
installed version (no new labels) is not a change at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers.nlp_models import labels, versions
from handlers.nlp_models.store import TRAINED, ModelStore
from nlp import figures, registry, trainer
from nlp.model import LinearModel
from storage.db import transaction
from storage.models import ModelVersion, TrainingRun

logger = logging.getLogger(__name__)

MARGIN = 0.01
TEAM_TOLERANCE = 0.005
STALE_AFTER = timedelta(hours=2)  # a run still "running" after this died with its process
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Verdict:
    """Whether to install, and why (Vietnamese: shown on the model page)."""

    install: bool
    reason: str


def judge(new: dict[str, float | None], old: dict[str, float | None]) -> Verdict:
    """Compare {"team": macro-F1, "staff": accuracy} of the candidate and the installed model."""
    gains = {k: (new[k] or 0.0) - (old[k] or 0.0) for k in ("team", "staff") if new[k] is not None}
    if "team" in gains and gains["team"] < -TEAM_TOLERANCE:
        return Verdict(False, f"Kém hơn trên bộ đánh giá của nhóm ({gains['team']:+.3f}).")
    if "staff" in gains and gains["staff"] < 0:
        return Verdict(False, f"Kém hơn trên nhãn cán bộ để riêng ({gains['staff']:+.3f}).")
    if not gains or max(gains.values()) < MARGIN:
        return Verdict(False, f"Không tốt hơn đủ {MARGIN:.2f} trên bộ nào.")
    shown = ", ".join(f"{k} {v:+.3f}" for k, v in sorted(gains.items()))
    return Verdict(True, f"Tốt hơn ({shown}).")


def queue_run(
    session: Session, now: datetime, trigger: str, staff_id: int | None = None
) -> TrainingRun | None:
    """Record a new run, or None while another one is queued or running."""
    busy = session.scalars(
        select(TrainingRun).where(TrainingRun.status.in_(("queued", "running")))
    ).all()
    for run in busy:
        if now - run.started_at > STALE_AFTER:
            run.status, run.finished_at = "failed", now
            run.reason = "Bị gián đoạn (tiến trình dừng giữa chừng)."
        else:
            return None
    run = TrainingRun(trigger=trigger, staff_id=staff_id, status="queued", started_at=now)
    session.add(run)
    session.flush()
    return run


def _measure(model: LinearModel | None, records: list[Any]) -> dict[str, Any]:
    if not records:
        return {"n": 0}
    found = figures.figures(model, records)
    return {
        "n": found["n"],
        "macro_f1": found["category_macro_f1"],
        "accuracy": found["category_accuracy"],
        "ece": found["ece"],
    }


def _installed_model(session: Session, store: ModelStore) -> tuple[str | None, LinearModel | None]:
    chosen = versions.selection(session, store)
    if chosen is None:
        return None, registry.bundle().category
    return chosen[0], registry.load_bundle(chosen[1], chosen[0]).category


def execute(sessions: sessionmaker[Session], store: ModelStore, run_id: int, clock: Clock) -> str:
    """Run a queued run to its outcome (installed | kept | failed) and record it."""
    try:
        return _execute(sessions, store, run_id, clock)
    except Exception as exc:
        logger.exception("training run %s failed", run_id)
        with transaction(sessions) as session:
            run = session.get(TrainingRun, run_id)
            if run is not None:
                run.status, run.finished_at = "failed", clock()
                run.reason = f"Lỗi: {type(exc).__name__}"
        return "failed"


def _execute(sessions: sessionmaker[Session], store: ModelStore, run_id: int, clock: Clock) -> str:
    with transaction(sessions) as session:
        run = session.get(TrainingRun, run_id)
        if run is None or run.status != "queued":
            return "skipped"
        run.status = "running"
        versions.ensure_shipped(session, store, clock())
        labels.sync_reviews(session, clock())
        staff = labels.usable(session)
        installed_version, installed = _installed_model(session, store)
    team, messages = trainer.read_team(store.data_dir)
    trained = trainer.fit_version(team, messages, staff.train)
    if trained.version == installed_version:
        return _finish(sessions, run_id, clock(), "kept", "Không có dữ liệu mới.", trained, {})
    evaluation = figures.split(team)[1]
    scores: dict[str, Any] = {
        "new": {"team": _measure(trained.category, evaluation),
                "staff": _measure(trained.category, staff.held_out)},
        "old": {"team": _measure(installed, evaluation),
                "staff": _measure(installed, staff.held_out)},
        "labels": {"train": len(staff.train), "held_out": len(staff.held_out),
                   "waiting": staff.waiting, "excluded": staff.excluded},
    }  # fmt: skip
    verdict = judge(*(_key_figures(scores[side]) for side in ("new", "old")))
    if verdict.install:
        trainer.write(trained, store.trained_dir)
    outcome = "installed" if verdict.install else "kept"
    return _finish(sessions, run_id, clock(), outcome, verdict.reason, trained, scores)


def _key_figures(side: dict[str, Any]) -> dict[str, float | None]:
    team, staff = side["team"], side["staff"]
    return {
        "team": team.get("macro_f1") if team["n"] else None,
        "staff": staff.get("accuracy") if staff["n"] else None,
    }


def _finish(
    sessions: sessionmaker[Session],
    run_id: int,
    now: datetime,
    outcome: str,
    reason: str,
    trained: trainer.Trained,
    scores: dict[str, Any],
) -> str:
    with transaction(sessions) as session:
        run = session.get(TrainingRun, run_id)
        if run is None:
            return "skipped"
        run.status, run.finished_at, run.reason = outcome, now, reason
        run.candidate, run.figures = trained.version, scores
        if not scores:
            return outcome
        row = session.scalar(select(ModelVersion).where(ModelVersion.version == trained.version))
        if row is None:
            row = ModelVersion(version=trained.version, origin=TRAINED, created_at=now)
            session.add(row)
        row.status = "rejected" if outcome != "installed" else "kept"  # install() marks it
        row.n_train = int(trained.manifest["n_petitions"])
        row.n_staff_labels = int(trained.manifest["n_staff_labels"])
        row.n_eval = int(trained.manifest["n_eval"])
        row.figures = {
            **versions.version_figures(trained.manifest),
            "staff": scores["new"]["staff"],
        }
        session.flush()
        if outcome == "installed":
            versions.install(session, row, now, None, reason)
    return outcome
