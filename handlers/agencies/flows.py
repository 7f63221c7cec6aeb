"""What the admin's forward and extension forms do: the workflow step, the slip, the emails.

Each function runs in the caller's transaction (the email rows commit with the change).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.agencies import texts
from handlers.agencies.disclosure import agency_summary, is_protected
from handlers.agencies.mail import notify_agency
from handlers.reminders.drafting import KIND_LABELS
from handlers.workflow.calendar import WorkCalendar
from handlers.workflow.labels import LEGAL_TYPE_LABELS
from handlers.workflow.slips import front_unit, write_slip
from storage.models import Agency, ChaseLetter, ExtensionRequest, Forward, Petition, StaffUser


@dataclass(frozen=True)
class MailContext:
    """What agency emails need from the process: the admin's address and the files folder."""

    base_url: str
    files_dir: Path

    def petition_link(self, petition: Petition) -> str:
        """The petition's page (the login page brings the liaison back to it)."""
        return f"{self.base_url.rstrip('/')}/admin/petitions/{petition.id}"


def forward_petition(
    session: Session,
    petition: Petition,
    *,
    actor: wf.Actor | StaffUser,
    agency: Agency,
    channel: str,
    document_number: str | None,
    sent_on: date,
    now: datetime,
    mail: MailContext,
    handler_due_on: date | None = None,
    complex_case: bool = False,
) -> Forward:
    """Forward (or re-forward), write the slip, email it to the agency; tell an agency
    that was working on it that it no longer needs to."""
    who = wf.as_actor(actor)
    previous = wf.active_forward(session, petition)
    cal = WorkCalendar.load(session)
    _, basis = wf.default_due(session, petition, sent_on, complex_case=complex_case, calendar=cal)
    fwd = wf.forward(
        session,
        petition,
        actor=who,
        agency=agency,
        channel=channel,
        document_number=document_number,
        sent_on=sent_on,
        handler_due_on=handler_due_on,
        complex_case=complex_case,
        now=now,
        calendar=cal,
    )
    link = mail.petition_link(petition)
    if handler_due_on is not None:
        basis = "theo đề nghị của Ủy ban MTTQ"
    slip = write_slip(
        session, petition, fwd, base_dir=mail.files_dir, due_basis=basis, link=link, calendar=cal
    )
    subject, body = texts.render(
        "forward", link=link, **_forward_params(session, petition, fwd, cal)
    )
    notify_agency(session, fwd, subject, body, [mail.files_dir / slip], now, actor=who)
    if previous is not None and previous.agency_id != agency.id:
        unit = front_unit(session, petition)
        subject, body = texts.render(
            "rerouted",
            place=unit.place,
            unit=unit.name,
            agency=previous.agency.name,
            code=petition.code,
            new_agency=agency.name,
        )
        notify_agency(session, previous, subject, body, [], now, purpose="rerouted", actor=who)
    return fwd


def _forward_params(
    session: Session, petition: Petition, fwd: Forward, cal: WorkCalendar
) -> dict[str, object]:
    unit = front_unit(session, petition)
    return {
        "place": unit.place,
        "unit": unit.name,
        "agency": fwd.agency.name,
        "legal_type": LEGAL_TYPE_LABELS.get(
            petition.legal_type or "", "phản ánh, kiến nghị"
        ).lower(),
        "code": petition.code,
        "document_number": fwd.document_number or "(chưa có số)",
        "sent_date": f"{fwd.sent_on:%d/%m/%Y}",
        "category": petition.category.name if petition.category else "chưa xác định",
        "ward": petition.ward.full_name if petition.ward else "chưa xác định",
        "summary": agency_summary(petition) or "(xem phiếu chuyển)",
        "due_date": f"{fwd.handler_due_on:%d/%m/%Y}",
        "working_days": max(0, cal.working_days_between(fwd.sent_on, fwd.handler_due_on)),
        "confidential": texts.CONFIDENTIAL if is_protected(petition) else "",
    }


def decide_extension(
    session: Session,
    petition: Petition,
    *,
    actor: wf.Actor | StaffUser,
    request: ExtensionRequest,
    approve: bool,
    now: datetime,
    mail: MailContext,
    note: str = "",
    granted_due_on: date | None = None,
) -> ExtensionRequest:
    """Approve or refuse, then email the agency the decision."""
    who = wf.as_actor(actor)
    wf.decide_extension(
        session,
        petition,
        actor=who,
        request=request,
        approve=approve,
        note=note,
        granted_due_on=granted_due_on,
        now=now,
    )
    fwd = session.get(Forward, request.forward_id)
    assert fwd is not None  # noqa: S101 - checked by the workflow
    unit = front_unit(session, petition)
    decision = request.decision_note
    if approve:
        decision = f"\nGhi chú: {decision}" if decision else ""
    subject, body = texts.render(
        "extension_approved" if approve else "extension_refused",
        link=mail.petition_link(petition),
        place=unit.place,
        unit=unit.name,
        agency=fwd.agency.name,
        code=petition.code,
        due_date=f"{fwd.handler_due_on:%d/%m/%Y}",
        note=decision,
    )
    notify_agency(
        session, fwd, subject, body, [], now, purpose="extension", key=f"ext{request.id}", actor=who
    )
    return request


def email_letter(
    session: Session,
    letter: ChaseLetter,
    signed: Path,
    now: datetime,
    mail: MailContext,
    *,
    actor: wf.Actor | StaffUser,
) -> None:
    """Email a chase letter, once recorded as signed and sent, to its agency (the file attached)."""
    fwd = session.get(Forward, letter.forward_id) if letter.forward_id else None
    petition = session.get(Petition, letter.petition_id)
    if fwd is None or petition is None:
        return
    unit = front_unit(session, petition)
    kind = KIND_LABELS[letter.kind]
    subject, body = texts.render(
        "chase_letter",
        link=mail.petition_link(petition),
        place=unit.place,
        unit=unit.name,
        agency=fwd.agency.name,
        code=petition.code,
        kind=kind,
        kind_lower=kind.lower(),
        document_number=letter.document_number or "",
        sent_date=f"{letter.sent_on:%d/%m/%Y}" if letter.sent_on else "",
        due_date=f"{fwd.handler_due_on:%d/%m/%Y}",
    )
    notify_agency(
        session,
        fwd,
        subject,
        body,
        [signed],
        now,
        purpose="letter",
        key=f"letter{letter.id}",
        actor=wf.as_actor(actor),
    )
