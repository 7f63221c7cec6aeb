"""Message templates, grouped by when they are sent, each with what it is for, its
placeholders and an example; a refused edit comes back with the text as typed and what is
wrong. Staff reply templates live on the same page."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from bot.admin import auditing, forms
from bot.admin.blueprint import MANAGERS, bp, staff_user, utcnow
from bot.admin.keep import keep_form, kept, refused
from bot.admin.lookups import Lookups
from bot.admin.replies import REPLY_PREFIX
from bot.database import db_session
from handlers import message_guide
from handlers.message_guide import overrides
from storage.models import ResponseTemplate, StaffUser


def _manager() -> StaffUser:
    return staff_user(*MANAGERS)


@bp.get("/templates")
def templates() -> ResponseReturnValue:
    """Every message in its group, with its override, and the reply templates."""
    _manager()
    s = db_session()
    rows = s.scalars(select(ResponseTemplate).order_by(ResponseTemplate.key)).all()
    replies = [r for r in rows if r.key.startswith(REPLY_PREFIX)]
    return render_template(
        "admin/templates.html",
        groups=message_guide.grouped(),
        overrides=overrides.overrides(s),
        replies=replies,
        names=Lookups.load(s),
        kept=kept("reply"),
    )


def _entry(key: str) -> message_guide.Entry:
    item = message_guide.entry(key)
    if item is None:
        abort(404)
    return item


def _edit_page(item: message_guide.Entry, **typed: Any) -> str:
    row = overrides.override(db_session(), item.key)
    body = typed.get("body")
    if body is None:
        body = row.body if row is not None else item.default_body
    subject = typed.get("subject")
    if subject is None and item.is_email:
        subject = row.title if row is not None and row.title else item.default_subject
    group = next((g for g, items in message_guide.grouped() if item in items), None)
    return render_template(
        "admin/template_edit.html",
        item=item,
        group=group,
        body=body,
        subject=subject,
        overridden=row is not None,
        problems=typed.get("problems", []),
        preview=typed.get("preview", False),
    )


@bp.get("/templates/edit")
def template_edit() -> ResponseReturnValue:
    _manager()
    return _edit_page(_entry(request.args.get("key", "")))


@bp.post("/templates/edit")
def template_save() -> ResponseReturnValue:
    """Preview, save (only if it passes the checks) or reset one message."""
    me = _manager()
    item = _entry(request.form.get("key", ""))
    s = db_session()
    if request.form.get("reset") == "1":
        overrides.reset(s, item, by=me, now=utcnow())
        s.commit()
        flash("Đã khôi phục mẫu mặc định.", "ok")
        return redirect(url_for("admin.template_edit", key=item.key))
    body = (request.form.get("body") or "")[:4000]
    subject = (request.form.get("subject") or "")[:300] if item.is_email else None
    if request.form.get("action") == "preview":
        found = message_guide.problems(item, body.replace("\r\n", "\n"), subject)
        return _edit_page(item, body=body, subject=subject, problems=found, preview=True)
    problems = overrides.save(s, item, body, subject, by=me, now=utcnow())
    if problems:
        s.rollback()
        return _edit_page(item, body=body, subject=subject, problems=problems), 400
    s.commit()
    flash("Đã lưu mẫu.", "ok")
    return redirect(url_for("admin.templates") + f"#t-{item.key}")


@bp.post("/templates/replies")
def reply_save() -> ResponseReturnValue:
    """Add or change a staff reply template (title, text, optional field)."""
    _manager()
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
    before = {"title": row.title, "body": row.body} if row.id else None
    row.title, row.body, row.active = title, body, True
    row.category_id = forms.integer(f, "category", required=False)
    row.updated_at = utcnow()
    auditing.record(
        "reply.save",
        summary=f"Lưu mẫu trả lời «{title}»",
        target=("template", row.key),
        before=before,
        after={"title": title, "body": body[:2000]},
    )
    s.commit()
    flash("Đã lưu mẫu trả lời.", "ok")
    return redirect(url_for("admin.templates"))


@bp.post("/templates/replies/<int:rid>/delete")
def reply_delete(rid: int) -> ResponseReturnValue:
    _manager()
    s = db_session()
    row = s.get(ResponseTemplate, rid)
    if row is None or not row.key.startswith(REPLY_PREFIX):
        abort(404)
    auditing.record(
        "reply.delete",
        summary=f"Xóa mẫu trả lời «{row.title}»",
        target=("template", row.key),
        before={"title": row.title, "body": row.body[:2000]},
    )
    s.delete(row)
    s.commit()
    flash("Đã xóa mẫu trả lời.", "ok")
    return redirect(url_for("admin.templates"))
