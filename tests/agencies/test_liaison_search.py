"""A liaison's search matches only what the liaison may read: the masked phone and ID number
cannot be guessed digit by digit, a tố cáo's author cannot be found by name, and what staff
redacted is gone from their search; Front staff still find the petition by phone."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.agencies import redaction
from handlers.agencies.flows import MailContext, forward_petition
from storage.models import Agency, Petition, StaffUser
from tests.admin.conftest import login, post
from tests.agencies import helpers as a
from tests.agencies.denunciation import ID_NUMBER, PHONE, denunciation

OTHER_PHONE = "0905123456"


def _forward(
    s: Session, p: Petition, officer: StaffUser, police: Agency, mail: MailContext, t0: datetime
) -> None:
    forward_petition(
        s,
        p,
        actor=officer,
        agency=police,
        channel="email",
        document_number="9/MTTQ",
        sent_on=a.day(t0),
        now=t0,
        mail=mail,
    )


def _finds(client: FlaskClient, p: Petition, q: str) -> bool:
    response = client.get("/admin/?" + urlencode({"state": "all", "q": q}))
    assert response.status_code == 200
    return str(p.code) in response.get_data(as_text=True)


def _probe(client: FlaskClient, p: Petition) -> tuple[str, int]:
    """Guess a number one digit at a time, as the probe did: the longest prefix found."""
    known, requests = "", 0
    while len(known) < 12:
        for digit in "0123456789":
            requests += 1
            if _finds(client, p, known + digit):
                known += digit
                break
        else:
            break
    return known, requests


def test_a_liaison_cannot_search_for_what_is_masked(
    db_session: Session, client: FlaskClient, mail: MailContext, t0: datetime
) -> None:
    s = db_session
    p, officer, liaison, police = denunciation(s, t0)
    shown = redaction.proposal(p)
    redaction.confirm(s, p, actor=officer, summary=shown.summary, text=shown.text, now=t0)
    _forward(s, p, officer, police, mail, t0)
    plain = a.triaged(
        s, officer, t0, text=f"Cống nghẹt trước nhà số 7 Trần Cao Vân, gọi tôi {OTHER_PHONE}."
    )
    _forward(s, plain, officer, police, mail, t0)
    # Staff take the number out of the plain petition's text after forwarding it.
    wf.redact(s, plain, actor=officer, text="Cống nghẹt trước nhà số 7 Trần Cao Vân.", now=t0)
    s.commit()

    assert login(client, liaison.username).status_code == 302
    assert _finds(client, p, "hối lộ") and _finds(client, p, "hoi lo")  # what they may read
    assert _finds(client, plain, "cong nghet")
    for petition, number in ((p, PHONE), (p, ID_NUMBER), (plain, OTHER_PHONE)):
        assert not _finds(client, petition, number)
        for length in range(4, len(number)):
            assert not _finds(client, petition, number[:length]), number[:length]
    known, requests = _probe(client, p)
    assert not PHONE.startswith(known) or len(known) < 4, known
    assert not ID_NUMBER.startswith(known) or len(known) < 4, known
    assert requests <= 40
    for q in ("pham van to giac", "Phạm Văn Tố Giác", "PHAM VAN", "12 hung vuong"):
        assert not _finds(client, p, q), q

    # Front staff read the whole petition, and search it whole.
    assert post(client, "/admin/logout").status_code == 302
    assert login(client, officer.username).status_code == 302
    assert _finds(client, p, PHONE) and _finds(client, p, "pham van to giac")
