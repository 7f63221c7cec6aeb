"""Carrying out a data-subject request: one staff action per request, audited, settled on
«Việc cần làm», and the citizen told the outcome through the outbox."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from handlers import audit
from handlers.messages import render
from handlers.outbox import queue_zalo
from handlers.privacy.copy import copy_text
from handlers.privacy.erase import anonymise_citizen
from handlers.privacy.holds import describe, holds
from handlers.privacy.limits import COPY, CORRECT, DELETE, KINDS, WITHDRAW
from handlers.privacy.requests import DONE, PENDING, POSTPONED, REFUSED, item_key
from handlers.tasks import settle_item
from handlers.workflow.calendar import LOCAL_TZ
from handlers.workflow.search import refresh_search_text
from storage.models import (
    Citizen,
    Conversation,
    DataRequest,
    OutboxMessage,
    Petition,
    StaffUser,
)
from storage.models.enums import PetitionState


class PrivacyError(ValueError):
    """The action cannot be done as asked; the message says why, in Vietnamese."""


#: Fields a correction may change: attribute → label (petition fields are named p{id}.attr).
CITIZEN_FIELDS = {"display_name": "Tên", "phone": "Số điện thoại"}
PETITION_FIELDS = {
    "reporter_name": "Người gửi",
    "callback_phone": "Số điện thoại liên hệ",
    "contact_email": "Thư điện tử",
}
_PHONE = re.compile(r"^(?:\+?84|0)\d{8,10}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")


def _check(request: DataRequest, kind: str) -> Citizen:
    if request.kind != kind:
        raise PrivacyError("Yêu cầu này thuộc loại khác.")
    if request.state not in PENDING:
        raise PrivacyError("Yêu cầu này đã được xử lý xong.")
    if request.citizen.anonymised_at is not None and kind != DELETE:
        raise PrivacyError("Dữ liệu của người dân này đã được xóa.")
    return request.citizen


def provide_copy(session: Session, request: DataRequest, *, by: StaffUser, now: datetime) -> None:
    """Send the citizen the copy of their data."""
    citizen = _check(request, COPY)
    text = copy_text(session, citizen, now_label=f"{now.astimezone(LOCAL_TZ):%d/%m/%Y}")
    sent = _tell(session, citizen, text)
    _finish(session, request, by, now, DONE, "Đã gửi bản sao dữ liệu" + _via(sent))


def correct(
    session: Session,
    request: DataRequest,
    values: Mapping[str, str],
    *,
    by: StaffUser,
    now: datetime,
) -> list[str]:
    """Apply the corrected fields (form names as in `correction_form`); return their labels."""
    citizen = _check(request, CORRECT)
    changed = _apply(citizen, "", CITIZEN_FIELDS, values)
    for p in _petitions(session, citizen):
        labels = _apply(p, f"p{p.id}.", PETITION_FIELDS, values)
        if labels:
            changed += [f"{label} (hồ sơ {p.code})" for label in labels]
    if not changed:
        raise PrivacyError("Chưa có thông tin nào thay đổi.")
    for p in _petitions(session, citizen):
        refresh_search_text(p)
    what = ", ".join(changed)
    sent = _tell(session, citizen, render(session, "bot.data_corrected", what=what))
    _finish(session, request, by, now, DONE, f"Đã chỉnh sửa: {what}" + _via(sent))
    return changed


def _apply(
    row: object, prefix: str, fields: Mapping[str, str], values: Mapping[str, str]
) -> list[str]:
    """Set each field given in `values` that differs; validate phones and emails."""
    changed = []
    for name, label in fields.items():
        if prefix + name not in values:
            continue
        new = " ".join(values[prefix + name].split())[:200] or None
        if new and "phone" in name:
            new = re.sub(r"[ .\-]", "", new)
            if not _PHONE.match(new):
                raise PrivacyError(f"«{label}» không đúng dạng số điện thoại.")
        if new and name == "contact_email" and not _EMAIL.match(new):
            raise PrivacyError(f"«{label}» không đúng dạng thư điện tử.")
        if new != getattr(row, name):
            setattr(row, name, new)
            changed.append(label)
    return changed


def confirm_withdrawal(
    session: Session, request: DataRequest, *, by: StaffUser, now: datetime
) -> None:
    """Stop processing on consent: nothing new is stored, a draft and held messages go.

    Petitions already sent are still handled to the end: answering a petition is the Front's
    task under the law, not a processing that rests on consent (Law 91/2025, Art. 19).
    """
    citizen = _check(request, WITHDRAW)
    if citizen.has_consent:
        citizen.consent_withdrawn_at = now
    for draft in session.scalars(
        select(Petition).where(
            Petition.citizen_id == citizen.id, Petition.state == PetitionState.DRAFT
        )
    ):
        session.delete(draft)
    session.execute(delete(Conversation).where(Conversation.citizen_id == citizen.id))
    codes = ", ".join(p.code or "" for p in _petitions(session, citizen, open_only=True))
    key = "bot.consent_stopped_open" if codes else "bot.consent_stopped"
    sent = _tell(session, citizen, render(session, key, codes=codes))
    _finish(session, request, by, now, DONE, "Đã ngừng xử lý dữ liệu mới" + _via(sent))


def erase_confirmation(session: Session, citizen: Citizen) -> str:
    """What staff type to confirm an erasure: the citizen's latest petition code, else
    their number (#12). Typing it names the person, so a wrong tab cannot erase another."""
    petitions = _petitions(session, citizen)
    codes = [p.code for p in petitions if p.code]
    return codes[-1] if codes else f"#{citizen.id}"


def _confirmed(expected: str, typed: str) -> bool:
    typed = "".join(typed.split()).upper()
    expected = expected.upper()
    return typed == expected or (expected.startswith("#") and typed == expected[1:])


def erase(
    session: Session,
    request: DataRequest,
    *,
    by: StaffUser,
    now: datetime,
    files_root: str,
    confirm: str | None = None,
) -> int:
    """Anonymise the citizen, or postpone while the law requires a petition to be kept.

    confirm: what the staff member typed; the erasure, which cannot be undone, goes ahead
    only when it is erase_confirmation() (None: a caller that confirmed otherwise).
    Returns the number of petitions anonymised (0 when postponed).
    """
    citizen = _check(request, DELETE)
    if citizen.anonymised_at is not None:
        _finish(session, request, by, now, DONE, "Dữ liệu đã được xóa trước đó")
        return 0
    found = holds(session, citizen.id)
    expected = erase_confirmation(session, citizen)
    if not found and confirm is not None and not _confirmed(expected, confirm):
        raise PrivacyError(
            f"Chưa xóa: cần gõ đúng «{expected}» vào ô xác nhận. Việc xóa không thể hoàn tác."
        )
    if found:
        reasons = describe(found)
        sent = _tell(
            session, citizen, render(session, "bot.data_delete_postponed", reasons=reasons)
        )
        _finish(session, request, by, now, POSTPONED, "Tạm hoãn:\n" + reasons + _via(sent))
        return 0
    row = _tell(session, citizen, render(session, "bot.data_deleted"))
    count = anonymise_citizen(
        session, citizen, now=now, files_root=files_root, keep_outbox=row.id if row else None
    )
    _finish(session, request, by, now, DONE, f"Đã xóa dữ liệu, ẩn danh {count} hồ sơ" + _via(row))
    return count


def refuse(
    session: Session, request: DataRequest, reason: str, *, by: StaffUser, now: datetime
) -> None:
    """Decline with a reason the citizen is told (e.g. the request could not be verified)."""
    citizen = request.citizen
    reason = " ".join(reason.split())[:500]
    if request.state not in PENDING:
        raise PrivacyError("Yêu cầu này đã được xử lý xong.")
    if len(reason) < 10:
        raise PrivacyError("Cần ghi rõ lý do từ chối (ít nhất 10 ký tự).")
    what = KINDS[request.kind].label.lower()
    sent = _tell(session, citizen, render(session, "bot.data_refused", what=what, reason=reason))
    _finish(session, request, by, now, REFUSED, f"Từ chối: {reason}" + _via(sent))


# --- shared steps ------------------------------------------------------------------------


def _petitions(session: Session, citizen: Citizen, *, open_only: bool = False) -> list[Petition]:
    query = select(Petition).where(
        Petition.citizen_id == citizen.id, Petition.state != PetitionState.DRAFT
    )
    if open_only:
        query = query.where(Petition.state != PetitionState.CLOSED)
    return list(session.scalars(query.order_by(Petition.id)))


def _tell(session: Session, citizen: Citizen, text: str) -> OutboxMessage | None:
    """The outcome as a Zalo message; None when the citizen has no Zalo (staff tell them)."""
    if not citizen.zalo_user_id:
        return None
    return queue_zalo(session, citizen=citizen, text=text)


def _via(sent: OutboxMessage | None) -> str:
    return (
        "; đã báo người dân qua Zalo."
        if sent
        else "; người dân không dùng Zalo: cần báo trực tiếp."
    )


def _finish(
    session: Session,
    request: DataRequest,
    by: StaffUser,
    now: datetime,
    state: str,
    outcome: str,
) -> None:
    """Record the outcome, settle the item, and write the audit entry (no personal data)."""
    before = request.state
    request.state, request.outcome = state, outcome[:2000]
    request.handled_at, request.handled_by_id = now, by.id
    settle_item(session, item_key(request), now=now, staff_id=by.id, note=outcome[:300])
    audit.write(
        session,
        f"privacy.{request.kind}",
        now=now,
        actor=by,
        summary=f"{KINDS[request.kind].label}: người dân #{request.citizen_id} — {outcome[:300]}",
        target=("data_request", request.id),
        before={"state": before},
        after={"state": state},
    )
