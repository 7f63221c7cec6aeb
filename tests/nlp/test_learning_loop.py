"""The learning loop: versions, the gate, staff-label review, following the active version."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers.jobs import JobContext, run_job
from handlers.nlp_models import labels, loop, versions
from handlers.nlp_models.jobs import JOBS
from handlers.services import Services
from nlp import registry
from storage.models import ModelVersion, TrainingRun

from .loop_support import ROAD, THEFT, following, labelled, now, store_over_tiny, texts

__all__ = ["following"]  # the fixture, imported for pytest


@pytest.mark.parametrize(
    ("team_new", "team_old", "gained", "lost", "n", "install"),
    [
        (0.92, 0.90, 0, 0, 0, True),  # team set alone, past the margin
        (0.904, 0.90, 0, 0, 0, False),  # under the margin
        (0.90, 0.90, 5, 1, 100, True),  # 4 more staff petitions right, 2 needed
        (0.896, 0.90, 5, 1, 100, True),  # team within tolerance
        (0.90, 0.90, 3, 2, 100, False),  # one net petition is noise
        (0.90, 0.90, 12, 1, 600, False),  # 11 net, 12 needed (2 % of 600)
        (0.94, 0.90, 1, 3, 100, False),  # loses staff petitions: never installed
        (0.88, 0.90, 20, 0, 100, False),  # team worse beyond tolerance
        (None, None, 0, 0, 0, False),
    ],
)
def test_judge_needs_a_margin_and_no_loss(team_new, team_old, gained, lost, n, install):
    verdict = loop.judge(loop.Comparison(team_new, team_old, gained, lost, n))
    assert verdict.install is install, verdict.reason


def _run(sessions: sessionmaker[Session], store, trigger: str = "cli") -> TrainingRun:
    with sessions() as session, session.begin():
        run = loop.queue_run(session, now(), trigger)
        assert run is not None
        run_id = run.id
    loop.execute(sessions, store, run_id, now)
    with sessions() as session:
        found = session.get(TrainingRun, run_id)
        assert found is not None
        session.expunge(found)
        return found


def test_better_candidate_is_installed_and_followed_then_rolled_back(
    tiny_models: Path, tmp_path: Path, session_factory, db_session: Session, following
):
    store = store_over_tiny(tiny_models, tmp_path)
    for text in texts(THEFT, 30):
        labelled(db_session, text, "an_ninh_trat_tu", "giao_thong", now())
    db_session.commit()
    registry.follow(versions.database_source(session_factory, store), every=0)

    run = _run(session_factory, store)

    assert run.status == "installed", run.reason
    rows = db_session.scalars(select(ModelVersion).order_by(ModelVersion.id)).all()
    shipped, trained = rows
    assert (shipped.origin, shipped.status) == ("shipped", "kept")
    assert (trained.origin, trained.status, trained.version) == (
        "trained",
        "installed",
        run.candidate,
    )
    assert run.figures["new"]["staff"]["accuracy"] > run.figures["old"]["staff"]["accuracy"]
    assert run.figures["comparison"]["gained"] > run.figures["comparison"]["lost"]
    assert (store.trained_dir / f"manifest-{trained.version}.json").is_file()
    assert registry.bundle().version == trained.version  # this process follows the row
    assert registry.bundle().category.proba(["w=trom", "w=cap"])[0][0] == "an_ninh_trat_tu"

    versions.rollback(db_session, store, shipped.id, now(), None)
    db_session.commit()
    assert registry.bundle().version == shipped.version


def test_worse_candidate_is_kept_out(
    tiny_models: Path, tmp_path: Path, session_factory, db_session: Session
):
    store = store_over_tiny(tiny_models, tmp_path)
    for text in texts(ROAD, 30):
        label = labelled(db_session, text, "giao_thong", "giao_thong", now())
        if label.petition_id % labels.HELD_OUT_ONE_IN:
            label.value = "y_te"  # wrong labels in the training part only
    db_session.commit()

    run = _run(session_factory, store)

    assert run.status == "kept", run.reason
    assert "Kém hơn" in run.reason
    installed = versions.active(db_session)
    assert installed is not None and installed.origin == "shipped"
    rejected = db_session.scalar(select(ModelVersion).where(ModelVersion.version == run.candidate))
    assert rejected is not None and rejected.status == "rejected"
    assert not (store.trained_dir / f"manifest-{run.candidate}.json").exists()


def test_no_new_labels_is_no_change(
    tiny_models: Path, tmp_path: Path, session_factory, db_session: Session
):
    store = store_over_tiny(tiny_models, tmp_path)
    run = _run(session_factory, store)
    assert (run.status, run.reason) == ("kept", "Không có dữ liệu mới.")


def test_labels_against_the_rules_wait_for_review(db_session: Session):
    held = labelled(
        db_session, "Gia đình tôi chờ cấp sổ đỏ đã hai năm", "hanh_chinh_can_bo", None, now()
    )
    fine = labelled(db_session, "Gia đình tôi chờ cấp sổ đỏ đã ba năm", "dat_dai", None, now())
    assert labels.sync_reviews(db_session, now()) == 1
    assert labels.sync_reviews(db_session, now()) == 0  # once per label
    queue = labels.queue(db_session)
    assert [(label.id, review.rule_category, review.rule) for review, label, _ in queue] == [
        (held.id, "dat_dai", "sổ đỏ")
    ]
    before = labels.usable(db_session)
    assert before.waiting == 1
    assert [p.category for p in before.train + before.held_out] == ["dat_dai"]
    assert fine.value == "dat_dai"
    review = queue[0][0]
    assert labels.decide(db_session, review.id, True, None, now())
    assert not labels.decide(db_session, review.id, False, None, now())  # already decided
    after = labels.usable(db_session)
    assert sorted(p.category for p in after.train + after.held_out) == [
        "dat_dai", "hanh_chinh_can_bo",
    ]  # fmt: skip


def test_a_label_confirming_the_model_is_not_held(db_session: Session):
    confirmed = "Hồ sơ cấp sổ đỏ của tôi bị trễ hẹn hai tháng"
    labelled(db_session, confirmed, "hanh_chinh_can_bo", "hanh_chinh_can_bo", now())
    overridden = labelled(db_session, "Cấp sổ đỏ bị chậm", "khac", "dat_dai", now())
    assert labels.sync_reviews(db_session, now()) == 1
    assert [label.id for _, label, _ in labels.queue(db_session)] == [overridden.id]


def test_excluded_label_is_not_used(db_session: Session):
    labelled(db_session, "Con tôi chưa được làm giấy khai sinh", "y_te", None, now())
    labels.sync_reviews(db_session, now())
    review = labels.queue(db_session)[0][0]
    labels.decide(db_session, review.id, False, None, now())
    found = labels.usable(db_session)
    assert (found.train, found.held_out, found.excluded) == ([], [], 1)


def test_one_run_at_a_time_and_stale_runs_fail(db_session: Session):
    from datetime import timedelta

    first = loop.queue_run(db_session, now() - timedelta(hours=3), "job")
    assert first is not None
    first.status = "running"
    second = loop.queue_run(db_session, now(), "admin")
    assert second is not None and first.status == "failed"
    assert loop.queue_run(db_session, now(), "job") is None


def test_drift_counts_corrections_per_month(db_session: Session):
    from datetime import timedelta

    moment = now()
    earlier = moment - timedelta(days=40)
    labelled(db_session, "Đường nhiều ổ gà", "giao_thong", "giao_thong", earlier)
    labelled(db_session, "Rác bốc mùi", "moi_truong", "giao_thong", earlier)
    labelled(db_session, "Trạm y tế thiếu thuốc", "y_te", "y_te", moment)
    months = labels.corrected_by_month(db_session)
    assert [(judged, corrected) for _, judged, corrected in months] == [(2, 1), (1, 0)]
    assert months[0][0] < months[1][0]


def test_the_monthly_job_records_its_run(
    tiny_models: Path, tmp_path: Path, session_factory, db_session: Session
):
    store = store_over_tiny(tiny_models, tmp_path)
    ctx = JobContext(sessions=session_factory, now=now(), services=Services(nlp_models=store))
    assert run_job(JOBS, "model-retrain", ctx) == {"skipped": "no new staff labels"}
    assert db_session.scalar(select(TrainingRun)) is None
    labelled(
        db_session, "Đường nhiều ổ gà quá", "giao_thong", "giao_thong", now() - timedelta(days=1)
    )
    db_session.commit()
    assert run_job(JOBS, "model-retrain", ctx) == {
        "skipped": "only 1 new staff label(s), fewer than 5"
    }
    assert db_session.scalar(select(TrainingRun)) is None
    for text in texts(ROAD, 6):
        labelled(db_session, text, "giao_thong", "giao_thong", now() - timedelta(days=1))
    db_session.commit()
    result = run_job(JOBS, "model-retrain", ctx)
    assert result["outcome"] in {"kept", "installed"}
    run = db_session.get(TrainingRun, result["run"])
    assert run is not None and run.trigger == "job" and run.finished_at is not None
    later = JobContext(sessions=session_factory, now=now() + timedelta(days=30),
                       services=Services(nlp_models=store))  # fmt: skip
    assert run_job(JOBS, "model-retrain", later) == {"skipped": "no new staff labels"}
    assert run_job(JOBS, "model-retrain", JobContext(sessions=session_factory, now=now())) == {
        "skipped": "no model store wired"
    }


def test_a_failing_source_keeps_the_loaded_model(use_tiny_models: Path, following):
    version = registry.bundle().version

    def broken() -> registry.Selection:
        raise RuntimeError("database down")

    registry.follow(broken, every=0)
    assert registry.bundle().version == version
    registry.follow(lambda: ("ffffffffffff", use_tiny_models), every=0)  # no such files
    assert registry.bundle().version == version
    assert registry.bundle().category is not None
