"""Response templates: override the bot's catalogue texts, and keep staff reply templates."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from bot.admin import forms
from bot.admin.blueprint import MANAGERS, bp, require_role, utcnow
from bot.admin.keep import keep_form, kept, refused
from bot.admin.lookups import Lookups
from bot.admin.replies import REPLY_PREFIX
from bot.database import db_session
from handlers import messages
from storage.models import ResponseTemplate


def _override(key: str) -> ResponseTemplate | None:
    return db_session().scalar(
        select(ResponseTemplate).where(
            ResponseTemplate.key == key, ResponseTemplate.category_id.is_(None)
        )
    )


@bp.get("/templates")
def templates() -> ResponseReturnValue:
    """Every catalogue key with its override, and the reply templates."""
    require_role(*MANAGERS)
    s = db_session()
    rows = s.scalars(select(ResponseTemplate).order_by(ResponseTemplate.key)).all()
    overrides = {r.key: r for r in rows if r.category_id is None and r.key in messages.CATALOGUE}
    replies = [r for r in rows if r.key.startswith(REPLY_PREFIX)]
    return render_template(
        "admin/templates.html",
        catalogue=messages.CATALOGUE,
        overrides=overrides,
        replies=replies,
        names=Lookups.load(s),
        kept=kept("reply"),
    )


@bp.get("/templates/edit")
def template_edit(key: str | None = None, typed: str | None = None) -> ResponseReturnValue:
    require_role(*MANAGERS)
    key = key or request.args.get("key", "")
    if key not in messages.CATALOGUE:
        abort(404)
    row = _override(key)
    return render_template(
        "admin/template_edit.html",
        key=key,
        default=messages.CATALOGUE[key],
        body=typed if typed is not None else (row.body if row else messages.CATALOGUE[key]),
        placeholders=sorted(messages.placeholders(messages.CATALOGUE[key])),
    )


@bp.post("/templates/edit")
def template_save() -> ResponseReturnValue:
    """Save (or reset) an override; it may use only the default's placeholders."""
    require_role(*MANAGERS)
    key = request.form.get("key", "")
    if key not in messages.CATALOGUE:
        abort(404)
    s = db_session()
    row = _override(key)
    if request.form.get("reset") == "1":
        if row is not None:
            s.delete(row)
        s.commit()
        flash("Đã khôi phục mẫu mặc định.", "ok")
        return redirect(url_for("admin.templates"))
    body = forms.text(request.form, "body", 4000)
    allowed = messages.placeholders(messages.CATALOGUE[key])
    try:
        unknown = messages.placeholders(body) - allowed
    except ValueError:
        unknown = {"?"}
    if not body or unknown:
        flash(
            "Mẫu có chỗ điền không hợp lệ: " + ", ".join(sorted(unknown))
            if unknown
            else "Nội dung không được để trống.",
            "error",
        )
        return refused(template_edit(key, typed=body))  # what was typed stays on the page
    if row is None:
        row = ResponseTemplate(key=key, body=body, title=key)
        s.add(row)
    row.body, row.active, row.updated_at = body, True, utcnow()
    s.commit()
    flash("Đã lưu mẫu.", "ok")
    return redirect(url_for("admin.templates"))


@bp.post("/templates/replies")
def reply_save() -> ResponseReturnValue:
    """Add or change a staff reply template (title, text, optional field)."""
    require_role(*MANAGERS)
    s = db_session()
    f = request.form
    title, body = forms.text(f, "title", 200), forms.text(f, "body", 4000)
    if not title or not body:
        flash("Cần nhập tiêu đề và nội dung.", "error")
        keep_form("reply", f)
        return refused(templates())
    rid = forms.integer(f, "id", required=False)
    row = s.get(ResponseTemplate, rid) if rid else None
    if row is None or not row.key.startswith(REPLY_PREFIX):
        row = ResponseTemplate(key=f"{REPLY_PREFIX}{utcnow():%Y%m%d%H%M%S%f}", body=body)
        s.add(row)
    row.title, row.body, row.active = title, body, True
    row.category_id = forms.integer(f, "category", required=False)
    row.updated_at = utcnow()
    s.commit()
    flash("Đã lưu mẫu trả lời.", "ok")
    return redirect(url_for("admin.templates"))


@bp.post("/templates/replies/<int:rid>/delete")
def reply_delete(rid: int) -> ResponseReturnValue:
    require_role(*MANAGERS)
    s = db_session()
    row = s.get(ResponseTemplate, rid)
    if row is None or not row.key.startswith(REPLY_PREFIX):
        abort(404)
    s.delete(row)
    s.commit()
    flash("Đã xóa mẫu trả lời.", "ok")
    return redirect(url_for("admin.templates"))
