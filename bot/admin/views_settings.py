"""Settings the office changes itself (administrators; supervisors all but retention).

The default shown beside each setting is the process's: the environment variable where one
exists (config.Settings field of the same name), else the built-in value."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from bot.admin.blueprint import MANAGERS, bp, settings, staff_user, utcnow
from bot.database import db_session
from handlers import office_settings as office
from storage.models import StaffUser


def process_default(found: office.Definition) -> str:
    """The default in force in this process, as text (the environment's value if set)."""
    raw: Any = getattr(settings(), found.env.lower(), None) if found.env else None
    if raw is None:
        return found.fallback
    text = ", ".join(raw) if isinstance(raw, tuple) else str(raw)
    try:
        return found.show(found.parse(text))
    except office.SettingError:
        return found.fallback


def _page(problems: dict[str, str], sent: dict[str, str], status: int = 200) -> ResponseReturnValue:
    s = db_session()
    user = staff_user(*MANAGERS)
    staff = {u.id: u for u in s.scalars(select(StaffUser))}
    groups: dict[str, list[dict[str, Any]]] = {}
    for key, found in office.DEFINITIONS.items():
        history = office.history(s, key)
        current = history[0].value if history else None
        groups.setdefault(found.group, []).append(
            {
                "d": found,
                "current": current,
                "default": process_default(found),
                "history": history,
                "editable": office.may_change(user.role, key),
                "problem": problems.get(key),
                "typed": sent.get(key),
            }
        )
    page = render_template("admin/settings.html", groups=groups, staff=staff)
    return page, status


@bp.get("/settings")
def settings_page() -> ResponseReturnValue:
    staff_user(*MANAGERS)
    return _page({}, {})


@bp.post("/settings/<key>")
def setting_save(key: str) -> ResponseReturnValue:
    """Set one setting, or put it back to its default; a refused value stays in the box."""
    user = staff_user(*MANAGERS)
    if key not in office.DEFINITIONS:
        abort(404)
    if not office.may_change(user.role, key):
        abort(403)
    s = db_session()
    text = None if request.form.get("reset") == "1" else (request.form.get("value") or "")
    try:
        office.change(s, key, text, by=user, now=utcnow())
    except office.SettingError as exc:
        s.rollback()
        return _page({key: str(exc)}, {key: text or ""}, 400)
    s.commit()
    flash(f"Đã lưu «{office.DEFINITIONS[key].label}».", "ok")
    return redirect(url_for("admin.settings_page") + f"#s-{key.replace('.', '-')}")
