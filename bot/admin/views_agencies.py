"""The agency directory screens: list, create, edit, liaison accounts (admins, supervisors)."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from bot.admin import forms
from bot.admin.blueprint import MANAGERS, actor, bp, utcnow
from bot.admin.lookups import Lookups
from bot.database import db_session
from handlers.agencies import directory
from handlers.agencies.audit import describe
from handlers.workflow import InvalidInput
from storage.models import Agency, AgencyChange, StaffUser
from storage.models.enums import Role


def require_manager() -> None:
    """A page for administrators and supervisors: others are told they may not (403)."""
    if actor().role not in MANAGERS:
        abort(403)


@bp.get("/agencies")
def agencies() -> ResponseReturnValue:
    """Every agency with its addresses (or that it has none) and liaisons."""
    require_manager()
    s = db_session()
    counts = dict(
        s.execute(
            select(StaffUser.agency_id, func.count())
            .where(StaffUser.role == Role.AGENCY, StaffUser.active.is_(True))
            .group_by(StaffUser.agency_id)
        ).all()
    )
    order = {kind: n for n, kind in enumerate(directory.KIND_LABELS)}
    rows = sorted(
        s.scalars(select(Agency)),
        key=lambda a: (not a.active, order.get(a.kind, 99), a.ward_id or 0, a.name),
    )
    return render_template(
        "admin/agencies.html",
        rows=rows,
        liaison_counts=counts,
        kinds=directory.KIND_LABELS,
        names=Lookups.load(s),
    )


@bp.get("/agencies/new")
def agency_new() -> ResponseReturnValue:
    require_manager()
    return _edit_page(None, directory.AgencyInput(name="", kind="ubnd_phuong"))


@bp.get("/agencies/<int:agency_id>")
def agency_edit(agency_id: int) -> ResponseReturnValue:
    require_manager()
    agency = _agency(agency_id)
    return _edit_page(agency, directory.form_of(agency))


def _edit_page(agency: Agency | None, form: directory.AgencyInput) -> str:
    s = db_session()
    changes = (
        s.scalars(
            select(AgencyChange)
            .where(AgencyChange.entity.in_(("agency", "liaison")))
            .where(AgencyChange.entity_id == agency.id)
            .order_by(AgencyChange.id.desc())
            .limit(20)
        ).all()
        if agency is not None
        else []
    )
    return render_template(
        "admin/agency_edit.html",
        agency=agency,
        form=form,
        kinds=directory.KIND_LABELS,
        names=Lookups.load(s),
        liaisons=directory.liaisons(s, agency.id) if agency else [],
        unlinked=directory.unlinked_liaisons(s),
        changes=changes,
        describe=describe,
    )


def _agency(agency_id: int) -> Agency:
    agency = db_session().get(Agency, agency_id)
    if agency is None:
        abort(404)
    return agency


def _form() -> directory.AgencyInput:
    f = request.form
    return directory.AgencyInput(
        name=forms.text(f, "name", 400),
        kind=forms.text(f, "kind", 40),
        ward_id=forms.integer(f, "ward", required=False),
        contact_name=forms.text(f, "contact_name", 400),
        emails=forms.text(f, "emails", 2000),
        head_title=forms.text(f, "head_title", 400),
        head_email=forms.text(f, "head_email", 400),
        active=forms.flag(f, "active"),
        confirmed=forms.flag(f, "confirmed"),
        notes=forms.text(f, "notes", 2000),
    )


def _save(agency: Agency | None) -> ResponseReturnValue:
    s = db_session()
    try:
        data = _form()
        saved = directory.save_agency(s, actor(), agency, data, now=utcnow())
    except InvalidInput as exc:
        s.rollback()
        flash(str(exc), "error")
        if agency is None:
            return _edit_page(None, _safe_form()), 400
        return redirect(url_for("admin.agency_edit", agency_id=agency.id))
    s.commit()
    flash(f"Đã lưu {saved.name}.", "ok")
    return redirect(url_for("admin.agency_edit", agency_id=saved.id))


def _safe_form() -> directory.AgencyInput:
    """The typed values back (for the form shown again after a refusal)."""
    try:
        return _form()
    except InvalidInput:
        return directory.AgencyInput(name=forms.text(request.form, "name", 200), kind="khac")


@bp.post("/agencies")
def agency_create() -> ResponseReturnValue:
    require_manager()
    return _save(None)


@bp.post("/agencies/<int:agency_id>")
def agency_update(agency_id: int) -> ResponseReturnValue:
    require_manager()
    return _save(_agency(agency_id))


def _liaison_action(agency_id: int, work: Callable[[Agency], str]) -> Response:
    """Run one liaison change in its own transaction; refusals become a message."""
    require_manager()
    agency = _agency(agency_id)
    s = db_session()
    try:
        message = work(agency)
        s.commit()
        flash(message, "ok")
    except InvalidInput as exc:
        s.rollback()
        flash(str(exc), "error")
    return redirect(url_for("admin.agency_edit", agency_id=agency_id) + "#lien-lac")


@bp.post("/agencies/<int:agency_id>/liaisons")
def liaison_create(agency_id: int) -> ResponseReturnValue:
    """A new liaison account, created with the agency already set."""
    f = request.form

    def work(agency: Agency) -> str:
        user = directory.create_liaison(
            db_session(),
            actor(),
            agency,
            username=forms.text(f, "username", 80),
            display_name=forms.text(f, "display_name", 200),
            email=forms.text(f, "email", 200),
            password=f.get("password", "")[:200],
            now=utcnow(),
        )
        return f"Đã tạo tài khoản {user.username} cho {agency.name}."

    return _liaison_action(agency_id, work)


@bp.post("/agencies/<int:agency_id>/liaisons/link")
def liaison_link(agency_id: int) -> ResponseReturnValue:
    def work(agency: Agency) -> str:
        user = db_session().get(StaffUser, forms.integer(request.form, "user") or 0)
        if user is None:
            raise InvalidInput("Không tìm thấy tài khoản.")
        directory.link_liaison(db_session(), actor(), agency, user, now=utcnow())
        return f"Đã gắn {user.username} với {agency.name}."

    return _liaison_action(agency_id, work)


@bp.post("/agencies/<int:agency_id>/liaisons/<int:user_id>/unlink")
def liaison_unlink(agency_id: int, user_id: int) -> ResponseReturnValue:
    def work(agency: Agency) -> str:
        user = db_session().get(StaffUser, user_id)
        if user is None:
            raise InvalidInput("Không tìm thấy tài khoản.")
        directory.unlink_liaison(db_session(), actor(), agency, user, now=utcnow())
        return f"Đã bỏ gắn {user.username} khỏi {agency.name}."

    return _liaison_action(agency_id, work)
