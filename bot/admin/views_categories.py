"""Categories (administrators): names, descriptions, default legal type and clock, active.

The code (the classifier's label) is shown but never editable."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from bot.admin import forms
from bot.admin.blueprint import bp, staff_user, utcnow
from bot.database import db_session
from handlers import categories
from handlers.workflow import DEFAULT_POLICY, InvalidInput, labels
from storage.models import Category, StaffUser
from storage.models.enums import Role


def _admin() -> StaffUser:
    return staff_user(Role.ADMIN)


def _form(f: forms.Form) -> categories.CategoryForm:
    wd = forms.integer(f, "handler_wd", required=False)
    return categories.CategoryForm(
        name=forms.text(f, "name", 300),
        description=forms.text(f, "description", 3000),
        default_legal_type=f.get("default_legal_type") or None,
        handler_wd=wd,
        active=forms.flag(f, "active"),
        confidential=forms.flag(f, "confidential"),
    )


def _page(
    problems: list[str], status: int = 200, sent: forms.Form | None = None, sent_id: object = None
) -> ResponseReturnValue:
    rows = db_session().scalars(select(Category).order_by(Category.sort_order, Category.id))
    page = render_template(
        "admin/categories.html",
        rows=list(rows),
        problems=problems,
        sent=sent,
        sent_id=sent_id,
        legal_types=labels.LEGAL_TYPE_LABELS,
        policy=DEFAULT_POLICY,
    )
    return page, status


@bp.get("/categories")
def categories_page() -> ResponseReturnValue:
    _admin()
    return _page([])


@bp.post("/categories")
def category_create() -> ResponseReturnValue:
    """Add a category (its code is fixed from now on)."""
    me = _admin()
    s = db_session()
    try:
        code = forms.text(request.form, "code", 40)
        row = categories.create(s, code, _form(request.form), by=me, now=utcnow())
    except (categories.CategoryError, InvalidInput) as exc:
        s.rollback()
        return _page([str(exc)], 400, request.form, "new")
    s.commit()
    flash(f"Đã thêm lĩnh vực «{row.name}».", "ok")
    return redirect(url_for("admin.categories_page") + f"#cat-{row.id}")


@bp.post("/categories/<int:cid>")
def category_update(cid: int) -> ResponseReturnValue:
    """Save a category's editable fields."""
    me = _admin()
    s = db_session()
    row = s.get(Category, cid)
    if row is None:
        abort(404)
    try:
        categories.update(s, row, _form(request.form), by=me, now=utcnow())
    except (categories.CategoryError, InvalidInput) as exc:
        s.rollback()
        return _page([f"{row.code}: {exc}"], 400, request.form, cid)
    s.commit()
    flash(f"Đã lưu lĩnh vực «{row.name}».", "ok")
    return redirect(url_for("admin.categories_page") + f"#cat-{row.id}")
