"""Turning form fields into values; wrong input becomes a workflow InvalidInput."""

from __future__ import annotations

from datetime import date, datetime

from werkzeug.datastructures import MultiDict

from handlers.workflow import InvalidInput

Form = MultiDict[str, str]


def text(form: Form, name: str, limit: int = 10_000) -> str:
    return (form.get(name) or "").strip()[:limit]


def integer(form: Form, name: str, *, required: bool = True) -> int | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        if required:
            raise InvalidInput("Thiếu thông tin bắt buộc.")
        return None
    if not raw.isdigit() or len(raw) > 18:  # a 64-bit key at most
        raise InvalidInput("Giá trị không hợp lệ.")
    return int(raw)


def day(form: Form, name: str, *, required: bool = True) -> date | None:
    """A date typed dd/mm/yyyy or sent by a date input (yyyy-mm-dd)."""
    raw = (form.get(name) or "").strip()
    if not raw:
        if required:
            raise InvalidInput("Thiếu ngày.")
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise InvalidInput("Ngày không hợp lệ (dd/mm/yyyy).")


def flag(form: Form, name: str) -> bool:
    return form.get(name) in ("1", "on", "true", "yes")
