"""The model page: the classifier in service, its figures, drift, training runs, versions
and the review of staff labels. Admins act; supervisors read."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from bot import nlp_models
from bot.admin.blueprint import MANAGERS, actor, bp, require_role, utcnow
from bot.admin.model_charts import confusion_svg, drift_svg
from bot.database import db_session, start_writing
from handlers.nlp_models import labels, loop, versions
from nlp.keywords import CATEGORIES
from storage.models import Category, ModelVersion, StaffUser, TrainingRun
from storage.models.enums import Role

RUN_STATUS = {
    "queued": "Đang chờ", "running": "Đang huấn luyện", "installed": "Đã cài phiên bản mới",
    "kept": "Giữ phiên bản cũ", "failed": "Lỗi",
}  # fmt: skip
TRIGGER = {"job": "Lịch hằng tháng", "admin": "Quản trị viên", "cli": "Dòng lệnh"}
VERSION_STATUS = {
    "installed": "Đang dùng", "kept": "Lưu trữ", "rejected": "Không đạt",
}  # fmt: skip


@bp.get("/model")
def model() -> ResponseReturnValue:
    """Everything about the classifier on one page."""
    require_role(*MANAGERS)
    s, now = db_session(), utcnow()
    start_writing(s)
    versions.ensure_shipped(s, nlp_models.store(), now)
    labels.sync_reviews(s, now)
    s.commit()
    current = versions.active(s)
    team = (current.figures.get("team") or {}) if current else {}
    months = labels.corrected_by_month(s)
    names = {c.code: c.name for c in s.scalars(select(Category))}
    runs = list(s.scalars(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(10)))
    staff = {u.id: u.display_name or u.username for u in s.scalars(select(StaffUser))}
    return render_template(
        "admin/model.html",
        current=current,
        active=versions.active_row(s),
        team=team,
        labels_order=CATEGORIES,
        names=names,
        confusion=confusion_svg(team.get("confusion") or {}, CATEGORIES) if team else None,
        months=months,
        drift=drift_svg(months) if months else None,
        runs=runs,
        all_versions=versions.listing(s),
        queue=labels.queue(s),
        staff=staff,
        can_act=actor().role == Role.ADMIN,
        run_status=RUN_STATUS,
        trigger=TRIGGER,
        version_status=VERSION_STATUS,
    )


@bp.post("/model/train")
def model_train() -> ResponseReturnValue:
    """Queue a training run (admins only); the scheduler runs it within a minute."""
    require_role(Role.ADMIN)
    s = db_session()
    run = loop.queue_run(s, utcnow(), "admin", actor().id)
    s.commit()
    if run is None:
        flash("Đang có một lần huấn luyện chạy; xin đợi nó xong.", "error")
        return redirect(url_for("admin.model"))
    flash(
        "Đã xếp lịch huấn luyện: bắt đầu trong vòng một phút và mất vài phút (lâu hơn khi máy "
        "đang bận); kết quả hiện ở mục «Lần huấn luyện».",
        "ok",
    )
    return redirect(url_for("admin.model"))


@bp.post("/model/versions/<int:vid>/install")
def model_rollback(vid: int) -> ResponseReturnValue:
    """Put an earlier version back in service (admins only)."""
    require_role(Role.ADMIN)
    s = db_session()
    if s.get(ModelVersion, vid) is None:
        abort(404)
    try:
        row = versions.rollback(s, nlp_models.store(), vid, utcnow(), actor().id)
    except versions.ModelError as exc:
        s.rollback()
        flash(str(exc), "error")
        return redirect(url_for("admin.model"))
    s.commit()
    flash(f"Đã chuyển sang phiên bản {row.version}; mọi tiến trình dùng nó trong vài giây.", "ok")
    return redirect(url_for("admin.model"))


@bp.post("/model/reviews/<int:rid>")
def model_review(rid: int) -> ResponseReturnValue:
    """Accept or exclude a staff label held for contradicting the labelling rules."""
    require_role(Role.ADMIN)
    decision = request.form.get("decision")
    if decision not in ("accept", "exclude"):
        abort(400)
    s = db_session()
    if not labels.decide(s, rid, decision == "accept", actor().id, utcnow()):
        abort(404)
    s.commit()
    flash("Đã dùng nhãn này để huấn luyện." if decision == "accept" else "Đã loại nhãn này.", "ok")
    return redirect(url_for("admin.model"))
