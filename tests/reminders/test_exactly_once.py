"""Exactly once: re-runs, pauses, moved deadlines, catch-up after downtime, failed passes.

The November 2026 dates are kept: the expected rungs step over 24/11 (Ngày Văn hóa Việt Nam, a
day off), and every job runs with the clock the test passes in (`--now` on the command line).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from handlers import workflow as wf
from handlers.reminders.config import ReminderConfig
from handlers.reminders.ledger import Rung, claim
from storage.models import OutboxMessage, Reminder, StaffNotification
from tests.reminders import helpers as r

D = date


def _counts(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(Reminder)) or 0,
        session.scalar(select(func.count()).select_from(OutboxMessage)) or 0,
        session.scalar(select(func.count()).select_from(StaffNotification)) or 0,
    )


def _busy_day(session: Session) -> None:
    """Something due for every job on Friday 06/11/2026."""
    officer = r.officer(session)
    r.supervisor(session)
    r.liaison(session)
    r.received(session, r.at(D(2026, 11, 3)))  # triage target missed
    r.forwarded(session, r.at(D(2026, 11, 2)), D(2026, 11, 5), officer)  # overdue
    r.forwarded(session, r.at(D(2026, 11, 2)), D(2026, 11, 10), officer)  # −2 reminder
    p, _ = r.forwarded(session, r.at(D(2026, 10, 26)), D(2026, 11, 20), officer)
    wf.record_agency_answer(session, p, actor=officer, text="x", now=r.at(D(2026, 10, 30)))
    q, _ = r.forwarded(session, r.at(D(2026, 10, 19)), D(2026, 10, 22), officer)
    wf.record_agency_answer(session, q, actor=officer, text="x", now=r.at(D(2026, 10, 22)))
    wf.send_result(session, q, actor=officer, result_text="x", now=r.at(D(2026, 10, 23)))
    session.commit()


def test_a_rerun_sends_nothing_twice(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    _busy_day(db_session)
    first = r.run_all(session_factory, r.at(D(2026, 11, 6)), cfg)
    assert all(
        first[name].get("acted") for name in r.REMINDER_JOBS[1:] if name != "reminders-decision"
    )
    after_first = _counts(db_session)
    for hour in (8, 14, 23):  # the same job again, the same day: a restart, a second scheduler
        again = r.run_all(session_factory, r.at(D(2026, 11, 6), hour), cfg)
        assert all(not v.get("acted") and not v.get("digests") for v in again.values())
    assert _counts(db_session) == after_first


def test_jobs_run_from_the_cli_with_an_injected_clock(
    runner: FlaskCliRunner, db_session: Session, tmp_path: Path
) -> None:
    _busy_day(db_session)
    args = ["jobs", "run", "reminders-agency", "--now", "2026-11-06T08:15:00+07:00"]
    out = json.loads(runner.invoke(args=args).output)
    assert (out["acted"], out["letters"]) == (2, 1)  # the reminder and the overdue letter
    assert list((tmp_path / "letters").rglob("*.docx"))
    again = json.loads(runner.invoke(args=args).output)
    assert again["due"] == 0 and "acted" not in again


def test_claim_is_once_per_key(db_session: Session) -> None:
    rungs = [Rung(key=f"test:{n}", rung="x", petition_id=None) for n in range(3)]
    now = r.at(D(2026, 11, 2))
    assert [x.key for x in claim(db_session, rungs, now=now)] == ["test:0", "test:1", "test:2"]
    more = [*rungs, Rung(key="test:3", rung="x", petition_id=None)]
    assert [x.key for x in claim(db_session, more, now=now)] == ["test:3"]


def test_need_info_pauses_the_ladder_and_resuming_moves_it(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    officer = r.officer(db_session)
    petition, fwd = r.forwarded(db_session, r.at(D(2026, 11, 2)), D(2026, 11, 13), officer)
    wf.request_info(
        db_session, petition, actor=officer, what="ảnh hiện trường", now=r.at(D(2026, 11, 10), 10)
    )
    db_session.commit()
    r.walk(session_factory, D(2026, 11, 10), D(2026, 11, 20), cfg)
    assert r.rungs(db_session, petition) == []  # the remind rung (11/11) waited
    wf.add_citizen_info(db_session, petition, now=r.at(D(2026, 11, 20), 16))
    assert fwd.handler_due_on == D(2026, 11, 23)  # pushed back by the 10 days paused
    db_session.commit()
    r.walk(session_factory, D(2026, 11, 21), D(2026, 11, 25), cfg, ("reminders-agency",))
    assert r.fired(db_session, petition) == {
        "remind": D(2026, 11, 21 + 2),
        "overdue": D(2026, 11, 25),
    }
    keys = db_session.scalars(select(Reminder.key).where(Reminder.forward_id == fwd.id)).all()
    assert all(":2026-11-23:" in k for k in keys)


def test_an_extension_starts_a_new_ladder(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    officer = r.officer(db_session)
    petition, fwd = r.forwarded(db_session, r.at(D(2026, 11, 2)), D(2026, 11, 5), officer)
    db_session.commit()
    r.walk(session_factory, D(2026, 11, 2), D(2026, 11, 4), cfg, ("reminders-agency",))
    wf.extend_deadline(
        db_session,
        petition,
        actor=officer,
        new_due_on=D(2026, 11, 20),
        note="Công văn xin gia hạn số 5/UBND",
        now=r.at(D(2026, 11, 4), 15),
    )
    db_session.commit()
    r.walk(session_factory, D(2026, 11, 5), D(2026, 11, 23), cfg, ("reminders-agency",))
    rows = db_session.scalars(
        select(Reminder).where(Reminder.forward_id == fwd.id).order_by(Reminder.id)
    ).all()
    assert [(x.rung, x.key.split(":")[1], x.due_on) for x in rows] == [
        ("remind", "v1", "2026-11-05"),
        ("remind", "v2", "2026-11-20"),
        ("overdue", "v2", "2026-11-20"),
    ]
    contact = [m for m in r.reminder_emails(db_session) if m.recipient.startswith("vanthu")]
    assert len(contact) == 2  # one per ladder, never one per run


def test_a_reforward_starts_a_new_ladder(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    officer = r.officer(db_session)
    petition, first = r.forwarded(db_session, r.at(D(2026, 11, 2)), D(2026, 11, 5), officer)
    db_session.commit()
    r.walk(session_factory, D(2026, 11, 2), D(2026, 11, 6), cfg, ("reminders-agency",))
    _, second = r.forwarded(
        db_session,
        r.at(D(2026, 11, 9)),
        D(2026, 11, 12),
        officer,
        agency_code="ca_tam_ky",
        petition=petition,
    )
    db_session.commit()
    r.walk(session_factory, D(2026, 11, 9), D(2026, 11, 30), cfg, ("reminders-agency",))
    by_forward = {
        fid: [
            x.rung
            for x in db_session.scalars(
                select(Reminder).where(Reminder.forward_id == fid).order_by(Reminder.id)
            )
        ]
        for fid in (first.id, second.id)
    }
    assert by_forward == {
        first.id: ["remind", "overdue"],  # stopped: the old forward no longer runs
        second.id: ["remind", "overdue", "letter2"],
    }


def test_catch_up_after_two_days_down_sends_digests_not_floods(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    officer = r.officer(db_session)
    sup = r.supervisor(db_session)
    petitions = []
    for n in range(12):
        agency = "ubnd_tam_ky" if n % 2 else "ca_tam_ky"
        p, _ = r.forwarded(
            db_session, r.at(D(2026, 11, 2)), D(2026, 11, 5), officer, agency_code=agency
        )
        petitions.append(p)
    late_triage = [r.received(db_session, r.at(D(2026, 11, 2))) for _ in range(5)]
    db_session.commit()
    r.walk(session_factory, D(2026, 11, 2), D(2026, 11, 2), cfg)
    # Down on Tuesday 3/11 through Thursday 5/11: the −2 reminders and the triage digest
    # would have gone out then. Friday's catch-up acts on the highest rung only.
    r.run_all(session_factory, r.at(D(2026, 11, 6), 10), cfg)
    for p in petitions:
        assert r.rungs(db_session, p) == [
            ("remind", D(2026, 11, 6), True),
            ("overdue", D(2026, 11, 6), False),
        ]
    for p in late_triage:
        assert r.rungs(db_session, p) == [
            ("triage", D(2026, 11, 6), True),
            ("triage-hard", D(2026, 11, 6), False),
        ]
    emails = r.reminder_emails(db_session)
    to_officer = [m.payload["subject"] for m in emails if m.recipient == officer.email]
    to_supervisor = [m.payload["subject"] for m in emails if m.recipient == sup.email]
    assert to_officer == ["[PAKN] 12 văn bản đôn đốc chờ ký — phường Tam Kỳ"]
    assert sorted(to_supervisor) == [
        "[PAKN] Báo cáo: 5 hồ sơ đến hạn phân loại cuối cùng hôm nay — phường Tam Kỳ",
        "[PAKN] Tình hình hồ sơ ngày 02/11/2026",
        "[PAKN] Tình hình hồ sơ ngày 06/11/2026",
    ]
    assert not [m for m in emails if m.recipient.startswith("vanthu")]  # no stale −2 emails
    assert len(list(Path(cfg.letter_dir).rglob("*.docx"))) == 12
    # A drafted letter is not a sent one: the citizen is told once staff record it as sent.
    assert all(r.citizen_messages(db_session, p) == [] for p in petitions)
    before = _counts(db_session)
    r.run_all(session_factory, r.at(D(2026, 11, 6), 16), cfg)
    assert _counts(db_session) == before


def test_a_failed_pass_rolls_back_its_group_and_the_rerun_completes(
    db_session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    officer = r.officer(db_session)
    other = r.officer(db_session, ward="ban_thach")
    r.forwarded(db_session, r.at(D(2026, 11, 2)), D(2026, 11, 10), officer)  # Tam Kỳ: remind
    b, _ = r.forwarded(
        db_session,
        r.at(D(2026, 11, 2)),
        D(2026, 11, 5),
        other,
        ward="ban_thach",
        agency_code="ubnd_ban_thach",
    )  # Bàn Thạch: letter
    db_session.commit()
    broken = tmp_path / "templates"
    broken.mkdir()
    (broken / "don_doc_lan_1.docx").write_bytes(b"not a zip")
    bad = r.config(tmp_path / "letters", letter_template_dir=str(broken))
    try:
        r.run(session_factory, "reminders-agency", r.at(D(2026, 11, 6)), bad)
        raise AssertionError("the broken template should have failed the pass")
    except ValueError:
        pass
    assert r.rungs(db_session, b) == []  # its rows went with its failed transaction
    done = _counts(db_session)
    assert done[0] == 1  # the other ward's reminder committed
    good = r.config(tmp_path / "letters")
    result = r.run(session_factory, "reminders-agency", r.at(D(2026, 11, 6), 9), good)
    assert (result["acted"], result["letters"]) == (1, 1)
    assert r.rungs(db_session, b) == [
        ("remind", D(2026, 11, 6), True),
        ("overdue", D(2026, 11, 6), False),
    ]
    assert _counts(db_session)[0] == 3


def test_auto_closes_are_capped_per_run_and_finish_later(
    db_session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    officer = r.officer(db_session)
    petitions = []
    for _ in range(3):
        p, _ = r.forwarded(db_session, r.at(D(2026, 10, 26)), D(2026, 10, 29), officer)
        wf.record_agency_answer(db_session, p, actor=officer, text="x", now=r.at(D(2026, 10, 30)))
        wf.send_result(db_session, p, actor=officer, result_text="x", now=r.at(D(2026, 11, 2)))
        petitions.append(p)
    db_session.commit()
    cfg = r.config(tmp_path / "letters", auto_close_per_run=2, close_batch=1)
    first = r.run(session_factory, "reminders-satisfaction", r.at(D(2026, 11, 17), 9), cfg)
    assert (first["due"], first["deferred"], first["closed"]) == (3, 1, 2)
    second = r.run(session_factory, "reminders-satisfaction", r.at(D(2026, 11, 17), 11), cfg)
    assert (second["due"], second["closed"]) == (1, 1) and "deferred" not in second
    db_session.expire_all()
    assert [p.state for p in petitions] == ["closed"] * 3
