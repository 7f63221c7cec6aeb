"""Telling citizens who did not write by Zalo (walk-in, phone, letter, email, entered by staff).

No message reaches them by itself. When their result is released, an email goes to the
address they gave (through the outbox, real SMTP), or else the officer gets an item to call
them back or send a letter; an email the server refuses (or the sender gives up on) raises
that same item; the petition records how and when the result actually reached
them (`result_delivered_at/via`), which is what "kết quả đã gửi" may rest on.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from handlers.outbox.queueing import OutboxError, queue_email
from handlers.tasks import raise_item
from storage.models import OutboxMessage, Petition, StaffNotification

logger = logging.getLogger(__name__)

#: How staff can record a delivery they made themselves.
MANUAL_VIAS = {"phone": "Gọi điện thoại", "letter": "Gửi văn bản", "in_person": "Trực tiếp"}

RESULT_SUBJECT = "Kết quả giải quyết phản ánh, kiến nghị — hồ sơ {code}"
RESULT_BODY = (
    "Kính gửi Ông/Bà {name},\n\n"
    "Ủy ban MTTQ Việt Nam thông báo kết quả giải quyết phản ánh, kiến nghị của Ông/Bà "
    "(mã hồ sơ {code}):\n\n{result}\n\n"
    "Nếu vấn đề chưa được giải quyết, Ông/Bà có thể đề nghị xem xét lại trong vòng 30 ngày "
    "bằng cách trả lời thư này hoặc liên hệ Ủy ban MTTQ phường.\n\n"
    "Trân trọng."
)


def require_delivery(session: Session, petition: Petition, result: str, now: datetime) -> str:
    """Start telling a non-Zalo citizen their result: email if possible, else a staff item."""
    if petition.contact_email:
        try:
            row = queue_email(
                session,
                to=petition.contact_email,
                subject=RESULT_SUBJECT.format(code=petition.code),
                body=RESULT_BODY.format(
                    name=petition.reporter_name or "", code=petition.code, result=result
                ),
                petition=petition,
                dedup_key=f"result-mail:{petition.id}:{now:%Y%m%d%H%M%S}",
            )
        except OutboxError:
            logger.warning("petition %s has an unusable email address", petition.id)
        else:
            row.kind = "result_email"
            row.payload = {**row.payload, "notice": {"slot": "result", "code": petition.code}}
            return "email"
    how = "phone" if petition.callback_phone else "letter"
    _item(session, petition, how, now)
    return how


def email_failed(session: Session, outbox_id: int, reason: str, now: datetime) -> bool:
    """A result email was refused or given up on: the officer must tell the citizen another
    way (call, letter). Called by the outbox sender for every dead email row; rows that are
    not a result email, or a result already delivered, are left alone."""
    row = session.get(OutboxMessage, outbox_id)
    if row is None or row.kind != "result_email" or row.petition_id is None:
        return False
    petition = session.get(Petition, row.petition_id)
    if petition is None or petition.result_delivered_at is not None:
        return False
    logger.warning("result email of petition %s not delivered", petition.id)
    how = "phone" if petition.callback_phone else "letter"
    why = f"Thư báo kết quả đến {row.recipient} không gửi được ({reason[:200]})."
    _item(session, petition, how, now, why=why)
    return True


def _item(
    session: Session, petition: Petition, how: str, now: datetime, *, why: str = ""
) -> StaffNotification:
    if how == "phone":
        title = f"{petition.code}: gọi điện báo kết quả cho người dân ({petition.callback_phone})"
    else:
        title = f"{petition.code}: gửi văn bản báo kết quả cho người dân"
    body = (
        why or "Người dân không gửi qua Zalo nên chưa nhận được kết quả."
    ) + " Sau khi báo, bấm «Ghi nhận đã báo kết quả» trên trang hồ sơ."
    return raise_item(
        session,
        kind="deliver_result",
        title=title,
        body=body,
        now=now,
        petition_id=petition.id,
        staff_id=petition.assignee_id,
        ward_id=petition.ward_id,
        key=f"deliver_result:p{petition.id}",
    )


def record_manual(petition: Petition, *, via: str, note: str, now: datetime) -> None:
    """Staff told the citizen themselves (call, letter, in person); the caller audits it."""
    if via not in MANUAL_VIAS:
        raise ValueError("unknown delivery channel")
    petition.result_delivered_at = now
    petition.result_delivered_via = via
    petition.result_delivery_note = note.strip()[:1000] or None
