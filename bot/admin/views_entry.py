"""Entry on a citizen's behalf: walk-in, letter, phone and e-mail petitions, channel recorded."""

from __future__ import annotations

import logging
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.admin import forms
from bot.admin.actions import _upload
from bot.admin.blueprint import actor, bp, require_role, settings, utcnow
from bot.admin.lookups import Lookups
from bot.database import db_session
from handlers import reports
from handlers import workflow as wf
from handlers.workflow import InvalidInput
from handlers.workflow.labels import CHANNEL_LABELS, LEGAL_TYPE_LABELS
from storage.models import Category, OrgUnit, Petition, Ward
from storage.models.enums import Channel, LegalType, PetitionState, Role

logger = logging.getLogger(__name__)

ENTRY_CHANNELS = {k: v for k, v in CHANNEL_LABELS.items() if k != Channel.ZALO}
STAFF_ROLES = (Role.ADMIN, Role.SUPERVISOR, Role.STAFF)


def _form(errors: str = "", status: int = 200) -> ResponseReturnValue:
    names = Lookups.load(db_session())
    today = wf.local_date(utcnow())
    return render_template(
        "admin/entry.html",
        channels=ENTRY_CHANNELS,
        wards=names.wards_for(actor()),
        categories=[c for c in names.categories.values() if c.active],
        legal_types=LEGAL_TYPE_LABELS,
        form=request.form,
        error=errors,
        today=today,
        oldest=today - wf.OLDEST_RECEIPT,
    ), status


@bp.get("/entry")
def entry() -> ResponseReturnValue:
    """The form."""
    require_role(*STAFF_ROLES)
    return _form()


@bp.post("/entry")
def entry_post() -> ResponseReturnValue:
    """Create the petition, suggest a classification, and submit it as received on the day
    the officer gives (a letter may have arrived days before it is typed in)."""
    require_role(*STAFF_ROLES)
    s = db_session()
    who, f, now = actor(), request.form, utcnow()
    try:
        received_on = forms.day(f, "received_on", required=False)
        channel = forms.text(f, "channel")
        if channel not in ENTRY_CHANNELS:
            raise InvalidInput("Cần chọn hình thức tiếp nhận.")
        ward_id = _known(s, Ward, forms.integer(f, "ward"), "Phường")
        if not who.sees_everything and ward_id not in who.ward_ids:
            raise InvalidInput("Phường nằm ngoài phạm vi của bạn.")
        category_id = _known(s, Category, forms.integer(f, "category", required=False), "Lĩnh vực")
        body = forms.text(f, "text", 20_000)
        if not body:
            raise InvalidInput("Cần nhập nội dung phản ánh, kiến nghị.")
        legal = forms.text(f, "legal_type") or None
        p = Petition(
            state=PetitionState.DRAFT,
            channel=channel,
            ward_id=ward_id,
            unit_id=s.scalar(select(OrgUnit.id).where(OrgUnit.ward_id == ward_id)),
            category_id=category_id,
            legal_type=legal if legal in set(LegalType) else None,
            urgent=forms.flag(f, "urgent"),
            reporter_name=forms.text(f, "reporter_name", 200) or None,
            callback_phone=forms.text(f, "phone", 32) or None,
            contact_email=_email(forms.text(f, "email", 200)),
            place=forms.text(f, "place", 300) or None,
            summary=(forms.text(f, "summary", 300) or body[:120]),
            text=body,
        )
        s.add(p)
        s.flush()
        _suggest(s, p)
        # Before the upload: a refused date of receipt stores no file.
        wf.submit(
            s,
            p,
            now=now,
            actor=who,
            code_prefix=settings().petition_code_prefix,
            received_on=received_on,
        )
        _upload(s, p, "file", "letter")
        s.commit()
    except InvalidInput as exc:
        s.rollback()
        return _form(str(exc), 400)
    if received_on is None or received_on == wf.local_date(now):
        flash(f"Đã tiếp nhận hồ sơ {p.code}.", "ok")
    else:
        flash(f"Đã tiếp nhận hồ sơ {p.code}, nhận ngày {received_on:%d/%m/%Y}.", "ok")
        _warn_sent_reports(s, p, received_on)
    return redirect(url_for("admin.petition", pid=p.id))


def _warn_sent_reports(s: Session, p: Petition, day: date) -> None:
    """Tell the officer which already sent reports (month, quarter, year of the day of
    receipt) leave the back-dated petition out: their figures are frozen."""
    ward = p.ward
    whose = {reports.AREA: "toàn khu vực"} | ({ward.code: f"phường {ward.name}"} if ward else {})
    for period, scope in reports.sent_covering(s, day, ward.code if ward else None):
        flash(
            f"Báo cáo {period.label} ({whose[scope]}) đã chốt, gửi nên không gồm hồ sơ "
            f"{p.code} nhận ngày {day:%d/%m/%Y}; nếu cần, hãy lập bản đính chính.",
            "info",
        )


def _known(
    s: Session, model: type[Ward] | type[Category], row_id: int | None, what: str
) -> int | None:
    """An id the form sent, refused unless it names an active row (a crafted form would
    otherwise fail in the database)."""
    if row_id is None:
        return None
    active = s.scalar(select(model.active).where(model.id == row_id))
    if not active:
        raise InvalidInput(f"{what} đã chọn không có trong danh mục.")
    return row_id


def _email(value: str) -> str | None:
    """The citizen's email for the result (optional); refuse what cannot be an address."""
    if not value:
        return None
    local, _, domain = value.partition("@")
    if not local or "." not in domain or any(c.isspace() for c in value):
        raise InvalidInput("Địa chỉ thư điện tử không hợp lệ.")
    return value


def _suggest(s: object, p: Petition) -> None:
    """The classifier's suggestions, like a Zalo petition gets (fields typed by staff win)."""
    try:
        wf.apply_suggestions(s, p)  # type: ignore[arg-type]
    except ImportError:
        logger.warning("nlp pipeline unavailable; petition %s entered without suggestions", p.id)
