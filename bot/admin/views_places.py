"""Wards and local names: administrators and supervisors for every ward, ward staff for
their own wards; renaming a ward is for administrators. A test box shows which ward the bot
reads in a sentence, with the names added here."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from bot.admin import forms
from bot.admin.blueprint import actor, bp, require_role, staff_user, utcnow
from bot.database import db_session
from handlers import places
from nlp.wards import resolve
from storage.models import StaffUser, Ward, WardAlias
from storage.models.enums import Role

EDITORS = (Role.ADMIN, Role.SUPERVISOR, Role.STAFF)


def _editor() -> StaffUser:
    return staff_user(*EDITORS)


def _ward(wid: int) -> Ward:
    """A ward the user may edit (another ward of a staff member is not found)."""
    ward = db_session().get(Ward, wid)
    who = actor()
    if ward is None or not (who.sees_everything or ward.id in who.ward_ids):
        abort(404)
    return ward


def _page(problems: list[str], status: int = 200) -> ResponseReturnValue:
    s = db_session()
    who = actor()
    wards = [
        w
        for w in s.scalars(select(Ward).order_by(Ward.sort_order))
        if who.sees_everything or w.id in who.ward_ids
    ]
    trial = forms.text(request.args, "thu", 500)
    found = resolve(trial, places.extra_ward_names(s)) if trial else None
    page = render_template(
        "admin/places.html",
        wards=wards,
        kinds=places.ALIAS_KINDS,
        builtin=places.is_builtin,
        problems=problems,
        trial=trial,
        found=found,
        sent=request.form if request.method == "POST" else None,
        can_rename=who.role == Role.ADMIN,
    )
    return page, status


@bp.get("/places")
def places_page() -> ResponseReturnValue:
    _editor()
    return _page([])


@bp.post("/places/<int:wid>/names")
def place_add(wid: int) -> ResponseReturnValue:
    """Give a ward one more local name (the bot reads it from the next message on)."""
    me = _editor()
    s = db_session()
    ward = _ward(wid)
    f = request.form
    try:
        alias = places.add_alias(
            s, ward, forms.text(f, "name", 300), f.get("kind", ""), by=me, now=utcnow()
        )
    except places.PlaceError as exc:
        s.rollback()
        return _page([str(exc)], 400)
    s.commit()
    flash(f"Đã thêm «{alias.name}» cho phường {ward.name}.", "ok")
    return redirect(url_for("admin.places_page") + f"#ward-{ward.id}")


@bp.post("/places/names/<int:aid>/delete")
def place_remove(aid: int) -> ResponseReturnValue:
    me = _editor()
    s = db_session()
    alias = s.get(WardAlias, aid)
    if alias is None:
        abort(404)
    ward = _ward(alias.ward_id)
    try:
        places.remove_alias(s, alias, by=me, now=utcnow())
    except places.PlaceError as exc:
        s.rollback()
        return _page([str(exc)], 400)
    s.commit()
    flash("Đã xóa tên.", "ok")
    return redirect(url_for("admin.places_page") + f"#ward-{ward.id}")


@bp.post("/places/<int:wid>")
def ward_rename(wid: int) -> ResponseReturnValue:
    """How the ward is written on screens and in messages (administrators)."""
    require_role(Role.ADMIN)
    me = _editor()
    s = db_session()
    ward = _ward(wid)
    f = request.form
    try:
        places.rename_ward(
            s,
            ward,
            forms.text(f, "name", 200),
            forms.text(f, "full_name", 300),
            by=me,
            now=utcnow(),
        )
    except places.PlaceError as exc:
        s.rollback()
        return _page([str(exc)], 400)
    s.commit()
    flash(f"Đã lưu tên phường {ward.name}.", "ok")
    return redirect(url_for("admin.places_page") + f"#ward-{ward.id}")
