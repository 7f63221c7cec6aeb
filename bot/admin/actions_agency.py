"""The petition page's agency actions: return, ask for more time, decide, write in the thread."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.admin import forms
from bot.admin.actions import action
from bot.admin.agency_mail import mail_context
from handlers import workflow as wf
from handlers.agencies import flows, redaction
from handlers.agencies.thread import post_message
from handlers.workflow import Actor, InvalidInput
from storage.models import Agency, ExtensionRequest, Petition


@action("return_forward")
def _return(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    suggested_id = forms.integer(f, "suggested_agency", required=False)
    suggested = s.get(Agency, suggested_id) if suggested_id else None
    if suggested_id and (suggested is None or not suggested.active):
        raise InvalidInput("Không tìm thấy cơ quan được đề nghị.")
    wf.return_forward(
        s,
        p,
        actor=who,
        reason=forms.text(f, "reason", 2000),
        suggestion=forms.text(f, "suggestion", 300),
        suggested_agency=suggested,
        now=now,
    )
    return "Đã trả lại hồ sơ cho Ủy ban MTTQ để chuyển cơ quan có thẩm quyền."


@action("request_extension")
def _request_extension(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    proposed = forms.day(f, "proposed_due_on")
    assert proposed is not None  # noqa: S101 - required above
    wf.request_extension(
        s, p, actor=who, reason=forms.text(f, "reason", 2000), proposed_due_on=proposed, now=now
    )
    return "Đã gửi đề nghị gia hạn; Ủy ban MTTQ sẽ xem xét."


@action("decide_extension")
def _decide_extension(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    request = s.get(ExtensionRequest, forms.integer(f, "request") or 0)
    if request is None or request.petition_id != p.id:
        raise InvalidInput("Không tìm thấy đề nghị gia hạn.")
    decision = forms.text(f, "decision")
    if decision not in ("approve", "refuse"):
        raise InvalidInput("Cần chọn chấp thuận hoặc không chấp thuận.")
    flows.decide_extension(
        s,
        p,
        actor=who,
        request=request,
        approve=decision == "approve",
        note=forms.text(f, "note", 2000),
        granted_due_on=forms.day(f, "granted_due_on", required=False),
        now=now,
        mail=mail_context(),
    )
    if decision == "approve":
        return "Đã chấp thuận gia hạn; cơ quan và người dân được thông báo hạn mới."
    return "Đã không chấp thuận gia hạn; cơ quan được thông báo."


@action("agency_message")
def _message(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    post_message(
        s,
        p,
        actor=who,
        body=forms.text(f, "body", 4000),
        agency_id=forms.integer(f, "agency", required=False),
        now=now,
        mail=mail_context(),
    )
    return "Đã gửi trao đổi."


@action("confirm_redaction")
def _confirm_redaction(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    redaction.confirm(
        s,
        p,
        actor=who,
        summary=forms.text(f, "summary", 300),
        text=forms.text(f, "text", 20_000),
        now=now,
    )
    return "Đã xác nhận bản gửi cơ quan; có thể chuyển hồ sơ."
