"""Serving stored files safely: scope-checked, never sniffed, never rendered as a page."""

from __future__ import annotations

from pathlib import Path

from flask import abort, send_file
from flask.typing import ResponseReturnValue

from bot.admin import auditing
from bot.admin.blueprint import actor, bp, settings
from bot.admin.views_petition import _attachments, file_name, load_petition
from bot.database import db_session
from handlers import audit
from handlers.workflow.files import IMAGE_TYPES, resolve
from storage.models import Attachment, Forward

#: Shown inline; everything else downloads.
INLINE = IMAGE_TYPES | {"application/pdf"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _petition_id(a: Attachment) -> int | None:
    if a.petition_id is not None:
        return a.petition_id
    return a.message.petition_id if a.message is not None else None


@bp.get("/files/<int:attachment_id>")
def file(attachment_id: int) -> ResponseReturnValue:
    """An attachment of a petition the user may see (404 otherwise)."""
    s = db_session()
    a = s.get(Attachment, attachment_id)
    pid = _petition_id(a) if a is not None else None
    if a is None or pid is None:
        abort(404)
    p = load_petition(pid)
    if a.id not in {x.id for x in _attachments(s, p, actor())}:
        abort(404)
    path = resolve(Path(settings().attachment_dir), a.storage_path)
    if path is None:
        abort(404)
    if not actor().is_liaison:  # a liaison only ever gets redacted copies and answers
        auditing.record(
            audit.VIEW_FILE,
            commit=True,
            summary=f"Mở tệp #{a.id} ({a.kind}) của hồ sơ {p.code}",
            petition=p,
            target=("attachment", a.id),
        )
    mime = a.mime_type if a.mime_type in INLINE | {DOCX} else "application/octet-stream"
    response = send_file(
        path,
        mimetype=mime,
        as_attachment=mime not in INLINE,
        download_name=file_name(p, a, actor()) or path.name,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/forwards/<int:forward_id>/slip.docx")
def slip(forward_id: int) -> ResponseReturnValue:
    """The forwarding slip of a forward (a liaison only for their own agency's)."""
    s = db_session()
    fwd = s.get(Forward, forward_id)
    if fwd is None:
        abort(404)
    petition = load_petition(fwd.petition_id)
    who = actor()
    if who.is_liaison and fwd.agency_id != who.agency_id:
        abort(404)
    path = resolve(Path(settings().attachment_dir), fwd.slip_path)
    if path is None:
        abort(404)
    auditing.record(
        audit.EXPORT_SLIP,
        commit=True,
        summary=f"Tải phiếu chuyển hồ sơ {petition.code} đến {fwd.agency.name}",
        petition=petition,
        target=("forward", fwd.id),
    )
    response = send_file(path, mimetype=DOCX, as_attachment=True, download_name=path.name)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
