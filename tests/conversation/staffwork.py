"""What staff do to a petition, through the real workflow (the system actor stands in)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import workflow
from storage.models import Agency, Petition


def petition(session: Session, code: str) -> Petition:
    found = session.scalar(select(Petition).where(Petition.code == code))
    assert found is not None, code
    return found


def forward(session: Session, p: Petition, now: datetime) -> Agency:
    """Triage and forward to the ward's People's Committee."""
    workflow.triage(
        session,
        p,
        actor=workflow.SYSTEM,
        category_id=p.category_id,
        ward_id=p.ward_id,
        legal_type=p.legal_type or "phan_anh",
        urgent=p.urgent,
        now=now,
    )
    agency = session.scalars(select(Agency).where(Agency.ward_id == p.ward_id)).first()
    assert agency is not None
    workflow.forward(
        session,
        p,
        actor=workflow.SYSTEM,
        agency=agency,
        channel="van_ban",
        document_number="123/MTTQ",
        sent_on=workflow.local_date(now),
        now=now,
    )
    return agency


def send_result(session: Session, p: Petition, now: datetime) -> None:
    """Forward, record the agency's answer and send the result to the citizen."""
    forward(session, p, now)
    workflow.record_agency_answer(
        session, p, actor=workflow.SYSTEM, text="Đã vá ổ gà ngày 05/11.", now=now
    )
    workflow.send_result(session, p, actor=workflow.SYSTEM, result_text="Đã vá ổ gà.", now=now)


def ask_info(session: Session, p: Petition, now: datetime) -> None:
    workflow.request_info(session, p, actor=workflow.SYSTEM, what="ảnh hiện trường", now=now)
