"""The routing table screen: field × ward (× keywords) → candidate agencies in order."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from bot.admin import forms
from bot.admin.blueprint import actor, bp, utcnow
from bot.admin.lookups import Lookups
from bot.admin.views_agencies import require_manager
from bot.database import db_session
from handlers.agencies import routing
from handlers.workflow import InvalidInput

SLOTS = 4  # agency selects shown on the form


def _category_filter() -> int | None:
    raw = request.args.get("category", "")
    return int(raw) if raw.isdigit() else None


@bp.get("/routing")
def routing_rules() -> ResponseReturnValue:
    """Every rule, optionally for one field, with the form to add one."""
    require_manager()
    s = db_session()
    category_id = _category_filter()
    edit = routing.find_group(s, request.args.get("edit", ""))
    return render_template(
        "admin/routing.html",
        groups=routing.rule_groups(s, category_id),
        names=Lookups.load(s),
        category_id=category_id,
        edit=edit,
        slots=range(SLOTS),
    )


@bp.post("/routing")
def routing_save() -> ResponseReturnValue:
    """Create a rule, or replace the one named by `key`."""
    require_manager()
    s = db_session()
    f = request.form
    replacing = routing.find_group(s, f.get("key", "")) if f.get("key") else None
    if f.get("key") and replacing is None:
        abort(404)
    try:
        category_id = forms.integer(f, "category")
        assert category_id is not None  # noqa: S101 - required above
        routing.save_rule(
            s,
            actor(),
            category_id=category_id,
            ward_id=forms.integer(f, "ward", required=False),
            keywords=forms.text(f, "keywords", 1000),
            agency_ids=[int(v) for v in f.getlist("agency")[:SLOTS] if v.isdigit()],
            note=forms.text(f, "note", 1000),
            active=forms.flag(f, "active"),
            now=utcnow(),
            replacing=replacing,
        )
    except InvalidInput as exc:
        s.rollback()
        flash(str(exc), "error")
        return redirect(url_for("admin.routing_rules", category=f.get("category", "")))
    s.commit()
    flash("Đã lưu quy tắc phân công.", "ok")
    return redirect(url_for("admin.routing_rules", category=category_id))


@bp.post("/routing/delete")
def routing_delete() -> ResponseReturnValue:
    require_manager()
    s = db_session()
    group = routing.find_group(s, request.form.get("key", ""))
    if group is None:
        abort(404)
    routing.delete_rule(s, actor(), group, now=utcnow())
    s.commit()
    flash("Đã xóa quy tắc phân công.", "ok")
    return redirect(url_for("admin.routing_rules", category=group.category_id))
