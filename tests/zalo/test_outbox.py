"""The outbox's queue and state functions (handlers.outbox), in the caller's transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from handlers import outbox
from handlers.outbox import Button, OutboxError
from storage.models import Citizen

NOW = datetime.now(UTC).replace(microsecond=0)
LEASE = timedelta(minutes=10)


def citizen(db: Session, zalo_id: str = "u-1") -> Citizen:
    c = Citizen(zalo_user_id=zalo_id, following=True, abuse_count=0)
    db.add(c)
    db.flush()
    return c


def claim(db: Session, now: datetime = NOW, **kw: object) -> list[int]:
    rows = outbox.claim(
        db,
        now=now,
        channels=kw.pop("channels", ["zalo", "email"]),  # type: ignore[arg-type]
        lease=LEASE,
        **kw,
    )  # type: ignore[arg-type]
    return [r.id for r in rows]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": ""}, "needs text"),
        ({"text": "x", "kind": "video"}, "unknown Zalo message kind"),
        ({"kind": "image"}, "needs image_url"),
        ({"kind": "request_user_info", "image_url": "https://x/y.png"}, "needs a title"),
        ({"text": "x", "buttons": [Button(str(i), "p") for i in range(6)]}, "at most 5"),
        ({"text": "x", "buttons": [Button("Một tiêu đề quá dài để hiện", "p")]}, "1–20"),
        ({"text": "x", "buttons": [Button("Gọi", "p", type="oa.call")]}, "unknown button type"),
    ],
)
def test_queue_zalo_refuses_what_zalo_would(
    db_session: Session, kwargs: dict, message: str
) -> None:
    with pytest.raises(OutboxError, match=message):
        outbox.queue_zalo(db_session, citizen=citizen(db_session), **kwargs)


def test_queue_zalo_payloads(db_session: Session) -> None:
    c = citizen(db_session)
    text = outbox.queue_zalo(
        db_session, citizen=c, text="Chọn:", buttons=(Button("Có", "#yes"), Button("Không", "#no"))
    )
    assert text.payload == {
        "text": "Chọn:",
        "buttons": [
            {"title": "Có", "payload": "#yes", "type": "oa.query.hide"},
            {"title": "Không", "payload": "#no", "type": "oa.query.hide"},
        ],
    }
    assert (text.channel, text.recipient, text.state, text.citizen_id) == (
        "zalo",
        "u-1",
        "pending",
        c.id,
    )
    card = outbox.queue_zalo(
        db_session,
        citizen=c,
        kind="request_user_info",
        text="Chia sẻ",
        subtitle="Để liên hệ",
        image_url="https://x/c.png",
    )
    assert card.payload["subtitle"] == "Để liên hệ" and card.kind == "request_user_info"
    nfd = outbox.queue_zalo(db_session, citizen=c, text="Tie\u0302\u0301ng Vie\u0323\u0302t")
    assert nfd.payload["text"] == "Tiếng Việt"
    with pytest.raises(OutboxError, match="no Zalo id"):
        outbox.queue_zalo(db_session, citizen=Citizen(zalo_user_id=None), text="x")


def test_dedup_key_makes_queueing_idempotent(db_session: Session) -> None:
    c = citizen(db_session)
    a = outbox.queue_zalo(db_session, citizen=c, text="Đã nhận", dedup_key="ack:m1")
    b = outbox.queue_zalo(db_session, citizen=c, text="Đã nhận (lần 2)", dedup_key="ack:m1")
    assert a.id == b.id and b.payload["text"] == "Đã nhận"
    e1 = outbox.queue_email(db_session, to="a@x.vn", subject="s", body="b", dedup_key="mail:1")
    e2 = outbox.queue_email(db_session, to=["a@x.vn"], subject="s", body="b", dedup_key="mail:1")
    assert e1.id == e2.id


def test_queue_email(db_session: Session) -> None:
    row = outbox.queue_email(
        db_session,
        to=["a@ubnd.vn", "b@ubnd.vn"],
        subject="Đôn đốc",
        body="Nội dung",
        attachments=["instance/letters/letter.docx"],
    )
    assert (row.channel, row.recipient, row.kind) == ("email", "a@ubnd.vn, b@ubnd.vn", "email")
    assert row.payload["attachments"] == ["instance/letters/letter.docx"]
    with pytest.raises(OutboxError):
        outbox.queue_email(db_session, to="not-an-address", subject="s", body="b")


def test_claim_takes_due_rows_oldest_first_per_channel(db_session: Session) -> None:
    c1, c2 = citizen(db_session, "u-1"), citizen(db_session, "u-2")
    a = outbox.queue_zalo(db_session, citizen=c1, text="a")
    b = outbox.queue_zalo(db_session, citizen=c2, text="b")
    mail = outbox.queue_email(db_session, to="x@y.vn", subject="s", body="b")
    later = outbox.queue_zalo(db_session, citizen=c2, text="later")
    for row in (a, b, mail, later):
        row.next_attempt_at = NOW
    later.next_attempt_at = NOW + timedelta(minutes=5)
    db_session.flush()
    assert claim(db_session, channels=["zalo"]) == [a.id, b.id]
    assert claim(db_session, channels=["zalo"]) == []  # already claimed; `later` not due
    db_session.refresh(a)
    assert (a.state, a.attempts, a.claimed_until) == ("sending", 1, NOW + LEASE)
    assert claim(db_session, channels=["email"]) == [mail.id]
    assert claim(db_session, channels=[]) == []


def test_one_citizen_gets_messages_in_order(db_session: Session) -> None:
    c = citizen(db_session)
    first = outbox.queue_zalo(db_session, citizen=c, text="1")
    second = outbox.queue_zalo(db_session, citizen=c, text="2")
    for r in (first, second):
        r.next_attempt_at = NOW
    db_session.flush()
    assert claim(db_session) == [first.id]  # the second waits for the first
    outbox.fail(db_session, first.id, error="-32", retry_at=NOW + timedelta(minutes=1))
    assert claim(db_session) == []  # still waits: the first is pending (backing off)
    assert claim(db_session, now=NOW + timedelta(minutes=2)) == [first.id]
    outbox.hold(db_session, first.id)
    assert claim(db_session, now=NOW + timedelta(minutes=3)) == []  # held blocks too
    outbox.dead_letter(db_session, first.id, now=NOW, reason="staff gave up")
    assert claim(db_session, now=NOW + timedelta(minutes=3)) == [second.id]


def test_state_changes_are_guarded(db_session: Session) -> None:
    c = citizen(db_session)
    row = outbox.queue_zalo(db_session, citizen=c, text="x")
    row.next_attempt_at = NOW
    db_session.flush()
    assert not outbox.complete(db_session, row.id, now=NOW)  # not claimed
    claim(db_session)
    assert outbox.complete(db_session, row.id, now=NOW, external_id="zm-1")
    assert not outbox.complete(db_session, row.id, now=NOW)  # a second sender loses
    assert not outbox.fail(db_session, row.id, error="x", retry_at=NOW)
    assert not outbox.hold(db_session, row.id)
    assert not outbox.dead_letter(db_session, row.id, now=NOW, reason="x")
    db_session.refresh(row)
    assert (row.state, row.external_id, row.sent_at) == ("sent", "zm-1", NOW)


def test_hold_release_dead_requeue(db_session: Session) -> None:
    c = citizen(db_session)
    rows = [outbox.queue_zalo(db_session, citizen=c, text=str(i)) for i in range(3)]
    db_session.flush()
    for r in rows[:2]:
        assert outbox.hold(db_session, r.id)
    assert outbox.dead_letter(db_session, rows[2].id, now=NOW, reason="invalid: -201")
    assert [r.id for r in outbox.held_messages(db_session)] == [rows[0].id, rows[1].id]
    assert [r.id for r in outbox.dead_letters(db_session)] == [rows[2].id]
    assert outbox.counts(db_session) == {"held": 2, "dead": 1}
    assert outbox.release_held_for_citizen(db_session, c.id, now=NOW) == 2
    assert outbox.release_held_for_citizen(db_session, c.id, now=NOW) == 0
    assert outbox.requeue(db_session, rows[2].id, now=NOW)
    assert outbox.counts(db_session) == {"pending": 3}
    dead = outbox.dead_letters(db_session)
    assert dead == []


def test_unreachable_citizens_messages_wait_held(db_session: Session) -> None:
    c = citizen(db_session)
    c.unreachable_at = NOW
    row = outbox.queue_zalo(db_session, citizen=c, text="Kết quả giải quyết")
    assert (row.state, row.last_error) == ("held", outbox.HELD_UNREACHABLE)


def test_progress_of_split_messages_is_remembered(db_session: Session) -> None:
    row = outbox.queue_zalo(db_session, citizen=citizen(db_session), text="x")
    db_session.flush()
    row.payload = outbox.record_progress(db_session, row, part=0, external_id="m0")
    outbox.record_progress(db_session, row, part=1, external_id="m1")
    db_session.refresh(row)
    assert row.payload["sent_parts"] == 2 and row.payload["sent_ids"] == ["m0", "m1"]


def test_a_reply_whose_draft_was_merged_meanwhile_is_recorded_on_the_merged_petition(
    db_session: Session,
) -> None:
    """Under a moved clock in CI: the guidance to an emergency told in reply to «Yêu cầu bổ
    sung» was queued on the new draft; the worker then merged the draft into the waiting
    petition and deleted it while the sender held the message. Recording the sent message
    on the deleted draft failed its foreign key, and the citizen's next reply waited behind it."""
    from bot.zalo.transport import record_sent
    from handlers.conversation.drafts import forget, move_thread
    from storage.models import PetitionMessage
    from tests.workflow import helpers as h

    person = citizen(db_session)
    waiting, draft = h.draft(db_session, person=person), h.draft(db_session, person=person)
    queued = outbox.queue_zalo(db_session, citizen=person, text="KHẨN CẤP: gọi 114", petition=draft)
    db_session.commit()
    [held] = outbox.claim(db_session, now=NOW, channels=["zalo"], lease=LEASE)
    db_session.commit()
    db_session.expunge(held)  # the sender's copy, read at the claim
    move_thread(db_session, draft, waiting)  # the worker, meanwhile
    forget(db_session, draft)
    db_session.commit()
    outbox.confirm_claim(db_session, held)
    record_sent(db_session, held, {"text": "KHẨN CẤP: gọi 114"}, "zmsg-1")
    db_session.commit()
    assert held.id == queued.id and held.petition_id == waiting.id
    row = db_session.query(PetitionMessage).filter_by(zalo_msg_id="zmsg-1").one()
    assert row.petition_id == waiting.id
