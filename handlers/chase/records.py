"""Recording a drafted chase document as sent: number, signer, date — and only then the
petition's history says "sent" and the citizen may be told."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from handlers.agencies.flows import MailContext, email_letter
from handlers.reminders import letters
from handlers.reminders.agency import letter_date
from handlers.reminders.citizens import tell_overdue
from handlers.reminders.drafting import KIND_LABELS, RUNG_OF_KIND
from handlers.tasks import settle_item
from handlers.workflow import rules
from handlers.workflow.actors import SYSTEM, Actor
from handlers.workflow.calendar import local_date
from handlers.workflow.core import record
from handlers.workflow.errors import InvalidInput, InvalidState, NotAllowed, OutOfScope
from storage.models import Agency, ChaseLetter, Petition, Reminder

logger = logging.getLogger(__name__)

_SUFFIX = re.compile(r"\s*/\s*MTTQ-BTT\s*$", re.I)


def record_sent(
    session: Session,
    letter: ChaseLetter,
    *,
    actor: Actor,
    document_number: str,
    signer: str,
    sent_on: date | None,
    now: datetime,
    letter_dir: str,
    template_dir: str = "",
    mail: MailContext | None = None,
) -> ChaseLetter:
    """Fill the final copy, write the history line, then `letter_sent` (its consequences)."""
    petition = _check(session, letter, actor)
    number, signer = document_number.strip()[:64], signer.strip()[:200]
    if not number or not signer or sent_on is None:
        raise InvalidInput("Cần nhập số văn bản, người ký và ngày gửi.")
    if sent_on > local_date(now):
        raise InvalidInput("Ngày gửi không thể sau hôm nay.")
    if sent_on < local_date(letter.created_at):
        raise InvalidInput(f"Ngày gửi không thể trước ngày soạn ({letter.created_at:%d/%m/%Y}).")
    letter.document_number, letter.signer, letter.sent_on = number, signer, sent_on
    letter.recorded_by_id, letter.recorded_at = actor.id, now
    letter.final_path = _write_final(letter, letter_dir, template_dir)
    record(session, petition, actor, _action(letter), now=now, note=describe_sent(session, letter))
    letter_sent(session, letter, now=now, letter_dir=letter_dir, mail=mail, actor=actor)
    return letter


def letter_sent(
    session: Session,
    letter: ChaseLetter,
    *,
    now: datetime,
    letter_dir: str,
    mail: MailContext | None = None,
    actor: Actor | None = None,
) -> None:
    """What follows once a document is recorded as sent, in the same transaction.

    The citizen hears that the Front has chased the agency (a letter, not the supervision
    proposal, which is internal), the agency gets the signed letter by email (`mail`: the
    process's mail context), and the document's item leaves "Việc cần làm".
    """
    if letter.kind != "agenda":
        signed = letter.final_path or letter.draft_path
        if mail is not None and signed:
            email_letter(
                session, letter, Path(letter_dir) / signed, now, mail, actor=actor or SYSTEM
            )
        reminder = session.get(Reminder, letter.reminder_id)
        agency = session.get(Agency, letter.agency_id) if letter.agency_id else None
        if reminder is not None:
            name = agency.name if agency is not None else "cơ quan có thẩm quyền"
            tell_overdue(session, [(letter.petition_id, name, reminder.key)], now=now)
    settle_item(
        session, f"letter:{letter.id}", now=now, staff_id=letter.recorded_by_id, note="Đã gửi"
    )
    logger.info("chase letter %s recorded as sent", letter.id)


def describe_sent(session: Session, letter: ChaseLetter) -> str:
    """The history line: what was sent, its number, date, addressee and signer."""
    agency = session.get(Agency, letter.agency_id) if letter.agency_id else None
    sent = f"{letter.sent_on:%d/%m/%Y}" if letter.sent_on else "—"
    if letter.kind == "agenda":
        return (
            f"Đã trình Ban Thường trực đề xuất giám sát số {letter.document_number} ngày {sent} "
            f"(người ký: {letter.signer})"
        )
    return (
        f"Đã gửi {KIND_LABELS[letter.kind].lower()} số {letter.document_number} ngày {sent} "
        f"đến {agency.name if agency else 'cơ quan'} (người ký: {letter.signer})"
    )


def _action(letter: ChaseLetter) -> str:
    return "agenda_sent" if letter.kind == "agenda" else "letter_sent"


def _check(session: Session, letter: ChaseLetter, actor: Actor) -> Petition:
    petition = session.get(Petition, letter.petition_id)
    if petition is None or not rules.in_scope(session, actor, petition):
        raise OutOfScope("Không tìm thấy văn bản.")
    if not actor.is_staff or actor.is_liaison:
        raise NotAllowed("Chỉ cán bộ Mặt trận ghi nhận văn bản đã gửi.")
    if letter.sent_on is not None:
        raise InvalidState(f"Văn bản đã được ghi nhận gửi ngày {letter.sent_on:%d/%m/%Y}.")
    return petition


def _write_final(letter: ChaseLetter, letter_dir: str, template_dir: str) -> str | None:
    """The signed copy: the draft's values with the number, signer and date filled in."""
    if not letter.draft_path or letter.sent_on is None:
        return None
    try:
        template = letters.compiled(RUNG_OF_KIND[letter.kind], template_dir)
    except letters.LetterTemplateError:
        logger.warning("chase letter %s: template missing, draft kept", letter.id)
        return None
    ngay, thang, nam = letter_date(letter.sent_on)
    values = {
        **(letter.fields or {}),
        "so_van_ban": _SUFFIX.sub("", letter.document_number or "") or letters.BLANK,
        "nguoi_ky": letter.signer or letters.BLANK,
        "ngay": ngay,
        "thang": thang,
        "nam": nam,
    }
    draft = Path(letter.draft_path)
    relative = str(draft.with_name(f"{draft.stem}-da-gui.docx"))
    try:
        letters.write_letter(letter_dir, relative, template, values)
    except letters.LetterTemplateError:
        # The template changed since the draft: the draft stays the document of record.
        logger.warning("chase letter %s: final copy not filled (template changed)", letter.id)
        return None
    return relative
