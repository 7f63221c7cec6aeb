"""Chase letters: drafted đôn đốc letters and supervision proposals to open, download, and
record as sent (number, signer, date) — only then is the citizen told."""

from __future__ import annotations

from pathlib import Path

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue

from bot.admin import forms
from bot.admin.agency_mail import mail_context
from bot.admin.blueprint import actor, bp, require_role, settings, utcnow
from bot.admin.files import DOCX
from bot.admin.keep import keep_form, kept, refused
from bot.admin.lookups import Lookups
from bot.database import db_session
from handlers import chase
from handlers.chase.documents import read_blocks
from handlers.workflow import InvalidInput, InvalidState, local_date
from handlers.workflow.files import resolve
from handlers.workflow.rules import STAFF_ROLES

KINDS = {"": "Mọi loại", **chase.KIND_LABELS}


def _row(letter_id: int) -> chase.LetterRow:
    row = chase.letter_for(db_session(), actor(), letter_id)
    if row is None:
        abort(404)
    return row


@bp.get("/letters")
def letters() -> ResponseReturnValue:
    """The documents in the user's scope, by tab, kind and agency."""
    require_role(*STAFF_ROLES)
    args = request.args
    tab = args.get("tab", "pending") if args.get("tab") in chase.TABS else "pending"
    kind = args.get("kind", "") if args.get("kind") in KINDS else ""
    agency = args.get("agency", "")
    s = db_session()
    rows = chase.letters_for(
        s,
        actor(),
        tab=tab,
        kind=kind or None,
        agency_id=int(agency) if agency.isdigit() else None,
    )
    return render_template(
        "admin/letters.html",
        rows=rows,
        tab=tab,
        tabs=chase.TABS,
        kind=kind,
        kinds=KINDS,
        agency=agency,
        names=Lookups.load(s),
        today=local_date(utcnow()),
    )


@bp.get("/letters/<int:letter_id>")
def letter(letter_id: int) -> ResponseReturnValue:
    """One document as a page (A4 layout), its downloads and the 'sent' form."""
    require_role(*STAFF_ROLES)
    row = _row(letter_id)
    path = _path(row, final=row.letter.final_path is not None)
    return render_template(
        "admin/letter.html",
        row=row,
        blocks=read_blocks(path) if path is not None else [],
        kinds=chase.KIND_LABELS,
        names=Lookups.load(db_session()),
        today=local_date(utcnow()),
        form=kept(f"letter-{letter_id}"),
    )


def _path(row: chase.LetterRow, *, final: bool) -> Path | None:
    relative = row.letter.final_path if final else row.letter.draft_path
    return resolve(Path(settings().letter_dir), relative) if relative else None


@bp.get("/letters/<int:letter_id>/<any(draft, final):which>.docx")
def letter_file(letter_id: int, which: str) -> ResponseReturnValue:
    """The .docx itself: the draft with blanks, or the signed copy once recorded."""
    require_role(*STAFF_ROLES)
    row = _row(letter_id)
    path = _path(row, final=which == "final")
    if path is None:
        abort(404)
    response = send_file(path, mimetype=DOCX, as_attachment=True, download_name=path.name)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/letters/<int:letter_id>/sent")
def letter_sent(letter_id: int) -> ResponseReturnValue:
    """Record number, signer and date; the history and the citizen hear of it now."""
    require_role(*STAFF_ROLES)
    row = _row(letter_id)
    s = db_session()
    cfg = settings()
    f = request.form
    try:
        chase.record_sent(
            s,
            row.letter,
            actor=actor(),
            document_number=forms.text(f, "document_number", 64),
            signer=forms.text(f, "signer", 200),
            sent_on=forms.day(f, "sent_on"),
            now=utcnow(),
            letter_dir=cfg.letter_dir,
            template_dir=cfg.letter_template_dir,
            mail=mail_context(),
        )
        s.commit()
    except (InvalidInput, InvalidState) as exc:
        s.rollback()
        keep_form(f"letter-{letter_id}", f)
        flash(str(exc), "error")
        return refused(letter(letter_id))
    flash(f"Đã ghi nhận {chase.KIND_LABELS[row.letter.kind].lower()} đã gửi.", "ok")
    return redirect(url_for("admin.letter", letter_id=letter_id))
