"""«Dữ liệu cá nhân»: the citizens' data requests with their due dates, a request received
outside the chat recorded, and each request carried out by one action (copy, correction,
consent withdrawal, deletion) or refused with a reason."""

from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import case, select

from bot.admin import auditing, forms
from bot.admin.blueprint import MANAGERS, actor, bp, staff_user, utcnow
from bot.database import db_session
from bot.runtime import runtime_of
from handlers.privacy import actions, requests
from handlers.privacy.holds import holds
from handlers.privacy.limits import CHANNELS, DELETE, KINDS
from handlers.privacy.listing import askers
from handlers.privacy.retention import summary
from handlers.workflow import InvalidInput, local_date
from storage.models import Citizen, DataRequest, JobRun, Petition, StaffUser
from storage.models.enums import PetitionState, Role

logger = logging.getLogger(__name__)
ROLES = (*MANAGERS, Role.STAFF)


def _user() -> StaffUser:
    return staff_user(*ROLES)


def _visible(citizen: Citizen) -> bool:
    """Managers see every citizen; an officer those of their wards (or of no ward yet)."""
    who = actor()
    return who.role in MANAGERS or citizen.ward_id is None or citizen.ward_id in who.ward_ids


def _request(rid: int) -> DataRequest:
    found = db_session().get(DataRequest, rid)
    if found is None or not _visible(found.citizen):
        abort(404)
    return found


@bp.get("/privacy")
def privacy_page() -> ResponseReturnValue:
    """Pending requests first, the nearest due date first; then the latest handled."""
    _user()
    s = db_session()
    pending_first = case((DataRequest.state.in_(requests.PENDING), 0), else_=1)
    rows = [
        r
        for r in s.scalars(
            select(DataRequest)
            .order_by(pending_first, DataRequest.due_on, DataRequest.id.desc())
            .limit(300)
        )
        if _visible(r.citizen)
    ]
    today = local_date(utcnow())
    last = s.scalar(
        select(JobRun).where(JobRun.job == "privacy-anonymise").order_by(JobRun.id.desc()).limit(1)
    )
    return render_template(
        "admin/privacy.html",
        rows=rows,
        askers=askers(s, {r.citizen for r in rows}),
        kinds=KINDS,
        channels=CHANNELS,
        states=requests.STATE_LABELS,
        pending=requests.PENDING,
        last=last,
        last_line=summary(last.detail) if last is not None and last.detail else "",
        today=today,
        oldest=today - requests.OLDEST_RECEIPT,
    )


@bp.post("/privacy")
def privacy_record() -> ResponseReturnValue:
    """A request received by letter, in person, by phone or email, for a known citizen; its
    time limit counts from the day it was received, which may be before today."""
    user = _user()
    form = request.form
    kind, channel = form.get("kind", ""), form.get("channel", "")
    if kind not in KINDS or channel not in CHANNELS or channel == "zalo":
        abort(400, description="Loại yêu cầu hoặc kênh không hợp lệ.")
    now = utcnow()
    try:
        day = forms.day(form, "received_on", required=False) or local_date(now)
        received_at = requests.receipt_time(day, now=now)
    except (InvalidInput, ValueError) as exc:
        flash(f"Chưa ghi nhận: {exc}", "error")
        return redirect(url_for("admin.privacy_page"))
    citizen = _citizen_of(form.get("who", ""))
    if citizen is None or not _visible(citizen):
        flash("Không tìm thấy người dân theo mã hồ sơ hoặc số người dùng đã nhập.", "error")
        return redirect(url_for("admin.privacy_page"))
    s = db_session()
    found = requests.record(
        s,
        citizen,
        kind,
        now=now,
        channel=channel,
        detail=form.get("detail", ""),
        by=user,
        received_at=received_at,
    )
    s.commit()
    late = " — đã quá hạn, cần thực hiện ngay" if found.due_on < local_date(now) else ""
    flash(
        f"Đã ghi nhận yêu cầu nhận ngày {local_date(found.received_at):%d/%m/%Y}, "
        f"hạn thực hiện {found.due_on:%d/%m/%Y}{late}.",
        "ok" if not late else "error",
    )
    return redirect(url_for("admin.privacy_request", rid=found.id))


def _citizen_of(who: str) -> Citizen | None:
    """By a petition code (TK-2611-000123) or a citizen number (#1024 or 1024)."""
    who = who.strip().lstrip("#")
    s = db_session()
    if who.isdigit():
        return s.get(Citizen, int(who))
    petition = s.scalar(select(Petition).where(Petition.code == who.upper()))
    return petition.citizen if petition is not None else None


@bp.get("/privacy/<int:rid>")
def privacy_request(rid: int) -> str:
    """One request: who, what, by when, what must be kept, and its action."""
    _user()
    found = _request(rid)
    s = db_session()
    citizen = found.citizen
    petitions = list(
        s.scalars(
            select(Petition)
            .where(Petition.citizen_id == citizen.id, Petition.state != PetitionState.DRAFT)
            .order_by(Petition.id)
        )
    )
    auditing.record(
        "pii.data_request",
        commit=True,
        summary=f"Xem yêu cầu về dữ liệu của người dân #{citizen.id}",
        target=("data_request", found.id),
    )
    return render_template(
        "admin/privacy_request.html",
        r=found,
        citizen=citizen,
        petitions=petitions,
        holds=holds(s, citizen.id),
        kind=KINDS[found.kind],
        channels=CHANNELS,
        states=requests.STATE_LABELS,
        pending=found.state in requests.PENDING,
        citizen_fields=actions.CITIZEN_FIELDS,
        petition_fields=actions.PETITION_FIELDS,
        confirm_code=actions.erase_confirmation(s, citizen) if found.kind == DELETE else "",
    )


@bp.post("/privacy/<int:rid>/carry-out")
def privacy_carry_out(rid: int) -> ResponseReturnValue:
    """The request's one action; a refusal of the law's terms comes back as a message."""
    user = _user()
    found = _request(rid)
    s = db_session()
    now = utcnow()
    try:
        if found.kind == "copy":
            actions.provide_copy(s, found, by=user, now=now)
        elif found.kind == "correct":
            actions.correct(s, found, request.form, by=user, now=now)
        elif found.kind == "withdraw":
            actions.confirm_withdrawal(s, found, by=user, now=now)
        else:
            root = runtime_of().settings.attachment_dir
            confirm = request.form.get("confirm", "")
            actions.erase(s, found, by=user, now=now, files_root=root, confirm=confirm)
    except actions.PrivacyError as exc:
        s.rollback()
        logger.info("data request %s not carried out: %s", rid, exc)
        flash(str(exc), "error")
        return privacy_request(rid), 400
    s.commit()
    flash(f"{requests.STATE_LABELS[found.state]}: {found.outcome.splitlines()[0]}", "ok")
    return redirect(url_for("admin.privacy_request", rid=rid))


@bp.post("/privacy/<int:rid>/refuse")
def privacy_refuse(rid: int) -> ResponseReturnValue:
    user = _user()
    found = _request(rid)
    s = db_session()
    try:
        actions.refuse(s, found, request.form.get("reason", ""), by=user, now=utcnow())
    except actions.PrivacyError as exc:
        s.rollback()
        logger.info("data request %s not refused: %s", rid, exc)
        flash(str(exc), "error")
        return privacy_request(rid), 400
    s.commit()
    flash("Đã từ chối yêu cầu và báo người dân.", "ok")
    return redirect(url_for("admin.privacy_request", rid=rid))
