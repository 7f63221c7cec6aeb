"""The petition page's actions: each a POST that calls one workflow function (PRG)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from bot.admin import forms
from bot.admin.agency_mail import mail_context
from bot.admin.blueprint import actor, bp, settings, utcnow
from bot.admin.keep import keep_form, refused
from bot.admin.views_petition import load_petition
from bot.admin.views_petition import petition as petition_page
from bot.database import db_session
from handlers import workflow as wf
from handlers.agencies.flows import forward_petition
from handlers.agencies.mail import CONTACT, LIAISON, Recipient, recipients
from handlers.workflow import Actor, InvalidInput, InvalidState, NotAllowed, OutOfScope, core, rules
from handlers.workflow.delivered import record_delivery
from handlers.workflow.files import store_upload
from storage.models import Agency, Attachment, Petition, StaffUser

logger = logging.getLogger(__name__)

Handler = Callable[[Session, Petition, Actor, forms.Form, datetime], str]
ACTIONS: dict[str, Handler] = {}
#: Page actions whose permission rule has another name.
RULE_OF = {"redact_image": "redact"}
MAX_FILES = 10


def action(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        ACTIONS[name] = fn
        return fn

    return register


@bp.post("/petitions/<int:pid>/<name>")
def act(pid: int, name: str) -> ResponseReturnValue:
    """Run one action in one transaction; refusals become a message or a 403/404."""
    handler = ACTIONS.get(name)
    if handler is None:
        abort(404)
    petition = load_petition(pid)
    if not rules.may(actor(), RULE_OF.get(name, name)):
        abort(403)  # before reading the form: the role may not take this action at all
    s = db_session()
    try:
        message = handler(s, petition, actor(), request.form, utcnow())
        s.commit()
        flash(message, "ok")
        if not wf.in_scope(s, actor(), petition):  # e.g. moved to another ward
            flash("Hồ sơ đã chuyển ra ngoài phạm vi của bạn.", "ok")
            return redirect(url_for("admin.inbox"))
    except OutOfScope:
        s.rollback()
        abort(404)
    except NotAllowed:
        s.rollback()
        abort(403)
    except (InvalidState, InvalidInput) as exc:
        s.rollback()
        flash(str(exc), "error")
        keep_form(name, request.form)  # the page comes back with what was typed
        return refused(petition_page(pid))
    return redirect(url_for("admin.petition", pid=pid))


def _upload(s: Session, p: Petition, field: str, kind: str, **extra: object) -> Attachment | None:
    file = request.files.get(field)
    if file is None or not file.filename:
        return None
    return _store(s, p, file, kind, **extra)


def _store(s: Session, p: Petition, file: FileStorage, kind: str, **extra: object) -> Attachment:
    cfg = settings()
    return store_upload(
        s,
        data=file.read(cfg.attachment_max_bytes + 1),
        filename=file.filename or "tep",
        base_dir=Path(cfg.attachment_dir),
        max_bytes=cfg.attachment_max_bytes,
        petition=p,
        kind=kind,
        **extra,  # type: ignore[arg-type]
    )


def uploads(s: Session, p: Petition, field: str, kind: str) -> list[Attachment]:
    """Every file of a multiple-file field (at most MAX_FILES)."""
    files = [f for f in request.files.getlist(field) if f.filename]
    if len(files) > MAX_FILES:
        raise InvalidInput(f"Tối đa {MAX_FILES} tệp mỗi lần.")
    return [_store(s, p, f, kind) for f in files]


@action("triage")
def _triage(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    wf.triage(
        s,
        p,
        actor=who,
        now=now,
        category_id=forms.integer(f, "category"),
        ward_id=forms.integer(f, "ward", required=False),
        legal_type=forms.text(f, "legal_type") or None,
        urgent=forms.flag(f, "urgent"),
    )
    return "Đã phân loại hồ sơ."


@action("classify")
def _classify(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    wf.classify(
        s, p, actor=who, field=forms.text(f, "field"), value=forms.text(f, "value"), now=now
    )
    return "Đã ghi nhận phân loại."


@action("assign")
def _assign(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    uid = forms.integer(f, "assignee", required=False)
    assignee = s.get(StaffUser, uid) if uid else None
    if uid and assignee is None:
        raise InvalidInput("Không tìm thấy cán bộ.")
    wf.assign(s, p, actor=who, assignee=assignee, now=now)
    return "Đã phân công."


@action("request_info")
def _request_info(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    wf.request_info(s, p, actor=who, what=forms.text(f, "what", 1500), now=now)
    return "Đã gửi yêu cầu bổ sung; thời hạn tạm dừng."


@action("add_info")
def _add_info(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    wf.add_citizen_info(s, p, actor=who, note=forms.text(f, "note", 1000), now=now)
    return "Đã ghi nhận thông tin bổ sung; thời hạn tiếp tục."


@action("answer_directly")
def _answer(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    wf.answer_directly(s, p, actor=who, answer=forms.text(f, "answer", 4000), now=now)
    return "Đã gửi câu trả lời cho người dân."


@action("forward")
def _forward(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    agency = s.get(Agency, forms.integer(f, "agency") or 0)
    if agency is None:
        raise InvalidInput("Cần chọn cơ quan.")
    _not_forwarded_since(s, p, forms.integer(f, "after_forward", required=False))
    forward_petition(
        s,
        p,
        actor=who,
        agency=agency,
        channel=forms.text(f, "channel"),
        document_number=forms.text(f, "document_number", 64),
        sent_on=forms.day(f, "sent_on") or wf.local_date(now),
        handler_due_on=forms.day(f, "due_on", required=False),
        complex_case=forms.flag(f, "complex"),
        now=now,
        mail=mail_context(),
    )
    return _forward_sent(recipients(s, agency), agency.name)


def _forward_sent(targets: list[Recipient], name: str) -> str:
    """The confirmation names where the slip's email went (the agency's own addresses and its
    liaisons'), or says it must go on paper when nobody there can receive email."""
    done = f"Đã chuyển đến {name}; phiếu chuyển đã được tạo."
    if not targets:
        return (
            f"{done} Cơ quan và cán bộ liên lạc đều chưa có địa chỉ thư điện tử: cần in và gửi "
            "phiếu chuyển bằng văn bản."
        )
    kinds = {CONTACT: "cơ quan", LIAISON: "cán bộ liên lạc"}
    shown = [f"{t.address} ({kinds.get(t.kind, t.kind)})" for t in targets[:4]]
    more = f" và {len(targets) - 4} địa chỉ khác" if len(targets) > 4 else ""
    return f"{done} Thư kèm phiếu chuyển được gửi đến {len(targets)} địa chỉ: " + (
        ", ".join(shown) + more + "."
    )


def _not_forwarded_since(s: Session, p: Petition, seen: int | None) -> None:
    """Refuse a forward form older than the petition's latest forward (Back, then send again)."""
    latest = wf.latest_forward(s, p)
    if seen is None or latest is None or latest.id == seen:
        return
    agency = s.get(Agency, latest.agency_id)
    raise InvalidInput(
        f"Hồ sơ đã được chuyển đến {agency.name if agency else 'cơ quan'} "
        f"(ngày {latest.sent_on:%d/%m/%Y}) sau khi trang này được mở, có thể do bấm gửi hai lần. "
        "Hãy xem lại hồ sơ trước khi chuyển tiếp."
    )


@action("acknowledge")
def _acknowledge(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    wf.acknowledge(s, p, actor=who, now=now)
    return "Đã xác nhận cơ quan nhận hồ sơ."


@action("record_answer")
def _record_answer(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    files = uploads(s, p, "file", "answer")
    wf.record_agency_answer(
        s,
        p,
        actor=who,
        text=forms.text(f, "text", 8000),
        files=files,
        document_number=forms.text(f, "document_number", 64),
        document_date=forms.day(f, "document_date", required=False),
        now=now,
    )
    return "Đã ghi nhận trả lời của cơ quan."


@action("extend_deadline")
def _extend(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    new_due = forms.day(f, "due_on")
    assert new_due is not None  # noqa: S101 - required above
    wf.extend_deadline(
        s, p, actor=who, new_due_on=new_due, note=forms.text(f, "note", 500), now=now
    )
    return "Đã gia hạn."


@action("send_result")
def _send_result(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    wf.send_result(s, p, actor=who, result_text=forms.text(f, "result", 4000), now=now)
    if p.citizen is not None and p.citizen.zalo_user_id:
        return "Đã gửi kết quả vào hàng đợi tin Zalo cho người dân (xem «Tin báo người dân»)."
    if p.contact_email:
        return "Đã gửi kết quả vào hàng đợi thư điện tử cho người dân."
    return (
        "Đã duyệt kết quả. Người dân không dùng Zalo: cần gọi điện hoặc gửi văn bản báo kết "
        "quả, rồi bấm «Ghi nhận đã báo kết quả»."
    )


@action("record_delivery")
def _record_delivery(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    via = forms.text(f, "via", 16)
    record_delivery(s, p, actor=who, via=via, note=forms.text(f, "note", 1000), now=now)
    return "Đã ghi nhận việc báo kết quả cho người dân."


@action("merge")
def _merge(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    ref = forms.text(f, "master", 40)
    master = s.scalar(
        select(Petition).where(
            or_(Petition.code == ref.upper(), Petition.id == (int(ref) if ref.isdigit() else -1))
        )
    )
    if master is None or not wf.in_scope(s, who, master):
        raise InvalidInput("Không tìm thấy hồ sơ chính.")
    wf.merge(s, p, actor=who, master=master, now=now)
    return f"Đã gộp vào hồ sơ {master.code}."


@action("reopen")
def _reopen(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    wf.reopen(s, p, actor=who, note=forms.text(f, "note", 1000), now=now)
    return "Đã mở lại hồ sơ."


@action("close")
def _close(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    wf.close(
        s, p, actor=who, reason=forms.text(f, "reason"), note=forms.text(f, "note", 1000), now=now
    )
    return "Đã đóng hồ sơ."


@action("redact")
def _redact(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    summary = forms.text(f, "summary", 300) if "summary" in f else None
    wf.redact(s, p, actor=who, text=forms.text(f, "text", 20_000), summary=summary, now=now)
    return "Đã che thông tin cá nhân trong nội dung."


@action("redact_image")
def _redact_image(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    rules.check(s, who, "redact", p)
    original = s.get(Attachment, forms.integer(f, "original") or 0)
    if original is None or original.kind != "image" or not _belongs(s, original, p):
        raise InvalidInput("Không tìm thấy ảnh gốc.")
    copy = _upload(s, p, "file", "redacted", redacted_from=original, images_only=True)
    if copy is None:
        raise InvalidInput("Chưa có ảnh đã che.")
    core.record(s, p, who, "redact", now=now, note=f"Đã che ảnh #{original.id}")
    return "Đã lưu bản ảnh đã che."


def _belongs(s: Session, a: Attachment, p: Petition) -> bool:
    if a.petition_id == p.id:
        return True
    return a.message is not None and a.message.petition_id == p.id


@action("note")
def _note(s: Session, p: Petition, who: Actor, f: forms.Form, now: datetime) -> str:
    wf.add_note(s, p, actor=who, body=forms.text(f, "body", 4000), now=now)
    return "Đã thêm ghi chú."
