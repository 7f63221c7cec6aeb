"""`/simulator/mail`: the emails the demo sent, caught in-process (see bot.simulator.mailbox).

Links in a body are made clickable (they point at the demo's own host and port), and files
such as the forwarding slip can be downloaded. 404 when no catcher runs in this process.
"""

from __future__ import annotations

import re
from io import BytesIO

from flask import abort, render_template, send_file
from flask.typing import ResponseReturnValue

from bot.simulator import bp
from bot.simulator.mailbox import Caught, MailCatcher, catcher_of

_URL = re.compile(r"https?://[^\s<>\"')]+")


def _catcher() -> MailCatcher:
    catcher = catcher_of()
    if catcher is None:
        abort(404)
    return catcher


def _found(mail_id: int) -> Caught:
    caught = _catcher().get(mail_id)
    if caught is None:
        abort(404)
    return caught


def linked(text: str) -> list[tuple[str, bool]]:
    """The text cut into (piece, is_a_link) so the template escapes all and links the URLs."""
    parts: list[tuple[str, bool]] = []
    last = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;")
        parts.append((text[last : match.start()], False))
        parts.append((url, True))
        last = match.start() + len(url)
    parts.append((text[last:], False))
    return [p for p in parts if p[0]]


@bp.get("/mail")
def mailbox() -> ResponseReturnValue:
    """Every caught email, newest first."""
    return render_template("simulator/mail.html", mails=_catcher().messages(), shown=None)


@bp.get("/mail/<int:mail_id>")
def mail(mail_id: int) -> ResponseReturnValue:
    """One email: headers, body with working links, its files."""
    caught = _found(mail_id)
    return render_template(
        "simulator/mail.html",
        mails=_catcher().messages(),
        shown=caught,
        body=linked(caught.body),
        files=caught.files(),
    )


@bp.get("/mail/<int:mail_id>/files/<int:index>")
def mail_file(mail_id: int, index: int) -> ResponseReturnValue:
    """One attachment, as a download under its own name."""
    files = _found(mail_id).files()
    if not 1 <= index <= len(files):
        abort(404)
    name, ctype, data = files[index - 1]
    return send_file(BytesIO(data), mimetype=ctype, as_attachment=True, download_name=name)
