"""One run of the learning loop: train a candidate, measure it beside the installed version,
install it only when it is better.

"Better" (``judge``) compares the two models on the same petitions:
- on the held-out staff labels, petition by petition: ``gained`` (the candidate
  right, the installed one wrong) against ``lost`` (the reverse);
- on the team's evaluation set, macro-F1.
The candidate is *worse* when it loses at least ``STAFF_LOSS`` more staff
petitions than it gains, or its team macro-F1 drops by more than
``TEAM_TOLERANCE`` (about one petition in a few hundred flipping).  It is
*better* when it is not worse and it either gains at least ``MARGIN`` team
macro-F1 or wins at least max(2, 2 %) more staff petitions than it loses.
Counting flips rather than comparing two accuracies keeps a handful of
held-out labels from deciding by noise.  A candidate equal to the installed
version (no new labels) is not a change at all.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers.nlp_models import labels, versions
from handlers.nlp_models.store import TRAINED, ModelStore
from nlp import classifier, figures, registry, trainer
from nlp.model import LinearModel
from storage.db import transaction
from storage.models import ModelVersion, TrainingRun

logger = logging.getLogger(__name__)

MARGIN = 0.01
TEAM_TOLERANCE = 0.005
STAFF_LOSS = 2  # net staff petitions lost that make a candidate worse
STAFF_GAIN_SHARE = 0.02
STALE_AFTER = timedelta(hours=2)  # a run still "running" after this died with its process
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Verdict:
    """Whether to install, and why (Vietnamese: shown on the model page)."""

    install: bool
    reason: str


@dataclass(frozen=True)
class Comparison:
    """The candidate beside the installed model on the same petitions."""

    team_new: float | None  # macro-F1 on the team's evaluation set (None: no such set)
    team_old: float | None
    gained: int = 0  # held-out staff labels the candidate gets right and the installed one not
    lost: int = 0
    staff_n: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"team_new": self.team_new, "team_old": self.team_old, "gained": self.gained,
                "lost": self.lost, "staff_n": self.staff_n}  # fmt: skip


def judge(c: Comparison) -> Verdict:
    """Install only a candidate that is better by a margin and worse nowhere."""
    team = None if c.team_new is None or c.team_old is None else c.team_new - c.team_old
    net = c.gained - c.lost
    if team is not None and team < -TEAM_TOLERANCE:
        return Verdict(False, f"Kém hơn trên bộ đánh giá của nhóm (macro-F1 {team:+.3f}).")
    if net <= -STAFF_LOSS:
        return Verdict(
            False, f"Kém hơn trên nhãn cán bộ để riêng ({c.gained} đúng thêm, {c.lost} sai thêm)."
        )
    need = max(2, math.ceil(STAFF_GAIN_SHARE * c.staff_n))
    if (team is not None and team >= MARGIN) or (c.staff_n and net >= need):
        shown = f"macro-F1 {team:+.3f}, " if team is not None else ""
        return Verdict(
            True, f"Tốt hơn ({shown}{c.gained} nhãn cán bộ đúng thêm, {c.lost} sai thêm)."
        )
    return Verdict(False, "Không tốt hơn đủ mức yêu cầu.")


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


def _flips(new: LinearModel, old: LinearModel | None, records: list[Any]) -> tuple[int, int]:
    """(gained, lost): petitions only the candidate / only the installed model gets right."""
    gained = lost = 0
    for record in records:
        new_ok = classifier.predict(record.text, new).category == record.category
        old_ok = classifier.predict(record.text, old).category == record.category
        gained += new_ok and not old_ok
        lost += old_ok and not new_ok
    return gained, lost


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
    gained, lost = _flips(trained.category, installed, staff.held_out)
    team_new, team_old = scores["new"]["team"], scores["old"]["team"]
    comparison = Comparison(
        team_new["macro_f1"] if team_new["n"] else None,
        team_old["macro_f1"] if team_old["n"] else None,
        gained, lost, len(staff.held_out),
    )  # fmt: skip
    scores["comparison"] = comparison.as_dict()
    verdict = judge(comparison)
    if verdict.install:
        trainer.write(trained, store.trained_dir)
    outcome = "installed" if verdict.install else "kept"
    return _finish(sessions, run_id, clock(), outcome, verdict.reason, trained, scores)


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
